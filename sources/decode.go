package sources

import (
	"context"
	"errors"
	"strings"
)

// decoder turns an input's raw lines into items: it holds the first lines
// back until the format is known, then parses every line.
type decoder struct {
	in  *Input
	out chan<- Item
	// batches, when set, replaces out: records go out in slices of up to
	// batchSize, so a reader that runs to the end pays one channel send per
	// batch instead of one per line.
	batches chan<- []Item
	batch   []Item
	held    []string
	lineNo  int64
	failed  bool // detection failed: every line counts as unparsed
	// known and role are cached once the format is known, so the per-line
	// path takes no lock.
	known bool
	role  Role
	// plainOnly: the format is known and its lines may not be parsed in
	// parallel; canReadParallel need not ask again on every read.
	plainOnly bool
	// last holds an app record back until the next record (or a flush):
	// app parsers append stack-trace continuation lines to the previous
	// record, which must not have reached the engine yet.
	// (A value and a flag rather than a pointer: a pointer to each app
	// line's Item cost one heap allocation per line.)
	last    Item
	hasLast bool
	// slotP (proxy) or appSlotP (app) is the parser once the format is
	// known and its lines may be parsed into recycled slots (slotsDecided).
	slotsDecided bool
	slotP        SlotParser
	appSlotP     AppSlotParser
	stock        slotStock[ProxySlot]
	appStock     slotStock[AppSlot]
	names        nameCache
	// borrow: slots borrow their lines' text from blocks, read into by
	// readDecoded (see readBlocks): blocks reused once their records are
	// released, or with KeepText never reused. Decided with the slots.
	borrow bool
	blocks readBlocks
}

func newDecoder(in *Input, out chan<- Item) *decoder {
	d := &decoder{in: in, out: out, stock: proxyStock(in), appStock: appStock(in)}
	if f := in.Format(); f.Name != "" && in.parser == nil {
		if err := in.SetFormat(f, "forced with --format"); err != nil {
			in.SetState(err.Error())
			d.failed = true
		}
	}
	return d
}

// ready reports whether the format is known.
func (d *decoder) ready() bool {
	if d.known {
		return true
	}
	d.in.mu.Lock()
	d.known = d.in.parser != nil
	d.in.mu.Unlock()
	if d.known {
		d.role = d.in.Role()
	}
	return d.known
}

// lineFunc is the lineFunc that feeds d: cut lines counted, then lineBytes.
func (d *decoder) lineFunc(ctx context.Context) lineFunc {
	return countCut(d.in, func(line []byte) error { return d.lineBytes(ctx, line) })
}

// lineBytes takes one raw line as read (only valid during the call).
func (d *decoder) lineBytes(ctx context.Context, line []byte) error {
	if !d.slotsDecided {
		d.decideSlots()
	}
	switch {
	case d.slotP != nil:
		d.lineNo++
		rec, slot := d.in.parseSlot(d.slotP, &d.stock, line, nil, &d.blocks)
		if rec == nil {
			return nil
		}
		d.names.prepare(rec)
		return d.send(ctx, Item{Input: d.in, LineNo: d.lineNo, Rec: rec, slot: slot})
	case d.appSlotP != nil:
		d.lineNo++
		rec, slot := d.in.parseAppSlot(d.appSlotP, &d.appStock, line, &d.blocks)
		if rec == nil {
			return nil
		}
		d.names.prepare(rec)
		return d.holdApp(ctx, Item{Input: d.in, LineNo: d.lineNo, Rec: rec, appSlot: slot})
	}
	return d.line(ctx, string(line))
}

// decideSlots sets slotP or appSlotP when the input's lines go into
// recycled slots: read in batches (whose consumer releases them), by a
// parser that can. Decided once the format is known.
func (d *decoder) decideSlots() {
	if d.failed || !d.ready() || len(d.held) > 0 {
		return
	}
	d.slotsDecided = true
	if d.batches == nil || d.in.keep {
		return
	}
	d.in.mu.Lock()
	defer d.in.mu.Unlock()
	switch d.role {
	case RoleProxy:
		d.slotP, _ = d.in.parser.(SlotParser)
	case RoleApp:
		d.appSlotP, _ = d.in.parser.(AppSlotParser)
	}
	d.borrow = (d.in.borrowText || d.in.keepText) && (d.slotP != nil || d.appSlotP != nil)
	d.blocks.keep = d.in.keepText
}

