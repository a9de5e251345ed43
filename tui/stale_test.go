package tui

import (
	"strings"
	"testing"
	"time"
)

// A live view whose newest line is hours old says so in the header: read
// --from-start, a log that stopped 3 h ago showed "Rates now 1.6/s" and
// "Causes of 120 5xx in 15m" as if current (QA s23 TUI #5). Fresh lines
// say nothing; a clock ahead is said too.
func TestHeaderSaysTheLogIsBehind(t *testing.T) {
	for _, c := range []struct {
		lag  time.Duration
		want string
	}{
		{3*time.Hour + 2*time.Minute, "log 3h02m behind the wall clock"},
		{-5 * time.Minute, "log 5m ahead of the wall clock"},
		{2 * time.Second, ""},
	} {
		s := fixtureSnapshot(plainStrings)
		s.Wall, s.Live = s.LogNow.Add(c.lag), true
		for _, w := range []int{80, 160} {
			m := newTestModel(t, newFakeSource(s), w, 40)
			head := strings.SplitN(m.View(), "\n", 2)[0]
			if c.want == "" {
				if strings.Contains(head, "wall clock") {
					t.Errorf("lag %v at %d columns: %q", c.lag, w, head)
				}
				continue
			}
			if !strings.Contains(head, c.want) {
				t.Errorf("lag %v at %d columns: header %q lacks %q", c.lag, w, head, c.want)
			}
		}
	}
	// Replay and demo play old lines on purpose; an engine that reads
	// files to their end is not live.
	s := fixtureSnapshot(plainStrings)
	s.Wall, s.Live = s.LogNow.Add(3*time.Hour), true
	if got := liveLag(s, true); got != "" {
		t.Errorf("replay: %q", got)
	}
	s.Live = false
	if got := liveLag(s, false); got != "" {
		t.Errorf("not live: %q", got)
	}
}
