package tui

import (
	"fmt"
	"strings"
	"testing"
	"time"
	"unicode"

	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/teatest"
)

// drawnWidth is how wide a terminal that draws code point by code point
// (tmux 3.3a, xterm, VTE, screen) draws the styled line s: non-spacing and
// enclosing marks, format characters and Hangul medial and final jamo 0,
// the wide blocks 2, the rest 1. It is written apart from runeCells, with
// its own table of wide blocks, so that the screen tests do not take the
// UI's measure on trust.
func drawnWidth(s string) int {
	n := 0
	for _, r := range ansi.Strip(s) {
		switch {
		case unicode.In(r, unicode.Mn, unicode.Me, unicode.Cf), r >= 0x1160 && r <= 0x11ff:
		case r >= 0x1100 && r <= 0x115f, r >= 0x2e80 && r <= 0xa4cf, r >= 0xac00 && r <= 0xd7a3,
			r >= 0xf900 && r <= 0xfaff, r >= 0xff00 && r <= 0xff60, r >= 0x1f300 && r <= 0x1faff:
			n += 2
		default:
			n++
		}
	}
	return n
}

// TestCodePointWidthsAreTmuxs pins the per-code-point widths to what tmux
// 3.3a drew in the QA round (cursor column after printing), and lenCells to
// at least that and at least the grapheme width.
func TestCodePointWidthsAreTmuxs(t *testing.T) {
	for _, c := range []struct {
		s    string
		tmux int
	}{
		{"👍🏽", 4}, {"हिन्दी", 5}, {"नमस्ते", 4}, {"क्षि", 3}, {"กำ", 2}, {"ᄀᄀ", 4},
		// The variation selector is dropped by Sanitize: 1 cell in both.
		{"⚠️", 1}, {"❤️", 1}, {"☺️", 1},
		{"日本語", 6}, {"café", 4}, {"e\u0301", 1},
	} {
		s := Sanitize(c.s)
		if got := codePointCells(s); got != c.tmux {
			t.Errorf("codePointCells(%q) = %d, tmux drew %d", s, got, c.tmux)
		}
		if got := drawnWidth(s); got != c.tmux {
			t.Errorf("drawnWidth(%q) = %d, tmux drew %d", s, got, c.tmux)
		}
		if got := lenCells(s); got < c.tmux || got < ansi.StringWidth(s) {
			t.Errorf("lenCells(%q) = %d, below tmux's %d or the grapheme width %d", s, got, c.tmux, ansi.StringWidth(s))
		}
	}
}

// TestCutsFitBothWidths cuts and wraps text whose grapheme and code-point
// widths differ: every piece fits by both, and nothing is lost.
func TestCutsFitBothWidths(t *testing.T) {
	texts := []string{
		strings.Repeat("👍🏽", 30),
		"like failed " + strings.Repeat("हिन्दी नमस्ते क्षि ", 8),
		strings.Repeat("กำᄀᄀ⚠️", 12),
		"GET /x " + strings.Repeat("👍🏽a", 20) + " HTTP/1.1",
	}
	for _, s := range texts {
		for w := 1; w <= 40; w++ {
			c := clip(s, w)
			if lenCells(c) > w || drawnWidth(c) > w || ansi.StringWidth(c) > w {
				t.Errorf("clip(%q, %d) = %q: %d drawn, %d graphemes", s, w, c, drawnWidth(c), ansi.StringWidth(c))
			}
			for i, l := range wrapWords(s, w, "") {
				if drawnWidth(l) > w || ansi.StringWidth(l) > w {
					t.Errorf("wrapWords(%q, %d) line %d %q: %d drawn", s, w, i, l, drawnWidth(l))
				}
			}
			if w < 4 {
				continue // wrapRaw clips when the lines after the first are under 2 cells
			}
			var joined strings.Builder
			for i, l := range wrapRaw(s, w, w-2, "  ") {
				limit := w
				if i > 0 {
					limit, l = w-2, strings.TrimPrefix(l, "  ")
				}
				if drawnWidth(l) > limit || ansi.StringWidth(l) > limit {
					t.Errorf("wrapRaw(%q, %d) line %d %q: %d drawn, limit %d", s, w, i, l, drawnWidth(l), limit)
				}
				joined.WriteString(l)
			}
			if joined.String() != Sanitize(s) {
				t.Errorf("wrapRaw(%q, %d) lines rejoin to %q", s, w, joined.String())
			}
		}
	}
}

// wideStrings put text that terminals draw wider than its grapheme
// clusters (skin-tone emoji, Devanagari, Thai, Hangul jamo) and text they
// draw narrower (variation selectors) in every log-derived string of the
// fixture.
var wideStrings = fixtureStrings{
	accessPath: "/var/log/हिन्दी/access.log",
	errorPath:  "/var/log/กำกำ/error.log",
	appPath:    "/srv/ᄀᄀᄀᄀ/app.log",
	upstream1:  "like-👍🏽👍🏽👍🏽👍🏽-हिन्दी-⚠️:8080",
	path:       "/api/like/" + strings.Repeat("👍🏽", 30) + "/क्षि",
	requestID:  "id-👍🏽👍🏽👍🏽-नमस्ते",
	sample:     "⚠️ ❤️ ☺️ " + strings.Repeat("हिन्दी ", 20),
	rawSuffix:  ` msg="like failed ` + strings.Repeat("👍🏽", 30) + strings.Repeat(" हिन्दी नमस्ते क्षि กำ ᄀᄀ ⚠️", 5) + `"`,
	advice:     "app_error " + strings.Repeat("हिन्दी ", 30),
}

