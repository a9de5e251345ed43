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
// times the live heap when that is more.
type heapBound struct {
	floor  int64
	factor float64
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
var liveBound = heapBound{floor: 32 << 20, factor: 1.5}

// boundHeap sets the memory limit and keeps it following the live heap
// until stop, which restores no limit. A GOMEMLIMIT the user set wins.
func boundHeap(b heapBound) (stop func()) {
	if os.Getenv("GOMEMLIMIT") != "" {
		return func() {}
	}
	sample := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
	set := func() {
		metrics.Read(sample)
		limit := b.floor
		if sample[0].Value.Kind() == metrics.KindUint64 {
			limit = max(limit, int64(b.factor*float64(sample[0].Value.Uint64())))
		}
		debug.SetMemoryLimit(limit)
	}
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
