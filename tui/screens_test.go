package tui

import (
	"bytes"
	"fmt"
	"testing"
	"time"

	"github.com/charmbracelet/x/exp/teatest"
)

// TestScreens renders each screen of the fixture in a real program at 80×24
// and 160×48 and compares the final frame with the golden files in
// testdata/TestScreens; go test ./tui -update rewrites them.
func TestScreens(t *testing.T) {
	// Keys to reach each screen from the overview; a key that opens a
	// screen is followed by a text to wait for, since the screen opens
	// through a command. The upstream table starts on backend_pool; two rows
	// down is 10.0.0.1:8080, the upstream with the burst of refused connects.
	type step = screenStep
	screens := []struct {
		name  string
		steps []step
	}{
		{"overview", []step{{"", "Upstreams by 5xx"}}},
		{"upstream", []step{{"enter", "▸ upstream 10.0.0.1:8080"}}},
		{"cause", []step{{"tab", ""}, {"j", ""}, {"enter", "▸ cause upstream_reset"}}},
		{"detail", []step{{"enter", "▸ upstream 10.0.0.1:8080"},
			{"enter", "▸ request 502 GET /api/orders?id=42"}}},
		{"help", []step{{"?", "▸ help"}}},
	}
	for _, sz := range [][2]int{{80, 24}, {160, 48}} {
		for _, sc := range screens {
			t.Run(fmt.Sprintf("%s/%dx%d", sc.name, sz[0], sz[1]), func(t *testing.T) {
				src := newFakeSource(fixtureSnapshot(plainStrings))
				m := New(src, Options{Title: "shop", Refresh: 20 * time.Millisecond})
				teatest.RequireEqualOutput(t, []byte(playScreen(t, m, sz[0], sz[1], sc.steps)))
			})
		}
	}
}

// screenStep is a key to send ("" for none), then text to wait for on the
// screen ("" for none).
type screenStep struct{ key, wait string }

// playScreen runs m at w x h through steps, quits, and returns its last
// view.
func playScreen(t *testing.T, m Model, w, h int, steps []screenStep) string {
	t.Helper()
	tm := teatest.NewTestModel(t, m, teatest.WithInitialTermSize(w, h))
	for _, st := range steps {
		if st.key != "" {
			tm.Send(keyMsg(st.key))
		}
		if st.wait != "" {
			teatest.WaitFor(t, tm.Output(), func(b []byte) bool {
				return bytes.Contains(b, []byte(st.wait))
			}, teatest.WithDuration(5*time.Second))
		}
	}
	tm.Send(keyMsg("q"))
	return tm.FinalModel(t, teatest.WithFinalTimeout(5*time.Second)).View()
}
