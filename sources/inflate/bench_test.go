package inflate

import (
	"bytes"
	"io"
	"os"
	"runtime"
	"syscall"
	"testing"
	"time"

	kgzip "github.com/klauspost/compress/gzip"
)

// decodeRing decodes a whole raw deflate stream into a ring of size n
// (keeping the last 32 KiB when it fills), as a streaming inflater does;
// it returns the bytes decoded.
func decodeRing[T byte | uint16](t testing.TB, z []byte, n int) int64 {
	var d decoder
	d.reset(z, 0, 0, true)
	out := make([]T, n)
	o := 0
	var total int64
	for {
		var st status
		var err error
		o, st, err = decode(&d, out, o, 1<<62)
		if err != nil {
			t.Fatal(err)
		}
		if st == atEnd {
			return total + int64(o)
		}
		total += int64(o - windowSize)
		copy(out, out[o-windowSize:o])
		o = windowSize
	}
}

// TestSpeedOnFile compares the decoder with klauspost on INFLATE_FILE (a
// .gz), one goroutine each: go test -run SpeedOnFile -v with the variable set.
func TestSpeedOnFile(t *testing.T) {
	path := os.Getenv("INFLATE_FILE")
	if path == "" {
		t.Skip("INFLATE_FILE not set")
	}
	gz, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	h, _ := gzipHeaderLen(gz)
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	start := threadTime()
	zr, _ := kgzip.NewReader(bytes.NewReader(gz))
	buf := make([]byte, 64<<10)
	var kn int64
	for {
		n, err := zr.Read(buf)
		kn += int64(n)
		if err == io.EOF {
			break
		}
	}
	kt := threadTime() - start
	start = threadTime()
	bn := decodeRing[byte](t, gz[h:], 1<<20)
	bt := threadTime() - start
	start = threadTime()
	un := decodeRing[uint16](t, gz[h:], 1<<20)
	ut := threadTime() - start
	t.Logf("CPU time: klauspost %d bytes %v (%.0f MB/s); ours bytes %d %v (%.0f MB/s); ours uint16 %d %v (%.0f MB/s)",
		kn, kt, float64(kn)/kt.Seconds()/1e6, bn, bt, float64(bn)/bt.Seconds()/1e6, un, ut, float64(un)/ut.Seconds()/1e6)
}

// threadTime is the CPU time of the calling thread (the goroutine is
// locked to it): on a loaded machine, wall time says little.
func threadTime() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(1 /* RUSAGE_THREAD */, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
