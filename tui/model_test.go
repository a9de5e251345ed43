package tui

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
	"github.com/google/go-cmp/cmp"
	"github.com/muesli/termenv"

	"fivexx/classify"
	"fivexx/sources"
)

func init() {
	// No styling at all in tests: golden files stay readable and any ESC in
	// a View can only come from a log string.
	lipgloss.SetColorProfile(termenv.Ascii)
}

// newTestModel is a model of the fixture at w×h with a fixed clock.
func newTestModel(t *testing.T, src Source, w, h int) Model {
	t.Helper()
	m := New(src, Options{Title: "shop", Refresh: time.Hour})
	m.now = func() time.Time { return logNow }
	mm, _ := m.Update(tea.WindowSizeMsg{Width: w, Height: h})
	return mm.(Model)
}

// send presses keys in order, delivering navigation messages.
func send(m Model, keys ...string) Model {
	var tm tea.Model = m
	for _, k := range keys {
		tm = press(tm, k)
	}
	return tm.(Model)
}

// indexOf is the row of the upstream table holding name.
func indexOf(t *testing.T, m Model, name string) int {
	t.Helper()
	for i, u := range m.overview.rows {
		if u.Name == name {
			return i
		}
	}
	t.Fatalf("upstream %q not in the table", name)
	return -1
}

// downTo moves the table cursor to name.
func downTo(t *testing.T, m Model, name string) Model {
	t.Helper()
	for m.overview.table.Cursor() < indexOf(t, m, name) {
		m = send(m, "j")
	}
	for m.overview.table.Cursor() > indexOf(t, m, name) {
		m = send(m, "k")
	}
	return m
}

func TestQuit(t *testing.T) {
	for _, k := range []string{"q", "ctrl+c"} {
		t.Run(k, func(t *testing.T) {
			m := newTestModel(t, newFakeSource(fixtureSnapshot(plainStrings)), 80, 24)
			_, cmd := m.Update(keyMsg(k))
			if cmd == nil {
				t.Fatal("no command")
			}
			if _, ok := cmd().(tea.QuitMsg); !ok {
				t.Errorf("%s does not quit", k)
			}
		})
	}
}

// ctrl+z suspends fivexx to the shell (tea.Suspend: the terminal is given
// back, fg resumes), from the overview, a drill-down, help and the filter
// being typed: in raw mode the terminal sends it as a key, and it did
// nothing.
func TestCtrlZSuspends(t *testing.T) {
	for _, keys := range [][]string{nil, {"enter"}, {"?"}, {"/", "a"}} {
		m := newTestModel(t, newFakeSource(fixtureSnapshot(plainStrings)), 80, 24)
		m = send(m, keys...)
		_, cmd := m.Update(keyMsg("ctrl+z"))
		if cmd == nil {
			t.Errorf("after %q: ctrl+z gives no command", keys)
			continue
		}
		if _, ok := cmd().(tea.SuspendMsg); !ok {
			t.Errorf("after %q: ctrl+z does not suspend", keys)
		}
	}
}

// A replay is held before fivexx suspends and goes on when it resumes:
// paced by the wall clock, it played the minute it was stopped at once.
func TestCtrlZHoldsTheReplay(t *testing.T) {
	for _, keys := range [][]string{nil, {"/", "a"}} {
		src := &fakeReplay{fakeSource: newFakeSource(fixtureSnapshot(plainStrings)), state: ReplayState{Speed: "1×"}}
		m := newTestModel(t, src, 80, 24)
		m = send(m, keys...)
		_, cmd := m.Update(keyMsg("ctrl+z"))
		if cmd == nil {
			t.Fatalf("after %q: ctrl+z gives no command", keys)
		}
		if _, ok := cmd().(tea.SuspendMsg); !ok {
			t.Errorf("after %q: ctrl+z does not suspend", keys)
		}
		if got := src.callsMade(); !slices.Equal(got, []string{"suspend"}) {
			t.Errorf("after %q: ctrl+z called %q of the replay, want it held before the suspend", keys, got)
		}
		_, cmd = m.Update(tea.ResumeMsg{})
		if cmd == nil {
			t.Fatalf("after %q: resuming gives no command", keys)
		}
		cmd()
		if got := src.callsMade(); !slices.Equal(got, []string{"suspend", "resume"}) {
			t.Errorf("after %q, fg: calls %q, want the replay to go on", keys, got)
		}
	}
}

func TestNavigation(t *testing.T) {
	m := newTestModel(t, newFakeSource(fixtureSnapshot(plainStrings)), 80, 24)
	m = downTo(t, m, "10.0.0.1:8080")
	steps := []struct {
		key      string
		wantPage page
		wantText string
	}{
		{"enter", pageUpstream, "▸ upstream 10.0.0.1:8080"},
		{"enter", pageDetail, "▸ request 502 GET /api/orders?id=42"},
		{"?", pageHelp, "▸ help"},
		{"?", pageDetail, "▸ request 502 GET /api/orders?id=42"},
		{"esc", pageUpstream, "▸ upstream 10.0.0.1:8080"},
		{"j", pageUpstream, "› 03:04:03 502 upstream_refused"},
		{"enter", pageDetail, "▸ request 502 GET /api/cart"},
		{"backspace", pageUpstream, "▸ upstream 10.0.0.1:8080"},
		{"esc", pageOverview, "▸ Upstreams"},
		{"esc", pageOverview, "▸ Upstreams"},
		{"tab", pageOverview, "▸ Causes"},
		{"enter", pageUpstream, "▸ cause upstream_refused"},
		{"esc", pageOverview, "▸ Causes"},
		{"j", pageOverview, "› upstream_reset"},
		{"enter", pageUpstream, "▸ cause upstream_reset"},
		{"enter", pageDetail, "▸ request 502 POST /api/checkout"},
		{"esc", pageUpstream, "▸ cause upstream_reset"},
		{"esc", pageOverview, "› upstream_reset"},
		{"shift+tab", pageOverview, "▸ Upstreams"},
	}
	for i, s := range steps {
		m = send(m, s.key)
		if m.page() != s.wantPage {
			t.Fatalf("step %d (%s): page %d, want %d", i, s.key, m.page(), s.wantPage)
		}
		if v := m.View(); !strings.Contains(v, s.wantText) {
			t.Fatalf("step %d (%s): view lacks %q:\n%s", i, s.key, s.wantText, v)
		}
	}
}

