package nginx

import (
	"reflect"
	"strings"
	"testing"
	"time"

	"fivexx/sources"
)

func newFormatParser(t testing.TB, name string, opts sources.ParserOptions) sources.Parser {
	t.Helper()
	f, ok := sources.LookupFormat(name)
	if !ok {
		t.Fatalf("format %q is not registered", name)
	}
	p, err := f.New(opts)
	if err != nil {
		t.Fatalf("%s: New: %v", name, err)
	}
	return p
}

func TestCombined(t *testing.T) {
	p := newFormatParser(t, "nginx-combined", sources.ParserOptions{})
	checkEntries(t, p, 0, []entryCase{
		{
			name: "combined",
			line: `127.0.0.1 - - [21/Nov/2026:07:12:46 +0000] "GET /pair/b HTTP/1.1" 502 157 "-" "curl/7.88.1"`,
			want: sources.ProxyEntry{Time: labTime(7, 12, 46), Client: "127.0.0.1", Method: "GET", Path: "/pair/b",
				Proto: "HTTP/1.1", UserAgent: "curl/7.88.1", Status: 502, BodyBytes: 157, RequestTime: -1},
		},
		{
			name: "main: combined + X-Forwarded-For",
			line: `127.0.0.1 - - [21/Nov/2026:07:12:45 +0000] "GET /ok?x=1&y=2 HTTP/1.1" 200 3 "-" "curl/7.88.1" "203.0.113.7"`,
			want: sources.ProxyEntry{Time: labTime(7, 12, 45), Client: "127.0.0.1", Method: "GET", Path: "/ok?x=1&y=2",
				Proto: "HTTP/1.1", UserAgent: "curl/7.88.1", Status: 200, BodyBytes: 3, RequestTime: -1},
		},
		{
			name: "main without the header",
			line: `127.0.0.1 - - [21/Nov/2026:07:13:09 +0000] "GET /limited HTTP/1.1" 503 197 "-" "curl/7.88.1" "-"`,
			want: sources.ProxyEntry{Time: labTime(7, 13, 9), Client: "127.0.0.1", Method: "GET", Path: "/limited",
				Proto: "HTTP/1.1", UserAgent: "curl/7.88.1", Status: 503, BodyBytes: 197, RequestTime: -1},
		},
		{
			name: "formats.md 1.2 [real]",
			line: `172.21.0.1 - - [07/May/2020:03:15:12 +0000] "GET / HTTP/1.1" 502 157 "-" "Mozilla/5.0 (X11; Fedora; Linux x86_64; rv:60.0) Gecko/20100101 Firefox/60.0"`,
			want: sources.ProxyEntry{Time: time.Date(2020, 5, 7, 3, 15, 12, 0, time.UTC), Client: "172.21.0.1", Method: "GET",
				Path: "/", Proto: "HTTP/1.1", UserAgent: "Mozilla/5.0 (X11; Fedora; Linux x86_64; rv:60.0) Gecko/20100101 Firefox/60.0",
				Status: 502, BodyBytes: 157, RequestTime: -1},
		},
		{
			name: "garbage request line",
			line: `127.0.0.1 - - [21/Nov/2026:07:12:47 +0000] "\x16\x03\x01\x02\x00\x01\x00\x01\xFC\x03\x03A\xE7\x1C\xA9\xE2\xDBMZ\xC1aeyo_\xFA\x1C\xC0v\xD9\xE2f\x89\xDE\xDB\x13i\xDCC\xCEw(\xDC \xB24\x07 ]\xFC3!7W\xB1\xDBU\x19mJ\xC1/\x5C\xEC\xC4\xFB\x1C\xCB\x9C\xB8\x12\xEE\x95\x14pH\x00>\x13\x02\x13\x03\x13\x01\xC0,\xC00\x00\x9F\xCC\xA9\xCC\xA8\xCC\xAA\xC0+\xC0/\x00\x9E\xC0$\xC0(\x00k\xC0#\xC0'\x00g\xC0" 400 157 "-" "-"`,
			want: sources.ProxyEntry{Time: labTime(7, 12, 47), Client: "127.0.0.1", Status: 400, BodyBytes: 157, RequestTime: -1},
		},
	})
}

