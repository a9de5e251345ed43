package nginx

// pairs.go reads the key=value tail of nginx-upstream lines:
// rt=0.002 uct="0.000, 0.001" ua="10.0.0.1:8080" us="502" rid=... cid=812.
//
// The rules:
//   - A token is key=value or key="value"; the value ends at the next space,
//     or at the next '"' when quoted (nginx writes '"' as \x22), or with the
//     line. Bare tokens, quoted tokens and unknown keys are skipped; a later
//     key of the same field wins.
//   - Whatever way a token is read (as part of the layout fivexx advises, by
//     a learned layout, by shortKey, byte by byte) gives what the
//     byte-by-byte reader gives; reference_test.go keeps the reader before
//     those, and the tests compare the two.
//   - The pairs are read before the entry is allocated: they tell how many
//     list elements the entry must hold, so that it takes one allocation.

import (
	"math/bits"
	"strings"

	"fivexx/sources"
)

// pairKey is what a known key of the tail sets.
type pairKey uint8

const (
	keyUnknown pairKey = iota
	keyRequestTime
	keyRequestID
	keyConn
	// The list keys.
	keyUpstreamConnect
	keyUpstreamHeader
	keyUpstreamResponse
	keyUpstreamAddr
	keyUpstreamStatus
	pairKeys // how many there are
)

// pairFields is the attribution field each key sets.
var pairFields = [pairKeys]sources.FieldSet{
	keyRequestTime:      sources.FieldRequestTime,
	keyRequestID:        sources.FieldRequestID,
	keyConn:             sources.FieldConn,
	keyUpstreamConnect:  sources.FieldUpstreamConnectTime,
	keyUpstreamHeader:   sources.FieldUpstreamHeaderTime,
	keyUpstreamResponse: sources.FieldUpstreamResponseTime,
	keyUpstreamAddr:     sources.FieldUpstreamAddr,
	keyUpstreamStatus:   sources.FieldUpstreamStatus,
}

// pairKeyOf returns what a normalized key sets. Comparing by length first
// keeps every comparison a load or two.
func pairKeyOf(k string) pairKey {
	switch len(k) {
	case 2:
		switch k {
		case "rt":
			return keyRequestTime
		case "ua":
			return keyUpstreamAddr
		case "us":
			return keyUpstreamStatus
		}
	case 3:
		switch k {
		case "uct":
			return keyUpstreamConnect
		case "uht":
			return keyUpstreamHeader
		case "urt":
			return keyUpstreamResponse
		case "rid":
			return keyRequestID
		case "cid":
			return keyConn
		}
	case 4:
		if k == "conn" {
			return keyConn
		}
	case 5:
		if k == "reqid" {
			return keyRequestID
		}
	case 6:
		if k == "req_id" {
			return keyRequestID
		}
	case 8:
		if k == "upstream" {
			return keyUpstreamAddr
		}
	case 10:
		switch k {
		case "request_id":
			return keyRequestID
		case "connection":
			return keyConn
		}
	case 12:
		if k == "request_time" {
			return keyRequestTime
		}
	case 13:
		if k == "upstream_addr" {
			return keyUpstreamAddr
		}
	case 15:
		if k == "upstream_status" {
			return keyUpstreamStatus
		}
	case 20:
		if k == "upstream_header_time" {
			return keyUpstreamHeader
		}
	case 21:
		if k == "upstream_connect_time" {
			return keyUpstreamConnect
		}
	case 22:
		if k == "upstream_response_time" {
			return keyUpstreamResponse
		}
	}
	return keyUnknown
}

// pairKeyNames are the keys pairKeyOf knows, for isKeyPrefix.
var pairKeyNames = [...]string{
	"rt", "ua", "us", "uct", "uht", "urt", "rid", "cid", "conn", "reqid", "req_id", "upstream",
	"request_id", "connection", "request_time", "upstream_addr", "upstream_status",
	"upstream_header_time", "upstream_connect_time", "upstream_response_time",
}

// isKeyPrefix reports whether s (normalized) is a key pairKeyOf knows or
// the start of one: "rt", "u", "upstream_st".
func isKeyPrefix(s string) bool {
	s = normKey(s)
	for _, k := range pairKeyNames {
		if strings.HasPrefix(k, s) {
			return true
		}
	}
	return false
}

