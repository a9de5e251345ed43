package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"path/filepath"
	"slices"
	"testing"
)

// ruleWant is what report --events must say about one 5xx, exactly.
type ruleWant struct {
	path, cause, conf string
	evidence          []string
	hint              string
}

// The QA round's wrong verdicts (s20), each on the lines a real proxy
// wrote (Caddy, nginx, HAProxy) or on formats.md's lines (Cloudflare,
// ingress-nginx), in testdata/rules/CASE, read in the order of their names.
func TestRulesFromQA(t *testing.T) {
	const (
		rule5               = "no error-log line for it: the proxy logs every upstream failure there, so the upstream sent "
		caddyQuiet          = "Caddy's log: read from before this 5xx, no error entry for it nor for any request: a respond or error directive logs none, and with handle_errors Caddy logs the errors it handles at DEBUG only"
		caddyHint           = "Caddy's log has no error entry at all: Caddy may have answered itself (a respond or error directive, as a maintenance page, logs no error), or with handle_errors it logs the errors it handles at DEBUG only; check the route that serves this path, or set log default { level DEBUG } to see why the proxy failed, and add the app log"
		caddySiteQuiet      = "Caddy's log: read from before this 5xx, error entries of other sites but none from http.log.error.log1 (this site's): with handle_errors, Caddy logs the errors it handles at DEBUG only"
		caddySiteHint       = "Caddy's log has no error entry from http.log.error.log1: with handle_errors this site logs the errors it handles at DEBUG only; set log default { level DEBUG } to see why the proxy failed, and add the app log"
		nginxQuiet          = "error log: read from before this 5xx, no line for it nor for any request: it may not be this server's error_log (error_log set per server or location)"
		noFields            = "not enough evidence: add the app log, upstream fields in the access log"
		ingressFailed       = "upstream_addr 10.244.2.36:80, 10.244.2.36:80, 10.244.2.36:80, upstream_status 502, 502, 502"
		ingressFailed3      = "every attempt (3) ended in 502 with upstream_response_length 0: nginx's own errors, retried, not the upstream's answer"
		refusedHint         = "nothing is listening on 10.244.2.36:80: is the process up (ss -ltnp)? crashed, OOM-killed (dmesg), restarting (kubectl get pods), or a wrong port in the upstream config?"
		app503              = "the app answered 503 on purpose: see what it says is down; honour Retry-After, check the dependency and load shedding"
		queueTimeout        = "termination_state sQ--: timeout while waiting in the queue (timeout queue, server maxconn)"
		queueWitnessed      = "app: no app line for it within ±2 s, though the app logged 8 request(s) that went well in that time"
		caddyErrorDirective = "Caddy's error directive answered 503 itself (its error entry's err_trace names caddyhttp.StaticError): no upstream was tried"
		caddyErrorHint      = "Caddy's error directive answered 503 on purpose, not a failure: see the error directive in the route that serves this path, and the matcher that sends this request there"
		caddyRefusedHint    = "nothing is listening on 127.0.0.1:45882: is the process up (ss -ltnp)? crashed, OOM-killed (dmesg), restarting (kubectl get pods), or a wrong port in the upstream config?"
		queueHint           = "the request waited in be_q's queue longer than timeout queue and never reached a server: every server was at its maxconn; check the backend's concurrency: the servers' maxconn against the load, the app's workers and response times, and timeout queue"
	)
	tests := []struct {
		dir  string
		want []ruleWant
	}{
		{
			// F6: proxy_intercept_errors with error_page 500 =503: the app
			// answered 500 (us="500"), nginx sent 503. It was
			// app_unavailable, "the app answered 503 on purpose".
			dir: "intercept",
			want: []ruleWant{{"/icpt/e500", "app_error", "medium", []string{
				"upstream_addr 127.0.0.1:39101, upstream_status 500, upstream_header_time 0.001: the upstream sent a response header",
				"the proxy turned the upstream's 500 into 503 (error_page with proxy_intercept_errors)",
			}, "the app answered 500 itself: look at its errors and stack traces"}},
		},
		{
			// F6: the origin answered 200, Cloudflare sent 503: not the
			// app (formats.md §8.2). It was app_unavailable.
			dir: "cloudflare-rewrite",
			want: []ruleWant{{"/c13", "unknown", "low", []string{
				"OriginIP 203.0.113.10, OriginResponseStatus 200: the upstream sent a response header",
				"the origin answered 200, Cloudflare sent 503",
				"the upstream's 200 is no 5xx: the proxy made this one, not the app",
			}, "the origin answered 200; Cloudflare sent 503: a Worker, a rule (Custom Errors, Transform, Snippets) or Cloudflare itself made it, not the app"}},
		},
		{
			// F5: Caddy's `respond "maint" 503`; ids join (/e503), the app
			// has none for /maint/x. It was app_unavailable, "so the
			// upstream sent 503" beside "the app never saw it" (now: no
			// app line with its request id).
			dir: "caddy-respond",
			want: []ruleWant{
				{"/e503", "app_unavailable", "high", []string{`app: finished with 503 (by request id): "request finished"`},
					`the app answered 503 on purpose: see what it says is down — it says: "request finished"; honour Retry-After, check the dependency and load shedding`},
				{"/maint/x", "proxy_rejected", "medium", []string{
					"app: no app line with request id 000000017-aaaa-bbbb-cccc-000000000017 before the reading stopped, less than 1 s after the 503",
					"no error-log line for it and no app line with its request id: the proxy answered 503 itself (a respond or error directive)",
				}, "Caddy answered on its own: a respond or error directive, a rate limit module, or a matcher that sends this path there (the evidence says which): check that route and who is sending the traffic"},
			},
		},
		{
			// F4: Caddy's log starts with its start-up lines; the app's
			// 503/500/502 come before its first error entry. They were
			// unknown (the log "started" at that entry).
			dir: "caddy-errorsseen",
			want: []ruleWant{
				{"/e503", "app_unavailable", "medium", []string{rule5 + "503"}, app503},
				{"/e500", "app_error", "medium", []string{rule5 + "500"}, "the app answered 500 itself: look at its errors and stack traces"},
				{"/e502", "app_error", "medium", []string{rule5 + "502"}, "the app answered 502 itself: look at its errors and stack traces"},
				// (The error entry names the upstream the access log does not, F8.)
				{"/reset", "upstream_reset", "high", []string{"error log: read tcp 127.0.0.1:50944->127.0.0.1:39101: read: connection reset by peer"},
					"127.0.0.1:39101 closed the connection mid-request: look for crashes and OOM kills (dmesg, container restarts) and keep-alive timeouts shorter than the proxy's"},
			},
		},
		{
			// F4: nginx's [notice] start-up lines at 05:09:00 start the
			// log; the 503 and 500 before its first request line were
			// unknown with no evidence.
			dir: "nginx-errorsseen",
			want: []ruleWant{
				{"/api/orders", "app_unavailable", "medium", []string{rule5 + "503"}, app503},
				{"/api/pay", "app_error", "medium", []string{rule5 + "500"}, "the app answered 500 itself: look at its errors and stack traces"},
				{"/api/orders", "upstream_refused", "high", []string{"error log: connect() failed (111: Connection refused) while connecting to upstream"},
					"nothing is listening on 10.0.0.1:8080: is the process up (ss -ltnp)? crashed, OOM-killed (dmesg), restarting (kubectl get pods), or a wrong port in the upstream config?"},
				{"/api/orders", "app_unavailable", "medium", []string{rule5 + "503"}, app503},
			},
		},
		{
			// F4: an error log of notices only was read; the evidence
			// says so (it said nothing). The 503s and the 500 of 52 bytes
			// are too small to be nginx's own pages (session 36): the
			// app's, low; the 502 of 157 bytes is nginx's page.
			dir: "nginx-quiet",
			want: []ruleWant{
				{"/api/orders", "app_unavailable", "low", []string{nginxQuiet, notNginxPage(52, 503, 190)}, app503},
				{"/api/pay", "app_error", "low", []string{nginxQuiet, notNginxPage(52, 500, 170)}, "the app answered 500 itself: look at its errors and stack traces"},
				{"/api/orders", "unknown", "low", []string{nginxQuiet}, noFields},
				{"/api/orders", "app_unavailable", "low", []string{nginxQuiet, notNginxPage(52, 503, 190)}, app503},
			},
		},
		{
			// F10: with handle_errors Caddy logs proxy errors at DEBUG
			// only: its log was given and has none. The hint asked for
			// "the proxy error log".
			dir: "caddy-handle-errors",
			want: []ruleWant{
				{"/e503", "unknown", "low", []string{caddyQuiet}, caddyHint},
				{"/reset", "unknown", "low", []string{caddyQuiet}, caddyHint},
				{"/fin", "unknown", "low", []string{caddyQuiet}, caddyHint},
				{"/garbage", "unknown", "low", []string{caddyQuiet}, caddyHint},
				{"/hang", "upstream_timeout", "low", []string{caddyQuiet},
					"the upstream did not answer in time: slow dependency or overload in the app; compare Caddy's reverse_proxy transport timeouts (response_header_timeout, read_timeout) with the app's own timeouts"},
				{"/e500", "unknown", "low", []string{caddyQuiet}, caddyHint},
				{"/e502", "unknown", "low", []string{caddyQuiet}, caddyHint},
			},
		},
		{
			// Real Caddy 2, two sites logging to one access log (log0,
			// log1) and one error log: :39302 proxies to a closed port
			// (http.log.error.log0 logs the refusal); :39303 has
			// handle_errors { respond "Sorry, error {err.status_code}" },
			// so its reset, early close and garbage reply are logged at
			// DEBUG only. log0's entry made log1's 502s app_error medium
			// ("so the upstream sent 502").
			dir: "caddy-sites",
			want: []ruleWant{
				{"/x", "upstream_refused", "high", []string{"error log: dial tcp 127.0.0.1:39199: connect: connection refused"},
					"nothing is listening on 127.0.0.1:39199: is the process up (ss -ltnp)? crashed, OOM-killed (dmesg), restarting (kubectl get pods), or a wrong port in the upstream config?"},
				{"/reset", "unknown", "low", []string{caddySiteQuiet}, caddySiteHint},
				{"/fin", "unknown", "low", []string{caddySiteQuiet}, caddySiteHint},
				{"/garbage", "unknown", "low", []string{caddySiteQuiet}, caddySiteHint},
			},
		},
		{
			// F9: formats.md §1.4's line: three 5.000 s attempts, each
			// 504: nginx's connect timeouts, not the pod's answer. The
			// error stream has only a limiter line; it was app_error.
			// Connecting rather than reading is a guess from the 5 s
			// (no connect time logged): low, and said (s36).
			dir: "ingress-timeouts",
			want: []ruleWant{{"/i3", "upstream_timeout", "low", []string{
				"upstream_addr 192.168.215.1:80, 192.168.215.1:80, 192.168.215.1:80, upstream_status 504, 504, 504",
				"every attempt (3) ended in 504 after 5.000 s: nginx's own timeout, retried, not the upstream's answer",
				"no upstream_connect_time is logged: that each attempt timed out connecting is a guess from its 5.000 s, ingress-nginx's proxy-connect-timeout by default (a proxy-read-timeout of 5 s ends the same)",
			}, "connecting to 192.168.215.1:80 timed out: host down, firewall dropping SYNs, backlog full"}},
		},
		{
			// F9: formats.md §1.4's 502 line: each attempt 502 with
			// upstream_response_length 0, nginx's own errors, not the
			// pod's 502. Which error only the missing error line would
			// say: low. It was app_error medium (rule 5).
			dir: "ingress-failed",
			want: []ruleWant{{"/i4", "upstream_refused", "low", []string{
				ingressFailed, ingressFailed3,
				"which error (refused or reset) only nginx's error line says, and the error log has none for it: a guess from the last attempt's time",
			}, refusedHint}},
		},
		{
			dir: "ingress-failed-alone",
			want: []ruleWant{{"/i4", "upstream_refused", "low", []string{
				ingressFailed, ingressFailed3,
				"which error (refused or reset) only nginx's error line says, and no error log is read: a guess from the last attempt's time",
			}, refusedHint}},
		},
		{
			// ingress-nginx's limiter answers 503 with every upstream field
			// "-", as its balancer does for a service with no endpoints:
			// beside the limiting line the evidence still said "service
			// default-api-80 has no active endpoints".
			dir: "ingress-limiter",
			want: []ruleWant{{"/i2", "proxy_rejected", "high", []string{
				"upstream_addr -, upstream_status -",
				`error log: limiting requests, excess: 5.200 by zone "default_api_rps"`,
			}, "the proxy's request-rate limiter answered (limit_req, rate limit): check who is sending the traffic and whether the limit fits"}},
		},
		{
			// The ingress-nginx controller's klog line "Service … does not
			// have any active Endpoint" was unparsed; it backs the 503s of
			// that Service (high), and no other Service's (medium).
			dir: "ingress-klog",
			want: []ruleWant{{"/", "no_healthy_upstream", "high", []string{
				"upstream_addr -, upstream_status -",
				"service default-web-80 has no active endpoints (every upstream field is -)",
				`proxy state: Service "default/web" does not have any active Endpoint.`,
			}, ingressNoEndpoint("default-web-80")}, {"/api", "no_healthy_upstream", "medium", []string{
				"upstream_addr -, upstream_status -",
				"service default-api-80 has no active endpoints (every upstream field is -)",
			}, ingressNoEndpoint("default-api-80")}},
		},
		{
			// Session 23 QA F6: the klog line of 10 s before backs the
			// 503 its Service's lack of endpoints explains, not the
			// limiter's 503 of that Service, whose own error line says
			// what answered (it was quoted there as "proxy state").
			dir: "ingress-klog-limited",
			want: []ruleWant{{"/noep", "no_healthy_upstream", "high", []string{
				"upstream_addr -, upstream_status -",
				"service default-web-80 has no active endpoints (every upstream field is -)",
				`proxy state: Service "default/web" does not have any active Endpoint.`,
			}, ingressNoEndpoint("default-web-80")}, {"/limited", "proxy_rejected", "high", []string{
				"upstream_addr -, upstream_status -",
				`error log: limiting requests, excess: 20.580 by zone "default-web-rps"`,
			}, "the proxy's request-rate limiter answered (limit_req, rate limit): check who is sending the traffic and whether the limit fits"}},
		},
		{
			// Session 23 QA F8: real Caddy 2.6.2 (`log` and
			// `reverse_proxy 127.0.0.1:18811`, nothing listening there, its
			// one stderr stream): the access entry names no upstream, its
			// http.log.error entry before it names the address dialed. The
			// 5xx went under "-" ("requests that reached none") with "nothing
			// is listening on the upstream".
			dir: "caddy-dial-upstream",
			want: []ruleWant{{"/refused?n=1", "upstream_refused", "high", []string{
				"error log: dial tcp 127.0.0.1:18811: connect: connection refused",
			}, "nothing is listening on 127.0.0.1:18811: is the process up (ss -ltnp)? crashed, OOM-killed (dmesg), restarting (kubectl get pods), or a wrong port in the upstream config?"},
				{"/refused?n=2", "upstream_refused", "high", []string{
					"error log: dial tcp 127.0.0.1:18811: connect: connection refused",
				}, "nothing is listening on 127.0.0.1:18811: is the process up (ss -ltnp)? crashed, OOM-killed (dmesg), restarting (kubectl get pods), or a wrong port in the upstream config?"}},
		},
		{
			// HAProxy's detail starts with its flags: they were printed
			// twice ("proxy flags sH--: sH--: …"), now under HAProxy's own name.
			dir: "haproxy-flags",
			want: []ruleWant{{"/hang", "upstream_timeout", "high", []string{
				"termination_state sH--: server did not send the response headers in time (timeout server)",
			}, "be_app/s1 did not answer in time: slow dependency or overload in the app; compare HAProxy's timeout server with the app's own timeouts"}},
		},
		{
			// Session 24 QA F3: real Caddy 2.6.2, its access log and its
			// log, no app log. /maint is `respond 503`: its access entry
			// logs "Content-Type":[] and none of the upstream's headers,
			// no body, 18 µs. It was app_unavailable medium ("so the
			// upstream sent 503"), as the app's own 503 (/e503: its
			// Content-Length and Retry-After) still is.
			dir: "caddy-respond-alone",
			want: []ruleWant{
				// 1.00 s of re-dials (lb_try_duration) and no app log: an
				// earlier dial may have reached an app that crashed
				// mid-request (QA s35, the caddy recording's crashes).
				{"/lbdead/x", "upstream_refused", "medium", []string{"error log: dial tcp 127.0.0.1:31525: connect: connection refused",
					"Caddy spent 1.00 s on it, re-dialling (lb_try_duration): its error entry is the last dial's; an earlier try may have failed otherwise (an app that crashed mid-request refuses the retry), which only the app's log tells"},
					"nothing is listening on 127.0.0.1:31525: is the process up (ss -ltnp)? crashed, OOM-killed (dmesg), restarting (kubectl get pods), or a wrong port in the upstream config?"},
				{"/hc/x", "no_healthy_upstream", "high", []string{"error log: no upstreams available"},
					"no upstream was available: see the first failures before this (health_uri, fail_duration, max_fails), and whether any upstream is configured"},
				{"/maint", "proxy_rejected", "medium", []string{
					"resp_headers: an empty Content-Type (Caddy's respond without a body) and none of an upstream's headers (Date, Content-Length); 0 bytes in 0.018 ms: the proxy wrote this response itself",
					"no error-log line for it and the proxy wrote the response: it answered 503 itself (a respond or error directive)",
				}, "Caddy answered on its own: a respond or error directive, a rate limit module, or a matcher that sends this path there (the evidence says which): check that route and who is sending the traffic"},
				{"/e500", "app_error", "medium", []string{rule5 + "500"}, "the app answered 500 itself: look at its errors and stack traces"},
				{"/e503", "app_unavailable", "medium", []string{rule5 + "503"}, app503},
			},
		},
		{
			// Session 24 QA F4: real HAProxy 2.6 (be_q: server maxconn 1,
			// timeout queue 500ms) and its app's log, which witnessed the
			// requests around. The flags say what answered; the hint of a
			// queue timeout and of a deny said "an http-request return or
			// deny rule, or an errorfile" (the hint of a 503 the error
			// log's silence and the app's witnesses called the proxy's).
			dir: "haproxy-queue",
			want: []ruleWant{
				{"/deny/x", "proxy_rejected", "high", []string{
					"termination_state PR--: proxy blocked the request (deny rule or invalid request)",
					"app: no app line for it within ±2 s, though the app logged 8 request(s) that went well in that time",
				}, "HAProxy blocked the request: an http-request deny rule, or an invalid request; check the rules that match this path and who is sending it"},
				{"/q/slow?ms=900", "proxy_rejected", "high", []string{queueTimeout, queueWitnessed}, queueHint},
				{"/q/ok", "proxy_rejected", "high", []string{queueTimeout, queueWitnessed}, queueHint},
			},
		},
		{
			// Session 24: real Caddy 2.6.2 with `handle /nope* { error
			// "nope" 503 }`, `handle /bare* { error 503 }` (a second run)
			// and `handle /api* { reverse_proxy 127.0.0.1:45882 }`, nothing
			// listening there. The error directive's entries (err_trace
			// caddyhttp.StaticError) were unknown low, "error log: nope".
			dir: "caddy-error-directive",
			want: []ruleWant{
				{"/nope", "proxy_rejected", "high", []string{"error log: nope", caddyErrorDirective}, caddyErrorHint},
				{"/nope/x", "proxy_rejected", "high", []string{"error log: nope", caddyErrorDirective}, caddyErrorHint},
				{"/api/a", "upstream_refused", "high", []string{"error log: dial tcp 127.0.0.1:45882: connect: connection refused"}, caddyRefusedHint},
				{"/api/b", "upstream_refused", "high", []string{"error log: dial tcp 127.0.0.1:45882: connect: connection refused"}, caddyRefusedHint},
				{"/bare", "proxy_rejected", "high", []string{"error log: an entry with no message", caddyErrorDirective}, caddyErrorHint},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.dir, func(t *testing.T) {
			inZone(t, "UTC")
			paths, err := filepath.Glob(filepath.Join("testdata", "rules", tt.dir, "*"))
			if err != nil || len(paths) == 0 {
				t.Fatalf("no files: %v", err)
			}
			slices.Sort(paths)
			evs, _ := reportEvents(t, paths...)
			checkRuleWants(t, evs, tt.want)
		})
	}
}

// ingressNoEndpoint is the hint for ingress-nginx's 503 of a Service
// with no ready endpoint.
func ingressNoEndpoint(up string) string {
	return "the Service behind " + up + " had no ready endpoint: see its pods' readiness and restarts (kubectl get pods, kubectl get endpointslices), and whether its selector matches any pod"
}

// checkRuleWants checks report events against the 5xx wanted, in order:
// path, cause, confidence, every evidence line and the hint.
func checkRuleWants(t *testing.T, evs []reportEvent, want []ruleWant) {
	t.Helper()
	if len(evs) != len(want) {
		t.Fatalf("%d events, want %d: %+v", len(evs), len(want), evs)
	}
	for i, w := range want {
		got := evs[i]
		if got.Path != w.path || got.Cause != w.cause || got.Confidence != w.conf {
			t.Errorf("%d: %s %s/%s, want %s %s/%s", i, got.Path, got.Cause, got.Confidence, w.path, w.cause, w.conf)
		}
		if !slices.Equal(got.Evidence, w.evidence) {
			t.Errorf("%d %s: evidence\n%q\nwant\n%q", i, w.path, got.Evidence, w.evidence)
		}
		if got.Hint != w.hint {
			t.Errorf("%d %s: hint\n%q\nwant\n%q", i, w.path, got.Hint, w.hint)
		}
	}
}

// TestCaddyDialErrorNamesTheUpstream: the 5xx of a Caddy access log
// without an upstream field is counted under the address its error entry
// dialed (session 23 QA F8), in the events and in the upstreams table;
// real Caddy 2.6.2 lines (testdata/rules/caddy-dial-upstream).
func TestCaddyDialErrorNamesTheUpstream(t *testing.T) {
	inZone(t, "UTC")
	log := filepath.Join("testdata", "rules", "caddy-dial-upstream", "caddy.log")
	evs, _ := reportEvents(t, log)
	for _, ev := range evs {
		if ev.Upstream != "127.0.0.1:18811" {
			t.Errorf("%s: upstream %q, want 127.0.0.1:18811", ev.Path, ev.Upstream)
		}
	}
	var out, errb bytes.Buffer
	if code := run([]string{"report", "--json", log}, nil, &out, &errb); code != 0 {
		t.Fatalf("report exited %d: %s", code, errb.String())
	}
	var rep struct {
		Upstreams []struct {
			Name     string         `json:"name"`
			Requests int            `json:"requests"`
			Causes   map[string]int `json:"causes"`
		} `json:"upstreams"`
	}
	if err := json.Unmarshal(out.Bytes(), &rep); err != nil {
		t.Fatal(err)
	}
	if len(rep.Upstreams) != 1 || rep.Upstreams[0].Name != "127.0.0.1:18811" || rep.Upstreams[0].Requests != 2 ||
		rep.Upstreams[0].Causes["upstream_refused"] != 2 {
		t.Errorf("upstreams %+v, want 127.0.0.1:18811 with 2 requests, 2 refused", rep.Upstreams)
	}
}

// notNginxPage is the evidence line of an nginx 5xx whose body of n bytes
// is smaller than nginx's own page for status, min bytes or more.
func notNginxPage(n, status, min int) string {
	also := ""
	if status == 503 {
		also = " (a maintenance or limiter's return 503 with a text reads the same)"
	}
	return fmt.Sprintf("the body, %d bytes, is smaller than nginx's own %d page (%d bytes or more): the upstream sent it, unless the site's own error_page or return made it%s; no upstream fields and no error-log line say more", n, status, min, also)
}
