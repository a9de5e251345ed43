package haproxy

import (
	"testing"

	"fivexx/sources"
	"fivexx/sources/parsertest"
)

// BenchmarkFormats times the haproxy format on lines the lab's HAProxy
// 2.6 wrote, once per envelope, split by status: 2xx lines are most of any
// log, so their allocations per line are the ones to bring toward zero;
// 5xx lines are what fivexx is for.
//
//	go test -run '^$' -bench Formats -benchmem ./sources/haproxy/
func BenchmarkFormats(b *testing.B) {
	for _, c := range []struct{ name, file string }{
		{"haproxy/raw", "testdata/raw.log"},         // log stdout format raw
		{"haproxy/rfc3164", "testdata/rfc3164.log"}, // syslog, the default
		{"haproxy/rfc5424", "testdata/rfc5424.log"}, // log ... format rfc5424
	} {
		sample := parsertest.Lines(b, c.file)
		b.Run(c.name, func(b *testing.B) {
			parsertest.BenchFormat(b, "haproxy", sources.ParserOptions{}, sample, parsertest.StatusGroups)
		})
	}
}
