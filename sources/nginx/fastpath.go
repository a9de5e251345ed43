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

import (
	"math/bits"
	"strings"
)

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

// combinedNums is what matchCombined read of the values besides their
// text, for fillCombined: what fill would otherwise work out from them.
type combinedNums struct {
	status int   // atoiSmall of $status
	body   int64 // $body_bytes_sent, or -1 when parseInt refuses it
	// timeHit says the time is the one the time cache holds (only in a
	// plainCombined format, whose cache holds only $time_local).
	timeHit bool
	// plainRequest says $request holds no backslash: decodeHex leaves it
	// as is.
	plainRequest bool
	// agent says whether $http_user_agent holds a backslash, when known.
	agent agentEscapes
	// ok says the fields above are set, for fill after match: matchGeneral
	// clears it, as the general matcher may take other values.
	ok bool
}

// Words of the combined layout's literals, for one masked compare.
const (
	// dashUser is the address's literal and the usual $remote_user with
	// its literal, ` - - [`, as word8 loads it; dashUserMask covers it.
	dashUser     = uint64(' ') | uint64('-')<<8 | uint64(' ')<<16 | uint64('-')<<24 | uint64(' ')<<32 | uint64('[')<<40
	dashUserMask = 1<<48 - 1
	// timeLiteral is `] "`, the literal after $time_local, as the top three
	// bytes of a word8.
	timeLiteral = uint64(']') | uint64(' ')<<8 | uint64('"')<<16
	// Every byte 0xF0, 0x30, 0x06 or 0x7F, for digitRun.
	bytesF0 = 0xF0 * bytesLow
	bytes30 = 0x30 * bytesLow
	bytes06 = 0x06 * bytesLow
	bytes7F = 0x7F * bytesLow
)

// zeroBytes marks (0x80) the zero bytes of x. The borrow may mark bytes
// after the first zero byte as well, never one before it, so the lowest
// mark is exact; so is the lowest mark of an OR of two such masks.
func zeroBytes(x uint64) uint64 { return (x - bytesLow) &^ x & bytesHigh }

// digitRun returns how many of w's bytes (as word8 loads them) are ASCII
// digits before the first that is not one; 8 when all are.
func digitRun(w uint64) int {
	return bits.TrailingZeros64(nonDigits(w)) >> 3
}

// nonDigits marks (0x80) the bytes of w that are no ASCII digit, each
// exactly. A byte is a digit when its high nibble is 3 and adding 6 keeps
// it so; the addition carries into the next byte only out of a byte above
// 0xF9, no digit.
func nonDigits(w uint64) uint64 {
	t := (w&bytesF0 ^ bytes30) | ((w+bytes06)&bytesF0 ^ bytes30)
	// Each nonzero byte of t, marked exactly: no carry leaves a byte.
	return ((t & bytes7F) + bytes7F | t) & bytesHigh
}

// digitsValue returns the number the first n (1 to 8) bytes of w spell,
// all digits (digitRun(w) >= n): the digits moved to the top of the word
// behind zeros, then summed in pairs, fours and eights by multiplies.
func digitsValue(w uint64, n int) int64 {
	x := w << (64 - 8*uint(n))
	x = (x & 0x0F0F0F0F0F0F0F0F) * (1 + 10<<8) >> 8
	x = (x & 0x00FF00FF00FF00FF) * (1 + 100<<16) >> 16
	x = (x & 0x0000FFFF0000FFFF) * (1 + 10000<<32) >> 32
	return int64(x)
}

