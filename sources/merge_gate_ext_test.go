package sources_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
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
	dir := t.TempDir()
	t0 := time.Date(2026, 11, 21, 7, 0, 0, 0, time.UTC)
	var ins []*sources.Input
	for k := range inputs {
		var b strings.Builder
		for l := range lines {
			at := t0.Add(time.Duration(k)*time.Hour + time.Duration(l)*time.Second/2)
			fmt.Fprintf(&b, "10.0.0.9 - - [%s] \"GET /p?n=%d HTTP/1.1\" 200 3 \"-\" \"gen/1\"\n", at.Format("02/Jan/2006:15:04:05 -0700"), l)
		}
		p := filepath.Join(dir, fmt.Sprintf("access.log.%d", k))
		if err := os.WriteFile(p, []byte(b.String()), 0o644); err != nil {
			t.Fatal(err)
		}
		ins = append(ins, sources.NewInput(k, sources.Spec{Path: p, Format: "nginx-combined", Opts: sources.ParserOptions{Location: time.UTC}}))
	}
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
