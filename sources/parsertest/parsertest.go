// Package parsertest holds what every format's tests share: reading sample
// lines and checking the properties every parser keeps on any input
// (error ⇒ no record; success ⇒ a record whose RawLine is the input).
// Only tests import it.
package parsertest

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

// Lines returns the non-empty lines of the files matching pattern; .gz
// files are decompressed, as ALB writes them.
func Lines(tb testing.TB, pattern string) []string {
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

// ProxyEntry checks the parser properties for one line and returns the
// entry (nil when the parser rejected the line or made another kind of
// record), for format-specific checks.
func ProxyEntry(t *testing.T, line string, rec sources.Record, err error) *sources.ProxyEntry {
	t.Helper()
	if err != nil {
		if rec != nil {
			t.Fatalf("error %v with a record %#v", err, rec)
		}
		return nil
	}
	if rec == nil {
		t.Fatalf("no record and no error for %q", line)
	}
	if rec.RawLine() != line {
		t.Fatalf("RawLine() = %q, want %q", rec.RawLine(), line)
	}
	e, ok := rec.(*sources.ProxyEntry)
	if !ok {
		return nil // another kind of record (a proxy's error line): Raw checked
	}
	if e.Status < 0 || e.Status > 999 {
		t.Fatalf("bad status from %q: %#v", line, e)
	}
	return e
}

// WriteFiles writes each file's text (path → text), for tests that build
// their logs in a temporary directory.
func WriteFiles(tb testing.TB, files map[string]string) {
	tb.Helper()
	for p, text := range files {
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			tb.Fatal(err)
		}
	}
}
