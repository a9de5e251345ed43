package tui

import (
	"context"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/teatest"
	"github.com/google/go-cmp/cmp"

	"fivexx/classify"
	"fivexx/sources"
	"fivexx/sources/parsertest"
)

// otherFivexxSnapshot runs real nginx lines through the engine: 5xx of the
// statuses the window counts on its own (500, 502, 503, 504) and others,
// 501, 505 and Cloudflare's 520-530 that an nginx behind it passes on. On
// 10.0.0.1:8080 3 of its 8 5xx are others, on 10.0.0.2:8080 none, and
// 10.0.0.3:8080 answered 530s only.
func otherFivexxSnapshot(t *testing.T) *classify.Snapshot {
	t.Helper()
	at := time.Date(2026, 11, 21, 7, 39, 51, 0, time.UTC)
	var b strings.Builder
	n := 0
	lines := func(up string, statuses ...int) {
		for _, st := range statuses {
			fmt.Fprintf(&b, `127.0.0.1 - - [%s] "GET /r%d HTTP/1.1" %d 3 "-" "fivexx-test/1" rt=0.010 uct="0.000" uht="0.010" urt="0.010" ua="%s" us="%d" rid=%032x cid=2`+"\n",
				at.Add(time.Duration(n)*time.Second).Format("02/Jan/2006:15:04:05 -0700"), n, st, up, st, n+1)
			n++
		}
	}
	lines("10.0.0.1:8080", 200, 500, 501, 200, 502, 503, 200, 504, 505, 502, 200, 520, 200)
	lines("10.0.0.2:8080", 200, 502, 200, 200)
	lines("10.0.0.3:8080", 530, 530)
	path := filepath.Join(t.TempDir(), "access.log")
	parsertest.WriteFiles(t, map[string]string{path: b.String()})
	ins := []*sources.Input{sources.NewInput(0, sources.Spec{Path: path, Opts: sources.ParserOptions{Location: time.UTC}})}
	wall := at.Add(time.Minute)
	eng := classify.NewEngine(classify.Config{Inputs: ins, Timeline: true, Grace: 5 * time.Second, Now: func() time.Time { return wall }})
	for i, err := range sources.MergeEach(context.Background(), ins, eng.Feed) {
		if err != nil {
			t.Fatalf("%s: %v", ins[i].Spec.Path, err)
		}
	}
	eng.Flush()
	s := eng.Publish(false)
	if s.Windowed.Requests != 19 || s.Windowed.Fivexx() != 11 || s.Windowed.OtherFivexx != 5 {
		t.Fatalf("window: %d requests, %d 5xx, %d others; want 19, 11, 5: the test tells nothing",
			s.Windowed.Requests, s.Windowed.Fivexx(), s.Windowed.OtherFivexx)
	}
	return s
}

