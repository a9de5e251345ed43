package replay_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"fivexx/classify"
	"fivexx/sources"
)

// A replay's engine explains its verdicts later (Config.ExplainLater): it
// judges each tersely and Verdict.Explain makes the evidence lines and
// hint when the UI opens it. They are the ones a judge that explains as it
// goes gives, line for line, for every verdict of each demo scenario and
// recording, made after the whole replay (every line the verdict's
// evidence points to has been read, joined and let go by then).
//
// The same for live mode's engine (Config.Live, timelines made as
// verdicts are), which explains later too: fed the same files, its clock
// the time of the line it was last given.
func TestLaterEvidenceIsTheEagerOne(t *testing.T) {
	t.Run("replay", func(t *testing.T) {
		checkLaterEvidence(t, func(t *testing.T, s replaySet, explainLater bool, onVerdict func(*classify.Verdict)) {
			playAll(t, s.inputs(), timelinesLater, explainLater, onVerdict)
		})
	})
	t.Run("live", func(t *testing.T) { checkLaterEvidence(t, playLive) })
}

// playLive feeds the files of s, merged by time, to a live engine whose
// wall clock is the time of the line it was last given, and advances it
// every 64 lines, as live mode's engine runs on a ticker.
func playLive(t *testing.T, s replaySet, explainLater bool, onVerdict func(*classify.Verdict)) {
	ins := s.inputs()
	var now time.Time
	eng := classify.NewEngine(classify.Config{Inputs: ins, Live: true, Timeline: true, Grace: time.Second,
		Now: func() time.Time { return now }, ExplainLater: explainLater, OnVerdict: onVerdict})
	n := 0
	errs := sources.MergeEach(context.Background(), ins, func(it sources.Item) {
		if at := it.Rec.RecordTime(); at.After(now) {
			now = at
		}
		eng.AddItem(it)
		if n++; n%64 == 0 {
			eng.Advance()
		}
	})
	for _, err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	eng.Flush()
}

// checkLaterEvidence is TestLaterEvidenceIsTheEagerOne with the verdicts
// of each set given by play.
func checkLaterEvidence(t *testing.T, play func(t *testing.T, s replaySet, explainLater bool, onVerdict func(*classify.Verdict))) {
	total, withApp := 0, 0
	for _, s := range replaySets(t) {
		t.Run(s.name, func(t *testing.T) {
			collect := func(explainLater bool) []*classify.Verdict {
				var vs []*classify.Verdict
				play(t, s, explainLater, func(v *classify.Verdict) { vs = append(vs, v) })
				return vs
			}
			eager, later := collect(false), collect(true)
			if len(eager) != len(later) {
				t.Fatalf("%d verdicts explained as judged, %d explained later", len(eager), len(later))
			}
			for i, want := range eager {
				got := later[i]
				if got.Entry.Raw != want.Entry.Raw || got.Cause != want.Cause || got.Detail != want.Detail ||
					got.Confidence != want.Confidence || got.MatchedBy != want.MatchedBy || got.Row != want.Row {
					t.Fatalf("verdict %d: explained later %s %s %s %s %s of %q, as judged %s %s %s %s %s of %q", i,
						got.Cause, got.Detail, got.Confidence, got.MatchedBy, got.Row, got.Entry.Raw,
						want.Cause, want.Detail, want.Confidence, want.MatchedBy, want.Row, want.Entry.Raw)
				}
				if want.Hint == "" {
					t.Fatalf("verdict %d (%s): no hint as judged", i, want.Entry.Raw)
				}
				if got.Evidence != nil || got.Hint != "" {
					t.Fatalf("verdict %d: explained later, but judged with evidence %q and hint %q", i, got.Evidence, got.Hint)
				}
				wantEv, wantHint := want.Explain()
				if !slices.Equal(wantEv, want.Evidence) || wantHint != want.Hint {
					t.Fatalf("verdict %d: Explain of a verdict explained as judged is not its own Evidence and Hint", i)
				}
				gotEv, gotHint := got.Explain()
				if !slices.Equal(gotEv, want.Evidence) || gotHint != want.Hint {
					t.Fatalf("verdict %d (%s): explained later:\n%q\n%q\nas judged:\n%q\n%q", i, want.Entry.Raw,
						gotEv, gotHint, want.Evidence, want.Hint)
				}
				if len(want.AppLines) > 0 {
					withApp++
				}
			}
			total += len(eager)
		})
	}
	if total < 1000 || withApp < 100 {
		t.Errorf("%d verdicts compared in all, %d with app lines: the sets lost their 5xx", total, withApp)
	}
}