func TestDetailShowsVerdict(t *testing.T) {
	m := newTestModel(t, newFakeSource(fixtureSnapshot(plainStrings)), 160, 80)
	m = send(downTo(t, m, "10.0.0.3:8080"), "enter", "enter")
	v := m.View()
	for _, want := range []string{
		"app_unavailable · confidence medium",
		"matched by  request id",
		`"msg":"maintenance mode: refusing request"`,
		"App lines (1)",
		"▶ 03:03:25.210 app",
		"Timeline (±5 s, 4 lines; ▶ = this request)",
		"hint        app said 503 on purpose",
	} {
		if !strings.Contains(v, want) {
			t.Errorf("detail lacks %q:\n%s", want, v)
		}
	}
	m = send(m, "esc", "esc")
	m = send(downTo(t, m, "10.0.0.1:8080"), "enter", "enter")
	if v := m.View(); !strings.Contains(v, "no app line within ±2 s") {
		t.Errorf("detail without app lines does not say so:\n%s", v)
	}
}

func TestDetailScrolls(t *testing.T) {
	m := newTestModel(t, newFakeSource(fixtureSnapshot(plainStrings)), 80, 24)
	m = send(downTo(t, m, "10.0.0.1:8080"), "enter", "enter")
	if m.detail.vp.YOffset != 0 {
		t.Fatalf("detail opens at offset %d", m.detail.vp.YOffset)
	}
	m = send(m, "j", "j")
	if m.detail.vp.YOffset != 2 {
		t.Errorf("after j j offset %d, want 2", m.detail.vp.YOffset)
	}
	m = send(m, "G")
	if !m.detail.vp.AtBottom() {
		t.Error("G does not reach the bottom")
	}
	m = send(m, "g")
	if m.detail.vp.YOffset != 0 {
		t.Error("g does not reach the top")
	}
}

func TestFilter(t *testing.T) {
	m := newTestModel(t, newFakeSource(fixtureSnapshot(plainStrings)), 80, 24)
	names := func(m Model) []string {
		var out []string
		for _, u := range m.overview.rows {
			out = append(out, u.Name)
		}
		return out
	}
	m = send(m, "/", "5", "0", "4")
	if !m.filtering {
		t.Fatal("/ does not open the filter")
	}
	if diff := cmp.Diff([]string{"10.0.0.2:8080"}, names(m)); diff != "" {
		t.Errorf("status filter applies as typed (-want +got):\n%s", diff)
	}
	m = send(m, "enter")
	if m.filtering || m.filterValue() != "504" {
		t.Fatalf("enter does not keep the filter: filtering %v, value %q", m.filtering, m.filterValue())
	}
	if v := m.View(); !strings.Contains(v, "1 of 6 match") || !strings.Contains(v, "/504") {
		t.Errorf("view does not show the filter:\n%s", v)
	}
	// q is text while typing, not quit.
	m = send(m, "/")
	var tm tea.Model
	tm, cmd := m.Update(keyMsg("q"))
	m = tm.(Model)
	if cmd != nil {
		if _, ok := cmd().(tea.QuitMsg); ok {
			t.Fatal("q quits while typing a filter")
		}
	}
	m = send(m, "esc")
	if m.filterValue() != "504" {
		t.Errorf("esc while typing does not restore the filter: %q", m.filterValue())
	}
	m = send(m, "esc")
	if m.filterValue() != "" || len(m.overview.rows) != 6 {
		t.Errorf("esc on the overview does not clear the filter: %q, %d rows", m.filterValue(), len(m.overview.rows))
	}

	// Filtering by cause and path reaches the causes and the drill-down.
	m = send(m, "/")
	m = send(m, strings.Split("refused", "")...)
	m = send(m, "enter")
	if diff := cmp.Diff([]string{"10.0.0.1:8080"}, names(m)); diff != "" {
		t.Errorf("cause filter (-want +got):\n%s", diff)
	}
	if len(m.overview.causes) != 1 || m.overview.causes[0].cause != classify.UpstreamRefused {
		t.Errorf("causes pane not filtered: %+v", m.overview.causes)
	}
	// A path keeps the upstreams and causes with recent 5xx on it (help
	// says the filter takes a path; the overview matched none), and their
	// drill-downs list those 5xx.
	m = send(m, "esc", "/")
	m = send(m, strings.Split("/api/checkout", "")...)
	m = send(m, "enter")
	if diff := cmp.Diff([]string{"10.0.0.2:8080"}, names(m)); diff != "" {
		t.Errorf("path filter, upstreams (-want +got):\n%s", diff)
	}
	var causes []classify.Cause
	for _, c := range m.overview.causes {
		causes = append(causes, c.cause)
	}
	if diff := cmp.Diff([]classify.Cause{classify.UpstreamReset, classify.AppError}, causes); diff != "" {
		t.Errorf("path filter, causes (-want +got):\n%s", diff)
	}
	if v := m.View(); !strings.Contains(v, "1 of 6 match") {
		t.Errorf("path filter: the table title does not count the match:\n%s", v)
	}
	m = send(m, "enter")
	if got := len(m.upstream.items); got != 2 {
		t.Errorf("10.0.0.2:8080 has 2 recent 5xx on /api/checkout, the list holds %d", got)
	}
	m = send(m, "esc", "tab", "enter")
	if got := len(m.upstream.items); m.upstream.cause != classify.UpstreamReset || got != 1 {
		t.Errorf("cause %s with /api/checkout holds %d, want upstream_reset with 1", m.upstream.cause, got)
	}
	m = send(m, "esc", "shift+tab", "/", "backspace", "backspace", "backspace", "backspace", "backspace", "backspace", "backspace", "backspace")
	m = send(m, strings.Split("cart", "")...)
	m = send(m, "enter")
	if diff := cmp.Diff([]string{"10.0.0.1:8080"}, names(m)); diff != "" {
		t.Errorf("/api/cart (-want +got):\n%s", diff)
	}
	m = send(m, "esc", "/")
	m = send(m, strings.Split("/nowhere", "")...)
	m = send(m, "enter")
	if len(m.overview.rows) != 0 || len(m.overview.causes) != 0 {
		t.Errorf("a path no 5xx was on keeps %v and %d causes", names(m), len(m.overview.causes))
	}
}

func TestFilterInDrillDown(t *testing.T) {
	m := newTestModel(t, newFakeSource(fixtureSnapshot(plainStrings)), 80, 24)
	m = send(downTo(t, m, "10.0.0.2:8080"), "enter")
	if got := len(m.upstream.items); got != 3 {
		t.Fatalf("10.0.0.2:8080 has %d recent 5xx, want 3", got)
	}
	m = send(m, "/", "5", "0", "0", "enter")
	if got := len(m.upstream.items); got != 1 || m.upstream.items[0].Entry.Status != 500 {
		t.Errorf("filter 500 in the drill-down keeps %d items", got)
	}
	m = send(m, "/", "backspace", "backspace", "backspace", "enter")
	if got := len(m.upstream.items); got != 3 {
		t.Errorf("clearing the filter keeps %d items, want 3", got)
	}
}

