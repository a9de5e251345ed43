package inflate

import (
	"os"
	"runtime"
	"testing"
	"time"
)

// TestDecodeSpeedMin decodes the first 16 MB of INFLATE_FILE (a .gz) in
// uint16 mode, 7 times, and reports the least thread CPU time: on a loaded
// machine the least is what the code costs, the rest is other processes
// evicting its caches. go test -run DecodeSpeedMin -v with the variable set.
func TestDecodeSpeedMin(t *testing.T) {
	path := os.Getenv("INFLATE_FILE")
	if path == "" {
		t.Skip("INFLATE_FILE not set")
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	gz := make([]byte, 16<<20)
	if _, err := f.ReadAt(gz, 0); err != nil {
		t.Fatal(err)
	}
	h, _ := gzipHeaderLen(gz)
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	best, bestB := time.Hour, time.Hour
	var n int64
	for range 7 {
		start := threadTime()
		n = decodeRing[uint16](t, gz[h:], 1<<20)
		best = min(best, threadTime()-start)
		start = threadTime()
		decodeRing[byte](t, gz[h:], 1<<20)
		bestB = min(bestB, threadTime()-start)
	}
	t.Logf("%d bytes: uint16 %v (%.0f MB/s), bytes %v (%.0f MB/s)", n, best, float64(n)/best.Seconds()/1e6, bestB, float64(n)/bestB.Seconds()/1e6)
}
