package classify

import (
	"strings"
	"time"

	"fivexx/sources"
)

// A proxy line may log the request id where its shape says nothing of
// it: HAProxy writes the request headers its configuration captures, in
// that order, as "{hap-2-e503|curl/8.4.0}", and its parser takes a value
// as the id only when it looks like one (16 hex digits and more, a ULID):
// an id the user made ("hap-2-e503", "req-42") does not, and a user agent,
// a host or a cookie must not. The rules are:
//   - A captured value is the request id when an app line carries that
//     very value as its request id: no app logs a user agent or a host
//     as one.
//   - Once one has, the value in the same place of the block is the id of
//     every later 5xx of that input: HAProxy writes the captures in the
//     order they are configured, so the place is the header. A request
//     whose value there no app line carries was not seen by the app
//     (absence by id, as for any id that joins).
//   - The fields a custom log-format writes after the request line
//     (sources.Format.Trailing: "%{+Q}r %ID" with unique-id-format) are
//     candidates too, after the captures.
//   - Only for 5xx entries whose parser found no id, of formats that log
//     captures (sources.Format.Captured), as they are judged.
//   - The requests the proxy answered below 500 tell the place as well,
//     before any 5xx: a 2xx's captured value that an app line carries as
//     its id. In a crash no 5xx reaches the app, so only the requests
//     that went well before it can tell that its 503s are ids the app
//     never saw (QA s38 M1: 30 healthy requests with the same id on both
//     sides, then 74 refused 503s read "request id  not logged" and the
//     advice said that neither side logs an id). Kept off the per-line
//     path: only an input of such a format whose place is not told yet,
//     once an app line has carried an id, and for its first
//     answeredTries lines with no id of their own at most; the app line
//     comes after the access line (HAProxy stamps the accept), so each
//     waits, at most answeredWaiting at once, until an app line carries
//     one of its values or answeredWait after its request ended
//     (noteAnswered, learnAnswered). A place so told is an id join, as
//     a 5xx's would be: the app's silence on a later 5xx's id is absence
//     by id.
//   - Until an app line has told the place, the lines tell it for the
//     id shown (events, drill-down), not joined: the place whose values
//     on the input's first guessLines 5xx were each there, shaped as an
//     id (idShaped: no space, '/', IP address or host name, a digit and
//     a letter: no number) and each another, when it is the only such
//     place; given up for good, from that line on, when a later value
//     is missing, not so shaped, or one seen at that place before
//     (among the last guessMemory). An id the app never logged: in an
//     incident where every server is down no app line carries one, and
//     a user-made id ("qa4-hap2-2") was never shown (QA s37 L2); a
//     counter (HAProxy's %rt) is not either, as it cannot be told from
//     bytes or a time (s38 review). Not joined, as a place the
//     app did not confirm may be no id, and the app's silence on it
//     would read as absence by id; and nothing is said of it in the
//     advice.

// capturedIDs is what the correlator learned of ids in captured values.
type capturedIDs struct {
	place   map[*sources.Input]int // the place in the block that held an id, from 1
	taken   int64                  // 5xx whose id was a captured value
	offered int64                  // 5xx with captured values and no id of their own
	// trailing counts the 5xx whose line had fields after the request
	// line (sources.Format.Trailing) among those offered.
	trailing int64
	// guess is, per input, what its lines told of the place while no
	// app line had.
	guess map[*sources.Input]*placeGuess
	// answered are the captured values of requests answered below 500
	// whose app line may still come (noteAnswered); tries counts, per
	// input, the lines so looked at.
	answered []answeredLine
	tries    map[*sources.Input]int
}

// answeredLine is a request answered below 500 whose captured values
// wait for an app line carrying one as its id.
type answeredLine struct {
	in    *sources.Input
	until time.Time // by the log clock: its app line would have come
	vals  []string  // its own copies
}

const (
	// answeredTries is how many lines answered below 500 of an input are
	// looked at for the place at most: a configuration whose captures
	// hold no id the app logs costs that many, then none.
	answeredTries = 256
	// answeredWaiting is how many such lines wait at once; while that
	// many do, the others are not looked at.
	answeredWaiting = 16
	// answeredWait is how long after its request ended a line waits for
	// its app line: the app writes it before the proxy's, and a live
	// app log is read a little late.
	answeredWait = 5 * time.Second
)

// guessLines is how many 5xx lines of an input with a value in the same
// place, each another and shaped as an id, make that place the id's
// (placeGuess): a host or user agent captured may differ on two lines.
// Four, not three: a pool of three values (tenant-1, tenant-2,
// tenant-3) is refused before one is shown; a pool of four or more is
// shown until a value repeats.
const guessLines = 4

// placeGuess is what an input's lines told of the place of its id.
type placeGuess struct {
	lines int         // 5xx lines looked at, up to guessLines
	cands []bool      // by place: each value so far usable, id-shaped, each another
	seen  []string    // by place: the values so far (guessLines at most)
	place int         // from 1: the place told; 0: none yet; -1: none for good
	shown valueMemory // the values at place so far, the last guessMemory
}

