package inflate

import (
	"bytes"
	"compress/flate"
	"compress/gzip"
	"io"
	"testing"
)

// FuzzDecode feeds arbitrary bytes to the decoder, the block finder and the
// Reader: none may panic, and the decoder agrees with compress/flate on
// whether the bytes are a deflate stream, and on its bytes when they are.
func FuzzDecode(f *testing.F) {
	f.Add([]byte{})
	f.Add(deflateWith(6, logText(3000, 1)))
	f.Add(deflateWith(1, logText(70000, 2)))
	f.Add(deflateWith(0, []byte("stored")))
	f.Add(deflateWith(flate.HuffmanOnly, logText(5000, 3)))
	f.Add([]byte{0x03, 0x00}) // an empty fixed block
	f.Fuzz(func(t *testing.T, z []byte) {
		if len(z) > 8<<10 { // at most some 8 MB of output, so runs stay fast
			return
		}
		got, err := inflateSeq(t, z, 0)
		want, ferr := io.ReadAll(io.LimitReader(flate.NewReader(bytes.NewReader(z)), 64<<20))
		if len(want) < 64<<20 && ((err == nil) != (ferr == nil) || err == nil && !bytes.Equal(got, want)) {
			t.Fatalf("decoder: %d bytes, error %v; compress/flate: %d bytes, error %v", len(got), err, len(want), ferr)
		}
		for b := findBlock(z, 0, int64(len(z))*8); b >= 0; b = findBlock(z, b+1, int64(len(z))*8) {
		}
		// As a gzip member cut into chunks of 64 bytes.
		member := append([]byte{0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff}, z...)
		r, err := NewReader(bytes.NewReader(member), int64(len(member)), Config{ChunkSize: 64, Workers: 2})
		if err != nil {
			return
		}
		io.Copy(io.Discard, io.LimitReader(r, 64<<20))
		r.Close()
	})
}

// FuzzRoundTrip compresses its input with compress/gzip at a level the
// fuzzer picks, with flushes where it picks (each adds an empty stored
// block), and reads it back through the Reader in chunks small enough that
// the input crosses many of them: the bytes read are the input.
func FuzzRoundTrip(f *testing.F) {
	f.Add(logText(20000, 4), uint8(6), uint16(0), uint8(64))
	f.Add(logText(50000, 5), uint8(1), uint16(3000), uint8(200))
	f.Add(bytes.Repeat([]byte("abc"), 20000), uint8(9), uint16(100), uint8(0))
	f.Add(randomBytes(30000, 6), uint8(0), uint16(0), uint8(10))
	f.Fuzz(func(t *testing.T, p []byte, level uint8, flushEvery uint16, chunk uint8) {
		// Every chunk costs a window of 32 Ki symbols to set up: bound
		// the chunks a run makes.
		if len(p) > 256<<10 {
			return
		}
		if flushEvery > 0 {
			flushEvery = max(flushEvery, 16)
		}
		size := 256 + int(chunk)*16
		lvl := int(level)%11 - 1 // -1 (default) to 9
		var b bytes.Buffer
		w, _ := gzip.NewWriterLevel(&b, lvl)
		for rest := p; len(rest) > 0; {
			n := len(rest)
			if flushEvery > 0 {
				n = min(n, int(flushEvery))
			}
			w.Write(rest[:n])
			if flushEvery > 0 {
				w.Flush()
			}
			rest = rest[n:]
		}
		w.Close()
		z := b.Bytes()
		got, _, err := readAll(t, z, Config{ChunkSize: size, Workers: 2})
		if err != nil || !bytes.Equal(got, p) {
			t.Fatalf("level %d, flush every %d, chunks of %d: %d bytes, error %v; want %d bytes", lvl, flushEvery, size, len(got), err, len(p))
		}
		// As a stream, fed 2*size bytes of input at a time, into buffers
		// that hold a few symbols to a few hundred.
		got, err = readWindowedPieces(z, size, WindowSize+slack+1+int(chunk))
		if err != nil || !bytes.Equal(got, p) {
			t.Fatalf("level %d, flush every %d, streamed in pieces of %d: %d bytes, error %v; want %d bytes", lvl, flushEvery, 2*size, len(got), err, len(p))
		}
	})
}
