package sources

import (
	"context"
	"math"
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
	return MergeRuns(ctx, inputs, func(run []Item) {
		for i := range run {
			each(run[i])
		}
	})
}

// MergeRuns is MergeEach that hands the records over in runs: each gets
// consecutive records of one input's batch that go out in that order, as
// many as the merge takes from that input before another one's head is
// older. A report drives the engine this way (Engine.FeedRun): a call per
// record through a func value, with the seven-word item copied into it,
// was about 65 instructions of each record's 650 on the engine's goroutine
// (cachegrind), where runs are tens to hundreds of records long.
//
// The run, like the records in it, is each's only during the call: the
// batch it lies in is released right after (see MergeEach).
func MergeRuns(ctx context.Context, inputs []*Input, each func([]Item)) (errs []error) {
	m := merger{ctx: ctx, runs: each}
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
		// the order each input's reader sent them: they may borrow (as
		// may those of a consumer that says so: ReleasesInOrder).
		if m.runs != nil {
			in.borrowText = true
		}
	}
	for i, in := range inputs {
		ch := make(chan []Item, mergeAhead)
		heads[i] = &mergeHead{src: i, ch: ch, shift: in.mergeShift}
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
		// Take records from h while they are not newer than every other
		// head: older than limit, the oldest other head's time, or at it
		// when h goes first among equal times (ties go to the earlier
		// input). The other heads stay where they are during the run, so
		// that is known once for the run rather than looked up per record.
		limit, bounded, tieWins := mergeKey{}, false, true
		for i, o := range live {
			if i != oldest && (!bounded || o.t.less(limit)) {
				limit, bounded = o.t, true
			}
		}
		for i, o := range live {
			if i != oldest && o.t == limit && o.src < h.src {
				tieWins = false
			}
		}
		// That is: before until, one comparison a record where the three
		// (bounded, the limit and tieWins) took about ten instructions and
		// three registers. Keys are whole nanoseconds, so "at most limit"
		// is "before limit plus 1 ns"; no time's key reaches noLimit.
		until := limit
		switch {
		case !bounded:
			until = noLimit
		case tieWins:
			until = limit.plusNanosecond()
		}
		// The records from start to pos go out together, as one run.
		start := h.pos
		for {
			// advance's common case, written out here: advance and its
			// lookAhead, not inlined, were two fifths of the merge's
			// instructions per record. While lookAhead found the record
			// right after pos timed (known, no skip), the record at pos+1
			// is the next to go, and its time is merged against the one
			// after it, if that is in cur and timed. The loop works on
			// locals, stored back to h when it ends: through h, every
			// field was loaded and stored again for each record (the
			// merge took 88 instructions per record).
			cur, pos, t, next, shift := h.cur, h.pos, h.t, h.next, h.shift
			stopped := false
			if h.known && h.skip == 0 {
				for pos+2 < len(cur) {
					var k mergeKey
					// recordKey, written out: it is too big to inline
					// (cost 246 of 80) but where the profile
					// (default.pgo) says a call is hot. A record of
					// another type is left to advance, as an untimed one
					// is: with no call in it, the loop keeps its values
					// in registers, where the call (of a case no report
					// takes) had five of them stored on every record.
					switch r := cur[pos+2].Rec.(type) {
					case *ProxyEntry:
						k = keyOf(r.Time)
					case *AppEntry:
						k = keyOf(r.Time)
						if shift != 0 && k != zeroKey {
							k = k.minus(shift)
						}
					case *ProxyError:
						k = keyOf(r.Time)
					default:
						k = zeroKey
					}
					if k == zeroKey {
						break
					}
					pos++
					t, next = mergedAt(next, k), k
					if !t.less(until) {
						stopped = true
						break
					}
				}
			}
			h.pos, h.t, h.next = pos, t, next
			if stopped {
				break
			}
			// The record after pos+1 is in the next batch or untimed, or
			// lookAhead skipped untimed ones: advance takes it from there.
			// The run goes out first: advance may hand cur back.
			h.pos++
			m.emit(h.cur[start:h.pos])
			ok := m.advance(h)
			start = h.pos
			if !ok {
				live = append(live[:oldest], live[oldest+1:]...)
				break
			}
			if !h.t.less(until) {
				break
			}
		}
		if h.pos > start {
			m.emit(h.cur[start:h.pos])
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
	// shift is the input's MergeShift: its app lines are merged at their
	// times less it.
	shift time.Duration
	cur   []Item
	pos   int
	t     mergeKey // the merge's time for the record at pos (see mergeJump)
	// after is the input's batch after cur, taken from ch early when the
	// record at pos is the last timed one of cur: how it is merged depends
	// on the record after it.
	after []Item
	// next is the time of the next timed record after pos, skip the
	// untimed records before it; known says they were found (by lookAhead).
	next  mergeKey
	skip  int
	known bool
}

// mergeKey is a record's time as the merge compares it: its Unix second
// and nanosecond, which order as the time.Time does (parsed log times
// carry no monotonic reading) for any time whose Unix second is an int64,
// far beyond 1678-2262, where UnixNano gives up. Comparing these rather
// than time.Time values (Before, Equal, and Add for mergeJump, which the
// compiler did not inline) took a third of the merge's instructions per
// record.
type mergeKey struct {
	sec  int64
	nsec int64
}

// zeroKey is the key of the zero time.Time: a record without a time.
var zeroKey = keyOf(time.Time{})

func keyOf(t time.Time) mergeKey { return mergeKey{t.Unix(), int64(t.Nanosecond())} }

// minus is k moved back by d.
func (k mergeKey) minus(d time.Duration) mergeKey {
	sec, nsec := k.sec-int64(d/time.Second), k.nsec-int64(d%time.Second)
	if nsec < 0 {
		sec, nsec = sec-1, nsec+int64(time.Second)
	} else if nsec >= int64(time.Second) {
		sec, nsec = sec+1, nsec-int64(time.Second)
	}
	return mergeKey{sec, nsec}
}

// key is the key rec is merged at: its time's, less the input's shift
// for an app line.
func (h *mergeHead) key(rec Record) mergeKey {
	k := recordKey(rec)
	if h.shift != 0 && k != zeroKey {
		if _, app := rec.(*AppEntry); app {
			k = k.minus(h.shift)
		}
	}
	return k
}

// noLimit is a key after every time's: a time.Time's Unix second is
// below math.MaxInt64 (its own second counts from year 1).
var noLimit = mergeKey{sec: math.MaxInt64}

// plusNanosecond is k a nanosecond later, to compare keys with (less):
// its nanosecond may be a whole second, which compares as the next
// second's first.
func (k mergeKey) plusNanosecond() mergeKey { return mergeKey{k.sec, k.nsec + 1} }

// less reports whether k is before o.
func (k mergeKey) less(o mergeKey) bool {
	return k.sec < o.sec || k.sec == o.sec && k.nsec < o.nsec
}

// recordKey is the key of rec's time. The two records a report reads most
// are read directly: an interface call per record and the time.Time it
// returns cost more than the comparison they feed.
func recordKey(rec Record) mergeKey {
	switch r := rec.(type) {
	case *ProxyEntry:
		return keyOf(r.Time)
	case *AppEntry:
		return keyOf(r.Time)
	}
	return keyOf(rec.RecordTime())
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

// before reports whether h goes before o: ties go to the earlier input.
func (h *mergeHead) before(o *mergeHead) bool {
	if h.t != o.t {
		return h.t.less(o.t)
	}
	return h.src < o.src
}

type merger struct {
	ctx   context.Context
	out   chan<- []Item // MergeBatches
	batch []Item
	runs  func([]Item) // MergeRuns, instead of out
}

// done takes back an input's batch once the merge has moved past it: its
// records went on in batches of the merge's own (MergeBatches), or were
// handed to runs and are done with (MergeRuns).
func (m *merger) done(b []Item) {
	if m.runs != nil {
		ReleaseBatch(b)
	} else {
		recycleBatch(b)
	}
}

// advance moves h to its next timed record, sending untimed records on at
// once, and sets the time it is merged at. It reports false when the input
// has ended.
func (m *merger) advance(h *mergeHead) bool {
	var t mergeKey
	if h.known {
		// lookAhead found it: send the untimed records before it.
		for ; h.skip > 0; h.skip-- {
			if h.pos == len(h.cur) {
				m.nextBatch(h)
			}
			m.emit(h.cur[h.pos : h.pos+1])
			h.pos++
		}
		if h.pos == len(h.cur) {
			m.nextBatch(h)
		}
		t = h.next
	} else {
		t = zeroKey
		for {
			for h.pos < len(h.cur) && t == zeroKey {
				if t = h.key(h.cur[h.pos].Rec); t == zeroKey {
					m.emit(h.cur[h.pos : h.pos+1])
					h.pos++
				}
			}
			if t != zeroKey {
				break
			}
			if !m.nextBatch(h) {
				return false
			}
		}
	}
	h.lookAhead()
	if h.known {
		h.t = mergedAt(t, h.next)
	} else {
		h.t = t
	}
	return true
}

// mergedAt is the time a record of time t is merged at when the next timed
// record of its input has time next (see mergeJump): next when t is more
// than mergeJump ahead of it, else t. t.Add(-mergeJump), a whole minute,
// is t's key with 60 seconds less.
func mergedAt(t, next mergeKey) mergeKey {
	if next.less(mergeKey{t.sec - int64(mergeJump/time.Second), t.nsec}) {
		return next
	}
	return t
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
		if t := h.key(h.cur[i].Rec); t != zeroKey {
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
		if t := h.key(h.after[i].Rec); t != zeroKey {
			h.next, h.skip, h.known = t, len(h.cur)-h.pos-1+i, true
			return
		}
	}
}

// emit sends on a run of records of one input's batch, in order: to runs
// (MergeRuns), or into the merge's own batches, cut at batchSize.
func (m *merger) emit(run []Item) {
	if len(run) == 0 {
		return
	}
	if m.runs != nil {
		m.runs(run)
		return
	}
	for len(run) > 0 {
		if m.batch == nil {
			m.batch = newBatch()
		}
		n := min(len(run), batchSize-len(m.batch))
		m.batch = append(m.batch, run[:n]...)
		run = run[n:]
		if len(m.batch) == batchSize {
			m.flush()
		}
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
