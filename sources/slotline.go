package sources

import (
	"bytes"
	"context"
)

// proxyLines and appLines parse the ordinary whole lines of a read into
// slots, once the input's lines go into slots (slotP, appSlotP): a loop
// over the lines that does what the splitter's fast path, lineBytes,
// parseSlotGuarded, prepare and send (or holdInBatch) do for each, written
// out as one. One line at a time, as five calls with the line, the slot,
// the record and a seven-word item passed from one to the next and the
// decoder's fields loaded again in each, that was about 150 instructions a
// line more (callgrind, 200k bench set). Every other line (one that spans
// two reads, is empty, starts with a NUL byte, ends in "\r" or is too
// long) takes that way still, which stays the reference:
// TestSlotLinesAgree holds the loops to it on every line of the
// recordings and on fuzzed lines.

// ordinaryLine says whether a whole line (its newline cut) is one the
// splitter hands on as it is: not empty, no NUL byte first, no "\r" last,
// not longer than MaxLineBytes.
func ordinaryLine(line []byte) bool {
	n := len(line)
	return n > 0 && line[0] != 0 && line[n-1] != '\r' && n <= MaxLineBytes
}

// proxyLines parses the ordinary whole lines at the start of p into proxy
// slots (slotP), as the splitter and lineBytes would one at a time. It
// returns how many bytes it took: up to a line that is not ordinary, or
// the start of a line whose newline is not in p.
func (d *decoder) proxyLines(ctx context.Context, p []byte) (int, error) {
	st, g, blocks := &d.stock, &d.guard, &d.blocks
	borrow := blocks.holds(p) // then every line of p lies in the block
	n, at := 0, untimedKey    // at: the record's key for the merge (Item.at)
	for {
		i := bytes.IndexByte(p[n:], '\n')
		if i < 0 || !ordinaryLine(p[n:n+i]) {
			return n, nil
		}
		line := p[n : n+i]
		n += i + 1
		d.lineNo++
		var s *ProxySlot
		if k := len(st.slots); k > 0 { // get's common case: get is not inlined
			s = st.slots[k-1]
			st.slots = st.slots[:k-1]
		} else {
			s = st.get()
		}
		// s.Entry is not cleared: ParseSlot sets every field (SlotParser).
		var text string
		if borrow {
			text = s.borrow(line, blocks)
			if s.own != nil {
				s.own = nil // a borrowing slot keeps no buffer (see borrowedText)
			}
		} else {
			text = st.setText(&s.slotText, line)
		}
		g.lines++
		g.parsing, g.line = true, text
		rec, err := d.slotP.ParseSlot(text, s)
		g.parsing = false
		if err != nil || rec == nil {
			g.flush(d.in) // the lines before it first: never more unparsed than lines
			d.in.count(rec, err, text, nil)
			st.unget(s)
			continue
		}
		if e, ok := rec.(*ProxyEntry); ok {
			at = g.parsedKey(keyOf(e.Time))
			// prepare's work. IDKey's check written out: the profile
			// the build is tuned by (default.pgo) has IDKey inline
			// setIDKey, and IDKey is then too big to inline here.
			if e.IDHash == 0 && e.RequestID != "" {
				setIDKey(&e.RequestID, &e.IDHash)
			}
			if e.Upstream != "" {
				e.Upstream = d.names.intern(e.Upstream)
			}
		} else {
			at = g.parsedKey(keyOf(rec.RecordTime()))
			d.names.prepare(rec)
		}
		lender := s.lender
		if lender != nil {
			blocks.made++
		}
		// send's work, the item written field by field where it lies in
		// the batch: built and copied in, it went through the stack and,
		// while the collector marks, a typed copy of all seven words.
		if d.batch == nil {
			if err := d.startBatch(ctx); err != nil {
				return n, err
			}
		}
		k := len(d.batch)
		d.batch = d.batch[:k+1]
		it := &d.batch[k]
		it.Input, it.LineNo, it.Rec, it.slot, it.appSlot, it.lender, it.at = d.in, d.lineNo, rec, s, nil, lender, at.bits()
		d.heldInBatch = false // it is newer than a record held there
		if len(d.batch) == batchSize {
			if err := d.push(ctx); err != nil {
				return n, err
			}
		}
	}
}

