package classify_test

import (
	"context"
	"reflect"
	"testing"
	"time"

	"fivexx/classify"
	"fivexx/sources"
	"fivexx/sources/demo"
)

// An engine fed runs (MergeRuns into FeedRun) makes the same verdicts as
// one fed record by record (MergeEach into Feed), advancing at the same
// records.
func TestFeedRunJudgesAsFeed(t *testing.T) {
	for _, name := range []string{"deploy-crash", "bad-header"} {
		sc, ok := demo.Lookup(name)
		if !ok {
			t.Fatalf("no scenario %s", name)
		}
		paths, err := demo.WriteFiles(t.TempDir(), sc, 1, time.Date(2026, 1, 2, 3, 0, 0, 0, time.UTC), 4*time.Minute)
		if err != nil {
			t.Fatal(err)
		}
		judge := func(runs bool) []*classify.Verdict {
			var ins []*sources.Input
			for i, p := range paths {
				ins = append(ins, sources.NewInput(i, sources.Spec{Path: p, Opts: sources.ParserOptions{Location: time.UTC}}))
			}
			var verdicts []*classify.Verdict
			eng := classify.NewEngine(classify.Config{Inputs: ins, OnVerdict: func(v *classify.Verdict) { verdicts = append(verdicts, v) }})
			var errs []error
			if runs {
				errs = sources.MergeRuns(context.Background(), ins, eng.FeedRun)
			} else {
				errs = sources.MergeEach(context.Background(), ins, eng.Feed)
			}
			for _, err := range errs {
				if err != nil {
					t.Fatal(err)
				}
			}
			eng.Flush()
			return verdicts
		}
		want, got := judge(false), judge(true)
		if len(want) < 100 {
			t.Fatalf("%s: only %d verdicts", name, len(want))
		}
		if len(got) != len(want) {
			t.Fatalf("%s: %d verdicts, want %d", name, len(got), len(want))
		}
		for i := range want {
			if !reflect.DeepEqual(got[i], want[i]) {
				t.Fatalf("%s: verdict %d differs:\n%+v\nwant\n%+v", name, i, *got[i], *want[i])
			}
		}
	}
}
