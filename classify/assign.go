package classify

import (
	"hash/maphash"
	"slices"
	"time"

	"fivexx/sources"
)

// One line, one request. A line that tells of one request explains one
// 5xx, not every 5xx of the same client, method, path and second.
//
// Error-log lines (nginx writes one per failed upstream attempt, with the
// client connection's serial *N; Caddy one per failed request):
//   - a 5xx whose access line logs its serial ($connection) takes the
//     lines of that serial; several 5xx of one keep-alive connection take
//     them in order, as the connection served them;
//   - otherwise a 5xx takes the lines of one serial (a request's retries
//     share it), the one nearest in time, the first logged on a tie;
//   - of those, at most its share: the lines in reach divided by the 5xx
//     waiting for them, rounded up (six 502s of one second and six lines:
//     one each; one 502 retried twice: both), and of one serial no more
//     failures than the upstream attempts its access line lists (a 504 of
//     "504, 504" takes two, and leaves the next two of its keep-alive
//     connection to the next request, which may not have arrived yet: its
//     window starts before the first one's ends);
//   - a line taken is used up.
//
// When the pick was a tie between serials whose lines say different
// things, only the order of the logs chose: the verdict says so and is not
// high (errGuess), and the lines that lost the tie stay marked, so that
// the 5xx that takes one later is not high either.
//
// App lines joined by time window (no request id joins them) that are one
// request's (they name a path: the path index holds no other) explain one
// 5xx too: the 5xx they fit best takes them (appfit.go: the same status
// first, then the nearest in time), the earlier on a tie, and they are
// used up. Five 503s around one "shedding load" line of the app
// get app_unavailable once; the other four have no app line. Lines about
// the app's state (no method, no path) are never joined by window, so
// they neither inform nor are used up here.
//
// Only the 5xx waiting at once compete: one judged before a nearer one
// arrives (live, the grace is shorter than the window's reach) may take
// that one's line. A report feeds 256 lines between judgements.

// waitKey is what the 5xx waiting for their verdict are found by: a hash
// of their path without query. (A string of a waiting entry would outlive
// it as the map's key, and a kept entry's text is reused: keptentry.go.)
func waitKey(path string) uint64 { return maphash.String(errSeed, pathOnly(path)) }

// wait notes a 5xx waiting for its verdict, which may claim lines.
func (c *correlator) wait(e *sources.ProxyEntry) {
	if c.waiting == nil {
		c.waiting = map[uint64][]*sources.ProxyEntry{}
	}
	k := waitKey(e.Path)
	ws, ok := c.waiting[k]
	if !ok {
		if n := len(c.freeWaits); n > 0 {
			ws = c.freeWaits[n-1]
			c.freeWaits[n-1] = nil
			c.freeWaits = c.freeWaits[:n-1]
		}
	}
	c.waiting[k] = append(ws, e)
}

// maxFreeWaits bounds the emptied waiting lists kept for reuse: as many
// paths as have 5xx waiting at once, in the bench sets a few dozen.
const maxFreeWaits = 256

// maxShiftWaits is the longest list unwait shifts down when its first 5xx
// goes; a longer one (a burst on one path, judged oldest first) is
// resliced past it rather than moved for each.
const maxShiftWaits = 32

// unwait forgets a 5xx that is being judged. A list it empties is kept
// for the next path's first 5xx (wait), and a short one keeps its start,
// so that the lists are reused: most paths have a 5xx or two waiting at a
// time, and a new list for each was 16 bytes of garbage a 5xx, 3 of the
// 11 MB a report of 10,000,000 access lines allocated once its lines went
// into recycled slots: enough for its heap to reach a collection in a
// long run only, so that its peak RSS grew with the input.
func (c *correlator) unwait(e *sources.ProxyEntry) {
	k := waitKey(e.Path)
	ws := c.waiting[k]
	i := slices.Index(ws, e)
	switch {
	case i < 0:
		return
	case len(ws) == 1:
		ws[0] = nil
		delete(c.waiting, k)
		if cap(ws) > 0 && len(c.freeWaits) < maxFreeWaits {
			c.freeWaits = append(c.freeWaits, ws[:0])
		}
		return
	case i == 0 && len(ws) > maxShiftWaits:
		ws[0] = nil
		c.waiting[k] = ws[1:]
		return
	}
	copy(ws[i:], ws[i+1:])
	ws[len(ws)-1] = nil
	c.waiting[k] = ws[:len(ws)-1]
}

// isWaiting reports whether e waits for its verdict (not judged yet).
func (c *correlator) isWaiting(e *sources.ProxyEntry) bool {
	return slices.Contains(c.waiting[waitKey(e.Path)], e)
}

// maxRivals bounds the waiting 5xx looked through for those that want
// the same lines: in a burst on one path thousands wait, and the lines of
// one second concern only those of that second. They wait in arrival
// order, near enough time order, and e is among the oldest.
const maxRivals = 256

