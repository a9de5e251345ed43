package inflate

import (
	"bytes"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"os/exec"
	"runtime"
	"testing"
	"time"
)

func gzipWith(t testing.TB, level int, p []byte) []byte {
	var b bytes.Buffer
	w, err := gzip.NewWriterLevel(&b, level)
	if err != nil {
		t.Fatal(err)
	}
	w.Write(p)
	w.Close()
	return b.Bytes()
}

// gzipBinary compresses p with a gzip-compatible program (gzip, pigz).
func gzipBinary(t testing.TB, prog string, args []string, p []byte) []byte {
	path, err := exec.LookPath(prog)
	if err != nil {
		t.Fatalf("%s is not installed: make test installs it (apt-get install -y %s)", prog, prog)
	}
	cmd := exec.Command(path, append(args, "-c")...)
	cmd.Stdin = bytes.NewReader(p)
	z, err := cmd.Output()
	if err != nil {
		t.Fatalf("%s: %v", prog, err)
	}
	return z
}

// readAll reads the first member of z through a Reader.
func readAll(t testing.TB, z []byte, cfg Config) ([]byte, *Reader, error) {
	r, err := NewReader(bytes.NewReader(z), int64(len(z)), cfg)
	if err != nil {
		return nil, nil, err
	}
	defer r.Close()
	got, err := io.ReadAll(r)
	return got, r, err
}

type corpus struct {
	name string
	z    []byte
	want []byte
}

func testCorpus(t *testing.T) []corpus {
	log := logText(3<<19, 7)
	// Text that repeats at distances near 32 KiB, the farthest a copy reaches.
	far := make([]byte, 0, 2<<20)
	unit := logText(32768-3, 8)
	for len(far) < 1<<20 {
		far = append(far, unit...)
		far = append(far, "abc"[:len(far)%3]...)
	}
	rnd := randomBytes(400<<10, 9)
	mixed := append(append(append([]byte{}, log[:500000]...), rnd[:300000]...), log[500000:1200000]...)
	var cs []corpus
	for _, level := range []int{1, 6, 9} {
		cs = append(cs, corpus{"go level " + string(rune('0'+level)), gzipWith(t, level, log), log})
	}
	cs = append(cs,
		corpus{"go level 0 (stored)", gzipWith(t, 0, log[:400<<10]), log[:400<<10]},
		corpus{"go huffman only", gzipWith(t, gzip.HuffmanOnly, log), log},
		corpus{"random (stored)", gzipWith(t, 6, rnd), rnd},
		corpus{"log, random, log", gzipWith(t, 6, mixed), mixed},
		corpus{"repeats near 32 KiB", gzipWith(t, 6, far), far},
		corpus{"tiny", gzipWith(t, 6, []byte("x\n")), []byte("x\n")},
		corpus{"empty", gzipWith(t, 6, nil), nil},
	)
	for _, c := range []struct {
		prog string
		args []string
	}{{"gzip", []string{"-1"}}, {"gzip", []string{"-6"}}, {"gzip", []string{"-9"}}, {"pigz", []string{"-6"}}, {"pigz", []string{"-11"}}} {
		cs = append(cs, corpus{c.prog + " " + c.args[0], gzipBinary(t, c.prog, c.args, log), log})
	}
	cs = append(cs, corpus{"gzip -6, repeats near 32 KiB", gzipBinary(t, "gzip", []string{"-6"}, far), far})
	return cs
}

// The Reader's output is compress/gzip's, byte for byte, with chunks small
// enough that most are decoded by workers and joined by their markers.
func TestReaderMatchesGzip(t *testing.T) {
	for _, c := range testCorpus(t) {
		for _, size := range []int{2 << 10, 16 << 10, 100 << 10} {
			got, r, err := readAll(t, c.z, Config{ChunkSize: size, Workers: 2})
			if err != nil || !bytes.Equal(got, c.want) {
				t.Errorf("%s, chunks of %d: %d bytes, error %v; want %d bytes", c.name, size, len(got), err, len(c.want))
				continue
			}
			if r.End() != int64(len(c.z)) {
				t.Errorf("%s: member ends at %d, want %d", c.name, r.End(), len(c.z))
			}
			t.Logf("%s, chunks of %d: %d chunks from workers, %d decoded again", c.name, size, r.speculated, r.redone)
		}
		// No workers: every chunk in order, as on 2 cores.
		got, _, err := readAll(t, c.z, Config{ChunkSize: 16 << 10, Workers: -1})
		if err != nil || !bytes.Equal(got, c.want) {
			t.Errorf("%s, in order: %d bytes, error %v; want %d bytes", c.name, len(got), err, len(c.want))
		}
	}
}

// A chunk whose worker started where the chunk before did not stop is
// decoded again in order: a false block start that decoded cleanly gives
// the right bytes all the same. Without the check the X's of the false
// starts would be read.
func TestReaderRedoesAFalseStart(t *testing.T) {
	want := logText(2<<20, 10)
	z := gzipWith(t, 6, want)
	got, r, err := readAll(t, z, Config{ChunkSize: 32 << 10, Workers: 2,
		falseStart: func(chunk int) bool { return chunk%3 == 1 }})
	if err != nil || !bytes.Equal(got, want) {
		t.Fatalf("%d bytes, error %v; want %d bytes", len(got), err, len(want))
	}
	if r.redone < 3 || r.speculated < 3 {
		t.Errorf("%d chunks from workers, %d decoded again: want some of each", r.speculated, r.redone)
	}
}

