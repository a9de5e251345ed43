package classify

import (
	"testing"
	"time"

	"fivexx/sources"
)

// One line with a wrong clock (2099) among a report's merged lines moved
// the log clock to 2099: the pending 503 was judged before its app line
// came, and every kept line was dropped. The clock now leaps only when a
// second line confirms the leap; a 5xx far ahead of the clock is judged by
// its own time without holding back the 5xx after it.
func TestOneLineFromTheFutureMovesNoClock(t *testing.T) {
	future := time.Date(2099, 1, 1, 0, 0, 0, 0, time.UTC)
	outApp := appLine(0, sources.PhaseEnd, "x", 200, "info", "clock 2099")
	outApp.Time = future
	outProxy := upstreamEntry(0, 502, "a:1", "502", "-", "x")
	outProxy.Time = future
	for _, tc := range []struct {
		name    string
		outlier sources.Record
		proxy   bool
	}{
		{"app line", outApp, false},
		{"proxy 5xx", outProxy, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			proxy, app := input(0, sources.RoleProxy), input(1, sources.RoleApp)
			var got []*Verdict
			eng := NewEngine(Config{Inputs: []*sources.Input{proxy, app}, Grace: 5 * time.Second,
				OnVerdict: func(v *Verdict) { got = append(got, v) }})
			add := func(in *sources.Input, r sources.Record) { eng.Add(in, r); eng.Advance() }
			add(proxy, upstreamEntry(1, 503, "a:1", "503", "0.001", "r1"))
			if tc.proxy {
				add(proxy, tc.outlier)
			} else {
				add(app, tc.outlier)
			}
			add(app, appLine(1.5, sources.PhaseEnd, "r1", 503, "warn", "r1 shed"))
			add(proxy, upstreamEntry(2, 503, "a:1", "503", "0.001", "r2"))
			add(app, appLine(2.5, sources.PhaseEnd, "r2", 503, "warn", "r2 shed"))
			for s := 3.0; s <= 12; s++ {
				add(app, appLine(s, sources.PhaseEnd, "other", 200, "info", "ok"))
			}
			var before []string
			for _, v := range got {
				before = append(before, v.Entry.RequestID)
			}
			eng.Flush()
			if len(before) != 2 || before[0] != "r1" || before[1] != "r2" {
				t.Fatalf("verdicts made before the end: %v, want r1 and r2 (by their grace)", before)
			}
			for _, v := range got[:2] {
				if len(v.AppLines) != 1 || v.MatchedBy != "request_id" {
					t.Errorf("%s: %d app lines matched by %q, want its own line by request_id", v.Entry.RequestID, len(v.AppLines), v.MatchedBy)
				}
			}
			if tc.proxy && (len(got) != 3 || got[2].Entry.Status != 502) {
				t.Errorf("%d verdicts, want the 2099 502 judged too, at the end", len(got))
			}
		})
	}
}

// A log that leaps forward for real (quiet for an hour) moves the clock
// once a second line confirms it, and the 5xx before the leap are judged.
func TestAConfirmedLeapMovesTheClock(t *testing.T) {
	proxy, app := input(0, sources.RoleProxy), input(1, sources.RoleApp)
	var got []*Verdict
	eng := NewEngine(Config{Inputs: []*sources.Input{proxy, app}, Grace: 5 * time.Second,
		OnVerdict: func(v *Verdict) { got = append(got, v) }})
	eng.Add(proxy, upstreamEntry(1, 503, "a:1", "503", "0.001", "r1"))
	eng.Add(app, appLine(3600, sources.PhaseEnd, "x", 200, "info", "back"))
	eng.Advance()
	if len(got) != 0 {
		t.Fatalf("judged on one leaping line")
	}
	eng.Add(app, appLine(3601, sources.PhaseEnd, "y", 200, "info", "back again"))
	eng.Advance()
	if len(got) != 1 {
		t.Fatalf("%d verdicts after the leap was confirmed, want 1", len(got))
	}
}
