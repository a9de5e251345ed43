package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// TestOverlappingCapturesAreReadOnce checks two captures of one log that
// overlap (the end of one is the start of the other: access.log.1 and
// access.log after a copytruncate whose copy went on being written): the
// lines both hold are read once, and the input and the advice say so.
// Every line of the overlap was a request and a 5xx twice, without a
// word (real nginx 1.22.1, testdata/recordings/nginx-combined: 340
// requests read as 381).
func TestOverlappingCapturesAreReadOnce(t *testing.T) {
	inZone(t, "UTC")
	rec := "../../testdata/recordings/nginx-combined/"
	raw, err := os.ReadFile(rec + "access.log")
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.SplitAfter(string(raw), "\n")
	lines = lines[:len(lines)-1] // the last "" after the last newline
	dir := t.TempDir()
	write := func(name string, ls []string) string {
		t.Helper()
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(strings.Join(ls, "")), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	older, newer := write("access.log.1", lines[:160]), write("access.log", lines[119:])
	others := []string{rec + "error.log", rec + "app.log"}
	once := reportJSON(t, append([]string{rec + "access.log"}, others...)...)
	onceEvents, _ := reportEvents(t, append([]string{rec + "access.log"}, others...)...)

	m := reportJSON(t, append([]string{older, newer}, others...)...)
	if m["requests"] != once["requests"] || fmt.Sprint(m["status"]) != fmt.Sprint(once["status"]) || fmt.Sprint(m["causes"]) != fmt.Sprint(once["causes"]) {
		t.Errorf("requests %v status %v causes %v, want %v %v %v as from the log once", m["requests"], m["status"], m["causes"], once["requests"], once["status"], once["causes"])
	}
	in := m["inputs"].([]any)[0].(map[string]any)
	if in["lines"] != 119.0 || in["lines_repeated"] != 41.0 || in["repeated_in"] != newer {
		t.Errorf("first input %v, want 119 lines read and 41 repeated in %s", in, newer)
	}
	advice, _ := json.Marshal(m["advice"])
	if want := "the last 41 lines of " + older + " are the first of " + newer + " (overlapping copies of one log): read once, in " + newer; !strings.Contains(string(advice), want) {
		t.Errorf("advice %s\nwant %q", advice, want)
	}
	evs, _ := reportEvents(t, append([]string{older, newer}, others...)...)
	if len(evs) != len(onceEvents) {
		t.Errorf("%d events, want %d as from the log once", len(evs), len(onceEvents))
	}
	for i := range min(len(evs), len(onceEvents)) {
		a, b := evs[i], onceEvents[i]
		if fmt.Sprint(a) != fmt.Sprint(b) {
			t.Errorf("event %d: %v\nwant %v", i, a, b)
			break
		}
	}
	code, text, _ := runCLI(append([]string{"report", older, newer}, others...)...)
	if code != 0 || !strings.Contains(text, "119 lines  0 unparsed  + 41 lines read in "+newer) {
		t.Errorf("exit %d, text report's inputs do not say where the 41 lines were read:\n%s", code, text)
	}

	// The rest without the error and app logs, of a client that is not
	// loopback, as real ones are: beside a log of the same requests,
	// a copy of the lab's loopback lines is taken for the app's own
	// access log (appaccess.go).
	for i, l := range lines {
		lines[i] = strings.Replace(l, "127.0.0.1 - - [", "203.0.113.7 - - [", 1)
	}
	full := write("full.log", lines)
	// A stretch within another of the same name but for a rotation
	// suffix: not read, as an older copy is not.
	mid := write("full.log.1", lines[129:150])
	m = reportJSON(t, mid, full)
	advice, _ = json.Marshal(m["advice"])
	if m["requests"] != 340.0 || !strings.Contains(string(advice), mid+" holds only lines 130-150 of "+full+": only "+full+" was read") {
		t.Errorf("requests %v, advice %s", m["requests"], advice)
	}
	// A stretch shared, then different lines: both read, and a warning
	// that says what is known (they share lines), not that they are one
	// log.
	differs := write("differs.log", append(append([]string(nil), lines[129:150]...), lines[9:12]...))
	m = reportJSON(t, full, differs)
	advice, _ = json.Marshal(m["advice"])
	if m["requests"] != 364.0 || !strings.Contains(string(advice), full+" and "+differs+" share 21 identical lines ("+differs+"'s first, from line 130 of "+full+"): both were read whole; if they are copies of one log, those requests are counted twice") {
		t.Errorf("requests %v, advice %s", m["requests"], advice)
	}
	// Fewer than minSameLines lines alike: two logs of one format can
	// share a line; nothing is left out.
	m = reportJSON(t, write("few.1", lines[:160]), write("few", lines[157:]))
	if m["requests"] != 343.0 {
		t.Errorf("requests %v, want 343: 3 lines alike are not an overlap", m["requests"])
	}
}

// TestOverlapsReadEachTailOnce checks that looking for overlaps costs one
// read of each input's tail, not one per pair of inputs: for 60 nginx
// logs of one directory (one per vhost, /var/log/nginx/*.log) a report
// read 60 x 59 tails of 1 MiB, and took 3.5-4.5 s instead of 1.2-1.5.
func TestOverlapsReadEachTailOnce(t *testing.T) {
	inZone(t, "UTC")
	dir := t.TempDir()
	var logs []string
	for v := range 12 {
		var b strings.Builder
		for s := range 20 {
			fmt.Fprintf(&b, "10.0.%d.%d - - [24/Nov/2026:01:00:%02d +0000] \"GET /v%d/p%d HTTP/1.1\" 200 %d \"-\" \"curl/8.0\"\n", v, s, s, v, s, 100+s)
		}
		p := filepath.Join(dir, fmt.Sprintf("vhost%02d.access.log", v))
		if err := os.WriteFile(p, []byte(b.String()), 0o644); err != nil {
			t.Fatal(err)
		}
		logs = append(logs, p)
	}
	before := tailsRead.Load()
	m := reportJSON(t, logs...)
	if n := tailsRead.Load() - before; n > int64(len(logs)) {
		t.Errorf("%d tails read for %d inputs, want one each at most", n, len(logs))
	}
	if m["requests"] != 240.0 {
		t.Errorf("requests %v, want 240", m["requests"])
	}
	// One input has no other's first line to look for: its tail is not
	// read (1 MiB read and 1 MB allocated for each report of one log).
	before = tailsRead.Load()
	if m := reportJSON(t, logs[0]); m["requests"] != 20.0 {
		t.Errorf("one input: requests %v, want 20", m["requests"])
	}
	if n := tailsRead.Load() - before; n != 0 {
		t.Errorf("one input: %d tails read, want none", n)
	}
}

// TestTwoProxiesSharingLinesAreBothRead checks that lines two logs share
// are cut only when the two are one log: two load balancers' logs share
// byte-identical lines (one client, one second, one request: a load test
// or a probe hitting both), each a real request. They were taken for
// overlapping copies and lb1's four 502s not read (18 requests, 8 502s,
// read as 14 and 4), and a short lb2 of the shared lines alone was not
// read at all (after them, or before them: an "older copy").
func TestTwoProxiesSharingLinesAreBothRead(t *testing.T) {
	inZone(t, "UTC")
	dir := t.TempDir()
	line := func(client string, sec int, req string, status int) string {
		return fmt.Sprintf("%s - - [24/Nov/2026:01:00:%02d +0000] \"%s HTTP/1.1\" %d 12 \"-\" \"k6/0.49\"\n", client, sec, req, status)
	}
	var own1, own2, shared []string
	for n := range 5 {
		own1 = append(own1, line(fmt.Sprintf("10.0.0.%d", n+1), n+1, "GET /a", 200))
		own2 = append(own2, line(fmt.Sprintf("10.0.1.%d", n+1), n+21, "GET /b", 200))
	}
	for n := range 4 {
		shared = append(shared, line("10.7.7.7", 10+n/2, "POST /api/order", 502))
	}
	write := func(name string, ls ...[]string) string {
		t.Helper()
		p := filepath.Join(dir, name)
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, []byte(strings.Join(slices.Concat(ls...), "")), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	lb1 := write("lb1/access.log", own1, shared)
	lb2 := write("lb2/access.log", shared, own2)
	m := reportJSON(t, lb1, lb2)
	advice, _ := json.Marshal(m["advice"])
	if m["requests"] != 18.0 || fmt.Sprint(m["status"]) != "map[200:10 502:8]" || strings.Contains(string(advice), "one log") {
		t.Errorf("requests %v status %v, want 18 map[200:10 502:8]; advice %s", m["requests"], m["status"], advice)
	}
	for _, in := range m["inputs"].([]any) {
		if in := in.(map[string]any); in["lines"] != 9.0 || in["lines_repeated"] != nil {
			t.Errorf("input %v, want its 9 lines read", in)
		}
	}
	// lb2's shared lines alone, within lb1: read too.
	hc := write("lb2/access.log.hc", shared)
	if m := reportJSON(t, lb1, hc); m["requests"] != 13.0 {
		t.Errorf("requests %v, want 13: lb2's 4 lines within lb1's are its own requests", m["requests"])
	}
	// The same at the start: lb1 begins with the 4 lines, and lb2 is
	// them alone, or them and then its own (sameLogs' heads).
	first := write("lb1/first.log", shared, own1)
	if m := reportJSON(t, first, hc); m["requests"] != 13.0 || fmt.Sprint(m["status"]) != "map[200:5 502:8]" {
		t.Errorf("requests %v status %v, want 13 map[200:5 502:8]: lb2's 4 lines at lb1's start are its own requests", m["requests"], m["status"])
	}
	if m := reportJSON(t, first, lb2); m["requests"] != 18.0 {
		t.Errorf("requests %v, want 18", m["requests"])
	} else if advice, _ := json.Marshal(m["advice"]); strings.Contains(string(advice), lb2) {
		t.Errorf("4 lines shared at the start of two proxies' logs: advice %s", advice)
	}
	// One log's names (access.log.1, access.log), but a stretch of 4
	// lines: too short to be told from two bursts at a rotation; read
	// twice, and the advice says what is known.
	older, newer := write("lb1/x.log.1", own1, shared), write("lb1/x.log", shared, own2)
	m = reportJSON(t, older, newer)
	advice, _ = json.Marshal(m["advice"])
	if want := older + " and " + newer + " share 4 identical lines (" + newer + "'s first, from line 6 of " + older + "): both were read whole; if they are copies of one log, those requests are counted twice"; m["requests"] != 18.0 || !strings.Contains(string(advice), want) {
		t.Errorf("requests %v, want 18; advice %s\nwant %q", m["requests"], advice, want)
	}
}

func TestLogStem(t *testing.T) {
	for _, c := range []struct {
		a, b string
		one  bool
	}{
		{"/var/log/nginx/access.log", "/var/log/nginx/access.log.1", true},
		{"/var/log/nginx/access.log.2.gz", "/var/log/nginx/access.log", true},
		{"access.log-20261124", "access.log", true},
		{"access.log-20261124.gz", "access.log", true},
		{"access-20261124.log", "access.log", true},
		{"access.log.old", "./access.log", true},
		{"a/x.json.log.1", "a/x.json.log", true},
		{"lb1/access.log", "lb2/access.log", false},
		{"vhost01.access.log", "vhost02.access.log", false},
		{"access.log", "error.log", false},
		{"api-7d9f.log", "api-8c1e.log", false},
		{"web-1.log", "web-2.log", false},
		{"access.log-20261124-1764000000", "access.log", true},
	} {
		if got := oneLogNames(c.a, c.b); got != c.one {
			t.Errorf("oneLogNames(%q, %q) = %v, want %v (stems %q, %q)", c.a, c.b, got, c.one, logStem(c.a), logStem(c.b))
		}
	}
}
