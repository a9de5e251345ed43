package sources

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

// BenchmarkLineSplitter is the splitter alone on real access lines (the
// nginx-upstream recording, repeated to 8 MiB) in 64 KiB reads: what each
// line costs before its parser.
func BenchmarkLineSplitter(b *testing.B) {
	rec, err := os.ReadFile(filepath.Join("..", "testdata", "recordings", "nginx-upstream", "access.log"))
	if err != nil {
		b.Fatal(err)
	}
	data := bytes.Repeat(rec, (8<<20)/len(rec)+1)
	lines := 0
	emit := func(line []byte, _ bool) error {
		lines++
		return nil
	}
	b.SetBytes(int64(len(data)))
	b.ResetTimer()
	for range b.N {
		var s lineSplitter
		for p := data; len(p) > 0; {
			n := min(readChunk, len(p))
			if err := s.feed(p[:n], emit); err != nil {
				b.Fatal(err)
			}
			p = p[n:]
		}
		if err := s.flush(emit); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(lines)/b.Elapsed().Seconds(), "lines/s")
}