// checkFrame fails when a line of the frame is wider than w cells drawn
// either way, when the frame is taller than h, or when its first line is
// not the header: a line too wide wraps in the terminal and scrolls the
// header away.
func checkFrame(t *testing.T, frame string, w, h int, where string) {
	t.Helper()
	lines := strings.Split(frame, "\n")
	if len(lines) > h {
		t.Errorf("%s: %d lines in %d rows", where, len(lines), h)
	}
	if !strings.HasPrefix(ansi.Strip(lines[0]), "fivexx") {
		t.Errorf("%s: first line %q is not the header", where, ansi.Strip(lines[0]))
	}
	for i, l := range lines {
		if d, g := drawnWidth(l), ansi.StringWidth(l); d > w || g > w {
			t.Errorf("%s: line %d is %d cells drawn by code point, %d by grapheme, in %d: %q", where, i, d, g, w, ansi.Strip(l))
		}
	}
}

// TestWideTextNeverWraps walks every screen with wideStrings, as
// TestHostileStringsStayInert does: overview, causes, filter, help, every
// verdict of every cause and its detail scrolled to the end, every
// upstream's drill-down and request. In the QA round the detail's raw
// lines, hint and evidence ran past the right edge in tmux and the title,
// verdict and request lines went off the top.
func TestWideTextNeverWraps(t *testing.T) {
	for _, sz := range [][2]int{{80, 24}, {100, 30}, {40, 12}, {160, 48}} {
		w, h := sz[0], sz[1]
		for _, keys := range [][]string{nil, {"tab"}, {"/", "l", "i", "k", "e"}, {"?"}} {
			m := newTestModel(t, newFakeSource(fixtureSnapshot(wideStrings)), w, h)
			m = send(m, keys...)
			checkFrame(t, m.View(), w, h, fmt.Sprintf("%dx%d %v", w, h, keys))
		}
		m := newTestModel(t, newFakeSource(fixtureSnapshot(wideStrings)), w, h)
		m = send(m, "tab", "enter")
		visited := 0
		for c := 0; c < len(m.overview.causes); c++ {
			for r := 0; r < len(m.upstream.items); r++ {
				checkFrame(t, m.View(), w, h, fmt.Sprintf("%dx%d cause %d list", w, h, c))
				m = send(m, "enter")
				visited++
				for range 200 {
					checkFrame(t, m.View(), w, h, fmt.Sprintf("%dx%d cause %d detail %d", w, h, c, r))
					if m.detail.vp.AtBottom() {
						break
					}
					m = send(m, "pgdown")
				}
				m = send(m, "esc", "j")
			}
			m = send(m, "esc", "j", "enter")
		}
		if want := len(fixtureVerdicts(wideStrings)); visited != want {
			t.Errorf("%dx%d: walked %d requests, want %d", w, h, visited, want)
		}
		m = newTestModel(t, newFakeSource(fixtureSnapshot(wideStrings)), w, h)
		for range m.overview.rows {
			m = send(m, "enter")
			checkFrame(t, m.View(), w, h, fmt.Sprintf("%dx%d drill-down %q", w, h, m.upstream.upstream))
			m = send(m, "enter")
			checkFrame(t, m.View(), w, h, fmt.Sprintf("%dx%d request of %q", w, h, m.upstream.upstream))
			m = send(m, "esc", "esc", "j")
		}
	}
}

// TestWideUpstreamNameKeepsColumns: the table pads its cells by grapheme
// width, so a name holding "👍🏽" made its row wider than the others drawn
// code point by code point: every row of the table is as wide, both ways.
func TestWideUpstreamNameKeepsColumns(t *testing.T) {
	for _, w := range []int{80, 100, 160} {
		m := newTestModel(t, newFakeSource(fixtureSnapshot(wideStrings)), w, 40)
		rows := strings.Split(m.overview.table.View(), "\n")
		if len(rows) < 2 {
			t.Fatalf("%d: table %q", w, rows)
		}
		for i, r := range rows {
			if d, g := drawnWidth(r), ansi.StringWidth(r); d != g {
				t.Errorf("%d: row %d is %d cells drawn by code point, %d by grapheme: %q", w, i, d, g, ansi.Strip(r))
			}
			if d, d1 := drawnWidth(r), drawnWidth(rows[1]); i > 1 && d != d1 && strings.TrimSpace(ansi.Strip(r)) != "" {
				t.Errorf("%d: row %d is %d cells, the first row %d: %q", w, i, d, d1, ansi.Strip(r))
			}
		}
		if v := m.View(); !strings.Contains(v, `like-👍\u1f3fd`) {
			t.Errorf("%d: the name is not shown escaped in the table:\n%s", w, v)
		}
	}
}

// TestWideTextScreens renders the overview and a detail of wideStrings in
// a real program, at 80×24 and 100×30, against testdata/TestWideTextScreens;
// go test ./tui -update rewrites them.
func TestWideTextScreens(t *testing.T) {
	type step = screenStep
	screens := []struct {
		name  string
		steps []step
	}{
		{"overview", []step{{"", "Upstreams by 5xx"}}},
		{"detail", []step{{"enter", "▸ upstream like-"}, {"enter", "▸ request 502 GET /api/like/"}}},
	}
	for _, sz := range [][2]int{{80, 24}, {100, 30}} {
		for _, sc := range screens {
			t.Run(fmt.Sprintf("%s/%dx%d", sc.name, sz[0], sz[1]), func(t *testing.T) {
				src := newFakeSource(fixtureSnapshot(wideStrings))
				m := New(src, Options{Title: "shop", Refresh: 20 * time.Millisecond})
				view := playScreen(t, m, sz[0], sz[1], sc.steps)
				checkFrame(t, view, sz[0], sz[1], sc.name)
				teatest.RequireEqualOutput(t, []byte(view))
			})
		}
	}
}
