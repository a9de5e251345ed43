package tui

import (
	"strings"
	"testing"
)

// The 5xx still waiting for their verdict are in the rates and the table
// already: below 90 columns nothing said so, and the causes pane counted
// 64 beside a table row of 162 502s (QA s24 TUI #2). The causes pane and
// the header say how many wait, at every width from 60 on.
func TestPendingShownAtEveryWidth(t *testing.T) {
	s := fixtureSnapshot(plainStrings)
	s.Pending = 98
	for _, w := range []int{60, 70, 80, 89, 90, 100, 160} {
		m := newTestModel(t, newFakeSource(s), w, 30)
		v := m.View()
		head := firstLine(v)
		if !strings.Contains(head, "pend 98") && !strings.Contains(head, "pending 98") {
			t.Errorf("%d columns: header %q does not say 98 pending", w, head)
		}
		if !strings.Contains(v, "Causes of 2175 5xx in 5m · 98 pending") {
			t.Errorf("%d columns: the causes pane does not say 98 pending:\n%s", w, v)
		}
		// The drill-down lists only the judged: the header says the rest.
		m = send(m, "enter")
		if head := firstLine(m.View()); !strings.Contains(head, "pend 98") && !strings.Contains(head, "pending 98") {
			t.Errorf("%d columns, drill-down: header %q does not say 98 pending", w, head)
		}
	}
	s.Pending = 0
	m := newTestModel(t, newFakeSource(s), 80, 24)
	if v := m.View(); strings.Contains(v, "pend") {
		t.Errorf("none pending, yet:\n%s", v)
	}
}