// rivals calls f with each other 5xx waiting on e's path (at most
// maxRivals of them).
func (c *correlator) rivals(e *sources.ProxyEntry, f func(w *sources.ProxyEntry)) {
	ws := c.waiting[waitKey(e.Path)]
	for i, w := range ws {
		if i == maxRivals {
			break
		}
		if w != e {
			f(w)
		}
	}
}

// keyRivals is rivals for the 5xx that can want e's error lines: those of
// e's client, method and path. The lines it shares out are all of e's
// (errFits), and a line fits only a 5xx of its own client, method and
// path, so another's span and lines need not be looked at: most waiting
// 5xx on a path are other clients', and the look was two time.Time.Add
// calls and two time comparisons per line for each of them (a tenth of
// the engine's instructions on the bench set).
func (c *correlator) keyRivals(e *sources.ProxyEntry, f func(w *sources.ProxyEntry)) {
	ws := c.waiting[waitKey(e.Path)]
	for i, w := range ws {
		if i == maxRivals {
			break
		}
		if w != e && w.Client == e.Client && w.Method == e.Method && w.Path == e.Path {
			f(w)
		}
	}
}

// errGuess is how errorsFor took e's lines when the access log could not
// tell them from another request's.
type errGuess struct {
	rivals int    // other 5xx that wanted the same lines
	lines  int    // lines they wanted, e's included
	serial string // the serial e's lines carry
	// own: the line is the proxy's own, with no request in it
	// (ownCauseFor), and another 5xx could have taken it.
	own bool
	// short: more 5xx wanted the lines than there were lines, all
	// saying the same thing: which 5xx got them, the logs' order chose.
	short bool
}

// errorsFor returns the error-log lines that explain e, oldest first, and
// how they were guessed (nil when they were not). They are used up.
func (c *correlator) errorsFor(e *sources.ProxyEntry) ([]*sources.ProxyError, *errGuess) {
	c.failed = false // not e itself: a freed entry's strings would outlive it (keptentry.go)
	k := errKey(e.Client, e.Method, e.Path)
	l := c.errsBy[k].list()
	if l.empty() {
		return nil, nil
	}
	from, to := c.errSpan(e)
	took, guess, done := c.shareOutIndexed(e, l.idx, from, to)
	if !done {
		in := l.fitting(e, from, to)
		if len(in) == 0 {
			return nil, nil
		}
		if len(in) == 1 {
			if p := c.scanPrefs(e, in); !p.candidate(in[0]) {
				return nil, nil // another 5xx's by its status (errstatus.go)
			}
			took = in // no other choice, whoever else wanted it
			if c.contested[in[0]] {
				guess = &errGuess{rivals: 1, lines: 1, serial: in[0].Conn}
			} else if n := c.ties(e, l, in); n > 0 {
				guess = &errGuess{rivals: n, lines: 1, serial: in[0].Conn, short: true}
			}
		} else {
			took, guess = c.shareOut(e, l, in)
		}
	}
	if len(took) == 0 {
		return nil, nil
	}
	for _, x := range took {
		l = l.remove(x)
		delete(c.contested, x)
		if c.errSeq != nil {
			c.releaseTaken(x) // used up: no join can want it (errrelease.go)
		}
	}
	if l.empty() {
		delete(c.errsBy, k)
	} else {
		c.errsBy[k] = l.slot()
	}
	sortErrorsByTime(took)
	c.failed = lastReasoned(took) != nil
	return took, guess
}

// unexplained reports whether no held failure line of w's client, method
// and path fits w that its status can come from: no error line will
// explain it.
func (c *correlator) unexplained(w *sources.ProxyEntry) bool {
	l := c.errsBy[errKey(w.Client, w.Method, w.Path)].list()
	if l.empty() {
		return true
	}
	from, to := c.errSpan(w)
	if l.idx != nil {
		return !l.idx.explains(w, from, to)
	}
	for _, x := range l.fitting(w, from, to) {
		if reasonCause(x.Reason) != "" && canBeSent(w, madeStatus(x)) {
			return false
		}
	}
	return true
}

// explains reports whether a failure line of x within w's span [from,
// to] fits w and its status can come from it (unexplained). It looks only
// at the lines of the statuses w can have been sent for, found by time
// (byStatus): a key of many lines is a burst, and a look at all of them
// for each app line was what made the scan give up on indexed keys, which
// it took to hold a line for w. An app line that fit a reset 502 and the
// app's own 502 beside it alike then went to the reset one (real nginx
// 1.22, combined, 20 lines of one client and path: ngB). Past
// attemptsLook lines in reach of a status that fit none, w is taken to
// have one, as before.
func (x *errIndex) explains(w *sources.ProxyEntry, from, to time.Time) bool {
	for k := range x.byStatus {
		sl := &x.byStatus[k]
		if !canBeSent(w, sl.status) {
			continue
		}
		i, j := heldFrom(sl.lines, from.Add(-1), from), heldBefore(sl.lines, to.Add(1), to)
		for n, h := range sl.lines[i:max(i, j)] {
			if n == attemptsLook {
				return true
			}
			if reasonCause(h.x.Reason) != "" && errFits(w, h.x, from, to) {
				return true
			}
		}
	}
	return false
}

