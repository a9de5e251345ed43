package classify

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"fivexx/sources"
)

// stampLine is an app line without a request id of GET /api at ms
// milliseconds past t0, its Raw the text given ("S" a start, "E" an
// error, "F" an end: "request finished … status=502").
func stampLine(ms int, raw string) *sources.AppEntry {
	a := &sources.AppEntry{Time: t0.Add(time.Duration(ms) * time.Millisecond), Method: "GET", Path: "/api", Duration: -1, Raw: raw}
	switch raw[0] {
	case 'S':
		a.Phase, a.Level, a.Message = sources.PhaseStart, "info", "request started GET /api"
	case 'E':
		a.Phase, a.Level, a.Message = sources.PhaseOther, "error", "payment gateway call failed: upstream returned garbage GET /api"
	case 'F':
		a.Phase, a.Level, a.Message, a.Status = sources.PhaseEnd, "info", "request finished GET /api status=502", 502
	}
	return a
}

// TestBareRequestsOfOneStamp checks the rules of appsamestamp.go: which
// lines without ids, stamped at once, are one request's (claimed whole)
// and which stay lines claimed one by one. The first case is what the
// app wrote at 02:53:01 beside real nginx 1.22 (QA s29, qa29-combined/
// ngB), whose lines went to three 502s: a start alone, two requests
// each started, failed and finished in a millisecond.
func TestBareRequestsOfOneStamp(t *testing.T) {
	tests := []struct {
		name string
		held []*sources.AppEntry // the path's held lines, in time order
		// window is the lines of them in the 5xx's window, by Raw; every
		// held line when nil.
		window    []string
		whole     [][]string // by Raw
		rest      []string
		editLines func(held []*sources.AppEntry)
	}{
		{"ngB 02:53:01: a start alone, two requests of a millisecond each",
			[]*sources.AppEntry{stampLine(1122, "S1"), stampLine(1474, "S2"), stampLine(1474, "E2"), stampLine(1474, "F2"),
				stampLine(1825, "S3"), stampLine(1825, "E3"), stampLine(1825, "F3")},
			nil, [][]string{{"S2", "E2", "F2"}, {"S3", "E3", "F3"}}, []string{"S1"}, nil},
		{"two starts, then an end, in one millisecond: which ended is not known",
			[]*sources.AppEntry{stampLine(474, "S1"), stampLine(474, "S2"), stampLine(474, "F")},
			nil, nil, []string{"S1", "S2", "F"}, nil},
		{"start, end, start, end in one millisecond: two requests one after the other",
			[]*sources.AppEntry{stampLine(474, "S1"), stampLine(474, "F1"), stampLine(474, "S2"), stampLine(474, "E2"), stampLine(474, "F2")},
			nil, [][]string{{"S1", "F1"}, {"S2", "E2", "F2"}}, nil, nil},
		{"a start of the millisecond still open before: the end may be its",
			[]*sources.AppEntry{stampLine(474, "S1"), stampLine(474, "F1"), stampLine(474, "S2"), stampLine(474, "S3"), stampLine(474, "F3")},
			nil, [][]string{{"S1", "F1"}}, []string{"S2", "S3", "F3"}, nil},
		{"the window misses a start the held lines have between: not one request",
			[]*sources.AppEntry{stampLine(474, "S1"), stampLine(474, "S2"), stampLine(474, "F")},
			[]string{"S2", "F"}, nil, []string{"S2", "F"}, nil},
		{"start and end a millisecond apart: lines one by one, as before",
			[]*sources.AppEntry{stampLine(474, "S"), stampLine(475, "F")},
			nil, nil, []string{"S", "F"}, nil},
		{"the end says the request lasted 35 ms: another's end",
			[]*sources.AppEntry{stampLine(474, "S"), stampLine(474, "F")},
			nil, nil, []string{"S", "F"}, func(held []*sources.AppEntry) { held[1].Duration = 0.035 }},
		{"the end is another instance's",
			[]*sources.AppEntry{stampLine(474, "S"), stampLine(474, "F")},
			nil, nil, []string{"S", "F"}, func(held []*sources.AppEntry) { held[0].Instance, held[1].Instance = "10.0.0.1:8080", "10.0.0.2:8080" }},
		{"the end is another method's",
			[]*sources.AppEntry{stampLine(474, "S"), stampLine(474, "F")},
			nil, nil, []string{"S", "F"}, func(held []*sources.AppEntry) { held[1].Method = "POST" }},
		{"an app that writes whole seconds: a second is no millisecond",
			[]*sources.AppEntry{stampLine(1000, "S"), stampLine(1000, "F")},
			nil, nil, []string{"S", "F"}, nil},
		{"an error written before its start in the millisecond (nginx-late-maint 10:44:37.282): the request's",
			[]*sources.AppEntry{stampLine(282, "E"), stampLine(282, "S"), stampLine(282, "F")},
			nil, [][]string{{"E", "S", "F"}}, nil, nil},
		{"an error before another request's end in the millisecond: not the next start's",
			[]*sources.AppEntry{stampLine(282, "E0"), stampLine(282, "F0"), stampLine(282, "S"), stampLine(282, "F")},
			nil, [][]string{{"S", "F"}}, []string{"E0", "F0"}, nil},
		{"an error between two starts of the millisecond: not the second's",
			[]*sources.AppEntry{stampLine(282, "S0"), stampLine(282, "E0"), stampLine(282, "F0"), stampLine(282, "S"), stampLine(282, "F")},
			nil, [][]string{{"S0", "E0", "F0"}, {"S", "F"}}, nil, nil},
		{"the window lacks the end (another's, or a request answered well): its start and error are not the 5xx's",
			[]*sources.AppEntry{stampLine(122, "S1"), stampLine(474, "S2"), stampLine(474, "E2"), stampLine(474, "F2")},
			[]string{"S1", "S2", "E2"}, nil, []string{"S1"}, nil},
	}
	raws := func(lines []*sources.AppEntry) []string {
		var out []string
		for _, a := range lines {
			out = append(out, a.Raw)
		}
		return out
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if tc.editLines != nil {
				tc.editLines(tc.held)
			}
			c := newCorrelator(Config{}.withDefaults())
			for _, a := range tc.held {
				c.byPath[pathOnly(a.Path)] = addByTime(c.byPath[pathOnly(a.Path)], a)
			}
			window := tc.held
			if tc.window != nil {
				window = nil
				for _, a := range tc.held {
					if slices.Contains(tc.window, a.Raw) {
						window = append(window, a)
					}
				}
			}
			whole, rest := c.bareRequests(window)
			var gotWhole [][]string
			for _, u := range whole {
				gotWhole = append(gotWhole, raws(u))
			}
			if diff := cmp.Diff(tc.whole, gotWhole); diff != "" {
				t.Errorf("whole requests (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tc.rest, raws(rest)); diff != "" {
				t.Errorf("lines claimed one by one (-want +got):\n%s", diff)
			}
		})
	}
}

