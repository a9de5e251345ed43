package nginx

import (
	"errors"
	"math/rand/v2"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"fivexx/sources"
	"fivexx/sources/demo"
	"fivexx/sources/parsertest"
)

// The fast paths (matchCombined, the quote count) must never change what a
// parser makes of a line: these tests run every parser twice, as built and
// with the fast paths off, over every real nginx line the repository holds
// and over fuzzed lines, and require the same result.

// generalOnly turns off p's fast paths, leaving the general matcher and
// the general loop of fill.
func generalOnly(p *AccessParser) *AccessParser {
	p.combinedLead = false
	p.quotes = -1
	p.plainCombined = false
	return p
}

// fieldParser is a parser that tells which attribution fields it saw.
type fieldParser interface {
	sources.Parser
	Fields() sources.FieldSet
}

// parserPair is one parser as built and the same parser on the general path.
type parserPair struct {
	name          string
	fast, general fieldParser
	// The compiled parsers whose match results are compared too.
	fastAP, generalAP *AccessParser
}

// fastPathFormats are the log_formats the pairs are compiled from: the
// registered layouts, the ones the lab and the recordings wrote with, and
// variations of what may follow the combined fields.
func fastPathFormats(t testing.TB) map[string]LogFormatSpec {
	t.Helper()
	formats := map[string]LogFormatSpec{
		"combined":           {Format: CombinedFormat, Escape: "default"},
		"main":               {Format: MainFormat, Escape: "default"},
		"ingress":            {Format: IngressFormat, Escape: "default"},
		"kv tail":            {Format: CombinedFormat + "$" + kvTailVar, Escape: "default"},
		"demo":               {Format: demo.NginxLogFormat, Escape: "default"},
		"upstreaminfo":       {Format: upstreamInfoFormat, Escape: "default"},
		"combined json":      {Format: CombinedFormat, Escape: "json"},
		"combined none":      {Format: CombinedFormat, Escape: "none"},
		"agent then list":    {Format: CombinedFormat + ` $upstream_addr`, Escape: "default"},
		"agent then quoted":  {Format: CombinedFormat + ` "$upstream_status" $request_time`, Escape: "default"},
		"agent unclosed":     {Format: strings.TrimSuffix(CombinedFormat, `"`), Escape: "default"},
		"agent then literal": {Format: CombinedFormat[:len(CombinedFormat)-1] + `" | $host`, Escape: "default"},
		"braced names":       {Format: `${remote_addr} - ${remote_user} [${time_local}] "${request}" ${status} ${body_bytes_sent} "${http_referer}" "${http_user_agent}"`, Escape: "default"},
		"other user var":     {Format: `$remote_addr - $remote_port [$time_local] "$request" $status $bytes_sent "$http_referer" "$http_user_agent" $request_id`, Escape: "default"},
		"then cache status":  {Format: CombinedFormat + ` $upstream_cache_status`, Escape: "default"},
		"host for user":      {Format: strings.Replace(CombinedFormat, "$remote_user", "$host", 1), Escape: "default"},
	}
	for _, conf := range []string{"testdata/lab/nginx.conf", "../../testdata/recordings/nginx-json/proxy.conf", "../../testdata/recordings/nginx-upstream/proxy.conf"} {
		specs, err := LogFormatsFromConf(conf)
		if err != nil {
			t.Fatal(err)
		}
		for path, spec := range specs {
			formats[conf+" "+filepath.Base(path)] = spec
		}
	}
	return formats
}

