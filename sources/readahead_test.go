package sources

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"
	"testing/iotest"

	"fivexx/sources/inflate"
)

// The read-ahead reader passes every byte through in order, whatever the
// sizes of the source's reads and of the consumer's buffer.
func TestReadAheadPassesBytesThrough(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for _, size := range []int{0, 1, aheadBlockSize - 1, aheadBlockSize, aheadBlockSize + 1, 5*aheadBlockSize + 7} {
		data := make([]byte, size)
		for i := range data {
			data[i] = byte(rng.IntN(256))
		}
		for name, src := range map[string]func() io.Reader{
			"whole":    func() io.Reader { return bytes.NewReader(data) },
			"one byte": func() io.Reader { return iotest.OneByteReader(bytes.NewReader(data)) },
			"halves":   func() io.Reader { return iotest.HalfReader(bytes.NewReader(data)) },
		} {
			closed := 0
			a := newReadAhead(src(), func() error { closed++; return nil })
			if err := iotest.TestReader(a, data); err != nil {
				t.Errorf("%d bytes, %s reads: %v", size, name, err)
			}
			if err := a.Close(); err != nil || closed != 1 {
				t.Errorf("%d bytes, %s reads: Close = %v, source closed %d times", size, name, err, closed)
			}
		}
	}
}

// A read error after some bytes reaches the consumer after those bytes.
func TestReadAheadPassesTheErrorOn(t *testing.T) {
	boom := errors.New("disk on fire")
	data := bytes.Repeat([]byte("line\n"), 2*aheadBlockSize/5+7) // more than two blocks
	a := newReadAhead(io.MultiReader(bytes.NewReader(data), iotest.ErrReader(boom)), func() error { return nil })
	defer a.Close()
	got, err := io.ReadAll(a)
	if !errors.Is(err, boom) || !bytes.Equal(got, data) {
		t.Fatalf("read %d bytes, err %v; want %d bytes then %v", len(got), err, len(data), boom)
	}
}

// A consumer that parses in place holds the blocks whose records are not
// released yet and hands them back in bursts (readDecoded, readBlocks):
// every block it hands back is kept for reuse, so a long read makes no
// more blocks than can be in use at once. With room for 8 spare blocks,
// a report of the 2 M bench set's access.log.gz made 94 and dropped 84.
func TestReadAheadReusesEveryBlockHandedBack(t *testing.T) {
	const blocks = 200
	t.Run("reader", func(t *testing.T) {
		testReadAheadReuse(t, blocks, io.LimitReader(endless{}, blocks*aheadBlockSize))
	})
	t.Run("windowed", func(t *testing.T) {
		testReadAheadReuse(t, blocks, &windowedSource{left: blocks * aheadBlockSize})
	})
}

// windowedSource is a windowed reader (a .gz's first member) of left
// bytes of x that checks it is given whole blocks with their room.
type windowedSource struct{ left int }

func (w *windowedSource) Read([]byte) (int, error) {
	return 0, errors.New("Read called on a windowed source")
}

func (w *windowedSource) ReadWindowed(buf []byte) (int, error) {
	if len(buf) != inflate.WindowSize+aheadBlockSize {
		return 0, fmt.Errorf("a block of %d bytes, want %d with its room", len(buf), inflate.WindowSize+aheadBlockSize)
	}
	n := min(w.left, aheadBlockSize)
	for i := range n {
		buf[inflate.WindowSize+i] = 'x'
	}
	w.left -= n
	if w.left == 0 {
		return n, io.EOF
	}
	return n, nil
}

func testReadAheadReuse(t *testing.T, blocks int, src io.Reader) {
	a := newReadAhead(src, func() error { return nil })
	defer a.Close()
	held := maxWaitingBytes / aheadBlockSize // what readBlocks keeps waiting at most
	seen := map[*byte]bool{}
	var holding [][]byte
	for i := 0; ; i++ {
		buf, err := a.block()
		if bytes.Count(buf, []byte("x")) != len(buf) {
			t.Fatalf("block %d is not all x", i)
		}
		if len(buf) > 0 {
			seen[&buf[:1][0]] = true
			holding = append(holding, buf)
		}
		if len(holding) == held || err != nil {
			for _, b := range holding {
				a.recycle(b)
			}
			holding = holding[:0]
		}
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	if most := aheadBlocks + held + 2; len(seen) > most {
		t.Fatalf("%d blocks read through %d distinct buffers; want at most %d (read ahead %d, held %d, 2 in hand)", blocks, len(seen), most, aheadBlocks, held)
	}
}

// endless is a source that never ends.
type endless struct{}

func (endless) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = 'x'
	}
	return len(p), nil
}

