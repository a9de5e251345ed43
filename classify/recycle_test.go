package classify_test

import (
	"context"
	"reflect"
	"testing"
	"time"

	"fivexx/classify"
	"fivexx/sources"
	"fivexx/sources/demo"
	_ "fivexx/sources/parsers"
)

// demoFiles writes four minutes of the demo scenario name and returns the
// paths of its files: two under the race detector, which makes a run of
// the engine several times slower; make test runs the tests that judge
// them at four without it.
func demoFiles(t *testing.T, name string) []string {
	t.Helper()
	sc, ok := demo.Lookup(name)
	if !ok {
		t.Fatalf("no scenario %s", name)
	}
	d := 4 * time.Minute
	if classify.RaceEnabled {
		d = 2 * time.Minute
	}
	paths, err := demo.WriteFiles(t.TempDir(), sc, 1, time.Date(2026, 1, 2, 3, 0, 0, 0, time.UTC), d)
	if err != nil {
		t.Fatal(err)
	}
	return paths
}

// utcInputs returns fresh inputs over paths, zone-less times read as UTC
// (inputs count their lines, so each run needs its own).
func utcInputs(paths []string) []*sources.Input {
	var ins []*sources.Input
	for i, p := range paths {
		ins = append(ins, sources.NewInput(i, sources.Spec{Path: p, Opts: sources.ParserOptions{Location: time.UTC}}))
	}
	return ins
}

// verdictsOf runs an engine over the files merged by time and returns its
// verdicts. With release, it is fed as a report feeds it (MergeEach into
// Feed, which recycles the memory of proxy and app entries as soon as each
// is added); otherwise every record is added and kept as it came.
func verdictsOf(t *testing.T, paths []string, cfg classify.Config, release bool) []*classify.Verdict {
	t.Helper()
	ins := utcInputs(paths)
	var verdicts []*classify.Verdict
	cfg.Inputs = ins
	cfg.OnVerdict = func(v *classify.Verdict) { verdicts = append(verdicts, v) }
	eng := classify.NewEngine(cfg)
	recycled := 0
	var errs []error
	if release {
		errs = sources.MergeEach(context.Background(), ins, eng.Feed)
	} else {
		batches := make(chan []sources.Item, 2)
		done := make(chan []error, 1)
		go func() { done <- sources.MergeBatches(context.Background(), ins, batches) }()
		n := 0
		for b := range batches {
			for _, it := range b {
				if it.Recycled() {
					recycled++
				}
				eng.Add(it.Input, it.Rec)
				if n++; n%256 == 0 { // as Feed does
					eng.Advance()
				}
			}
		}
		errs = <-done
	}
	for _, err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	eng.Flush()
	if !release && recycled == 0 {
		t.Fatal("no record was read into a recycled slot: the test tests nothing")
	}
	return verdicts
}

// An engine fed batches it releases (the report path: proxy and app lines
// are parsed into recycled slots, and a 5xx waiting for its verdict or an
// app line held for a join must be a copy) makes the same verdicts as one that keeps every record, down to
// every field of every entry, app line and timeline line, read after all
// the input has gone through the recycled memory.
func TestRecycledBatchesGiveTheSameVerdicts(t *testing.T) {
	for _, name := range []string{"deploy-crash", "bad-header"} {
		paths := demoFiles(t, name)
		for _, timeline := range []bool{false, true} {
			want := verdictsOf(t, paths, classify.Config{Timeline: timeline}, false)
			got := verdictsOf(t, paths, classify.Config{Timeline: timeline}, true)
			if len(want) < 100 {
				t.Fatalf("%s: only %d verdicts", name, len(want))
			}
			if len(got) != len(want) {
				t.Fatalf("%s (timeline %v): %d verdicts, want %d", name, timeline, len(got), len(want))
			}
			for i := range want {
				if !reflect.DeepEqual(got[i], want[i]) {
					t.Fatalf("%s (timeline %v): verdict %d differs:\n%+v\n%+v\nwant\n%+v\n%+v", name, timeline, i, *got[i], *got[i].Entry, *want[i], *want[i].Entry)
				}
			}
		}
	}
}

// A terse engine (a report of totals) makes the same verdicts, only
// without evidence lines and hints, in every demo scenario: two minutes
// of each, one under the race detector (make test runs two without it).
func TestTerseVerdictsJudgeAlike(t *testing.T) {
	withText, verdicts := 0, 0
	d := 2 * time.Minute
	if classify.RaceEnabled {
		d = time.Minute
	}
	for _, sc := range demo.Scenarios() {
		paths, err := demo.WriteFiles(t.TempDir(), sc, 1, time.Date(2026, 1, 2, 3, 0, 0, 0, time.UTC), d)
		if err != nil {
			t.Fatal(err)
		}
		want := verdictsOf(t, paths, classify.Config{}, true)
		got := verdictsOf(t, paths, classify.Config{Terse: true}, true)
		if len(got) != len(want) {
			t.Fatalf("%s: %d terse verdicts, %d full ones", sc.Name, len(got), len(want))
		}
		for i, w := range want {
			g := got[i]
			if g.Evidence != nil || g.Hint != "" {
				t.Fatalf("%s: terse verdict %d has evidence %q, hint %q", sc.Name, i, g.Evidence, g.Hint)
			}
			if len(w.Evidence) > 0 && w.Hint != "" {
				withText++
			}
			w.Evidence, w.Hint = nil, ""
			verdicts++
			if !reflect.DeepEqual(g, w) {
				t.Fatalf("%s: verdict %d differs:\n%+v\nwant\n%+v", sc.Name, i, *g, *w)
			}
		}
	}
	t.Logf("%d verdicts, %d with evidence and a hint", verdicts, withText)
	if withText < verdicts/2 {
		t.Fatalf("%d of %d full verdicts had evidence and a hint: the test compares little", withText, verdicts)
	}
}