// appLines is proxyLines for app slots (appSlotP), holding each record
// back at the end of the batch as holdInBatch does. With a parser that
// finds where a line ends as it parses it (appRestP) and the text
// borrowed from the block, the newline is not looked for first: the
// parser is given the rest of the read and says where the line ended,
// which spares bytes.IndexByte's 80-odd instructions for each line its
// fast path takes (a JSON app line of the bench set, about 240 bytes).
func (d *decoder) appLines(ctx context.Context, p []byte) (int, error) {
	st, g, blocks, shift := &d.appStock, &d.guard, &d.blocks, d.in.mergeShift
	borrow := blocks.holds(p)
	rp := d.appRestP
	if !borrow {
		rp = nil // a line copied into its slot is copied before it is parsed
	}
	n, at := 0, untimedKey
	for {
		var s *AppSlot
		if k := len(st.slots); k > 0 {
			s = st.slots[k-1]
			st.slots = st.slots[:k-1]
		} else {
			s = st.get()
		}
		var rec Record
		var err error
		var text string
		k := -1 // the line's length, when rp found it
		if rp != nil && n < len(p) {
			rest := blockText(p[n:])
			g.lines++
			g.parsing, g.line = true, rest // name cuts it at its newline
			rec, k, err = rp.ParseAppSlotRest(rest, s)
			g.parsing = false
			if k < 0 {
				g.lines-- // left to ParseAppSlot: counted there
			}
		}
		if k >= 0 {
			text = s.borrow(p[n:n+k], blocks)
			if s.own != nil {
				s.own = nil
			}
			if p[n+k] == '\r' {
				n++ // the "\r" of "\r\n", dropped
			}
			n += k + 1
			d.lineNo++
		} else {
			i := bytes.IndexByte(p[n:], '\n')
			if i < 0 || !ordinaryLine(p[n:n+i]) {
				st.unget(s)
				return n, nil
			}
			line := p[n : n+i]
			n += i + 1
			d.lineNo++
			if borrow {
				text = s.borrow(line, blocks)
				if s.own != nil {
					s.own = nil
				}
			} else {
				text = st.setText(&s.slotText, line)
			}
			g.lines++
			g.parsing, g.line = true, text
			rec, err = d.appSlotP.ParseAppSlot(text, s)
			g.parsing = false
		}
		if err != nil || rec == nil {
			// A continuation line (nil, nil) gives its slot back too: the
			// parser has copied it onto its record's Raw.
			g.flush(d.in)
			d.in.count(rec, err, text, nil)
			st.unget(s)
			continue
		}
		if e, ok := rec.(*AppEntry); ok {
			at = appKey(g.parsedKey(keyOf(e.Time)), shift)
			if e.IDHash == 0 && e.RequestID != "" { // prepare's work (see proxyLines)
				setIDKey(&e.RequestID, &e.IDHash)
			}
		} else {
			at = g.parsedKey(keyOf(rec.RecordTime()))
			d.names.prepare(rec)
		}
		lender := s.lender
		if lender != nil {
			blocks.made++
		}
		if d.hasLast || d.batch == nil || len(d.batch) == batchSize {
			it := Item{Input: d.in, LineNo: d.lineNo, Rec: rec, appSlot: s, lender: lender, at: at.bits()}
			if err := d.holdInBatch(ctx, it); err != nil {
				return n, err
			}
			continue
		}
		// holdInBatch's common case, the item written in place (see
		// proxyLines).
		b := len(d.batch)
		d.batch = d.batch[:b+1]
		it := &d.batch[b]
		it.Input, it.LineNo, it.Rec, it.slot, it.appSlot, it.lender, it.at = d.in, d.lineNo, rec, nil, s, lender, at.bits()
		d.heldInBatch = true
	}
}