// readBuffer returns the buffer to read into next: buf, or a block when
// slots borrow their text (the block being parsed is then done with).
func (d *decoder) readBuffer(buf []byte) []byte {
	if !d.borrow {
		return buf
	}
	return d.blocks.next()
}

// line takes one raw line. It returns ctx.Err() when the consumer is gone.
func (d *decoder) line(ctx context.Context, text string) error {
	if d.failed {
		d.lineNo++
		d.in.lines.Add(1)
		d.in.unparsed.Add(1)
		d.in.mu.Lock()
		if len(d.in.samples) < maxSamples {
			d.in.samples = append(d.in.samples, strings.Clone(cut(text, 300)))
		}
		d.in.mu.Unlock()
		return nil
	}
	if !d.ready() {
		d.held = append(d.held, text)
		nonEmpty := 0
		for _, l := range d.held {
			if strings.TrimSpace(l) != "" {
				nonEmpty++
			}
		}
		if nonEmpty < detectLines {
			return nil
		}
		return d.flush(ctx)
	}
	return d.emit(ctx, text)
}

// flush decides the format from what is held (at EOF, or when the first
// lines trickle in slowly) and parses the held lines.
func (d *decoder) flush(ctx context.Context) error {
	if len(d.held) == 0 || d.ready() || d.failed {
		return d.release(ctx)
	}
	f, how, err := Resolve(d.in.Spec, d.held)
	if err == nil {
		err = d.in.SetFormat(f, how)
	}
	held := d.held
	d.held = nil
	if err != nil {
		if errors.Is(err, ErrUnknownFormat) {
			d.in.SetState("format not recognised: force one with --format NAME")
		} else {
			d.in.SetState(err.Error())
		}
		d.failed = true
	}
	for _, l := range held {
		if err := d.line(ctx, l); err != nil {
			return err
		}
	}
	return d.release(ctx)
}

func (d *decoder) emit(ctx context.Context, text string) error {
	d.lineNo++
	rec := d.in.parse(text)
	if rec == nil {
		return nil
	}
	d.names.prepare(rec) // here, not in send: the parallel reader's workers do their own
	it := Item{Input: d.in, LineNo: d.lineNo, Rec: rec}
	if d.role != RoleApp {
		return d.send(ctx, it)
	}
	return d.holdApp(ctx, it)
}

// holdApp sends the app record held back so far and holds back it (see
// decoder.last).
func (d *decoder) holdApp(ctx context.Context, it Item) error {
	prev, had := d.last, d.hasLast
	d.last, d.hasLast = it, true
	if had {
		return d.send(ctx, prev)
	}
	return nil
}

// release sends the held-back app record, if any (end of input, or the
// input has been quiet for a moment), and the batch so far.
func (d *decoder) release(ctx context.Context) error {
	if d.hasLast {
		it := d.last
		d.last, d.hasLast = Item{}, false
		if err := d.send(ctx, it); err != nil {
			return err
		}
	}
	return d.push(ctx)
}

// batchSize is how many records a batch carries: large enough that the
// channel costs nothing per line, small enough to stay in cache and to keep
// few records in flight: about 16 batches are between the readers and the
// engine at any time, and at 512 records they were 5 MB of a report's
// 17 MB live heap (peak RSS 54-57 MB at 512, 43-44 MB at 128 on the 2 M
// bench set, with no more CPU).
const batchSize = 128

func (d *decoder) send(ctx context.Context, it Item) error {
	if d.batches != nil {
		if d.batch == nil {
			d.batch = newBatch()
		}
		d.batch = append(d.batch, it)
		if len(d.batch) == batchSize {
			return d.push(ctx)
		}
		return nil
	}
	select {
	case d.out <- it:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// push sends the batch so far (batch mode only).
func (d *decoder) push(ctx context.Context) error {
	if len(d.batch) == 0 {
		return nil
	}
	select {
	case d.batches <- d.batch:
		d.batch = nil
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
