package nginx

// fastpath.go matches the start of a line without the general matcher's
// search, for formats that start like combined: nginx's predefined format,
// main, ingress-nginx and nginx-upstream all do, and so do most user formats.
//
// The rules:
//   - matchCombined only ever says "these are the values" or "don't know";
//     on "don't know" the general matcher runs as if nothing happened.
//   - It takes, for every field, the candidate end the general matcher tries
//     first (the first occurrence of the next literal), and gives up unless
//     that candidate is accepted. The general matcher's depth-first search
//     visits exactly that chain first, so when the chain goes through, both
//     give the same values, and the search has spent none of its budget.
//   - In escape=default no value holds a raw '"' (nginx writes \x22), so every
//     quoted field ends at the next '"': a '"' inside a value (a user agent
//     with \" written by another program) ends the field there, exactly as in
//     the general matcher, or sends the line to it.

import "strings"

// combinedFields is how many fields the combined layout has.
const combinedFields = 8

// combinedLayout is the shape and next literal of each combined field:
// $remote_addr - $remote_user [$time_local] "$request" $status
// $body_bytes_sent "$http_referer" "$http_user_agent". The user agent's
// literal is the format's own; it must start with '"'.
var combinedLayout = [combinedFields - 1]struct {
	shape shape
	next  string
}{
	{shapeNoSpace, " - "},
	{shapeAny, " ["},
	{shapeTimeLocal, `] "`},
	{shapeAny, `" `},
	{shapeStatus, " "},
	{shapeDigits, ` "`},
	{shapeAny, `" "`},
}

// startsLikeCombined reports whether matchCombined can match the start of
// p's lines: escape=default (values hold no raw '"'), no literal before the
// first variable, and the combined fields with their literals.
func startsLikeCombined(p *AccessParser) bool {
	if p.escape != escapeDefault || p.lead != "" || len(p.fields) < combinedFields {
		return false
	}
	for i, want := range combinedLayout {
		if f := p.fields[i]; f.shape != want.shape || f.next != want.next || f.last {
			return false
		}
	}
	ua := p.fields[combinedFields-1]
	return ua.shape == shapeAny && (ua.last || strings.HasPrefix(ua.next, `"`))
}

// quoteCount returns how many '"' a line must hold to match p, or -1 when
// that is not fixed. In escape=default a value holds no raw '"' (accept
// refuses it), so a match's quotes are the literals' quotes. That holds
// unless a value escapes accept: the raw tail takes anything, and a
// self-delimiting value followed directly by a variable is measured by its
// shape alone (a timestamp could hold a '"').
func quoteCount(p *AccessParser) int {
	if p.escape != escapeDefault {
		return -1
	}
	n := strings.Count(p.lead, `"`)
	for _, f := range p.fields {
		if f.shape == shapeRaw || f.next == "" && !f.last {
			return -1
		}
		n += strings.Count(f.next, `"`)
	}
	return n
}

// combinedValues are the values of the combined fields, in order.
type combinedValues [combinedFields]string

// matchCombined sets v to the values of the combined fields and returns
// the position after the user agent's literal; ok is false when the line is
// not plain enough to be sure what the general matcher would make of it
// (v is then as it was). Where a field is searched for its literal, the
// same pass looks for a '"' the field may not hold.
func (p *AccessParser) matchCombined(line string, v *combinedValues) (int, bool) {
	// $remote_addr " - ": no space in the address, so the first space
	// starts the literal.
	sp := 0
	for ; sp < len(line) && line[sp] != ' '; sp++ {
		if line[sp] == '"' {
			return 0, false
		}
	}
	if len(line)-sp < 3 || line[sp+1] != '-' || line[sp+2] != ' ' {
		return 0, false
	}
	addr := line[:sp]
	i := sp + 3

	// $remote_user " [": the first '[' must be the literal's.
	br := i
	for ; br < len(line) && line[br] != '['; br++ {
		if line[br] == '"' {
			return 0, false
		}
	}
	if br == len(line) || br == i || line[br-1] != ' ' {
		return 0, false
	}
	user := line[i : br-1]
	i = br + 1

	// $time_local `] "`: 26 bytes. A shorter candidate would be refused by
	// its shape, and with no '"' in the 26 bytes there is none.
	if len(line)-i < 29 || line[i+26:i+29] != `] "` {
		return 0, false
	}
	tm := line[i : i+26]
	// A value the time cache parsed is valid and has no '"' (every byte
	// was checked); in formats that only log $time_local, that is what
	// the cache holds.
	p.timeHit = p.plainCombined && sameTime(tm, p.times.raw)
	if !p.timeHit && (!shapeTimeLocal.valid(tm) || strings.IndexByte(tm, '"') >= 0) {
		return 0, false
	}
	i += 29

	// $request `" `: the first '"' must start the literal.
	q := strings.IndexByte(line[i:], '"')
	if q < 0 || i+q+1 >= len(line) || line[i+q+1] != ' ' {
		return 0, false
	}
	request := line[i : i+q]
	i += q + 2

	// $status " ": three digits, then the space.
	if len(line)-i < 4 || line[i+3] != ' ' || !isDigits(line[i:i+3]) {
		return 0, false
	}
	status := line[i : i+3]
	i += 4

	// $body_bytes_sent ` "`: digits, then the literal.
	n := 0
	for i+n < len(line) && line[i+n] >= '0' && line[i+n] <= '9' {
		n++
	}
	if n == 0 || len(line)-(i+n) < 2 || line[i+n] != ' ' || line[i+n+1] != '"' {
		return 0, false
	}
	body := line[i : i+n]
	i += n + 2

	// $http_referer `" "`; most are "-".
	if q = 1; len(line)-i < 2 || line[i] != '-' || line[i+1] != '"' {
		q = strings.IndexByte(line[i:], '"')
	}
	if q < 0 || len(line)-(i+q) < 3 || line[i+q+1] != ' ' || line[i+q+2] != '"' {
		return 0, false
	}
	referer := line[i : i+q]
	i += q + 3

	// $http_user_agent and the format's literal after it.
	f := &p.fields[combinedFields-1]
	rest := line[i:]
	var (
		agent string
		pos   int
	)
	if f.last {
		if !strings.HasSuffix(rest, f.next) {
			return 0, false
		}
		agent = rest[:len(rest)-len(f.next)]
		if strings.IndexByte(agent, '"') >= 0 {
			return 0, false
		}
		pos = len(line)
	} else {
		q = strings.IndexByte(rest, '"')
		if q < 0 || !strings.HasPrefix(rest[q:], f.next) {
			return 0, false
		}
		agent = rest[:q]
		pos = i + q + len(f.next)
	}

	// One store per value: a composite literal would be copied in with a
	// call.
	v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7] = addr, user, tm, request, status, body, referer, agent
	return pos, true
}
