package textsafe

import "testing"

func TestEscape(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"GET /ok?n=1", "GET /ok?n=1"},
		{"\x1b]0;owned\x07", `\x1b]0;owned\x07`},
		{"\x1b[2J", `\x1b[2J`},
		{"a\tb", "a b"},
		{"line\r\n", `line\r\n`},
		{"\u202eevil", `\u202eevil`},
		{"\u009b", `\u009b`},
		{"\xff", "\uFFFD"},
		{"日本語", "日本語"},
	} {
		if got := Escape(c.in); got != c.want {
			t.Errorf("Escape(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}