func TestUpstreamKeyValues(t *testing.T) {
	p := newFormatParser(t, "nginx-upstream", sources.ParserOptions{})
	checkEntries(t, p, allUpstreamFields, []entryCase{
		{
			name: "lab line",
			line: `127.0.0.1 - - [21/Nov/2026:07:13:09 +0000] "GET /stuck/x HTTP/1.1" 504 167 "-" "curl/7.88.1" rt=1.001 uct="-" uht="-" urt="1.002" ua="127.0.0.1:35051" us="504" rid=a2cf4439bb88f2d8ff24382c33260150 cid=7`,
			want: sources.ProxyEntry{
				Time: labTime(7, 13, 9), Client: "127.0.0.1", Method: "GET", Path: "/stuck/x", Proto: "HTTP/1.1",
				UserAgent: "curl/7.88.1", Status: 504, BodyBytes: 167, RequestTime: 1.001,
				RequestID: "a2cf4439bb88f2d8ff24382c33260150", Conn: "7",
				UpstreamAddr: []string{"127.0.0.1:35051"}, UpstreamStatus: []string{"504"},
				UpstreamConnect: []string{"-"}, UpstreamHeader: []string{"-"}, UpstreamResponse: []string{"1.002"},
				UpstreamStatusRaw: "504", Upstream: "127.0.0.1:35051",
				UpstreamContacted: sources.Yes, UpstreamAnswered: sources.No,
			},
		},
		{
			name: "formats.md 1.3 [built]: group name",
			line: `10.1.2.3 - - [02/Jan/2024:03:04:06 +0000] "GET /api HTTP/1.1" 502 157 "-" "curl/8.4.0" rt=0.000 uct="-" uht="-" urt="0.000" ua="backend" us="502" rid=9b0c cid=813`,
			want: sources.ProxyEntry{
				Time: time.Date(2024, 1, 2, 3, 4, 6, 0, time.UTC), Client: "10.1.2.3", Method: "GET", Path: "/api",
				Proto: "HTTP/1.1", UserAgent: "curl/8.4.0", Status: 502, BodyBytes: 157, RequestTime: 0,
				RequestID: "9b0c", Conn: "813",
				UpstreamAddr: []string{"backend"}, UpstreamStatus: []string{"502"},
				UpstreamConnect: []string{"-"}, UpstreamHeader: []string{"-"}, UpstreamResponse: []string{"0.000"},
				UpstreamStatusRaw: "502", Upstream: "backend",
				UpstreamContacted: sources.No, UpstreamAnswered: sources.No,
				Reason: sources.ReasonNoLiveUpstreams, Detail: "upstream_addr is the group name backend",
			},
		},
		{
			name: "main + long key names in another order, unknown keys skipped",
			line: `10.1.2.3 - - [02/Jan/2024:03:05:09 +0000] "GET /api HTTP/1.1" 503 52 "-" "curl/8.4.0" "203.0.113.7" upstream_status=503 host=example.com upstream_addr=10.0.0.1:8080 request_time=0.012 upstream_header_time=0.011 upstream_connect_time=0.000 upstream_response_time=0.012 req_id=abc connection=815 gzip=-`,
			want: sources.ProxyEntry{
				Time: time.Date(2024, 1, 2, 3, 5, 9, 0, time.UTC), Client: "10.1.2.3", Method: "GET", Path: "/api",
				Proto: "HTTP/1.1", UserAgent: "curl/8.4.0", Status: 503, BodyBytes: 52, RequestTime: 0.012,
				RequestID: "abc", Conn: "815",
				UpstreamAddr: []string{"10.0.0.1:8080"}, UpstreamStatus: []string{"503"},
				UpstreamConnect: []string{"0.000"}, UpstreamHeader: []string{"0.011"}, UpstreamResponse: []string{"0.012"},
				UpstreamStatusRaw: "503", Upstream: "10.0.0.1:8080",
				UpstreamContacted: sources.Yes, UpstreamAnswered: sources.Yes,
			},
		},
	})

	t.Run("fields follow the keys present", func(t *testing.T) {
		line := `10.1.2.3 - - [02/Jan/2024:03:05:09 +0000] "GET /api HTTP/1.1" 502 52 "-" "curl/8.4.0" us="502" ua="10.0.0.1:8080"`
		r, err := p.Parse(line)
		if err != nil {
			t.Fatal(err)
		}
		e := r.(*sources.ProxyEntry)
		if want := sources.FieldUpstreamAddr | sources.FieldUpstreamStatus; e.Fields != want {
			t.Errorf("Fields = %b, want %b", e.Fields, want)
		}
		if e.UpstreamAnswered != sources.Unknown || e.UpstreamContacted != sources.Yes {
			t.Errorf("answered %v contacted %v, want unknown (502 may be nginx's own) and yes", e.UpstreamAnswered, e.UpstreamContacted)
		}
	})

	t.Run("parser fields are those seen so far", func(t *testing.T) {
		p := newFormatParser(t, "nginx-upstream", sources.ParserOptions{}).(*UpstreamParser)
		if p.Fields() != 0 {
			t.Fatalf("Fields before any line = %b", p.Fields())
		}
		for _, line := range testdataLines(t, "upstream.log") {
			if _, err := p.Parse(line); err != nil {
				t.Fatal(err)
			}
		}
		if p.Fields() != allUpstreamFields {
			t.Errorf("Fields = %b, want %b", p.Fields(), allUpstreamFields)
		}
	})
}

