package tui

import (
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
)

// shownRows is how many of the table's lines, after its header, hold a
// row: a table scrolled past its end showed blank lines instead.
func shownRows(m Model) int {
	lines := strings.Split(m.View(), "\n")
	for i, l := range lines {
		if !strings.Contains(l, " req/s ") {
			continue
		}
		n := 0
		for _, r := range lines[i+1 : min(i+1+m.overview.plan.tableRows, len(lines))] {
			if strings.TrimSpace(r) != "" {
				n++
			}
		}
		return n
	}
	return 0
}

// The selected upstream row stays on the screen when the order moves it
// and when the screen shrinks, and enter opens the row marked: the
// table's cursor row could be scrolled off, the pane showing neither the
// marker nor the row, while enter opened it (QA s36 H1: 10.0.9.99,
// picked at the bottom, climbed to row 0 and the pane showed 10.0.0.1…
// and a blank line; after j×10 at 140x45 and a resize to 80x24 enter
// opened a unix:/… row nobody could see).
func TestSelectedUpstreamStaysShown(t *testing.T) {
	// The order changes: the row picked at the bottom becomes the worst.
	src := newFakeSource(manyUpstreams())
	m := newTestModel(t, src, 80, 24)
	m = send(m, "G", "k", "j")
	last := len(m.overview.rows) - 1
	picked := m.overview.rows[last].Name
	if page := m.overview.plan.tableRows; page < 2 || page >= last {
		t.Fatalf("the table shows %d of %d rows: the test needs a table longer than the screen", page, last+1)
	}
	if l := selectedLine(m.View()); !strings.Contains(l, picked) {
		t.Fatalf("after G k j %s is selected, but the marked line is %q", picked, l)
	}
	worse := manyUpstreams()
	for i := range worse.Upstreams {
		if worse.Upstreams[i].Name == picked {
			worse.Upstreams[i].Windowed.Status = map[int]int64{502: 9000}
		}
	}
	src.set(worse)
	tm, _ := m.Update(fetch(src, nil, nil, m.tag))
	m = tm.(Model)
	if got := m.overview.rows[m.overview.table.Cursor()].Name; got != picked || m.overview.table.Cursor() != 0 {
		t.Fatalf("the selection is on %s (row %d), want %s on row 0", got, m.overview.table.Cursor(), picked)
	}
	if l := selectedLine(m.View()); !strings.Contains(l, picked) {
		t.Errorf("%s climbed to row 0 and stays selected, but the marked line is %q:\n%s", picked, l, m.View())
	}
	if got, want := shownRows(m), m.overview.plan.tableRows; got != want {
		t.Errorf("the table shows %d upstream rows in %d lines:\n%s", got, want, m.View())
	}

	// The screen shrinks under a selection far down the table.
	m = newTestModel(t, newFakeSource(manyUpstreams()), 140, 45)
	for range 20 {
		m = send(m, "j")
	}
	sel := m.overview.rows[m.overview.table.Cursor()].Name
	for _, size := range [][2]int{{80, 24}, {60, 20}, {140, 45}} {
		tm, _ := m.Update(tea.WindowSizeMsg{Width: size[0], Height: size[1]})
		m = tm.(Model)
		if l := selectedLine(m.View()); !strings.Contains(l, sel) {
			t.Errorf("at %dx%d %s is selected, but the marked line is %q:\n%s", size[0], size[1], sel, l, m.View())
		}
		if got, want := shownRows(m), m.overview.plan.tableRows; got != want {
			t.Errorf("at %dx%d the table shows %d upstream rows in %d lines:\n%s", size[0], size[1], got, want, m.View())
		}
		if o := send(m, "enter"); o.page() != pageUpstream || o.upstream.upstream != sel {
			t.Errorf("at %dx%d enter opened %q, want the row marked, %s", size[0], size[1], o.upstream.upstream, sel)
		}
	}
}
