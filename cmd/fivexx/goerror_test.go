package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Go's ETIMEDOUT ("connection timed out"; "operation timed out" on the
// BSDs) in a Caddy error entry or a Traefik DEBUG line: at connect it is
// a connect timeout, as "dial tcp …: i/o timeout" is; it was no reason, so
// Caddy's 504 was a low guess at a slow app ("compare the proxy's read
// timeout") and Traefik's DEBUG line was read and ignored. On an
// established connection (read:) it stays a read-side timeout. Caddy
// answers a dial failure 502, a timeout too (TestCaddyDialTimeoutIs502),
// a read timeout 504.
func TestGoConnectionTimedOut(t *testing.T) {
	const (
		caddyAccess = `{"level":"error","ts":%s,"logger":"http.log.access","msg":"handled request","request":{"remote_ip":"203.0.113.7","remote_port":"%s","client_ip":"203.0.113.7","proto":"HTTP/1.1","method":"GET","host":"api.example.com","uri":"%s","headers":{}},"bytes_read":0,"user_id":"","duration":3.0,"size":0,"status":%s,"resp_headers":{"Server":["Caddy"]}}`
		caddyError  = `{"level":"error","ts":%s,"logger":"http.log.error","msg":"%s","request":{"remote_ip":"203.0.113.7","remote_port":"%s","client_ip":"203.0.113.7","proto":"HTTP/1.1","method":"GET","host":"api.example.com","uri":"%s","headers":{}},"duration":3.0,"status":%s,"err_id":"e","err_trace":"reverseproxy.statusError (reverseproxy.go:1269)"}`
	)
	fill := func(format string, args ...string) string {
		for _, a := range args {
			format = strings.Replace(format, "%s", a, 1)
		}
		return format
	}
	const connectHint = "connecting to 10.0.0.5:8080 timed out: host down, firewall dropping SYNs, backlog full"
	const readHint = "10.0.0.5:8080 did not answer in time: slow dependency or overload in the app; compare Caddy's reverse_proxy transport timeouts (response_header_timeout, read_timeout) with the app's own timeouts"
	for _, tc := range []struct {
		name  string
		files map[string]string
		path  string
		hint  string
	}{
		{
			name: "caddy, connect: connection timed out",
			files: map[string]string{
				"access.log": lines(fill(caddyAccess, "1754633395.9999", "51002", "/c", "502")),
				"error.log":  lines(fill(caddyError, "1754633395.9998", "dial tcp 10.0.0.5:8080: connect: connection timed out", "51002", "/c", "502")),
			},
			path: "/c", hint: connectHint,
		},
		{
			name: "caddy, connect: operation timed out (BSD, macOS)",
			files: map[string]string{
				"access.log": lines(fill(caddyAccess, "1754633395.9999", "51002", "/c", "502")),
				"error.log":  lines(fill(caddyError, "1754633395.9998", "dial tcp 10.0.0.5:8080: connect: operation timed out", "51002", "/c", "502")),
			},
			path: "/c", hint: connectHint,
		},
		{
			name: "caddy, read: connection timed out on an established connection",
			files: map[string]string{
				"access.log": lines(fill(caddyAccess, "1754633395.9999", "51002", "/r", "504")),
				"error.log":  lines(fill(caddyError, "1754633395.9998", "read tcp 10.0.0.2:41234->10.0.0.5:8080: read: connection timed out", "51002", "/r", "504")),
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

// A Caddy upstream on a unix socket is named as Caddy names it,
// "unix//run/app.sock", whether its error entry ("dial unix
// /run/app.sock: …") or a log_append'ed hostport ("/run/app.sock") names
// it: its failures were counted under "-" while "dial tcp" ones were
// counted under their address, and the hint said "the upstream".
func TestCaddyUnixSocketUpstream(t *testing.T) {
	dir := t.TempDir()
	access := filepath.Join(dir, "access.log")
	errs := filepath.Join(dir, "error.log")
	write := func(p string, l ...string) {
		if err := os.WriteFile(p, []byte(lines(l...)), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write(access,
		`{"level":"info","ts":1754633409.5,"logger":"http.log.access","msg":"handled request","request":{"remote_ip":"203.0.113.7","remote_port":"51014","client_ip":"203.0.113.7","proto":"HTTP/1.1","method":"GET","host":"api.example.com","uri":"/ok","headers":{}},"bytes_read":0,"user_id":"","duration":0.01,"size":2,"status":200,"resp_headers":{"Server":["Caddy"]},"upstream_hostport":"/run/app.sock"}`,
		`{"level":"error","ts":1754633410.5,"logger":"http.log.access","msg":"handled request","request":{"remote_ip":"203.0.113.7","remote_port":"51015","client_ip":"203.0.113.7","proto":"HTTP/1.1","method":"GET","host":"api.example.com","uri":"/c?n=15","headers":{}},"bytes_read":0,"user_id":"","duration":0.01,"size":0,"status":502,"resp_headers":{"Server":["Caddy"]}}`,
		`{"level":"error","ts":1754633411.5,"logger":"http.log.access","msg":"handled request","request":{"remote_ip":"203.0.113.7","remote_port":"51016","client_ip":"203.0.113.7","proto":"HTTP/1.1","method":"GET","host":"api.example.com","uri":"/tcp","headers":{}},"bytes_read":0,"user_id":"","duration":0.01,"size":0,"status":502,"resp_headers":{"Server":["Caddy"]}}`,
	)
	write(errs,
		`{"level":"error","ts":1754633410.4999,"logger":"http.log.error","msg":"dial unix /run/app.sock: connect: no such file or directory","request":{"remote_ip":"203.0.113.7","remote_port":"51015","client_ip":"203.0.113.7","proto":"HTTP/1.1","method":"GET","host":"api.example.com","uri":"/c?n=15","headers":{}},"duration":0.01,"status":502,"err_id":"e15","err_trace":"reverseproxy.statusError (reverseproxy.go:1269)"}`,
		`{"level":"error","ts":1754633411.4999,"logger":"http.log.error","msg":"dial tcp 10.0.0.5:8080: connect: connection refused","request":{"remote_ip":"203.0.113.7","remote_port":"51016","client_ip":"203.0.113.7","proto":"HTTP/1.1","method":"GET","host":"api.example.com","uri":"/tcp","headers":{}},"duration":0.01,"status":502,"err_id":"e16","err_trace":"reverseproxy.statusError (reverseproxy.go:1269)"}`,
	)

	evs, _ := reportEvents(t, access, errs)
	const sock = "unix//run/app.sock"
	const wantHint = "nothing is listening on " + sock + ": "
	var seen int
	for _, ev := range evs {
		switch ev.Path {
		case "/c?n=15":
			seen++
			if ev.Upstream != sock || ev.Cause != "upstream_refused" || !strings.HasPrefix(ev.Hint, wantHint) {
				t.Errorf("unix socket 502: upstream %q, cause %s, hint %q; want %q, upstream_refused, a hint starting %q", ev.Upstream, ev.Cause, ev.Hint, sock, wantHint)
			}
		case "/tcp":
			seen++
			if ev.Upstream != "10.0.0.5:8080" || !strings.Contains(ev.Hint, "(ss -ltnp)") {
				t.Errorf("tcp 502: upstream %q, hint %q; want 10.0.0.5:8080 and ss -ltnp", ev.Upstream, ev.Hint)
			}
		}
	}
	if seen != 2 {
		t.Fatalf("%d of the two 502s reported: %+v", seen, evs)
	}

	code, out, stderr := runCLI("report", "--json", access, errs)
	if code != 0 {
		t.Fatalf("report --json: exit %d: %s", code, stderr)
	}
	var rep struct {
		Upstreams []struct {
			Name     string         `json:"name"`
			Requests int            `json:"requests"`
			Status   map[string]int `json:"status"`
		} `json:"upstreams"`
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatal(err)
	}
	rows := map[string]string{}
	for _, u := range rep.Upstreams {
		rows[u.Name] = fmt.Sprintf("%d %v", u.Requests, u.Status)
	}
	// The 200 named by its hostport and the 502 named by its error entry
	// are one upstream's, none is "-".
	want := map[string]string{sock: "2 map[200:1 502:1]", "10.0.0.5:8080": "1 map[502:1]"}
	for name, w := range want {
		if rows[name] != w {
			t.Errorf("upstream %q: %q, want %q (all: %v)", name, rows[name], w, rows)
		}
	}
	if len(rows) != len(want) {
		t.Errorf("upstreams %v, want only %v", rows, want)
	}
}

// TestCaddyDialTimeoutIs502: Caddy answers 502, not 504, when dialing the
// upstream times out: its statusError asserts net.Error on the DialError
// wrapper, which has no Timeout method. These lines are real Caddy 2.6.2
// (reverse_proxy with dial_timeout 1s to a 127.0.0.1 listener whose
// backlog was full, so the SYN went unanswered); its read timeout and
// response_header_timeout to a listener that never answers were 504s.
// explain 504 said only "connect or read timeout" and explain 502 had
// no word of it, as formats.md §6.2 ("dial … i/o timeout (504)"): a
// Caddy user's 502 with an i/o timeout read as a contradiction. The
// verdict was right and stays so: upstream_timeout, connecting; the
// text report's label of the cause no longer says "upstream too slow".
func TestCaddyDialTimeoutIs502(t *testing.T) {
	files := map[string]string{
		"access.log": lines(`{"level":"error","ts":1795456182.671041,"logger":"http.log.access.log0","msg":"handled request","request":{"remote_ip":"127.0.0.1","remote_port":"54288","proto":"HTTP/1.1","method":"GET","host":"127.0.0.1:29112","uri":"/x1","headers":{"User-Agent":["curl/7.88.1"],"Accept":["*/*"]}},"user_id":"","duration":1.000791425,"size":0,"status":502,"resp_headers":{"Server":["Caddy"]}}`),
		"error.log":  lines(`{"level":"error","ts":1795456182.6709752,"logger":"http.log.error.log0","msg":"dial tcp 127.0.0.1:29111: i/o timeout","request":{"remote_ip":"127.0.0.1","remote_port":"54288","proto":"HTTP/1.1","method":"GET","host":"127.0.0.1:29112","uri":"/x1","headers":{"User-Agent":["curl/7.88.1"],"Accept":["*/*"]}},"duration":1.000791425,"status":502,"err_id":"mieth1w6i","err_trace":"reverseproxy.statusError (reverseproxy.go:1272)"}`),
	}
	got := runVerdictCase(t, verdictCase{files: files, want: map[string]wantEvent{
		"/x1": {cause: "upstream_timeout", appLines: -1, in: "dial tcp 127.0.0.1:29111: i/o timeout"},
	}})
	// The text report's label of the cause is true of a connect timeout
	// too: it said "upstream too slow" of an upstream never reached.
	paths := writeFiles(t, [2]string{"access.log", files["access.log"]}, [2]string{"error.log", files["error.log"]})
	_, out, _ := runCLI(append([]string{"report"}, paths...)...)
	if want := "upstream_timeout            1  100.0%  timed out: slow or stuck upstream, unreachable host, or a proxy timeout too short\n"; !strings.Contains(out, want) {
		t.Errorf("no %q in\n%s", want, out)
	}
	if ev := got["/x1"]; ev.Status != 502 || ev.Confidence != "high" || !strings.HasPrefix(ev.Hint, "connecting to 127.0.0.1:29111 timed out") {
		t.Errorf("status %d, confidence %s, hint %q; want 502, high, connecting timed out", ev.Status, ev.Confidence, ev.Hint)
	}
	for code, want := range map[string]string{
		"502": "Caddy answers 502 when dialing the upstream times out",
		"504": "its dial timeout is a 502",
	} {
		_, out, _ := runCLI("explain", code)
		if !strings.Contains(strings.Join(strings.Fields(out), " "), want) {
			t.Errorf("explain %s does not say %q:\n%s", code, want, out)
		}
	}
}
