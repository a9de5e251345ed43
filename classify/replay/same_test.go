package replay_test

import (
	"context"
	"crypto/sha256"
	"fmt"
	"hash"
	"io"
	"os"
	"path/filepath"
	"testing"
	"time"

	"fivexx/classify"
	"fivexx/classify/replay"
	"fivexx/sources"
)

// verdictDigest hashes what a replay shows of every verdict: its cause,
// evidence, joined lines and the whole timeline (time, source, role, text).
type verdictDigest struct {
	h        hash.Hash
	verdicts int
	timeline int
}

func newVerdictDigest() *verdictDigest { return &verdictDigest{h: sha256.New()} }

func (d *verdictDigest) add(v *classify.Verdict) {
	d.verdicts++
	fmt.Fprintf(d.h, "V %s %s %s %s %q %q %s\n", v.Entry.Time.Format(time.RFC3339Nano), filepath.Base(v.Source), v.Cause, v.Detail, v.Evidence, v.Hint, v.MatchedBy)
	io.WriteString(d.h, v.Entry.Raw+"\n")
	for _, e := range v.ErrorLines {
		io.WriteString(d.h, "E "+e.Raw+"\n")
	}
	for _, a := range v.AppLines {
		io.WriteString(d.h, "A "+a.Raw+"\n")
	}
	for _, l := range v.Timeline.Lines() {
		d.timeline++
		fmt.Fprintf(d.h, "T %s %s %v %v %s\n", l.Time.Format(time.RFC3339Nano), filepath.Base(l.Source), l.Role, l.Matched, l.Raw)
	}
}

func (d *verdictDigest) String() string {
	return fmt.Sprintf("%d verdicts, %d timeline lines, %x", d.verdicts, d.timeline, d.h.Sum(nil)[:8])
}

// replayDigest plays the inputs at full speed through MergeBatches and
// RunBatches and digests every verdict. mode is called on each input
// before reading.
func replayDigest(t testing.TB, ins []*sources.Input, mode func(*sources.Input)) string {
	d := newVerdictDigest()
	for _, in := range ins {
		mode(in)
	}
	eng := classify.NewEngine(classify.Config{Inputs: ins, Timeline: true, Grace: 5 * time.Second, Now: time.Now, OnVerdict: d.add})
	// No publishing on the wall clock: at full speed it judges nothing
	// (TestFullSpeedVerdictsDoNotDependOnPublishing), and costs snapshots.
	pl := replay.New(eng, ins, replay.Options{Speed: 0, Publish: time.Hour})
	batches := make(chan []sources.Item, 2)
	go sources.MergeBatches(context.Background(), ins, batches)
	pl.RunBatches(context.Background(), batches)
	return d.check(t)
}

// check fails t unless d has verdicts with timelines, and returns d.String.
func (d *verdictDigest) check(t testing.TB) string {
	if d.verdicts == 0 || d.timeline <= d.verdicts {
		t.Fatalf("replay made %s: the inputs should hold 5xx with timelines", d)
	}
	return d.String()
}

// mergedDigest is replayDigest as `fivexx replay` plays: Player.RunMerged,
// the readers lending the engine their blocks.
func mergedDigest(t testing.TB, ins []*sources.Input) string {
	return mergedDigestFrom(t, ins, time.Time{})
}

// mergedDigestFrom is mergedDigest from a time on (Options.From).
func mergedDigestFrom(t testing.TB, ins []*sources.Input, from time.Time) string {
	return mergedDigestCapped(t, ins, from, 0)
}

// mergedDigestCapped is mergedDigestFrom with the engine keeping at most
// maxLines lines (0: its default).
func mergedDigestCapped(t testing.TB, ins []*sources.Input, from time.Time, maxLines int) string {
	// A block freed while a timeline may still show its lines (the engine
	// let go too early) then shows '#'s in the digest at once.
	defer sources.SetPoisonFreedBlocks(true)()
	d := newVerdictDigest()
	eng := classify.NewEngine(classify.Config{Inputs: ins, Timeline: true, Grace: 5 * time.Second, MaxLines: maxLines, Now: time.Now, OnVerdict: d.add})
	pl := replay.New(eng, ins, replay.Options{Speed: 0, Publish: time.Hour, From: from})
	for _, err := range pl.RunMerged(context.Background(), ins) {
		if err != nil {
			t.Fatal(err)
		}
	}
	return d.check(t)
}

