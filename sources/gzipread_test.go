package sources_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"fivexx/sources"
	"fivexx/testdata/biglog"
)

// TestBorrowedTextLastsUntilRelease for .gz files: lines are parsed where
// they were inflated, in the read-ahead's blocks, so a block must not be
// inflated into again before its records are released. Both ways of
// reading: the three files side by side (blocks taken whole from the
// read-ahead), and the access log alone in chunks for 3 parsers (the
// chunk cutter inflating itself).
func TestGzipBorrowedTextLastsUntilRelease(t *testing.T) {
	dir := t.TempDir()
	if _, err := biglog.Generate(dir, biglog.Config{Lines: 20_000, Seed: 7, NoCombined: true}); err != nil {
		t.Fatal(err)
	}
	all := []string{biglog.AccessFile, biglog.ErrorFile, biglog.AppFile}
	lines := map[string][]string{}
	for _, name := range all {
		b, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		lines[name] = strings.Split(strings.TrimSuffix(string(b), "\n"), "\n")
		var gz bytes.Buffer
		zw := gzip.NewWriter(&gz)
		zw.Write(b)
		zw.Close()
		if err := os.WriteFile(filepath.Join(dir, name+".gz"), gz.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for _, tc := range []struct {
		names      []string
		workers    int
		minSlotted int
	}{
		{all, 1, 30_000},
		{[]string{biglog.AccessFile}, 3, 19_000},
	} {
		restore := sources.SetParallelWorkers(tc.workers)
		// A lone .gz input parses on the cores its inflater leaves
		// (inflatingCores): one more than the parsers wanted.
		procs := runtime.GOMAXPROCS(max(tc.workers+1, 2, runtime.GOMAXPROCS(0)))
		var ins []*sources.Input
		for i, name := range tc.names {
			ins = append(ins, sources.NewInput(i, sources.Spec{Path: filepath.Join(dir, name+".gz"), Opts: sources.ParserOptions{Location: time.UTC}}))
		}
		slotted, borrowed, n := 0, 0, 0
		checkErrs(t, sources.MergeEach(context.Background(), ins, func(it sources.Item) {
			if n++; n%32 == 0 {
				time.Sleep(20 * time.Microsecond) // the readers run ahead
			}
			name := tc.names[it.Input.Index]
			if want := lines[name][it.LineNo-1]; it.Rec.RawLine() != want {
				t.Fatalf("%d parsers: %s.gz line %d reads\n%q\nnot\n%q", tc.workers, name, it.LineNo, it.Rec.RawLine(), want)
			}
			if it.Recycled() {
				slotted++
			}
			if sources.TextBorrowed(it) {
				borrowed++
			}
		}))
		restore()
		runtime.GOMAXPROCS(procs)
		if slotted < tc.minSlotted || borrowed < slotted*9/10 {
			t.Fatalf("%v, %d parsers: %d records in slots, %d of them borrowed: the test tests little", tc.names, tc.workers, slotted, borrowed)
		}
	}
}
