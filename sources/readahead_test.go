package sources

import (
	"bytes"
	"errors"
	"io"
	"math/rand/v2"
	"testing"
	"testing/iotest"
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
	data := bytes.Repeat([]byte("line\n"), 30000) // 150,000 bytes: more than two blocks
	a := newReadAhead(io.MultiReader(bytes.NewReader(data), iotest.ErrReader(boom)), func() error { return nil })
	defer a.Close()
	got, err := io.ReadAll(a)
	if !errors.Is(err, boom) || !bytes.Equal(got, data) {
		t.Fatalf("read %d bytes, err %v; want %d bytes then %v", len(got), err, len(data), boom)
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