// errSpan is the log-time range in which e's error-log lines can lie:
// from its start, as span, to its access line. nginx writes a request's
// error lines before its access line, which it logs when the request
// ends, by the same worker's clock (Caddy its error entry just before
// the access entry): a line stamped later than the access line is a
// later request's. A whole-second stamp s is the second [s, s+1), so that
// a line of s is in reach, and one of s+1 is not: taken by the 502 of
// the second before, it left the app's own 502 of its second an
// upstream_reset high (QA s29, real nginx 1.22, min2). A stamp of
// milliseconds or microseconds is likewise the whole of its unit
// (entryUnit): Caddy's console encoder writes 07:14:53.304 for an access
// entry whose error entry, written before it, is stamped
// 07:14:53.3044074 (QA s29, sources/caddy/testdata console.log).
func (c *correlator) errSpan(e *sources.ProxyEntry) (from, to time.Time) {
	from, _ = c.span(e)
	return from, e.Time.Add(entryUnit(e) - time.Nanosecond)
}

// entryUnit is the unit e's time was logged in: as its line wrote it,
// when its parser says (sources.Precision), else as its value suggests
// (stampUnit). A millisecond stamp that falls on the second, HAProxy's
// %tr 03:00:00.000 or nginx's $msec 1767322800.000, is that millisecond:
// taken for the second [s, s+1), it reached the error line of a later
// request of the same second.
func entryUnit(e *sources.ProxyEntry) time.Duration {
	if u := e.TimePrecision.Unit(); u > 0 {
		return u
	}
	return stampUnit(e.Time)
}

// stampUnit is the precision t was most likely logged with, judged by
// its trailing zeros: a second, a millisecond, a microsecond, else a
// nanosecond. Only the units logs write: a millisecond stamp .300 is
// not a tenth of a second. A guess, for stamps whose parser does not say
// how they were written (entryUnit).
func stampUnit(t time.Time) time.Duration {
	switch ns := t.Nanosecond(); {
	case ns == 0:
		return time.Second
	case ns%int(time.Millisecond) == 0:
		return time.Millisecond
	case ns%int(time.Microsecond) == 0:
		return time.Microsecond
	}
	return time.Nanosecond
}

// errFits reports whether x may be one of e's error lines: the same
// client, method and target, within e's span [from, to], and the same
// serial and client port when both log them; no limiter's line when an
// upstream answered e (pastLimiters).
func errFits(e *sources.ProxyEntry, x *sources.ProxyError, from, to time.Time) bool {
	if x.Time.Before(from) || x.Time.After(to) {
		return false
	}
	if x.Path != e.Path || x.Client != e.Client || x.Method != e.Method {
		return false // another key with the same hash
	}
	if e.Conn != "" && x.Conn != "" && e.Conn != x.Conn {
		return false
	}
	if x.Conn != "" && !triedPeer(e, x.UpstreamAddr) {
		return false // an nginx line about a server this request never tried
	}
	if limits(x) && pastLimiters(e) {
		return false // an upstream answered e: no limiter did (limitedlines.go)
	}
	return e.ClientPort == "" || x.ClientPort == "" || e.ClientPort == x.ClientPort
}

// triedPeer reports whether peer, the server an nginx error line is about
// (its "upstream:" host:port, or the group's name for "no live
// upstreams"), may be one e tried: one of its $upstream_addr attempts, or
// any when e's line names none. nginx prints both from the peer's name,
// so they match as text. Without it, a keep-alive client's requests of one
// second (one serial, method and path) shared their error lines by time
// alone: a 502 tried on .11 and .12 took the line of .13, which the 201
// before it had tried first, and its hint named .11 (QA s30).
func triedPeer(e *sources.ProxyEntry, peer string) bool {
	if peer == "" {
		return true
	}
	named := false
	for _, a := range e.UpstreamAddr {
		if a == peer {
			return true
		}
		named = named || a != "" && a != "-"
	}
	return !named
}

