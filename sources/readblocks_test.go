package sources_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fivexx/sources"
	"fivexx/testdata/biglog"
)

// A record parsed where it was read keeps its text until its batch is
// released: with a consumer slower than the readers, so that every read
// block is taken again as soon as the rule allows, each record still reads
// as its line in the file, and nearly all of them were borrowed. Reading
// a block again one record early makes records read as other lines.
func TestBorrowedTextLastsUntilRelease(t *testing.T) {
	dir := t.TempDir()
	if _, err := biglog.Generate(dir, biglog.Config{Lines: 20_000, Seed: 5, NoCombined: true}); err != nil {
		t.Fatal(err)
	}
	names := []string{biglog.AccessFile, biglog.ErrorFile, biglog.AppFile}
	var lines [][]string
	var ins []*sources.Input
	for i, name := range names {
		b, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		lines = append(lines, strings.Split(strings.TrimSuffix(string(b), "\n"), "\n"))
		ins = append(ins, sources.NewInput(i, sources.Spec{Path: filepath.Join(dir, name), Opts: sources.ParserOptions{Location: time.UTC}}))
	}
	slotted, borrowed, n := 0, 0, 0
	checkErrs(t, sources.MergeEach(context.Background(), ins, func(it sources.Item) {
		if n++; n%32 == 0 {
			time.Sleep(20 * time.Microsecond) // the readers run ahead
		}
		if want := lines[it.Input.Index][it.LineNo-1]; it.Rec.RawLine() != want {
			t.Fatalf("%s line %d reads\n%q\nnot\n%q", names[it.Input.Index], it.LineNo, it.Rec.RawLine(), want)
		}
		if it.Recycled() {
			slotted++
		}
		if sources.TextBorrowed(it) {
			borrowed++
		}
	}))
	if slotted < 30_000 || borrowed < slotted*9/10 {
		t.Fatalf("%d records in slots, %d of them borrowed: the test tests little", slotted, borrowed)
	}
}