// A window of 5xx whose status the window does not count on its own
// (Cloudflare's 520-530, 501, 505) showed them nowhere but in the 5xx
// share: a row of 530s read "0 0 0 0 100%", and the rates pane's rows
// added up to less than its title's 5xx share (QA s31: 37 % beside 84 %).
// The table has an oth column for them and the rates pane an oth row,
// between 504 and 429; at 40 columns the table leaves oth out for the
// name (upstreamColumns), the rates pane keeps its row.
func TestOtherFivexxScreens(t *testing.T) {
	s := otherFivexxSnapshot(t)
	for _, sz := range [][2]int{{80, 24}, {120, 40}, {59, 24}, {40, 24}} {
		t.Run(fmt.Sprintf("overview/%dx%d", sz[0], sz[1]), func(t *testing.T) {
			m := New(newFakeSource(s), Options{Title: "shop", Refresh: 20 * time.Millisecond})
			view := playScreen(t, m, sz[0], sz[1], []screenStep{{"", "Upstreams by 5xx"}})
			teatest.RequireEqualOutput(t, []byte(view))
			plain := ansi.Strip(view)
			if n := strings.Count(plain, "\n") + 1; n > sz[1] {
				t.Errorf("%d lines in %d", n, sz[1])
			}
			for i, l := range strings.Split(plain, "\n") {
				if w := ansi.StringWidth(l); w > sz[0] {
					t.Errorf("line %d is %d cells wide: %q", i, w, l)
				}
			}
			// The rates pane: the oth row after 504, its share 5/19,
			// and the 5xx rows adding up to the title's 11/19.
			rows := map[string]string{}
			var order []string
			for _, l := range strings.Split(plain, "\n") {
				f := strings.Fields(l)
				if len(f) >= 3 && slices.Contains([]string{"500", "502", "503", "504", "oth", "429"}, f[0]) && strings.HasSuffix(f[1], "/s") {
					rows[f[0]], order = f[2], append(order, f[0])
				}
			}
			if want := []string{"500", "502", "503", "504", "oth", "429"}; !slices.Equal(order, want) {
				t.Errorf("rates rows %q, want %q", order, want)
			}
			if rows["oth"] != "26%" || !strings.Contains(plain, "5xx 58%") {
				t.Errorf("rates: oth %q (want 26%%), title share 58%% in it: %v", rows["oth"], strings.Contains(plain, "5xx 58%"))
			}
			// The table: oth counts each row's others, but at 40 columns.
			if sz[0] == 40 {
				if strings.Contains(tableHeader(plain), " oth") {
					t.Errorf("oth column at 40 columns:\n%s", plain)
				}
				return
			}
			got := map[string][]string{}
			for _, l := range strings.Split(plain, "\n") {
				f := strings.Fields(strings.TrimLeft(l, " ›"))
				if len(f) > 0 && strings.HasPrefix(f[0], "10.0.0.") || len(f) > 0 && strings.HasPrefix(f[0], "…") {
					got[f[0]] = f[1:]
				}
			}
			cells := func(name string) []string { // 500 502 503 504 oth 5xx%
				for n, f := range got {
					if strings.HasSuffix(name, strings.TrimPrefix(n, "…")) {
						i := slices.IndexFunc(f, func(c string) bool { return strings.HasSuffix(c, "%") })
						if i >= 6 {
							return f[i-5 : i+1]
						}
					}
				}
				return nil
			}
			for name, want := range map[string][]string{
				"10.0.0.1:8080": {"1", "2", "1", "1", "3", "62%"},
				"10.0.0.2:8080": {"0", "1", "0", "0", "0", "25%"},
				"10.0.0.3:8080": {"0", "0", "0", "0", "2", "100%"},
			} {
				if got := cells(name); !slices.Equal(got, want) {
					t.Errorf("%s: 500 502 503 504 oth 5xx%% %q, want %q", name, got, want)
				}
			}
		})
	}
}

// tableHeader is the upstream table's header line of a plain screen.
func tableHeader(screen string) string {
	for _, l := range strings.Split(screen, "\n") {
		if strings.Contains(l, "5xx%") && strings.Contains(l, "upstre") {
			return l
		}
	}
	return ""
}

