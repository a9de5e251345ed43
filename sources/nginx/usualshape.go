package nginx

// usualshape.go reads the tails of most nginx-upstream lines by their
// shape. In the layout fivexx advises (classify.UpstreamLogFormat, which
// readUsual reads token by token) nearly every line is one of two shapes:
//
//	 rt=0.011 uct="0.000" uht="0.010" urt="0.010" ua="ADDR" us="200" rid=ID32 cid=N
//	 rt=0.000 uct="-" uht="-" urt="-" ua="-" us="-" rid=ID32 cid=N
//
// one upstream attempt whose times are all below 10 s, or no upstream at
// all (nginx answered itself). Their first 50 or 52 bytes have fixed
// places, so they are checked a word at a time against a pattern (a few
// instructions a word, no search), and the values are taken at constant
// offsets. The rules:
//   - readUsualShape only says "this is the shape" or "don't know"; on
//     "don't know" the pairs are read as before (read, readUsual), so a
//     tail it takes must give what those give: the same values, one
//     attempt (no list value with a space, none empty), the same keys.
//   - It takes a tail only when every byte of it is accounted for: the
//     address ends within two words and holds no space, the request id is
//     readUsual's plain 32 bytes, the connection is the rest of the line and
//     shorter than a word.
//   - finishUsualShape is finishOneAttempt for those tails, with what the
//     shape already told (the times are d.ddd, the status three digits).
//     TestUpstreamMatchesReferencePath, FuzzFastPath and FuzzUsualShape
//     hold the two to the reference reader.

import (
	"math/bits"

	"fivexx/sources"
)

// The tails' shapes, '#' for a digit.
const (
	// attemptShape starts a tail of one attempt, up to the address.
	attemptShape = ` rt=#.### uct="#.###" uht="#.###" urt="#.###" ua="`
	// noUpstreamShape starts a tail of no upstream, up to the request id.
	noUpstreamShape = ` rt=#.### uct="-" uht="-" urt="-" ua="-" us="-" rid=`
	// statusShape follows the address of one attempt, up to the request id.
	statusShape = `" us="###" rid=`
	// usualIDLen is the length of the request ids the shapes take, nginx's
	// $request_id; idTail is what follows one.
	usualIDLen = 32
	idTail     = ` cid=`
)

// shapeWord is eight bytes of a shape, as word8 loads them, for one
// check: miss is zero exactly when a word has the shape.
type shapeWord struct {
	// A literal byte must be itself (mask 0xFF); a digit's high nibble
	// must be 3 (mask 0xF0), and adding 6 must keep it so (digitMask).
	mask, lit, add, digitMask, digits uint64
}

// miss returns 0 when w has k's shape, else a mark in the bytes that have
// not. A digit byte that passed the first test is 0x30 to 0x3F, so adding
// 6 carries out of none of them; a carry out of a byte that failed it
// cannot hide that failure.
func (k *shapeWord) miss(w uint64) uint64 {
	return (w&k.mask ^ k.lit) | ((w+k.add)&k.digitMask ^ k.digits)
}

// shapeWords cuts a shape into the words that cover it: one every eight
// bytes, the last one ending with the shape.
func shapeWords(shape string) []shapeWord {
	var out []shapeWord
	for i := 0; ; i += 8 {
		if i+8 > len(shape) {
			i = len(shape) - 8
		}
		var k shapeWord
		for j := 7; j >= 0; j-- {
			k.mask, k.lit, k.add, k.digitMask, k.digits = k.mask<<8, k.lit<<8, k.add<<8, k.digitMask<<8, k.digits<<8
			if c := shape[i+j]; c == '#' {
				k.mask, k.lit, k.add, k.digitMask, k.digits = k.mask|0xF0, k.lit|0x30, k.add|0x06, k.digitMask|0xF0, k.digits|0x30
			} else {
				k.mask, k.lit = k.mask|0xFF, k.lit|uint64(c)
			}
		}
		out = append(out, k)
		if i+8 == len(shape) {
			return out
		}
	}
}

// The shapes' words: attemptShape's seven (six at 0 to 40, one that ends
// it at 42), statusShape's two (at 0 and 7); noUpstreamShape's first
// two are attemptShape's but for uct's value, and its others, from 16 on
// (the last at 44), are all literal: plain words.
var (
	attemptShapeWords    = [7]shapeWord(shapeWords(attemptShape))
	statusShapeWords     = [2]shapeWord(shapeWords(statusShape))
	noUpstreamShapeWord1 = shapeWords(noUpstreamShape)[1]
	noUpstreamShapeRest  = [5]uint64{word8(noUpstreamShape, 16), word8(noUpstreamShape, 24),
		word8(noUpstreamShape, 32), word8(noUpstreamShape, 40), word8(noUpstreamShape, 44)}
)

