package sources_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp/cmpopts"

	"fivexx/sources"
	_ "fivexx/sources/parsers"
	"fivexx/testdata/biglog"
)

// Every format marked Stateless gives the same records in parallel as the
// plain reader, on its real sample lines (testdata/formats, and the nginx
// recordings), repeated to some twenty chunks.
func TestStatelessFormatsReadTheSameInParallel(t *testing.T) {
	files := globAll(t, "../testdata/formats/*/*.log", "../testdata/formats/*/*.gz", "../testdata/recordings/nginx-*/access*.log")
	parallel := 0
	recycledFiles := map[string]int{} // by format
	for _, path := range files {
		big := repeatedSample(t, path, "big.log", 2<<20)
		plain, in := readRecords(t, big, 1, false)
		if !in.Format().Stateless || in.Role() != sources.RoleProxy {
			continue
		}
		parallel++
		if len(plain) == 0 {
			t.Fatalf("%s: no records", path)
		}
		for _, r := range []struct {
			workers int
			release bool
		}{{3, false}, {1, true}, {3, true}} {
			got, _, n := readRecycled(t, big, r.workers, r.release)
			if r.release && n > 0 {
				recycledFiles[in.Format().Name]++
			}
			if diff := sameOrDiff(plain, got, cmpopts.IgnoreUnexported(sources.Item{})); diff != "" {
				t.Errorf("%s (%s): read with %d parsers (batches released: %v) differs (-plain +that):\n%s", path, in.Format().Name, r.workers, r.release, diff)
			}
		}
	}
	if parallel < 5 {
		t.Errorf("only %d sample files are of a Stateless format", parallel)
	}
	// The nginx access formats parse into recycled slots (sources.SlotParser).
	// (ingress-nginx is not Stateless: its error lines take the offset of
	// the access line before them.)
	for _, f := range []string{"nginx-upstream", "nginx-combined"} {
		if recycledFiles[f] == 0 {
			t.Errorf("no %s file was read into recycled slots (by format: %v)", f, recycledFiles)
		}
	}
}

// repeatedSample writes a sample file's lines again and again, to at least
// size bytes, to a file of the given name in a temporary directory.
func repeatedSample(t *testing.T, path, name string, size int) string {
	t.Helper()
	lines := sampleLines(t, path)
	big := filepath.Join(t.TempDir(), name)
	var b bytes.Buffer
	for b.Len() < size {
		b.WriteString(lines)
	}
	if err := os.WriteFile(big, b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return big
}

// sampleLines returns a sample file's text (decompressed), ending in a newline.
func sampleLines(t *testing.T, path string) string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if strings.HasSuffix(path, ".gz") {
		zr, err := gzip.NewReader(bytes.NewReader(data))
		if err != nil {
			t.Fatal(err)
		}
		if data, err = io.ReadAll(zr); err != nil {
			t.Fatal(err)
		}
	}
	if len(data) > 0 && data[len(data)-1] != '\n' {
		data = append(data, '\n')
	}
	return string(data)
}

// readRecords reads path to its end with n parsing goroutines and returns
// its records with their line numbers, and the input. With release, every
// batch is released once read, as the engine does, so recycled records
// are overwritten by later lines: their Detach copies are returned.
func readRecords(t *testing.T, path string, n int, release bool) ([]sources.Item, *sources.Input) {
	items, in, _ := readRecycled(t, path, n, release)
	return items, in
}

// readRecycled is readRecords that also counts the records that were Recycled.
func readRecycled(t *testing.T, path string, n int, release bool) (_ []sources.Item, _ *sources.Input, recycled int) {
	return readInput(t, sources.NewInput(0, sources.Spec{Path: path}), n, release)
}

// readInput is readRecycled for an input made by the caller.
func readInput(t *testing.T, in *sources.Input, n int, release bool) (_ []sources.Item, _ *sources.Input, recycled int) {
	t.Helper()
	var items []sources.Item
	eachBatch(t, in, n, func(b []sources.Item) {
		for _, it := range b {
			rec := it.Rec
			if it.Recycled() {
				rec = it.Detach()
				recycled++
			}
			// Input is the same by construction (cmp would walk it).
			items = append(items, sources.Item{LineNo: it.LineNo, Rec: rec})
		}
		if release {
			sources.ReleaseBatch(b)
		}
	})
	return items, in, recycled
}

