package tui

// The rules for log-derived text are textsafe's (sources/textsafe): every
// such string goes through Sanitize before it reaches View. Only then is it
// cut to a cell width (clip), with ansi.Truncate, which measures wide
// characters and grapheme clusters.

import (
	"fivexx/sources/textsafe"
	"strings"

	"github.com/charmbracelet/x/ansi"
)

// Sanitize returns s with every control, format and invalid byte turned into
// a visible escape (textsafe.Escape), safe to write to a terminal.
func Sanitize(s string) string { return textsafe.Escape(s) }

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
