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
	var opening chan struct{}
	if len(inputs) > maxOpening {
		opening = make(chan struct{}, maxOpening)
	}
	for i, in := range inputs {
		in.opening = opening
		in.compactHead = len(inputs) > compactHeadsFrom
		ch := make(chan []Item, mergeAhead)
		heads[i] = &mergeHead{src: i, ch: ch, shift: in.mergeShift}
		if len(inputs) > 1 {
			gate := make(chan struct{})
			in.gate, heads[i].gate = gate, gate
		}
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
		limit, bounded, tieWins := mergeKey(0), false, true
		for i, o := range live {
			if i != oldest && (!bounded || o.t < limit) {
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
			until = limit + 1
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
			cur, pos, t, next := h.cur, h.pos, h.t, h.next
			stopped := false
			if h.known && h.skip == 0 {
				for pos+2 < len(cur) {
					// The key the decoder put in the item (Item.at); an
					// untimed record, or one whose key was not set, is
					// left to advance, which reads its record.
					at := cur[pos+2].at
					if at == 0 {
						break
					}
					k := keyOfBits(at)
					pos++
					t, next = mergedAt(next, k), k
					if t >= until {
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
			if h.t >= until {
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
		h.open()
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
	// gate holds the input's reader after its first batch (see
	// mergeGate); took says the first batch was taken.
	gate chan struct{}
	took bool
}

// mergeGate: with several inputs, each input's reader sends its first
// batch, the head the merge needs of every input to know which goes
// first, and then waits, as its second batch begins (decoder.startBatch),
// until the merge wants that batch (take); an input whose lines fit in
// its first batch is read to its end at once, its reader's memory let go.
// Inputs whose lines are not due yet (rotated files: access.log.1's lines
// all come before access.log's) then hold one batch each, not
// mergeAhead batches and the blocks and slots they are parsed into: 100
// rotated files of 5,000 lines were read ahead whole at once (168 MB
// peak RSS against 19 MB for the same lines in one file, QA s37 qa5).
// An input's reader gives or gives up its zone (ZoneLink) before its
// first batch, so no wait is on a gated reader.

// compactHeadsFrom is how many inputs a merge may have whose first
// batches go out as they were parsed: with more, each goes out compact
// (decoder.compactBatch), as those of inputs not due yet are held until
// the merge reaches them. A report of the access, error and app logs
// holds three, and copying them cost more than it saved: 0.4 % more
// instructions on the 200 k-line set, most of it the collector's.
const compactHeadsFrom = 8

// mergeOpening: with more than maxOpening inputs, at most maxOpening
// readers are between opening their file and sending their first batch
// (or ending) at once; the others wait before they open theirs. Each
// reader of 2,000 small files (read to their end at once) held its file
// open until it had sent its batch, and 2,000 goroutines started at once
// on 2 cores held hundreds open: under a hard limit of 256 open files
// the report failed to open some of them (main, 2 of 3 runs). A reader
// waiting at the gate, its file open, holds no place: the number of
// inputs not due yet still bounds the files open. An nginx error log
// that must wait for an access log's zone (ZoneLink, not settled by a
// peek) gives its place back while it waits, its file open: it could
// wait for a reader waiting for its place. It took none at all, and as
// every input that may be an error log is linked, a report of 300 access,
// 300 error and 300 app logs (zone peeked, nothing waits) opened 600
// files at once and failed to open 435-534 of them under ulimit -n 128
// (s38 review M2).
const maxOpening = 64

// waitOpening waits for a place among the readers opening their files
// (see mergeOpening), when in's merge bounds them.
func (in *Input) waitOpening(ctx context.Context) error {
	if in.opening == nil {
		return nil
	}
	select {
	case in.opening <- struct{}{}:
		in.opened = true
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// doneOpening gives in's place among the readers opening their files
// back, if it holds one: its first batch is sent, or it has ended.
func (in *Input) doneOpening() {
	if in.opened {
		in.opened = false
		<-in.opening
	}
}

// take receives h's next batch from its reader, letting the reader read
// on past its first batch first.
func (h *mergeHead) take() ([]Item, bool) {
	if h.took {
		h.open()
	}
	h.took = true
	b, ok := <-h.ch
	return b, ok
}

// open lets h's reader read on past its first batch.
func (h *mergeHead) open() {
	if h.gate != nil {
		close(h.gate)
		h.gate = nil
	}
}

// mergeKey is a record's time as the merge compares it: its Unix time
// in nanoseconds (UnixNano), one int64 to compare. The decoder computes it
// once per record (Item.at), on the reader's core with the record in its
// cache: the merge compared {second, nanosecond} pairs it computed from
// each record's time.Time, whose type it switched on first, about 40 of
// its instructions per record (callgrind, 2 M bench set).
//
// UnixNano's range (1678-2262), less a day at each end, is the keys'
// range: a time before or after it (a forged or corrupt line's) has the
// key of the range's first or last second. Such times order as they are
// with every other time, but tie with each other. The day keeps the keys
// mergedAt and the run's until compute (a minute less, a nanosecond more)
// clear of int64's ends; minus stays in the range.
type mergeKey int64

// untimedKey is the key of a record without a time (the zero time.Time).
const untimedKey mergeKey = math.MinInt64

// noLimit is a key after every time's.
const noLimit mergeKey = math.MaxInt64

// The first and last second a key holds as it is, and their keys.
const (
	minKeySec = math.MinInt64/int64(time.Second) + 86400
	maxKeySec = math.MaxInt64/int64(time.Second) - 86400
	minKey    = mergeKey(minKeySec * int64(time.Second))
	maxKey    = mergeKey(maxKeySec * int64(time.Second))
)

// zeroTimeSec is the Unix second of the zero time.Time (time.Time{}.Unix()).
const zeroTimeSec = -62135596800

// keyOf is t's key. Its inline cost is 79 of the 80 allowed: a range check
// in one unsigned compare, or the rare cases in a call of their own, went
// over, and keyOf was then a call where the profile did not make it hot.
func keyOf(t time.Time) mergeKey {
	sec, nsec := t.Unix(), int64(t.Nanosecond())
	if sec < minKeySec {
		if sec == zeroTimeSec && nsec == 0 {
			return untimedKey
		}
		return minKey
	}
	if sec > maxKeySec {
		return maxKey
	}
	return mergeKey(sec*int64(time.Second) + nsec)
}

// minus is k (not untimedKey) moved back by d, within the keys' range.
func (k mergeKey) minus(d time.Duration) mergeKey {
	r := k - mergeKey(d)
	switch {
	case d > 0 && (r > k || r < minKey):
		return minKey
	case d < 0 && (r < k || r > maxKey):
		return maxKey
	}
	return r
}

// bits is k as an Item carries it (Item.at): its sign bit flipped, so
// that an untimed record's is 0, the zero value of an item whose key was
// not set (keyOfBits undoes it).
func (k mergeKey) bits() int64 { return int64(k) ^ math.MinInt64 }

// keyOfBits is the key an item's at holds (see bits).
func keyOfBits(at int64) mergeKey { return mergeKey(at ^ math.MinInt64) }

// key is the key the record of it is merged at: the one the decoder set,
// or its record's time's, less the input's shift for an app line.
func (h *mergeHead) key(it *Item) mergeKey {
	if it.at != 0 {
		return keyOfBits(it.at)
	}
	return shiftedKey(it.Rec, h.shift)
}

// shiftedKey is the key of rec's time, less shift for an app line
// (Input.SetMergeShift).
func shiftedKey(rec Record, shift time.Duration) mergeKey {
	k := recordKey(rec)
	if _, app := rec.(*AppEntry); app {
		k = appKey(k, shift)
	}
	return k
}

// appKey is the key an app line of time key k is merged at in an input
// of merge shift shift.
func appKey(k mergeKey, shift time.Duration) mergeKey {
	if shift == 0 || k == untimedKey {
		return k
	}
	return k.minus(shift)
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
		return h.t < o.t
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
		t = untimedKey
		for {
			for h.pos < len(h.cur) && t == untimedKey {
				if t = h.key(&h.cur[h.pos]); t == untimedKey {
					m.emit(h.cur[h.pos : h.pos+1])
					h.pos++
				}
			}
			if t != untimedKey {
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
// is t's key with 60 seconds less (no overflow: see mergeKey).
func mergedAt(t, next mergeKey) mergeKey {
	if next < t-mergeKey(mergeJump) {
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
		b, ok = h.take()
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
		if t := h.key(&h.cur[i]); t != untimedKey {
			h.next, h.skip, h.known = t, i-h.pos-1, true
			return
		}
	}
	if h.after == nil {
		b, ok := h.take()
		if !ok {
			return
		}
		h.after = b
	}
	for i := range h.after {
		if t := h.key(&h.after[i]); t != untimedKey {
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
