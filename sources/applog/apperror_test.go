package applog

import (
	"testing"
	"time"

	"fivexx/sources"
)

// TestErrorJoinsMessage: the error a line reports under error, err,
// exception, error.message or exc_info is joined to its message, which
// the hints and the evidence quote; a generic "request failed" alone said
// nothing of the refused database connection behind it. Lines in each
// library's shape [built from their documented output].
func TestErrorJoinsMessage(t *testing.T) {
	runCases(t, FormatJSON, testOpts, errorJSONCases)
	runCases(t, FormatLogfmt, testOpts, errorLogfmtCases)
}

const refused = "dial tcp 10.0.0.5:5432: connect: connection refused"

// errorJSONCases and errorLogfmtCases are TestErrorJoinsMessage's lines,
// also seeds of FuzzJSON and FuzzLogfmt.
var (
	errorJSONCases = []parserCase{
		{
			name: "zap: error string",
			line: `{"level":"error","ts":1704164645.5,"caller":"api/db.go:41","msg":"request failed","request_id":"4f7c2c8d","error":"dial tcp 10.0.0.5:5432: connect: connection refused"}`,
			want: sources.AppEntry{Time: time.Unix(1704164645, 500000000), Level: "error", Message: "request failed: " + refused,
				RequestID: "4f7c2c8d", Duration: -1, Service: "api"},
		},
		{
			name: "slog: err key",
			line: `{"time":"2024-01-02T03:04:05Z","level":"ERROR","msg":"request failed","err":"dial tcp 10.0.0.5:5432: connect: connection refused","method":"GET","path":"/api/x"}`,
			want: sources.AppEntry{Time: utc(2024, 1, 2, 3, 4, 5, 0), Level: "error", Message: "request failed: " + refused,
				Method: "GET", Path: "/api/x", Duration: -1, Service: "api"},
		},
		{
			name: "pino: err object with message and stack",
			line: `{"level":50,"time":1704164645123,"pid":7,"hostname":"api-1","err":{"type":"Error","message":"connect ECONNREFUSED 10.0.0.5:5432","stack":"Error: connect ECONNREFUSED 10.0.0.5:5432\n    at TCPConnectWrap.afterConnect [as oncomplete] (node:net:1555:16)","errno":-111,"code":"ECONNREFUSED"},"msg":"request failed"}`,
			want: sources.AppEntry{Time: time.UnixMilli(1704164645123), Level: "error", Message: "request failed: connect ECONNREFUSED 10.0.0.5:5432",
				Duration: -1, Service: "api", Instance: "api-1"},
		},
		{
			name: "ECS: error.message beats error.type",
			line: `{"@timestamp":"2024-01-02T03:04:05.000Z","log.level":"error","message":"request failed","error":{"type":"java.net.ConnectException","message":"Connection refused","stack_trace":"java.net.ConnectException: Connection refused\n\tat java.base/sun.nio.ch.Net.connect0(Native Method)"}}`,
			want: sources.AppEntry{Time: utc(2024, 1, 2, 3, 4, 5, 0), Level: "error", Message: "request failed: Connection refused",
				Duration: -1, Service: "api"},
		},
		{
			name: "python-json-logger: exc_info traceback quotes its last line",
			line: `{"asctime": "2024-01-02 03:04:05,678", "levelname": "ERROR", "message": "request failed", "exc_info": "Traceback (most recent call last):\n  File \"/app/db.py\", line 12, in connect\n    conn = psycopg2.connect(dsn)\npsycopg2.OperationalError: could not connect to server: Connection refused"}`,
			want: sources.AppEntry{Time: utc(2024, 1, 2, 3, 4, 5, 678000000), Level: "error",
				Message: "request failed: psycopg2.OperationalError: could not connect to server: Connection refused", Duration: -1, Service: "api"},
		},
		{
			name: "structlog: exception string, event as the message",
			line: `{"event": "request failed", "level": "error", "timestamp": "2024-01-02T03:04:05.678Z", "exception": "Traceback (most recent call last):\n  File \"/app/views.py\", line 9, in get\n    raise ConnectionRefusedError(111, 'Connection refused')\nConnectionRefusedError: [Errno 111] Connection refused"}`,
			want: sources.AppEntry{Time: utc(2024, 1, 2, 3, 4, 5, 678000000), Level: "error",
				Message: "request failed: ConnectionRefusedError: [Errno 111] Connection refused", Duration: -1, Service: "api"},
		},
		{
			name: "ASP.NET Core JsonConsole: Exception's first line",
			line: `{"EventId":13,"LogLevel":"Error","Category":"Microsoft.AspNetCore.Server.Kestrel","Message":"Connection id \u00220HMHBNGFNU441\u0022, Request id \u00220HMHBNGFNU441:00000008\u0022: An unhandled exception was thrown by the application.","Exception":"System.InvalidOperationException: No authenticationScheme was specified.\r\n   at Microsoft.AspNetCore.Authentication.AuthenticationService.ChallengeAsync(HttpContext context)"}`,
			want: sources.AppEntry{Level: "error",
				Message:  `Connection id "0HMHBNGFNU441", Request id "0HMHBNGFNU441:00000008": An unhandled exception was thrown by the application.: System.InvalidOperationException: No authenticationScheme was specified.`,
				Duration: -1, Service: "api"},
		},
		{
			name: "Serilog CLEF: @x",
			line: `{"@t":"2024-01-02T03:04:05.1230000Z","@mt":"Request failed","@l":"Error","@x":"Npgsql.NpgsqlException (0x80004005): Failed to connect to 10.0.0.5:5432\n ---> System.Net.Sockets.SocketException (111): Connection refused"}`,
			want: sources.AppEntry{Time: utc(2024, 1, 2, 3, 4, 5, 123000000), Level: "error",
				Message: "Request failed: Npgsql.NpgsqlException (0x80004005): Failed to connect to 10.0.0.5:5432", Duration: -1, Service: "api"},
		},
		{
			name: "the message already holds the error",
			line: `{"level":"error","msg":"db: context deadline exceeded","error":"context deadline exceeded"}`,
			want: sources.AppEntry{Level: "error", Message: "db: context deadline exceeded", Duration: -1, Service: "api"},
		},
		{
			name: "no message: the error is it",
			line: `{"level":"error","time":"2024-01-02T03:04:05Z","error":"EOF"}`,
			want: sources.AppEntry{Time: utc(2024, 1, 2, 3, 4, 5, 0), Level: "error", Message: "EOF", Duration: -1, Service: "api"},
		},
		{
			name: "a flag, a count or a nil error is no error text",
			line: `{"level":"info","msg":"request finished","error":false,"err":"<nil>","exception":null,"status":200}`,
			want: sources.AppEntry{Level: "info", Message: "request finished", Status: 200, Duration: -1, Phase: sources.PhaseEnd, Service: "api"},
		},
		{
			name: "the phase is the message's: words in the error do not make one",
			line: `{"level":"error","msg":"payment capture","request_id":"r1","error":"upstream request completed with 502"}`,
			want: sources.AppEntry{Level: "error", Message: "payment capture: upstream request completed with 502", RequestID: "r1",
				Duration: -1, Service: "api"},
		},
	}
	errorLogfmtCases = []parserCase{
		{
			name: "logrus text: error key",
			line: `time="2024-01-02T03:04:05Z" level=error msg="request failed" error="dial tcp 10.0.0.5:5432: connect: connection refused" path=/api/x`,
			want: sources.AppEntry{Time: utc(2024, 1, 2, 3, 4, 5, 0), Level: "error", Message: "request failed: " + refused,
				Path: "/api/x", Duration: -1, Service: "api"},
		},
		{
			name: "slog TextHandler: bare err word",
			line: `time=2024-01-02T03:04:05.000Z level=ERROR msg="request failed" err=EOF`,
			want: sources.AppEntry{Time: utc(2024, 1, 2, 3, 4, 5, 0), Level: "error", Message: "request failed: EOF", Duration: -1, Service: "api"},
		},
	}
)
