package applog

import (
	"errors"
	"fmt"
	"math/bits"
	"strings"
	"unicode/utf16"
	"unicode/utf8"

	"fivexx/sources"
)

// FormatJSON is the name of the JSON-lines app log format.
const FormatJSON = "app-json"

func init() {
	sources.Register(sources.Format{
		Name:     FormatJSON,
		Role:     sources.RoleApp,
		Priority: 2,
		Detect:   detectJSON,
		New: func(opts sources.ParserOptions) (sources.Parser, error) {
			return newJSONParser(opts), nil
		},
		Doc: "app log, one JSON object per line (slog, zap, logrus, pino, bunyan, structlog, ECS)",
	})
}

// The JSON is read by a hand-written scanner rather than encoding/json:
// it validates as strictly as json.Valid (the fuzz test checks they agree),
// walks nested objects keeping a lower-cased dotted key path, and hands
// each scalar to the key table without building maps or interface values.
// Strings without escapes are kept as substrings of the line, so a typical
// line costs one allocation, the entry itself. encoding/json's Unmarshal
// into a map costs dozens of allocations and several times the time. A
// logger writes the same keys in the same order on every line, so the
// bytes before each top-level value (the ',', the key, the ':' and a
// string's opening quote) are compared with the last lines' before being
// scanned (memberKeys, in fields.go, and topObject). Lines of one shape
// go further: their shape's bytes are compared whole (json_template.go).

// maxJSONDepth matches encoding/json's nesting limit, so both accept the same lines.
const maxJSONDepth = 10000

// maxKeyPath bounds the key paths looked up; longer ones are not ours.
const maxKeyPath = 128

var errJSONDepth = errors.New("exceeded max depth")

// jsonParser parses app-json lines.
type jsonParser struct {
	service string
	clock   clock
	b       builder
	stack   stack
	w       jsonWalker
	entries entryPool
	tmpl    lineTemplate // the lines' shape (json_template.go)
}

func newJSONParser(opts sources.ParserOptions) *jsonParser {
	p := &jsonParser{service: opts.Service, clock: newClock(opts.Loc())}
	p.b.clock = &p.clock
	p.b.idKey = strings.ToLower(opts.RequestIDKey)
	p.b.keys = newKeyCache()
	return p
}

// Parse implements sources.Parser. A continuation line returns (nil, nil)
// and is appended to the previous entry's Raw (see stack.go).
func (p *jsonParser) Parse(line string) (sources.Record, error) {
	body := line
	if line == "" || line[0] != '{' { // else neither blank nor with a byte order mark
		if isBlank(line) {
			p.stack.blank(line)
			return nil, nil
		}
		body = strings.TrimPrefix(line, "\ufeff")
	}
	if body != "" && body[0] == '{' {
		r, err := p.object(line, body, p.entries.next())
		if err == nil {
			p.entries.keep()
		}
		return r, err
	}
	if kind, ok := traceLine(line); ok {
		if err := p.stack.attach(line, kind); err != nil {
			return nil, fmt.Errorf("%s: %w", FormatJSON, err)
		}
		return nil, nil
	}
	if e := p.stack.panicEntry(line, p.service); e != nil {
		return e, nil
	}
	if p.stack.inTrace() {
		return nil, p.stack.attach(line, traceNone)
	}
	return nil, fmt.Errorf("%s: not a JSON object: %w", FormatJSON, sources.ErrNoMatch)
}

// object parses body, a line starting with '{' (line, but for a byte
// order mark), into e, which must be zero.
func (p *jsonParser) object(line, body string, e *sources.AppEntry) (sources.Record, error) {
	t := &p.tmpl
	if t.try() {
		if t.take(body, &p.b, e) == len(body) {
			t.finish(&p.b, e, p.service)
			t.misses = 0
			e.Raw = line
			p.stack.record(e)
			return e, nil
		}
		*e = sources.AppEntry{} // as it came, for the walker
		t.missed()
	}
	return p.walked(line, body, e)
}

// walked parses body (see object) into e, which is zero, with the walker,
// and learns the template from it when it is to be.
func (p *jsonParser) walked(line, body string, e *sources.AppEntry) (sources.Record, error) {
	t := &p.tmpl
	p.b.reset(e)
	if err := p.w.walkLine(body, &p.b); err != nil {
		return nil, fmt.Errorf("%s: %w", FormatJSON, err)
	}
	p.b.finish(p.service)
	if t.relearn() && !t.learn(body, &p.b) {
		t.missed()
	}
	e.Raw = line
	p.stack.record(e)
	return e, nil
}

