package tui

import (
	"strings"
	"testing"
)

// Responses the upstream cut after their headers were no 5xx, so no rate,
// cause row or table row shows them; the report says how many
// (cut_after_headers) and so must the screen: on the overview while there
// is room, in the help always.
func TestCutAfterHeadersIsSaid(t *testing.T) {
	s := fixtureSnapshot(plainStrings)
	s.CutAfterHeaders = 3
	want := " cut 3 responses were cut after their headers (the upstream reset, closed or timed out while sending the body): the clients got the upstream's status, not a 5xx, and part of the body"
	overviewSays(t, s, want, 15)
	m := newTestModel(t, newFakeSource(s), 100, 60)
	if v := helpContent(&m.keys, m.styles, s, lesson{}, 100); !strings.Contains(v, "Broken, but not a 5xx") || !strings.Contains(v, "• 3 responses were cut after their headers") {
		t.Errorf("help:\n%s", v)
	}

	// Training mode hides cause names until the trainee has answered.
	s.CutAfterHeaders = 1
	if got := redactCauses(cutAfterHeadersText(1)); strings.Contains(got, "upstream_reset") {
		t.Errorf("redacted: %q", got)
	}
	m = newTestModel(t, newFakeSource(s), 200, 48)
	if v := m.View(); !strings.Contains(v, " cut 1 response was cut after its headers") {
		t.Errorf("one response:\n%s", v)
	}
}

// An upstream answer with no valid status line, which nginx passed on as
// HTTP/0.9 (status 009), is no 5xx either, and its client got no HTTP
// response: the overview says it while there is room, the help always,
// with where such answers come from.
func TestNoStatusLineIsSaid(t *testing.T) {
	s := fixtureSnapshot(plainStrings)
	s.NoStatusLine = 93
	want := " 009 93 upstream answers had no valid status line (nginx status 009): nginx passed their bytes on as HTTP/0.9, so the clients got no HTTP response, and no 5xx was logged"
	overviewSays(t, s, want, 15)
	m := newTestModel(t, newFakeSource(s), 100, 60)
	if v := helpContent(&m.keys, m.styles, s, lesson{}, 100); !strings.Contains(v, "Broken, but not a 5xx") || !strings.Contains(v, "• 93 upstream answers had no valid status line") || !strings.Contains(v, "proxy_pass") {
		t.Errorf("help:\n%s", v)
	}
	s.NoStatusLine = 1
	m = newTestModel(t, newFakeSource(s), 200, 48)
	if v := m.View(); !strings.Contains(v, " 009 1 upstream answer had no valid status line (nginx status 009): nginx passed its bytes on as HTTP/0.9, so the client got no HTTP response") {
		t.Errorf("one answer:\n%s", v)
	}
}
