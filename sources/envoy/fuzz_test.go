package envoy

import (
	"bufio"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"fivexx/sources"
)

// fileLines returns the non-empty lines of the files matching pattern.
func fileLines(tb testing.TB, pattern string) []string {
	tb.Helper()
	paths, err := filepath.Glob(pattern)
	if err != nil {
		tb.Fatal(err)
	}
	var out []string
	for _, p := range paths {
		f, err := os.Open(p)
		if err != nil {
			tb.Fatal(err)
		}
		sc := bufio.NewScanner(f)
		sc.Buffer(make([]byte, 1<<20), 1<<20)
		for sc.Scan() {
			if strings.TrimSpace(sc.Text()) != "" {
				out = append(out, sc.Text())
			}
		}
		f.Close()
		if err := sc.Err(); err != nil {
			tb.Fatal(err)
		}
	}
	return out
}

// ownLines are the sample lines of this package's formats.
func ownLines(tb testing.TB) []string {
	return fileLines(tb, "../../testdata/formats/envoy/*.log")
}

// checkRecord asserts the parser properties every line must keep.
func checkRecord(t *testing.T, line string, rec sources.Record, err error) {
	t.Helper()
	if err != nil {
		if rec != nil {
			t.Fatalf("error %v with a record %#v", err, rec)
		}
		return
	}
	if rec == nil {
		t.Fatalf("no record and no error for %q", line)
	}
	if rec.RawLine() != line {
		t.Fatalf("RawLine() = %q, want %q", rec.RawLine(), line)
	}
	e := rec.(*sources.ProxyEntry)
	if e.Status < 0 || e.Status > 999 || strings.HasPrefix(line, "[") && e.Flags == "" {
		t.Fatalf("bad entry from %q: %#v", line, e)
	}
}

func FuzzText(f *testing.F) {
	for _, l := range ownLines(f) {
		f.Add(l)
	}
	f.Add(`[2024-07-20T07:05:54.173Z] "GET /a" b" HTTP/1.1" 504 UT response_timeout 0 24 4497 - "-" "cu"rl" "id" "host" "10.0.0.1:80" c|1|| - - -`)
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
