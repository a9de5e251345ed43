package sources

import (
	"cmp"
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

// The merge's order is the records sorted stably by time, then by input
// (ties go to the earlier input: mergeHead.before, and the run's tieWins in
// merger.run), then by line. The want here is that sort, computed apart
// from the merge: TestMergeRunsKeepTheMergedOrder takes its want from
// MergeBatches, the same merger.run, so a broken tie rule (a later input
// let go first at the limit another input's head sets) passed it. Three
// inputs share most seconds, several records a second, and each is some
// batches long, so ties fall inside a run, at the limit of a run, and
// across batch ends. Untimed records are left out: they go out at once,
// not by the sort.
func TestMergeOrdersTiesByInputThenLine(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	const inputs = 3
	type record struct {
		sec         int64
		input, line int
	}
	var want []record
	logs := make([]strings.Builder, inputs)
	lines := make([]int, inputs) // each log's lines so far
	for sec := int64(1); sec < 300; sec++ {
		for i := range logs {
			n := rng.IntN(5)
			if sec%50 == 0 {
				// A second longer than a batch: ties run on over an
				// input's batch end.
				n = batchSize + rng.IntN(batchSize)
			}
			for range n {
				fmt.Fprintf(&logs[i], "T%d in%d-line%d\n", sec, i, lines[i])
				want = append(want, record{sec, i, lines[i]})
				lines[i]++
			}
		}
	}
	slices.SortStableFunc(want, func(a, b record) int {
		return cmp.Or(cmp.Compare(a.sec, b.sec), cmp.Compare(a.input, b.input), cmp.Compare(a.line, b.line))
	})
	wantLines := make([]string, len(want))
	for k, r := range want {
		wantLines[k] = fmt.Sprintf("T%d in%d-line%d", r.sec, r.input, r.line)
	}
	for i, n := range lines {
		if n < 3*batchSize {
			t.Fatalf("input %d has only %d lines: the test crosses too few batch ends", i, n)
		}
	}
	paths := make([]string, inputs)
	for i := range logs {
		paths[i] = writeFile(t, fmt.Sprintf("in%d.log", i), logs[i].String())
	}

	for _, tc := range []struct {
		name  string
		merge func(ins []*Input) (lines []string, errs []error)
	}{
		{"MergeRuns", func(ins []*Input) (lines []string, errs []error) {
			errs = MergeRuns(context.Background(), ins, func(run []Item) {
				for _, it := range run {
					lines = append(lines, it.Rec.RawLine())
				}
			})
			return lines, errs
		}},
		{"MergeEach", func(ins []*Input) (lines []string, errs []error) {
			errs = MergeEach(context.Background(), ins, func(it Item) {
				lines = append(lines, it.Rec.RawLine())
			})
			return lines, errs
		}},
		{"MergeBatches", func(ins []*Input) (lines []string, errs []error) {
			out := make(chan []Item, 4)
			done := make(chan []error)
			go func() { done <- MergeBatches(context.Background(), ins, out) }()
			for batch := range out {
				for _, it := range batch {
					lines = append(lines, it.Rec.RawLine())
				}
			}
			return lines, <-done
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ins := make([]*Input, inputs)
			for i, p := range paths {
				ins[i] = NewInput(i, Spec{Path: p, Format: "test-proxy"})
			}
			got, errs := tc.merge(ins)
			for _, err := range errs {
				if err != nil {
					t.Fatal(err)
				}
			}
			if !slices.Equal(got, wantLines) {
				i := 0
				for i < min(len(got), len(wantLines)) && got[i] == wantLines[i] {
					i++
				}
				t.Fatalf("merged order differs at %d of %d: got %q, want %q",
					i, len(wantLines), got[i:min(i+4, len(got))], wantLines[i:min(i+4, len(wantLines))])
			}
		})
	}
}