// TestReplayFromSlotsSameAsKeptRecords: replay reads lines into recycled
// slots and keeps only copies of what its timelines need, made by the
// engine (from the slots' own buffers, or from the reader's blocks when
// batches are released in order: ReleasesInOrder, as fivexx replay does)
// or by the reader (KeepText), or handed over by MergeEach
// (Player.RunMerged, as fivexx replay plays); every verdict and every
// timeline line must be what fresh records kept whole give.
func TestReplayFromSlotsSameAsKeptRecords(t *testing.T) {
	newInputs := demoInputs(t)
	kept := replayDigest(t, newInputs(), (*sources.Input).KeepRecords)
	slots := replayDigest(t, newInputs(), func(*sources.Input) {})
	keptText := replayDigest(t, newInputs(), (*sources.Input).KeepText)
	borrowed := replayDigest(t, newInputs(), (*sources.Input).ReleasesInOrder)
	merged := mergedDigest(t, newInputs())
	if kept != slots || kept != keptText || kept != borrowed || kept != merged {
		t.Errorf("replay from slots: %s\nwith text kept by the reader: %s\nwith text borrowed from the reader's blocks: %s\nmerged on the player's goroutine: %s\nfrom kept records: %s", slots, keptText, borrowed, merged, kept)
	}
	t.Logf("%s", kept)
}

// A replay from a time on skips the lines before it, and the engine counts
// them still (Engine.PassLent): its count of a lender's records is the
// reader's (one short of it would only keep blocks longer; one past it,
// read blocks into again whose lines a timeline may show). The digest must
// be that of the same replay with the engine copying the text
// (RunBatches).
func TestReplayFromATimeOnLendsAsItCounts(t *testing.T) {
	newInputs := demoInputs(t)
	from := time.Date(2026, 1, 2, 3, 2, 0, 0, time.UTC)
	if os.Getenv("FIVEXX_BENCH_LOGS") != "" {
		t.Skip("the time is the demo's")
	}
	merged := mergedDigestFrom(t, newInputs(), from)
	d := newVerdictDigest()
	ins := newInputs()
	for _, in := range ins {
		in.ReleasesInOrder()
	}
	eng := classify.NewEngine(classify.Config{Inputs: ins, Timeline: true, Grace: 5 * time.Second, Now: time.Now, OnVerdict: d.add})
	pl := replay.New(eng, ins, replay.Options{Speed: 0, Publish: time.Hour, From: from})
	batches := make(chan []sources.Item, 2)
	go sources.MergeBatches(context.Background(), ins, batches)
	pl.RunBatches(context.Background(), batches)
	if copied := d.check(t); merged != copied {
		t.Errorf("from %v, lent: %s; copied: %s", from.Format(time.TimeOnly), merged, copied)
	}
	t.Logf("%s", merged)
}

// The engine lets go of a lent line only once no timeline can show it
// (Engine.AddLent). Its 2 min of held lines reach far behind the lines a
// timeline shows (the 60 nearest within ±5 s), so a let-go a few
// thousand records early frees only lines no verdict reads again, even
// poisoned at once (sources.SetPoisonFreedBlocks): the tests above catch
// only one far ahead (2^40). Capped at 400 lines, the oldest held lines
// are among those the latest timelines show, and a let-go 64 records
// early turns some of them into '#'s. The digest must be that of kept
// records.
func TestReplayLendsNoLineATimelineMayShow(t *testing.T) {
	if os.Getenv("FIVEXX_BENCH_LOGS") != "" {
		t.Skip("the demo's lines are enough")
	}
	const maxLines = 400
	newInputs := demoInputs(t)
	lent := mergedDigestCapped(t, newInputs(), time.Time{}, maxLines)
	d := newVerdictDigest()
	ins := newInputs()
	for _, in := range ins {
		in.KeepRecords()
	}
	eng := classify.NewEngine(classify.Config{Inputs: ins, Timeline: true, Grace: 5 * time.Second, MaxLines: maxLines, Now: time.Now, OnVerdict: d.add})
	pl := replay.New(eng, ins, replay.Options{Speed: 0, Publish: time.Hour})
	batches := make(chan []sources.Item, 2)
	go sources.MergeBatches(context.Background(), ins, batches)
	pl.RunBatches(context.Background(), batches)
	if kept := d.check(t); lent != kept {
		t.Errorf("at most %d lines kept, lent: %s; from kept records: %s", maxLines, lent, kept)
	}
	t.Logf("%s", lent)
}
