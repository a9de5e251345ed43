package report

import (
	"bytes"
	"encoding/json"
	"reflect"
	"strings"
	"testing"
	"unicode"
)

func safeJSON(t testing.TB, v any) []byte {
	t.Helper()
	var out bytes.Buffer
	if err := json.NewEncoder(&terminalSafe{w: &out}).Encode(v); err != nil {
		t.Fatal(err)
	}
	return out.Bytes()
}

func TestTerminalSafeJSON(t *testing.T) {
	tests := []struct{ in, want string }{
		{"plain /api/cart", `"plain /api/cart"`},
		{"caf\u00e9 \u65e5\u672c", `"caf` + "\u00e9 \u65e5\u672c" + `"`}, // printable non-ASCII stays
		{"a\x7fb", `"a\u007fb"`},
		{"csi\u009b31m", `"csi\u009b31m"`},
		{"evil\u202etxt.exe", `"evil\u202etxt.exe"`},
		{"iso\u2066x\u2069", `"iso\u2066x\u2069"`},
		{"zw\u200bj\ufeff", `"zw\u200bj\ufeff"`},
		{"tag\U000E0041", `"tag\udb40\udc41"`},
		{"esc\x1b]0;t\x07", `"esc\u001b]0;t\u0007"`}, // encoding/json's own escapes
	}
	for _, tt := range tests {
		got := strings.TrimSuffix(string(safeJSON(t, tt.in)), "\n")
		if got != tt.want {
			t.Errorf("%q: got %s, want %s", tt.in, got, tt.want)
		}
	}
}

// FuzzTerminalSafeJSON: whatever a string holds, the output decodes to
// what encoding/json alone gives and holds no character a terminal acts on.
func FuzzTerminalSafeJSON(f *testing.F) {
	for _, s := range []string{"", "x", "\u202e\u0085\x7f", "\xff\xfe", "\U000E0001 tag", "a\"b\\c"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		v := map[string][]string{"k" + s: {s, "/" + s}}
		out := safeJSON(t, v)
		var got, want map[string][]string
		if err := json.Unmarshal(out, &got); err != nil {
			t.Fatalf("not JSON: %v: %q", err, out)
		}
		plain, _ := json.Marshal(v)
		if err := json.Unmarshal(plain, &want); err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("decodes to %q, want %q", got, want)
		}
		for _, r := range string(out) {
			if r < 0x20 && r != '\n' || r == 0x7f || r >= 0x80 && r <= 0x9f || unicode.Is(unicode.Cf, r) || r == '\u2028' || r == '\u2029' {
				t.Fatalf("raw %U in %q", r, out)
			}
		}
	})
}
