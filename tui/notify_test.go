package tui

import (
	"testing"
	"time"

	"fivexx/classify"
)

// notifyingSource is a fakeSource that signals each snapshot it is given,
// as the live engine does (classify.Engine.Published).
type notifyingSource struct {
	*fakeSource
	published chan struct{}
}

func (n *notifyingSource) Published() <-chan struct{} { return n.published }

func (n *notifyingSource) publish(s *classify.Snapshot) {
	n.set(s)
	select {
	case n.published <- struct{}{}:
	default:
	}
}

// runTick runs the model's tick command on a goroutine and hands back what
// it yields.
func runTick(m Model) <-chan any {
	out := make(chan any, 1)
	cmd := m.tick()
	go func() { out <- cmd() }()
	return out
}

func TestTickFetchesWhenANotifierPublishes(t *testing.T) {
	src := &notifyingSource{fakeSource: newFakeSource(fixtureSnapshot(plainStrings)), published: make(chan struct{}, 1)}
	m := newTestModel(t, src, 80, 24) // refresh: an hour
	got := runTick(m)
	select {
	case msg := <-got:
		t.Fatalf("tick fired with nothing published: %T", msg)
	case <-time.After(100 * time.Millisecond):
	}
	next := fixtureSnapshot(plainStrings)
	next.LogNow = logNow.Add(time.Minute)
	src.publish(next)
	select {
	case msg := <-got:
		sm, ok := msg.(snapshotMsg)
		if !ok {
			t.Fatalf("tick yielded %T, want snapshotMsg", msg)
		}
		if sm.snap != next {
			t.Error("the tick did not fetch the published snapshot")
		}
		tm, cmd := m.Update(sm)
		if tm.(Model).snap != next || cmd == nil {
			t.Error("the model did not take the snapshot and re-arm its tick")
		}
	case <-time.After(5 * time.Second):
		t.Fatal("no fetch within 5 s of a publish (the refresh is an hour)")
	}
}

// The refresh period bounds a redraw with or without a Notifier: for a
// Notifier, wall-clock state (an input gone quiet, the clock in the
// header) changes without a publish.
func TestTickFetchesOnItsRefresh(t *testing.T) {
	for name, src := range map[string]Source{
		"plain source":                newFakeSource(fixtureSnapshot(plainStrings)),
		"notifier, nothing published": &notifyingSource{fakeSource: newFakeSource(fixtureSnapshot(plainStrings)), published: make(chan struct{}, 1)},
	} {
		t.Run(name, func(t *testing.T) {
			m := New(src, Options{Refresh: 30 * time.Millisecond})
			select {
			case msg := <-runTick(m):
				if _, ok := msg.(snapshotMsg); !ok {
					t.Fatalf("tick yielded %T, want snapshotMsg", msg)
				}
			case <-time.After(5 * time.Second):
				t.Fatal("no fetch within 5 s of a 30 ms refresh")
			}
		})
	}
}

// The live engine is a Notifier: without it the live UI would fall back
// to its refresh tick, silently.
var _ Notifier = (*classify.Engine)(nil)
