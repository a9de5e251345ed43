package main

import (
	"math"
	"os"
	"runtime/debug"
	"runtime/metrics"
	"time"
)

// A report holds little (about 6 MB live on the 2 M bench set) but makes
// garbage fast, and with GOGC alone its heap peaks at twice what it held at
// the last collection plus whatever a burst of 5xx briefly adds: 33 MB RSS.
// A soft memory limit trims those peaks at no measurable CPU cost (1.71 s
// either way). But a fixed limit below what a huge burst holds would make
// the collector run all the time, so the limit follows the live heap: the
// floor, or a factor times the live heap when that is more (1.6, below;
// it was 2). The limit counts the runtime's own memory too (about 4 MB),
// so twice the live heap still
// leaves the heap room to grow between collections: 48 collections per
// report of the 2 M bench set instead of 34 with 2.5 times, about 1% more
// CPU, and less peak RSS: 27.5 MB with sources' mergeAhead at 6 against
// 30.1 MB at 4 with 2.5 times, and 34.8 MB at 8 with 2.5 times.
//
// A report that makes little garbage never comes near that limit, and
// then GOGC alone sets its peak: twice the live heap at the last
// collection. Such a report (an access or combined log alone, whose lines
// go into recycled slots) allocates a few MB in all, mostly slots and
// buffers that stay live, so a short run ends before the heap reaches its
// goal and a long one reaches it: peak RSS grew with the input (access.log
// alone 15.6 MB at 1,000,000 lines, 17.6 MB at 10,000,000, medians of 3,
// once its own garbage was gone; access.log.gz 19.3 and 23.2 MB).
// So the limit is also lowered, never raised, to the live heap plus what
// the report allocates in a second (the most it allocated in any 50 ms
// of the last second, at least 1 MiB): for such a report a collection a
// few seconds (access.log alone now 15.9 and 16.8 MB, access.log.gz 19.2
// and 20.3 MB), for one that makes garbage fast (the three files, hundreds
// of MB a second) the limit above, unchanged (14 collections either way on
// the 2 M bench set).
//
// The factor was 2 until a report of access.log.gz, error.log and app.log
// (the 2 M bench set) peaked at 33.4 MB, over issue 8's 32 MB: the .gz
// pipeline's read-ahead and ordered blocks keep 6-7 MB live, the live heap
// is 13-15 MB, and twice that is above the floor. At 1.6 times it peaks at
// 28.1 MB (medians of 5 and 7 alternated runs; 1.75 times: 29.4 MB), with
// 33 collections instead of 19 and CPU within the runs' noise (per-round
// ratios 1.02 and 1.08). Reports whose live heap stays under 15 MB (the
// floor over the factor: the three plain files, any plain log alone) keep
// the floor, as before.

// heapBound is how boundHeap limits memory: the limit is floor, or factor
// times the live heap when that is more, and with room set never less than
// the live heap, the runtime's other memory and room. With horizon set it
// is lowered (never raised) to what lets the heap hold its live part and
// what the program allocated in horizon, at least minRoom, before a
// collection.
//
// The limit counts the runtime's memory besides the heap's objects too:
// the unused parts of the heap's spans, the collector's metadata, stacks.
// That does not shrink with the heap: after a quiet minute live mode's
// heap fell from 47 to 36 MB as its lines aged out, but the rest stayed at
// about 18 MB, so 1.5 times the live heap left the heap 1 MB to grow in.
// The collector then ran 5 times a second for a minute and more after the
// traffic came back (the same on the way up from the start): 14–15 CPU-s
// per 30 s against 3 at the same 600 lines/s before the pause.
type heapBound struct {
	floor   int64
	factor  float64
	room    int64
	horizon time.Duration
	minRoom int64
}

// reportMemFloor is the memory limit while the live heap is small.
const reportMemFloor = 24 << 20

// reportBound bounds a report's heap (see above).
var reportBound = heapBound{floor: reportMemFloor, factor: 1.6, horizon: time.Second, minRoom: 1 << 20}

// liveBound bounds live mode's heap. Live mode keeps the last 200,000
// lines for timelines and late joins: about 105 MB of live heap at 50,000
// lines/s, which GOGC's default lets grow to twice that between
// collections: 235 MiB peak RSS (make bench-live). A limit of 1.5 times the
// live heap brings that to about 160 MiB for 0.03 of a core more
// (0.23 against 0.20, alternated 20 s runs); 1.0 times thrashed (0.87 of a
// core) and 1.3 leaves little room for a burst between two looks at the
// heap. The floor keeps a small heap under GOGC's rule alone.
// room keeps the heap at least 16 MiB to grow in whatever the rest takes
// (see heapBound); at 50,000 lines/s 1.5 times the live heap is more.
var liveBound = heapBound{floor: 32 << 20, factor: 1.5, room: 16 << 20}

