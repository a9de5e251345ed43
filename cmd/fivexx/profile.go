package main

import (
	"fmt"
	"io"
	"os"
	"runtime/pprof"
)

// startProfile writes a CPU profile to the file named by FIVEXX_CPUPROFILE,
// for measuring fivexx on real inputs (make bench, a user's slow day of logs)
// where a go test benchmark cannot reach. The returned stop is always safe
// to call.
func startProfile(stderr io.Writer) (stop func()) {
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
