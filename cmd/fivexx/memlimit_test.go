package main

import (
	"math"
	"runtime/debug"
	"testing"
)

// boundHeap sets a limit of at least the floor, above the live heap, and
// stop lifts it; a GOMEMLIMIT in the environment is left alone.
func TestBoundHeap(t *testing.T) {
	t.Setenv("GOMEMLIMIT", "")
	stop := boundHeap()
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
	boundHeap()()
	if got := debug.SetMemoryLimit(-1); got != before {
		t.Fatalf("with GOMEMLIMIT set the limit changed to %d", got)
	}
}
