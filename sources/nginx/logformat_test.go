package nginx

import (
	"bufio"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"fivexx/sources"
)

// The formats of testdata/lab/nginx.conf, which wrote the logs in testdata/.
const (
	upstreamInfoFormat = `$remote_addr - $remote_user [$time_local] "$request" $status $body_bytes_sent ` +
		`"$http_referer" "$http_user_agent" rt=$request_time uct="$upstream_connect_time" ` +
		`uht="$upstream_header_time" urt="$upstream_response_time" ua="$upstream_addr" ` +
		`us="$upstream_status" rid=$request_id cid=$connection`
	jsonCombinedFormat = `{"time":"$time_iso8601","remote_addr":"$remote_addr","request":"$request",` +
		`"status":$status,"request_time":$request_time,"upstream_addr":"$upstream_addr",` +
		`"upstream_status":"$upstream_status","upstream_connect_time":"$upstream_connect_time","upstream_header_time":"$upstream_header_time","upstream_response_time":"$upstream_response_time","request_id":"$request_id","connection":$connection,"http_user_agent":"$http_user_agent"}`
	rawNoneFormat = `$msec|$remote_addr|$request_method|$request_uri|$status|$bytes_sent|$upstream_addr|$upstream_status|$upstream_header_time|$http_user_agent`
)

const allUpstreamFields = sources.FieldUpstreamAddr | sources.FieldUpstreamStatus | sources.FieldUpstreamConnectTime |
	sources.FieldUpstreamHeaderTime | sources.FieldUpstreamResponseTime | sources.FieldRequestTime |
	sources.FieldRequestID | sources.FieldConn

// labTime is a second of the lab run, in UTC as $time_local logged it (+0000).
func labTime(h, m, s int) time.Time { return time.Date(2026, 11, 21, h, m, s, 0, time.UTC) }

// testdataLines returns the lines of testdata/NAME.
func testdataLines(t testing.TB, name string) []string {
	t.Helper()
	f, err := os.Open("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var lines []string
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 64*1024), 1<<20)
	for sc.Scan() {
		lines = append(lines, sc.Text())
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return lines
}

func mustCompileT(t testing.TB, format, escape string) *AccessParser {
	t.Helper()
	p, err := Compile(format, escape)
	if err != nil {
		t.Fatalf("Compile(%q, %q): %v", format, escape, err)
	}
	return p
}

type entryCase struct {
	name string
	line string
	want sources.ProxyEntry
}

