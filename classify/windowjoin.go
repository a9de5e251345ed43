package classify

import (
	"sort"
	"time"

	"fivexx/sources"
)

// The time window's join looks up a 5xx's app lines by path
// (correlator.byPath). A combined access log has no request ids, so every
// app line is held for the retention (two minutes: 33,000 lines at 275 app
// lines a second), and each 5xx scanned every held line of its path, the
// 504s twice (finishedEarly, now earlyEnds): 12.3 of 18.3 CPU-s of a report of the 2 M
// bench set's combined.log and app.log. The rules are:
//
//   - each path's lines are kept in the order of their own times
//     (AppEntry.Time), lines of the same time in the order they came. They
//     come nearly in order (the merge orders the inputs), so a line is
//     added at the end but for the odd late one;
//   - a 5xx looks at the lines from the first one its window may hold, by
//     binary search, up to the last: a line's window is the 5xx's shifted
//     by that line's app skew, which is 0 or the one estimate (appSkew), so
//     the range takes both and appFits decides line by line;
//   - so do the 504s' look for requests that ended before (earlyEnds).

// addByTime adds a to s, one path's lines in time order.
func addByTime(s []*sources.AppEntry, a *sources.AppEntry) []*sources.AppEntry {
	if n := len(s); n == 0 || !s[n-1].Time.After(a.Time) {
		return append(s, a)
	}
	i := sort.Search(len(s), func(i int) bool { return s[i].Time.After(a.Time) })
	s = append(s, nil)
	copy(s[i+1:], s[i:])
	s[i] = a
	return s
}

// firstFrom is the index of the first line of s (in time order) no
// earlier than t.
func firstFrom(s []*sources.AppEntry, t time.Time) int {
	return sort.Search(len(s), func(i int) bool { return !s[i].Time.Before(t) })
}

// holds reports whether a is one of s (in time order).
func holds(s []*sources.AppEntry, a *sources.AppEntry) bool {
	for _, x := range s[firstFrom(s, a.Time):] {
		if x == a {
			return true
		}
		if !x.Time.Equal(a.Time) {
			return false
		}
	}
	return false
}

// appRange is e's window for app lines (appWindow) on both clocks a line
// may be on: the proxy's, and the one the skew estimate gives.
type appRange struct {
	from, to time.Time // on the proxy's clock
	skew     time.Duration
}

func (c *correlator) appRange(e *sources.ProxyEntry) appRange {
	from, to := c.appSpan(e)
	return appRange{from: from, to: to, skew: c.skew.value()}
}

// first and last bound the times of the lines the window may hold.
func (r appRange) first() time.Time { return r.from.Add(min(r.skew, 0)) }
func (r appRange) last() time.Time  { return r.to.Add(max(r.skew, 0)) }

// windowFor is the window for app line a (appWindow).
func (c *correlator) windowFor(r appRange, a *sources.AppEntry) (from, to time.Time) {
	if s := c.appSkew(a); s != 0 {
		return r.from.Add(s), r.to.Add(s)
	}
	return r.from, r.to
}

// windowHeld is what the window holds for a 5xx (windowLines).
type windowHeld struct {
	lines []*sources.AppEntry // the lines it may take, in time order
	// taken says that lines fit that another 5xx took, answered that
	// lines fit that a request the proxy answered well is nearer.
	taken, answered bool
	// ownStatus says that an end line with the status the upstream
	// answered was held, otherStatus that one with another was
	// (windowstatus.go).
	ownStatus, otherStatus bool
	looked                 int // the lines looked at: the cost
}

// windowLines finds the held app lines in e's window that e may take
// (appByWindow claims them).
func (c *correlator) windowLines(e *sources.ProxyEntry) (h windowHeld) {
	cands := c.byPath[pathOnly(e.Path)]
	if len(cands) == 0 || neverConnected(e) {
		return h
	}
	w := c.appRange(e)
	// A late line's stamp lies before its span (applate.go).
	first := firstFrom(cands, w.first().Add(-c.lateMost))
	last := w.last()
	long := c.lookback(e) > 0
	early := earlyEnds{c: c, e: e, all: cands, from: first}
	var others []*sources.AppEntry // end lines of other requests: answered well, or with another status
	var answerBuf [4]int
	answers := upstreamAnswers(e, answerBuf[:])
	for _, a := range cands[first:] {
		if a.Time.After(last) {
			break
		}
		h.looked++
		if from, to := c.windowFor(w, a); !c.appFits(e, a, from, to) {
			continue
		}
		if long && (c.endsEarly(e, a) || early.finished(a)) {
			continue
		}
		if c.startsAfter(e, a) {
			continue
		}
		switch statusOf(answers, a) {
		case -1:
			h.otherStatus = true
			others = append(others, a) // another request's end (windowstatus.go)
			continue
		case 1:
			h.ownStatus = true
		}
		if c.answeredNearer(e, a) {
			h.answered = true // another request's, which went well
			others = append(others, a)
			continue
		}
		if c.appUsed[a] {
			h.taken = true
			continue
		}
		h.lines = append(h.lines, a)
	}
	if len(others) > 0 && len(h.lines) > 0 {
		h.lines = withoutTheirStarts(h.lines, others, cands[first:], last)
	}
	return h
}