// A 5xx whose access line names no upstream (default nginx combined, a
// request no upstream was tried for) has Upstream "" and counts in the row
// "-", as the stats name it. Keyed by the bare Upstream, a path filter hid
// that row ("0 of 1 match · none") and its drill-down said "no recent 5xx
// here".
func TestDashRowKeepsItsFivexx(t *testing.T) {
	for _, tc := range []struct {
		filter    string
		wantRows  []string
		wantItems int // in the drill-down of "-"
	}{
		{"", []string{"10.0.0.1:8080", "10.0.0.2:8080", "backend_pool", "-", "10.0.0.3:8080", "10.0.0.4:8080"}, 1},
		{"/api/login", []string{"-"}, 1},
		{"POST", []string{"10.0.0.2:8080", "-"}, 1},
		{"/api/cart", []string{"10.0.0.1:8080"}, 0},
	} {
		t.Run("filter "+tc.filter, func(t *testing.T) {
			m := newTestModel(t, newFakeSource(fixtureSnapshot(plainStrings)), 80, 24)
			if tc.filter != "" {
				m = send(m, "/")
				m = send(m, strings.Split(tc.filter, "")...)
				m = send(m, "enter")
			}
			var rows []string
			for _, u := range m.overview.rows {
				rows = append(rows, u.Name)
			}
			if diff := cmp.Diff(tc.wantRows, rows); diff != "" {
				t.Errorf("rows (-want +got):\n%s", diff)
			}
			if !slices.Contains(rows, "-") {
				return
			}
			m = send(downTo(t, m, "-"), "enter")
			if got := len(m.upstream.items); got != tc.wantItems {
				t.Errorf("drill-down of -: %d recent 5xx, want %d:\n%s", got, tc.wantItems, m.View())
			}
		})
	}
	// The cause drill-down names the row too.
	m := newTestModel(t, newFakeSource(fixtureSnapshot(plainStrings)), 80, 24)
	m = send(m, "/")
	m = send(m, strings.Split("rate_limited", "")...)
	m = send(m, "enter", "tab", "enter")
	if v := m.View(); m.upstream.cause != classify.ProxyRejected || !strings.Contains(v, "› 03:03:04 503 proxy_rejected   high   -        POST /api/login") {
		t.Errorf("cause drill-down of proxy_rejected does not list its 5xx in the row -:\n%s", v)
	}
}

func TestPause(t *testing.T) {
	src := newFakeSource(fixtureSnapshot(plainStrings))
	m := newTestModel(t, src, 80, 24)
	first := m.snap
	m = send(m, "p")
	if !m.paused || !strings.Contains(m.View(), "FROZEN") {
		t.Fatal("p does not pause")
	}
	next := fixtureSnapshot(plainStrings)
	next.LogNow = logNow.Add(time.Minute)
	src.set(next)
	tm, cmd := m.Update(fetch(src, nil, nil, m.tag))
	m = tm.(Model)
	if m.snap != first {
		t.Error("paused display took a new snapshot")
	}
	if cmd == nil {
		t.Error("tick not re-armed while paused")
	}
	oldTag := m.tag
	tm, cmd = m.Update(keyMsg("p"))
	m = tm.(Model)
	if m.paused || m.tag == oldTag {
		t.Fatalf("p does not resume with a new tick chain: paused %v, tag %d", m.paused, m.tag)
	}
	// The tick of the old chain is stale and dropped.
	tm, stale := m.Update(fetch(src, nil, nil, oldTag))
	m = tm.(Model)
	if stale != nil || m.snap != first {
		t.Error("stale tick was not dropped")
	}
	tm, _ = m.Update(cmd())
	m = tm.(Model)
	if m.snap != next {
		t.Error("resume does not fetch the latest snapshot")
	}
	if strings.Contains(m.View(), "FROZEN") {
		t.Error("FROZEN badge after resume")
	}
}

func TestWindowKeys(t *testing.T) {
	tests := []struct {
		name string
		keys []string
		gaps []time.Duration // before each key
		want []time.Duration
	}{
		{"one", []string{"1"}, []time.Duration{0}, []time.Duration{time.Minute}},
		{"five", []string{"5"}, []time.Duration{0}, []time.Duration{5 * time.Minute}},
		{"fifteen", []string{"1", "5"}, []time.Duration{0, 200 * time.Millisecond},
			[]time.Duration{time.Minute, 15 * time.Minute}},
		{"one then five, slowly", []string{"1", "5"}, []time.Duration{0, 2 * time.Second},
			[]time.Duration{time.Minute, 5 * time.Minute}},
		{"another key breaks the chord", []string{"1", "j", "5"}, []time.Duration{0, 0, 100 * time.Millisecond},
			[]time.Duration{time.Minute, 5 * time.Minute}},
		{"same window twice asks once", []string{"5", "5"}, []time.Duration{0, 3 * time.Second},
			[]time.Duration{5 * time.Minute}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := newFakeSource(fixtureSnapshot(plainStrings))
			m := newTestModel(t, src, 80, 24)
			now := logNow
			m.now = func() time.Time { return now }
			for i, k := range tt.keys {
				now = now.Add(tt.gaps[i])
				tm, cmd := m.Update(keyMsg(k))
				m = tm.(Model)
				if cmd != nil {
					cmd()
				}
			}
			if diff := cmp.Diff(tt.want, src.windowsAsked()); diff != "" {
				t.Errorf("SetWindow calls (-want +got):\n%s", diff)
			}
		})
	}
}

func TestWindowHeader(t *testing.T) {
	m := newTestModel(t, newFakeSource(fixtureSnapshot(plainStrings)), 80, 24)
	m = send(m, "1")
	if v := m.View(); !strings.Contains(v, "window 5m→1m") {
		t.Errorf("header does not show the window asked for:\n%s", firstLine(v))
	}
}

