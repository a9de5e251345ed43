package classify

import (
	"math/rand/v2"

	"fivexx/sources"
	"slices"
	"testing"
	"time"
)

// sortTimeline orders lines as a stable sort by time does, equal times
// (the common case: nginx logs whole seconds) in the order they came.
func TestSortTimelineIsAStableSortByTime(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	base := time.Date(2026, 11, 21, 7, 0, 0, 0, time.UTC)
	for _, n := range []int{0, 1, 2, 5, 60, 64, 65, 200} {
		for round := 0; round < 50; round++ {
			lines := make([]TimelineLine, n)
			for i := range lines {
				// Few distinct times, so that ties are many; some in
				// another zone (same instant, other wall clock).
				tm := base.Add(time.Duration(rng.IntN(6)-3) * time.Second).Add(time.Duration(rng.IntN(3)) * time.Millisecond)
				if rng.IntN(4) == 0 {
					tm = tm.In(time.FixedZone("x", 3600))
				}
				lines[i] = TimelineLine{Time: tm, Raw: string(rune('a' + i%26)), Source: time.Duration(i).String()}
			}
			want := slices.Clone(lines)
			slices.SortStableFunc(want, func(a, b TimelineLine) int { return a.Time.Compare(b.Time) })
			tl := NewTimeline(lines...)
			sortTimeline(tl.lines)
			lines = tl.Lines()
			for i := range lines {
				if lines[i].Source != want[i].Source || !lines[i].Time.Equal(want[i].Time) {
					t.Fatalf("%d lines, round %d: line %d is %v %s, want %v %s", n, round, i, lines[i].Time, lines[i].Source, want[i].Time, want[i].Source)
				}
			}
		}
	}
}

// A timeline gives back each line as it was added: the same instant in the
// same zone (the detail view prints each line's own wall clock), the zero
// time still zero, times far outside the nanosecond range of an int64
// exact, and each line's source and role.
func TestTimelineKeepsEachLineAsAdded(t *testing.T) {
	berlin, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		t.Fatal(err)
	}
	lines := []TimelineLine{
		{Time: time.Date(2026, 11, 21, 7, 0, 0, 123456789, time.UTC), Source: "access.log", Role: sources.RoleProxy, Raw: "a", Matched: true},
		{Time: time.Date(2026, 11, 21, 8, 0, 0, 5, berlin), Source: "app.log", Role: sources.RoleApp, Raw: "b"},
		{Time: time.Date(2026, 11, 21, 8, 0, 1, 0, time.FixedZone("", 3600)), Source: "access.log", Role: sources.RoleProxy, Raw: "c"},
		{Time: time.Time{}, Source: "", Raw: "d", Matched: true},
		{Time: time.Date(9999, 12, 31, 23, 59, 59, 999999999, time.UTC), Source: "app.log", Role: sources.RoleApp, Raw: "e"},
		{Time: time.Date(1, 1, 1, 0, 0, 1, 0, time.UTC), Source: "error.log", Role: sources.RoleProxyErrors, Raw: "f"},
	}
	tl := NewTimeline(lines...)
	if tl.Len() != len(lines) {
		t.Fatalf("%d lines, want %d", tl.Len(), len(lines))
	}
	for i, want := range lines {
		got := tl.Line(i)
		if !got.Time.Equal(want.Time) || got.Time.Location().String() != want.Time.Location().String() ||
			got.Time.Format(time.RFC3339Nano) != want.Time.Format(time.RFC3339Nano) || got.Time.IsZero() != want.Time.IsZero() ||
			got.Source != want.Source || got.Role != want.Role || got.Raw != want.Raw || got.Matched != want.Matched {
			t.Errorf("line %d is %+v, want %+v", i, got, want)
		}
	}
	if len(tl.sources) != 4 || len(tl.zones) != 3 {
		t.Errorf("%d sources and %d zones stored, want 4 and 3 (each once)", len(tl.sources), len(tl.zones))
	}
}