// TestUpstreamLineCutShort: a line cut inside its key=value tail (half a
// line, then a newline) before the upstream's address and status is no
// entry: it read as a 502 on upstream "-" with the hint to add upstream
// fields to the log, which its format has (QA s35 L2, "… \"ua/1\" rt").
// nginx writes no key without its '=' and no quoted value without its
// closing quote, so the cut is told by the line alone, with a template
// learned from the lines before or without. A line cut after the
// address and status keeps them; a bare token after the pairs is read as
// before.
func TestUpstreamLineCutShort(t *testing.T) {
	const head = `127.0.0.1 - - [21/Nov/2026:07:40:09 +0000] "GET /half HTTP/1.1" 502 3 "-" "ua/1"`
	const full = head + ` rt=0.001 uct="0.000" uht="0.000" urt="0.001" ua="127.0.0.1:9000" us="502" rid=r9 cid=2`
	for _, tc := range []struct {
		name     string
		line     string
		upstream string // "" with cut
		cut      bool
	}{
		{"cut in the first key", head + ` rt`, "", true},
		{"cut in a later key", head + ` rt=0.001 uct="0.000" uh`, "", true},
		{"cut in a quoted time", head + ` rt=0.001 uct="0.0`, "", true},
		{"cut in the address", head + ` rt=0.001 uct="0.000" uht="0.000" urt="0.001" ua="127.0.0.1:90`, "", true},
		{"cut after the status", head + ` rt=0.001 uct="0.000" uht="0.000" urt="0.001" ua="127.0.0.1:9000" us="502" ri`, "127.0.0.1:9000", false},
		{"whole", full, "127.0.0.1:9000", false},
		{"a bare token after the pairs", full + ` -`, "127.0.0.1:9000", false},
	} {
		for _, primed := range []bool{false, true} {
			name := tc.name
			if primed {
				name += ", after a whole line"
			}
			t.Run(name, func(t *testing.T) {
				p := newFormatParser(t, "nginx-upstream", sources.ParserOptions{})
				if primed {
					if _, err := p.Parse(full); err != nil {
						t.Fatal(err)
					}
				}
				r, err := p.Parse(tc.line)
				if tc.cut {
					if err == nil {
						t.Errorf("parsed: %+v; want unparsed", r)
					}
					return
				}
				if err != nil {
					t.Fatal(err)
				}
				if e := r.(*sources.ProxyEntry); e.Upstream != tc.upstream {
					t.Errorf("upstream %q, want %q", e.Upstream, tc.upstream)
				}
			})
		}
	}
}

