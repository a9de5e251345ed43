// Package textsafe makes text that came from a log safe to write to a
// terminal. Log lines are attacker-controlled (a User-Agent can hold an OSC
// title change), so the report and the UI pass every log-derived string
// (paths, raw lines, request ids, upstream names, messages, samples) through
// Escape. Control characters become visible escapes instead of being
// dropped, so the reader still sees that the line held them:
//   - C0 controls, DEL and C1 controls: \x1b, \x7f, \u009b (\n and \r as such);
//     an ESC can no longer start a CSI/OSC/DCS/APC sequence, and the rest of
//     the sequence is plain printable text;
//   - tab: one space;
//   - invisible format characters (bidi overrides and isolates, marks,
//     zero-width spaces and joiners, BOM, every other Unicode Cf rune) and
//     the line and paragraph separators: \u202e;
//   - invalid UTF-8: U+FFFD, one per bad byte.
package textsafe

import (
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Escape returns s with every control, format and invalid byte turned into
// a visible escape, safe to write to a terminal.
func Escape(s string) string {
	if isPlain(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 8)
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		i += size
		switch {
		case r == utf8.RuneError && size == 1:
			b.WriteRune(utf8.RuneError)
		case r == '\t':
			b.WriteByte(' ')
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\r':
			b.WriteString(`\r`)
		case r < 0x20 || r == 0x7f:
			b.WriteString(`\x`)
			writeHex(&b, uint32(r), 2)
		case needsEscape(r):
			b.WriteString(`\u`)
			writeHex(&b, uint32(r), 4)
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// isPlain reports whether s is printable ASCII, the common case, which
// Escape returns unchanged without allocating.
func isPlain(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c >= 0x7f {
			return false
		}
	}
	return true
}

// needsEscape reports whether a valid non-ASCII rune must not reach the
// terminal as is: C1 controls, invisible format characters (which include
// every bidi control and zero-width character) and line separators.
func needsEscape(r rune) bool {
	return (r >= 0x80 && r <= 0x9f) ||
		unicode.Is(unicode.Cf, r) ||
		r == '\u2028' || r == '\u2029'
}

// writeHex writes v as lower-case hex, zero-padded to at least digits.
func writeHex(b *strings.Builder, v uint32, digits int) {
	h := strconv.FormatUint(uint64(v), 16)
	for i := len(h); i < digits; i++ {
		b.WriteByte('0')
	}
	b.WriteString(h)
}
