package sources_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"fivexx/sources"
)

// TestMergeHoldsNginxInputsNotDue is TestMergeReadsInputsNotDueOneBatchAhead
// for nginx access logs, whose lines a report parses into slots straight
// in the batch (proxyLines) rather than through send: 30 rotated files,
// an hour apart each; those not due yet parse their first batch and no
// more while the first file's lines go out.
func TestMergeHoldsNginxInputsNotDue(t *testing.T) {
	const inputs, lines = 30, 20 * sources.BatchSize
	ins := writeNginxFiles(t, inputs, lines)
	bound := int64(2 * sources.BatchSize)
	merged, checked := 0, false
	var last time.Time
	errs := sources.MergeRuns(context.Background(), ins, func(run []sources.Item) {
		for _, it := range run {
			at := it.Rec.RecordTime()
			if at.Before(last) {
				t.Fatalf("line %d at %v after one at %v", merged, at, last)
			}
			last = at
			merged++
		}
		if !checked && merged >= lines/2 {
			checked = true
			if k, n := sources.FirstOverRead(ins, bound); k >= 0 {
				t.Errorf("access.log.%d, not due yet, parsed %d lines ahead of the merge, want %d at most", k, n, bound)
			}
		}
	})
	for _, err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	if !checked || merged != inputs*lines {
		t.Fatalf("merged %d lines, want %d", merged, inputs*lines)
	}
}

// writeNginxFiles writes n nginx-combined access logs of lines lines
// each, an hour apart, into dir, and returns their inputs.
func writeNginxFiles(t *testing.T, n, lines int) []*sources.Input {
	t.Helper()
	dir := t.TempDir()
	t0 := time.Date(2026, 11, 21, 7, 0, 0, 0, time.UTC)
	var ins []*sources.Input
	for k := range n {
		var b strings.Builder
		for l := range lines {
			at := t0.Add(time.Duration(k)*time.Hour + time.Duration(l)*time.Second/2)
			fmt.Fprintf(&b, "10.0.0.9 - - [%s] \"GET /api/v1/items?n=%d HTTP/1.1\" 200 3 \"-\" \"gen/1\"\n", at.Format("02/Jan/2006:15:04:05 -0700"), l)
		}
		p := filepath.Join(dir, fmt.Sprintf("access.log.%d", k))
		if err := os.WriteFile(p, []byte(b.String()), 0o644); err != nil {
			t.Fatal(err)
		}
		ins = append(ins, sources.NewInput(k, sources.Spec{Path: p, Format: "nginx-combined", Opts: sources.ParserOptions{Location: time.UTC}}))
	}
	return ins
}

// heapPerInput merges ins and returns the live heap, after a collection,
// that the merge holds when its first run goes out (every input has sent
// its first batch; those not due wait at the gate), less the heap before
// the merge began, per input.
func heapPerInput(t *testing.T, ins []*sources.Input) int64 {
	t.Helper()
	sources.DropFreeLists()
	var ms runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&ms)
	base := int64(ms.HeapAlloc)
	var held int64
	first := true
	errs := sources.MergeRuns(context.Background(), ins, func(run []sources.Item) {
		if first {
			first = false
			runtime.GC()
			runtime.ReadMemStats(&ms)
			held = int64(ms.HeapAlloc) - base
		}
	})
	for _, err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	t.Logf("%d bytes of heap held per input", held/int64(len(ins)))
	return held / int64(len(ins))
}

// TestMergeInputNotDueHoldsNoReadBuffer: an input not due yet holds its
// first batch and the block its first read went into, not also the 64 KiB
// buffer its magic bytes were peeked through (openWatched), which a plain
// file's first read went through and its reader kept while it waited at
// the merge gate.
func TestMergeInputNotDueHoldsNoReadBuffer(t *testing.T) {
	ins := writeNginxFiles(t, 40, 8*sources.BatchSize) // each about 110 KB: its first read does not reach its end
	// Its batch's 128 slots, lines and items (about 90 KB here), its read
	// block (64 KiB), its decoder and parser: 213 KB; with the buffer,
	// 279 KB.
	const bound = 240_000
	if per := heapPerInput(t, ins); per > bound {
		t.Errorf("%d bytes of heap held per input not due yet, want %d at most", per, bound)
	}
}

// TestMergeEndedInputHoldsItsRecordsCompact: an input whose lines all
// fit in its first batch (1,000 files of 100 lines) ended at once and held
// that batch until the merge reached it: its records in their slots, each
// with room for 16 list elements and a buffer of its line, and those
// slots then missing from the free list, so that each input read made
// slots of its own. It holds copies of its records now and gives its
// slots back at once.
func TestMergeEndedInputHoldsItsRecordsCompact(t *testing.T) {
	ins := writeNginxFiles(t, 200, 100)
	// Copies of its 100 records and its items (about 66 KB here), its
	// decoder and parser: 71 KB; in their slots, 110 KB.
	const bound = 90_000
	if per := heapPerInput(t, ins); per > bound {
		t.Errorf("%d bytes of heap held per input ended, want %d at most", per, bound)
	}
}

// TestMergeInputNotDueHoldsItsBatchCompact: an input not due yet holds
// copies of its first batch's records, not the slots they were parsed
// into (see TestMergeEndedInputHoldsItsRecordsCompact), which are left to
// the collector: readers take slots again from those released.
func TestMergeInputNotDueHoldsItsBatchCompact(t *testing.T) {
	ins := writeNginxFiles(t, 40, 8*sources.BatchSize)
	// Copies of its 128 records and its items (about 85 KB here), its
	// read block, decoder and parser: 166 KB; in their slots, 213 KB.
	const bound = 190_000
	if per := heapPerInput(t, ins); per > bound {
		t.Errorf("%d bytes of heap held per input not due yet, want %d at most", per, bound)
	}
}
