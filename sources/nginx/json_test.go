package nginx

import (
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"fivexx/sources"
)

func TestJSONKeys(t *testing.T) {
	p := newFormatParser(t, "nginx-json", sources.ParserOptions{})
	checkEntriesPerLine(t, p, []fieldsCase{
		{
			entryCase: entryCase{
				name: "lab json_combined line",
				line: `{"time":"2026-11-21T07:12:46+00:00","remote_addr":"127.0.0.1","request":"GET /pair/a HTTP/1.1","status":502,"request_time":0.000,"upstream_addr":"127.0.0.1:34065, 127.0.0.1:38283","upstream_status":"502, 502","upstream_connect_time":"-, -","upstream_header_time":"-, -","upstream_response_time":"0.000, 0.000","request_id":"dd9453b12aac96592d83a471f6578d14","connection":21,"http_user_agent":"curl/7.88.1"}`,
				want: sources.ProxyEntry{
					Time: labTime(7, 12, 46), Client: "127.0.0.1", Method: "GET", Path: "/pair/a", Proto: "HTTP/1.1",
					UserAgent: "curl/7.88.1", Status: 502, BodyBytes: -1, RequestTime: 0,
					RequestID: "dd9453b12aac96592d83a471f6578d14", Conn: "21",
					UpstreamAddr: []string{"127.0.0.1:34065", "127.0.0.1:38283"}, UpstreamStatus: []string{"502", "502"},
					UpstreamConnect: []string{"-", "-"}, UpstreamHeader: []string{"-", "-"}, UpstreamResponse: []string{"0.000", "0.000"},
					UpstreamStatusRaw: "502, 502", Upstream: "127.0.0.1:38283",
					UpstreamContacted: sources.Yes, UpstreamAnswered: sources.No,
				},
			},
			fields: allUpstreamFields,
		},
		{
			entryCase: entryCase{
				name: "lab line: missing upstream variables are empty strings",
				line: `{"time":"2026-11-21T07:12:46+00:00","remote_addr":"127.0.0.1","request":"GET /limited HTTP/1.1","status":503,"request_time":0.000,"upstream_addr":"","upstream_status":"","upstream_connect_time":"","upstream_header_time":"","upstream_response_time":"","request_id":"4f7abe6c6e2bd715a21f63b9e421a83e","connection":33,"http_user_agent":"curl/7.88.1"}`,
				want: sources.ProxyEntry{
					Time: labTime(7, 12, 46), Client: "127.0.0.1", Method: "GET", Path: "/limited", Proto: "HTTP/1.1",
					UserAgent: "curl/7.88.1", Status: 503, BodyBytes: -1, RequestTime: 0,
					RequestID: "4f7abe6c6e2bd715a21f63b9e421a83e", Conn: "33",
					UpstreamContacted: sources.No, UpstreamAnswered: sources.No,
				},
			},
			fields: allUpstreamFields,
		},
		{
			entryCase: entryCase{
				name: "lab line: unquoted upstream lists (invalid JSON nginx wrote)",
				line: `{"ts":"1795245189.090","client":"127.0.0.1","method":"GET","uri":"/pair/a","status":"502","upstream_addr":"127.0.0.1:34065, 127.0.0.1:38283","upstream_status":502, 502,"upstream_response_time":0.000, 0.000,"req_id":"1e2cb176f1220585f506d6d836df281d"}`,
				want: sources.ProxyEntry{
					Time: time.UnixMilli(1795245189090), Client: "127.0.0.1", Method: "GET", Path: "/pair/a",
					Status: 502, BodyBytes: -1, RequestTime: -1, RequestID: "1e2cb176f1220585f506d6d836df281d",
					UpstreamAddr: []string{"127.0.0.1:34065", "127.0.0.1:38283"}, UpstreamStatus: []string{"502", "502"},
					UpstreamResponse:  []string{"0.000", "0.000"},
					UpstreamStatusRaw: "502, 502", Upstream: "127.0.0.1:38283",
					UpstreamContacted: sources.Yes,
				},
			},
			fields: sources.FieldUpstreamAddr | sources.FieldUpstreamStatus | sources.FieldUpstreamResponseTime | sources.FieldRequestID,
		},
		{
			entryCase: entryCase{
				name: "lab line: unquoted empty and dash",
				line: `{"ts":"1795245191.428","client":"127.0.0.1","method":"GET","uri":"/slow","status":"499","upstream_addr":"127.0.0.1:50393","upstream_status":-,"upstream_response_time":0.302,"req_id":"4b0aab3d5885655423249a427f3dacf4"}`,
				want: sources.ProxyEntry{
					Time: time.UnixMilli(1795245191428), Client: "127.0.0.1", Method: "GET", Path: "/slow",
					Status: 499, BodyBytes: -1, RequestTime: -1, RequestID: "4b0aab3d5885655423249a427f3dacf4",
					UpstreamAddr: []string{"127.0.0.1:50393"}, UpstreamStatus: []string{"-"},
					UpstreamResponse:  []string{"0.302"},
					UpstreamStatusRaw: "-", Upstream: "127.0.0.1:50393",
					UpstreamContacted: sources.Yes,
				},
			},
			fields: sources.FieldUpstreamAddr | sources.FieldUpstreamStatus | sources.FieldUpstreamResponseTime | sources.FieldRequestID,
		},
		{
			entryCase: entryCase{
				name: "formats.md 1.5 [built] with other key names",
				line: `{"@timestamp":"02/Jan/2024:03:04:05 +0000","client":"10.1.2.3","request_method":"GET","request_uri":"/api?x=1","status":"502","body_bytes_sent":157,"upstream":"10.0.0.1:8080, 10.0.0.2:8080","upstream_status":"502, 502","x_request_id":"-","http_x_request_id":"4f7c","Host":"api.example.com","user_agent":"curl/8.4.0","extra":{"a":[1,2,"}"]}}`,
				want: sources.ProxyEntry{
					Time: time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC), Client: "10.1.2.3", Method: "GET", Path: "/api?x=1",
					Host: "api.example.com", UserAgent: "curl/8.4.0", Status: 502, BodyBytes: 157, RequestTime: -1,
					RequestID:    "4f7c",
					UpstreamAddr: []string{"10.0.0.1:8080", "10.0.0.2:8080"}, UpstreamStatus: []string{"502", "502"},
					UpstreamStatusRaw: "502, 502", Upstream: "10.0.0.2:8080",
					UpstreamContacted: sources.Yes,
				},
			},
			fields: sources.FieldUpstreamAddr | sources.FieldUpstreamStatus | sources.FieldRequestID,
		},
		{
			entryCase: entryCase{
				// formats.md 1.4's fields in an escape=json format
				// (ingress-nginx log-format-escape-json): nginx logs 0
				// for each failed attempt's response length.
				name: "upstream_response_length 0 on each attempt",
				line: `{"time":"2026-11-21T07:12:46+00:00","remote_addr":"127.0.0.1","request":"GET /pair/a HTTP/1.1","status":502,"upstream_addr":"127.0.0.1:34065, 127.0.0.1:38283","upstream_status":"502, 502","upstream_response_length":"0, 0","upstream_response_time":"0.000, 0.000"}`,
				want: sources.ProxyEntry{
					Time: labTime(7, 12, 46), Client: "127.0.0.1", Method: "GET", Path: "/pair/a", Proto: "HTTP/1.1",
					Status: 502, BodyBytes: -1, RequestTime: -1,
					UpstreamAddr: []string{"127.0.0.1:34065", "127.0.0.1:38283"}, UpstreamStatus: []string{"502", "502"},
					UpstreamResponse:  []string{"0.000", "0.000"},
					UpstreamStatusRaw: "502, 502", Upstream: "127.0.0.1:38283",
					UpstreamContacted: sources.Yes, UpstreamBodyless: sources.Yes,
				},
			},
			fields: sources.FieldUpstreamAddr | sources.FieldUpstreamStatus | sources.FieldUpstreamResponseTime,
		},
		{
			entryCase: entryCase{
				name: "uri and args, epoch milliseconds, ingress upstream name",
				line: `{"msec":1704164645123,"remote_addr":"10.0.0.9","method":"GET","uri":"/","args":"a=1","status":503,"upstream_addr":"","upstream_status":"","proxy_upstream_name":"default-web-80"}`,
				want: sources.ProxyEntry{
					Time: time.UnixMilli(1704164645123), Client: "10.0.0.9", Method: "GET", Path: "/?a=1",
					Status: 503, BodyBytes: -1, RequestTime: -1, Upstream: "default-web-80",
					UpstreamContacted: sources.No, Reason: sources.ReasonNoLiveUpstreams,
					Detail: "service default-web-80 has no active endpoints (every upstream field is -)",
				},
			},
			fields: sources.FieldUpstreamAddr | sources.FieldUpstreamStatus,
		},
	})
}

