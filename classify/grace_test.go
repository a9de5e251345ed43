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
// returns the verdicts, sorted, and the snapshot published after the last
// line came.
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
	wall := all[0].at.Truncate(time.Second)
	var out []string
	eng := NewEngine(Config{Inputs: ins, Live: true, Timeline: true, Grace: time.Second, ExplainLater: true,
		Now: func() time.Time { return wall }, OnVerdict: func(v *Verdict) { out = append(out, verdictKey(v)) }})
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
			if strings.Join(got, "\n") != strings.Join(want, "\n") {
				t.Errorf("live verdicts differ from the report's:\nlive:\n  %s\nreport:\n  %s", strings.Join(got, "\n  "), strings.Join(want, "\n  "))
			}
			if lag := snap.AppLag; lag < tc.delay || lag > tc.delay+time.Second {
				t.Errorf("app lag %v, want about %v", lag, tc.delay)
			}
		})
	}
}

// Live, before the app's first line how late its lines come is not known:
// a 5xx waits MaxAppLag beyond its windows for them (judged after its
// windows only, the first 5xx of an app writing 5 s late had no app line),
// and the snapshot says why it waits. An app log that stays silent costs
// each 5xx those 10 s, no more; once an app line has come on time, a 5xx
// waits its windows only.
func TestLiveWaitsForTheAppsFirstLine(t *testing.T) {
	proxy, app := input(0, sources.RoleProxy), input(1, sources.RoleApp)
	wall := t0
	judged := map[float64]time.Duration{} // a 5xx's second: wall time from its stamp to its verdict
	eng := NewEngine(Config{Inputs: []*sources.Input{proxy, app}, Live: true, Grace: time.Second,
		Now: func() time.Time { return wall }, OnVerdict: func(v *Verdict) {
			judged[v.Entry.Time.Sub(t0).Seconds()] = wall.Sub(v.Entry.Time)
		}})
	awaited := false
	for step := 0; step <= 400; step++ { // 40 s, an Advance every 100 ms
		wall = t0.Add(time.Duration(step) * 100 * time.Millisecond)
		if step%10 == 0 {
			sec := float64(step / 10)
			status := 200
			if sec == 2 || sec == 32 {
				status = 500
			}
			eng.Add(proxy, upstreamEntry(sec, status, "a:1", fmt.Sprint(status), "0.001", ""))
			if sec == 25 { // the app's first line, on time
				eng.Add(app, &sources.AppEntry{Time: wall, Level: "info", Message: "ok", Duration: -1, Raw: "ok"})
			}
		}
		eng.Advance()
		if s := eng.Publish(false); s.Pending > 0 && step < 250 {
			awaited = awaited || s.AppAwaited
		} else if s.AppAwaited && step >= 250 {
			t.Fatalf("at %v: the snapshot says the app's first line is awaited after it came", wall.Sub(t0))
		}
	}
	if !awaited {
		t.Error("while the first 5xx waited, the snapshot never said the app's first line was awaited")
	}
	first, ok := judged[2]
	if !ok || first < 12*time.Second || first > 16*time.Second {
		t.Errorf("the 500 before any app line was judged %v after its stamp (judged: %v); want its windows + 10 s, 12-16 s", first, ok)
	}
	later, ok := judged[32]
	if !ok || later > 6*time.Second {
		t.Errorf("the 500 after an app line on time was judged %v after its stamp (judged: %v); want its windows only, under 6 s", later, ok)
	}
}

// Live, an app line that comes before the proxy's first line is measured
// when that line comes, from the wall time between them: written on time,
// the 5xx after it wait their windows only (it was not measured, and they
// waited MaxAppLag more: the live tmux test's causes, 6 s at most, did not
// come); written 5 s late, they wait 5 s more.
func TestAnAppLineBeforeTheProxysFirstIsMeasured(t *testing.T) {
	for _, late := range []time.Duration{0, 5 * time.Second} {
		t.Run(fmt.Sprintf("app %v late", late), func(t *testing.T) {
			proxy, app := input(0, sources.RoleProxy), input(1, sources.RoleApp)
			wall := t0
			var took time.Duration
			eng := NewEngine(Config{Inputs: []*sources.Input{proxy, app}, Live: true, Grace: time.Second,
				Now: func() time.Time { return wall }, OnVerdict: func(v *Verdict) { took = wall.Sub(v.Entry.Time) }})
			eng.Advance()
			// The app's line first, stamped late before now; the proxy's
			// 502 at the next Advance.
			eng.Add(app, &sources.AppEntry{Time: wall.Add(-late), Level: "info", Message: "ok", Duration: -1, Raw: "ok"})
			for step := 1; step <= 300 && took == 0; step++ {
				wall = t0.Add(time.Duration(step) * 100 * time.Millisecond)
				if step == 1 {
					eng.Add(proxy, upstreamEntry(0.1, 502, "a:1", "502", "-", ""))
				}
				eng.Advance()
				if s := eng.Publish(false); s.AppAwaited {
					t.Fatalf("at %v the app's first line is awaited, after it came", wall.Sub(t0))
				}
			}
			if lo, hi := late+2*time.Second, late+6*time.Second; took < lo || took > hi {
				t.Errorf("the 502 was judged %v after its stamp; want %v-%v (its windows and the app's %v)", took, lo, hi, late)
			}
		})
	}
}

// Live, an input whose format is not known yet (a file given by position,
// empty when live started) may be the app's log: a 5xx waits for it as for
// an app log that has not written yet. Judged after the 1 s grace alone,
// the first 5xx of such a session lost their app lines for good (QA, real
// nginx with the app 5-6 s late: nginx's own 503 app_unavailable, an
// app's 500 unknown).
func TestLiveWaitsForAnInputNotKnownYet(t *testing.T) {
	proxy, other := input(0, sources.RoleProxy), input(1, sources.RoleUnknown)
	wall := t0
	var took time.Duration
	eng := NewEngine(Config{Inputs: []*sources.Input{proxy, other}, Live: true, Grace: time.Second,
		Now: func() time.Time { return wall }, OnVerdict: func(v *Verdict) { took = wall.Sub(v.Entry.Time) }})
	awaited := false
	for step := 0; step <= 300 && took == 0; step++ { // an Advance every 100 ms
		wall = t0.Add(time.Duration(step) * 100 * time.Millisecond)
		if step%10 == 0 {
			sec := float64(step / 10)
			status := 200
			if sec == 2 {
				status = 500
			}
			eng.Add(proxy, upstreamEntry(sec, status, "a:1", fmt.Sprint(status), "0.001", ""))
		}
		eng.Advance()
		awaited = awaited || eng.Publish(false).AppAwaited
	}
	if took < 12*time.Second || took > 16*time.Second {
		t.Errorf("the 500 was judged %v after its stamp; want its windows + 10 s for the input not known yet, 12-16 s", took)
	}
	if !awaited {
		t.Error("the snapshot never said the app's first line was awaited")
	}
}
