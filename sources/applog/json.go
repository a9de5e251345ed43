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
// top-level keys are compared with the last lines' before being scanned
// (memberKeys, in fields.go).

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
}

func newJSONParser(opts sources.ParserOptions) *jsonParser {
	p := &jsonParser{service: opts.Service, clock: newClock(opts.Loc())}
	p.b.clock = &p.clock
	p.b.idKey = strings.ToLower(opts.RequestIDKey)
	p.b.keys = new(keyCache)
	return p
}

// Parse implements sources.Parser. A continuation line returns (nil, nil)
// and is appended to the previous entry's Raw (see stack.go).
func (p *jsonParser) Parse(line string) (sources.Record, error) {
	if isBlank(line) {
		p.stack.blank(line)
		return nil, nil
	}
	body := strings.TrimPrefix(line, "\ufeff")
	if body != "" && body[0] == '{' {
		e := p.entries.next()
		p.b.reset(e)
		if err := p.w.walk(body, &p.b); err != nil {
			return nil, fmt.Errorf("%s: %w", FormatJSON, err)
		}
		p.b.finish(p.service)
		e.Raw = line
		p.entries.keep()
		p.stack.record(e)
		return e, nil
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

// ParseAppSlot implements sources.AppSlotParser.
func (p *jsonParser) ParseAppSlot(line string, s *sources.AppSlot) (sources.Record, error) {
	return p.entries.parseInto(s, func() (sources.Record, error) { return p.Parse(line) })
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
	w.s, w.i, w.depth, w.plen, w.b = s, 0, 0, 0, b
	w.space()
	if w.i >= len(s) || s[w.i] != '{' {
		return w.fail("expected an object")
	}
	if err := w.object(b != nil); err != nil {
		return err
	}
	w.space()
	if w.i != len(s) {
		return w.fail("data after the object")
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
	for w.i < len(w.s) {
		switch w.s[w.i] {
		case ' ', '\t', '\n', '\r':
			w.i++
		default:
			return
		}
	}
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
	top := w.depth == 1 && mapped && w.b.keys != nil && w.b.shape == nil && w.b.keys.members.warm()
	for k := 0; ; k++ {
		if w.i >= len(w.s) || w.s[w.i] != '"' {
			return w.fail("expected a member name")
		}
		if top && k < maxMemberKeys {
			if err := w.topMember(k); err != nil {
				return err
			}
		} else {
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
			if err := w.value(track); err != nil {
				return err
			}
			w.plen = mark
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
			if top {
				w.b.keys.members.endLine()
			}
			return nil
		default:
			return w.fail("expected ',' or '}'")
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

// topMember scans the k-th member of a parser's top-level object. When its
// key is, byte for byte, one seen at k in the lines before, the key's
// lookup is known: it is neither scanned as a string, lower-cased nor
// looked up. Otherwise it is, and remembered for the lines after.
func (w *jsonWalker) topMember(k int) error {
	start := w.i
	mk := w.b.keys.members.predict(k, w.s, start)
	if mk != nil {
		w.i += int(mk.n)
	} else {
		key, esc, err := w.str()
		if err != nil {
			return err
		}
		if esc || w.i-start > memberKeyLen {
			return w.topValue(key, esc) // not remembered
		}
		w.topKey(key, false)
		mk = w.b.keys.members.learn(k, w.s[start:w.i], w.b.lookup(w.path[:w.plen]))
		w.plen = 0
	}
	if w.i+1 < len(w.s) && w.s[w.i] == ':' && w.s[w.i+1] > ' ' {
		w.i++ // what colon does when, as usual, there is no white space
	} else if err := w.colon(); err != nil {
		return err
	}
	if w.i < len(w.s) && w.s[w.i] == '{' {
		w.topKey(w.s[start+1:start+int(mk.n)-1], false)
		err := w.object(true)
		w.plen = 0
		return err
	}
	if !mk.ok {
		return w.value(false) // validated only, as an unknown key's value is
	}
	if w.i < len(w.s) && w.s[w.i] == '[' {
		return w.array()
	}
	var v value
	if w.i < len(w.s) && w.s[w.i] == '"' { // scalar's first case, saving a call
		s, esc, err := w.str()
		if err != nil {
			return err
		}
		v = value{text: s, quoted: true}
		if esc {
			v.esc = escJSON
		}
	} else {
		var err error
		if v, err = w.scalar(); err != nil {
			return err
		}
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

// array scans an array at w.s[w.i] == '['.
func (w *jsonWalker) array() error {
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
		if err := w.value(false); err != nil {
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
			return w.array()
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
// bytes: the closing quote is looked for eight bytes at a time, together
// with '\\' and control bytes, and strEsc reads on from the first of those.
func (w *jsonWalker) str() (string, bool, error) {
	s := w.s
	start := w.i + 1
	i := start
	for ; i+8 <= len(s); i += 8 {
		if m := specialBytes(load64(s, i)); m != 0 {
			i += bits.TrailingZeros64(m) >> 3
			if s[i] == '"' {
				w.i = i + 1
				return s[start:i], false, nil
			}
			return w.strEsc(start, i)
		}
	}
	for ; i < len(s); i++ {
		switch c := s[i]; {
		case c == '"':
			w.i = i + 1
			return s[start:i], false, nil
		case c == '\\' || c < 0x20:
			return w.strEsc(start, i)
		}
	}
	w.i = len(s)
	return "", false, w.fail("unterminated string")
}

// load64 reads s[i:i+8] as a little-endian word (the compiler makes it one load).
func load64(s string, i int) uint64 {
	s = s[i : i+8]
	return uint64(s[0]) | uint64(s[1])<<8 | uint64(s[2])<<16 | uint64(s[3])<<24 |
		uint64(s[4])<<32 | uint64(s[5])<<40 | uint64(s[6])<<48 | uint64(s[7])<<56
}

// specialBytes flags the bytes of x that end a plain string run: '"', '\\'
// and control bytes (< 0x20), by setting their high bit. These are the
// classic "has zero byte" and "has byte less than" tests: a borrow can flag
// a byte above a flagged one, never below, so the lowest flag is exact.
func specialBytes(x uint64) uint64 {
	const (
		ones  = 0x0101010101010101
		highs = 0x8080808080808080
	)
	q := x ^ ('"' * ones)
	b := x ^ ('\\' * ones)
	return ((x-0x20*ones)&^x | (q-ones)&^q | (b-ones)&^b) & highs
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
	s, i := w.s, w.i
	start := i
	if s[i] == '-' {
		i++
	}
	switch {
	case i < len(s) && s[i] == '0':
		i++
	case i < len(s) && '1' <= s[i] && s[i] <= '9':
		for i < len(s) && isDigit(s[i]) {
			i++
		}
	default:
		w.i = i
		return "", w.fail("invalid number")
	}
	if i < len(s) && s[i] == '.' {
		i++
		if i >= len(s) || !isDigit(s[i]) {
			w.i = i
			return "", w.fail("invalid number")
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
			w.i = i
			return "", w.fail("invalid number")
		}
		for i < len(s) && isDigit(s[i]) {
			i++
		}
	}
	w.i = i
	return s[start:i], nil
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
