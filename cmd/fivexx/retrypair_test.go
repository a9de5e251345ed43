package main

import (
	"strings"
	"testing"
)

// TestRetryHintPairsAttemptsWithTheirErrorLines: real nginx 1.22 with two
// servers, 127.0.0.1:24100 alive and :24104 a closed port, max_fails=0
// (QA s30 s5, testdata/qa30-s5). /close?n=7 was cut mid-request by :24100,
// then refused by :24104, then "no live upstreams"; with the app's id'd
// lines it read upstream_reset, "127.0.0.1:24104 closed the connection
// mid-request … every server marked down", without ids upstream_refused.
// :24104 never took a connection, and max_fails=0 marks no server down:
// both readings now say refused (the last attempt, as for every retried
// request: the refusal came from another server than the crash, so it is
// no echo of it), name :24104 as refusing and :24100 as cutting, and do
// not claim the servers were marked down. The attempts in the other order
// (/close?n=12) keep upstream_reset on :24100. Given the config
// (--nginx-conf), the hint says that nginx tried each server.
func TestRetryHintPairsAttemptsWithTheirErrorLines(t *testing.T) {
	const dir = "testdata/qa30-s5/"
	const (
		refused = "nothing is listening on 127.0.0.1:24104: is the process up (ss -ltnp)? crashed, OOM-killed (dmesg), restarting (kubectl get pods), or a wrong port in the upstream config?"
		cut     = "; the attempt before, on 127.0.0.1:24100, was cut mid-request: look there for crashes and OOM kills (dmesg, container restarts) and keep-alive timeouts shorter than the proxy's"
		group   = "; then group app had no server left to try: each was tried for this request or is marked down (max_fails/fail_timeout)"
		reset   = "127.0.0.1:24100 closed the connection mid-request: look for crashes and OOM kills (dmesg, container restarts) and keep-alive timeouts shorter than the proxy's"
	)
	// With the config (its own, verbatim) nginx is known to mark no
	// server down: the hint says that each was tried.
	const tried = "; then group app had no server left to try: each was tried for this request (max_fails=0 marks none down)"
	for _, tc := range []struct {
		name  string
		args  []string
		group string
	}{
		{"app.log", []string{dir + "access.log", dir + "error.log", dir + "app.log"}, group},
		{"app-noid.log", []string{dir + "access.log", dir + "error.log", dir + "app-noid.log"}, group},
		{"nginx-conf", []string{"--nginx-conf", dir + "nginx.conf", dir + "access.log", dir + "error.log", dir + "app.log"}, tried},
	} {
		want := map[string]struct{ cause, hint string }{
			"/close?n=7":   {"upstream_refused", refused + cut + tc.group},
			"/rsthdr?n=77": {"upstream_refused", refused + cut},
			"/close?n=12":  {"upstream_reset", reset + tc.group},
		}
		t.Run(tc.name, func(t *testing.T) {
			evs, _ := reportEvents(t, tc.args...)
			seen := 0
			for _, ev := range evs {
				w, ok := want[ev.Path]
				if !ok {
					continue
				}
				seen++
				if ev.Cause != w.cause {
					t.Errorf("%s: %s, want %s", ev.Path, ev.Cause, w.cause)
				}
				if ev.Hint != w.hint {
					t.Errorf("%s: hint\n %q\nwant\n %q", ev.Path, ev.Hint, w.hint)
				}
				if strings.Contains(ev.Hint, "marked down:") || strings.Contains(ev.Hint, "every server marked down") {
					t.Errorf("%s: the hint says the servers were marked down: %q", ev.Path, ev.Hint)
				}
			}
			if seen != len(want) {
				t.Errorf("%d of the %d requests have an event", seen, len(want))
			}
		})
	}
}
