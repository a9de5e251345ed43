package classify

import (
	"context"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"fivexx/sources"
)

// graceInputs makes the inputs of a recording in dir (access, error and
// app log) whose records the caller keeps.
func graceInputs(dir string) []*sources.Input {
	var ins []*sources.Input
	for i, f := range []string{"access.log", "error.log", "app.log"} {
		in := sources.NewInput(i, sources.Spec{Path: filepath.Join(dir, f), Opts: sources.ParserOptions{Location: time.UTC}})
		in.KeepRecords()
		ins = append(ins, in)
	}
	return ins
}

// verdictKey says a verdict as the comparison of the modes reads it.
func verdictKey(v *Verdict) string {
	e := v.Entry
	return fmt.Sprintf("%s %d %s %s: %s %s", e.Time.Format("15:04:05.000"), e.Status, e.Method, e.Path, v.Cause, v.Confidence)
}

// reportVerdicts runs the recording in dir as a report does (merged by
// time, 5 s grace of log time) and returns its verdicts, sorted.
func reportVerdicts(t *testing.T, dir string) []string {
	t.Helper()
	ins := graceInputs(dir)
	var out []string
	eng := NewEngine(Config{Inputs: ins, Grace: 5 * time.Second, OnVerdict: func(v *Verdict) { out = append(out, verdictKey(v)) }})
	for i, err := range sources.MergeEach(context.Background(), ins, eng.Feed) {
		if err != nil {
			t.Fatalf("%s: %v", ins[i].Spec.Path, err)
		}
	}
	eng.Flush()
	slices.Sort(out)
	return out
}

// arrival is a record and the wall time it reaches a live fivexx.
type arrival struct {
	in  *sources.Input
	rec sources.Record
	at  time.Time
}

// liveVerdicts plays the recording in dir to a live engine on a fake wall
// clock as the lines were written: each proxy line at its stamp, each app
// line appDelay after its stamp (a buffered logger), every file in its
// order; the engine advances every 100 ms of wall time, as Run does. It
// returns the verdicts of the 5xx stamped after the first app line came,
// sorted (before that, how late the app's lines come is not known), and
// the snapshot published after the last line came.
func liveVerdicts(t *testing.T, dir string, appDelay time.Duration) ([]string, *Snapshot) {
	t.Helper()
	ins := graceInputs(dir)
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
			if at.IsZero() {
				at = last
			}
			if in.Role() == sources.RoleApp {
				at = at.Add(appDelay)
			}
			if at.Before(last) {
				at = last // a file is read in its order
			}
			last = at
			all = append(all, arrival{in, it.Rec, at})
		}
	}
	slices.SortStableFunc(all, func(a, b arrival) int { return a.at.Compare(b.at) })
	var firstApp time.Time
	for _, a := range all {
		if a.in.Role() == sources.RoleApp {
			firstApp = a.at
			break
		}
	}
	wall := all[0].at.Truncate(time.Second)
	var out []string
	eng := NewEngine(Config{Inputs: ins, Live: true, Timeline: true, Grace: time.Second, ExplainLater: true,
		Now: func() time.Time { return wall }, OnVerdict: func(v *Verdict) {
			if !v.Entry.Time.Before(firstApp) {
				out = append(out, verdictKey(v))
			}
		}})
	end := all[len(all)-1].at.Add(30 * time.Second)
	var atEnd *Snapshot
	for next := 0; wall.Before(end); wall = wall.Add(100 * time.Millisecond) {
		for ; next < len(all) && !all[next].at.After(wall); next++ {
			eng.Add(all[next].in, all[next].rec)
		}
		eng.Advance()
		if next == len(all) && atEnd == nil {
			atEnd = eng.Publish(false)
		}
	}
	if s := eng.Publish(false); s.Pending != 0 {
		t.Fatalf("%d 5xx still pending 30 s after the last line", s.Pending)
	}
	slices.Sort(out)
	return out, atEnd
}

// Live judges a 5xx only once the windows its rules read have closed, and
// waits for the app's lines as late as they are seen to come: live gives
// the report's verdicts on the QA's real recordings.
//   - caddy-maint: Caddy's `static_response 503` on /maint, the app's 2xx
//     1.5 s later. Live said app_unavailable medium (judged after 1 s, the
//     witness window is ±2 s), the report proxy_rejected low.
//   - nginx-late-maint: nginx `return 503` among 2xx, no request ids, the
//     app's lines written 3 s late: three of four app_unavailable medium.
//   - nginx-late-ids: request ids, the app's lines 5 s late: every e500
//     and e503 app_error/app_unavailable medium, "no app line within ±2 s"
//     (the report: high, by request id).
func TestLiveWaitsForTheEvidence(t *testing.T) {
	for _, tc := range []struct {
		rec   string
		delay time.Duration
	}{
		{"caddy-maint", 0},
		{"nginx-late-maint", 0},
		{"nginx-late-maint", 3 * time.Second},
		{"nginx-late-ids", 0},
		{"nginx-late-ids", 1500 * time.Millisecond},
		{"nginx-late-ids", 5 * time.Second},
		{"nginx-late-ids", 8 * time.Second},
		{"nginx-late-maint", 7 * time.Second},
		{"caddy-maint", 6 * time.Second},
	} {
		t.Run(fmt.Sprintf("%s app %v late", tc.rec, tc.delay), func(t *testing.T) {
			dir := filepath.Join("testdata", "grace", tc.rec)
			got, snap := liveVerdicts(t, dir, tc.delay)
			want := reportVerdicts(t, dir)
			if len(want) > len(got) {
				want = want[len(want)-len(got):] // the 5xx before the app's first line
			}
			if strings.Join(got, "\n") != strings.Join(want, "\n") {
				t.Errorf("live verdicts differ from the report's:\nlive:\n  %s\nreport:\n  %s", strings.Join(got, "\n  "), strings.Join(want, "\n  "))
			}
			if lag := snap.AppLag; lag < tc.delay || lag > tc.delay+time.Second {
				t.Errorf("app lag %v, want about %v", lag, tc.delay)
			}
		})
	}
}