// checkEntries parses each case and compares the whole entry; Raw and
// Fields are filled in from the line and the format.
func checkEntries(t *testing.T, p sources.Parser, fields sources.FieldSet, cases []entryCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r, err := p.Parse(tc.line)
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			got, ok := r.(*sources.ProxyEntry)
			if !ok {
				t.Fatalf("Parse returned %T, want *sources.ProxyEntry", r)
			}
			want := tc.want
			want.Raw, want.Fields = tc.line, fields
			if diff := cmp.Diff(&want, got); diff != "" {
				t.Errorf("entry mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestCompiledUpstreamInfo(t *testing.T) {
	p := mustCompileT(t, upstreamInfoFormat, "default")
	checkEntries(t, p, allUpstreamFields, []entryCase{
		{
			name: "200 with query kept",
			line: `127.0.0.1 - - [21/Nov/2026:07:12:45 +0000] "GET /ok?x=1&y=2 HTTP/1.1" 200 3 "-" "curl/7.88.1" rt=0.000 uct="0.000" uht="0.000" urt="0.000" ua="127.0.0.1:50393" us="200" rid=754f8dafa555a476561e9f9c2ebdd52d cid=3`,
			want: sources.ProxyEntry{
				Time: labTime(7, 12, 45), Client: "127.0.0.1", Method: "GET", Path: "/ok?x=1&y=2", Proto: "HTTP/1.1",
				UserAgent: "curl/7.88.1", Status: 200, BodyBytes: 3, RequestTime: 0,
				RequestID: "754f8dafa555a476561e9f9c2ebdd52d", Conn: "3",
				UpstreamAddr: []string{"127.0.0.1:50393"}, UpstreamStatus: []string{"200"},
				UpstreamConnect: []string{"0.000"}, UpstreamHeader: []string{"0.000"}, UpstreamResponse: []string{"0.000"},
				UpstreamStatusRaw: "200", Upstream: "127.0.0.1:50393",
				UpstreamContacted: sources.Yes, UpstreamAnswered: sources.Yes,
			},
		},
		{
			name: "504 read timeout: header never came",
			line: `127.0.0.1 - - [21/Nov/2026:07:12:46 +0000] "GET /slow HTTP/1.1" 504 167 "-" "curl/7.88.1" rt=1.001 uct="0.000" uht="-" urt="1.001" ua="127.0.0.1:50393" us="504" rid=ee08b34f2809f29a8580ec9a6a0517e6 cid=9`,
			want: sources.ProxyEntry{
				Time: labTime(7, 12, 46), Client: "127.0.0.1", Method: "GET", Path: "/slow", Proto: "HTTP/1.1",
				UserAgent: "curl/7.88.1", Status: 504, BodyBytes: 167, RequestTime: 1.001,
				RequestID: "ee08b34f2809f29a8580ec9a6a0517e6", Conn: "9",
				UpstreamAddr: []string{"127.0.0.1:50393"}, UpstreamStatus: []string{"504"},
				UpstreamConnect: []string{"0.000"}, UpstreamHeader: []string{"-"}, UpstreamResponse: []string{"1.001"},
				UpstreamStatusRaw: "504", Upstream: "127.0.0.1:50393",
				UpstreamContacted: sources.Yes, UpstreamAnswered: sources.No,
			},
		},
		{
			name: "two refused attempts",
			line: `127.0.0.1 - - [21/Nov/2026:07:12:46 +0000] "GET /pair/a HTTP/1.1" 502 157 "-" "curl/7.88.1" rt=0.000 uct="-, -" uht="-, -" urt="0.000, 0.000" ua="127.0.0.1:34065, 127.0.0.1:38283" us="502, 502" rid=dd9453b12aac96592d83a471f6578d14 cid=21`,
			want: sources.ProxyEntry{
				Time: labTime(7, 12, 46), Client: "127.0.0.1", Method: "GET", Path: "/pair/a", Proto: "HTTP/1.1",
				UserAgent: "curl/7.88.1", Status: 502, BodyBytes: 157, RequestTime: 0,
				RequestID: "dd9453b12aac96592d83a471f6578d14", Conn: "21",
				UpstreamAddr: []string{"127.0.0.1:34065", "127.0.0.1:38283"}, UpstreamStatus: []string{"502", "502"},
				UpstreamConnect: []string{"-", "-"}, UpstreamHeader: []string{"-", "-"}, UpstreamResponse: []string{"0.000", "0.000"},
				UpstreamStatusRaw: "502, 502", Upstream: "127.0.0.1:38283",
				UpstreamContacted: sources.Yes, UpstreamAnswered: sources.No,
			},
		},
		{
			name: "group name: no live upstreams",
			line: `127.0.0.1 - - [21/Nov/2026:07:12:46 +0000] "GET /pair/b HTTP/1.1" 502 157 "-" "curl/7.88.1" rt=0.000 uct="-" uht="-" urt="0.000" ua="pair" us="502" rid=903cf99c574b6ec28da6ee02a69a9870 cid=24`,
			want: sources.ProxyEntry{
				Time: labTime(7, 12, 46), Client: "127.0.0.1", Method: "GET", Path: "/pair/b", Proto: "HTTP/1.1",
				UserAgent: "curl/7.88.1", Status: 502, BodyBytes: 157, RequestTime: 0,
				RequestID: "903cf99c574b6ec28da6ee02a69a9870", Conn: "24",
				UpstreamAddr: []string{"pair"}, UpstreamStatus: []string{"502"},
				UpstreamConnect: []string{"-"}, UpstreamHeader: []string{"-"}, UpstreamResponse: []string{"0.000"},
				UpstreamStatusRaw: "502", Upstream: "pair",
				UpstreamContacted: sources.No, UpstreamAnswered: sources.No,
				Reason: sources.ReasonNoLiveUpstreams, Detail: "upstream_addr is the group name pair",
			},
		},
		{
			name: "internal redirect: groups split on ' : '",
			line: `127.0.0.1 - - [21/Nov/2026:07:12:47 +0000] "GET /redir/x HTTP/1.1" 200 3 "-" "curl/7.88.1" rt=0.000 uct="- : 0.000" uht="- : 0.001" urt="0.000 : 0.001" ua="127.0.0.1:34065 : 127.0.0.1:50393" us="502 : 200" rid=63799591287dfd6a09f0af66f49bdf89 cid=40`,
			want: sources.ProxyEntry{
				Time: labTime(7, 12, 47), Client: "127.0.0.1", Method: "GET", Path: "/redir/x", Proto: "HTTP/1.1",
				UserAgent: "curl/7.88.1", Status: 200, BodyBytes: 3, RequestTime: 0,
				RequestID: "63799591287dfd6a09f0af66f49bdf89", Conn: "40",
				UpstreamAddr: []string{"127.0.0.1:34065", "127.0.0.1:50393"}, UpstreamStatus: []string{"502", "200"},
				UpstreamConnect: []string{"-", "0.000"}, UpstreamHeader: []string{"-", "0.001"}, UpstreamResponse: []string{"0.000", "0.001"},
				UpstreamStatusRaw: "502 : 200", Upstream: "127.0.0.1:50393",
				UpstreamContacted: sources.Yes, UpstreamAnswered: sources.Yes,
			},
		},
		{
			name: "limiter 503: no upstream contacted",
			line: `127.0.0.1 - - [21/Nov/2026:07:12:46 +0000] "GET /limited HTTP/1.1" 503 197 "-" "curl/7.88.1" rt=0.000 uct="-" uht="-" urt="-" ua="-" us="-" rid=4f7abe6c6e2bd715a21f63b9e421a83e cid=33`,
			want: sources.ProxyEntry{
				Time: labTime(7, 12, 46), Client: "127.0.0.1", Method: "GET", Path: "/limited", Proto: "HTTP/1.1",
				UserAgent: "curl/7.88.1", Status: 503, BodyBytes: 197, RequestTime: 0,
				RequestID: "4f7abe6c6e2bd715a21f63b9e421a83e", Conn: "33",
				UpstreamAddr: []string{"-"}, UpstreamStatus: []string{"-"},
				UpstreamConnect: []string{"-"}, UpstreamHeader: []string{"-"}, UpstreamResponse: []string{"-"},
				UpstreamStatusRaw: "-",
				UpstreamContacted: sources.No, UpstreamAnswered: sources.No,
			},
		},
		{
			name: "unix socket peer",
			line: `127.0.0.1 - - [21/Nov/2026:07:12:47 +0000] "GET /unix/x HTTP/1.1" 502 157 "-" "curl/7.88.1" rt=0.000 uct="-" uht="-" urt="0.000" ua="unix:/tmp/nginxlab/nosuch.sock" us="502" rid=0f0f8f4e344d1c736980686f7f517a8f cid=44`,
			want: sources.ProxyEntry{
				Time: labTime(7, 12, 47), Client: "127.0.0.1", Method: "GET", Path: "/unix/x", Proto: "HTTP/1.1",
				UserAgent: "curl/7.88.1", Status: 502, BodyBytes: 157, RequestTime: 0,
				RequestID: "0f0f8f4e344d1c736980686f7f517a8f", Conn: "44",
				UpstreamAddr: []string{"unix:/tmp/nginxlab/nosuch.sock"}, UpstreamStatus: []string{"502"},
				UpstreamConnect: []string{"-"}, UpstreamHeader: []string{"-"}, UpstreamResponse: []string{"0.000"},
				UpstreamStatusRaw: "502", Upstream: "unix:/tmp/nginxlab/nosuch.sock",
				UpstreamContacted: sources.Yes, UpstreamAnswered: sources.No,
			},
		},
		{
			name: "UTF-8 and quotes in the user agent are decoded",
			line: `127.0.0.1 - - [21/Nov/2026:07:12:47 +0000] "GET /utf8 HTTP/1.1" 200 3 "-" "\xD0\x9C\xD0\xBE\xD0\xB7\xD0\xB8\xD0\xBB\xD0\xBB\xD0\xB0/5.0 \x22quoted\x22 \x5Cback" rt=0.000 uct="0.000" uht="0.000" urt="0.000" ua="127.0.0.1:50393" us="200" rid=4459a4179e25e584063be2127fe28b04 cid=46`,
			want: sources.ProxyEntry{
				Time: labTime(7, 12, 47), Client: "127.0.0.1", Method: "GET", Path: "/utf8", Proto: "HTTP/1.1",
				UserAgent: `Мозилла/5.0 "quoted" \back`, Status: 200, BodyBytes: 3, RequestTime: 0,
				RequestID: "4459a4179e25e584063be2127fe28b04", Conn: "46",
				UpstreamAddr: []string{"127.0.0.1:50393"}, UpstreamStatus: []string{"200"},
				UpstreamConnect: []string{"0.000"}, UpstreamHeader: []string{"0.000"}, UpstreamResponse: []string{"0.000"},
				UpstreamStatusRaw: "200", Upstream: "127.0.0.1:50393",
				UpstreamContacted: sources.Yes, UpstreamAnswered: sources.Yes,
			},
		},
		{
			name: "TLS bytes on a plain port: no method, no path",
			line: `127.0.0.1 - - [21/Nov/2026:07:12:47 +0000] "\x16\x03\x01\x02\x00\x01\x00\x01\xFC\x03\x03A\xE7\x1C\xA9\xE2\xDBMZ\xC1aeyo_\xFA\x1C\xC0v\xD9\xE2f\x89\xDE\xDB\x13i\xDCC\xCEw(\xDC \xB24\x07 ]\xFC3!7W\xB1\xDBU\x19mJ\xC1/\x5C\xEC\xC4\xFB\x1C\xCB\x9C\xB8\x12\xEE\x95\x14pH\x00>\x13\x02\x13\x03\x13\x01\xC0,\xC00\x00\x9F\xCC\xA9\xCC\xA8\xCC\xAA\xC0+\xC0/\x00\x9E\xC0$\xC0(\x00k\xC0#\xC0'\x00g\xC0" 400 157 "-" "-" rt=0.000 uct="-" uht="-" urt="-" ua="-" us="-" rid=52cbbdcde426f3de9ac08cb0a5dc14f5 cid=48`,
			want: sources.ProxyEntry{
				Time: labTime(7, 12, 47), Client: "127.0.0.1", Status: 400, BodyBytes: 157, RequestTime: 0,
				RequestID: "52cbbdcde426f3de9ac08cb0a5dc14f5", Conn: "48",
				UpstreamAddr: []string{"-"}, UpstreamStatus: []string{"-"},
				UpstreamConnect: []string{"-"}, UpstreamHeader: []string{"-"}, UpstreamResponse: []string{"-"},
				UpstreamStatusRaw: "-",
				UpstreamContacted: sources.No, UpstreamAnswered: sources.No,
			},
		},
		{
			name: "broken request line keeps the target",
			line: `127.0.0.1 - - [21/Nov/2026:07:12:52 +0000] "GET /a b c" 400 157 "-" "-" rt=0.000 uct="-" uht="-" urt="-" ua="-" us="-" rid=74ed8bb86d92eedc048a4a04b15a5355 cid=54`,
			want: sources.ProxyEntry{
				Time: labTime(7, 12, 52), Client: "127.0.0.1", Method: "GET", Path: "/a b c", Status: 400, BodyBytes: 157,
				RequestTime: 0, RequestID: "74ed8bb86d92eedc048a4a04b15a5355", Conn: "54",
				UpstreamAddr: []string{"-"}, UpstreamStatus: []string{"-"},
				UpstreamConnect: []string{"-"}, UpstreamHeader: []string{"-"}, UpstreamResponse: []string{"-"},
				UpstreamStatusRaw: "-",
				UpstreamContacted: sources.No, UpstreamAnswered: sources.No,
			},
		},
		{
			name: "HTTP/0.9 reply passed through as status 009",
			line: `127.0.0.1 - - [21/Nov/2026:07:12:46 +0000] "GET /garbage HTTP/1.1" 009 15 "-" "curl/7.88.1" rt=0.000 uct="0.000" uht="0.000" urt="0.000" ua="127.0.0.1:50393" us="200" rid=445c6e83e0966400294ae6e722acf74a cid=15`,
			want: sources.ProxyEntry{
				Time: labTime(7, 12, 46), Client: "127.0.0.1", Method: "GET", Path: "/garbage", Proto: "HTTP/1.1",
				UserAgent: "curl/7.88.1", Status: 9, BodyBytes: 15, RequestTime: 0,
				RequestID: "445c6e83e0966400294ae6e722acf74a", Conn: "15",
				UpstreamAddr: []string{"127.0.0.1:50393"}, UpstreamStatus: []string{"200"},
				UpstreamConnect: []string{"0.000"}, UpstreamHeader: []string{"0.000"}, UpstreamResponse: []string{"0.000"},
				UpstreamStatusRaw: "200", Upstream: "127.0.0.1:50393",
				UpstreamContacted: sources.Yes, UpstreamAnswered: sources.Yes,
			},
		},
	})
}

func TestCompiledEscapeJSON(t *testing.T) {
	p := mustCompileT(t, jsonCombinedFormat, "json")
	checkEntries(t, p, allUpstreamFields, []entryCase{
		{
			name: "retried then answered",
			line: `{"time":"2026-11-21T07:12:46+00:00","remote_addr":"127.0.0.1","request":"GET /mixed/ok HTTP/1.1","status":200,"request_time":0.001,"upstream_addr":"127.0.0.1:34065, 127.0.0.1:50393","upstream_status":"502, 200","upstream_connect_time":"-, 0.000","upstream_header_time":"-, 0.000","upstream_response_time":"0.000, 0.000","request_id":"9188cd47594dedbb3a888afb693fcc5a","connection":26,"http_user_agent":"curl/7.88.1"}`,
			want: sources.ProxyEntry{
				Time: labTime(7, 12, 46), Client: "127.0.0.1", Method: "GET", Path: "/mixed/ok", Proto: "HTTP/1.1",
				UserAgent: "curl/7.88.1", Status: 200, BodyBytes: -1, RequestTime: 0.001,
				RequestID: "9188cd47594dedbb3a888afb693fcc5a", Conn: "26",
				UpstreamAddr: []string{"127.0.0.1:34065", "127.0.0.1:50393"}, UpstreamStatus: []string{"502", "200"},
				UpstreamConnect: []string{"-", "0.000"}, UpstreamHeader: []string{"-", "0.000"}, UpstreamResponse: []string{"0.000", "0.000"},
				UpstreamStatusRaw: "502, 200", Upstream: "127.0.0.1:50393",
				UpstreamContacted: sources.Yes, UpstreamAnswered: sources.Yes,
			},
		},
		{
			name: "missing upstream variables are empty strings",
			line: `{"time":"2026-11-21T07:12:47+00:00","remote_addr":"127.0.0.1","request":"GET /lc HTTP/1.1","status":503,"request_time":0.000,"upstream_addr":"","upstream_status":"","upstream_connect_time":"","upstream_header_time":"","upstream_response_time":"","request_id":"ccad255be7ca09dfb0a0bc29f20e3b8f","connection":51,"http_user_agent":"curl/7.88.1"}`,
			want: sources.ProxyEntry{
				Time: labTime(7, 12, 47), Client: "127.0.0.1", Method: "GET", Path: "/lc", Proto: "HTTP/1.1",
				UserAgent: "curl/7.88.1", Status: 503, BodyBytes: -1, RequestTime: 0,
				RequestID: "ccad255be7ca09dfb0a0bc29f20e3b8f", Conn: "51",
				UpstreamContacted: sources.No, UpstreamAnswered: sources.No,
			},
		},
		{
			name: "escaped quotes and UTF-8 in a value",
			line: `{"time":"2026-11-21T07:12:47+00:00","remote_addr":"127.0.0.1","request":"GET /utf8 HTTP/1.1","status":200,"request_time":0.000,"upstream_addr":"127.0.0.1:50393","upstream_status":"200","upstream_connect_time":"0.000","upstream_header_time":"0.000","upstream_response_time":"0.000","request_id":"4459a4179e25e584063be2127fe28b04","connection":46,"http_user_agent":"Мозилла/5.0 \"quoted\" \\back"}`,
			want: sources.ProxyEntry{
				Time: labTime(7, 12, 47), Client: "127.0.0.1", Method: "GET", Path: "/utf8", Proto: "HTTP/1.1",
				UserAgent: `Мозилла/5.0 "quoted" \back`, Status: 200, BodyBytes: -1, RequestTime: 0,
				RequestID: "4459a4179e25e584063be2127fe28b04", Conn: "46",
				UpstreamAddr: []string{"127.0.0.1:50393"}, UpstreamStatus: []string{"200"},
				UpstreamConnect: []string{"0.000"}, UpstreamHeader: []string{"0.000"}, UpstreamResponse: []string{"0.000"},
				UpstreamStatusRaw: "200", Upstream: "127.0.0.1:50393",
				UpstreamContacted: sources.Yes, UpstreamAnswered: sources.Yes,
			},
		},
	})
}

func TestCompiledEscapeNone(t *testing.T) {
	p := mustCompileT(t, rawNoneFormat, "none")
	const fields = sources.FieldUpstreamAddr | sources.FieldUpstreamStatus | sources.FieldUpstreamHeaderTime
	msec := func(ms int64) time.Time { return time.UnixMilli(ms).UTC() }
	checkEntries(t, p, fields, []entryCase{
		{
			name: "quotes and backslashes stay raw; $bytes_sent stands in for the body",
			line: `1795245167.525|127.0.0.1|GET|/utf8|200|124|127.0.0.1:50393|200|0.000|Мозилла/5.0 "quoted" \back`,
			want: sources.ProxyEntry{
				Time: msec(1795245167525), Client: "127.0.0.1", Method: "GET", Path: "/utf8",
				UserAgent: `Мозилла/5.0 "quoted" \back`, Status: 200, BodyBytes: 124, RequestTime: -1,
				UpstreamAddr: []string{"127.0.0.1:50393"}, UpstreamStatus: []string{"200"}, UpstreamHeader: []string{"0.000"},
				UpstreamStatusRaw: "200", Upstream: "127.0.0.1:50393",
				UpstreamContacted: sources.Yes, UpstreamAnswered: sources.Yes, TimePrecision: sources.FractionDigits(3),
			},
		},
		{
			name: "missing variables are empty",
			line: `1795245167.509|127.0.0.1|GET|/noep|503|374||||curl/7.88.1`,
			want: sources.ProxyEntry{
				Time: msec(1795245167509), Client: "127.0.0.1", Method: "GET", Path: "/noep",
				UserAgent: "curl/7.88.1", Status: 503, BodyBytes: 374, RequestTime: -1,
				UpstreamContacted: sources.No, UpstreamAnswered: sources.No, TimePrecision: sources.FractionDigits(3),
			},
		},
		{
			name: "garbage request: method and uri empty",
			line: `1795245167.546|127.0.0.1|||400|309||||`,
			want: sources.ProxyEntry{
				Time: msec(1795245167546), Client: "127.0.0.1", Status: 400, BodyBytes: 309, RequestTime: -1,
				UpstreamContacted: sources.No, UpstreamAnswered: sources.No, TimePrecision: sources.FractionDigits(3),
			},
		},
	})
}

// TestCompiledAllLabLines parses every line nginx wrote with the lab's
// formats and checks what must hold for all of them.
func TestCompiledAllLabLines(t *testing.T) {
	for _, tc := range []struct {
		file, format, escape string
	}{
		{"upstream.log", upstreamInfoFormat, "default"},
		{"json.log", jsonCombinedFormat, "json"},
		{"none.log", rawNoneFormat, "none"},
		{"combined.log", CombinedFormat, "default"},
		{"main.log", MainFormat, "default"},
		{"ingress.log", IngressFormat, "default"},
	} {
		t.Run(tc.file, func(t *testing.T) {
			p := mustCompileT(t, tc.format, tc.escape)
			for _, line := range testdataLines(t, tc.file) {
				r, err := p.Parse(line)
				if err != nil {
					t.Fatalf("Parse(%.80q): %v", line, err)
				}
				e := r.(*sources.ProxyEntry)
				if e.Time.IsZero() || e.Client != "127.0.0.1" || e.Status == 0 || e.Raw != line {
					t.Errorf("Parse(%.80q) = time %v client %q status %d", line, e.Time, e.Client, e.Status)
				}
				if len(e.UpstreamAddr) != len(e.UpstreamStatus) {
					t.Errorf("Parse(%.80q): %d addresses but %d statuses", line, len(e.UpstreamAddr), len(e.UpstreamStatus))
				}
			}
		})
	}
}

func TestCompileErrors(t *testing.T) {
	for _, tc := range []struct {
		name, format, escape, want string
	}{
		{"bad escape", "$status", "xml", `unknown escape mode "xml"`},
		{"no variables", "just text", "default", "no variables"},
		{"lone dollar", "$status $ x", "default", "$ must be followed by a name"},
		{"unclosed brace", "${status", "default", "unclosed ${"},
		{"empty braces", "${} $status", "default", "invalid variable name"},
		{"adjacent free text", "$http_referer$http_user_agent", "default", "cannot tell where $http_referer ends"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p, err := Compile(tc.format, tc.escape)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("Compile(%q) = %v, %v; want error containing %q", tc.format, p, err, tc.want)
			}
			if p != nil {
				t.Errorf("Compile returned a parser with the error")
			}
		})
	}
}