func TestSort(t *testing.T) {
	m := newTestModel(t, newFakeSource(fixtureSnapshot(plainStrings)), 80, 24)
	order := func(m Model) []string {
		var out []string
		for _, u := range m.overview.rows {
			out = append(out, u.Name)
		}
		return out
	}
	want := [][]string{
		{"10.0.0.1:8080", "10.0.0.2:8080", "backend_pool", "-", "10.0.0.3:8080", "10.0.0.4:8080"},
		{"backend_pool", "-", "10.0.0.1:8080", "10.0.0.2:8080", "10.0.0.3:8080", "10.0.0.4:8080"},
		{"10.0.0.1:8080", "10.0.0.2:8080", "10.0.0.3:8080", "10.0.0.4:8080", "-", "backend_pool"},
		{"-", "10.0.0.1:8080", "10.0.0.2:8080", "10.0.0.3:8080", "10.0.0.4:8080", "backend_pool"},
		{"10.0.0.2:8080", "10.0.0.1:8080", "10.0.0.3:8080", "10.0.0.4:8080", "-", "backend_pool"},
		{"10.0.0.1:8080", "10.0.0.2:8080", "backend_pool", "-", "10.0.0.3:8080", "10.0.0.4:8080"},
	}
	titles := []string{"by 5xx", "by 5xx rate", "by req/s", "by name", "by p99", "by 5xx"}
	m = downTo(t, m, "10.0.0.3:8080")
	for i := range want {
		if i > 0 {
			m = send(m, "s")
		}
		if diff := cmp.Diff(want[i], order(m)); diff != "" {
			t.Errorf("sort %d (-want +got):\n%s", i, diff)
		}
		if !strings.Contains(m.View(), titles[i]) || titles[i] == "by 5xx" && strings.Contains(m.View(), "by 5xx rate") {
			t.Errorf("sort %d: title lacks %q", i, titles[i])
		}
		if sel := m.overview.rows[m.overview.table.Cursor()].Name; sel != "10.0.0.3:8080" {
			t.Errorf("sort %d: selection moved to %s", i, sel)
		}
	}
}

func TestReplayKeys(t *testing.T) {
	src := &fakeReplay{fakeSource: newFakeSource(fixtureSnapshot(plainStrings)),
		state: ReplayState{Speed: "10×", Done: 42e6, Total: 100e6, ETA: 80 * time.Second}}
	m := newTestModel(t, src, 80, 24)
	for _, k := range []string{" ", "+", "-", "n"} {
		tm, cmd := m.Update(keyMsg(k))
		m = tm.(Model)
		if cmd == nil {
			t.Fatalf("%q has no command", k)
		}
		cmd()
	}
	if diff := cmp.Diff([]string{"pause", "faster", "slower", "next"}, src.callsMade()); diff != "" {
		t.Errorf("replay calls (-want +got):\n%s", diff)
	}
	v := m.View()
	for _, want := range []string{"replay ▶ playing 10×", "42%", "ETA 1m20s", "space play/pause"} {
		if !strings.Contains(v, want) {
			t.Errorf("view lacks %q:\n%s", want, v)
		}
	}
}

func TestReplayKeysOffForLiveSources(t *testing.T) {
	m := newTestModel(t, newFakeSource(fixtureSnapshot(plainStrings)), 80, 24)
	for _, k := range []string{" ", "+", "-", "n"} {
		if _, cmd := m.Update(keyMsg(k)); cmd != nil {
			t.Errorf("%q does something on a live source", k)
		}
	}
	if strings.Contains(m.View(), "replay") {
		t.Error("live source shows replay state")
	}
}

func TestFooterKeysFollowThePage(t *testing.T) {
	m := newTestModel(t, newFakeSource(fixtureSnapshot(plainStrings)), 160, 48)
	footer := func(m Model) string {
		lines := strings.Split(m.View(), "\n")
		return lines[len(lines)-1]
	}
	if f := footer(m); !strings.Contains(f, "s sort") || strings.Contains(f, "esc back") {
		t.Errorf("overview footer: %q", f)
	}
	m = send(m, "enter")
	if f := footer(m); strings.Contains(f, "s sort") || !strings.Contains(f, "esc back") {
		t.Errorf("drill-down footer: %q", f)
	}
	m = send(m, "/")
	if f := footer(m); !strings.Contains(f, "enter apply") || strings.Contains(f, "q quit") {
		t.Errorf("filter footer: %q", f)
	}
}

func TestStaysInsideTheTerminal(t *testing.T) {
	sizes := [][2]int{{80, 24}, {160, 48}, {100, 30}, {60, 20}, {40, 12}, {20, 6}, {1, 1}, {250, 80}}
	paths := [][]string{nil, {"tab"}, {"enter"}, {"enter", "enter"}, {"?"}, {"/", "x"}}
	for _, sz := range sizes {
		for _, keys := range paths {
			for _, fs := range []fixtureStrings{plainStrings, hostileStrings} {
				src := &fakeReplay{fakeSource: newFakeSource(fixtureSnapshot(fs)),
					state: ReplayState{Speed: "max", Done: 1, Total: 3}}
				m := newTestModel(t, src, sz[0], sz[1])
				m = send(m, keys...)
				lines := strings.Split(m.View(), "\n")
				if len(lines) > sz[1] {
					t.Errorf("%v %v: %d lines", sz, keys, len(lines))
				}
				for i, l := range lines {
					if w := ansi.StringWidth(l); w > sz[0] {
						t.Errorf("%v %v: line %d is %d cells: %q", sz, keys, i, w, l)
					}
				}
			}
		}
	}
}

func TestEmptySnapshot(t *testing.T) {
	m := newTestModel(t, newFakeSource(&classify.Snapshot{}), 80, 24)
	m = send(m, "enter", "tab", "enter", "j", "k", "s", "?", "esc")
	v := m.View()
	for _, want := range []string{"no 5xx in the window", "none yet"} {
		if !strings.Contains(v, want) {
			t.Errorf("empty overview lacks %q:\n%s", want, v)
		}
	}
}

func firstLine(s string) string {
	l, _, _ := strings.Cut(s, "\n")
	return l
}

func TestHelpHasTheFieldGuide(t *testing.T) {
	km := defaultKeyMap()
	st := DefaultStyles()
	content := helpContent(&km, &st, fixtureSnapshot(plainStrings), lesson{}, 80)
	for _, want := range []string{
		"500 Internal Server Error", "502 Bad Gateway", "503 Service Unavailable", "504 Gateway Timeout",
		"429 Too Many Requests", "Retry-After:", "Advice for these inputs", "fix: add ht=$upstream_header_time",
		"1/5/15", "space",
	} {
		if !strings.Contains(content, want) {
			t.Errorf("help lacks %q", want)
		}
	}
	for i, l := range strings.Split(content, "\n") {
		if w := ansi.StringWidth(l); w > 80 {
			t.Errorf("help line %d is %d cells: %q", i, w, l)
		}
	}
}