// usualShape is what readUsualShape found in a tail.
type usualShape struct {
	// idStart is where the request id starts; for one attempt the
	// address is tail[len(attemptShape):idStart-len(statusShape)].
	idStart int
	ms      uint64 // $request_time in milliseconds
	attempt bool   // one attempt; else no upstream
	peer    bool   // isPeerAddr(address)
}

// readUsualShape reports whether tail has one of the two shapes, and what
// it found on the way.
func readUsualShape(tail string) (u usualShape, ok bool) {
	const minTail = len(noUpstreamShape) + usualIDLen + len(idTail) + 1
	if len(tail) < minTail {
		return u, false
	}
	t := tail[:minTail] // every read below minTail without a bounds check
	k := &attemptShapeWords
	w0, w1 := word8(t, 0), word8(t, 8)
	if t[15] == '-' { // no upstream: the shapes differ first at uct's value
		if k[0].miss(w0)|noUpstreamShapeWord1.miss(w1) != 0 || word8(t, 16) != noUpstreamShapeRest[0] ||
			word8(t, 24) != noUpstreamShapeRest[1] || word8(t, 32) != noUpstreamShapeRest[2] ||
			word8(t, 40) != noUpstreamShapeRest[3] || word8(t, 44) != noUpstreamShapeRest[4] {
			return u, false
		}
		u.idStart = len(noUpstreamShape)
	} else {
		const a = len(attemptShape)
		if k[0].miss(w0)|k[1].miss(w1)|k[2].miss(word8(t, 16))|k[3].miss(word8(t, 24))|
			k[4].miss(word8(t, 32))|k[5].miss(word8(t, 40))|k[6].miss(word8(t, a-8)) != 0 {
			return u, false
		}
		// The address: up to the next quote, within two words, not
		// empty and without a space (one attempt). A space's mark before
		// the quote's lowest one is a space (see zeroBytes).
		const quotes, spaces = bytesLow * '"', bytesLow * ' '
		w, w2 := word8(t, a), word8(t, a+8)
		var n int
		if q := zeroBytes(w ^ quotes); q != 0 {
			n = bits.TrailingZeros64(q) >> 3
			if zeroBytes(w^spaces)&(q-1) != 0 {
				return u, false
			}
		} else if q := zeroBytes(w2 ^ quotes); q != 0 {
			n = 8 + bits.TrailingZeros64(q)>>3
			if zeroBytes(w^spaces)|zeroBytes(w2^spaces)&(q-1) != 0 {
				return u, false
			}
		} else {
			return u, false
		}
		if n == 0 {
			return u, false
		}
		// After the closing quote, statusShape and the request id.
		r := tail[a+n:]
		if len(r) < len(statusShape)+usualIDLen+len(idTail)+1 ||
			statusShapeWords[0].miss(word8(r, 0))|statusShapeWords[1].miss(word8(r, 7)) != 0 {
			return u, false
		}
		u.idStart, u.attempt = a+n+len(statusShape), true
		// isPeerAddr: "unix:" and a path, or a port (digits) after a ':'
		// that is not the address's first byte. The port's digits are
		// counted in the word that ends the address: the quote before
		// the address is no digit.
		const unix = uint64('u') | uint64('n')<<8 | uint64('i')<<16 | uint64('x')<<24 | uint64(':')<<32
		e := word8(tail, a+n-8)
		nd := bits.LeadingZeros64(nonDigits(e)) >> 3
		switch {
		case w&(1<<40-1) == unix:
			u.peer = n > 5
		case nd == 8:
			u.peer = isPeerAddr(tail[a : a+n])
		default:
			u.peer = nd > 0 && byte(e>>(56-8*nd)) == ':' && n-nd >= 2
		}
	}
	// The request id: 32 bytes without a space (its end), a backslash
	// (decodeHex's work) or an opening quote, then " cid=" and the
	// connection: the rest of the line, 1 to 7 bytes, no space, not
	// opening with a quote.
	r := tail[u.idStart:]
	if len(r) < usualIDLen+len(idTail)+1 || len(r) > usualIDLen+len(idTail)+7 ||
		r[usualIDLen:usualIDLen+len(idTail)] != idTail || r[usualIDLen+len(idTail)] == '"' ||
		!hexLike(word8(r, 0), word8(r, 8), word8(r, 16), word8(r, 24)) {
		return u, false
	}
	// The last word of tail, the bytes before the connection shifted out
	// (the zeros shifted in are no space).
	if c := len(r) - (usualIDLen + len(idTail)); firstByte(word8(tail, len(tail)-8)>>(64-8*c), ' ') != 8 {
		return u, false
	}
	u.ms = uint64(t[4]-'0')*1000 + uint64(t[6]-'0')*100 + uint64(t[7]-'0')*10 + uint64(t[8]-'0') // d.ddd
	return u, true
}

