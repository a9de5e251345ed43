package classify

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"fivexx/sources"
)

// startAppDir is the recording of real nginx 1.22.1 (combined log: no
// ids, no request time) in front of an app whose access log stamps each
// request's start (Apache %t) and writes it when the request ends.
var startAppDir = filepath.Join("..", "testdata", "recordings", "nginx-startapp")

// startAppTruth is the recording's truth: the expected cause and fault of
// each request, by its ?n=.
func startAppTruth(t *testing.T) map[string][2]string {
	t.Helper()
	f, err := os.Open(filepath.Join(startAppDir, "truth.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	out := map[string][2]string{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		var l struct {
			N             int    `json:"n"`
			Fault         string `json:"fault"`
			ExpectedCause string `json:"expected_cause"`
		}
		if err := json.Unmarshal(sc.Bytes(), &l); err != nil {
			t.Fatal(err)
		}
		out[fmt.Sprint(l.N)] = [2]string{l.ExpectedCause, l.Fault}
	}
	return out
}

// startAppInputs are the recording's inputs, roles and formats given as
// --proxy, --proxy-errors and --app give them; the app's request ids read
// with --app-request-id when ids.
func startAppInputs(errorLog, ids bool) []*sources.Input {
	opts := sources.ParserOptions{Location: time.UTC}
	files := []struct {
		name, format string
		role         sources.Role
	}{{"access.log", "nginx-combined", sources.RoleProxy}, {"app.log", "app-access", sources.RoleApp}}
	if errorLog {
		files = append(files, struct {
			name, format string
			role         sources.Role
		}{"error.log", "nginx-error", sources.RoleProxyErrors})
	}
	var ins []*sources.Input
	for i, f := range files {
		o := opts
		if ids && f.role == sources.RoleApp {
			o.RequestIDRegex = regexp.MustCompile(`"([0-9a-f]{32})"$`)
		}
		in := sources.NewInput(i, sources.Spec{Path: filepath.Join(startAppDir, f.name), Role: f.role, Format: f.format, Opts: o})
		in.KeepRecords()
		ins = append(ins, in)
	}
	return ins
}

// startAppLive plays the inputs to a live engine as the lines were
// written: each file in its order, a line at its stamp or, when it came
// behind a newer one, at that one's (the app wrote a slow request's line
// when it ended); the engine advances every 100 ms of wall time, as Run
// does, and holds no line for timelines (a live session over files makes
// them later: the correlator lets app lines go, windowdrop.go).
func startAppLive(t *testing.T, ins []*sources.Input, onVerdict func(*Verdict)) {
	t.Helper()
	var all []arrival
	for _, in := range ins {
		out := make(chan sources.Item, 1<<12)
		if err := sources.ReadToEnd(context.Background(), in, out); err != nil {
			t.Fatal(err)
		}
		close(out)
		var last time.Time
		for it := range out {
			at := it.Rec.RecordTime()
			if at.Before(last) {
				at = last // a file is read in its order
			}
			last = at
			all = append(all, arrival{in, it.Rec, at})
		}
	}
	slices.SortStableFunc(all, func(a, b arrival) int { return a.at.Compare(b.at) })
	wall := all[0].at.Truncate(time.Second)
	eng := NewEngine(Config{Inputs: ins, Live: true, Grace: time.Second, Now: func() time.Time { return wall }, OnVerdict: onVerdict})
	end := all[len(all)-1].at.Add(30 * time.Second)
	for next := 0; wall.Before(end); wall = wall.Add(100 * time.Millisecond) {
		for ; next < len(all) && !all[next].at.After(wall); next++ {
			eng.Add(all[next].in, all[next].rec)
		}
		eng.Advance()
	}
	if s := eng.Publish(false); s.Pending != 0 {
		t.Fatalf("%d 5xx still pending 30 s after the last line", s.Pending)
	}
}

