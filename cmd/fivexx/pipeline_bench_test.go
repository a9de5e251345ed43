package main

import (
	"bufio"
	"bytes"
	"io"
	"os"
	"testing"
	"time"

	"fivexx/sources/demo"
)

// demoLogs writes a demo incident (the slow-dependency scenario: 504s and
// app errors among ordinary traffic) to a temp dir and returns the paths
// and their total line count.
func demoLogs(b *testing.B, d time.Duration) ([]string, int64) {
	b.Helper()
	sc, ok := demo.Lookup("slow-dependency")
	if !ok {
		sc = demo.Scenarios()[0]
	}
	paths, err := demo.WriteFiles(b.TempDir(), sc, 1, time.Date(2026, 1, 2, 3, 0, 0, 0, time.UTC), d)
	if err != nil {
		b.Fatal(err)
	}
	var lines int64
	for _, p := range paths {
		f, err := os.Open(p)
		if err != nil {
			b.Fatal(err)
		}
		sc := bufio.NewScanner(f)
		sc.Buffer(nil, 1<<20)
		for sc.Scan() {
			lines++
		}
		f.Close()
	}
	return paths, lines
}

// BenchmarkReport measures `fivexx report --json` end to end over five
// minutes of demo logs (access, error and app log, about 90,000 lines):
// read, parse every field, merge by time, correlate, classify, stats and
// the JSON. lines/s counts the lines of all three files.
func BenchmarkReport(b *testing.B) {
	paths, lines := demoLogs(b, 5*time.Minute)
	args := append([]string{"report", "--json"}, paths...)
	var out bytes.Buffer
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		out.Reset()
		if code := run(args, nil, &out, io.Discard); code != 0 {
			b.Fatalf("report exited %d", code)
		}
	}
	b.ReportMetric(float64(lines)*float64(b.N)/b.Elapsed().Seconds(), "lines/s")
	b.ReportMetric(float64(lines), "lines/op")
}
