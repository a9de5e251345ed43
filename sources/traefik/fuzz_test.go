package traefik

import (
	"fivexx/sources/parsertest"
	"testing"

	"fivexx/sources"
)

// ownLines are the sample lines of this package's formats.
func ownLines(tb testing.TB) []string {
	return parsertest.Lines(tb, "../../testdata/formats/traefik/*.log")
}

// checkRecord asserts the parser properties every line must keep, and
// what this format's entries always have.
func checkRecord(t *testing.T, line string, rec sources.Record, err error) {
	t.Helper()
	if e := parsertest.ProxyEntry(t, line, rec, err); e != nil && (e.Time.IsZero()) {
		t.Fatalf("bad entry from %q: %#v", line, e)
	}
}

func FuzzCommon(f *testing.F) {
	for _, l := range ownLines(f) {
		f.Add(l)
	}
	f.Add(`10.0.0.9 - - [02/Jan/2024:03:04:06 +0000] "GET /a" b HTTP/1.1" - - "-" "cu"rl" 0 "" - 99999999999999999999ms`)
	f.Add(`10.0.0.9 - - [02/Jan/2024:03:04:14 +0000] "GET /ws HTTP/1.1" 0 0 "-" "curl/8.4.0" 10 "api@docker" "http://172.18.0.5:8080" 0ms`)
	f.Add(`10.0.0.9 - - [02/Jan/2024:03:04:14 +0000] "GET /ws HTTP/1.1" 0 - "-" "-" 0 "-" - 0ms`)
	// Traefik's own DEBUG lines (formats.md §7.3), and broken ones.
	f.Add(`time="2020-07-27T10:00:00Z" level=debug msg="'502 Bad Gateway' caused by: dial tcp 10.244.0.146:5000: connect: connection refused"`)
	f.Add(`time="2020-07-27T10:00:00Z" level=debug msg="'504 Gateway Timeout' caused by: dial tcp 10.244.0.146:5000: i/o timeout" extra=1`)
	f.Add(`time="2020-07-27T10:00:00Z" level=debug msg="'50`)
	f.Add(`time= level=debug msg="\"`)
	// v3's zerolog console lines (own.go), coloured and broken ones.
	f.Add(`2025-08-14T03:55:08Z DBG github.com/traefik/traefik/v3/pkg/proxy/httputil/proxy.go:121 > 502 Bad Gateway error="dial tcp 10.76.0.36:8080: connect: connection refused"`)
	f.Add(`2025-08-14T03:55:09Z ERR 500 Internal Server Error error="tls: failed to verify certificate: x509: certificate signed by unknown authority"`)
	f.Add("\x1b[90m2025-08-14T03:55:08Z\x1b[0m \x1b[33mDBG\x1b[0m 502 Bad Gateway \x1b[36merror=\x1b[0m\x1b[31mEOF\x1b[0m")
	f.Add(`2025-08-14T03:55:08Z DBG x.go:1 > 502 Bad Gateway error="\x`)
	f.Add("2025-08-14T03:55:08Z ERR 500 x error=\x1b[")
	f.Fuzz(func(t *testing.T, line string) {
		rec, err := NewCommonParser().Parse(line)
		checkRecord(t, line, rec, err)
	})
}

func FuzzJSON(f *testing.F) {
	for _, l := range ownLines(f) {
		f.Add(l)
	}
	f.Add(`{"DownstreamStatus":"1e30","OriginStatus":-5,"Duration":-1,"RouterName":{},"StartUTC":"2025-01-02T03:04:05Z"}`)
	f.Add(`{"level":"debug","error":"dial tcp 10.244.0.146:5000: connect: connection refused","message":"502 Bad Gateway","time":"2024-01-02T03:04:05Z"}`)
	f.Add(`{"level":"debug","msg":"'502 Bad Gateway' caused by: EOF","time":"2024-01-02T03:04:05Z"}`)
	// A JSON access log's stream holds v3's console lines too.
	f.Add(`2025-08-14T03:55:08Z DBG github.com/traefik/traefik/v3/pkg/proxy/httputil/proxy.go:121 > 502 Bad Gateway error="dial tcp 10.76.0.36:8080: connect: connection refused"`)
	f.Add(`time="2020-07-27T10:00:00Z" level=debug msg="'502 Bad Gateway' caused by: EOF"`)
	f.Fuzz(func(t *testing.T, line string) {
		rec, err := NewJSONParser().Parse(line)
		checkRecord(t, line, rec, err)
	})
}

// benchLines returns the sample lines the parser accepts.
func benchLines(b *testing.B, p sources.Parser) []string {
	var lines []string
	for _, l := range ownLines(b) {
		if _, err := p.Parse(l); err == nil {
			lines = append(lines, l)
		}
	}
	if len(lines) == 0 {
		b.Fatal("no sample lines")
	}
	return lines
}

func benchParse(b *testing.B, p sources.Parser) {
	lines := benchLines(b, p)
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		if _, err := p.Parse(lines[i%len(lines)]); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "lines/s")
}

func BenchmarkCommon(b *testing.B) { benchParse(b, NewCommonParser()) }
func BenchmarkJSON(b *testing.B)   { benchParse(b, NewJSONParser()) }
