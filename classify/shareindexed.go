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
// port, lines of another key), and nothing was changed: the scan decides.
func (c *correlator) shareOutIndexed(e *sources.ProxyEntry, x *errIndex, from, to time.Time) (took []*sources.ProxyError, guess *errGuess, done bool) {
	if x == nil || e.Conn != "" || e.ClientPort != "" || x.mixed ||
		e.Client != x.client || e.Method != x.method || e.Path != x.path {
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
		if c.contested[l] {
			guess = &errGuess{rivals: 1, lines: 1, serial: l.Conn}
		}
		return []*sources.ProxyError{l}, guess, true
	}
	pick := x.nearest(lo, hi, e.Time)
	serial := pick.Conn
	if serial == "" {
		return nil, nil, false // the nearest lines without a serial: the scan sorts them
	}
	rivals := 0
	c.rivals(e, func(w *sources.ProxyEntry) {
		wf, wt := c.span(w)
		if x.anyFits(w, wf, wt, lo, hi) {
			rivals++
		}
	})
	share := (n + rivals) / (rivals + 1)

	failed := 0
	for _, h := range x.bySerial[serial] {
		if len(took) == share {
			break
		}
		if !errFits(e, h.x, from, to) {
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
	if !x.allGive(mine) {
		gap := gapOf(took[0].Time, e.Time)
		for _, h := range x.byTime[lo:hi] {
			if slices.Contains(took, h.x) || absDur(gapOf(h.x.Time, e.Time)-gap) >= time.Second {
				continue
			}
			if errCause(x.ofSerial(e, h.x, from, to)) != mine {
				guessed = true
				if c.contested == nil {
					c.contested = map[*sources.ProxyError]bool{}
				}
				c.contested[h.x] = true
			}
		}
	}
	if !guessed {
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
