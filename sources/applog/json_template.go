package applog

import (
	"encoding/binary"
	"strings"

	"fivexx/sources"
)

// An app logger writes every line with the same keys in the same order, the
// same way: `{"time":"…","level":"INFO","msg":"…","request_id":"…",…}`. A
// lineTemplate is such a line's shape, learnt from a line the walker
// parsed: the bytes between its values (`{"time":"`, `","level":"` less the
// closing quote the value before takes, …, `}`), each value's kind and
// what its key fills. The next line is compared with those bytes in place
// and its values are read between them by the fast paths topObject tries
// first, with no key scanned, lower-cased or looked up, and no rank
// compared: which key fills a field is worked out once, when learnt.
//
// A line the template does not fit in every byte and every value (another
// key or order, white space, an escape, a value of another kind, a nested
// value, one the fast paths and set do not take, bytes after the object)
// is parsed by the walker, the reference, as if there were no template.
// The template takes a line only when it is, byte for byte outside its
// values, the line it was learnt from, with values of the same kinds and
// without escapes: a flat object the walker would accept, whose members it
// would hand to set in the same order with the same key paths. Each value
// a field is filled from is one set takes (or the template gives up the
// line), so the field's value is the best-ranked key's, the first of
// equal ones: the one the walker's ranks keep.
//
// A line of the biglog's app log (nine members) costs about 1,340
// instructions from ParseAppSlot on, against 1,550 through topObject
// (callgrind, pgo off): take's loop is about 40 a member (the compare,
// the jump, the stores), and sameSecondUTC, plainQuoted (twice),
// plainEnd and durationWord about 100 each, calls included.

const (
	maxTemplateSteps = 16 // members of a line a template holds
	templateLitLen   = 32 // longest run of bytes between two values
	// After templateMisses lines in a row the template did not take (or
	// that could not be learnt), lines are left to the walker for the
	// next templateColdLines, then one is learnt again: logs of many
	// shapes pay for a few tries, not for one on every line.
	templateMisses    = 8
	templateColdLines = 256
)

// templateKind is how a template reads a member's value: the fast paths
// of topObject's fastKind, and set for any other value a field is filled
// from. Eight or more kinds make the switch on it one indexed jump.
type templateKind uint8

const (
	tkSkip     templateKind = iota // fills nothing, or loses to another key: validated only
	tkStamp                        // clock.sameSecondUTC
	tkLevel                        // the memo, a constant
	tkMessage                      // the memo, the line's bytes
	tkText                         // a request id or instance of the last one's length (plainQuoted)
	tkMethod                       // methodAt
	tkPath                         // plainEnd, a target starting with '/'
	tkStatus                       // statusAt
	tkDuration                     // durationWord
	tkSet                          // set, for anything else
	// A remembered value, matched with its literal (see templateStep.word).
	tkMemoSkip
	tkMemoLevel
	tkMemoMessage
)

// templateLit is a run of bytes a line must have at a place: a
// template's bytes between two values.
type templateLit struct {
	n   uint8
	raw [templateLitLen / 8]uint64 // as little-endian words, zero past its end
}

// set makes the literal raw, at most templateLitLen bytes.
func (l *templateLit) set(raw string) {
	var b [templateLitLen]byte
	copy(b[:], raw)
	l.n = uint8(len(raw))
	for w := range l.raw {
		l.raw[w] = binary.LittleEndian.Uint64(b[8*w:])
	}
}

// long reports whether s[i:] starts with the literal, when take's compare
// of a step's words did not tell: the step's memo is not the line's
// value, the literal is within 32 bytes of the line's end, or it is not
// the line's.
//
//go:noinline
func (l *templateLit) long(s string, i int) bool {
	n := int(l.n)
	if i < 0 || n > len(s)-i {
		return false
	}
	var b [templateLitLen]byte
	copy(b[:], s[i:i+n])
	for w := range l.raw {
		if binary.LittleEndian.Uint64(b[8*w:]) != l.raw[w] {
			return false
		}
	}
	return true
}