// ParseAppSlot implements sources.AppSlotParser. A line that starts with
// '{', as nearly every line does, goes straight to object, as Parse would
// send it, without Parse's checks and entryPool's hand-over of the slot.
func (p *jsonParser) ParseAppSlot(line string, s *sources.AppSlot) (sources.Record, error) {
	if line != "" && line[0] == '{' {
		s.Entry = sources.AppEntry{}
		return p.object(line, line, &s.Entry)
	}
	p.entries.slot(s)
	r, err := p.Parse(line)
	p.entries.done() // not deferred: a panic ends the reader, and the parser with it
	return r, err
}

// ParseAppSlotRest implements sources.AppSlotRestParser: ParseAppSlot
// for the line rest starts with. A line the template takes ends where
// take stopped, if "\n" (or "\r\n") follows: its newline need not be
// looked for first, bytes.IndexByte's 80-odd instructions on a line of
// the bench set's app log (about 240 bytes); the end of another is
// looked for (restWalked).
func (p *jsonParser) ParseAppSlotRest(rest string, s *sources.AppSlot) (sources.Record, int, error) {
	t := &p.tmpl
	if t.cold == 0 && t.n > 0 { // try's answer, without its count: restWalked counts
		e := &s.Entry
		if t.full {
			// take writes every other field: zeroing the slot's 184 bytes
			// first was about 15 instructions a line, and while the
			// collector marks a call (wbZero) of 600.
			e.IDHash = 0
		} else {
			*e = sources.AppEntry{}
		}
		// The first literal starts with '{' (learn), so a line take takes
		// is one object's.
		if j := t.take(rest, &p.b, e); uint(j) < uint(len(rest)) && j <= sources.MaxLineBytes {
			if c := rest[j]; c == '\n' || c == '\r' && j+1 < len(rest) && rest[j+1] == '\n' {
				if t.duration && e.Status != 0 && e.Method != "" && e.Path != "" {
					// finish's common case, a response's, without its
					// call (about 10 instructions a line).
					e.Service, e.Phase = p.service, sources.PhaseEnd
				} else {
					t.finish(&p.b, e, p.service)
				}
				t.misses = 0
				e.Raw = rest[:j]
				p.stack.record(e)
				return e, j, nil
			}
		}
	}
	return p.restWalked(rest, s)
}

// restWalked is ParseAppSlotRest for a line the template did not take,
// or was not tried on: one starting with '{' that is ended by "\n" as an
// ordinary line (sources.ordinaryLine: no "\r" last, no longer than
// sources.MaxLineBytes) is walked, as object would after its try; any
// other is left to ParseAppSlot, which tries the template (again).
func (p *jsonParser) restWalked(rest string, s *sources.AppSlot) (sources.Record, int, error) {
	n := strings.IndexByte(rest, '\n')
	if n <= 0 || rest[0] != '{' || rest[n-1] == '\r' || n > sources.MaxLineBytes {
		return nil, -1, nil
	}
	e := &s.Entry
	t := &p.tmpl
	if t.try() {
		t.missed()
	}
	*e = sources.AppEntry{}
	line := rest[:n]
	rec, err := p.walked(line, line, e)
	return rec, n, err
}

// jsonWalker scans one JSON object, handing each scalar member to a
// builder (nil: validate only) under its lower-cased dotted key path.
// Members of arrays are validated, not looked up.
type jsonWalker struct {
	s     string
	i     int
	depth int
	// path is the key path of the value being scanned, path[:plen]; an
	// array rather than a slice, so that growing it writes no pointer
	// (pointer writes cost write barriers while the GC runs).
	path [maxKeyPath]byte
	plen int
	b    *builder
}

// walk scans s, which must be exactly one JSON object and white space.
func (w *jsonWalker) walk(s string, b *builder) error {
	if len(s) > 1 && s[0] == '{' && b != nil && b.keys != nil && b.shape == nil {
		return w.walkLine(s, b)
	}
	w.s, w.i, w.depth, w.plen, w.b = s, 0, 0, 0, b
	w.space()
	if w.i >= len(s) || s[w.i] != '{' {
		return w.fail("expected an object")
	}
	if err := w.object(b != nil); err != nil {
		return err
	}
	return w.end()
}

