package classify

import (
	"time"

	"fivexx/sources"
)

// Live, when is a 5xx's evidence all in? Its rules read windows of log
// time: the error lines and the time-window app join take e's span (±2 s,
// plus the second a whole-second stamp may hide: span), and the app's
// witness lines (appwitness.go) are counted by whole seconds up to the
// end of the span's last second. A report meets every line of those
// windows before it judges (its inputs are merged by time and it waits
// 5 s of log time); live met only what had come within 1 s of wall time:
// nginx's `return 503` with the app's 2xx 1.5 s later was app_unavailable
// medium live and proxy_rejected low in the report. And an app whose
// lines come late (a buffered logger, a shipper) had its lines miss every
// live verdict: 0% app coverage, "no app line within ±2 s", the skew
// advice for a clock that was right.
//
// Two designs: judge once the windows have closed, or judge at once and
// revise a verdict when a line of its windows comes later. Revising means
// taking back a verdict's counts from every rolling series, upstream row,
// cause share and alert baseline, and keeping every judged 5xx's evidence
// and candidate lines until its windows close (the same memory as waiting,
// but for verdicts already on screen), and a screen whose causes change
// under the reader's eyes. Waiting keeps one truth (a verdict shown is
// final) and costs only time, shown as "pending N": so live waits. The
// rules are:
//   - a 5xx is judged once its grace (wall time since it came) has passed
//     and the proxy's clock has passed the end of its windows plus the
//     lateness of the app's lines (appLag); the proxy's clock is the
//     newest proxy time, run on with wall time between lines (as the
//     screen's clock is: screenclock.go), so a quiet site's 5xx waits its
//     windows out in wall time;
//   - without an app or error log, only the grace;
//   - the app's lateness is measured per app line as it comes: how far the
//     proxy's clock is past the line's stamp (on the proxy's clock: less
//     the skew ids told), 0 at least; a line more than MaxAppLag late
//     is not counted (old lines: a history, a clock far behind). What verdicts
//     wait for is the lateness that lagShare of the recent lines came
//     within, from a histogram of lagStep buckets halved whenever it
//     holds lagKeep lines: two late lines in the last few dozen make
//     verdicts wait (an app turning late is caught at once), a hundred or
//     two prompt ones make them stop (waiting too long costs only time).
//     It decays by lines, not by wall time: after a quiet hour the app is
//     as late as it was (a quiet site's first 5xx is the one watched for);
//   - an app line that comes before the proxy's first line is measured
//     when that line comes: the proxy's clock when it came is the first
//     proxy stamp less the wall time between them;
//   - while an app log is read but none of its lines has been measured
//     (none has come yet), how late they come is not known: verdicts wait
//     MaxAppLag (appWait). Judged after the base windows only, an app
//     writing 5 s late had the 5xx of its first seconds judged without
//     their app lines (app_error medium, "no app line", where the report
//     says high by request id), and verdicts are not revised. An app log
//     that stays silent costs every 5xx those 10 s, shown as pending,
//     until its first line;
//   - every 5xx is judged within grace + its windows + MaxAppLag of wall
//     time, whatever the clocks do: pending stays bounded (MaxPending).
//
// Per line this is one comparison for an access line and a few for an
// app line; per Advance a pass over 41 buckets: nothing grows with what
// is held.

const (
	// MaxAppLag bounds how long, live, verdicts wait for late app lines,
	// and is how long they wait before the app's first line (appWait).
	MaxAppLag = 10 * time.Second
	lagStep   = 250 * time.Millisecond
	lagKeep   = 64
	// lagShare is the share of the recent app lines the wait covers.
	lagShare = 0.98
)

const lagBuckets = int(MaxAppLag/lagStep) + 1

// appLag measures, live, how late the app's lines come.
type appLag struct {
	n     [lagBuckets]int32
	total int32
	lag   time.Duration
	// measured: a line has been counted, so lag says how late they come.
	measured bool
	// early is the stamp (on the proxy's clock) of the newest app line
	// that came before the proxy's first, earlyAt the wall time it came:
	// noteEarlyApp measures it.
	early, earlyAt time.Time
}

// note counts one app line d late. A line more than MaxAppLag late is
// left out: no wait would take it in, and it is no late logger's but an
// old line (the history --from-start reads, an app clock far behind
// without ids to tell the skew).
func (l *appLag) note(d time.Duration) {
	if d > MaxAppLag {
		return
	}
	i := 0
	if d > 0 {
		i = min(int(d/lagStep), lagBuckets-1)
	}
	l.n[i]++
	l.measured = true
	if l.total++; l.total >= lagKeep {
		l.halve()
	}
}