// templateStep is one member of a template: the bytes before its value and
// how the value is read.
type templateStep struct {
	// word and mask hold the bytes take compares at the member first, n
	// of them, as little-endian words masked to their length: the
	// literal, followed, when memo is set, by the value the member had on
	// a line before and the byte after it (a string's closing quote, the
	// ',' or '}' after a number). A level, method, status or message, or
	// a value that fills nothing, repeats from line to line ("INFO",
	// "GET", 200): one compare then takes the member whole. wide: n is
	// more than 16, in all four words.
	word, mask [4]uint64
	n          uint8
	wide, memo bool
	// onMatch and adv are the kind take reads the value with when the
	// words match, and the bytes it moves on: kind and the literal's
	// length, or for a memo tkMemoSkip, tkMemoLevel or tkMemoMessage and
	// n, less the byte after a number.
	onMatch templateKind
	adv     uint8
	// memoMisses counts the lines in a row whose value was not the memo's;
	// past two, a new value is remembered only on every 16th, so that a
	// value that changes on every line costs no remembering.
	memoMisses uint16
	lit        templateLit
	kind       templateKind
	str        bool // the value is a string: lit ends with its opening quote
	// textLen is the length of the last request id or instance taken as
	// it is (tkText).
	textLen uint8
	// text and status are what set made of the memo's value: a level's or
	// a method's constant, a status.
	text   string
	status int
	spec   keySpec // what the key fills
}

// literalOnly makes word and mask the literal alone: no memo.
func (st *templateStep) literalOnly() {
	st.fill(st.lit.raw, int(st.lit.n))
	st.memo, st.onMatch, st.adv = false, st.kind, st.lit.n
}

// fill makes word and mask the first n bytes of b, given as words.
func (st *templateStep) fill(b [templateLitLen / 8]uint64, n int) {
	for w := range st.word {
		st.mask[w] = byteMask(n - 8*w)
		st.word[w] = b[w] & st.mask[w]
	}
	st.n, st.wide = uint8(n), n > 16
}

// remember makes the memo the value s[i:j] and the byte after it, s[j],
// for a value just read (a string's content and its closing quote), when
// they and the literal fit in four words; text and status are what set
// made of it.
func (st *templateStep) remember(s string, i, j int, text string, status int) {
	if st.memoMisses++; st.memoMisses > 2 && st.memoMisses%16 != 0 {
		return
	}
	lit := int(st.lit.n)
	n := lit + j + 1 - i
	if j >= len(s) || n > templateLitLen {
		st.literalOnly()
		return
	}
	var b [templateLitLen]byte
	for w, x := range st.lit.raw {
		binary.LittleEndian.PutUint64(b[8*w:], x)
	}
	copy(b[lit:], s[i:j+1])
	var words [templateLitLen / 8]uint64
	for w := range words {
		words[w] = binary.LittleEndian.Uint64(b[8*w:])
	}
	st.fill(words, n)
	st.memo, st.adv, st.text, st.status = true, uint8(n), text, status
	switch st.kind {
	case tkLevel:
		st.onMatch = tkMemoLevel
	case tkMessage:
		st.onMatch = tkMemoMessage
	default:
		st.onMatch = tkMemoSkip
	}
	if !st.str {
		st.adv-- // the ',' or '}' after the value is the next literal's
	}
}

// lineTemplate is the shape of a parser's lines; n == 0: none.
type lineTemplate struct {
	steps [maxTemplateSteps]templateStep
	n     int
	end   templateLit // the bytes after the last value: "}" as loggers write it
	// ranks are the builder's ranks after a line the template took, for
	// finish; duration says a step fills the duration.
	ranks    [numFields]uint8
	duration bool
	// full says a step fills each of the entry's fields but the duration
	// (finish's -1 when none does) and those take leaves to its caller
	// (IDHash) and to finish (Phase, Service, Raw): a line taken writes
	// every field, and the entry need not be zeroed first (ParseAppSlotRest).
	full   bool
	misses int // lines in a row not taken, or not learnt
	cold   int // lines left to parse without the template
}

// try reports whether the next line is to be tried with the template,
// counting down the lines left without it.
func (t *lineTemplate) try() bool {
	if t.cold > 0 {
		t.cold--
		return false
	}
	return t.n > 0
}