// A worker that starts at a later block than the first in its chunk (as
// when the first is a stored or fixed block, which the finder does not
// look for) is joined to where the chunk before stopped by decoding the
// blocks between in order.
func TestReaderJoinsALaterStart(t *testing.T) {
	want := logText(2<<20, 11)
	z := gzipWith(t, 6, want)
	got, r, err := readAll(t, z, Config{ChunkSize: 64 << 10, Workers: 2,
		skip: func(chunk int) int { return chunk % 2 }})
	if err != nil || !bytes.Equal(got, want) {
		t.Fatalf("%d bytes, error %v; want %d bytes", len(got), err, len(want))
	}
	if r.redone != 0 || r.speculated < 5 {
		t.Errorf("%d chunks from workers, %d decoded again: want all from workers", r.speculated, r.redone)
	}
}

// A cut member is an unexpected EOF wherever it is cut, and a corrupt one
// an error where compress/gzip finds one (a bad checksum at least).
func TestReaderTruncatedAndCorrupt(t *testing.T) {
	want := logText(1<<20, 12)
	z := gzipWith(t, 6, want)
	cfg := Config{ChunkSize: 16 << 10, Workers: 2}
	for cut := 0; cut < len(z); cut += 1 + len(z)/41 {
		_, _, err := readAll(t, z[:cut], cfg)
		if err != io.ErrUnexpectedEOF {
			t.Errorf("cut at %d of %d: error %v, want unexpected EOF", cut, len(z), err)
		}
	}
	for i := 10; i < len(z); i += 1 + len(z)/41 {
		c := bytes.Clone(z)
		c[i] ^= 0x21
		got, _, err := readAll(t, c, cfg)
		zr, _ := gzip.NewReader(bytes.NewReader(c))
		zr.Multistream(false)
		wantc, werr := io.ReadAll(zr)
		if (err == nil) != (werr == nil) || err == nil && !bytes.Equal(got, wantc) {
			t.Errorf("byte %d flipped: error %v, compress/gzip says %v", i, err, werr)
		}
	}
}

// Closing a Reader early stops its workers.
func TestReaderCloseEarlyLeavesNoGoroutine(t *testing.T) {
	z := gzipWith(t, 6, logText(4<<20, 13))
	before := runtime.NumGoroutine()
	for range 5 {
		r, err := NewReader(bytes.NewReader(z), int64(len(z)), Config{ChunkSize: 32 << 10, Workers: 3, Ahead: 6})
		if err != nil {
			t.Fatal(err)
		}
		buf := make([]byte, 100000)
		if _, err := io.ReadFull(r, buf); err != nil {
			t.Fatal(err)
		}
		r.Close()
	}
	deadline := time.Now().Add(5 * time.Second)
	for runtime.NumGoroutine() > before && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if n := runtime.NumGoroutine(); n > before {
		t.Errorf("%d goroutines after Close, %d before", n, before)
	}
}

// A chunk that would inflate past MaxChunkOut is not decoded whole: Read
// hands on every byte before it, then says ErrTooExpansive (with workers,
// who leave such a chunk to the ordered decode). 5 GB of zeros took 178
// MB of peak RSS before the bound. Without workers the member is decoded
// as a stream, through a window and the caller's buffer: there is no chunk
// to bound, and it reads to its end.
func TestReaderStopsAtATooExpansiveChunk(t *testing.T) {
	var text bytes.Buffer
	for i := range 4000 {
		fmt.Fprintf(&text, "T%d GET /api/orders/%d HTTP/1.1 %d\n", i, i*7919%100_003, 200+i%5)
	}
	before := text.Len()
	text.Write(bytes.Repeat([]byte("T0 GET /health HTTP/1.1 200\n"), 200_000)) // 5.6 MB
	z := gzipWith(t, 6, text.Bytes())
	streamed, _, err := readAll(t, z, Config{ChunkSize: 4096, Workers: -1, MaxChunkOut: 256 << 10})
	if err != nil || !bytes.Equal(streamed, text.Bytes()) {
		t.Errorf("no workers: %d of %d bytes, error %v", len(streamed), text.Len(), err)
	}
	for _, workers := range []int{2} {
		got, _, err := readAll(t, z, Config{ChunkSize: 4096, Workers: workers, MaxChunkOut: 256 << 10})
		if !errors.Is(err, ErrTooExpansive) {
			t.Fatalf("workers %d: error %v, want ErrTooExpansive", workers, err)
		}
		if len(got) < before/2 || !bytes.Equal(got, text.Bytes()[:len(got)]) {
			t.Errorf("workers %d: %d bytes before the error, not a prefix of the text's %d before its repeats", workers, len(got), before)
		}
		all, _, err := readAll(t, z, Config{ChunkSize: 4096, Workers: workers})
		if err != nil || !bytes.Equal(all, text.Bytes()) {
			t.Errorf("workers %d, default bound: %d of %d bytes, error %v", workers, len(all), text.Len(), err)
		}
	}
}