// eachBatch reads in to its end with n parsing goroutines (ReadBatches)
// and hands each batch to each, which may release it.
func eachBatch(t *testing.T, in *sources.Input, n int, each func([]sources.Item)) {
	t.Helper()
	defer sources.SetParallelWorkers(n)()
	out := make(chan []sources.Item, 4)
	done := make(chan error, 1)
	go func() { done <- sources.ReadBatches(context.Background(), in, out); close(out) }()
	for b := range out {
		each(b)
	}
	if err := <-done; err != nil {
		t.Fatal(err)
	}
}

// App lines parsed into recycled slots and released batch by batch, as the
// engine reads them, give the same records (their Detach copies) as lines
// parsed into fresh memory (KeepRecords). The samples have Go, Java and
// Python stack traces, whose lines grow the record before them after it
// was parsed, and Go "panic: " lines, which make a record of their own.
func TestAppLinesReadTheSameFromSlots(t *testing.T) {
	files, err := filepath.Glob("applog/testdata/*.log")
	if err != nil {
		t.Fatal(err)
	}
	recs, err := filepath.Glob("../testdata/recordings/*/app.log")
	if err != nil {
		t.Fatal(err)
	}
	files = append(files, recs...)
	if len(files) < 6 {
		t.Fatalf("only %d app samples: %v", len(files), files)
	}
	for _, path := range files {
		big := repeatedSample(t, path, "app.log", 1<<20)
		// Given as the app's (--app): nginx-startapp's app log is in the
		// Combined Log Format, which alone reads as nginx's.
		spec := sources.Spec{Path: big, Role: sources.RoleApp}
		kept := sources.NewInput(0, spec)
		kept.KeepRecords()
		want, in, fresh := readInput(t, kept, 1, false)
		if in.Role() != sources.RoleApp || len(want) == 0 || fresh != 0 {
			t.Fatalf("%s: read as %s (%s), %d records, %d recycled with KeepRecords", path, in.Format().Name, in.Role(), len(want), fresh)
		}
		got, _, recycled := readInput(t, sources.NewInput(0, spec), 1, true)
		// All but the lines held back until the format is known.
		if recycled < len(got)*9/10 {
			t.Errorf("%s (%s): %d of %d records recycled", path, in.Format().Name, recycled, len(got))
		}
		if diff := sameOrDiff(want, got, cmpopts.IgnoreUnexported(sources.Item{})); diff != "" {
			t.Errorf("%s (%s): records read from released slots differ (-fresh +slots):\n%s", path, in.Format().Name, diff)
		}
	}
}

// An input whose consumer keeps every record (KeepRecords: replay) is not
// parsed into recycled slots, with one parser or several.
func TestKeepRecordsReadsNoSlots(t *testing.T) {
	paths, err := filepath.Glob("../testdata/recordings/nginx-upstream/access*.log")
	if err != nil || len(paths) == 0 {
		t.Fatalf("no nginx-upstream recording: %v", err)
	}
	for _, workers := range []int{1, 3} {
		for _, keep := range []bool{false, true} {
			in := sources.NewInput(0, sources.Spec{Path: paths[0]})
			if keep {
				in.KeepRecords()
			}
			recycled, items := 0, 0
			eachBatch(t, in, workers, func(b []sources.Item) {
				for _, it := range b {
					items++
					if it.Recycled() {
						recycled++
					}
				}
				sources.ReleaseBatch(b)
			})
			// Without KeepRecords all but the first lines (held back until
			// the format is known) are recycled.
			if keep && recycled > 0 || !keep && recycled < items*9/10 || items == 0 {
				t.Errorf("%d parsers, KeepRecords %v: %d of %d records recycled", workers, keep, recycled, items)
			}
		}
	}
}

