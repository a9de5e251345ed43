package envoy

import (
	"testing"

	"fivexx/sources"
	"fivexx/sources/parsertest"
)

// BenchmarkFormats times the Envoy formats on published lines (see
// testdata/formats/envoy/SOURCES.md), split by status: 2xx lines are most
// of any log, so their allocations per line are the ones to bring toward
// zero; 5xx lines are what fivexx is for.
//
//	go test -run '^$' -bench Formats -benchmem ./sources/envoy/
func BenchmarkFormats(b *testing.B) {
	for _, c := range []struct{ format, files string }{
		{"envoy", "../../testdata/formats/envoy/*.log"}, // access.log and built.log; json.log's lines are skipped
		{"envoy-json", "../../testdata/formats/envoy/json.log"},
	} {
		sample := parsertest.Lines(b, c.files)
		b.Run(c.format, func(b *testing.B) { benchFormat(b, c.format, sources.ParserOptions{}, sample, statusGroups) })
	}
}

// lineGroup is one sub-benchmark: the sample lines whose record keep accepts.
type lineGroup struct {
	name string
	keep func(sources.Record) bool
}

// statusGroups split access lines by the status sent to the client.
var statusGroups = []lineGroup{{"2xx", hasStatusClass(2)}, {"5xx", hasStatusClass(5)}}

// hasStatusClass keeps the access entries whose status is class×100 to
// class×100+99.
func hasStatusClass(class int) func(sources.Record) bool {
	return func(r sources.Record) bool {
		e, ok := r.(*sources.ProxyEntry)
		return ok && e.Status/100 == class
	}
}

// benchFormat runs one sub-benchmark per group. Each builds the format's
// parser through the registry, as fivexx does, and parses the group's lines
// round-robin, one line per iteration, so ns/op, B/op and allocs/op are per
// line.
func benchFormat(b *testing.B, format string, opts sources.ParserOptions, sample []string, groups []lineGroup) {
	b.Helper()
	f, ok := sources.LookupFormat(format)
	if !ok {
		b.Fatalf("format %q is not registered", format)
	}
	newParser := func(b *testing.B) sources.Parser {
		b.Helper()
		p, err := f.New(opts)
		if err != nil {
			b.Fatalf("%s: New: %v", format, err)
		}
		return p
	}
	for _, g := range groups {
		b.Run(g.name, func(b *testing.B) {
			lines := pickLines(b, newParser(b), sample, g.keep)
			p := newParser(b)
			// Parse the lines twice in loop order first (the second pass
			// wraps around as the loop does, for parsers that keep state):
			// a line that failed would time the error path.
			for range 2 {
				for _, line := range lines {
					rec, err := p.Parse(line)
					if err != nil || rec == nil || rec.RawLine() != line || !g.keep(rec) {
						b.Fatalf("%s %s: Parse(%q) = %+v, %v", format, g.name, line, rec, err)
					}
				}
			}
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				if _, err := p.Parse(lines[i]); err != nil {
					b.Fatal(err)
				}
				if i++; i == len(lines) {
					i = 0
				}
			}
			// One line per iteration: b.N lines were parsed in all.
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "lines/s")
		})
	}
}

// pickLines returns the sample lines that parse into a record keep accepts.
func pickLines(b *testing.B, p sources.Parser, sample []string, keep func(sources.Record) bool) []string {
	b.Helper()
	var lines []string
	for _, line := range sample {
		if rec, err := p.Parse(line); err == nil && rec != nil && keep(rec) {
			lines = append(lines, line)
		}
	}
	if len(lines) == 0 {
		b.Fatalf("none of the %d sample lines belongs to this group", len(sample))
	}
	return lines
}
