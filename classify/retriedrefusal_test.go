package classify

import (
	"strings"
	"testing"
)

// The retries of real nginx 1.22.1 and Caddy 2.6.2 (QA s37,
// testdata/qa37-retry) whose last attempt was refused after an earlier
// one failed otherwise.

// verdictsByPath returns the verdicts of paths by path.
func verdictsByPath(t *testing.T, verdicts []*Verdict, paths ...string) map[string]*Verdict {
	t.Helper()
	got := map[string]*Verdict{}
	for _, v := range verdicts {
		got[v.Entry.Path] = v
	}
	out := map[string]*Verdict{}
	for _, p := range paths {
		if got[p] == nil {
			t.Fatalf("no verdict for %s", p)
		}
		out[p] = got[p]
	}
	return out
}

// A bad header on A, then the retry refused on B, was upstream_reset high
// with "127.0.0.1:47102 closed the connection mid-request", where :47102
// never connected; the same with a hangup on A read upstream_refused. It
// is judged as the hangup is: the refusal decides, and the hint names
// the bad response before it (QA s37 H1). nginx with
// proxy_next_upstream invalid_header, and Caddy, which retries any GET.
func TestRetriedRefusalAfterBadHeader(t *testing.T) {
	const (
		nginxBad = "; before that, 127.0.0.1:47101 sent a response the proxy could not use: invalid or oversized headers (raise proxy_buffer_size?), HTTP/2 or TLS spoken on a plain port"
		caddyBad = "; before that, 127.0.0.1:47101 sent a response Caddy could not use: malformed or oversized headers (transport http max_response_header), HTTP/2 or TLS spoken on a plain port"
		cut      = "; the attempt before, on 127.0.0.1:47101, was cut mid-request"
	)
	ngx := readLogs(t, "qa37-retry/ngx-invhdr", "access.log", "error.log", "app.log")
	caddy := readLogs(t, "qa37-retry/caddy-mixed", "access.log", "error.log", "app.log")
	for _, tc := range []struct {
		name string
		logs map[string][]string
		want map[string]string // path → cause/confidence
		hint map[string]string // path → a part of its hint
	}{
		{"nginx", ngx, map[string]string{
			"/badheader?n=3": "upstream_refused/high",
			"/badheader?n=5": "upstream_refused/high",
			"/hangup?n=7":    "upstream_refused/high",
			"/badheader?n=2": "upstream_bad_response/high",
			"/badheader?n=4": "upstream_bad_response/high",
		}, map[string]string{"/badheader?n=3": nginxBad, "/badheader?n=5": nginxBad, "/hangup?n=7": cut}},
		{"nginx without the app log", map[string][]string{"access.log": ngx["access.log"], "error.log": ngx["error.log"]}, map[string]string{
			"/badheader?n=3": "upstream_refused/high",
			"/badheader?n=5": "upstream_refused/high",
		}, map[string]string{"/badheader?n=3": nginxBad, "/badheader?n=5": nginxBad}},
		{"caddy", caddy, map[string]string{
			"/badheader?n=8": "upstream_refused/high",
			"/reset?n=6":     "upstream_refused/high",
			"/badheader?n=9": "upstream_bad_response/high",
		}, map[string]string{"/badheader?n=8": caddyBad, "/reset?n=6": cut}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			verdicts := judgeFiles(t, tc.logs)
			checkPathVerdicts(t, verdicts, tc.want, "")
			for path, v := range verdictsByPath(t, verdicts, keys(tc.want)...) {
				if strings.Contains(v.Hint, "127.0.0.1:47102 closed the connection") {
					t.Errorf("%s: the hint says the server that refused closed the connection: %q", path, v.Hint)
				}
				if h, ok := tc.hint[path]; ok && !strings.Contains(v.Hint, h) {
					t.Errorf("%s: hint\n %q\nlacks\n %q", path, v.Hint, h)
				}
			}
		})
	}
}

// keys returns m's keys.
func keys(m map[string]string) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	return out
}

