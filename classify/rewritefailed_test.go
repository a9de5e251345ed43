package classify

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// HAProxy's PH with 500 is its own http-response rule that failed to
// rewrite the server's response (formats.md §3.2, "500 if header rewrite
// failed"), not a response it could not use: it was
// upstream_bad_response high with the invalid-headers hint (QA s36 L5).
// PH with 502 stays upstream_bad_response.
func TestHAProxyRewriteFailureIsItsOwn(t *testing.T) {
	log := `Jan  2 03:04:11 lb1 haproxy[8]: 10.0.0.9:51006 [02/Jan/2024:03:04:11.120] fe_http be_app/s1 0/0/1/10/12 502 217 - - PH-- 1/1/0/0/0 0/0 "GET /ph_bad HTTP/1.1"
Jan  2 03:04:12 lb1 haproxy[8]: 10.0.0.9:51007 [02/Jan/2024:03:04:12.120] fe_http be_app/s1 0/0/1/10/12 500 217 - - PH-- 1/1/0/0/0 0/0 "GET /ph_500 HTTP/1.1"
`
	p := filepath.Join(t.TempDir(), "haproxy.log")
	if err := os.WriteFile(p, []byte(log), 0o644); err != nil {
		t.Fatal(err)
	}
	want := map[string]struct {
		cause  Cause
		conf   Confidence
		detail string
		hint   string
	}{
		"/ph_bad": {UpstreamBadResponse, High, "", "sent a response HAProxy could not use"},
		"/ph_500": {Unknown, Low, "proxy_internal", "tune.maxrewrite"},
	}
	seen := 0
	for _, v := range verdictsOfFiles(t, p) {
		w, ok := want[v.Entry.Path]
		if !ok {
			continue
		}
		seen++
		if v.Cause != w.cause || v.Confidence != w.conf || v.Detail != w.detail {
			t.Errorf("%s: %s %s %q, want %s %s %q", v.Entry.Path, v.Cause, v.Confidence, v.Detail, w.cause, w.conf, w.detail)
		}
		if !strings.Contains(v.Hint, w.hint) {
			t.Errorf("%s: hint %q lacks %q", v.Entry.Path, v.Hint, w.hint)
		}
	}
	if seen != len(want) {
		t.Errorf("%d verdicts, want %d", seen, len(want))
	}
}
