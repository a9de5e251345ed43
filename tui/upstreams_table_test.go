package tui

import (
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"fivexx/classify"
)

func TestClipName(t *testing.T) {
	for _, tc := range []struct {
		in   string
		w    int
		cut  nameCut
		want string
	}{
		{"10.0.1.12:8080", 20, nameCut{8, true}, "10.0.1.12:8080"},
		{"10.0.1.12:8080", 14, nameCut{8, true}, "10.0.1.12:8080"},
		{"10.0.1.12:8080", 8, nameCut{8, true}, "…12:8080"},
		{"10.0.1.12:8080", 7, nameCut{8, true}, "…2:8080"},
		// Narrower than the shared ":8080" plus 2: a stretch from the
		// last octet (it read "…:8080" on every row).
		{"10.0.1.12:8080", 6, nameCut{8, true}, "…12:8…"},
		{"10.0.1.12:8080", 5, nameCut{8, true}, "…12:…"},
		{"10.0.1.12:8080", 4, nameCut{8, true}, "…12…"},
		{"10.0.1.12:8080", 3, nameCut{8, true}, "…2…"},
		{"10.0.1.12:8080", 2, nameCut{8, true}, "…0"},
		{"10.0.1.12:8080", 1, nameCut{8, true}, "…"},
		{"10.0.1.12:8080", 0, nameCut{8, true}, ""},
		{"10.0.1.12:8080", 8, nameCut{}, "10.0.1.…"}, // no neighbour: the start
		{"10.0.3.31:8081", 6, nameCut{13, true}, "…:8081"},
		{"10.0.3.31:8081", 6, nameCut{3, true}, "10.0.…"}, // the end does not hold it, the start does
		{"10.0.3.31:8081", 6, nameCut{5, true}, "…3.31…"},
		{"api-7f9c4.prod.svc.cluster.local:8080", 8, nameCut{4, false}, "api-7f9…"},
		{"api-7f9c4.prod.svc.cluster.local:8080", 4, nameCut{4, false}, "…7f…"},
		{"api-7f9c4.prod.svc.cluster.local:8080", 6, nameCut{36, false}, "…:8080"}, // the start does not hold it, the end does
		{"日本語のホスト:80", 6, nameCut{23, true}, "…ト:80"},
		{"日本語のホスト:80", 5, nameCut{23, true}, "…:80"},                                      // it was "…ト:80", 6 cells
		{"ホスト1.ホスト2.ホスト:80", 8, nameCut{20, true}, "…スト2.…"},                              // a wide character cut in two goes
		{"a.e\u0301e\u0301e\u03011.bbbbbbbb", 5, nameCut{11, false}, "…e\u0301e\u03011…"}, // a mark goes with its letter
		{"b.example:80", 9, nameCut{11, true}, "…ample:80"},
		// Escaped first, then cut: offsets are in the escaped name.
		{"\u202eevil:80", 12, nameCut{12, true}, `…202eevil:80`},
		{"10.0.1.\x1b[2J12:8080", 6, nameCut{15, true}, `…2J12…`},
	} {
		got := clipName(tc.in, tc.w, tc.cut)
		if got != tc.want {
			t.Errorf("clipName(%q, %d, %+v) = %q, want %q", tc.in, tc.w, tc.cut, got, tc.want)
		}
		if w := lenCells(got); w > tc.w {
			t.Errorf("clipName(%q, %d, %+v) is %d cells", tc.in, tc.w, tc.cut, w)
		}
		if strings.ContainsAny(got, "\x1b\u202e") {
			t.Errorf("clipName(%q, %d, %+v) = %q holds a control", tc.in, tc.w, tc.cut, got)
		}
	}
}

// nameCuts measures the sanitized names, as clipName cuts them: a control
// in a name is an escape several cells wide, and a wide character several
// bytes long.
func TestNameCuts(t *testing.T) {
	for _, tc := range []struct {
		names []string
		w     int
		want  []string
	}{
		{[]string{"10.0.1.11:8080", "10.0.1.12:8080"}, 6, []string{"…11:8…", "…12:8…"}},
		{[]string{"\x1b[2J10.0.1.11:8080", "\x1b[2J10.0.1.12:8080"}, 6, []string{"…11:8…", "…12:8…"}},
		{[]string{"10.0.1.11\u202e:8080", "10.0.1.12\u202e:8080"}, 6, []string{`…11\u…`, `…12\u…`}},
		{[]string{"ホスト1.example:80", "ホスト2.example:80"}, 6, []string{"…ト1.…", "…ト2.…"}},
		{[]string{"svc-a.prod.example:80", "svc-b.prod.example:80"}, 6, []string{"svc-a…", "svc-b…"}},
	} {
		cuts := nameCuts(tc.names)
		var got []string
		for _, n := range tc.names {
			got = append(got, clipName(n, tc.w, cuts[n]))
		}
		if diff := cmp.Diff(tc.want, got); diff != "" {
			t.Errorf("%q in %d cells (-want +got):\n%s", tc.names, tc.w, diff)
		}
	}
}