// The oth column counts a row's Windowed.OtherFivexx, at every width but
// the narrowest (under 45 columns, where the name keeps its 11 cells);
// without other 5xx the column has no width and the others keep theirs.
func TestUpstreamRowCountsOtherFivexx(t *testing.T) {
	u := upstream("10.0.1.12:8080", 100, 2.5, map[int]int64{500: 2, 502: 3}, classify.UpstreamRefused, 3, 10, 0)
	u.Windowed.OtherFivexx = 5
	for _, w := range []int{40, 44, 45, 50, 59, 63, 64, 80, 119, 120, 160} {
		cols := upstreamColumns(w, otherTitle, false, 0)
		row := upstreamRow(" ", u, cols, false, nameCut{})
		width := 0
		for _, c := range cols {
			if c.Width > 0 {
				width += c.Width + 1
			}
		}
		if width > w {
			t.Errorf("at %d cells the columns take %d", w, width)
		}
		// As before oth: 11 cells where the other columns were left
		// out for it (below 59 columns), else at least 6.
		if n := cols[colName].Width; n < 6 || w < 59 && n < 11 {
			t.Errorf("at %d cells the name has %d", w, n)
		}
		got := []string{strings.TrimSpace(cols[colOther].Title), strings.TrimSpace(row[colOther]), strings.TrimSpace(row[colShare])}
		want := []string{"oth", "5", "10%"}
		if w < 45 {
			want = []string{"", "", "10%"}
		}
		if !cmp.Equal(got, want) {
			t.Errorf("at %d cells: oth title, oth and 5xx%% cells %q, want %q", w, got, want)
		}

		without := upstreamColumns(w, "", false, 0)
		if without[colOther].Width != 0 {
			t.Errorf("at %d cells without other 5xx the oth column has %d cells", w, without[colOther].Width)
		}
	}
}

// The rates pane's oth row: per second the series' 5xx but 500-504
// (Bucket.S5xx less the four), its share the window's OtherFivexx; a
// window without them has no such row, in the pane and in its one-line
// form.
func TestRatesPaneOtherFivexxRow(t *testing.T) {
	st := DefaultStyles()
	s := &classify.Snapshot{Window: 5 * time.Minute, Windowed: classify.Counts{
		Requests: 200, Status: map[int]int64{200: 140, 500: 10, 502: 20}, OtherFivexx: 30}}
	for i := 0; i < 20; i++ {
		b := classify.Bucket{Time: logNow.Add(time.Duration(i-19) * time.Second), Requests: 10, S500: 1, S502: 1}
		b.S5xx = b.S500 + b.S502 + 2 // a 520 and a 501
		s.Series = append(s.Series, b)
	}
	pane := ansi.Strip(ratesView(s, 60, &st))
	var oth string
	for _, l := range strings.Split(pane, "\n") {
		if f := strings.Fields(l); len(f) >= 3 && f[0] == "oth" {
			oth = f[1] + " " + f[2]
		}
	}
	if oth != "2.0/s 15%" || !strings.Contains(pane, "5xx 30%") || strings.Count(pane, "\n") != ratesPaneHeight(s)-1 {
		t.Errorf("oth row %q (want 2.0/s 15%%), title 5xx 30%%, %d lines (want %d):\n%s", oth, strings.Count(pane, "\n")+1, ratesPaneHeight(s), pane)
	}
	if line := ansi.Strip(ratesLineView(s, 160, &st)); !strings.Contains(line, "502 1.0/s · oth 2.0/s · all") {
		t.Errorf("rates line: %q", line)
	}

	s.Windowed.OtherFivexx = 0
	for i := range s.Series {
		s.Series[i].S5xx = 2
	}
	pane = ansi.Strip(ratesView(s, 60, &st))
	if strings.Contains(pane, "oth") || strings.Count(pane, "\n")+1 != 7 {
		t.Errorf("without other 5xx:\n%s", pane)
	}
	if line := ansi.Strip(ratesLineView(s, 160, &st)); strings.Contains(line, "oth") {
		t.Errorf("rates line without other 5xx: %q", line)
	}
}

