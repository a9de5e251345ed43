package classify

import (
	"slices"
	"time"

	"fivexx/sources"
)

// errIndex holds the error lines of one join key once it has many
// (indexFrom): a burst of 5xx of one client on one path (behind a load
// balancer, a handful of addresses) has thousands, and errorsFor scanning
// all of them for each 5xx was quadratic: 20,000 refused 502s of one
// second took 10.8 s of CPU. The index finds a request's lines by its
// serial, and the lines of a span by a search of the lines in time order,
// so that errorsFor makes the very choices its scan made (assign.go) with
// work that does not grow with the key's lines.
type errIndex struct {
	// next is the arrival number the next line gets: the scan's order,
	// which picks the first logged on a tie.
	next  uint64
	seqOf map[*sources.ProxyError]uint64
	// byTime is the lines by time, then arrival.
	byTime []heldErr
	// bySerial is the lines by serial (Conn; "" those without one), in
	// arrival order.
	bySerial map[string][]heldErr
	// client, method and path are the first line's; mixed says a line
	// had others (another key with the same hash), which the fast path
	// does not handle.
	client, method, path string
	mixed                bool
	// causes counts the lines by the cause they give (lineCause).
	causes []causeCount
	// single is the lines of serials with one line (and those without a
	// serial) by the cause they give, each in time order; multi the lines
	// of serials with more, in time order. A 5xx looking for lines that
	// say something else than its own at its distance (contestOthers)
	// finds them by searches of these, not by a look at every line of
	// its span.
	single []causeLines
	multi  []heldErr
	// byStatus is the lines by the status they make (madeStatus), each
	// in time order: a 5xx leaves those it cannot have been sent for to
	// one that can (errstatus.go).
	byStatus []statusLines
}

// causeLines is the lines of one-line serials that give one cause (lineCause)
// and make one status (madeStatus): all of them, and open, those not yet
// marked contested by contestOthers. Every line of all not in open is
// contested.
type causeLines struct {
	cause     Cause
	status    int
	all, open []heldErr
}

// heldErr is an indexed line and its arrival number.
type heldErr struct {
	x   *sources.ProxyError
	seq uint64
}

type causeCount struct {
	cause Cause
	n     int
}

// indexFrom is how many lines a key holds before they are indexed: nearly
// every key has one (a request fails once), and a scan of a few is cheaper
// than keeping an index.
var indexFrom = 16 // a variable: the tests compare the index's choices with the scan's

// newErrIndex indexes lines, in arrival order.
func newErrIndex(lines []*sources.ProxyError) *errIndex {
	x := &errIndex{
		seqOf:    make(map[*sources.ProxyError]uint64, 2*len(lines)),
		bySerial: map[string][]heldErr{},
		client:   lines[0].Client, method: lines[0].Method, path: lines[0].Path,
	}
	for _, l := range lines {
		x.add(l)
	}
	return x
}

// cmpHeld orders lines by time, then arrival.
func cmpHeld(a, b heldErr) int {
	if c := a.x.Time.Compare(b.x.Time); c != 0 {
		return c
	}
	return cmpSeq(a.seq, b.seq)
}

