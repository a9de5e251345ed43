package classify

import (
	"time"

	"fivexx/sources"
)

// An app line the time window may join is held for the retention (two
// minutes). With request ids on both sides the three-file report lets an
// answered request's lines go when its access line comes (release.go); a
// plain combined access log names no id, so every app line was held the
// whole two minutes: 33,000 lines, 26 MB of live heap on the 2 M bench set
// (the line's copy 11 MB, the held-line array 8 MB, the id index 3 MB),
// and 57-64 MB peak RSS.
//
// A 5xx's window reaches back by its request time, by Match and, for a 504
// without a request time, by the upstream timeout (appwindow.go); but an
// end line (a status, a "finished") before the narrow window, which does
// not reach back by the timeout, is another request's (endsEarly). So once
// a proxy entry without a request id has come (the window joins from then
// on) and while none has given a request time (a combined log never does),
// a request whose held lines are all end lines (one "request finished"
// line with its status, as most JSON app logs write) can be joined by no
// 5xx whose time is later than the lines' by more than Match, on the app's
// clock: its lines are let go (release) once the horizon (the log clock,
// or the oldest waiting 5xx's time) has passed them by dropReach. A line's
// time here is when it was written at the latest (applate.go), as the
// window takes it: an app that stamps a request's start writes a 25 s
// request's line 25 s behind its stamp, and by the stamp it was let go
// before its 5xx was judged. (In a busy log the queue kept it anyway, as
// its place in the queue is the lines' before it, written as late, and the
// walk stops at the first not past the reach; with the quick requests'
// lines not queued, no id on them, nothing did:
// TestLateAppLineGoesByWhenItWasWritten.) Requests with a start or any
// other line are kept the whole retention, as is every line once an entry
// gives a request time. A later line of the same id (a client that sends
// its X-Request-ID again) then stands alone, as in the three-file report
// (releaseJudged): before, an end line of its id up to two minutes earlier
// made a 504 pass over it.

// dropReach is how far behind the horizon an end line is let go: Match
// (the narrow window), the grace and the most an access line came behind
// one before it (a log that stamps requests with their start, as Apache's
// %t does, writes a long one's line late), and the rest for a skew
// estimate that moves.
func (c *correlator) dropReach() time.Duration {
	return c.cfg.Match + c.cfg.Grace + c.proxyLate + 10*time.Second
}

// notePlace notes a proxy entry's time, at, for proxyLate (every entry's:
// one far ahead of the clock makes the rest late, and lines are then held
// the whole retention). As instants: time.Time's After and Sub, which the
// compiler does not inline, were 190 instructions an access line, 2% of a
// report's (callgrind, the 200 k set). Small enough to be inlined.
func (c *correlator) notePlace(at logInstant) {
	if at != c.proxyLast { // most are the latest's time: logs of whole seconds
		c.noteOtherPlace(at)
	}
}

// noteOtherPlace is notePlace for an entry of another time than the
// latest's; not inlined, so that notePlace is.
//
//go:noinline
func (c *correlator) noteOtherPlace(at logInstant) {
	if c.proxyLast.before(at) {
		c.proxyLast = at
	} else if late := c.proxyLast.sub(at); late > c.proxyLate {
		c.proxyLate = late
	}
}

// endedLine is a held end line with an id, in arrival order.
type endedLine struct {
	at logInstant // on the proxy's clock
	h  uint64     // its id's hash
}

// noteEnded queues a, an app end line held with an id and a path, to be
// let go once no window can take it.
func (c *correlator) noteEnded(a *sources.AppEntry, h uint64) {
	if !c.proxyNoID || c.proxyTimed || c.cfg.Timeline {
		return
	}
	c.ended = append(c.ended, endedLine{at: instantOf(c.written(a).Add(-c.appSkew(a))), h: h})
}

// dropEnded lets go of the requests whose held lines are all end lines
// older than the horizon now by dropReach.
func (c *correlator) dropEnded(now time.Time) {
	if len(c.ended) == 0 {
		return
	}
	if c.proxyTimed {
		clear(c.ended)
		c.ended = c.ended[:0]
		return
	}
	reach := c.dropReach()
	bound := instantOf(now.Add(-reach))
	n := 0
	for ; n < len(c.ended) && c.ended[n].at.before(bound); n++ {
		h := c.ended[n].h
		refs := c.heldRefs(h)
		if len(refs) == 0 {
			continue
		}
		gone := true
		for _, r := range refs {
			if !appEnds(r.e) || r.seq < 0 || !c.written(r.e).Add(-c.appSkew(r.e)).Before(now.Add(-reach)) {
				gone = false
				break
			}
		}
		if gone {
			c.release(h)
		}
	}
	if n > 0 {
		c.ended = c.ended[:copy(c.ended, c.ended[n:])]
	}
}
