package classify

import (
	"context"
	"time"

	"fivexx/sources"
)

// historyGrace is how long, in log time, a 5xx of the history waits for
// its lines while a live engine catches up: a report's grace.
const historyGrace = 5 * time.Second

// CatchUp reads the history of ins (live --from-start: each limited to
// what it held at start, sources.Input.ReadHistory) merged by log time,
// as a report reads its inputs (sources.MergeRuns into FeedRun), judging
// its 5xx by log time with a report's grace, and publishes a snapshot
// every interval meanwhile. An access log's history lines count for its
// lines/s by their own seconds, as the rates pane counts their requests
// (countAccessLine); the other inputs' history is no rate of theirs, which
// counts the lines read live by the wall clock (lineRate). The 5xx still waiting at its end then wait
// their live grace (by wall time) for the lines that follow. It returns
// the first read error per input, as MergeRuns does.
//
// Read one input after another, as each follower went, a small error log
// was read to its end at once and the line cap then evicted its lines
// while the access lines they belonged to were still being read (the QA's
// 200,000-request history: 4,014 reset 502s judged upstream_refused low),
// and the log clock, at the error log's end, let the retention go too.
func (e *Engine) CatchUp(ctx context.Context, ins []*sources.Input, every time.Duration) []error {
	if len(ins) == 0 {
		return nil
	}
	e.catchingUp = true
	last := e.cfg.Now()
	errs := sources.MergeRuns(ctx, ins, func(run []sources.Item) {
		for i := range run {
			e.countAccessLine(&run[i])
		}
		e.FeedRun(run)
		if now := e.cfg.Now(); now.Sub(last) >= every {
			last = now
			e.Advance()
			e.Publish(false)
		}
	})
	e.catchingUp = false
	// The followers number their lines from 1 again, and the lines read
	// as history were no rate of the wall clock (lineRate): each input's
	// count starts again from the lines it holds now.
	for _, c := range e.accessLines {
		if c != nil {
			c.Renumber()
		}
	}
	e.lineRates = nil
	now := e.cfg.Now()
	for i := range e.pending {
		e.pending[i].arrived = now
	}
	for i := range e.ahead {
		e.ahead[i].arrived = now
	}
	e.Advance()
	e.Publish(false)
	return errs
}
