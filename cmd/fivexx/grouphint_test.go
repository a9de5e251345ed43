package main

import (
	"strings"
	"testing"
)

// TestHintNamesServerBeforeGroupName: nginx writes the upstream{} group's
// name in $upstream_addr for an attempt for which no server was left
// ("no live upstreams", formats.md §1.3). After a server was tried
// ("127.0.0.1:36769, app") the failure that made the verdict is the
// server's: the hint names it and says the group had none left, where it
// said "app closed the connection mid-request". The request stays on the
// group's row (upstream "app"), and a group name alone keeps its hint.
// The lines are real nginx 1.22.1's (testdata/recordings/nginx-upstream).
func TestHintNamesServerBeforeGroupName(t *testing.T) {
	const (
		dir  = "../../testdata/recordings/nginx-upstream/"
		none = "; then group app had no server left to try: each was tried for this request or is marked down (max_fails/fail_timeout)"
		down = "every server of the group was marked down: see the first failures before this (max_fails/fail_timeout, health checks), and whether any server is registered"
	)
	for _, tc := range []struct {
		name  string
		files []string
		want  map[string]string // path → hint
	}{
		{"with the error log", []string{"access.log", "error.log", "app.log"}, map[string]string{
			"/crash?n=83":                    "127.0.0.1:36769 closed the connection mid-request: look for crashes and OOM kills (dmesg, container restarts) and keep-alive timeouts shorter than the proxy's" + none,
			"/slow?n=215&on=127.0.0.1:34599": "127.0.0.1:34599 did not answer in time: slow dependency or overload in the app; compare nginx's proxy_read_timeout (60 s by default; fastcgi_read_timeout for FastCGI) with the app's own timeouts" + none,
			"/ok?n=60":                       down,
		}},
		{"access log alone", []string{"access.log"}, map[string]string{
			// Without the error log the attempt before the group name
			// says what it can: nginx's own 504 after 1.001 s is its
			// read timeout, as the error log says; its own 502 is
			// refused, reset or a bad response, which only the error
			// log tells apart.
			"/crash?n=83":                    "127.0.0.1:36769 failed (502 after 0.001 s, no response header: refused, reset or a bad response), then group app had no server left to try (each tried for this request or marked down): see why 127.0.0.1:36769 failed in the proxy error log, and the failures before this that may have marked servers down (max_fails/fail_timeout, health checks)",
			"/slow?n=215&on=127.0.0.1:34599": "127.0.0.1:34599 did not answer in time: slow dependency or overload in the app; compare nginx's proxy_read_timeout (60 s by default; fastcgi_read_timeout for FastCGI) with the app's own timeouts" + none,
			"/ok?n=60":                       down,
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var paths []string
			for _, f := range tc.files {
				paths = append(paths, dir+f)
			}
			evs, _ := reportEvents(t, paths...)
			seen := 0
			for _, ev := range evs {
				want, ok := tc.want[ev.Path]
				if !ok {
					continue
				}
				seen++
				if ev.Hint != want {
					t.Errorf("%s: hint\n %q\nwant\n %q", ev.Path, ev.Hint, want)
				}
				if strings.HasPrefix(ev.Hint, "app ") {
					t.Errorf("%s: the hint blames the group: %q", ev.Path, ev.Hint)
				}
				if ev.Upstream != "app" {
					t.Errorf("%s: upstream %q, want the group's row, app", ev.Path, ev.Upstream)
				}
			}
			if seen != len(tc.want) {
				t.Errorf("%d of the %d requests have an event", seen, len(tc.want))
			}
		})
	}
}

// TestAttemptBeforeGroupName: with the access log alone, a retried
// request whose $upstream_addr ends with the group name was judged by
// that name only (no_healthy_upstream medium, evidence "upstream_addr is
// the group name app"), where the lab's truth says the attempt before it
// failed first: "504, 502" after "1.001, 0.000" s is nginx's read timeout
// (the proxy_read_timeout of 1 s), "502, 502" a failure only nginx's
// error log names (QA s28 #5). The evidence cites the attempt with its
// status and times; the cause changes only where those fields prove it.
// The lines are real nginx 1.22.1's (testdata/recordings/nginx-upstream).
func TestAttemptBeforeGroupName(t *testing.T) {
	const dir = "../../testdata/recordings/nginx-upstream/"
	want := map[string]struct{ cause, confidence, attempt string }{
		"/crash?n=83":                    {"no_healthy_upstream", "low", "attempt 1 on 127.0.0.1:36769: 502 after 0.001 s, connected in 0.000 s, no response header: nginx's own error (refused, reset or a bad response)"},
		"/slow?n=215&on=127.0.0.1:34599": {"upstream_timeout", "medium", "attempt 1 on 127.0.0.1:34599: 504 after 1.001 s, connected in 0.000 s, no response header: nginx's own read timeout"},
		"/ok?n=60":                       {"no_healthy_upstream", "medium", ""}, // the group name alone
	}
	evs, _ := reportEvents(t, dir+"access.log")
	seen := 0
	for _, ev := range evs {
		w, ok := want[ev.Path]
		if !ok {
			continue
		}
		seen++
		if ev.Cause != w.cause || ev.Confidence != w.confidence {
			t.Errorf("%s: %s %s, want %s %s", ev.Path, ev.Cause, ev.Confidence, w.cause, w.confidence)
		}
		cited := false
		for _, l := range ev.Evidence {
			cited = cited || l == w.attempt
			if w.attempt == "" && strings.HasPrefix(l, "attempt ") {
				t.Errorf("%s: no attempt before the group name, evidence %q", ev.Path, l)
			}
		}
		if w.attempt != "" && !cited {
			t.Errorf("%s: evidence %q\nwant a line %q", ev.Path, ev.Evidence, w.attempt)
		}
	}
	if seen != len(want) {
		t.Errorf("%d of the %d requests have an event", seen, len(want))
	}
}
