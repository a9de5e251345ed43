package sources

import (
	"strings"
	"sync"
	"time"
	"unsafe"
)

// A report reads millions of proxy lines, and nearly all of them are 2xx
// that the engine counts and lets go. Giving each its own line string and
// entry was two thirds of everything a report allocated (1.6 of 2.35 GB on
// the 2 M bench set) and so most of the collector's work. Instead, proxy
// lines of a format whose parser is a SlotParser are parsed into
// ProxySlots, and app lines of one that is an AppSlotParser into AppSlots;
// both come back for reuse when the consumer hands their batch back with
// ReleaseBatch.
//
// The rule that makes this safe: the record of a Recycled item is the
// consumer's only until it releases the batch. Whatever keeps such a
// record longer (the engine's pending 5xx, held app lines, timelines)
// keeps it.Detach() instead, a copy that shares no memory with the slot.
// Readers that never call ReleaseBatch (Merge) never recycle: their slots
// are left to the collector like any other record.
//
// A SlotParser must set Raw to the whole line and take every other string
// it does not make itself from within Raw: Detach moves exactly those.

// ProxySlot is the memory of one proxy record: the entry, the text of its
// line and room for its upstream lists, all used again once the record is
// released.
type ProxySlot struct {
	Entry ProxyEntry
	// Lists is room for the entry's list elements (ProxyEntry.UpstreamAddr
	// and the others may be slices of it); a parser may grow it.
	Lists []string
	slotText
}

// AppSlot is the memory of one app record: the entry and the text of its
// line. App lines are recycled for the same reason as proxy lines: the
// correlator keeps only the few whose request the proxy has not answered
// yet (3 % on the bench set), and before they were recycled the rest were
// four fifths of what a report allocated.
type AppSlot struct {
	Entry AppEntry
	slotText
}

// SlotParser is a Parser that can parse a line into a ProxySlot.
type SlotParser interface {
	Parser
	// ParseSlot is Parse for a line whose text lies in s, filling s.Entry
	// (and s.Lists) rather than allocating. It returns &s.Entry, or nil and
	// an error as Parse does. The parser must not keep any part of line
	// after it returns: the slot's text is overwritten by a later line.
	// s.Entry comes as the slot's last line left it, not cleared: the
	// parser sets every field of the entry it returns (clearing it first,
	// or, on a path that writes every field anyway, not: nginx's usual
	// shape, where the clearing was about 50 instructions a line).
	ParseSlot(line string, s *ProxySlot) (Record, error)
}

// AppSlotParser is a Parser that can parse an app line into an AppSlot.
type AppSlotParser interface {
	Parser
	// ParseAppSlot is Parse for a line whose text lies in s. Its record is
	// usually &s.Entry, but may be another entry (a line that makes a
	// record of its own, such as Go's "panic: "); either may hold strings
	// that lie in line. As with Parse, the previous record may still grow
	// (stack-trace lines appended to its Raw as a new string). The parser
	// must not keep any part of line past the next record it returns.
	ParseAppSlot(line string, s *AppSlot) (Record, error)
}

// AppSlotRestParser is an AppSlotParser that can find where a line ends
// as it parses it: the decoder then need not look for the newline first
// (appLines).
type AppSlotRestParser interface {
	AppSlotParser
	// ParseAppSlotRest is ParseAppSlot for the line rest starts with, rest
	// being the text read from there on. It returns the line's length n,
	// which is rest's first "\n", or the "\r" of its first "\r\n"; the
	// line is then an ordinary one (ordinaryLine) and rest[:n] what
	// ParseAppSlot would have been given. n < 0: the parser left the line
	// to ParseAppSlot (it has no newline in rest, is not ordinary, or is
	// not one the parser finds the end of), and made no record of it; s
	// may have been written to. The record's strings lie in rest[:n].
	ParseAppSlotRest(rest string, s *AppSlot) (rec Record, n int, err error)
}

// slotGroup is how many slots move between readers and the free list at a
// time; a batch's worth.
const slotGroup = batchSize

// freeProxySlots and freeAppSlots hold released slots in groups.
// emptyProxyGroups and emptyAppGroups hold group slices whose slots have
// been handed out.
var (
	freeProxySlots   = new(groupStack[ProxySlot])
	freeAppSlots     = new(groupStack[AppSlot])
	emptyProxyGroups = make(chan []*ProxySlot, maxFreeGroups)
	emptyAppGroups   = make(chan []*AppSlot, maxFreeGroups)
)

