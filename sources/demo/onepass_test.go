package demo

import (
	"testing"
	"time"
)

// TestFailuresComeWithinOnePass: every scenario's failures, its 5xx and
// its error-log lines, come between FailuresFrom and FailuresTo into its
// period, whatever the seed, and none in the first FailuresFrom of the
// next pass: one Period holds a scenario's whole incident, and demo
// --each and --write --duration take one Period at least (cmd/fivexx).
// Under the race detector it plays one seed (make test runs all four
// without it).
func TestFailuresComeWithinOnePass(t *testing.T) {
	seeds := int64(4)
	if raceEnabled {
		seeds = 1
	}
	for _, s := range Scenarios() {
		var first, last time.Duration = -1, -1
		for seed := range seeds {
			g := New(s, seed, testStart)
			for _, l := range g.Until(testStart.Add(Period + FailuresFrom)) {
				failure := l.Stream == Errors
				if l.Stream == Access {
					a, err := parseAccess(l)
					if err != nil {
						t.Fatal(err)
					}
					failure = a.status >= 500
				}
				if !failure {
					continue
				}
				d := l.Time.Sub(testStart)
				if first < 0 || d < first {
					first = d
				}
				last = max(last, d)
				if d < FailuresFrom || d > FailuresTo {
					t.Errorf("%s, seed %d: a failure %s into the pass, not from %s to %s: %s", s.Name, seed, d, FailuresFrom, FailuresTo, l.Text)
					break
				}
			}
		}
		t.Logf("%s: failures from %s to %s", s.Name, first, last)
		if (first < 0) != (len(s.Causes) == 0) {
			t.Errorf("%s: failures from %s, causes %v", s.Name, first, s.Causes)
		}
	}
}
