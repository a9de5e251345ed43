package classify

import (
	"time"

	"fivexx/sources"
)

// A report (and a replay, and live history) reads its inputs merged by
// the times their lines carry, each on its own clock, and judges a 5xx
// once the log clock is its grace (5 s) past it. An app whose clock runs
// s ahead of the proxy's has its lines of a request stamped s later than
// the proxy's: they come s later in the merge. With s over the grace, the
// 5xx was judged before any of them came: the QA's HAProxy recording with
// the app's times +30 s joined 21 of its 85 5xx by id where it joined 69,
// and told a crashed request "app: no line with request id …: the app
// never saw it", upstream_refused high, though the app logged its start.
// The skew was known (the header said "app clock +30s"): it moved the
// time-window join and the app lines on the log clock, not the wait.
//
// The rules are:
//   - by log time, a 5xx waits its grace plus the app's clock skew when
//     the app runs ahead (as estimated from request ids, or --app-skew),
//     up to maxAppWait: its app lines have come by then, wherever the
//     app's clock is within that bound;
//   - while the app's clock is not known, a 5xx waits as long as the
//     bound allows: an app log is read and none of its lines has come yet
//     (its first may be one of an app ahead);
//   - a 5xx that came before the app's first line waits as if it came
//     with it: that line is often a request's start, and the skew is
//     told by an end (skew.go), a line or more later;
//   - an app behind the proxy needs no wait: its lines come first, and
//     they move the log clock no further than their own stamps (appFar);
//   - live, 5xx wait by wall time for lines as they are written
//     (applag.go): the app's clock does not say when they come.
//
// A skew beyond the bound is not waited for: a report or replay told it
// before reading (--app-skew, or the logs' heads: cmd/fivexx headskew.go)
// has the merge order the app's lines by their times less it
// (sources.Input.SetMergeShift); the wait is then for what is left.

// maxAppWait bounds how long, in log time, a 5xx waits beyond its grace
// for the lines of an app whose clock runs ahead: a line further ahead of
// the log clock is far off (clockJump).
const maxAppWait = clockJump

// AppWaitLimit is how far an app's clock may run ahead of the proxy's
// for a report to wait for its lines (see above): a skew known before
// reading beyond it (or behind by as much) is for the merge to take off.
const AppWaitLimit = maxAppWait

// noteMerged takes the skew the merge takes off the app inputs' times
// (the inputs given to NewEngine) and, unless --app-skew gave one, has
// the estimate start from it: the app lines that come before the first
// request id pair are held at their times on the proxy's clock.
func (e *Engine) noteMerged() {
	for _, in := range e.cfg.Inputs {
		if d := in.MergeShift(); d != 0 {
			e.merged = d
			break
		}
	}
	if e.merged != 0 && e.cfg.AppSkew == nil {
		e.corr.skew.skew, e.appShift = e.merged, e.merged
	}
}

// appWait is how much longer than its grace a 5xx waits, by log time, for
// the app's lines (see above), as of the last learnAppShift.
func (e *Engine) appWait() time.Duration {
	switch c, left := e.corr, e.appShift-e.merged; {
	case left > 0:
		return min(left, maxAppWait)
	case left < 0 || c.skew.fixed || c.skew.n > 0 || e.merged != 0:
		return 0
	case c.appLines == 0 && e.hasRole(sources.RoleApp):
		return maxAppWait // no app line yet: its first may be one of an app ahead
	}
	return 0
}

// waitsFrom is the log time a 5xx of time t waits its grace from: t, or
// the app's first line when t is before it, by no more than maxAppWait
// (see above; a first line from 2099 is no app's clock).
func (e *Engine) waitsFrom(t time.Time) time.Time {
	if t.Before(e.appFirst) && !e.corr.skew.fixed && e.merged == 0 && e.appFirst.Sub(t) <= maxAppWait {
		return e.appFirst
	}
	return t
}
