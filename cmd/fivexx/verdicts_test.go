package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// verdictCase is a small set of log files, each line as the proxy or the
// app writes it (formats.md), and what the report should say about each
// 5xx, keyed by its path.
type verdictCase struct {
	name  string
	files map[string]string // file name → content
	env   map[string]string
	want  map[string]wantEvent
}

type wantEvent struct {
	cause    string
	appLines int    // -1: not checked
	notIn    string // a phrase the evidence must not contain ("" none)
	in       string // a phrase the evidence must contain ("" none)
}

// reportEvent is the part of a report --events line the tests read.
type reportEvent struct {
	Time       string   `json:"time"`
	Status     int      `json:"status"`
	Path       string   `json:"path"`
	Upstream   string   `json:"upstream"`
	RequestID  string   `json:"request_id"`
	Cause      string   `json:"cause"`
	Confidence string   `json:"confidence"`
	AppLines   int      `json:"app_lines"`
	Evidence   []string `json:"evidence"`
	Hint       string   `json:"hint"`
}

// reportEvents runs report --events over args and returns its events, in
// order, and its stderr; it fails the test on a non-zero exit.
func reportEvents(t *testing.T, args ...string) (evs []reportEvent, stderr string) {
	t.Helper()
	code, out, stderr := runCLI(append([]string{"report", "--events"}, args...)...)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	for _, l := range strings.Split(strings.TrimSpace(out), "\n") {
		if l == "" {
			continue
		}
		var ev reportEvent
		if err := json.Unmarshal([]byte(l), &ev); err != nil {
			t.Fatalf("%v: %s", err, l)
		}
		evs = append(evs, ev)
	}
	return evs, stderr
}

// runVerdictCase writes the files, runs report --events over them (in the
// order of their names) and checks every 5xx it expects.
func runVerdictCase(t *testing.T, tc verdictCase) map[string]reportEvent {
	t.Helper()
	for k, v := range tc.env {
		t.Setenv(k, v)
		if k == "TZ" {
			inZone(t, v)
		}
	}
	dir := t.TempDir()
	var paths []string
	for name, content := range tc.files {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		paths = append(paths, p)
	}
	slices.Sort(paths)
	evs, stderr := reportEvents(t, paths...)
	got := map[string]reportEvent{}
	for _, ev := range evs {
		got[ev.Path] = ev
	}
	for path, w := range tc.want {
		ev, ok := got[path]
		if !ok {
			t.Errorf("%s: no event (stderr %q; events %v)", path, stderr, got)
			continue
		}
		if ev.Cause != w.cause {
			t.Errorf("%s: cause %s, want %s; evidence %q", path, ev.Cause, w.cause, ev.Evidence)
		}
		if w.appLines >= 0 && ev.AppLines != w.appLines {
			t.Errorf("%s: %d app lines, want %d; evidence %q", path, ev.AppLines, w.appLines, ev.Evidence)
		}
		if w.notIn != "" && strings.Contains(strings.Join(ev.Evidence, " | "), w.notIn) {
			t.Errorf("%s: evidence says %q: %q", path, w.notIn, ev.Evidence)
		}
		if w.in != "" && !strings.Contains(strings.Join(ev.Evidence, " | "), w.in) {
			t.Errorf("%s: evidence lacks %q: %q", path, w.in, ev.Evidence)
		}
	}
	if len(got) != len(tc.want) {
		t.Errorf("%d events, want %d: %v", len(got), len(tc.want), got)
	}
	return got
}

func lines(l ...string) string { return strings.Join(l, "\n") + "\n" }