func TestIngress(t *testing.T) {
	p := newFormatParser(t, "ingress-nginx", sources.ParserOptions{})
	const fields = sources.FieldUpstreamAddr | sources.FieldUpstreamStatus | sources.FieldUpstreamResponseTime |
		sources.FieldRequestTime | sources.FieldRequestID
	checkEntries(t, p, fields, []entryCase{
		{
			name: "formats.md 1.4 [real]: three connect timeouts",
			line: `108.162.227.25 - - [08/Mar/2023:16:02:45 +0000] "GET / HTTP/1.1" 504 562 "-" "Mozilla/5.0 (X11; Linux x86_64) …" 1100 14.998 [pc-dev-example-web-service-80] [] 192.168.215.1:80, 192.168.215.1:80, 192.168.215.1:80 0, 0, 0 5.000, 5.000, 5.000 504, 504, 504 a7c98d98ac870f64981a997cd2f373a1`,
			want: sources.ProxyEntry{
				Time: time.Date(2023, 3, 8, 16, 2, 45, 0, time.UTC), Client: "108.162.227.25", Method: "GET", Path: "/",
				Proto: "HTTP/1.1", UserAgent: "Mozilla/5.0 (X11; Linux x86_64) …", Status: 504, BodyBytes: 562,
				RequestTime: 14.998, RequestID: "a7c98d98ac870f64981a997cd2f373a1",
				UpstreamAddr:      []string{"192.168.215.1:80", "192.168.215.1:80", "192.168.215.1:80"},
				UpstreamStatus:    []string{"504", "504", "504"},
				UpstreamResponse:  []string{"5.000", "5.000", "5.000"},
				UpstreamStatusRaw: "504, 504, 504", Upstream: "192.168.215.1:80",
				UpstreamContacted: sources.Yes, UpstreamBodyless: sources.Yes,
			},
		},
		{
			// formats.md 1.4: "0, 0, 0" is what nginx logs for its own
			// failed attempts; the 502s are not the pod's.
			name: "formats.md 1.4 [real]: three failed attempts",
			line: `10.0.0.9 - - [08/Mar/2023:16:02:45 +0000] "GET some/end/point HTTP/1.1" 502 157 "-" "PostmanRuntime/7.26.3" 1570 1.248 [default-my-service-80] [] 10.244.2.36:80, 10.244.2.36:80, 10.244.2.36:80 0, 0, 0 1.244, 0.004, 0.000 502, 502, 502 cc30e5d47f23e3a117181ff94479bc6f`,
			want: sources.ProxyEntry{
				Time: time.Date(2023, 3, 8, 16, 2, 45, 0, time.UTC), Client: "10.0.0.9", Method: "GET", Path: "some/end/point",
				Proto: "HTTP/1.1", UserAgent: "PostmanRuntime/7.26.3", Status: 502, BodyBytes: 157,
				RequestTime: 1.248, RequestID: "cc30e5d47f23e3a117181ff94479bc6f",
				UpstreamAddr:      []string{"10.244.2.36:80", "10.244.2.36:80", "10.244.2.36:80"},
				UpstreamStatus:    []string{"502", "502", "502"},
				UpstreamResponse:  []string{"1.244", "0.004", "0.000"},
				UpstreamStatusRaw: "502, 502, 502", Upstream: "10.244.2.36:80",
				UpstreamContacted: sources.Yes, UpstreamBodyless: sources.Yes,
			},
		},
		{
			name: "service without endpoints (lab: return 503 under the service name)",
			line: `127.0.0.1 - - [21/Nov/2026:07:12:47 +0000] "GET /noep HTTP/1.1" 503 197 "-" "curl/7.88.1" 113 0.000 [default-noep-80] [] - - - - 0dab7251f4e90079c92f7dd8fdcad3e9`,
			want: sources.ProxyEntry{
				Time: labTime(7, 12, 47), Client: "127.0.0.1", Method: "GET", Path: "/noep", Proto: "HTTP/1.1",
				UserAgent: "curl/7.88.1", Status: 503, BodyBytes: 197, RequestTime: 0,
				RequestID:    "0dab7251f4e90079c92f7dd8fdcad3e9",
				UpstreamAddr: []string{"-"}, UpstreamStatus: []string{"-"}, UpstreamResponse: []string{"-"},
				UpstreamStatusRaw: "-", Upstream: "default-noep-80",
				UpstreamContacted: sources.No,
				Reason:            sources.ReasonNoLiveUpstreams,
				Detail:            "service default-noep-80 has no active endpoints (every upstream field is -)",
			},
		},
		{
			name: "retries across an internal redirect",
			line: `127.0.0.1 - - [21/Nov/2026:07:12:47 +0000] "GET /redir/x HTTP/1.1" 200 3 "-" "curl/7.88.1" 116 0.000 [default-web-80] [] 127.0.0.1:34065 : 127.0.0.1:50393 0 : 3 0.000 : 0.001 502 : 200 63799591287dfd6a09f0af66f49bdf89`,
			want: sources.ProxyEntry{
				Time: labTime(7, 12, 47), Client: "127.0.0.1", Method: "GET", Path: "/redir/x", Proto: "HTTP/1.1",
				UserAgent: "curl/7.88.1", Status: 200, BodyBytes: 3, RequestTime: 0,
				RequestID:      "63799591287dfd6a09f0af66f49bdf89",
				UpstreamAddr:   []string{"127.0.0.1:34065", "127.0.0.1:50393"},
				UpstreamStatus: []string{"502", "200"}, UpstreamResponse: []string{"0.000", "0.001"},
				UpstreamStatusRaw: "502 : 200", Upstream: "127.0.0.1:50393",
				UpstreamContacted: sources.Yes, UpstreamAnswered: sources.Yes, UpstreamBodyless: sources.No,
			},
		},
		{
			name: "app 503: answered",
			line: `127.0.0.1 - - [21/Nov/2026:07:12:45 +0000] "GET /503 HTTP/1.1" 503 5 "-" "curl/7.88.1" 112 0.000 [default-web-80] [] 127.0.0.1:50393 5 0.000 503 1d9f679c38fe3c1f826724bffcff4908`,
			want: sources.ProxyEntry{
				Time: labTime(7, 12, 45), Client: "127.0.0.1", Method: "GET", Path: "/503", Proto: "HTTP/1.1",
				UserAgent: "curl/7.88.1", Status: 503, BodyBytes: 5, RequestTime: 0,
				RequestID:    "1d9f679c38fe3c1f826724bffcff4908",
				UpstreamAddr: []string{"127.0.0.1:50393"}, UpstreamStatus: []string{"503"}, UpstreamResponse: []string{"0.000"},
				UpstreamStatusRaw: "503", Upstream: "127.0.0.1:50393",
				UpstreamContacted: sources.Yes, UpstreamAnswered: sources.Yes, UpstreamBodyless: sources.No,
			},
		},
		{
			name: "bad request: empty upstream name and request id",
			line: `127.0.0.1 - - [21/Nov/2026:07:12:52 +0000] "GET /a b c" 400 157 "-" "-" 0 0.000 [] [] - - - - `,
			want: sources.ProxyEntry{
				Time: labTime(7, 12, 52), Client: "127.0.0.1", Method: "GET", Path: "/a b c", Status: 400, BodyBytes: 157,
				RequestTime:  0,
				UpstreamAddr: []string{"-"}, UpstreamStatus: []string{"-"}, UpstreamResponse: []string{"-"},
				UpstreamStatusRaw: "-", UpstreamContacted: sources.No,
			},
		},
	})
}

