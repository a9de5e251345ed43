package applog

import "fivexx/sources"

// entryPool hands a parser fresh entries to fill in place. An entry handed
// out for a line that turned out not to be a record is handed out again,
// cleared, so a parser allocates only for the records it returns.
//
// Entries are allocated one by one, not in slabs: a slab stays alive while
// any of its entries is held, with the lines all its entries point into,
// and the correlator holds app entries sparsely (it lets answered ones go
// early), so slabs would multiply what its line cap bounds. They measured
// 6–8% faster on the benchmarks, whose heap is tiny.
//
// When into is set (ParseAppSlot), the entry is the slot's instead: the
// reader recycles it, so nothing is allocated at all.
type entryPool struct {
	spare *sources.AppEntry // handed out by next and not kept
	into  *sources.AppEntry // the slot's entry, while a line is parsed into one
}

// next returns a zero entry; keep must follow if it is returned to the caller.
func (p *entryPool) next() *sources.AppEntry {
	if p.into != nil {
		*p.into = sources.AppEntry{}
		return p.into
	}
	if p.spare == nil {
		p.spare = new(sources.AppEntry)
	} else {
		*p.spare = sources.AppEntry{}
	}
	return p.spare
}

// keep takes the entry last returned by next out of the pool.
func (p *entryPool) keep() {
	if p.into == nil {
		p.spare = nil
	}
}

// slot makes the entries next hands out, until done, slot s's.
func (p *entryPool) slot(s *sources.AppSlot) { p.into = &s.Entry }

// done ends slot.
func (p *entryPool) done() { p.into = nil }
