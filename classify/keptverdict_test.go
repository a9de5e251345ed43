package classify

import (
	"context"
	"reflect"
	"testing"
	"time"
	"unsafe"

	"fivexx/sources"
	"fivexx/sources/demo"
)

// A reused verdict (judged into its freed keptEntry) reads as a new one:
// with every freed entry's verdict overwritten by a poison verdict, a
// report-style engine's final snapshot equals that of an engine that
// reuses nothing (one with OnVerdict set), down to every recent verdict.
func TestReusedVerdictsReadAsNew(t *testing.T) {
	sc, ok := demo.Lookup("deploy-crash")
	if !ok {
		t.Fatal("no scenario deploy-crash")
	}
	paths, err := demo.WriteFiles(t.TempDir(), sc, 1, time.Date(2026, 1, 2, 3, 0, 0, 0, time.UTC), 4*time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	freed := 0
	report := func(reuse bool) *Snapshot {
		var ins []*sources.Input
		for i, p := range paths {
			ins = append(ins, sources.NewInput(i, sources.Spec{Path: p, Opts: sources.ParserOptions{Location: time.UTC}}))
		}
		cfg := Config{Inputs: ins, Terse: true, MaxRecent: 50}
		if !reuse {
			cfg.OnVerdict = func(*Verdict) {}
		}
		eng := NewEngine(cfg)
		if eng.reuse != reuse {
			t.Fatalf("engine reuses entries: %v, want %v", eng.reuse, reuse)
		}
		for _, err := range sources.MergeRuns(context.Background(), ins, eng.FeedRun) {
			if err != nil {
				t.Fatal(err)
			}
		}
		eng.Flush()
		return eng.Publish(true)
	}
	want := report(false)
	onFreeKept = func(k *keptEntry) {
		freed++
		if k.verdict != nil { // reused apart from the entry (keptVerdict)
			*k.verdict = Verdict{Row: "POISON", Cause: "POISON", Hint: "POISON", Evidence: []string{"POISON"}}
		}
	}
	defer func() { onFreeKept = nil }()
	got := report(true)
	if freed < 100 {
		t.Fatalf("only %d entries freed: the test tests little", freed)
	}
	if !reflect.DeepEqual(got.Total, want.Total) || !reflect.DeepEqual(got.Upstreams, want.Upstreams) {
		t.Errorf("totals or upstreams differ:\n%+v\n%+v\nwant\n%+v\n%+v", got.Total, got.Upstreams, want.Total, want.Upstreams)
	}
	if len(got.Recent) != len(want.Recent) {
		t.Fatalf("%d recent verdicts, want %d", len(got.Recent), len(want.Recent))
	}
	for i := range want.Recent {
		if !reflect.DeepEqual(got.Recent[i], want.Recent[i]) {
			t.Fatalf("recent verdict %d differs:\n%+v\nwant\n%+v", i, *got.Recent[i], *want.Recent[i])
		}
	}
}

// TestWaitingEntryHoldsNoVerdict pins that a 5xx entry kept while it waits
// its grace (keptEntry) does not carry its verdict's memory: a Verdict is
// 576 bytes, and in a storm 50,000 5xx wait (MaxPending). The verdict
// comes from Engine.freeVerdicts when it is judged (keptVerdict).
func TestWaitingEntryHoldsNoVerdict(t *testing.T) {
	if k, v := unsafe.Sizeof(keptEntry{}), unsafe.Sizeof(Verdict{}); k >= v+unsafe.Sizeof(sources.ProxyEntry{}) {
		t.Errorf("keptEntry is %d bytes, with a Verdict of %d in it", k, v)
	}
}
