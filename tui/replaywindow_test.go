package tui

import (
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/exp/teatest"
)

// With --from or --to, the replay line's progress is the window's, not
// the whole files': "24% 6.1 MB of 25.4 MB ETA 21s", ending "■ finished
// 33% 8.4 MB of 25.4 MB" once --to was reached (QA s28). The bytes are
// not the window's, so they are not shown.
func TestReplayLineIsTheWindows(t *testing.T) {
	day := logNow.Truncate(24 * time.Hour)
	from, to := day.Add(3*time.Hour+1*time.Minute), day.Add(3*time.Hour+6*time.Minute)
	for _, tc := range []struct {
		name string
		st   ReplayState
		want string
	}{
		{"both-playing", ReplayState{Speed: "20×", Done: 6.1e6, Total: 25.4e6, ETA: 21 * time.Second, From: from, To: to, Share: 0.61},
			"replay ▶ playing 20× ████████████████████████░░░░░░░░░░░░░░░░  61% of 03:01:00–03:06:00  ETA 21s"},
		{"both-finished", ReplayState{Speed: "20×", Done: 8.4e6, Total: 25.4e6, From: from, To: to, Share: 1, Finished: true},
			"replay ■ finished ████████████████████████████████████████ 100% of 03:01:00–03:06:00"},
		{"from", ReplayState{Speed: "1×", Done: 6.1e6, Total: 25.4e6, ETA: 90 * time.Second, From: from, Share: 0.5},
			"replay ▶ playing 1× ████████████████████░░░░░░░░░░░░░░░░░░░░  50% of 03:01:00–end  ETA 1m30s"},
		{"to", ReplayState{Speed: "max", Done: 6.1e6, Total: 25.4e6, To: to, Share: 0.25},
			"replay ▶ playing max ██████████░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░  25% of start–03:06:00"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			src := &fakeReplay{fakeSource: newFakeSource(fixtureSnapshot(plainStrings)), state: tc.st}
			m := New(src, Options{Title: "shop", Refresh: 20 * time.Millisecond})
			view := playScreen(t, m, 100, 24, []screenStep{{"", "replay "}})
			if got := strings.TrimRight(strings.Split(view, "\n")[1], " "); got != tc.want {
				t.Errorf("replay line\n%q, want\n%q", got, tc.want)
			}
			teatest.RequireEqualOutput(t, []byte(view))
		})
	}
}