// walkLine is walk for a parser's line, s[0] == '{', into b, which has a
// key cache and no shape (a parser's builder). A line as loggers write
// it, "{" and the first key, goes straight to topObject or members,
// without object's first steps and walk's checks.
func (w *jsonWalker) walkLine(s string, b *builder) error {
	w.s, w.i, w.depth, w.plen, w.b = s, 1, 1, 0, b
	var err error
	switch {
	case len(s) < 2 || s[1] != '"':
		w.i, w.depth = 0, 0
		err = w.object(true)
	case b.keys.members.warm():
		err = w.topObject()
	default:
		err = w.members(true)
	}
	if err != nil {
		return err
	}
	if w.i != len(s) {
		return w.end()
	}
	return nil
}

// end checks that nothing but white space follows the object.
func (w *jsonWalker) end() error {
	if w.i != len(w.s) {
		if w.i = skipSpace(w.s, w.i); w.i != len(w.s) {
			return w.fail("data after the object")
		}
	}
	return nil
}

// fail returns a syntax error at the current offset.
func (w *jsonWalker) fail(what string) error {
	return fmt.Errorf("invalid JSON at offset %d: %s", w.i, what)
}

func (w *jsonWalker) space() {
	if w.i < len(w.s) && w.s[w.i] > ' ' { // loggers write no white space
		return
	}
	w.i = skipSpace(w.s, w.i)
}

// skipSpace returns the index of the first byte from s[i] on that is not
// JSON white space.
func skipSpace(s string, i int) int {
	for i < len(s) {
		switch s[i] {
		case ' ', '\t', '\n', '\r':
			i++
		default:
			return i
		}
	}
	return i
}

// object scans an object at w.s[w.i] == '{'; mapped says whether its
// members are looked up in the key table.
func (w *jsonWalker) object(mapped bool) error {
	w.depth++
	if w.depth > maxJSONDepth {
		return errJSONDepth
	}
	w.i++
	w.space()
	if w.i < len(w.s) && w.s[w.i] == '}' {
		w.i++
		w.depth--
		return nil
	}
	// A parser's top-level members are matched against the keys of the
	// lines before (see memberKeys); detection and nested objects look
	// every key up.
	if w.depth == 1 && mapped && w.b.keys != nil && w.b.shape == nil && w.b.keys.members.warm() {
		return w.topObject()
	}
	return w.members(mapped)
}

// members scans the members of an object, from the first one's name at
// w.s[w.i], and its closing brace.
func (w *jsonWalker) members(mapped bool) error {
	for {
		if w.i >= len(w.s) || w.s[w.i] != '"' {
			return w.fail("expected a member name")
		}
		if err := w.member(mapped); err != nil {
			return err
		}
		w.space()
		if w.i >= len(w.s) {
			return w.fail("unterminated object")
		}
		switch w.s[w.i] {
		case ',':
			w.i++
			w.space()
		case '}':
			w.i++
			w.depth--
			return nil
		default:
			return w.fail("expected ',' or '}'")
		}
	}
}

// member scans a member at w.s[w.i] == '"', its key looked up under the
// current path when mapped.
func (w *jsonWalker) member(mapped bool) error {
	key, esc, err := w.str()
	if err != nil {
		return err
	}
	w.space()
	if w.i >= len(w.s) || w.s[w.i] != ':' {
		return w.fail("expected ':'")
	}
	w.i++
	w.space()
	mark := w.plen
	track := mapped && mark+1+len(key) <= maxKeyPath
	if track {
		p := w.path[:mark]
		if mark > 0 {
			p = append(p, '.')
		}
		if esc {
			key = unescapeJSON(key) // never longer than as logged
		}
		w.plen = len(lowerInto(p, key))
	}
	err = w.value(track)
	w.plen = mark
	return err
}

