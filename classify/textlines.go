package classify

import (
	"time"
	"unsafe"

	"fivexx/sources"
)

// A timeline engine (replay, demo, live) keeps every line of the last two
// minutes so that a verdict can show what happened around it. Most of
// those lines, the answered requests' access lines, are never joined to
// anything: a timeline only shows their time and text. Kept as whole
// records, each was a detached entry of several objects, and replay spent
// more of its time allocating and collecting them than parsing. A
// textLine is what a timeline needs and nothing else, and a textStore
// keeps them in shared blocks: a slab of 1,024 textLines and 256 KiB of
// text hold a thousand lines in two objects, whose text the collector does
// not scan. Blocks are let go once every line in them is evicted; lines
// are evicted oldest first, so a block outlives its last line by at most
// one block's worth of lines.

// textLine is a line kept only to be shown: it implements sources.Record.
type textLine struct {
	t   time.Time
	raw string
}

func (l *textLine) RecordTime() time.Time { return l.t }
func (l *textLine) RawLine() string       { return l.raw }

const (
	textSlab  = 1024
	textBlock = 256 << 10
)

// textStore hands out textLines with their text copied into shared blocks.
type textStore struct {
	lines []textLine // the current slab: appended to, never reallocated
	text  []byte     // the current text block: likewise
}

// keep returns a textLine for raw at t. raw is copied unless owned, when
// it is a string of its own that no one will reuse.
func (s *textStore) keep(t time.Time, raw string, owned bool) *textLine {
	if !owned && raw != "" {
		raw = s.copyText(raw)
	}
	if len(s.lines) == cap(s.lines) {
		s.lines = make([]textLine, 0, textSlab)
	}
	s.lines = append(s.lines, textLine{t: t, raw: raw})
	return &s.lines[len(s.lines)-1]
}

// copyText copies raw into the current text block. The block's bytes
// below len are never written again, so the string may share them.
func (s *textStore) copyText(raw string) string {
	if len(raw) > textBlock/8 {
		return string([]byte(raw)) // a rare long line gets its own copy
	}
	if cap(s.text)-len(s.text) < len(raw) {
		s.text = make([]byte, 0, textBlock)
	}
	off := len(s.text)
	s.text = append(s.text, raw...)
	return unsafe.String(&s.text[off], len(raw))
}

// keepAccess is the record a timeline engine holds for a proxy access
// line: the entry itself for a 5xx (its verdict refers to it), a textLine
// for the others. recycled says the entry's text is a slot's, reused once
// the engine is done with the line.
func (s *textStore) keepAccess(e *sources.ProxyEntry, recycled bool) sources.Record {
	if e.Status >= 500 && e.Status <= 599 {
		return e
	}
	return s.keep(e.Time, e.Raw, !recycled)
}
