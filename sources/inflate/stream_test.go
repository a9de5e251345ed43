package inflate

import (
	"bytes"
	"errors"
	"io"
	"testing"
)

// readWindowed reads the first member of z through ReadWindowed with
// buffers of size bytes, checking that each call put the 32 KiB before
// its bytes in front of them.
func readWindowed(t *testing.T, z []byte, size int) ([]byte, error) {
	r, err := NewReader(bytes.NewReader(z), int64(len(z)), Config{Workers: -1, ChunkSize: 4 << 10})
	if err != nil {
		return nil, err
	}
	defer r.Close()
	buf := make([]byte, size)
	var got []byte
	for {
		n, err := r.ReadWindowed(buf)
		if n > 0 {
			have := min(len(got), WindowSize)
			if !bytes.Equal(buf[WindowSize-have:WindowSize], got[len(got)-have:]) {
				t.Fatalf("buffers of %d: the window in front of bytes %d on is not the %d bytes before them", size, len(got), have)
			}
			got = append(got, buf[WindowSize:WindowSize+n]...)
		}
		if err == io.EOF {
			if r.End() != int64(len(z)) {
				t.Fatalf("buffers of %d: member ends at %d, want %d", size, r.End(), len(z))
			}
			return got, nil
		}
		if err != nil {
			return got, err
		}
	}
}

// readWindowedPieces reads the first member of z through ReadWindowed,
// 2*piece compressed bytes read at a time, into buffers of size bytes.
func readWindowedPieces(z []byte, piece, size int) ([]byte, error) {
	r, err := NewReader(bytes.NewReader(z), int64(len(z)), Config{Workers: -1, ChunkSize: piece})
	if err != nil {
		return nil, err
	}
	defer r.Close()
	buf := make([]byte, size)
	var got []byte
	for {
		n, err := r.ReadWindowed(buf)
		got = append(got, buf[WindowSize:WindowSize+n]...)
		if err == io.EOF {
			return got, nil
		}
		if err != nil {
			return got, err
		}
	}
}

// ReadWindowed gives compress/gzip's bytes, byte for byte, decoded in
// place behind the window, with buffers of a few KiB and the read-ahead's
// (the smallest it takes, a symbol or two a call, in
// TestReadWindowedEveryBufferSize and FuzzRoundTrip: over the whole corpus
// they copied the window a million times, minutes under -race).
func TestReadWindowedMatchesGzip(t *testing.T) {
	for _, c := range testCorpus(t) {
		for _, size := range []int{WindowSize + 5000, WindowSize + 256<<10} {
			got, err := readWindowed(t, c.z, size)
			if err != nil || !bytes.Equal(got, c.want) {
				t.Errorf("%s, buffers of %d: %d bytes, error %v; want %d bytes", c.name, size, len(got), err, len(c.want))
			}
		}
	}
}

// A decode that stops for want of room exactly at the limit and goes on
// with a match of the longest length fits it in the slack: the bounds
// hint in huffman asked for one byte more than the slack has, and a
// stream of long matches read through buffers of every size near the
// smallest panicked (index out of range) at some of them.
func TestReadWindowedEveryBufferSize(t *testing.T) {
	text := bytes.Repeat([]byte("T0 GET /health HTTP/1.1 200\n"), 4_000) // long matches
	z := gzipWith(t, 9, text)
	for size := WindowSize + slack + 1; size < WindowSize+slack+600; size++ {
		got, err := readWindowed(t, z, size)
		if err != nil || !bytes.Equal(got, text) {
			t.Fatalf("buffers of %d: %d of %d bytes, error %v", size, len(got), len(text), err)
		}
	}
}

// A member cut short or corrupted is an error from ReadWindowed, as from
// Read, never a short clean end.
func TestReadWindowedTruncatedAndCorrupt(t *testing.T) {
	text := logText(400<<10, 3)
	z := gzipWith(t, 6, text)
	for _, cut := range []int{len(z) / 3, len(z) - 9, len(z) - 4} {
		if got, err := readWindowed(t, z[:cut], WindowSize+64<<10); err == nil {
			t.Errorf("cut at %d of %d: read %d bytes and no error", cut, len(z), len(got))
		}
	}
	bad := bytes.Clone(z)
	bad[len(bad)-6] ^= 0xff // the CRC
	if _, err := readWindowed(t, bad, WindowSize+64<<10); !errors.Is(err, ErrChecksum) {
		t.Errorf("flipped CRC: error %v, want ErrChecksum", err)
	}
}