// matchCombined sets v to the values of the combined fields, p.nums to
// what it read of them, and returns the position after the user agent's literal;
// ok is false when the line is not plain enough to be sure what the
// general matcher would make of it (p.nums is then as it was; v may be
// partly set, as the general matcher sets every value it needs). Where
// a field is searched for its literal, the same pass looks for a '"' the
// field may not hold. Short fields are read a word at a time (word8), as
// a call costs more than their bytes; longer ones are searched.
func (p *AccessParser) matchCombined(line string, v *combinedValues) (int, bool) {
	// $remote_addr " - ": no space in the address, so the first space
	// starts the literal; the first space or '"', a word at a time.
	sp := 0
	for {
		if len(line)-sp < 8 {
			for ; sp < len(line) && line[sp] != ' '; sp++ {
				if line[sp] == '"' {
					return 0, false
				}
			}
			break
		}
		// A space (0x20) or a '"' (0x22) is the byte that is '"' with
		// bit 1 set: one zero test for both.
		w := word8(line, sp)
		if m := zeroBytes(w | bytesLow*2 ^ bytesLow*'"'); m != 0 {
			sp += bits.TrailingZeros64(m) >> 3
			if line[sp] == '"' {
				return 0, false
			}
			break
		}
		sp += 8
	}
	v[0] = line[:sp] // each value stored as soon as known: fewer kept live
	// The other fields are read from t, the line from the field on, at
	// constant offsets: once t is long enough for a field's bytes, their
	// reads and slices need no bounds checks.
	t := line[sp:]

	// $remote_user " [": the first '[' must be the literal's. Most users
	// are "-": the address's literal and the user's, one compare.
	if len(t) >= 8 && word8(t, 0)&dashUserMask == dashUser {
		v[1], t = t[3:4], t[6:]
	} else {
		i := 0
		if v[1], i = userField(line, sp); i < 0 {
			return 0, false
		}
		t = line[i:]
	}

	// $time_local `] "`: 26 bytes. A shorter candidate would be refused by
	// its shape, and with no '"' in the 26 bytes there is none.
	if len(t) < 29 || word8(t, 21)>>40 != timeLiteral {
		return 0, false
	}
	tm := t[:26]
	v[2] = tm
	// A value the time cache parsed is valid and has no '"' (every byte
	// was checked); in formats that only log $time_local, that is what
	// the cache holds.
	// sameTime(tm, c.raw), from the cache's words.
	c, n := &p.times, &p.nums
	n.timeHit = p.plainCombined && c.has26 && word8(t, 0) == c.words[0] && word8(t, 8) == c.words[1] &&
		word8(t, 16) == c.words[2] && word8(t, 18) == c.words[3]
	if !n.timeHit && !plainTimeLocal(tm) {
		return 0, false
	}
	t = t[29:]

	// $request `" `: the first '"' must start the literal. Whether it
	// and the user agent hold a backslash (decodeHex's work) is told once
	// both are found.
	req := len(line) - len(t)
	q := strings.IndexByte(t, '"')
	if q < 0 || q+1 >= len(t) || t[q+1] != ' ' {
		return 0, false
	}
	v[3] = t[:q]
	t = t[q+2:]

	// $status " ": three digits, then the space.
	if len(t) < 4 || t[3] != ' ' {
		return 0, false
	}
	d0, d1, d2 := t[0]-'0', t[1]-'0', t[2]-'0'
	if d0 > 9 || d1 > 9 || d2 > 9 {
		return 0, false
	}
	n.status = int(d0)*100 + int(d1)*10 + int(d2)
	v[4] = t[:3]
	t = t[4:]

	// $body_bytes_sent ` "`: digits, then the literal; most are fewer
	// than seven, so that the literal is in the same word.
	nd, body := 0, int64(-1)
	if len(t) >= 8 {
		w := word8(t, 0)
		if nd = digitRun(w); nd > 0 && nd < 7 && uint16(w>>(8*nd)) == ' '|'"'<<8 {
			body = digitsValue(w, nd)
			v[5], t = t[:nd], t[nd+2:]
			goto referer
		}
	}
	if nd, body = digitsAt(t, 0); nd == 0 || len(t)-nd < 2 || t[nd] != ' ' || t[nd+1] != '"' {
		return 0, false
	}
	v[5], t = t[:nd], t[nd+2:]

	// $http_referer `" "`; most are "-", which with the literal is one
	// four-byte compare.
referer:
	if len(t) >= 4 && t[:4] == `-" "` {
		v[6], t = t[:1], t[4:]
	} else {
		if q = strings.IndexByte(t, '"'); q < 0 || len(t)-q < 3 || t[q+1] != ' ' || t[q+2] != '"' {
			return 0, false
		}
		v[6], t = t[:q], t[q+3:]
	}

	// $http_user_agent and the format's literal after it.
	f := &p.fields[combinedFields-1]
	var (
		agent string
		pos   int
	)
	if f.last {
		if agent, pos = lastAgent(t, f.next); pos < 0 {
			return 0, false
		}
		pos = len(line)
	} else {
		q = strings.IndexByte(t, '"')
		// The literal starts with '"' (startsLikeCombined): a longer one
		// is compared.
		if q < 0 || len(f.next) > 1 && !strings.HasPrefix(t[q:], f.next) {
			return 0, false
		}
		agent = t[:q]
		pos = len(line) - len(t) + q + len(f.next)
	}

	v[7] = agent
	// One search for a backslash from the request to the agent's end
	// costs less than one in each (two calls, two setups), and most lines
	// have none. Where the first one lies tells the request's case and
	// mostly the agent's.
	start, end := len(line)-len(t), len(line)-len(t)+len(agent)
	n.plainRequest, n.agent = true, agentPlain
	switch k := strings.IndexByte(line[req:end], '\\'); {
	case k < 0:
	case k < len(v[3]):
		n.plainRequest, n.agent = false, agentUnknown
	case req+k >= start:
		n.agent = agentEscaped
	default: // in the status, the body size or the referer
		n.agent = agentUnknown
	}
	n.body, n.ok = body, true
	return pos, true
}