type fieldsCase struct {
	entryCase
	fields sources.FieldSet
}

func checkEntriesPerLine(t *testing.T, p sources.Parser, cases []fieldsCase) {
	t.Helper()
	for _, tc := range cases {
		checkEntries(t, p, tc.fields, []entryCase{tc.entryCase})
	}
}

func TestJSONErrors(t *testing.T) {
	p := newFormatParser(t, "nginx-json", sources.ParserOptions{})
	for _, line := range []string{
		``,
		`not json`,
		`{"status":502`,
		`{"status":502,"request":"GET / HTTP/1.1"} trailing`,
		`{"status":"502,"request":"x"}`,
		`{"request":"GET / HTTP/1.1"}`, // no status
		`{"status":502,"a":{"b":[1,2}`,
		`[1,2,3]`,
		`{"status":50"2}`,
	} {
		r, err := p.Parse(line)
		if err == nil || r != nil {
			t.Errorf("Parse(%q) = %v, %v; want an error", line, r, err)
			continue
		}
		if !errors.Is(err, sources.ErrNoMatch) {
			t.Errorf("Parse(%q) error %v does not wrap ErrNoMatch", line, err)
		}
	}
}

func TestJSONWithLogFormat(t *testing.T) {
	// A LogFormat switches nginx-json to the compiled parser, escape=json by default.
	p := newFormatParser(t, "nginx-json", sources.ParserOptions{LogFormat: jsonCombinedFormat})
	if _, ok := p.(*AccessParser); !ok {
		t.Fatalf("New with LogFormat = %T, want *AccessParser", p)
	}
	for _, line := range testdataLines(t, "json.log") {
		if _, err := p.Parse(line); err != nil {
			t.Errorf("Parse(%.60q): %v", line, err)
		}
	}
}

