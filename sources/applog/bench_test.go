package applog

import (
	"encoding/json"
	"testing"

	"fivexx/sources"
	"fivexx/sources/parsertest"
)

// benchParse parses a recorded log over and over and reports lines/s.
func benchParse(b *testing.B, format, file string) {
	lines := testdataLines(b, file)
	p := newTestParser(b, format, testOpts)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		if _, err := p.Parse(lines[i%len(lines)]); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "lines/s")
}

func BenchmarkJSON(b *testing.B)   { benchParse(b, FormatJSON, "json.log") }
func BenchmarkLogfmt(b *testing.B) { benchParse(b, FormatLogfmt, "logfmt.log") }
func BenchmarkText(b *testing.B)   { benchParse(b, FormatText, "text.log") }
func BenchmarkAccess(b *testing.B) { benchParse(b, FormatAccess, "access.log") }

// BenchmarkJSONFaultBackend is the hottest shape: the test backend's lines.
func BenchmarkJSONFaultBackend(b *testing.B) {
	lines := testdataLines(b, "json.log")[:2]
	p := newTestParser(b, FormatJSON, testOpts)
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		if _, err := p.Parse(lines[i%2]); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "lines/s")
}

// BenchmarkEncodingJSONMap is the alternative the scanner replaces:
// decoding the same lines into a map, before any key is even looked up.
func BenchmarkEncodingJSONMap(b *testing.B) {
	lines := testdataLines(b, "json.log")[:2]
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		var m map[string]any
		if err := json.Unmarshal([]byte(lines[i%2]), &m); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "lines/s")
}

// BenchmarkFormats times the app formats on real lines, one sub-benchmark
// per shape, each split into "2xx" lines (a 2xx status or none, level info
// or debug: what an app writes for requests that went well, most of any
// log) and "5xx" lines (a 5xx status or an error level). The parsers are
// built through the registry, as fivexx builds them.
//
//	go test -run '^$' -bench Formats -benchmem ./sources/applog/
func BenchmarkFormats(b *testing.B) {
	opts := sources.ParserOptions{Service: "api"}
	for _, c := range []struct {
		name, format string
		sample       []string
	}{
		// The lab backend's log/slog JSON lines, recorded behind nginx.
		{"app-json/slog", FormatJSON, parsertest.Lines(b, "../../testdata/recordings/nginx-upstream/app.log")},
		// The other shapes' lines come from json_test.go.
		{"app-json/zap", FormatJSON, []string{
			`{"level":"info","ts":1608362501.672074,"caller":"zap2/main.go:11","msg":"i am info"}`,
			`{"level":"error","ts":1608362501.672147,"caller":"zap2/main.go:13","msg":"i am error","stacktrace":"main.main\n\t/Users/jack/go/src/helloworld/zap2/main.go:13\nruntime.main\n\t/usr/local/Cellar/go/1.15.2/libexec/src/runtime/proc.go:204"}`,
			`{"level":"error","ts":1704164645.1234,"caller":"api/orders.go:88","msg":"db query failed","request_id":"4f7c2c8d1e0b6a9f3c2d1e0f9a8b7c6d","error":"context deadline exceeded","duration":0.25}`,
		}},
		{"app-json/pino", FormatJSON, []string{
			`{"level":30,"time":1757021155796,"msg":"request completed","statusCode":200}`,
			`{"level":30,"time":1459442001087,"pid":46316,"hostname":"MBP-di-Matteo","req":{"id":1,"method":"GET","url":"/","headers":{"host":"localhost:3000","user-agent":"curl/7.43.0","accept":"*/*"},"remoteAddress":"::1","remotePort":64386},"res":{"statusCode":200,"header":"HTTP/1.1 200 OK\r\nX-Powered-By: restify\r\nContent-Type: text/html; charset=utf-8\r\n\r\n"},"responseTime":10,"msg":"request completed","v":1}`,
			`{"level":50,"time":1459442001087,"req":{"id":7,"method":"POST","url":"/orders?retry=1","headers":{"x-request-id":"0b6a9f3c2d1e0f9a"}},"res":{"statusCode":503},"err":{"type":"Error","message":"db down"},"responseTime":31,"msg":"request errored"}`,
		}},
		{"app-json/bunyan", FormatJSON, []string{
			`{"name":"myapp","hostname":"banana.local","pid":40161,"level":30,"msg":"hi","time":"2013-01-04T18:46:23.851Z","v":0}`,
			`{"name":"audit","hostname":"banana.local","pid":40161,"audit":true,"level":30,"remoteAddress":"127.0.0.1","remotePort":51123,"req_id":"4d6c8b0a-2f7e-4b1a-9c3d-5e6f7a8b9c0d","req":{"method":"GET","url":"/hello?x=1","httpVersion":"1.1"},"res":{"statusCode":500},"latency":13,"msg":"handled: 500","time":"2013-01-04T18:46:23.851Z","v":0}`,
		}},
		{"app-json/ecs", FormatJSON, []string{
			`{"@timestamp":"2024-01-02T03:04:05.678Z","log.level":"info","message":"done","http.request.method":"POST","url.path":"/pay","http.response.status_code":201,"trace.id":"t-9"}`,
			`{"@timestamp":"2024-01-02T03:04:05.678Z","log.level":"error","message":"upstream failed","ecs.version":"1.6.0","log":{"logger":"app"},"http":{"request":{"method":"get","id":"ecs-req-1"},"response":{"status_code":503}},"url":{"path":"/x","query":"a=1"},"trace.id":"t-9","event":{"duration":1500000}}`,
		}},
		// slog text, logrus, go-kit and Heroku router lines.
		{"app-logfmt", FormatLogfmt, parsertest.Lines(b, "testdata/logfmt.log")},
		// The lab backend's plain-text lines, recorded behind nginx.
		{"app-text/lab", FormatText, parsertest.Lines(b, "../../testdata/recordings/nginx-combined/app.log")},
		// Python, Java, Spring, syslog, zap console, Laravel ... lines.
		{"app-text/mixed", FormatText, parsertest.Lines(b, "testdata/text.log")},
	} {
		b.Run(c.name, func(b *testing.B) { parsertest.BenchFormat(b, c.format, opts, c.sample, appGroups) })
	}
}

// appGroups split app lines by the outcome they tell.
var appGroups = []parsertest.LineGroup{
	{Name: "2xx", Keep: func(r sources.Record) bool {
		e, ok := r.(*sources.AppEntry)
		return ok && (e.Status == 0 || e.Status/100 == 2) &&
			(e.Level == "" || e.Level == "info" || e.Level == "debug")
	}},
	{Name: "5xx", Keep: func(r sources.Record) bool {
		e, ok := r.(*sources.AppEntry)
		return ok && (e.Status/100 == 5 || e.Level == "error" || e.Level == "fatal")
	}},
}
