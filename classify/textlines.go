package classify

import (
	"strings"
	"time"
	"unsafe"

	"fivexx/sources"
)

// A timeline engine (replay, demo, live) keeps every line of the last two
// minutes so that a verdict can show what happened around it. Most of
// those lines, the answered requests' access and app lines, are never
// joined to anything: a timeline only shows their time and text. Such a
// line is its heldLine and nothing else: the held line's time, its text
// in heldLine.raw (textOnly) or its place in the ring in heldLine.ring
// (textRing), and textOnly or textRing in place of a record. (Each
// was a textLine of its own, a time and a text in slabs of 1,024: 3.4 M
// of them, 136 MB, per replay of the 2 M bench set, every one a write to
// memory fresh from the allocator and more pointers for the collector.)
//
// A replay's readers lend the engine their blocks (lenttext.go): such a
// line's text stays where it was read, and the block is read into again
// once every line in it has left the held lines (textRing, lent). Other
// lines' text is copied out of the reader's block, which is read into
// again once the batch is released, into a ring of chunks that are
// written again once their lines have left the held lines (textRing):
// 1 GB of memmove per replay of the 2 M bench set, before the readers
// lent their blocks. Before the ring, replay kept each line where it was read, in a 64 KiB block that
// was never read into again (Input.KeepText): 1 GB of blocks allocated,
// zeroed and collected per replay of the bench set, for the 6% of lines
// that a timeline ever shows. A line that a timeline shows gets a copy of
// its text that stays (textStore.show) and is textOnly from then on, as
// is a line whose text is its own (a recycled slot's text that the
// reader kept, KeepText, or a record's that the engine holds) and one
// held apart from the others (a far line: see hold), whose eviction does
// not come in order.

// textLine is the type of textOnly and textRing.
type textLine struct{ _ byte }

func (*textLine) RecordTime() time.Time { return time.Time{} }
func (*textLine) RawLine() string       { return "" }

var (
	// textOnly is the record of a held line kept only to be shown in
	// timelines: its time and text are the heldLine's own (raw).
	textOnly sources.Record = textOnlyLine
	// textRing is textOnly for a line whose text lies in the textStore's
	// ring: its eviction must be told (textStore.evicted), and a
	// timeline must show a copy of it (textStore.show).
	textRing sources.Record = textRingLine
	// textOnlyLine and textRingLine are the same as *textLine values.
	// Two interface values of one pointer type are compared by a call
	// into the runtime (runtime.ifaceeq) once their types match, which
	// for these two is on every timeline-only line: a timeline's walk
	// (show, ownLines.has) asserts the type and compares pointers.
	textOnlyLine, textRingLine = new(textLine), new(textLine)
)

// ringChunk is the size of a chunk of the ring; a line longer than an
// eighth of it gets a copy that stays instead.
const (
	ringChunkBits = 18
	ringChunk     = 1 << ringChunkBits
)

// ringText is where a textRing line's text lies in the ring: the number
// of its chunk among all the ring has started, its offset in that chunk,
// its length. Numbers, not a string into the chunk: a held line's
// pointers are marked by the collector on every cycle (see heldLine), and
// the chunks are kept by the ring.
type ringText struct {
	chunk  uint64
	off, n uint32
}

// textStore keeps the text of the lines kept only to be shown: in the
// ring while they are held, in a sources.TextArena once a timeline shows
// them.
type textStore struct {
	// live are the chunks that held lines' text may lie in, oldest first
	// (a ring of them: live[first:], then live[:first]); the newest is
	// being written.
	live  [][]byte
	first int
	n     int
	// oldest is the number (ringText.chunk) of live[first], when n > 0:
	// the chunks are numbered from 0 in the order they are started.
	oldest uint64
	// newest is the chunk being written, in live (nil: none yet): kept,
	// not worked out from first and n by a division on every line held.
	newest *[]byte
	// started is how many chunks the ring has started: the next one's
	// number.
	started uint64
	free    [][]byte // chunks no held line's text lies in
	// lenders are the readers whose blocks lent lines' text lies in
	// (lenttext.go), lastLender the index of the last one looked up.
	// lending is 1 + the index of the item being added's, when its text
	// is borrowed and the replay lends (Engine.AddLent; 0: it is not),
	// and lentSeq that item's number among the lender's records.
	lenders    []textLender
	lastLender int
	lending    int
	lentSeq    int64
	kept       shownText
}

