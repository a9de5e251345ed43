package traefik

import (
	"testing"

	"fivexx/sources"
	"fivexx/sources/parsertest"
)

// BenchmarkFormats times the Traefik formats on published lines (see
// testdata/formats/traefik/SOURCES.md), split by status: 2xx lines are most
// of any log, so their allocations per line are the ones to bring toward
// zero; 5xx lines are what fivexx is for.
//
//	go test -run '^$' -bench Formats -benchmem ./sources/traefik/
func BenchmarkFormats(b *testing.B) {
	for _, c := range []struct{ format, file string }{
		{"traefik", "../../testdata/formats/traefik/common.log"},
		{"traefik-json", "../../testdata/formats/traefik/json.log"},
	} {
		sample := parsertest.Lines(b, c.file)
		b.Run(c.format, func(b *testing.B) {
			parsertest.BenchFormat(b, c.format, sources.ParserOptions{}, sample, parsertest.StatusGroups)
		})
	}
}