// shareOut picks e's lines among in (several of l's, in arrival order)
// by the rules above.
func (c *correlator) shareOut(e *sources.ProxyEntry, l errList, in []*sources.ProxyError) ([]*sources.ProxyError, *errGuess) {
	// The lines e may take, and those it picks among: by their status
	// first (errstatus.go).
	p := c.scanPrefs(e, in)
	tier := in
	if p.bad {
		tier = slices.DeleteFunc(slices.Clone(in), func(x *sources.ProxyError) bool { return !p.inTier(x) })
		if len(tier) == 0 {
			return nil, nil // every line is another 5xx's by its status
		}
	}

	// The serial nearest in time: the first logged of the nearest lines,
	// of a serial that is not a later request's when one near is not
	// (laterRequest).
	pick := 0
	for i, x := range tier {
		if gapOf(x.Time, e.Time) < gapOf(tier[pick].Time, e.Time) {
			pick = i
		}
	}
	_, to := c.errSpan(e)
	later := func(x *sources.ProxyError) bool {
		return x.Conn != "" && laterRequest(e, &p, x, in, l.lastFailure(e, x.Conn), to)
	}
	if later(tier[pick]) {
		order := make([]int, len(in))
		for i := range order {
			order[i] = i
		}
		slices.SortStableFunc(order, func(i, j int) int {
			return cmpDur(gapOf(in[i].Time, e.Time), gapOf(in[j].Time, e.Time))
		})
		for _, i := range order[:min(len(order), attemptsLook)] {
			if x := in[i]; p.inTier(x) && x.Conn != "" && !later(x) {
				pick = slices.Index(tier, x)
				break
			}
		}
	}
	serial := tier[pick].Conn

	// How many other 5xx want these lines.
	var serialLines []*sources.ProxyError // a few: maybe one request's retries
	for _, x := range in {
		if serial != "" && x.Conn == serial && p.candidate(x) {
			serialLines = append(serialLines, x)
		}
	}
	few := len(serialLines) > 0 && len(serialLines) <= retryLines
	rivals, ties := 0, 0
	var wanting []*sources.ProxyEntry // the rivals that want serialLines
	c.keyRivals(e, func(w *sources.ProxyEntry) {
		from, to := c.errSpan(w)
		if few {
			if gap, ok := c.wants(e, w, l, serialLines); ok {
				rivals++
				wanting = append(wanting, w)
				if gap <= gapOf(tier[pick].Time, e.Time) {
					ties++
				}
			}
			return
		}
		for _, x := range in {
			if errFits(w, x, from, to) {
				rivals++
				return
			}
		}
	})
	share := (len(in) + rivals) / (rivals + 1)
	retried, exact := false, false
	if len(wanting) > 0 && serial != "" {
		// The app's own answers may tell a request's retries (retriedShare).
		var n int
		if n, exact, retried = c.retriedShare(e, wanting, len(in), serialsOf(in), len(serialLines)); retried {
			share = n
		}
	}
	if attempts(e) != maxAttempts {
		share = len(in) // its access line lists its attempts: they bound it
	}
	var took []*sources.ProxyError
	if serial != "" {
		failed := 0
		for _, x := range in {
			if x.Conn != serial || len(took) == share || !p.candidate(x) {
				continue
			}
			if reasonCause(x.Reason) != "" {
				if failed == attempts(e) {
					break // the next request's on this keep-alive connection
				}
				failed++
			}
			took = append(took, x)
		}
	} else {
		// No serial: the nearest lines without one, first logged first.
		var bare []*sources.ProxyError
		for _, x := range tier {
			if x.Conn == "" {
				bare = append(bare, x)
			}
		}
		slices.SortStableFunc(bare, func(a, b *sources.ProxyError) int {
			return cmpDur(gapOf(a.Time, e.Time), gapOf(b.Time, e.Time))
		})
		took = bare[:min(share, len(bare))]
	}
	if serial != "" && serial == e.Conn {
		return took, nil // its own serial: no guess
	}
	short := few && ties >= len(in) || retried && (ties > 0 || !exact)

	// A guess when a line left at (nearly) the same distance says
	// something else: the logs' order chose, not the access line.
	mine := errCause(took)
	gap := gapOf(took[0].Time, e.Time)
	guessed := false
	for _, x := range took {
		guessed = guessed || c.contested[x]
	}
	for _, x := range tier {
		if slices.Contains(took, x) || absDur(gapOf(x.Time, e.Time)-gap) >= time.Second {
			continue
		}
		if errCause(linesOfSerial(tier, x)) != mine {
			guessed = true
			if c.contested == nil {
				c.contested = map[*sources.ProxyError]bool{}
			}
			c.contested[x] = true
		}
	}
	if !guessed {
		if short {
			return took, &errGuess{rivals: rivals, lines: len(in), serial: serial, short: true}
		}
		return took, nil
	}
	return took, &errGuess{rivals: rivals, lines: len(in), serial: serial}
}

