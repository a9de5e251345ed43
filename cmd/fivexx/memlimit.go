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
// floor, or 2.5 times the live heap when that is more.

// reportMemFloor is the memory limit while the live heap is small.
const reportMemFloor = 24 << 20

// boundHeap sets the memory limit and keeps it following the live heap
// until stop, which restores no limit. A GOMEMLIMIT the user set wins.
func boundHeap() (stop func()) {
	if os.Getenv("GOMEMLIMIT") != "" {
		return func() {}
	}
	sample := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
	set := func() {
		metrics.Read(sample)
		limit := int64(reportMemFloor)
		if sample[0].Value.Kind() == metrics.KindUint64 {
			limit = max(limit, int64(sample[0].Value.Uint64())*5/2)
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
