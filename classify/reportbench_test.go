package classify_test

import (
	"testing"

	"fivexx/classify"
)

// BenchmarkReportEngine is BenchmarkEngine/biglog as a report drives the
// engine (cmd/fivexx report --json): totals only (Terse), a grace of 5 s,
// eight recent verdicts, the records handed over in runs (FeedRun).
// lines/s counts records. Under callgrind, with GOGC=off (no collector
// work lands in the engine's calls) and
// --toggle-collect='fivexx/classify.(*Engine).FeedRun', it counts the
// engine's instructions alone, the same on every run.
func BenchmarkReportEngine(b *testing.B) {
	ins, items := parsedBiglog(b, 200_000)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		eng := classify.NewEngine(classify.Config{Inputs: ins, Grace: 5e9, MaxRecent: 8, Terse: true})
		for from := 0; from < len(items); from += 64 {
			eng.FeedRun(items[from:min(from+64, len(items))])
		}
		eng.Flush()
		if s := eng.Publish(true); s.Total.Requests == 0 {
			b.Fatal("no requests counted")
		}
	}
	b.ReportMetric(float64(len(items))*float64(b.N)/b.Elapsed().Seconds(), "lines/s")
}
