package tui

import (
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
)

// ? help says what every number on screen counts: the header's pending,
// the inputs' lines/s, unparsed and last, the rates' span, share and
// sparkline, the upstream table's columns, the confidences and "matched
// by", the alert line and the replay line. It explained the keys and the
// statuses only: a new user read the upstream table's "app log 0%" as "the
// app log is empty".
func TestHelpSaysWhatTheNumbersMean(t *testing.T) {
	km := defaultKeyMap()
	st := DefaultStyles()
	content := ansi.Strip(helpContent(&km, &st, fixtureSnapshot(plainStrings), lesson{}, 160))
	_, nums, ok := strings.Cut(content, "What the numbers mean")
	if !ok {
		t.Fatalf("help has no section on the numbers:\n%s", content)
	}
	nums, _, _ = strings.Cut(nums, "Field guide")
	for _, label := range []string{"pending", "window", "lines/s", "unparsed", "last", "10 s", "share, %", "sparkline",
		"req/s", "500…504", "5xx%", "p99", "cause", "app log", "high", "medium", "low", "matched by",
		// The alert line and the replay line (QA s26).
		"alert", "N more", "▶ ⏸ ■", "10×, max", "bar, %", "ETA", "gaps cut", "next …"} {
		found := false
		for _, l := range strings.Split(nums, "\n") {
			if strings.HasPrefix(strings.TrimSpace(l), label+" ") {
				found = true
				break
			}
		}
		if !found {
			t.Errorf("help says nothing of %q:\n%s", label, nums)
		}
	}
	// The rates pane says its span at 80 columns too.
	m := newTestModel(t, newFakeSource(fixtureSnapshot(plainStrings)), 80, 24)
	if v := ansi.Strip(m.View()); !strings.Contains(v, "Rates 10 s · % of 5m") {
		t.Errorf("80x24 overview does not say the rates' span:\n%s", v)
	}
}