// cutBeforeUpstream reports whether tail, read into kv, was cut short
// before the upstream's status: it has no status key, and it ends inside a
// quoted value (an odd number of quotes: nginx writes a '"' inside a
// value as \x22), the address's among them, or inside a known key before
// its '=' ("… \"ua/1\" rt", half a line then a newline). Such a line
// read as a 5xx on upstream "-" with the hint to add the upstream fields
// to the log, which its format has (QA s35 L2): its parser leaves it
// unparsed. A tail that names the status, one of bare tokens (an ingress
// line's ids), or one that ends after a whole token is read as before.
// Only lines off readUsual's shape come here.
func cutBeforeUpstream(tail string, kv *upstreamPairs) bool {
	if tail == "" || kv.fields&sources.FieldUpstreamStatus != 0 {
		return false
	}
	if strings.Count(tail, `"`)%2 == 1 {
		return true
	}
	last := tail[strings.LastIndexByte(tail, ' ')+1:]
	return last != "" && strings.IndexByte(last, '=') < 0 && isKeyPrefix(last)
}

// le32 is the first four bytes of a key=value token as a little-endian
// word, for shortKey.
func le32(a, b, c, d byte) uint32 {
	return uint32(a) | uint32(b)<<8 | uint32(c)<<16 | uint32(d)<<24
}

// shortKey recognizes the short keys of the usual log_format (rt= uct= uht=
// urt= ua= us= rid= cid=) at the start of s by one four-byte compare. It
// returns the key's length and what it sets, or 0 when s starts otherwise;
// the general key reader gives the same for those keys.
func shortKey(s string) (int, pairKey) {
	if len(s) < 4 {
		return 0, keyUnknown
	}
	w := le32(s[0], s[1], s[2], s[3])
	switch w & 0xffffff {
	case le32('r', 't', '=', 0):
		return 2, keyRequestTime
	case le32('u', 'a', '=', 0):
		return 2, keyUpstreamAddr
	case le32('u', 's', '=', 0):
		return 2, keyUpstreamStatus
	}
	switch w {
	case le32('u', 'c', 't', '='):
		return 3, keyUpstreamConnect
	case le32('u', 'h', 't', '='):
		return 3, keyUpstreamHeader
	case le32('u', 'r', 't', '='):
		return 3, keyUpstreamResponse
	case le32('r', 'i', 'd', '='):
		return 3, keyRequestID
	case le32('c', 'i', 'd', '='):
		return 3, keyConn
	}
	return 0, keyUnknown
}

// upstreamPairs is what the key=value tail of a line says: the last value
// of every known key (a later key of the same field wins, as when each is
// applied in turn).
type upstreamPairs struct {
	known  int              // known keys, repeats included
	fields sources.FieldSet // the fields the known keys set
	vals   [pairKeys]string // by key
	// spaced says a list value holds a space, so it may have several
	// elements: both separators hold one.
	spaced [pairKeys]bool
	// plainID says the request id holds no backslash, so decodeHex would
	// leave it as is (readUsual's 32-byte ids).
	plainID bool
	// single is oneAttempt, as listElems found it on its way: finish
	// asks it again.
	single bool
	// noUpstream says readUsual found the five list values "-" (a request
	// no upstream served).
	noUpstream bool
	// double says the five lists name two attempts each, "X, Y": one
	// space in each, after a comma (commaSpace); commas[i] is where the
	// comma of list keyUpstreamConnect+i lies. listElems sets both.
	double bool
	commas [5]uint8
}

// isListKey reports whether a key's value is an upstream list.
func isListKey(k pairKey) bool { return k >= keyUpstreamConnect }

// Words of eight bytes let read find the end of a short value, and whether
// it holds a space, in a few instructions and no call.
const (
	bytesLow  = 0x0101010101010101
	bytesHigh = 0x8080808080808080
)

// word8 returns s[i:i+8] as a little-endian word (one load).
func word8(s string, i int) uint64 {
	b := s[i : i+8]
	return uint64(b[0]) | uint64(b[1])<<8 | uint64(b[2])<<16 | uint64(b[3])<<24 |
		uint64(b[4])<<32 | uint64(b[5])<<40 | uint64(b[6])<<48 | uint64(b[7])<<56
}

// firstByte returns the index of the first byte of w (as word8 loads it)
// that is c, or 8 when there is none. The borrow trick may mark bytes
// after the first c as well, never one before it.
func firstByte(w uint64, c byte) int {
	x := w ^ bytesLow*uint64(c)
	return bits.TrailingZeros64((x-bytesLow)&^x&bytesHigh) >> 3
}

