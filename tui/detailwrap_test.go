package tui

import (
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/teatest"
)

// TestDetailWrapsAtSpacesScreens renders a request's detail whose hint
// names a command and whose access line is longer than the screen, at
// 80×40 and 120×40 (golden files in testdata/TestDetailWrapsAtSpacesScreens).
// The hint wrapped mid-command ("is the process up (ss -" / "ltnp)?", a
// hyphen taken for a place to break) and raw lines at a fixed column
// ("us" / "="502, 502"", "http://10" / ".0.1.11:8080"), which a copy
// from the screen kept broken (QA s28 #2). Prose now wraps at spaces and
// keeps "(ss -ltnp)" whole; a raw line breaks at a space near the edge,
// and its next lines start with "↪".
func TestDetailWrapsAtSpacesScreens(t *testing.T) {
	const (
		hint = "nothing is listening on 10.0.1.11:8080: is the process up (ss -ltnp)? crashed, OOM-killed (dmesg), restarting (kubectl get pods), or a wrong port in the upstream config?"
		raw  = `10.0.0.7 - - [02/Jan/2024:03:04:05 +0000] "GET /api/orders?id=42 HTTP/1.1" 502 157 "-" "curl/8.4.0" rt=0.004 uct="0.001, 0.001" uht="-, -" urt="0.001, 0.002" ua="10.0.1.11:8080, 10.0.1.12:8080" us="502, 502" rid=9f2c1a7e4b3d5a60`
	)
	for _, w := range []int{80, 120} {
		t.Run(fmt.Sprintf("%dx40", w), func(t *testing.T) {
			s := fixtureSnapshot(plainStrings)
			for _, v := range s.Recent {
				if v.Entry != nil && v.Entry.Path == plainStrings.path {
					v.Hint, v.Entry.Raw = hint, raw
				}
			}
			m := New(newFakeSource(s), Options{Title: "shop", Refresh: 20 * time.Millisecond})
			view := playScreen(t, m, w, 40, []screenStep{{"enter", "▸ upstream 10.0.0.1:8080"},
				{"enter", "▸ request 502 GET /api/orders?id=42"}})
			lines := strings.Split(ansi.Strip(view), "\n")
			var rawLines []string
			for i, l := range lines {
				l = strings.TrimRight(l, " ")
				if strings.HasSuffix(l, "(ss -") || strings.HasSuffix(l, "(ss") {
					t.Errorf("the hint breaks its command: %q", l)
				}
				if strings.HasPrefix(l, "   10.0.0.7 ") {
					rawLines = append(rawLines, l)
					for _, next := range lines[i+1:] {
						if !strings.HasPrefix(next, "   ↪ ") {
							break
						}
						rawLines = append(rawLines, strings.TrimRight(next, " "))
					}
				}
			}
			if !strings.Contains(ansi.Strip(view), "(ss -ltnp)?") {
				t.Errorf("no \"(ss -ltnp)?\" on one line:\n%s", ansi.Strip(view))
			}
			if len(rawLines) < 2 {
				t.Fatalf("the access line is not wrapped with ↪:\n%s", ansi.Strip(view))
			}
			// (The screen drops the space a line ends with.)
			joined := rawLines[0][3:]
			for _, l := range rawLines[1:] {
				joined += strings.TrimPrefix(l, "   ↪ ")
			}
			if strings.ReplaceAll(joined, " ", "") != strings.ReplaceAll(raw, " ", "") {
				t.Errorf("the access line's pieces rejoin to\n%q\nwant\n%q", joined, raw)
			}
			for _, l := range rawLines {
				if strings.HasSuffix(l, `us=`) || strings.HasSuffix(l, `"http://10`) {
					t.Errorf("a raw line breaks inside a field though a space is near: %q", l)
				}
			}
			teatest.RequireEqualOutput(t, []byte(view))
		})
	}
}