// shownText keeps copies of the text of lines that timelines show (and
// of lines held apart or too long for the ring), in blocks that are
// never written again where a text lies, so that the strings may be kept
// as long as a timeline is. A block is collected once none of its
// strings is referenced. sources.TextArena does the same in 256 KiB
// blocks: the engine keeps a few hundred verdicts from far back (the
// newest of each upstream and cause), and each one's timeline kept one or
// two blocks from its time, most of them lines no one showed any more:
// 30 MB of a replay's live heap at the end of the 2 M bench set, 7 MB at
// the end of its first quarter, and the more the longer the input. A
// block of 16 KiB holds about 50 lines, most of a timeline.
type shownText struct {
	block []byte // the current block: appended to, never reallocated
}

const (
	shownBlock = 16 << 10
	// shownLong is where a line gets a copy of its own: a few long lines
	// must not waste most of a block each.
	shownLong = shownBlock / 8
)

// CopyString returns a copy of s that is never written again.
func (a *shownText) CopyString(s string) string {
	switch {
	case len(s) == 0:
		return ""
	case len(s) > shownLong:
		return strings.Clone(s)
	case cap(a.block)-len(a.block) < len(s):
		a.block = make([]byte, 0, shownBlock)
	}
	off := len(a.block)
	a.block = append(a.block, s...)
	// The bytes from off on are never written again: the block is only
	// appended to, within its capacity, and dropped once full.
	return unsafe.String(&a.block[off], len(s))
}

// hold returns the record and the text (textOnly) or its place in the
// ring (textRing) a timeline-only line with text raw is held with, or for
// a line lent by the reader (s.lending), its text and number (textRing,
// lent). owned says raw is a string no one will write again (not a
// recycled slot's, or one the reader kept: KeepText): it is kept as it
// is. Otherwise, it is copied: into the ring, unless the line is held
// apart (far), whose eviction does not come in the order of the ring.
func (s *textStore) hold(raw string, owned, far bool) (sources.Record, string, ringText) {
	switch {
	case owned || len(raw) == 0:
		return textOnly, raw, ringText{}
	case far:
		return textOnly, s.kept.CopyString(raw), ringText{}
	case s.lending != 0:
		return textRing, raw, s.lend()
	case len(raw) > ringChunk/8:
		return textOnly, s.kept.CopyString(raw), ringText{}
	}
	cur := s.newest
	if cur == nil || cap(*cur)-len(*cur) < len(raw) {
		cur = s.grow()
	}
	// Resliced within its room, not appended to: only the length is
	// stored back, with no growth path.
	off := len(*cur)
	*cur = (*cur)[:off+len(raw)]
	copy((*cur)[off:], raw)
	return textRing, "", ringText{chunk: s.oldest + uint64(s.n) - 1, off: uint32(off), n: uint32(len(raw))}
}

// text is the text at r, in the ring: valid until the line it is the
// text of has been evicted, as long as it is only read.
func (s *textStore) text(r ringText) string {
	c := s.live[(s.first+int(r.chunk-s.oldest))%len(s.live)]
	return unsafe.String(&c[r.off], r.n)
}

// holdAccess is what a timeline engine holds for a proxy access line: the
// entry itself for a 5xx (its verdict refers to it), the text for the
// others (holdItem).
func (s *textStore) holdAccess(e *sources.ProxyEntry, recycled *sources.Item, far bool) (sources.Record, string, ringText) {
	if e.Status >= 500 && e.Status <= 599 {
		return e, "", ringText{}
	}
	return s.holdItem(e.Raw, recycled, far)
}

