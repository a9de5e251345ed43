package classify

import "fivexx/sources"

// A replay's reader lends the engine its blocks (sources.Lender): a
// timeline-only line's text stays where it was read, and the reader reads
// into a block again only once the engine has let go of every line it
// lends (textLender.letGo), instead of the engine copying the text into its
// ring. The copies were 1 GB of memmove per replay of the 2 M bench set,
// for lines that, 94% of them, no timeline ever shows. On that set,
// BenchmarkReplayMax: 14.89 G -> 14.49 G instructions (cachegrind, one
// run; memmove 332 M -> 82 M, though a lent line's text is a pointer in
// heldLine.raw, which the collector marks), 1.68 s -> 1.49 s a run and
// 11.9 -> 10.3 CPU-s a process of 4 runs (medians of 5 alternated runs on
// a busy machine, 5 of 5 pairs faster); peak RSS about the same (blocks
// for two minutes of lines instead of ring chunks for them: 188 against
// 199 MB, mostly timelines).
//
// The engine numbers a lender's records as the reader does (made, in the
// order it reads them), by counting every record of the lender that the
// player hands it (AddLent, and PassLent for those it skips): the number
// of a lent line is its place in that count, and letting go of a line
// lets go of every record of the lender before it, since the held lines
// are evicted in the order they came.

// lentLine marks the ringText of a lent line (ringText.off, which is
// otherwise an offset in a chunk, below ringChunk); the rest of off is the
// lender's index in textStore.lenders, and chunk is the line's number
// among the lender's records.
const lentLine = 1 << 31

// letGoStep is how many of a lender's records are let go between two
// calls of LetGo: an atomic store per line evicted was for nothing, as a
// block holds a few hundred lines.
const letGoStep = 64

// textLender is a lender and the engine's count of its records.
type textLender struct {
	l *sources.Lender
	// seen counts the lender's records handed to the engine: the next
	// one's number.
	seen int64
	// told is what the lender was last told (LetGo).
	told   int64
	pinned bool
}

// lenderOf is the index in s.lenders of the engine's count of l's
// records, added if new. Items come in runs from one input: the last
// lender found is looked at first.
func (s *textStore) lenderOf(l *sources.Lender) int {
	if i := s.lastLender; i < len(s.lenders) && s.lenders[i].l == l {
		return i
	}
	for i := range s.lenders {
		if s.lenders[i].l == l {
			s.lastLender = i
			return i
		}
	}
	s.lenders = append(s.lenders, textLender{l: l})
	s.lastLender = len(s.lenders) - 1
	return s.lastLender
}

// lend is where the line being added, lent by s.lenders[s.lending-1],
// lies: its number (the held line's text is the lender's own).
func (s *textStore) lend() ringText {
	i := s.lending - 1
	if t := &s.lenders[i]; !t.pinned {
		// Before the record is released: see sources.Lender.Pin.
		t.l.Pin()
		t.pinned = true
	}
	return ringText{chunk: uint64(s.lentSeq), off: lentLine | uint32(i)}
}

// letGo tells the lender that its first n records are let go: the line
// numbered n-1, and every one before it, has left the held lines
// (textStore.pastOldest, once n is letGoStep past what it last told).
func (t *textLender) letGo(n int64) {
	t.l.LetGo(n)
	t.told = n
}

// AddLent is AddItem for a replay whose reader lends its blocks: a
// timeline-only line's text is kept where it was read, in the block of its
// item's lender (sources.Item.Lender), not copied. Every item of such a
// reader must be handed to the engine in the order read, by AddLent, or
// by PassLent when it is not added.
func (e *Engine) AddLent(it *sources.Item) {
	l := it.Lender()
	if l == nil || !e.holding {
		// AddItem, written out: through it, a copy of the item (see
		// AddItem) per line of a replay whose timelines are made later.
		if p, ok := it.Rec.(*sources.ProxyEntry); ok && p.Status >= 500 && p.Status <= 599 {
			e.add(it.Input, e.keep5xx(it, p), nil)
			return
		}
		e.add(it.Input, it.Rec, it)
		return
	}
	t := &e.corr.text
	i := t.lenderOf(l)
	seq := t.lenders[i].seen
	t.lenders[i].seen++
	// AddItem, written out (as Feed does): through it, a call and a copy
	// of the item more per line.
	if p, ok := it.Rec.(*sources.ProxyEntry); ok && p.Status >= 500 && p.Status <= 599 {
		e.add(it.Input, e.keep5xx(it, p), nil) // a 5xx is kept as its copy: nothing lent
		return
	}
	t.lending, t.lentSeq = i+1, seq
	e.add(it.Input, it.Rec, it)
	t.lending = 0
}

// AddLentRun is AddLent for each item of run, in order: at full speed the
// player hands the engine its items in runs (Player.playFast), and an
// engine whose timelines are made later, which lends nothing, takes a run
// as a report's FeedRun does. A call of AddLent per item, and the
// player's loop around it, were 20 instructions a line beyond a report's
// (callgrind, BenchmarkReplayMax on a 200 k-line set).
func (e *Engine) AddLentRun(run []sources.Item) {
	if e.holding {
		for i := range run {
			e.AddLent(&run[i])
		}
		return
	}
	for i := range run {
		it := &run[i]
		if p, ok := it.Rec.(*sources.ProxyEntry); ok && p.Status >= 500 && p.Status <= 599 {
			e.add(it.Input, e.keep5xx(it, p), nil)
		} else {
			e.add(it.Input, it.Rec, it)
		}
	}
}

// PassLent counts an item of a lending reader that is not added (see
// AddLent).
func (e *Engine) PassLent(it *sources.Item) {
	if l := it.Lender(); l != nil && e.holding {
		t := &e.corr.text
		t.lenders[t.lenderOf(l)].seen++
	}
}
