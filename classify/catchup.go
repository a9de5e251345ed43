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
// every interval meanwhile. The 5xx still waiting at its end then wait
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
		e.FeedRun(run)
		if now := e.cfg.Now(); now.Sub(last) >= every {
			last = now
			e.Advance()
			e.Publish(false)
		}
	})
	e.catchingUp = false
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