// relearn reports whether to learn the template from a line the walker
// parsed: when there is none, or the line before did not fit it either.
// A line of another shape now and then (a health check's, a warning with
// an error) leaves the template to the lines around it.
func (t *lineTemplate) relearn() bool {
	return t.cold == 0 && (t.n == 0 || t.misses >= 2)
}

// missed counts a line the template did not take or could not be learnt
// from, and sets it aside after templateMisses in a row.
func (t *lineTemplate) missed() {
	if t.misses++; t.misses >= templateMisses {
		t.n, t.misses, t.cold = 0, 0, templateColdLines
	}
}

// take parses s into e, which must be zero, when s fits the template up
// to and with its end ("}" as loggers write it, or what the line learnt
// from had), as the walker and finish would, and returns the index after
// that end; -1: s does not fit, and e may have been written to. s is the
// line, which must then end there, or the text read from the line's
// start on (ParseAppSlotRest), whose newline must then follow. b is the
// parser's builder.
//
// No byte take accepts is a newline: the template's literals and memos
// come from lines that have none (learn), strings are read up to a
// control byte (plainEnd, plainQuoted) and numbers, stamps and methods
// are of other bytes. So the line s starts with is read alike whether s
// ends with it or goes on with the next lines, and where take stops is
// where the line ends if a newline follows.
//
// The loop is written for as few instructions a member as it takes: the
// member's words compared in place, a memo's value taken at once, else
// one indexed jump to the value's fast path, whose common case is written
// out or is one call.
func (t *lineTemplate) take(s string, b *builder, e *sources.AppEntry) int {
	if len(s) < 32 {
		return -1 // shorter than any line worth a template
	}
	b.e = e
	i := 0
	steps := t.steps[:t.n]
	for k := range steps {
		st := &steps[k]
		// 0 <= i <= len(s)-16 (len(s) >= 16); a match jumps (set, then tested, a bool cost more).
		op, adv := st.onMatch, int(st.adv)
		if uint(i) <= uint(len(s)-16) {
			x := s[i : i+16] // one bounds check for the loads
			if load64(x, 0)&st.mask[0] == st.word[0] && load64(x, 8)&st.mask[1] == st.word[1] &&
				(!st.wide || i <= len(s)-32 && load64(s, i+16)&st.mask[2] == st.word[2] && load64(s, i+24)&st.mask[3] == st.word[3]) {
				goto matched
			}
		}
		if !st.lit.long(s, i) {
			return -1
		}
		op, adv = st.kind, int(st.lit.n)
	matched:
		i += adv
		// Each case goes on with the next member when its fast path takes
		// the value, and falls through to setValue when not.
		switch op {
		case tkMemoLevel: // the value of the line before, and the byte after it
			st.memoMisses, e.Level = 0, st.text // a case each: no second test of op
			continue
		case tkMemoMessage:
			st.memoMisses, e.Message = 0, s[i-adv+int(st.lit.n):i-1]
			continue
		case tkMemoSkip:
			st.memoMisses = 0
			continue
		case tkSkip:
			j, ok := skipScalar(s, i, st.str)
			if !ok {
				return -1
			}
			if st.str {
				st.remember(s, i, j-1, "", 0)
			} else {
				st.remember(s, i, j, "", 0)
			}
			i = j
			continue
		case tkStamp:
			if tm, j, ok := b.clock.sameSecondUTC(s, i); ok {
				e.Time = tm
				i = j
				continue
			}
		case tkMethod:
			if uint(i) <= uint(len(s)-4) && s[i:i+4] == `GET"` { // most requests', without methodAt's call
				e.Method = "GET"
				i += 4
				continue
			}
			if meth, j, ok := methodAt(s, i); ok {
				e.Method = meth
				i = j
				continue
			}
		case tkText:
			// An id or address of the last one's length: plain, and
			// starting and ending with a printable byte, so that trimSpace
			// keeps it whole; at least 8 bytes, so none is not one of
			// none's words (see takeText).
			if n := int(st.textLen); plainQuoted(s, i, n) && s[i]-0x21 < 0x5f && s[i+n-1]-0x21 < 0x5f {
				if st.spec.field == fRequestID {
					e.RequestID = s[i : i+n]
				} else {
					e.Instance = s[i : i+n]
				}
				i += n + 1
				continue
			}
		case tkPath:
			if j := plainEnd(s, i); j < len(s) && s[j] == '"' && j > i && s[i] == '/' {
				e.Path = s[i:j]
				i = j + 1
				continue
			}
		case tkStatus:
			// statusAt's common case, without its call.
			if i >= 0 && i <= len(s)-4 {
				if x := s[i : i+4]; x[0]-'1' <= 4 && x[1]-'0' <= 9 && x[2]-'0' <= 9 && (x[3] == ',' || x[3] == '}') {
					e.Status = int(x[0]-'0')*100 + int(x[1]-'0')*10 + int(x[2]-'0')
					i += 3
					continue
				}
			}
		case tkDuration:
			if i >= 0 && i <= len(s)-8 {
				if d, n, ok := durationWord(load64(s, i)); ok {
					e.Duration = inSeconds(d.f, st.spec.unit, d.frac)
					i += n
					continue
				}
			}
		}
		j, ok := st.setValue(s, i, b)
		if !ok {
			return -1
		}
		i = j
	}
	// The end.
	if n := int(t.end.n); n == 1 {
		if uint(i) >= uint(len(s)) || s[i] != '}' {
			return -1
		}
		return i + 1
	} else if !t.end.long(s, i) {
		return -1
	} else {
		return i + n
	}
}