// fastPathPairs builds every parser pair.
func fastPathPairs(t testing.TB) []parserPair {
	t.Helper()
	var pairs []parserPair
	for name, spec := range fastPathFormats(t) {
		fast := mustCompileT(t, spec.Format, spec.Escape)
		general := generalOnly(mustCompileT(t, spec.Format, spec.Escape))
		pairs = append(pairs, parserPair{name: name, fast: fast, general: general, fastAP: fast, generalAP: general})
	}
	up, upGeneral := newUpstreamParser(), newUpstreamParser()
	generalOnly(upGeneral.base)
	pairs = append(pairs, parserPair{name: "nginx-upstream", fast: up, general: upGeneral, fastAP: up.base, generalAP: upGeneral.base})
	comb, combGeneral := newCombinedParser(), newCombinedParser()
	generalOnly(combGeneral.combined)
	generalOnly(combGeneral.main)
	pairs = append(pairs, parserPair{name: "nginx-combined", fast: comb, general: combGeneral})
	return pairs
}

// compareParsers parses line with both parsers of every pair and reports
// any difference in match, values, record or error.
func compareParsers(t *testing.T, pairs []parserPair, line string) {
	t.Helper()
	for _, pp := range pairs {
		if pp.fastAP != nil {
			fm, gm := pp.fastAP.match(line), pp.generalAP.match(line)
			if fm != gm {
				t.Fatalf("%s: match(%q) = %v on the fast path, %v on the general one", pp.name, line, fm, gm)
			}
			if fm && !slices.Equal(pp.generalAP.vals, pp.fastAP.vals) {
				if diff := cmp.Diff(pp.generalAP.vals, pp.fastAP.vals); diff != "" {
					t.Fatalf("%s: match(%q) values (-general +fast):\n%s", pp.name, line, diff)
				}
			}
		}
		fr, ferr := pp.fast.Parse(line)
		gr, gerr := pp.general.Parse(line)
		if (ferr == nil) != (gerr == nil) || ferr != nil && ferr.Error() != gerr.Error() {
			t.Fatalf("%s: Parse(%q) error = %v on the fast path, %v on the general one", pp.name, line, ferr, gerr)
		}
		// reflect.DeepEqual first, as cmp.Diff takes long over thousands
		// of lines; it may say false for equal times in different zone
		// values, which cmp.Diff then compares with Time.Equal.
		if !reflect.DeepEqual(gr, fr) {
			if diff := cmp.Diff(gr, fr); diff != "" {
				t.Fatalf("%s: Parse(%q) (-general +fast):\n%s", pp.name, line, diff)
			}
		}
	}
	for _, pp := range pairs {
		if got, want := pp.fast.Fields(), pp.general.Fields(); got != want {
			t.Fatalf("%s: Fields() = %v on the fast path, %v on the general one", pp.name, got, want)
		}
	}
}

// realNginxLines returns every line of the repository's nginx recordings,
// format samples and this package's testdata.
func realNginxLines(t testing.TB) []string {
	t.Helper()
	var lines []string
	for _, pattern := range []string{
		"../../testdata/recordings/nginx-*/*.log",
		"../../testdata/formats/*/*.log",
		"../../testdata/formats/*/*.log.gz",
		"testdata/*.log",
	} {
		lines = append(lines, parsertest.Lines(t, pattern)...)
	}
	return lines
}

// demoAccessLines returns what `fivexx demo --write DIR --duration 2m`
// writes to access.log, and a run that plays every scenario.
func demoAccessLines(t testing.TB) []string {
	t.Helper()
	start := time.Date(2026, 1, 2, 3, 0, 0, 0, time.UTC)
	var lines []string
	for _, run := range []struct {
		each, d time.Duration
	}{
		{0, 2 * time.Minute}, // the command's defaults
		{15 * time.Second, time.Duration(len(demo.Scenarios())) * 15 * time.Second},
	} {
		dir := t.TempDir()
		if _, err := demo.Loop(1, start, run.each).WriteFiles(dir, start.Add(run.d)); err != nil {
			t.Fatal(err)
		}
		lines = append(lines, parsertest.Lines(t, filepath.Join(dir, demo.Access.FileName()))...)
	}
	return lines
}

