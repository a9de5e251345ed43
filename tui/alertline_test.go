package tui

import (
	"strings"
	"testing"
	"time"

	"fivexx/classify"
)

// Every alert in a snapshot is active now: the alert line names the others
// after the newest, where it said "(+1 earlier)" of a 500 alert on another
// upstream as current as the one shown (QA). Their upstream is log text,
// sanitized; in training their causes are hidden.
func TestAlertLineNamesEveryActiveAlert(t *testing.T) {
	at := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	s := &classify.Snapshot{Alerts: []classify.Alert{
		{Time: at, Upstream: "10.9.9.9:8080", Status: 502, Cause: classify.Cause("upstream_refused"), Count: 29,
			Text: "502 ×29 in the last 30 s on 10.9.9.9:8080 — upstream_refused"},
		{Time: at.Add(-time.Second), Upstream: "10.0.1.11:8080\x1b[31m", Status: 500, Cause: classify.Cause("app_error"), Count: 27,
			Text: "500 ×27 in the last 30 s on 10.0.1.11:8080 — app_error"},
	}}
	def := DefaultStyles()
	st := &def
	got := alertView(s, 200, false, st)
	for _, want := range []string{"502 ×29 in the last 30 s on 10.9.9.9:8080 — upstream_refused", "1 more: 500 ×27 on 10.0.1.11:8080\\x1b[31m — app_error"} {
		if !strings.Contains(got, want) {
			t.Errorf("alert line %q lacks %q", got, want)
		}
	}
	if strings.Contains(got, "earlier") || strings.Contains(got, "\x1b[31m") {
		t.Errorf("alert line %q", got)
	}
	if hidden := alertView(s, 200, true, st); strings.Contains(hidden, "app_error") || strings.Contains(hidden, "upstream_refused") {
		t.Errorf("training: causes shown: %q", hidden)
	}
}
