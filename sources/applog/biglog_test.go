package applog

import (
	"strings"
	"testing"

	"fivexx/sources"
	"fivexx/sources/parsertest"
	"fivexx/testdata/biglog"
)

// The app lines fivexx is timed on end to end (`fivexx report` over
// testdata/biglog's logs) are the generator's JSON lines; these helpers
// make them in-process, so benchmarks and differential tests need no files.

// biglogRequests is how many requests biglogAppLines generates: the first
// 75 s of the generator's incident cycle, which hold app 503s and 500s.
const biglogRequests = 30_000

// biglogMinAppLines is the least number of app lines expected from them
// (requests answered from files or refused never reach the app).
const biglogMinAppLines = 19_000

// biglogAppLines returns the app lines of biglogRequests generated
// requests, generated once per test binary.
func biglogAppLines(tb testing.TB) []string {
	tb.Helper()
	lines := parsertest.BiglogLines(tb, biglogRequests, biglog.AppFile)
	if len(lines) < biglogMinAppLines {
		tb.Fatalf("biglog wrote %d app lines, want at least %d", len(lines), biglogMinAppLines)
	}
	return lines
}

// biglogSample returns n app lines spread evenly over the generated log, so
// they hold its mix of statuses, levels, paths and duration shapes. They
// lie one after the other in memory, as lines fivexx reads in turn do,
// rather than scattered over the whole log.
func biglogSample(tb testing.TB, n int) []string {
	tb.Helper()
	all := biglogAppLines(tb)
	picked := make([]string, 0, n)
	for i := range n {
		picked = append(picked, all[i*len(all)/n])
	}
	return strings.Split(strings.Join(picked, "\n"), "\n")
}

// BenchmarkJSONBiglog parses 4096 testdata/biglog app lines with app-json,
// as `fivexx report` does on the generated log; ns/op and allocs/op are
// per line.
//
//	go test -run '^$' -bench JSONBiglog -benchmem ./sources/applog/
func BenchmarkJSONBiglog(b *testing.B) {
	lines := biglogSample(b, 4096)
	p := newTestParser(b, FormatJSON, testOpts)
	for _, line := range lines {
		if _, err := p.Parse(line); err != nil {
			b.Fatalf("Parse(%q): %v", line, err)
		}
	}
	b.ReportAllocs()
	parsertest.ParseRoundRobin(b, p, lines)
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "lines/s")
}

// BenchmarkJSONBiglogSlot is BenchmarkJSONBiglog through ParseAppSlot, the
// path `fivexx report` takes: each line lies in a slot of its own, as the
// reader hands them out, and parses into that slot's entry, so a line
// should cost no allocation at all.
//
//	go test -run '^$' -bench JSONBiglogSlot -benchmem ./sources/applog/
func BenchmarkJSONBiglogSlot(b *testing.B) {
	lines := biglogSample(b, 4096)
	p := newTestParser(b, FormatJSON, testOpts).(sources.AppSlotParser)
	slots := make([]sources.AppSlot, len(lines))
	texts := make([]string, len(lines))
	for i, line := range lines {
		texts[i] = slots[i].SetText([]byte(line))
		if _, err := p.ParseAppSlot(texts[i], &slots[i]); err != nil {
			b.Fatalf("ParseAppSlot(%q): %v", line, err)
		}
	}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		if _, err := p.ParseAppSlot(texts[i], &slots[i]); err != nil {
			b.Fatal(err)
		}
		if i++; i == len(lines) {
			i = 0
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "lines/s")
}
