package classify

import (
	"strconv"
	"time"
)

// An app's clock that runs off the proxy's (stamps without a zone written
// in another zone, or a clock a few seconds off) is estimated from request
// ids (skew.go). Without ids, the time window simply finds nothing: an app
// 9 h off, or 3 s, left every app 5xx unknown, "no app line within ±2 s",
// and the report said nothing of it. windowJoins counts what the window
// found, so that the advice can say so and name --app-skew.

// windowJoins counts the 5xx looked up by time window (no id joined them)
// and those it found app lines for.
type windowJoins struct {
	tried, found int64
	// answered counts the 5xx an upstream answered whose window held
	// app end lines (windowstatus.go), otherOnly those of them whose
	// lines all finished with another status than the upstream's.
	answered, otherOnly int64
}

// noteStatus counts what a 5xx's window held of end lines against the
// status its upstream answered (windowstatus.go).
func (w *windowJoins) noteStatus(h windowHeld) {
	if !h.ownStatus && !h.otherStatus {
		return
	}
	w.answered++
	if !h.ownStatus {
		w.otherOnly++
	}
}

// statusSays reports whether the window's lines tell a clock off by their
// status: at least three 5xx the app answered, and for a third of them or
// more the window held only lines of another status. With the clocks
// agreeing the request's own end lies in its window; with the app's clock
// 3 s ahead (QA s36 M1, three shared paths) 17 of 29 held only others'.
func (w *windowJoins) statusSays() bool {
	return w.otherOnly >= 3 && 3*w.otherOnly >= w.answered
}

// note counts one 5xx looked up by window, judged cause; found says it
// got app lines. A 5xx the app never saw (nothing listening, no upstream
// to send to, the proxy's own limiter) has no app line on any clock: the
// demo's deploy-crash, 1155 refused 502s, made the advice say "0 of 1155"
// and name --app-skew 9h beside "app clock +0s (from 159 ids)".
func (w *windowJoins) note(found bool, cause Cause) {
	switch cause {
	case UpstreamRefused, NoHealthyUpstream, ProxyRejected:
		if !found {
			return
		}
	}
	w.tried++
	if found {
		w.found++
	}
}

// clockAdvice is the advice when app lines were read, no request id ever
// joined a 5xx nor told the skew (the app's 2xx joined by id fix its
// clock: skew.go) nor matched an app line outside the time that joins
// them (outsideAdvice then says how far off the clock looks), none was
// given, and the window found app lines for under a fifth of at least
// three 5xx the app may have seen: the app's clock may run off, or it
// does not log these requests.
func (c *correlator) clockAdvice() (Advice, bool) {
	w := c.window
	if c.appLines == 0 || c.idJoins > 0 || c.skew.fixed || c.skew.n > 0 || c.outside.matches > 0 {
		return Advice{}, false
	}
	if w.tried < 3 || 5*w.found >= w.tried {
		if !w.statusSays() {
			return Advice{}, false
		}
		return Advice{
			Problem: "app lines were read, but for " + strconv.FormatInt(w.otherOnly, 10) + " of " + strconv.FormatInt(w.answered, 10) +
				" 5xx the app answered (their $upstream_status) the time window held only app lines that finished with another status, and no request id joins them: the app's clock may run off the proxy's (times without a zone written in another zone, or a clock seconds off), and the window finds other requests' lines",
			Fix: c.clockFix(),
		}, true
	}
	return Advice{
		Problem: "app lines were read, but the time window found some for only " + strconv.FormatInt(w.found, 10) + " of " + strconv.FormatInt(w.tried, 10) +
			" 5xx, and no request id joins them: the app's clock may run off the proxy's (times without a zone written in another zone, or a clock seconds off), or the app does not log these requests",
		Fix: c.clockFix(),
	}, true
}

// SkewHint is a skew of the app's clock a zone's offset makes, that
// Pairs requests of the logs' heads, paired by method, target and status
// at that offset, told, too few to take it (Config.AppSkewHint).
type SkewHint struct {
	Skew  time.Duration
	Pairs int
}

// clockFix is the clock advice's fix: the flag's value when the heads
// told one (Config.AppSkewHint), else how to work it out, sign and all
// (the app's time less the proxy's): its example "--app-skew 9h" was
// taken for the value to give, and HAProxy's zone-less stamps written at
// +0100 beside an app in UTC need -1h.
func (c *correlator) clockFix() string {
	if h := c.cfg.AppSkewHint; h.Pairs > 0 && h.Skew != 0 {
		return "run again with --app-skew " + skewFlag(h.Skew) + " (" + strconv.Itoa(h.Pairs) +
			" requests at the logs' heads pair by method, target and status at that offset: the app's time less the proxy's); or log the app's times with their zone"
	}
	return "compare one request's time in both logs and give the app's less the proxy's: --app-skew 1h when the app logs 01:00 for the proxy's 00:00, -3s when it logs 23:59:57; or log the app's times with their zone"
}