// TestWrapWordsKeepsShortPartsWhole: prose wraps at spaces, never at a
// hyphen; a command (commandPatterns) or a part in backticks stays on one
// line, and other parts in parentheses wrap as prose.
func TestWrapWordsKeepsShortPartsWhole(t *testing.T) {
	for _, tc := range []struct {
		s    string
		w    int
		want []string
	}{
		{"is the process up (ss -ltnp)? crashed", 22, []string{"is the process up", "(ss -ltnp)? crashed"}},
		{"look at `dmesg -T` now", 16, []string{"look at", "`dmesg -T` now"}},
		{"see its restarts (kubectl get pods, kubectl get endpointslices)", 60, []string{"see its restarts (kubectl get pods,", "kubectl get endpointslices)"}},
		{"a (long part in parentheses that is prose and wraps) here", 24, []string{"a (long part in", "parentheses that is", "prose and wraps) here"}},
		{"max_fails/fail-timeout-is-a-word ok", 26, []string{"max_fails/fail-timeout-is-", "a-word ok"}},
	} {
		if got := wrapWords(tc.s, tc.w, ""); strings.Join(got, "|") != strings.Join(tc.want, "|") {
			t.Errorf("wrapWords(%q, %d) = %q, want %q", tc.s, tc.w, got, tc.want)
		}
	}
}

// TestWrapRawBreaksNearTheEdge: a raw line breaks after a space within a
// quarter of the width from the edge, else at the edge; its pieces
// rejoin to the line.
func TestWrapRawBreaksNearTheEdge(t *testing.T) {
	for _, tc := range []struct {
		s           string
		first, rest int
		want        []string
	}{
		{`rt=0.004 us="502, 502" rid=9f2c`, 20, 20, []string{`rt=0.004 us="502, `, `502" rid=9f2c`}},
		{`ua="http://10.0.1.11:8080/x" z`, 20, 20, []string{`ua="http://10.0.1.11`, `:8080/x" z`}},
		{`abc defghijklmnopqrstuvwxyz`, 12, 12, []string{`abc defghijk`, `lmnopqrstuvw`, `xyz`}},
	} {
		got := wrapRaw(tc.s, tc.first, tc.rest, "")
		if strings.Join(got, "|") != strings.Join(tc.want, "|") {
			t.Errorf("wrapRaw(%q, %d, %d) = %q, want %q", tc.s, tc.first, tc.rest, got, tc.want)
		}
		if strings.Join(got, "") != tc.s {
			t.Errorf("wrapRaw(%q) rejoins to %q", tc.s, strings.Join(got, ""))
		}
	}
}

// TestWrapRawKeepsEscapesAndIdsWhole: a raw line filled to its edge
// breaks before an escape it would cut ("\u206" / "9" read as another
// character, QA s29), before a JSON log's own "\\" ("\u001b\" / "\link"),
// and before an id that fits a line when that leaves at most half a line
// empty ("rid=4569da67…" / "69b9…" was copied as two pieces); a longer
// id, or one that would leave more empty, still fills to the edge. The
// pieces rejoin to the sanitized line.
func TestWrapRawKeepsEscapesAndIdsWhole(t *testing.T) {
	const rid = "4569da6769b9be2cd848483d9dd2d3da"
	for _, tc := range []struct {
		name        string
		s           string
		first, rest int
		want        []string
	}{
		{"bidi escape", "\"GET /x\u202eevil\u202c\u2066x\u2069 HTTP/1.1\"", 34, 34,
			[]string{`"GET /x\u202eevil\u202c\u2066x`, `\u2069 HTTP/1.1"`}},
		{"C0 escape", "abcdefgh\x1b[2J", 10, 10, []string{`abcdefgh`, `\x1b[2J`}},
		{"backslash before an escape", "abcdefg\x1b\\\x1b]0;t", 12, 12, []string{`abcdefg\x1b`, `\\x1b]0;t`}},
		{"five-digit escape", "abcdefgh\U000e0001x", 12, 12, []string{`abcdefgh`, `\ue0001x`}},
		{"JSON backslash", `"error": "boom\u001b]8;;http://x/\u001b\\link"}`, 40, 40,
			[]string{`"error": "boom\u001b]8;;http://x/\u001b`, `\\link"}`}},
		{"id near the edge", "x rt=0.000 uct=0.001 uht=0.002 rid=" + rid + " cid=27634", 50, 50,
			[]string{"x rt=0.000 uct=0.001 uht=0.002 rid=", rid + " cid=27634"}},
		{"UUID", "trace=0f8fad5b-d9cb-469f-a165-70867728950e end", 25, 40,
			[]string{"trace=", "0f8fad5b-d9cb-469f-a165-70867728950e end"}},
		{"id too far from the edge", "rid=" + rid, 30, 30, []string{"rid=4569da6769b9be2cd848483d9d", "d2d3da"}},
		{"id wider than a line", rid + rid, 24, 24, []string{rid[:24], rid[24:] + rid[:16], rid[16:]}},
		{"short hex is no id", "abcdefgh 0123456789abcde", 20, 20, []string{"abcdefgh 0123456789a", "bcde"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := wrapRaw(tc.s, tc.first, tc.rest, "")
			if strings.Join(got, "|") != strings.Join(tc.want, "|") {
				t.Errorf("wrapRaw(%q, %d, %d) =\n%q\nwant\n%q", tc.s, tc.first, tc.rest, got, tc.want)
			}
			if strings.Join(got, "") != Sanitize(tc.s) {
				t.Errorf("wrapRaw(%q) rejoins to %q", tc.s, strings.Join(got, ""))
			}
			for i, l := range got {
				if w, limit := lenCells(l), map[bool]int{true: tc.first, false: tc.rest}[i == 0]; w > limit {
					t.Errorf("line %d %q is %d cells, more than %d", i, l, w, limit)
				}
			}
		})
	}
}