// pairTemplate is the layout of the tails read before: the tokens they
// started with, each as the bytes from the space before its key to its
// value (` uct="`). nginx writes every line of a log_format alike, so the
// next tail most likely starts with the same tokens, and each is one
// compare instead of a scan of its key.
type pairTemplate struct {
	steps [maxPairSteps]pairStep
	n     int // steps in use
	// known[i] and fields[i] are how many known keys the first i steps
	// name, and the fields they set.
	known  [maxPairSteps + 1]int
	fields [maxPairSteps + 1]sources.FieldSet
}

// maxPairSteps is how many tokens a pairTemplate holds.
const maxPairSteps = 16

// pairStep is one token of a pairTemplate: a space, the key, '=' and maybe
// the value's opening quote, at most 8 bytes.
type pairStep struct {
	lead, mask uint64 // the bytes as word8 loads them; mask covers n bytes
	n          int
	key        pairKey
	quoted     bool
	// For readWordSteps: the byte that ends the value ('"' or ' ') in
	// every byte of a word; the byte the value may not start with ('"'
	// for a bare value; for a quoted one 0, which only sends a value that
	// starts with a NUL to read's own loop); the length of the closing
	// quote; whether the value is a list whose spaces count.
	terms   uint64
	bad     byte
	closing int
	list    bool
}

// wordAt returns the first 8 bytes of s as word8 does, zero-padded when s
// is shorter.
func wordAt(s string) uint64 {
	if len(s) >= 8 {
		return word8(s, 0)
	}
	var w uint64
	for i := len(s) - 1; i >= 0; i-- {
		w = w<<8 | uint64(s[i])
	}
	return w
}

// read reads the space-separated tokens of s, key=value or key="value",
// into a zero kv. Bare tokens, quoted tokens (main's X-Forwarded-For) and
// unknown keys are skipped. A tail in the layout fivexx advises is read by
// readUsual; otherwise the tokens tpl holds are taken by their lead, and
// the rest are read byte by byte, the usual keys recognized by shortKey,
// others checked and classified in the same pass that finds their end,
// and learned into tpl. Either way a token gives what the byte-by-byte
// reader gives: a step is only taken where the line holds its very bytes.
// tpl may be nil.
func (kv *upstreamPairs) read(s string, tpl *pairTemplate) {
	if rest, ok := kv.readUsual(s); ok {
		if rest == "" {
			return
		}
		// Tokens after the usual ones: byte by byte, as a layout of
		// their own would not pay. One may be another request id, or
		// another upstream value.
		s, tpl, kv.plainID, kv.noUpstream = rest, nil, false, false
	}
	learn := tpl != nil
	if tpl != nil {
		i := 0
		for i < tpl.n {
			// The values that end within a word, at once; then the
			// others, one by one.
			s, i = kv.readWordSteps(s, i, tpl)
			if i == tpl.n {
				break
			}
			st := &tpl.steps[i]
			// A bare value may not start with a quote.
			if len(s) < st.n || wordAt(s)&st.mask != st.lead || !st.quoted && len(s) > st.n && s[st.n] == '"' {
				break
			}
			s = s[st.n-b2i(st.quoted):] // a quoted value is read from its quote
			var val string
			spaced := false
			if st.quoted {
				val, s, spaced = readQuoted(s, st.key)
			} else {
				val, s = readBare(s)
			}
			kv.vals[st.key], kv.spaced[st.key] = val, spaced
			i++
		}
		// The steps taken, as set counts and marks them.
		kv.known += tpl.known[i]
		kv.fields |= tpl.fields[i]
		// The steps after a mismatch are relearned from this line.
		tpl.n = i
	}
	for {
		spaces := 0
		for spaces < len(s) && s[spaces] == ' ' {
			spaces++
		}
		s = s[spaces:]
		if s == "" {
			return
		}
		if s[0] == '"' { // a bare quoted token
			learn = false
			end := strings.IndexByte(s[1:], '"')
			if end < 0 {
				return
			}
			s = s[end+2:]
			continue
		}
		k, key := shortKey(s)
		if k == 0 {
			// The key: [A-Za-z0-9_.-]+; plain keys (lower case, no '-'
			// or '.') need no normalizing.
			plain := true
		scan:
			for ; k < len(s); k++ {
				switch c := s[k]; {
				case c >= 'a' && c <= 'z', c >= '0' && c <= '9', c == '_':
				case c >= 'A' && c <= 'Z', c == '-', c == '.':
					plain = false
				default:
					break scan
				}
			}
			if k == 0 || k == len(s) || s[k] != '=' {
				learn = false
				end := strings.IndexByte(s[k:], ' ')
				if end < 0 {
					return
				}
				s = s[k+end:]
				continue
			}
			if plain {
				key = pairKeyOf(s[:k])
			} else {
				key = pairKeyOf(normKey(s[:k]))
			}
		}
		quoted := k+1 < len(s) && s[k+1] == '"'
		if learn {
			learn = tpl.learn(spaces, s[:k+1+b2i(quoted)], key, quoted)
		}
		s = s[k+1:]
		var val string
		spaced := false
		if quoted {
			val, s, spaced = readQuoted(s, key)
		} else {
			val, s = readBare(s)
		}
		kv.set(key, val, spaced)
	}
}

