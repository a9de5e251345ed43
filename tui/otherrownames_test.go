package tui

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/teatest"

	"fivexx/classify"
)

// otherRowSnapshot is the fixture with the rows of 10 k upstreams past the
// cap (QA s37 qa5): four with their rows, "(other)" holding 4,500 upstreams
// and 4,500 of the 5xx; more says the count passed 10,000.
func otherRowSnapshot(names int64, more bool) *classify.Snapshot {
	s := fixtureSnapshot(plainStrings)
	s.Upstreams = nil
	for i, n := range []string{"10.0.1.13:8080", "10.0.1.14:8080", "10.0.2.21:3000", "10.9.9.9:8080"} {
		s.Upstreams = append(s.Upstreams, upstream(n, 1000, 10, map[int]int64{502: int64(100 + i)}, classify.UpstreamRefused, 100, int64(100+i), 0))
	}
	o := upstream("(other)", 45000, 450, map[int]int64{502: 4500}, classify.UpstreamRefused, 100, 4500, 0)
	o.Names, o.NamesMore = names, more
	s.Upstreams = append(s.Upstreams, o)
	return s
}

// The UI's "(other)" row said nothing of how many upstreams it holds,
// which the report's JSON (upstreams) and text said (otherfix, session
// 37): its name cell says it, "(other: 4500)", cut within its column as
// any name is.
func TestOtherRowSaysHowManyUpstreams(t *testing.T) {
	for _, tc := range []struct {
		names int64
		more  bool
		want  string
	}{
		{4500, false, "(other: 4500)"},
		{1, false, "(other: 1)"},
		{10000, true, "(other: 10k+)"},
	} {
		s := otherRowSnapshot(tc.names, tc.more)
		for w := 40; w <= 160; w++ {
			m := newTestModel(t, newFakeSource(s), w, 40)
			found := false
			for i, row := range m.overview.table.Rows() {
				if m.overview.rows[i].Name != "(other)" {
					continue
				}
				found = true
				cell, cw := strings.TrimSpace(row[colName]), m.overview.table.Columns()[colName].Width
				if got := ansi.StringWidth(row[colName]); got > cw {
					t.Errorf("at %d columns the name cell %q is %d cells, its column %d", w, row[colName], got, cw)
				}
				if cw >= len(tc.want) && cell != tc.want {
					t.Errorf("at %d columns (name column %d) the row reads %q, want %q", w, cw, cell, tc.want)
				}
				if !strings.HasPrefix(cell, "(other") {
					t.Errorf("at %d columns the row reads %q", w, cell)
				}
			}
			if !found {
				t.Fatalf("at %d columns no (other) row", w)
			}
			for _, l := range strings.Split(m.View(), "\n") {
				if ansi.StringWidth(l) > w {
					t.Errorf("at %d columns a line is %d cells: %q", w, ansi.StringWidth(l), l)
				}
			}
		}
	}
}

// TestOtherRowScreens: the overview with "(other: 4500)" at three widths.
func TestOtherRowScreens(t *testing.T) {
	s := otherRowSnapshot(4500, false)
	for _, w := range []int{60, 80, 160} {
		t.Run(fmt.Sprintf("%dx30", w), func(t *testing.T) {
			m := New(newFakeSource(s), Options{Title: "shop", Refresh: 20 * time.Millisecond})
			teatest.RequireEqualOutput(t, []byte(playScreen(t, m, w, 30, []screenStep{{"", "Upstreams by 5xx"}})))
		})
	}
}
