package sources_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"fivexx/sources"
	"fivexx/sources/demo"
	_ "fivexx/sources/parsers"
)

// demoFile writes two minutes of a demo incident and returns the path of
// one of its files (access.log: nginx upstream format; app.log: JSON).
func demoFile(b *testing.B, name string) string {
	b.Helper()
	dir := b.TempDir()
	sc, _ := demo.Lookup("oom-kill")
	if _, err := demo.WriteFiles(dir, sc, 1, time.Date(2026, 1, 2, 3, 0, 0, 0, time.UTC), 2*time.Minute); err != nil {
		b.Fatal(err)
	}
	return filepath.Join(dir, name)
}

// BenchmarkReadBatches measures one input read to its end: block reads,
// line splitting, the parser and the batches (what each reader goroutine
// of a report does).
func BenchmarkReadBatches(b *testing.B) {
	for _, name := range []string{"access.log", "app.log"} {
		b.Run(name, func(b *testing.B) {
			path := demoFile(b, name)
			st, err := os.Stat(path)
			if err != nil {
				b.Fatal(err)
			}
			var lines int64
			b.SetBytes(st.Size())
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				in := sources.NewInput(0, sources.Spec{Path: path})
				out := make(chan []sources.Item, 4)
				done := make(chan error, 1)
				go func() { done <- sources.ReadBatches(context.Background(), in, out); close(out) }()
				for range out {
				}
				if err := <-done; err != nil {
					b.Fatal(err)
				}
				c := in.Counters()
				if c.Unparsed != 0 {
					b.Fatalf("%d unparsed lines", c.Unparsed)
				}
				lines += c.Lines
			}
			b.ReportMetric(float64(lines)/b.Elapsed().Seconds(), "lines/s")
		})
	}
}
