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
	"fivexx/testdata/biglog"
)

// A record parsed where it was read keeps its text until its batch is
// released: with a consumer slower than the readers, so that every read
// block is taken again as soon as the rule allows, each record still reads
// as its line in the file, and nearly all of them were borrowed. Both ways
// of reading: the three files side by side (a reader each), and the access
// log alone, cut into chunks for 3 parsing goroutines. Reading any block
// again too soon makes records read as other lines.
func TestBorrowedTextLastsUntilRelease(t *testing.T) {
	dir := t.TempDir()
	if _, err := biglog.Generate(dir, biglog.Config{Lines: 20_000, Seed: 5, NoCombined: true}); err != nil {
		t.Fatal(err)
	}
	all := []string{biglog.AccessFile, biglog.ErrorFile, biglog.AppFile}
	lines := map[string][]string{}
	ends := map[string][]int{} // the byte offset past each line's newline
	for _, name := range all {
		b, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		lines[name] = strings.Split(strings.TrimSuffix(string(b), "\n"), "\n")
		end := 0
		for _, l := range lines[name] {
			end += len(l) + 1
			ends[name] = append(ends[name], end)
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
		// MergeEach gives one input all of GOMAXPROCS: at least 2 to cut chunks.
		procs := runtime.GOMAXPROCS(max(2, runtime.GOMAXPROCS(0)))
		var ins []*sources.Input
		for i, name := range tc.names {
			ins = append(ins, sources.NewInput(i, sources.Spec{Path: filepath.Join(dir, name), Opts: sources.ParserOptions{Location: time.UTC}}))
		}
		slotted, borrowed, n := 0, 0, 0
		checkErrs(t, sources.MergeEach(context.Background(), ins, func(it sources.Item) {
			if n++; n%32 == 0 {
				time.Sleep(20 * time.Microsecond) // the readers run ahead
			}
			name := tc.names[it.Input.Index]
			if want := lines[name][it.LineNo-1]; it.Rec.RawLine() != want {
				t.Fatalf("%d parsers: %s line %d reads\n%q\nnot\n%q", tc.workers, name, it.LineNo, it.Rec.RawLine(), want)
			}
			if it.Recycled() {
				slotted++
			}
			if sources.TextBorrowed(it) {
				borrowed++
			} else if it.Recycled() && ends[name][it.LineNo-1] > sources.ReadBlockSize {
				// Every line lies whole in a block, those that span two
				// reads too (lineSplitter.moveHeld, the chunk cutter's
				// carry), but for the lines of the first read: slots
				// borrow from the read after the format is known.
				t.Fatalf("%d parsers: %s line %d, past the first read, was copied, not borrowed", tc.workers, name, it.LineNo)
			}
		}))
		restore()
		runtime.GOMAXPROCS(procs)
		if slotted < tc.minSlotted || borrowed < slotted*9/10 {
			t.Fatalf("%v, %d parsers: %d records in slots, %d of them borrowed: the test tests little", tc.names, tc.workers, slotted, borrowed)
		}
	}
}

// An app record is held back until the line after it (decoder.holdInBatch
// holds a slotted one at the end of its batch): the stack-trace lines after
// it are on its Raw when it reaches the consumer, at a batch's end too.
func TestHeldAppRecordsKeepTheirTraces(t *testing.T) {
	var file strings.Builder
	var want []string
	for i := range 3000 {
		line := fmt.Sprintf(`{"time":"2026-01-02T%02d:%02d:%02d.%06dZ","level":"error","msg":"failed %d","request_id":"r%d"}`, 3+i/3600, i/60%60, i%60, i, i, i)
		raw := line
		if i%2 == 1 {
			for j := range 3 {
				raw += fmt.Sprintf("\n\tat com.example.Handler.handle(Handler.java:%d)", i*10+j)
			}
		}
		file.WriteString(raw + "\n")
		want = append(want, raw)
	}
	in := sources.NewInput(0, sources.Spec{Path: filepath.Join(t.TempDir(), "app.log"), Opts: sources.ParserOptions{Location: time.UTC}})
	if err := os.WriteFile(in.Spec.Path, []byte(file.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	// Batches as read (MergeEach waits for an input's next batch before
	// it hands on the last record of one).
	in.ReleasesInOrder()
	out := make(chan []sources.Item)
	errc := make(chan error, 1)
	go func() { errc <- sources.ReadBatches(context.Background(), in, out); close(out) }()
	n, slotted := 0, 0
	for b := range out {
		for _, it := range b {
			if n >= len(want) || it.Rec.RawLine() != want[n] {
				t.Fatalf("record %d reads\n%q", n, it.Rec.RawLine())
			}
			if it.Recycled() {
				slotted++
			}
			n++
		}
		sources.ReleaseBatch(b)
	}
	if err := <-errc; err != nil {
		t.Fatal(err)
	}
	// The lines detection held are parsed without slots.
	if n != len(want) || slotted < len(want)*3/4 {
		t.Fatalf("%d records, %d of them in slots, want %d, nearly all in slots", n, slotted, len(want))
	}
}
