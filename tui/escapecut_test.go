package tui

import (
	"fmt"
	"regexp"
	"strings"
	"testing"

	"fivexx/classify"
)

// shownEscape is an escape the sanitizer writes (textsafe.Escape,
// tableName), found independently of escapeSpan.
var shownEscape = regexp.MustCompile(`\\(x[0-9a-f]{2}|u[0-9a-f]{4}|[nr])`)

// cutInsideEscape says where the cut name cell of the name s (as the
// table shows it, tableName) begins or ends inside a shown escape, or "".
// A cell is the name's pieces between "…": the first a prefix of s, the
// last a suffix, any other found in it.
func cutInsideEscape(s, cell string) string {
	inside := map[int]bool{}
	for _, m := range shownEscape.FindAllStringIndex(s, -1) {
		for i := m[0] + 1; i < m[1]; i++ {
			inside[i] = true
		}
	}
	pieces := strings.Split(cell, "…")
	for i, p := range pieces {
		if p == "" {
			continue
		}
		from := strings.Index(s, p)
		switch {
		case i == 0:
			from = 0
		case i == len(pieces)-1:
			from = len(s) - len(p)
		}
		if from < 0 || !strings.HasPrefix(s[from:], p) {
			return fmt.Sprintf("piece %q is not in %q", p, s)
		}
		if i > 0 && inside[from] {
			return fmt.Sprintf("piece %q begins inside an escape", p)
		}
		if i < len(pieces)-1 && inside[from+len(p)] {
			return fmt.Sprintf("piece %q ends inside an escape", p)
		}
	}
	return ""
}

// TestUpstreamNameCutsKeepEscapesWhole: a name cut to its column began
// inside an escape the sanitizer wrote: "…1b[5A", "…b[5A", "10.0.0.9:80…b[5A"
// of a name holding ESC[5A (QA s31). A cut now falls at the escape's edge
// and keeps what tells hostile names apart ("…[5A" beside "…[6A"); where
// that is inside the escape and the column cannot hold it whole, a part
// of it, rather than rows that read alike.
func TestUpstreamNameCutsKeepEscapesWhole(t *testing.T) {
	pairs := []struct {
		a, b string
		// differ: they differ inside an escape this many cells wide,
		// which a cut keeps whole from that many cells and 2 "…" on.
		differ int
	}{
		{"10.0.0.9:80\x1b[5A", "10.0.0.9:80\x1b[6A", 0},
		{"app\x1b[5Aone", "app\x1b[5Atwo", 0},
		{"\x1b[5A\x1b[5A\x1b[5A1", "\x1b[5A\x1b[5A\x1b[5A2", 0},
		{"svc-a\x1b]0;title-one\x07", "svc-a\x1b]0;title-two\x07", 0},
		{"backend-aaaaaaaa\x1b[5A", "backend-bbbbbbbb\x1b[5A", 0},
		{"backend-server-\x1b", "backend-server-\x1c", 4},
		{"backend-server-\u202e-x", "backend-server-\u202d-x", 6},
	}
	for _, p := range pairs {
		cuts := nameCuts([]string{p.a, p.b})
		for w := 3; w <= 24; w++ {
			ca, cb := clipName(p.a, w, cuts[p.a]), clipName(p.b, w, cuts[p.b])
			if ca == cb {
				t.Errorf("%q and %q both read %q at %d cells", p.a, p.b, ca, w)
			}
			for _, c := range []struct{ name, cell string }{{p.a, ca}, {p.b, cb}} {
				if n := lenCells(c.cell); n > w {
					t.Errorf("%q reads %q at %d cells: %d wide", c.name, c.cell, w, n)
				}
				if w < p.differ+2 {
					continue
				}
				if why := cutInsideEscape(tableName(c.name), c.cell); why != "" {
					t.Errorf("%q reads %q at %d cells: %s", c.name, c.cell, w, why)
				}
			}
		}
	}
	// In the table, at the widths whose name column cuts them.
	s := fixtureSnapshot(plainStrings)
	s.Upstreams = nil
	differ := map[string]int{}
	for _, p := range pairs {
		for _, n := range []string{p.a, p.b} {
			s.Upstreams = append(s.Upstreams, upstream(n, 1000, 10, map[int]int64{502: 10}, classify.UpstreamRefused, 100, 10, 0))
			differ[n] = p.differ
		}
	}
	for _, w := range []int{40, 50, 60, 80} {
		m := newTestModel(t, newFakeSource(s), w, 60)
		seen := map[string]string{}
		for i, row := range m.overview.table.Rows() {
			cell, name := strings.TrimSpace(row[colName]), m.overview.rows[i].Name
			if other, dup := seen[cell]; dup {
				t.Errorf("at %d columns %q and %q both read %q", w, other, name, cell)
			}
			seen[cell] = name
			if m.overview.table.Columns()[colName].Width < differ[name]+2 {
				continue
			}
			if why := cutInsideEscape(tableName(name), cell); why != "" {
				t.Errorf("at %d columns %q reads %q: %s", w, name, cell, why)
			}
		}
	}
}