func TestGuideLines(t *testing.T) {
	text := "Who: the proxy, because\nthe upstream broke.\nIntentional: no.\nRetry-After: not used.\nCDNs/LBs: Cloudflare uses 522\n(connect timeout)."
	want := []string{
		"Who: the proxy, because the upstream broke.",
		"Intentional: no.",
		"Retry-After: not used.",
		"CDNs/LBs: Cloudflare uses 522 (connect timeout).",
	}
	if diff := cmp.Diff(want, guideLines(text)); diff != "" {
		t.Errorf("guideLines (-want +got):\n%s", diff)
	}
}

func TestSelectionFollowsOnlyOncePicked(t *testing.T) {
	src := newFakeSource(fixtureSnapshot(plainStrings))
	m := newTestModel(t, src, 80, 24)
	selected := func(m Model) string { return m.overview.rows[m.overview.table.Cursor()].Name }
	// 10.0.0.4:8080 starts failing hard: it goes to the top.
	worse := func() *classify.Snapshot {
		s := fixtureSnapshot(plainStrings)
		u := &s.Upstreams[5]
		u.Windowed.Status = map[int]int64{502: 9000}
		return s
	}
	tick := func(m Model) Model {
		tm, _ := m.Update(fetch(src, nil, nil, m.tag))
		return tm.(Model)
	}
	src.set(worse())
	m = tick(m)
	if got := selected(m); got != "10.0.0.4:8080" {
		t.Errorf("untouched selection is on %s, want the new top row", got)
	}
	// Once the user picks a row, it follows that upstream.
	src.set(fixtureSnapshot(plainStrings))
	m = tick(m)
	m = downTo(t, m, "10.0.0.2:8080")
	src.set(worse())
	m = tick(m)
	if got := selected(m); got != "10.0.0.2:8080" {
		t.Errorf("picked selection moved to %s", got)
	}
	// A filter that matches nothing, then cleared: the selection is back
	// on the picked upstream (it went to whichever row came first).
	m = send(m, "/", "z", "z", "z", "enter")
	if len(m.overview.rows) != 0 {
		t.Fatalf("zzz matches %d rows", len(m.overview.rows))
	}
	m = send(m, "esc")
	if got := selected(m); got != "10.0.0.2:8080" {
		t.Errorf("after a filter with no match, the selection is on %s", got)
	}
}

// A live list's selection stays on its request as newer 5xx arrive above
// it: on row 0 it followed the newest, so the request selected changed
// under the reader and enter opened another one (QA s26). g follows the
// newest on purpose, until another move.
func TestDrillDownKeepsItsSelection(t *testing.T) {
	src := newFakeSource(fixtureSnapshot(plainStrings))
	m := newTestModel(t, src, 80, 24)
	m = send(downTo(t, m, "10.0.0.1:8080"), "enter")
	tick := func(m Model) Model {
		tm, _ := m.Update(fetch(src, nil, nil, m.tag))
		return tm.(Model)
	}
	arrivals := 0
	s := fixtureSnapshot(plainStrings)
	arrive := func(m Model) Model {
		arrivals++
		v := *s.Recent[len(s.Recent)-1]
		e := *v.Entry
		e.Time, e.Path = logNow.Add(time.Duration(arrivals)*time.Second), fmt.Sprintf("/api/new/%d", arrivals)
		v.Entry = &e
		s.Recent = append(s.Recent, &v)
		src.set(s)
		return tick(m)
	}
	selected := func(m Model) string { return m.upstream.items[m.upstream.cursor].Entry.Path }

	first := selected(m)
	if m.upstream.cursor != 0 {
		t.Fatalf("list opens on item %d, want the newest", m.upstream.cursor)
	}
	m = arrive(m)
	if got := selected(m); got != first || m.upstream.cursor != 1 {
		t.Errorf("a newer 5xx moved the selection from %s to %s (row %d)", first, got, m.upstream.cursor)
	}
	if v := ansi.Strip(m.View()); !strings.Contains(v, "› ") || strings.Contains(v, "following the newest") {
		t.Errorf("list:\n%s", v)
	}
	// Opened and back: still the request opened.
	m = send(m, "enter")
	m = arrive(m)
	m = send(m, "esc")
	if got := selected(m); got != first {
		t.Errorf("back from the request, the selection is on %s, want %s", got, first)
	}

	// g follows the newest, and says so.
	m = send(m, "g")
	m = arrive(m)
	if got := selected(m); got != "/api/new/3" {
		t.Errorf("after g the selection is on %s, want the newest", got)
	}
	if v := ansi.Strip(m.View()); !strings.Contains(v, "· following the newest") {
		t.Errorf("following list does not say so:\n%s", v)
	}
	// Another move stops following.
	m = send(m, "j")
	kept := selected(m)
	m = arrive(m)
	if got := selected(m); got != kept {
		t.Errorf("after j the selection moved from %s to %s", kept, got)
	}
	if strings.Contains(ansi.Strip(m.View()), "following the newest") {
		t.Error("the list still says it follows after j")
	}

	// A list opened empty selects the newest of the first 5xx to come,
	// then keeps it.
	empty := fixtureSnapshot(plainStrings)
	empty.Recent = nil
	src.set(empty)
	m = tick(send(m, "esc", "esc"))
	m = m.openList("10.0.0.1:8080", "")
	if len(m.upstream.items) != 0 {
		t.Fatalf("list of an empty snapshot holds %d", len(m.upstream.items))
	}
	s = fixtureSnapshot(plainStrings)
	src.set(s)
	m = tick(m)
	first = selected(m)
	if m.upstream.cursor != 0 {
		t.Errorf("the first 5xx to come selected row %d, want the newest", m.upstream.cursor)
	}
	m = arrive(m)
	if got := selected(m); got != first {
		t.Errorf("in a list opened empty, a newer 5xx moved the selection from %s to %s", first, got)
	}
}

// The drill-down's "newest first" is by the request's time: verdicts are
// made in the order their waits end, and Caddy's millisecond stamps
// interleave with nginx's whole seconds behind one backend. Live it read
// 16:02:46.994, 16:02:46.000, 16:02:46.729. Equal times keep the order
// their verdicts were made in, the later first.
func TestDrillDownIsInRequestTimeOrder(t *testing.T) {
	s := fixtureSnapshot(plainStrings)
	sec := logNow.Add(-10 * time.Second).Truncate(time.Second)
	for _, at := range []struct {
		path string
		ms   int
	}{{"/caddy/994", 994}, {"/nginx/a", 0}, {"/caddy/729", 729}, {"/nginx/b", 0}} {
		v := *s.Recent[len(s.Recent)-1]
		e := *v.Entry
		e.Time, e.Path = sec.Add(time.Duration(at.ms)*time.Millisecond), at.path
		v.Entry = &e
		s.Recent = append(s.Recent, &v)
	}
	m := newTestModel(t, newFakeSource(s), 100, 30)
	m = send(downTo(t, m, "10.0.0.1:8080"), "enter")
	var got []string
	for _, v := range m.upstream.items {
		got = append(got, v.Entry.Path)
	}
	want := []string{plainStrings.path, "/api/cart", "/caddy/994", "/caddy/729", "/nginx/b", "/nginx/a"}
	if !cmp.Equal(got, want) {
		t.Errorf("drill-down order %q, want %q", got, want)
	}
	view, at := ansi.Strip(m.View()), -1
	for _, p := range want[2:] {
		i := strings.Index(view, p)
		if i < 0 {
			t.Fatalf("%s is not on the screen:\n%s", p, view)
		}
		if i < at {
			t.Errorf("%s is above the 5xx before it in the list:\n%s", p, view)
		}
		at = i
	}
	if m.upstream.cursor != 0 {
		t.Errorf("cursor on item %d, want the newest", m.upstream.cursor)
	}
}