// readWordSteps takes the steps of tpl from i on while each value ends
// within the word after its lead, as read's loop over the steps would:
// two loads and a few operations a token. It returns the rest of s and
// the step it stopped at. It calls nothing, so that its loop keeps its
// values in registers; kv.known and kv.fields are left to read.
func (kv *upstreamPairs) readWordSteps(s string, i int, tpl *pairTemplate) (string, int) {
	for ; i < tpl.n && len(s) >= 16; i++ {
		st := &tpl.steps[i]
		if word8(s, 0)&st.mask != st.lead {
			break
		}
		w := word8(s, st.n) // st.n <= 8
		x := w ^ st.terms
		j := bits.TrailingZeros64((x-bytesLow)&^x&bytesHigh) >> 3
		if j == 8 || byte(w) == st.bad {
			break
		}
		kv.vals[st.key] = s[st.n : st.n+j]
		kv.spaced[st.key] = st.list && firstByte(w, ' ') < j
		s = s[st.n+j+st.closing:]
	}
	return s, i
}

// readUsual reads a tail in the layout fivexx advises (and its demo and
// lab write), classify.UpstreamLogFormat's
//
//	rt=V uct="V" uht="V" urt="V" ua="V" us="V" rid=V cid=V
//
// with one space before each token, no bare value that opens with a
// quote and no quoted value cut short. It reads those tokens as read's
// loops would, and returns what follows them (the tokens a user added
// after the connection) for read to go on with; ok is false when s does
// not start so, and kv is then left zero, as read is given it. Straight
// code for one layout, every key a constant, costs a fraction of the
// template's loop; the quoted values that end within a word (the times,
// the status, "-") are read in line, as a call would cost as much again.
// Each token is read from t, the tail from its lead on, at constant
// offsets: once t is long enough for the lead and the value's words, the
// compiler drops the bounds checks of every read and slice that follows.
func (kv *upstreamPairs) readUsual(s string) (rest string, ok bool) {
	if len(s) < 4+8 || s[:4] != " rt=" {
		return "", false
	}
	const quotes, spaces = bytesLow * '"', bytesLow * ' '
	// Bare values end at a space; most request times within a word.
	var (
		t string
		w uint64
	)
	if w := word8(s, 4); byte(w) != '"' && zeroBytes(w^spaces) != 0 {
		j := bits.TrailingZeros64(zeroBytes(w^spaces)) >> 3
		kv.vals[keyRequestTime], t = s[4:4+j], s[4+j:]
	} else if i := kv.usualBare(s, 4, keyRequestTime); i >= 0 {
		t = s[i:]
	} else {
		return kv.notUsual()
	}
	// A request no upstream served (nginx answered it itself: a redirect,
	// a limit, a cache hit; a third of the bench set's lines) has "-" for
	// the five upstream values: one compare for the five tokens, by
	// words, the first of which tells most other lines apart.
	if nu := &noUpstreamWords; len(t) >= len(noUpstreamTokens) && word8(t, 0) == nu[0] &&
		word8(t, 8) == nu[1] && word8(t, 16) == nu[2] && word8(t, 24) == nu[3] && word8(t, 30) == nu[4] {
		kv.vals[keyUpstreamConnect], kv.vals[keyUpstreamHeader], kv.vals[keyUpstreamResponse] = "-", "-", "-"
		kv.vals[keyUpstreamAddr], kv.vals[keyUpstreamStatus] = "-", "-"
		kv.noUpstream = true
		t = t[len(noUpstreamTokens):]
		goto requestID
	}
	// Each quoted token: its lead, then its value's first word, and a
	// byte after it (a tail shorter than that is no usual tail: more
	// tokens follow). The value ends at the word's first quote (the
	// lowest mark of q, exact); it holds a space when a space's mark
	// comes before that one (a mark past the first space may be false,
	// never one before it).
	if len(t) < 6+8+1 || t[:6] != ` uct="` {
		return kv.notUsual()
	}
	w = word8(t, 6)
	if q := zeroBytes(w ^ quotes); q != 0 {
		j := bits.TrailingZeros64(q) >> 3
		kv.vals[keyUpstreamConnect], kv.spaced[keyUpstreamConnect] = t[6:6+j], zeroBytes(w^spaces)&(q-1) != 0
		t = t[6+j+1:]
	} else if i := kv.usualQuotedLong(t, 6, keyUpstreamConnect); i >= 0 {
		t = t[i:]
	} else {
		return kv.notUsual()
	}
	if len(t) < 6+8+1 || t[:6] != ` uht="` {
		return kv.notUsual()
	}
	w = word8(t, 6)
	if q := zeroBytes(w ^ quotes); q != 0 {
		j := bits.TrailingZeros64(q) >> 3
		kv.vals[keyUpstreamHeader], kv.spaced[keyUpstreamHeader] = t[6:6+j], zeroBytes(w^spaces)&(q-1) != 0
		t = t[6+j+1:]
	} else if i := kv.usualQuotedLong(t, 6, keyUpstreamHeader); i >= 0 {
		t = t[i:]
	} else {
		return kv.notUsual()
	}
	if len(t) < 6+8+1 || t[:6] != ` urt="` {
		return kv.notUsual()
	}
	w = word8(t, 6)
	if q := zeroBytes(w ^ quotes); q != 0 {
		j := bits.TrailingZeros64(q) >> 3
		kv.vals[keyUpstreamResponse], kv.spaced[keyUpstreamResponse] = t[6:6+j], zeroBytes(w^spaces)&(q-1) != 0
		t = t[6+j+1:]
	} else if i := kv.usualQuotedLong(t, 6, keyUpstreamResponse); i >= 0 {
		t = t[i:]
	} else {
		return kv.notUsual()
	}
	// An address and port mostly take two words.
	if len(t) < 5+16+1 || t[:5] != ` ua="` {
		return kv.notUsual()
	}
	w = word8(t, 5)
	if q := zeroBytes(w ^ quotes); q != 0 {
		j := bits.TrailingZeros64(q) >> 3
		kv.vals[keyUpstreamAddr], kv.spaced[keyUpstreamAddr] = t[5:5+j], zeroBytes(w^spaces)&(q-1) != 0
		t = t[5+j+1:]
	} else if w2 := word8(t, 13); zeroBytes(w2^quotes) != 0 {
		q := zeroBytes(w2 ^ quotes)
		j := bits.TrailingZeros64(q) >> 3
		kv.vals[keyUpstreamAddr], kv.spaced[keyUpstreamAddr] = t[5:13+j], zeroBytes(w^spaces)|zeroBytes(w2^spaces)&(q-1) != 0
		t = t[13+j+1:]
	} else if i := kv.usualQuotedLong(t, 5, keyUpstreamAddr); i >= 0 {
		t = t[i:]
	} else {
		return kv.notUsual()
	}
	if len(t) < 5+8+1 || t[:5] != ` us="` {
		return kv.notUsual()
	}
	w = word8(t, 5)
	if q := zeroBytes(w ^ quotes); q != 0 {
		j := bits.TrailingZeros64(q) >> 3
		kv.vals[keyUpstreamStatus], kv.spaced[keyUpstreamStatus] = t[5:5+j], zeroBytes(w^spaces)&(q-1) != 0
		t = t[5+j+1:]
	} else if i := kv.usualQuotedLong(t, 5, keyUpstreamStatus); i >= 0 {
		t = t[i:]
	} else {
		return kv.notUsual()
	}
requestID:
	if len(t) < 5+1 || t[:5] != ` rid=` || t[5] == '"' {
		return kv.notUsual()
	}
	// The request id (mostly 32 bytes): up to the space before cid.
	t = t[5:]
	if len(t) >= 32+5 && t[32:37] == ` cid=` {
		// Four words without a space (the value's end) or a backslash
		// (decodeHex's work), in place of two searches.
		w0, w1, w2, w3 := word8(t, 0), word8(t, 8), word8(t, 16), word8(t, 24)
		const bs = bytesLow * '\\'
		if zeroBytes(w0^spaces)|zeroBytes(w1^spaces)|zeroBytes(w2^spaces)|zeroBytes(w3^spaces)|
			zeroBytes(w0^bs)|zeroBytes(w1^bs)|zeroBytes(w2^bs)|zeroBytes(w3^bs) == 0 {
			kv.vals[keyRequestID], kv.plainID = t[:32], true
			t = t[32+5:]
			goto conn
		}
	}
	if j := strings.IndexByte(t, ' '); j < 0 || len(t)-j < 5 || t[j:j+5] != ` cid=` {
		return kv.notUsual()
	} else {
		kv.vals[keyRequestID] = t[:j]
		t = t[j+5:]
	}
	// The connection, mostly the rest of s and shorter than a word.
conn:
	if len(t) < 8 && t != "" && t[0] != '"' && firstByte(word8(s, len(s)-8)>>(64-8*len(t)), ' ') == 8 {
		kv.vals[keyConn] = t
		t = ""
	} else if i := kv.usualBare(s, len(s)-len(t), keyConn); i >= 0 {
		t = s[i:]
	} else {
		return kv.notUsual()
	}
	kv.known = 8
	kv.fields = usualFields
	return t, true
}

