package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
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
	// A stretch within another: not read, as an older copy is not.
	mid := write("mid.log", lines[129:150])
	m = reportJSON(t, mid, full)
	advice, _ = json.Marshal(m["advice"])
	if m["requests"] != 340.0 || !strings.Contains(string(advice), mid+" holds only lines 130-150 of "+full+": only "+full+" was read") {
		t.Errorf("requests %v, advice %s", m["requests"], advice)
	}
	// A stretch shared, then different lines: both read, and a warning.
	differs := write("differs.log", append(append([]string(nil), lines[129:150]...), lines[9:12]...))
	m = reportJSON(t, full, differs)
	advice, _ = json.Marshal(m["advice"])
	if m["requests"] != 364.0 || !strings.Contains(string(advice), full+" and "+differs+" share 21 lines ("+differs+"'s first, from line 130 of "+full+"), then differ: those requests are counted twice") {
		t.Errorf("requests %v, advice %s", m["requests"], advice)
	}
	// Fewer than minSameLines lines alike: two logs of one format can
	// share a line; nothing is left out.
	m = reportJSON(t, write("few.1", lines[:160]), write("few", lines[157:]))
	if m["requests"] != 343.0 {
		t.Errorf("requests %v, want 343: 3 lines alike are not an overlap", m["requests"])
	}
}