// idFromCaptures gives e, a 5xx of in with no request id, the captured
// value that is its request id, by the rules above; where no app line
// told the place, it returns the value its lines tell (guessedID), the
// id to show once e is judged.
func (c *correlator) idFromCaptures(e *sources.ProxyEntry, in *sources.Input) (shown string) {
	if e.RequestID != "" || in == nil {
		return ""
	}
	f := in.Format()
	if f.Captured == nil && f.Trailing == nil {
		return
	}
	vals, trailing := capturedValues(f, e.Raw)
	if trailing {
		c.captured.trailing++
	}
	if len(vals) == 0 {
		return ""
	}
	c.captured.offered++
	if c.captured.place[in] == 0 && len(c.captured.answered) > 0 {
		c.learnAnswered(time.Time{}) // an answered request's app line may have come
	}
	if n := c.captured.place[in]; n > 0 {
		if n <= len(vals) && usable(vals[n-1]) {
			c.takeCapturedID(e, vals[n-1])
		}
		return ""
	}
	if n := c.placeCarried(vals); n > 0 {
		c.setPlace(in, n)
		c.takeCapturedID(e, vals[n-1])
		return ""
	}
	return c.guessedID(in, vals)
}

// capturedValues are the values of raw, a line of format f, that may be
// its request id: its captures, then the fields after its request line;
// trailing says there were such fields.
func capturedValues(f sources.Format, raw string) (vals []string, trailing bool) {
	if f.Captured != nil {
		vals = f.Captured(raw)
	}
	if f.Trailing != nil {
		// After the captures: their number is the configuration's, the
		// same on every line, so a trailing field keeps its place.
		if more := f.Trailing(raw); len(more) > 0 {
			vals = append(vals, more...)
			trailing = true
		}
	}
	return vals, trailing
}

// placeCarried is the place, from 1, of the first of vals that a held app
// line carries as its request id; 0 for none.
func (c *correlator) placeCarried(vals []string) int {
	for i, v := range vals {
		if usable(v) && c.appCarries(v) {
			return i + 1
		}
	}
	return 0
}

// setPlace makes n the place of in's id.
func (c *correlator) setPlace(in *sources.Input, n int) {
	if c.captured.place == nil {
		c.captured.place = map[*sources.Input]int{}
	}
	c.captured.place[in] = n
}

// noteAnswered looks at e, a request of in answered below 500 with no id
// of its own, for the place of in's id (the rules above): at once, for
// an app line read before it, else when learnAnswered finds one. more
// says whether in's next such lines are wanted too, settled that none of
// in's ever will be (its place told, its tries spent, a format without
// captures).
func (c *correlator) noteAnswered(in *sources.Input, e *sources.ProxyEntry) (more, settled bool) {
	n := c.captured.tries[in]
	switch {
	case c.captured.place[in] > 0 || n >= answeredTries:
		return false, true
	case len(c.captured.answered) >= answeredWaiting:
		return false, false
	}
	f := in.Format()
	if f.Captured == nil && f.Trailing == nil {
		return false, true
	}
	if c.captured.tries == nil {
		c.captured.tries = map[*sources.Input]int{}
	}
	c.captured.tries[in] = n + 1
	vals, _ := capturedValues(f, e.Raw)
	if p := c.placeCarried(vals); p > 0 {
		c.setPlace(in, p)
		c.idJoins++ // an id joined them: the app's silence is absence by id
		return false, true
	}
	kept, usables := make([]string, len(vals)), 0
	for i, v := range vals {
		if usable(v) {
			kept[i] = strings.Clone(v) // e's text may be a recycled buffer's
			usables++
		}
	}
	if usables == 0 {
		return n+1 < answeredTries, n+1 >= answeredTries
	}
	end := e.Time.Add(time.Duration(e.RequestTime * float64(time.Second)))
	c.captured.answered = append(c.captured.answered, answeredLine{in: in, until: end.Add(answeredWait), vals: kept})
	return len(c.captured.answered) < answeredWaiting && n+1 < answeredTries, n+1 >= answeredTries
}

// learnAnswered tells the place of the inputs whose answered lines
// waiting (noteAnswered) have a value an app line now carries as its id,
// and lets go of those whose app line would have come by now (none with
// now zero).
func (c *correlator) learnAnswered(now time.Time) {
	w := c.captured.answered
	keep := w[:0]
	for _, l := range w {
		if c.captured.place[l.in] > 0 {
			continue
		}
		if p := c.placeCarried(l.vals); p > 0 {
			c.setPlace(l.in, p)
			c.idJoins++ // an id joined them (noteAnswered)
			continue
		}
		if now.IsZero() || now.Before(l.until) {
			keep = append(keep, l)
		}
	}
	clear(w[len(keep):])
	c.captured.answered = keep
}