// TestOneMillisecondRequestGoesToOne5xx: the lines of ngB's 02:53:01
// (QA s29, real nginx 1.22 with the combined log and an app logging no
// ids) beside its three 502s: each 502 that takes a line of a request
// the app started and finished in one millisecond takes all its lines.
// Shared out line by line, one 502 read "logged the start at 01.825 but
// no end" while another quoted that request's "finished with 502".
func TestOneMillisecondRequestGoesToOne5xx(t *testing.T) {
	app := []*sources.AppEntry{stampLine(1122, "S1"), stampLine(1474, "S2"), stampLine(1474, "E2"), stampLine(1474, "F2"),
		stampLine(1825, "S3"), stampLine(1825, "E3"), stampLine(1825, "F3")}
	recs := []sources.Record{combined(1, 502, "/api"), combined(1, 502, "/api"), combined(1, 502, "/api")}
	for _, a := range app {
		recs = append(recs, a)
	}
	got := judgeAtOnce(recs...)
	if len(got) != 3 {
		t.Fatalf("%d verdicts, want 3", len(got))
	}
	requests := [][]string{{"S2", "E2", "F2"}, {"S3", "E3", "F3"}}
	taken := 0
	for _, v := range got {
		var lines []string
		for _, a := range v.AppLines {
			lines = append(lines, a.Raw)
		}
		taken += len(lines)
		for _, r := range requests {
			has := 0
			for _, x := range r {
				if slices.Contains(lines, x) {
					has++
				}
			}
			if has > 0 && has < len(r) {
				t.Errorf("a 502 took %q: part of one request's %q", lines, r)
			}
		}
	}
	if taken != len(app) {
		t.Errorf("the 502s took %d app lines, want all %d: one each request", taken, len(app))
	}
}

// TestAppLineBeforeItsStartGoesWithItsRequest: nginx-late-maint's app
// (a real recording) wrote a request's "db query failed" at
// 10:44:37.282 before its "request started" of that millisecond (app.log
// lines 22-24); nginx logged the 500 at 10:44:37 (access.log line 12).
// Left out of the request's lines, the error went to the 500 of
// 10:44:39 and the 500 it came from quoted only "request finished".
func TestAppLineBeforeItsStartGoesWithItsRequest(t *testing.T) {
	dir := filepath.Join("testdata", "grace", "nginx-late-maint")
	raw, err := os.ReadFile(filepath.Join(dir, "app.log"))
	if err != nil {
		t.Fatal(err)
	}
	errLine := strings.Split(string(raw), "\n")[21] // line 22
	if !strings.Contains(errLine, `"db query failed"`) || !strings.Contains(errLine, "10:44:37.282") {
		t.Fatalf("app.log line 22 is not the db error of 10:44:37.282: %s", errLine)
	}
	ins := graceInputs(dir)
	var got []*Verdict
	eng := NewEngine(Config{Inputs: ins, Grace: 5 * time.Second, OnVerdict: func(v *Verdict) { got = append(got, v) }})
	for i, err := range sources.MergeEach(context.Background(), ins, eng.Feed) {
		if err != nil {
			t.Fatalf("%s: %v", ins[i].Spec.Path, err)
		}
	}
	eng.Flush()
	found := false
	for _, v := range got {
		e := v.Entry
		var lines []string
		for _, a := range v.AppLines {
			lines = append(lines, a.Raw)
		}
		has := slices.Contains(lines, errLine)
		if e.Path == "/e500" && e.Time.Format("15:04:05") == "10:44:37" {
			found = true
			if !has {
				t.Errorf("the 500 of 10:44:37 took app lines %q, not the db error its request logged at .282", lines)
			}
			if len(v.AppLines) != 3 {
				t.Errorf("the 500 of 10:44:37 took %d app lines, want its request's 3", len(v.AppLines))
			}
		} else if has {
			t.Errorf("the %d of %s %s took the db error of 10:44:37.282", e.Status, e.Time.Format("15:04:05"), e.Path)
		}
	}
	if !found {
		t.Fatal("no verdict for the 500 of /e500 at 10:44:37")
	}
}