func TestUserFormat(t *testing.T) {
	f, _ := sources.LookupFormat("nginx")
	for _, tc := range []struct {
		name string
		opts sources.ParserOptions
		want string
	}{
		{"no format", sources.ParserOptions{}, "no log_format given"},
		{"bad escape", sources.ParserOptions{LogFormat: "$status", Escape: "yaml"}, `unknown escape mode "yaml"`},
		{"bad format", sources.ParserOptions{LogFormat: "$request$status"}, "cannot tell where $request ends"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p, err := f.New(tc.opts)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("New = %v, %v; want error containing %q", p, err, tc.want)
			}
		})
	}

	t.Run("escape=none format from the lab config", func(t *testing.T) {
		p := newFormatParser(t, "nginx", sources.ParserOptions{LogFormat: rawNoneFormat, Escape: "none"})
		for _, line := range testdataLines(t, "none.log") {
			if _, err := p.Parse(line); err != nil {
				t.Errorf("Parse(%q): %v", line, err)
			}
		}
	})
}

// bestFormat returns the registered format that scores highest on line
// (ties broken by Priority), or "" when every format says 0.
func bestFormat(line string) (name string, score int) {
	prio := 0
	for _, f := range sources.Formats() {
		s := f.Detect(line)
		if s > score || (s == score && s > 0 && f.Priority > prio) {
			name, score, prio = f.Name, s, f.Priority
		}
	}
	return name, score
}