// runCmd runs cmd and the commands of any batch it returns.
func runCmd(cmd tea.Cmd) {
	if cmd == nil {
		return
	}
	if b, ok := cmd().(tea.BatchMsg); ok {
		for _, c := range b {
			runCmd(c)
		}
	}
}

// Bubble Tea v1 hands the runes of one read as one key message ("jjj",
// "15"): each rune is a key, as if typed one by one.
func TestKeysInOneRead(t *testing.T) {
	runes := func(s string) tea.KeyMsg { return tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(s)} }

	m := newTestModel(t, newFakeSource(fixtureSnapshot(plainStrings)), 80, 24)
	tm, _ := m.Update(runes("jjj"))
	if got, want := tm.(Model).overview.table.Cursor(), send(m, "j", "j", "j").overview.table.Cursor(); got != want || got == 0 {
		t.Errorf(`"jjj" in one read: cursor %d, want %d`, got, want)
	}

	src := newFakeSource(fixtureSnapshot(plainStrings))
	m = newTestModel(t, src, 80, 24)
	tm, cmd := m.Update(runes("15"))
	runCmd(cmd)
	if diff := cmp.Diff([]time.Duration{time.Minute, 15 * time.Minute}, src.windowsAsked()); diff != "" {
		t.Errorf(`"15" in one read: SetWindow calls (-want +got):\n%s`, diff)
	}

	// tea.Batch runs its commands on goroutines of their own, in any
	// order: the source must end on the window chosen last (QA s23: "15"
	// left it on 1m under a 15m header, for good).
	src = newFakeSource(fixtureSnapshot(plainStrings))
	m = newTestModel(t, src, 80, 24)
	tm, cmd = m.Update(runes("15"))
	b, _ := cmd().(tea.BatchMsg)
	for i := len(b) - 1; i >= 0; i-- {
		runCmd(b[i])
	}
	if got := src.windowsAsked(); len(got) == 0 || got[len(got)-1] != 15*time.Minute || tm.(Model).window != 15*time.Minute {
		t.Errorf(`"15" in one read, its commands run last first: SetWindow calls %v, header %v; want the source and the header on 15m`, got, tm.(Model).window)
	}

	m = newTestModel(t, newFakeSource(fixtureSnapshot(plainStrings)), 80, 24)
	tm, _ = m.Update(runes("/cart"))
	if mm := tm.(Model); !mm.filtering || mm.filter.Value() != "cart" {
		t.Errorf(`"/cart" in one read: filtering %v, filter %q`, mm.filtering, mm.filter.Value())
	}
}

// ctrl+c quits while the filter is being typed too.
func TestCtrlCQuitsWhileFiltering(t *testing.T) {
	m := newTestModel(t, newFakeSource(fixtureSnapshot(plainStrings)), 80, 24)
	m = send(m, "/", "a")
	if !m.filtering {
		t.Fatal("/ did not open the filter")
	}
	_, cmd := m.Update(keyMsg("ctrl+c"))
	if cmd == nil {
		t.Fatal("no command")
	}
	if _, ok := cmd().(tea.QuitMsg); !ok {
		t.Error("ctrl+c in the filter does not quit")
	}
}

// A finished replay says so, its replay keys are off (they did nothing and
// the line still read "▶ playing"), and the window keys still ask the
// source for the new window, which then shows.
func TestReplayFinished(t *testing.T) {
	src := &fakeReplay{fakeSource: newFakeSource(fixtureSnapshot(plainStrings)),
		state: ReplayState{Speed: "50×", Done: 100e6, Total: 100e6, ETA: time.Second, Finished: true}}
	m := newTestModel(t, src, 80, 24)
	v := m.View()
	if !strings.Contains(v, "replay ■ finished") || strings.Contains(v, "playing") || strings.Contains(v, "ETA") {
		t.Errorf("finished replay line:\n%s", v)
	}
	for _, k := range []string{" ", "+", "-", "n"} {
		if _, cmd := m.Update(keyMsg(k)); cmd != nil {
			t.Errorf("%q still does something after the end", k)
		}
	}
	if f := lastLine(m.View()); strings.Contains(f, "play/pause") || strings.Contains(f, "next 5xx") {
		t.Errorf("footer offers replay keys after the end: %q", f)
	}
	tm, cmd := m.Update(keyMsg("1"))
	m = tm.(Model)
	runCmd(cmd)
	if got := src.windowsAsked(); len(got) != 1 || got[0] != time.Minute {
		t.Fatalf("window asked %v, want [1m]", got)
	}
	s := fixtureSnapshot(plainStrings)
	s.Window = time.Minute
	src.set(s)
	tm, _ = m.Update(fetch(src, src, nil, m.tag))
	m = tm.(Model)
	if h := firstLine(m.View()); !strings.Contains(h, "window 1m") || strings.Contains(h, "→") {
		t.Errorf("header after the window changed: %q", h)
	}
}

func lastLine(s string) string {
	lines := strings.Split(s, "\n")
	return lines[len(lines)-1]
}

// 5xx still waiting for their verdict are not "no 5xx": the causes pane
// said so next to 502s in the rates and the table.
func TestCausesPaneCountsPending(t *testing.T) {
	s := fixtureSnapshot(plainStrings)
	s.Windowed.Causes = nil
	s.Pending = 14
	m := newTestModel(t, newFakeSource(s), 80, 24)
	v := m.View()
	if strings.Contains(v, "no 5xx in the window") || !strings.Contains(v, "14 5xx awaiting a verdict") {
		t.Errorf("causes pane with 14 pending:\n%s", v)
	}
	s.Pending = 0
	m = newTestModel(t, newFakeSource(s), 80, 24)
	if v := m.View(); !strings.Contains(v, "no 5xx in the window") {
		t.Errorf("causes pane with none pending:\n%s", v)
	}
}

