package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// HAProxy 2.6.12 with "capture request header X-Request-ID len 64" and an
// app that logs the header as its request_id (recorded; the 5xx lines of
// the QA round's haproxy-shortid). The ids are short and no shape says
// they are ids: they were left out, and the app lines joined by time.
var (
	shortIDAccess = []string{
		`127.0.0.1:36628 [22/Nov/2026:05:50:26.576] fe be_app/s1 0/0/0/0/0 503 49 - - ---- 1/1/0/0/0 0/0 {hap-2-e503} "GET /e503 HTTP/1.1"`,
		`127.0.0.1:36636 [22/Nov/2026:05:50:26.586] fe be_app/s1 0/0/0/0/0 500 49 - - ---- 1/1/0/0/0 0/0 {hap-3-e500} "GET /e500 HTTP/1.1"`,
	}
	shortIDApp = []string{
		`{"time": "2026-11-22T05:50:26.576592Z", "level": "INFO", "msg": "request started", "method": "GET", "path": "/e503", "port": 39101, "request_id": "hap-2-e503"}`,
		`{"time": "2026-11-22T05:50:26.576799Z", "level": "ERROR", "msg": "request finished", "status": 503, "method": "GET", "path": "/e503", "port": 39101, "request_id": "hap-2-e503"}`,
		`{"time": "2026-11-22T05:50:26.587043Z", "level": "INFO", "msg": "request started", "method": "GET", "path": "/e500", "port": 39101, "request_id": "hap-3-e500"}`,
		`{"time": "2026-11-22T05:50:26.587237Z", "level": "ERROR", "msg": "request finished", "status": 500, "method": "GET", "path": "/e500", "port": 39101, "request_id": "hap-3-e500"}`,
	}
)

// capturedEvent is the part of an event the test reads: its evidence
// about the app (the proxy's flags come first, worded by the rules).
type capturedEvent struct {
	cause, confidence, requestID string
	evidence                     []string
}

// hasAll says whether got has every line of want.
func hasAll(got, want []string) bool {
	for _, w := range want {
		if !slices.Contains(got, w) {
			return false
		}
	}
	return true
}

// TestCapturedRequestIDs: a value HAProxy captured is the request id when
// an app line carries it as its own, and then the value in the same place
// of the block is the id of the later 5xx; a captured user agent or host
// never is one (classify/capturedid.go).
func TestCapturedRequestIDs(t *testing.T) {
	withUA := func(lines []string) []string { // "capture request header User-Agent" first
		out := make([]string, len(lines))
		for i, l := range lines {
			out[i] = strings.Replace(l, "{hap-", "{curl/7.88.1|hap-", 1)
		}
		return out
	}
	// The server refused the connection: the app never saw the request.
	noSuchID := `127.0.0.1:36648 [22/Nov/2026:05:50:26.596] fe be_app/s1 0/0/-1/-1/3 503 217 - - SC-- 1/1/0/0/3 0/0 {hap-4-refused} "GET /refused HTTP/1.1"`
	tests := []struct {
		name        string
		access, app []string
		want        map[string]capturedEvent
	}{
		{"the id captured alone", shortIDAccess, shortIDApp, map[string]capturedEvent{
			"/e503": {"app_unavailable", "high", "hap-2-e503", []string{`app: finished with 503 (by request id): "request finished"`}},
			"/e500": {"app_error", "high", "hap-3-e500", []string{`app: finished with 500 (by request id): "request finished"`}},
		}},
		{"the id after a captured user agent", withUA(shortIDAccess), shortIDApp, map[string]capturedEvent{
			"/e503": {"app_unavailable", "high", "hap-2-e503", []string{`app: finished with 503 (by request id): "request finished"`}},
			"/e500": {"app_error", "high", "hap-3-e500", []string{`app: finished with 500 (by request id): "request finished"`}},
		}},
		// Its place learned, a value no app line carries is a request the
		// app never saw.
		{"the app never saw one", append(slices.Clone(shortIDAccess), noSuchID), shortIDApp, map[string]capturedEvent{
			"/e503":    {"app_unavailable", "high", "hap-2-e503", []string{`app: finished with 503 (by request id): "request finished"`}},
			"/e500":    {"app_error", "high", "hap-3-e500", []string{`app: finished with 500 (by request id): "request finished"`}},
			"/refused": {"upstream_refused", "high", "hap-4-refused", []string{"app: no line with request id hap-4-refused: the app never saw it"}},
		}},
		// The app logs ids of its own: a captured user agent is no id,
		// and the lines still join by time.
		{"only a user agent captured", []string{
			strings.Replace(shortIDAccess[0], "{hap-2-e503}", "{curl/7.88.1}", 1),
		}, shortIDApp, map[string]capturedEvent{
			"/e503": {"app_unavailable", "high", "", []string{`app: finished with 503 (in the time window): "request finished"`}},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			access, app := filepath.Join(dir, "haproxy.log"), filepath.Join(dir, "app.log")
			write(t, access, tt.access)
			write(t, app, tt.app)
			code, out, stderr := runCLI("report", "--events", access, app)
			if code != 0 {
				t.Fatalf("exit %d: %s", code, stderr)
			}
			got := map[string]capturedEvent{}
			for _, l := range strings.Split(strings.TrimSpace(out), "\n") {
				var ev struct {
					Path, Cause, Confidence string
					RequestID               string `json:"request_id"`
					Evidence                []string
				}
				if err := json.Unmarshal([]byte(l), &ev); err != nil {
					t.Fatalf("%v: %s", err, l)
				}
				got[ev.Path] = capturedEvent{ev.Cause, ev.Confidence, ev.RequestID, ev.Evidence}
			}
			for path, w := range tt.want {
				g := got[path]
				if g.cause != w.cause || g.confidence != w.confidence || g.requestID != w.requestID || !hasAll(g.evidence, w.evidence) {
					t.Errorf("%s: %s %s id %q %q; want %s %s id %q %q", path, g.cause, g.confidence, g.requestID, g.evidence,
						w.cause, w.confidence, w.requestID, w.evidence)
				}
			}
			if len(got) != len(tt.want) {
				t.Errorf("%d events, want %d", len(got), len(tt.want))
			}
		})
	}
}

// TestCapturedRequestIDAdvice: the advisor asked to forward a request id
// header that HAProxy captured and the app logged; with captures none of
// whose values the app logs, it says so.
func TestCapturedRequestIDAdvice(t *testing.T) {
	otherIDs := make([]string, len(shortIDApp))
	for i, l := range shortIDApp {
		otherIDs[i] = strings.Replace(strings.Replace(l, `"hap-2-e503"`, `"a1"`, 1), `"hap-3-e500"`, `"a2"`, 1)
	}
	tests := []struct {
		name string
		app  []string
		want []string // problems
	}{
		{"the app logs the captured ids", shortIDApp, nil},
		{"the app logs other ids", otherIDs, []string{
			"no captured request header holds an id the app logs: app lines are matched by time, method and path only (low confidence)",
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			access, app := filepath.Join(dir, "haproxy.log"), filepath.Join(dir, "app.log")
			write(t, access, shortIDAccess)
			write(t, app, tt.app)
			code, out, stderr := runCLI("report", "--json", access, app)
			if code != 0 {
				t.Fatalf("exit %d: %s", code, stderr)
			}
			var rep struct{ Advice []struct{ Problem string } }
			if err := json.Unmarshal([]byte(out), &rep); err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, a := range rep.Advice {
				got = append(got, a.Problem)
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("advice %q, want %q", got, tt.want)
			}
		})
	}
}

func write(t *testing.T, path string, lines []string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(strings.Join(lines, "\n")+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
}