func TestVerdictsFromFormatLines(t *testing.T) {
	for _, tc := range []verdictCase{
		{
			// formats.md §3.3's own example: the server's header came (Tr
			// 14 ms) and HAProxy blocked it; the 502 is HAProxy's.
			name: "haproxy PH-- with a response header",
			files: map[string]string{"haproxy.log": lines(
				`haproxy[674]: 127.0.0.1:33320 [15/Oct/2003:08:32:17.925] px-http px-http/srv1 9/0/7/14/30 502 243 - - PH-- 3/2/2/0/0 0/0 "GET /cgi-bin/bug.cgi? HTTP/1.0"`,
			)},
			want: map[string]wantEvent{"/cgi-bin/bug.cgi?": {cause: "upstream_bad_response", appLines: -1}},
		},
		{
			// HAProxy logs when the request came ([%tr]) and writes the
			// line when it ends (Ta 8 s later): the app's end line, written
			// 8 s after the start, belongs to the request.
			name: "haproxy slow request joins the app's end line",
			files: map[string]string{
				"a-haproxy.log": lines(
					`10.0.0.9:51239 [02/Jan/2024:03:04:13.120] fe_http be_app/srv1 0/0/1/8000/8006 500 217 - - ---- 1/1/0/0/0 0/0 "GET /slow HTTP/1.1"`,
				),
				"b-app.log": lines(
					`{"time":"2024-01-02T03:04:13.125Z","level":"INFO","msg":"request started","method":"GET","path":"/slow"}`,
					`{"time":"2024-01-02T03:04:21.124Z","level":"ERROR","msg":"db exploded","method":"GET","path":"/slow","status":500}`,
				),
			},
			want: map[string]wantEvent{"/slow": {cause: "app_error", appLines: 2, notIn: "no end by the verdict"}},
		},
		{
			name: "alb fixed-response 503 is the load balancer's own answer",
			files: map[string]string{"alb.log": lines(
				`https 2024-01-02T03:05:18.000000Z app/web/50dc6c495c0c9188 203.0.113.9:51004 - -1 -1 -1 503 - 212 278 "GET https://api.example.com:443/maint HTTP/1.1" "curl/8.4.0" ECDHE-RSA-AES128-GCM-SHA256 TLSv1.2 - "Root=1-65937a41-0123456789abcdef01234599" "api.example.com" "-" 5 2024-01-02T03:05:17.999000Z "fixed-response" "-" "-" "-" "-" "-" "-" TID_3`,
			)},
			want: map[string]wantEvent{"/maint": {cause: "proxy_rejected", appLines: -1, notIn: "registered targets"}},
		},
		{
			name: "envoy NC is configuration, not a limiter",
			files: map[string]string{"envoy.log": lines(
				`[2024-01-02T03:04:16.000Z] "GET /nc HTTP/1.1" 503 NC 0 0 0 - "-" "curl/7.80.0" "44898dba-8d8e-48f4-93f7-23e4b4c59211" "localhost:8000" "-"`,
			)},
			want: map[string]wantEvent{"/nc": {cause: "unknown", appLines: -1}},
		},
		{
			// formats.md §2.4: BSD and macOS errno numbers, and kevent().
			name: "nginx on a BSD: errnos by their number there",
			env:  map[string]string{"TZ": "UTC"},
			files: map[string]string{
				"access.log": lines(
					`10.1.2.3 - - [02/Jan/2024:03:10:22 +0000] "GET /p22 HTTP/1.1" 502 157 "-" "curl/8.4.0"`,
					`10.1.2.3 - - [02/Jan/2024:03:10:23 +0000] "GET /p23 HTTP/1.1" 502 157 "-" "curl/8.4.0"`,
					`10.1.2.3 - - [02/Jan/2024:03:10:24 +0000] "GET /p24 HTTP/1.1" 504 157 "-" "curl/8.4.0"`,
				),
				"error.log": lines(
					`2024/01/02 03:10:22 [error] 6#6: *122 kevent() reported that connect() failed (61: Connection refused) while connecting to upstream, client: 10.1.2.3, server: example.com, request: "GET /p22 HTTP/1.1", upstream: "http://10.0.0.1:8080/p22", host: "example.com"`,
					`2024/01/02 03:10:23 [error] 6#6: *123 recv() failed (54: Connection reset by peer) while reading response header from upstream, client: 10.1.2.3, server: example.com, request: "GET /p23 HTTP/1.1", upstream: "http://10.0.0.1:8080/p23", host: "example.com"`,
					`2024/01/02 03:10:24 [error] 6#6: *124 kevent() reported that connect() failed (60: Operation timed out) while connecting to upstream, client: 10.1.2.3, server: example.com, request: "GET /p24 HTTP/1.1", upstream: "http://10.0.0.1:8080/p24", host: "example.com"`,
				),
			},
			want: map[string]wantEvent{
				"/p22": {cause: "upstream_refused", appLines: -1},
				"/p23": {cause: "upstream_reset", appLines: -1},
				"/p24": {cause: "upstream_timeout", appLines: -1},
			},
		},
		{
			// An error line fivexx has no reason for is still an error
			// line: the 5xx is not "the upstream's own, as the error log
			// has nothing for it".
			name: "nginx error line without a known reason",
			env:  map[string]string{"TZ": "UTC"},
			files: map[string]string{
				"access.log": lines(
					`10.1.2.3 - - [02/Jan/2024:03:20:00 +0000] "GET /q1 HTTP/1.1" 502 157 "-" "curl/8.4.0"`,
					`10.1.2.3 - - [02/Jan/2024:03:20:01 +0000] "GET /q2 HTTP/1.1" 502 157 "-" "curl/8.4.0"`,
					`10.1.2.3 - - [02/Jan/2024:03:20:02 +0000] "GET /q3 HTTP/1.1" 502 157 "-" "curl/8.4.0"`,
					`10.1.2.3 - - [02/Jan/2024:03:20:09 +0000] "GET /own HTTP/1.1" 500 157 "-" "curl/8.4.0"`,
				),
				"error.log": lines(
					`2024/01/02 03:20:00 [error] 6#6: *200 upstream sent unexpected FastCGI record: 3 while reading response header from upstream, client: 10.1.2.3, server: example.com, request: "GET /q1 HTTP/1.1", upstream: "fastcgi://unix:/run/php/php8.2-fpm.sock:", host: "example.com"`,
					`2024/01/02 03:20:01 [error] 6#6: *201 upstream sent more data than specified in "Content-Length" header while reading response header from upstream, client: 10.1.2.3, server: example.com, request: "GET /q2 HTTP/1.1", upstream: "http://10.0.0.1:8080/q2", host: "example.com"`,
					`2024/01/02 03:20:02 [error] 6#6: *202 something nginx has never said before while reading response header from upstream, client: 10.1.2.3, server: example.com, request: "GET /q3 HTTP/1.1", upstream: "http://10.0.0.1:8080/q3", host: "example.com"`,
				),
			},
			want: map[string]wantEvent{
				"/q1":  {cause: "upstream_bad_response", appLines: -1},
				"/q2":  {cause: "upstream_bad_response", appLines: -1},
				"/q3":  {cause: "unknown", appLines: -1, notIn: "no error-log line for it"},
				"/own": {cause: "app_error", appLines: -1}, // no error line at all: rule 5 holds
			},
		},
		{
			// An nginx error log says nothing about another proxy's 5xx.
			name: "nginx error log beside Traefik and Envoy",
			env:  map[string]string{"TZ": "UTC"},
			files: map[string]string{
				"a-traefik.log": lines(
					`10.0.0.9 - - [02/Jan/2024:03:05:08 +0000] "GET /search HTTP/1.1" 503 57 "-" "curl/8.4.0" 46 "api@docker" "http://172.18.0.5:8080" 12ms`,
				),
				"b-envoy.log": lines(
					`[2024-01-02T03:04:22.000Z] "GET /dc HTTP/1.1" 503 DC 0 95 12 - "-" "curl/8.4.0" "44898dba-8d8e-48f4-93f7-23e4b4c59217" "localhost:8000" "172.28.0.2:8080"`,
				),
				"c-error.log": lines(
					`2024/01/02 03:20:00 [error] 6#6: *200 upstream sent unexpected FastCGI record: 3 while reading response header from upstream, client: 10.1.2.3, server: example.com, request: "GET /q1 HTTP/1.1", upstream: "fastcgi://unix:/run/php/php8.2-fpm.sock:", host: "example.com"`,
				),
			},
			want: map[string]wantEvent{
				// Past the ServiceURL Traefik makes no 503 (formats.md §7.2).
				"/search": {cause: "app_unavailable", appLines: -1, notIn: "no error-log line"},
				"/dc":     {cause: "unknown", appLines: -1, notIn: "no error-log line"},
			},
		},
		{
			// formats.md §7.2: Traefik's own 502 is unknown without its
			// DEBUG line, JSON's OriginDuration notwithstanding.
			name: "traefik JSON own 502",
			files: map[string]string{"traefik.json": lines(
				`{"ClientHost":"10.0.0.9","DownstreamContentSize":11,"DownstreamStatus":502,"Duration":1834000,"OriginContentSize":11,"OriginDuration":1702000,"OriginStatus":502,"RequestMethod":"GET","RequestPath":"/api","RetryAttempts":0,"RouterName":"api@docker","ServiceName":"api@docker","ServiceURL":"http://172.18.0.5:8080","StartUTC":"2024-01-02T03:04:05.120000000Z","level":"info","msg":"","time":"2024-01-02T03:04:05Z"}`,
			)},
			want: map[string]wantEvent{"/api": {cause: "unknown", appLines: -1}},
		},
	} {
		t.Run(tc.name, func(t *testing.T) { runVerdictCase(t, tc) })
	}
}