// topObject scans the members of a parser's top-level object, from the
// first one's name at w.s[w.i], and its closing brace, as object does.
//
// This is the loop every line of an app log takes, so its common case is
// written out with the line and the offset in locals: the bytes from the
// end of a value to the start of the next (the ',', the key, the ':' and
// a string's opening quote) are ones memberKeys remembers at the member's
// position, and the value is a string without escapes or a number.
// Anything else (a key not remembered, an escape, a nested value, a
// literal) is scanned as object scans it, by topMiss and topRest.
func (w *jsonWalker) topObject() error {
	m := &w.b.keys.members
	s := w.s
	i := w.i
	for k := uint(0); ; k++ {
		// i is at the first member's key, or just past a member's value.
		// predict, its common case written out:
		var mk *memberKey
		if k < maxMemberKeys {
			if i <= len(s)-16 {
				mk = &m.at[k][0]
				t := s[i : i+16] // one bounds check for both loads
				if load64(t, 0)&mk.mask[0] != mk.word[0] || load64(t, 8)&mk.mask[1] != mk.word[1] {
					mk = m.predict(int(k), s, i)
				}
			} else if i == len(s)-1 && s[i] == '}' && k > 0 {
				// The end of a line as loggers write it: what the
				// closing brace's case below does, without its checks.
				w.i = len(s)
				w.depth--
				m.endLine(int(k))
				return nil
			} else if i < len(s) && s[i] != '}' {
				mk = m.predict(int(k), s, i)
			}
		}
		start := i
		if mk == nil {
			if k > 0 { // the ',' or '}' after a member
				if i < len(s) && s[i] <= ' ' {
					i = skipSpace(s, i)
				}
				if i >= len(s) {
					w.i = i
					return w.fail("unterminated object")
				}
				switch s[i] {
				case ',':
					i = skipSpace(s, i+1)
				case '}':
					w.i = i + 1
					w.depth--
					m.endLine(int(k))
					return nil
				default:
					w.i = i
					return w.fail("expected ',' or '}'")
				}
			}
			if i >= len(s) || s[i] != '"' {
				w.i = i
				return w.fail("expected a member name")
			}
			w.i = i
			var err error
			if mk, err = w.topMiss(int(k), start); err != nil {
				return err
			}
			if mk == nil { // scanned, not remembered
				i = w.i
				continue
			}
		}
		i = start + int(mk.n)
		// The value's fast path, picked by one indexed jump (see fastKind):
		// each case continues with the next member when it takes the
		// value, and falls through to the memo and the scan when not.
		switch mk.fast {
		case fastNone, fastMemo: // the memo and the scan below
		case fastStatus:
			if n, ok := statusAt(s, i); ok {
				if b := w.b; mk.spec.rank < b.rank[fStatus] {
					b.e.Status = n
					b.rank[fStatus] = mk.spec.rank
				}
				i += 3
				continue
			}
		case fastMethod:
			if meth, j, ok := methodAt(s, i); ok {
				if b := w.b; mk.spec.rank < b.rank[fMethod] {
					b.e.Method = meth
					b.rank[fMethod] = mk.spec.rank
				}
				i = j
				continue
			}
		case fastStamp:
			// A stamp in the second of the one before, as nearly every
			// line's is: read with its closing quote in one go, the
			// same time and the same clock (see sameSecondUTC).
			if t, j, ok := w.b.clock.sameSecondUTC(s, i); ok {
				if b := w.b; mk.spec.rank < b.rank[fTime] {
					b.e.Time = t
					b.rank[fTime] = mk.spec.rank
				}
				i = j
				continue
			}
		case fastText:
			// An id or an address as long as the line before's, as
			// nearly every one is: its bytes checked for the end of a
			// plain run in a few words, not looked through for it.
			if n := int(mk.textLen); plainQuoted(s, i, n) && w.b.takeText(&mk.spec, s[i:i+n]) {
				i += n + 1
				continue
			}
		case fastPath:
			if j := plainEnd(s, i); j < len(s) && s[j] == '"' && w.b.takePath(&mk.spec, s[i:j]) {
				i = j + 1
				continue
			}
		case fastDuration:
			if i <= len(s)-8 { // durationAt's common case, without its call
				if d, n, ok := durationWord(load64(s, i)); ok {
					if b := w.b; mk.spec.rank < b.rank[fDuration] {
						b.e.Duration = inSeconds(d.f, mk.spec.unit, d.frac)
						b.rank[fDuration] = mk.spec.rank
					}
					i += n
					continue
				}
			}
			if d, j, ok := durationAt(s, i, mk.spec.unit); ok {
				if b := w.b; mk.spec.rank < b.rank[fDuration] {
					b.e.Duration = d
					b.rank[fDuration] = mk.spec.rank
				}
				i = j
				continue
			}
		}
		if m := &mk.memo; m.on && i <= len(s)-16 {
			if t := s[i : i+16]; load64(t, 0)&m.mask[0] == m.word[0] && load64(t, 8)&m.mask[1] == m.word[1] &&
				(m.n < 15 || i <= len(s)-memoLen && load64(s, i+16)&m.mask[2] == m.word[2]) {
				// The value of the line before, and the byte after it (see
				// valueMemo).
				j := i + int(m.n)
				w.b.takeKnown(mk, s[i:j])
				if i = j; mk.str {
					i++
				}
				continue
			}
		}
		switch {
		case mk.str:
			// The closing quote is looked for as str does.
			j := plainEnd(s, i)
			v := value{quoted: true}
			if j < len(s) && s[j] == '"' {
				if mk.known {
					w.b.known(mk, s, i, j, true)
					i = j + 1
					continue
				}
				if mk.text && w.b.takeText(&mk.spec, s[i:j]) {
					mk.textLen = uint8(min(j-i, 255))
					i = j + 1
					continue
				}
				if mk.path && w.b.takePath(&mk.spec, s[i:j]) {
					i = j + 1
					continue
				}
				v.text = s[i:j]
				i = j + 1
			} else {
				w.i = j
				text, esc, err := w.strEsc(i, j)
				if err != nil {
					return err
				}
				v.text = text
				if esc {
					v.esc = escJSON
				}
				i = w.i
			}
			if mk.ok {
				w.b.keyAs(&mk.spec, v)
			}
		case i < len(s) && (s[i] == '-' || isDigit(s[i])):
			j, ok := numberEnd(s, i)
			if !ok {
				w.i = j
				return w.fail("invalid number")
			}
			switch {
			case mk.known:
				w.b.known(mk, s, i, j, false)
			case mk.ok:
				w.b.keyAs(&mk.spec, value{text: s[i:j]})
			}
			i = j
		default:
			w.i = i
			if err := w.topRest(mk, start); err != nil {
				return err
			}
			i = w.i
		}
	}
}

