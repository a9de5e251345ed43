package main

import (
	"context"
	"os"
	"testing"
	"time"

	"fivexx/classify"
	"fivexx/sources"
)

// Live mode's engine judges tersely and makes a verdict's evidence lines
// and hint when the detail view opens it (Verdict.Explain), as replay and
// demo do: fed a real recording, its verdicts carry none, and Explain
// gives them. (That they are the text a judge that explains as it goes
// gives is TestLaterEvidenceIsTheEagerOne/live.)
func TestLiveExplainsWhenOpened(t *testing.T) {
	var inf inputFlags
	ins, err := buildInputs(&inf, recordingLogs(t, "nginx-upstream"), os.Stderr, false)
	if err != nil {
		t.Fatal(err)
	}
	cfg := liveEngineConfig(ins)
	var now time.Time
	cfg.Now = func() time.Time { return now }
	var vs []*classify.Verdict
	cfg.OnVerdict = func(v *classify.Verdict) { vs = append(vs, v) }
	eng := classify.NewEngine(cfg)
	for _, err := range sources.MergeRuns(context.Background(), ins, func(run []sources.Item) {
		for _, it := range run {
			if at := it.Rec.RecordTime(); at.After(now) {
				now = at
			}
			eng.AddItem(it)
		}
		eng.Advance()
	}) {
		if err != nil {
			t.Fatal(err)
		}
	}
	eng.Flush()
	if len(vs) < 10 {
		t.Fatalf("%d verdicts from the recording", len(vs))
	}
	for _, v := range vs {
		if v.Evidence != nil || v.Hint != "" {
			t.Fatalf("a live verdict was judged with its evidence %q and hint %q", v.Evidence, v.Hint)
		}
		if ev, hint := v.Explain(); len(ev) == 0 || hint == "" {
			t.Fatalf("Explain of a live verdict of %q gave evidence %q and hint %q", v.Entry.Raw, ev, hint)
		}
	}
}