// MergeEach hands over the same records in the same order as MergeBatches,
// though it recycles their memory as soon as each has returned: here on
// the bench set's three files (30,000 requests, some 400 batches, so every
// slot is used many times), whose records each keeps as Detach copies.
func TestMergeEachMatchesMergeBatches(t *testing.T) {
	dir := t.TempDir()
	if _, err := biglog.Generate(dir, biglog.Config{Lines: 30_000, Seed: 3, NoCombined: true}); err != nil {
		t.Fatal(err)
	}
	inputs := func(keep bool) []*sources.Input {
		var ins []*sources.Input
		for i, f := range []string{biglog.AccessFile, biglog.ErrorFile, biglog.AppFile} {
			in := sources.NewInput(i, sources.Spec{Path: filepath.Join(dir, f), Opts: sources.ParserOptions{Location: time.UTC}})
			if keep {
				in.KeepRecords()
			}
			ins = append(ins, in)
		}
		return ins
	}
	// Input is compared by index (cmp would walk it).
	type merged struct {
		Input  int
		LineNo int64
		Rec    sources.Record
	}
	var want []merged
	batches := make(chan []sources.Item, 2)
	done := make(chan []error, 1)
	go func() { done <- sources.MergeBatches(context.Background(), inputs(true), batches) }()
	for b := range batches {
		for _, it := range b {
			want = append(want, merged{it.Input.Index, it.LineNo, it.Rec})
		}
	}
	checkErrs(t, <-done)

	var got []merged
	recycled := 0
	checkErrs(t, sources.MergeEach(context.Background(), inputs(false), func(it sources.Item) {
		if it.Recycled() {
			recycled++
		}
		got = append(got, merged{it.Input.Index, it.LineNo, it.Detach()})
	}))
	if len(want) < 50_000 || recycled < len(want)*9/10 {
		t.Fatalf("%d records, %d of them recycled by MergeEach: the test tests little", len(want), recycled)
	}
	if diff := sameOrDiff(want, got); diff != "" {
		t.Errorf("MergeEach differs from MergeBatches (-batches +each):\n%s", diff)
	}
}

func checkErrs(t *testing.T, errs []error) {
	t.Helper()
	for _, err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
}

// With KeepText (replay) lines are still parsed into recycled slots, but
// their text lies in blocks that are never written again: each record's
// Raw, kept as it is while its batch is released and its slot reused for
// later lines, still reads as its line of the file. Proxy lines with one
// parser and with several, and app lines.
func TestKeptTextOutlivesTheBatch(t *testing.T) {
	access, err := filepath.Glob("../testdata/recordings/nginx-upstream/access*.log")
	if err != nil || len(access) == 0 {
		t.Fatalf("no nginx-upstream recording: %v", err)
	}
	for _, c := range []struct {
		sample  string
		workers int
	}{{access[0], 1}, {access[0], 3}, {"applog/testdata/json.log", 1}} {
		big := repeatedSample(t, c.sample, "big.log", 2<<20)
		data, err := os.ReadFile(big)
		if err != nil {
			t.Fatal(err)
		}
		lines := strings.Split(strings.TrimSuffix(string(data), "\n"), "\n")
		in := sources.NewInput(0, sources.Spec{Path: big})
		in.KeepText()
		kept := map[int]string{} // by line number: the Raw as it was handed over
		items := 0
		eachBatch(t, in, c.workers, func(b []sources.Item) {
			for _, it := range b {
				items++
				if it.Recycled() && it.TextKept() {
					kept[int(it.LineNo)] = it.Rec.RawLine()
				}
			}
			sources.ReleaseBatch(b)
		})
		if items == 0 || len(kept) < items*9/10 {
			t.Fatalf("%s, %d parsers: %d of %d records recycled with their text kept", c.sample, c.workers, len(kept), items)
		}
		for n, raw := range kept {
			// An app record's Raw may have grown by the stack trace after it.
			if !strings.HasPrefix(raw, lines[n-1]) {
				t.Fatalf("%s, %d parsers: line %d now reads %q, want %q", c.sample, c.workers, n, raw, lines[n-1])
			}
		}
	}
}