// topValue scans the rest of a top-level member whose key has been
// scanned, as object does the members of other objects.
func (w *jsonWalker) topValue(key string, esc bool) error {
	if err := w.colon(); err != nil {
		return err
	}
	track := 1+len(key) <= maxKeyPath
	if track {
		w.topKey(key, esc)
	}
	err := w.value(track)
	w.plen = 0
	return err
}

// topKey sets the path to a top-level key, unescaped and lower-cased.
func (w *jsonWalker) topKey(key string, esc bool) {
	if esc {
		key = unescapeJSON(key) // never longer than as logged
	}
	w.plen = len(lowerInto(w.path[:0], key))
}

// topMiss scans the k-th member of a parser's top-level object, whose name
// is at w.i and whose bytes from start (the end of the value before, or
// the name of the first member) are not those remembered at k. The name is
// scanned as a string, lower-cased and looked up, and the member's opening
// is remembered, unless its key has escapes or the opening is longer than
// memberOpenLen. It returns what it remembered, for the caller to scan the
// value, or nil when it scanned the value itself.
func (w *jsonWalker) topMiss(k, start int) (*memberKey, error) {
	w.b.keys.members.unfound++
	if k >= maxMemberKeys {
		return nil, w.member(true)
	}
	at := w.i
	key, esc, err := w.str()
	if err != nil {
		return nil, err
	}
	end := skipSpace(w.s, w.i)
	if esc || end >= len(w.s) || w.s[end] != ':' {
		return nil, w.topValue(key, esc) // not remembered
	}
	end = skipSpace(w.s, end+1)
	str := end < len(w.s) && w.s[end] == '"'
	if str {
		end++
	}
	if end-start > memberOpenLen {
		return nil, w.topValue(key, esc)
	}
	w.topKey(key, false)
	mk := w.b.keys.members.learn(k, w.s[start:end], at-start, w.i-at, str, w.b.lookup(w.path[:w.plen]))
	w.plen = 0
	return mk, nil
}

// topRest scans the value of a top-level member starting at start, whose
// opening, as mk remembers it, has been scanned: w.i is at the value, or
// at white space before it that mk's opening has less of. The key's
// lookup is mk's: a key is, byte for byte, one seen at its position in the
// lines before, so it is neither scanned as a string, lower-cased nor
// looked up.
func (w *jsonWalker) topRest(mk *memberKey, start int) error {
	w.space()
	if w.i < len(w.s) && w.s[w.i] == '{' {
		key := start + int(mk.ko)
		w.topKey(w.s[key+1:key+int(mk.kl)-1], false)
		err := w.object(true)
		w.plen = 0
		return err
	}
	if !mk.ok {
		if w.i < len(w.s) && w.s[w.i] == '[' {
			key := start + int(mk.ko)
			w.topKey(w.s[key+1:key+int(mk.kl)-1], false)
			err := w.arrayOf(w.scopes())
			w.plen = 0
			return err
		}
		return w.value(false) // validated only, as an unknown key's value is
	}
	if w.i < len(w.s) && w.s[w.i] == '[' {
		return w.array()
	}
	v, err := w.scalar()
	if err != nil {
		return err
	}
	w.b.keyAs(&mk.spec, v)
	return nil
}