// boundTick is how often boundHeap looks at the heap.
const boundTick = 50 * time.Millisecond

// rateTicks is how many of the last ticks the allocation rate is the
// highest of (a second's), and minRateTicks how many must have been
// measured before the rate lowers the limit.
const (
	rateTicks    = 20
	minRateTicks = 4
)

// heapReading is what boundHeap reads of the runtime each tick.
type heapReading struct {
	at time.Time
	// live is the heap marked live by the last collection; allocs all
	// bytes ever allocated on the heap; outside the memory the runtime
	// has in use beside heap objects and free heap pages (its metadata,
	// stacks, fragments of spans), which the limit counts too.
	live, allocs, outside uint64
}

// heapSample names the runtime/metrics readHeap reads.
var heapSample = [...]string{
	"/gc/heap/live:bytes",
	"/gc/heap/allocs:bytes",
	"/memory/classes/total:bytes",
	"/memory/classes/heap/released:bytes",
	"/memory/classes/heap/objects:bytes",
	"/memory/classes/heap/free:bytes",
}

// readHeap reads the heap into r; false when a metric is not supported.
func readHeap(sample []metrics.Sample, r *heapReading) bool {
	metrics.Read(sample)
	var v [len(heapSample)]uint64
	for i, s := range sample {
		if s.Value.Kind() != metrics.KindUint64 {
			return false
		}
		v[i] = s.Value.Uint64()
	}
	*r = heapReading{at: time.Now(), live: v[0], allocs: v[1]}
	if used := v[2] - v[3]; used > v[4]+v[5] {
		r.outside = used - v[4] - v[5]
	}
	return true
}

// heapPacer turns readings into memory limits for a bound.
type heapPacer struct {
	b     heapBound
	rates [rateTicks]float64 // bytes allocated a second, one a tick
	ticks int                // readings after the first
	last  heapReading
}

// limit is the memory limit after reading r.
func (p *heapPacer) limit(r heapReading) int64 {
	limit := max(p.b.floor, int64(p.b.factor*float64(r.live)))
	if p.b.room > 0 {
		limit = max(limit, int64(r.live+r.outside)+p.b.room)
	}
	if !p.last.at.IsZero() && r.at.After(p.last.at) && r.allocs >= p.last.allocs {
		p.rates[p.ticks%rateTicks] = float64(r.allocs-p.last.allocs) / r.at.Sub(p.last.at).Seconds()
		p.ticks++
	}
	p.last = r
	if p.b.horizon <= 0 || p.ticks < minRateTicks {
		return limit
	}
	rate := 0.0
	for _, x := range p.rates[:min(p.ticks, rateTicks)] {
		rate = max(rate, x)
	}
	room := max(p.b.minRoom, int64(rate*p.b.horizon.Seconds()))
	return min(limit, slowHeapLimit(int64(r.outside), int64(r.live), room))
}

// slowHeapLimit is the memory limit that lets the heap hold live bytes
// and room more before a collection, with outside bytes of the runtime's
// own beside it. The runtime keeps 3 % of what the limit leaves the heap,
// at least 1 MiB, as headroom below it (memoryLimitHeapGoal in
// runtime/mgcpacer.go); without it the heap's goal came down to the live
// heap, and a report of access.log alone collected 491 times in
// 10,000,000 lines where it now collects 6 times.
func slowHeapLimit(outside, live, room int64) int64 {
	goal := live + room
	return outside + goal + max(1<<20, goal*3/97+1)
}

// boundHeap sets the memory limit and keeps it following the live heap
// until stop, which restores no limit. A GOMEMLIMIT the user set wins.
func boundHeap(b heapBound) (stop func()) {
	if os.Getenv("GOMEMLIMIT") != "" {
		return func() {}
	}
	sample := make([]metrics.Sample, len(heapSample))
	for i, name := range heapSample {
		sample[i].Name = name
	}
	p := heapPacer{b: b}
	set := func() {
		var r heapReading
		if !readHeap(sample, &r) {
			debug.SetMemoryLimit(b.floor)
			return
		}
		debug.SetMemoryLimit(p.limit(r))
	}
	set()
	done := make(chan struct{})
	go func() {
		tick := time.NewTicker(boundTick)
		defer tick.Stop()
		for {
			select {
			case <-done:
				return
			case <-tick.C:
				set()
			}
		}
	}()
	return func() {
		close(done)
		debug.SetMemoryLimit(math.MaxInt64)
	}
}
