package sources

import (
	"context"
	"fmt"
	"runtime"
	"strings"
	"testing"
)

// TestMergeReadsInputsNotDueOneBatchAhead: of 40 inputs one after another
// in time (rotated files), those whose lines are not due yet have parsed
// their first batch, the head the merge needs, and not more while the
// first input's lines go out; each parsed mergeAhead batches and more
// ahead, with the blocks and slots they hold, so that memory grew with the
// number of inputs (100 rotated files of 5,000 lines: 168 MB peak RSS
// against 19 MB as one file, QA s37 qa5). The merged order is unchanged.
func TestMergeReadsInputsNotDueOneBatchAhead(t *testing.T) {
	const inputs, lines = 40, 20 * batchSize
	var ins []*Input
	var want []string
	for k := range inputs {
		var b strings.Builder
		for l := range lines {
			s := timedLines(int64(1_000_000 + k*lines + l))
			b.WriteString(s)
			want = append(want, strings.TrimSuffix(s, "\n"))
		}
		ins = append(ins, NewInput(k, Spec{Path: writeFile(t, fmt.Sprintf("a.log.%d", k), b.String()), Format: "test-proxy"}))
	}
	bound := int64(2 * batchSize)
	var got []string
	checked := false
	errs := MergeRuns(context.Background(), ins, func(run []Item) {
		for _, it := range run {
			got = append(got, it.Rec.RawLine())
		}
		if !checked && len(got) >= lines/2 {
			checked = true
			if k, n := firstOverRead(ins, bound); k >= 0 {
				t.Errorf("input %d, not due yet, parsed %d lines ahead of the merge, want %d at most", k, n, bound)
			}
		}
	})
	for _, err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	if !checked {
		t.Fatal("the first input's lines never went out")
	}
	if len(got) != len(want) {
		t.Fatalf("merged %d lines, want %d", len(got), len(want))
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("line %d: %q, want %q", i, got[i], want[i])
		}
	}
}

// firstOverRead is the first of ins after the first (those not due while
// the first's lines go out) that parsed more than bound lines, and how
// many, after letting the readers run (yields, no sleep: a reader that is
// not held back goes on parsing); -1 when none did.
func firstOverRead(ins []*Input, bound int64) (int, int64) {
	for range 2000 {
		for k := 1; k < len(ins); k++ {
			if n := ins[k].Counters().Parsed; n > bound {
				return k, n
			}
		}
		runtime.Gosched()
	}
	return -1, 0
}
