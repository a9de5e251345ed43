package classify

import (
	"slices"
	"strconv"
	"time"

	"fivexx/sources"
)

// A request id joins an app line to its 5xx wherever in the logs the two
// lie, as long as the line is held (Config.Retain, two minutes) when the
// 5xx is judged, which is its grace and up to a minute more for an app
// ahead (appwait.go) after it. An app whose clock runs further off has
// its lines come outside that: 1 h ahead, after the verdicts; 5 min
// behind, let go before their 5xx came. The skew the logs' heads tell
// (cmd/fivexx headskew.go) has the merge move them, but only when the
// heads hold the same requests: the QA's app that logs only its errors
// (the real biglog's 5xx) wrote its first line 2 s into an access log
// whose 32 KB head holds 0.25 s. Its lines then joined nothing, no sample
// told its clock, and the advice said "no request id joins them" of lines
// that each carried a 5xx's id, or said nothing. The rules are:
//   - an app line with a request id let go unjoined for its age (evict;
//     not for the line cap) while no id joined a 5xx nor filled the skew
//     estimate (the app's clock is not known to agree), or once such
//     lines were matched, is remembered: the last goneMax of them, by id
//     (gone);
//   - an access entry of a remembered id is matched with its line, which
//     is held again at the entry's place for a 5xx to join by id (also
//     when it was let go while the 5xx waited: appFor);
//   - so is, in a report, an app line that comes more than the grace and
//     the longest wait after its 5xx's access line (after its verdict),
//     when the two mark the same moment (MomentStatus: the later line of
//     a 5xx the proxy made on its own may be of a request the app ended
//     long after the proxy gave up);
//   - a match whose lines mark the same moment is a skew sample: the
//     estimate moves the app's later lines to the proxy's clock (an app
//     behind has them held apart until their 5xx come);
//   - a report or replay with matches says that the clocks look skewed,
//     by the estimate (or, with no sample, by the matches' median), and
//     names --app-skew with it: the verdicts before an app ahead's lines
//     came say nothing of them, and until the skew was known the time
//     window looked for lines without an id on the wrong clock. Live,
//     lines come as they are written, and the estimate moves the next.
//
// Nothing is remembered where the clocks agree: the ids join, or the
// samples of requests that went well fill the estimate, in the first
// seconds, long before any line is let go for its age.

// goneMax is how many app lines let go unjoined are remembered.
const goneMax = 8192

// goneGiveUp is how many app lines let go are remembered, none matched,
// before no more are: the ids of that app are not the proxy's.
const goneGiveUp = 4 * goneMax

// outsideIDs are the request ids that matched outside the time that
// joins them (see above).
type outsideIDs struct {
	gone  map[uint64]goneLine // by id hash
	order []uint64            // gone's keys in the order noted, a ring of goneMax
	next  int                 // the place in order of the next one noted
	noted int64               // lines noted in all
	// matches counts the ids matched, late those of them whose app line
	// came after the verdict; moments those whose lines mark the same
	// moment (skew samples), held the lines held again for a 5xx to
	// join. offsets are the first matches' app time less the proxy's.
	matches, late, moments, held int64
	offsets                      []time.Duration
	// merged is the skew the merge took off the app lines' times
	// (Engine.noteMerged).
	merged time.Duration
}

// goneLine is an app line let go, remembered: the line (a held line's
// own copy) and its kind (its input and zone: correlator.kinds).
type goneLine struct {
	a    *sources.AppEntry
	kind uint32
	slot int32 // its place in order
}

// notingGone reports whether app lines let go are to be remembered (see
// the rules).
func (c *correlator) notingGone() bool {
	o := &c.outside
	if c.skew.fixed || c.proxyNoID || (o.matches == 0 && o.noted >= goneGiveUp) {
		return false
	}
	return o.matches > 0 || (c.idJoins == 0 && c.skew.n < len(c.skew.samples))
}

// noteGone remembers app line a, of kind kind, let go unjoined.
func (c *correlator) noteGone(a *sources.AppEntry, kind uint32) {
	if a.Time.IsZero() {
		return
	}
	o := &c.outside
	if o.gone == nil {
		o.gone = map[uint64]goneLine{}
		o.order = make([]uint64, goneMax)
	}
	h := a.IDKey()
	g := goneLine{a: a, kind: kind}
	if old, ok := o.gone[h]; ok {
		if !appEnds(old.a) || appEnds(a) { // a request's end tells its moment; a later start line does not
			g.slot = old.slot
			o.gone[h] = g
		}
		return
	}
	if o.noted >= goneMax {
		// The oldest goes, unless it was matched (and its id noted anew).
		if k := o.order[o.next]; o.gone[k].slot == int32(o.next) {
			delete(o.gone, k)
		}
	}
	g.slot = int32(o.next)
	o.order[o.next] = h
	o.next = (o.next + 1) % goneMax
	o.gone[h] = g
	o.noted++
}

