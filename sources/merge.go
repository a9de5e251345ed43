package sources

import (
	"context"
	"runtime"
	"time"
)

// Merge reads every input to its end concurrently and sends their records
// on out merged by log time, so the correlator sees them in the order they
// happened. It is MergeBatches one record at a time; it closes out when every
// input has ended and returns the first read error per input in errs
// (indexed like inputs).
func Merge(ctx context.Context, inputs []*Input, out chan<- Item) (errs []error) {
	defer close(out)
	batches := make(chan []Item, 4)
	done := make(chan []error, 1)
	go func() { done <- MergeBatches(ctx, inputs, batches) }()
	for b := range batches {
		for _, it := range b {
			select {
			case out <- it:
			case <-ctx.Done():
				for range batches {
				}
				return <-done
			}
		}
		recycleBatch(b) // its records are the receiver's now, for as long as it likes
	}
	return <-done
}

// MergeBatches reads every input to its end concurrently and sends their
// records on out in batches, merged by log time. Each input is read by its
// own goroutine up to mergeAhead batches ahead; the merge always takes the
// oldest head.
// Records without a time go out at once. It closes out when every input has
// ended, and returns the first read error per input in errs (indexed like
// inputs).
func MergeBatches(ctx context.Context, inputs []*Input, out chan<- []Item) (errs []error) {
	defer close(out)
	m := merger{ctx: ctx, out: out}
	return m.run(inputs)
}

// MergeEach is MergeBatches that hands each record to each, on the
// caller's goroutine, rather than sending batches to another one. A report
// drives the engine this way: one goroutine fewer between the readers and
// the engine, whose merge goroutine waited for a core for a third of a
// report's run (go tool trace) while the engine waited for it.
//
// A record is each's only during the call: its memory may be recycled
// right after (see ProxySlot), so whatever each keeps must be the item's
// Detach copy, as Engine.AddItem keeps.
func MergeEach(ctx context.Context, inputs []*Input, each func(Item)) (errs []error) {
	m := merger{ctx: ctx, each: each}
	return m.run(inputs)
}

// run merges inputs to their end (see MergeBatches).
func (m *merger) run(inputs []*Input) (errs []error) {
	ctx := m.ctx
	errs = make([]error, len(inputs))
	heads := make([]*mergeHead, len(inputs))
	for _, in := range inputs {
		in.cores = max(1, runtime.GOMAXPROCS(0)/len(inputs))
		// each's batches are released as the merge moves past them, in
		// the order each input's reader sent them: they may borrow.
		in.borrowText = m.each != nil
	}
	for i, in := range inputs {
		ch := make(chan []Item, mergeAhead)
		heads[i] = &mergeHead{src: i, ch: ch}
		go func(i int, in *Input) {
			defer close(ch)
			errs[i] = ReadBatches(ctx, in, ch)
		}(i, in)
	}
	var live []*mergeHead
	for _, h := range heads {
		if m.advance(h) {
			live = append(live, h)
		}
	}
	// With a handful of inputs a linear scan for the oldest head beats a
	// heap; the common case, one input far behind the others, takes runs of
	// records from the same head.
	for len(live) > 0 && ctx.Err() == nil {
		oldest := 0
		for i := 1; i < len(live); i++ {
			if live[i].before(live[oldest]) {
				oldest = i
			}
		}
		h := live[oldest]
		// Take records from h while they are not newer than every other head.
		limit, bounded := time.Time{}, false
		for i, o := range live {
			if i != oldest && (!bounded || o.t.Before(limit)) {
				limit, bounded = o.t, true
			}
		}
		for {
			m.emit(h.cur[h.pos])
			h.pos++
			if !m.advance(h) {
				live = append(live[:oldest], live[oldest+1:]...)
				break
			}
			if bounded && (h.t.After(limit) || (h.t.Equal(limit) && !h.firstAmongEqual(live, oldest))) {
				break
			}
		}
	}
	if ctx.Err() == nil {
		m.flush()
	}
	for _, h := range heads {
		if h.cur != nil {
			m.done(h.cur)
		}
		if h.after != nil {
			m.done(h.after)
		}
		for b := range h.ch {
			m.done(b)
		}
	}
	return errs
}

// mergeAhead is how many batches an input's reader may be ahead of the
// merge. The merge takes the oldest head, so when it waits for one input
// the others' readers go on only as far as this: with 4, a report of the
// access, error and app logs kept its 2 cores 1.6 busy on average (go tool
// trace); 6 took 5% less wall time (1.29 s against 1.39 s, medians of 9
// alternated runs) for about 1 MB more live heap; 16 was slower (1.44 s)
// and peaked at 41 MB RSS.
const mergeAhead = 6

// mergeHead is one input's position in the merge: its current batch, the
// record at pos and the time it is merged at.
type mergeHead struct {
	src int
	ch  <-chan []Item
	cur []Item
	pos int
	t   time.Time // the merge's time for the record at pos (see mergeJump)
	// after is the input's batch after cur, taken from ch early when the
	// record at pos is the last timed one of cur: how it is merged depends
	// on the record after it.
	after []Item
	// next is the time of the next timed record after pos, skip the
	// untimed records before it; known says they were found (by lookAhead).
	next  time.Time
	skip  int
	known bool
}

