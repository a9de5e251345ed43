package parsers

import (
	"testing"

	"fivexx/sources"
)

// BenchmarkDetect times detecting an input's format from its head: the
// lines a report holds for detection (256, as many as the file has when
// shorter), scored by every format. It is a fixed cost per input, most of
// the CPU for a short file.
//
//	go test -run '^$' -bench Detect -benchmem ./sources/parsers/
func BenchmarkDetect(b *testing.B) {
	for _, s := range []struct{ name, file string }{
		{"app-json", "../../testdata/recordings/nginx-upstream/app.log"},
		{"app-text", "../../testdata/recordings/nginx-combined/app.log"},
		{"nginx-upstream", "../../testdata/recordings/nginx-upstream/access.log"},
		{"nginx-error", "../../testdata/recordings/nginx-upstream/error.log"},
		{"caddy", "../../testdata/recordings/caddy/access.log"},
		{"envoy-json", "../../testdata/formats/envoy/json.log"},
		{"traefik-json", "../../testdata/formats/traefik/json.log"},
		{"cloudflare", "../../testdata/formats/cloudflare/http_requests.log"},
	} {
		b.Run(s.name, func(b *testing.B) {
			lines := head(b, s.file, 256)
			b.ReportAllocs()
			for b.Loop() {
				sources.DetectSample(lines, sources.RoleUnknown)
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(len(lines)), "ns/line")
		})
	}
}
