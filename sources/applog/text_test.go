package applog

import (
	"regexp"
	"testing"
	"time"

	"fivexx/sources"
)

func TestTextParse(t *testing.T) {
	cases := []parserCase{
		{
			name: "fault backend plain text start",
			line: `2026-11-21T07:10:35.123Z INFO request started request_id=4f7c2c8d1e0b6a9f3c2d1e0f9a8b7c6d method=GET path=/x?n=1 instance=127.0.0.1:9101`,
			want: sources.AppEntry{Time: utc(2026, 11, 21, 7, 10, 35, 123000000), Level: "info", Message: "request started",
				RequestID: "4f7c2c8d1e0b6a9f3c2d1e0f9a8b7c6d", Method: "GET", Path: "/x?n=1", Duration: -1, Phase: sources.PhaseStart,
				Service: "api", Instance: "127.0.0.1:9101"},
		},
		{
			name: "fault backend plain text finish",
			line: `2026-11-21T07:10:35.124Z INFO request finished request_id=4f7c2c8d1e0b6a9f3c2d1e0f9a8b7c6d status=503 duration_ms=1.2 instance=127.0.0.1:9101`,
			want: sources.AppEntry{Time: utc(2026, 11, 21, 7, 10, 35, 124000000), Level: "info", Message: "request finished",
				RequestID: "4f7c2c8d1e0b6a9f3c2d1e0f9a8b7c6d", Status: 503, Duration: 0.0012, Phase: sources.PhaseEnd,
				Service: "api", Instance: "127.0.0.1:9101"},
		},
		{
			name: "formats.md plain text: the upstream's 503 is not the app's status",
			line: `2024-01-02 03:04:05,678 ERROR [req-4f7c2c8d] orders: upstream payment service returned 503`,
			want: sources.AppEntry{Time: utc(2024, 1, 2, 3, 4, 5, 678000000), Level: "error",
				Message: "[req-4f7c2c8d] orders: upstream payment service returned 503", RequestID: "req-4f7c2c8d", Duration: -1, Service: "api"},
		},
		{
			name: "Python logging default-style format",
			line: `2024-01-02 03:04:05,678 - orders - ERROR - payment failed rid=7a`,
			want: sources.AppEntry{Time: utc(2024, 1, 2, 3, 4, 5, 678000000), Level: "error", Message: "payment failed", RequestID: "7a",
				Duration: -1, Service: "api"},
		},
		{
			name: "logback with a thread name that is not an id",
			line: `2024-01-02 03:04:05.678 [http-nio-8080-exec-1] ERROR c.e.OrderController - Request processing failed`,
			want: sources.AppEntry{Time: utc(2024, 1, 2, 3, 4, 5, 678000000), Level: "error",
				Message: "c.e.OrderController - Request processing failed", Duration: -1, Service: "api"},
		},
		{
			name: "Spring Boot start-up is not a request start",
			line: `2023-06-22T12:08:46.417+02:00  INFO 22340 --- [           main] o.s.b.d.f.s.MyApplication                : Started MyApplication in 0.906 seconds (process running for 1.2)`,
			want: sources.AppEntry{Time: utc(2023, 6, 22, 10, 8, 46, 417000000), Level: "info",
				Message:  "22340 --- [           main] o.s.b.d.f.s.MyApplication                : Started MyApplication in 0.906 seconds (process running for 1.2)",
				Duration: -1, Service: "api"},
		},
		{
			name: "Go log: method, path, arrow status, duration",
			line: `2024/01/02 03:04:05 GET /orders/7?x=1 -> 503 in 1.2ms`,
			want: sources.AppEntry{Time: utc(2024, 1, 2, 3, 4, 5, 0), Message: "GET /orders/7?x=1 -> 503 in 1.2ms", Method: "GET",
				Path: "/orders/7?x=1", Status: 503, Duration: 0.0012, Phase: sources.PhaseEnd, Service: "api"},
		},
		{
			name: "Go log with microseconds and status word",
			line: `2024/01/02 03:04:05.123456 handled request POST /pay status 502, took 30s`,
			want: sources.AppEntry{Time: utc(2024, 1, 2, 3, 4, 5, 123456000), Message: "handled request POST /pay status 502, took 30s",
				Method: "POST", Path: "/pay", Status: 502, Duration: 30, Phase: sources.PhaseEnd, Service: "api"},
		},
		{
			// QA s23 F4: a bare status=500 runs to the next space, and
			// the message went on after a colon: read as no status, the
			// line joined a 500 as "no status" beside the next
			// request's 200.
			name: "key=value status followed by a colon",
			line: `2024-01-02 04:04:05,002 ERROR [api] request failed GET /api status=500: db down`,
			want: sources.AppEntry{Time: utc(2024, 1, 2, 4, 4, 5, 2000000), Level: "error", Message: "[api] request failed GET /api status=500: db down",
				Method: "GET", Path: "/api", Status: 500, Duration: -1, Phase: sources.PhaseEnd, Service: "api"},
		},
		{
			name: "status word, the code followed by a colon",
			line: `2024-01-02 04:04:05,002 ERROR request failed GET /api status 502: upstream payments returned garbage`,
			want: sources.AppEntry{Time: utc(2024, 1, 2, 4, 4, 5, 2000000), Level: "error", Message: "request failed GET /api status 502: upstream payments returned garbage",
				Method: "GET", Path: "/api", Status: 502, Duration: -1, Phase: sources.PhaseEnd, Service: "api"},
		},
		{
			name: "syslog RFC 3164 with PRI, host and tag",
			line: `<134>Jan  2 03:04:05 web1 orders[812]: [error] rid=abc status: 500 request errored`,
			want: sources.AppEntry{Time: utc(2024, 1, 2, 3, 4, 5, 0), Level: "error", Message: "rid=abc status: 500 request errored",
				RequestID: "abc", Status: 500, Duration: -1, Phase: sources.PhaseEnd, Service: "api", Instance: "web1"},
		},
		{
			name: "syslog stamp from last year",
			line: `Dec 31 23:59:59 web1 orders[812]: INFO incoming request GET /x`,
			want: sources.AppEntry{Time: utc(2023, 12, 31, 23, 59, 59, 0), Level: "info", Message: "incoming request GET /x",
				Method: "GET", Path: "/x", Duration: -1, Phase: sources.PhaseStart, Service: "api", Instance: "web1"},
		},
		{
			name: "RFC 3339 syslog header",
			line: `2024-01-02T03:04:05.123456+00:00 web1 orders[812]: WARN slow query took 1.5s`,
			want: sources.AppEntry{Time: utc(2024, 1, 2, 3, 4, 5, 123456000), Level: "warn", Message: "slow query took 1.5s",
				Duration: 1.5, Service: "api", Instance: "web1"},
		},
		{
			name: "journald-style",
			line: `2024-05-07T11:59:43.484606Z INFO ExtHandler ExtHandler Downloading agent manifest`,
			want: sources.AppEntry{Time: utc(2024, 5, 7, 11, 59, 43, 484606000), Level: "info",
				Message: "ExtHandler ExtHandler Downloading agent manifest", Duration: -1, Service: "api"},
		},
		{
			name: "zap development console (tabs)",
			line: "2018-05-02T13:52:44.332-0700\tINFO\tsimple1/main.go:29\tThis is an INFO message",
			want: sources.AppEntry{Time: utc(2018, 5, 2, 20, 52, 44, 332000000), Level: "info",
				Message: "simple1/main.go:29\tThis is an INFO message", Duration: -1, Service: "api"},
		},
		{
			name: "UUID in brackets",
			line: `2024-01-02 03:04:05 INFO [0f8fad5b-d9cb-469f-a165-70867728950e] handled request`,
			want: sources.AppEntry{Time: utc(2024, 1, 2, 3, 4, 5, 0), Level: "info", Message: "[0f8fad5b-d9cb-469f-a165-70867728950e] handled request",
				RequestID: "0f8fad5b-d9cb-469f-a165-70867728950e", Duration: -1, Phase: sources.PhaseEnd, Service: "api"},
		},
		{
			name: "key=value in brackets",
			line: `2024-01-02 03:04:05 INFO [request_id=abc123] incoming GET /x`,
			want: sources.AppEntry{Time: utc(2024, 1, 2, 3, 4, 5, 0), Level: "info", Message: "[request_id=abc123] incoming GET /x",
				RequestID: "abc123", Method: "GET", Path: "/x", Duration: -1, Phase: sources.PhaseStart, Service: "api"},
		},
		{
			name: "Monolog bracketed stamp",
			line: `[2024-01-02 03:04:05] production.ERROR: Connection refused [] []`,
			want: sources.AppEntry{Time: utc(2024, 1, 2, 3, 4, 5, 0), Level: "error", Message: "Connection refused [] []",
				Duration: -1, Service: "api"},
		},
		{
			name: "gunicorn error log, UTC offset in the brackets",
			line: `[2024-01-02 03:05:09 +0000] [8] [ERROR] Error handling request /api`,
			want: sources.AppEntry{Time: utc(2024, 1, 2, 3, 5, 9, 0), Level: "error", Message: "Error handling request /api",
				Duration: -1, Service: "api"},
		},
		{
			name: "gunicorn error log without an offset",
			line: `[2024-01-02 03:05:09] [8] [ERROR] Error handling request /api`,
			want: sources.AppEntry{Time: utc(2024, 1, 2, 3, 5, 9, 0), Level: "error", Message: "Error handling request /api",
				Duration: -1, Service: "api"},
		},
		{
			name: "gunicorn worker boot",
			line: `[2024-01-02 03:05:09 +0000] [8] [INFO] Booting worker with pid: 8`,
			want: sources.AppEntry{Time: utc(2024, 1, 2, 3, 5, 9, 0), Level: "info", Message: "Booting worker with pid: 8",
				Duration: -1, Service: "api"},
		},
		{
			name: "gunicorn worker timeout is critical",
			line: `[2024-01-02 03:05:09 +0000] [1] [CRITICAL] WORKER TIMEOUT (pid:8)`,
			want: sources.AppEntry{Time: utc(2024, 1, 2, 3, 5, 9, 0), Level: "fatal", Message: "WORKER TIMEOUT (pid:8)",
				Duration: -1, Service: "api"},
		},
		{
			name: "gunicorn +0100 offset is an hour ahead of UTC",
			line: `[2024-01-02 03:05:10 +0100] [1] [ERROR] Worker (pid:8) was sent SIGKILL! Perhaps out of memory?`,
			want: sources.AppEntry{Time: utc(2024, 1, 2, 2, 5, 10, 0), Level: "error", Message: "Worker (pid:8) was sent SIGKILL! Perhaps out of memory?",
				Duration: -1, Service: "api"},
		},
		{
			name: "gunicorn -0500 offset",
			line: `[2024-01-02 03:05:10 -0500] [1] [WARNING] Worker with pid 8 was terminated due to signal 9`,
			want: sources.AppEntry{Time: utc(2024, 1, 2, 8, 5, 10, 0), Level: "warn", Message: "Worker with pid 8 was terminated due to signal 9",
				Duration: -1, Service: "api"},
		},
		{name: "a bracketed stamp's offset must close the bracket", line: `[2024-01-02 03:05:09 +0000 x] words`, wantErr: true},
		{
			name: "Ruby Logger (Rails) request start: method and quoted path",
			line: `I, [2024-01-02T03:05:09.123456 #1234]  INFO -- : Started GET "/api" for 10.0.0.1 at 2024-01-02 03:05:09 +0000`,
			want: sources.AppEntry{Time: utc(2024, 1, 2, 3, 5, 9, 123456000), Level: "info",
				Message: `Started GET "/api" for 10.0.0.1 at 2024-01-02 03:05:09 +0000`, Method: "GET", Path: "/api",
				Duration: -1, Phase: sources.PhaseStart, Service: "api"},
		},
		{
			name: "Ruby Logger error",
			line: `E, [2024-01-02T03:05:09.123456 #1234] ERROR -- : boom`,
			want: sources.AppEntry{Time: utc(2024, 1, 2, 3, 5, 9, 123456000), Level: "error", Message: "boom", Duration: -1, Service: "api"},
		},
		{
			name: "Ruby Logger with a progname",
			line: `W, [2024-01-02T03:05:09.123456 #1234]  WARN -- orders: payment slow`,
			want: sources.AppEntry{Time: utc(2024, 1, 2, 3, 5, 9, 123456000), Level: "warn", Message: "orders: payment slow", Duration: -1, Service: "api"},
		},
		{
			name: "Rails tagged logging: the request id tag",
			line: `I, [2024-01-02T03:05:09.123456 #1234]  INFO -- : [6d2f1c3e-8b1a-4c2d-9e0f-1a2b3c4d5e6f] Started GET "/api?page=2" for 10.0.0.1 at 2024-01-02 03:05:09 +0000`,
			want: sources.AppEntry{Time: utc(2024, 1, 2, 3, 5, 9, 123456000), Level: "info",
				Message:   `[6d2f1c3e-8b1a-4c2d-9e0f-1a2b3c4d5e6f] Started GET "/api?page=2" for 10.0.0.1 at 2024-01-02 03:05:09 +0000`,
				RequestID: "6d2f1c3e-8b1a-4c2d-9e0f-1a2b3c4d5e6f", Method: "GET", Path: "/api?page=2", Duration: -1, Phase: sources.PhaseStart, Service: "api"},
		},
		{
			name: "Rails request end: status and duration",
			line: `I, [2024-01-02T03:05:09.135456 #1234]  INFO -- : [6d2f1c3e-8b1a-4c2d-9e0f-1a2b3c4d5e6f] Completed 500 Internal Server Error in 12ms (ActiveRecord: 0.4ms | Allocations: 1042)`,
			want: sources.AppEntry{Time: utc(2024, 1, 2, 3, 5, 9, 135456000), Level: "info",
				Message:   "[6d2f1c3e-8b1a-4c2d-9e0f-1a2b3c4d5e6f] Completed 500 Internal Server Error in 12ms (ActiveRecord: 0.4ms | Allocations: 1042)",
				RequestID: "6d2f1c3e-8b1a-4c2d-9e0f-1a2b3c4d5e6f", Status: 500, Duration: 0.012, Phase: sources.PhaseEnd, Service: "api"},
		},
		{
			name: "Rails tag holding nginx's 32-hex request id",
			line: `F, [2024-01-02T03:05:09.136000 #1234] FATAL -- : [4f7c2c8d1e0b6a9f3c2d1e0f9a8b7c6d] ActionController::RoutingError (No route matches [GET] "/x"):`,
			want: sources.AppEntry{Time: utc(2024, 1, 2, 3, 5, 9, 136000000), Level: "fatal",
				Message:   `[4f7c2c8d1e0b6a9f3c2d1e0f9a8b7c6d] ActionController::RoutingError (No route matches [GET] "/x"):`,
				RequestID: "4f7c2c8d1e0b6a9f3c2d1e0f9a8b7c6d", Duration: -1, Service: "api"},
		},
		{
			name: "Ruby Logger before 2.x: no space before the pid",
			line: `D, [2024-01-02T03:05:09.123456#1234] DEBUG -- : cache hit`,
			want: sources.AppEntry{Time: utc(2024, 1, 2, 3, 5, 9, 123456000), Level: "debug", Message: "cache hit", Duration: -1, Service: "api"},
		},
		{
			name: "Ruby Logger letter without the level word",
			line: `W, [2024-01-02T03:05:09.123456 #1234] -- : disk almost full`,
			want: sources.AppEntry{Time: utc(2024, 1, 2, 3, 5, 9, 123456000), Level: "warn", Message: "disk almost full", Duration: -1, Service: "api"},
		},
		{
			name: "Ruby Logger ANY has no level",
			line: `A, [2024-01-02T03:05:09.123456 #1234]   ANY -- : hello`,
			want: sources.AppEntry{Time: utc(2024, 1, 2, 3, 5, 9, 123456000), Message: "ANY -- : hello", Duration: -1, Service: "api"},
		},
		{name: "not a Ruby severity letter", line: `X, [2024-01-02T03:05:09.123456 #1234] INFO -- : x`, wantErr: true},
		{name: "a Ruby header needs the pid", line: `E, [2024-01-02T03:05:09.123456] ERROR -- : x`, wantErr: true},
		{
			name: "lower-case completed is no status",
			line: `2024-01-02 03:04:05 INFO completed 200 jobs in 3s`,
			want: sources.AppEntry{Time: utc(2024, 1, 2, 3, 4, 5, 0), Level: "info", Message: "completed 200 jobs in 3s", Duration: 3, Service: "api"},
		},
		{
			name: "lower-case level word with colon",
			line: `2024-01-02 03:04:05 error: connection refused`,
			want: sources.AppEntry{Time: utc(2024, 1, 2, 3, 4, 5, 0), Level: "error", Message: "connection refused", Duration: -1, Service: "api"},
		},
		{
			name: "an error word inside the message is not the level",
			line: `2024-01-02 03:04:05 retrying after error in 2s`,
			want: sources.AppEntry{Time: utc(2024, 1, 2, 3, 4, 5, 0), Message: "retrying after error in 2s", Duration: 2, Service: "api"},
		},
		{
			name: "level word and no timestamp",
			line: `ERROR: database unavailable`,
			want: sources.AppEntry{Level: "error", Message: "database unavailable", Duration: -1, Service: "api"},
		},
		{
			name: "logrus colored text",
			line: `INFO[0000] A group of walrus emerges from the ocean    animal=walrus size=10`,
			want: sources.AppEntry{Level: "info", Message: "A group of walrus emerges from the ocean", Duration: -1, Service: "api"},
		},
		{name: "words only", line: `connection reset by peer`, wantErr: true},
		{name: "lower-case level word alone is not enough without a time", line: `error connecting to db`, wantErr: true},
		{name: "a year-like number is not a timestamp", line: `2024 was a good year`, wantErr: true},
	}
	runCases(t, FormatText, testOpts, cases)
}

