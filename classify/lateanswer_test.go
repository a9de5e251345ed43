package classify

import (
	"slices"
	"testing"
)

// A 504 whose app answered another status after the proxy's timeout says
// so (README, "Judged against real proxies"), whether an error line or
// the access line's own reason (HAProxy's sH--) gave the timeout: HAProxy
// 2.6.12's 504 of an app that answered 503 2.5 s after the 1 s timeout
// server cited "app: finished with 503" and no "gave up" (QA s17, 0 of
// 27, where Caddy's and nginx's error lines said it: testdata/
// haproxy-late-app-5xx, the real lines of one such request).
func TestLateAppAnswerAfterHAProxyTimeout(t *testing.T) {
	vs := judgeFiles(t, readLogs(t, "haproxy-late-app-5xx", "access.log", "app.log"))
	if len(vs) != 1 {
		t.Fatalf("%d verdicts, want 1", len(vs))
	}
	v := vs[0]
	if v.Cause != UpstreamTimeout || v.Confidence != High || v.MatchedBy != "request_id" {
		t.Errorf("%s/%s by %q, want upstream_timeout/high by request_id", v.Cause, v.Confidence, v.MatchedBy)
	}
	if !slices.Contains(v.Evidence, finishedLateText) {
		t.Errorf("evidence %q lacks %q", v.Evidence, finishedLateText)
	}
}