func TestJSONAllLabLines(t *testing.T) {
	p := newFormatParser(t, "nginx-json", sources.ParserOptions{})
	compiled := mustCompileT(t, jsonCombinedFormat, "json")
	for _, line := range testdataLines(t, "json.log") {
		r, err := p.Parse(line)
		if err != nil {
			t.Fatalf("Parse(%.60q): %v", line, err)
		}
		// Key mapping and the compiled format agree on every field.
		c, err := compiled.Parse(line)
		if err != nil {
			t.Fatalf("compiled Parse(%.60q): %v", line, err)
		}
		got, want := *r.(*sources.ProxyEntry), *c.(*sources.ProxyEntry)
		if d := cmp.Diff(want, got); d != "" {
			t.Errorf("key mapping and compiled format differ on %.60q:\n%s", line, d)
		}
	}
	for _, line := range testdataLines(t, "json_unquoted.log") {
		if _, err := p.Parse(line); err != nil {
			t.Errorf("Parse(%.60q): %v", line, err)
		}
	}
}

func FuzzJSON(f *testing.F) {
	for _, name := range []string{"json.log", "json_unquoted.log"} {
		for _, line := range testdataLines(f, name) {
			f.Add(line)
		}
	}
	f.Add(`{"status":502,"a":{"b":[1,"]}",{}]},"request":"GET / HTTP/1.1"}`)
	p := newFormatParser(f, "nginx-json", sources.ParserOptions{})
	f.Fuzz(func(t *testing.T, line string) {
		checkParseProperties(t, p, line)
		detectJSON(line)
	})
}

func BenchmarkJSONKeys(b *testing.B) {
	benchmarkParser(b, newFormatParser(b, "nginx-json", sources.ParserOptions{}), testdataLines(b, "json.log"))
}
