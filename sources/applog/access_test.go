package applog

import (
	"testing"

	"fivexx/sources"
)

// accessCases are app servers' own access lines: gunicorn's default
// access_log_format, morgan's 'combined' and 'common' (Node writes the
// IPv4 peer as ::ffff:…), puma's and Rack's CommonLogger with its trailing
// duration (also Rack 1.x's space after the year), and uvicorn's access
// line [built from each server's documented format string]. They were
// unparsed when given as the app's log (nothing read them), or read as a
// proxy's access log.
var accessCases = []parserCase{
	{
		name: "gunicorn default access_log_format",
		line: `127.0.0.1 - - [22/Nov/2026:08:00:02 +0000] "GET /api/x?id=7 HTTP/1.0" 500 21 "-" "curl/8.5.0"`,
		want: sources.AppEntry{Time: utc(2026, 11, 22, 8, 0, 2, 0), Method: "GET", Path: "/api/x?id=7", Status: 500, Duration: -1,
			Phase: sources.PhaseEnd, Service: "api"},
	},
	{
		name: "morgan combined",
		line: `::ffff:127.0.0.1 - - [22/Nov/2026:08:00:02 +0000] "POST /api/orders HTTP/1.1" 503 - "-" "Mozilla/5.0 (X11; Linux x86_64)"`,
		want: sources.AppEntry{Time: utc(2026, 11, 22, 8, 0, 2, 0), Method: "POST", Path: "/api/orders", Status: 503, Duration: -1,
			Phase: sources.PhaseEnd, Service: "api"},
	},
	{
		name: "morgan common",
		line: `::ffff:10.0.0.2 - alice [22/Nov/2026:09:00:02 +0100] "GET /api/x HTTP/1.1" 502 12`,
		want: sources.AppEntry{Time: utc(2026, 11, 22, 8, 0, 2, 0), Method: "GET", Path: "/api/x", Status: 502, Duration: -1,
			Phase: sources.PhaseEnd, Service: "api"},
	},
	{
		name: "puma / Rack CommonLogger: the duration in seconds",
		line: `10.0.0.2 - - [22/Nov/2026:08:00:02 +0000] "GET /users/1 HTTP/1.1" 500 - 0.0123`,
		want: sources.AppEntry{Time: utc(2026, 11, 22, 8, 0, 2, 0), Method: "GET", Path: "/users/1", Status: 500, Duration: 0.0123,
			Phase: sources.PhaseEnd, Service: "api"},
	},
	{
		name: "Rack 1.x: a space after the year",
		line: `10.0.0.2 - - [22/Nov/2026 08:00:02] "GET /users/1 HTTP/1.1" 200 1043 0.0051`,
		want: sources.AppEntry{Time: utc(2026, 11, 22, 8, 0, 2, 0), Method: "GET", Path: "/users/1", Status: 200, Duration: 0.0051,
			Phase: sources.PhaseEnd, Service: "api"},
	},
	{
		name: "uvicorn access line: method, path and status, no time",
		line: `INFO:     127.0.0.1:52344 - "GET /api/x HTTP/1.1" 500 Internal Server Error`,
		want: sources.AppEntry{Level: "info", Message: `127.0.0.1:52344 - "GET /api/x HTTP/1.1" 500 Internal Server Error`,
			Method: "GET", Path: "/api/x", Status: 500, Duration: -1, Phase: sources.PhaseEnd, Service: "api"},
	},
	{
		name: "uvicorn with a log config that stamps its lines",
		line: `2026-11-22 08:00:02,123 INFO:     127.0.0.1:52344 - "POST /api/orders HTTP/1.1" 503 Service Unavailable`,
		want: sources.AppEntry{Time: utc(2026, 11, 22, 8, 0, 2, 123000000), Level: "info",
			Message: `127.0.0.1:52344 - "POST /api/orders HTTP/1.1" 503 Service Unavailable`,
			Method:  "POST", Path: "/api/orders", Status: 503, Duration: -1, Phase: sources.PhaseEnd, Service: "api"},
	},
	// A trailing request id field, as gunicorn writes it with
	// access_log_format '... "%(a)s" rid=%({x-request-id}i)s' and Apache
	// with LogFormat '... "%{User-Agent}i" rid=%{X-Request-ID}i': read as
	// key=value pairs first, such a line kept the id alone (no time,
	// method, path or status) and joined no 5xx.
	{
		name: "gunicorn combined with a trailing rid= (nginx's $request_id)",
		line: `127.0.0.1 - - [22/Nov/2026:16:09:47 +0000] "GET /slow?s=25&st=500&n=51 HTTP/1.0" 500 13 "-" "h-startapp-lab/1" rid=3f1e0c2a9b8d4e6f8a7b6c5d4e3f2a1b`,
		want: sources.AppEntry{Time: utc(2026, 11, 22, 16, 9, 47, 0), Method: "GET", Path: "/slow?s=25&st=500&n=51", Status: 500, Duration: -1,
			RequestID: "3f1e0c2a9b8d4e6f8a7b6c5d4e3f2a1b", Phase: sources.PhaseEnd, Service: "api"},
	},
	{
		name: "Apache combined with request_id=",
		line: `10.0.0.7 - - [22/Nov/2026:09:00:02 +0100] "POST /api/orders HTTP/1.1" 503 299 "https://shop.example/cart" "Mozilla/5.0 (X11; Linux x86_64)" request_id=req-4f7c2c8d`,
		want: sources.AppEntry{Time: utc(2026, 11, 22, 8, 0, 2, 0), Method: "POST", Path: "/api/orders", Status: 503, Duration: -1,
			RequestID: "req-4f7c2c8d", Phase: sources.PhaseEnd, Service: "api"},
	},
	{
		name: "quoted req_id= after other fields",
		line: `127.0.0.1 - - [22/Nov/2026:08:00:02 +0000] "GET /api/x HTTP/1.0" 502 12 "-" "curl/8.5.0" pid=812 req_id="b2c4e6f8-0a1b-4c3d-9e8f-7a6b5c4d3e2f"`,
		want: sources.AppEntry{Time: utc(2026, 11, 22, 8, 0, 2, 0), Method: "GET", Path: "/api/x", Status: 502, Duration: -1,
			RequestID: "b2c4e6f8-0a1b-4c3d-9e8f-7a6b5c4d3e2f", Phase: sources.PhaseEnd, Service: "api"},
	},
	{
		name: "request_id ranks above a trace id, whichever comes first",
		line: `127.0.0.1 - - [22/Nov/2026:08:00:02 +0000] "GET /api/x HTTP/1.0" 500 12 "-" "curl/8.5.0" trace_id=4bf92f3577b34da6a3ce929d0e0e4736 request_id=7d1e`,
		want: sources.AppEntry{Time: utc(2026, 11, 22, 8, 0, 2, 0), Method: "GET", Path: "/api/x", Status: 500, Duration: -1,
			RequestID: "7d1e", Phase: sources.PhaseEnd, Service: "api"},
	},
	{
		name: "no X-Request-ID header: rid=- is no id",
		line: `127.0.0.1 - - [22/Nov/2026:08:00:02 +0000] "GET /api/x HTTP/1.0" 500 12 "-" "curl/8.5.0" rid=-`,
		want: sources.AppEntry{Time: utc(2026, 11, 22, 8, 0, 2, 0), Method: "GET", Path: "/api/x", Status: 500, Duration: -1,
			Phase: sources.PhaseEnd, Service: "api"},
	},
	{
		name: "a rid= inside the quoted user agent and referer is no field",
		line: `127.0.0.1 - - [22/Nov/2026:08:00:02 +0000] "GET /api/x HTTP/1.0" 500 12 "https://a.example/?x=1 rid=ref" "bot/1 rid=ua \"q rid=esc\""`,
		want: sources.AppEntry{Time: utc(2026, 11, 22, 8, 0, 2, 0), Method: "GET", Path: "/api/x", Status: 500, Duration: -1,
			Phase: sources.PhaseEnd, Service: "api"},
	},
	{name: "no request line", line: `127.0.0.1 - - [22/Nov/2026:08:00:02 +0000] "-" 400 0 "-" "-"`, wantErr: true},
	{name: "a bad month", line: `127.0.0.1 - - [22/Nob/2026:08:00:02 +0000] "GET / HTTP/1.1" 200 1`, wantErr: true},
	{name: "no status", line: `127.0.0.1 - - [22/Nov/2026:08:00:02 +0000] "GET / HTTP/1.1" abc 1`, wantErr: true},
}

// TestAppAccessLines: the app's access lines give method, path, status
// and time, to join the proxy's 5xx as other app lines do.
func TestAppAccessLines(t *testing.T) {
	runCases(t, FormatAccess, testOpts, accessCases)
}

// TestDetectAppAccess: CLF lines score below nginx-combined (80), so a
// file given without a role stays the proxy's, and above every other app
// format, so one given as the app's is read as this one.
func TestDetectAppAccess(t *testing.T) {
	for _, c := range accessCases {
		if c.wantErr || c.name == "uvicorn with a log config that stamps its lines" {
			continue // app-text reads it, with the same parser
		}
		got := detectAccess(c.line)
		if got == 0 || got >= 80 {
			t.Errorf("%s: detectAccess = %d, want 1..79", c.name, got)
		}
		for _, other := range []func(string) int{detectJSON, detectText, detectLogfmt} {
			if s := other(c.line); s >= got {
				t.Errorf("%s: another app format scores %d against %d", c.name, s, got)
			}
		}
	}
	if s := detectAccess(`2024-01-02 03:04:05,678 ERROR [req-1] orders: unhandled error`); s != 0 {
		t.Errorf("a text line scores %d", s)
	}
}
