package caddy

import (
	"bufio"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"fivexx/sources"
)

// Lines marked [real] were written by caddy 2.6.2 on 127.0.0.1 (see
// testdata/) or are copied from formats.md §6.3; [built] lines follow the
// documented shape with invented values.

func TestParseAccess(t *testing.T) {
	curlHeaders := sources.FieldRequestTime
	tests := []struct {
		name string
		line string
		want *sources.ProxyEntry
	}{
		{
			name: "200 with X-Request-Id [real]",
			line: `{"level":"info","ts":1795245290.8694913,"logger":"http.log.access.log0","msg":"handled request","request":{"remote_ip":"127.0.0.1","remote_port":"50744","proto":"HTTP/1.1","method":"GET","host":"127.0.0.1:18690","uri":"/ok","headers":{"User-Agent":["curl/7.88.1"],"Accept":["*/*"],"X-Request-Id":["4bf92f3577b34da6a3ce929d0e0e4736"]}},"user_id":"","duration":0.000430189,"size":3,"status":200,"resp_headers":{"Date":["Sat, 21 Nov 2026 07:14:50 GMT"],"Content-Length":["3"],"Server":["Caddy"],"Content-Type":["text/plain"]}}`,
			want: &sources.ProxyEntry{
				Time: time.Unix(1795245290, 869491300), Client: "127.0.0.1", ClientPort: "50744",
				Method: "GET", Path: "/ok", Proto: "HTTP/1.1", Host: "127.0.0.1:18690", UserAgent: "curl/7.88.1",
				Status: 200, BodyBytes: 3, RequestTime: 0.000430189, RequestID: "4bf92f3577b34da6a3ce929d0e0e4736",
				Fields: sources.FieldRequestTime | sources.FieldRequestID,
			},
		},
		{
			name: "502 from a refused upstream [real]",
			line: `{"level":"error","ts":1795245290.8759446,"logger":"http.log.access.log0","msg":"handled request","request":{"remote_ip":"127.0.0.1","remote_port":"50748","proto":"HTTP/1.1","method":"GET","host":"127.0.0.1:18690","uri":"/refused?x=1","headers":{"User-Agent":["curl/7.88.1"],"Accept":["*/*"],"X-Request-Id":["0af7651916cd43dd8448eb211c80319c"]}},"user_id":"","duration":0.000206271,"size":0,"status":502,"resp_headers":{"Server":["Caddy"]}}`,
			want: &sources.ProxyEntry{
				Time: time.Unix(1795245290, 875944600), Client: "127.0.0.1", ClientPort: "50748",
				Method: "GET", Path: "/refused?x=1", Proto: "HTTP/1.1", Host: "127.0.0.1:18690", UserAgent: "curl/7.88.1",
				Status: 502, BodyBytes: 0, RequestTime: 0.000206271, RequestID: "0af7651916cd43dd8448eb211c80319c",
				Fields: sources.FieldRequestTime | sources.FieldRequestID,
			},
		},
		{
			name: "503 from the app [real]",
			line: `{"level":"error","ts":1795245290.8817868,"logger":"http.log.access.log0","msg":"handled request","request":{"remote_ip":"127.0.0.1","remote_port":"50762","proto":"HTTP/1.1","method":"GET","host":"127.0.0.1:18690","uri":"/unavail","headers":{"User-Agent":["curl/7.88.1"],"Accept":["*/*"]}},"user_id":"","duration":0.000382338,"size":12,"status":503,"resp_headers":{"X-Content-Type-Options":["nosniff"],"Date":["Sat, 21 Nov 2026 07:14:50 GMT"],"Server":["Caddy"],"Content-Length":["12"],"Content-Type":["text/plain; charset=utf-8"]}}`,
			want: &sources.ProxyEntry{
				Time: time.Unix(1795245290, 881786800), Client: "127.0.0.1", ClientPort: "50762",
				Method: "GET", Path: "/unavail", Proto: "HTTP/1.1", Host: "127.0.0.1:18690", UserAgent: "curl/7.88.1",
				Status: 503, BodyBytes: 12, RequestTime: 0.000382338, Fields: curlHeaders,
			},
		},
		{
			// Session 24 QA repro 3: `respond 503` (route /maint). Its
			// headers are static_response's: an empty Content-Type, no
			// Date or Content-Length.
			name: "503 of respond, no body [real]",
			line: `{"level":"error","ts":1795352822.8891625,"logger":"http.log.access.log0","msg":"handled request","request":{"remote_ip":"127.0.0.1","remote_port":"56316","proto":"HTTP/1.1","method":"GET","host":"127.0.0.1:27295","uri":"/maint","headers":{"User-Agent":["curl/7.88.1"],"Accept":["*/*"],"X-Request-Id":["cli-9"]}},"user_id":"","duration":0.000018155,"size":0,"status":503,"resp_headers":{"Server":["Caddy"],"Content-Type":[]}}`,
			want: &sources.ProxyEntry{
				Time: time.Unix(1795352822, 889162500), Client: "127.0.0.1", ClientPort: "56316",
				Method: "GET", Path: "/maint", Proto: "HTTP/1.1", Host: "127.0.0.1:27295", UserAgent: "curl/7.88.1",
				Status: 503, BodyBytes: 0, RequestTime: 0.000018155, RequestID: "cli-9",
				Fields: sources.FieldRequestTime | sources.FieldRequestID, ProxyWrote: sources.Yes,
			},
		},
		{
			// `respond "down for maintenance" 503`: the Content-Type
			// static_response picks for its body; net/http adds
			// Content-Length after the log's copy of the headers.
			name: "503 of respond with a body [real]",
			line: `{"level":"error","ts":1795354502.8218694,"logger":"http.log.access.log0","msg":"handled request","request":{"remote_ip":"127.0.0.1","remote_port":"58094","proto":"HTTP/1.1","method":"GET","host":"127.0.0.1:54852","uri":"/maintbody","headers":{"User-Agent":["curl/7.88.1"],"Accept":["*/*"]}},"user_id":"","duration":0.000019124,"size":20,"status":503,"resp_headers":{"Content-Type":["text/plain; charset=utf-8"],"Server":["Caddy"]}}`,
			want: &sources.ProxyEntry{
				Time: time.Unix(1795354502, 821869400), Client: "127.0.0.1", ClientPort: "58094",
				Method: "GET", Path: "/maintbody", Proto: "HTTP/1.1", Host: "127.0.0.1:54852", UserAgent: "curl/7.88.1",
				Status: 503, BodyBytes: 20, RequestTime: 0.000019124, Fields: curlHeaders, ProxyWrote: sources.Yes,
			},
		},
		{
			name: "503 of respond beside a header directive [real]",
			line: `{"level":"error","ts":1795354503.1297765,"logger":"http.log.access.log0","msg":"handled request","request":{"remote_ip":"127.0.0.1","remote_port":"58122","proto":"HTTP/1.1","method":"GET","host":"127.0.0.1:54852","uri":"/hdr","headers":{"User-Agent":["curl/7.88.1"],"Accept":["*/*"]}},"user_id":"","duration":0.000022715,"size":0,"status":503,"resp_headers":{"Server":["Caddy"],"X-Frame-Options":["DENY"],"Content-Type":[]}}`,
			want: &sources.ProxyEntry{
				Time: time.Unix(1795354503, 129776500), Client: "127.0.0.1", ClientPort: "58122",
				Method: "GET", Path: "/hdr", Proto: "HTTP/1.1", Host: "127.0.0.1:54852", UserAgent: "curl/7.88.1",
				Status: 503, BodyBytes: 0, RequestTime: 0.000022715, Fields: curlHeaders, ProxyWrote: sources.Yes,
			},
		},
		{
			// An upstream that answered "503" with no header but
			// Connection: close, which reverse_proxy drops: only Caddy's
			// Server is logged, as for its own errors; nothing says
			// Caddy wrote it.
			name: "503 of an upstream that sent no header [real]",
			line: `{"level":"error","ts":1795354503.3387592,"logger":"http.log.access.log0","msg":"handled request","request":{"remote_ip":"127.0.0.1","remote_port":"58136","proto":"HTTP/1.1","method":"GET","host":"127.0.0.1:54852","uri":"/bare503","headers":{"User-Agent":["curl/7.88.1"],"Accept":["*/*"]}},"user_id":"","duration":0.060156398,"size":0,"status":503,"resp_headers":{"Server":["Caddy"]}}`,
			want: &sources.ProxyEntry{
				Time: time.Unix(1795354503, 338759200), Client: "127.0.0.1", ClientPort: "58136",
				Method: "GET", Path: "/bare503", Proto: "HTTP/1.1", Host: "127.0.0.1:54852", UserAgent: "curl/7.88.1",
				Status: 503, BodyBytes: 0, RequestTime: 0.060156398, Fields: curlHeaders,
			},
		},
		{
			// Session 24 QA repro 3's app 503 (/e503): its own headers.
			name: "503 of the app with Retry-After [real]",
			line: `{"level":"error","ts":1795352823.5366914,"logger":"http.log.access.log0","msg":"handled request","request":{"remote_ip":"127.0.0.1","remote_port":"56360","proto":"HTTP/1.1","method":"GET","host":"127.0.0.1:27295","uri":"/e503","headers":{"User-Agent":["curl/7.88.1"],"Accept":["*/*"],"X-Request-Id":["cli-11"]}},"user_id":"","duration":0.006807281,"size":5,"status":503,"resp_headers":{"Server":["Caddy"],"Content-Type":["text/plain"],"Content-Length":["5"],"Retry-After":["5"]}}`,
			want: &sources.ProxyEntry{
				Time: time.Unix(1795352823, 536691400), Client: "127.0.0.1", ClientPort: "56360",
				Method: "GET", Path: "/e503", Proto: "HTTP/1.1", Host: "127.0.0.1:27295", UserAgent: "curl/7.88.1",
				Status: 503, BodyBytes: 5, RequestTime: 0.006807281, RequestID: "cli-11",
				Fields: sources.FieldRequestTime | sources.FieldRequestID,
			},
		},
		{
			name: "client gave up, status 0 [real]",
			line: `{"level":"info","ts":1795245293.2966547,"logger":"http.log.access.log0","msg":"handled request","request":{"remote_ip":"127.0.0.1","remote_port":"40260","proto":"HTTP/1.1","method":"GET","host":"127.0.0.1:18690","uri":"/slow","headers":{"User-Agent":["curl/7.88.1"],"Accept":["*/*"]}},"user_id":"","duration":0.299574645,"size":0,"status":0,"resp_headers":{"Server":["Caddy"]}}`,
			want: &sources.ProxyEntry{
				Time: time.Unix(1795245293, 296654700), Client: "127.0.0.1", ClientPort: "40260",
				Method: "GET", Path: "/slow", Proto: "HTTP/1.1", Host: "127.0.0.1:18690", UserAgent: "curl/7.88.1",
				Status: 0, BodyBytes: 0, RequestTime: 0.299574645, Fields: curlHeaders,
			},
		},
		{
			name: "escaped quotes in the uri [real]",
			line: `{"level":"info","ts":1795245293.3114114,"logger":"http.log.access.log0","msg":"handled request","request":{"remote_ip":"127.0.0.1","remote_port":"40264","proto":"HTTP/1.1","method":"POST","host":"127.0.0.1:18690","uri":"/we%20ird?q=\"x\"","headers":{"Content-Length":["3"],"Content-Type":["application/x-www-form-urlencoded"],"User-Agent":["curl/7.88.1"],"Accept":["*/*"]}},"user_id":"","duration":0.000435206,"size":3,"status":200,"resp_headers":{"Content-Type":["text/plain"],"Date":["Sat, 21 Nov 2026 07:14:53 GMT"],"Content-Length":["3"],"Server":["Caddy"]}}`,
			want: &sources.ProxyEntry{
				Time: time.Unix(1795245293, 311411400), Client: "127.0.0.1", ClientPort: "40264",
				Method: "POST", Path: `/we%20ird?q="x"`, Proto: "HTTP/1.1", Host: "127.0.0.1:18690", UserAgent: "curl/7.88.1",
				Status: 200, BodyBytes: 3, RequestTime: 0.000435206, Fields: curlHeaders,
			},
		},
		{
			name: "console encoder with coloured level [real]",
			line: "2026/11/21 07:14:53.304\t\x1b[31mERROR\x1b[0m\thttp.log.access.log1\thandled request\t{\"request\": {\"remote_ip\": \"127.0.0.1\", \"remote_port\": \"53758\", \"proto\": \"HTTP/1.1\", \"method\": \"GET\", \"host\": \"127.0.0.1:18691\", \"uri\": \"/console\", \"headers\": {\"Accept\": [\"*/*\"], \"User-Agent\": [\"curl/7.88.1\"]}}, \"user_id\": \"\", \"duration\": 0.000243822, \"size\": 0, \"status\": 502, \"resp_headers\": {\"Server\": [\"Caddy\"]}}",
			want: &sources.ProxyEntry{
				Time: time.Date(2026, time.November, 21, 7, 14, 53, 304e6, time.UTC), Client: "127.0.0.1", ClientPort: "53758",
				Method: "GET", Path: "/console", Proto: "HTTP/1.1", Host: "127.0.0.1:18691", UserAgent: "curl/7.88.1",
				Status: 502, BodyBytes: 0, RequestTime: 0.000243822, Fields: curlHeaders,
				TimePrecision: sources.FractionDigits(3),
			},
		},
		{
			name: "console encoder on the second: .000 is a millisecond [built]",
			line: "2026/11/21 07:14:53.000\tERROR\thttp.log.access.log1\thandled request\t{\"request\": {\"remote_ip\": \"127.0.0.1\", \"remote_port\": \"53758\", \"proto\": \"HTTP/1.1\", \"method\": \"GET\", \"host\": \"127.0.0.1:18691\", \"uri\": \"/console\", \"headers\": {\"Accept\": [\"*/*\"], \"User-Agent\": [\"curl/7.88.1\"]}}, \"user_id\": \"\", \"duration\": 0.000243822, \"size\": 0, \"status\": 502, \"resp_headers\": {\"Server\": [\"Caddy\"]}}",
			want: &sources.ProxyEntry{
				Time: time.Date(2026, time.November, 21, 7, 14, 53, 0, time.UTC), Client: "127.0.0.1", ClientPort: "53758",
				Method: "GET", Path: "/console", Proto: "HTTP/1.1", Host: "127.0.0.1:18691", UserAgent: "curl/7.88.1",
				Status: 502, BodyBytes: 0, RequestTime: 0.000243822, Fields: curlHeaders,
				TimePrecision: sources.FractionDigits(3),
			},
		},
		{
			name: "formats.md access example with client_ip and bytes_read [built]",
			line: `{"level":"error","ts":1754633393.4583,"logger":"http.log.access","msg":"handled request","request":{"remote_ip":"203.0.113.7","remote_port":"52069","client_ip":"203.0.113.7","proto":"HTTP/1.1","method":"GET","host":"api.example.com","uri":"/api//info","headers":{}},"bytes_read":0,"user_id":"","duration":0.000702,"size":0,"status":502,"resp_headers":{"Server":["Caddy"]}}`,
			want: &sources.ProxyEntry{
				Time: time.Unix(1754633393, 458300000), Client: "203.0.113.7", ClientPort: "52069",
				Method: "GET", Path: "/api//info", Proto: "HTTP/1.1", Host: "api.example.com",
				Status: 502, BodyBytes: 0, RequestTime: 0.000702, Fields: sources.FieldRequestTime,
			},
		},
		{
			name: "v2.0 remote_addr instead of remote_ip [built, after the v2.0 docs]",
			line: `{"level":"info","ts":1585597114.7687502,"logger":"http.log.access","msg":"handled request","request":{"method":"GET","uri":"/","proto":"HTTP/2.0","remote_addr":"127.0.0.1:50876","host":"example.com","headers":{"User-Agent":["curl/7.64.1"],"Accept":["*/*"]}},"common_log":"127.0.0.1 - - [30/Mar/2020:13:38:34 -0600] \"GET / HTTP/2.0\" 200 10900","duration":0.000929675,"size":10900,"status":200,"resp_headers":{"Server":["Caddy"],"Content-Type":["text/html"]}}`,
			want: &sources.ProxyEntry{
				Time: time.Unix(1585597114, 768750200), Client: "127.0.0.1", ClientPort: "50876",
				Method: "GET", Path: "/", Proto: "HTTP/2.0", Host: "example.com", UserAgent: "curl/7.64.1",
				Status: 200, BodyBytes: 10900, RequestTime: 0.000929675, Fields: sources.FieldRequestTime,
			},
		},
		{
			name: "upstream added with log_append, request id set on the response [built]",
			line: `{"level":"error","ts":1754633393.458146,"logger":"http.log.access.log0","msg":"handled request","request":{"remote_ip":"10.0.0.7","remote_port":"41234","client_ip":"10.0.0.7","proto":"HTTP/2.0","method":"POST","host":"api.example.com","uri":"/v1/orders","headers":{"user-agent":["okhttp/4.12.0"]}},"bytes_read":42,"user_id":"","duration":0.000669913,"size":0,"status":502,"resp_headers":{"Server":["Caddy"],"X-Request-Id":["9f1c2d3e-4b5a-4c6d-8e7f-0a1b2c3d4e5f"]},"upstream":"10.0.0.5:8080"}`,
			want: &sources.ProxyEntry{
				Time: time.Unix(1754633393, 458146000), Client: "10.0.0.7", ClientPort: "41234",
				Method: "POST", Path: "/v1/orders", Proto: "HTTP/2.0", Host: "api.example.com", UserAgent: "okhttp/4.12.0",
				Status: 502, BodyBytes: 0, RequestTime: 0.000669913, RequestID: "9f1c2d3e-4b5a-4c6d-8e7f-0a1b2c3d4e5f",
				Upstream: "10.0.0.5:8080", UpstreamAddr: []string{"10.0.0.5:8080"},
				Fields: sources.FieldRequestTime | sources.FieldRequestID | sources.FieldUpstreamAddr,
			},
		},
		{
			// {http.reverse_proxy.upstream.hostport} of a unix upstream is
			// its path: named as Caddy names the upstream, as its error
			// entry's "dial unix" is.
			name: "unix socket upstream added with log_append hostport [built]",
			line: `{"level":"info","ts":1754633409.5,"logger":"http.log.access","msg":"handled request","request":{"remote_ip":"203.0.113.7","remote_port":"51014","client_ip":"203.0.113.7","proto":"HTTP/1.1","method":"GET","host":"api.example.com","uri":"/ok","headers":{}},"bytes_read":0,"user_id":"","duration":0.01,"size":2,"status":200,"resp_headers":{"Server":["Caddy"]},"upstream_hostport":"/run/app.sock"}`,
			want: &sources.ProxyEntry{
				Time: time.Unix(1754633409, 500000000), Client: "203.0.113.7", ClientPort: "51014",
				Method: "GET", Path: "/ok", Proto: "HTTP/1.1", Host: "api.example.com",
				Status: 200, BodyBytes: 2, RequestTime: 0.01,
				Upstream: "unix//run/app.sock", UpstreamAddr: []string{"unix//run/app.sock"},
				Fields: sources.FieldRequestTime | sources.FieldUpstreamAddr,
			},
		},
		{
			name: "a field of an unexpected type loses only that field [built]",
			line: `{"level":"info","ts":1795245290.5,"logger":"http.log.access","msg":"handled request","request":{"remote_ip":"10.0.0.7","remote_port":"41234","proto":"HTTP/1.1","method":"GET","host":"a.example","uri":"/"},"duration":0.25,"size":12,"status":"200"}`,
			want: &sources.ProxyEntry{
				Time: time.Unix(1795245290, 500000000), Client: "10.0.0.7", ClientPort: "41234",
				Method: "GET", Path: "/", Proto: "HTTP/1.1", Host: "a.example",
				BodyBytes: 12, RequestTime: 0.25, Fields: sources.FieldRequestTime,
			},
		},
		{
			name: "iso8601 ts and string duration [built]",
			line: `{"level":"info","ts":"2024-01-02T03:04:05.123Z","logger":"http.log.access.log0","msg":"handled request","request":{"remote_ip":"10.0.0.7","remote_port":"41234","proto":"HTTP/1.1","method":"GET","host":"a.example","uri":"/","headers":{"X-Request-ID":[""]}},"duration":"1.5ms","size":12,"status":200}`,
			want: &sources.ProxyEntry{
				Time: time.Date(2024, time.January, 2, 3, 4, 5, 123e6, time.UTC), Client: "10.0.0.7", ClientPort: "41234",
				Method: "GET", Path: "/", Proto: "HTTP/1.1", Host: "a.example",
				Status: 200, BodyBytes: 12, RequestTime: 0.0015,
				Fields: sources.FieldRequestTime | sources.FieldRequestID,
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.want.Raw = tt.line
			got, err := NewParser(sources.ParserOptions{Location: time.UTC}).Parse(tt.line)
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			if diff := cmp.Diff(sources.Record(tt.want), got); diff != "" {
				t.Errorf("Parse mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		name string
		line string
		want *sources.ProxyError
	}{
		{
			// Caddy's `error "nope" 503` (session 24, cmd/fivexx/testdata/
			// rules/caddy-error-directive): its err_trace names
			// caddyhttp.StaticError; "nope" is no Go error. It had no
			// reason: the 503 was unknown low, "error log: nope".
			name: "error directive with a message [real]",
			line: `{"level":"error","ts":1795358192.5243738,"logger":"http.log.error.log0","msg":"nope","request":{"remote_ip":"127.0.0.1","remote_port":"40994","proto":"HTTP/1.1","method":"GET","host":"127.0.0.1:27378","uri":"/nope","headers":{"Accept":["*/*"],"X-Request-Id":["rid-5127"],"User-Agent":["curl/7.88.1"]}},"duration":0.000054856,"status":503,"err_id":"4mqcqd0zd","err_trace":"caddyhttp.StaticError.ServeHTTP (staticerror.go:110)"}`,
			want: &sources.ProxyError{
				Server: "http.log.error.log0",
				Time:   time.Unix(1795358192, 524373800), Level: "error", Message: "nope", Reason: sources.ReasonProxyRejected,
				Client: "127.0.0.1", ClientPort: "40994", Request: "GET /nope HTTP/1.1", Method: "GET", Path: "/nope",
				Host: "127.0.0.1:27378", Status: 503,
			},
		},
		{
			name: "error directive without a message [real]",
			line: `{"level":"error","ts":1795358199.6958697,"logger":"http.log.error.log0","msg":"","request":{"remote_ip":"127.0.0.1","remote_port":"52014","proto":"HTTP/1.1","method":"GET","host":"127.0.0.1:27378","uri":"/bare","headers":{"User-Agent":["curl/7.88.1"],"Accept":["*/*"],"X-Request-Id":["rid-27015"]}},"duration":0.000043931,"status":503,"err_id":"9frkh6826","err_trace":"caddyhttp.StaticError.ServeHTTP (staticerror.go:110)"}`,
			want: &sources.ProxyError{
				Server: "http.log.error.log0",
				Time:   time.Unix(1795358199, 695869700), Level: "error", Reason: sources.ReasonProxyRejected,
				Client: "127.0.0.1", ClientPort: "52014", Request: "GET /bare HTTP/1.1", Method: "GET", Path: "/bare",
				Host: "127.0.0.1:27378", Status: 503,
			},
		},
		{
			// The same Caddy's reverse_proxy route, its upstream down:
			// err_trace reverseproxy.statusError, reason from the Go error.
			name: "refused beside the error directive [real]",
			line: `{"level":"error","ts":1795358192.569977,"logger":"http.log.error.log0","msg":"dial tcp 127.0.0.1:45882: connect: connection refused","request":{"remote_ip":"127.0.0.1","remote_port":"41010","proto":"HTTP/1.1","method":"GET","host":"127.0.0.1:27378","uri":"/api/a","headers":{"User-Agent":["curl/7.88.1"],"Accept":["*/*"],"X-Request-Id":["rid-29246"]}},"duration":0.000731129,"status":502,"err_id":"utpf3z2hj","err_trace":"reverseproxy.statusError (reverseproxy.go:1272)"}`,
			want: &sources.ProxyError{
				Server: "http.log.error.log0",
				Time:   time.Unix(1795358192, 569977000), Level: "error",
				Message: "dial tcp 127.0.0.1:45882: connect: connection refused", Reason: sources.ReasonRefused,
				Client: "127.0.0.1", ClientPort: "41010", Request: "GET /api/a HTTP/1.1", Method: "GET", Path: "/api/a",
				Upstream: "127.0.0.1:45882", UpstreamAddr: "127.0.0.1:45882", Host: "127.0.0.1:27378", Status: 502,
			},
		},
		{
			name: "connection refused [real]",
			line: `{"level":"error","ts":1795245290.8759253,"logger":"http.log.error.log0","msg":"dial tcp 127.0.0.1:19009: connect: connection refused","request":{"remote_ip":"127.0.0.1","remote_port":"50748","proto":"HTTP/1.1","method":"GET","host":"127.0.0.1:18690","uri":"/refused?x=1","headers":{"User-Agent":["curl/7.88.1"],"Accept":["*/*"],"X-Request-Id":["0af7651916cd43dd8448eb211c80319c"]}},"duration":0.000206271,"status":502,"err_id":"u5xyr68iy","err_trace":"reverseproxy.statusError (reverseproxy.go:1272)"}`,
			want: &sources.ProxyError{
				Server: "http.log.error.log0",
				Time:   time.Unix(1795245290, 875925300), Level: "error",
				Message: "dial tcp 127.0.0.1:19009: connect: connection refused", Reason: sources.ReasonRefused,
				Client: "127.0.0.1", ClientPort: "50748", Request: "GET /refused?x=1 HTTP/1.1", Method: "GET", Path: "/refused?x=1",
				Upstream: "127.0.0.1:19009", UpstreamAddr: "127.0.0.1:19009", Host: "127.0.0.1:18690", Status: 502,
			},
		},
		{
			// ProxyError.Status is an int32: a status that does not fit
			// one (no Caddy writes it: net/http refuses any outside
			// 100-999) is not said, where it was kept as an int.
			name: "status beyond an int32",
			line: `{"level":"error","ts":1795245290.8759253,"logger":"http.log.error.log0","msg":"dial tcp 127.0.0.1:19009: connect: connection refused","request":{"remote_ip":"127.0.0.1","remote_port":"50748","proto":"HTTP/1.1","method":"GET","host":"127.0.0.1:18690","uri":"/refused?x=1","headers":{"User-Agent":["curl/7.88.1"],"Accept":["*/*"],"X-Request-Id":["0af7651916cd43dd8448eb211c80319c"]}},"duration":0.000206271,"status":4294967798,"err_id":"u5xyr68iy","err_trace":"reverseproxy.statusError (reverseproxy.go:1272)"}`,
			want: &sources.ProxyError{
				Server: "http.log.error.log0",
				Time:   time.Unix(1795245290, 875925300), Level: "error",
				Message: "dial tcp 127.0.0.1:19009: connect: connection refused", Reason: sources.ReasonRefused,
				Client: "127.0.0.1", ClientPort: "50748", Request: "GET /refused?x=1 HTTP/1.1", Method: "GET", Path: "/refused?x=1",
				Upstream: "127.0.0.1:19009", UpstreamAddr: "127.0.0.1:19009", Host: "127.0.0.1:18690", Status: 0,
			},
		},
		{
			name: "upstream hung up [real]",
			line: `{"level":"error","ts":1795245290.8875475,"logger":"http.log.error.log0","msg":"EOF","request":{"remote_ip":"127.0.0.1","remote_port":"50776","proto":"HTTP/1.1","method":"GET","host":"127.0.0.1:18690","uri":"/hangup","headers":{"User-Agent":["curl/7.88.1"],"Accept":["*/*"]}},"duration":0.000324372,"status":502,"err_id":"5iczsc4wv","err_trace":"reverseproxy.statusError (reverseproxy.go:1272)"}`,
			want: &sources.ProxyError{
				Server: "http.log.error.log0",
				Time:   time.Unix(1795245290, 887547500), Level: "error", Message: "EOF", Reason: sources.ReasonReset,
				Client: "127.0.0.1", ClientPort: "50776", Request: "GET /hangup HTTP/1.1", Method: "GET", Path: "/hangup",
				Host: "127.0.0.1:18690", Status: 502,
			},
		},
		{
			name: "upstream reset [real]",
			line: `{"level":"error","ts":1795245290.893536,"logger":"http.log.error.log0","msg":"read tcp 127.0.0.1:37896->127.0.0.1:19003: read: connection reset by peer","request":{"remote_ip":"127.0.0.1","remote_port":"50784","proto":"HTTP/1.1","method":"GET","host":"127.0.0.1:18690","uri":"/reset","headers":{"User-Agent":["curl/7.88.1"],"Accept":["*/*"]}},"duration":0.000550718,"status":502,"err_id":"hbk9f50vf","err_trace":"reverseproxy.statusError (reverseproxy.go:1272)"}`,
			want: &sources.ProxyError{
				Server: "http.log.error.log0",
				Time:   time.Unix(1795245290, 893536000), Level: "error",
				Message: "read tcp 127.0.0.1:37896->127.0.0.1:19003: read: connection reset by peer", Reason: sources.ReasonReset,
				Client: "127.0.0.1", ClientPort: "50784", Request: "GET /reset HTTP/1.1", Method: "GET", Path: "/reset",
				Upstream: "127.0.0.1:19003", UpstreamAddr: "127.0.0.1:19003", Host: "127.0.0.1:18690", Status: 502,
			},
		},
		{
			name: "response_header_timeout [real]",
			line: `{"level":"error","ts":1795245291.8999152,"logger":"http.log.error.log0","msg":"net/http: timeout awaiting response headers","request":{"remote_ip":"127.0.0.1","remote_port":"50794","proto":"HTTP/1.1","method":"GET","host":"127.0.0.1:18690","uri":"/slow","headers":{"User-Agent":["curl/7.88.1"],"Accept":["*/*"]}},"duration":1.000959794,"status":504,"err_id":"0a75tvuif","err_trace":"reverseproxy.statusError (reverseproxy.go:1272)"}`,
			want: &sources.ProxyError{
				Server: "http.log.error.log0",
				Time:   time.Unix(1795245291, 899915200), Level: "error",
				Message: "net/http: timeout awaiting response headers", Reason: sources.ReasonReadTimeout,
				Client: "127.0.0.1", ClientPort: "50794", Request: "GET /slow HTTP/1.1", Method: "GET", Path: "/slow",
				Host: "127.0.0.1:18690", Status: 504,
			},
		},
		{
			name: "malformed response [real]",
			line: `{"level":"error","ts":1795245291.907487,"logger":"http.log.error.log0","msg":"net/http: HTTP/1.x transport connection broken: malformed HTTP status code \"2x0\"","request":{"remote_ip":"127.0.0.1","remote_port":"50796","proto":"HTTP/1.1","method":"GET","host":"127.0.0.1:18690","uri":"/garbage","headers":{"User-Agent":["curl/7.88.1"],"Accept":["*/*"]}},"duration":0.000390851,"status":502,"err_id":"weattzz8a","err_trace":"reverseproxy.statusError (reverseproxy.go:1272)"}`,
			want: &sources.ProxyError{
				Server: "http.log.error.log0",
				Time:   time.Unix(1795245291, 907487000), Level: "error",
				Message: `net/http: HTTP/1.x transport connection broken: malformed HTTP status code "2x0"`, Reason: sources.ReasonBadResponse,
				Client: "127.0.0.1", ClientPort: "50796", Request: "GET /garbage HTTP/1.1", Method: "GET", Path: "/garbage",
				Host: "127.0.0.1:18690", Status: 502,
			},
		},
		{
			name: "dial timeout, 502 in 2.6 [real]",
			line: `{"level":"error","ts":1795245292.9715133,"logger":"http.log.error.log0","msg":"dial tcp 127.0.0.1:19010: i/o timeout","request":{"remote_ip":"127.0.0.1","remote_port":"50820","proto":"HTTP/1.1","method":"GET","host":"127.0.0.1:18690","uri":"/ctimeout","headers":{"User-Agent":["curl/7.88.1"],"Accept":["*/*"]}},"duration":1.000927155,"status":502,"err_id":"s0zwurd8v","err_trace":"reverseproxy.statusError (reverseproxy.go:1272)"}`,
			want: &sources.ProxyError{
				Server: "http.log.error.log0",
				Time:   time.Unix(1795245292, 971513300), Level: "error",
				Message: "dial tcp 127.0.0.1:19010: i/o timeout", Reason: sources.ReasonConnectTimeout,
				Client: "127.0.0.1", ClientPort: "50820", Request: "GET /ctimeout HTTP/1.1", Method: "GET", Path: "/ctimeout",
				Upstream: "127.0.0.1:19010", UpstreamAddr: "127.0.0.1:19010", Host: "127.0.0.1:18690", Status: 502,
			},
		},
		{
			name: "all upstreams down [real]",
			line: `{"level":"error","ts":1795245292.9789836,"logger":"http.log.error.log0","msg":"no upstreams available","request":{"remote_ip":"127.0.0.1","remote_port":"40236","proto":"HTTP/1.1","method":"GET","host":"127.0.0.1:18690","uri":"/nolive","headers":{"User-Agent":["curl/7.88.1"],"Accept":["*/*"]}},"duration":0.000059499,"status":503,"err_id":"rbfesntdn","err_trace":"reverseproxy.(*Handler).proxyLoopIteration (reverseproxy.go:524)"}`,
			want: &sources.ProxyError{
				Server: "http.log.error.log0",
				Time:   time.Unix(1795245292, 978983600), Level: "error",
				Message: "no upstreams available", Reason: sources.ReasonNoLiveUpstreams,
				Client: "127.0.0.1", ClientPort: "40236", Request: "GET /nolive HTTP/1.1", Method: "GET", Path: "/nolive",
				Host: "127.0.0.1:18690", Status: 503,
			},
		},
		{
			name: "tls to a plain http upstream [real]",
			line: `{"level":"error","ts":1795245292.9856813,"logger":"http.log.error.log0","msg":"tls: first record does not look like a TLS handshake","request":{"remote_ip":"127.0.0.1","remote_port":"40248","proto":"HTTP/1.1","method":"GET","host":"127.0.0.1:18690","uri":"/tls","headers":{"User-Agent":["curl/7.88.1"],"Accept":["*/*"]}},"duration":0.000604723,"status":502,"err_id":"u2m5eeuhv","err_trace":"reverseproxy.statusError (reverseproxy.go:1272)"}`,
			want: &sources.ProxyError{
				Server: "http.log.error.log0",
				Time:   time.Unix(1795245292, 985681300), Level: "error",
				Message: "tls: first record does not look like a TLS handshake", Reason: sources.ReasonTLS,
				Client: "127.0.0.1", ClientPort: "40248", Request: "GET /tls HTTP/1.1", Method: "GET", Path: "/tls",
				Host: "127.0.0.1:18690", Status: 502,
			},
		},
		{
			name: "upstream died mid-body [real]",
			line: `{"level":"error","ts":1795245291.963859,"logger":"http.handlers.reverse_proxy","msg":"aborting with incomplete response","error":"read tcp 127.0.0.1:41600->127.0.0.1:19007: read: connection reset by peer"}`,
			want: &sources.ProxyError{
				Time: time.Unix(1795245291, 963859000), Level: "error",
				Message: "aborting with incomplete response: read tcp 127.0.0.1:41600->127.0.0.1:19007: read: connection reset by peer",
				Reason:  sources.ReasonAfterHeaders, Upstream: "127.0.0.1:19007", UpstreamAddr: "127.0.0.1:19007",
			},
		},
		{
			name: "reading from backend leaves the reason to the abort line [real]",
			line: `{"level":"error","ts":1795245291.9637144,"logger":"http.handlers.reverse_proxy","msg":"reading from backend","error":"read tcp 127.0.0.1:41600->127.0.0.1:19007: read: connection reset by peer"}`,
			want: &sources.ProxyError{
				Time: time.Unix(1795245291, 963714400), Level: "error",
				Message: "reading from backend: read tcp 127.0.0.1:41600->127.0.0.1:19007: read: connection reset by peer",
			},
		},
		{
			name: "active health check failed [real]",
			line: `{"level":"info","ts":1795245288.0896025,"logger":"http.handlers.reverse_proxy.health_checker.active","msg":"HTTP request failed","host":"127.0.0.1:19009","error":"Get \"http://127.0.0.1:19009/\": dial tcp 127.0.0.1:19009: connect: connection refused"}`,
			want: &sources.ProxyError{
				Time: time.Unix(1795245288, 89602500), Level: "info",
				Message: `HTTP request failed: Get "http://127.0.0.1:19009/": dial tcp 127.0.0.1:19009: connect: connection refused`,
				Reason:  sources.ReasonRefused, Action: "health check", Upstream: "127.0.0.1:19009", UpstreamAddr: "127.0.0.1:19009",
			},
		},
		{
			name: "debug round trip cancelled by the client [real]",
			line: `{"level":"debug","ts":1795245371.8243966,"logger":"http.handlers.reverse_proxy","msg":"upstream roundtrip","upstream":"127.0.0.1:19005","duration":0.301100016,"request":{"remote_ip":"127.0.0.1","remote_port":"50722","proto":"HTTP/1.1","method":"GET","host":"127.0.0.1:18692","uri":"/slow","headers":{"X-Forwarded-Proto":["http"],"X-Forwarded-Host":["127.0.0.1:18692"],"User-Agent":["curl/7.88.1"],"Accept":["*/*"],"X-Forwarded-For":["127.0.0.1"]}},"error":"context canceled"}`,
			want: &sources.ProxyError{
				Time: time.Unix(1795245371, 824396600), Level: "debug",
				Message: "upstream roundtrip: context canceled", Reason: sources.ReasonClientAbort,
				Client: "127.0.0.1", ClientPort: "50722", Request: "GET /slow HTTP/1.1", Method: "GET", Path: "/slow",
				Upstream: "127.0.0.1:19005", UpstreamAddr: "127.0.0.1:19005", Host: "127.0.0.1:18692",
			},
		},
		{
			name: "startup line without logger [real]",
			line: `{"level":"info","ts":1795245288.088895,"msg":"serving initial configuration"}`,
			want: &sources.ProxyError{Time: time.Unix(1795245288, 88895000), Level: "info", Message: "serving initial configuration"},
		},
		{
			name: "formats.md refused example, masked ip [real]",
			line: `{"level":"error","ts":1754633393.458146,"logger":"http.log.error","msg":"dial tcp 172.21.0.6:8000: connect: connection refused","request":{"remote_ip":"5*.2**.2*.1*","remote_port":"52069","client_ip":"5*.2**.2*.1*","proto":"HTTP/1.1","method":"GET","host":"1**.2**.3**.4**","uri":"/api//info","headers":{"Connection":["keep-alive"]}},"duration":0.000669913,"status":502,"err_id":"c0wkic63c","err_trace":"reverseproxy.statusError (reverseproxy.go:1269)"}`,
			want: &sources.ProxyError{
				Server: "http.log.error",
				Time:   time.Unix(1754633393, 458146000), Level: "error",
				Message: "dial tcp 172.21.0.6:8000: connect: connection refused", Reason: sources.ReasonRefused,
				Client: "5*.2**.2*.1*", ClientPort: "52069", Request: "GET /api//info HTTP/1.1", Method: "GET", Path: "/api//info",
				Upstream: "172.21.0.6:8000", UpstreamAddr: "172.21.0.6:8000", Host: "1**.2**.3**.4**", Status: 502,
			},
		},
		{
			// Its address, as a host:port is: the 5xx it failed was
			// counted under "-" (classify's dialedUpstream reads it).
			name: "unix socket missing [built, QA]",
			line: `{"level":"error","ts":1754633410.4999,"logger":"http.log.error","msg":"dial unix /run/app.sock: connect: no such file or directory","request":{"remote_ip":"203.0.113.7","remote_port":"51015","client_ip":"203.0.113.7","proto":"HTTP/1.1","method":"GET","host":"api.example.com","uri":"/c?n=15","headers":{}},"duration":0.01,"status":502,"err_id":"e15","err_trace":"reverseproxy.statusError (reverseproxy.go:1269)"}`,
			want: &sources.ProxyError{
				Server: "http.log.error",
				Time:   time.Unix(1754633410, 499900000), Level: "error",
				Message: "dial unix /run/app.sock: connect: no such file or directory", Reason: sources.ReasonRefused,
				Client: "203.0.113.7", ClientPort: "51015", Request: "GET /c?n=15 HTTP/1.1", Method: "GET", Path: "/c?n=15",
				Upstream: "unix//run/app.sock", UpstreamAddr: "unix//run/app.sock", Host: "api.example.com", Status: 502,
			},
		},
		{
			name: "formats.md h2 stream error mid-body, upstream key [real, request trimmed]",
			line: `{"level":"error","ts":1700661180.5779188,"logger":"http.handlers.reverse_proxy","msg":"aborting with incomplete response","upstream":"localhost:3030","duration":0.000736206,"request":{"remote_ip":"172.18.0.1","remote_port":"40028","proto":"HTTP/2.0","method":"GET","host":"app.localhost","uri":"/_next/data","headers":{}},"error":"reading: stream error: stream ID 3; INTERNAL_ERROR; received from peer"}`,
			want: &sources.ProxyError{
				Time: time.Unix(1700661180, 577918800), Level: "error",
				Message: "aborting with incomplete response: reading: stream error: stream ID 3; INTERNAL_ERROR; received from peer",
				Reason:  sources.ReasonAfterHeaders,
				Client:  "172.18.0.1", ClientPort: "40028", Request: "GET /_next/data HTTP/2.0", Method: "GET", Path: "/_next/data",
				Upstream: "localhost:3030", UpstreamAddr: "localhost:3030", Host: "app.localhost",
			},
		},
		{
			name: "client went away mid-body [built]",
			line: `{"level":"warn","ts":1700661180.5,"logger":"http.handlers.reverse_proxy","msg":"aborting with incomplete response","upstream":"localhost:3030","duration":2.5,"request":{"remote_ip":"172.18.0.1","remote_port":"40030","proto":"HTTP/1.1","method":"GET","host":"app.localhost","uri":"/export.csv","headers":{}},"error":"writing: write tcp 172.18.0.5:443->172.18.0.1:40030: write: broken pipe"}`,
			want: &sources.ProxyError{
				Time: time.Unix(1700661180, 500000000), Level: "warn",
				Message: "aborting with incomplete response: writing: write tcp 172.18.0.5:443->172.18.0.1:40030: write: broken pipe",
				Reason:  sources.ReasonClientAbort,
				Client:  "172.18.0.1", ClientPort: "40030", Request: "GET /export.csv HTTP/1.1", Method: "GET", Path: "/export.csv",
				Upstream: "localhost:3030", UpstreamAddr: "localhost:3030", Host: "app.localhost",
			},
		},
		{
			name: "dns failure [built]",
			line: `{"level":"error","ts":1754633393.1,"logger":"http.log.error","msg":"dial tcp: lookup app on 127.0.0.11:53: no such host","request":{"remote_ip":"10.0.0.7","remote_port":"41234","proto":"HTTP/1.1","method":"GET","host":"a.example","uri":"/","headers":{}},"duration":0.01,"status":502}`,
			want: &sources.ProxyError{
				Server: "http.log.error",
				Time:   time.Unix(1754633393, 100000000), Level: "error",
				Message: "dial tcp: lookup app on 127.0.0.11:53: no such host", Reason: sources.ReasonDNS,
				Client: "10.0.0.7", ClientPort: "41234", Request: "GET / HTTP/1.1", Method: "GET", Path: "/",
				Upstream: "app", Host: "a.example", Status: 502,
			},
		},
		{
			name: "file server 404 has no proxy reason [built]",
			line: `{"level":"error","ts":1754633393.2,"logger":"http.log.error","msg":"open /srv/missing.txt: no such file or directory","request":{"remote_ip":"10.0.0.7","remote_port":"41234","proto":"HTTP/1.1","method":"GET","host":"a.example","uri":"/missing.txt","headers":{}},"duration":0.0001,"status":404,"err_id":"abc123xyz","err_trace":"fileserver.(*FileServer).notFound (staticfiles.go:651)"}`,
			want: &sources.ProxyError{
				Server: "http.log.error",
				Time:   time.Unix(1754633393, 200000000), Level: "error",
				Message: "open /srv/missing.txt: no such file or directory",
				Client:  "10.0.0.7", ClientPort: "41234", Request: "GET /missing.txt HTTP/1.1", Method: "GET", Path: "/missing.txt",
				Host: "a.example", Status: 404,
			},
		},
		{
			name: "console encoder, formats.md pitfall example [real]",
			line: "2021/12/31 23:59:59.000\terror\thttp.handlers.reverse_proxy\taborting with incomplete response\t{\"error\": \"context canceled\"}",
			want: &sources.ProxyError{
				Time: time.Date(2021, time.December, 31, 23, 59, 59, 0, time.UTC), Level: "error",
				Message: "aborting with incomplete response: context canceled", Reason: sources.ReasonClientAbort,
			},
		},
		{
			name: "console encoder, no logger, no fields [built]",
			line: "2026/11/21 07:14:48.088\t\x1b[34mINFO\x1b[0m\tserving initial configuration",
			want: &sources.ProxyError{
				Time: time.Date(2026, time.November, 21, 7, 14, 48, 88e6, time.UTC), Level: "info",
				Message: "serving initial configuration",
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.want.Raw = tt.line
			got, err := NewParser(sources.ParserOptions{Location: time.UTC}).Parse(tt.line)
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			if diff := cmp.Diff(sources.Record(tt.want), got); diff != "" {
				t.Errorf("Parse mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestParseRejects(t *testing.T) {
	tests := []struct {
		name string
		line string
	}{
		{"empty", ""},
		{"plain text", "hello world"},
		{"invalid json", `{"level":"info","ts":1795245290.87,"msg":"handled request"`},
		{"json without ts", `{"level":"info","logger":"http.log.access","msg":"handled request"}`},
		{"json without msg", `{"level":"info","ts":1795245290.87,"logger":"http.log.access"}`},
		{"json without level", `{"ts":1795245290.87,"msg":"x"}`},
		{"bad ts", `{"level":"info","ts":"yesterday","msg":"x"}`},
		{"negative ts", `{"level":"info","ts":-5,"msg":"x"}`},
		{"msg of the wrong type", `{"level":"info","ts":1795245290.87,"msg":5,"logger":"http.log.access"}`},
		{"nginx combined", `127.0.0.1 - - [21/Nov/2026:07:12:57 +0000] "GET / HTTP/1.1" 200 612 "-" "curl/7.88.1"`},
		{"haproxy httplog", `127.0.0.1:42466 [21/Nov/2026:07:12:57.172] fe_http be_app/srv1 0/0/0/0/0 200 107 - - ---- 1/1/0/0/0 0/0 "GET /ok HTTP/1.1"`},
		{"console with an unknown level", "2021/12/31 23:59:59.000\tnotice\thttp\tmsg"},
		{"tab-separated but no time", "a\tb\tc"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := NewParser(sources.ParserOptions{}).Parse(tt.line)
			if err == nil {
				t.Fatalf("Parse(%q) = %#v, want an error", tt.line, got)
			}
			if !errors.Is(err, sources.ErrNoMatch) {
				t.Errorf("Parse error %v does not wrap ErrNoMatch", err)
			}
			if got != nil {
				t.Errorf("Parse returned a record with its error: %#v", got)
			}
		})
	}
}

func TestReasonFromError(t *testing.T) {
	tests := []struct {
		text string
		want sources.Reason
		addr string
	}{
		{"dial tcp 172.21.0.6:8000: connect: connection refused", sources.ReasonRefused, "172.21.0.6:8000"},
		{"dial tcp [::1]:8000: connect: connection refused", sources.ReasonRefused, "[::1]:8000"},
		{"dial unix /run/app.sock: connect: no such file or directory", sources.ReasonRefused, "unix//run/app.sock"},
		// EACCES at connect: the socket's mode, or SELinux on TCP (no
		// reason at all on TCP before).
		{"dial unix /run/app.sock: connect: permission denied", sources.ReasonRefused, "unix//run/app.sock"},
		{"dial tcp 127.0.0.1:8080: connect: permission denied", sources.ReasonRefused, "127.0.0.1:8080"},
		{"read unix @->/run/app.sock: read: connection reset by peer", sources.ReasonReset, "unix//run/app.sock"},
		{"dial tcp 10.0.0.5:8080: connect: no route to host", sources.ReasonRefused, "10.0.0.5:8080"},
		{"dial tcp: lookup app on 127.0.0.11:53: no such host", sources.ReasonDNS, "app"},
		{"dial tcp: lookup app on 127.0.0.11:53: server misbehaving", sources.ReasonDNS, "app"},
		{"dial tcp 10.0.0.5:8080: i/o timeout", sources.ReasonConnectTimeout, "10.0.0.5:8080"},
		{"net/http: timeout awaiting response headers", sources.ReasonReadTimeout, ""},
		{"read tcp 10.0.0.2:41234->10.0.0.5:8080: i/o timeout", sources.ReasonReadTimeout, "10.0.0.5:8080"},
		// ETIMEDOUT: at connect the SYN went unanswered (it was no reason:
		// a low-confidence guess at a read timeout); on an established
		// connection (read, write) it stopped being acked.
		{"dial tcp 10.0.0.5:8080: connect: connection timed out", sources.ReasonConnectTimeout, "10.0.0.5:8080"},
		{"dial tcp 10.0.0.5:8080: connect: operation timed out", sources.ReasonConnectTimeout, "10.0.0.5:8080"},
		{"read tcp 10.0.0.2:41234->10.0.0.5:8080: read: connection timed out", sources.ReasonReadTimeout, "10.0.0.5:8080"},
		{"readfrom tcp 10.0.0.2:41234->10.0.0.5:8080: write tcp 10.0.0.2:41234->10.0.0.5:8080: write: connection timed out", sources.ReasonReadTimeout, "10.0.0.5:8080"},
		{"net/http: TLS handshake timeout", sources.ReasonConnectTimeout, ""},
		{"EOF", sources.ReasonReset, ""},
		{"unexpected EOF", sources.ReasonReset, ""},
		{"read tcp 10.0.0.2:41234->10.0.0.5:8080: read: connection reset by peer", sources.ReasonReset, "10.0.0.5:8080"},
		{"net/http: HTTP/1.x transport connection broken: malformed HTTP response \"\\x00\\x00\"", sources.ReasonBadResponse, ""},
		// A response cut off mid-header (the app crashed after "HTTP/1.1
		// 200 OK\r\nContent-Ty" or "HTTP/1.1 2"): net/http parses the
		// fragment it got (real Caddy 2.6.2, QA s13). A reset, as nginx
		// and HAProxy call the same fault; whole lines of garbage (the
		// real "Bad Header Line" of testdata/recordings/caddy, an SSH
		// banner) stay bad responses.
		{`net/http: HTTP/1.x transport connection broken: malformed MIME header: missing colon: "Content-Ty"`, sources.ReasonReset, ""},
		{`net/http: HTTP/1.x transport connection broken: malformed HTTP status code "2"`, sources.ReasonReset, ""},
		{`net/http: HTTP/1.x transport connection broken: malformed HTTP status code ""`, sources.ReasonReset, ""},
		{`net/http: HTTP/1.x transport connection broken: malformed HTTP response "HTTP/1"`, sources.ReasonReset, ""},
		{`net/http: HTTP/1.x transport connection broken: malformed MIME header line: Content-Ty`, sources.ReasonReset, ""}, // Go before 1.20
		{`net/http: HTTP/1.x transport connection broken: malformed MIME header: missing colon: "Bad Header Line"`, sources.ReasonBadResponse, ""},
		{`net/http: HTTP/1.x transport connection broken: malformed MIME header line: Bad Header Line`, sources.ReasonBadResponse, ""},
		{`net/http: HTTP/1.x transport connection broken: malformed HTTP response "SSH-2.0-OpenSSH_9.2"`, sources.ReasonBadResponse, ""},
		{`net/http: HTTP/1.x transport connection broken: malformed HTTP status code "2x0"`, sources.ReasonBadResponse, ""},
		{`net/http: HTTP/1.x transport connection broken: malformed HTTP status code "abc"`, sources.ReasonBadResponse, ""},
		{`net/http: HTTP/1.x transport connection broken: malformed HTTP response ""`, sources.ReasonBadResponse, ""},
		{"net/http: server response headers exceeded 1048576 bytes; aborted", sources.ReasonBadResponse, ""},
		{"no upstreams available", sources.ReasonNoLiveUpstreams, ""},
		{"tls: failed to verify certificate: x509: certificate signed by unknown authority", sources.ReasonTLS, ""},
		{"remote error: tls: handshake failure", sources.ReasonTLS, ""},
		{"context canceled", sources.ReasonClientAbort, ""},
		{"open /srv/x: permission denied", sources.ReasonNone, ""},
	}
	for _, tt := range tests {
		r := reasonFromError(tt.text)
		if r != tt.want {
			t.Errorf("reasonFromError(%q) = %q, want %q", tt.text, r, tt.want)
		}
		if got := addrFromError(tt.text, r); got != tt.addr {
			t.Errorf("addrFromError(%q) = %q, want %q", tt.text, got, tt.addr)
		}
	}
}

func TestFormatRegistered(t *testing.T) {
	f, ok := sources.LookupFormat("caddy")
	if !ok {
		t.Fatal(`format "caddy" is not registered`)
	}
	if f.Role != sources.RoleProxy {
		t.Errorf("role = %v, want proxy", f.Role)
	}
	if p, err := f.New(sources.ParserOptions{}); err != nil || p == nil {
		t.Fatalf("New = %v, %v", p, err)
	}
	scores := []struct {
		line string
		want int
	}{
		{`{"level":"info","ts":1795245290.8694913,"logger":"http.log.access.log0","msg":"handled request","request":{"remote_ip":"127.0.0.1","remote_port":"50744","proto":"HTTP/1.1","method":"GET","host":"127.0.0.1:18690","uri":"/ok","headers":{"User-Agent":["curl/7.88.1"],"Accept":["*/*"],"X-Request-Id":["4bf92f3577b34da6a3ce929d0e0e4736"]}},"user_id":"","duration":0.000430189,"size":3,"status":200,"resp_headers":{"Date":["Sat, 21 Nov 2026 07:14:50 GMT"],"Content-Length":["3"],"Server":["Caddy"],"Content-Type":["text/plain"]}}`, 100},
		{"2026/11/21 07:14:53.304\t\x1b[31mERROR\x1b[0m\thttp.log.access.log1\thandled request\t{\"request\": {\"remote_ip\": \"127.0.0.1\", \"remote_port\": \"53758\", \"proto\": \"HTTP/1.1\", \"method\": \"GET\", \"host\": \"127.0.0.1:18691\", \"uri\": \"/console\", \"headers\": {\"Accept\": [\"*/*\"], \"User-Agent\": [\"curl/7.88.1\"]}}, \"user_id\": \"\", \"duration\": 0.000243822, \"size\": 0, \"status\": 502, \"resp_headers\": {\"Server\": [\"Caddy\"]}}", 95},
		{`{"level":"error","ts":1795245290.8759253,"logger":"http.log.error.log0","msg":"dial tcp 127.0.0.1:19009: connect: connection refused","request":{"remote_ip":"127.0.0.1","remote_port":"50748","proto":"HTTP/1.1","method":"GET","host":"127.0.0.1:18690","uri":"/refused?x=1","headers":{"User-Agent":["curl/7.88.1"],"Accept":["*/*"],"X-Request-Id":["0af7651916cd43dd8448eb211c80319c"]}},"duration":0.000206271,"status":502,"err_id":"u5xyr68iy","err_trace":"reverseproxy.statusError (reverseproxy.go:1272)"}`, 90},
		{`{"level":"warn","ts":1795245288.0847943,"logger":"admin","msg":"admin endpoint disabled"}`, 60},
		// http.* about no request: a startup line, not a request's.
		{`{"level":"info","ts":1795245288.0879793,"logger":"http.log","msg":"server running","name":"srv0","protocols":["h1","h2","h3"]}`, 60},
		{`{"level":"info","ts":1795245288.088895,"msg":"serving initial configuration"}`, 10},
		// zap's console form from another program (istio-agent before
		// Envoy's access lines): not Caddy's.
		{"2024-01-02T03:04:01.123456Z\tinfo\tads\tADS: new connection for node:sidecar~10.244.0.17~api-7d9c.default~default.svc.cluster.local-1", 0},
		{"2024/01/02 03:04:01.123\tinfo\tserving initial configuration", 0},
		{"2024/01/02 03:04:01.123\tinfo\ttls.cache.maintenance\tstarted background certificate maintenance\t{\"cache\": \"0xc0004b2a80\"}", 55},
		{`127.0.0.1:42466 [21/Nov/2026:07:12:57.172] fe_http be_app/srv1 0/0/0/0/0 200 107 - - ---- 1/1/0/0/0 0/0 "GET /ok HTTP/1.1"`, 0},
		{`{"time":"2024-01-02T03:04:05Z","level":"INFO","msg":"request done","request_id":"abc"}`, 0},
	}
	for _, s := range scores {
		if got := f.Detect(s.line); got != s.want {
			t.Errorf("Detect(%.60q) = %d, want %d", s.line, got, s.want)
		}
	}
}

// TestTestdataParses checks that every captured line makes a record.
func TestTestdataParses(t *testing.T) {
	p := NewParser(sources.ParserOptions{})
	for _, line := range testdataLines(t) {
		rec, err := p.Parse(line)
		if err != nil || rec == nil {
			t.Errorf("Parse(%q) = %v, %v", line, rec, err)
		}
	}
}

func testdataLines(tb testing.TB) []string {
	tb.Helper()
	files, err := filepath.Glob("testdata/*.log")
	if err != nil || len(files) == 0 {
		tb.Fatalf("no testdata: %v", err)
	}
	var lines []string
	for _, name := range files {
		f, err := os.Open(name)
		if err != nil {
			tb.Fatal(err)
		}
		sc := bufio.NewScanner(f)
		sc.Buffer(make([]byte, 0, 64*1024), 1024*1024)
		for sc.Scan() {
			lines = append(lines, sc.Text())
		}
		f.Close()
		if err := sc.Err(); err != nil {
			tb.Fatal(err)
		}
	}
	return lines
}

func FuzzParse(f *testing.F) {
	for _, line := range testdataLines(f) {
		f.Add(line)
	}
	// Caddy's own start and stop lines around an error entry (recorded).
	stream, err := os.ReadFile("../../testdata/startup/caddy-2.6.2-shutdown.log")
	if err != nil {
		f.Fatal(err)
	}
	for _, line := range strings.Split(strings.TrimSpace(string(stream)), "\n") {
		f.Add(line)
	}
	f.Add("2021/12/31 23:59:59.000\terror\thttp.handlers.reverse_proxy\taborting with incomplete response\t{\"error\": \"context canceled\"}")
	f.Add(`{"level":"info","ts":"2024-01-02T03:04:05.123Z","logger":"http.log.access.log0","msg":"handled request","duration":"1.5ms","size":12,"status":200}`)
	p := NewParser(sources.ParserOptions{})
	f.Fuzz(func(t *testing.T, line string) {
		rec, err := p.Parse(line)
		if err != nil {
			if rec != nil {
				t.Fatalf("error %v with a record %#v", err, rec)
			}
			return
		}
		if rec.RawLine() != line {
			t.Fatalf("RawLine() = %q, want %q", rec.RawLine(), line)
		}
	})
}

func BenchmarkParse(b *testing.B) {
	p := NewParser(sources.ParserOptions{})
	lines := testdataLines(b)
	b.ReportAllocs()
	b.ResetTimer()
	n := 0
	for b.Loop() {
		for _, line := range lines {
			if _, err := p.Parse(line); err != nil {
				b.Fatal(err)
			}
		}
		n += len(lines)
	}
	b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "lines/s")
}

func TestErrorLoggerOf(t *testing.T) {
	for _, tc := range []struct{ name, raw, want string }{
		{"per-site access log [real]", `{"level":"error","ts":1795326914.06,"logger":"http.log.access.log1","msg":"handled request","request":{"uri":"/reset"},"status":502}`, "http.log.error.log1"},
		{"server-wide access log", `{"level":"info","ts":1795326914.06,"logger":"http.log.access","msg":"handled request","status":200}`, "http.log.error"},
		{"console encoder", "2021/12/31 23:59:59.000\terror\thttp.log.access.log0\thandled request\t{\"status\": 502}", "http.log.error.log0"},
		{"not an access entry", `{"level":"error","ts":1795326914.06,"logger":"http.log.error.log0","msg":"EOF"}`, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := errorLoggerOf(tc.raw); got != tc.want {
				t.Errorf("errorLoggerOf = %q, want %q", got, tc.want)
			}
		})
	}
}
