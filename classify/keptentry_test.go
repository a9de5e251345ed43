package classify

import (
	"fmt"
	"slices"
	"testing"
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
			e.shareRecent() // the first four were shown
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

// Engines whose verdicts others see never reuse an entry.
func TestEntriesReusedOnlyByAReport(t *testing.T) {
	for _, cfg := range []Config{
		{OnVerdict: func(*Verdict) {}},
		{Live: true},
		{Timeline: true},
	} {
		if reusesEntries(cfg) {
			t.Errorf("%+v reuses entries", cfg)
		}
	}
}
