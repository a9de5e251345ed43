package tui

import (
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/charmbracelet/x/ansi"
	"github.com/google/go-cmp/cmp"
)

func TestSanitize(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"plain", `GET /api/orders?id=42 HTTP/1.1`, `GET /api/orders?id=42 HTTP/1.1`},
		{"osc title", "\x1b]0;owned\x07", `\x1b]0;owned\x07`},
		{"clear screen", "\x1b[2J", `\x1b[2J`},
		{"hyperlink", "\x1b]8;;http://x\x07link\x1b]8;;\x07", `\x1b]8;;http://x\x07link\x1b]8;;\x07`},
		{"clipboard write", "\x1b]52;c;ZXZpbA==\x07", `\x1b]52;c;ZXZpbA==\x07`},
		{"cursor move", "\x1b[10;10H", `\x1b[10;10H`},
		{"dcs", "\x1bP+q544e\x1b\\", `\x1bP+q544e\x1b\`},
		{"apc", "\x1b_Gpayload\x1b\\", `\x1b_Gpayload\x1b\`},
		{"right-to-left override", "abc\u202edcba", `abc\u202edcba`},
		{"bidi isolates", "\u2066x\u2069\u2067y\u2068", `\u2066x\u2069\u2067y\u2068`},
		{"marks", "\u200e\u200f\u061c", `\u200e\u200f\u061c`},
		{"zero width", "a\u200bb\u200cc\u200dd\u2060e\ufeff", `a\u200bb\u200cc\u200dd\u2060e\ufeff`},
		{"C1 CSI", "x\u009b31my", `x\u009b31my`},
		{"C1 range", "\u0080\u009f", `\u0080\u009f`},
		{"NUL and bell", "a\x00b\x07", `a\x00b\x07`},
		{"DEL", "a\x7fb", `a\x7fb`},
		{"tab", "a\tb", "a b"},
		{"newlines", "a\r\nb", `a\r\nb`},
		{"invalid bytes", "a\xff\xfeb", "a\ufffd\ufffdb"},
		{"raw C1 byte", "a\x9bb", "a\ufffdb"},
		{"truncated utf-8", "caf\xc3", "caf\ufffd"},
		{"line separators", "a\u2028b\u2029", `a\u2028b\u2029`},
		{"wide and accents kept", "日本語 café 🚀 é", "日本語 café 🚀 é"},
		{"replacement char kept", "\ufffd", "\ufffd"},
		{"variation selectors dropped", "⚠️ ❤️ ☺\ufe0e", "⚠ ❤ ☺"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, Sanitize(tt.in)); diff != "" {
				t.Errorf("Sanitize(%q) mismatch (-want +got):\n%s", tt.in, diff)
			}
		})
	}
}

func TestClip(t *testing.T) {
	tests := []struct {
		name string
		in   string
		w    int
		want string
	}{
		{"fits", "10.0.0.1:8080", 13, "10.0.0.1:8080"},
		{"cut", "10.0.0.1:8080", 8, "10.0.0.…"},
		{"wide characters", "日本語です", 5, "日本…"},
		{"wide character on the edge", "日本語です", 6, "日本…"},
		{"escape made visible before cutting", "\x1b[2Jabc", 6, `\x1b[…`},
		{"zero width", "abc", 0, ""},
		{"emoji", "🚀🚀🚀", 4, "🚀…"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := clip(tt.in, tt.w)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("clip(%q, %d) mismatch (-want +got):\n%s", tt.in, tt.w, diff)
			}
			if w := ansi.StringWidth(got); w > tt.w {
				t.Errorf("clip(%q, %d) is %d cells wide", tt.in, tt.w, w)
			}
		})
	}
}

func TestWrapRaw(t *testing.T) {
	line := `10.1.2.3 - - [02/Jan/2024:03:04:05 +0000] "GET /x HTTP/1.1" 502 157`
	got := wrapRaw(line, 20, 18, "  ")
	if strings.Join(got, "") == "" {
		t.Fatal("empty")
	}
	var joined strings.Builder
	for i, l := range got {
		limit := 20
		if i > 0 {
			limit = 20
			if !strings.HasPrefix(l, "  ") {
				t.Errorf("line %d %q lacks the indent", i, l)
			}
			l = strings.TrimPrefix(l, "  ")
		}
		if w := ansi.StringWidth(l); w > limit {
			t.Errorf("line %d %q is %d cells wide", i, l, w)
		}
		joined.WriteString(l)
	}
	if joined.String() != line {
		t.Errorf("wrapped lines do not rejoin to the line:\n%q\n%q", joined.String(), line)
	}
}

// unsafeRune returns the first rune of s that a terminal could interpret or
// hide, and whether there is one.
func unsafeRune(s string) (rune, bool) {
	if !utf8.ValidString(s) {
		return utf8.RuneError, true
	}
	for _, r := range s {
		if r == '\n' {
			continue
		}
		if unicode.IsControl(r) || unicode.Is(unicode.Cf, r) || r == '\u2028' || r == '\u2029' {
			return r, true
		}
	}
	return 0, false
}

func FuzzSanitize(f *testing.F) {
	for _, s := range []string{
		"", "plain", "\x1b]0;owned\x07", "\x1b[2J", "\x1b]8;;http://x\x07link\x1b]8;;\x07",
		"\x1b]52;c;ZXZpbA==\x07", "\x1b[10;10H", "\u202e", "\u009b", "\x00", "\xff\xfe", "日本語",
		"a\tb\r\n", "\u200b\ufeff\u2066\u061c", "\xc3", "\xe2\x80\xae",
		"👍🏽👍🏽 x", "हिन्दी नमस्ते", "क्षि กำ ᄀᄀ", "⚠️❤️",
	} {
		f.Add(s, 10)
	}
	f.Fuzz(func(t *testing.T, s string, w int) {
		out := Sanitize(s)
		if r, bad := unsafeRune(out); bad {
			t.Fatalf("Sanitize(%q) = %q keeps %U", s, out, r)
		}
		if strings.ContainsRune(out, '\n') {
			t.Fatalf("Sanitize(%q) = %q keeps a newline", s, out)
		}
		if printableASCII(s) && out != s {
			t.Fatalf("Sanitize changed printable ASCII %q to %q", s, out)
		}
		w = w%200 + 1
		if w < 1 {
			w += 200
		}
		c := clip(s, w)
		if cw := ansi.StringWidth(c); cw > w {
			t.Fatalf("clip(%q, %d) = %q is %d cells", s, w, c, cw)
		}
		if cw := codePointCells(c); cw > w {
			t.Fatalf("clip(%q, %d) = %q is %d cells drawn code point by code point", s, w, c, cw)
		}
		for i, l := range wrapWords(s, w, "") {
			if cw := max(ansi.StringWidth(l), codePointCells(l)); cw > max(w, 1) {
				t.Fatalf("wrapWords(%q, %d) line %d %q is %d cells", s, w, i, l, cw)
			}
		}
		if r, bad := unsafeRune(c); bad {
			t.Fatalf("clip(%q, %d) = %q keeps %U", s, w, c, r)
		}
	})
}

func printableASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < 0x20 || s[i] >= 0x7f {
			return false
		}
	}
	return true
}