// ties counts the other 5xx waiting beside e that want the one line
// of in as much as e does (wants) and lie no farther from it: which of
// them it explains, only the logs' order chose. None when e's access
// line logs the line's serial.
func (c *correlator) ties(e *sources.ProxyEntry, l errList, in []*sources.ProxyError) int {
	if e.Conn != "" && e.Conn == in[0].Conn {
		return 0
	}
	n := 0
	c.keyRivals(e, func(w *sources.ProxyEntry) {
		if gap, ok := c.wants(e, w, l, in); ok && gap <= gapOf(in[0].Time, e.Time) {
			n++
		}
	})
	return n
}

// retryLines bounds the lines of one serial in a 5xx's reach that may be
// one request's retries: nginx writes one per failed attempt, on the
// servers of its group, and once more when an upstream connection it
// kept alive had been closed. More are several requests of one keep-alive
// client connection, shared out by count.
const retryLines = 8

// wants reports whether w, another 5xx waiting beside e, wants mine, the
// lines of one serial in e's reach (retryLines at most), as much as e
// does, and how near to w the nearest of them lies: one of them fits w,
// w's status can come from it (or e's cannot either: errstatus.go), and
// no line of another serial that w's status can come from lies nearer
// to w (that one's serial is w's pick, and a request's retries keep all
// their lines). Real nginx 1.22, combined: a 502 retried after a
// kept-alive upstream connection closed left its second line to the
// app's own 502 of the next second, whose second held a line of another
// serial: upstream_reset high (QA s29, min3).
func (c *correlator) wants(e, w *sources.ProxyEntry, l errList, mine []*sources.ProxyError) (time.Duration, bool) {
	wf, wt := c.errSpan(w)
	gap := time.Duration(-1)
	for _, x := range mine {
		if s := madeStatus(x); !errFits(w, x, wf, wt) || !canBeSent(w, s) && canBeSent(e, s) {
			continue
		}
		if g := gapOf(x.Time, w.Time); gap < 0 || g < gap {
			gap = g
		}
	}
	return gap, gap == 0 || gap > 0 && !l.otherNearer(w, wf, wt, mine, gap)
}

// otherNearer reports whether a line of l that fits w (w's span [wf,
// wt]), of another request than mine (another serial, a line of mine's
// serial that is not among mine, or another line when they have none),
// and that w's status can come from lies less than gap from w. A
// keep-alive client connection's requests share a serial: the lines of
// it that only w reaches are w's own, nearer than mine (QA s29, one
// client's 502s of :57 and :58, two refused lines each: the 502 of :57
// gave one of its own to the 502 of :58).
func (l errList) otherNearer(w *sources.ProxyEntry, wf, wt time.Time, mine []*sources.ProxyError, gap time.Duration) bool {
	other := func(y *sources.ProxyError) bool {
		if serial := mine[0].Conn; serial != "" && y.Conn != serial {
			return true
		}
		return !slices.Contains(mine, y)
	}
	if x := l.idx; x != nil && !x.mixed && w.Conn == "" && w.ClientPort == "" && !x.limitBars(w) {
		if w.Client != x.client || w.Method != x.method || w.Path != x.path {
			return false
		}
		for k := range x.byStatus {
			sl := &x.byStatus[k]
			if !canBeSent(w, sl.status) {
				continue
			}
			i, j := heldFrom(sl.lines, w.Time.Add(-gap), wf), heldBefore(sl.lines, w.Time.Add(gap), wt)
			for _, h := range sl.lines[i:max(i, j)] {
				if other(h.x) {
					return true
				}
			}
		}
		return false
	}
	for _, y := range l.fitting(w, wf, wt) {
		if other(y) && canBeSent(w, madeStatus(y)) && gapOf(y.Time, w.Time) < gap {
			return true
		}
	}
	return false
}

// attempts is how many failure lines of one serial e can have: nginx
// writes one per upstream attempt, when the access line lists them (a request retried on a second server
// has two), else any number (maxAttempts).
func attempts(e *sources.ProxyEntry) int {
	if n := len(e.UpstreamAddr); n > 0 {
		return n
	}
	return maxAttempts
}

// maxAttempts stands for "not logged" in attempts.
const maxAttempts = 1 << 30

// laterRequest reports whether x's serial is, by e's reach (its span
// ending at to), a later request's than e: a request's lines come before
// its access line. When e's access line lists several attempts, its
// serial holds a failure line for each among in (e's lines, those e may
// take: p); else its last failure line (last, in arrival order) is not
// past e's. QA s29, limit429: 504s retried once, 1 s per attempt, each
// serial's lines 1 s apart; the 504s of a second took the first line of
// a request of the next second, alone. x has a serial.
func laterRequest(e *sources.ProxyEntry, p *errPrefs, x *sources.ProxyError, in []*sources.ProxyError, last *sources.ProxyError, to time.Time) bool {
	n := attempts(e)
	if n == maxAttempts {
		return last != nil && last.Time.After(to)
	}
	if n < 2 {
		return false
	}
	for _, y := range in {
		if y.Conn == x.Conn && p.candidate(y) && reasonCause(y.Reason) != "" {
			if n--; n == 0 {
				return false
			}
		}
	}
	return true
}