// hexLike reports whether every byte of the four words has bit 5 (0x20)
// and bit 4 or bit 6 set, as every lower-case hex digit has: then none is
// a space (0x20: neither 4 nor 6), a backslash (0x5C: not 5) or a quote
// (0x22: neither). Shifting a word by one bit moves bits 4 and 6 of each
// byte to its bit 5, and no bit of another byte there.
func hexLike(w0, w1, w2, w3 uint64) bool {
	const b5 = bytesLow * 0x20
	m := w0 & (w0<<1 | w0>>1) & w1 & (w1<<1 | w1>>1) & w2 & (w2<<1 | w2>>1) & w3 & (w3<<1 | w3>>1)
	return m&b5 == b5
}

// finishUsualShape is finish (finishOneAttempt) for a tail
// readUsualShape took: the entry's upstream fields, and those that follow
// from them, in lists's first five elements.
func (p *UpstreamParser) finishUsualShape(e *sources.ProxyEntry, tail string, u usualShape, lists *listArena) *sources.ProxyEntry {
	// The fields neither fillCombined nor the rest of this function sets,
	// and those it sets only on some lines: the slot's entry was not
	// cleared (newEntry). The eight one-byte fields from UpstreamContacted
	// on lie together and are cleared in their order, UpstreamAnswered
	// too, which the compiler makes one store.
	e.IDHash, e.ClientPort, e.Host, e.UpstreamAddrRaw, e.Flags = 0, "", "", "", ""
	e.Upstream, e.Detail = "", ""
	e.UpstreamContacted, e.UpstreamAnswered, e.UpstreamBodyless = sources.Unknown, sources.Unknown, sources.Unknown
	e.Reason, e.Hop, e.ProxyWrote, e.TimePrecision, e.ZoneFromLine = sources.ReasonNone, sources.HopNone, sources.Unknown, sources.PrecisionUnknown, false
	e.RequestTime = float64(u.ms) / 1e3
	i := u.idStart
	e.RequestID = tail[i : i+usualIDLen]
	e.Conn = dash(tail[i+usualIDLen+len(idTail):])
	e.Fields |= usualFields
	l := lists.buf[:5:5]
	lists.buf = l
	e.UpstreamConnect, e.UpstreamHeader, e.UpstreamResponse = l[0:1:1], l[1:2:2], l[2:3:3]
	e.UpstreamAddr, e.UpstreamStatus = l[3:4:4], l[4:5:5]
	if !u.attempt {
		l[0], l[1], l[2], l[3], l[4] = "-", "-", "-", "-", "-"
		e.UpstreamStatusRaw = "-"
		e.UpstreamContacted, e.UpstreamAnswered = sources.No, sources.No
		p.seen |= e.Fields
		return e
	}
	// The times' places in attemptShape.
	const connect, header, response = 15, 27, 39
	a, s := len(attemptShape), i-len(statusShape)
	addr, status := tail[a:s], tail[s+6:s+9]
	l[0], l[1], l[2], l[3], l[4] = tail[connect:connect+5], tail[header:header+5], tail[response:response+5], addr, status
	e.UpstreamStatusRaw = status
	// derive, for one address with a status and a header time.
	switch {
	case u.peer:
		e.Upstream, e.UpstreamContacted = addr, sources.Yes
	case addr != "-":
		// A group name: no server selected, none contacted.
		e.Upstream, e.UpstreamContacted = addr, sources.No
		e.Reason = sources.ReasonNoLiveUpstreams
		e.Detail = "upstream_addr is the group name " + addr
	}
	e.UpstreamAnswered = sources.Yes
	p.seen |= e.Fields
	return e
}
