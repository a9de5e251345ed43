package nginx

import (
	"runtime"
	"strings"
	"testing"
	"time"

	"fivexx/sources"
	"fivexx/sources/parsertest"
	"fivexx/testdata/biglog"
)

// The lines fivexx is timed on end to end (`fivexx report` over
// testdata/biglog's access log) are nginx-upstream lines; these helpers
// make them in-process, so benchmarks and differential tests need no files.

// biglogLineCount is how many requests biglogLines generates: the first
// 200 s of the generator's incident cycle, so every incident (refused,
// reset, timed-out upstreams, retries, app 503s) happens once.
const biglogLineCount = 80_000

// biglogLines returns biglogLineCount access lines from testdata/biglog,
// generated once per test binary.
func biglogLines(tb testing.TB) []string {
	tb.Helper()
	lines := parsertest.BiglogLines(tb, biglogLineCount, biglog.AccessFile)
	if len(lines) != biglogLineCount {
		tb.Fatalf("biglog wrote %d access lines, want %d", len(lines), biglogLineCount)
	}
	return lines
}

// Kinds of generated lines, for picking a sample.
const (
	lineRetriedOK     = iota // more than one upstream attempt, not 5xx
	lineRetriedFailed        // more than one upstream attempt, 5xx
	lineFailed               // 5xx after one attempt (or none)
	lineKinds
)

// biglogSample returns 4096 lines of the generated log: four runs of 1024
// consecutive lines, each the run (from a multiple of 256) that holds the
// most retried-and-answered, retried-and-failed, failed-once and the
// fewest failed lines. In log order, consecutive lines share their second
// as in any log; together they hold every kind of line fivexx sees, and
// still mostly ordinary ones.
func biglogSample(tb testing.TB) []string {
	tb.Helper()
	const run = 1024
	lines := biglogLines(tb)
	p := newUpstreamParser()
	// count[k][i] is how many of lines[:i] are of kind k.
	var count [lineKinds][]int
	for k := range count {
		count[k] = make([]int, len(lines)+1)
	}
	for i, line := range lines {
		e, _, err := p.parse(line, nil)
		if err != nil {
			tb.Fatalf("Parse(%q): %v", line, err)
		}
		for k := range count {
			count[k][i+1] = count[k][i]
		}
		switch retried := len(e.UpstreamAddr) > 1; {
		case retried && e.Status < 500:
			count[lineRetriedOK][i+1]++
		case retried:
			count[lineRetriedFailed][i+1]++
		case e.Status >= 500:
			count[lineFailed][i+1]++
		}
	}
	in := func(k, from int) int { return count[k][from+run] - count[k][from] }
	// bestRun returns the start of the run score likes most.
	bestRun := func(score func(from int) int) int {
		best := 0
		for from := 0; from+run <= len(lines); from += 256 {
			if score(from) > score(best) {
				best = from
			}
		}
		return best
	}
	var out []string
	for k := range lineKinds {
		from := bestRun(func(from int) int { return in(k, from) })
		if in(k, from) < run/10 {
			tb.Fatalf("biglog sample: at most %d of %d consecutive lines are of kind %d", in(k, from), run, k)
		}
		out = append(out, lines[from:from+run]...)
	}
	quiet := bestRun(func(from int) int {
		return -in(lineRetriedOK, from) - in(lineRetriedFailed, from) - in(lineFailed, from)
	})
	return append(out, lines[quiet:quiet+run]...)
}

// BenchmarkUpstreamBiglog parses biglogSample's 4096 lines with
// nginx-upstream, as `fivexx report` does on the generated log; ns/op is
// per line, and allocs/line is allocs/op unrounded (testing rounds it
// down), so that a second allocation on some lines shows.
//
//	go test -run '^$' -bench UpstreamBiglog -benchmem ./sources/nginx/
func BenchmarkUpstreamBiglog(b *testing.B) {
	lines := biglogSample(b)
	p := newUpstreamParser()
	for _, line := range lines {
		if _, err := p.Parse(line); err != nil {
			b.Fatalf("Parse(%q): %v", line, err)
		}
	}
	b.ReportAllocs()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	parsertest.ParseRoundRobin(b, p, lines)
	runtime.ReadMemStats(&after)
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "lines/s")
	b.ReportMetric(float64(after.Mallocs-before.Mallocs)/float64(b.N), "allocs/line")
}

