package parsertest

import (
	"testing"

	"fivexx/sources"
)

// The parser benchmarks of every format package share these: one
// sub-benchmark per group of sample lines, lines/s and allocations per line.

// LineGroup is one sub-benchmark: the sample lines whose record keep accepts.
type LineGroup struct {
	Name string
	Keep func(sources.Record) bool
}

// StatusGroups split access lines by the status sent to the client.
var StatusGroups = []LineGroup{{Name: "2xx", Keep: HasStatusClass(2)}, {Name: "5xx", Keep: HasStatusClass(5)}}

// HasStatusClass keeps the access entries whose status is class×100 to
// class×100+99.
func HasStatusClass(class int) func(sources.Record) bool {
	return func(r sources.Record) bool {
		e, ok := r.(*sources.ProxyEntry)
		return ok && e.Status/100 == class
	}
}

// BenchFormat runs one sub-benchmark per group. Each builds the format's
// parser through the registry, as fivexx does, and parses the group's lines
// round-robin, one line per iteration, so ns/op, B/op and allocs/op are per
// line.
func BenchFormat(b *testing.B, format string, opts sources.ParserOptions, sample []string, groups []LineGroup) {
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
		b.Run(g.Name, func(b *testing.B) {
			lines := pickLines(b, newParser(b), sample, g.Keep)
			p := newParser(b)
			// Parse the lines twice in loop order first (the second pass
			// wraps around as the loop does, for parsers that keep state):
			// a line that failed would time the error path.
			for range 2 {
				for _, line := range lines {
					rec, err := p.Parse(line)
					if err != nil || rec == nil || rec.RawLine() != line || !g.Keep(rec) {
						b.Fatalf("%s %s: Parse(%q) = %+v, %v", format, g.Name, line, rec, err)
					}
				}
			}
			b.ReportAllocs()
			ParseRoundRobin(b, p, lines)
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

// ParseRoundRobin parses lines with p, one a loop iteration, round and
// round: the loop of a parser benchmark (b.N lines are parsed in all).
func ParseRoundRobin(b *testing.B, p sources.Parser, lines []string) {
	i := 0
	for b.Loop() {
		if _, err := p.Parse(lines[i]); err != nil {
			b.Fatal(err)
		}
		if i++; i == len(lines) {
			i = 0
		}
	}
}
