package classify

import (
	"math/rand"
	"testing"
	"time"
)

// A record the engine lets past without moveClockOn (not after settled)
// is one moveClockOn would have left as it was: two engines given the
// same times, one through moveClock and one calling moveClockOn for
// every record, keep the same log clock, clock state and far answers.
// The times go back and forth by up to a few seconds, and now and then
// leap by minutes or hours (a far-off candidate, confirmed or refuted),
// from a first record that may be wrong (taken back by the second).
func TestSettledSkipsOnlyWhatMoveClockOnLeavesAsItIs(t *testing.T) {
	for seed := int64(1); seed <= 20; seed++ {
		rng := rand.New(rand.NewSource(seed))
		fast, ref := NewEngine(Config{}), NewEngine(Config{})
		now := time.Date(2026, 1, 2, 3, 0, 0, 0, time.UTC)
		skipped := 0
		for i := range 3000 {
			var tm time.Time
			switch r := rng.Intn(100); {
			case r < 2:
				tm = now.Add(time.Duration(rng.Intn(5)+1) * time.Hour) // far ahead
			case r < 3:
				tm = now.Add(-time.Duration(rng.Intn(5)+1) * time.Hour) // far behind
			case r < 40:
				tm = now // the same second
			default:
				tm = now.Add(time.Duration(rng.Intn(4000)-2000) * time.Millisecond)
				if rng.Intn(2) == 0 {
					tm = tm.Truncate(time.Second)
				}
			}
			if rng.Intn(3) == 0 {
				now = tm // the log goes on from there
			}
			at := instantOf(tm)
			if !fast.settled.before(at) {
				skipped++
			}
			got, want := fast.moveClock(tm, at), ref.moveClockOn(tm, at)
			if got != want || !fast.logNow.Equal(ref.logNow) || fast.nowAt != ref.nowAt ||
				fast.clock.unsure != ref.clock.unsure || !fast.clock.candidate.Equal(ref.clock.candidate) {
				t.Fatalf("seed %d, record %d at %v: far %v, clock %v (unsure %v), want far %v, clock %v (unsure %v)",
					seed, i, tm, got, fast.logNow, fast.clock.unsure, want, ref.logNow, ref.clock.unsure)
			}
		}
		if skipped == 0 {
			t.Fatalf("seed %d: no record was let past: the test tells nothing", seed)
		}
	}
}
