package sources

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"testing/iotest"
)

// A .gz with a stretch that inflates far more than log text (one line
// repeated: 5 GB of zeros took 178 MB of peak RSS, its chunk decoded whole)
// is read whole and in order: with workers, inflate hands on the bytes
// before that chunk, then gzipStream inflates the file again from its
// start, skipping them, through its 32 KiB window; without, inflate
// streams it through its own.
func TestParallelGzipStreamsAnExpansiveStretch(t *testing.T) {
	for _, procs := range []int{2, 4} {
		t.Run(fmt.Sprintf("procs=%d", procs), func(t *testing.T) {
			forceParallelGzipProcs(t, 4096, procs)
			maxOut := parallelGzipMaxOut
			parallelGzipMaxOut = 256 << 10
			t.Cleanup(func() { parallelGzipMaxOut = maxOut })
			var text bytes.Buffer
			for i := range 4000 {
				fmt.Fprintf(&text, "T%d GET /api/orders/%d HTTP/1.1 %d\n", i, i*7919%100_003, 200+i%5)
			}
			text.Write(bytes.Repeat([]byte("T0 GET /health HTTP/1.1 200\n"), 200_000))
			for i := range 4000 {
				fmt.Fprintf(&text, "T%d GET /api/users/%d HTTP/1.1 %d\n", i, i*104_729%99_991, 200+i%3)
			}
			path := filepath.Join(t.TempDir(), "x.log.gz")
			if err := os.WriteFile(path, gzipped(text.String()), 0o644); err != nil {
				t.Fatal(err)
			}
			f, err := os.Open(path)
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			st, _ := f.Stat()
			p, err := openParallelGzip(f, st.Size(), nil)
			if err != nil || p == nil {
				t.Fatalf("openParallelGzip: %v, %v", p, err)
			}
			defer p.Close()
			got, err := io.ReadAll(p)
			if err != nil {
				t.Fatal(err)
			}
			// On 2 procs inflate decodes the member as one stream (no
			// chunks to bound); with workers the chunk goes to gzipStream.
			if procs > 2 && !p.streamed {
				t.Errorf("the repeated line's chunk was inflated whole, past the %d-byte bound", parallelGzipMaxOut)
			}
			if procs == 2 && p.streamed {
				t.Errorf("inflated again by gzipStream, though inflate streams without workers")
			}
			if !bytes.Equal(got, text.Bytes()) {
				t.Errorf("read %d bytes, want the %d written", len(got), text.Len())
			}
		})
	}
}

// Standard input in gzip is inflated, as a .gz file is: `fivexx report -
// < access.log.gz` read the compressed bytes as lines and said "not text".
// Read in one-byte reads too, so the magic check waits for its bytes.
func TestStdinGzipIsInflated(t *testing.T) {
	text := "T1 GET /a\nT2 GET /b\nT3 GET /c\n"
	for name, r := range map[string]func() io.Reader{
		"whole":    func() io.Reader { return bytes.NewReader(gzipped(text)) },
		"one byte": func() io.Reader { return iotest.OneByteReader(bytes.NewReader(gzipped(text))) },
		"plain":    func() io.Reader { return strings.NewReader(text) },
	} {
		in := NewInput(0, Spec{Path: "-", Format: "test-proxy"})
		ch := make(chan Item, 64)
		if err := readStdin(context.Background(), in, newDecoder(in, ch), r()); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		close(ch)
		var got []string
		for it := range ch {
			got = append(got, it.Rec.RawLine())
		}
		if want := []string{"T1 GET /a", "T2 GET /b", "T3 GET /c"}; !slices.Equal(got, want) || in.Counters().Unparsed != 0 {
			t.Errorf("%s: lines %q (%d unparsed), want %q", name, got, in.Counters().Unparsed, want)
		}
	}
}
