package classify

import "fivexx/sources"

// A report lets go of an error-log line as soon as a 5xx has taken it
// (errorsFor): a line taken is used up (assign.go), so no join can find it
// again, and a report makes no timeline that would show it. Kept, it held
// its record and text for the whole retention, counted against the line
// cap: in a storm of refused 502s at 10,000/s, each with its error line,
// the taken lines filled the cap (200,000 lines, about 130 MB with their
// text), and the cap then cut lines of the 5xx still waiting and judged
// them early on their account. An engine that makes timelines (live, a
// replay, now or later) keeps them: a timeline shows them.
//
// A held line's place in lines is its seq (base plus its index), noted
// per error line while it is held: errSeq is nil in an engine that keeps
// the lines.

// The same engine does not hold an app line with neither a request id
// nor a path (hold): no index holds it, so no join can find it. In the
// storm's report of 1,000,000 requests the app's 100,000 ticks of its
// 100 s were all held, 25 MB, and the line cap counted them.

// releasesErrors reports whether taken error lines are let go at once,
// and app lines no join can find not held.
func (c *correlator) releasesErrors() bool { return !c.cfg.Timeline && !c.namesOwn }

// noteErrSeq notes the place in lines of the error line r held at seq.
func (c *correlator) noteErrSeq(r *sources.ProxyError, seq int) {
	if c.errSeq == nil {
		c.errSeq = map[*sources.ProxyError]int{}
	}
	c.errSeq[r] = seq
}

// releaseTaken lets go of the held error line x, which a 5xx took.
func (c *correlator) releaseTaken(x *sources.ProxyError) {
	seq, ok := c.errSeq[x]
	if !ok {
		return // held apart, or not held
	}
	delete(c.errSeq, x)
	i := seq - c.base
	if i < c.head || i >= len(c.lines) || c.lines[i].rec != sources.Record(x) {
		return
	}
	c.lines[i].rec = nil
	c.nils++
	c.releasedErrors++
}

// renumberErr moves the place noted for the error line r from seq to to
// (-1: held apart, in no place of lines).
func (c *correlator) renumberErr(r *sources.ProxyError, seq, to int) {
	if old, ok := c.errSeq[r]; ok && old == seq {
		if to < 0 {
			delete(c.errSeq, r)
		} else {
			c.errSeq[r] = to
		}
	} else if !ok && seq < 0 && to >= 0 && c.releasesErrors() && r.Request+r.Path != "" {
		c.noteErrSeq(r, to) // back from apart
	}
}