// startupLines reads a proxy's startup lines from testdata/startup.
func startupLines(t *testing.T, name string) []string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "..", "testdata", "startup", name))
	if err != nil {
		t.Fatal(err)
	}
	return strings.Split(strings.TrimSuffix(string(b), "\n"), "\n")
}

// repeatLine is n copies of a line, for startup lines.
func repeatLine(n int, line string) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = line
	}
	return out
}

// TestVerdictsFromProxyStreams: proxy logs as they come out of a container
// or a proxy's one stream: startup lines first, a runtime wrapper, the
// ids the app receives (a reviewer's cases; each was read as an app log,
// or its app line was not joined).
func TestVerdictsFromProxyStreams(t *testing.T) {
	caddyStartup := startupLines(t, "caddy-stderr.log")
	// kubectl logs of an ingress-nginx controller: klog lines, then
	// nginx's error line before each failed request's access line.
	ingressStream := lines(
		`I0308 16:02:00.000000       7 main.go:100] "Starting NGINX Ingress controller"`,
		`W0308 16:02:01.000000       7 controller.go:1112] Service "default/web" does not have any active Endpoint.`,
		`2023/03/08 16:02:30 [error] 31#31: *569 connect() failed (111: Connection refused) while connecting to upstream, client: 10.0.0.1, server: _, request: "GET /some/end/point HTTP/1.1", upstream: "http://10.244.2.36:80/some/end/point", host: "example.com"`,
		`10.0.0.1 - - [08/Mar/2023:16:02:30 +0000] "GET /some/end/point HTTP/1.1" 502 157 "-" "PostmanRuntime/7.26.3" 1570 0.005 [default-my-service-80] [] 10.244.2.36:80 0 0.004 502 cc30e5d47f23e3a117181ff94479bc6f`,
		`2023/03/08 16:02:45 [error] 31#31: *570 upstream timed out (110: Operation timed out) while connecting to upstream, client: 108.162.227.25, server: dev-aws.example.com, request: "GET / HTTP/1.1", upstream: "http://192.168.215.1:80/", host: "dev-aws.example.com"`,
		`108.162.227.25 - - [08/Mar/2023:16:02:45 +0000] "GET / HTTP/1.1" 504 562 "-" "Mozilla/5.0 (X11; Linux x86_64)" 1100 5.000 [pc-dev-example-web-service-80] [] 192.168.215.1:80 0 5.000 504 a7c98d98ac870f64981a997cd2f373a1`,
	)
	envoyUF := `[2024-01-02T03:04:06.000Z] "GET /uf HTTP/1.1" 503 UF 0 91 1 - "-" "curl/8.4.0" "44898dba-8d8e-48f4-93f7-23e4b4c59201" "localhost:8000" "172.28.0.2:801"`
	for _, tc := range []verdictCase{
		{
			// Caddy's default logger: its startup lines, then the
			// http.log.error entries that decide (app_error before).
			name: "caddy error entries after its startup lines",
			files: map[string]string{
				"a-access.log": lines(
					`{"level":"error","ts":1704164645.1003,"logger":"http.log.access","msg":"handled request","request":{"remote_ip":"203.0.113.7","remote_port":"52069","client_ip":"203.0.113.7","proto":"HTTP/1.1","method":"GET","host":"api.example.com","uri":"/r","headers":{}},"bytes_read":0,"user_id":"","duration":0.000702,"size":0,"status":502,"resp_headers":{"Server":["Caddy"]}}`,
					`{"level":"error","ts":1704164646.1003,"logger":"http.log.access","msg":"handled request","request":{"remote_ip":"203.0.113.7","remote_port":"52070","client_ip":"203.0.113.7","proto":"HTTP/1.1","method":"GET","host":"api.example.com","uri":"/n","headers":{}},"bytes_read":0,"user_id":"","duration":0.0002,"size":0,"status":503,"resp_headers":{"Server":["Caddy"]}}`,
				),
				"b-caddy.log": lines(append(caddyStartup,
					`{"level":"error","ts":1704164645.1000,"logger":"http.log.error","msg":"dial tcp 172.21.0.6:8000: connect: connection refused","request":{"remote_ip":"203.0.113.7","remote_port":"52069","client_ip":"203.0.113.7","proto":"HTTP/1.1","method":"GET","host":"api.example.com","uri":"/r","headers":{"Connection":["keep-alive"]}},"duration":0.000669913,"status":502,"err_id":"c0wkic63c","err_trace":"reverseproxy.statusError (reverseproxy.go:1269)"}`,
					`{"level":"error","ts":1704164646.1000,"logger":"http.log.error","msg":"no upstreams available","request":{"remote_ip":"203.0.113.7","remote_port":"52070","client_ip":"203.0.113.7","proto":"HTTP/1.1","method":"GET","host":"api.example.com","uri":"/n","headers":{}},"duration":0.0001,"status":503,"err_id":"a","err_trace":"reverseproxy.statusError (reverseproxy.go:1269)"}`,
				)...),
			},
			want: map[string]wantEvent{
				"/r": {cause: "upstream_refused", appLines: 0},
				"/n": {cause: "no_healthy_upstream", appLines: 0},
			},
		},
		{
			// Recorded: Caddy's default log with its startup lines, one
			// error entry and its shutdown lines (read as an app log, the
			// refused connection was the app's own 502).
			name: "caddy error log ending with its shutdown lines",
			files: map[string]string{
				"a-access.log": lines(`{"level":"error","ts":1795326914.0642412,"logger":"http.log.access.log0","msg":"handled request","request":{"remote_ip":"127.0.0.1","remote_port":"57874","proto":"HTTP/1.1","method":"GET","host":"127.0.0.1:39302","uri":"/x","headers":{"User-Agent":["curl/7.88.1"],"Accept":["*/*"]}},"user_id":"","duration":0.001788196,"size":0,"status":502,"resp_headers":{"Server":["Caddy"]}}`),
				"b-error.log":  lines(startupLines(t, "caddy-2.6.2-shutdown.log")...),
			},
			want: map[string]wantEvent{"/x": {cause: "upstream_refused", appLines: 0, in: "error log: dial tcp 127.0.0.1:39199: connect: connection refused"}},
		},
		{
			// Caddy just started, no request yet: its startup lines are
			// no app log (read as one, "no app line for it" made Traefik's
			// own 502 a refused connection that never reached the app).
			name: "caddy startup lines alone beside another proxy",
			files: map[string]string{
				"a-traefik.log": lines(`10.0.0.9 - - [02/Jan/2024:03:04:06 +0000] "GET /api HTTP/1.1" 502 11 "-" "curl/8.4.0" 43 "api@docker" "http://172.18.0.5:8080" 2ms`),
				"b-caddy.log":   lines(caddyStartup...),
			},
			want: map[string]wantEvent{"/api": {cause: "unknown", appLines: 0, notIn: "never reached the app"}},
		},
		{
			name: "istio-proxy after istio-agent's lines",
			files: map[string]string{"istio-proxy.log": lines(append(
				repeatLine(14, "2024-01-02T03:04:01.123456Z\tinfo\tads\tADS: new connection for node:sidecar~10.244.0.17~api-7d9c.default~default.svc.cluster.local-1"),
				envoyUF)...)},
			want: map[string]wantEvent{"/uf": {cause: "upstream_refused", appLines: -1}},
		},
		{
			name: "traefik stdout after its startup lines",
			files: map[string]string{"traefik.log": lines(append(
				repeatLine(12, `time="2024-01-02T03:03:51Z" level=info msg="Configuration loaded from flags."`),
				`10.0.0.9 - - [02/Jan/2024:03:04:06 +0000] "GET /api HTTP/1.1" 503 20 "-" "curl/8.4.0" 43 "api@docker" "-" 0ms`)...)},
			want: map[string]wantEvent{"/api": {cause: "no_healthy_upstream", appLines: -1}},
		},
		{
			// formats.md §7.2/§7.3: Traefik's own 502 is unknown unless its
			// DEBUG line gives the cause: then that line decides (it was
			// read, shown in the timeline, and ignored). The other 502 to
			// another upstream in the same second stays unknown.
			name: "traefik DEBUG lines give the cause of its own 5xx",
			files: map[string]string{"traefik.log": lines(
				`time="2024-01-02T03:04:06Z" level=debug msg="'502 Bad Gateway' caused by: dial tcp 172.18.0.5:8080: connect: connection refused"`,
				// Judged first: the line names another upstream, so it is left for /api.
				`10.0.0.9 - - [02/Jan/2024:03:04:06 +0000] "GET /other HTTP/1.1" 502 11 "-" "curl/8.4.0" 44 "other@docker" "http://172.18.0.7:8080" 3ms`,
				`10.0.0.9 - - [02/Jan/2024:03:04:06 +0000] "GET /api HTTP/1.1" 502 11 "-" "curl/8.4.0" 43 "api@docker" "http://172.18.0.5:8080" 2ms`,
				`time="2024-01-02T03:04:09Z" level=debug msg="'504 Gateway Timeout' caused by: dial tcp 172.18.0.5:8080: i/o timeout"`,
				`10.0.0.9 - - [02/Jan/2024:03:04:09 +0000] "GET /slow HTTP/1.1" 504 15 "-" "curl/8.4.0" 45 "api@docker" "http://172.18.0.5:8080" 30000ms`,
			)},
			want: map[string]wantEvent{
				"/api":   {cause: "upstream_refused", appLines: -1, in: "proxy log: '502 Bad Gateway' caused by: dial tcp 172.18.0.5:8080: connect: connection refused", notIn: "cause only in its DEBUG log"},
				"/other": {cause: "unknown", appLines: -1},
				"/slow":  {cause: "upstream_timeout", appLines: -1},
			},
		},
		{
			name: "traefik v3 JSON DEBUG line beside its JSON access line",
			files: map[string]string{"traefik.json": lines(
				`{"level":"debug","error":"dial tcp 172.18.0.5:8080: connect: connection refused","message":"502 Bad Gateway","time":"2024-01-02T03:04:05Z"}`,
				`{"ClientHost":"10.0.0.9","DownstreamContentSize":11,"DownstreamStatus":502,"Duration":1834000,"OriginContentSize":11,"OriginDuration":1702000,"OriginStatus":502,"RequestMethod":"GET","RequestPath":"/api","RetryAttempts":0,"RouterName":"api@docker","ServiceName":"api@docker","ServiceURL":"http://172.18.0.5:8080","StartUTC":"2024-01-02T03:04:05.120000000Z","level":"info","msg":"","time":"2024-01-02T03:04:05Z"}`,
			)},
			want: map[string]wantEvent{"/api": {cause: "upstream_refused", appLines: -1}},
		},
		{
			name:  "envoy in CRI container lines",
			files: map[string]string{"envoy.log": lines("2024-01-02T03:04:05.123456789Z stdout F " + envoyUF)},
			want:  map[string]wantEvent{"/uf": {cause: "upstream_refused", appLines: -1}},
		},
		{
			name: "envoy in Docker json-file lines",
			files: map[string]string{"envoy.log": lines(
				`{"log":"[2024-01-02T03:04:06.000Z] \"GET /uf HTTP/1.1\" 503 UF 0 91 1 - \"-\" \"curl/8.4.0\" \"44898dba-8d8e-48f4-93f7-23e4b4c59201\" \"localhost:8000\" \"172.28.0.2:801\"\n","stream":"stdout","time":"2024-01-02T03:04:05.1Z"}`,
			)},
			want: map[string]wantEvent{"/uf": {cause: "upstream_refused", appLines: -1}},
		},
		{
			// A syslog stamp has no year: the state line before the first
			// request line took the year it was read in, and was never
			// joined to the 2024 request.
			name: "haproxy state line before the first request line",
			env:  map[string]string{"TZ": "UTC"},
			files: map[string]string{"haproxy.log": lines(
				`Jan  2 03:04:06 lb1 haproxy[14389]: backend be_app has no server available!`,
				`Jan  2 03:04:07 lb1 haproxy[14389]: 10.0.0.9:51234 [02/Jan/2024:03:04:07.120] fe_http be_app/<NOSRV> 0/-1/-1/-1/0 503 217 - - SC-- 1/1/0/0/0 0/0 "GET /api HTTP/1.1"`,
			)},
			want: map[string]wantEvent{"/api": {cause: "no_healthy_upstream", appLines: -1, in: "backend be_app has no server available!"}},
		},
		{
			// A state line names its backend: be_app_v2's is not be_app's
			// (a prefix match took it as evidence for be_app's 503).
			name: "haproxy state line of another backend with the same prefix",
			env:  map[string]string{"TZ": "UTC"},
			files: map[string]string{"haproxy.log": lines(
				`Jan  2 03:04:06 lb1 haproxy[14389]: backend be_app_v2 has no server available!`,
				`Jan  2 03:04:06 lb1 haproxy[14389]: Server be_app/srv1 is DOWN, reason: Layer4 connection problem, info: "Connection refused", check duration: 0ms. 0 active and 0 backup servers left. 0 sessions active, 0 requeued, 0 remaining in queue.`,
				`Jan  2 03:04:07 lb1 haproxy[14389]: 10.0.0.9:51234 [02/Jan/2024:03:04:07.120] fe_http be_app/<NOSRV> 0/-1/-1/-1/0 503 217 - - SC-- 1/1/0/0/0 0/0 "GET /api HTTP/1.1"`,
			)},
			want: map[string]wantEvent{"/api": {cause: "no_healthy_upstream", appLines: -1, in: "be_app/srv1 is DOWN", notIn: "be_app_v2"}},
		},
		{
			// kubectl logs of the ingress-nginx controller: nginx's error
			// lines in the same stream decide refused and the connect
			// timeout (they were unparsed: unknown and a low guess).
			name:  "ingress-nginx controller stream with nginx error lines",
			env:   map[string]string{"TZ": "UTC"},
			files: map[string]string{"controller.log": ingressStream},
			want: map[string]wantEvent{
				"/some/end/point": {cause: "upstream_refused", appLines: -1},
				"/":               {cause: "upstream_timeout", appLines: -1},
			},
		},
		{
			// The error lines have no zone: read at the access lines' offset,
			// not in the reader's zone (an hour off: nothing joined).
			name:  "ingress-nginx controller stream read in another time zone",
			env:   map[string]string{"TZ": "Europe/Berlin"},
			files: map[string]string{"controller.log": ingressStream},
			want: map[string]wantEvent{
				"/some/end/point": {cause: "upstream_refused", appLines: -1},
				"/":               {cause: "upstream_timeout", appLines: -1},
			},
		},
		{
			// formats.md §8.3: the origin gets Cf-Ray "<RayID>-<COLO>". The
			// app's start line is this request's: it reached the app.
			name: "cloudflare ray id with its colo in the app log",
			files: map[string]string{
				"a-cf.ndjson": lines(`{"RayID":"84a1b2c3d4e5f618","EdgeStartTimestamp":"2024-01-02T03:04:16Z","EdgeEndTimestamp":"2024-01-02T03:04:46Z","EdgeResponseStatus":502,"OriginResponseStatus":0,"OriginIP":"203.0.113.10","ClientRequestMethod":"GET","ClientRequestURI":"/x"}`),
				"b-app.log":   lines(`{"time":"2024-01-02T03:04:16.050Z","level":"INFO","msg":"request started","request_id":"84a1b2c3d4e5f618-FRA","method":"GET","path":"/x"}`),
			},
			want: map[string]wantEvent{"/x": {cause: "upstream_reset", appLines: 1, notIn: "never reached the app"}},
		},
		{
			// formats.md §9.2: the target gets X-Amzn-Trace-Id "Root=1-…".
			name: "alb trace id as the target gets it",
			files: map[string]string{
				"a-alb.log": lines(`https 2024-01-02T03:05:16.000000Z app/web/50dc6c495c0c9188 203.0.113.9:51002 10.0.1.20:8080 -1 -1 -1 502 - 212 278 "GET https://api.example.com:443/refused HTTP/1.1" "curl/8.4.0" ECDHE-RSA-AES128-GCM-SHA256 TLSv1.2 arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/web/73e2d6bc24d8a067 "Root=1-65937a41-0123456789abcdef01234503" "api.example.com" "-" 1 2024-01-02T03:05:15.999000Z "forward" "-" "-" "10.0.1.20:8080" "-" "-" "-" TID_1`),
				"b-app.log": lines(`{"time":"2024-01-02T03:05:15.999Z","level":"INFO","msg":"request started","trace_id":"Root=1-65937a41-0123456789abcdef01234503;Parent=53995c3f42cd8ad8;Sampled=1","method":"GET","path":"/refused"}`),
			},
			// ALB does not retry: the evidence must not tell of a retry.
			want: map[string]wantEvent{"/refused": {cause: "upstream_reset", appLines: 1, in: "died mid-request", notIn: "retry"}},
		},
	} {
		t.Run(tc.name, func(t *testing.T) { runVerdictCase(t, tc) })
	}
}
