package sources

import (
	"strings"
	"unsafe"
)

// A report reads millions of proxy lines, and nearly all of them are 2xx
// that the engine counts and lets go. Giving each its own line string and
// entry was two thirds of everything a report allocated (1.6 of 2.35 GB on
// the 2 M bench set) and so most of the collector's work. Instead, proxy
// lines of a format whose parser is a SlotParser are parsed into
// ProxySlots, which come back for reuse when the consumer hands their
// batch back with ReleaseBatch.
//
// The rule that makes this safe: the record of a Recycled item is the
// consumer's only until it releases the batch. Whatever keeps such a
// *ProxyEntry longer (the engine's pending 5xx, timelines) keeps
// e.Detach() instead, a copy that shares no memory with the slot. Readers
// that never call ReleaseBatch (Merge) never recycle: their slots are left
// to the collector like any other record.
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
	text  []byte
}

// SlotParser is a Parser that can parse a line into a ProxySlot.
type SlotParser interface {
	Parser
	// ParseSlot is Parse for a line whose text lies in s, filling s.Entry
	// (and s.Lists) rather than allocating. It returns &s.Entry, or nil and
	// an error as Parse does. The parser must not keep any part of line
	// after it returns: the slot's text is overwritten by a later line.
	ParseSlot(line string, s *ProxySlot) (Record, error)
}

// slotGroup is how many slots move between readers and the free list at a
// time; a batch's worth.
const slotGroup = batchSize

// freeSlots holds released slots in groups. Its size bounds the slots kept
// for reuse: 16 groups of 128 slots of about 1 KiB each.
var freeSlots = make(chan []*ProxySlot, 16)

// maxSlotText is the longest line text a slot keeps between uses: the
// buffer of a longer line is let go with its record.
const maxSlotText = 8 << 10

// slotStock is one reader's slots at hand.
type slotStock struct{ slots []*ProxySlot }

// get returns a slot to parse the next line into.
func (st *slotStock) get() *ProxySlot {
	if len(st.slots) == 0 {
		select {
		case st.slots = <-freeSlots:
		default:
			st.slots = make([]*ProxySlot, slotGroup)
			for i := range st.slots {
				st.slots[i] = new(ProxySlot)
			}
		}
	}
	s := st.slots[len(st.slots)-1]
	st.slots = st.slots[:len(st.slots)-1]
	return s
}

// unget takes back a slot that made no record (an unparsed line).
func (st *slotStock) unget(s *ProxySlot) { st.slots = append(st.slots, s) }

// SetText copies line into the slot and returns it as a string that lives
// as long as the slot's current use: the text to give ParseSlot.
func (s *ProxySlot) SetText(line []byte) string {
	s.text = append(s.text[:0], line...)
	if len(s.text) == 0 {
		return ""
	}
	return unsafe.String(unsafe.SliceData(s.text), len(s.text))
}

// parseSlot parses line into a slot from st with p, keeping in's counters
// as parseWith does. It returns nil for an unparsed line.
func (in *Input) parseSlot(p SlotParser, st *slotStock, line []byte, samples *[]string) (Record, *ProxySlot) {
	s := st.get()
	s.Entry = ProxyEntry{}
	text := s.SetText(line)
	n := in.lines.Add(1)
	defer in.namePanic(n, text)
	rec, err := p.ParseSlot(text, s)
	if rec = in.count(rec, err, text, samples); rec == nil {
		st.unget(s)
		return nil, nil
	}
	return rec, s
}

// releaseSlots puts the slots of b's records back for reuse.
func releaseSlots(b []Item) {
	var group []*ProxySlot
	for _, it := range b {
		s := it.slot
		if s == nil {
			continue
		}
		if group == nil {
			group = make([]*ProxySlot, 0, len(b))
		}
		if cap(s.text) > maxSlotText {
			s.text = nil
		}
		group = append(group, s)
	}
	if len(group) == 0 {
		return
	}
	select {
	case freeSlots <- group:
	default:
	}
}

// Detach returns a copy of e that shares no memory with the line it was
// parsed from: its own copy of Raw (strings that lay in Raw are moved onto
// it) and its own lists. Strings a parser made elsewhere are shared: they
// are never written again. Whatever keeps a Recycled item's entry after
// its batch is released must keep this copy.
func (e *ProxyEntry) Detach() *ProxyEntry {
	c := new(ProxyEntry)
	*c = *e
	old := e.Raw
	raw := strings.Clone(old)
	base := uintptr(unsafe.Pointer(unsafe.StringData(old)))
	rebase := func(s string) string {
		if len(s) == 0 || len(old) == 0 {
			return s
		}
		off := uintptr(unsafe.Pointer(unsafe.StringData(s))) - base
		if off >= uintptr(len(old)) || off+uintptr(len(s)) > uintptr(len(old)) {
			return s // not in the line: the parser made it, and it is never written again
		}
		return raw[off : off+uintptr(len(s))]
	}
	for _, f := range []*string{&c.Client, &c.ClientPort, &c.Method, &c.Path, &c.Proto, &c.Host,
		&c.UserAgent, &c.RequestID, &c.Conn, &c.UpstreamStatusRaw, &c.Upstream, &c.Flags, &c.Detail} {
		*f = rebase(*f)
	}
	c.Raw = raw
	n := len(e.UpstreamAddr) + len(e.UpstreamStatus) + len(e.UpstreamConnect) + len(e.UpstreamHeader) + len(e.UpstreamResponse)
	lists := make([]string, 0, n)
	for _, l := range []*[]string{&c.UpstreamAddr, &c.UpstreamStatus, &c.UpstreamConnect, &c.UpstreamHeader, &c.UpstreamResponse} {
		if *l == nil {
			continue
		}
		from := len(lists)
		for _, v := range *l {
			lists = append(lists, rebase(v))
		}
		*l = lists[from:len(lists):len(lists)]
	}
	return c
}
