package classify

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"fivexx/sources"
)

// The in-place trim of an engine that reuses entries keeps the same
// verdicts, in the same order, as keepRecent, and frees exactly the
// entries of the verdicts it lets go that no snapshot has shown.
func TestTrimRecentReusingKeepsWhatKeepRecentKeeps(t *testing.T) {
	e := NewEngine(Config{MaxRecent: 8, Terse: true})
	if !e.reuse {
		t.Fatal("a report's engine does not reuse entries")
	}
	for i := range 40 {
		k := new(keptEntry)
		k.entry.Upstream = fmt.Sprintf("up%d", i%3)
		if i%7 == 0 {
			k.entry.Upstream = fmt.Sprintf("rare%d", i)
		}
		v := &Verdict{Entry: &k.entry, Cause: AllCauses[i%len(AllCauses)]}
		e.recent = append(e.recent, v)
		e.recentMem = append(e.recentMem, k)
		if i == 3 {
			e.recentToShow() // the first four were shown
		}
	}
	want := keepRecent(e.recent, e.cfg.MaxRecent)
	before := slices.Clone(e.recentMem)
	e.trimRecentReusing()
	if !slices.Equal(e.recent, want) {
		t.Fatalf("kept %d verdicts, keepRecent %d, or not the same", len(e.recent), len(want))
	}
	for i, v := range e.recent {
		if v.Entry != &e.recentMem[i].entry {
			t.Fatalf("recent[%d] and recentMem[%d] are not the same 5xx", i, i)
		}
	}
	var wantFree []*keptEntry
	for i, k := range before {
		if i > 3 && !slices.Contains(e.recentMem, k) {
			wantFree = append(wantFree, k)
		}
	}
	if !slices.Equal(e.freeKept, wantFree) {
		t.Errorf("freed %d entries, want %d (the dropped, unshown ones)", len(e.freeKept), len(wantFree))
	}
}

// Engines whose verdicts others see never reuse an entry: a report's
// and a replay's of plain files (timelines made when asked) do.
func TestEntriesReusedOnlyByAReportOrAReplay(t *testing.T) {
	later := []*sources.Rereader{{}}
	for _, cfg := range []Config{
		{OnVerdict: func(*Verdict) {}},
		{Live: true},
		{Timeline: true},
		{Timeline: true, Rereaders: later, OnVerdict: func(*Verdict) {}},
		{Timeline: true, Rereaders: later, Live: true},
	} {
		if reusesEntries(cfg) {
			t.Errorf("%+v reuses entries", cfg)
		}
	}
	for _, cfg := range []Config{{Terse: true}, {}, {Timeline: true, Rereaders: later, ExplainLater: true}} {
		if !reusesEntries(cfg) {
			t.Errorf("%+v does not reuse entries", cfg)
		}
	}
}

// A snapshot marks as shared (never to be reused) the entries of the
// verdicts it shows, and only those: between two trims recent holds up to
// twice MaxRecent more, which a replay publishing every 100 ms could
// otherwise never reuse.
func TestSnapshotSharesOnlyWhatItShows(t *testing.T) {
	e := NewEngine(Config{MaxRecent: 8, Terse: true})
	for range 30 {
		k := new(keptEntry)
		k.entry.Upstream = "up"
		e.recent = append(e.recent, &Verdict{Entry: &k.entry, Cause: AppError})
		e.recentMem = append(e.recentMem, k)
	}
	shown := e.Publish(false).Recent
	if want := keepRecent(e.recent, e.cfg.MaxRecent); !slices.Equal(shown, want) {
		t.Fatalf("the snapshot shows %d verdicts, keepRecent %d, or not the same", len(shown), len(want))
	}
	for i, k := range e.recentMem {
		if in := slices.Contains(shown, e.recent[i]); k.shared != in {
			t.Errorf("recent[%d]: shown %v, shared %v", i, in, k.shared)
		}
	}
}

// A burst's entries are not all kept free for the rest of the report.
func TestFreeEntriesAreBounded(t *testing.T) {
	e := NewEngine(Config{MaxRecent: 8, Terse: true})
	for range maxFreeKept + 100 {
		k := new(keptEntry)
		e.recent = append(e.recent, &Verdict{Entry: &k.entry})
		e.recentMem = append(e.recentMem, k)
	}
	e.trimRecentReusing()
	if len(e.freeKept) != maxFreeKept {
		t.Errorf("%d entries free after a trim let %d go, want at most %d", len(e.freeKept), maxFreeKept+100-len(e.recent), maxFreeKept)
	}
}

// The judged 5xx leave no pointer behind in the pending queue's array.
func TestJudgedPendingAreLetGo(t *testing.T) {
	eng := NewEngine(Config{Grace: time.Second})
	proxy, app := input(0, sources.RoleProxy), input(1, sources.RoleApp)
	var recs []sources.Record
	for i := range 10 {
		recs = append(recs, upstreamEntry(float64(i)/10, 502, "a:1", "502", "-", ""))
	}
	recs = append(recs, upstreamEntry(5, 200, "a:1", "200", "0.001", "")) // moves the log clock past the grace
	addAll(eng, proxy, app, recs)
	eng.Advance()
	if len(eng.pending) != 0 {
		t.Fatalf("%d 5xx still pending after the grace", len(eng.pending))
	}
	for i, p := range eng.pending[:cap(eng.pending)] {
		if p.e != nil {
			t.Fatalf("pending array slot %d still points at a judged 5xx", i)
		}
	}
}
