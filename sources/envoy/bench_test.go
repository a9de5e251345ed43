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
		b.Run(c.format, func(b *testing.B) {
			parsertest.BenchFormat(b, c.format, sources.ParserOptions{}, sample, parsertest.StatusGroups)
		})
	}
}