// fastPathEdgeLines are lines at the fast path's boundaries: each makes it
// give up at a different place, or takes a quoted field's end from a
// '"' inside a value.
var fastPathEdgeLines = []string{
	`127.0.0.1 - - [21/Nov/2026:07:12:46 +0000] "GET / HTTP/1.1" 200 3 "-" "Mozilla/5.0 \"quoted\" UA" rt=0.001 uct="0.000" uht="0.000" urt="0.000" ua="127.0.0.1:1" us="200" rid=- cid=1`,
	`127.0.0.1 - - [21/Nov/2026:07:12:46 +0000] "GET / HTTP/1.1" 200 3 "-" "ua \" x"`,
	`127.0.0.1 - - [21/Nov/2026:07:12:46 +0000] "GET / HTTP/1.1" 200 3 "-" "ua \"" "xff"`,
	`127.0.0.1 - - [21/Nov/2026:07:12:46 +0000] "GET /\"x HTTP/1.1" 200 3 "-" "curl/7.88.1"`,
	`127.0.0.1 - - [21/Nov/2026:07:12:46 +0000] "GET / HTTP/1.1" 200 3 "http://a/\" \"b" "curl/7.88.1"`,
	`127.0.0.1 - "bob" [21/Nov/2026:07:12:46 +0000] "GET / HTTP/1.1" 200 3 "-" "curl/7.88.1"`,
	`127.0.0.1 - a[b [21/Nov/2026:07:12:46 +0000] "GET / HTTP/1.1" 200 3 "-" "curl/7.88.1"`,
	`127.0.0.1 - a [b [21/Nov/2026:07:12:46 +0000] "GET / HTTP/1.1" 200 3 "-" "curl/7.88.1"`,
	`127.0.0.1 - x[21/Nov/2026:07:12:46 +0000] "GET / HTTP/1.1" 200 3 "-" "curl/7.88.1"`,
	`127.0.0.1 - [x [21/Nov/2026:07:12:46 +0000] "GET / HTTP/1.1" 200 3 "-" "curl/7.88.1"`,
	`127.0.0.1 -- - [21/Nov/2026:07:12:46 +0000] "GET / HTTP/1.1" 200 3 "-" "curl/7.88.1"`,
	`127.0.0.1 - - [21/Nov/2026:07:12:46 +0000] "GET / HTTP/1.1"  200 3 "-" "curl/7.88.1"`,
	`127.0.0.1 - - [21/Nov/2026:07:12:46 +0000] "GET / HTTP/1.1" 200 3  "-" "curl/7.88.1"`,
	`127.0.0.1 - - [21/Nov/2026:07:12:46 +0000] "GET / HTTP/1.1" 200 3 "-"  "curl/7.88.1"`,
	`127.0.0.1 -  [21/Nov/2026:07:12:46 +0000] "GET / HTTP/1.1" 200 3 "-" "curl/7.88.1"`,
	` - - [21/Nov/2026:07:12:46 +0000] "GET / HTTP/1.1" 200 3 "-" "curl/7.88.1"`,
	`127.0.0.1 x - - [21/Nov/2026:07:12:46 +0000] "GET / HTTP/1.1" 200 3 "-" "curl/7.88.1"`,
	`127.0.0.1 - - [21/Nov/2026:07:12:46 +0000] "" 400 0 "-" "-"`,
	`127.0.0.1 - - [21/Nov/2026:07:12:46 +0000] "-" 400 0 "" ""`,
	`127.0.0.1 - - [21/Nov/2026:07:12:46 +0000] "GET / HTTP/1.1" 200 - "-" "curl/7.88.1"`,
	`127.0.0.1 - - [21/Nov/2026:07:12:46 +0000] "GET / HTTP/1.1" 2000 3 "-" "curl/7.88.1"`,
	`127.0.0.1 - - [21/Nov/2026:07:12:46 +0000] "GET / HTTP/1.1" 200 3 "-" "curl/7.88.1`,
	`127.0.0.1 - - [21/Nov/2026:07:12:46 +0000] "GET / HTTP/1.1" 200 3 "-" "curl/7.88.1" `,
	`127.0.0.1 - - [21/Nov/2026:07:12:46 +0000]"GET / HTTP/1.1" 200 3 "-" "curl/7.88.1"`,
	`127.0.0.1 - - [21/Nov/2026:07:12:46 +000] "GET / HTTP/1.1" 200 3 "-" "curl/7.88.1"`,
	`127.0.0.1 - - [21/Nov/2026:07:12:46 +0000] x] "GET / HTTP/1.1" 200 3 "-" "curl/7.88.1"`,
	`127.0.0.1 - - [2"/Nov/2026:07:12:46 +0000] "GET / HTTP/1.1" 200 3 "-" "curl/7.88.1"`,
	`127.0.0.1 - - [21/Nov/2026:07:12:46 +0000] "GET / HTTP/1.1" 200 3 "-" "curl/7.88.1" "-" rt=0.001 us="502, 502 : 200" ua="a:1, b:2 : c:3"`,
	`127.0.0.1 - - [21/Nov/2026:07:12:46 +0000] "GET / HTTP/1.1" 502 3 "-" "curl/7.88.1" 10.0.0.1:80, 10.0.0.2:80 : backend`,
	`127.0.0.1 - - [21/Nov/2026:07:12:46 +0000] "GET / HTTP/1.1" 502 3 "-" "curl/7.88.1" "502, 504" 1.005`,
	`127.0.0.1 - - [21/Nov/2026:07:12:46 +0000] "GET / HTTP/1.1" 502 3 "-" "curl/7.88.1" " | example.com`,
	`127.0.0.1 - - [21/Nov/2026:07:12:46 +0000] "GET / HTTP/1.1" 502 3 "-" "a" | b" | example.com`,
	`127.0.0.1 - - [21/Nov/2026:07:12:46 +0000] "GET / HTTP/1.1" 200 3 "-" "-" 1 0.000 [] [] - - - - abc`,
	`127.0.0.1 - - [21/Nov/2026:07:12:46 +0000] "GET / HTTP/1.1" 200 3 "-" "-" x 0.000 [] [] - - - - abc`,
	// The fields matchCombined reads a word at a time: addresses ending
	// in each word and past four, a '"' in one; users other than "-";
	// requests with a backslash or '"' in each word, ending within the
	// last word of the line, shorter than a word; bodies of 1 to 9 digits,
	// leading zeros, 19 digits (parseInt refuses them), cut by a byte
	// just above '9'; "-" values.
	`::1 - - [21/Nov/2026:07:12:46 +0000] "GET / HTTP/1.1" 200 3 "-" "curl/7.88.1" rt=0.001`,
	`2001:db8:b186::c623 - - [21/Nov/2026:07:12:46 +0000] "GET / HTTP/1.1" 200 3 "-" "curl/7.88.1" rt=0.001`,
	`2001:0db8:85a3:0000:0000:8a2e:0370:7334 - - [21/Nov/2026:07:12:46 +0000] "GET / HTTP/1.1" 200 3 "-" "-"`,
	`198.51.100.212 - - [21/Nov/2026:07:12:46 +0000] "GET / HTTP/1.1" 200 3 "-" "-"`,
	`1234567 - - [21/Nov/2026:07:12:46 +0000] "GET / HTTP/1.1" 200 3 "-" "-"`,
	`12345678 - - [21/Nov/2026:07:12:46 +0000] "GET / HTTP/1.1" 200 3 "-" "-"`,
	`127.0.0"1 - - [21/Nov/2026:07:12:46 +0000] "GET / HTTP/1.1" 200 3 "-" "-"`,
	`127.0.0.1"- - [21/Nov/2026:07:12:46 +0000] "GET / HTTP/1.1" 200 3 "-" "-"`,
	`127.0.0.1`, `127.0.0.1 - -`, `127.0.0.1 - - [`, `"`, ``,
	`127.0.0.1 - bob [21/Nov/2026:07:12:46 +0000] "GET / HTTP/1.1" 200 3 "-" "-"`,
	`127.0.0.1 - -- [21/Nov/2026:07:12:46 +0000] "GET / HTTP/1.1" 200 3 "-" "-"`,
	`127.0.0.1 - - - [21/Nov/2026:07:12:46 +0000] "GET / HTTP/1.1" 200 3 "-" "-"`,
	`127.0.0.1 - -[21/Nov/2026:07:12:46 +0000] "GET / HTTP/1.1" 200 3 "-" "-"`,
	`127.0.0.1 - - [21/Nov/2026:07:12:46 +0000] "GET /a\x22b HTTP/1.1" 200 3 "-" "-"`,
	`127.0.0.1 - - [21/Nov/2026:07:12:46 +0000] "\x16\x03\x01\x00" 400 0 "-" "-"`,
	`127.0.0.1 - - [21/Nov/2026:07:12:46 +0000] "GET /static/css/main.c41d9e07.css?v=\x5C HTTP/2.0" 200 3 "-" "-"`,
	`127.0.0.1 - - [21/Nov/2026:07:12:46 +0000] "GET /static/css/main.c41d9e07.css?v=1 HTTP/2.0\x22" 200 3 "-" "-"`,
	`127.0.0.1 - - [21/Nov/2026:07:12:46 +0000] "GET /static/css/main.c41d9e07.css?v=\" HTTP/2.0" 200 3 "-" "-"`,
	`127.0.0.1 - - [21/Nov/2026:07:12:46 +0000] "GET /static/css/main.c41d9e07.css?v=" HTTP/2.0" 200 3 "-" "-"`,
	`127.0.0.1 - - [21/Nov/2026:07:12:46 +0000] "GET / HTTP/1.1\"`,
	`127.0.0.1 - - [21/Nov/2026:07:12:46 +0000] "GET / HTTP/1.1"`,
	`127.0.0.1 - - [21/Nov/2026:07:12:46 +0000] "GET"`,
	`127.0.0.1 - - [21/Nov/2026:07:12:46 +0000] "GET /`,
	`127.0.0.1 - - [21/Nov/2026:07:12:46 +0000] "-" 400 0 "-" "-"`,
	`127.0.0.1 - - [21/Nov/2026:07:12:46 +0000] "GET / HTTP/1.1" 200 0 "-" "-"`,
	`127.0.0.1 - - [21/Nov/2026:07:12:46 +0000] "GET / HTTP/1.1" 200 0000012 "-" "-"`,
	`127.0.0.1 - - [21/Nov/2026:07:12:46 +0000] "GET / HTTP/1.1" 200 1234567 "-" "-"`,
	`127.0.0.1 - - [21/Nov/2026:07:12:46 +0000] "GET / HTTP/1.1" 200 12345678 "-" "-"`,
	`127.0.0.1 - - [21/Nov/2026:07:12:46 +0000] "GET / HTTP/1.1" 200 123456789 "-" "-"`,
	`127.0.0.1 - - [21/Nov/2026:07:12:46 +0000] "GET / HTTP/1.1" 200 1234567890123456789 "-" "-"`,
	`127.0.0.1 - - [21/Nov/2026:07:12:46 +0000] "GET / HTTP/1.1" 200 12: "-" "-"`,
	`127.0.0.1 - - [21/Nov/2026:07:12:46 +0000] "GET / HTTP/1.1" 200 12/ "-" "-"`,
	`127.0.0.1 - - [21/Nov/2026:07:12:46 +0000] "GET / HTTP/1.1" 200 12` + "\xff\xfa" + ` "-" "-"`,
	`127.0.0.1 - - [21/Nov/2026:07:12:46 +0000] "GET / HTTP/1.1" 200 12 "`,
	`127.0.0.1 - - [21/Nov/2026:07:12:46 +0000] "GET / HTTP/1.1" 200 12`,
	`127.0.0.1 - - [21/Nov/2026:07:12:46 +0000] "GET / HTTP/1.1" 2x0 12 "-" "-"`,
	`127.0.0.1 - - [21/Nov/2026:07:12:46 +0000] "GET / HTTP/1.1" 200 12 "-" "-" rt=0.001 uct="0.000" uht="0.000" urt="0.000" ua="a:1" us="200" rid=969d84764b426a8766d4323de5184b86 cid=7`,
	// The time the cache holds on a line the fast path gives up on after
	// the time, on one it takes, and after a time the cache does not hold.
	`127.0.0.1 - - [21/Nov/2026:07:12:46 +0000] "GET / HTTP/1.1" 20x 3 "-" "curl/7.88.1"`,
	`127.0.0.1 - - [21/Nov/2026:07:12:46 +0000] "GET / HTTP/1.1" 200 3 "-" "curl/7.88.1" rt=0.001`,
	`127.0.0.1 - - [21/Nov/2026:07:12:46 +0100] "GET / HTTP/1.1" 200 3 "-" "curl/7.88.1"`,
	`127.0.0.1 - - [21/Nov/2026:07:12:46 +0000] "GET / HTTP/1.1" 200 3 "-" "curl/7.88.1"`,
}

