package envoy

import (
	"fivexx/sources/parsertest"
	"strings"
	"testing"

	"fivexx/sources"
)

// ownLines are the sample lines of this package's formats.
func ownLines(tb testing.TB) []string {
	return parsertest.Lines(tb, "../../testdata/formats/envoy/*.log")
}

// checkRecord asserts the parser properties every line must keep, and
// what this format's entries always have.
func checkRecord(t *testing.T, line string, rec sources.Record, err error) {
	t.Helper()
	if e := parsertest.ProxyEntry(t, line, rec, err); e != nil && (strings.HasPrefix(line, "[") && e.Flags == "") {
		t.Fatalf("bad entry from %q: %#v", line, e)
	}
}

func FuzzText(f *testing.F) {
	for _, l := range ownLines(f) {
		f.Add(l)
	}
	f.Add(`[2024-07-20T07:05:54.173Z] "GET /a" b" HTTP/1.1" 504 UT response_timeout 0 24 4497 - "-" "cu"rl" "id" "host" "10.0.0.1:80" c|1|| - - -`)
	// Details with spaces inside the braces (older releases), and an unclosed brace.
	f.Add(`[2020-07-20T07:09:48.470Z] "GET /old HTTP/1.1" 503 UF upstream_reset_before_response_started{connection timeout} - "-" 0 91 1 - "-" "curl/7.68.0" "id" "localhost:8000" "172.28.0.2:801"`)
	f.Add(`[2020-07-20T07:09:48.470Z] "GET /old HTTP/1.1" 503 UF x{a b c 0 91 1 - "-" "curl/7.68.0" "id" "localhost:8000" "172.28.0.2:801"`)
	// A user agent with `" ` or `" "` inside, read back from the end; and
	// one quoted field too few.
	f.Add(`[2025-03-01T10:00:16.100Z] "GET /uc?n=17 HTTP/2" 503 UC upstream_reset_before_response_started{connection_termination} - "-" 0 95 12 - "2001:db8::7" "Mozilla/5.0 (X11; Linux) \"quoted\" UA" "13131313-1313-1313-1313-131313131313" "api:8080" "[2001:db8::5]:8080" outbound|8080||api.default.svc.cluster.local [2001:db8::9]:40017 [2001:db8::1]:8080 [2001:db8::7]:50016 - default`)
	f.Add(`[2024-07-20T07:09:48.470Z] "GET /a HTTP/1.1" 503 UF - 0 145 0 - "10.0.0.7" "a" "b" "id-1" "api:8080" "10.0.0.2:80"`)
	f.Add(`[2024-07-20T07:09:48.470Z] "GET /a HTTP/1.1" 503 UF - 0 145 0 - "-" "" " "id-1" "api:8080" "-" c|1|| - - -`)
	f.Add(`[2024-07-20T07:05:54.173Z] "GET / HTTP/1.1" 504 UT 0 24 4497 - "-" "cu" rl" "host" "10.0.0.1:80"`)
	// A custom format's quoted fields after the upstream host, with a
	// user agent holding `" `, and one holding `" "` where neither reading
	// gives an address for the upstream host (not read).
	f.Add(`[2024-07-20T07:09:48.470Z] "GET /upstream-connection-failure HTTP/1.1" 503 UF upstream_reset_before_response_started{connection_failure,delayed_connect_error:_111} 0 145 0 - "-" "Mozilla/5.0 "quoted" UA" "44898dba-8d8e-48f4-93f7-23e4b4c592c0" "localhost:8000" "172.28.0.2:801" "outbound|8000||backend" "10.0.0.9:50000"`)
	f.Add(`[2024-07-20T07:09:48.470Z] "GET /a HTTP/1.1" 503 UF - 0 145 0 - "-" "a" "b" "id-1" "api:8080" "backend:80" "x"`)
	// A user agent holding `" "` beside a request id that is no UUID and
	// an authority that is an address: both readings fit.
	f.Add(`[2024-07-20T07:09:48.470Z] "GET /a HTTP/1.1" 503 UF - 0 145 0 - "-" "Mozilla/5.0 "x" "y" z" "req-7" "10.0.0.5:8080" "10.0.0.2:80"`)
	f.Add(`[2024-07-20T07:09:48.470Z] "GET /a HTTP/1.1" 503 UF - 0 145 0 - "-" "a" "b" "id-1" "10.0.0.5:8080" "10.0.0.2:80"`)
	f.Fuzz(func(t *testing.T, line string) {
		rec, err := NewTextParser().Parse(line)
		checkRecord(t, line, rec, err)
	})
}

func FuzzJSON(f *testing.F) {
	for _, l := range ownLines(f) {
		f.Add(l)
	}
	f.Add(`{"start_time":"2024-07-20T07:05:54.173Z","response_code":null,"response_flags":null,"upstream_host":{}}`)
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

func BenchmarkText(b *testing.B) { benchParse(b, NewTextParser()) }
func BenchmarkJSON(b *testing.B) { benchParse(b, NewJSONParser()) }
