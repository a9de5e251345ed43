package sources

import (
	"context"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

// MergeRuns hands over the records in the order MergeBatches sends them,
// in runs that each lie in one input's batch, across batch ends, ties and
// untimed lines.
func TestMergeRunsKeepTheMergedOrder(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	var a, b strings.Builder
	for sec := int64(1); sec < 400; sec++ {
		for range rng.IntN(6) {
			a.WriteString(timedLines(sec))
		}
		for range rng.IntN(6) {
			if rng.IntN(10) == 0 {
				b.WriteString("U z\n")
			} else {
				b.WriteString(timedLines(sec))
			}
		}
	}
	want := mergedLines(t, a.String(), b.String(), true)
	if len(want) < 3*batchSize {
		t.Fatalf("only %d lines: the test crosses too few batch ends", len(want))
	}
	ins := []*Input{
		NewInput(0, Spec{Path: writeFile(t, "a.log", a.String()), Format: "test-proxy"}),
		NewInput(1, Spec{Path: writeFile(t, "b.log", b.String()), Format: "test-app-untimed"}),
	}
	var got []string
	runs := 0
	errs := MergeRuns(context.Background(), ins, func(run []Item) {
		if len(run) == 0 {
			t.Fatal("an empty run")
		}
		for _, it := range run {
			if it.Input != run[0].Input {
				t.Fatalf("a run of two inputs: %s and %s", it.Input.Spec.Path, run[0].Input.Spec.Path)
			}
			got = append(got, it.Rec.RawLine())
		}
		runs++
	})
	for _, err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	if !slices.Equal(got, want) {
		i := 0
		for i < min(len(got), len(want)) && got[i] == want[i] {
			i++
		}
		t.Fatalf("merged order differs at %d of %d: got %q, want %q", i, len(want), got[i:min(i+4, len(got))], want[i:min(i+4, len(want))])
	}
	if runs >= len(got)/2 {
		t.Errorf("%d runs for %d records: hardly runs", runs, len(got))
	}
}