// noUpstreamTokens are readUsual's five list tokens of a request no
// upstream served.
const noUpstreamTokens = ` uct="-" uht="-" urt="-" ua="-" us="-"`

// noUpstreamWords is noUpstreamTokens as word8 loads it at 0, 8, 16, 24
// and 30 (its 38 bytes).
var noUpstreamWords = [5]uint64{word8(noUpstreamTokens, 0), word8(noUpstreamTokens, 8),
	word8(noUpstreamTokens, 16), word8(noUpstreamTokens, 24), word8(noUpstreamTokens, 30)}

// usualFields are the fields readUsual's keys set.
const usualFields = sources.FieldRequestTime | sources.FieldUpstreamConnectTime | sources.FieldUpstreamHeaderTime |
	sources.FieldUpstreamResponseTime | sources.FieldUpstreamAddr | sources.FieldUpstreamStatus |
	sources.FieldRequestID | sources.FieldConn

// notUsual zeroes kv for read after readUsual gave up, and returns what
// readUsual does then.
func (kv *upstreamPairs) notUsual() (string, bool) {
	*kv = upstreamPairs{}
	return "", false
}

// usualBare sets key to the bare value at s[i:], up to the next space or
// the end of s (readBare), and returns where it ends; -1 when the value
// opens with a quote (the reader would take it as quoted).
func (kv *upstreamPairs) usualBare(s string, i int, key pairKey) int {
	if i < len(s) && s[i] == '"' {
		return -1
	}
	end := len(s)
	if len(s)-i >= 8 {
		if j := firstByte(word8(s, i), ' '); j < 8 {
			end = i + j
		} else if j = strings.IndexByte(s[i+8:], ' '); j >= 0 {
			end = i + 8 + j
		}
	} else if len(s) >= 8 {
		// The last bytes of s as a word, those before i shifted out (the
		// zeros shifted in are no space).
		if j := firstByte(word8(s, len(s)-8)>>(64-8*(len(s)-i)), ' '); j < 8 {
			end = i + j
		}
	} else if j := strings.IndexByte(s[i:], ' '); j >= 0 {
		end = i + j
	}
	kv.vals[key] = s[i:end]
	return end
}