// finish completes an entry take filled, as the builder's finish would.
// (Apart from take, so that the service is not live through its loop.)
func (t *lineTemplate) finish(b *builder, e *sources.AppEntry, service string) {
	if !t.duration {
		e.Duration = -1
	}
	if e.Status != 0 && e.Method != "" && e.Path != "" {
		// What finish does for a response, as nearly every line of a
		// request log is: no query or error (a template has no key for
		// them), and the phase a status gives.
		e.Service = service
		e.Phase = sources.PhaseEnd
		return
	}
	// finish reads the ranks (hosting offers fields from the message) and
	// the query and error a walk would have left.
	b.rank = t.ranks
	b.query, b.pathFromURLPath, b.errText = "", false, ""
	b.finish(service)
}

// skipScalar validates a value that fills nothing, at s[i] (just past the
// opening quote when str), and returns the index after it; false for
// anything but a string without escapes, a number, true, false or null.
func skipScalar(s string, i int, str bool) (int, bool) {
	if !str {
		if i < 0 || i >= len(s) {
			return 0, false
		}
		switch c := s[i]; {
		case c == '"':
			str = true
			i++
		case c == '-' || isDigit(c):
			return numberEnd(s, i)
		default:
			for _, lit := range [...]string{"true", "false", "null"} {
				if c == lit[0] && len(s)-i >= len(lit) && s[i:i+len(lit)] == lit {
					return i + len(lit), true
				}
			}
			return 0, false
		}
	}
	j := plainEnd(s, i)
	if j >= len(s) || s[j] != '"' {
		return 0, false
	}
	return j + 1, true
}

// setValue reads the value at s[i] (just past the opening quote of a string)
// that a fast path did not take, and has set take it, as keyAs would; it
// returns the index after it, or false when the value is not of the
// step's kind, has escapes, or is one set does not take (the walker would
// then leave the field to another key). A level or message is remembered
// for the next line, a request id or instance's length too.
func (st *templateStep) setValue(s string, i int, b *builder) (int, bool) {
	var v value
	j := i
	if st.str {
		if j = plainEnd(s, i); j >= len(s) || s[j] != '"' {
			return 0, false
		}
		v = value{text: s[i:j], quoted: true}
	} else {
		var ok bool
		if j, ok = numberEnd(s, i); !ok {
			return 0, false
		}
		v = value{text: s[i:j]}
	}
	f := st.spec.field
	b.rank[f] = rankUnset
	b.set(&st.spec, v)
	if b.rank[f] != st.spec.rank {
		return 0, false
	}
	e := b.e
	switch st.kind {
	case tkLevel:
		// Remembered when set made a constant of it (a level word it
		// does not know is the line's bytes, lower-cased).
		if l, ok := levelConst(e.Level); ok {
			st.remember(s, i, j, l, 0)
		}
	case tkMessage:
		st.remember(s, i, j, "", 0)
	case tkText:
		if t := v.text; len(t) <= 255 && (e.RequestID == t || e.Instance == t) {
			st.textLen = uint8(len(t))
		}
	}
	if st.str {
		j++
	}
	return j, true
}