// TestDetect checks that every real line is claimed by its own format and
// that lines of other programs are claimed by none of this package's.
func TestDetect(t *testing.T) {
	for file, want := range map[string]string{
		"combined.log":      "nginx-combined",
		"main.log":          "nginx-combined",
		"upstream.log":      "nginx-upstream",
		"ingress.log":       "ingress-nginx",
		"json.log":          "nginx-json",
		"json_unquoted.log": "nginx-json",
		"error.log":         "nginx-error",
		"none.log":          "",
	} {
		t.Run(file, func(t *testing.T) {
			for _, line := range testdataLines(t, file) {
				if got, score := bestFormat(line); got != want {
					t.Errorf("best format for %.70q = %q (score %d), want %q", line, got, score, want)
				}
			}
		})
	}

	foreign := []string{
		// HAProxy, Envoy, Caddy, Traefik, app logs (formats.md §3.3, §4.5, §6.3, §7.3, §9.3).
		`Feb  6 12:14:14 localhost haproxy[14389]: 10.0.1.2:33317 [06/Feb/2009:12:14:14.655] http-in static/srv1 10/0/30/69/109 200 2750 - - ---- 1/1/1/1/0 0/0 {1wt.eu} {} "GET /index.html HTTP/1.1"`,
		`[2024-07-20T07:09:48.470Z] "GET /upstream-connection-failure HTTP/1.1" 503 UF upstream_reset_before_response_started{connection_failure,delayed_connect_error:_111} 0 145 0 - "-" "curl/8.4.0" "44898dba-8d8e-48f4-93f7-23e4b4c592c0" "localhost:8000" "172.28.0.2:801"`,
		`{"level":"error","ts":1754633393.4583,"logger":"http.log.access","msg":"handled request","request":{"remote_ip":"203.0.113.7","remote_port":"52069","client_ip":"203.0.113.7","proto":"HTTP/1.1","method":"GET","host":"api.example.com","uri":"/api//info","headers":{}},"bytes_read":0,"user_id":"","duration":0.000702,"size":0,"status":502,"resp_headers":{"Server":["Caddy"]}}`,
		`{"ClientHost":"10.0.0.9","DownstreamContentSize":11,"DownstreamStatus":502,"Duration":1834000,"OriginContentSize":11,"OriginDuration":1702000,"OriginStatus":502,"RequestMethod":"GET","RequestPath":"/api","RetryAttempts":0,"RouterName":"api@docker","ServiceName":"api@docker","ServiceURL":"http://172.18.0.5:8080","StartUTC":"2024-01-02T03:04:05.120000000Z","level":"info","msg":"","time":"2024-01-02T03:04:05Z"}`,
		`192.168.1.10 - - [02/Jan/2024:03:04:05 +0000] "GET /api HTTP/1.1" 502 11 "-" "curl/8.4.0" 42 "api@docker" "http://172.18.0.5:8080" 3ms`,
		`{"level":"error","ts":1704164645.1234,"caller":"api/orders.go:88","msg":"db query failed","request_id":"4f7c2c8d1e0b6a9f3c2d1e0f9a8b7c6d","error":"context deadline exceeded"}`,
		`{"time":"2024-01-02T03:04:05Z","level":"INFO","msg":"request","method":"GET","path":"/api","status":502,"duration_ms":3,"request_id":"abc"}`,
		`{"time":"2024-01-02T03:04:05Z","method":"GET","path":"/api","status":502,"duration_ms":3}`,
		`2020-04-05T10:00:00+00:00 heroku[router]: at=error code=H13 desc="Connection closed without response" method=POST path="/x" host=app request_id=xxx fwd="xxx" dyno=web.1 connect=0ms service=0ms status=503 bytes=561 protocol=http`,
		`W0102 03:04:05.123456       7 controller.go:1109] Service "default/web" does not have any active Endpoint.`,
		`2024-01-02 03:04:05,678 ERROR [req-4f7c2c8d] orders: upstream payment service returned 503`,
	}
	for _, line := range foreign {
		for _, f := range sources.Formats() {
			if !strings.HasPrefix(f.Name, "nginx") && f.Name != "ingress-nginx" {
				continue
			}
			if s := f.Detect(line); s != 0 {
				t.Errorf("%s.Detect(%.70q) = %d, want 0", f.Name, line, s)
			}
		}
	}
}