func TestTextRequestIDOptions(t *testing.T) {
	sub := testOpts
	sub.RequestIDRegex = regexp.MustCompile(`trace=([0-9a-f]+)`)
	runCases(t, FormatText, sub, []parserCase{{
		name: "regex submatch wins over request_id=",
		line: `2024-01-02 03:04:05 INFO trace=deadbeef request_id=local handled request`,
		want: sources.AppEntry{Time: utc(2024, 1, 2, 3, 4, 5, 0), Level: "info", Message: "trace=deadbeef request_id=local handled request", RequestID: "deadbeef",
			Duration: -1, Phase: sources.PhaseEnd, Service: "api"},
	}})
	whole := testOpts
	whole.RequestIDRegex = regexp.MustCompile(`\b[0-9a-f]{32}\b`)
	runCases(t, FormatText, whole, []parserCase{{
		name: "regex whole match",
		line: `2024-01-02 03:04:05 WARN upstream slow for 4f7c2c8d1e0b6a9f3c2d1e0f9a8b7c6d`,
		want: sources.AppEntry{Time: utc(2024, 1, 2, 3, 4, 5, 0), Level: "warn", Message: "upstream slow for 4f7c2c8d1e0b6a9f3c2d1e0f9a8b7c6d",
			RequestID: "4f7c2c8d1e0b6a9f3c2d1e0f9a8b7c6d", Duration: -1, Service: "api"},
	}})
	key := testOpts
	key.RequestIDKey = "X-Req"
	runCases(t, FormatText, key, []parserCase{{
		name: "extra key beats request_id",
		line: `2024-01-02 03:04:05 INFO done request_id=local x-req=edge-9`,
		want: sources.AppEntry{Time: utc(2024, 1, 2, 3, 4, 5, 0), Level: "info", Message: "done", RequestID: "edge-9",
			Duration: -1, Phase: sources.PhaseEnd, Service: "api"},
	}})
}

