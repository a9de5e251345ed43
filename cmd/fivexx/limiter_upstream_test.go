package main

import (
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// TestLimiterLinesGoToTheLimited503s is QA s29's demo load burst
// (testdata/qa29-limiter): nginx's "limiting requests" line went to the
// app's own 503 of the same connection, path and second, which an
// upstream answered (ua, us="503", uht), though limit_req acts before any
// upstream is contacted; the limited 503 (ua="-") beside it was then
// proxy_rejected medium, "nginx most likely answered on its own without
// logging an error" (03:03:29, :38 and :44). Every limited 503 has its
// line now, and no 503 an upstream answered cites one.
func TestLimiterLinesGoToTheLimited503s(t *testing.T) {
	inZone(t, "UTC")
	dir := filepath.Join("testdata", "qa29-limiter")
	evs, _ := reportEvents(t, filepath.Join(dir, "access.log"), filepath.Join(dir, "error.log"), filepath.Join(dir, "app.log"))
	cites := func(ev reportEvent) bool {
		return slices.ContainsFunc(ev.Evidence, func(x string) bool { return strings.HasPrefix(x, "error log: limiting requests") })
	}
	limited := 0
	for _, ev := range evs {
		if ev.Upstream != "-" {
			if cites(ev) {
				t.Errorf("%s %d %s (upstream %s): cites a limiter's line: %q", ev.Time, ev.Status, ev.Path, ev.Upstream, ev.Evidence)
			}
			continue
		}
		limited++
		if ev.Cause != "proxy_rejected" || ev.Confidence != "high" || !cites(ev) {
			t.Errorf("%s %d %s: %s %s, want proxy_rejected high with its limiting line: %q", ev.Time, ev.Status, ev.Path, ev.Cause, ev.Confidence, ev.Evidence)
		}
	}
	if limited < 300 {
		t.Errorf("%d limited 503s, the recording has over 300", limited)
	}
}
