package classify

import (
	"strings"
	"testing"
	"unicode/utf8"

	"fivexx/sources"
)

// TestQuotedAppMessagesStayValidUTF8: the hint and the evidence quote the
// app's message cut to 100 and 120 bytes; cut inside a code point they held
// invalid UTF-8, which the UI shows as U+FFFD and --json as \ufffd.
func TestQuotedAppMessagesStayValidUTF8(t *testing.T) {
	for _, msg := range []string{
		"like failed " + strings.Repeat("👍🏽", 30),
		"भुगतान विफल " + strings.Repeat("हिन्दी ", 30),
		"x" + strings.Repeat("é", 100),
	} {
		for n := 90; n <= 130; n++ {
			got := cutText(msg, n)
			if !utf8.ValidString(got) {
				t.Errorf("cutText(%q, %d) = %q is not valid UTF-8", msg, n, got)
			}
			if len(got) > n+len("…") || !strings.HasPrefix(msg, strings.TrimSuffix(got, "…")) {
				t.Errorf("cutText(%q, %d) = %q", msg, n, got)
			}
		}
		app := []*sources.AppEntry{{Level: "error", Message: msg}}
		if q := appErrorText(app); !utf8.ValidString(q) {
			t.Errorf("appErrorText quotes %q", q)
		}
	}
}
