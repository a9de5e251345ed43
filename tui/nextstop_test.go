package tui

import (
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/exp/teatest"

	"fivexx/classify"
)

// stopVerdict is the fixture's verdict of path on upstream.
func stopVerdict(t *testing.T, s *classify.Snapshot, upstream, path string) *classify.Verdict {
	t.Helper()
	for _, v := range s.Recent {
		if v.Entry != nil && v.Entry.Upstream == upstream && v.Entry.Path == path {
			return v
		}
	}
	t.Fatalf("no verdict of %s on %s in the fixture", path, upstream)
	return nil
}

// n names the 5xx it stopped at and moves the screens to it: pressed in
// the list of be_app/s1 it changed nothing there but the pending count,
// while the verdict it waited for was of a <NOSRV> 503 elsewhere (QA s34
// L5). The replay line names it, the overview selects its upstream, its
// list its row, so enter, enter opens it; training mode keeps its cause
// hidden.
func TestNextFivexxShowsWhereItStopped(t *testing.T) {
	snap := fixtureSnapshot(plainStrings)
	v := stopVerdict(t, snap, "10.0.0.2:8080", "/api/checkout")
	if v.Cause != classify.UpstreamReset {
		t.Fatalf("fixture changed: %s", v.Cause)
	}
	src := &fakeReplay{fakeSource: newFakeSource(snap), state: ReplayState{Speed: "1×", Paused: true}}
	m := newTestModel(t, src, 120, 30)
	tick := func(m Model) Model {
		tm, _ := m.Update(fetch(src, src, nil, m.tag))
		return tm.(Model)
	}
	mm, _ := m.Update(openUpstreamMsg{name: plainStrings.upstream1})
	m = mm.(Model)
	m = send(m, "n")
	src.setState(ReplayState{Speed: "1×", Paused: true, Stopped: v, StoppedWith: 2})
	m = tick(m)
	if got, want := replayLine(m), "replay ⏸ paused 1×  n: 502 POST /api/checkout on 10.0.0.2:8080 → upstream_reset high · +2 judged with it"; got != want {
		t.Errorf("after n in another upstream's list the replay line is\n%q, want\n%q", got, want)
	}
	m = send(m, "esc")
	if c := m.overview.table.Cursor(); c < 0 || c >= len(m.overview.rows) || m.overview.rows[c].Name != "10.0.0.2:8080" {
		t.Errorf("overview selects row %d, want the upstream of the 5xx n stopped at", c)
	}
	m = tick(m) // a later snapshot keeps the selection
	m = send(m, "enter")
	if m.page() != pageUpstream || m.upstream.upstream != "10.0.0.2:8080" || !m.upstream.selected(v) {
		t.Fatalf("enter on the overview: page %v, list %q, cursor %d; want the list of 10.0.0.2:8080 on the 5xx n stopped at", m.page(), m.upstream.upstream, m.upstream.cursor)
	}
	if l := replayLine(m); !strings.Contains(l, "upstream_reset high · enter opens it") {
		t.Errorf("in its list, with it selected, the replay line is %q", l)
	}
	m = send(m, "enter")
	if m.page() != pageDetail {
		t.Errorf("enter in its list: page %v, want its request", m.page())
	}
	// Playing on: the line is the progress again.
	src.setState(ReplayState{Speed: "1×"})
	m = tick(m)
	if l := replayLine(m); strings.Contains(l, "n: ") {
		t.Errorf("playing on, the replay line still names the stop: %q", l)
	}

	// Training mode, causes hidden: it names the 5xx, not its cause.
	m = newTestModel(t, src, 120, 30)
	m.lesson = lesson{on: true}
	src.setState(ReplayState{Speed: "1×", Paused: true, Stopped: v})
	m = tick(m)
	if got, want := replayLine(m), "replay ⏸ paused 1×  n: 502 POST /api/checkout on 10.0.0.2:8080 → ?"; got != want {
		t.Errorf("training mode, causes hidden: replay line\n%q, want\n%q", got, want)
	}
}

// The screen after n, from the list of another upstream, then esc and
// enter: the line names the 5xx, its list has it selected.
func TestNextFivexxScreen(t *testing.T) {
	snap := fixtureSnapshot(plainStrings)
	v := stopVerdict(t, snap, "10.0.0.2:8080", "/api/checkout")
	src := &fakeReplay{fakeSource: newFakeSource(snap), state: ReplayState{Speed: "1×", Paused: true, Stopped: v}}
	m := New(src, Options{Title: "shop", Refresh: 20 * time.Millisecond})
	view := playScreen(t, m, 120, 24, []screenStep{{"", "n: 502 POST"}, {"enter", "enter opens it"}})
	teatest.RequireEqualOutput(t, []byte(view))
}