func TestFastPathMatchesGeneralOnRealLines(t *testing.T) {
	pairs := fastPathPairs(t)
	for _, c := range []struct {
		name  string
		lines []string
	}{
		{"recordings, formats and testdata", realNginxLines(t)},
		{"demo", demoAccessLines(t)},
		{"edges", fastPathEdgeLines},
	} {
		t.Run(c.name, func(t *testing.T) {
			if len(c.lines) == 0 {
				t.Fatal("no lines")
			}
			for _, line := range c.lines {
				compareParsers(t, pairs, line)
			}
		})
	}
}

// TestFastPathTakesDemoLines makes sure the comparison above is not
// vacuous: the lines fivexx is timed on go through matchCombined, and the
// cases it must leave to the general matcher do.
func TestFastPathTakesDemoLines(t *testing.T) {
	p := newUpstreamParser()
	if !p.base.combinedLead {
		t.Fatal("nginx-upstream does not start like combined")
	}
	for _, line := range demoAccessLines(t) {
		var v combinedValues
		if _, ok := p.base.matchCombined(line, &v); !ok {
			t.Fatalf("matchCombined(%q) gave up", line)
		}
	}
	if !p.base.plainCombined {
		t.Fatal("nginx-upstream's combined fields are not set by fillCombined")
	}
	// plainCombined: combined followed by nothing that fills a field.
	for _, c := range []struct {
		name, format string
		want, plain  bool
	}{
		{"combined", CombinedFormat, true, true},
		{"main", MainFormat, true, true},
		{"kv tail", CombinedFormat + "$" + kvTailVar, true, true},
		{"ingress", IngressFormat, true, false},
		{"upstreaminfo", upstreamInfoFormat, true, false},
		{"agent unclosed", strings.TrimSuffix(CombinedFormat, `"`), true, true},
		{"host for user", strings.Replace(CombinedFormat, "$remote_user", "$host", 1), true, false},
		{"request id for referer", strings.Replace(CombinedFormat, "$http_referer", "$http_x_request_id", 1), true, false},
		{"bytes sent", strings.Replace(CombinedFormat, "$body_bytes_sent", "$bytes_sent", 1), true, false},
		{"then request id", CombinedFormat + " $request_id", true, false},
		{"then cache status", CombinedFormat + " $upstream_cache_status", true, true},
		{"literal first", `> ` + CombinedFormat, false, false},
		{"status as text", strings.Replace(CombinedFormat, "$status", "$host", 1), false, false},
		{"no user agent", `$remote_addr - $remote_user [$time_local] "$request" $status $body_bytes_sent "$http_referer"`, false, false},
		{"agent then bar", CombinedFormat[:len(CombinedFormat)-1] + `|$host`, false, false},
	} {
		ap := mustCompileT(t, c.format, "default")
		if ap.combinedLead != c.want || ap.plainCombined != c.plain {
			t.Errorf("%s: combinedLead, plainCombined = %v, %v, want %v, %v", c.name, ap.combinedLead, ap.plainCombined, c.want, c.plain)
		}
	}
	if mustCompileT(t, CombinedFormat, "json").combinedLead {
		t.Error("escape=json combined: combinedLead = true, want false (values may hold escaped quotes)")
	}
	// A '"' in the user agent ends the field where the general matcher ends
	// it: the rest no longer starts with a space, so no nginx-upstream line.
	if _, err := p.Parse(fastPathEdgeLines[0]); !errors.Is(err, sources.ErrNoMatch) {
		t.Errorf("Parse(%q) error = %v, want ErrNoMatch", fastPathEdgeLines[0], err)
	}
}

