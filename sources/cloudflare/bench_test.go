package cloudflare

import (
	"testing"

	"fivexx/sources"
	"fivexx/sources/parsertest"
)

// BenchmarkFormats times the cloudflare format on Logpush lines (see
// testdata/formats/cloudflare/SOURCES.md), split by edge status: 2xx lines
// are most of any log, so their allocations per line are the ones to bring
// toward zero; 5xx lines are what fivexx is for.
//
//	go test -run '^$' -bench Formats -benchmem ./sources/cloudflare/
func BenchmarkFormats(b *testing.B) {
	sample := parsertest.Lines(b, "../../testdata/formats/cloudflare/http_requests.log")
	b.Run("cloudflare", func(b *testing.B) {
		parsertest.BenchFormat(b, "cloudflare", sources.ParserOptions{}, sample, parsertest.StatusGroups)
	})
}
