package main

import (
	"math"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"testing"
)

// boundHeap sets a limit of at least the floor, above the live heap, and
// stop lifts it; a GOMEMLIMIT in the environment is left alone.
func TestBoundHeap(t *testing.T) {
	t.Setenv("GOMEMLIMIT", "")
	stop := boundHeap(reportBound)
	if got := debug.SetMemoryLimit(-1); got < reportMemFloor || got == math.MaxInt64 {
		stop()
		t.Fatalf("limit while bounded = %d, want at least %d", got, reportMemFloor)
	}
	stop()
	if got := debug.SetMemoryLimit(-1); got != math.MaxInt64 {
		t.Fatalf("limit after stop = %d, want none", got)
	}

	t.Setenv("GOMEMLIMIT", "1GiB")
	before := debug.SetMemoryLimit(-1)
	boundHeap(reportBound)()
	if got := debug.SetMemoryLimit(-1); got != before {
		t.Fatalf("with GOMEMLIMIT set the limit changed to %d", got)
	}
}

// The limit follows the live heap by the bound's factor, and never goes
// below its floor.
func TestBoundHeapFollowsLiveHeap(t *testing.T) {
	t.Setenv("GOMEMLIMIT", "")
	held := make([]byte, 64<<20) // 64 MiB that stay live until the end
	for i := range held {
		held[i] = byte(i)
	}
	runtime.GC()
	var live int64
	{
		s := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
		metrics.Read(s)
		live = int64(s[0].Value.Uint64())
	}
	for _, c := range []struct {
		name    string
		b       heapBound
		atLeast int64
	}{
		{"report: twice the live heap", reportBound, 2 * live},
		{"live: 1.5 times the live heap", liveBound, live * 3 / 2},
		{"a floor above the heap", heapBound{floor: 1 << 30, factor: 1.5}, 1 << 30},
	} {
		stop := boundHeap(c.b)
		got := debug.SetMemoryLimit(-1)
		stop()
		// The live heap may have grown a little since it was read.
		if got < c.atLeast || got > c.atLeast+c.atLeast/10 {
			t.Errorf("%s: limit %d MiB, want %d MiB (+10%%)", c.name, got>>20, c.atLeast>>20)
		}
	}
	runtime.KeepAlive(held)
}

// Live mode's limit leaves the heap room to grow whatever else the limit
// counts. 1.5 times the live heap did not: after a quiet minute the heap
// fell to 36 MB, the spans' unused parts, the collector's metadata and
// the stacks stayed at 18 MB, and the collector ran 5 times a second for
// a minute once the traffic came back. Here 32 MiB stay live in 64-byte
// objects with as many freed between them, so the spans stay in use and
// half empty, as after lines age out.
func TestLiveBoundLeavesTheHeapRoom(t *testing.T) {
	t.Setenv("GOMEMLIMIT", "")
	const n = 32 << 20 / 64
	keep := make([]*[64]byte, 0, n)
	for i := range 2 * n {
		p := new([64]byte)
		p[0] = byte(i)
		if i%2 == 0 {
			keep = append(keep, p)
		}
	}
	runtime.GC()
	runtime.GC()
	stop := boundHeap(liveBound)
	limit := debug.SetMemoryLimit(-1)
	stop()
	u := readHeap(heapSamples())
	room := limit - u.live - u.other
	if u.other < 16<<20 {
		t.Fatalf("the spans hold %d MiB besides the live heap's %d MiB, want 16 MiB and more for the test to tell", u.other>>20, u.live>>20)
	}
	// The metrics may have moved a little since boundHeap read them.
	if room < 15<<20 {
		t.Errorf("limit %d MiB for a live heap of %d MiB and %d MiB else: the heap has %d MiB to grow in, want 16",
			limit>>20, u.live>>20, u.other>>20, room>>20)
	}
	runtime.KeepAlive(keep)
}
