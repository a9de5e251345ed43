package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"fivexx/classify"
	"fivexx/sources"
)

// TestOwnOutputBesideTheLogsIsNotRead: --events saved beside the logs it
// was made from, and the report run again on dir/*, read the events as an
// nginx JSON access log: 502 requests of 340, every 5xx counted twice,
// without a word (QA s32 F1). So did a --json report saved there. The
// report over the logs and their own output now counts what the logs
// alone count, lists the file it did not read with why, and says so on
// stderr once, in each output.
func TestOwnOutputBesideTheLogsIsNotRead(t *testing.T) {
	inZone(t, "UTC")
	dir := t.TempDir()
	var logs []string
	for _, n := range []string{"access.log", "error.log", "app.log"} {
		b, err := os.ReadFile(filepath.Join("..", "..", "testdata", "recordings", "nginx-upstream", n))
		if err != nil {
			t.Fatal(err)
		}
		p := filepath.Join(dir, n)
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
		logs = append(logs, p)
	}
	save := func(name string, args ...string) string {
		code, out, errs := runCLI(append(args, logs...)...)
		if code != 0 {
			t.Fatalf("%v: exit %d: %s", args, code, errs)
		}
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(out), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	events := save("events.ndjson", "report", "--events")
	summary := save("report.json", "report", "--json")
	all, err := filepath.Glob(filepath.Join(dir, "*"))
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(all)
	if len(all) != 5 {
		t.Fatalf("dir/* is %v", all)
	}
	notes := []string{
		"fivexx: note: " + events + ": not read: fivexx's own --events output, not a log\n",
		"fivexx: note: " + summary + ": not read: fivexx's own --json report, not a log\n",
	}

	jsonOf := func(args ...string) (map[string]any, string) {
		t.Helper()
		code, out, errs := runCLI(append([]string{"report", "--json"}, args...)...)
		if code != 0 {
			t.Fatalf("exit %d: %s", code, errs)
		}
		var m map[string]any
		if err := json.Unmarshal([]byte(out), &m); err != nil {
			t.Fatal(err)
		}
		return m, errs
	}
	alone, _ := jsonOf(logs...)
	both, errs := jsonOf(all...)
	for _, k := range []string{"requests", "status", "causes", "upstreams", "window", "advice"} {
		if d := cmp.Diff(alone[k], both[k]); d != "" {
			t.Errorf("%s with the logs' own output (-alone +with):\n%s", k, d)
		}
	}
	if alone["requests"] != float64(340) {
		t.Errorf("requests %v, want the access log's 340", alone["requests"])
	}
	for _, in := range both["inputs"].([]any) {
		in := in.(map[string]any)
		want := map[string]string{events: "not read: fivexx's own --events output, not a log", summary: "not read: fivexx's own --json report, not a log"}[in["path"].(string)]
		if want == "" {
			continue
		}
		got := map[string]any{"role": in["role"], "format": in["format"], "lines": in["lines"], "problem": in["problem"]}
		if d := cmp.Diff(map[string]any{"role": "unknown", "format": "", "lines": float64(0), "problem": want}, got); d != "" {
			t.Errorf("input %s (-want +got):\n%s", in["path"], d)
		}
	}
	if errs != notes[0]+notes[1] {
		t.Errorf("--json stderr:\n%s\nwant:\n%s", errs, notes[0]+notes[1])
	}

	code, out, errs := runCLI(append([]string{"report"}, all...)...)
	if code != 0 || !strings.Contains(out, "fivexx report — 340 requests") ||
		!strings.Contains(out, "  "+events+": not read: fivexx's own --events output, not a log\n") {
		t.Errorf("text report, exit %d:\n%s", code, out)
	}
	if errs != notes[0]+notes[1] {
		t.Errorf("text stderr:\n%s\nwant:\n%s", errs, notes[0]+notes[1])
	}
	// --events: the same 5xx as of the logs alone, and each note once
	// (the notes of the inputs after the events leave it out).
	_, alone5xx, _ := runCLI(append([]string{"report", "--events"}, logs...)...)
	code, out, errs = runCLI(append([]string{"report", "--events"}, all...)...)
	if code != 0 || out != alone5xx {
		t.Errorf("--events with the logs' own output: exit %d, %d bytes, want the logs' %d", code, len(out), len(alone5xx))
	}
	if errs != notes[0]+notes[1] {
		t.Errorf("--events stderr:\n%s\nwant:\n%s", errs, notes[0]+notes[1])
	}
}

// TestLiveDoesNotFollowOwnEvents: live, a file of fivexx's own --events
// output is not followed: the lines --events goes on appending to it are
// not read as requests, its state says why on the inputs pane, and the
// advice does not wait for lines to tell its format.
func TestLiveDoesNotFollowOwnEvents(t *testing.T) {
	golden, err := os.ReadFile(filepath.Join("..", "..", "testdata", "formats", "alb", "events.golden"))
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.SplitAfter(string(golden), "\n")
	path := filepath.Join(t.TempDir(), "events.ndjson")
	if err := os.WriteFile(path, []byte(strings.Join(lines[:4], "")), 0o644); err != nil {
		t.Fatal(err)
	}
	ins, eng := startTestLive(t, []string{path})
	notRead := "not read: fivexx's own --events output, not a log"
	waitUntil(t, 5*time.Second, "the input followed or not read", func() bool {
		return sources.Following(ins[0].State()) || ins[0].State() == notRead
	})
	f, err := os.OpenFile(path, os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	f.WriteString(strings.Join(lines[4:], ""))
	f.Close()
	var s *classify.Snapshot
	waitUntil(t, 5*time.Second, "a snapshot with advice", func() bool {
		s = eng.Latest()
		return s != nil && len(s.Inputs) == 1 && len(s.Advice) > 0
	})
	time.Sleep(500 * time.Millisecond) // what a follower would read of the lines appended
	s = eng.Latest()
	if in := s.Inputs[0]; in.State != notRead || in.Lines != 0 || s.Total.Requests != 0 {
		t.Errorf("input state %q, %d lines, %d requests; want not read, none", in.State, in.Lines, s.Total.Requests)
	}
	for _, a := range s.Advice {
		if strings.Contains(a.Problem, "waiting for lines") {
			t.Errorf("advice %q of an input not read", a.Problem)
		}
	}
	if inputFailed(ins[0].State(), 0) {
		t.Errorf("quitting warns of %s again: %q", path, ins[0].State())
	}
}
