package classify_test

import (
	"context"
	"reflect"
	"testing"

	"fivexx/classify"
	"fivexx/sources"
)

// An engine fed runs (MergeRuns into FeedRun) makes the same verdicts as
// one fed record by record (MergeEach into Feed), advancing at the same
// records.
func TestFeedRunJudgesAsFeed(t *testing.T) {
	for _, name := range []string{"deploy-crash", "bad-header"} {
		paths := demoFiles(t, name)
		judge := func(runs bool) []*classify.Verdict {
			ins := utcInputs(paths)
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
