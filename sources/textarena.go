package sources

import "unsafe"

// TextArena copies line texts into shared blocks that are never written
// again where a text lies, so the strings it returns may be kept for as
// long as anyone likes: a block is collected once none of its strings is
// referenced. A replay keeps every line's text for its timelines (most
// lines stay where they were read, readBlocks with keep; this takes those
// that span two reads and those of readers without blocks); a
// string of its own per line was millions of objects for the collector to
// track, and a block of 256 KiB holds a thousand lines in one object that
// it does not scan. Lines are let go oldest first, so a block outlives its
// last line by at most a block's worth of lines. Not safe for concurrent
// use: each reader goroutine has its own.
type TextArena struct {
	block []byte // the current block: appended to, never reallocated
}

const (
	textBlock = 256 << 10
	// longText is where a line gets a copy of its own: a few long lines
	// must not waste most of a block each.
	longText = textBlock / 8
)

// Copy returns a copy of line.
func (a *TextArena) Copy(line []byte) string {
	if len(line) == 0 {
		return ""
	}
	if len(line) > longText {
		return string(line)
	}
	if cap(a.block)-len(a.block) < len(line) {
		a.block = make([]byte, 0, textBlock)
	}
	off := len(a.block)
	a.block = append(a.block, line...)
	return unsafe.String(&a.block[off], len(line))
}

// CopyString returns a copy of s.
func (a *TextArena) CopyString(s string) string {
	return a.Copy(unsafe.Slice(unsafe.StringData(s), len(s)))
}