func (l *appLag) halve() {
	l.total = 0
	for i := range l.n {
		l.n[i] /= 2
		l.total += l.n[i]
	}
}

// tick works out the lateness verdicts wait for.
func (l *appLag) tick() {
	l.lag = 0
	if l.total == 0 {
		return
	}
	want, sum := int32(float64(l.total)*lagShare+0.999), int32(0)
	for i, k := range l.n {
		if sum += k; sum >= want {
			if i > 0 {
				l.lag = min(time.Duration(i+1)*lagStep, MaxAppLag)
			}
			return
		}
	}
}

// noteApp, live, measures the lateness of app line a, stamped t.
func (e *Engine) noteApp(t time.Time) {
	if t.IsZero() {
		return
	}
	if e.proxyNow.IsZero() {
		// No proxy clock yet: measured at the proxy's first line
		// (noteEarlyApp). Left out, an app line written just before the
		// proxy's first kept the lateness unknown, and the 5xx waiting
		// MaxAppLag, until the next one.
		e.lag.early, e.lag.earlyAt = t.Add(-e.corr.skew.value()), e.clock.tickWall
		return
	}
	// The proxy's clock as of the last Advance: this line came after it.
	now := e.proxyClock.at(e.proxyNow, e.clock.tickWall)
	e.lag.note(now.Sub(t.Add(-e.corr.skew.value())))
}

// noteEarlyApp, live, at the proxy's first line, stamped t, measures the
// lateness of the newest app line that came before it: the proxy's clock
// when that line came is t less the wall time since (as of the Advances
// before each).
func (e *Engine) noteEarlyApp(t time.Time) {
	if e.lag.early.IsZero() {
		return
	}
	then := t.Add(-e.clock.tickWall.Sub(e.lag.earlyAt))
	e.lag.note(then.Sub(e.lag.early))
	e.lag.early = time.Time{}
}

// appWait is how late, live, verdicts wait for the app's lines beyond
// their windows: as late as they are measured to come (appLag), or
// MaxAppLag while an app log is read, or may be, and none of its lines
// has been measured yet (see above).
func (e *Engine) appWait() time.Duration {
	if !e.lag.measured && e.mayReadApp() {
		return MaxAppLag
	}
	return e.lag.lag
}

// windowsEnd is the end of the windows of log time e's rules read: the
// span's end (error lines, the app's time window) rounded up to its
// second's end (appWitness counts whole seconds).
func (e *Engine) windowsEnd(p *sources.ProxyEntry) time.Time {
	_, to := e.corr.span(p)
	return time.Unix(to.Unix()+1, 0)
}

// readsWindows reports whether any rule reads lines of a 5xx's windows:
// an app or error log is read, or may be.
func (e *Engine) readsWindows() bool {
	return e.corr.appLines > 0 || e.corr.errorLines > 0 || e.mayReadApp() || e.hasRole(sources.RoleProxyErrors)
}

// mayReadApp reports whether an app log is read or may be: an input whose
// format is not known yet (a file given by position and still empty when
// live started) may turn out to be the app's or the proxy's error log, so
// a 5xx waits for it as for an app log that has not written yet. Judged
// after the 1 s grace alone, the first 5xx of such a session lost their
// app lines for good (verdicts are not revised): nginx's own 503 was
// app_unavailable and an app's 500 unknown, with the app 5-6 s late.
func (e *Engine) mayReadApp() bool {
	return e.hasRole(sources.RoleApp) || e.hasRole(sources.RoleUnknown)
}

// liveReady reports, live, whether p's evidence is in at wall time wall,
// with the proxy's clock at proxy (see above); windows says whether the
// rules read any, lag how late the app's lines are waited for (appWait).
func (e *Engine) liveReady(p *pendingEntry, wall, proxy time.Time, windows bool, lag time.Duration) bool {
	waited := wall.Sub(p.arrived)
	if waited < e.cfg.Grace {
		return false
	}
	if !windows {
		return true
	}
	end := e.windowsEnd(p.e)
	if !proxy.Before(end.Add(lag)) {
		return true
	}
	// The bound, whatever the clocks do.
	return waited >= e.cfg.Grace+end.Sub(p.e.Time)+MaxAppLag
}
