package inflate

import (
	"bytes"
	"io"
	"os"
	"os/exec"
	"runtime"
	"sync"
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
	d.reset(z, 0, 0, false)
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
		if st == atEnd || st == needInput {
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

// benchGzip is a generated access log of 64 MiB, gzip -6 (by gzip when
// installed, as logrotate writes it; else compress/gzip).
var benchGzip = sync.OnceValues(func() ([]byte, int) {
	p := logText(64<<20, 15)
	if path, err := exec.LookPath("gzip"); err == nil {
		cmd := exec.Command(path, "-6", "-c")
		cmd.Stdin = bytes.NewReader(p)
		if z, err := cmd.Output(); err == nil {
			return z, len(p)
		}
	}
	var b bytes.Buffer
	w, _ := kgzip.NewWriterLevel(&b, 6)
	w.Write(p)
	w.Close()
	return b.Bytes(), len(p)
})

// BenchmarkInflate inflates benchGzip into a reused 64 KiB buffer, by
// klauspost/compress on one goroutine (what sources used for every .gz)
// and by a Reader on GOMAXPROCS workers; MB/s are of inflated bytes.
func BenchmarkInflate(b *testing.B) {
	z, n := benchGzip()
	buf := make([]byte, 64<<10)
	b.Run("klauspost", func(b *testing.B) {
		b.SetBytes(int64(n))
		for b.Loop() {
			zr, _ := kgzip.NewReader(bytes.NewReader(z))
			if m, err := io.CopyBuffer(io.Discard, struct{ io.Reader }{zr}, buf); err != nil || m != int64(n) {
				b.Fatal(m, err)
			}
		}
	})
	b.Run("parallel", func(b *testing.B) {
		b.SetBytes(int64(n))
		for b.Loop() {
			r, _ := NewReader(bytes.NewReader(z), int64(len(z)), Config{})
			if m, err := io.CopyBuffer(io.Discard, struct{ io.Reader }{r}, buf); err != nil || m != int64(n) {
				b.Fatal(m, err)
			}
			r.Close()
		}
	})
}
