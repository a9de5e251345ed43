package alb

import (
	"bufio"
	"compress/gzip"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"fivexx/sources"
)

// fileLines returns the non-empty lines of the files matching pattern,
// un-gzipping .gz files as ALB writes them.
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
		var r io.Reader = f
		if strings.HasSuffix(p, ".gz") {
			zr, err := gzip.NewReader(f)
			if err != nil {
				tb.Fatal(err)
			}
			r = zr
		}
		sc := bufio.NewScanner(r)
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
	return fileLines(tb, "../../testdata/formats/alb/*.log*")
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
	if e.Status < 0 || e.Status > 999 || len(e.UpstreamAddr) != 1 || len(e.UpstreamHeader) != 1 {
		t.Fatalf("bad entry from %q: %#v", line, e)
	}
}

func FuzzParse(f *testing.F) {
	for _, l := range ownLines(f) {
		f.Add(l)
	}
	f.Add(`h2 2023-01-07T09:22:52.872365Z app/x/y 1.2.3.4:1 - -1 -1 -1 504 - 49 202 "GET https://h:443/"a" b HTTP/2.0" "c" - - - "Self=1;Root=" "-" "-" 1 x "forward" "-" "Lambda" "-"`)
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
