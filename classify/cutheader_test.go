package classify

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// readLogs returns the lines of each named log in testdata/dir.
func readLogs(t *testing.T, dir string, names ...string) map[string][]string {
	t.Helper()
	logs := map[string][]string{}
	for _, name := range names {
		b, err := os.ReadFile(filepath.Join("testdata", dir, name))
		if err != nil {
			t.Fatal(err)
		}
		logs[name] = strings.Split(strings.TrimSuffix(string(b), "\n"), "\n")
	}
	return logs
}

// An app that crashes mid-header (it sent "HTTP/1.1 200 OK\r\nContent-Ty"
// or "HTTP/1.1 2", then RST or FIN) is a reset, as nginx ("recv() failed
// (104") and HAProxy (SH--) say of the same fault; Caddy's net/http
// parses the fragment it got and logs `malformed MIME header: missing
// colon: "Content-Ty"` or `malformed HTTP status code "2"`, and every
// such 502 was upstream_bad_response at high beside the app's start with
// no end (QA s13 56/56, s11 30/30, s3 20/20; real Caddy 2.6.2 in front of
// a fault-injecting backend, testdata/caddy-cut-header). Whole lines of
// garbage stay bad responses (testdata/caddy-garbage-header: "Bad Header
// Line" from testdata/recordings/caddy, the SSH banner from QA s3), though
// that backend too logs a start and no end.
func TestCaddyCutMidHeaderIsAReset(t *testing.T) {
	cut := readLogs(t, "caddy-cut-header", "access.log", "error.log", "app.log")
	// The app's end of /rststatus?n=7, by its id: not in the recording
	// (that backend crashed); made from its start line.
	finished := map[string][]string{"access.log": cut["access.log"], "error.log": cut["error.log"], "app.log": {
		`{"time": "2026-11-23T06:14:05.631130Z", "level": "INFO", "msg": "request started", "request_id": "64ebcf7733a8492cb91bae951a843b8b", "method": "GET", "path": "/rststatus?n=7"}`,
		`{"time": "2026-11-23T06:14:05.632130Z", "level": "INFO", "msg": "request finished", "request_id": "64ebcf7733a8492cb91bae951a843b8b", "method": "GET", "path": "/rststatus?n=7", "status": 200, "duration_ms": 1.0}`,
	}}
	for _, tc := range []struct {
		name string
		logs map[string][]string
		want map[string]string // path → cause/confidence
		line string            // an evidence line every verdict has
	}{
		{"the app's start without an end, by id", cut, map[string]string{
			"/finhdr?n=16":   "upstream_reset/high",
			"/rststatus?n=7": "upstream_reset/high",
		}, "the response stops mid-header (net/http parsed the fragment it got), and the app never finished the request: it died while answering"},
		{"no app log", map[string][]string{"access.log": cut["access.log"], "error.log": cut["error.log"]}, map[string]string{
			"/finhdr?n=16":   "upstream_reset/medium",
			"/rststatus?n=7": "upstream_reset/medium",
		}, "the response stops mid-header as a cut leaves it (net/http parsed the fragment it got); a short line sent whole reads the same, and no app line of this request's tells which"},
		{"the app finished it, by id", finished, map[string]string{
			"/rststatus?n=7": "upstream_bad_response/medium",
		}, "the app finished the request (by request id): the line net/http could not parse was sent whole, not cut off"},
		{"whole lines of garbage", readLogs(t, "caddy-garbage-header", "access.log", "error.log", "app.log"), map[string]string{
			"/badheader?n=107": "upstream_bad_response/high",
			"/garbage?n=10":    "upstream_bad_response/high",
		}, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			checkPathVerdicts(t, judgeFiles(t, tc.logs), tc.want, tc.line)
		})
	}
}

// checkPathVerdicts checks the verdicts of want's paths: each is
// "cause/confidence" as want says, and with line set, each one's evidence
// holds it.
func checkPathVerdicts(t *testing.T, verdicts []*Verdict, want map[string]string, line string) {
	t.Helper()
	got := map[string]string{}
	for _, v := range verdicts {
		if _, ok := want[v.Entry.Path]; !ok {
			continue
		}
		got[v.Entry.Path] = string(v.Cause) + "/" + string(v.Confidence)
		if line != "" && !strings.Contains(strings.Join(v.Evidence, "\n"), line) {
			t.Errorf("%s: evidence %q lacks %q", v.Entry.Path, v.Evidence, line)
		}
	}
	for path, w := range want {
		if got[path] != w {
			t.Errorf("%s: %s, want %s", path, got[path], w)
		}
	}
}
