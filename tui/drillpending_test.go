package tui

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/exp/teatest"

	"fivexx/classify"
)

// The drill-down lists the judged 5xx only; those still waiting for their
// verdict are counted by the table as they are read. With 43 pending the
// list of an upstream said "· 0 · of 7 in 15m, the newest are kept", then
// "no recent 5xx here": 7 5xx read as dropped, none as waiting (QA s28).
// The line says how many are pending, and "the newest are kept" only when
// judged ones were let go.
func TestDrillDownSaysPendingNotKept(t *testing.T) {
	cases := []struct {
		name, upstream string
		// window5xx and judged are the upstream's 5xx in the window
		// and those of them with a verdict.
		window5xx, judged int64
		want, notWant     string
	}{
		// No verdict yet: nothing let go.
		{"all-pending", "10.0.0.4:8080", 7, 0,
			"of 7 in 5m, 7 pending", "newest are kept"},
		// 2 listed of 1,203 judged, 7 more pending: both are said.
		{"pending-and-kept", "10.0.0.1:8080", 1210, 1203,
			"of 1210 in 5m, 7 pending, the newest are kept", ""},
		// All judged and listed but 2, 2 pending: not "kept".
		{"pending-only-missing", "10.0.0.2:8080", 4, 2,
			"of 4 in 5m, 2 pending", "newest are kept"},
	}
	for _, sz := range [][2]int{{80, 24}, {160, 48}} {
		for _, c := range cases {
			t.Run(fmt.Sprintf("%s/%dx%d", c.name, sz[0], sz[1]), func(t *testing.T) {
				s := fixtureSnapshot(plainStrings)
				s.Pending = int(c.window5xx - c.judged)
				for i := range s.Upstreams {
					u := &s.Upstreams[i]
					if u.Name != c.upstream {
						continue
					}
					u.Windowed.Status = map[int]int64{502: c.window5xx}
					u.WindowFivexx = c.judged
				}
				if c.name == "pending-only-missing" {
					// Keep 2 of its verdicts, as many as are judged.
					var kept []*classify.Verdict
					n := 0
					for _, r := range s.Recent {
						if r.Entry != nil && upstreamRowName(r) == c.upstream {
							if n == 2 {
								continue
							}
							n++
						}
						kept = append(kept, r)
					}
					s.Recent = kept
				}
				m := New(newFakeSource(s), Options{Title: "shop", Refresh: 20 * time.Millisecond})
				// Down the table to the upstream, as a reader would (a
				// filter would narrow the list too).
				at := newTestModel(t, newFakeSource(s), sz[0], sz[1])
				var steps []screenStep
				for i := at.overview.table.Cursor(); i < indexOf(t, at, c.upstream); i++ {
					steps = append(steps, screenStep{"j", ""})
				}
				for i := at.overview.table.Cursor(); i > indexOf(t, at, c.upstream); i-- {
					steps = append(steps, screenStep{"k", ""})
				}
				steps = append(steps, screenStep{"enter", "▸ upstream " + c.upstream})
				view := playScreen(t, m, sz[0], sz[1], steps)
				line := ""
				for _, l := range strings.Split(view, "\n") {
					if strings.Contains(l, "recent 5xx, newest first") {
						line = l
					}
				}
				if !strings.Contains(line, c.want) || (c.notWant != "" && strings.Contains(line, c.notWant)) {
					t.Errorf("list line %q: want %q, not %q", line, c.want, c.notWant)
				}
				if c.judged == 0 && !strings.Contains(view, "7 5xx here pending: no verdict yet") {
					t.Errorf("an empty list of pending 5xx does not say so:\n%s", view)
				}
				teatest.RequireEqualOutput(t, []byte(view))
			})
		}
	}
}
