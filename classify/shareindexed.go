package classify

import (
	"slices"
	"time"

	"fivexx/sources"
)

// shareOutIndexed is errorsFor's choice (the len(in) == 1 case, then
// shareOut) made through the index of a key with many lines, for a 5xx
// whose access line logs no serial: every line of its span may be its,
// and there may be thousands (a burst in one second). It counts them,
// finds the nearest and the rivals by searches of the lines in time order,
// and takes the nearest's serial's lines from their own list. done is
// false when it cannot (no index; a serial-less nearest line, a client
// port, lines of another key, limiter lines e cannot have), and nothing
// was changed: the scan decides.
func (c *correlator) shareOutIndexed(e *sources.ProxyEntry, x *errIndex, from, to time.Time) (took []*sources.ProxyError, guess *errGuess, done bool) {
	if x == nil || e.Conn != "" || e.ClientPort != "" || x.mixed ||
		e.Client != x.client || e.Method != x.method || e.Path != x.path || x.limitBars(e) {
		return nil, nil, false
	}
	// Every line of the span fits (errFits): in is byTime[lo:hi].
	lo, hi := x.span(from, to)
	n := hi - lo
	switch n {
	case 0:
		return nil, nil, true
	case 1:
		l := x.byTime[lo].x
		if p := c.indexPrefs(e, x, from, to); !p.candidate(l) {
			return nil, nil, true // another 5xx's by its status
		}
		took = []*sources.ProxyError{l}
		if c.contested[l] {
			guess = &errGuess{rivals: 1, lines: 1, serial: l.Conn}
		} else if n := c.ties(e, errList{idx: x}, took); n > 0 {
			guess = &errGuess{rivals: n, lines: 1, serial: l.Conn, short: true}
		}
		return took, guess, true
	}
	p := c.indexPrefs(e, x, from, to)
	var pick *sources.ProxyError
	if !p.bad {
		pick = x.nearest(lo, hi, e.Time)
	} else if pick = x.nearestOfTier(&p, from, to); pick == nil {
		return nil, nil, true // every line is another 5xx's by its status
	}
	later := func(l *sources.ProxyError) bool {
		return l.Conn != "" && x.laterRequest(e, &p, l, from, to)
	}
	if later(pick) {
		// A serial that is not a later request's, near (shareOut).
		if near := x.nearestWhere(lo, hi, e.Time, attemptsLook, func(l *sources.ProxyError) bool {
			return p.inTier(l) && l.Conn != "" && !later(l)
		}); near != nil {
			pick = near
		}
	}
	serial := pick.Conn
	if serial == "" {
		return nil, nil, false // the nearest lines without a serial: the scan sorts them
	}
	// How many other 5xx want these lines (shareOut).
	var serialLines []*sources.ProxyError
	for _, h := range x.bySerial[serial] {
		if errFits(e, h.x, from, to) && p.candidate(h.x) {
			if serialLines = append(serialLines, h.x); len(serialLines) > retryLines {
				break
			}
		}
	}
	few := len(serialLines) > 0 && len(serialLines) <= retryLines
	rivals, ties := 0, 0
	var wanting []*sources.ProxyEntry // the rivals that want serialLines
	c.keyRivals(e, func(w *sources.ProxyEntry) {
		wf, wt := c.errSpan(w)
		if few {
			if gap, ok := c.wants(e, w, errList{idx: x}, serialLines); ok {
				rivals++
				wanting = append(wanting, w)
				if gap <= gapOf(pick.Time, e.Time) {
					ties++
				}
			}
			return
		}
		if x.anyFits(w, wf, wt, lo, hi) {
			rivals++
		}
	})
	share := (n + rivals) / (rivals + 1)
	retried, exact := false, false
	if len(wanting) > 0 && n <= attemptsLook {
		// The app's own answers may tell a request's retries (retriedShare).
		var k int
		if k, exact, retried = c.retriedShare(e, wanting, n, x.serials(lo, hi), len(serialLines)); retried {
			share = k
		}
	}
	if attempts(e) != maxAttempts {
		share = n // its access line lists its attempts: they bound it
	}

	failed := 0
	for _, h := range x.bySerial[serial] {
		if len(took) == share {
			break
		}
		if !errFits(e, h.x, from, to) || !p.candidate(h.x) {
			continue
		}
		if reasonCause(h.x.Reason) != "" {
			if failed == attempts(e) {
				break // the next request's on this keep-alive connection
			}
			failed++
		}
		took = append(took, h.x)
	}

	// A guess when a line left at (nearly) the same distance says
	// something else (shareOut). When every line held gives the cause
	// e's give, none can.
	mine := errCause(took)
	guessed := false
	for _, l := range took {
		guessed = guessed || c.contested[l]
	}
	if !x.allGive(mine) && c.contestOthers(e, x, &p, took, mine, from, to) {
		guessed = true
	}
	if !guessed {
		if few && ties >= n || retried && (ties > 0 || !exact) {
			return took, &errGuess{rivals: rivals, lines: n, serial: serial, short: true}, true
		}
		return took, nil, true
	}
	return took, &errGuess{rivals: rivals, lines: n, serial: serial}, true
}