// maxFreeGroups bounds a groupStack. It must hold every group a read has
// in flight, which the consumer may release at once: a group it drops is
// made again at the next stall, and a long report then makes garbage in
// proportion to its length. A parallel read holds two parsed chunks per
// worker and one being put in order, a partial group per worker, the
// batch being filled and mergeAhead batches: with 2 workers and combined
// lines (294 lines, 2.3 groups, a 64 KiB chunk) 22 groups, for which the
// 16 there was room for before dropped 1,456 groups in a report of
// 10,000,000 lines and made as many again (77 of the 120 MB it
// allocated; TestSlotsInFlightFitTheFreeList); with 4 workers and
// 100-byte lines, about 60. The groups kept never outnumber those that were in flight
// at once, so the bound adds nothing to the peak: it is a backstop, at
// 128 slots of about 1 KiB (proxy) or 0.5 KiB (app) a group.
const maxFreeGroups = 256

// groupStack is a free list of slot groups, last in first out: a reader
// takes the group released last, whose slots the engine has just read
// and are the likeliest still in cache. (A channel, first in first out,
// handed out the group released longest ago: with the list often 8 groups
// deep, half a MiB of slots older, past what a core's L2 keeps.)
type groupStack[T any] struct {
	mu     sync.Mutex
	groups [][]*T
}

// push keeps g for reuse; a full stack (or none: a stock of a test's)
// leaves it to the collector.
func (s *groupStack[T]) push(g []*T) {
	if s == nil {
		return
	}
	s.mu.Lock()
	if len(s.groups) < maxFreeGroups {
		s.groups = append(s.groups, g)
	}
	s.mu.Unlock()
}

