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