// TestDetailKeepsEscapesAndIdsWholeScreens renders a request whose access
// line is full of escapes and ends in a request id, at 80×40 and 120×40
// (golden files in testdata/TestDetailKeepsEscapesAndIdsWholeScreens):
// where it is filled to the edge it breaks before an escape, never in it
// ("\u206" / "↪ 9", QA s29), and the id is on one line.
func TestDetailKeepsEscapesAndIdsWholeScreens(t *testing.T) {
	const (
		rid = "4569da6769b9be2cd848483d9dd2d3da"
		raw = "10.0.0.7 - - [02/Jan/2024:03:04:05 +0000] \"GET /api/orders?id=42\u202eevil\u202c\u2066x\u2069\u202eevil\u202c\u2066x\u2069\u202eevil\u202c HTTP/1.1\" 502 157 " +
			"\"-\" \"ua\x1b]8;;http://x/\x1b\\link\x1b]8;;\x1b\\\x1b]0;title\x07\x1b[2J\x1b[H\x1b[31mred\x1b[0m\" rt=0.004 uct=\"0.001\" uht=\"-\" ua=\"10.0.1.11:8080\" us=\"502\" rid=" + rid
	)
	escape := regexp.MustCompile(`\\(u[0-9a-f]{4}|x[0-9a-f]{2})`)
	for _, w := range []int{80, 120} {
		t.Run(fmt.Sprintf("%dx40", w), func(t *testing.T) {
			s := fixtureSnapshot(plainStrings)
			for _, v := range s.Recent {
				if v.Entry != nil && v.Entry.Path == plainStrings.path {
					v.Entry.Raw = raw
				}
			}
			m := New(newFakeSource(s), Options{Title: "shop", Refresh: 20 * time.Millisecond})
			view := playScreen(t, m, w, 40, []screenStep{{"enter", "▸ upstream 10.0.0.1:8080"},
				{"enter", "▸ request 502 GET /api/orders?id=42"}})
			lines := strings.Split(ansi.Strip(view), "\n")
			var pieces []string
			for i, l := range lines {
				if strings.HasPrefix(l, "   10.0.0.7 ") {
					pieces = append(pieces, strings.TrimRight(l[3:], " "))
					for _, next := range lines[i+1:] {
						if !strings.HasPrefix(next, "   ↪ ") {
							break
						}
						pieces = append(pieces, strings.TrimRight(strings.TrimPrefix(next, "   ↪ "), " "))
					}
					break
				}
			}
			if len(pieces) < 3 {
				t.Fatalf("the access line is not wrapped in 3 lines or more:\n%s", ansi.Strip(view))
			}
			// Each break is at a space or outside every escape: the
			// pieces hold whole escapes, and as many as the line.
			n := 0
			for _, p := range pieces {
				n += len(escape.FindAllString(p, -1))
			}
			if want := len(escape.FindAllString(Sanitize(raw), -1)); n != want {
				t.Errorf("the pieces hold %d whole escapes, the line %d: %q", n, want, pieces)
			}
			if !strings.Contains(ansi.Strip(view), "rid="+rid) && !strings.Contains(ansi.Strip(view), "↪ "+rid) {
				t.Errorf("the request id is split: %q", pieces)
			}
			teatest.RequireEqualOutput(t, []byte(view))
		})
	}
}