// attemptsLook is how many of the lines nearest a 5xx it looks at for
// a serial that is not a later request's (laterRequest): a burst's lines
// are not all looked at for each 5xx.
const attemptsLook = 64

// linesOfSerial is the lines of in that carry x's serial, or x alone when
// it has none.
func linesOfSerial(in []*sources.ProxyError, x *sources.ProxyError) []*sources.ProxyError {
	if x.Conn == "" {
		return []*sources.ProxyError{x}
	}
	var out []*sources.ProxyError
	for _, y := range in {
		if y.Conn == x.Conn {
			out = append(out, y)
		}
	}
	return out
}

// errCause is the cause the lines of one request give (rule 2).
func errCause(lines []*sources.ProxyError) Cause {
	if x := lastReasoned(lines); x != nil {
		return reasonCause(x.Reason)
	}
	return ""
}

func gapOf(a, b time.Time) time.Duration { return absDur(a.Sub(b)) }

func cmpDur(a, b time.Duration) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// claimApp takes, among window lines of one app request (one request id,
// a start and end stamped at once, or all the other lines without one, in
// time order: appRequests), those that go to e by the rules above: the
// waiting 5xx a line fits best (appFit: its status, then nearest) takes
// it, e on a tie. One request's lines (r.whole) go together, by their
// last line; of the other lines without ids a request has at most one
// start and one end line on each instance, those that fit best. What e
// takes is used up. taken reports that lines were there but were other
// 5xx's.
func (c *correlator) claimApp(e *sources.ProxyEntry, r appRequest) (out []*sources.AppEntry, taken bool) {
	lines := r.lines
	var others []*sources.ProxyEntry
	c.rivals(e, func(w *sources.ProxyEntry) { others = append(others, w) })
	// e's failure line explains it: of two 5xx a line fits alike, the
	// app's line is the one's no failure line explains (real nginx 1.22,
	// combined: the reset 502 quoted the app's "finished with 502", the
	// app's own 502 beside it the next request's "finished with 200").
	failed := c.failed // e's, as errorsFor judged it just before (engine.go finalize)
	nearer := func(a *sources.AppEntry) bool {
		mine := c.fitOf(e, a)
		short := -1 // whether failuresShort holds for a: not looked yet
		for _, w := range others {
			if w.RequestID != "" && c.idJoins > 0 {
				continue // it will be joined by its id, not by this line
			}
			if f := c.fitOf(w, a); !f.better(mine) && (!failed || mine.better(f) || !c.needsLine(w, a) && !c.shortOf(&short, e, a)) {
				continue
			}
			if from, to := c.appWindow(w, a); c.appFits(w, a, from, to) {
				return true
			}
		}
		return false
	}
	if r.whole {
		ofRival := false
		for _, w := range others {
			ofRival = ofRival || w.RequestID != "" && w.RequestID == lines[0].RequestID
		}
		if ofRival {
			// Another 5xx's by its request id: that request's, not one
			// the window gave to another 5xx (the lines of e's window are
			// not "taken" by it).
			return nil, false
		}
		if nearer(lines[len(lines)-1]) && !c.rivalsHaveTheirOwn(e, others, lines) {
			return nil, true
		}
		out = lines
	} else {
		// The nearest start and end line of each instance: a request
		// retried on a second server was started on both.
		type phaseOf struct {
			instance string
			end      bool
		}
		var kept map[phaseOf]*sources.AppEntry
		for _, a := range lines {
			if nearer(a) {
				taken = true
				continue
			}
			if a.Phase == sources.PhaseStart || a.Phase == sources.PhaseEnd || a.Status != 0 {
				k := phaseOf{a.Instance, a.Phase != sources.PhaseStart}
				old := kept[k]
				if old != nil && !c.fitOf(e, a).better(c.fitOf(e, old)) {
					continue
				}
				if old != nil {
					out = slices.DeleteFunc(out, func(x *sources.AppEntry) bool { return x == old })
				}
				if kept == nil {
					kept = map[phaseOf]*sources.AppEntry{}
				}
				kept[k] = a
			}
			out = append(out, a)
		}
		if len(out) == 0 {
			return nil, taken
		}
	}
	if c.appUsed == nil {
		c.appUsed = map[*sources.AppEntry]bool{}
	}
	for _, a := range out {
		c.appUsed[a] = true
	}
	return out, false
}

