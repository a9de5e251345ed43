package applog

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"fivexx/sources"
)

// parserCase is one line and the entry it must give (Raw is filled in
// from the line), or an error.
type parserCase struct {
	name    string
	line    string
	want    sources.AppEntry
	wantErr bool
}

// testOpts are the options every table uses: zone-less stamps in UTC.
var testOpts = sources.ParserOptions{Location: time.UTC, Service: "api"}

// newTestParser builds a registered format's parser with a fixed syslog year.
func newTestParser(t testing.TB, format string, opts sources.ParserOptions) sources.Parser {
	t.Helper()
	f, ok := sources.LookupFormat(format)
	if !ok {
		t.Fatalf("format %s not registered", format)
	}
	if f.Role != sources.RoleApp {
		t.Fatalf("format %s has role %v, want app", format, f.Role)
	}
	p, err := f.New(opts)
	if err != nil {
		t.Fatalf("New(%s): %v", format, err)
	}
	switch p := p.(type) {
	case *jsonParser:
		p.clock.now = fixedNow
	case *lineParser:
		p.clock.now = fixedNow
	}
	return p
}

func fixedNow() time.Time { return time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC) }

// runCases parses each case with a fresh parser and compares.
func runCases(t *testing.T, format string, opts sources.ParserOptions, cases []parserCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			p := newTestParser(t, format, opts)
			rec, err := p.Parse(tc.line)
			if tc.wantErr {
				if err == nil || rec != nil {
					t.Fatalf("Parse() = %+v, %v; want nil record and an error", rec, err)
				}
				return
			}
			if err != nil {
				t.Fatalf("Parse() error: %v", err)
			}
			got, ok := rec.(*sources.AppEntry)
			if !ok {
				t.Fatalf("Parse() = %T, want *sources.AppEntry", rec)
			}
			want := tc.want
			want.Raw = tc.line
			if diff := cmp.Diff(&want, got); diff != "" {
				t.Errorf("Parse() mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func utc(y int, mo time.Month, d, h, mi, s, ns int) time.Time {
	return time.Date(y, mo, d, h, mi, s, ns, time.UTC)
}

func TestJSONParse(t *testing.T) {
	cases := []parserCase{
		{
			name: "fault backend request started",
			line: `{"time":"2026-11-21T07:10:35.123456Z","level":"INFO","msg":"request started","request_id":"4f7c2c8d1e0b6a9f3c2d1e0f9a8b7c6d","method":"GET","path":"/fault/reset?n=12","instance":"127.0.0.1:9101"}`,
			want: sources.AppEntry{Time: utc(2026, 11, 21, 7, 10, 35, 123456000), Level: "info", Message: "request started",
				RequestID: "4f7c2c8d1e0b6a9f3c2d1e0f9a8b7c6d", Method: "GET", Path: "/fault/reset?n=12", Duration: -1,
				Phase: sources.PhaseStart, Service: "api", Instance: "127.0.0.1:9101"},
		},
		{
			name: "fault backend request finished",
			line: `{"time":"2026-11-21T07:10:35.124700Z","level":"INFO","msg":"request finished","request_id":"4f7c2c8d1e0b6a9f3c2d1e0f9a8b7c6d","method":"GET","path":"/fault/reset?n=12","status":503,"duration_ms":1.2,"instance":"127.0.0.1:9101"}`,
			want: sources.AppEntry{Time: utc(2026, 11, 21, 7, 10, 35, 124700000), Level: "info", Message: "request finished",
				RequestID: "4f7c2c8d1e0b6a9f3c2d1e0f9a8b7c6d", Method: "GET", Path: "/fault/reset?n=12", Status: 503, Duration: 0.0012,
				Phase: sources.PhaseEnd, Service: "api", Instance: "127.0.0.1:9101"},
		},
		{
			name: "slog docs",
			line: `{"time":"2022-11-08T15:28:26.000000000-05:00","level":"INFO","msg":"hello","count":3}`,
			want: sources.AppEntry{Time: utc(2022, 11, 8, 20, 28, 26, 0), Level: "info", Message: "hello", Duration: -1, Service: "api"},
		},
		{
			name: "slog level with offset",
			line: `{"time":"2022-11-08T15:28:26Z","level":"WARN+2","msg":"slow"}`,
			want: sources.AppEntry{Time: utc(2022, 11, 8, 15, 28, 26, 0), Level: "warn", Message: "slow", Duration: -1, Service: "api"},
		},
		{
			name: "zap production",
			line: `{"level":"info","ts":1608362501.672074,"caller":"zap2/main.go:11","msg":"i am info"}`,
			want: sources.AppEntry{Time: time.Unix(1608362501, 672074000), Level: "info", Message: "i am info", Duration: -1, Service: "api"},
		},
		{
			name: "zap production error with stacktrace field",
			line: `{"level":"error","ts":1608362501.672147,"caller":"zap2/main.go:13","msg":"i am error","stacktrace":"main.main\n\t/Users/jack/go/src/helloworld/zap2/main.go:13\nruntime.main\n\t/usr/local/Cellar/go/1.15.2/libexec/src/runtime/proc.go:204"}`,
			want: sources.AppEntry{Time: time.Unix(1608362501, 672147000), Level: "error", Message: "i am error", Duration: -1, Service: "api"},
		},
		{
			name: "zap formats.md line with request id and seconds duration",
			line: `{"level":"error","ts":1704164645.1234,"caller":"api/orders.go:88","msg":"db query failed","request_id":"4f7c2c8d1e0b6a9f3c2d1e0f9a8b7c6d","error":"context deadline exceeded","duration":0.25}`,
			want: sources.AppEntry{Time: time.Unix(1704164645, 123400000), Level: "error", Message: "db query failed: context deadline exceeded",
				RequestID: "4f7c2c8d1e0b6a9f3c2d1e0f9a8b7c6d", Duration: 0.25, Service: "api"},
		},
		{
			name: "pino formats.md line",
			line: `{"level":30,"time":1757021155796,"msg":"request completed","statusCode":200}`,
			want: sources.AppEntry{Time: time.UnixMilli(1757021155796), Level: "info", Message: "request completed", Status: 200,
				Duration: -1, Phase: sources.PhaseEnd, Service: "api"},
		},
		{
			name: "pino-http request completed, README values",
			line: `{"level":30,"time":1459442001087,"pid":46316,"hostname":"MBP-di-Matteo","req":{"id":1,"method":"GET","url":"/","headers":{"host":"localhost:3000","user-agent":"curl/7.43.0","accept":"*/*"},"remoteAddress":"::1","remotePort":64386},"res":{"statusCode":200,"header":"HTTP/1.1 200 OK\r\nX-Powered-By: restify\r\nContent-Type: text/html; charset=utf-8\r\n\r\n"},"responseTime":10,"msg":"request completed","v":1}`,
			want: sources.AppEntry{Time: time.UnixMilli(1459442001087), Level: "info", Message: "request completed", RequestID: "1",
				Method: "GET", Path: "/", Status: 200, Duration: 0.010, Phase: sources.PhaseEnd, Service: "api", Instance: "MBP-di-Matteo"},
		},
		{
			name: "pino-http: forwarded x-request-id beats the req.id counter",
			line: `{"level":50,"time":1459442001087,"req":{"id":7,"method":"POST","url":"/orders?retry=1","headers":{"x-request-id":"0b6a9f3c2d1e0f9a"}},"res":{"statusCode":503},"err":{"type":"Error","message":"db down"},"responseTime":31,"msg":"request errored"}`,
			want: sources.AppEntry{Time: time.UnixMilli(1459442001087), Level: "error", Message: "request errored: db down", RequestID: "0b6a9f3c2d1e0f9a",
				Method: "POST", Path: "/orders?retry=1", Status: 503, Duration: 0.031, Phase: sources.PhaseEnd, Service: "api"},
		},
		{
			// QA s23 F9: Cloudflare sends Cf-Ray "<RayID>-<COLO>"
			// (formats.md §8.3), which joins Logpush's RayID.
			name: "Cf-Ray under cf_ray",
			line: `{"time":"2024-01-02T03:04:06.500Z","level":"ERROR","msg":"upstream payments returned garbage","status":502,"cf_ray":"8f3f1ba9adf39002-ARN","path":"/b"}`,
			want: sources.AppEntry{Time: utc(2024, 1, 2, 3, 4, 6, 500000000), Level: "error", Message: "upstream payments returned garbage",
				RequestID: "8f3f1ba9adf39002-ARN", Path: "/b", Status: 502, Duration: -1, Phase: sources.PhaseEnd, Service: "api"},
		},
		{
			name: "Cf-Ray as a request header, as logged (CF-Ray)",
			line: `{"level":50,"time":1704164646500,"req":{"method":"GET","url":"/b","headers":{"CF-Ray":"8f3f1ba9adf39002-ARN"}},"res":{"statusCode":502},"msg":"request errored"}`,
			want: sources.AppEntry{Time: time.UnixMilli(1704164646500), Level: "error", Message: "request errored", RequestID: "8f3f1ba9adf39002-ARN",
				Method: "GET", Path: "/b", Status: 502, Duration: -1, Phase: sources.PhaseEnd, Service: "api"},
		},
		{
			name: "the app's own request id before cf-ray",
			line: `{"time":"2024-01-02T03:04:06.500Z","level":"INFO","msg":"ok","status":200,"cf-ray":"8f3f1ba9adf39001-ARN","request_id":"r-1","path":"/a"}`,
			want: sources.AppEntry{Time: utc(2024, 1, 2, 3, 4, 6, 500000000), Level: "info", Message: "ok",
				RequestID: "r-1", Path: "/a", Status: 200, Duration: -1, Phase: sources.PhaseEnd, Service: "api"},
		},
		{
			name: "bunyan README",
			line: `{"name":"myapp","hostname":"banana.local","pid":40161,"level":30,"msg":"hi","time":"2013-01-04T18:46:23.851Z","v":0}`,
			want: sources.AppEntry{Time: utc(2013, 1, 4, 18, 46, 23, 851000000), Level: "info", Message: "hi", Duration: -1,
				Service: "api", Instance: "banana.local"},
		},
		{
			name: "bunyan restify audit",
			line: `{"name":"audit","hostname":"banana.local","pid":40161,"audit":true,"level":30,"remoteAddress":"127.0.0.1","remotePort":51123,"req_id":"4d6c8b0a-2f7e-4b1a-9c3d-5e6f7a8b9c0d","req":{"method":"GET","url":"/hello?x=1","httpVersion":"1.1"},"res":{"statusCode":500},"latency":13,"msg":"handled: 500","time":"2013-01-04T18:46:23.851Z","v":0}`,
			want: sources.AppEntry{Time: utc(2013, 1, 4, 18, 46, 23, 851000000), Level: "info", Message: "handled: 500",
				RequestID: "4d6c8b0a-2f7e-4b1a-9c3d-5e6f7a8b9c0d", Method: "GET", Path: "/hello?x=1", Status: 500, Duration: 0.013,
				Phase: sources.PhaseEnd, Service: "api", Instance: "banana.local"},
		},
		{
			name: "bunyan fatal number",
			line: `{"name":"myapp","level":60,"msg":"out of memory","time":"2013-01-04T18:46:23.851Z"}`,
			want: sources.AppEntry{Time: utc(2013, 1, 4, 18, 46, 23, 851000000), Level: "fatal", Message: "out of memory", Duration: -1, Service: "api"},
		},
		{
			name: "structlog event key, Python separators",
			line: `{"request_id": "a1b2c3", "event": "request finished", "level": "info", "timestamp": "2024-01-02T03:04:05.678901Z"}`,
			want: sources.AppEntry{Time: utc(2024, 1, 2, 3, 4, 5, 678901000), Level: "info", Message: "request finished", RequestID: "a1b2c3",
				Duration: -1, Phase: sources.PhaseEnd, Service: "api"},
		},
		{
			name: "python-json-logger asctime without zone",
			line: `{"asctime": "2024-01-02 03:04:05,678", "levelname": "WARNING", "name": "orders", "message": "payment slow", "correlation_id": "c-77"}`,
			want: sources.AppEntry{Time: utc(2024, 1, 2, 3, 4, 5, 678000000), Level: "warn", Message: "payment slow", RequestID: "c-77",
				Duration: -1, Service: "api"},
		},
		{
			name: "logstash-logback",
			line: `{"@timestamp":"2019-11-03T10:15:30.123+01:00","@version":"1","message":"Request completed","logger_name":"com.example.App","thread_name":"http-nio-8080-exec-1","level":"ERROR","level_value":40000,"traceId":"5f2b9c1d"}`,
			want: sources.AppEntry{Time: utc(2019, 11, 3, 9, 15, 30, 123000000), Level: "error", Message: "Request completed", RequestID: "5f2b9c1d",
				Duration: -1, Phase: sources.PhaseEnd, Service: "api"},
		},
		{
			name: "ECS nested objects",
			line: `{"@timestamp":"2024-01-02T03:04:05.678Z","log.level":"error","message":"upstream failed","ecs.version":"1.6.0","log":{"logger":"app"},"http":{"request":{"method":"get","id":"ecs-req-1"},"response":{"status_code":503}},"url":{"path":"/x","query":"a=1"},"trace.id":"t-9","event":{"duration":1500000}}`,
			want: sources.AppEntry{Time: utc(2024, 1, 2, 3, 4, 5, 678000000), Level: "error", Message: "upstream failed", RequestID: "ecs-req-1",
				Method: "GET", Path: "/x?a=1", Status: 503, Duration: 0.0015, Phase: sources.PhaseEnd, Service: "api"},
		},
		{
			name: "ECS dotted keys",
			line: `{"@timestamp":"2024-01-02T03:04:05.678Z","log.level":"info","message":"done","http.request.method":"POST","url.path":"/pay","http.response.status_code":201,"trace.id":"t-9"}`,
			want: sources.AppEntry{Time: utc(2024, 1, 2, 3, 4, 5, 678000000), Level: "info", Message: "done", RequestID: "t-9",
				Method: "POST", Path: "/pay", Status: 201, Duration: -1, Phase: sources.PhaseEnd, Service: "api"},
		},
		{
			name: "Serilog CLEF",
			line: `{"@t":"2016-06-07T03:44:57.8532799Z","@mt":"Hello, {User}","@l":"Warning","User":"nblumhardt"}`,
			want: sources.AppEntry{Time: utc(2016, 6, 7, 3, 44, 57, 853279900), Level: "warn", Message: "Hello, {User}", Duration: -1, Service: "api"},
		},
		{
			name: "keys in any case, nested under ctx and response",
			line: `{"TIME":"2024-01-02T03:04:05Z","Level":"Error","MSG":"x","ctx":{"X-Request-ID":"rq-1"},"response":{"status":"502"}}`,
			want: sources.AppEntry{Time: utc(2024, 1, 2, 3, 4, 5, 0), Level: "error", Message: "x", RequestID: "rq-1", Status: 502,
				Duration: -1, Phase: sources.PhaseEnd, Service: "api"},
		},
		{
			name: "slog duration as nanoseconds, absolute url",
			line: `{"time":"2024-01-02T03:04:05Z","level":"INFO","msg":"served","url":"http://api.internal:8080/v1/items?page=2","duration":1500000000}`,
			want: sources.AppEntry{Time: utc(2024, 1, 2, 3, 4, 5, 0), Level: "info", Message: "served", Path: "/v1/items?page=2",
				Duration: 1.5, Service: "api"},
		},
		{
			name: "Go duration string",
			line: `{"time":"2024-01-02T03:04:05Z","level":"INFO","msg":"x","latency":"150ms","addr":":8080"}`,
			want: sources.AppEntry{Time: utc(2024, 1, 2, 3, 4, 5, 0), Level: "info", Message: "x", Duration: 0.150, Service: "api", Instance: ":8080"},
		},
		{
			name: "ISO without zone uses the configured location",
			line: `{"timestamp":"2024-01-02T03:04:05.5","level":"debug","msg":"x"}`,
			want: sources.AppEntry{Time: utc(2024, 1, 2, 3, 4, 5, 500000000), Level: "debug", Message: "x", Duration: -1, Service: "api"},
		},
		{
			name: "nothing values are skipped for lower ranked keys",
			line: `{"time":"2024-01-02T03:04:05Z","msg":"","message":"from message","request_id":"-","trace_id":"tr-1","status":null,"status_code":404}`,
			want: sources.AppEntry{Time: utc(2024, 1, 2, 3, 4, 5, 0), Message: "from message", RequestID: "tr-1", Status: 404, Duration: -1,
				Phase: sources.PhaseEnd, Service: "api"},
		},
		{
			name: "escapes in strings",
			line: `{"time":"2024-01-02T03:04:05Z","msg":"say \"hi\"\n\u00e9\ud83d\ude00","path":"\/a\/b"}`,
			want: sources.AppEntry{Time: utc(2024, 1, 2, 3, 4, 5, 0), Message: "say \"hi\"\né😀", Path: "/a/b", Duration: -1, Service: "api"},
		},
		{
			name: "status that is not HTTP is ignored",
			line: `{"time":"2024-01-02T03:04:05Z","msg":"job","status":"ok","port":9101}`,
			want: sources.AppEntry{Time: utc(2024, 1, 2, 3, 4, 5, 0), Message: "job", Duration: -1, Service: "api", Instance: "9101"},
		},
		{
			name: "arrays are not looked into",
			line: `{"msg":"x","items":[{"status":500},{"request_id":"no"}]}`,
			want: sources.AppEntry{Message: "x", Duration: -1, Service: "api"},
		},
		{
			name: "Grafana-style access line: request is a bare path, duration a Go string",
			line: `{"duration":"1.2ms","level":"debug","method":"GET","msg":"request completed","referer":"","remote":"10.136.105.40:52702","request":"/metrics","status":200,"time":"2024-05-02T12:17:22Z","user-agent":"GrafanaAgent/v0.40.3 (flow; linux; helm)"}`,
			want: sources.AppEntry{Time: utc(2024, 5, 2, 12, 17, 22, 0), Level: "debug", Message: "request completed", Method: "GET",
				Path: "/metrics", Status: 200, Duration: 0.0012, Phase: sources.PhaseEnd, Service: "api"},
		},
		{
			name: "request line fills method and path",
			line: `{"time":"2024-05-02T12:17:22Z","msg":"access","request":"POST /v1/pay?x=1 HTTP/1.1","method":"getUser"}`,
			want: sources.AppEntry{Time: utc(2024, 5, 2, 12, 17, 22, 0), Message: "access", Method: "POST",
				Path: "/v1/pay?x=1", Duration: -1, Service: "api"},
		},
		{name: "empty object", line: `{}`, want: sources.AppEntry{Duration: -1, Service: "api"}},
		{name: "truncated", line: `{"time":"2024-01-02T03:04:05Z","msg":"x"`, wantErr: true},
		{name: "trailing comma", line: `{"msg":"x",}`, wantErr: true},
		{name: "single quotes", line: `{'msg':'x'}`, wantErr: true},
		{name: "data after object", line: `{"msg":"x"} {"msg":"y"}`, wantErr: true},
		{name: "bad escape", line: `{"msg":"\x41"}`, wantErr: true},
		{name: "raw control character", line: "{\"msg\":\"a\tb\"}", wantErr: true},
		{name: "plain text", line: `hello world`, wantErr: true},
		{name: "array", line: `[1,2]`, wantErr: true},
	}
	runCases(t, FormatJSON, testOpts, cases)
}

func TestJSONRequestIDKey(t *testing.T) {
	opts := testOpts
	opts.RequestIDKey = "X-Amzn-Trace-Id"
	runCases(t, FormatJSON, opts, []parserCase{{
		name: "extra key wins over request_id",
		line: `{"msg":"x","request_id":"local-1","x-amzn-trace-id":"Root=1-67891233-abcdef012345678912345678"}`,
		want: sources.AppEntry{Message: "x", RequestID: "Root=1-67891233-abcdef012345678912345678", Duration: -1, Service: "api"},
	}, {
		name: "extra key found nested",
		line: `{"msg":"x","req":{"headers":{"X-Amzn-Trace-Id":"Root=1-1"}},"request_id":"local-1"}`,
		want: sources.AppEntry{Message: "x", RequestID: "Root=1-1", Duration: -1, Service: "api"},
	}})
}

// TestJSONFromSlog parses lines written by Go's own log/slog JSONHandler.
func TestJSONFromSlog(t *testing.T) {
	var buf bytes.Buffer
	stamp := time.Date(2026, 11, 21, 7, 10, 35, 123456789, time.FixedZone("", 3600))
	h := slog.NewJSONHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug})
	log := slog.New(h)
	write := func(level slog.Level, msg string, args ...any) {
		r := slog.NewRecord(stamp, level, msg, 0)
		r.Add(args...)
		if err := h.Handle(context.Background(), r); err != nil {
			t.Fatal(err)
		}
	}
	_ = log
	write(slog.LevelInfo, "request started", "request_id", "rid-1", slog.Group("req", "method", "PUT", "path", "/v1/x?y=\"z\""))
	write(slog.LevelError+2, "request finished", "request_id", "rid-1", "status", 503, "duration", 1500*time.Millisecond)
	write(slog.LevelDebug, "tab\tand \"quote\"", "instance", "10.0.0.7:8080")

	want := []sources.AppEntry{
		{Time: stamp, Level: "info", Message: "request started", RequestID: "rid-1", Method: "PUT", Path: `/v1/x?y="z"`,
			Duration: -1, Phase: sources.PhaseStart, Service: "api"},
		{Time: stamp, Level: "error", Message: "request finished", RequestID: "rid-1", Status: 503, Duration: 1.5,
			Phase: sources.PhaseEnd, Service: "api"},
		{Time: stamp, Level: "debug", Message: "tab\tand \"quote\"", Duration: -1, Service: "api", Instance: "10.0.0.7:8080"},
	}
	lines := strings.Split(strings.TrimSuffix(buf.String(), "\n"), "\n")
	if len(lines) != len(want) {
		t.Fatalf("slog wrote %d lines, want %d", len(lines), len(want))
	}
	p := newTestParser(t, FormatJSON, testOpts)
	for i, line := range lines {
		rec, err := p.Parse(line)
		if err != nil {
			t.Fatalf("Parse(%s): %v", line, err)
		}
		w := want[i]
		w.Raw = line
		if diff := cmp.Diff(&w, rec); diff != "" {
			t.Errorf("line %d %s mismatch (-want +got):\n%s", i, line, diff)
		}
	}
}