// ofSerial is the lines of e's span that carry l's serial, in arrival
// order, or l alone when it has none: linesOfSerial over e's lines.
func (x *errIndex) ofSerial(e *sources.ProxyEntry, l *sources.ProxyError, from, to time.Time) []*sources.ProxyError {
	if l.Conn == "" {
		return []*sources.ProxyError{l}
	}
	var out []*sources.ProxyError
	for _, h := range x.bySerial[l.Conn] {
		if errFits(e, h.x, from, to) {
			out = append(out, h.x)
		}
	}
	return out
}

// contestOthers marks contested every line of e's span [from, to], not
// taken, at (nearly) the distance of took's first from e (under a second
// more or less), whose serial's lines there give another cause than
// mine; and reports whether there was one. That is, a line h of
// byTime[lo:hi] when
//
//	!slices.Contains(took, h.x) && absDur(gapOf(h.x.Time, e.Time)-gap) < time.Second &&
//	errCause(x.ofSerial(e, h.x, from, to)) != mine
//
// as the loop over those lines that it stands for had it. That loop was
// quadratic in a burst whose lines say different things (thousands of
// refused and timed-out lines of one client on one path, each 5xx
// looking at all of them): here the lines of one-line serials are found
// by searches of their cause's lines in time order, one search for
// whether there is one, and those not marked yet are marked and leave
// open, so that each is marked once; only the lines of serials with
// several lines are looked at one by one (their cause is their serial's
// lines' within e's span).
func (c *correlator) contestOthers(e *sources.ProxyEntry, x *errIndex, p *errPrefs, took []*sources.ProxyError, mine Cause, from, to time.Time) bool {
	t := e.Time
	gap := gapOf(took[0].Time, t)
	// The times at that distance: |h - t| in (gap - 1 s, gap + 1 s),
	// open intervals, one or two.
	type span struct{ after, before time.Time }
	var near [2]span
	n := 1
	if gap < time.Second {
		near[0] = span{t.Add(-gap - time.Second), t.Add(gap + time.Second)}
	} else {
		near[0] = span{t.Add(-gap - time.Second), t.Add(-gap + time.Second)}
		near[1] = span{t.Add(gap - time.Second), t.Add(gap + time.Second)}
		n = 2
	}
	found := false
	mark := func(l *sources.ProxyError) {
		if c.contested == nil {
			c.contested = map[*sources.ProxyError]bool{}
		}
		c.contested[l] = true
	}
	var causeOf map[string]Cause // of each serial with several lines, within e's span
	for _, iv := range near[:n] {
		within := func(s []heldErr) (i, j int) {
			return heldFrom(s, iv.after, from), heldBefore(s, iv.before, to)
		}
		for k := range x.single {
			cl := &x.single[k]
			if cl.cause == mine || len(cl.all) > 0 && !p.inTier(cl.all[0].x) {
				continue // one status's lines: all in e's tier or none
			}
			if i, j := within(cl.all); i < j {
				found = true
			}
			if i, j := within(cl.open); i < j {
				for _, h := range cl.open[i:j] {
					mark(h.x)
				}
				cl.open = slices.Delete(cl.open, i, j)
			}
		}
		i, j := within(x.multi)
		for _, h := range x.multi[i:max(i, j)] {
			if slices.Contains(took, h.x) || !p.inTier(h.x) {
				continue
			}
			cause, ok := causeOf[h.x.Conn]
			if !ok {
				cause = errCause(slices.DeleteFunc(x.ofSerial(e, h.x, from, to), func(l *sources.ProxyError) bool { return !p.inTier(l) }))
				if causeOf == nil {
					causeOf = map[string]Cause{}
				}
				causeOf[h.x.Conn] = cause
			}
			if cause != mine {
				found = true
				mark(h.x)
			}
		}
	}
	return found
}

