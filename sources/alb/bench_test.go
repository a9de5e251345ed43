package alb

import (
	"testing"

	"fivexx/sources"
	"fivexx/sources/parsertest"
)

// BenchmarkFormats times the alb format on the AWS documentation's lines
// and the gzip object's (see testdata/formats/alb/SOURCES.md), split by
// status: 2xx lines are most of any log, so their allocations per line are
// the ones to bring toward zero; 5xx lines are what fivexx is for.
//
//	go test -run '^$' -bench Formats -benchmem ./sources/alb/
func BenchmarkFormats(b *testing.B) {
	sample := parsertest.Lines(b, "../../testdata/formats/alb/*.log*")
	b.Run("alb", func(b *testing.B) {
		parsertest.BenchFormat(b, "alb", sources.ParserOptions{}, sample, parsertest.StatusGroups)
	})
}
