package main

import (
	"testing"
)

// reportFiles writes files (name → content) in a temp dir and returns
// report --events over them, in that order, with the local zone UTC.
func reportFiles(t *testing.T, files ...[2]string) []reportEvent {
	t.Helper()
	inZone(t, "UTC")
	evs, _ := reportEvents(t, writeFiles(t, files...)...)
	return evs
}

// The QA cases below were wrong answers: each is judged from evidence the
// reference (formats.md) reads otherwise.
func TestEvidenceRulesFromQA(t *testing.T) {
	tests := []struct {
		name  string
		files [][2]string
		cause string
		conf  string
	}{
		{
			// An error log from the next day has no line for a 504 of
			// this day; that says nothing of it. (It said "the upstream
			// sent 504": app_error, medium.) 167 bytes: nginx 1.22.1's own
			// 504 page (157 is its 502's; a 504 as small is no page of
			// nginx's, session 36).
			name: "error log that starts after the 5xx",
			files: [][2]string{
				{"access.log", `10.1.2.3 - - [02/Jan/2024:03:04:15 +0000] "GET /b HTTP/1.1" 504 167 "-" "curl/8.4.0"` + "\n"},
				{"error.log", `2024/01/03 09:00:00 [error] 6#6: *9 connect() failed (111: Connection refused) while connecting to upstream, client: 10.9.9.9, server: , request: "GET /other HTTP/1.1", upstream: "http://10.0.0.1:8080/other", host: "x"` + "\n"},
			},
			cause: "upstream_timeout", conf: "low",
		},
		{
			// The app's "request started" line, joined by time (no
			// request ids), is another request's whose end came 4.5 s
			// later, outside the window: the proxy's own "Connection
			// refused" stands. (It was upstream_reset, high.)
			name: "window-joined start does not overturn a refusal",
			files: [][2]string{
				{"access.log", `10.1.2.3 - - [02/Jan/2024:03:04:05 +0000] "GET /api HTTP/1.1" 502 157 "-" "curl/8.4.0"` + "\n" +
					`10.1.2.4 - - [02/Jan/2024:03:04:09 +0000] "GET /api HTTP/1.1" 200 12 "-" "curl/8.4.0"` + "\n"},
				{"error.log", `2024/01/02 03:04:05 [error] 6#6: *1 connect() failed (111: Connection refused) while connecting to upstream, client: 10.1.2.3, server: , request: "GET /api HTTP/1.1", upstream: "http://10.0.0.1:8080/api", host: "x"` + "\n"},
				{"app.log", `{"time":"2024-01-02T03:04:04.500Z","level":"INFO","msg":"request started","method":"GET","path":"/api"}` + "\n" +
					`{"time":"2024-01-02T03:04:09.000Z","level":"INFO","msg":"request finished","method":"GET","path":"/api","status":200,"duration_ms":4500}` + "\n"},
			},
			cause: "upstream_refused", conf: "high",
		},
		{
			// uht=- and urt=2.500: the upstream held the connection 2.5 s
			// and failed; an app log with no line for the request (it
			// logs completions only, and a crash logs nothing) does not
			// make that a refusal (formats.md §1.6, §9.4). It was
			// upstream_refused ("the request never reached the app").
			name: "slow failure with no app line is a reset",
			files: [][2]string{
				{"access.log", `10.1.2.3 - - [02/Jan/2024:03:04:05 +0000] "GET /api HTTP/1.1" 502 157 "-" "curl/8.4.0" rt=2.501 uct="0.000" uht="-" urt="2.500" ua="10.0.0.1:8080" us="502" rid=aaaa0000000000000000000000000001` + "\n"},
				{"app.log", `{"time":"2024-01-02T03:04:01.000Z","level":"INFO","msg":"request finished","request_id":"bbbb0000000000000000000000000002","method":"GET","path":"/other","status":200}` + "\n"},
			},
			cause: "upstream_reset", conf: "low",
		},
		{
			// A 502 between two 200s of the same path, and the app's
			// "finished 200" lines of those two, joined by time (no
			// ids): neither is the 502's. It was upstream_bad_response
			// ("the app thinks it answered 200").
			name: "window-joined 200 is not the 502's",
			files: [][2]string{
				{"access.log", `10.1.2.1 - - [02/Jan/2024:03:04:05 +0000] "GET /api HTTP/1.1" 200 157 "-" "curl/8.4.0"` + "\n" +
					`10.1.2.2 - - [02/Jan/2024:03:04:05 +0000] "GET /api HTTP/1.1" 502 157 "-" "curl/8.4.0"` + "\n" +
					`10.1.2.3 - - [02/Jan/2024:03:04:06 +0000] "GET /api HTTP/1.1" 200 157 "-" "curl/8.4.0"` + "\n"},
				{"app.log", `{"time":"2024-01-02T03:04:05.010Z","level":"INFO","msg":"request finished","method":"GET","path":"/api","status":200}` + "\n" +
					`{"time":"2024-01-02T03:04:06.010Z","level":"INFO","msg":"request finished","method":"GET","path":"/api","status":200}` + "\n"},
			},
			cause: "unknown", conf: "low",
		},
		{
			// Rails: the access log has no request id, so the app's lines
			// join by time, method and path; "Completed 500" has the
			// tag's id and no method or path. It was upstream_reset
			// ("logged the start ... but no end by the verdict").
			name: "an app's own request id ties its end line to a window join",
			files: [][2]string{
				{"access.log", `10.1.2.3 - - [02/Jan/2024:03:05:09 +0000] "GET /api HTTP/1.1" 500 157 "-" "curl/8.4.0"` + "\n"},
				{"app.log", `I, [2024-01-02T03:05:09.100000 #1234]  INFO -- : [6d2f1c3e-0a1b-4c2d-8e3f-123456789012] Started GET "/api" for 10.1.2.3 at 2024-01-02 03:05:09 +0000` + "\n" +
					`E, [2024-01-02T03:05:09.110000 #1234] ERROR -- : [6d2f1c3e-0a1b-4c2d-8e3f-123456789012] RuntimeError (boom)` + "\n" +
					`I, [2024-01-02T03:05:09.120000 #1234]  INFO -- : [6d2f1c3e-0a1b-4c2d-8e3f-123456789012] Completed 500 Internal Server Error in 20ms` + "\n"},
			},
			cause: "app_error", conf: "low",
		},
		{
			// The same with a failure at once: refused, as before.
			name: "instant failure with no app line is a refusal",
			files: [][2]string{
				{"access.log", `10.1.2.3 - - [02/Jan/2024:03:04:05 +0000] "GET /api HTTP/1.1" 502 157 "-" "curl/8.4.0" rt=0.001 uct="-" uht="-" urt="0.000" ua="10.0.0.1:8080" us="502" rid=aaaa0000000000000000000000000001` + "\n"},
				{"app.log", `{"time":"2024-01-02T03:04:01.000Z","level":"INFO","msg":"request finished","request_id":"bbbb0000000000000000000000000002","method":"GET","path":"/other","status":200}` + "\n"},
			},
			cause: "upstream_refused", conf: "low",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			evs := reportFiles(t, tt.files...)
			if len(evs) != 1 {
				t.Fatalf("%d events, want 1: %+v", len(evs), evs)
			}
			if evs[0].Cause != tt.cause || evs[0].Confidence != tt.conf {
				t.Errorf("verdict %s/%s, want %s/%s", evs[0].Cause, evs[0].Confidence, tt.cause, tt.conf)
			}
		})
	}
}