// Every row reads differently, whatever the width: names told apart by
// their end keep it ("…12:8080"), names told apart by their start keep
// that, and a column too narrow for the end they differ in keeps the part
// that differs ("…12:8…"). At 60 columns (then 8 cells, 7 since the 500
// column) every row read "10.0.1.…" before the ends were kept; at 40 and
// 50 (6 cells) every 10.0.x.y row still read "…:8080" or "…:3000".
func TestUpstreamNamesStayDistinct(t *testing.T) {
	names := []string{"10.0.1.11:8080", "10.0.1.12:8080", "10.0.1.13:8080", "10.0.1.14:8080",
		"10.0.2.21:3000", "10.0.2.22:3000", "10.0.3.31:8081", "-",
		"api-7f9c4.prod.svc.cluster.local:8080", "web-8a1b2.prod.svc.cluster.local:8080"}
	s := fixtureSnapshot(plainStrings)
	s.Upstreams = nil
	for _, n := range names {
		s.Upstreams = append(s.Upstreams, upstream(n, 1000, 10, map[int]int64{502: 10}, classify.UpstreamRefused, 100, 10, 0))
	}
	for _, tc := range []struct {
		width int
		want  map[string]string
	}{
		{40, map[string]string{"10.0.1.11:8080": "…11:8…", "10.0.1.12:8080": "…12:8…", "10.0.2.22:3000": "…22:3…",
			"10.0.3.31:8081": "…:8081", "-": "-", "api-7f9c4.prod.svc.cluster.local:8080": "api-7…"}},
		{50, map[string]string{"10.0.1.11:8080": "…11:8…", "10.0.1.12:8080": "…12:8…", "10.0.2.22:3000": "…22:3…",
			"10.0.3.31:8081": "…:8081", "-": "-", "api-7f9c4.prod.svc.cluster.local:8080": "api-7…"}},
		{60, map[string]string{"10.0.1.11:8080": "…1:8080", "10.0.1.12:8080": "…2:8080", "10.0.2.22:3000": "…2:3000",
			"10.0.3.31:8081": "…1:8081", "-": "-", "api-7f9c4.prod.svc.cluster.local:8080": "api-7f…"}},
		{80, map[string]string{"10.0.1.11:8080": "10.0.1.11:8080", "10.0.1.12:8080": "10.0.1.12:8080", "10.0.2.22:3000": "10.0.2.22:3000",
			"10.0.3.31:8081": "10.0.3.31:8081", "-": "-", "api-7f9c4.prod.svc.cluster.local:8080": "api-7f9c4.prod…"}},
	} {
		t.Run(fmt.Sprint(tc.width), func(t *testing.T) {
			m := newTestModel(t, newFakeSource(s), tc.width, 40)
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
			if len(got) != len(names) {
				t.Errorf("%d rows, want %d", len(got), len(names))
			}
			for n, w := range tc.want {
				if got[n] != w {
					t.Errorf("%s reads %q, want %q", n, got[n], w)
				}
			}
			if t.Failed() {
				t.Logf("cells: %q", got)
			}
		})
	}
}

// An upstream whose 5xx are all 500s (an app_error upstream behind real
// nginx) read "0 0 0 100%": the table had 502, 503 and 504 columns only.
// Each width has its 500 column, and the status cells are the counts.
func TestUpstreamRowCounts500(t *testing.T) {
	u := upstream("127.0.0.1:21081", 100, 2.5, map[int]int64{500: 100}, classify.AppError, 3, 100, 0)
	for _, w := range []int{40, 60, 80, 120, 160} {
		cols := upstreamColumns(w)
		row := upstreamRow(" ", u, cols, false, nameCut{})
		got := []string{strings.TrimSpace(cols[col500].Title), strings.TrimSpace(row[col500]), strings.TrimSpace(row[col502]),
			strings.TrimSpace(row[col503]), strings.TrimSpace(row[col504]), strings.TrimSpace(row[colShare])}
		if want := []string{"500", "100", "0", "0", "0", "100%"}; !cmp.Equal(got, want) {
			t.Errorf("at %d cells: 500 title, then 500, 502, 503, 504, 5xx%% cells %q, want %q", w, got, want)
		}
		width := 0
		for _, c := range cols {
			width += c.Width + 1
		}
		if w >= 60 && width > w {
			t.Errorf("at %d cells the columns take %d", w, width)
		}
	}
}

// The app log column is the window's, as the status columns beside it:
// an upstream whose 20 refused 502s have left the window reads "—", not
// the "0%" of its whole history; one whose window holds 10 500s, all with
// app lines, reads 100%, not the 50% of its whole history (the QA's
// 20-minute replay).
func TestUpstreamRowAppLogIsTheWindows(t *testing.T) {
	refused := upstream("10.0.0.9:8080", 0, 0, nil, "", -1, 20, 0)
	refused.WindowFivexx, refused.WindowFivexxWithApp, refused.AppLog = 0, 0, true
	failing := upstream("10.0.0.1:8080", 300, 0.5, map[int]int64{500: 10}, classify.AppError, 3, 20, 10)
	failing.WindowFivexx, failing.WindowFivexxWithApp, failing.AppLog = 10, 10, true
	for _, w := range []int{60, 120} {
		cols := upstreamColumns(w)
		for _, tc := range []struct {
			u    classify.UpstreamStats
			want string
		}{{refused, none}, {failing, "100%"}} {
			row := upstreamRow(" ", tc.u, cols, false, nameCut{})
			if got := strings.TrimSpace(row[colApp]); got != tc.want {
				t.Errorf("at %d cells %s: app log %q, want %q", w, tc.u.Name, got, tc.want)
			}
		}
	}
}
