package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"fivexx/classify"
)

// fivexx's own output whose head cannot be peeked before it is read is
// told by the first lines its reader holds (sources.Spec.NotReadIf): its
// --events piped to "-" or printed by a --cmd was read as an nginx JSON
// access log, 502 requests of 340, every 5xx counted twice; so was an
// events file whose first line is longer than the 32 KB head peeked
// (QA s32, left from F1). Its --json report piped was 134 unparsed lines.
// Each is now not read, as such a file is: 0 lines, the problem and a
// note on stderr saying why.
func TestOwnOutputPipedIsNotRead(t *testing.T) {
	dir := t.TempDir()
	var logs []string
	for _, n := range []string{"access.log", "error.log", "app.log"} {
		logs = append(logs, filepath.Join("..", "..", "testdata", "recordings", "nginx-upstream", n))
	}
	report := func(stdin string, args ...string) (map[string]any, string) {
		t.Helper()
		// Report reads os.Stdin: a child process is given stdin.
		code, out, stderr := runChildCLI(stdin, append([]string{"report", "--json"}, args...)...)
		if code != 0 {
			t.Fatalf("report %q: exit %d: %s", args, code, stderr)
		}
		var m map[string]any
		mustDo(t, json.Unmarshal([]byte(out), &m))
		return m, stderr
	}
	var evb, jsb bytes.Buffer
	if code := run(append([]string{"report", "--events"}, logs...), strings.NewReader(""), &evb, &bytes.Buffer{}); code != 0 {
		t.Fatal("report --events failed")
	}
	if code := run(append([]string{"report", "--json"}, logs...), strings.NewReader(""), &jsb, &bytes.Buffer{}); code != 0 {
		t.Fatal("report --json failed")
	}
	events := filepath.Join(dir, "events.ndjson")
	mustDo(t, os.WriteFile(events, evb.Bytes(), 0o644))
	// The first event with a path of 40 KB: longer than the head peeked.
	lines := strings.SplitAfter(evb.String(), "\n")
	path := regexp.MustCompile(`"path":"[^"]*"`)
	if !path.MatchString(lines[0]) {
		t.Fatalf("the first event has no path: %s", lines[0])
	}
	long := path.ReplaceAllLiteralString(lines[0], `"path":"/`+strings.Repeat("x", 40<<10)+`"`)
	longFile := filepath.Join(dir, "long.ndjson")
	mustDo(t, os.WriteFile(longFile, []byte(long+strings.Join(lines[1:], "")), 0o644))

	alone, _ := report("", logs...)
	if alone["requests"] != float64(340) {
		t.Fatalf("the logs alone: %v requests, want 340", alone["requests"])
	}
	const evState, jsState = "not read: fivexx's own --events output, not a log", "not read: fivexx's own --json report, not a log"
	for _, tc := range []struct {
		name, stdin string
		args        []string
		label, want string
	}{
		{"--events piped to -", evb.String(), []string{"-"}, "stdin", evState},
		{"--events of a --cmd", "", []string{"--cmd", "cat " + events}, "cmd: cat " + events, evState},
		{"--events with a first line over the head", "", []string{longFile}, longFile, evState},
		{"--json piped to -", jsb.String(), []string{"-"}, "stdin", jsState},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, stderr := report(tc.stdin, append(append([]string{}, logs...), tc.args...)...)
			for _, k := range []string{"requests", "status", "causes", "advice"} {
				if a, b := mustJSON(t, alone[k]), mustJSON(t, got[k]); a != b {
					t.Errorf("%s: %s, want the logs' alone %s", k, b, a)
				}
			}
			ins := got["inputs"].([]any)
			in := ins[len(ins)-1].(map[string]any)
			if in["problem"] != tc.want || in["lines"] != float64(0) || in["role"] != "unknown" {
				t.Errorf("input %v", in)
			}
			if want := "fivexx: note: " + tc.label + ": " + tc.want + "\n"; stderr != want {
				t.Errorf("stderr %q, want %q", stderr, want)
			}
		})
	}
}

func mustJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	mustDo(t, err)
	return string(b)
}

// Live, a file empty at start that fivexx's own --events then fills (a
// report --events > events.ndjson started beside a live run on dir/*) is
// not read either: its head told nothing at start, its first lines do.
func TestLiveDoesNotReadOwnEventsWrittenAfterStart(t *testing.T) {
	golden, err := os.ReadFile(filepath.Join("..", "..", "testdata", "formats", "alb", "events.golden"))
	mustDo(t, err)
	path := filepath.Join(t.TempDir(), "events.ndjson")
	mustDo(t, os.WriteFile(path, nil, 0o644))
	ins, eng := startTestLive(t, []string{path})
	waitUntil(t, 5*time.Second, "the input followed", func() bool { return ins[0].State() != "starting" })
	f, err := os.OpenFile(path, os.O_APPEND|os.O_WRONLY, 0)
	mustDo(t, err)
	f.Write(golden)
	f.Close()
	const notRead = "not read: fivexx's own --events output, not a log"
	var s *classify.Snapshot
	waitUntil(t, 10*time.Second, "the input not read", func() bool {
		s = eng.Latest()
		return s != nil && len(s.Inputs) == 1 && s.Inputs[0].State == notRead
	})
	if in := s.Inputs[0]; in.Lines != 0 || s.Total.Requests != 0 {
		t.Errorf("%d lines, %d requests; want none", in.Lines, s.Total.Requests)
	}
	for _, a := range s.Advice {
		if strings.Contains(a.Problem, "waiting for lines") || strings.Contains(a.Problem, "empty") {
			t.Errorf("advice %q of an input not read", a.Problem)
		}
	}
	if inputFailed(ins[0].State(), 0) {
		t.Errorf("quitting warns of %s: %q", path, ins[0].State())
	}
}

// A --cmd that prints fivexx's own --events and then fails is not read,
// and failed: the report says both. It said "could not be read to its
// end (command …: exit status 3) after 0 lines" and stderr "read error
// after 0 lines", where a command read that fails says "failed after 501
// lines (exited: status 3)" (review s33, R4). It still exits 1.
func TestOwnOutputOfAFailingCommandSaysBoth(t *testing.T) {
	access := filepath.Join("..", "..", "testdata", "recordings", "nginx-json", "access.log")
	var evb bytes.Buffer
	if code := run([]string{"report", "--events", access}, strings.NewReader(""), &evb, &bytes.Buffer{}); code != 0 {
		t.Fatal("report --events failed")
	}
	events := filepath.Join(t.TempDir(), "ev.ndjson")
	mustDo(t, os.WriteFile(events, evb.Bytes(), 0o644))
	command := "cat " + events + "; exit 3"
	var out, stderr bytes.Buffer
	if code := run([]string{"report", access, "--cmd", command}, strings.NewReader(""), &out, &stderr); code != 1 {
		t.Errorf("exit %d, want 1", code)
	}
	const notRead = "not read: fivexx's own --events output, not a log"
	label := "cmd: " + command
	if want := "  - " + label + " failed (exited: status 3) and was " + notRead + "\n"; !strings.Contains(out.String(), want) {
		t.Errorf("the report has no %q:\n%s", want, out.String())
	}
	if want := "fivexx: error: cannot read to the end: " + label + ": exited: status 3; " + notRead + " (the report covers the lines before)\n"; !strings.HasSuffix(stderr.String(), want) {
		t.Errorf("stderr %q, want it to end in %q", stderr.String(), want)
	}
	for _, s := range []string{out.String(), stderr.String()} {
		if strings.Contains(s, "read error") || strings.Contains(s, "could not be read to its end") || strings.Contains(s, "after 0 lines") {
			t.Errorf("a read error said of a command that exited:\n%s", s)
		}
	}
}