func FuzzAccessFormats(f *testing.F) {
	// error.log: ingress-nginx reads nginx's error lines in its stream too;
	// controller.log: and its controller's klog lines.
	for _, name := range []string{"combined.log", "main.log", "upstream.log", "ingress.log", "error.log", "controller.log"} {
		for _, line := range testdataLines(f, name) {
			f.Add(line)
		}
	}
	var parsers []sources.Parser
	var slotParsers []sources.SlotParser // the same formats, parsing into one slot
	for _, name := range []string{"nginx-combined", "nginx-upstream", "ingress-nginx"} {
		parsers = append(parsers, newFormatParser(f, name, sources.ParserOptions{}))
		slotParsers = append(slotParsers, newFormatParser(f, name, sources.ParserOptions{}).(sources.SlotParser))
	}
	slot := new(sources.ProxySlot)
	f.Fuzz(func(t *testing.T, line string) {
		for i, p := range parsers {
			checkParseProperties(t, p, line)
			// ParseSlot into a slot that every input overwrites, its entry
			// dirty (dirtyEntry), gives what Parse gives.
			dirtyEntry(t, &slot.Entry)
			got, err := slotParsers[i].ParseSlot(slot.SetText([]byte(line)), slot)
			want, werr := p.Parse(line)
			if (err == nil) != (werr == nil) {
				t.Fatalf("ParseSlot error %v, Parse error %v", err, werr)
			}
			if err == nil && !reflect.DeepEqual(got, want) {
				t.Fatalf("ParseSlot\n%+v\nParse\n%+v", got, want)
			}
		}
		bestFormat(line) // detection must not panic either
	})
}

func BenchmarkUpstreamKeyValues(b *testing.B) {
	benchmarkParser(b, newFormatParser(b, "nginx-upstream", sources.ParserOptions{}), testdataLines(b, "upstream.log"))
}

func BenchmarkCombined(b *testing.B) {
	benchmarkParser(b, newFormatParser(b, "nginx-combined", sources.ParserOptions{}), testdataLines(b, "main.log"))
}