// holdItem is hold for the text raw of a line added with recycled (see
// correlator.hold). A lent line (s.lending), most lines of a replay, is
// lent at once: its text is borrowed from the reader's block, never its
// own (ownText), and hold's cases before lending do not apply to it. Its
// ownText, worked out for every line held, was 20 instructions a line.
func (s *textStore) holdItem(raw string, recycled *sources.Item, far bool) (sources.Record, string, ringText) {
	if s.lending != 0 && !far && len(raw) != 0 {
		return textRing, raw, s.lend()
	}
	return s.hold(raw, ownText(recycled), far)
}

// grow starts a new chunk, a free one if there is one.
func (s *textStore) grow() *[]byte {
	var c []byte
	if k := len(s.free); k > 0 {
		c, s.free = s.free[k-1], s.free[:k-1]
	} else {
		c = make([]byte, 0, ringChunk)
	}
	if s.n == len(s.live) {
		// A bigger ring, in order from index 0.
		live := make([][]byte, max(8, 2*len(s.live)))
		for i := 0; i < s.n; i++ {
			live[i] = s.live[(s.first+i)%len(s.live)]
		}
		s.live, s.first = live, 0
	}
	s.live[(s.first+s.n)%len(s.live)] = c
	if s.n++; s.n == 1 {
		s.oldest = s.started
	}
	s.started++
	s.newest = &s.live[(s.first+s.n-1)%len(s.live)]
	return s.newest
}

// A textRing line leaves the held lines in the order its text was written
// (the order they were held, oldest first): once it has, every chunk
// before the one its text lies in has no held line's text any more, and
// a lent line's lender may have every record up to its own back. The
// eviction asks lettingGo, small enough to be inlined there, and calls
// pastOldest only when it says so, as evicted does (a lent line went
// through two calls each, 100 M of a replay's instructions).

// evicted takes the text of a textRing line at r that has left the held
// lines (as the eviction does, written out there).
func (s *textStore) evicted(r ringText) {
	if s.lettingGo(r) {
		s.pastOldest(r)
	}
}

// lettingGo reports whether the eviction of a textRing line whose text
// is at r lets go of something: chunks before r's, or a lender's records,
// letGoStep or more since it was last told.
func (s *textStore) lettingGo(r ringText) bool {
	if r.off&lentLine != 0 {
		return int64(r.chunk)+1-s.lenders[r.off&^lentLine].told >= letGoStep
	}
	return r.chunk != s.oldest
}

// pastOldest lets go of the chunks before the one r lies in, or tells a
// lent line's lender that its records up to r's are let go: r's line has
// left the held lines.
func (s *textStore) pastOldest(r ringText) {
	if r.off&lentLine != 0 {
		s.lenders[r.off&^lentLine].letGo(int64(r.chunk) + 1)
		return
	}
	c := r.chunk
	for s.n > 1 && s.oldest < c {
		s.free = append(s.free, s.live[s.first][:0])
		s.live[s.first] = nil
		s.first = (s.first + 1) % len(s.live)
		s.n--
		s.oldest++
	}
}

// show returns the text of a held line (its record rec, its text raw or
// its place in the ring) as a timeline may keep it: a textRing line's is
// copied out of the ring, once (the line is textOnly from then on).
func (s *textStore) show(rec *sources.Record, raw *string, at ringText) string {
	l, ok := (*rec).(*textLine)
	switch {
	case !ok:
		return (*rec).RawLine()
	case l == textRingLine:
		*rec, *raw = textOnly, s.kept.CopyString(s.ringText(at, *raw))
	}
	return *raw
}

// ringText is the text of a textRing line: in the ring at r, or raw for
// a lent line.
func (s *textStore) ringText(r ringText, raw string) string {
	if r.off&lentLine != 0 {
		return raw
	}
	return s.text(r)
}

// setApart makes a held line's text (its record rec, its text raw or its
// place in the ring) its own before the line is held apart from the
// others (correlator.setAside): the ring's chunks are let go in the order
// of the held lines.
func (s *textStore) setApart(rec *sources.Record, raw *string, at ringText) {
	if *rec == textRing {
		*rec, *raw = textOnly, s.kept.CopyString(s.ringText(at, *raw))
	}
}
