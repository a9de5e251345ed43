package tui

// The rules: every string that comes from a log (paths, raw lines, request
// ids, upstream names, messages, input paths, samples) goes through Sanitize
// before it reaches View, because Bubble Tea writes View() to the terminal as
// is. Control characters become visible escapes instead of being dropped, so
// the user still sees that the line held them:
//   - C0 controls, DEL and C1 controls: \x1b, \x7f, \u009b (\n and \r as such);
//     an ESC can no longer start a CSI/OSC/DCS/APC sequence, and the rest of
//     the sequence is plain printable text;
//   - tab: one space;
//   - invisible format characters (bidi overrides and isolates, marks,
//     zero-width spaces and joiners, BOM, every other Unicode Cf rune) and
//     the line and paragraph separators: \u202e;
//   - invalid UTF-8: U+FFFD, one per bad byte.
// Only then is a string cut to a cell width (clip), with ansi.Truncate, which
// measures wide characters and grapheme clusters.

import (
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/charmbracelet/x/ansi"
)

// Sanitize returns s with every control, format and invalid byte turned into
// a visible escape, safe to write to a terminal.
func Sanitize(s string) string {
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
// Sanitize returns unchanged without allocating.
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

// clip sanitizes s and cuts it to at most w cells, ending in "…" when cut.
func clip(s string, w int) string {
	if w <= 0 {
		return ""
	}
	return ansi.Truncate(Sanitize(s), w, "…")
}

// wrapRaw sanitizes s and breaks it into lines so a raw log line can be read
// in full: the first line holds at most first cells, the others start with
// indent and hold at most rest cells after it.
func wrapRaw(s string, first, rest int, indent string) []string {
	s = Sanitize(s)
	if first < 1 || ansi.StringWidth(s) <= first {
		return []string{clip(s, first)}
	}
	// A sanitized string holds no escape sequences, so Truncate returns a
	// byte prefix of it and the rest starts right after.
	head := ansi.Truncate(s, first, "")
	out := []string{head}
	if rest < 2 {
		return []string{clip(s, first)}
	}
	for _, l := range strings.Split(ansi.Hardwrap(s[len(head):], rest, true), "\n") {
		out = append(out, indent+l)
	}
	return out
}

// wrapWords sanitizes s and wraps it at word boundaries (long words are
// broken) into lines of at most w cells; continuation lines start with
// indent, which the caller has already subtracted from w.
func wrapWords(s string, w int, indent string) []string {
	s = Sanitize(s)
	if w < 2 || ansi.StringWidth(s) <= w {
		return []string{clip(s, max(w, 1))}
	}
	lines := strings.Split(ansi.Wrap(s, w, ""), "\n")
	for i := 1; i < len(lines); i++ {
		lines[i] = indent + lines[i]
	}
	return lines
}
