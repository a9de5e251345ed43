package classify

import (
	"strconv"
	"strings"
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
// (sources.Input.SetMergeShift); the wait is then for what is left. One
// learnt only while reading, beyond the bound, leaves the app's lines
// after their 5xx's verdicts: no verdict then says that the app never
// saw a request because no line carries its id (correlator.appFor). With
// the HAProxy recording's app 2 min ahead, 40 of the 56 that said so were
// false.

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
	e.corr.outside.merged = e.merged
	if e.merged != 0 && e.cfg.AppSkew == nil {
		e.corr.skew.skew, e.appShift = e.merged, e.merged
		e.corr.skew.allApps = e.cfg.MergedByPaths
	}
}

// skewWait is how much longer than its grace a 5xx waits, by log time, for
// the app's lines (see above), as of the last learnAppShift.
func (e *Engine) skewWait() time.Duration {
	e.corr.unwaited = e.appShift-e.merged > maxAppWait
	switch c, left := e.corr, e.appShift-e.merged; {
	case left > 0:
		return min(left, maxAppWait)
	case left < 0 || c.skew.fixed || c.skew.n > 0 || e.merged != 0:
		return 0
	case c.appLines == 0 && e.hasRole(sources.RoleApp):
		return maxAppWait // no app line yet: its first may be one of an app ahead
	case c.paths.on && c.paths.learnt == 0 && c.appLines > 0 && len(e.pending) > 0 && c.paths.promising():
		return 2 * pathWindow // the first pairs by path are decided (pathskew.go)
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

// waitAdvice is the advice when the app's clock, learnt from request ids
// while reading, runs further ahead than a report's 5xx wait for its
// lines (see above), and no --app-skew moved them: the way to have them
// joined is to give it, which the merge then takes off their times.
func (e *Engine) waitAdvice() (Advice, bool) {
	left := e.appShift - e.merged
	if e.cfg.Live || e.corr.skew.fixed || left <= maxAppWait {
		return Advice{}, false
	}
	by := "request ids"
	if e.corr.skew.paths {
		by = "requests paired by method, target and status"
	}
	skew := e.corr.skew.value().Round(time.Second)
	flag := skewFlag(skew)
	return Advice{
		Problem: "the " + by + " put the app's clock " + signed(skew) + " ahead of the proxy's, more than a 5xx waits for its app lines (" +
			strconv.Itoa(int(maxAppWait/time.Minute)) + " min): they came after the verdicts, which therefore say nothing of them, nor that the app never saw a request",
		Fix: "run again with --app-skew " + flag + " (the app's lines are then read at the proxy's time), or set the app host's clock right",
	}, true
}

// skewFlag writes d as --app-skew takes it, without trailing zero units:
// 2m0s as 2m, 1h0m0s as 1h.
func skewFlag(d time.Duration) string {
	s := d.String()
	if strings.HasSuffix(s, "m0s") {
		s = strings.TrimSuffix(s, "0s")
	}
	if strings.HasSuffix(s, "h0m") {
		s = strings.TrimSuffix(s, "0m")
	}
	return s
}
