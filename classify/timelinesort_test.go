package classify

import (
	"fmt"
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

// A walk's lines come out as the stable sort of all a timeline's lines
// (the request's own first, then the walk's in the order taken) puts
// them: merged when the left ones fall in time and the right ones rise,
// sorted when not. Few distinct times, so that ties are many, within a
// side, across the sides and with the request's own lines.
func TestTimelineWalkOrdersAsTheStableSort(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	base := time.Date(2026, 11, 21, 7, 0, 0, 0, time.UTC)
	at := func(step int) time.Time { return base.Add(time.Duration(step) * 100 * time.Millisecond) }
	var w timelineWalk
	sorted, rounds := 0, 20_000
	for round := 0; round < rounds; round++ {
		var tl Timeline
		var all []TimelineLine
		add := func(l TimelineLine) {
			tl.Append(l)
			all = append(all, l)
		}
		add(TimelineLine{Time: at(0), Source: "request", Matched: true})
		for i := rng.IntN(4); i > 0; i-- {
			add(TimelineLine{Time: at(rng.IntN(9) - 4), Source: fmt.Sprint("own ", i), Matched: true})
		}
		w.reset(&tl)
		// Left lines fall from just before the request, right lines rise
		// from it, a step now and then; sometimes one out of place.
		lt, rt := -1, 0
		// One walk in four takes only right lines, as most do (the
		// lines of its 5xx's second): they lie where they go unless an
		// own line is later than the first.
		rightOnly := round%4 == 0
		for i := rng.IntN(60); i > 0; i-- {
			left := !rightOnly && rng.IntN(2) == 0
			var l TimelineLine
			switch {
			case rng.IntN(40) == 0:
				l.Time = at(rng.IntN(13) - 6)
			case left:
				lt -= rng.IntN(3) / 2
				l.Time = at(lt)
			default:
				rt += rng.IntN(3) / 2
				l.Time = at(rt)
			}
			if rng.IntN(5) == 0 {
				l.Time = l.Time.In(time.FixedZone("x", 3600))
			}
			l.Source = fmt.Sprint("walk ", len(all))
			all = append(all, l)
			w.take(left, &tl, tl.entry(l.Time, tl.sourceIndex(l.Source, l.Service, l.Role), l.Raw, false))
		}
		tl.lines = slices.Grow(tl.lines, w.len())
		if w.finish(&tl) {
			sorted++
		}
		want := slices.Clone(all)
		slices.SortStableFunc(want, func(a, b TimelineLine) int { return a.Time.Compare(b.Time) })
		got := tl.Lines()
		if len(got) != len(want) {
			t.Fatalf("round %d: %d lines, want %d", round, len(got), len(want))
		}
		for i := range got {
			if got[i].Source != want[i].Source || !got[i].Time.Equal(want[i].Time) || got[i].Time.Location().String() != want[i].Time.Location().String() {
				t.Fatalf("round %d: line %d is %v %s, want %v %s\nall: %v", round, i, got[i].Time, got[i].Source, want[i].Time, want[i].Source, all)
			}
		}
	}
	t.Logf("%d of %d walks sorted", sorted, rounds)
	if sorted < rounds/10 || sorted > rounds*9/10 {
		t.Errorf("%d of %d walks sorted: both ways want testing", sorted, rounds)
	}
}