// Close in the middle of an endless stream stops the reading goroutine
// (Close waits for it) and closes the source.
func TestReadAheadCloseStopsReading(t *testing.T) {
	closed := 0
	a := newReadAhead(endless{}, func() error { closed++; return nil })
	buf := make([]byte, 1000)
	for i := 0; i < 100; i++ {
		if _, err := io.ReadFull(a, buf); err != nil {
			t.Fatal(err)
		}
	}
	if err := a.Close(); err != nil || closed != 1 {
		t.Fatalf("Close = %v, source closed %d times", err, closed)
	}
	if err := a.Close(); err != nil || closed != 1 {
		t.Fatalf("second Close = %v, source closed %d times", err, closed)
	}
}

// Blocks taken whole, then the rest through detach or Read, make up the
// stream in order, and so do bytes copied by Read then the rest through detach:
// nothing read ahead is lost or repeated when the consumer takes the source
// back.
func TestReadAheadBlocksThenDetach(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	data := make([]byte, 9*aheadBlockSize+123)
	for i := range data {
		data[i] = byte(rng.IntN(256))
	}
	for _, taken := range []int{0, 1, 3, 8, 10, 12} {
		a := newReadAhead(iotest.HalfReader(bytes.NewReader(data)), func() error { return nil })
		var got []byte
		var err error
		for i := 0; i < taken && err == nil; i++ {
			var b []byte
			b, err = a.block()
			got = append(got, b...)
			a.recycle(b)
		}
		if err != nil && err != io.EOF {
			t.Fatalf("%d blocks: %v", taken, err)
		}
		rest, err := io.ReadAll(a.detach())
		if err != nil {
			t.Fatalf("%d blocks, then detach: %v", taken, err)
		}
		if got = append(got, rest...); !bytes.Equal(got, data) {
			t.Errorf("%d blocks, then detach: %d bytes, want the %d written", taken, len(got), len(data))
		}
		a.Close()
	}
	// Read after block: the block handed out is not read again, nor taken
	// back for reuse while its taker may still hold it.
	for _, taken := range []int{1, 2} {
		a := newReadAhead(bytes.NewReader(data), func() error { return nil })
		var got []byte
		var lent [][]byte
		for range taken {
			b, err := a.block()
			if err != nil {
				t.Fatal(err)
			}
			got = append(got, b...)
			lent = append(lent, b)
		}
		kept := bytes.Clone(got)
		rest, err := io.ReadAll(a)
		if err != nil {
			t.Fatalf("%d blocks, then Read: %v", taken, err)
		}
		if got = append(got, rest...); !bytes.Equal(got, data) {
			t.Errorf("%d blocks, then Read: %d bytes, want the %d written", taken, len(got), len(data))
		}
		if !bytes.Equal(bytes.Join(lent, nil), kept) {
			t.Errorf("%d blocks, then Read: a block handed out was read into again", taken)
		}
		a.Close()
	}
	for _, copied := range []int{0, 1, aheadBlockSize, 3*aheadBlockSize + 5} {
		a := newReadAhead(bytes.NewReader(data), func() error { return nil })
		got := make([]byte, copied)
		if _, err := io.ReadFull(a, got); err != nil {
			t.Fatal(err)
		}
		rest, err := io.ReadAll(a.detach())
		if err != nil {
			t.Fatalf("%d bytes read, then detach: %v", copied, err)
		}
		if got = append(got, rest...); !bytes.Equal(got, data) {
			t.Errorf("%d bytes read, then detach: %d bytes, want the %d written", copied, len(got), len(data))
		}
		a.Close()
	}
}

