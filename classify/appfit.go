package classify

import (
	"time"

	"fivexx/sources"
)

// How well an app line joined by the time window fits a proxy 5xx. A
// line goes to the 5xx it fits best (claimApp), and of an app's requests
// in a 5xx's window the one that fits best is taken first (appByWindow):
//
//   - first by status: a line whose status is the 5xx's, then one that
//     says nothing of it or another 5xx (a start line, an app 500 under a
//     proxy 502), last one that finished below 500. Without a rewrite a
//     proxy 503 is not the app's 200: twelve concurrent requests to one
//     path, three of them the app's 503s, gave nine 503s a 200 line
//     each, the nearest, and judged them unknown;
//   - then by distance from the 5xx's time on the app's clock. A whole
//     second (nginx's $time_local) is [s, s+1): the request ended
//     somewhere in it, so an app line at :00.52 lies in the 5xx stamped
//     :00, not nearer the one stamped :01.
type appFit struct {
	status int // 0: the 5xx's status, 1: none or another 5xx, 2: below 500
	gap    time.Duration
}

// better reports whether f fits strictly better than g.
func (f appFit) better(g appFit) bool {
	if f.status != g.status {
		return f.status < g.status
	}
	return f.gap < g.gap
}

// fitOf is how well app line a fits e.
func (c *correlator) fitOf(e *sources.ProxyEntry, a *sources.AppEntry) appFit {
	return appFit{status: statusFit(e.Status, a.Status), gap: c.appGap(e, a)}
}

// statusFit ranks an app status against the proxy's (appFit.status).
func statusFit(proxy, app int) int {
	switch {
	case app == proxy:
		return 0
	case app == 0 || app >= 500:
		return 1
	}
	return 2
}

// appGap is how far app line a lies from e's time shifted to the app's
// clock (appSkew): from the second e names when its log writes whole
// seconds, else from its instant.
func (c *correlator) appGap(e *sources.ProxyEntry, a *sources.AppEntry) time.Duration {
	t := a.Time
	from := e.Time.Add(c.appSkew(a))
	to := from
	if c.wholeSecond(e) {
		to = from.Add(time.Second)
	}
	if back := c.lookback(e); back > 0 && !appEnds(a) {
		// A line before the app's end (its start, what it logged on
		// the way) of a request that may have lasted as long as the
		// proxy waits lies anywhere in that time (appwindow.go).
		from = from.Add(-back)
	} else if e.RequestTime > 0 && !appEnds(a) {
		// A request whose time the proxy logs (HAProxy's Ta, nginx's
		// $request_time) started that long before its access line's
		// time: its start line lies there, and what it logged on the
		// way anywhere between. Measured from the end, HAProxy's 504
		// after 1001 ms (QA s30 s12, one path, six requests at once)
		// took the start another request logged 20 ms before the 504,
		// not its own 1 s before; measured as anywhere in the span, it
		// took every start of that second from the quick 502s beside it.
		rt := time.Duration(e.RequestTime * float64(time.Second))
		from = from.Add(-rt)
		if a.Phase == sources.PhaseStart {
			to = to.Add(-rt)
		}
	}
	switch {
	case t.Before(from):
		if w, late := c.lateAt(a); late { // a late line's span (applate.go)
			if !w.Before(from) {
				return 0
			}
			return from.Sub(w)
		}
		return from.Sub(t)
	case t.After(to):
		return t.Sub(to)
	}
	return 0
}

// wholeSecond reports whether e's time is a whole second of a log that
// writes no fraction (no proxy time so far had one).
func (c *correlator) wholeSecond(e *sources.ProxyEntry) bool {
	return !c.skew.subSecond && e.Time.Nanosecond() == 0
}

// requestFit is how well one app request's lines (one id's, in time
// order) fit e: by the status it finished with and its last line.
func (c *correlator) requestFit(e *sources.ProxyEntry, lines []*sources.AppEntry) appFit {
	_, end := appPhases(lines)
	status := 0
	if end != nil {
		status = end.Status
	}
	return appFit{status: statusFit(e.Status, status), gap: c.appGap(e, lines[len(lines)-1])}
}
