package sources_test

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"fivexx/sources"
)

// Live QA s25 #3 (repro-3): a HAProxy log after copytruncate, its writer
// without O_APPEND (`log stdout`, any `cmd > file`), starts with as many
// NULs as it held, glued to the first new line. A report of it read 39 of
// its 40 requests when the NULs were over 1 MiB: the line was cut at
// MaxLineBytes, all NULs, and counted unparsed. Every request is read now,
// the same as without the NULs, by the plain reader and in parallel.
func TestReadDropsTheNULsBeforeALine(t *testing.T) {
	rec, err := os.ReadFile(filepath.Join("..", "testdata", "recordings", "haproxy", "access.log"))
	if err != nil {
		t.Fatal(err)
	}
	lines := bytes.SplitAfter(rec, []byte("\n"))[:40]
	clean := filepath.Join(t.TempDir(), "haproxy.log")
	if err := os.WriteFile(clean, bytes.Join(lines, nil), 0o644); err != nil {
		t.Fatal(err)
	}
	want, _ := readRecords(t, clean, 1, false)
	if len(want) != 40 {
		t.Fatalf("%d records in the clean file", len(want))
	}
	for _, nuls := range []int{5000, 2_000_000} {
		data := append(bytes.Join(lines[:20], nil), bytes.Repeat([]byte{0}, nuls)...)
		data = append(data, bytes.Join(lines[20:], nil)...)
		p := filepath.Join(t.TempDir(), "haproxy.log")
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
		for _, workers := range []int{1, 3} {
			got, in := readRecords(t, p, workers, false)
			if diff := cmp.Diff(want, got, cmpopts.IgnoreUnexported(sources.Item{})); diff != "" {
				t.Errorf("%d NULs, %d parsers: records (-clean +with NULs):\n%s", nuls, workers, diff)
			}
			if c := in.Counters(); c.Lines != 40 || c.Parsed != 40 || c.Unparsed != 0 || c.TooLong != 0 {
				t.Errorf("%d NULs, %d parsers: counters %+v", nuls, workers, c)
			}
		}
	}
}