// learn makes the template s's shape, a line the walker parsed with b,
// the parser's builder (for its key lookups); false when s has a shape
// no template holds: nested values, escaped keys or strings, a field
// filled from a literal, too many members or too long a key, or keys
// whose fields depend on each other (an error joined to the message, a
// query to the path, a request line's method and path).
func (t *lineTemplate) learn(s string, b *builder) bool {
	t.n = 0
	n, start := 0, 0 // steps, and where the bytes before the next value start
	winner := [numFields]int8{}
	for f := range winner {
		winner[f] = -1
	}
	if strings.IndexByte(s, '\n') >= 0 || strings.IndexByte(s, '\r') >= 0 {
		// White space of a line that has "\n" or "\r" (no value has): a
		// line the splitter cut has no "\n", and lineEnd takes the
		// template's bytes for the line's, up to its end.
		return false
	}
	i := skipSpace(s, 1) // s[0] == '{'
	if i >= len(s) || s[i] != '"' {
		return false // an empty object, or none
	}
	for {
		if n == maxTemplateSteps || i >= len(s) || s[i] != '"' {
			return false
		}
		ke := plainEnd(s, i+1)
		if ke >= len(s) || s[ke] != '"' {
			return false
		}
		key := s[i+1 : ke]
		if i = skipSpace(s, ke+1); i >= len(s) || s[i] != ':' {
			return false
		}
		if i = skipSpace(s, i+1); i >= len(s) {
			return false
		}
		st := &t.steps[n]
		*st = templateStep{kind: tkSkip, str: s[i] == '"'}
		if st.str {
			i++
		}
		if i-start > templateLitLen {
			return false
		}
		st.lit.set(s[start:i])
		end, ok := skipScalar(s, i, st.str)
		if !ok {
			return false
		}
		literal := !st.str && !(s[i] == '-' || isDigit(s[i]))
		if 1+len(key) <= maxKeyPath {
			var buf [maxKeyPath]byte
			if spec := b.lookup(lowerInto(buf[:0], key)); spec != nil {
				switch f := spec.field; {
				case f == fError || f == fURLQuery || f == fRequestLine || literal:
					return false
				case winner[f] >= 0 && t.steps[winner[f]].spec.rank <= spec.rank:
					// Left to the key before: validated only.
				default:
					if winner[f] >= 0 {
						t.steps[winner[f]].kind = tkSkip
					}
					winner[f] = int8(n)
					st.spec = *spec
					st.kind = templateKindOf(spec, st.str)
				}
			}
		}
		n++
		start = end
		if i = skipSpace(s, end); i >= len(s) {
			return false
		}
		if s[i] == '}' {
			break
		}
		if s[i] != ',' {
			return false
		}
		i = skipSpace(s, i+1)
	}
	if len(s)-start > templateLitLen {
		return false
	}
	for k := range t.steps[:n] {
		t.steps[k].literalOnly()
	}
	t.end.set(s[start:])
	t.duration = winner[fDuration] >= 0
	t.full = true
	for f := fTime; f <= fInstance; f++ { // the entry's fields (learn takes no other)
		if winner[f] < 0 && f != fDuration {
			t.full = false
		}
	}
	for f := range t.ranks {
		t.ranks[f] = rankUnset
		if winner[f] >= 0 {
			t.ranks[f] = t.steps[winner[f]].spec.rank
		}
	}
	t.n = n
	return true
}

// templateKindOf is how a template reads a value of a key filling spec's
// field; str says it is a string.
func templateKindOf(spec *keySpec, str bool) templateKind {
	switch f := spec.field; {
	case f == fTime && str:
		return tkStamp
	case f == fLevel && str:
		return tkLevel
	case f == fMessage && str:
		return tkMessage
	case (f == fRequestID || f == fInstance) && str:
		return tkText
	case f == fMethod && str:
		return tkMethod
	case f == fPath && str:
		return tkPath
	case f == fStatus && !str:
		return tkStatus
	case f == fDuration && !str && spec.unit != unitText:
		return tkDuration
	}
	return tkSet
}