// guessedID is the value at the place in's lines tell (placeGuess), of
// a 5xx line whose values are vals; "" while they tell none.
func (c *correlator) guessedID(in *sources.Input, vals []string) string {
	g := c.captured.guess[in]
	if g == nil {
		if c.captured.guess == nil {
			c.captured.guess = map[*sources.Input]*placeGuess{}
		}
		g = &placeGuess{cands: make([]bool, len(vals)), seen: make([]string, 0, guessLines*len(vals))}
		for i := range g.cands {
			g.cands[i] = true
		}
		c.captured.guess[in] = g
	}
	switch {
	case g.place < 0:
		return ""
	case g.place > 0:
		v := ""
		if g.place <= len(vals) {
			v = vals[g.place-1]
		}
		if !usable(v) || !idShaped(v) || g.shown.repeats(sources.IDHash(v)) {
			// No id after all: missing, of another shape, or a value
			// seen before (a pool of tenants, a session).
			g.place, g.shown = -1, valueMemory{}
			return ""
		}
		return strings.Clone(v)
	}
	for i := range g.cands {
		if !g.cands[i] {
			continue
		}
		if i >= len(vals) || !usable(vals[i]) || !idShaped(vals[i]) {
			g.cands[i] = false
			continue
		}
		for j := i; j < len(g.seen); j += len(g.cands) {
			if g.seen[j] == vals[i] {
				g.cands[i] = false
			}
		}
	}
	for i := range g.cands {
		v := ""
		if i < len(vals) {
			v = strings.Clone(vals[i])
		}
		g.seen = append(g.seen, v)
	}
	if g.lines++; g.lines < guessLines {
		return ""
	}
	g.place = -1
	for i, ok := range g.cands {
		if !ok {
			continue
		}
		if g.place > 0 {
			g.place = -1 // two places: which one is not told
			break
		}
		g.place = i + 1
	}
	if g.place > 0 {
		for j := g.place - 1; j < len(g.seen); j += len(g.cands) {
			g.shown.repeats(sources.IDHash(g.seen[j]))
		}
	}
	g.seen = nil
	if g.place < 0 {
		return ""
	}
	return strings.Clone(vals[g.place-1])
}

// guessMemory is how many of the values at a guessed place a placeGuess
// remembers (as hashes, 8 bytes each) to give up on one that repeats.
const guessMemory = 4096

// valueMemory holds the hashes of the last guessMemory values seen.
type valueMemory struct {
	set  map[uint64]struct{}
	ring []uint64
	next int
}

// repeats says whether h is among the hashes held, and holds it.
func (m *valueMemory) repeats(h uint64) bool {
	if _, ok := m.set[h]; ok {
		return true
	}
	if m.set == nil {
		m.set = make(map[uint64]struct{})
	}
	if len(m.ring) < guessMemory {
		m.ring = append(m.ring, h)
	} else {
		delete(m.set, m.ring[m.next])
		m.ring[m.next] = h
		m.next = (m.next + 1) % guessMemory
	}
	m.set[h] = struct{}{}
	return false
}

// idShaped says whether a captured value may be a request id by its
// shape, for a place the app has not told (guessedID): letters, digits
// and '-', '_', ':', '.' only, a digit and a letter among them (a hex or
// a user-made id has both), and neither an IP address (a captured
// X-Forwarded-For) nor a host name whose last label is letters
// ("api-2.example.com"). A user agent, a path, a cookie or a token with
// '/', '=' or a space is none; nor is a number ("471", "0.0024"): a
// counter (HAProxy's %rt) cannot be told from bytes, a length or a time.
func idShaped(v string) bool {
	if len(v) > 128 {
		return false
	}
	digit, letter := false, false
	for i := 0; i < len(v); i++ {
		switch c := v[i]; {
		case c >= '0' && c <= '9':
			digit = true
		case c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z':
			letter = true
		case c == '-' || c == '_' || c == ':' || c == '.':
		default:
			return false
		}
	}
	if !digit || !letter {
		return false
	}
	if _, _, ok := addressOf(v); ok {
		return false
	}
	if i := strings.LastIndexByte(v, '.'); i >= 0 {
		label := strings.TrimRightFunc(v[i+1:], func(r rune) bool { return r == ':' || r >= '0' && r <= '9' })
		if label != "" && strings.IndexFunc(label, func(r rune) bool { return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z') }) < 0 {
			return false // a host name, with a port or none
		}
	}
	return true
}

// usable says whether a captured value can be an id: HAProxy logs "" for
// a header the request did not send.
func usable(v string) bool { return v != "" && v != "-" }

// appCarries says whether a held app line carries id as its request id.
func (c *correlator) appCarries(id string) bool {
	id = sources.NormalizeRequestID(id)
	for _, r := range c.heldRefs(sources.IDHash(id)) {
		if r.e.RequestID == id {
			return true
		}
	}
	return false
}

// takeCapturedID makes id e's request id.
func (c *correlator) takeCapturedID(e *sources.ProxyEntry, id string) {
	e.RequestID, e.IDHash = id, 0
	e.IDKey()
	e.Fields |= sources.FieldRequestID
	c.captured.taken++
}
