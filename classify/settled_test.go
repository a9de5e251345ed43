package classify

import (
	"math/rand"
	"testing"
	"time"
)

// A record the engine lets past without moveClockOn (not after settled)
// is one moveClockOn would have left as it was: two engines given the
// same times, one through moveClock and one calling moveClockOn for
// every record, keep the same log clock, clock state and far answers;
// so do two given them as app lines, one as addApp does (settled, then
// appFar, which moves the clock itself) and one by appFar's reference.
// The times go back and forth by up to a few seconds, and now and then
// leap by minutes or hours (a far-off candidate, confirmed or refuted),
// from a first record that may be wrong (taken back by the second).
func TestSettledSkipsOnlyWhatMoveClockOnLeavesAsItIs(t *testing.T) {
	for seed := int64(1); seed <= 20; seed++ {
		rng := rand.New(rand.NewSource(seed))
		fast, ref := NewEngine(Config{}), NewEngine(Config{})
		appFast, appRef := NewEngine(Config{}), NewEngine(Config{})
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
			sameClocks(t, seed, i, tm, fast, ref, got, want)
			// An app line, as addApp takes it: appFar only past settled.
			got = appFast.settled.before(at) && appFast.appFar(tm, at)
			sameClocks(t, seed, i, tm, appFast, appRef, got, appFarByReference(appRef, tm, at))
		}
		if skipped == 0 {
			t.Fatalf("seed %d: no record was let past: the test tells nothing", seed)
		}
	}
}

// appFarByReference is appFar as it was before its test of settled and
// its own move of the clock: moveClockOn decides.
func appFarByReference(e *Engine, t time.Time, at logInstant) bool {
	if !e.logNow.IsZero() && e.nowAt.add(clockJump).before(at) && !e.wallLeapt(t) {
		return true
	}
	return e.moveClockOn(t, at)
}

func sameClocks(t *testing.T, seed int64, i int, tm time.Time, fast, ref *Engine, got, want bool) {
	t.Helper()
	if got != want || !fast.logNow.Equal(ref.logNow) || fast.nowAt != ref.nowAt || fast.settled != ref.settled ||
		fast.clock.unsure != ref.clock.unsure || !fast.clock.candidate.Equal(ref.clock.candidate) {
		t.Fatalf("seed %d, record %d at %v: far %v, clock %v (unsure %v), want far %v, clock %v (unsure %v)",
			seed, i, tm, got, fast.logNow, fast.clock.unsure, want, ref.logNow, ref.clock.unsure)
	}
}

// addSeconds is add for the whole numbers of seconds it is given, at any
// instant, the nanoseconds of a second included.
func TestAddSecondsIsAddForWholeSeconds(t *testing.T) {
	rng := rand.New(rand.NewSource(1))
	for range 10_000 {
		a := logInstant{rng.Int63n(1<<40) - 1<<39, rng.Int63n(int64(time.Second))}
		for _, d := range []time.Duration{clockJump, -clockJump, maxWindow, -maxWindow, 0, time.Duration(rng.Int63n(1e6)-5e5) * time.Second} {
			if got, want := a.addSeconds(d), a.add(d); got != want {
				t.Fatalf("%v.addSeconds(%v) = %v, want %v", a, d, got, want)
			}
		}
	}
}

// spanAt's first is the earliest time given, a zero time being none (the
// next takes its place), as s.first.IsZero() told before firstAt did.
func TestSpanFirstAsZeroTimeTold(t *testing.T) {
	rng := rand.New(rand.NewSource(2))
	base := time.Date(2026, 1, 2, 3, 0, 0, 0, time.UTC)
	for round := range 200 {
		s := newStats()
		var first time.Time
		for i := range 20 {
			tm := base.Add(time.Duration(rng.Intn(100)-50) * time.Second)
			if rng.Intn(4) == 0 {
				tm = time.Time{}
			}
			if round%10 == 0 && i == 10 {
				s.forgetAfter(base.Add(-time.Hour))
				first = time.Time{}
			}
			s.spanAt(tm, instantOf(tm))
			if first.IsZero() || tm.Before(first) {
				first = tm
			}
			if !s.first.Equal(first) {
				t.Fatalf("round %d, time %d (%v): first %v, want %v", round, i, tm, s.first, first)
			}
		}
	}
}