// needsLine reports whether app line a, which fits w as well as a failed
// 5xx, is one w needs: no error line explains w (unexplained), and a is
// an end of w's status or w's window holds no such end of its own with a
// request id (ownAnswerWaits). The app's own 500 beside a burst of reset
// 502s, its "finished with 500" waiting by its request id, needs none of
// the others' start lines: given it, they were left to the 504s of the
// seconds after, and seven 502s cited none (real nginx, combined, JSON
// app log with ids: limit429, app_coverage 1 -> 0.696).
func (c *correlator) needsLine(w *sources.ProxyEntry, a *sources.AppEntry) bool {
	if !c.unexplained(w) {
		return false
	}
	return a.Status == w.Status && appEnds(a) || !c.ownAnswerWaits(w)
}

// rivalsHaveTheirOwn reports whether every other 5xx that fits lines,
// one request id's lines without the status of that 5xx, better than e
// has in its window an id's end line with its own status, unused: the
// request it takes, as it fits that one best (appByWindow), so lines are
// left to e. HAProxy's 503 of /api/orders?n=20 a millisecond after the
// PH-- 502 of n=19 was nearer to n=19's start line, took its own "finished
// with 503" and left n=19 none: the 502 cited another request's start
// (QA s30 s12, one path for every request, the app logging ids the proxy
// does not).
func (c *correlator) rivalsHaveTheirOwn(e *sources.ProxyEntry, others []*sources.ProxyEntry, lines []*sources.AppEntry) bool {
	if c.wholeSecond(e) {
		return false // a second's stamps tell no 5xx nearer than another
	}
	last := lines[len(lines)-1]
	mine := c.requestFit(e, lines)
	found := false
	for _, w := range others {
		if w.RequestID != "" && c.idJoins > 0 {
			continue
		}
		f := c.requestFit(w, lines)
		if !f.better(mine) {
			continue
		}
		if from, to := c.appWindow(w, last); !c.appFits(w, last, from, to) {
			continue
		}
		if f.status == 0 || !c.ownAnswerWaits(w) {
			return false
		}
		found = true
	}
	return found
}

// ownAnswerWaits reports whether w's window holds an unused app line with
// a request id that ends a request with w's status.
func (c *correlator) ownAnswerWaits(w *sources.ProxyEntry) bool {
	cands := c.byPath[pathOnly(w.Path)]
	r := c.appRange(w)
	last := r.last()
	for _, a := range cands[firstFrom(cands, r.first()):] {
		if a.Time.After(last) {
			break
		}
		if a.RequestID == "" || a.Status != w.Status || !appEnds(a) || c.appUsed[a] {
			continue
		}
		if from, to := c.windowFor(r, a); c.appFits(w, a, from, to) {
			return true
		}
	}
	return false
}

// A serial's few lines in the second of a failure and the app's own 5xx
// of the same client, method and path are one request's retries, not two
// requests of one keep-alive client connection, when the app's log says
// how many of those 5xx it answered itself: the others are the failures,
// and when they are fewer than the lines, some request failed more than
// once. Real nginx 1.22, combined, no $connection: a 502 retried after a
// kept-alive upstream connection closed (two reset lines of one serial),
// a 502 reset once and the app's own 502 ("finished with 502" at that
// time), all of one second; the two lines were shared out one each, and
// the app's 502 came out upstream_reset high (QA s29 ngB, ngB2). The
// rules are:
//
//   - the 5xx that want the lines are e and its rivals by wants (N);
//   - an app end line of a 5xx status, unused, joined by the time window
//     to the rivals' 5xx it fits best (appFit, among every 5xx waiting on
//     e's client, method and path), answers that rival, one line one
//     rival; one that fits e best and no rival as well is e's, and
//     counts not (nginx retried and the app answered: a retry);
//   - with A so answered, N-A failed; when those are fewer than the
//     lines and no fewer than their serials (each serial at least one
//     request), they share the lines out, a serial's lines together
//     when each serial is one request (N-A serials);
//   - otherwise (no app log, or the app's answers do not add up) the
//     lines are shared out as before: nothing tells.
//
// Which 5xx of a second gets the serial is still the logs' order: when
// another 5xx as near wanted them, or the failures outnumber the serials
// (some serial is two requests, which one is not known), the verdict is
// medium and says so (errGuess short).

// retriedShare is e's share of n lines of s serials (serialLines of
// them e's serial's), which e and wanting (its rivals by wants) want,
// when the app's own answers among them tell it (see above); ok false
// when they do not, exact when each serial is one request.
func (c *correlator) retriedShare(e *sources.ProxyEntry, wanting []*sources.ProxyEntry, n, s, serialLines int) (share int, exact, ok bool) {
	if attempts(e) != maxAttempts {
		return 0, false, false // its access line lists its attempts: they tell
	}
	all := len(wanting) + 1
	least := max(1, all-n+1) // answers that leave fewer failures than lines
	most := all - s          // answers that leave a failure for each serial
	if s >= n || least > most {
		return 0, false, false
	}
	a := c.appAnswered(e, wanting, most+1)
	if a < least || a > most {
		return 0, false, false
	}
	failed := all - a
	if failed == s {
		return serialLines, true, true
	}
	return (n + failed - 1) / failed, false, true
}

