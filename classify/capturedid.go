package classify

import (
	"strings"

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
//     captures (sources.Format.Captured), as they are judged: nothing is
//     added to the per-line path.
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
}

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
	var vals []string
	if f.Captured != nil {
		vals = f.Captured(e.Raw)
	}
	if f.Trailing != nil {
		// After the captures: their number is the configuration's, the
		// same on every line, so a trailing field keeps its place.
		if more := f.Trailing(e.Raw); len(more) > 0 {
			vals = append(vals, more...)
			c.captured.trailing++
		}
	}
	if len(vals) == 0 {
		return ""
	}
	c.captured.offered++
	if n := c.captured.place[in]; n > 0 {
		if n <= len(vals) && usable(vals[n-1]) {
			c.takeCapturedID(e, vals[n-1])
		}
		return ""
	}
	for i, v := range vals {
		if usable(v) && c.appCarries(v) {
			if c.captured.place == nil {
				c.captured.place = map[*sources.Input]int{}
			}
			c.captured.place[in] = i + 1
			c.takeCapturedID(e, v)
			return ""
		}
	}
	return c.guessedID(in, vals)
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