// A filter with a status the window does not count on its own (/530)
// keeps the upstream rows with a recent 5xx of it in the window: their
// verdicts carry the status (verdictMatches), where the rows' counts
// (Windowed.Status) do not. ? help says oth only when the window has them.
func TestOtherFivexxFilterAndHelp(t *testing.T) {
	s := otherFivexxSnapshot(t)
	for filter, want := range map[string][]string{
		"530": {"10.0.0.3:8080"},
		"501": {"10.0.0.1:8080"},
		"520": {"10.0.0.1:8080"},
	} {
		keys := []string{"/"}
		for _, r := range filter {
			keys = append(keys, string(r))
		}
		m := send(newTestModel(t, newFakeSource(s), 120, 35), append(keys, "enter")...)
		var rows []string
		for _, u := range m.overview.rows {
			rows = append(rows, u.Name)
		}
		slices.Sort(rows)
		if !slices.Equal(rows, want) {
			t.Errorf("/%s keeps %q, want %q", filter, rows, want)
		}
	}

	km, st := defaultKeyMap(), DefaultStyles()
	labels := func(s *classify.Snapshot) int {
		content := ansi.Strip(helpContent(&km, &st, s, lesson{}, 160))
		n := 0
		for _, l := range strings.Split(content, "\n") {
			if strings.HasPrefix(strings.TrimSpace(l), "oth ") {
				n++
			}
		}
		return n
	}
	if n := labels(s); n != 2 {
		t.Errorf("help says oth %d times with other 5xx, want 2 (rates, table)", n)
	}
	if n := labels(fixtureSnapshot(plainStrings)); n != 0 {
		t.Errorf("help says oth %d times without other 5xx", n)
	}
}

// "oth" named no code: its row, its column and ? help did not say which
// statuses they were (Cloudflare's 530, a 501?). When all that was read
// has one such status, the row and the column are named by it; with
// several they stay "oth" and ? help lists them with their counts, as it
// does the one.
func TestOtherFivexxNamesItsCodes(t *testing.T) {
	st, km := DefaultStyles(), defaultKeyMap()
	several := otherFivexxSnapshot(t) // 501, 505, 520 once, 530 twice
	one := &classify.Snapshot{Window: 5 * time.Minute,
		Windowed: classify.Counts{Requests: 20, Status: map[int]int64{200: 17, 502: 1}, OtherFivexx: 2},
		Total:    classify.Counts{Requests: 40, Status: map[int]int64{200: 35, 502: 3, 530: 2}},
	}
	for i := 0; i < 20; i++ {
		b := classify.Bucket{Time: logNow.Add(time.Duration(i-19) * time.Second), Requests: 1}
		if i >= 18 {
			b.S5xx = 1 // the two 530s
		}
		one.Series = append(one.Series, b)
	}
	for _, tc := range []struct {
		name  string
		s     *classify.Snapshot
		label string
		codes string
	}{
		{"one status", one, "530", "In all that was read: 530 ×2"},
		{"several statuses", several, "oth", "In all that was read: 501 ×1, 505 ×1, 520 ×1, 530 ×2"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var row string
			for _, l := range strings.Split(ansi.Strip(ratesView(tc.s, 60, &st)), "\n") {
				if f := strings.Fields(l); len(f) >= 3 && strings.HasSuffix(f[1], "/s") && (f[0] == "oth" || f[0] == "530") {
					row = f[0]
				}
			}
			title := strings.TrimSpace(upstreamColumns(80, otherLabel(tc.s), false, 0)[colOther].Title)
			if row != tc.label || title != tc.label {
				t.Errorf("rates row %q, table column %q; want %q", row, title, tc.label)
			}
			help := strings.Join(strings.Fields(ansi.Strip(helpContent(&km, &st, tc.s, lesson{}, 160))), " ")
			if n := strings.Count(help, tc.codes); n != 2 {
				t.Errorf("help says %q %d times, want 2 (rates, table):\n%s", tc.codes, n, help)
			}
			// Named 530, the row is not "the other 5xx … the rows do not
			// name" (review s33, R6); named oth, it is.
			other := strings.Count(help, "the rows do not name") + strings.Count(help, "its other 5xx")
			named := strings.Count(help, "the one status from 500 to 599 read")
			if tc.label != otherTitle && (other != 0 || named != 2 || !strings.Contains(help, "530 the 530s: ") || !strings.Contains(help, "530 its 530s in the window")) ||
				tc.label == otherTitle && (other != 2 || named != 0) {
				t.Errorf("help of the %s row and column:\n%s", tc.label, help)
			}
		})
	}
}