// agentEscapes says whether $http_user_agent holds a backslash, when
// matchCombined knows.
type agentEscapes uint8

const (
	agentUnknown agentEscapes = iota // not looked for
	agentPlain                       // none
	agentEscaped                     // at least one
)

// userField is matchCombined's $remote_user for a user other than "-":
// line[sp:] starts with the space before the address's literal. It
// returns the user and the index after its literal, or -1 when the first
// '[' is not the literal's or a '"' comes first.
func userField(line string, sp int) (string, int) {
	if len(line)-sp < 3 || line[sp+1] != '-' || line[sp+2] != ' ' {
		return "", -1
	}
	i := sp + 3
	br := i
	for ; br < len(line) && line[br] != '['; br++ {
		if line[br] == '"' {
			return "", -1
		}
	}
	if br == len(line) || br == i || line[br-1] != ' ' {
		return "", -1
	}
	return line[i : br-1], br + 1
}

// digitsAt returns how many digits line[i:] starts with and the number
// they spell, -1 when parseInt refuses it: matchCombined's
// $body_bytes_sent when it does not end within a word.
func digitsAt(line string, i int) (int, int64) {
	nd := 0
	for i+nd < len(line) && line[i+nd] >= '0' && line[i+nd] <= '9' {
		nd++
	}
	if n, ok := parseInt(line[i : i+nd]); ok {
		return nd, n
	}
	return nd, -1
}

// lastAgent is matchCombined's $http_user_agent when it is the format's
// last variable: rest less the format's last literal, which must end it;
// pos is -1 when it does not or the agent holds a '"'.
func lastAgent(rest, next string) (agent string, pos int) {
	// Most formats end with the agent's closing quote: one byte, compared
	// as a byte (HasSuffix calls memequal for a literal it does not know).
	if len(next) == 1 {
		if rest == "" || rest[len(rest)-1] != next[0] {
			return "", -1
		}
	} else if !strings.HasSuffix(rest, next) {
		return "", -1
	}
	agent = rest[:len(rest)-len(next)]
	if strings.IndexByte(agent, '"') >= 0 {
		return "", -1
	}
	return agent, 0
}

// plainTimeLocal reports whether tm can be $time_local's value in
// matchCombined: of its shape, without a '"'.
func plainTimeLocal(tm string) bool {
	return shapeTimeLocal.valid(tm) && strings.IndexByte(tm, '"') < 0
}
