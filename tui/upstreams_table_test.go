package tui

import (
	"strings"
	"testing"

	"fivexx/classify"
)

func TestClipStart(t *testing.T) {
	for _, tc := range []struct {
		in   string
		w    int
		want string
	}{
		{"10.0.1.12:8080", 20, "10.0.1.12:8080"},
		{"10.0.1.12:8080", 14, "10.0.1.12:8080"},
		{"10.0.1.12:8080", 8, "…12:8080"},
		{"10.0.1.12:8080", 1, "…"},
		{"10.0.1.12:8080", 0, ""},
		{"日本語のホスト:80", 6, "…ト:80"},
		{"b.example:80", 9, "…ample:80"},
		{"\u202eevil:80", 12, `…202eevil:80`}, // escaped first, then cut
	} {
		got := clipStart(tc.in, tc.w)
		if got != tc.want {
			t.Errorf("clipStart(%q, %d) = %q, want %q", tc.in, tc.w, got, tc.want)
		}
		if w := lenCells(got); w > tc.w {
			t.Errorf("clipStart(%q, %d) is %d cells", tc.in, tc.w, w)
		}
	}
}

// At 60 columns the name column is 8 cells: names told apart by their end
// keep it ("…12:8080"), names told apart by their start keep that, and
// every row reads differently (they all read "10.0.1.…").
func TestUpstreamNamesStayDistinct(t *testing.T) {
	names := []string{"10.0.1.11:8080", "10.0.1.12:8080", "10.0.1.13:8080", "10.0.1.14:8080",
		"10.0.2.21:3000", "10.0.2.22:3000", "10.0.3.31:8081", "-",
		"api-7f9c4.prod.svc.cluster.local:8080", "web-8a1b2.prod.svc.cluster.local:8080"}
	s := fixtureSnapshot(plainStrings)
	s.Upstreams = nil
	for _, n := range names {
		s.Upstreams = append(s.Upstreams, upstream(n, 1000, 10, map[int]int64{502: 10}, classify.UpstreamRefused, 100, 10, 0))
	}
	m := newTestModel(t, newFakeSource(s), 60, 40)
	got := map[string]string{}
	seen := map[string]string{}
	for i, row := range m.overview.table.Rows() {
		cell := strings.TrimSpace(row[colName])
		name := m.overview.rows[i].Name
		got[name] = cell
		if other, dup := seen[cell]; dup {
			t.Errorf("%s and %s both read %q", other, name, cell)
		}
		seen[cell] = name
	}
	want := map[string]string{
		"10.0.1.12:8080":                        "…12:8080",
		"10.0.3.31:8081":                        "…31:8081",
		"-":                                     "-",
		"api-7f9c4.prod.svc.cluster.local:8080": "api-7f9…",
	}
	for n, w := range want {
		if got[n] != w {
			t.Errorf("%s reads %q, want %q", n, got[n], w)
		}
	}
	if t.Failed() {
		t.Logf("cells: %q", got)
	}
}