// Without an error log, /slow timed out on A, the retry was refused on B
// ("504, 502", upstream_connect_time "0.001, -"), and A's 200 came 2 s
// later: it was read as B's response the proxy could not use,
// upstream_bad_response medium, 3 of 3 (QA s37 H2). The 200 names A, the
// last attempt never connected, and it came after the 502: an earlier
// attempt's. What the last attempt's fields say decides (a refusal, low).
func TestRetriedRefusalAfterTimeoutIsNoBadResponse(t *testing.T) {
	const line = "the app's 200 is not the last attempt's answer: it names instance 127.0.0.1:47101, and the last attempt was on 127.0.0.1:47102; the last attempt never connected"
	for _, tc := range []struct {
		dir   string
		paths []string
	}{
		{"qa37-retry/ngx-mixed2-noerr", []string{"/slow?n=3", "/slow?n=5", "/slow?n=7"}},
		{"qa37-retry/ngx-mixed-noerr", []string{"/slow?n=3"}},
	} {
		t.Run(tc.dir, func(t *testing.T) {
			want := map[string]string{}
			for _, p := range tc.paths {
				want[p] = "upstream_refused/low"
			}
			verdicts := judgeFiles(t, readLogs(t, tc.dir, "access.log", "app.log"))
			checkPathVerdicts(t, verdicts, want, line)
			for path, v := range verdictsByPath(t, verdicts, tc.paths...) {
				if !strings.HasPrefix(v.Hint, "nothing is listening on 127.0.0.1:47102") {
					t.Errorf("%s: hint %q", path, v.Hint)
				}
			}
		})
	}
}

// Without an error log, the app's start without an end on the last
// attempt of a retry reads as a single attempt's: a reset or a bad
// response, low, hedged. A refused try, then a bad header on A ("502,
// 502", "-, 0.000") was upstream_reset medium with no word of a bad
// response (QA s37 H3): a retry shows only that the attempts before the
// last were errors. Where the app's start is of an earlier attempt (its
// instance A; the last attempt, on B, never connected: "0.000, -"),
// nginx retried it, so by default it was a reset: medium, and the hint
// names A, not B that refused (QA s37 M1: "127.0.0.1:47102 closed the
// connection mid-request").
func TestRetriedRefusalStartWithoutEnd(t *testing.T) {
	const (
		hedged = "127.0.0.1:47101 closed the connection mid-request or sent a response the proxy could not use"
		reset  = "127.0.0.1:47101 closed the connection mid-request: "
	)
	for _, tc := range []struct {
		dir  string
		want map[string]string // path → cause/confidence
	}{
		{"qa37-retry/ngx-mixed2-noerr", map[string]string{
			"/badheader?n=8": "upstream_reset/low", "/badheader?n=10": "upstream_reset/low",
			"/badheader?n=9": "upstream_reset/low", "/badheader?n=11": "upstream_reset/low",
		}},
		{"qa37-retry/ngx-mixed-noerr", map[string]string{
			"/badheader?n=10": "upstream_reset/low", "/reset?n=6": "upstream_reset/low", "/hangup?n=8": "upstream_reset/low",
			"/reset?n=5": "upstream_reset/medium", "/reset?n=7": "upstream_reset/medium", "/hangup?n=9": "upstream_reset/medium",
		}},
	} {
		t.Run(tc.dir, func(t *testing.T) {
			verdicts := judgeFiles(t, readLogs(t, tc.dir, "access.log", "app.log"))
			checkPathVerdicts(t, verdicts, tc.want, "")
			for path, v := range verdictsByPath(t, verdicts, keys(tc.want)...) {
				h := hedged
				if v.Confidence == Medium {
					h = reset
				}
				if !strings.HasPrefix(v.Hint, h) {
					t.Errorf("%s: hint\n %q\nwant it to begin\n %q", path, v.Hint, h)
				}
			}
		})
	}
}

// Caddy 2.6.2's access log alone: the hint asked for log_append, which
// came with Caddy 2.7, with no word of it (QA s37 L4); the report's
// advice says "on Caddy ≥ 2.7".
func TestRetriedRefusalCaddyLogAppendNamesItsVersion(t *testing.T) {
	verdicts := judgeFiles(t, readLogs(t, "qa37-retry/caddy-hc-noerr", "access.log"))
	seen := 0
	for _, v := range verdicts {
		i := strings.Index(v.Hint, "log_append")
		if i < 0 {
			continue
		}
		seen++
		if !strings.HasSuffix(v.Hint[:i], "on Caddy ≥ 2.7, ") {
			t.Errorf("%s: hint %q: log_append without its Caddy version", v.Entry.Path, v.Hint)
		}
	}
	if seen == 0 {
		t.Fatal("no hint asks for log_append")
	}
}

// notLast is how the evidence says the app's end is an earlier
// attempt's (notLastTryText).
const notLast = "is not the last attempt's answer"

// hasLine reports whether v's evidence has a line containing s.
func hasLine(v *Verdict, s string) bool {
	return strings.Contains(strings.Join(v.Evidence, "\n"), s)
}

