package classify

import (
	"time"

	"fivexx/sources"
)

// A proxy that gives up on a request (its read timeout: nginx's 504,
// HAProxy's sH--, Envoy's UT) does not stop the app, which finishes the
// request later and logs its end then. A report judges a 5xx once the log
// clock is its grace (5 s) past it, so the end line of a request the app
// finished more than that after the proxy gave up came after the verdict,
// which said "app: no line with request id …: the app never saw it". QA
// (session 27, the 200 k set): 668 of 776 504s said so, their app's
// "request finished" 5 s after the proxy gave up; in the 2 M bench set
// 6,040 of its 7,224 504s did, every one's end line 5 to 25 s after the
// 504. A timed-out request is the very one the app finishes later.
//
// The rules are:
//   - in a report or a replay (the file holds what comes next, read by log
//     time), a 5xx the proxy timed out (504, or a read timeout its entry
//     or error line gives) with a request id, whose id no held app line
//     carries, or only lines that do not end the request, waits on for
//     the app's end line once its grace is over; live does not (its
//     verdicts are for now, and wait by wall time: applag.go);
//   - it waits apart from the pending queue, which is judged in order: a
//     5xx waiting a minute at its head held back every 5xx after it, and
//     the held lines with them (horizon);
//   - what it waits for is its app lines alone: its error lines are taken
//     when its grace is over, as before, so the other 5xx are told the
//     same; the alert rates count it then too, by the cause its lines so
//     far give (the alert reads the last 30 s);
//   - it is judged once an app line with its id that ends the request
//     comes, or when the log clock is lateWait past its grace (the
//     upstream timeout, 60 s by default: nginx's proxy_read_timeout, how
//     long the proxy itself lets a request run), or at the end of the
//     input; at most maxWaitingLate wait at once (the oldest is judged
//     when one more would), so memory stays bounded;
//   - whatever it waited, a verdict without an app line of its id says
//     how long the logs were read for one after it ("no app line with
//     request id … within 65 s after the 504"), not that the app never
//     saw it, which no log says.

// maxWaitingLate bounds the 5xx waiting for their app's end line (with
// Config.MaxPending): at 1 KB each with their kept entry and evidence,
// 4 MB.
const maxWaitingLate = 4096

// lateEntry is a 5xx waiting for its app's end line: what finalize took
// for it, and its request id's hash.
type lateEntry struct {
	p  pendingEntry
	ev evidence
	h  uint64
	// came: an app line with its id that ends the request has come.
	came bool
}

// timedOut reports whether the proxy gave up waiting for e's upstream:
// a 504, or a read timeout in its entry or its error lines.
func timedOut(e *sources.ProxyEntry, errs []*sources.ProxyError) bool {
	if e.Status == 504 || e.Reason == sources.ReasonReadTimeout {
		return true
	}
	for _, l := range errs {
		if l.Reason == sources.ReasonReadTimeout {
			return true
		}
	}
	return false
}

// endsIn reports whether one of app, lines of one request, ends it.
func endsIn(app []*sources.AppEntry) bool {
	for _, a := range app {
		if appEnds(a) {
			return true
		}
	}
	return false
}

// waitsLate reports whether p, judged from j (its own entry) with ev so
// far, is to wait for its app's end line (see the rules).
func (e *Engine) waitsLate(p pendingEntry, j *sources.ProxyEntry, ev *evidence) bool {
	return !e.cfg.Live && !p.early && !p.far && p.mesh == nil && j == p.e && j.RequestID != "" &&
		ev.appLog && ev.matchedBy == "request_id" && !endsIn(ev.app) && timedOut(j, ev.errs)
}

// waitLate has p wait for its app's end line with what finalize took for
// it; the oldest waiting is judged first when the queue is full.
func (e *Engine) waitLate(p pendingEntry, ev evidence) {
	if len(e.late) >= min(maxWaitingLate, e.cfg.MaxPending) {
		old := e.late[0]
		e.late[0] = lateEntry{}
		e.late = e.late[1:]
		e.judgeLate(old)
	}
	// The alerts count it now, by what its lines so far say: its verdict
	// comes too late for the 30 s they read.
	tv := ev
	tv.terse = true
	e.rates.add(judgeInto(tv, &e.rated))
	p.waited, p.short = true, e.corr.cutShort(p.e)
	h := p.e.IDKey()
	e.corr.waitEnd(h)
	e.late = append(e.late, lateEntry{p: p, ev: ev, h: h})
}