func TestQuoteCount(t *testing.T) {
	for _, c := range []struct {
		name, format, escape string
		want                 int
	}{
		{"combined", CombinedFormat, "default", 6},
		{"main", MainFormat, "default", 8},
		{"ingress", IngressFormat, "default", 6},
		{"kv tail", CombinedFormat + "$" + kvTailVar, "default", -1},
		{"json", jsonCombinedFormat, "json", -1},
		{"none", rawNoneFormat, "none", -1},
		{"time then variable", `"$time_local$status"`, "default", -1},
	} {
		if got := quoteCount(mustCompileT(t, c.format, c.escape)); got != c.want {
			t.Errorf("%s: quoteCount = %d, want %d", c.name, got, c.want)
		}
	}
}

// FuzzFastPath compares the fast and general paths on any line.
func FuzzFastPath(f *testing.F) {
	for _, name := range []string{"combined.log", "main.log", "upstream.log", "ingress.log"} {
		for _, line := range testdataLines(f, name) {
			f.Add(line)
		}
	}
	for _, line := range fastPathEdgeLines {
		f.Add(line)
	}
	pairs := fastPathPairs(f)
	f.Fuzz(func(t *testing.T, line string) {
		compareParsers(t, pairs, line)
	})
}

// TestTimeLocalMatchesTimeParse compares the hand parser of $time_local
// with time.Parse on every month, on the lines' own timestamps, and on
// text that is no timestamp.
func TestTimeLocalMatchesTimeParse(t *testing.T) {
	const layout = "02/Jan/2006:15:04:05 -0700"
	values := []string{"29/Feb/2024:23:59:59 -0930", "01/Jan/2026:00:00:00 +1400", "31/Apr/2026:00:00:00 +0000",
		"21/Nov/2026:07:12:46 +0000", "21/Nov/2026:24:00:00 +0000", "21/Nov/2026:07:12:46 +0000x"}
	for m := time.January; m <= time.December; m++ {
		values = append(values, time.Date(2026, m, 15, 12, 30, 45, 0, time.FixedZone("", -5*3600)).Format(layout))
	}
	p := mustCompileT(t, CombinedFormat, "default")
	for _, line := range append(realNginxLines(t), demoAccessLines(t)[:2000]...) {
		if p.match(line) {
			values = append(values, p.vals[2])
		}
	}
	// Same day in two zones and back, so the day cache must follow the zone.
	values = append(values, "21/Nov/2026:07:12:46 +0100", "21/Nov/2026:07:12:47 +0000", "21/Nov/2026:07:12:48 +0100",
		"21/Nov/2026:23:59:59 +0100", "22/Nov/2026:00:00:00 +0100")
	var c timeCache
	for _, v := range values {
		got := c.local(v)
		want, err := time.Parse(layout, v)
		if err != nil {
			if !got.IsZero() && !strings.HasPrefix(v, "31/Apr") {
				t.Errorf("local(%q) = %v, time.Parse: %v", v, got, err)
			}
			continue
		}
		if !got.Equal(want) {
			t.Errorf("local(%q) = %v, want %v", v, got, want)
		}
		// The same value time.Date gives, location included, not only the
		// same instant: the day cache adds to a midnight.
		w := want.In(got.Location())
		if d := time.Date(w.Year(), w.Month(), w.Day(), w.Hour(), w.Minute(), w.Second(), 0, got.Location()); got != d {
			t.Errorf("local(%q) = %#v, time.Date gives %#v", v, got, d)
		}
		_, gotOff := got.Zone()
		_, wantOff := want.Zone()
		if gotOff != wantOff {
			t.Errorf("local(%q) offset = %d, want %d", v, gotOff, wantOff)
		}
	}
}