// A request that made one attempt has no earlier attempt: the app's 200
// joined by its id is that attempt's, whatever instance it names (Docker
// port publishing, a Service IP, a sidecar: 172.17.0.2:8080, 10.0.0.7
// against the proxy's 127.0.0.1:47101). It read unknown low, "the app's
// 200 is not the last attempt's answer ... it is an earlier attempt's",
// hint "add the proxy error log", where a bad response is what the lines
// say (review s37 H1): nginx, Caddy's log_append upstream, Envoy and
// Traefik alike.
func TestRetriedRefusalOneAttemptEndIsItsOwn(t *testing.T) {
	dir := "qa37-retry/review-one-try"
	for _, tc := range []struct {
		access, app, path, want string
	}{
		{"nginx.log", "app-docker.log", "/badheader?n=2", "upstream_bad_response/medium"},
		{"nginx.log", "app-host.log", "/badheader?n=2", "upstream_bad_response/medium"},
		{"caddy.log", "app-caddy.log", "/v1/orders", "upstream_bad_response/medium"},
		{"envoy.log", "app-envoy.log", "/wrong", "upstream_bad_response/high"},
		{"traefik.log", "app-traefik.log", "/api", "upstream_bad_response/medium"},
	} {
		t.Run(tc.access+"+"+tc.app, func(t *testing.T) {
			logs := readLogs(t, dir, tc.access, tc.app)
			verdicts := judgeFiles(t, logs)
			checkPathVerdicts(t, verdicts, map[string]string{tc.path: tc.want}, "")
			if v := verdictsByPath(t, verdicts, tc.path)[tc.path]; hasLine(v, notLast) {
				t.Errorf("one attempt, evidence %q", v.Evidence)
			}
		})
	}
}

// One attempt that never connected (nginx-neverconnected.log: the
// /badheader line with uct="-"): the app's 200 joined by its id is no
// answer to it, and there is no earlier attempt; the evidence said "it is
// an earlier attempt's" (review s37). It says the one attempt never
// connected.
func TestRetriedRefusalOneAttemptNeverConnected(t *testing.T) {
	const path = "/badheader?n=2"
	verdicts := judgeFiles(t, readLogs(t, "qa37-retry/review-one-try", "nginx-neverconnected.log", "app-host.log"))
	v := verdictsByPath(t, verdicts, path)[path]
	if hasLine(v, "earlier attempt") || hasLine(v, "last attempt") {
		t.Errorf("one attempt, evidence speaks of others: %q", v.Evidence)
	}
	if !hasLine(v, "the app's 200 is not this request's answer: its one attempt never connected (upstream_connect_time -)") {
		t.Errorf("evidence does not say the one attempt never connected: %q", v.Evidence)
	}
}

// The app logged an end for each of two attempts and names no instance:
// B's 200 inside the proxy's second, A's (timed out) 2 s later. Only the
// last end line, A's, was asked whether it was the last attempt's: it
// finished after the proxy's 502, so unknown low, where B's 200 makes it
// the bad response (review s37 M2). With A's line alone, that it
// finished after the 502 still says it is an earlier attempt's.
func TestRetriedRefusalAnyEndMayBeTheLastAttempts(t *testing.T) {
	dir := "qa37-retry/review-two-ends"
	const path = "/slow?n=3"
	verdicts := judgeFiles(t, readLogs(t, dir, "access.log", "app.log"))
	checkPathVerdicts(t, verdicts, map[string]string{path: "upstream_bad_response/medium"}, "the app thinks it answered 200")
	if v := verdictsByPath(t, verdicts, path)[path]; hasLine(v, notLast) {
		t.Errorf("B's 200 may be the last attempt's: evidence %q", v.Evidence)
	}

	verdicts = judgeFiles(t, readLogs(t, dir, "access.log", "app-late.log"))
	checkPathVerdicts(t, verdicts, map[string]string{path: "unknown/low"},
		"the app's 200 is not the last attempt's answer: it finished at 04:37:52.855, after the proxy's 502: it is an earlier attempt's")
}

// Three attempts, the first refused ("-, 0.000, 0.000"), two starts and
// no instance: the evidence named the first address, 127.0.0.1:47102,
// which never connected (review s37 L5); it names the first earlier
// attempt that did; with no connect times logged (access-nouct.log, the
// line without uct), no server.
func TestRetriedRefusalStartNamesAConnectedAttempt(t *testing.T) {
	const path = "/hangup?n=6"
	for access, line := range map[string]string{
		"access.log":       "the app logged the start and no end on the attempt on 127.0.0.1:47101, which nginx retried",
		"access-nouct.log": "the app logged more starts than one and no end: one at least was of an attempt nginx retried",
	} {
		verdicts := judgeFiles(t, readLogs(t, "qa37-retry/review-three-tries", access, "app.log"))
		checkPathVerdicts(t, verdicts, map[string]string{path: "upstream_reset/medium"}, line)
		if v := verdictsByPath(t, verdicts, path)[path]; hasLine(v, "on 127.0.0.1:47102") {
			t.Errorf("%s: evidence names 127.0.0.1:47102, which never connected: %q", access, v.Evidence)
		}
	}
}
