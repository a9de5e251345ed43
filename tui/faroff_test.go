package tui

import (
	"strings"
	"testing"
	"time"

	"fivexx/classify"
)

// Requests stamped too far from the log clock for any window (a 503 from
// 2099 appended to a live log) are said on the overview, with where they
// are counted: they were counted nowhere on screen.
func TestFarOffRequestsAreSaid(t *testing.T) {
	s := fixtureSnapshot(plainStrings)
	s.FarOff = classify.FarOff{Requests: 1, Fivexx: 1, Last: time.Date(2099, 1, 1, 0, 0, 0, 0, time.UTC)}
	overviewSays(t, s, " far off 1 request stamped over 15m from the log clock (the last at 2099-01-01 00:00:00): in no window's counts or rates; 1 5xx of them judged and listed under their upstream", 10)
	m := newTestModel(t, newFakeSource(s), 100, 60)
	if v := helpContent(&m.keys, m.styles, s, lesson{}, 100); !strings.Contains(v, "Left out of the counts") || !strings.Contains(v, "• 1 request stamped over 15m") {
		t.Errorf("help (the overview says \"see ?\" when it has no room):\n%s", v)
	}
}

// overviewSays checks that the overview of s says want at 200x48 and at
// 80x24, where a line wider than the screen is cut (want then less its
// last cut+ cells, for the cut's mark).
func overviewSays(t *testing.T, s *classify.Snapshot, want string, cut int) {
	t.Helper()
	for _, size := range [][2]int{{200, 48}, {80, 24}} {
		m := newTestModel(t, newFakeSource(s), size[0], size[1])
		w := want
		if size[0] < len(w) {
			w = w[:size[0]-cut]
		}
		if v := m.View(); !strings.Contains(v, w) {
			t.Errorf("at %dx%d no %q in\n%s", size[0], size[1], w, v)
		}
	}
}
