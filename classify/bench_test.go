package classify_test

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"fivexx/classify"
	"fivexx/sources"
	"fivexx/sources/demo"
	_ "fivexx/sources/parsers"
	"fivexx/testdata/biglog"
)

// parsedDemo parses a few minutes of a demo incident once, through the
// real parsers, merged by time as a report reads it.
func parsedDemo(b *testing.B, scenario string, d time.Duration) ([]*sources.Input, []sources.Item) {
	b.Helper()
	sc, ok := demo.Lookup(scenario)
	if !ok {
		b.Fatalf("no scenario %s", scenario)
	}
	paths, err := demo.WriteFiles(b.TempDir(), sc, 1, time.Date(2026, 1, 2, 3, 0, 0, 0, time.UTC), d)
	if err != nil {
		b.Fatal(err)
	}
	return parsedFiles(b, paths)
}

// parsedBiglog parses the bench set's three files (testdata/biglog: an
// nginx-upstream access log with request ids, its error log and the app's
// JSON log) for the given number of requests, merged by time.
func parsedBiglog(b *testing.B, requests int64) ([]*sources.Input, []sources.Item) {
	b.Helper()
	dir := b.TempDir()
	if _, err := biglog.Generate(dir, biglog.Config{Lines: requests, Seed: 1, NoCombined: true}); err != nil {
		b.Fatal(err)
	}
	return parsedFiles(b, []string{filepath.Join(dir, biglog.AccessFile), filepath.Join(dir, biglog.ErrorFile), filepath.Join(dir, biglog.AppFile)})
}

// parsedFiles reads files to their end, merged by time as a report reads
// them, into records of their own (not recycled).
func parsedFiles(b *testing.B, paths []string) ([]*sources.Input, []sources.Item) {
	var ins []*sources.Input
	for i, p := range paths {
		in := sources.NewInput(i, sources.Spec{Path: p, Opts: sources.ParserOptions{Location: time.UTC}})
		in.KeepRecords()
		ins = append(ins, in)
	}
	batches := make(chan []sources.Item, 4)
	done := make(chan []error, 1)
	go func() { done <- sources.MergeBatches(context.Background(), ins, batches) }()
	var items []sources.Item
	for bt := range batches {
		items = append(items, bt...)
	}
	for _, err := range <-done {
		if err != nil {
			b.Fatal(err)
		}
	}
	return ins, items
}

// BenchmarkLiveEngine is BenchmarkEngine/biglog through a live engine
// (timelines made as verdicts are, a clock that is the time of the last
// line given), judging with evidence or explaining later
// (Config.ExplainLater), as live mode does since session 22.
func BenchmarkLiveEngine(b *testing.B) {
	ins, items := parsedBiglog(b, 200_000)
	for _, later := range []bool{false, true} {
		name := "eager"
		if later {
			name = "explainlater"
		}
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				var now time.Time
				eng := classify.NewEngine(classify.Config{Inputs: ins, Live: true, Timeline: true, Grace: time.Second,
					Now: func() time.Time { return now }, ExplainLater: later})
				for n, it := range items {
					if at := it.Rec.RecordTime(); at.After(now) {
						now = at
					}
					eng.Add(it.Input, it.Rec)
					if n%256 == 255 {
						eng.Advance()
					}
				}
				eng.Flush()
				if s := eng.Publish(false); s.Total.Requests == 0 {
					b.Fatal("no requests counted")
				}
			}
			b.ReportMetric(float64(len(items))*float64(b.N)/b.Elapsed().Seconds(), "lines/s")
		})
	}
}

// BenchmarkEngine measures the correlator, the rules and the stats alone:
// records already parsed and merged go through Add and Advance as a report
// drives them, then Flush and a full Publish. lines/s counts records.
func BenchmarkEngine(b *testing.B) {
	for _, tc := range []struct {
		name     string
		timeline bool
		biglog   bool
	}{{"report", false, false}, {"timeline", true, false}, {"biglog", false, true}} {
		b.Run(tc.name, func(b *testing.B) {
			var ins []*sources.Input
			var items []sources.Item
			if tc.biglog {
				ins, items = parsedBiglog(b, 200_000)
			} else {
				ins, items = parsedDemo(b, "slow-dependency", 5*time.Minute)
			}
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				eng := classify.NewEngine(classify.Config{Inputs: ins, Grace: 5 * time.Second, Timeline: tc.timeline})
				for n, it := range items {
					eng.Add(it.Input, it.Rec)
					if n%256 == 255 {
						eng.Advance()
					}
				}
				eng.Flush()
				if s := eng.Publish(true); s.Total.Requests == 0 {
					b.Fatal("no requests counted")
				}
			}
			b.ReportMetric(float64(len(items))*float64(b.N)/b.Elapsed().Seconds(), "lines/s")
		})
	}
}

// BenchmarkWindowJoin measures the time window's join (windowjoin.go): the
// bench set's plain combined access log (no request ids, no request times)
// and its app log, 150,000 requests (6 min 15 s of log, 103,000 app
// lines), through the engine as a report drives it. Every app line is
// held for the retention, and each 5xx looks for its lines among them
// (the 504s up to a minute back). lines/s counts records.
func BenchmarkWindowJoin(b *testing.B) {
	dir := b.TempDir()
	if _, err := biglog.Generate(dir, biglog.Config{Lines: 150_000, Seed: 1}); err != nil {
		b.Fatal(err)
	}
	ins, items := parsedFiles(b, []string{filepath.Join(dir, biglog.CombinedFile), filepath.Join(dir, biglog.AppFile)})
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		var joined int
		eng := classify.NewEngine(classify.Config{Inputs: ins, Terse: true, OnVerdict: func(v *classify.Verdict) {
			if len(v.AppLines) > 0 {
				joined++
			}
		}})
		for n, it := range items {
			eng.Add(it.Input, it.Rec)
			if n%256 == 255 {
				eng.Advance()
			}
		}
		eng.Flush()
		if joined == 0 {
			b.Fatal("no 5xx joined an app line")
		}
	}
	b.ReportMetric(float64(len(items))*float64(b.N)/b.Elapsed().Seconds(), "lines/s")
}
