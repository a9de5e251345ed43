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
}

type reportEvent struct {
	Path     string   `json:"path"`
	Cause    string   `json:"cause"`
	AppLines int      `json:"app_lines"`
	Evidence []string `json:"evidence"`
	Hint     string   `json:"hint"`
}

// runVerdictCase writes the files, runs report --events over them (in the
// order of their names) and checks every 5xx it expects.
func runVerdictCase(t *testing.T, tc verdictCase) map[string]reportEvent {
	t.Helper()
	for k, v := range tc.env {
		t.Setenv(k, v)
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
	code, out, stderr := runCLI(append([]string{"report", "--events"}, paths...)...)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	got := map[string]reportEvent{}
	for _, l := range strings.Split(strings.TrimSpace(out), "\n") {
		if l == "" {
			continue
		}
		var ev reportEvent
		if err := json.Unmarshal([]byte(l), &ev); err != nil {
			t.Fatalf("%v: %s", err, l)
		}
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
			want: map[string]wantEvent{"/slow": {cause: "app_error", appLines: 2, notIn: "never the end"}},
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
				"/search": {cause: "unknown", appLines: -1, notIn: "no error-log line"},
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
