package report

import (
	"io"
	"strconv"
	"unicode"
	"unicode/utf8"
)

// terminalSafe writes JSON with the characters a terminal acts on or
// reorders written as \u escapes: encoding/json escapes C0 controls but
// writes DEL, C1 controls (U+0080-U+009F; U+009B is a CSI to some
// terminals) and format characters (bidi overrides and isolates, zero-width
// marks) as they are, and --json output is often read on the terminal. The
// JSON means the same: outside strings encoding/json writes only ASCII, so
// every such character lies within a string, where a \u escape of it
// decodes to it again.
//
// Each Write must hold whole characters: json.Encoder writes each value
// in one Write.
type terminalSafe struct {
	w   io.Writer
	buf []byte
}

func (t *terminalSafe) Write(p []byte) (int, error) {
	i := firstUnsafe(p)
	if i < 0 {
		return t.w.Write(p)
	}
	b := append(t.buf[:0], p[:i]...)
	for i < len(p) {
		r, size := utf8.DecodeRune(p[i:])
		if unsafeInJSON(r, size) {
			b = appendEscape(b, r)
		} else {
			b = append(b, p[i:i+size]...)
		}
		i += size
	}
	t.buf = b
	if _, err := t.w.Write(b); err != nil {
		return 0, err
	}
	return len(p), nil
}

// firstUnsafe returns the index of the first byte that may start an
// unsafe character (DEL or any non-ASCII byte), or -1.
func firstUnsafe(p []byte) int {
	for i, c := range p {
		if c >= 0x7f {
			return i
		}
	}
	return -1
}

func unsafeInJSON(r rune, size int) bool {
	if r == utf8.RuneError && size == 1 {
		return false // encoding/json writes valid UTF-8: not reached
	}
	return r == 0x7f || (r >= 0x80 && r <= 0x9f) || unicode.Is(unicode.Cf, r) || r == '\u2028' || r == '\u2029'
}

// appendEscape appends r as a JSON \u escape (a surrogate pair beyond the
// Basic Multilingual Plane).
func appendEscape(b []byte, r rune) []byte {
	if r > 0xffff {
		r -= 0x10000
		b = appendU(b, 0xd800+(r>>10))
		return appendU(b, 0xdc00+(r&0x3ff))
	}
	return appendU(b, r)
}

func appendU(b []byte, r rune) []byte {
	b = append(b, `\u`...)
	h := strconv.FormatInt(int64(r), 16)
	for i := len(h); i < 4; i++ {
		b = append(b, '0')
	}
	return append(b, h...)
}