// appAnswered counts the rivals of wanting that an app end line answers
// (see above), up to most. It looks at attemptsLook end lines at most.
func (c *correlator) appAnswered(e *sources.ProxyEntry, wanting []*sources.ProxyEntry, most int) int {
	cands := c.byPath[pathOnly(e.Path)]
	if len(cands) == 0 {
		return 0
	}
	var first, last time.Time
	for i, w := range wanting {
		r := c.appRange(w)
		if i == 0 || r.first().Before(first) {
			first = r.first()
		}
		if i == 0 || r.last().After(last) {
			last = r.last()
		}
	}
	var key []*sources.ProxyEntry // every 5xx of e's key waiting, e first
	key = append(key, e)
	c.keyRivals(e, func(w *sources.ProxyEntry) { key = append(key, w) })
	fits := func(w *sources.ProxyEntry, a *sources.AppEntry) bool {
		from, to := c.windowFor(c.appRange(w), a)
		return c.appFits(w, a, from, to) && !c.endsEarly(w, a)
	}
	var answered []*sources.ProxyEntry
	looked := 0
	for _, a := range cands[firstFrom(cands, first):] {
		if a.Time.After(last) || looked == attemptsLook || len(answered) == most {
			break
		}
		if a.Status < 500 || c.appUsed[a] {
			continue
		}
		looked++
		// The best fit among the key's 5xx, then the rival of wanting
		// it answers: of the best, one not answered yet of its status.
		var best appFit
		found := false
		for _, w := range key {
			if !fits(w, a) {
				continue
			}
			if f := c.fitOf(w, a); !found || f.better(best) {
				best, found = f, true
			}
		}
		if !found {
			continue
		}
		for _, w := range wanting {
			if w.Status == a.Status && !slices.Contains(answered, w) && fits(w, a) && !best.better(c.fitOf(w, a)) {
				answered = append(answered, w)
				break
			}
		}
	}
	return len(answered)
}

// serialsOf counts the requests lines can be by their serials: one for
// each serial, one for each line without.
func serialsOf(lines []*sources.ProxyError) int {
	n := 0
	for i, x := range lines {
		if x.Conn == "" || !slices.ContainsFunc(lines[:i], func(y *sources.ProxyError) bool { return y.Conn == x.Conn }) {
			n++
		}
	}
	return n
}

// failuresShort reports whether app line a, e's own status's end, and e
// a failure (errorsFor gave it a failure line), goes to another 5xx that
// it fits as well as e although held failure lines fit that one too:
// the other waiting 5xx of e's key that a fits no worse than e, and that
// such lines fit, outnumber those lines' serials (serialsOf). Each serial
// is at least one failed request: one of those 5xx will have none, and
// the app's answer is its, not e's. ngB's 502 that took a retried
// serial's two reset lines (retriedShare) took the app's "finished with
// 502" too, as the other two 502s of its second had the one reset line
// left to share, and the app's own 502 was then judged by a start line
// of a request nginx reset: upstream_reset low. It looks at attemptsLook
// 5xx and lines at most, and says no past them.
func (c *correlator) failuresShort(e *sources.ProxyEntry, a *sources.AppEntry) bool {
	if a.Status != e.Status || !appEnds(a) || attempts(e) != maxAttempts {
		return false // an access line that lists its attempts tells them
	}
	l := c.errsBy[errKey(e.Client, e.Method, e.Path)].list()
	if l.empty() {
		return false
	}
	mine := c.fitOf(e, a)
	var lines []*sources.ProxyError // the failure lines that fit them
	alike, looked, over := 0, 0, false
	c.keyRivals(e, func(w *sources.ProxyEntry) {
		if over || attempts(w) != maxAttempts || mine.better(c.fitOf(w, a)) {
			return
		}
		if looked++; looked > attemptsLook {
			over = true
			return
		}
		from, to := c.errSpan(w)
		if l.idx != nil {
			if lo, hi := l.idx.span(from, to); hi-lo > attemptsLook {
				over = true
				return
			}
		}
		fit := false
		for _, x := range l.fitting(w, from, to) {
			if reasonCause(x.Reason) == "" || !canBeSent(w, madeStatus(x)) {
				continue
			}
			fit = true
			if !slices.Contains(lines, x) {
				lines = append(lines, x)
			}
		}
		if fit {
			alike++
		}
	})
	return !over && alike > serialsOf(lines)
}

// shortOf is failuresShort(e, a), looked at once for each a: *known is
// -1 until it is, then 0 or 1.
func (c *correlator) shortOf(known *int, e *sources.ProxyEntry, a *sources.AppEntry) bool {
	if *known < 0 {
		*known = 0
		if c.failuresShort(e, a) {
			*known = 1
		}
	}
	return *known == 1
}
