package classify

import (
	"time"

	"fivexx/sources"
)

// A timeline engine (replay, demo, live) keeps every line of the last two
// minutes so that a verdict can show what happened around it. Most of
// those lines, the answered requests' access and app lines, are never
// joined to anything: a timeline only shows their time and text. Kept as
// whole records, each was a detached entry of several objects, and replay
// spent more of its time allocating and collecting them than parsing. A
// textLine is what a timeline needs and nothing else; a textStore keeps
// them in slabs of 1,024, with their text in a sources.TextArena when the
// reader has not put it in one already (Input.KeepText): a thousand lines
// take two objects, and the collector does not scan the text.

// textLine is a line kept only to be shown: it implements sources.Record.
type textLine struct {
	t   time.Time
	raw string
}

func (l *textLine) RecordTime() time.Time { return l.t }
func (l *textLine) RawLine() string       { return l.raw }

const textSlab = 1024

// textStore hands out textLines from shared slabs, with their text copied
// into shared blocks when it is not theirs to keep.
type textStore struct {
	lines []textLine // the current slab: appended to, never reallocated
	text  sources.TextArena
}

// keep returns a textLine for raw at t. raw is copied unless owned: a
// string no one will write again.
func (s *textStore) keep(t time.Time, raw string, owned bool) *textLine {
	if !owned {
		raw = s.text.CopyString(raw)
	}
	if len(s.lines) == cap(s.lines) {
		s.lines = make([]textLine, 0, textSlab)
	}
	s.lines = append(s.lines, textLine{t: t, raw: raw})
	return &s.lines[len(s.lines)-1]
}

// keepAccess is the record a timeline engine holds for a proxy access
// line: the entry itself for a 5xx (its verdict refers to it), a textLine
// for the others. owned says the entry's text is a string no one will
// write again (not a recycled slot's, or one the reader kept: KeepText).
func (s *textStore) keepAccess(e *sources.ProxyEntry, owned bool) sources.Record {
	if e.Status >= 500 && e.Status <= 599 {
		return e
	}
	return s.keep(e.Time, e.Raw, owned)
}
