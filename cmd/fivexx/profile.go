package main

import (
	"fmt"
	"io"
	"os"
	"runtime"
	"runtime/pprof"
	"runtime/trace"
)

// startProfile writes a CPU profile to the file named by FIVEXX_CPUPROFILE,
// an allocation profile to the one named by FIVEXX_MEMPROFILE and an
// execution trace (go tool trace: which goroutine waited for which) to the
// one named by FIVEXX_TRACE, for
// measuring fivexx on real inputs (make bench, a user's slow day of logs)
// where a go test benchmark cannot reach. The returned stop is always safe
// to call.
func startProfile(stderr io.Writer) (stop func()) {
	stopMem := startMemProfile(stderr)
	stopCPU := startCPUProfile(stderr)
	stopTrace := startTrace(stderr)
	return func() {
		stopTrace()
		stopCPU()
		stopMem()
	}
}

// startTrace records an execution trace from now on until stop.
func startTrace(stderr io.Writer) (stop func()) {
	path := os.Getenv("FIVEXX_TRACE")
	if path == "" {
		return func() {}
	}
	f, err := os.Create(path)
	if err == nil {
		if err = trace.Start(f); err != nil {
			f.Close()
		}
	}
	if err != nil {
		fmt.Fprintf(stderr, "fivexx: warning: no execution trace: %v\n", err)
		return func() {}
	}
	return func() {
		trace.Stop()
		f.Close()
	}
}

// startMemProfile samples allocations from now on and writes them at stop.
func startMemProfile(stderr io.Writer) (stop func()) {
	path := os.Getenv("FIVEXX_MEMPROFILE")
	if path == "" {
		return func() {}
	}
	runtime.MemProfileRate = 64 << 10 // finer than the default 512 KiB: a run allocates a few GB
	return func() {
		f, err := os.Create(path)
		if err == nil {
			err = pprof.Lookup("allocs").WriteTo(f, 0)
			if cerr := f.Close(); err == nil {
				err = cerr
			}
		}
		if err != nil {
			fmt.Fprintf(stderr, "fivexx: warning: no allocation profile: %v\n", err)
		}
	}
}

// startCPUProfile profiles the CPU from now on until stop.
func startCPUProfile(stderr io.Writer) (stop func()) {
	path := os.Getenv("FIVEXX_CPUPROFILE")
	if path == "" {
		return func() {}
	}
	f, err := os.Create(path)
	if err != nil {
		fmt.Fprintf(stderr, "fivexx: warning: no CPU profile: %v\n", err)
		return func() {}
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		fmt.Fprintf(stderr, "fivexx: warning: no CPU profile: %v\n", err)
		f.Close()
		return func() {}
	}
	return func() {
		pprof.StopCPUProfile()
		f.Close()
	}
}