func TestCompileFields(t *testing.T) {
	for _, tc := range []struct {
		format string
		want   sources.FieldSet
	}{
		{CombinedFormat, 0},
		{upstreamInfoFormat, allUpstreamFields},
		{IngressFormat, sources.FieldUpstreamAddr | sources.FieldUpstreamStatus | sources.FieldUpstreamResponseTime |
			sources.FieldRequestTime | sources.FieldRequestID},
		{`$remote_addr $http_x_request_id $status`, sources.FieldRequestID},
	} {
		if got := mustCompileT(t, tc.format, "").Fields(); got != tc.want {
			t.Errorf("Compile(%.40q).Fields() = %b, want %b", tc.format, got, tc.want)
		}
	}
}

// TestCompileSyntax covers the parts of log_format syntax the lab formats
// do not use.
func TestCompileSyntax(t *testing.T) {
	for _, tc := range []struct {
		name, format, escape, line string
		want                       sources.ProxyEntry
	}{
		{
			name:   "config escapes and ${name}",
			format: `${remote_addr}\t\"$request\" ${status}x $body_bytes_sent`,
			line:   "10.0.0.1\t\"GET / HTTP/1.1\" 200x 5",
			want: sources.ProxyEntry{Client: "10.0.0.1", Method: "GET", Path: "/", Proto: "HTTP/1.1", Status: 200,
				BodyBytes: 5, RequestTime: -1},
		},
		{
			name:   "adjacent self-delimiting variables",
			format: `$status$body_bytes_sent $remote_addr`,
			line:   "50212 10.0.0.1",
			want:   sources.ProxyEntry{Client: "10.0.0.1", Status: 502, BodyBytes: 12, RequestTime: -1},
		},
		{
			name:   "unknown and prefix-family variables are skipped",
			format: `$remote_addr $foo [$time_local] $sent_http_x_cache "$arg_q" $status $cookie_session`,
			line:   `10.0.0.1 bar baz [02/Jan/2024:03:04:05 +0100] HIT "a b" 502 abc=1; x`,
			want: sources.ProxyEntry{Client: "10.0.0.1", Status: 502, BodyBytes: -1, RequestTime: -1,
				Time: time.Date(2024, 1, 2, 2, 4, 5, 0, time.UTC)},
		},
		{
			name:   "uri, is_args and args read as one target",
			format: `$remote_addr $request_method $uri$is_args$args $status`,
			line:   `10.0.0.1 GET /search?q=a b 200`,
			want:   sources.ProxyEntry{Client: "10.0.0.1", Method: "GET", Path: "/search?q=a b", Status: 200, BodyBytes: -1, RequestTime: -1},
		},
		{
			name:   "uri and args apart",
			format: `$remote_addr "$uri" "$args" $status $http_host $host $request_id $http_x_request_id`,
			line:   `10.0.0.1 "/s" "q=1" 200 example.com:8080 example.com 0123abcd abc-123`,
			want: sources.ProxyEntry{Client: "10.0.0.1", Path: "/s?q=1", Status: 200, BodyBytes: -1, RequestTime: -1,
				Host: "example.com:8080", RequestID: "abc-123", Fields: sources.FieldRequestID},
		},
		{
			name:   "missing request id header falls back to $request_id",
			format: `$remote_addr $status $http_x_request_id $request_id`,
			line:   `10.0.0.1 200 - 0123abcd`,
			want: sources.ProxyEntry{Client: "10.0.0.1", Status: 200, BodyBytes: -1, RequestTime: -1,
				RequestID: "0123abcd", Fields: sources.FieldRequestID},
		},
		{
			name:   "time_iso8601 and msec",
			format: `$time_iso8601 $msec $remote_addr $status`,
			line:   `2024-01-02T03:04:05+00:00 1704164645.123 10.0.0.1 200`,
			want: sources.ProxyEntry{Client: "10.0.0.1", Status: 200, BodyBytes: -1, RequestTime: -1,
				Time: time.Date(2024, 1, 2, 3, 4, 5, 123e6, time.UTC), TimePrecision: sources.FractionDigits(3)},
		},
		{
			name:   "msec on the second: .000 is a millisecond, not a whole second",
			format: `$msec $remote_addr $status`,
			line:   `1704164645.000 10.0.0.1 200`,
			want: sources.ProxyEntry{Client: "10.0.0.1", Status: 200, BodyBytes: -1, RequestTime: -1,
				Time: time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC), TimePrecision: sources.FractionDigits(3)},
		},
		{
			name:   "status that looks like text fails over to the next literal",
			format: `$remote_user $status $remote_addr`,
			line:   `jo smith 404 10.0.0.1`,
			want:   sources.ProxyEntry{Client: "10.0.0.1", Status: 404, BodyBytes: -1, RequestTime: -1},
		},
		{
			name:   "upstream status only: answered when it is the client status",
			format: `$remote_addr $status $upstream_status`,
			line:   `10.0.0.1 503 502, 503`,
			want: sources.ProxyEntry{Client: "10.0.0.1", Status: 503, BodyBytes: -1, RequestTime: -1,
				UpstreamStatus: []string{"502", "503"}, UpstreamStatusRaw: "502, 503",
				UpstreamAnswered: sources.Yes, Fields: sources.FieldUpstreamStatus},
		},
		{
			name:   "upstream status only: a 502 may be nginx's own",
			format: `$remote_addr $status $upstream_status`,
			line:   `10.0.0.1 502 502`,
			want: sources.ProxyEntry{Client: "10.0.0.1", Status: 502, BodyBytes: -1, RequestTime: -1,
				UpstreamStatus: []string{"502"}, UpstreamStatusRaw: "502", Fields: sources.FieldUpstreamStatus},
		},
		{
			name:   "IPv6 peers",
			format: `$remote_addr $status $upstream_addr`,
			line:   `::1 502 [::1]:8080, [fe80::1]:9000`,
			want: sources.ProxyEntry{Client: "::1", Status: 502, BodyBytes: -1, RequestTime: -1,
				UpstreamAddr: []string{"[::1]:8080", "[fe80::1]:9000"}, Upstream: "[fe80::1]:9000",
				UpstreamContacted: sources.Yes, Fields: sources.FieldUpstreamAddr},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := mustCompileT(t, tc.format, tc.escape)
			r, err := p.Parse(tc.line)
			if err != nil {
				t.Fatalf("Parse(%q): %v", tc.line, err)
			}
			want := tc.want
			want.Raw = tc.line
			if diff := cmp.Diff(&want, r.(*sources.ProxyEntry)); diff != "" {
				t.Errorf("entry mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestCompiledNoMatch(t *testing.T) {
	p := mustCompileT(t, upstreamInfoFormat, "default")
	for _, line := range []string{
		"",
		"garbage",
		`127.0.0.1 - - [21/Nov/2026:07:12:45 +0000] "GET / HTTP/1.1" 200 3 "-" "curl/7.88.1"`,
		`127.0.0.1 - - [21/Nov/2026:07:12:45 +0000] "GET / HTTP/1.1" 2000 3 "-" "curl" rt=0.000 uct="0" uht="0" urt="0" ua="a:1" us="200" rid=x cid=1`,
		`{"time":"2026-11-21T07:12:46+00:00","status":502}`,
	} {
		r, err := p.Parse(line)
		if err == nil || r != nil {
			t.Errorf("Parse(%.60q) = %v, %v; want no match", line, r, err)
		}
	}
}

func TestSplitList(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want []string
	}{
		{"", nil},
		{"-", []string{"-"}},
		{"10.0.0.1:80, 10.0.0.2:80", []string{"10.0.0.1:80", "10.0.0.2:80"}},
		{"502, 502 : 200", []string{"502", "502", "200"}},
		{"- : 0.001", []string{"-", "0.001"}},
	} {
		if diff := cmp.Diff(tc.want, splitList(tc.in)); diff != "" {
			t.Errorf("splitList(%q) (-want +got):\n%s", tc.in, diff)
		}
	}
}

func TestIsPeerAddr(t *testing.T) {
	for in, want := range map[string]bool{
		"10.0.0.1:8080": true, "[::1]:80": true, "unix:/run/app.sock": true, "app.svc:8080": true,
		"backend": false, "-": false, "": false, "unix:": false, "host:": false,
	} {
		if got := isPeerAddr(in); got != want {
			t.Errorf("isPeerAddr(%q) = %v, want %v", in, got, want)
		}
	}
}

func TestDecoders(t *testing.T) {
	for _, tc := range []struct{ in, hex, json string }{
		{`plain`, `plain`, `plain`},
		{`\x22a\x5C\xD0\x9F`, "\"a\\П", `\x22a\x5C\xD0\x9F`},
		{`\x2`, `\x2`, `\x2`},
		{`a\"b\\c\n\u00e9\ud83d\ude00`, `a\"b\\c\n\u00e9\ud83d\ude00`, "a\"b\\c\né😀"},
		{`\uZZZZ\q`, `\uZZZZ\q`, `\uZZZZ\q`},
	} {
		if got := decodeHex(tc.in); got != tc.hex {
			t.Errorf("decodeHex(%q) = %q, want %q", tc.in, got, tc.hex)
		}
		if got := decodeJSONString(tc.in); got != tc.json {
			t.Errorf("decodeJSONString(%q) = %q, want %q", tc.in, got, tc.json)
		}
	}
}

// FuzzCompiledParse checks the compiled matcher on any line: no panic, an
// error comes with no record, a record keeps the line.
func FuzzCompiledParse(f *testing.F) {
	formats := []struct{ format, escape string }{
		{upstreamInfoFormat, "default"},
		{jsonCombinedFormat, "json"},
		{rawNoneFormat, "none"},
		{IngressFormat, "default"},
	}
	for _, name := range []string{"upstream.log", "json.log", "none.log", "ingress.log"} {
		for _, line := range testdataLines(f, name) {
			f.Add(line)
		}
	}
	parsers := make([]*AccessParser, len(formats))
	for i, fm := range formats {
		parsers[i] = mustCompileT(f, fm.format, fm.escape)
	}
	f.Fuzz(func(t *testing.T, line string) {
		for _, p := range parsers {
			checkParseProperties(t, p, line)
		}
	})
}

// FuzzCompile feeds arbitrary formats and lines to Compile and Parse.
func FuzzCompile(f *testing.F) {
	f.Add(upstreamInfoFormat, `127.0.0.1 - - [21/Nov/2026:07:12:46 +0000] "GET /pair/b HTTP/1.1" 502 157 "-" "curl/7.88.1" rt=0.000 uct="-" uht="-" urt="0.000" ua="pair" us="502" rid=903cf99c574b6ec28da6ee02a69a9870 cid=24`)
	f.Add(`$status$body_bytes_sent $upstream_addr|$uri$is_args$args`, `50212 a, b : c|/x?y`)
	f.Add(`${msec}\t$time_iso8601 "$request"`, "1.5\t2024-01-02T03:04:05+00:00 \"GET / HTTP/1.1\"")
	f.Fuzz(func(t *testing.T, format, line string) {
		for _, escape := range []string{"default", "json", "none"} {
			p, err := Compile(format, escape)
			if err != nil {
				if p != nil {
					t.Fatalf("Compile(%q) returned a parser and %v", format, err)
				}
				continue
			}
			checkParseProperties(t, p, line)
		}
	})
}

// checkParseProperties asserts what every Parse must give: an error and no
// record, or a record whose RawLine is the line.
func checkParseProperties(t *testing.T, p sources.Parser, line string) {
	t.Helper()
	r, err := p.Parse(line)
	if err != nil {
		if r != nil {
			t.Fatalf("Parse(%q) returned a record with error %v", line, err)
		}
		return
	}
	if r == nil {
		return // taken in without a record of its own
	}
	if r.RawLine() != line {
		t.Fatalf("Parse(%q).RawLine() = %q", line, r.RawLine())
	}
}

func BenchmarkCompiledUpstreamInfo(b *testing.B) {
	benchmarkParser(b, mustCompileT(b, upstreamInfoFormat, "default"), testdataLines(b, "upstream.log"))
}

func BenchmarkCompiledJSON(b *testing.B) {
	benchmarkParser(b, mustCompileT(b, jsonCombinedFormat, "json"), testdataLines(b, "json.log"))
}

func BenchmarkCompiledIngress(b *testing.B) {
	benchmarkParser(b, mustCompileT(b, IngressFormat, "default"), testdataLines(b, "ingress.log"))
}

// benchmarkParser parses the lines round-robin and reports lines per second.
func benchmarkParser(b *testing.B, p sources.Parser, lines []string) {
	b.Helper()
	var size int64
	for _, l := range lines {
		size += int64(len(l))
	}
	b.SetBytes(size / int64(len(lines)))
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := p.Parse(lines[i%len(lines)]); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "lines/s")
}
