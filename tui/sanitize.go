package tui

// The rules for log-derived text are textsafe's (sources/textsafe): every
// such string goes through Sanitize before it reaches View. Only then is it
// cut to a cell width (clip) or wrapped (wrapRaw, wrapWords), measured as
// cells.go says: never narrower than a terminal draws it.

import (
	"fivexx/sources/textsafe"
	"strings"
)

// Sanitize returns s with every control, format and invalid byte turned into
// a visible escape (textsafe.Escape), safe to write to a terminal. It also
// drops the variation selectors U+FE0E and U+FE0F: "⚠️" (U+26A0 U+FE0F) is
// 2 cells as a grapheme cluster and 1 drawn code point by code point, so a
// row that held it came out a cell short in tmux; "⚠" is 1 in both. They
// only choose between the text and the emoji glyph.
func Sanitize(s string) string {
	s = textsafe.Escape(s)
	if strings.IndexByte(s, 0xef) < 0 || !strings.ContainsAny(s, "\ufe0e\ufe0f") {
		return s
	}
	return strings.NewReplacer("\ufe0e", "", "\ufe0f", "").Replace(s)
}

// clip sanitizes s and cuts it to at most w cells, ending in "…" when cut.
func clip(s string, w int) string {
	if w <= 0 {
		return ""
	}
	return truncCells(Sanitize(s), w, "…")
}

// wrapRaw sanitizes s and breaks it into lines so a raw log line can be read
// in full: the first line holds at most first cells, the others start with
// indent and hold at most rest cells after it. A line breaks after a space
// when one is near its edge (wrapRawCells), else between two characters;
// callers mark the lines after the first with "↪" in indent, so a line
// copied from the screen shows it was wrapped: "us" / "="502, 502"" read
// as two fields.
func wrapRaw(s string, first, rest int, indent string) []string {
	s = Sanitize(s)
	if first < 1 || rest < 2 || lenCells(s) <= first {
		return []string{clip(s, max(first, 0))}
	}
	out := wrapRawCells(s, first, rest)
	for i := 1; i < len(out); i++ {
		out[i] = indent + out[i]
	}
	return out
}

// wrapWords sanitizes s and wraps it at spaces (long words are broken)
// into lines of at most w cells; continuation lines start with indent,
// which the caller has already subtracted from w. A command s names, or
// a part in backticks, is kept on one line (proseWords): the hint's
// "(ss -ltnp)" came out as "(ss -" / "ltnp)?", the hyphen taken for a
// place to break (ansi.Wrap), and copied as a broken command.
func wrapWords(s string, w int, indent string) []string {
	s = Sanitize(s)
	if w < 2 || lenCells(s) <= w {
		return []string{clip(s, max(w, 1))}
	}
	lines := wrapWordCells(proseWords(s, w), w)
	for i := 1; i < len(lines); i++ {
		lines[i] = indent + lines[i]
	}
	return lines
}
