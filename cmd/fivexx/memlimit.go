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
// floor, or twice the live heap when that is more. The limit counts the
// runtime's own memory too (about 4 MB), so twice the live heap still
// leaves the heap room to grow between collections: 48 collections per
// report of the 2 M bench set instead of 34 with 2.5 times, about 1% more
// CPU, and less peak RSS: 27.5 MB with sources' mergeAhead at 6 against
// 30.1 MB at 4 with 2.5 times, and 34.8 MB at 8 with 2.5 times.

// heapBound is how boundHeap limits memory: the limit is floor, or factor
// times the live heap when that is more, and never less than the live
// heap, the runtime's other memory and room.
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
	floor  int64
	factor float64
	room   int64
}

// reportMemFloor is the memory limit while the live heap is small.
const reportMemFloor = 24 << 20

// reportBound bounds a report's heap (see above).
var reportBound = heapBound{floor: reportMemFloor, factor: 2}

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

// boundHeap sets the memory limit and keeps it following the live heap
// until stop, which restores no limit. A GOMEMLIMIT the user set wins.
func boundHeap(b heapBound) (stop func()) {
	if os.Getenv("GOMEMLIMIT") != "" {
		return func() {}
	}
	samples := heapSamples()
	set := func() { debug.SetMemoryLimit(b.limit(readHeap(samples))) }
	set()
	done := make(chan struct{})
	go func() {
		tick := time.NewTicker(50 * time.Millisecond)
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

// heapUse is what boundHeap reads of the runtime's memory, in bytes.
type heapUse struct {
	live int64 // the live heap at the last collection
	// other is the memory the limit counts besides the heap's objects:
	// all mapped, less what is released, free or holds objects (the
	// runtime's nonHeapMemory in its memory-limit heap goal).
	other int64
}

// heapSamples are the runtime/metrics readHeap reads, in its order.
func heapSamples() []metrics.Sample {
	return []metrics.Sample{
		{Name: "/gc/heap/live:bytes"},
		{Name: "/memory/classes/total:bytes"},
		{Name: "/memory/classes/heap/released:bytes"},
		{Name: "/memory/classes/heap/free:bytes"},
		{Name: "/memory/classes/heap/objects:bytes"},
	}
}

// readHeap reads the live heap and the rest into s (heapSamples); a
// metric the runtime does not have reads 0.
func readHeap(s []metrics.Sample) heapUse {
	metrics.Read(s)
	var v [5]int64
	for i := range s {
		if s[i].Value.Kind() == metrics.KindUint64 {
			v[i] = int64(s[i].Value.Uint64())
		}
	}
	return heapUse{live: v[0], other: max(0, v[1]-v[2]-v[3]-v[4])}
}

// limit is the memory limit for u (see heapBound).
func (b heapBound) limit(u heapUse) int64 {
	limit := max(b.floor, int64(b.factor*float64(u.live)))
	if b.room > 0 {
		limit = max(limit, u.live+u.other+b.room)
	}
	return limit
}
