package classify

import (
	"strconv"
	"time"

	"fivexx/sources"
)

// App and error lines are held for the retention (Config.Retain, two
// minutes of log time) past the horizon, the log clock or the oldest
// waiting 5xx's time. The inputs are merged by time, but one file is read
// in its own order: an access log whose lines come minutes out of order
// (every 7th line 5 minutes early, as QA s37 wrote one; an Apache log
// stamped with each request's start, a long request's line written when
// it ended) has a 5xx's access line come after its error-log line, read
// in time order from its own file, was let go. 285 of 5,000 refused 502s
// lost their error line so and were called unknown, without a word;
// shifts of 121 s lost lines, of 119 s none.
//
// So once a 5xx has been judged so (Dropped.Behind), the retention reaches
// back further by how late that 5xx's access line came behind the latest
// before it, up to maxLateHold: from then on, the lines of late 5xx' time
// are still held. Not from the first late line on, nor by how late any
// line came (proxyLate, windowdrop.go): HAProxy stamps a request with its accept time and writes it
// when it ends, so a log with one long-lived connection (a WebSocket, a
// download) has a line minutes late, and every app line without an id
// would then be held up to six times as long, for 5xx that never needed
// them. The lines the cap allows (Config.MaxLines) bound the memory as
// before. What came later than was held, the first late 5xx and any later
// by more than maxLateHold, is counted (Dropped.Behind) and said in the
// advice (agedAdvice).

// maxLateHold is the most the retention grows by for access lines that
// come late.
const maxLateHold = 10 * time.Minute

// retention is how long before the horizon app and error lines are held.
func (c *correlator) retention() time.Duration {
	return c.cfg.Retain + min(c.behindLate, maxLateHold)
}

// judgedBehind counts e, a 5xx judged with no error-log line and no app
// line joined by request id, when the retention had let go of an app or
// error line of its time (its logged time less Match) before it was judged.
func (c *correlator) judgedBehind(e *sources.ProxyEntry) {
	if c.agedCut == (logInstant{}) {
		return
	}
	if !c.agedCut.before(instantOf(e.Time.Add(-c.cfg.Match))) {
		c.dropped.Behind++
		// How late its line came: behind the latest access line's time
		// (the 5xx waited for its verdict since, seconds at most).
		c.behindLate = max(c.behindLate, c.proxyLast.sub(instantOf(e.Time)))
	}
}

// agedFix is the advice's fix on access lines out of time order.
const agedFix = "sort the access log's lines by time and run the report on the sorted file (a log stamped with each request's start, as Apache's %t and HAProxy's accept date are, is out of order by design; else give each writer its own file)"

// agedAdvice says how many 5xx were judged without the lines the
// retention had let go before their access line came.
func (e *Engine) agedAdvice() (Advice, bool) {
	n := e.corr.dropped.Behind
	if n == 0 {
		return Advice{}, false
	}
	what := strconv.FormatInt(n, 10) + " 5xx were"
	if n == 1 {
		what = "1 5xx was"
	}
	late := e.corr.behindLate.Round(time.Second)
	return Advice{
		Problem: what + " judged without the error-log and app lines of their time: their access lines came up to " + skewFlag(late) +
			" behind lines of later times, after those lines had been let go (they are held " + skewFlag(e.cfg.Retain) +
			", and longer by how late access lines came, up to " + skewFlag(maxLateHold) + "); their causes may be guesses",
		// Sorting first: it is the fix for both causes. A log stamped
		// with each request's start (Apache's %t, HAProxy's accept date)
		// writes its lines out of time order by design, and "each writer
		// to its own file" was no fix for it (review s37).
		Fix: agedFix,
	}, true
}