// TestBiglogSample checks that the benchmark's lines are what it says:
// each kind of line, and user agents with escapes.
func TestBiglogSample(t *testing.T) {
	lines := biglogSample(t)
	p := newUpstreamParser()
	var failed, retried, escaped int
	for _, line := range lines {
		e, _, err := p.parse(line, nil)
		if err != nil {
			t.Fatal(err)
		}
		if e.Status >= 500 {
			failed++
		}
		if len(e.UpstreamAddr) > 1 {
			retried++
		}
		if strings.Contains(line, `\x`) {
			escaped++
		}
	}
	if len(lines) != 4096 || failed < 200 || retried < 200 || escaped < 100 {
		t.Errorf("%d lines: %d 5xx, %d retried, %d with \\x; want 4096 lines and at least 200, 200, 100",
			len(lines), failed, retried, escaped)
	}
}

// TestUpstreamAllocs: a line costs one allocation, its entry with its
// lists, whatever it holds: one attempt or several, no upstream, a user
// agent to decode (seen before, as user agents mostly are).
func TestUpstreamAllocs(t *testing.T) {
	const head = `192.0.2.60 - - [02/Jan/2026:03:00:00 +0000] "GET /api/products/82849 HTTP/2.0" `
	for _, c := range []struct{ name, line string }{
		{"one attempt", head + `200 1145 "-" "ShopApp/4.12.0 (Android 14; SM-S911B)" rt=0.010 uct="0.000" uht="0.008" urt="0.008" ua="10.0.1.11:8080" us="200" rid=969d84764b426a8766d4323de5184b86 cid=21377`},
		{"two attempts", head + `502 157 "-" "curl/8.4.0" rt=0.036 uct="-, 0.000" uht="-, 0.035" urt="0.000, 0.035" ua="10.0.1.12:8080, 10.0.1.13:8080" us="502, 200" rid=455fa8811d3c15494ce9d74f654b8677 cid=25934`},
		{"three attempts", head + `502 157 "-" "curl/8.4.0" rt=0.036 uct="0.001, 0.001, 0.001" uht="-, -, -" urt="0.001, 0.001, 0.001" ua="a:1, b:1, c:1" us="502, 502, 502" rid=- cid=1`},
		{"no upstream", head + `200 68 "https://shop.example.com/" "Mozilla/5.0" rt=0.000 uct="-" uht="-" urt="-" ua="-" us="-" rid=99c4512426e110e439e57ede3c5ab30d cid=21383`},
		{"escaped agent", head + `200 502 "-" "Tienda\xC3\xB1/2.3.1 CFNetwork/1410.0.3 Darwin/22.6.0" rt=0.010 uct="0.000" uht="0.009" urt="0.009" ua="10.0.1.14:8080" us="200" rid=1032a5211b1dd9a947a48cee585a124a cid=21465`},
	} {
		p := newUpstreamParser()
		if _, err := p.Parse(c.line); err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if n := testing.AllocsPerRun(100, func() { p.Parse(c.line) }); n != 1 {
			t.Errorf("%s: %v allocations per line, want 1", c.name, n)
		}
	}
}

// BenchmarkUpstreamBiglogSlot is BenchmarkUpstreamBiglog the way a report
// parses: into a recycled slot (the line's text copied in, the entry
// zeroed), which allocates nothing once the slot has grown.
func BenchmarkUpstreamBiglogSlot(b *testing.B) {
	benchSlots(b, biglogSample(b))
}

// BenchmarkUpstreamBiglogInOrder is BenchmarkUpstreamBiglogSlot over the
// generated lines in log order: the mix a report parses (few retries, few
// 5xx), where the sample weighs each kind of line alike.
func BenchmarkUpstreamBiglogInOrder(b *testing.B) {
	benchSlots(b, biglogLines(b))
}

// benchSlots parses lines into one recycled slot, round and round, the way
// a report does (the line's text copied in, the entry left as the line
// before left it: sources.SlotParser).
func benchSlots(b *testing.B, lines []string) {
	p := newUpstreamParser()
	s := new(sources.ProxySlot)
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		if _, err := p.ParseSlot(s.SetText([]byte(lines[i])), s); err != nil {
			b.Fatal(err)
		}
		if i++; i == len(lines) {
			i = 0
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "lines/s")
}

// BenchmarkErrorBiglog parses the generated error log's lines, the error
// lines `fivexx report` reads beside the access log.
func BenchmarkErrorBiglog(b *testing.B) {
	lines := parsertest.BiglogLines(b, biglogLineCount, biglog.ErrorFile)
	p := &ErrorParser{clock: sources.NewLocalClock(time.UTC)}
	b.ReportAllocs()
	parsertest.ParseRoundRobin(b, p, lines)
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "lines/s")
}