// colon scans the ':' after a member name and the space around it.
func (w *jsonWalker) colon() error {
	w.space()
	if w.i >= len(w.s) || w.s[w.i] != ':' {
		return w.fail("expected ':'")
	}
	w.i++
	w.space()
	return nil
}

// scopes reports whether the value at the current path is ASP.NET Core's
// Scopes: an array of the logging scopes' objects, whose members are
// looked up as if each were the value of "scopes" (scopes.requestid).
// Other arrays' members are validated only.
func (w *jsonWalker) scopes() bool {
	return w.plen == len("scopes") && string(w.path[:w.plen]) == "scopes"
}

// array scans an array at w.s[w.i] == '['.
func (w *jsonWalker) array() error {
	return w.arrayOf(false)
}

// arrayOf scans an array at w.s[w.i] == '[', its members looked up under
// the current path when mapped.
func (w *jsonWalker) arrayOf(mapped bool) error {
	w.depth++
	if w.depth > maxJSONDepth {
		return errJSONDepth
	}
	w.i++
	w.space()
	if w.i < len(w.s) && w.s[w.i] == ']' {
		w.i++
		w.depth--
		return nil
	}
	for {
		if err := w.value(mapped); err != nil {
			return err
		}
		w.space()
		if w.i >= len(w.s) {
			return w.fail("unterminated array")
		}
		switch w.s[w.i] {
		case ',':
			w.i++
			w.space()
		case ']':
			w.i++
			w.depth--
			return nil
		default:
			return w.fail("expected ',' or ']'")
		}
	}
}

// value scans any value; a scalar with mapped set goes to the builder.
func (w *jsonWalker) value(mapped bool) error {
	var v value
	if w.i < len(w.s) {
		switch w.s[w.i] {
		case '{':
			return w.object(mapped)
		case '[':
			return w.arrayOf(mapped && w.scopes())
		case '"': // scalar's first case, saving a call
			s, esc, err := w.str()
			if err != nil {
				return err
			}
			v = value{text: s, quoted: true}
			if esc {
				v.esc = escJSON
			}
			if mapped {
				w.b.key(w.path[:w.plen], v)
			}
			return nil
		}
	}
	v, err := w.scalar()
	if err != nil {
		return err
	}
	if mapped {
		w.b.key(w.path[:w.plen], v)
	}
	return nil
}

// scalar scans a string, number, true, false or null.
func (w *jsonWalker) scalar() (value, error) {
	if w.i >= len(w.s) {
		return value{}, w.fail("expected a value")
	}
	switch c := w.s[w.i]; {
	case c == '"':
		s, esc, err := w.str()
		if err != nil {
			return value{}, err
		}
		v := value{text: s, quoted: true}
		if esc {
			v.esc = escJSON
		}
		return v, nil
	case c == '-' || isDigit(c):
		s, err := w.number()
		if err != nil {
			return value{}, err
		}
		return value{text: s}, nil
	case c == 't':
		return value{text: "true"}, w.literal("true")
	case c == 'f':
		return value{text: "false"}, w.literal("false")
	case c == 'n':
		return value{null: true}, w.literal("null")
	}
	return value{}, w.fail("unexpected character")
}

func (w *jsonWalker) literal(lit string) error {
	if !strings.HasPrefix(w.s[w.i:], lit) {
		return w.fail("invalid literal")
	}
	w.i += len(lit)
	return nil
}

// str scans a string at w.s[w.i] == '"' and returns its content as logged
// and whether it has escapes. Most strings have neither escapes nor control
// bytes: plainEnd finds the closing quote, and strEsc reads on from a '\\'
// or control byte.
func (w *jsonWalker) str() (string, bool, error) {
	start := w.i + 1
	i := plainEnd(w.s, start)
	if i < len(w.s) && w.s[i] == '"' {
		w.i = i + 1
		return w.s[start:i], false, nil
	}
	return w.strEsc(start, i)
}

// plainEnd returns the index of the first '"', '\\' or control byte in
// s[i:], or len(s). It looks eight bytes at a time; the last bytes of the
// line, as the top of its last word shifted down, so that the zero bytes
// shifted in flag the end of the line.
func plainEnd(s string, i int) int {
	if i < 0 {
		return len(s) // never: this tells the compiler the loads are in bounds
	}
	// In registers for the loop (see specialMasks).
	quote, lessQuote, backslash, lessOne, highs := specialWords.quote, specialWords.lessQuote,
		specialWords.backslash, specialWords.lessOne, specialWords.highs
	for ; i < len(s)-7; i += 8 {
		x := load64(s, i)
		q, b := (x^quote)+lessQuote, (x^backslash)+lessOne // specialBytes, as its comment says
		if m := (q | b) &^ x & highs; m != 0 {
			return i + bits.TrailingZeros64(m)>>3
		}
	}
	if i >= len(s) {
		return len(s)
	}
	if len(s) >= 8 {
		x := load64(s, len(s)-8) >> (8 * (8 - (len(s) - i)))
		return i + bits.TrailingZeros64(specialBytes(x))>>3
	}
	for ; i < len(s); i++ {
		if c := s[i]; c == '"' || c == '\\' || c < 0x20 {
			return i
		}
	}
	return len(s)
}

