package main

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// qa2Logs are the real nginx 1.22.1 logs of QA session 22's repro
// (repro/nginx: the advised log_format, its error log and the fault app's
// JSON log): 44 requests, with 500s, 502s, 503s and 504s.
var qa2Logs = []string{"testdata/qa2/access.log", "testdata/qa2/error.log", "testdata/qa2/app.log"}

// reportJSON runs report --json and decodes it.
func reportJSON(t *testing.T, args ...string) map[string]any {
	t.Helper()
	code, out, stderr := runCLI(append([]string{"report", "--json"}, args...)...)
	var m map[string]any
	if err := json.Unmarshal([]byte(out), &m); err != nil || code != 0 {
		t.Fatalf("report --json %q: exit %d, %v, %s%s", args, code, err, out, stderr)
	}
	return m
}

// An input that was given and is empty is not "missing": the advice to
// add the error log named a file that was given, only empty (QA F7).
func TestEmptyInputIsNotMissing(t *testing.T) {
	inZone(t, "UTC")
	dir := t.TempDir()
	errLog, appLog := filepath.Join(dir, "error.log"), filepath.Join(dir, "app.log")
	for _, p := range []string{errLog, appLog} {
		if err := os.WriteFile(p, nil, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	code, out, stderr := runCLI("report", qa2Logs[0], errLog, appLog)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	for _, want := range []string{errLog + " is empty (0 lines)", "is error_log pointing elsewhere?", appLog + " is empty (0 lines)", errLog + ": empty (0 lines)"} {
		if !strings.Contains(out, want) {
			t.Errorf("the text report does not say %q:\n%s", want, out)
		}
	}
	for _, bad := range []string{"no proxy error log", "no app log", "add the error log to the inputs"} {
		if strings.Contains(out, bad) {
			t.Errorf("the text report says %q of an input that was given:\n%s", bad, out)
		}
	}
	m := reportJSON(t, qa2Logs[0], errLog, appLog)
	for _, in := range m["inputs"].([]any)[1:] {
		if p := in.(map[string]any)["problem"]; p != "empty (0 lines)" {
			t.Errorf("inputs[].problem of an empty input: %v", p)
		}
	}
	advice, _ := json.Marshal(m["advice"])
	if !strings.Contains(string(advice), errLog+" is empty (0 lines)") || strings.Contains(string(advice), "no app log") {
		t.Errorf("advice: %s", advice)
	}
	// Without the empty inputs, the advice still asks for the logs.
	if code, out, _ = runCLI("report", qa2Logs[0]); code != 0 || !strings.Contains(out, "no proxy error log") || !strings.Contains(out, "no app log") {
		t.Errorf("without an error log and an app log, exit %d:\n%s", code, out)
	}
}

// upstreamRow is the text report's Upstreams row of name, as column ->
// cell, from the header's column names (status codes are one word each).
func upstreamRow(t *testing.T, out, name string) map[string]string {
	t.Helper()
	_, table, ok := strings.Cut(out, "\nUpstreams\n")
	if !ok {
		t.Fatalf("no Upstreams table:\n%s", out)
	}
	lines := strings.Split(table, "\n")
	head := strings.Fields(lines[0])
	for _, l := range lines[1:] {
		f := strings.Fields(l)
		if len(f) == 0 || f[0] != name {
			continue
		}
		row := map[string]string{}
		for i, h := range head {
			if h == "upstream" || h == "requests" || (len(h) == 3 && h[0] == '5' && h != "5xx") {
				row[h] = f[i]
			}
		}
		return row
	}
	t.Fatalf("no row %s in:\n%s", name, table)
	return nil
}

// The text report's Upstreams table shows every 5xx status an upstream
// has: with fixed 502/503/504 columns, the two 500s the app sent were in
// its 5xx % (48.3: 14 of 29) and in no column (QA F8).
func TestUpstreamTableShowsEvery5xx(t *testing.T) {
	inZone(t, "UTC")
	code, out, stderr := runCLI(append([]string{"report"}, qa2Logs...)...)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	row := upstreamRow(t, out, "127.0.0.1:18501")
	want := map[string]string{"upstream": "127.0.0.1:18501", "requests": "29", "500": "2", "502": "8", "503": "2", "504": "2"}
	for k, v := range want {
		if row[k] != v {
			t.Errorf("column %s: %q, want %q (row %v)", k, row[k], v, row)
		}
	}
}

// The JSON agrees with itself (QA F10): an event's upstream is one of
// upstreams[].name ("-" for a request that reached none; events said ""),
// nginx's status 009 is the key "009" (it was "9"), and percentiles stay
// within the request times (p99 1025.6 ms from rt=1.002; 0 ms read 0.1).
func TestReportJSONAgreesWithItself(t *testing.T) {
	inZone(t, "UTC")
	m := reportJSON(t, qa2Logs...)
	names := map[string]bool{}
	for _, u := range m["upstreams"].([]any) {
		u := u.(map[string]any)
		names[u["name"].(string)] = true
		lat := u["latency_ms"].(map[string]any)
		switch u["name"] {
		case "127.0.0.1:18501":
			if lat["p99"] != 1002.0 {
				t.Errorf("127.0.0.1:18501 p99 %v, want 1002 (its longest rt=1.002)", lat["p99"])
			}
		case "-", "dead":
			if lat["p50"] != 0.0 || lat["p99"] != 0.0 {
				t.Errorf("%s: every rt=0.000, yet latency_ms %v", u["name"], lat)
			}
		}
		if u["name"] == "127.0.0.1:18501" && u["status"].(map[string]any)["009"] != 1.0 {
			t.Errorf("127.0.0.1:18501 status %v, want \"009\": 1", u["status"])
		}
	}
	if st := m["status"].(map[string]any); st["009"] != 1.0 || st["9"] != nil {
		t.Errorf("status %v, want \"009\": 1", st)
	}
	code, out, stderr := runCLI(append([]string{"report", "--events"}, qa2Logs...)...)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	none := 0
	for _, l := range strings.Split(strings.TrimSpace(out), "\n") {
		var ev struct{ Upstream string }
		if err := json.Unmarshal([]byte(l), &ev); err != nil {
			t.Fatal(err)
		}
		if !names[ev.Upstream] {
			t.Errorf("event upstream %q is no upstreams[].name (%v): %s", ev.Upstream, names, l)
		}
		if ev.Upstream == "-" {
			none++
		}
	}
	if none != 8 {
		t.Errorf("%d events with upstream \"-\", want 8 (the 503s of return 503 and limit_req)", none)
	}
}

// One log under two names (a copy, its .gz beside it, as access.log*
// takes them) is read once, and the advice says so; every request and
// cause was counted twice, silently (QA F4). A copy of its first lines
// only is an older copy: the whole log is read. Two logs that share their
// first lines and then differ are both read, with a warning; two logs
// that share fewer than minSameLines first lines are two logs.
func TestSameLogGivenTwice(t *testing.T) {
	inZone(t, "UTC")
	raw, err := os.ReadFile(qa2Logs[0])
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.SplitAfter(string(raw), "\n")
	dir := t.TempDir()
	write := func(name, text string) string {
		t.Helper()
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write(raw)
	zw.Close()
	log, copied, gzipped := write("access.log", string(raw)), write("access.log.1", string(raw)), write("access.log.gz", gz.String())
	older := write("access.log-20261123", strings.Join(lines[:20], ""))
	differs := write("differs.log", strings.Join(lines[:20], "")+lines[30])
	few := write("few.log", strings.Join(lines[:3], "")+lines[30])
	once := reportJSON(t, qa2Logs...)
	for _, c := range []struct {
		name   string
		inputs []string
		read   []string // the access logs read
		advice string
	}{
		{"gzip -k beside it", []string{gzipped, log}, []string{log}, gzipped + " is the same log as " + log + " (44 lines): read once"},
		{"a copy", []string{log, copied}, []string{log}, copied + " is the same log as " + log + " (44 lines): read once"},
		{"access.log*", []string{log, copied, gzipped}, []string{log}, gzipped + " is the same log as " + log},
		{"an older copy", []string{older, log}, []string{log}, older + " holds only the first 20 lines of " + log + " (an older copy): only " + log + " was read"},
	} {
		t.Run(c.name, func(t *testing.T) {
			m := reportJSON(t, append(c.inputs, qa2Logs[1:]...)...)
			if m["requests"] != once["requests"] || fmt.Sprint(m["causes"]) != fmt.Sprint(once["causes"]) {
				t.Errorf("requests %v causes %v, want %v %v as from the log once", m["requests"], m["causes"], once["requests"], once["causes"])
			}
			var read []string
			for _, in := range m["inputs"].([]any) {
				if in := in.(map[string]any); in["role"] == "proxy" {
					read = append(read, in["path"].(string))
				}
			}
			if fmt.Sprint(read) != fmt.Sprint(c.read) {
				t.Errorf("access logs read %v, want %v", read, c.read)
			}
			advice, _ := json.Marshal(m["advice"])
			if !strings.Contains(string(advice), c.advice) {
				t.Errorf("advice %s\nwant %q", advice, c.advice)
			}
		})
	}
	// Sharing a head and then differing: both read, and a warning.
	m := reportJSON(t, differs, log)
	advice, _ := json.Marshal(m["advice"])
	if m["requests"] != 65.0 || !strings.Contains(string(advice), differs+" and "+log+" begin with the same 20 identical lines: both were read whole; if they are copies of one log, those requests are counted twice") {
		t.Errorf("requests %v, advice %s", m["requests"], advice)
	}
	// Three first lines in common: two logs, nothing said.
	m = reportJSON(t, few, log)
	if advice, _ := json.Marshal(m["advice"]); m["requests"] != 48.0 || strings.Contains(string(advice), few) {
		t.Errorf("requests %v, advice %s", m["requests"], advice)
	}
	// --events: the note is on stderr, stdout holds the 5xx once.
	code, out, stderr := runCLI("report", "--events", log, gzipped)
	if want := "fivexx: note: " + gzipped + " is the same log as " + log + " (44 lines): read once\n"; code != 0 || stderr != want {
		t.Errorf("exit %d, stderr %q, want %q", code, stderr, want)
	}
	_, single, _ := runCLI("report", "--events", log)
	if out != single {
		t.Errorf("--events of the log and its .gz differs from the log's once")
	}
}
