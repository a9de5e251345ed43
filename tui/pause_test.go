package tui

import (
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/exp/teatest"
)

func (r *fakeReplay) setState(st ReplayState) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.state = st
}

// replayLine is the second line of the view, under the header.
func replayLine(m Model) string {
	return strings.TrimRight(strings.Split(m.View(), "\n")[1], " ")
}

// p freezes the replay line with the rest of the display: the header said
// PAUSED while the demo's line counted on, "next oom-kill in 34s" then
// "32s", beside a frozen log clock (QA s27 UI #2). What the replay keys set
// still shows, so space pressed while frozen is seen to take.
func TestPauseFreezesTheReplayLine(t *testing.T) {
	src := &fakeReplay{fakeSource: newFakeSource(fixtureSnapshot(plainStrings)),
		state: ReplayState{Speed: "1×", Note: "deploy-crash (1/8) · next oom-kill in 34s"}}
	m := newTestModel(t, src, 80, 24)
	tick := func(m Model) Model {
		tm, _ := m.Update(fetch(src, src, nil, m.tag))
		return tm.(Model)
	}
	m = send(m, "p")
	src.setState(ReplayState{Speed: "1×", Note: "deploy-crash (1/8) · next oom-kill in 32s"})
	m = tick(m)
	if got, want := replayLine(m), "replay ▶ playing 1×  deploy-crash (1/8) · next oom-kill in 34s"; got != want {
		t.Errorf("paused display's replay line %q, want %q", got, want)
	}
	// space and + while frozen: the line says so, the countdown stays.
	src.setState(ReplayState{Paused: true, Speed: "2×", Note: "deploy-crash (1/8) · next oom-kill in 31s"})
	m = tick(m)
	if got, want := replayLine(m), "replay ⏸ paused 2×  deploy-crash (1/8) · next oom-kill in 34s"; got != want {
		t.Errorf("after space and + on a paused display the replay line is %q, want %q", got, want)
	}
	// A replay's progress and ETA stay too; one that ends while frozen
	// turns its keys off, as they do nothing more.
	src.setState(ReplayState{Speed: "10×", Done: 40e6, Total: 100e6, ETA: time.Minute})
	m = send(m, "p")
	m = tick(m)
	m = send(m, "p")
	src.setState(ReplayState{Speed: "10×", Done: 100e6, Total: 100e6, Finished: true})
	m = tick(m)
	if l := replayLine(m); !strings.Contains(l, "40%") || !strings.Contains(l, "ETA 1m") || strings.Contains(l, "finished") {
		t.Errorf("paused display's replay line moved on: %q", l)
	}
	if _, cmd := m.Update(keyMsg(" ")); cmd != nil {
		t.Error("space still does something after the replay ended")
	}
	m = send(m, "p")
	tm, _ := m.Update(fetch(src, src, nil, m.tag))
	m = tm.(Model)
	if l := replayLine(m); !strings.HasPrefix(l, "replay ■ finished") {
		t.Errorf("after p again the replay line is %q, want it finished", l)
	}
}

// p works on the help screen, whose header is the one every screen has:
// it was off there, so the header showed no PAUSED and its pending count
// went on changing (QA s27 UI #2).
func TestPauseOnTheHelpScreen(t *testing.T) {
	src := newFakeSource(fixtureSnapshot(plainStrings))
	m := newTestModel(t, src, 120, 40)
	m = send(m, "?", "p")
	if h := firstLine(m.View()); !m.paused || !strings.Contains(h, "FROZEN") || !strings.Contains(h, "pending 3") {
		t.Fatalf("p on the help screen: paused %v, header %q", m.paused, h)
	}
	next := fixtureSnapshot(plainStrings)
	next.Pending = 17
	src.set(next)
	var tm tea.Model
	tm, _ = m.Update(fetch(src, nil, nil, m.tag))
	m = tm.(Model)
	if h := firstLine(m.View()); !strings.Contains(h, "pending 3") {
		t.Errorf("paused help screen's header took the new pending count: %q", h)
	}
	if !strings.Contains(lastLine(m.View()), "p unfreeze") {
		t.Errorf("help screen's footer does not offer p: %q", lastLine(m.View()))
	}
	m = send(m, "p")
	if m.paused {
		t.Fatal("p again on the help screen does not resume")
	}
	tm, _ = m.Update(fetch(src, nil, nil, m.tag))
	if h := firstLine(tm.(Model).View()); !strings.Contains(h, "pending 17") || strings.Contains(h, "FROZEN") {
		t.Errorf("resumed help screen's header: %q", h)
	}
}

// p freezes the screen and space pauses a replay, as README and the help
// say; the header said PAUSED after p, beside "▶ playing" on the replay
// line, and the key bar called p "pause" (QA s28). Frozen, the header says
// FROZEN, the replay line what the replay does, the key bar "p unfreeze"
// (what p does now; "p freeze" before) beside "space play/pause".
func TestFreezeIsNotTheReplaysPause(t *testing.T) {
	src := &fakeReplay{fakeSource: newFakeSource(fixtureSnapshot(plainStrings)),
		state: ReplayState{Speed: "1×", Done: 40e6, Total: 100e6, ETA: time.Minute}}
	m := New(src, Options{Title: "replay", Refresh: 20 * time.Millisecond})
	view := playScreen(t, m, 160, 30, []screenStep{{"", "replay ▶"}, {"p", "FROZEN"}})
	lines := strings.Split(view, "\n")
	head, replay, keys := lines[0], lines[1], lines[len(lines)-1]
	if !strings.Contains(head, "FROZEN") || strings.Contains(head, "PAUSED") {
		t.Errorf("frozen header %q, want FROZEN", head)
	}
	if !strings.HasPrefix(replay, "replay ▶ playing 1×") {
		t.Errorf("frozen replay line %q, want it playing", replay)
	}
	if !strings.Contains(keys, "space play/pause") || !strings.Contains(keys, "p unfreeze") || strings.Contains(keys, "p pause") {
		t.Errorf("key bar %q, want space play/pause and p unfreeze", keys)
	}
	teatest.RequireEqualOutput(t, []byte(view))
}