// A source's error reaches the consumer after the bytes before it, through
// block and through detach alike.
func TestReadAheadBlockAndDetachPassTheErrorOn(t *testing.T) {
	boom := errors.New("disk on fire")
	data := bytes.Repeat([]byte("line\n"), 2*aheadBlockSize/5+7) // more than two blocks
	src := func() io.Reader { return io.MultiReader(bytes.NewReader(data), iotest.ErrReader(boom)) }

	a := newReadAhead(src(), func() error { return nil })
	var got []byte
	var err error
	for err == nil {
		var b []byte
		b, err = a.block()
		got = append(got, b...)
	}
	if !errors.Is(err, boom) || !bytes.Equal(got, data) {
		t.Errorf("block: %d bytes, err %v; want %d bytes then %v", len(got), err, len(data), boom)
	}
	if _, err := a.block(); !errors.Is(err, boom) {
		t.Errorf("block after the error: %v, want %v again", err, boom)
	}
	a.Close()

	a = newReadAhead(src(), func() error { return nil })
	first, _ := a.block()
	got = bytes.Clone(first)
	rest, err := io.ReadAll(a.detach())
	got = append(got, rest...)
	if !errors.Is(err, boom) || !bytes.Equal(got, data) {
		t.Errorf("detach: %d bytes, err %v; want %d bytes then %v", len(got), err, len(data), boom)
	}
	a.Close()
}

// A .gz input read with a share of the cores leaves one of them to its
// inflater: with 2, its lines are not cut into chunks for parse workers.
// A plain file keeps its share, and no share set stays no share.
func TestGzipInputLeavesACoreToTheInflater(t *testing.T) {
	dir := t.TempDir()
	content := parallelInput(2_000, false)
	plain := filepath.Join(dir, "access.log")
	if err := os.WriteFile(plain, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write([]byte(content))
	zw.Close()
	gzPath := filepath.Join(dir, "access.log.gz")
	if err := os.WriteFile(gzPath, gz.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		path      string
		cores     int
		wantCores int
	}{
		{plain, 2, 2},
		{gzPath, 2, 1},
		{gzPath, 4, 3},
		{gzPath, 1, 1},
		{gzPath, 0, 0},
	} {
		in := NewInput(0, Spec{Path: tc.path, Format: "test-proxy-stateless"})
		in.cores = tc.cores
		out := make(chan []Item, 4)
		done := make(chan error, 1)
		go func() { done <- ReadBatches(context.Background(), in, out); close(out) }()
		n := 0
		for b := range out {
			n += len(b)
			ReleaseBatch(b)
		}
		if err := <-done; err != nil {
			t.Fatal(err)
		}
		if n == 0 || in.cores != tc.wantCores {
			t.Errorf("%s with %d cores: %d records, parsed with a share of %d cores, want %d", filepath.Base(tc.path), tc.cores, n, in.cores, tc.wantCores)
		}
	}
}

// The bytes counted buffered are those the consumer has not taken: by
// Read, as many as it copied. It counted the whole block taken when it
// began to copy from it, a block ahead (review s36 L2).
func TestReadAheadCountsWhatTheConsumerTook(t *testing.T) {
	data := bytes.Repeat([]byte("0123456789"), 100) // one block, then EOF
	a := newReadAhead(bytes.NewReader(data), nil)
	a.done.Wait() // fill has read it all
	if got := a.buffered.Load(); got != int64(len(data)) {
		t.Fatalf("buffered %d before any Read, want %d", got, len(data))
	}
	p := make([]byte, 100)
	for taken := 100; taken <= 300; taken += 100 {
		if n, err := a.Read(p); n != 100 || err != nil {
			t.Fatalf("Read: %d, %v", n, err)
		}
		if got, want := a.buffered.Load(), int64(len(data)-taken); got != want {
			t.Errorf("buffered %d after reading %d bytes, want %d", got, taken, want)
		}
	}
	if got, want := a.compressedAhead(1000), int64(700); got != want {
		t.Errorf("compressedAhead(1000) %d with 700 of 1000 bytes left, want %d", got, want)
	}
}
