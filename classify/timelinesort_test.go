package classify

import (
	"math/rand/v2"
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
			sortTimeline(lines)
			for i := range lines {
				if lines[i].Source != want[i].Source || !lines[i].Time.Equal(want[i].Time) {
					t.Fatalf("%d lines, round %d: line %d is %v %s, want %v %s", n, round, i, lines[i].Time, lines[i].Source, want[i].Time, want[i].Source)
				}
			}
		}
	}
}
