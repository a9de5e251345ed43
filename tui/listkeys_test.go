package tui

import (
	"fmt"
	"strings"
	"testing"

	"fivexx/classify"
)

// manyUpstreams is the fixture with 40 more upstreams, up-00 the worst of
// them, so the table holds more rows than a screen shows.
func manyUpstreams() *classify.Snapshot {
	s := fixtureSnapshot(plainStrings)
	for i := range 40 {
		s.Upstreams = append(s.Upstreams, upstream(fmt.Sprintf("up-%02d", i), 1000, 3.3,
			map[int]int64{502: int64(60 - i)}, classify.UpstreamRefused, 100, int64(60-i), 0))
	}
	return s
}

// selectedLine is the line of the view holding the row marker "›" of the
// focused pane; "" when none is on screen.
func selectedLine(v string) string {
	for _, l := range strings.Split(v, "\n") {
		if strings.Contains(l, "›") {
			return l
		}
	}
	return ""
}

// The top, bottom and page keys move the upstream table's and the causes'
// selection as they move a list of 5xx: on the overview they did nothing,
// though help offered them without limit, and with hundreds of upstreams
// they are the way through the table (QA s27 UI #1).
func TestOverviewTopBottomAndPageKeys(t *testing.T) {
	src := newFakeSource(manyUpstreams())
	m := newTestModel(t, src, 120, 40)
	rows, page := len(m.overview.rows), m.overview.plan.tableRows
	if page < 2 || page >= rows {
		t.Fatalf("the table shows %d of %d rows: the test needs a table longer than the screen", page, rows)
	}
	last := rows - 1
	for _, step := range []struct {
		key  string
		want int
	}{
		{"G", last}, {"pgup", last - page}, {"g", 0}, {"pgdown", page}, {"pgdown", 2 * page},
		{"home", 0}, {"end", last}, {"pgdown", last}, {"g", 0}, {"pgup", 0},
	} {
		m = send(m, step.key)
		if got := m.overview.table.Cursor(); got != step.want {
			t.Fatalf("after %q the table cursor is on row %d, want %d", step.key, got, step.want)
		}
		// The row selected is on the screen.
		name := m.overview.rows[step.want].Name
		if l := selectedLine(m.View()); !strings.Contains(l, name) {
			t.Fatalf("after %q row %d (%s) is selected, but the marked line is %q", step.key, step.want, name, l)
		}
	}

	// G picks the last row: it stays selected as the order changes. g goes
	// back to the untouched state: the top row, the worst, whichever it is,
	// as a list of 5xx follows the newest after g.
	m = send(m, "G")
	picked := m.overview.rows[last].Name
	worse := manyUpstreams()
	worse.Upstreams[len(worse.Upstreams)-1].Windowed.Status = map[int]int64{502: 9000}
	src.set(worse)
	tm, _ := m.Update(fetch(src, nil, nil, m.tag))
	m = tm.(Model)
	if got := m.overview.rows[m.overview.table.Cursor()].Name; got != picked {
		t.Errorf("after G the selection moved from %s to %s as the order changed", picked, got)
	}
	m = send(m, "g")
	src.set(manyUpstreams())
	tm, _ = m.Update(fetch(src, nil, nil, m.tag))
	m = tm.(Model)
	if c, top := m.overview.table.Cursor(), m.overview.rows[0].Name; c != 0 {
		t.Errorf("after g the selection is on row %d (%s), want the top row %s", c, m.overview.rows[c].Name, top)
	}

	// The causes pane, cut to fewer rows than it has at 60x20.
	m = newTestModel(t, newFakeSource(fixtureSnapshot(plainStrings)), 60, 20)
	m = send(m, "tab")
	causes, cpage := len(m.overview.causes), m.overview.plan.causeRows
	if cpage < 2 || cpage >= causes {
		t.Fatalf("the causes pane shows %d of %d causes: the test needs it cut", cpage, causes)
	}
	clast := causes - 1
	for _, step := range []struct {
		key  string
		want int
	}{
		{"G", clast}, {"pgup", clast - cpage}, {"home", 0}, {"pgdown", cpage}, {"end", clast}, {"g", 0},
	} {
		m = send(m, step.key)
		if got := m.overview.causeCursor; got != step.want {
			t.Fatalf("after %q the causes cursor is on row %d, want %d", step.key, got, step.want)
		}
		cause := string(m.overview.causes[step.want].cause)
		if l := selectedLine(m.View()); !strings.Contains(l, cause) {
			t.Fatalf("after %q cause %s is selected, but the marked line is %q", step.key, cause, l)
		}
	}
}

// g and G are letters in the filter: they type, they do not move.
func TestFilterTypesTopAndBottomKeys(t *testing.T) {
	m := newTestModel(t, newFakeSource(manyUpstreams()), 120, 40)
	m = send(m, "j", "/", "u", "p", "-", "g", "G")
	if got := m.filter.Value(); got != "up-gG" {
		t.Errorf("filter holds %q after typing up-gG", got)
	}
	m = send(m, "esc", "/", "u", "p", "-", "0", "enter", "G")
	if got, want := m.overview.table.Cursor(), len(m.overview.rows)-1; got != want || want < 1 {
		t.Errorf("after the filter up-0 (%d rows) G put the cursor on %d", len(m.overview.rows), got)
	}
}
