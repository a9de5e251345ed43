package classify

import "time"

// clockJump is how far ahead of the log clock a line's time may be and
// still move it at once. Reports and replays judge a 5xx once the log
// clock is its grace past it, and drop kept lines by the same clock; one
// line with a wrong time (a host's clock set to 2099, a corrupt or forged
// line: log lines are anyone's) moved the clock to 2099 and so judged every
// pending 5xx before its app lines came and dropped every kept line. Quiet
// logs do leap forward, so a leap is believed once a second line confirms
// it (sources.MergeEach sends a leaping line in file order, see mergeJump).
const clockJump = time.Minute

// moveClock moves the log clock forward to t (after it).
func (e *Engine) moveClock(t time.Time) {
	if e.logNow.IsZero() || t.Sub(e.logNow) <= clockJump ||
		(!e.jumpTo.IsZero() && t.Sub(e.jumpTo).Abs() <= clockJump) {
		e.logNow, e.jumpTo = t, time.Time{}
		return
	}
	e.jumpTo = t
}

// addAhead keeps a 5xx whose time is far ahead of the log clock apart from
// the pending queue, which is judged in order: at its head it would hold
// back every later 5xx until the clock reached it, perhaps until the end.
// Each is judged once the clock is its grace past it, or at Flush.
func (e *Engine) addAhead(p pendingEntry) {
	e.ahead = append(e.ahead, p)
	if len(e.ahead) > e.cfg.MaxPending {
		e.corr.dropped.Pending++
		e.ahead[0].early = true
		e.finalize(e.ahead[0])
		e.ahead = e.ahead[1:]
	}
}

// advanceAhead judges the 5xx kept apart whose grace has passed and
// returns the eviction horizon lowered to the oldest one the clock has
// reached (its lines must stay).
func (e *Engine) advanceAhead(horizon time.Time) time.Time {
	kept := e.ahead[:0]
	for _, p := range e.ahead {
		if e.logNow.Sub(p.e.Time) >= e.cfg.Grace {
			e.finalize(p)
			continue
		}
		kept = append(kept, p)
		if p.e.Time.Before(horizon) {
			horizon = p.e.Time
		}
	}
	clear(e.ahead[len(kept):])
	e.ahead = kept
	return horizon
}
