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
	} {
		t.Run(tc.name, func(t *testing.T) { runVerdictCase(t, tc) })
	}
}