func TestJSONErrorsWrapNoMatch(t *testing.T) {
	p := newTestParser(t, FormatJSON, testOpts)
	if _, err := p.Parse("plain words"); !errors.Is(err, sources.ErrNoMatch) {
		t.Errorf("plain text: err = %v, want ErrNoMatch", err)
	}
	if _, err := p.Parse(`{"msg":`); err == nil || !strings.Contains(err.Error(), "app-json: invalid JSON") {
		t.Errorf("broken JSON: err = %v, want an app-json syntax error", err)
	}
}

func TestJSONDepthLimitMatchesEncodingJSON(t *testing.T) {
	p := newTestParser(t, FormatJSON, testOpts)
	nest := func(n int) string {
		return `{"a":` + strings.Repeat("[", n-1) + strings.Repeat("]", n-1) + `}`
	}
	if _, err := p.Parse(nest(maxJSONDepth)); err != nil {
		t.Errorf("depth %d: %v, want accepted as encoding/json does", maxJSONDepth, err)
	}
	if _, err := p.Parse(nest(maxJSONDepth + 1)); err == nil {
		t.Errorf("depth %d: accepted, want an error as encoding/json gives", maxJSONDepth+1)
	}
}

func TestMethod(t *testing.T) {
	for in, want := range map[string]string{"GET": "GET", "get": "GET", "Post": "POST", "PROPFIND": "PROPFIND",
		"getUser": "", "/pkg.Service/Call": "", "": "", "GET-X": ""} {
		got, ok := method(in)
		if got != want || ok != (want != "") {
			t.Errorf("method(%q) = %q, %v; want %q", in, got, ok, want)
		}
	}
}
