package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// caddyTriesLogs writes a Caddy access log and its default logger's log
// at DEBUG (the shapes of Caddy 2.6.2's entries, sources/caddy/testdata/
// debug.log) of four requests over two upstreams with lb_try_duration:
// /ok?n=1 refused on A then B (502, B's error entry); /boom?n=2 refused
// on B, then A answered the app's 500 (no error entry); /ok?n=3 200 on
// A; /ok?n=4 refused on A, B, A (502, A's error entry). With debug false
// the reverse_proxy entries are left out, as at INFO.
func caddyTriesLogs(t *testing.T, debug bool) (access, caddy string) {
	t.Helper()
	const a, b = "127.0.0.1:40875", "127.0.0.1:33111"
	var acc, log []string
	req := func(port int, uri string) string {
		return fmt.Sprintf(`{"remote_ip":"203.0.113.7","remote_port":"%d","proto":"HTTP/1.1","method":"GET","host":"example.com","uri":%q,"headers":{"User-Agent":["curl/8"]}}`, port, uri)
	}
	ts := func(s float64) string { return fmt.Sprintf("%.6f", 1795246800+s) }
	accessAt := func(s float64, r string, status int, dur float64) {
		level := "info"
		if status >= 500 {
			level = "error"
		}
		acc = append(acc, fmt.Sprintf(`{"level":%q,"ts":%s,"logger":"http.log.access","msg":"handled request","request":%s,"user_id":"","duration":%g,"size":0,"status":%d,"resp_headers":{"Server":["Caddy"]}}`, level, ts(s+0.0002), r, dur, status))
	}
	try := func(s float64, up, r, errText string, status int) {
		if !debug {
			return
		}
		log = append(log, fmt.Sprintf(`{"level":"debug","ts":%s,"logger":"http.handlers.reverse_proxy","msg":"selected upstream","dial":%q,"total_upstreams":2}`, ts(s-0.0005), up))
		if errText != "" {
			log = append(log, fmt.Sprintf(`{"level":"debug","ts":%s,"logger":"http.handlers.reverse_proxy","msg":"upstream roundtrip","upstream":%q,"duration":0.0002,"request":%s,"error":%q}`, ts(s), up, r, errText))
			return
		}
		log = append(log, fmt.Sprintf(`{"level":"debug","ts":%s,"logger":"http.handlers.reverse_proxy","msg":"upstream roundtrip","upstream":%q,"duration":0.0002,"request":%s,"headers":{"Content-Length":["3"]},"status":%d}`, ts(s), up, r, status))
	}
	errorAt := func(s float64, r, msg string, status int, dur float64) {
		log = append(log, fmt.Sprintf(`{"level":"error","ts":%s,"logger":"http.log.error","msg":%q,"request":%s,"duration":%g,"status":%d,"err_id":"g16ysv3cn","err_trace":"reverseproxy.statusError (reverseproxy.go:1272)"}`, ts(s), msg, r, dur, status))
	}
	refused := func(up string) string { return "dial tcp " + up + ": connect: connection refused" }

	r := req(50001, "/ok?n=1")
	try(1.001, a, r, refused(a), 0)
	try(1.251, b, r, refused(b), 0)
	errorAt(1.5, r, refused(b), 502, 0.5)
	accessAt(1.5, r, 502, 0.5)
	r = req(50002, "/boom?n=2")
	try(2.001, b, r, refused(b), 0)
	try(2.26, a, r, "", 500)
	accessAt(2.26, r, 500, 0.26)
	r = req(50003, "/ok?n=3")
	try(3.001, a, r, "", 200)
	accessAt(3.001, r, 200, 0.001)
	r = req(50004, "/ok?n=4")
	try(4.001, a, r, refused(a), 0)
	try(4.201, b, r, refused(b), 0)
	try(4.401, a, r, refused(a), 0)
	errorAt(4.5, r, refused(a), 502, 0.5)
	accessAt(4.5, r, 502, 0.5)

	dir := t.TempDir()
	access, caddy = filepath.Join(dir, "access.log"), filepath.Join(dir, "caddy.log")
	for p, ls := range map[string][]string{access: acc, caddy: log} {
		if err := os.WriteFile(p, []byte(strings.Join(ls, "\n")+"\n"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return access, caddy
}

// TestCaddyFailedTriesAreCounted: a Caddy request that tried several
// upstreams was counted under its last server only, its failed tries on
// the others nowhere (nginx's $upstream_addr lists and error lines are
// counted: failed_attempts). Caddy's reverse_proxy entries at DEBUG tell
// each try ("upstream roundtrip" with the dial's error); its error entry
// at INFO names the last one alone, so there nothing more is counted. A
// 500 the app answered on A after a refused try on B read
// "upstream_refused" on A once B's line was joined: the answered try's
// entry says the refusal was an earlier attempt's.
func TestCaddyFailedTriesAreCounted(t *testing.T) {
	inZone(t, "UTC")
	const a, b = "127.0.0.1:40875", "127.0.0.1:33111"
	for _, debug := range []bool{true, false} {
		t.Run(fmt.Sprint("debug ", debug), func(t *testing.T) {
			access, caddy := caddyTriesLogs(t, debug)
			m := reportJSON(t, access, caddy)
			got := map[string]any{}
			for _, u := range m["upstreams"].([]any) {
				u := u.(map[string]any)
				got[u["name"].(string)] = u["failed_attempts"]
			}
			// /ok?n=1 failed on A, /boom?n=2 and /ok?n=4 on B (A's
			// first try of /ok?n=4 is under A, its last).
			want := map[string]any{a: 1.0, b: 2.0}
			if !debug {
				want = map[string]any{a: nil, b: nil}
			}
			for name, w := range want {
				if got[name] != w {
					t.Errorf("%s failed_attempts %v, want %v (all: %v)", name, got[name], w, got)
				}
			}
			if !debug {
				return
			}
			evs, _ := reportEvents(t, access, caddy)
			for _, ev := range evs {
				if ev.Path == "/boom?n=2" && (ev.Upstream != a || ev.Cause != "app_error" || !strings.Contains(strings.Join(ev.Evidence, "\n"), "the failure on "+b+" was an earlier attempt")) {
					t.Errorf("/boom?n=2: %s %s %q, want app_error on %s, B's refusal an earlier attempt", ev.Upstream, ev.Cause, ev.Evidence, a)
				}
			}
		})
	}
}