func TestTextLocation(t *testing.T) {
	berlin := time.FixedZone("CET", 3600)
	opts := testOpts
	opts.Location = berlin
	runCases(t, FormatText, opts, []parserCase{{
		name: "zone-less stamp in the configured zone",
		line: `2024-01-02 03:04:05,678 INFO hello`,
		want: sources.AppEntry{Time: time.Date(2024, 1, 2, 3, 4, 5, 678000000, berlin), Level: "info", Message: "hello", Duration: -1, Service: "api"},
	}, {
		name: "a stamp with a zone keeps it",
		line: `2024-01-02T03:04:05Z INFO hello`,
		want: sources.AppEntry{Time: utc(2024, 1, 2, 3, 4, 5, 0), Level: "info", Message: "hello", Duration: -1, Service: "api"},
	}, {
		name: "Ruby Logger writes local time",
		line: `I, [2024-01-02T03:05:09.123456 #1234]  INFO -- : hello`,
		want: sources.AppEntry{Time: time.Date(2024, 1, 2, 3, 5, 9, 123456000, berlin), Level: "info", Message: "hello", Duration: -1, Service: "api"},
	}, {
		name: "gunicorn's offset beats the configured zone",
		line: `[2024-01-02 03:05:09 +0000] [8] [ERROR] Error handling request /api`,
		want: sources.AppEntry{Time: utc(2024, 1, 2, 3, 5, 9, 0), Level: "error", Message: "Error handling request /api", Duration: -1, Service: "api"},
	}})
}
