package classify

import (
	"fmt"
	"testing"
	"time"

	"fivexx/sources"
)

// heldCount is how many lines c holds for joins and timelines, with the
// entries of its id, path and error indexes.
func heldCount(c *correlator) (lines, ids, paths, errs int) {
	return len(c.lines) - c.head - c.nils + len(c.aside), len(c.byID), len(c.byPath), len(c.errsBy)
}

// feedAppAndErrors adds n app lines (each its own request id, one of ten
// paths) and an error line every tenth, over n/1000 s of log time: well
// inside the two minutes a line is held.
func feedAppAndErrors(eng *Engine, app, errs *sources.Input, n int) {
	for i := range n {
		sec := float64(i) / 1000
		a := appLine(sec, sources.PhaseEnd, fmt.Sprintf("r%d", i), 200, "INFO", "request finished")
		a.Path = fmt.Sprintf("/api/%d", i%10)
		eng.Add(app, a)
		if i%10 == 0 {
			eng.Add(errs, errLine(sec, sources.ReasonRefused, "connect() failed (111: Connection refused)"))
		}
		if i%256 == 0 {
			eng.Advance()
		}
	}
}

// TestNoAccessLogHoldsNoLines: a report of an app log (or an error log)
// with no access log holds none of its lines: no 5xx can come to join
// them (nojoin.go). It held every app line of the last two minutes: 23 MB
// live on the 2 M bench set's app.log, 49 MB peak RSS. Its counts are the
// same.
func TestNoAccessLogHoldsNoLines(t *testing.T) {
	const n = 20_000
	app, errs := input(1, sources.RoleApp), input(2, sources.RoleProxyErrors)
	eng := NewEngine(Config{Inputs: []*sources.Input{app, errs}, Terse: true})
	feedAppAndErrors(eng, app, errs, n)
	eng.Flush()
	if lines, ids, paths, errIdx := heldCount(eng.corr); lines+ids+paths+errIdx != 0 {
		t.Errorf("no access log: %d lines held, %d ids, %d paths, %d error keys indexed; want none", lines, ids, paths, errIdx)
	}
	if eng.corr.appLines != n || eng.corr.errorLines != n/10 || !eng.corr.appIDs {
		t.Errorf("counted %d app lines (ids %v), %d error lines; want %d, true, %d", eng.corr.appLines, eng.corr.appIDs, eng.corr.errorLines, n, n/10)
	}
	if s := eng.Publish(true); s.Dropped != (Dropped{}) {
		t.Errorf("dropped %+v, want nothing", s.Dropped)
	}

	// What makes the engine hold them, as before.
	for _, tc := range []struct {
		name string
		more *sources.Input
	}{
		{"an access log", input(0, sources.RoleProxy)},
		// Its format not detected yet: it may be an access log.
		{"an input whose role is not settled", sources.NewInput(0, sources.Spec{Path: "x.log"})},
	} {
		t.Run(tc.name, func(t *testing.T) {
			eng := NewEngine(Config{Inputs: []*sources.Input{tc.more, app, errs}, Terse: true})
			feedAppAndErrors(eng, app, errs, n)
			if lines, ids, paths, errIdx := heldCount(eng.corr); lines != n+n/10 || ids != n || paths != 10 || errIdx != 1 {
				t.Errorf("%d lines held, %d ids, %d paths, %d error keys; want %d, %d, 10, 1", lines, ids, paths, errIdx, n+n/10, n)
			}
		})
	}
	t.Run("an access entry of no input given", func(t *testing.T) {
		eng := NewEngine(Config{Inputs: []*sources.Input{app, errs}, Terse: true})
		feedAppAndErrors(eng, app, errs, 100)
		eng.Add(nil, upstreamEntry(0.2, 200, "10.0.0.1:8080", "200", "0.001", "other"))
		a := appLine(0.3, sources.PhaseEnd, "late", 200, "INFO", "request finished")
		eng.Add(app, a)
		if lines, ids, _, _ := heldCount(eng.corr); lines != 1 || ids != 1 {
			t.Errorf("after an access entry: %d lines held, %d ids; want the app line after it", lines, ids)
		}
	})
}

// TestNoAccessLogSkipsNoTimeline: live and timeline engines hold the lines
// whatever the inputs (a followed file may be replaced by an access log;
// a timeline shows them).
func TestNoAccessLogSkipsNoTimeline(t *testing.T) {
	app, errs := input(1, sources.RoleApp), input(2, sources.RoleProxyErrors)
	for _, cfg := range []Config{
		{Timeline: true},
		{Live: true, Now: func() time.Time { return t0 }},
	} {
		cfg.Inputs = []*sources.Input{app, errs}
		eng := NewEngine(cfg)
		feedAppAndErrors(eng, app, errs, 1000)
		if lines, _, _, _ := heldCount(eng.corr); lines != 1100 {
			t.Errorf("timeline %v, live %v: %d lines held, want 1100", cfg.Timeline, cfg.Live, lines)
		}
	}
}
