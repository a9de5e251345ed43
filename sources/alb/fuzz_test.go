package alb

import (
	"fivexx/sources/parsertest"
	"testing"

	"fivexx/sources"
)

// ownLines are the sample lines of this package's formats.
func ownLines(tb testing.TB) []string {
	return parsertest.Lines(tb, "../../testdata/formats/alb/*.log*")
}

// checkRecord asserts the parser properties every line must keep, and
// what this format's entries always have.
func checkRecord(t *testing.T, line string, rec sources.Record, err error) {
	t.Helper()
	if e := parsertest.ProxyEntry(t, line, rec, err); e != nil && (len(e.UpstreamAddr) != 1 || len(e.UpstreamHeader) != 1) {
		t.Fatalf("bad entry from %q: %#v", line, e)
	}
}

func FuzzParse(f *testing.F) {
	for _, l := range ownLines(f) {
		f.Add(l)
	}
	f.Add(`h2 2023-01-07T09:22:52.872365Z app/x/y 1.2.3.4:1 - -1 -1 -1 504 - 49 202 "GET https://h:443/"a" b HTTP/2.0" "c" - - - "Self=1;Root=" "-" "-" 1 x "forward" "-" "Lambda" "-"`)
	// A raw '"' in the user agent: found by the fields after it, or, where
	// it could end twice, not read.
	f.Add(`https 2024-01-02T03:05:08.100000Z app/web/50dc6c495c0c9188 [2001:db8::9]:51004 - 0.001 -1 -1 502 - 34 366 "GET https://api.example.com:443/slow?n=5 HTTP/1.1" "Mozilla/5.0 "quoted" x" ECDHE-RSA-AES128-GCM-SHA256 TLSv1.2 arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/web/73e2d6bc24d8a067 "Root=1-65937a41-0123456789abcdef01230004" "api.example.com" "-" 0 2024-01-02T03:04:08.100000Z "forward" "-" "LambdaUnhandled" "-" "-" "-" "-" TID_abc4`)
	f.Add(`https 2024-01-02T03:05:08.100000Z app/web/50dc6c495c0c9188 [2001:db8::9]:51004 - 0.001 -1 -1 502 - 34 366 "GET https://api.example.com:443/slow?n=5 HTTP/1.1" "x" - - arn:aws:x "y" ECDHE-RSA-AES128-GCM-SHA256 TLSv1.2 arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/web/73e2d6bc24d8a067 "Root=1-65937a41-0123456789abcdef01230004" "api.example.com" "-" 0 2024-01-02T03:04:08.100000Z "forward" "-" "LambdaSomethingNew" "-" "-" "-" "-" TID_abc4`)
	// A raw '"' in the request or the redirect URL: found by the fields
	// after it, or, where it could end twice, not read.
	f.Add(`https 2024-01-02T03:05:08.100000Z app/web/50dc6c495c0c9188 [2001:db8::9]:51004 - 0.001 -1 -1 502 - 34 366 "GET https://api.example.com:443/a" "b HTTP/1.1" "curl/8.4.0" ECDHE-RSA-AES128-GCM-SHA256 TLSv1.2 arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/web/73e2d6bc24d8a067 "Root=1-65937a41-0123456789abcdef01230004" "api.example.com" "-" 0 2024-01-02T03:04:08.100000Z "forward" "-" "LambdaUnhandled" "-" "-" "-" "-" TID_abc4`)
	f.Add(`https 2024-01-02T03:05:08.100000Z app/web/50dc6c495c0c9188 203.0.113.9:51004 - 0.001 -1 -1 500 - 34 366 "GET https://api.example.com:443/login HTTP/1.1" "curl/8.4.0" ECDHE-RSA-AES128-GCM-SHA256 TLSv1.2 - "Root=1-65937a41-0123456789abcdef01230004" "api.example.com" "-" 3 2024-01-02T03:05:08.000000Z "authenticate,redirect" "https://example.com:443/a" "b" "AuthTokenEpRequestTimeout" "-" "-"`)
	f.Fuzz(func(t *testing.T, line string) {
		rec, err := NewParser().Parse(line)
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

func BenchmarkParse(b *testing.B) { benchParse(b, NewParser()) }
