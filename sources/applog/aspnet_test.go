package applog

import (
	"testing"

	"fivexx/sources"
)

// aspNetCases are ASP.NET Core's console logs in the JsonConsole
// formatter's shape (Microsoft.Extensions.Logging.Console: EventId,
// LogLevel, Category, Message, Exception, State with the message's values,
// Scopes with IncludeScopes, Timestamp with a TimestampFormat) [built from
// its documented output and lines quoted in public repositories]. Their
// request id, path and status were not read: they lie under State and in
// the Scopes array, whose members were validated only.
var aspNetCases = []parserCase{
	{
		name: "Hosting request finished: State's status, method, path and time; Scopes' request id",
		line: `{"Timestamp":"2026-11-22T08:00:02.1234567Z","EventId":2,"LogLevel":"Information","Category":"Microsoft.AspNetCore.Hosting.Diagnostics","Message":"Request finished HTTP/1.1 GET http://localhost:5000/api/x?id=7 - 500 0 - 12.3456ms","State":{"Message":"Request finished HTTP/1.1 GET http://localhost:5000/api/x?id=7 - 500 0 - 12.3456ms","ElapsedMilliseconds":12.3456,"StatusCode":500,"ContentType":null,"ContentLength":0,"Protocol":"HTTP/1.1","Method":"GET","Scheme":"http","Host":"localhost:5000","PathBase":"","Path":"/api/x","QueryString":"?id=7","{OriginalFormat}":"Request finished {Protocol} {Method} {Scheme}://{Host}{PathBase}{Path}{QueryString} - {StatusCode} {ContentLength} {ContentType} {ElapsedMilliseconds}ms"},"Scopes":[{"Message":"SpanId:7cd33e38e59bf705, TraceId:ec870c5cac10f855de8dd675b4939e53, ParentId:0000000000000000","SpanId":"7cd33e38e59bf705","TraceId":"ec870c5cac10f855de8dd675b4939e53","ParentId":"0000000000000000"},{"Message":"ConnectionId:0HN8J4BCLDGH5","ConnectionId":"0HN8J4BCLDGH5"},{"Message":"RequestPath:/api/x RequestId:0HN8J4BCLDGH5:00000001","RequestId":"0HN8J4BCLDGH5:00000001","RequestPath":"/api/x"}]}`,
		want: sources.AppEntry{Time: utc(2026, 11, 22, 8, 0, 2, 123456700), Level: "info",
			Message:   "Request finished HTTP/1.1 GET http://localhost:5000/api/x?id=7 - 500 0 - 12.3456ms",
			RequestID: "0HN8J4BCLDGH5:00000001", Method: "GET", Path: "/api/x", Status: 500, Duration: 0.0123456,
			Phase: sources.PhaseEnd, Service: "api"},
	},
	{
		name: "Hosting request starting: method and path from State, the start of the request",
		line: `{"Timestamp":"2026-11-22T08:00:02.1110000Z","EventId":1,"LogLevel":"Information","Category":"Microsoft.AspNetCore.Hosting.Diagnostics","Message":"Request starting HTTP/1.1 POST http://localhost:5000/api/orders - application/json 17","State":{"Message":"Request starting HTTP/1.1 POST http://localhost:5000/api/orders - application/json 17","Protocol":"HTTP/1.1","Method":"POST","ContentType":"application/json","ContentLength":17,"Scheme":"http","Host":"localhost:5000","PathBase":"","Path":"/api/orders","QueryString":"","{OriginalFormat}":"Request starting {Protocol} {Method} {Scheme}://{Host}{PathBase}{Path}{QueryString} - {ContentType} {ContentLength}"},"Scopes":[{"Message":"ConnectionId:0HN8J4BCLDGH5","ConnectionId":"0HN8J4BCLDGH5"},{"Message":"RequestPath:/api/orders RequestId:0HN8J4BCLDGH5:00000002","RequestId":"0HN8J4BCLDGH5:00000002","RequestPath":"/api/orders"}]}`,
		want: sources.AppEntry{Time: utc(2026, 11, 22, 8, 0, 2, 111000000), Level: "info",
			Message:   "Request starting HTTP/1.1 POST http://localhost:5000/api/orders - application/json 17",
			RequestID: "0HN8J4BCLDGH5:00000002", Method: "POST", Path: "/api/orders", Duration: -1,
			Phase: sources.PhaseStart, Service: "api"},
	},
	{
		name: "Kestrel unhandled exception without a Timestamp: State's TraceIdentifier, Scopes' path, the exception quoted",
		line: `{"EventId":13,"LogLevel":"Error","Category":"Microsoft.AspNetCore.Server.Kestrel","Message":"Connection id \u00220HN8J4BCLDGH5\u0022, Request id \u00220HN8J4BCLDGH5:00000003\u0022: An unhandled exception was thrown by the application.","Exception":"Npgsql.NpgsqlException (0x80004005): Failed to connect to 10.0.0.5:5432\r\n ---\u003E System.Net.Sockets.SocketException (111): Connection refused","State":{"Message":"Connection id \u00220HN8J4BCLDGH5\u0022, Request id \u00220HN8J4BCLDGH5:00000003\u0022: An unhandled exception was thrown by the application.","ConnectionId":"0HN8J4BCLDGH5","TraceIdentifier":"0HN8J4BCLDGH5:00000003","{OriginalFormat}":"Connection id \u0022{ConnectionId}\u0022, Request id \u0022{TraceIdentifier}\u0022: An unhandled exception was thrown by the application."},"Scopes":[{"Message":"ConnectionId:0HN8J4BCLDGH5","ConnectionId":"0HN8J4BCLDGH5"},{"Message":"RequestPath:/api/users/7 RequestId:0HN8J4BCLDGH5:00000003","RequestId":"0HN8J4BCLDGH5:00000003","RequestPath":"/api/users/7"}]}`,
		want: sources.AppEntry{Level: "error",
			Message:   `Connection id "0HN8J4BCLDGH5", Request id "0HN8J4BCLDGH5:00000003": An unhandled exception was thrown by the application.: Npgsql.NpgsqlException (0x80004005): Failed to connect to 10.0.0.5:5432`,
			RequestID: "0HN8J4BCLDGH5:00000003", Path: "/api/users/7", Duration: -1, Service: "api"},
	},
	{
		name: "a formatter that writes the message alone: method, path and status from it",
		line: `{"Timestamp":"2021-11-05 08:12:54Z","LogLevel":"Information","Category":"Microsoft.AspNetCore.Hosting.Diagnostics","Message":"Request finished HTTP/2 DELETE https://api.example.com/api/carts/9 - 503 - text/plain;\u002Bcharset=utf-8 30001.0312ms"}`,
		want: sources.AppEntry{Time: utc(2021, 11, 5, 8, 12, 54, 0), Level: "info",
			Message: "Request finished HTTP/2 DELETE https://api.example.com/api/carts/9 - 503 - text/plain;+charset=utf-8 30001.0312ms",
			Method:  "DELETE", Path: "/api/carts/9", Status: 503, Duration: -1, Phase: sources.PhaseEnd, Service: "api"},
	},
	{
		name: "ASP.NET Core 3.1 and 5: the status after the time",
		line: `{"Timestamp":"2021-11-05 08:12:54Z","LogLevel":"Information","Category":"Microsoft.AspNetCore.Hosting.Diagnostics","Message":"Request finished in 12.5ms 502 application/json"}`,
		want: sources.AppEntry{Time: utc(2021, 11, 5, 8, 12, 54, 0), Level: "info",
			Message: "Request finished in 12.5ms 502 application/json", Status: 502, Duration: -1, Phase: sources.PhaseEnd, Service: "api"},
	},
	{
		name: "scope keys at the top level, as a flattening formatter writes them",
		line: `{"EventId":1,"LogLevel":"Information","Category":"Microsoft.AspNetCore.Routing.EndpointMiddleware","Message":"Executed endpoint \u0027HTTP: GET /weatherforecast\u0027","EndpointName":"HTTP: GET /weatherforecast","SpanId":"7cd33e38e59bf705","TraceId":"ec870c5cac10f855de8dd675b4939e53","ParentId":"0000000000000000","ConnectionId":"0HNBJ84V962V8","RequestId":"0HNBJ84V962V8:00000001","RequestPath":"/weatherforecast/"}`,
		want: sources.AppEntry{Level: "info", Message: "Executed endpoint 'HTTP: GET /weatherforecast'",
			RequestID: "0HNBJ84V962V8:00000001", Path: "/weatherforecast/", Duration: -1, Service: "api"},
	},
	{
		name: "an array under another key is not looked into",
		line: `{"time":"2024-01-02T03:04:05Z","msg":"batch","items":[{"status":500,"path":"/x"}]}`,
		want: sources.AppEntry{Time: utc(2024, 1, 2, 3, 4, 5, 0), Message: "batch", Duration: -1, Service: "api"},
	},
}

// TestASPNetCoreJSONConsole: ASP.NET Core's JsonConsole lines give their
// request's id, method, path, status and time.
func TestASPNetCoreJSONConsole(t *testing.T) {
	runCases(t, FormatJSON, testOpts, aspNetCases)
}