// usualQuotedLong sets key to the quoted value at s[i:], after its
// opening quote, up to the next '"' (readQuoted), and whether it holds a
// space, for a value that does not end within its first word; it returns
// the index after the closing quote, or -1 when there is none.
func (kv *upstreamPairs) usualQuotedLong(s string, i int, key pairKey) int {
	end, spaced := -1, false
	if len(s)-i >= 16 {
		w, w2 := word8(s, i), word8(s, i+8)
		if j := firstByte(w2, '"'); j < 8 {
			end, spaced = i+8+j, firstByte(w, ' ') < 8 || firstByte(w2, ' ') < j
		}
	}
	if end < 0 {
		j := strings.IndexByte(s[i:], '"')
		if j < 0 {
			return -1
		}
		end, spaced = i+j, strings.IndexByte(s[i:i+j], ' ') >= 0
	}
	kv.vals[key], kv.spaced[key] = s[i:end], spaced
	return end + 1
}

// learn appends a token as the next step: spaces spaces, then keyed (its
// key, '=' and the value's quote). It reports whether the template can
// learn on: a step has one space and at most 8 bytes.
func (tpl *pairTemplate) learn(spaces int, keyed string, key pairKey, quoted bool) bool {
	n := 1 + len(keyed)
	if spaces != 1 || n > 8 || tpl.n == maxPairSteps {
		return false
	}
	mask := ^uint64(0) >> (64 - 8*n)
	lead := (wordAt(keyed)<<8 | ' ') & mask
	st := pairStep{lead: lead, mask: mask, n: n, key: key, quoted: quoted, terms: bytesLow * ' ', bad: '"'}
	if quoted {
		st.terms, st.bad, st.closing, st.list = bytesLow*'"', 0, 1, isListKey(key)
	}
	known, fields := tpl.known[tpl.n], tpl.fields[tpl.n]
	if key != keyUnknown {
		known, fields = known+1, fields|pairFields[key]
	}
	tpl.steps[tpl.n] = st
	tpl.n++
	tpl.known[tpl.n], tpl.fields[tpl.n] = known, fields
	return true
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// readQuoted reads a value that starts with its opening quote and ends at
// the next '"', or with s when the line was cut. It reports whether a list
// value holds a space. Most values (times, statuses, addresses) end within
// two words.
func readQuoted(s string, key pairKey) (val, rest string, spaced bool) {
	if len(s) >= 17 {
		w := word8(s, 1)
		if j := firstByte(w, '"'); j < 8 {
			return s[1 : 1+j], s[2+j:], firstByte(w, ' ') < j
		}
		w2 := word8(s, 9)
		if j := firstByte(w2, '"'); j < 8 {
			return s[1 : 9+j], s[10+j:], firstByte(w, ' ') < 8 || firstByte(w2, ' ') < j
		}
	} else if len(s) >= 9 {
		w := word8(s, 1)
		if j := firstByte(w, '"'); j < 8 {
			return s[1 : 1+j], s[2+j:], firstByte(w, ' ') < j
		}
	}
	if j := strings.IndexByte(s[1:], '"'); j >= 0 {
		val, rest = s[1:j+1], s[j+2:]
	} else {
		val, rest = s[1:], ""
	}
	return val, rest, isListKey(key) && strings.IndexByte(val, ' ') >= 0
}

// readBare reads a value that ends at the next space or with s.
func readBare(s string) (val, rest string) {
	if len(s) >= 8 {
		if j := firstByte(word8(s, 0), ' '); j < 8 {
			return s[:j], s[j:]
		}
	}
	if j := strings.IndexByte(s, ' '); j >= 0 {
		return s[:j], s[j:]
	}
	return s, ""
}

// set records the value of a key.
func (kv *upstreamPairs) set(key pairKey, val string, spaced bool) {
	if key != keyUnknown {
		kv.vals[key] = val
		kv.spaced[key] = spaced
		kv.known++
		kv.fields |= pairFields[key]
	}
}

// listElems returns how many list elements apply will put in the arena,
// or a few more: a list with a space counts one more element per space.
// Each separator holds one space (" : " two), so that is never fewer,
// and strings.Count's vector loop costs a fraction of countList's hops;
// the room is only sized by it.
func (kv *upstreamPairs) listElems() int {
	if !kv.spacedList() {
		n := b2i(kv.vals[keyUpstreamConnect] != "") + b2i(kv.vals[keyUpstreamHeader] != "") +
			b2i(kv.vals[keyUpstreamResponse] != "") + b2i(kv.vals[keyUpstreamAddr] != "") + b2i(kv.vals[keyUpstreamStatus] != "")
		kv.single = n == 5
		return n
	}
	n, double := 0, true
	for k := keyUpstreamConnect; k <= keyUpstreamStatus; k++ {
		if !kv.spaced[k] {
			double = false
			if kv.vals[k] != "" {
				n++
			}
		} else if c := commaSpace(kv.vals[k]); c >= 0 {
			kv.commas[k-keyUpstreamConnect] = uint8(c) // two elements
			n += 2
		} else {
			double = false
			n += 1 + strings.Count(kv.vals[k], " ")
		}
	}
	kv.double = double
	return n
}

// commaSpace returns where the comma of v lies when v is a list of two
// elements with no other space, "X, Y" (either may be empty): one space,
// after a comma. It returns -1 for any other v, and for one longer than
// 32 bytes (whose elements are left to splitListInto). Values of up to 32
// bytes are read a word at a time: two attempts' times ("0.000, 0.001")
// and addresses ("10.0.1.12:8080, 10.0.1.13:8080").
func commaSpace(v string) int {
	n, sp := len(v), -1
	switch {
	case n < 8:
		for i := 0; i < n; i++ {
			if v[i] == ' ' {
				if sp >= 0 {
					return -1
				}
				sp = i
			}
		}
	case n <= 32:
		for i := 0; i < n; i += 8 {
			var w uint64
			if i <= n-8 {
				w = word8(v, i)
			} else {
				// The last bytes, those before i (read already) shifted
				// out; the zeros shifted in are no space.
				w = word8(v, n-8) >> (8 * uint(i-(n-8)))
			}
			if m := exactBytes(w, ' '); m != 0 {
				if sp >= 0 || m&(m-1) != 0 {
					return -1
				}
				sp = i + bits.TrailingZeros64(m)>>3
			}
		}
	}
	if sp <= 0 || v[sp-1] != ',' {
		return -1
	}
	return sp - 1
}

// exactBytes marks (0x80) every byte of w that is c, each exactly (unlike
// firstByte's borrow, no carry crosses bytes: a byte's low seven bits plus
// 0x7F reach its high bit only when they are not zero).
func exactBytes(w uint64, c byte) uint64 {
	x := w ^ bytesLow*uint64(c)
	return ^((x&(bytesLow*0x7F) + bytesLow*0x7F) | x) & bytesHigh
}

// apply sets the entry fields the keys name; listElems must have run, to
// tell which lists have one element.
func (kv *upstreamPairs) apply(e *sources.ProxyEntry, lists *listArena) {
	f := kv.fields
	if f&sources.FieldRequestTime != 0 {
		e.RequestTime = parseSeconds(kv.vals[keyRequestTime])
	}
	if f&listFields != 0 {
		kv.applyLists(e, lists)
		if f&sources.FieldUpstreamStatus != 0 {
			e.UpstreamStatusRaw = kv.vals[keyUpstreamStatus]
		}
	}
	if f&sources.FieldRequestID != 0 {
		if kv.plainID {
			e.RequestID = dash(kv.vals[keyRequestID])
		} else {
			e.RequestID = decodeHex(dash(kv.vals[keyRequestID]))
		}
	}
	if f&sources.FieldConn != 0 {
		e.Conn = dash(kv.vals[keyConn])
	}
	e.Fields |= f
}

// listFields are the fields the list keys set.
const listFields = sources.FieldUpstreamConnectTime | sources.FieldUpstreamHeaderTime |
	sources.FieldUpstreamResponseTime | sources.FieldUpstreamAddr | sources.FieldUpstreamStatus

// applyLists sets the lists the keys name: a value without a space is one
// element, put in the arena here; others are split.
func (kv *upstreamPairs) applyLists(e *sources.ProxyEntry, lists *listArena) {
	// Most lines name the five lists, each one element (one attempt, or
	// none: "-"): five elements at once, as one would put them.
	if b, n := lists.buf, len(lists.buf); kv.fields&listFields == listFields && cap(b)-n >= 5 && !kv.spacedList() &&
		kv.vals[keyUpstreamConnect] != "" && kv.vals[keyUpstreamHeader] != "" && kv.vals[keyUpstreamResponse] != "" &&
		kv.vals[keyUpstreamAddr] != "" && kv.vals[keyUpstreamStatus] != "" {
		lists.buf = b[:n+5]
		l := b[n : n+5 : n+5]
		l[0], l[1], l[2] = kv.vals[keyUpstreamConnect], kv.vals[keyUpstreamHeader], kv.vals[keyUpstreamResponse]
		l[3], l[4] = kv.vals[keyUpstreamAddr], kv.vals[keyUpstreamStatus]
		e.UpstreamConnect, e.UpstreamHeader, e.UpstreamResponse = l[0:1:1], l[1:2:2], l[2:3:3]
		e.UpstreamAddr, e.UpstreamStatus = l[3:4:4], l[4:5:5]
		return
	}
	dst := [...]*[]string{&e.UpstreamConnect, &e.UpstreamHeader, &e.UpstreamResponse, &e.UpstreamAddr, &e.UpstreamStatus}
	for i, d := range dst {
		k := keyUpstreamConnect + pairKey(i)
		if kv.fields&pairFields[k] == 0 {
			continue
		}
		if v := kv.vals[k]; v != "" && !kv.spaced[k] {
			*d = lists.one(v)
		} else {
			*d = lists.split(v)
			if k == keyUpstreamAddr {
				e.UpstreamAddrRaw = rawAddrList(v, len(*d))
			}
		}
	}
}

// oneAttempt reports whether the five lists are set and name one attempt
// each: none empty, none with a space.
func (kv *upstreamPairs) oneAttempt() bool {
	return !kv.spacedList() && kv.vals[keyUpstreamConnect] != "" && kv.vals[keyUpstreamHeader] != "" &&
		kv.vals[keyUpstreamResponse] != "" && kv.vals[keyUpstreamAddr] != "" && kv.vals[keyUpstreamStatus] != ""
}

// spacedList reports whether a list value holds a space.
func (kv *upstreamPairs) spacedList() bool {
	return kv.spaced[keyUpstreamConnect] || kv.spaced[keyUpstreamHeader] || kv.spaced[keyUpstreamResponse] ||
		kv.spaced[keyUpstreamAddr] || kv.spaced[keyUpstreamStatus]
}
