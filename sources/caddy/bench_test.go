package caddy

import (
	"slices"
	"testing"

	"fivexx/sources"
	"fivexx/sources/parsertest"
)

// BenchmarkFormats times the caddy format on lines the lab's Caddy 2.6
// wrote (this package's and a recorded run's): access entries split by status (2xx lines are most of any log, so
// their allocations per line are the ones to bring toward zero; 5xx lines
// are what fivexx is for), and the error entries Caddy writes beside a 5xx.
//
//	go test -run '^$' -bench Formats -benchmem ./sources/caddy/
func BenchmarkFormats(b *testing.B) {
	sample := slices.Concat(parsertest.Lines(b, "testdata/*.log"),
		parsertest.Lines(b, "../../testdata/recordings/caddy/access.log"))
	groups := slices.Concat(parsertest.StatusGroups, []parsertest.LineGroup{{Name: "error", Keep: func(r sources.Record) bool {
		e, ok := r.(*sources.ProxyError)
		return ok && e.Reason != sources.ReasonNone
	}}})
	b.Run("caddy", func(b *testing.B) { parsertest.BenchFormat(b, "caddy", sources.ParserOptions{}, sample, groups) })
}
