package applog

import (
	"strings"

	"fivexx/sources"
)

// FormatLogfmt is the name of the logfmt app log format.
const FormatLogfmt = "app-logfmt"

func init() {
	sources.Register(sources.Format{
		Name:     FormatLogfmt,
		Role:     sources.RoleApp,
		Priority: 1,
		Detect:   detectLogfmt,
		New: func(opts sources.ParserOptions) (sources.Parser, error) {
			return newLineParser(FormatLogfmt, opts), nil
		},
		Doc: "app log in logfmt: slog TextHandler, logrus text, go-kit, Heroku router (key=value pairs)",
	})
}

// token is one space-separated token of a logfmt or text line: a
// key=value pair or a bare word.
type token struct {
	start, end int    // span in the line
	key        string // as logged; "" for a bare word
	val        value
}

// nextToken returns the first token at or after s[i] and the index after
// it; see scanToken.
func nextToken(s string, i int) (token, int, bool) {
	var t token
	next, ok := scanToken(s, i, &t)
	return t, next, ok
}

// scanToken reads the first token at or after s[i] into t and returns the
// index after it; false when only spaces are left. It fills a token rather
// than returning one: a struct this size is returned through memory.
// Keys follow formats.md §9.1, [A-Za-z_@][A-Za-z0-9_.-]*; a value is
// Go-quoted (slog, logrus and go-logfmt quote with strconv rules) or runs
// to the next space, '=' included (path=/x?n=1). An unterminated quote
// takes the rest of the line.
func scanToken(s string, i int, t *token) (int, bool) {
	for i < len(s) && isSpace(s[i]) {
		i++
	}
	if i >= len(s) {
		*t = token{}
		return i, false
	}
	start := i
	if keyStart(s[i]) {
		j := i + 1
		for j < len(s) && keyChar(s[j]) {
			j++
		}
		if j < len(s) && s[j] == '=' {
			key := s[i:j]
			j++
			if j < len(s) && s[j] == '"' {
				end, esc, closed := quotedEnd(s, j)
				if !closed {
					*t = token{start, len(s), key, value{text: s[j+1:], quoted: true}}
					return len(s), true
				}
				v := value{text: s[j+1 : end-1], quoted: true}
				if esc {
					v = value{text: s[j:end], quoted: true, esc: escGo}
				}
				*t = token{start, end, key, v}
				return end, true
			}
			k := j
			for k < len(s) && !isSpace(s[k]) {
				k++
			}
			*t = token{start, k, key, value{text: s[j:k]}}
			return k, true
		}
	}
	j := i
	for j < len(s) && !isSpace(s[j]) {
		j++
	}
	*t = token{start: start, end: j}
	return j, true
}

// isSpace reports whether c separates tokens (a stray '\r' from CRLF too).
func isSpace(c byte) bool { return byteClass[c]&classSpace != 0 }

// quotedEnd finds the end of a quoted string at s[i] == '"': the index
// after the closing quote, whether it had escapes, whether it was closed.
func quotedEnd(s string, i int) (int, bool, bool) {
	esc := false
	for j := i + 1; j < len(s); j++ {
		switch s[j] {
		case '\\':
			esc = true
			j++
		case '"':
			return j + 1, esc, true
		}
	}
	return len(s), esc, false
}

func keyStart(c byte) bool { return byteClass[c]&classKeyStart != 0 }

func keyChar(c byte) bool { return byteClass[c]&classKey != 0 }

// Byte classes for the token scanner: a table lookup per byte rather than
// a chain of comparisons.
const (
	classSpace    = 1 << iota // ' ', '\t', '\r'
	classKeyStart             // [A-Za-z_@]
	classKey                  // [A-Za-z0-9_.-]
)

var byteClass = func() (t [256]uint8) {
	for c := 0; c < 256; c++ {
		b := byte(c)
		if b == ' ' || b == '\t' || b == '\r' {
			t[c] |= classSpace
		}
		if isLetter(b) || b == '_' || b == '@' {
			t[c] |= classKeyStart
		}
		if isLetter(b) || isDigit(b) || b == '_' || b == '.' || b == '-' {
			t[c] |= classKey
		}
	}
	return t
}()

// detectLogfmt scores a line as logfmt: three or more key=value tokens,
// the first right after an optional timestamp and syslog header (as the
// Heroku router writes). Free text before the pairs is app-text with a
// key=value tail; a proxy's access log written as pairs scores low.
func detectLogfmt(line string) int {
	if line == "" || line[0] == '{' {
		return 0
	}
	var d shape
	info := analyze(line, &builder{shape: &d}, nil, &clock{loc: detectLoc, now: detectNow})
	switch {
	case info.kv < 3:
		return 0
	case d.proxy():
		return 20
	case !info.firstKV:
		return 25
	case d.time || d.msg || d.level:
		return 85
	}
	return 75
}

// levelToken reads a level word in free text: "ERROR", "[error]", "error:",
// logrus's colored "INFO[0000]", Monolog's "production.ERROR:". Upper case counts anywhere among the first
// words; other cases only as the first word or when bracketed or followed
// by ':'. strong says the word alone can open a record: upper case,
// bracketed or followed by ':'.
func levelToken(w string, first bool) (level string, strong, ok bool) {
	marked := false
	if strings.HasPrefix(w, "[") && strings.HasSuffix(strings.TrimSuffix(w, ":"), "]") {
		w = strings.TrimSuffix(strings.TrimSuffix(w[1:], ":"), "]")
		marked = true
	} else if strings.HasSuffix(w, ":") {
		w = w[:len(w)-1]
		marked = true
	} else if i := strings.IndexByte(w, '['); i > 0 && strings.HasSuffix(w, "]") {
		w = w[:i] // logrus INFO[0000]
	}
	if i := strings.LastIndexByte(w, '.'); i >= 0 && marked {
		w = w[i+1:] // Monolog "production.ERROR:"
	}
	if w == "" || len(w) > 13 {
		return "", false, false
	}
	upper := true
	for i := 0; i < len(w); i++ {
		c := w[i]
		if !isLetter(c) {
			return "", false, false
		}
		if c >= 'a' {
			upper = false
		}
	}
	if !upper && !first && !marked {
		return "", false, false
	}
	var buf [16]byte
	l, ok := levelWord(lowerInto(buf[:0], w))
	if !ok {
		return "", false, false
	}
	return l, upper || marked, true
}