// An app that stamps a request's start writes a slow request's line when
// it ends, 20-29 s behind its stamp (applate.go). Behind nginx's combined
// log (±2 s windows around the access line) the app's own 500, 502 and
// 504 after 20-29 s found no app line: 8 of the 13 slow 5xx of the real
// recording were "unknown: the proxy most likely answered itself" (with
// the error log; without it the app's 504s were upstream_timeout). Each
// is now judged by the app line its file places at its end, in a report
// and live, with the app's request ids (the early release of windowdrop.go
// at work: live it let the line go by its stamp before the 5xx was judged)
// and without.
func TestStartStampedAppLines(t *testing.T) {
	truth := startAppTruth(t)
	for _, tc := range []struct {
		name                string
		errorLog, ids, live bool
	}{
		{"report", true, false, false},
		{"report no error log", false, false, false},
		{"report ids", true, true, false},
		{"report ids no error log", false, true, false},
		{"live", true, false, true},
		{"live ids", true, true, true},
		{"live ids no error log", false, true, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := map[string]*Verdict{}
			onVerdict := func(v *Verdict) {
				u, err := url.Parse(v.Entry.Path)
				if err != nil {
					t.Fatal(err)
				}
				got[u.Query().Get("n")] = v
			}
			ins := startAppInputs(tc.errorLog, tc.ids)
			if tc.live {
				startAppLive(t, ins, onVerdict)
			} else {
				eng := NewEngine(Config{Inputs: ins, Grace: 5 * time.Second, OnVerdict: onVerdict})
				for i, err := range sources.MergeEach(context.Background(), ins, eng.Feed) {
					if err != nil {
						t.Fatalf("%s: %v", ins[i].Spec.Path, err)
					}
				}
				eng.Flush()
			}
			var wrong []string
			slow := 0
			for n, want := range truth {
				cause, fault := want[0], want[1]
				v := got[n]
				if cause == "" {
					if v != nil {
						wrong = append(wrong, fmt.Sprintf("n=%s: a verdict for a request that got no 5xx", n))
					}
					continue
				}
				if v == nil {
					wrong = append(wrong, fmt.Sprintf("n=%s %s: no verdict", n, fault))
					continue
				}
				if fault == "drop" && !tc.errorLog {
					continue // the app wrote nothing: only the error log tells
				}
				if string(v.Cause) != cause {
					wrong = append(wrong, fmt.Sprintf("n=%s %s %d: %s %s, want %s (%s)", n, fault, v.Entry.Status, v.Cause, v.Confidence, cause, strings.Join(v.Evidence, " / ")))
					continue
				}
				if fault == "slow" && !strings.Contains(v.Entry.Path, "s=0.3") && cause == "app_error" {
					slow++
					if !slices.ContainsFunc(v.AppLines, func(a *sources.AppEntry) bool { return a.Status == v.Entry.Status }) {
						wrong = append(wrong, fmt.Sprintf("n=%s: app_error without the app's own %d line (%d lines)", n, v.Entry.Status, len(v.AppLines)))
					}
				}
			}
			slices.Sort(wrong)
			if len(wrong) > 0 {
				t.Errorf("%d of %d 5xx wrong:\n  %s", len(wrong), 32, strings.Join(wrong, "\n  "))
			}
			if slow != 8 {
				t.Errorf("%d slow app 5xx judged by their own line, want 8", slow)
			}
		})
	}
}

// The early release (windowdrop.go) lets a late app line go by the time
// it was written, as the window takes it (applate.go), not by its stamp.
// Here the app writes its quick requests' lines without an id and the
// slow one's with one (the client sent X-Request-ID), so that line is
// the only one the release waits on: by its stamp, 25 s before it came,
// it was let go at the first Advance after it, and its 500 was judged
// without it (unknown, "the proxy most likely answered 500 itself").
func TestLateAppLineGoesByWhenItWasWritten(t *testing.T) {
	proxy, app := input(0, sources.RoleProxy), input(1, sources.RoleApp)
	var got *Verdict
	eng := NewEngine(Config{Inputs: []*sources.Input{proxy, app}, OnVerdict: func(v *Verdict) {
		if v.Entry.Path == "/slow" {
			got = v
		}
	}})
	add := func(in *sources.Input, r sources.Record) {
		eng.Add(in, r)
		eng.Advance()
	}
	for i := 0; i < 60*5; i++ {
		at := t0.Add(time.Duration(i) * 200 * time.Millisecond)
		add(app, &sources.AppEntry{Time: at, Phase: sources.PhaseEnd, Method: "GET", Path: "/ok", Status: 200, Duration: -1, Raw: "ok"})
		if at.Equal(t0.Add(40 * time.Second)) {
			// The slow request's line, stamped with its start 25 s
			// before, written as it ended; then nginx's line.
			add(app, &sources.AppEntry{Time: t0.Add(15 * time.Second), Phase: sources.PhaseEnd, RequestID: "slow-1",
				Method: "GET", Path: "/slow", Status: 500, Duration: -1, Raw: "slow"})
			add(proxy, &sources.ProxyEntry{Time: at, Client: "10.1.2.3", Method: "GET", Path: "/slow", Proto: "HTTP/1.1",
				Status: 500, RequestTime: -1, Raw: "access /slow"})
		}
		add(proxy, &sources.ProxyEntry{Time: at.Truncate(time.Second), Client: "10.1.2.3", Method: "GET", Path: "/ok",
			Proto: "HTTP/1.1", Status: 200, RequestTime: -1, Raw: "access /ok"})
	}
	eng.Flush()
	if got == nil {
		t.Fatal("no verdict for the 500")
	}
	if got.Cause != AppError || len(got.AppLines) != 1 || got.AppLines[0].RequestID != "slow-1" {
		t.Errorf("500: %s %s, %d app lines; want app_error by the slow request's line (%s)", got.Cause, got.Confidence, len(got.AppLines), strings.Join(got.Evidence, " / "))
	}
	// The evidence says where the line was placed: it named the line's
	// 500 alone, as if it had come at its stamp.
	const placed = "app: its line is stamped 07:10:15 but came after one stamped 07:10:40: placed where it was written"
	if !slices.ContainsFunc(got.Evidence, func(l string) bool { return strings.HasPrefix(l, placed) }) {
		t.Errorf("500: evidence %q, want a line %q...", got.Evidence, placed)
	}
}