// mergeJump is how far a record's time may lie ahead of the record after
// it in the same input and still be merged by its time. A record further
// ahead (a host's clock set to 2099, a corrupt or forged line: log lines
// are anyone's) is merged at the time of the record after it, that is in
// file order: merged by its time, it held back every later line of its
// input until the other inputs had reached 2099, that is to their end, and
// their 5xx were judged without those lines.
//
// The record after it decides, not the one before: error logs are sparse,
// and a line an hour after the one before it is the normal case there.
// Judged by the line before, nearly every error line went out early,
// pinned the engine's eviction, ended replays at --to and cut timelines.
// A log that leaps forward for real moves on from the leap, so its lines
// are merged by time as before. The last record of an input has nothing
// after it and is merged by its time: nothing is left to hold back. A line
// far in the past (1970) needs no rule: it is the oldest head at once and
// goes out right after the line before it, which is file order.
const mergeJump = time.Minute

func (h *mergeHead) before(o *mergeHead) bool {
	if !h.t.Equal(o.t) {
		return h.t.Before(o.t)
	}
	return h.src < o.src
}

// firstAmongEqual reports whether h (at index self in live) goes before every
// other head that has the same time: ties go to the earlier input.
func (h *mergeHead) firstAmongEqual(live []*mergeHead, self int) bool {
	for i, o := range live {
		if i != self && o.t.Equal(h.t) && o.src < h.src {
			return false
		}
	}
	return true
}

type merger struct {
	ctx   context.Context
	out   chan<- []Item // MergeBatches
	batch []Item
	each  func(Item) // MergeEach, instead of out
}

// done takes back an input's batch once the merge has moved past it: its
// records went on in batches of the merge's own (MergeBatches), or were
// handed to each and are done with (MergeEach).
func (m *merger) done(b []Item) {
	if m.each != nil {
		ReleaseBatch(b)
	} else {
		recycleBatch(b)
	}
}

// advance moves h to its next timed record, sending untimed records on at
// once, and sets the time it is merged at. It reports false when the input
// has ended.
func (m *merger) advance(h *mergeHead) bool {
	var t time.Time
	if h.known {
		// lookAhead found it: send the untimed records before it.
		for ; h.skip > 0; h.skip-- {
			if h.pos == len(h.cur) {
				m.nextBatch(h)
			}
			m.emit(h.cur[h.pos])
			h.pos++
		}
		if h.pos == len(h.cur) {
			m.nextBatch(h)
		}
		t = h.next
	} else {
		for {
			for h.pos < len(h.cur) && t.IsZero() {
				if t = h.cur[h.pos].Rec.RecordTime(); t.IsZero() {
					m.emit(h.cur[h.pos])
					h.pos++
				}
			}
			if !t.IsZero() {
				break
			}
			if !m.nextBatch(h) {
				return false
			}
		}
	}
	h.lookAhead()
	if h.known && h.next.Before(t.Add(-mergeJump)) {
		h.t = h.next // see mergeJump
	} else {
		h.t = t
	}
	return true
}

// nextBatch makes the input's next batch h's current one, handing back the
// one it is done with. It reports false when the input has ended.
func (m *merger) nextBatch(h *mergeHead) bool {
	if h.cur != nil {
		m.done(h.cur)
	}
	b, ok := h.after, h.after != nil
	h.after = nil
	if !ok {
		b, ok = <-h.ch
	}
	h.cur, h.pos = b, 0
	return ok
}

// lookAhead finds the time of the next timed record after pos, in cur or
// else in the batch after it, which it takes from ch (a report or a replay
// reads files: it comes, or the input ends). Untimed records fill a whole
// batch only in odd logs; the record is then merged by its time.
func (h *mergeHead) lookAhead() {
	h.known, h.skip = false, 0
	for i := h.pos + 1; i < len(h.cur); i++ {
		if t := h.cur[i].Rec.RecordTime(); !t.IsZero() {
			h.next, h.skip, h.known = t, i-h.pos-1, true
			return
		}
	}
	if h.after == nil {
		b, ok := <-h.ch
		if !ok {
			return
		}
		h.after = b
	}
	for i := range h.after {
		if t := h.after[i].Rec.RecordTime(); !t.IsZero() {
			h.next, h.skip, h.known = t, len(h.cur)-h.pos-1+i, true
			return
		}
	}
}

func (m *merger) emit(it Item) {
	if m.each != nil {
		m.each(it)
		return
	}
	if m.batch == nil {
		m.batch = newBatch()
	}
	m.batch = append(m.batch, it)
	if len(m.batch) == batchSize {
		m.flush()
	}
}

func (m *merger) flush() {
	if len(m.batch) == 0 {
		return
	}
	select {
	case m.out <- m.batch:
	case <-m.ctx.Done():
	}
	m.batch = nil
}
