package tui

import (
	"strings"
	"testing"

	"fivexx/classify"

	"github.com/charmbracelet/x/ansi"
)

// TestAdviceLineKeepsItsPoint: the overview's advice line cut the nginx
// advice of a log without upstream fields before its point ("… the error
// log told who made each o…" at 120 columns: its first clause took 80).
// A line that does not fit says its first clause in short
// (classify.ShortProblem); one that fits is as it was.
func TestAdviceLineKeepsItsPoint(t *testing.T) {
	st := DefaultStyles()
	const nginx = "the access log has no $upstream_status/$upstream_addr/$upstream_header_time: the error log told who made each of its 162 5xx, but no request is tied to the upstream that served it, and retries are not seen"
	const cloudflare = "the Logpush fields have no OriginResponseStatus/OriginIP: whether Cloudflare or the origin made 3 of its 4 5xx is only a time-window guess (no RayID joined to an app line, nor Cloudflare's own 52x or security action, tells)"
	for _, tc := range []struct {
		problem string
		w       int
		want    string
	}{
		{nginx, 80, " advice no upstream fields: the error log told who made each of its 162 5xx"},
		{nginx, 120, " advice no upstream fields: the error log told who made each of its 162 5xx, but no request is tied to the upstream"},
		{cloudflare, 80, " advice no origin fields: whether Cloudflare or the origin made 3 of its 4 5xx"},
		{nginx, 400, " advice " + nginx + " → fix it"},
	} {
		snap := &classify.Snapshot{Advice: []classify.Advice{{Problem: tc.problem, Fix: "fix it"}}}
		got := ansi.Strip(adviceView(snap, 1, tc.w, false, &st))
		if !strings.HasPrefix(got, tc.want) {
			t.Errorf("at %d columns %q, want it to begin %q", tc.w, got, tc.want)
		}
		if lenCells(got) > tc.w {
			t.Errorf("at %d columns %q: %d wide", tc.w, got, lenCells(got))
		}
	}
	// The last line shown, with "(+1 more, see ?)" after it, is shortened
	// alike.
	snap := &classify.Snapshot{Advice: []classify.Advice{{Problem: nginx, Fix: "fix it"}, {Problem: "another", Fix: "fix"}}}
	if got := ansi.Strip(adviceView(snap, 1, 100, false, &st)); !strings.Contains(got, "told who made each of its 162 5xx") || !strings.HasSuffix(got, "(+1 more, see ?)") {
		t.Errorf("at 100 columns, 1 line of 2: %q", got)
	}
}