// FuzzCompiledFastPath compares the fast and general paths of any format
// on any line, so the quote count and the combined prefix are tried on
// formats nobody wrote down.
func FuzzCompiledFastPath(f *testing.F) {
	f.Add(CombinedFormat, fastPathEdgeLines[1])
	f.Add(MainFormat, `127.0.0.1 - - [21/Nov/2026:07:12:45 +0000] "GET /ok?x=1&y=2 HTTP/1.1" 200 3 "-" "curl/7.88.1" "203.0.113.7"`)
	f.Add(IngressFormat, testdataLines(f, "ingress.log")[0])
	f.Add(`"$time_local$status" "$request"`, `"21/Nov/2026:07:12:46 +0000200" "GET / HTTP/1.1"`)
	f.Add(CombinedFormat+` "$upstream_addr"`, `127.0.0.1 - - [21/Nov/2026:07:12:46 +0000] "GET / HTTP/1.1" 502 3 "-" "a" "x:1, y:2"`)
	f.Fuzz(func(t *testing.T, format, line string) {
		for _, escape := range []string{"default", "json", "none"} {
			fast, err := Compile(format, escape)
			if err != nil {
				continue
			}
			general, _ := Compile(format, escape)
			generalOnly(general)
			compareParsers(t, []parserPair{{name: escape + " " + format, fast: fast, general: general, fastAP: fast, generalAP: general}}, line)
		}
	})
}