// The demo reads no bytes: its replay line said "0 B read" for ever.
func TestReplayLineWithoutBytes(t *testing.T) {
	for _, tc := range []struct {
		st   ReplayState
		want string
	}{
		{ReplayState{Speed: "1×"}, "replay ▶ playing 1×"},
		{ReplayState{Speed: "max", Done: 12_300}, "replay ▶ playing max  12.3 kB played"},
		// The demo's loop says what plays and what comes next; a replay
		// whose --from/--to window holds no line says so in place of its bar.
		{ReplayState{Speed: "1×", Note: "deploy-crash (1/8) · next oom-kill in 57s"}, "replay ▶ playing 1×  deploy-crash (1/8) · next oom-kill in 57s"},
		{ReplayState{Speed: "10×", Done: 5, Total: 5, Finished: true, Note: "no line from --from to --to", Problem: true},
			"replay ■ finished  no line from --from to --to"},
		{ReplayState{Speed: "1×", Note: "x\x1b[31my"}, "replay ▶ playing 1×  x\\x1b[31my"},
	} {
		src := &fakeReplay{fakeSource: newFakeSource(fixtureSnapshot(plainStrings)), state: tc.st}
		m := newTestModel(t, src, 80, 24)
		if got := strings.TrimRight(strings.Split(m.View(), "\n")[1], " "); got != tc.want {
			t.Errorf("replay line %q, want %q", got, tc.want)
		}
	}
}

// What is typed or pasted into the filter is shown escaped while it is
// typed, as everywhere else (a pasted U+202E reached the terminal raw);
// the filter itself keeps the raw text, which is what the log holds.
func TestFilterInputIsSanitized(t *testing.T) {
	m := newTestModel(t, newFakeSource(fixtureSnapshot(plainStrings)), 80, 24)
	m = send(m, "/")
	tm, _ := m.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("ab\u202ecd\u2066e"), Paste: true})
	m = tm.(Model)
	footer := lastLine(m.View())
	if h := terminalHazard(footer); h != "" {
		t.Errorf("filter input shows %s: %q", h, footer)
	}
	if !strings.Contains(footer, `/ab\u202ecd\u2066e`) {
		t.Errorf("filter input %q does not show the escapes", footer)
	}
	if got := m.filterValue(); got != "ab\u202ecd\u2066e" {
		t.Errorf("filter value %q, want the raw text", got)
	}
	// Editing in the middle works on the raw text; the view follows.
	m = send(m, "left", "left", "backspace")
	if got := m.filterValue(); got != "ab\u202ec\u2066e" {
		t.Errorf("after deleting the rune before the last two: %q", got)
	}
	if footer := lastLine(m.View()); !strings.Contains(footer, `/ab\u202ec\u2066e`) || terminalHazard(footer) != "" {
		t.Errorf("after editing, filter input %q", footer)
	}
}

// In a short terminal the rates pane becomes one line before the upstream
// table loses its last row (at 80×12 the body was all rates: no row, no
// selection, and enter opened the hidden first row), and enter never opens
// a row that is not on screen.
func TestShortTerminalsKeepTheTable(t *testing.T) {
	for _, sz := range [][2]int{{80, 12}, {40, 10}, {50, 14}, {60, 15}, {120, 13}} {
		src := &fakeReplay{fakeSource: newFakeSource(fixtureSnapshot(plainStrings)),
			state: ReplayState{Speed: "50×", Done: 1, Total: 2}}
		m := newTestModel(t, src, sz[0], sz[1])
		v := m.View()
		if !strings.Contains(v, "›") || !strings.Contains(v, "Causes") || !strings.Contains(v, "Rates") {
			t.Errorf("%dx%d: no selected row, causes or rates:\n%s", sz[0], sz[1], v)
			continue
		}
		want := m.overview.rows[m.overview.table.Cursor()].Name
		m = send(m, "enter")
		if m.page() != pageUpstream || m.upstream.upstream != want {
			t.Errorf("%dx%d: enter opened %q on page %d, want %s", sz[0], sz[1], m.upstream.upstream, m.page(), want)
		}
	}
	// Too short for any row: enter opens nothing, on either pane.
	for _, sz := range [][2]int{{80, 6}, {40, 4}} {
		m := newTestModel(t, newFakeSource(fixtureSnapshot(plainStrings)), sz[0], sz[1])
		if m = send(m, "enter"); m.page() != pageOverview {
			t.Errorf("%dx%d: enter opened a row that is not on screen:\n%s", sz[0], sz[1], m.View())
		}
	}
}

// A causes pane cut short says how many causes it shows.
func TestCausesPaneSaysWhenCut(t *testing.T) {
	m := newTestModel(t, newFakeSource(fixtureSnapshot(plainStrings)), 60, 20)
	if v := m.View(); !strings.Contains(v, " of 7 shown") {
		t.Errorf("60x20: the causes pane does not say it is cut:\n%s", v)
	}
	m = newTestModel(t, newFakeSource(fixtureSnapshot(plainStrings)), 160, 48)
	if v := m.View(); strings.Contains(v, "shown") {
		t.Errorf("160x48 shows every cause, yet:\n%s", v)
	}
}

// Why an input fails is readable in full under its row: the state column
// (11 or 18 cells) cut it to "read error: open:…" or "exited: exit stat…".
func TestInputFailureReadableInFull(t *testing.T) {
	states := []string{
		"read error: open /var/log/nginx/secret/access.log: permission denied; retrying in 5s",
		"exited: exit status 1: error: You must be logged in to the server (Unauthorized)",
	}
	s := fixtureSnapshot(plainStrings)
	s.Inputs[1].State = states[0]
	s.Inputs[2].State = states[1]
	s.Inputs = append(s.Inputs, classify.InputStatus{Path: "kubectl logs -f deploy/api", Role: sources.RoleApp,
		State: "exited: exit status 3: " + strings.Repeat("a very long complaint ", 40)})
	fields := func(s string) string { return strings.Join(strings.Fields(s), " ") }
	for _, sz := range [][2]int{{80, 40}, {120, 40}, {160, 48}} {
		m := newTestModel(t, newFakeSource(s), sz[0], sz[1])
		v := m.View()
		for _, st := range states {
			if !strings.Contains(fields(v), "↳ "+st) {
				t.Errorf("%dx%d: %q is not readable in full:\n%s", sz[0], sz[1], st, v)
			}
		}
		complaint, full := 0, 0
		for _, l := range strings.Split(v, "\n") {
			if strings.Contains(l, "complaint") {
				complaint++
			}
			if strings.Contains(l, "↳ read error") || strings.Contains(l, "↳ exited") {
				full++
			}
		}
		if complaint == 0 || complaint > maxStateLines {
			t.Errorf("%dx%d: a very long state takes %d lines, want 1 to %d", sz[0], sz[1], complaint, maxStateLines)
		}
		if full != 3 {
			t.Errorf("%dx%d: %d full states, want one under each of the 3 failed inputs:\n%s", sz[0], sz[1], full, v)
		}
	}
}

