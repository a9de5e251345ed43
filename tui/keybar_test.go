package tui

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/teatest"
)

// The key bar leaves out its least useful keys when it is narrow, not
// the ones it ends with: frozen, a replay's bar at 120 columns ended
// "1/5/15 window •… ? help • q quit" and never said how to unfreeze
// (QA s29). On every screen of a replay, at 80 and 120 columns, frozen
// or not, the bar fits, is not cut, and keeps p and space; frozen, p
// says "unfreeze".
func TestKeyBarKeepsTheKeysThatMatter(t *testing.T) {
	for _, w := range []int{80, 120} {
		for _, frozen := range []bool{false, true} {
			for _, sc := range []struct {
				name string
				keys []string
				want []string
			}{
				{"overview", nil, []string{"enter open"}},
				{"upstream", []string{"enter"}, []string{"enter open", "esc back"}},
				{"detail", []string{"enter", "enter"}, []string{"esc back"}},
			} {
				t.Run(fmt.Sprintf("%d/frozen=%v/%s", w, frozen, sc.name), func(t *testing.T) {
					src := &fakeReplay{fakeSource: newFakeSource(fixtureSnapshot(plainStrings)),
						state: ReplayState{Speed: "1×", Done: 40e6, Total: 100e6, ETA: time.Minute}}
					m := newTestModel(t, src, w, 30)
					m = send(m, sc.keys...)
					p := "p freeze"
					if frozen {
						m, p = send(m, "p"), "p unfreeze"
					}
					bar := ansi.Strip(lastLine(m.View()))
					for _, want := range append([]string{"space play/pause", p, "? help • q quit"}, sc.want...) {
						if !strings.Contains(bar, want) {
							t.Errorf("key bar %q has no %q", bar, want)
						}
					}
					if strings.Contains(bar, "…") || lenCells(bar) > w {
						t.Errorf("key bar %q is cut or wider than %d", bar, w)
					}
				})
			}
		}
	}
}

// TestNarrowKeyBarKeepsAReplaysKeys: at 40 columns a replay's overview
// bar was "space play/pause  ? help • q quit", without enter, and frozen
// "p unfreeze  ? help • q quit", without space (QA s30). At 30 and 40
// columns, on every screen of a replay, filtered or not, frozen or not,
// the bar keeps space, enter and esc where they apply, p while frozen
// and q quit, is not cut and fits: "? help" and the keys' words give way
// first. At 40 columns a frozen overview still says "p unfreeze".
func TestNarrowKeyBarKeepsAReplaysKeys(t *testing.T) {
	filter := []string{"/", "1", "0", ".", "0", ".", "0", ".", "2", "enter"}
	for _, w := range []int{30, 40} {
		for _, frozen := range []bool{false, true} {
			for _, sc := range []struct {
				name string
				keys []string
				want []string
			}{
				{"overview", nil, []string{"space", "enter"}},
				{"filtered", filter, []string{"space", "enter", "esc"}},
				{"upstream", []string{"enter"}, []string{"space", "enter", "esc"}},
				{"detail", []string{"enter", "enter"}, []string{"space", "esc"}},
			} {
				t.Run(fmt.Sprintf("%d/frozen=%v/%s", w, frozen, sc.name), func(t *testing.T) {
					src := &fakeReplay{fakeSource: newFakeSource(fixtureSnapshot(plainStrings)),
						state: ReplayState{Speed: "1×", Done: 40e6, Total: 100e6, ETA: time.Minute}}
					m := send(newTestModel(t, src, w, 30), sc.keys...)
					want := sc.want
					if frozen {
						m, want = send(m, "p"), append(want, "p")
					}
					bar := ansi.Strip(lastLine(m.View()))
					fields := map[string]bool{}
					for _, f := range strings.Fields(bar) {
						fields[f] = true
					}
					for _, k := range want {
						if !fields[k] {
							t.Errorf("key bar %q has no %q", bar, k)
						}
					}
					if !strings.HasSuffix(bar, " q quit") {
						t.Errorf("key bar %q does not end with q quit", bar)
					}
					if frozen && w == 40 && sc.name == "overview" && !strings.Contains(bar, "p unfreeze") {
						t.Errorf("key bar %q does not say p unfreeze", bar)
					}
					if strings.Contains(bar, "…") || lenCells(bar) > w {
						t.Errorf("key bar %q is cut or wider than %d", bar, w)
					}
				})
			}
		}
	}
}

// TestKeyBarFrozenScreens renders a frozen replay's overview at 80 and
// 120 columns (golden files in testdata/TestKeyBarFrozenScreens): the
// header says FROZEN and the key bar "p unfreeze".
func TestKeyBarFrozenScreens(t *testing.T) {
	for _, w := range []int{80, 120} {
		t.Run(fmt.Sprintf("%dx30", w), func(t *testing.T) {
			src := &fakeReplay{fakeSource: newFakeSource(fixtureSnapshot(plainStrings)),
				state: ReplayState{Speed: "1×", Done: 40e6, Total: 100e6, ETA: time.Minute}}
			m := New(src, Options{Title: "replay", Refresh: 20 * time.Millisecond})
			view := playScreen(t, m, w, 30, []screenStep{{"", "replay ▶"}, {"p", "FROZEN"}})
			if bar := ansi.Strip(lastLine(view)); !strings.Contains(bar, "p unfreeze") {
				t.Errorf("frozen key bar %q", bar)
			}
			teatest.RequireEqualOutput(t, []byte(view))
		})
	}
}
