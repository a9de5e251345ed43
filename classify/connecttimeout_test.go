package classify

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestConnectTimeoutTheAppSaw: ALB's 504 with no target time after about
// its 10 s connect timeout reads as no connection to the target
// (formats.md §5.3), but an app that logged the request by its request id
// had it: the connection was made, and the load balancer's idle timeout
// (set near 10 s) ended it. The evidence said "no connection to the
// target within ALB's 10 s connect timeout" and the hint "host down,
// firewall dropping SYNs" beside the app's "request started" of that id
// (QA s31 F10). Without the app's line it is still the connect timeout.
func TestConnectTimeoutTheAppSaw(t *testing.T) {
	// formats.md §5.4's built 504, answered 10 s after it was created.
	alb := strings.Join([]string{
		`https 2024-01-02T03:04:05.123456Z app/web/50dc6c495c0c9188 203.0.113.9:51000 10.0.1.20:8080 0.001 0.010 0.000 200 200 212 278 "GET https://api.example.com:443/ok HTTP/1.1" "curl/8.4.0" ECDHE-RSA-AES128-GCM-SHA256 TLSv1.2 arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/web/73e2d6bc24d8a067 "Root=1-65937a41-0123456789abcdef01234501" "api.example.com" "arn:aws:acm:us-east-1:123456789012:certificate/abcd" 1 2024-01-02T03:04:05.112456Z "forward" "-" "-" "10.0.1.20:8080" "200" "-" "-" TID_dc57cebed65b444ebc8177bb698fe166`,
		`https 2024-01-02T03:04:15.123456Z app/web/50dc6c495c0c9188 203.0.113.9:51000 10.0.1.20:8080 0.001 -1 -1 504 - 212 278 "GET https://api.example.com:443/report HTTP/1.1" "curl/8.4.0" ECDHE-RSA-AES128-GCM-SHA256 TLSv1.2 arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/web/73e2d6bc24d8a067 "Root=1-65937a41-0123456789abcdef01234567" "api.example.com" "arn:aws:acm:us-east-1:123456789012:certificate/abcd" 1 2024-01-02T03:04:05.120000Z "forward" "-" "-" "10.0.1.20:8080" "-" "-" "-" TID_dc57cebed65b444ebc8177bb698fe166`,
	}, "\n") + "\n"
	app := strings.Join([]string{
		`time=2024-01-02T03:04:05.115Z level=INFO msg="request completed" method=GET path=/ok status=200 trace_id="Root=1-65937a41-0123456789abcdef01234501"`,
		`time=2024-01-02T03:04:05.200Z level=INFO msg="request started" method=GET path=/report trace_id="Root=1-65937a41-0123456789abcdef01234567"`,
	}, "\n") + "\n"
	const noConnection = "no connection to the target within ALB's 10 s connect timeout (10.003 s elapsed)"
	const hadIt = "the app logged the request (by request id): the target had it, so no connect timeout ended it, though it took about ALB's 10 s connect timeout (10.003 s): the target sent no response within the load balancer's idle timeout"
	for _, tc := range []struct {
		name        string
		files       []string
		detail      string
		want, not   string // in the evidence, not in it
		hint, nohit string // in the hint, not in it
	}{
		{"the app had the request", []string{"alb.log", "app.log"}, "read", hadIt, noConnection, "did not answer in time", "firewall dropping SYNs"},
		{"no app log", []string{"alb.log"}, "connect", noConnection, "the target had it", "firewall dropping SYNs", "did not answer in time"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			for name, text := range map[string]string{"alb.log": alb, "app.log": app} {
				if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			vs := verdictsFrom(t, dir, tc.files...)
			if len(vs) != 1 {
				t.Fatalf("%d verdicts, want 1", len(vs))
			}
			v := vs[0]
			ev := strings.Join(v.Evidence, "\n")
			if v.Cause != UpstreamTimeout || v.Detail != tc.detail || !strings.Contains(ev, tc.want) || strings.Contains(ev, tc.not) ||
				!strings.Contains(v.Hint, tc.hint) || strings.Contains(v.Hint, tc.nohit) {
				t.Errorf("%s (%s) %s, evidence:\n%s\nhint: %s\nwant upstream_timeout (%s) with %q, not %q; hint with %q, not %q", v.Cause, v.Detail, v.Confidence, ev, v.Hint, tc.detail, tc.want, tc.not, tc.hint, tc.nohit)
			}
		})
	}
}