func cmpSeq(a, b uint64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

func (x *errIndex) add(l *sources.ProxyError) {
	h := heldErr{l, x.next}
	x.next++
	x.seqOf[l] = h.seq
	if n := len(x.byTime); n == 0 || cmpHeld(x.byTime[n-1], h) <= 0 {
		x.byTime = append(x.byTime, h) // logs are in time order: nearly always
	} else {
		i, _ := slices.BinarySearchFunc(x.byTime, h, cmpHeld)
		x.byTime = slices.Insert(x.byTime, i, h)
	}
	x.bySerial[l.Conn] = append(x.bySerial[l.Conn], h)
	x.mixed = x.mixed || l.Client != x.client || l.Method != x.method || l.Path != x.path
	x.count(lineCause(l), 1)
	sl := x.statusOf(madeStatus(l))
	sl.lines = insertHeld(sl.lines, h)
	switch s := x.bySerial[l.Conn]; {
	case l.Conn == "" || len(s) == 1:
		x.addSingle(h)
	case len(s) == 2: // its serial's first line is one of several now
		x.dropSingle(s[0])
		x.multi = insertHeld(x.multi, s[0])
		fallthrough
	default:
		x.multi = insertHeld(x.multi, h)
	}
}

// insertHeld adds h to s, in time order.
func insertHeld(s []heldErr, h heldErr) []heldErr {
	if n := len(s); n == 0 || cmpHeld(s[n-1], h) <= 0 {
		return append(s, h) // logs are in time order: nearly always
	}
	i, _ := slices.BinarySearchFunc(s, h, cmpHeld)
	return slices.Insert(s, i, h)
}

// removeHeld drops h from s (in time order), if there.
func removeHeld(s []heldErr, h heldErr) []heldErr {
	if i, ok := slices.BinarySearchFunc(s, h, cmpHeld); ok {
		return dropHeld(s, i)
	}
	return s
}

// causeOf is the lines of single that give cause c and make status s,
// added if new.
func (x *errIndex) causeOf(c Cause, s int) *causeLines {
	for i := range x.single {
		if x.single[i].cause == c && x.single[i].status == s {
			return &x.single[i]
		}
	}
	x.single = append(x.single, causeLines{cause: c, status: s})
	return &x.single[len(x.single)-1]
}

// addSingle adds the line of a one-line serial, open: it may be
// contested already (by the scan's shareOut), which contestOthers's
// marking again does not change.
func (x *errIndex) addSingle(h heldErr) {
	cl := x.causeOf(lineCause(h.x), madeStatus(h.x))
	cl.all = insertHeld(cl.all, h)
	cl.open = insertHeld(cl.open, h)
}

func (x *errIndex) dropSingle(h heldErr) {
	cl := x.causeOf(lineCause(h.x), madeStatus(h.x))
	cl.all = removeHeld(cl.all, h)
	cl.open = removeHeld(cl.open, h)
}

// remove drops l and returns how many lines are left.
func (x *errIndex) remove(l *sources.ProxyError) int {
	seq, ok := x.seqOf[l]
	if !ok {
		return len(x.byTime)
	}
	delete(x.seqOf, l)
	h := heldErr{l, seq}
	if i, ok := slices.BinarySearchFunc(x.byTime, h, cmpHeld); ok {
		x.byTime = dropHeld(x.byTime, i)
	}
	s := x.bySerial[l.Conn]
	switch {
	case l.Conn == "" || len(s) == 1:
		x.dropSingle(h)
	default:
		x.multi = removeHeld(x.multi, h)
	}
	if i, ok := slices.BinarySearchFunc(s, seq, func(a heldErr, seq uint64) int { return cmpSeq(a.seq, seq) }); ok {
		if s = dropHeld(s, i); len(s) == 1 && l.Conn != "" { // the line left is its serial's only one
			x.multi = removeHeld(x.multi, s[0])
			x.addSingle(s[0])
		}
		if len(s) == 0 {
			delete(x.bySerial, l.Conn)
		} else {
			x.bySerial[l.Conn] = s
		}
	}
	x.count(lineCause(l), -1)
	sl := x.statusOf(madeStatus(l))
	sl.lines = removeHeld(sl.lines, h)
	return len(x.byTime)
}

// dropHeld removes s[i]. Lines go oldest first, mostly: the first goes by
// a reslice, not a copy of the rest.
func dropHeld(s []heldErr, i int) []heldErr {
	if i == 0 {
		s[0] = heldErr{} // let the collector have it
		return s[1:]
	}
	return slices.Delete(s, i, i+1)
}

func (x *errIndex) count(c Cause, d int) {
	for i := range x.causes {
		if x.causes[i].cause == c {
			if x.causes[i].n += d; x.causes[i].n == 0 {
				x.causes = slices.Delete(x.causes, i, i+1)
			}
			return
		}
	}
	x.causes = append(x.causes, causeCount{c, d})
}

// lineCause is the cause l gives as a request's only line (errCause): a
// reason's, or none. When every line of a key gives the same one, every
// request's lines give it too, whichever of them the request has.
func lineCause(l *sources.ProxyError) Cause {
	return errCause([]*sources.ProxyError{l})
}

// allGive reports whether every line held gives cause c (lineCause).
func (x *errIndex) allGive(c Cause) bool {
	return len(x.causes) == 1 && x.causes[0].cause == c
}

// span is the lines within [from, to]: byTime[lo:hi].
func (x *errIndex) span(from, to time.Time) (lo, hi int) {
	lo, _ = slices.BinarySearchFunc(x.byTime, from, func(h heldErr, t time.Time) int {
		if h.x.Time.Before(t) {
			return -1
		}
		return 1
	})
	hi, _ = slices.BinarySearchFunc(x.byTime, to, func(h heldErr, t time.Time) int {
		if h.x.Time.After(t) {
			return 1
		}
		return -1
	})
	return lo, max(lo, hi)
}

// fitting is the lines that may be e's (errFits), in arrival order.
func (x *errIndex) fitting(e *sources.ProxyEntry, from, to time.Time) []*sources.ProxyError {
	var in []heldErr
	if e.Conn != "" {
		// Only its serial's lines and those without a serial fit.
		own, bare := x.bySerial[e.Conn], x.bySerial[""]
		for _, h := range own {
			if errFits(e, h.x, from, to) {
				in = append(in, h)
			}
		}
		for _, h := range bare {
			if errFits(e, h.x, from, to) {
				in = append(in, h)
			}
		}
	} else {
		lo, hi := x.span(from, to)
		for _, h := range x.byTime[lo:hi] {
			if errFits(e, h.x, from, to) {
				in = append(in, h)
			}
		}
	}
	if len(in) == 0 {
		return nil
	}
	slices.SortFunc(in, func(a, b heldErr) int { return cmpSeq(a.seq, b.seq) })
	out := make([]*sources.ProxyError, len(in))
	for i, h := range in {
		out[i] = h.x
	}
	return out
}

// nearest is the line of byTime[lo:hi] (not empty) nearest in time to t,
// the first logged on a tie: shareOut's pick.
func (x *errIndex) nearest(lo, hi int, t time.Time) *sources.ProxyError {
	return nearestHeld(x.byTime[lo:hi], t).x
}

// nearestHeld is the line of lines (in time order, not empty) nearest in
// time to t, the first logged on a tie.
func nearestHeld(lines []heldErr, t time.Time) *heldErr {
	p, _ := slices.BinarySearchFunc(lines, t, func(h heldErr, t time.Time) int {
		if h.x.Time.Before(t) {
			return -1
		}
		return 1
	})
	var best *heldErr
	if p < len(lines) {
		best = &lines[p] // the first logged of the first time from t on
	}
	if p > 0 {
		// The first logged of the last time before t.
		lt := lines[p-1].x.Time
		q, _ := slices.BinarySearchFunc(lines[:p], lt, func(h heldErr, t time.Time) int {
			if h.x.Time.Before(t) {
				return -1
			}
			return 1
		})
		left := &lines[q]
		if best == nil {
			best = left
		} else if gl, gr := gapOf(left.x.Time, t), gapOf(best.x.Time, t); gl < gr || gl == gr && left.seq < best.seq {
			best = left
		}
	}
	return best
}

// anyFits reports whether a line of byTime[lo:hi] (e's span, not empty) may be w's,
// w's span being [wf, wt]: whether w is e's rival. All the lines are of
// e's client, method and path (not mixed).
func (x *errIndex) anyFits(w *sources.ProxyEntry, wf, wt time.Time, lo, hi int) bool {
	if w.Client != x.client || w.Method != x.method || w.Path != x.path {
		return false
	}
	if w.Conn == "" && w.ClientPort == "" && !x.limitBars(w) {
		// Most often the rivals are of e's very second: the span's first
		// or last line is in w's, and no search is needed (a rival's
		// two searches were three quarters of a burst's CPU).
		for _, h := range [2]heldErr{x.byTime[lo], x.byTime[hi-1]} {
			if !h.x.Time.Before(wf) && !h.x.Time.After(wt) {
				return true
			}
		}
		a, b := x.span(wf, wt)
		return max(a, lo) < min(b, hi)
	}
	if w.Conn != "" {
		// Only w's serial's lines and those without one may be w's.
		for _, s := range []string{w.Conn, ""} {
			for _, h := range x.bySerial[s] {
				if x.inRange(h, lo, hi) && errFits(w, h.x, wf, wt) {
					return true
				}
			}
		}
		return false
	}
	for _, h := range x.byTime[lo:hi] {
		if errFits(w, h.x, wf, wt) {
			return true
		}
	}
	return false
}

// inRange reports whether h lies within byTime[lo:hi].
func (x *errIndex) inRange(h heldErr, lo, hi int) bool {
	return lo < hi && cmpHeld(x.byTime[lo], h) <= 0 && cmpHeld(h, x.byTime[hi-1]) <= 0
}

// serials is serialsOf over byTime[lo:hi].
func (x *errIndex) serials(lo, hi int) int {
	lines := make([]*sources.ProxyError, 0, hi-lo)
	for _, h := range x.byTime[lo:hi] {
		lines = append(lines, h.x)
	}
	return serialsOf(lines)
}