// plainQuoted reports whether s[i:i+n] is a plain string run closed by
// the '"' at s[i+n], as plainEnd(s, i) == i+n would, for n >= 8 (less is
// never). It checks a given end rather than looking for one: each word of
// the run is tested as specialBytes tests it, without a branch, the words
// at i and at the end first, then those between. The tests leave out
// specialBytes's &^ x, so a byte of 0x80 or more may be taken for a
// special one (false: plainEnd then looks), but a special byte never
// passes for plain.
func plainQuoted(s string, i, n int) bool {
	end := i + n // n is at most 255: no overflow
	if n < 8 || i < 0 || end >= len(s) || s[end] != '"' {
		return false
	}
	quote, lessQuote, backslash, lessOne := specialWords.quote, specialWords.lessQuote,
		specialWords.backslash, specialWords.lessOne
	x, y := load64(s, i), load64(s, end-8)
	// The parentheses matter: in Go, + and | bind alike, left to right.
	flags := ((x ^ quote) + lessQuote) | ((x ^ backslash) + lessOne) | ((y ^ quote) + lessQuote) | ((y ^ backslash) + lessOne)
	for i += 8; i < end-8; i += 8 {
		x := load64(s, i)
		flags |= ((x ^ quote) + lessQuote) | ((x ^ backslash) + lessOne)
	}
	return flags&specialWords.highs == 0
}

// load64 reads s[i:i+8] as a little-endian word (the compiler makes it one load).
func load64(s string, i int) uint64 {
	s = s[i : i+8]
	return uint64(s[0]) | uint64(s[1])<<8 | uint64(s[2])<<16 | uint64(s[3])<<24 |
		uint64(s[4])<<32 | uint64(s[5])<<40 | uint64(s[6])<<48 | uint64(s[7])<<56
}

// specialMasks holds specialBytes's constants for plainEnd's loop, which
// computes specialBytes with them: read from a variable, they stay in
// registers through the loop, where the compiler makes constants again
// on every use (five 10-byte moves a word, a quarter of the loop: 15
// instructions a line of the biglog).
type specialMasks struct{ quote, lessQuote, backslash, lessOne, highs uint64 }

var specialWords = specialMasks{
	quote:     0x02 * 0x0101010101010101,
	lessQuote: -0x21 * 0x0101010101010101 & (1<<64 - 1),
	backslash: '\\' * 0x0101010101010101,
	lessOne:   -0x0101010101010101 & (1<<64 - 1),
	highs:     0x8080808080808080,
}

// specialBytes flags the bytes of x that end a plain string run: '"', '\\'
// and control bytes (< 0x20), by setting their high bit. It is the classic
// "has a byte less than n" test, twice: x^0x02 maps '"' to 0x20 and the
// control bytes onto themselves, so '"' and control bytes are the bytes of
// x^0x02 less than 0x21, and '\\' is the zero byte of x^0x5c. A byte with
// its high bit set is none of these, in x as in both, so one &^ x clears
// both tests' flags for it. A borrow can flag a byte above a flagged one,
// never below, so the lowest flag is exact.
func specialBytes(x uint64) uint64 {
	const (
		ones  = 0x0101010101010101
		highs = 0x8080808080808080
	)
	q := x ^ (0x02 * ones) // '"' is 0x20, control bytes stay below it
	b := x ^ ('\\' * ones) // '\\' is 0
	return ((q - 0x21*ones) | (b - ones)) &^ x & highs
}

// strEsc scans on the string str found a '\\' or control byte in: start
// is its content, from the index of that byte.
func (w *jsonWalker) strEsc(start, from int) (string, bool, error) {
	esc := false
	for i := from; i < len(w.s); {
		c := w.s[i]
		switch {
		case c == '"':
			w.i = i + 1
			return w.s[start:i], esc, nil
		case c == '\\':
			esc = true
			if i+1 >= len(w.s) {
				w.i = i
				return "", false, w.fail("unterminated escape")
			}
			switch w.s[i+1] {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
				i += 2
			case 'u':
				if i+6 > len(w.s) || !isHex4(w.s[i+2:i+6]) {
					w.i = i
					return "", false, w.fail("invalid \\u escape")
				}
				i += 6
			default:
				w.i = i
				return "", false, w.fail("invalid escape")
			}
		case c < 0x20:
			w.i = i
			return "", false, w.fail("control character in string")
		default:
			i++
		}
	}
	w.i = len(w.s)
	return "", false, w.fail("unterminated string")
}