// pop takes the group pushed last, or nil when there is none.
func (s *groupStack[T]) pop() []*T {
	if s == nil {
		return nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	n := len(s.groups)
	if n == 0 {
		return nil
	}
	g := s.groups[n-1]
	s.groups[n-1] = nil
	s.groups = s.groups[:n-1]
	return g
}

// maxSlotText is the longest line text a slot keeps between uses: the
// buffer of a longer line is let go with its record.
const maxSlotText = 8 << 10

// slotText is a slot's line: a copy in a buffer of the slot's own (own),
// a copy in a TextArena block (kept), or the line where it was read, in
// its reader's block (kept and borrowed; see readBlocks).
type slotText struct {
	text []byte
	own  []byte // the slot's own buffer, kept between uses
	kept bool   // text is not own: never write to it
	// lender, when set, is the reader whose block the text lies in: the
	// block waits for this record's release (releaseSlots counts it).
	lender *readBlocks
}

// SetText copies line into the slot and returns it as a string that lives
// as long as the slot's current use: the text to give the parser.
func (s *slotText) SetText(line []byte) string {
	if cap(s.own) > maxSlotText {
		s.own = nil // an overlong line's buffer is not kept for the next
	}
	s.own = append(s.own[:0], line...)
	s.text, s.kept, s.lender = s.own, false, nil
	if len(s.text) == 0 {
		return ""
	}
	return unsafe.String(unsafe.SliceData(s.text), len(s.text))
}

// keepText copies line into a and makes that the slot's text (see
// Input.KeepText); it returns it as SetText does.
func (s *slotText) keepText(a *TextArena, line []byte) string {
	text := a.Copy(line)
	s.text, s.kept, s.lender = unsafe.Slice(unsafe.StringData(text), len(text)), true, nil
	return text
}

// setText is SetText, or keepText when the stock keeps its lines' text.
func (st *slotStock[T]) setText(s *slotText, line []byte) string {
	if st.arena != nil {
		return s.keepText(st.arena, line)
	}
	return s.SetText(line)
}

// slotStock is one reader's slots of one kind at hand.
type slotStock[T any] struct {
	slots []*T
	free  *groupStack[T]
	// empty takes the group slices the stock has used up, for releaseSlots
	// to fill again: a new one for every batch released was 40 MB of a
	// 2 M report's allocations.
	empty chan []*T
	// arena, when set, takes the lines' text (Input.KeepText).
	arena *TextArena
}

// get returns a slot to parse the next line into.
func (st *slotStock[T]) get() *T {
	if len(st.slots) == 0 {
		if cap(st.slots) == slotGroup {
			select {
			case st.empty <- st.slots:
			default:
			}
		}
		if st.slots = st.free.pop(); st.slots == nil {
			st.slots = make([]*T, slotGroup)
			for i := range st.slots {
				st.slots[i] = new(T)
			}
		}
	}
	s := st.slots[len(st.slots)-1]
	st.slots = st.slots[:len(st.slots)-1]
	return s
}

// forgetUsed drops the stock's pointers to the slots it has handed out,
// which its group slice still holds past its length, so that those the
// consumer does not give back are left to the collector.
func (st *slotStock[T]) forgetUsed() {
	clear(st.slots[len(st.slots):cap(st.slots)])
}

// unget takes back a slot that made no record (an unparsed line).
func (st *slotStock[T]) unget(s *T) { st.slots = append(st.slots, s) }

func proxyStock(in *Input) slotStock[ProxySlot] {
	return slotStock[ProxySlot]{free: freeProxySlots, empty: emptyProxyGroups, arena: in.textArena()}
}

func appStock(in *Input) slotStock[AppSlot] {
	return slotStock[AppSlot]{free: freeAppSlots, empty: emptyAppGroups, arena: in.textArena()}
}

// textArena is a new arena for one reader's slots when in keeps text.
func (in *Input) textArena() *TextArena {
	if !in.keepText {
		return nil
	}
	return new(TextArena)
}

// parseSlotGuarded parses line into a slot from st with p, keeping in's
// counters as parseWith does, under a guard deferred by the caller: the
// line is noted on g while it is parsed and counted (see parseGuard). It
// returns nil for an unparsed line. With blocks (not nil), a line that
// lies in the current block is parsed there.
func (in *Input) parseSlotGuarded(p SlotParser, st *slotStock[ProxySlot], line []byte, samples *[]string, blocks *readBlocks, g *parseGuard) (Record, *ProxySlot) {
	s := st.get() // its Entry as the last line left it: see SlotParser
	text := borrowedText(&s.slotText, line, blocks)
	if text == "" {
		text = st.setText(&s.slotText, line)
	} else if s.own != nil {
		s.own = nil // a borrowing slot keeps no buffer (see borrowedText)
	}
	g.lines++
	g.parsing, g.line = true, text
	rec, err := p.ParseSlot(text, s)
	g.parsing = false
	if err != nil || rec == nil {
		g.flush(in) // the lines before it first: never more unparsed than lines
		in.count(rec, err, text, samples)
		st.unget(s)
		return nil, nil
	}
	if e, ok := rec.(*ProxyEntry); ok {
		g.parsedAt(e.Time)
	} else {
		g.parsedAt(rec.RecordTime())
	}
	if s.lender != nil {
		blocks.made++
	}
	return rec, s
}

// parseAppSlotGuarded is parseSlotGuarded for app lines. A continuation
// line (nil, nil) gives its slot back too: the parser has copied it onto
// its record's Raw.
func (in *Input) parseAppSlotGuarded(p AppSlotParser, st *slotStock[AppSlot], line []byte, blocks *readBlocks, g *parseGuard) (Record, *AppSlot) {
	s := st.get()
	text := borrowedText(&s.slotText, line, blocks)
	if text == "" {
		text = st.setText(&s.slotText, line)
	} else if s.own != nil {
		s.own = nil // a borrowing slot keeps no buffer (see borrowedText)
	}
	g.lines++
	g.parsing, g.line = true, text
	rec, err := p.ParseAppSlot(text, s)
	g.parsing = false
	if err != nil || rec == nil {
		g.flush(in)
		in.count(rec, err, text, nil)
		st.unget(s)
		return nil, nil
	}
	if e, ok := rec.(*AppEntry); ok {
		g.parsedAt(e.Time)
	} else {
		g.parsedAt(rec.RecordTime())
	}
	if s.lender != nil {
		blocks.made++
	}
	return rec, s
}

// parseGuard names the line a parser panicked on, as namePanic does, for
// a reader that defers one guard for all its lines (readDecoded) rather
// than one per line: the deferred call and its recover were about 40
// instructions per line. The reader notes each line on it before the
// parser runs and clears parsing once the parser has returned.
//
// It also holds the reader's counts of the lines it parsed into slots
// until flush adds them to the input's counters: an atomic add per line
// to lines and to parsed, and a compare-and-swap of lastLine for each
// newer time, were three locked instructions per line, each of which
// waits for the parser's stores before it to drain. The reader flushes
// before each batch it sends and when it stops reading, so the counters
// are as current as the records anyone has received.
type parseGuard struct {
	parsing bool   // a line is being parsed
	line    string // the line
	// lines and parsed count the lines not yet added to the input's
	// counters; newest is the newest record time among them (Unix
	// nanoseconds, 0: none).
	lines, parsed, newest int64
}

// name, deferred, re-raises a panic of a parser with the input and the
// line it panicked on. A panic while no line is being parsed is left
// alone, its stack as it was. Either way it flushes the counts first.
func (g *parseGuard) name(in *Input) {
	n := in.lines.Load() + g.lines // the line's number, as counted
	g.flush(in)
	if !g.parsing {
		return
	}
	if r := recover(); r != nil {
		line := g.line
		if i := strings.IndexByte(line, '\n'); i >= 0 {
			// The rest of a read, the line first (appLines).
			line = strings.TrimSuffix(line[:i], "\r")
		}
		panic(in.parserPanic(r, n, line))
	}
}

// parsedAt counts a line parsed into a record of time t (Input.count
// without its atomics; an unparsed line is counted on the input at once).
func (g *parseGuard) parsedAt(t time.Time) {
	g.parsed++
	if !t.IsZero() {
		if ns := t.UnixNano(); ns > g.newest {
			g.newest = ns
		}
	}
}

// parsedKey is parsedAt for a record whose time has key k (keyOf), which
// is the time's UnixNano: the decoder computes it for the merge, once for
// both. It returns k.
func (g *parseGuard) parsedKey(k mergeKey) mergeKey {
	g.parsed++
	if k != untimedKey && int64(k) > g.newest {
		g.newest = int64(k)
	}
	return k
}

// flush adds the counts held on g to in's counters.
func (g *parseGuard) flush(in *Input) {
	if g.lines != 0 {
		in.lines.Add(g.lines)
	}
	if g.parsed != 0 {
		in.parsed.Add(g.parsed)
	}
	if g.newest != 0 {
		in.noteNewest(g.newest)
	}
	g.lines, g.parsed, g.newest = 0, 0, 0
}

// borrowedText gives a slot its line where it was read: it borrows line
// for s when it lies in the current block of blocks (nil: no blocks), and
// returns "" when it does not (an empty line lies in no block); the caller
// then copies it (slotStock.setText: into the arena when the stock keeps
// text, as for a line carried over from the previous read). A plain
// function, not a method of the generic slotStock: that was not inlined,
// 40 instructions per line. Its inline cost is 79 of the 80 allowed, which
// is why its callers, not it, let a borrowing slot's own buffer go.
//
// Its callers let the own buffer of a slot whose text is borrowed go: a
// reader that borrows copies only the lines that span two reads (one in a
// few hundred), and a buffer kept by each of the thousands of slots in
// circulation was 1 MB of a report's live heap, a quarter of the room the
// memory limit leaves it to grow in between collections. (Done where the
// slot is used again, not on release: see releaseSlots.)
func borrowedText(s *slotText, line []byte, blocks *readBlocks) string {
	if blocks != nil && blocks.holds(line) {
		return s.borrow(line, blocks)
	}
	return ""
}

// releaseSlots puts the slots of b's records back for reuse, and counts
// the borrowed ones for the readers they were borrowed from (readBlocks).
//
// It reads the items only, never the slots: the engine reads a record's
// first lines, while the slot's text fields lie at its end, last written
// on the reader's core. Taking the lender from there and clearing the
// text (as a trim of each slot did) cost the releasing goroutine a cache
// miss per record, and the reader another when it used the slot again.
// The item carries the lender instead (decoder.send), and what trim let
// go is let go when the slot is used again: the text is overwritten, a
// borrowing slot drops its own buffer (see borrowedText), an overlong
// buffer is not reused (SetText). A free slot keeps its last line's
// block alive until then, as its entry's strings always did.
func releaseSlots(b []Item) {
	var proxy []*ProxySlot
	var app []*AppSlot
	var borrowed releaseCount
	for i := range b {
		// By index, not by value: a copy of each 48-byte item was a fifth
		// of the loop's instructions.
		if s := b[i].slot; s != nil {
			if proxy == nil {
				proxy = emptyGroup(emptyProxyGroups)
			}
			borrowed.add(b[i].lender)
			proxy = append(proxy, s)
		} else if s := b[i].appSlot; s != nil {
			if app == nil {
				app = emptyGroup(emptyAppGroups)
			}
			borrowed.add(b[i].lender)
			app = append(app, s)
		}
	}
	borrowed.flush()
	giveBack(freeProxySlots, proxy)
	giveBack(freeAppSlots, app)
}

// releaseCount counts released borrowed records per reader with one
// atomic add per run of records from the same reader.
type releaseCount struct {
	lender *readBlocks
	n      int64
}

// add counts a released record whose text was borrowed from lender (nil:
// not borrowed).
func (c *releaseCount) add(lender *readBlocks) {
	if lender == nil {
		return
	}
	if lender != c.lender {
		c.flush()
		c.lender = lender
	}
	c.n++
}

func (c *releaseCount) flush() {
	if c.n > 0 {
		c.lender.released.Add(c.n)
	}
	c.n = 0
}

// emptyGroup returns an empty group slice with room for a batch's slots.
func emptyGroup[T any](empty chan []*T) []*T {
	select {
	case g := <-empty:
		return g[:0]
	default:
		return make([]*T, 0, slotGroup)
	}
}

// giveBack offers a group of released slots to a free list; a full list
// leaves them to the collector.
func giveBack[T any](free *groupStack[T], group []*T) {
	if len(group) > 0 {
		free.push(group)
	}
}

// rebaser moves strings that lie within one text onto a copy of it.
type rebaser struct {
	old, new string
	base     uintptr
}

func newRebaser(old string) rebaser {
	return rebaser{old: old, new: strings.Clone(old), base: uintptr(unsafe.Pointer(unsafe.StringData(old)))}
}

// rebase returns s moved onto the copy when it lies in the old text, or s
// itself: a string the parser made elsewhere, which is never written again.
func (r rebaser) rebase(s string) string {
	if len(s) == 0 || len(r.old) == 0 {
		return s
	}
	off := uintptr(unsafe.Pointer(unsafe.StringData(s))) - r.base
	if off >= uintptr(len(r.old)) || off+uintptr(len(s)) > uintptr(len(r.old)) {
		return s
	}
	return r.new[off : off+uintptr(len(s))]
}

// Detach returns a copy of the item's record that shares no memory with
// its recycled slot (see ProxySlot), or the record itself when it has no
// slot. Whatever keeps a Recycled item's record after its batch is
// released must keep this copy.
func (it Item) Detach() Record {
	switch {
	case it.slot != nil:
		if e, ok := it.Rec.(*ProxyEntry); ok {
			return e.Detach()
		}
	case it.appSlot != nil:
		if e, ok := it.Rec.(*AppEntry); ok {
			return e.detachFrom(unsafe.String(unsafe.SliceData(it.appSlot.text), len(it.appSlot.text)))
		}
	}
	return it.Rec
}

// DetachFields is Detach for a caller that never reads a kept app line's
// text (a report of totals: classify's Config.Terse): an app entry's copy
// has no Raw, and its strings that lay in the line are copied together
// into one new string rather than the whole line (on the 2 M bench set,
// about 90 of an app line's 230 bytes). Other records are as Detach makes
// them.
func (it Item) DetachFields() Record {
	if it.appSlot != nil {
		if e, ok := it.Rec.(*AppEntry); ok {
			return e.detachFieldsFrom(unsafe.String(unsafe.SliceData(it.appSlot.text), len(it.appSlot.text)))
		}
	}
	return it.Detach()
}

// detachFieldsFrom is detachFrom for DetachFields.
func (e *AppEntry) detachFieldsFrom(text string) *AppEntry {
	c := new(AppEntry)
	*c = *e
	c.Raw = ""
	fields := [...]*string{&c.Level, &c.Message, &c.RequestID, &c.Method, &c.Path, &c.Service, &c.Instance}
	base := uintptr(unsafe.Pointer(unsafe.StringData(text)))
	in := func(s string) bool {
		off := uintptr(unsafe.Pointer(unsafe.StringData(s))) - base
		return len(s) > 0 && off < uintptr(len(text)) && off+uintptr(len(s)) <= uintptr(len(text))
	}
	n := 0
	for _, f := range fields {
		if in(*f) {
			n += len(*f)
		}
	}
	if n == 0 {
		return c
	}
	buf := make([]byte, 0, n)
	for _, f := range fields {
		if in(*f) {
			buf = append(buf, *f...)
		}
	}
	// One string for all of them; the fields are cut from it in order.
	all := unsafe.String(unsafe.SliceData(buf), len(buf))
	for _, f := range fields {
		if in(*f) {
			l := len(*f)
			*f, all = all[:l], all[l:]
		}
	}
	return c
}

// detachFrom returns a copy of e whose strings that lay in text (the
// slot's line) lie in a copy of it instead. Raw need not be text: a stack
// trace's lines make it a string of its own.
func (e *AppEntry) detachFrom(text string) *AppEntry {
	c := new(AppEntry)
	*c = *e
	r := newRebaser(text)
	for _, f := range []*string{&c.Level, &c.Message, &c.RequestID, &c.Method, &c.Path, &c.Service, &c.Instance, &c.Raw} {
		*f = r.rebase(*f)
	}
	return c
}

// Detach returns a copy of e that shares no memory with the line it was
// parsed from: its own copy of Raw (strings that lay in Raw are moved onto
// it) and its own lists. Strings a parser made elsewhere are shared: they
// are never written again. Whatever keeps a Recycled item's entry after
// its batch is released must keep this copy.
func (e *ProxyEntry) Detach() *ProxyEntry {
	return e.DetachInto(new(ProxyEntry), nil)
}

// DetachInto is Detach into c, an entry of the caller's that nothing else
// refers to any more, whose memory it reuses: the lists go into room when
// it has space for them. Only the struct and the lists are reused, never
// a text: Raw is a new copy as in Detach, so any string someone took from
// c's previous contents stays as it was.
func (e *ProxyEntry) DetachInto(c *ProxyEntry, room []string) *ProxyEntry {
	return e.detachOnto(c, room, newRebaser(e.Raw))
}

// DetachReusing is DetachInto with the copy of Raw in text, a buffer of
// the caller's, when it has room; it returns the buffer it used, for the
// next call. The copy's strings then change when the caller reuses the
// buffer, so this is only for a caller that knows nobody keeps any of them
// past its own use (a report's engine, whose 5xx nobody else sees:
// classify/keptentry.go), and one exception is made: Upstream is always a
// string of its own (as the reader's shared copy of the name already is,
// bar names too long for it), as a name serves as a map key for good.
func (e *ProxyEntry) DetachReusing(c *ProxyEntry, room []string, text []byte) (*ProxyEntry, []byte) {
	if cap(text) > maxSlotText {
		text = nil // an overlong line's buffer is not kept for the next
	}
	text = append(text[:0], e.Raw...)
	r := rebaser{old: e.Raw, base: uintptr(unsafe.Pointer(unsafe.StringData(e.Raw)))}
	if len(text) > 0 {
		// The copy is written only by the next call, which the caller
		// makes once nothing refers to this one (see above).
		r.new = unsafe.String(unsafe.SliceData(text), len(text))
	}
	e.detachOnto(c, room, r)
	if c.Upstream != "" && unsafe.StringData(c.Upstream) != unsafe.StringData(e.Upstream) { // it lay in Raw
		c.Upstream = strings.Clone(e.Upstream)
	}
	return c, text
}

// detachOnto is DetachInto with r moving the strings that lie in Raw.
func (e *ProxyEntry) detachOnto(c *ProxyEntry, room []string, r rebaser) *ProxyEntry {
	*c = *e
	// r.rebase called as a method, which the compiler inlines, not
	// through a method value (rebase := r.rebase), a call through a
	// closure for each of the entry's strings and list elements: about
	// 24 instructions each, 1,880 -> 1,300 a copy of
	// BenchmarkDetachReusing's entry (callgrind).
	for _, f := range []*string{&c.Client, &c.ClientPort, &c.Method, &c.Path, &c.Proto, &c.Host,
		&c.UserAgent, &c.RequestID, &c.Conn, &c.UpstreamStatusRaw, &c.UpstreamAddrRaw, &c.Upstream, &c.Flags, &c.Detail} {
		*f = r.rebase(*f)
	}
	c.Raw = r.new
	n := len(e.UpstreamAddr) + len(e.UpstreamStatus) + len(e.UpstreamConnect) + len(e.UpstreamHeader) + len(e.UpstreamResponse)
	lists := room[:0]
	if lists == nil || cap(lists) < n {
		lists = make([]string, 0, n)
	}
	for _, l := range []*[]string{&c.UpstreamAddr, &c.UpstreamStatus, &c.UpstreamConnect, &c.UpstreamHeader, &c.UpstreamResponse} {
		if *l == nil {
			continue
		}
		from := len(lists)
		for _, v := range *l {
			lists = append(lists, r.rebase(v))
		}
		*l = lists[from:len(lists):len(lists)]
	}
	return c
}