// A followed file's note on its rotation is readable in full under its row:
// the column cut "following +rotated (new file not there yet)" to
// "following +rotate…" even at 160 cells (QA). It stays a state in good
// health.
func TestRotationNoteReadableInFull(t *testing.T) {
	const state = "following +rotated (new file not there yet)"
	s := fixtureSnapshot(plainStrings)
	s.Inputs[0].State, s.Inputs[0].Unparsed, s.Inputs[0].Samples = state, 0, nil // in good health
	for _, sz := range [][2]int{{80, 40}, {160, 48}} {
		v := newTestModel(t, newFakeSource(s), sz[0], sz[1]).View()
		if !strings.Contains(v, "↳ "+state) {
			t.Errorf("%dx%d: %q is not readable in full:\n%s", sz[0], sz[1], state, v)
		}
	}
	if inputTrouble(classify.InputStatus{State: state, Lines: 10, Parsed: 10}) {
		t.Error("a rotation note is trouble")
	}
}

// A running command is an input in good health, like a followed file: it
// was drawn in the problem colour, and after a restart that skipped its
// history printed again too. A command that exited with an error is not.
func TestInputTroubleOfCommands(t *testing.T) {
	for state, want := range map[string]bool{
		"running": false,
		"running (1200 lines printed again skipped)": false,
		"following":                                  false,
		"exited: exit status 1: Unauthorized":        true,
		"waiting for file":                           true,
		"done: compressed, read once (not followed)": false,
		"stopped": false,
	} {
		if got := inputTrouble(classify.InputStatus{State: state, Lines: 10, Parsed: 10}); got != want {
			t.Errorf("inputTrouble(%q) = %v, want %v", state, got, want)
		}
	}
}

// A replay's input being played is in good health, as one read to its
// end is (classify/replay: Player.inputState).
func TestInputTroubleOfReplays(t *testing.T) {
	for state, want := range map[string]bool{
		"playing":                                false,
		"playing 0%":                             false,
		"playing 42%":                            false,
		"done":                                   false,
		"read error: open /x: permission denied": true,
		"playingfield":                           true,
	} {
		if got := inputTrouble(classify.InputStatus{State: state, Lines: 10, Parsed: 10}); got != want {
			t.Errorf("inputTrouble(%q) = %v, want %v", state, got, want)
		}
	}
}

// Live, before the app log's first line a 5xx waits up to 10 s beyond its
// windows (classify.Snapshot.AppAwaited): the causes pane and the header
// say why, as they say how late the app's lines come once that is known.
func TestPendingSaysTheAppsFirstLineIsAwaited(t *testing.T) {
	s := fixtureSnapshot(plainStrings)
	s.Windowed.Causes = nil
	s.Pending, s.AppAwaited = 3, true
	v := newTestModel(t, newFakeSource(s), 160, 48).View()
	for _, want := range []string{"3 5xx awaiting a verdict (up to 10s for the app log's first line)", "pending 3 (awaiting the app log)"} {
		if !strings.Contains(v, want) {
			t.Errorf("with the app's first line awaited, the screen lacks %q:\n%s", want, v)
		}
	}
	s.AppAwaited, s.AppLag = false, 5*time.Second
	v = newTestModel(t, newFakeSource(s), 160, 48).View()
	for _, want := range []string{"3 5xx awaiting a verdict (the app's lines come 5s late)", "pending 3 (app lines 5s late)"} {
		if !strings.Contains(v, want) {
			t.Errorf("with the app's lines 5 s late, the screen lacks %q:\n%s", want, v)
		}
	}
}

// A line over 1 MiB, cut to it, is said under its input: the pane said
// "1" unparsed and nothing else (only the text report told of the cut).
func TestInputCutLinesSaid(t *testing.T) {
	s := fixtureSnapshot(plainStrings)
	s.Inputs[0].TooLong, s.Inputs[0].Unparsed = 1, 1
	s.Inputs[1].TooLong = 23000
	for _, sz := range [][2]int{{80, 40}, {120, 40}, {160, 48}, {80, 24}, {200, 16}} {
		m := newTestModel(t, newFakeSource(s), sz[0], sz[1])
		v := m.View()
		if n := len(strings.Split(v, "\n")); n != sz[1] {
			t.Errorf("%dx%d: %d lines", sz[0], sz[1], n)
		}
		for _, want := range []string{"1 line cut (over 1 MiB)", "23k lines cut (over 1 MiB)"} {
			if !strings.Contains(v, want) {
				t.Errorf("%dx%d: no %q:\n%s", sz[0], sz[1], want, v)
			}
		}
	}
}

// Opening a row picks it: clearing a filter after opening the one row it
// left kept the selection on that row, not on the row picked before the
// filter (QA s36 L2: /unix left one row, enter, esc, esc: the selection
// was back on 10.0.0.2).
func TestOpeningARowPicksIt(t *testing.T) {
	m := newTestModel(t, newFakeSource(fixtureSnapshot(plainStrings)), 80, 24)
	selected := func(m Model) string { return m.overview.rows[m.overview.table.Cursor()].Name }
	m = downTo(t, m, "10.0.0.2:8080")
	m = send(m, "/")
	m = send(m, strings.Split("10.0.0.4", "")...)
	m = send(m, "enter")
	if len(m.overview.rows) != 1 || selected(m) != "10.0.0.4:8080" {
		t.Fatalf("the filter 10.0.0.4 leaves %d rows", len(m.overview.rows))
	}
	m = send(m, "enter")
	if m.page() != pageUpstream || m.upstream.upstream != "10.0.0.4:8080" {
		t.Fatalf("enter opened %q", m.upstream.upstream)
	}
	m = send(m, "esc", "esc")
	if m.filterValue() != "" {
		t.Fatalf("esc, esc left the filter %q", m.filterValue())
	}
	if got := selected(m); got != "10.0.0.4:8080" {
		t.Errorf("after opening 10.0.0.4:8080 and clearing the filter the selection is on %s", got)
	}
	if l := selectedLine(m.View()); !strings.Contains(l, "10.0.0.4:8080") {
		t.Errorf("the marked line is %q", l)
	}
}