// TestDigitWords compares digitRun and digitsValue with a loop over the
// bytes and parseInt, on words of every digit count whose first other byte
// is each byte value, and on random words.
func TestDigitWords(t *testing.T) {
	check := func(b [8]byte) {
		t.Helper()
		s := string(b[:])
		want := 0
		for want < 8 && s[want] >= '0' && s[want] <= '9' {
			want++
		}
		w := word8(s, 0)
		if got := digitRun(w); got != want {
			t.Fatalf("digitRun(%q) = %d, want %d", s, got, want)
		}
		if want == 0 {
			return
		}
		n, _ := parseInt(s[:want])
		if got := digitsValue(w, want); got != n {
			t.Fatalf("digitsValue(%q, %d) = %d, want %d", s, want, got, n)
		}
	}
	for n := 0; n <= 8; n++ {
		for c := 0; c < 256; c++ {
			var b [8]byte
			for i := range b {
				b[i] = byte('0' + (i*7+n)%10)
			}
			if n < 8 {
				b[n] = byte(c)
				// The bytes after: digits, or bytes that carry.
				for i := n + 1; i < 8; i++ {
					b[i] = byte(c + i)
				}
			}
			check(b)
		}
	}
	r := rand.New(rand.NewPCG(1, 2))
	for range 100_000 {
		var b [8]byte
		for i := range b {
			if r.IntN(4) == 0 {
				b[i] = byte(r.IntN(256))
			} else {
				b[i] = byte('0' + r.IntN(10))
			}
		}
		check(b)
	}
}