// heldFrom is the index of the first line of s (in time order) later
// than after and not before from.
func heldFrom(s []heldErr, after, from time.Time) int {
	i, _ := slices.BinarySearchFunc(s, after, func(h heldErr, t time.Time) int {
		if h.x.Time.After(t) {
			return 1
		}
		return -1
	})
	k, _ := slices.BinarySearchFunc(s, from, func(h heldErr, t time.Time) int {
		if h.x.Time.Before(t) {
			return -1
		}
		return 1
	})
	return max(i, k)
}

// heldBefore is the index after the last line of s (in time order)
// earlier than before and not after to.
func heldBefore(s []heldErr, before, to time.Time) int {
	i, _ := slices.BinarySearchFunc(s, before, func(h heldErr, t time.Time) int {
		if h.x.Time.Before(t) {
			return -1
		}
		return 1
	})
	k, _ := slices.BinarySearchFunc(s, to, func(h heldErr, t time.Time) int {
		if h.x.Time.After(t) {
			return 1
		}
		return -1
	})
	return min(i, k)
}

// nearestOfTier is nearest over the lines of e's tier (p) within [from, to],
// nil when there are none.
func (x *errIndex) nearestOfTier(p *errPrefs, from, to time.Time) *sources.ProxyError {
	var best *heldErr
	for k := range x.byStatus {
		sl := &x.byStatus[k]
		i, j := heldFrom(sl.lines, from.Add(-1), from), heldBefore(sl.lines, to.Add(1), to)
		if i >= j || !p.inTier(sl.lines[i].x) {
			continue
		}
		h := nearestHeld(sl.lines[i:j], p.e.Time)
		if best == nil {
			best = h
		} else if g, gb := gapOf(h.x.Time, p.e.Time), gapOf(best.x.Time, p.e.Time); g < gb || g == gb && h.seq < best.seq {
			best = h
		}
	}
	if best == nil {
		return nil
	}
	return best.x
}

// laterRequest is laterRequest over e's lines in its span [from, to]
// that carry l's serial.
func (x *errIndex) laterRequest(e *sources.ProxyEntry, p *errPrefs, l *sources.ProxyError, from, to time.Time) bool {
	n := attempts(e)
	if n == maxAttempts {
		last := errList{idx: x}.lastFailure(e, l.Conn)
		return last != nil && last.Time.After(to)
	}
	if n < 2 {
		return false
	}
	for _, h := range x.bySerial[l.Conn] {
		if errFits(e, h.x, from, to) && p.candidate(h.x) && reasonCause(h.x.Reason) != "" {
			if n--; n == 0 {
				return false
			}
		}
	}
	return true
}

// nearestWhere is the line of byTime[lo:hi] nearest in time to t (the
// first logged on a tie) for which ok holds, among the look nearest;
// nil when none of them. The scan's order: by distance, then arrival.
func (x *errIndex) nearestWhere(lo, hi int, t time.Time, look int, ok func(*sources.ProxyError) bool) *sources.ProxyError {
	s := x.byTime[lo:hi]
	// s[:l] lies before t, s[r:] from t on; each step takes the lines of
	// the next distance: a run of one time on each side, merged by
	// arrival (a run is in arrival order).
	r, _ := slices.BinarySearchFunc(s, t, func(h heldErr, t time.Time) int {
		if h.x.Time.Before(t) {
			return -1
		}
		return 1
	})
	l := r
	for look > 0 && (l > 0 || r < len(s)) {
		gap := time.Duration(1<<63 - 1)
		if l > 0 {
			gap = t.Sub(s[l-1].x.Time)
		}
		if r < len(s) {
			gap = min(gap, s[r].x.Time.Sub(t))
		}
		li, lj := l, l // the run before t at that distance
		for li > 0 && t.Sub(s[li-1].x.Time) == gap {
			li--
		}
		rj := r // the run from t on at that distance
		for rj < len(s) && s[rj].x.Time.Sub(t) == gap {
			rj++
		}
		a, b := li, r
		for look > 0 && (a < lj || b < rj) {
			var h *heldErr
			if b == rj || a < lj && s[a].seq < s[b].seq {
				h, a = &s[a], a+1
			} else {
				h, b = &s[b], b+1
			}
			look--
			if ok(h.x) {
				return h.x
			}
		}
		l, r = li, rj
	}
	return nil
}
