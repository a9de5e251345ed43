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
