package main

import (
	"path/filepath"
	"testing"
)

// TestMixedIDsFromQA: QA s22 F3, two real Caddy lines for GET /e500 1.37 s
// apart, only the second client sending X-Request-ID (Caddy's access log
// keeps request headers), and the app's lines of both, the first with an
// empty request_id (testdata/applog/mixed-ids-caddy). The first was
// unknown, "the app lines within ±2 s each went to another 5xx": the id'd
// lines hid its own lines 0.04 s away, and counted as taken.
func TestMixedIDsFromQA(t *testing.T) {
	inZone(t, "UTC")
	const hint500 = `the app answered 500 itself: look at its errors and stack traces — it says: "request finished"`
	dir := filepath.Join("testdata", "applog", "mixed-ids-caddy")
	evs, _ := reportEvents(t, filepath.Join(dir, "access.log"), filepath.Join(dir, "app.log"))
	checkRuleWants(t, evs, []ruleWant{
		{"/e500", "app_error", "low", []string{`app: finished with 500 (in the time window): "request finished"`}, hint500},
		{"/e500", "app_error", "high", []string{`app: finished with 500 (by request id): "request finished"`}, hint500},
	})
}
