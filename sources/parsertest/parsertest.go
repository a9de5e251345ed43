// Package parsertest holds what every format's tests share: reading sample
// lines and checking the properties every parser keeps on any input
// (error ⇒ no record; success ⇒ a record whose RawLine is the input).
// Only tests import it.
package parsertest

import (
	"bufio"
	"compress/gzip"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
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

// TestdataLines returns every non-empty line of every file under the
// repository's testdata directories (root's testdata/ and
// sources/*/testdata/, root the repository's path from the test's
// package): the recordings, the format samples and the rest, as far as
// they are text. .gz files are decompressed; Go files are left out.
func TestdataLines(tb testing.TB, root string) []string {
	tb.Helper()
	dirs, err := filepath.Glob(filepath.Join(root, "sources", "*", "testdata"))
	if err != nil {
		tb.Fatal(err)
	}
	var out []string
	for _, dir := range append([]string{filepath.Join(root, "testdata")}, dirs...) {
		err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
			if err != nil || d.IsDir() || strings.HasSuffix(p, ".go") {
				return err
			}
			out = append(out, Lines(tb, p)...)
			return nil
		})
		if err != nil {
			tb.Fatal(err)
		}
	}
	if len(out) < 1000 {
		tb.Fatalf("only %d testdata lines under %s: wrong root?", len(out), root)
	}
	return out
}

// JSONKeyVariants returns variants of a JSON line whose keys encoding/json
// still matches to the same fields, for tests of checks that look for
// keys without decoding: every key upper-case, its first letter escaped
// ("t\u0073" for "ts" is "\u0074s"), its s and k as the runes that fold
// to them (ſ, the Kelvin sign K). nil for a line that is no JSON object.
func JSONKeyVariants(line string) []string {
	if !strings.HasPrefix(line, "{") {
		return nil
	}
	upper := jsonKey.ReplaceAllStringFunc(line, strings.ToUpper)
	escaped := jsonKey.ReplaceAllStringFunc(line, func(k string) string {
		return fmt.Sprintf(`"\u%04x`, k[1]) + k[2:]
	})
	folded := jsonKey.ReplaceAllStringFunc(line, func(k string) string {
		return strings.NewReplacer("s", "\u017f", "k", "\u212a").Replace(k)
	})
	return []string{upper, escaped, folded}
}

// jsonKey is a JSON object key as the formats' lines write them.
var jsonKey = regexp.MustCompile(`"[A-Za-z_][A-Za-z0-9_.:-]*"\s*:`)

// DetectAgrees checks a format's Detect, which says no to some lines by
// their keys without decoding them, against ref, the same by decoding
// every line: the same score on every testdata line (TestdataLines from
// root) and on its JSONKeyVariants. Some variants must score above 0, or
// they test nothing of the format.
func DetectAgrees(t *testing.T, root string, detect, ref func(string) int) {
	t.Helper()
	variantsRead := 0
	for _, line := range TestdataLines(t, root) {
		if got, want := detect(line), ref(line); got != want {
			t.Errorf("scored %d, by decoding %d: %s", got, want, line)
		}
		for _, v := range JSONKeyVariants(line) {
			got, want := detect(v), ref(v)
			if got != want {
				t.Errorf("scored %d, by decoding %d: %s", got, want, v)
			}
			if want > 0 {
				variantsRead++
			}
		}
	}
	if variantsRead == 0 {
		t.Error("no variant of a testdata line scored above 0")
	}
}

// AppLineJSON is a JSON app log's line (the bench set's), which no proxy's
// JSON format reads.
const AppLineJSON = `{"time":"2026-01-02T03:00:00.011964Z","level":"INFO","msg":"request finished","request_id":"aaed0144081729c9b7172e87e44bc00a","method":"GET","path":"/api/users/me","status":200,"duration_ms":10.433}`

// DetectSaysNoWithoutDecoding checks that detect scores AppLineJSON 0
// without allocating: a decode allocates, and detection scores every
// sample line with every format.
func DetectSaysNoWithoutDecoding(t *testing.T, detect func(string) int) {
	t.Helper()
	if s := detect(AppLineJSON); s != 0 {
		t.Fatalf("scored %d", s)
	}
	if allocs := testing.AllocsPerRun(10, func() { detect(AppLineJSON) }); allocs != 0 {
		t.Errorf("%v allocations: decoded", allocs)
	}
}
