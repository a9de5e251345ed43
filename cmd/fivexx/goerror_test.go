package main

import (
	"strings"
	"testing"
)

// Go's ETIMEDOUT ("connection timed out"; "operation timed out" on the
// BSDs) in a Caddy error entry or a Traefik DEBUG line: at connect it is
// a connect timeout, as "dial tcp …: i/o timeout" is; it was no reason, so
// Caddy's 504 was a low guess at a slow app ("compare the proxy's read
// timeout") and Traefik's DEBUG line was read and ignored. On an
// established connection (read:) it stays a read-side timeout.
func TestGoConnectionTimedOut(t *testing.T) {
	const (
		caddyAccess = `{"level":"error","ts":%s,"logger":"http.log.access","msg":"handled request","request":{"remote_ip":"203.0.113.7","remote_port":"%s","client_ip":"203.0.113.7","proto":"HTTP/1.1","method":"GET","host":"api.example.com","uri":"%s","headers":{}},"bytes_read":0,"user_id":"","duration":3.0,"size":0,"status":504,"resp_headers":{"Server":["Caddy"]}}`
		caddyError  = `{"level":"error","ts":%s,"logger":"http.log.error","msg":"%s","request":{"remote_ip":"203.0.113.7","remote_port":"%s","client_ip":"203.0.113.7","proto":"HTTP/1.1","method":"GET","host":"api.example.com","uri":"%s","headers":{}},"duration":3.0,"status":504,"err_id":"e","err_trace":"reverseproxy.statusError (reverseproxy.go:1269)"}`
	)
	fill := func(format string, args ...string) string {
		for _, a := range args {
			format = strings.Replace(format, "%s", a, 1)
		}
		return format
	}
	const connectHint = "connecting to 10.0.0.5:8080 timed out: host down, firewall dropping SYNs, backlog full"
	const readHint = "10.0.0.5:8080 did not answer in time: slow dependency or overload in the app; compare the proxy's read timeout with the app's own timeouts"
	for _, tc := range []struct {
		name  string
		files map[string]string
		path  string
		hint  string
	}{
		{
			name: "caddy, connect: connection timed out",
			files: map[string]string{
				"access.log": lines(fill(caddyAccess, "1754633395.9999", "51002", "/c")),
				"error.log":  lines(fill(caddyError, "1754633395.9998", "dial tcp 10.0.0.5:8080: connect: connection timed out", "51002", "/c")),
			},
			path: "/c", hint: connectHint,
		},
		{
			name: "caddy, connect: operation timed out (BSD, macOS)",
			files: map[string]string{
				"access.log": lines(fill(caddyAccess, "1754633395.9999", "51002", "/c")),
				"error.log":  lines(fill(caddyError, "1754633395.9998", "dial tcp 10.0.0.5:8080: connect: operation timed out", "51002", "/c")),
			},
			path: "/c", hint: connectHint,
		},
		{
			name: "caddy, read: connection timed out on an established connection",
			files: map[string]string{
				"access.log": lines(fill(caddyAccess, "1754633395.9999", "51002", "/r")),
				"error.log":  lines(fill(caddyError, "1754633395.9998", "read tcp 10.0.0.2:41234->10.0.0.5:8080: read: connection timed out", "51002", "/r")),
			},
			path: "/r", hint: readHint,
		},
		{
			name: "traefik CLF and its DEBUG line",
			files: map[string]string{
				"a-access.log": lines(`10.0.0.9 - - [02/Jan/2024:03:08:24 +0000] "GET /api HTTP/1.1" 504 15 "-" "curl/8.4.0" 42 "api@docker" "http://10.0.0.5:8080" 129000ms`),
				"b-debug.log":  lines(`time="2024-01-02T03:08:24Z" level=debug msg="'504 Gateway Timeout' caused by: dial tcp 10.0.0.5:8080: connect: connection timed out"`),
			},
			path: "/api", hint: connectHint,
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := runVerdictCase(t, verdictCase{files: tc.files, want: map[string]wantEvent{
				tc.path: {cause: "upstream_timeout", appLines: -1, in: "timed out"},
			}})
			ev := got[tc.path]
			if ev.Confidence != "high" || ev.Hint != tc.hint {
				t.Errorf("confidence %s, hint %q; want high, %q (evidence %q)", ev.Confidence, ev.Hint, tc.hint, ev.Evidence)
			}
		})
	}
}