// number scans a JSON number: -?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?
func (w *jsonWalker) number() (string, error) {
	start := w.i
	end, ok := numberEnd(w.s, start)
	w.i = end
	if !ok {
		return "", w.fail("invalid number")
	}
	return w.s[start:end], nil
}

// numberEnd returns the index after the JSON number at s[i], or, when it
// is not one, false and the index of the byte that says so.
func numberEnd(s string, i int) (int, bool) {
	if i < len(s) && s[i] == '-' {
		i++
	}
	switch {
	case i < len(s) && s[i] == '0':
		i++
	case i < len(s) && '1' <= s[i] && s[i] <= '9':
		i++
		for i < len(s) && isDigit(s[i]) {
			i++
		}
	default:
		return i, false
	}
	if i < len(s) && s[i] == '.' {
		i++
		if i >= len(s) || !isDigit(s[i]) {
			return i, false
		}
		for i < len(s) && isDigit(s[i]) {
			i++
		}
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		i++
		if i < len(s) && (s[i] == '+' || s[i] == '-') {
			i++
		}
		if i >= len(s) || !isDigit(s[i]) {
			return i, false
		}
		for i < len(s) && isDigit(s[i]) {
			i++
		}
	}
	return i, true
}

func isHex4(s string) bool {
	for i := 0; i < 4; i++ {
		if _, ok := hexVal(s[i]); !ok {
			return false
		}
	}
	return true
}

func hexVal(c byte) (rune, bool) {
	switch {
	case '0' <= c && c <= '9':
		return rune(c - '0'), true
	case 'a' <= c && c <= 'f':
		return rune(c - 'a' + 10), true
	case 'A' <= c && c <= 'F':
		return rune(c - 'A' + 10), true
	}
	return 0, false
}

func hex4(s string) rune {
	var r rune
	for i := 0; i < 4; i++ {
		d, _ := hexVal(s[i])
		r = r<<4 | d
	}
	return r
}

// unescapeJSON resolves the escapes of string content already validated by
// str, as encoding/json does: a lone surrogate becomes U+FFFD.
func unescapeJSON(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); {
		c := s[i]
		if c != '\\' || i+1 >= len(s) {
			b.WriteByte(c)
			i++
			continue
		}
		switch s[i+1] {
		case 'b':
			b.WriteByte('\b')
		case 'f':
			b.WriteByte('\f')
		case 'n':
			b.WriteByte('\n')
		case 'r':
			b.WriteByte('\r')
		case 't':
			b.WriteByte('\t')
		case 'u':
			if i+6 > len(s) {
				b.WriteString(s[i:])
				return b.String()
			}
			r := hex4(s[i+2 : i+6])
			i += 6
			if utf16.IsSurrogate(r) {
				if i+6 <= len(s) && s[i] == '\\' && s[i+1] == 'u' && isHex4(s[i+2:i+6]) {
					if r2 := utf16.DecodeRune(r, hex4(s[i+2:i+6])); r2 != utf8.RuneError {
						b.WriteRune(r2)
						i += 6
						continue
					}
				}
				r = utf8.RuneError
			}
			b.WriteRune(r)
			continue
		default: // '"', '\\', '/'
			b.WriteByte(s[i+1])
		}
		i += 2
	}
	return b.String()
}

// detectJSON scores a line as app-json: an object with a time, message or
// level key. A line that looks like a proxy's JSON access log (status,
// request and upstream or client address keys), a Caddy log or a Docker
// json-file wrapper scores low, so the proxy's own format wins.
func detectJSON(line string) int {
	line = strings.TrimPrefix(line, "\ufeff")
	if line == "" || line[0] != '{' {
		return 0
	}
	var d shape
	var b builder
	b.shape = &d
	var w jsonWalker
	if w.walk(line, &b) != nil {
		return 0
	}
	switch {
	case d.proxy():
		return 10
	case d.docker():
		return 10
	case d.time && (d.msg || d.level):
		return 90
	case d.time || d.msg:
		return 70
	case d.level:
		return 40
	}
	return 0
}
