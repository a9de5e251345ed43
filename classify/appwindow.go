package classify

import (
	"time"

	"fivexx/sources"
)

// How far back the time window looks for a 5xx's app lines. The access
// line is written when the request ends; the app logs its start when the
// request reaches it. With $request_time the window reaches back by it
// (span). A plain combined access log says nothing of how long a request
// took, and the window reached back 2 s: a 504 after nginx's 60 s
// proxy_read_timeout has its app start line 60 s before the access line,
// and the join found nothing ("app: no app line within ±2 s") or another
// request's line near the 504. Without a request time a 504 may have
// lasted as long as the proxy waits for an upstream (its timeout, the
// error line's "upstream timed out" or the status alone: nginx answers
// 504 when its connect or read timeout expires), so its window reaches
// back by Config.UpstreamTimeout (nginx's default, 60 s), and its
// candidates are ranked as such a request's lines lie:
//
//   - a line before the app's end (its start, what it logged on the way)
//     is as near as can be anywhere in the time the request may have
//     lasted (appGap), and on a tie the earlier line and the earlier
//     504 come first (claimApp): requests time out in the order they
//     started, and a timeout shorter than the one assumed (nginx's is
//     often set lower) still pairs the first 504 with the first start.
//     (Measured from where a request of the whole timeout would have
//     started, a start 10 s after the first was nearer to the second
//     504's such place, and the first 504 got none);
//   - an end line (a status, a "finished") before the narrow window
//     (the access time less 2 s) is another request's: this one had not
//     ended when the proxy gave up (endsEarly);
//   - so is a start line of a request that ended there: by its request
//     id, or without ids the last start before an end of the same
//     instance, method and target (earlyEnds).
//
// A join by time window stays low confidence, whatever its reach
// (confByMatch): only a request id makes an app line this request's.
// Other statuses keep the narrow window: what fails at once (refused,
// reset, a bad header) is logged near its end.

// lookback is how much further back than its request time e's app
// lines may lie: the upstream timeout for a 504 whose access line has no
// request time, else 0.
func (c *correlator) lookback(e *sources.ProxyEntry) time.Duration {
	if e.Status != 504 || e.RequestTime >= 0 {
		return 0
	}
	return c.cfg.UpstreamTimeout
}

// appSpan is span for app lines: reaching back by the lookback too.
func (c *correlator) appSpan(e *sources.ProxyEntry) (from, to time.Time) {
	from, to = c.span(e)
	return from.Add(-c.lookback(e)), to
}

// appEnds reports whether a is a request's last line: its end, or a
// line with the status it answered.
func appEnds(a *sources.AppEntry) bool {
	return a.Phase == sources.PhaseEnd || a.Status != 0
}

// narrowFrom is where e's window starts without the lookback, on the
// clock of the app that wrote a.
func (c *correlator) narrowFrom(e *sources.ProxyEntry, a *sources.AppEntry) time.Time {
	from, _ := c.span(e)
	return from.Add(c.appSkew(a))
}

// endsEarly reports whether a ends a request before e's narrow window:
// another request's end, when e lasted as long as the proxy waited.
func (c *correlator) endsEarly(e *sources.ProxyEntry, a *sources.AppEntry) bool {
	return appEnds(a) && c.written(a).Before(c.narrowFrom(e, a))
}

// earlyEnds tells the lines of e's window (appByWindow) that belong to
// requests that ended before e's narrow window: every line of a request
// id with an end line there, and without ids each start line that an end
// line of the same instance, method and target closes, the latest open
// start first (quick requests beside a hung one start and end together;
// the hung one stays open). all are the path's lines (in time order),
// from the first one the window may hold on.
//
// Only lines from there on are walked (finishedEarly walked every held
// line of the path, 5.4 CPU-s of the 2 M set's combined-log report):
//
//   - an id's end line there is found through the id index (byID) from
//     the window's line, whatever its time; in practice it lies in the
//     range, as a request's end is its last line;
//   - the start lines that end lines close do not depend on the lines
//     before the range: an end closes the latest open start, and every
//     start in the range is later than those before it, so the ends in
//     the range close the starts in the range first, and the ends before
//     it came before those starts were open.
type earlyEnds struct {
	c      *correlator
	e      *sources.ProxyEntry
	all    []*sources.AppEntry
	from   int
	closed map[*sources.AppEntry]bool // start lines without ids that an end closed
	walked bool
}

// finished reports whether a, a line of e's window, is of a request that
// ended before e's narrow window.
func (f *earlyEnds) finished(a *sources.AppEntry) bool {
	if a.RequestID != "" {
		return f.idEnded(a)
	}
	if a.Phase != sources.PhaseStart {
		return false
	}
	if !f.walked {
		f.walk()
	}
	return f.closed[a]
}

// idEnded reports whether a line of the path with a's request id ends
// before e's narrow window.
func (f *earlyEnds) idEnded(a *sources.AppEntry) bool {
	c := f.c
	for _, r := range c.heldRefs(a.IDKey()) {
		x := r.e
		if x.RequestID != a.RequestID || !appEnds(x) || !c.written(x).Before(c.narrowFrom(f.e, x)) {
			continue
		}
		// The id index holds every app line with an id; only the path's
		// count (its lines set aside far ahead are not all in byPath).
		if x == a || holds(f.all, x) {
			return true
		}
	}
	return false
}

// walk notes the start lines without ids that end lines close before e's
// narrow window.
func (f *earlyEnds) walk() {
	f.walked = true
	type target struct{ instance, method, path string }
	var open map[target][]*sources.AppEntry
	c, e := f.c, f.e
	spanFrom, _ := c.span(e)
	last := spanFrom.Add(max(c.skew.value(), 0)) // no line from here on is before its narrow window
	for _, a := range f.all[f.from:] {
		if !a.Time.Before(last) {
			break
		}
		if a.RequestID != "" || !c.written(a).Before(c.narrowFrom(e, a)) {
			continue
		}
		k := target{a.Instance, a.Method, a.Path}
		switch {
		case appEnds(a):
			if s := open[k]; len(s) > 0 {
				if f.closed == nil {
					f.closed = map[*sources.AppEntry]bool{}
				}
				f.closed[s[len(s)-1]] = true
				open[k] = s[:len(s)-1]
			}
		case a.Phase == sources.PhaseStart:
			if open == nil {
				open = map[target][]*sources.AppEntry{}
			}
			open[k] = append(open[k], a)
		}
	}
}