// lateWait is how long past its grace a 5xx waits for its app's end line.
func (e *Engine) lateWait() time.Duration { return e.cfg.UpstreamTimeout }

// advanceLate judges the 5xx whose app's end line has come, and those
// that waited lateWait past grace (Advance's, by log time).
func (e *Engine) advanceLate(grace time.Duration) {
	if !e.corr.endCame {
		// In the order they began to wait, each as long: from the head.
		n := 0
		for n < len(e.late) && e.lateDue(&e.late[n], grace) {
			e.judgeLate(e.late[n])
			n++
		}
		if n > 0 {
			left := copy(e.late, e.late[n:])
			clear(e.late[left:])
			e.late = e.late[:left]
		}
		return
	}
	e.corr.endCame = false
	kept := e.late[:0]
	for i := range e.late {
		l := &e.late[i]
		if !l.came {
			l.came = e.corr.endHeld(l.h, l.p.e.RequestID)
		}
		if l.came || e.lateDue(l, grace) {
			e.judgeLate(*l)
			continue
		}
		kept = append(kept, *l)
	}
	clear(e.late[len(kept):])
	e.late = kept
}

// lateDue reports whether l has waited lateWait past grace.
func (e *Engine) lateDue(l *lateEntry, grace time.Duration) bool {
	return e.logNow.Sub(e.waitsFrom(l.p.e.Time)) >= grace+e.lateWait()
}

// flushLate judges every 5xx still waiting (end of input: Flush sets
// flushing).
func (e *Engine) flushLate() {
	for _, l := range e.late {
		e.judgeLate(l)
	}
	clear(e.late)
	e.late = e.late[:0]
}

// judgeLate makes l's verdict with the app lines of its id held now.
func (e *Engine) judgeLate(l lateEntry) {
	e.corr.waitedEnd(l.h)
	ev := l.ev
	if app := e.corr.idLines(l.p.e); len(app) > 0 {
		if len(ev.app) == 0 {
			e.corr.idJoins++
		}
		ev.app, ev.appTaken, ev.witnesses = app, false, 0
		ev.lateApp, ev.lateWritten = nil, time.Time{}
		for _, a := range app {
			if w, late := e.corr.lateAt(a); late {
				ev.lateApp, ev.lateWritten = a, w
			}
		}
	}
	ev.appWaited, ev.appWaitedToEnd = e.appWaited(l.p.e), e.flushing
	e.conclude(l.p, l.p.e, ev, false, true)
}

// appWaited is how long after e, in log time on the app's clock, the app's
// lines have been read: the log clock, less e's time and how far ahead
// the app runs beyond what the merge took off (its lines come that much
// later).
func (e *Engine) appWaited(p *sources.ProxyEntry) time.Duration {
	d := e.logNow.Sub(p.Time)
	if ahead := e.appShift - e.merged; ahead > 0 {
		d -= ahead
	}
	return max(d, 0)
}

// waitEnd notes that a 5xx with request id hash h waits for its app's
// end line (Engine.waitLate).
func (c *correlator) waitEnd(h uint64) {
	if c.endWaits == nil {
		c.endWaits = map[uint64]int32{}
	}
	c.endWaits[h]++
}

// waitedEnd forgets one 5xx waiting for id hash h.
func (c *correlator) waitedEnd(h uint64) {
	if n := c.endWaits[h]; n > 1 {
		c.endWaits[h] = n - 1
	} else {
		delete(c.endWaits, h)
	}
}

// noteEnd notes, for hold, that app line a, with id hash h, has come: an
// end line of a request a 5xx waits for sets endCame.
func (c *correlator) noteEnd(a *sources.AppEntry, h uint64) {
	if appEnds(a) {
		if _, ok := c.endWaits[h]; ok {
			c.endCame = true
		}
	}
}

// endHeld reports whether an app line with request id id (hash h) that
// ends its request is held.
func (c *correlator) endHeld(h uint64, id string) bool {
	for _, r := range c.heldRefs(h) {
		if r.e.RequestID == id && appEnds(r.e) {
			return true
		}
	}
	return false
}

// idLines returns the held app lines with e's request id, in time order.
func (c *correlator) idLines(e *sources.ProxyEntry) []*sources.AppEntry {
	var out []*sources.AppEntry
	for _, r := range c.heldRefs(e.IDKey()) {
		if r.e.RequestID == e.RequestID { // not a hash collision
			out = append(out, r.e)
		}
	}
	sortAppByTime(out)
	return out
}
