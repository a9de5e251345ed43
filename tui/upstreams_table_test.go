package tui

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/exp/teatest"
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
		{"10.0.1.12:8080", 20, nameCut{8, true, 8}, "10.0.1.12:8080"},
		{"10.0.1.12:8080", 14, nameCut{8, true, 8}, "10.0.1.12:8080"},
		{"10.0.1.12:8080", 8, nameCut{8, true, 8}, "…12:8080"},
		{"10.0.1.12:8080", 7, nameCut{8, true, 8}, "…2:8080"},
		// Narrower than the shared ":8080" plus 2: a stretch from the
		// last octet (it read "…:8080" on every row).
		{"10.0.1.12:8080", 6, nameCut{8, true, 8}, "…12:8…"},
		{"10.0.1.12:8080", 5, nameCut{8, true, 8}, "…12:…"},
		{"10.0.1.12:8080", 4, nameCut{8, true, 8}, "…12…"},
		{"10.0.1.12:8080", 3, nameCut{8, true, 8}, "…2…"},
		{"10.0.1.12:8080", 2, nameCut{8, true, 8}, "…0"},
		{"10.0.1.12:8080", 1, nameCut{8, true, 8}, "…"},
		{"10.0.1.12:8080", 0, nameCut{8, true, 8}, ""},
		{"10.0.1.12:8080", 8, nameCut{}, "10.0.1.…"}, // no neighbour: the start
		{"10.0.3.31:8081", 6, nameCut{13, true, 13}, "…:8081"},
		{"10.0.3.31:8081", 6, nameCut{3, true, 3}, "10.0.…"}, // the end does not hold it, the start does
		{"10.0.3.31:8081", 6, nameCut{5, true, 5}, "…3.31…"},
		{"api-7f9c4.prod.svc.cluster.local:8080", 8, nameCut{4, false, 4}, "api-7f9…"},
		{"api-7f9c4.prod.svc.cluster.local:8080", 4, nameCut{4, false, 4}, "…7f…"},
		{"api-7f9c4.prod.svc.cluster.local:8080", 6, nameCut{36, false, 36}, "…:8080"}, // the start does not hold it, the end does
		{"日本語のホスト:80", 6, nameCut{23, true, 23}, "…ト:80"},
		{"日本語のホスト:80", 5, nameCut{23, true, 23}, "…:80"},                                      // it was "…ト:80", 6 cells
		{"ホスト1.ホスト2.ホスト:80", 8, nameCut{20, true, 20}, "…スト2.…"},                              // a wide character cut in two goes
		{"a.e\u0301e\u0301e\u03011.bbbbbbbb", 5, nameCut{11, false, 11}, "…e\u0301e\u03011…"}, // a mark goes with its letter
		{"b.example:80", 9, nameCut{11, true, 11}, "…ample:80"},
		// A host:port keeps its port, and a name that goes on after one
		// keeps the address (clipAddress); with too little room for the
		// rest, the name is cut as any other.
		{"10.0.1.12:8080", 11, nameCut{8, true, 8}, "…1.12:8080"},
		{"api-7f9c4.prod.svc.cluster.local:8080", 15, nameCut{0, false, 0}, "api-7f9c4…:8080"},
		{"api-7f9c4.prod.svc.cluster.local:8080", 10, nameCut{0, false, 0}, "api-7f9c4…"},
		{"[2001:db8::1]:8080", 12, nameCut{11, true, 11}, "…b8::1]:8080"},
		{"10.0.0.9:80\x1b[5A\x1b[31mRED\x1b[0m", 15, nameCut{35, true, 35}, `10.0.0.9:80…[0m`},
		{"10.0.0.9:80\x1b[5A\x1b[31mRED\x1b[0m", 20, nameCut{11, true, 11}, `10.0.0.9:80\x1b[5A…`}, // no "\" of the next escape
		{"10.0.0.9:80\x1b[5A\x1b[31mRED\x1b[0m", 14, nameCut{35, true, 35}, `…31mRED\x1b[0m`},
		{"unix:/run/app.sock", 10, nameCut{17, true, 17}, "…/app.sock"},
		// Escaped first, then cut: offsets are in the escaped name. A cut
		// falls at an escape's edge: it read "…202eevil:80".
		{"\u202eevil:80", 12, nameCut{12, true, 12}, `…evil:80`},
		{"10.0.1.\x1b[2J12:8080", 6, nameCut{15, true, 15}, `…2J12…`},
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
		{[]string{"10.0.1.11\u202e:8080", "10.0.1.12\u202e:8080"}, 6, []string{"…11…", "…12…"}},
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
// that differs. At 60 columns (then 8 cells, 7 since the 500 column)
// every row read "10.0.1.…" before the ends were kept; at 40 and 50 (6
// cells) every 10.0.x.y row still read "…:8080" or "…:3000", then
// "…12:8…", with no port. Below 59 columns the table leaves out p99, cause
// and app (and req/s below 46), so the name has 11 cells at 40 and 15 at
// 50, and a host:port keeps its port: "…1.12:8080", "api-7f9c4…:8080"
// (QA s29). At 60 columns p99 is left out for the names (s36), which then
// read "…1.12:8080", where "…2:8080" was 10.0.1.12 and 10.0.2.22 alike
// but for the port.
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
		{40, map[string]string{"10.0.1.11:8080": "…1.11:8080", "10.0.1.12:8080": "…1.12:8080", "10.0.2.22:3000": "…2.22:3000",
			"10.0.3.31:8081": "…3.31:8081", "-": "-", "api-7f9c4.prod.svc.cluster.local:8080": "api-7…:8080"}},
		{50, map[string]string{"10.0.1.11:8080": "10.0.1.11:8080", "10.0.1.12:8080": "10.0.1.12:8080", "10.0.2.22:3000": "10.0.2.22:3000",
			"10.0.3.31:8081": "10.0.3.31:8081", "-": "-", "api-7f9c4.prod.svc.cluster.local:8080": "api-7f9c4…:8080"}},
		{60, map[string]string{"10.0.1.11:8080": "…1.11:8080", "10.0.1.12:8080": "…1.12:8080", "10.0.2.22:3000": "…2.22:3000",
			"10.0.3.31:8081": "…3.31:8081", "-": "-", "api-7f9c4.prod.svc.cluster.local:8080": "api-7f9c4…"}},
		{80, map[string]string{"10.0.1.11:8080": "10.0.1.11:8080", "10.0.1.12:8080": "10.0.1.12:8080", "10.0.2.22:3000": "10.0.2.22:3000",
			"10.0.3.31:8081": "10.0.3.31:8081", "-": "-", "api-7f9c4.prod.svc.cluster.local:8080": "api-7f9c4…:8080"}},
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
		cols := upstreamColumns(w, "", false, 0)
		row := upstreamRow(" ", u, cols, false, nameCut{})
		got := []string{strings.TrimSpace(cols[col500].Title), strings.TrimSpace(row[col500]), strings.TrimSpace(row[col502]),
			strings.TrimSpace(row[col503]), strings.TrimSpace(row[col504]), strings.TrimSpace(row[colShare])}
		if want := []string{"500", "100", "0", "0", "0", "100%"}; !cmp.Equal(got, want) {
			t.Errorf("at %d cells: 500 title, then 500, 502, 503, 504, 5xx%% cells %q, want %q", w, got, want)
		}
		width := 0
		for _, c := range cols {
			if c.Width > 0 { // the table skips a column of width 0
				width += c.Width + 1
			}
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
		cols := upstreamColumns(w, "", false, 0)
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

// An upstream whose 5xx never reached an app (the demo's overload "-"
// row: 716 proxy_rejected; HAProxy's be_app/<NOSRV>: no_healthy_upstream)
// read "app log 0%", as if the app lines were missing: no app line is
// expected for them, so it reads "—" (QA s35 L3). A "-" whose 5xx include
// one an app may have made (an access log that names no upstream) keeps
// its share.
func TestUpstreamRowNoAppExpected(t *testing.T) {
	row := func(name string, causes map[classify.Cause]int64) classify.UpstreamStats {
		var n int64
		for _, k := range causes {
			n += k
		}
		u := upstream(name, 2*n, 1, map[int]int64{503: n}, classify.ProxyRejected, 0, n, 0)
		u.Windowed.Causes, u.Total.Causes, u.AppLog = causes, causes, true
		return u
	}
	cols := upstreamColumns(160, "", false, 0)
	for _, tc := range []struct {
		u    classify.UpstreamStats
		want string
	}{
		{row("-", map[classify.Cause]int64{classify.ProxyRejected: 716}), none},
		{row("be_app/<NOSRV>", map[classify.Cause]int64{classify.NoHealthyUpstream: 15, classify.ProxyRejected: 2}), none},
		{row("-", map[classify.Cause]int64{classify.ProxyRejected: 10, classify.AppError: 10}), "0%"},
	} {
		got := strings.TrimSpace(upstreamRow(" ", tc.u, cols, false, nameCut{})[colApp])
		if got != tc.want {
			t.Errorf("%s %v: app log %q, want %q", tc.u.Name, tc.u.Windowed.Causes, got, tc.want)
		}
	}
}

// hostileUpstreams are upstream names of QA s29's hostile replay: one
// address, then terminal attacks that tell the rows apart.
var hostileUpstreams = []string{
	"10.0.0.9:80\x1b]8;;http://evil.example/\x1b\\CLICKME\x1b]8;;\x1b\\",
	"10.0.0.9:80\u202eevil\u202c\u2066x\u2069",
	"10.0.0.9:80\x1b]0;PWNED-TITLE\x07",
	"10.0.0.9:80\x1b[5A\x1b[31mRED\x1b[0m",
	"10.0.0.9:80\x08\x08\x08\rBACK\x7fDEL\x0bVT\x0cFF",
	"10.0.1.11:8080", "10.0.1.12:8080",
}

// A name that starts with host:port and goes on keeps the address and is
// cut after it, where the rows differ: "10.0.0.9:80…\x1b[31mRED\x1b[0m".
// Cut from the front as the names that differ at their end are, every
// hostile row hid the address they share ("…0.0.9:80\x1b[5A…" at 120
// columns, "…EL\x0bVT\x0cFF" at 80, QA s29). At 40 columns (11 cells)
// what tells the rows apart is kept first.
func TestUpstreamNamesKeepTheirAddress(t *testing.T) {
	s := fixtureSnapshot(plainStrings)
	s.Upstreams = nil
	for _, n := range hostileUpstreams {
		s.Upstreams = append(s.Upstreams, upstream(n, 1000, 10, map[int]int64{502: 10}, classify.UpstreamRefused, 100, 10, 0))
	}
	for _, w := range []int{40, 80, 120} {
		t.Run(fmt.Sprint(w), func(t *testing.T) {
			m := newTestModel(t, newFakeSource(s), w, 40)
			seen := map[string]string{}
			for i, row := range m.overview.table.Rows() {
				cell, name := strings.TrimSpace(row[colName]), m.overview.rows[i].Name
				if other, dup := seen[cell]; dup {
					t.Errorf("%q and %q both read %q", other, name, cell)
				}
				seen[cell] = name
				if h := terminalHazard(cell); h != "" {
					t.Errorf("%q reads %q: %s", name, cell, h)
				}
				if w > 40 && strings.HasPrefix(name, "10.0.0.9:80") && !strings.HasPrefix(cell, "10.0.0.9:80") {
					t.Errorf("%q reads %q, without its address", name, cell)
				}
			}
			if t.Failed() {
				t.Logf("cells: %q", seen)
			}
		})
	}
}

// TestUpstreamNamesScreens renders the overview's table of the demo's
// addresses and the hostile names at 40, 80 and 120 columns (golden files
// in testdata/TestUpstreamNamesScreens).
func TestUpstreamNamesScreens(t *testing.T) {
	s := fixtureSnapshot(plainStrings)
	s.Upstreams = nil
	for i, n := range append([]string{"10.0.1.13:8080", "10.0.1.14:8080", "10.0.2.21:3000", "api-7f9c4.prod.svc.cluster.local:8080"}, hostileUpstreams...) {
		s.Upstreams = append(s.Upstreams, upstream(n, 1000, 10, map[int]int64{502: int64(10 + i)}, classify.UpstreamRefused, 100, 10, 0))
	}
	for _, w := range []int{40, 80, 120} {
		t.Run(fmt.Sprintf("%dx40", w), func(t *testing.T) {
			m := New(newFakeSource(s), Options{Title: "shop", Refresh: 20 * time.Millisecond})
			teatest.RequireEqualOutput(t, []byte(playScreen(t, m, w, 40, []screenStep{{"", "Upstreams by 5xx"}})))
		})
	}
}

// Names that share their start with some rows and their end with others
// (10.0.0.4:8080 beside 10.0.0.3:8080 and 10.0.1.4:8080) read apart at
// every width, and so do the causes: at 60 columns 10.0.0.4, 10.0.1.4 and
// 10.0.3.4 all read "…4:8080" and every cause "upstr…" or "app_e…"
// (QA s36 M4, 40 such upstreams).
func TestLikeNamesAndCausesStayDistinct(t *testing.T) {
	s := fixtureSnapshot(plainStrings)
	s.Upstreams = nil
	for i := range 42 {
		n := fmt.Sprintf("10.0.%d.%d:8080", i/10, i%10+1)
		c := classify.AllCauses[i%len(classify.AllCauses)]
		s.Upstreams = append(s.Upstreams, upstream(n, 1000, 10, map[int]int64{502: int64(10 + i)}, c, 100, int64(10+i), 0))
	}
	for w := 40; w <= 100; w++ {
		m := newTestModel(t, newFakeSource(s), w, 60)
		names, causes := map[string]string{}, map[string]classify.Cause{}
		for i, row := range m.overview.table.Rows() {
			u := m.overview.rows[i]
			name := strings.TrimSpace(row[colName])
			if other, dup := names[name]; dup {
				t.Errorf("at %d columns %s and %s both read %q", w, other, u.Name, name)
			}
			names[name] = u.Name
			if m.overview.table.Columns()[colCause].Width == 0 {
				continue
			}
			cause := strings.TrimSpace(row[colCause])
			if other, dup := causes[cause]; dup && other != u.DominantCause {
				t.Errorf("at %d columns %s and %s both read %q", w, other, u.DominantCause, cause)
			}
			causes[cause] = u.DominantCause
		}
		if cw := m.overview.table.Columns()[colCause].Width; w >= 60 && cw < 9 {
			t.Errorf("at %d columns the cause column has %d cells", w, cw)
		}
	}
}

// The cause column names what fails the upstream now: the cause of its
// last 20–30 s of 5xx (RecentCause), where the window's most frequent
// said upstream_timeout for 10 minutes of resets (QA s38 L1). With no 5xx
// then, the window's cause reads "was …"; cut to the column, "was" stays
// and "upstream_" goes first.
func TestUpstreamRowCauseIsTheRecentOne(t *testing.T) {
	now := upstream("127.0.0.1:18602", 747, 3.5, map[int]int64{502: 20, 504: 122}, classify.UpstreamTimeout, 1947, 142, 0)
	now.RecentCause = classify.UpstreamReset
	before := now
	before.RecentCause, before.CauseEarlier = "", true
	attempts := upstream("10.0.1.11:8080", 10, 1, nil, classify.UpstreamRefused, 0, 0, 0)
	for _, tc := range []struct {
		w    int
		u    classify.UpstreamStats
		want string
	}{
		{160, now, "upstream_reset"},
		{160, before, "was upstream_timeout"},
		{160, attempts, "upstream_refused"}, // a row with attempts alone: their cause, as before
		{60, now, "reset"},
		{60, before, "was time…"},
	} {
		cols := upstreamColumns(tc.w, "", false, 0)
		if got := strings.TrimSpace(upstreamRow(" ", tc.u, cols, false, nameCut{})[colCause]); got != tc.want {
			t.Errorf("at %d cells, recent %q earlier %v: cause %q, want %q", tc.w, tc.u.RecentCause, tc.u.CauseEarlier, got, tc.want)
		}
	}
	// Training mode hides the cause, not the mark.
	if got := strings.TrimSpace(upstreamRow(" ", before, upstreamColumns(160, "", false, 0), true, nameCut{})[colCause]); got != earlierMark+hiddenCause {
		t.Errorf("hidden: %q", got)
	}
}