// matchGone matches access entry e with the app line of its id let go
// before it came, if one is remembered, and says so: a skew sample when
// they mark the same moment, and, for a 5xx, the line is held again for
// it to join.
func (c *correlator) matchGone(e *sources.ProxyEntry) bool {
	h := e.IDKey()
	g, ok := c.outside.gone[h]
	if !ok || g.a.RequestID != e.RequestID {
		return false
	}
	delete(c.outside.gone, h)
	c.outside.match(g.a.Time.Sub(e.Time))
	if !c.skew.fixed && MarksMoment(MomentStatus(e), g.a) {
		c.outside.moments++
		c.skew.sample(e.Time, g.a.Time)
	}
	if e.Status >= 500 {
		// At the 5xx's place in the held lines: it is let go as the
		// lines around it are, or with the 5xx's verdict (release).
		l := c.heldAt(instantOf(e.Time), c.kinds[g.kind].zone, c.kinds[g.kind].in)
		l.rec = g.a
		c.toEntries(h) // the list's order is the lines' (heldapp.go)
		seq := c.base + len(c.lines)
		c.push(l)
		refs := c.byID[h]
		if len(refs) == 0 {
			c.heldIDs.add(h)
		}
		c.byID[h] = append(refs, appRef{e: g.a, seq: seq})
		c.outside.held++
	}
	return true
}

// matchLate counts app line a, which came after the access line of its
// 5xx, noted as v, when it came after the verdict (see the rules) and
// marks the same moment: the skew sample is sampleSkew's.
func (c *correlator) matchLate(v proxySeen, a *sources.AppEntry) {
	if c.cfg.Live || v.answered() || !MarksMoment(v.moment(), a) {
		return
	}
	// In the merge's order: it read the app's line at its time less the
	// skew known before reading.
	if d := a.Time.Sub(v.time()); d-c.outside.merged > c.cfg.Grace+maxAppWait {
		c.outside.match(d)
		c.outside.late++
		c.outside.moments++
	}
}

// match counts an id matched outside its window, the app's line d from
// the proxy's.
func (o *outsideIDs) match(d time.Duration) {
	o.matches++
	if len(o.offsets) < 101 {
		o.offsets = append(o.offsets, d)
	}
}

// outsideAdvice is the advice of a report or replay whose request ids
// matched app lines outside the time that joins them (see the rules),
// unless --app-skew was given: the clocks look skewed, by so much.
func (e *Engine) outsideAdvice() (Advice, bool) {
	c := e.corr
	o := &c.outside
	if e.cfg.Live || c.skew.fixed || o.matches == 0 {
		return Advice{}, false
	}
	skew, by := c.skew.value(), "the request ids put"
	if o.moments == 0 || skew == 0 {
		// No match marked one moment (the proxy's own 5xx, whose app
		// line may end later): their median tells about as much.
		ds := slices.Clone(o.offsets)
		slices.Sort(ds)
		skew, by = ds[len(ds)/2], "the request ids matched put"
	}
	skew = skew.Round(time.Second)
	off, side := skew, "ahead of"
	if skew < 0 {
		off, side = -skew, "behind"
	}
	n := strconv.FormatInt(o.matches, 10) + " app lines"
	if o.matches == 1 {
		n = "1 app line"
	}
	clock := by + " the app's clock " + skewFlag(off) + " " + side + " the proxy's"
	a := Advice{Fix: "run again with --app-skew " + skewFlag(skew) + " (the app's lines are then read at the proxy's time), or set the app host's clock right"}
	if o.late > 0 {
		a.Problem = n + " came after the verdict of the 5xx whose request id they carry (a 5xx waits up to " + skewFlag(maxAppWait) + " for an app ahead): " +
			clock + ", and those verdicts say nothing of their app lines"
	} else {
		a.Problem = n + " with a request id came before their request's access line by more than an app line is held (" + skewFlag(c.cfg.Retain) + "): " +
			clock + "; " + strconv.FormatInt(o.held, 10) + " were joined to their 5xx by id when it came (of the last " + strconv.Itoa(goneMax) +
			" let go), but until the skew was known the time window looked for app lines on the wrong clock"
	}
	return a, true
}
