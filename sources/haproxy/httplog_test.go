package haproxy

import (
	"bufio"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"fivexx/sources"
)

// Lines marked [real] were written by haproxy 2.6.12 on 127.0.0.1 (see
// testdata/, captured with log stdout format raw, UDP syslog rfc3164 and
// rfc5424, and stderr) or are copied from HAProxy's documentation.

const logged = sources.FieldUpstreamAddr | sources.FieldUpstreamConnectTime |
	sources.FieldUpstreamHeaderTime | sources.FieldRequestTime | sources.FieldFlags

func nov21(h, m, s, ms int) time.Time {
	return time.Date(2026, time.November, 21, h, m, s, ms*int(time.Millisecond), time.UTC)
}

func newTestParser() *Parser {
	p := NewParser(sources.ParserOptions{Location: time.UTC})
	p.now = func() time.Time { return time.Date(2026, time.November, 22, 0, 0, 0, 0, time.UTC) }
	return p
}

func TestParseHTTPLog(t *testing.T) {
	tests := []struct {
		name string
		line string
		want *sources.ProxyEntry
	}{
		{
			name: "ok with request id capture [real]",
			line: `127.0.0.1:42466 [21/Nov/2026:07:12:57.172] fe_http be_app/srv1 0/0/0/0/0 200 107 - - ---- 1/1/0/0/0 0/0 {4bf92f3577b34da6a3ce929d0e0e4736} "GET /ok HTTP/1.1"`,
			want: &sources.ProxyEntry{
				Time: nov21(7, 12, 57, 172), Client: "127.0.0.1", ClientPort: "42466",
				Method: "GET", Path: "/ok", Proto: "HTTP/1.1", Status: 200, BodyBytes: 107, RequestTime: 0,
				RequestID: "4bf92f3577b34da6a3ce929d0e0e4736", Upstream: "be_app/srv1",
				UpstreamConnect: []string{"0.000"}, UpstreamHeader: []string{"0.000"},
				UpstreamContacted: sources.Yes, UpstreamAnswered: sources.Yes,
				Flags: "----", Fields: logged | sources.FieldRequestID,
			},
		},
		{
			name: "request on the second: .000 is a millisecond, not a whole second [built]",
			line: `127.0.0.1:42466 [21/Nov/2026:07:12:57.000] fe_http be_app/srv1 0/0/0/0/0 200 107 - - ---- 1/1/0/0/0 0/0 "GET /ok HTTP/1.1"`,
			want: &sources.ProxyEntry{
				Time: nov21(7, 12, 57, 0), Client: "127.0.0.1", ClientPort: "42466",
				Method: "GET", Path: "/ok", Proto: "HTTP/1.1", Status: 200, BodyBytes: 107, RequestTime: 0,
				Upstream:        "be_app/srv1",
				UpstreamConnect: []string{"0.000"}, UpstreamHeader: []string{"0.000"},
				UpstreamContacted: sources.Yes, UpstreamAnswered: sources.Yes,
				Flags: "----", Fields: logged, TimePrecision: sources.FractionDigits(3),
			},
		},
		{
			name: "a log-format whose date has no fraction: whole seconds [built]",
			line: `127.0.0.1:42466 [21/Nov/2026:07:12:57] fe_http be_app/srv1 0/0/0/0/5 200 107 - - ---- 1/1/0/0/0 0/0 "GET /ok HTTP/1.1"`,
			want: &sources.ProxyEntry{
				Time: nov21(7, 12, 57, 5), Client: "127.0.0.1", ClientPort: "42466",
				Method: "GET", Path: "/ok", Proto: "HTTP/1.1", Status: 200, BodyBytes: 107, RequestTime: 0.005,
				Upstream:        "be_app/srv1",
				UpstreamConnect: []string{"0.000"}, UpstreamHeader: []string{"0.000"},
				UpstreamContacted: sources.Yes, UpstreamAnswered: sources.Yes,
				Flags: "----", Fields: logged, TimePrecision: sources.FractionDigits(0),
			},
		},
		{
			name: "connect refused after one retry [real]",
			line: `127.0.0.1:42474 [21/Nov/2026:07:12:57.180] fe_http be_refused/srv1 0/0/-1/-1/1001 503 217 - - SC-- 1/1/0/0/1 0/0 {0af7651916cd43dd8448eb211c80319c} "GET /refused?x=1 HTTP/1.1"`,
			want: &sources.ProxyEntry{
				Time: nov21(7, 12, 58, 181), Client: "127.0.0.1", ClientPort: "42474",
				Method: "GET", Path: "/refused?x=1", Proto: "HTTP/1.1", Status: 503, BodyBytes: 217, RequestTime: 1.001,
				RequestID: "0af7651916cd43dd8448eb211c80319c", Upstream: "be_refused/srv1",
				UpstreamConnect: []string{"-"}, UpstreamHeader: []string{"-"},
				UpstreamContacted: sources.Yes, UpstreamAnswered: sources.No,
				Reason: sources.ReasonRefused, Flags: "SC--",
				Detail: "SC--: server refused or reset the connection at connect, Tc=-1; retried 1",
				Fields: logged | sources.FieldRequestID,
			},
		},
		{
			name: "server reset before headers, uuid request id [real]",
			line: `127.0.0.1:42484 [21/Nov/2026:07:12:58.190] fe_http be_reset/srv1 0/0/0/-1/0 502 209 - - SH-- 1/1/0/0/0 0/0 {5f2b1c3d-7e8a-4b6c-9d0e-1f2a3b4c5d6e} "GET /reset HTTP/1.1"`,
			want: &sources.ProxyEntry{
				Time: nov21(7, 12, 58, 190), Client: "127.0.0.1", ClientPort: "42484",
				Method: "GET", Path: "/reset", Proto: "HTTP/1.1", Status: 502, BodyBytes: 209, RequestTime: 0,
				RequestID: "5f2b1c3d-7e8a-4b6c-9d0e-1f2a3b4c5d6e", Upstream: "be_reset/srv1",
				UpstreamConnect: []string{"0.000"}, UpstreamHeader: []string{"-"},
				UpstreamContacted: sources.Yes, UpstreamAnswered: sources.No,
				Reason: sources.ReasonReset, Flags: "SH--",
				Detail: "SH--: server closed or reset the connection before the full response headers",
				Fields: logged | sources.FieldRequestID,
			},
		},
		{
			name: "server timeout, short captured value is no id [real]",
			line: `127.0.0.1:42506 [21/Nov/2026:07:12:58.206] fe_http be_slow/srv1 0/0/0/-1/1002 504 198 - - sH-- 1/1/0/0/0 0/0 {abc} "GET /slow HTTP/1.1"`,
			want: &sources.ProxyEntry{
				Time: nov21(7, 12, 59, 208), Client: "127.0.0.1", ClientPort: "42506",
				Method: "GET", Path: "/slow", Proto: "HTTP/1.1", Status: 504, BodyBytes: 198, RequestTime: 1.002,
				Upstream:        "be_slow/srv1",
				UpstreamConnect: []string{"0.000"}, UpstreamHeader: []string{"-"},
				UpstreamContacted: sources.Yes, UpstreamAnswered: sources.No,
				Reason: sources.ReasonReadTimeout, Flags: "sH--",
				Detail: "sH--: server did not send the response headers in time (timeout server)",
				Fields: logged,
			},
		},
		{
			name: "invalid response [real]",
			line: `127.0.0.1:42522 [21/Nov/2026:07:12:59.216] fe_http be_garbage/srv1 0/0/0/-1/0 502 209 - - PH-- 1/1/0/0/0 0/0 {} "GET /garbage HTTP/1.1"`,
			want: &sources.ProxyEntry{
				Time: nov21(7, 12, 59, 216), Client: "127.0.0.1", ClientPort: "42522",
				Method: "GET", Path: "/garbage", Proto: "HTTP/1.1", Status: 502, BodyBytes: 209, RequestTime: 0,
				Upstream:        "be_garbage/srv1",
				UpstreamConnect: []string{"0.000"}, UpstreamHeader: []string{"-"},
				UpstreamContacted: sources.Yes, UpstreamAnswered: sources.No,
				Reason: sources.ReasonBadResponse, Flags: "PH--",
				Detail: "PH--: proxy rejected the server's response headers (invalid or blocked)",
				Fields: logged,
			},
		},
		{
			name: "server died after the headers keeps 200 [real]",
			line: `127.0.0.1:42532 [21/Nov/2026:07:12:59.224] fe_http be_cut/srv1 0/0/0/0/50 200 59 - - SD-- 1/1/0/0/0 0/0 {} "GET /cut HTTP/1.1"`,
			want: &sources.ProxyEntry{
				Time: nov21(7, 12, 59, 274), Client: "127.0.0.1", ClientPort: "42532",
				Method: "GET", Path: "/cut", Proto: "HTTP/1.1", Status: 200, BodyBytes: 59, RequestTime: 0.05,
				Upstream:        "be_cut/srv1",
				UpstreamConnect: []string{"0.000"}, UpstreamHeader: []string{"0.000"},
				UpstreamContacted: sources.Yes, UpstreamAnswered: sources.Yes,
				Reason: sources.ReasonAfterHeaders, Flags: "SD--",
				Detail: "SD--: server closed or reset the connection after the headers, status unchanged",
				Fields: logged,
			},
		},
		{
			name: "app answered 503 itself [real]",
			line: `127.0.0.1:42548 [21/Nov/2026:07:12:59.282] fe_http be_503/srv1 0/0/0/0/0 503 178 - - ---- 1/1/0/0/0 0/0 {} "GET /unavail HTTP/1.1"`,
			want: &sources.ProxyEntry{
				Time: nov21(7, 12, 59, 282), Client: "127.0.0.1", ClientPort: "42548",
				Method: "GET", Path: "/unavail", Proto: "HTTP/1.1", Status: 503, BodyBytes: 178, RequestTime: 0,
				Upstream:        "be_503/srv1",
				UpstreamConnect: []string{"0.000"}, UpstreamHeader: []string{"0.000"},
				UpstreamContacted: sources.Yes, UpstreamAnswered: sources.Yes,
				Flags: "----", Fields: logged,
			},
		},
		{
			name: "deny with deny_status 429 [real]",
			line: `127.0.0.1:42560 [21/Nov/2026:07:12:59.298] fe_http fe_http/<NOSRV> 0/-1/-1/-1/0 429 225 - - PR-- 1/1/0/0/0 0/0 {} "GET /deny HTTP/1.1"`,
			want: &sources.ProxyEntry{
				Time: nov21(7, 12, 59, 298), Client: "127.0.0.1", ClientPort: "42560",
				Method: "GET", Path: "/deny", Proto: "HTTP/1.1", Status: 429, BodyBytes: 225, RequestTime: 0,
				Upstream:        "fe_http/<NOSRV>",
				UpstreamConnect: []string{"-"}, UpstreamHeader: []string{"-"},
				UpstreamContacted: sources.No, UpstreamAnswered: sources.Unknown,
				Reason: sources.ReasonProxyRejected, Flags: "PR--",
				Detail: "PR--: proxy blocked the request (deny rule or invalid request)",
				Fields: logged,
			},
		},
		{
			name: "no server left in the backend [real]",
			line: `127.0.0.1:42564 [21/Nov/2026:07:12:59.306] fe_http be_down/<NOSRV> 0/-1/-1/-1/0 503 217 - - SC-- 1/1/0/0/0 0/0 {} "GET /down HTTP/1.1"`,
			want: &sources.ProxyEntry{
				Time: nov21(7, 12, 59, 306), Client: "127.0.0.1", ClientPort: "42564",
				Method: "GET", Path: "/down", Proto: "HTTP/1.1", Status: 503, BodyBytes: 217, RequestTime: 0,
				Upstream:        "be_down/<NOSRV>",
				UpstreamConnect: []string{"-"}, UpstreamHeader: []string{"-"},
				UpstreamContacted: sources.No, UpstreamAnswered: sources.Unknown,
				Reason: sources.ReasonNoLiveUpstreams, Flags: "SC--",
				Detail: "SC--: no server available in the backend (<NOSRV>)",
				Fields: logged,
			},
		},
		{
			name: "request and response captures with space and escaped pipe [real]",
			line: `127.0.0.1:50852 [21/Nov/2026:07:12:59.313] fe_caps be_app/srv1 0/0/0/0/0 200 107 - - ---- 1/1/0/0/0 0/0 {has space #7C pipe|curl/7.88.1} {text/plain} "GET /caps HTTP/1.1"`,
			want: &sources.ProxyEntry{
				Time: nov21(7, 12, 59, 313), Client: "127.0.0.1", ClientPort: "50852",
				Method: "GET", Path: "/caps", Proto: "HTTP/1.1", Status: 200, BodyBytes: 107, RequestTime: 0,
				Upstream:        "be_app/srv1",
				UpstreamConnect: []string{"0.000"}, UpstreamHeader: []string{"0.000"},
				UpstreamContacted: sources.Yes, UpstreamAnswered: sources.Yes,
				Flags: "----", Fields: logged,
			},
		},
		{
			name: "empty first capture, user agent with escaped quotes [real]",
			line: `127.0.0.1:50856 [21/Nov/2026:07:12:59.321] fe_caps be_app/srv1 0/0/0/0/0 200 107 - - ---- 1/1/0/0/0 0/0 {|Mozilla/5.0 (X11; Linux x86_64) #22q#22} {text/plain} "GET /caps2 HTTP/1.1"`,
			want: &sources.ProxyEntry{
				Time: nov21(7, 12, 59, 321), Client: "127.0.0.1", ClientPort: "50856",
				Method: "GET", Path: "/caps2", Proto: "HTTP/1.1", Status: 200, BodyBytes: 107, RequestTime: 0,
				Upstream:        "be_app/srv1",
				UpstreamConnect: []string{"0.000"}, UpstreamHeader: []string{"0.000"},
				UpstreamContacted: sources.Yes, UpstreamAnswered: sources.Yes,
				Flags: "----", Fields: logged,
			},
		},
		{
			name: "no captures configured [real]",
			line: `127.0.0.1:52378 [21/Nov/2026:07:12:59.329] fe_nocap be_app/srv1 0/0/0/0/0 200 107 - - ---- 1/1/0/0/0 0/0 "GET /nocap HTTP/1.1"`,
			want: &sources.ProxyEntry{
				Time: nov21(7, 12, 59, 329), Client: "127.0.0.1", ClientPort: "52378",
				Method: "GET", Path: "/nocap", Proto: "HTTP/1.1", Status: 200, BodyBytes: 107, RequestTime: 0,
				Upstream:        "be_app/srv1",
				UpstreamConnect: []string{"0.000"}, UpstreamHeader: []string{"0.000"},
				UpstreamContacted: sources.Yes, UpstreamAnswered: sources.Yes,
				Flags: "----", Fields: logged,
			},
		},
		{
			name: "escaped quotes in the path are decoded [real]",
			line: `127.0.0.1:42578 [21/Nov/2026:07:12:59.336] fe_http be_app/srv1 0/0/0/0/0 200 107 - - ---- 1/1/0/0/0 0/0 {} "GET /we%20ird/p#22ath?q=#22x#22 HTTP/1.1"`,
			want: &sources.ProxyEntry{
				Time: nov21(7, 12, 59, 336), Client: "127.0.0.1", ClientPort: "42578",
				Method: "GET", Path: `/we%20ird/p"ath?q="x"`, Proto: "HTTP/1.1", Status: 200, BodyBytes: 107, RequestTime: 0,
				Upstream:        "be_app/srv1",
				UpstreamConnect: []string{"0.000"}, UpstreamHeader: []string{"0.000"},
				UpstreamContacted: sources.Yes, UpstreamAnswered: sources.Yes,
				Flags: "----", Fields: logged,
			},
		},
		{
			name: "bad request [real]",
			line: `127.0.0.1:42606 [21/Nov/2026:07:12:59.531] fe_http fe_http/<NOSRV> -1/-1/-1/-1/0 400 0 - - PR-- 1/1/0/0/0 0/0 "<BADREQ>"`,
			want: &sources.ProxyEntry{
				Time: nov21(7, 12, 59, 531), Client: "127.0.0.1", ClientPort: "42606",
				Status: 400, BodyBytes: 0, RequestTime: 0,
				Upstream:        "fe_http/<NOSRV>",
				UpstreamConnect: []string{"-"}, UpstreamHeader: []string{"-"},
				UpstreamContacted: sources.No, UpstreamAnswered: sources.Unknown,
				Flags:  "PR--",
				Detail: "PR--: proxy blocked the request (deny rule or invalid request)",
				Fields: logged,
			},
		},
		{
			name: "connect timeout [real]",
			line: `127.0.0.1:46980 [21/Nov/2026:07:14:08.326] fe_http be_ctimeout/srv1 0/0/-1/-1/2002 503 217 - - sC-- 1/1/0/0/1 0/0 {} "GET /ctimeout HTTP/1.1"`,
			want: &sources.ProxyEntry{
				Time: nov21(7, 14, 10, 328), Client: "127.0.0.1", ClientPort: "46980",
				Method: "GET", Path: "/ctimeout", Proto: "HTTP/1.1", Status: 503, BodyBytes: 217, RequestTime: 2.002,
				Upstream:        "be_ctimeout/srv1",
				UpstreamConnect: []string{"-"}, UpstreamHeader: []string{"-"},
				UpstreamContacted: sources.Yes, UpstreamAnswered: sources.No,
				Reason: sources.ReasonConnectTimeout, Flags: "sC--",
				Detail: "sC--: timeout while connecting to the server (timeout connect); retried 1",
				Fields: logged,
			},
		},
		{
			name: "queue timeout [real]",
			line: `127.0.0.1:47002 [21/Nov/2026:07:14:10.389] fe_http be_queue/<NOSRV> 0/300/-1/-1/300 503 217 - - sQ-- 2/2/1/0/0 0/1 {} "GET /queue/b HTTP/1.1"`,
			want: &sources.ProxyEntry{
				Time: nov21(7, 14, 10, 689), Client: "127.0.0.1", ClientPort: "47002",
				Method: "GET", Path: "/queue/b", Proto: "HTTP/1.1", Status: 503, BodyBytes: 217, RequestTime: 0.3,
				Upstream:        "be_queue/<NOSRV>",
				UpstreamConnect: []string{"-"}, UpstreamHeader: []string{"-"},
				UpstreamContacted: sources.No, UpstreamAnswered: sources.Unknown,
				Reason: sources.ReasonProxyRejected, Flags: "sQ--",
				Detail: "sQ--: timeout while waiting in the queue (timeout queue, server maxconn)",
				Fields: logged,
			},
		},
		{
			name: "redispatched after a refused connect [real]",
			line: `127.0.0.1:47006 [21/Nov/2026:07:14:11.899] fe_http be_redisp/s2 0/0/0/0/0 200 107 - - ---- 1/1/0/0/+1 0/0 {} "GET /redisp HTTP/1.1"`,
			want: &sources.ProxyEntry{
				Time: nov21(7, 14, 11, 899), Client: "127.0.0.1", ClientPort: "47006",
				Method: "GET", Path: "/redisp", Proto: "HTTP/1.1", Status: 200, BodyBytes: 107, RequestTime: 0,
				Upstream:        "be_redisp/s2",
				UpstreamConnect: []string{"0.000"}, UpstreamHeader: []string{"0.000"},
				UpstreamContacted: sources.Yes, UpstreamAnswered: sources.Yes,
				Flags: "----", Detail: "retried 1, redispatched",
				Fields: logged,
			},
		},
		{
			name: "option httpslog appends tls fields [real]",
			line: `127.0.0.1:56230 [21/Nov/2026:07:14:13.416] fe_tls~ be_app/srv1 0/0/2/0/2 200 107 - - ---- 1/1/0/0/0 0/0 "GET /tls HTTP/1.1" 0/0000000000000000/0/0/0 -/TLSv1.3/TLS_AES_256_GCM_SHA384`,
			want: &sources.ProxyEntry{
				Time: nov21(7, 14, 13, 418), Client: "127.0.0.1", ClientPort: "56230",
				Method: "GET", Path: "/tls", Proto: "HTTP/1.1", Status: 200, BodyBytes: 107, RequestTime: 0.002,
				Upstream:        "be_app/srv1",
				UpstreamConnect: []string{"0.002"}, UpstreamHeader: []string{"0.000"},
				UpstreamContacted: sources.Yes, UpstreamAnswered: sources.Yes,
				Flags: "----", Fields: logged,
			},
		},
		{
			name: "option logasap prefixes with + [real]",
			line: `127.0.0.1:43586 [21/Nov/2026:07:14:13.426] fe_logasap be_app/srv1 0/0/0/0/+0 200 +107 - - ---- 1/1/1/1/0 0/0 "GET /asap HTTP/1.1"`,
			want: &sources.ProxyEntry{
				Time: nov21(7, 14, 13, 426), Client: "127.0.0.1", ClientPort: "43586",
				Method: "GET", Path: "/asap", Proto: "HTTP/1.1", Status: 200, BodyBytes: 107, RequestTime: 0,
				Upstream:        "be_app/srv1",
				UpstreamConnect: []string{"0.000"}, UpstreamHeader: []string{"0.000"},
				UpstreamContacted: sources.Yes, UpstreamAnswered: sources.Yes,
				Flags: "----", Fields: logged,
			},
		},
		{
			name: "tarpit [real]",
			line: `127.0.0.1:45244 [21/Nov/2026:07:14:13.433] fe_http be_tarpit/<NOSRV> -1/202/-1/-1/201 500 208 - - PT-- 1/1/0/0/0 0/0 {} "GET /tarpit HTTP/1.1"`,
			want: &sources.ProxyEntry{
				Time: nov21(7, 14, 13, 634), Client: "127.0.0.1", ClientPort: "45244",
				Method: "GET", Path: "/tarpit", Proto: "HTTP/1.1", Status: 500, BodyBytes: 208, RequestTime: 0.201,
				Upstream:        "be_tarpit/<NOSRV>",
				UpstreamConnect: []string{"-"}, UpstreamHeader: []string{"-"},
				UpstreamContacted: sources.No, UpstreamAnswered: sources.Unknown,
				Reason: sources.ReasonProxyRejected, Flags: "PT--",
				Detail: "PT--: proxy tarpitted the request",
				Fields: logged,
			},
		},
		{
			name: "client closed during the request [real]",
			line: `127.0.0.1:45252 [21/Nov/2026:07:14:13.723] fe_http fe_http/<NOSRV> -1/-1/-1/-1/0 400 0 - - CR-- 1/1/0/0/0 0/0 "<BADREQ>"`,
			want: &sources.ProxyEntry{
				Time: nov21(7, 14, 13, 723), Client: "127.0.0.1", ClientPort: "45252",
				Status: 400, BodyBytes: 0, RequestTime: 0,
				Upstream:        "fe_http/<NOSRV>",
				UpstreamConnect: []string{"-"}, UpstreamHeader: []string{"-"},
				UpstreamContacted: sources.No, UpstreamAnswered: sources.Unknown,
				Reason: sources.ReasonClientAbort, Flags: "CR--",
				Detail: "CR--: client aborted while receiving the request",
				Fields: logged,
			},
		},
		{
			name: "rfc3164 syslog from haproxy [real]",
			line: `<134>Nov 21 07:14:38 localhost haproxy[10752]: 127.0.0.1:38248 [21/Nov/2026:07:14:38.316] fe_http be_app/srv1 0/0/0/1/1 200 107 - - ---- 1/1/0/0/0 0/0 {4bf92f3577b34da6a3ce929d0e0e4736} "GET /ok HTTP/1.1"`,
			want: &sources.ProxyEntry{
				Time: nov21(7, 14, 38, 317), Client: "127.0.0.1", ClientPort: "38248",
				Method: "GET", Path: "/ok", Proto: "HTTP/1.1", Status: 200, BodyBytes: 107, RequestTime: 0.001,
				RequestID: "4bf92f3577b34da6a3ce929d0e0e4736", Upstream: "be_app/srv1",
				UpstreamConnect: []string{"0.000"}, UpstreamHeader: []string{"0.001"},
				UpstreamContacted: sources.Yes, UpstreamAnswered: sources.Yes,
				Flags: "----", Fields: logged | sources.FieldRequestID,
			},
		},
		{
			name: "rfc5424 syslog from haproxy [real]",
			line: `<134>1 2026-11-21T07:14:38.317373+00:00 - haproxy 10752 - - 127.0.0.1:38248 [21/Nov/2026:07:14:38.316] fe_http be_app/srv1 0/0/0/1/1 200 107 - - ---- 1/1/0/0/0 0/0 {4bf92f3577b34da6a3ce929d0e0e4736} "GET /ok HTTP/1.1"`,
			want: &sources.ProxyEntry{
				Time: nov21(7, 14, 38, 317), Client: "127.0.0.1", ClientPort: "38248",
				Method: "GET", Path: "/ok", Proto: "HTTP/1.1", Status: 200, BodyBytes: 107, RequestTime: 0.001,
				RequestID: "4bf92f3577b34da6a3ce929d0e0e4736", Upstream: "be_app/srv1",
				UpstreamConnect: []string{"0.000"}, UpstreamHeader: []string{"0.001"},
				UpstreamContacted: sources.Yes, UpstreamAnswered: sources.Yes,
				Flags: "----", ZoneFromLine: true, Fields: logged | sources.FieldRequestID,
			},
		},
		{
			name: "rsyslog file with host, captures from the docs [real]",
			line: `Feb  6 12:14:14 localhost haproxy[14389]: 10.0.1.2:33317 [06/Feb/2009:12:14:14.655] http-in static/srv1 10/0/30/69/109 200 2750 - - ---- 1/1/1/1/0 0/0 {1wt.eu} {} "GET /index.html HTTP/1.1"`,
			want: &sources.ProxyEntry{
				Time:   time.Date(2009, time.February, 6, 12, 14, 14, 764e6, time.UTC),
				Client: "10.0.1.2", ClientPort: "33317",
				Method: "GET", Path: "/index.html", Proto: "HTTP/1.1", Status: 200, BodyBytes: 2750, RequestTime: 0.109,
				Upstream:        "static/srv1",
				UpstreamConnect: []string{"0.030"}, UpstreamHeader: []string{"0.069"},
				UpstreamContacted: sources.Yes, UpstreamAnswered: sources.Yes,
				Flags: "----", Fields: logged,
			},
		},
		{
			name: "bare tag, bad response, from the docs [real]",
			line: `haproxy[674]: 127.0.0.1:33320 [15/Oct/2003:08:32:17.925] px-http px-http/srv1 9/0/7/14/30 502 243 - - PH-- 3/2/2/0/0 0/0 "GET /cgi-bin/bug.cgi? HTTP/1.0"`,
			want: &sources.ProxyEntry{
				Time:   time.Date(2003, time.October, 15, 8, 32, 17, 955e6, time.UTC),
				Client: "127.0.0.1", ClientPort: "33320",
				Method: "GET", Path: "/cgi-bin/bug.cgi?", Proto: "HTTP/1.0", Status: 502, BodyBytes: 243, RequestTime: 0.03,
				Upstream:        "px-http/srv1",
				UpstreamConnect: []string{"0.007"}, UpstreamHeader: []string{"0.014"},
				UpstreamContacted: sources.Yes, UpstreamAnswered: sources.Unknown, // blocked by HAProxy
				Reason: sources.ReasonBadResponse, Flags: "PH--",
				Detail: "PH--: proxy rejected the server's response headers (invalid or blocked)",
				Fields: logged,
			},
		},
		{
			// formats.md §3.2: PH with 500 is a failed header rewrite,
			// HAProxy's own http-response rule (QA s36 L5).
			name: "bare tag, response rewrite failed [built]",
			line: `haproxy[674]: 127.0.0.1:33320 [15/Oct/2003:08:32:17.925] px-http px-http/srv1 9/0/7/14/30 500 243 - - PH-- 3/2/2/0/0 0/0 "GET /cgi-bin/bug.cgi? HTTP/1.0"`,
			want: &sources.ProxyEntry{
				Time:   time.Date(2003, time.October, 15, 8, 32, 17, 955e6, time.UTC),
				Client: "127.0.0.1", ClientPort: "33320",
				Method: "GET", Path: "/cgi-bin/bug.cgi?", Proto: "HTTP/1.0", Status: 500, BodyBytes: 243, RequestTime: 0.03,
				Upstream:        "px-http/srv1",
				UpstreamConnect: []string{"0.007"}, UpstreamHeader: []string{"0.014"},
				UpstreamContacted: sources.Yes, UpstreamAnswered: sources.Unknown,
				Reason: sources.ReasonNone, Flags: "PH--",
				Detail: "PH--: proxy failed to rewrite the server's response headers (an http-response rule)",
				Fields: logged,
			},
		},
		{
			name: "bare tag, refused after retries, from the docs [real]",
			line: `haproxy[18989]: 10.0.0.1:34552 [15/Oct/2003:15:26:31.462] px-http px-http/srv1 3183/-1/-1/-1/11215 503 0 - - SC-- 205/202/202/115/3 0/0 "HEAD / HTTP/1.0"`,
			want: &sources.ProxyEntry{
				Time:   time.Date(2003, time.October, 15, 15, 26, 42, 677e6, time.UTC),
				Client: "10.0.0.1", ClientPort: "34552",
				Method: "HEAD", Path: "/", Proto: "HTTP/1.0", Status: 503, BodyBytes: 0, RequestTime: 11.215,
				Upstream:        "px-http/srv1",
				UpstreamConnect: []string{"-"}, UpstreamHeader: []string{"-"},
				UpstreamContacted: sources.Yes, UpstreamAnswered: sources.No,
				Reason: sources.ReasonRefused, Flags: "SC--",
				Detail: "SC--: server refused or reset the connection at connect, Tc=-1; retried 3",
				Fields: logged,
			},
		},
		{
			name: "pri and rfc3164 without host [built]",
			line: `<134>Jan  2 03:04:05 haproxy[8]: 10.0.0.9:51234 [02/Jan/2024:03:04:05.120] fe_http be_app/<NOSRV> 0/-1/-1/-1/0 503 217 - - SC-- 1/1/0/0/0 0/0 "GET / HTTP/1.1"`,
			want: &sources.ProxyEntry{
				Time:   time.Date(2024, time.January, 2, 3, 4, 5, 120e6, time.UTC),
				Client: "10.0.0.9", ClientPort: "51234",
				Method: "GET", Path: "/", Proto: "HTTP/1.1", Status: 503, BodyBytes: 217, RequestTime: 0,
				Upstream:        "be_app/<NOSRV>",
				UpstreamConnect: []string{"-"}, UpstreamHeader: []string{"-"},
				UpstreamContacted: sources.No, UpstreamAnswered: sources.Unknown,
				Reason: sources.ReasonNoLiveUpstreams, Flags: "SC--",
				Detail: "SC--: no server available in the backend (<NOSRV>)",
				Fields: logged,
			},
		},
		{
			name: "rsyslog rfc3339 header, ipv6 client, haproxy unique-id [built]",
			line: `2024-01-02T03:04:05.123456+00:00 lb1 haproxy[8]: 2001:db8::7:40112 [02/Jan/2024:03:04:05.001] fe_http be_app/srv2 0/0/1/120/121 500 96 - - ---- 3/3/1/1/0 0/0 {7F000001:9C70_7F000001:1F90_65A1B2C3_0001:1A2B|api.example.com} "POST /v1/orders HTTP/1.1"`,
			want: &sources.ProxyEntry{
				Time:   time.Date(2024, time.January, 2, 3, 4, 5, 122e6, time.UTC),
				Client: "2001:db8::7", ClientPort: "40112",
				Method: "POST", Path: "/v1/orders", Proto: "HTTP/1.1", Status: 500, BodyBytes: 96, RequestTime: 0.121,
				RequestID: "7F000001:9C70_7F000001:1F90_65A1B2C3_0001:1A2B", Upstream: "be_app/srv2",
				UpstreamConnect: []string{"0.001"}, UpstreamHeader: []string{"0.120"},
				UpstreamContacted: sources.Yes, UpstreamAnswered: sources.Yes,
				Flags: "----", ZoneFromLine: true, Fields: logged | sources.FieldRequestID,
			},
		},
		{
			name: "request line cut at the syslog length limit [built]",
			line: `10.0.0.9:51234 [02/Jan/2024:03:04:05.120] fe_http be_app/srv1 0/0/0/-1/1000 504 198 - - sH-- 1/1/0/0/0 0/0 "GET /search?q=aaaaaaaaaaaaaaaaaaaaaaaaaa`,
			want: &sources.ProxyEntry{
				Time:   time.Date(2024, time.January, 2, 3, 4, 6, 120e6, time.UTC),
				Client: "10.0.0.9", ClientPort: "51234",
				Method: "GET", Path: "/search?q=aaaaaaaaaaaaaaaaaaaaaaaaaa", Status: 504, BodyBytes: 198, RequestTime: 1,
				Upstream:        "be_app/srv1",
				UpstreamConnect: []string{"0.000"}, UpstreamHeader: []string{"-"},
				UpstreamContacted: sources.Yes, UpstreamAnswered: sources.No,
				Reason: sources.ReasonReadTimeout, Flags: "sH--",
				Detail: "sH--: server did not send the response headers in time (timeout server)",
				Fields: logged,
			},
		},
		{
			name: "client abort, status -1 [built]",
			line: `10.0.0.9:51234 [02/Jan/2024:03:04:05.120] fe_http be_app/srv1 0/0/0/-1/5000 -1 0 - - CH-- 1/1/0/0/0 0/0 "GET /slow HTTP/1.1"`,
			want: &sources.ProxyEntry{
				Time:   time.Date(2024, time.January, 2, 3, 4, 10, 120e6, time.UTC),
				Client: "10.0.0.9", ClientPort: "51234",
				Method: "GET", Path: "/slow", Proto: "HTTP/1.1", Status: -1, BodyBytes: 0, RequestTime: 5,
				Upstream:        "be_app/srv1",
				UpstreamConnect: []string{"0.000"}, UpstreamHeader: []string{"-"},
				UpstreamContacted: sources.Yes, UpstreamAnswered: sources.No,
				Reason: sources.ReasonClientAbort, Flags: "CH--",
				Detail: "CH--: client aborted while waiting for the response headers",
				Fields: logged,
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.want.Raw = tt.line
			if tt.want.TimePrecision == sources.PrecisionUnknown {
				tt.want.TimePrecision = sources.FractionDigits(3) // %tr's milliseconds
			}
			got, err := newTestParser().Parse(tt.line)
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
		{"tcplog line [real, docs]", `haproxy[14387]: 10.0.0.1:5000 [06/Feb/2009:12:12:51.443] fnt bck/srv1 0/0/5007 212 -- 0/0/0/0/3 0/0`},
		{"nginx combined", `127.0.0.1 - - [21/Nov/2026:07:12:57 +0000] "GET / HTTP/1.1" 200 612 "-" "curl/7.88.1"`},
		{"json", `{"level":"info","ts":1795245290.87,"msg":"handled request"}`},
		{"ends after the flags", `127.0.0.1:42466 [21/Nov/2026:07:12:57.172] fe_http be_app/srv1 0/0/0/0/0 200 107 - - ----`},
		{"bad month", `127.0.0.1:42466 [21/Now/2026:07:12:57.172] fe_http be_app/srv1 0/0/0/0/0 200 107 - - ---- 1/1/0/0/0 0/0 "GET /ok HTTP/1.1"`},
		{"four timers", `127.0.0.1:42466 [21/Nov/2026:07:12:57.172] fe_http be_app/srv1 0/0/0/0 200 107 - - ---- 1/1/0/0/0 0/0 "GET /ok HTTP/1.1"`},
		{"unclosed capture", `127.0.0.1:42466 [21/Nov/2026:07:12:57.172] fe_http be_app/srv1 0/0/0/0/0 200 107 - - ---- 1/1/0/0/0 0/0 {abc "GET /ok HTTP/1.1"`},
		{"no request line", `127.0.0.1:42466 [21/Nov/2026:07:12:57.172] fe_http be_app/srv1 0/0/0/0/0 200 107 - - ---- 1/1/0/0/0 0/0 {}`},
		{"another program's syslog line", `<38>Nov 21 07:14:13 host sshd[1]: Accepted publickey for root`},
		{"proxy with no name", "Proxy  started."},
		{"a pipe not indented as HAProxy does", " | one two"},
		// HAProxy's tag vouches for the line, but it is a request in a
		// layout not read: lost, not a message (it was one, 0 unparsed).
		{"custom log-format without %CC %CS, behind syslog [real]", `<134>Nov 22 23:50:38 lb1 haproxy[13309]: 127.0.0.1:43604 [22/Nov/2026:23:50:38.524] fe be_app/s1 0/0/0/0/0 500 190 ---- 1/1/0/0/0 0/0 "GET /error?custom-rfc3164.log=3 HTTP/1.1"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := newTestParser().Parse(tt.line)
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

// TestClaims: a request line HAProxy's wrapper vouches for, in a layout
// the parser does not read, is claimed (sources.Format.Claims), so that
// detection lets no app format read it; a line it reads, one without the
// tag, and HAProxy's other messages are not.
func TestClaims(t *testing.T) {
	tests := []struct {
		name string
		line string
		want bool
	}{
		{"custom log-format, rfc3164 with priority [real]", `<134>Nov 22 23:50:38 lb1 haproxy[13309]: 127.0.0.1:43604 [22/Nov/2026:23:50:38.524] fe be_app/s1 0/0/0/0/0 500 190 ---- 1/1/0/0/0 0/0 "GET /error?custom-rfc3164.log=3 HTTP/1.1"`, true},
		{"custom log-format, rsyslog file [qa]", `Feb  6 12:14:02 localhost haproxy[14389]: 10.0.1.2:33002 [06/Feb/2025:12:14:02.655] http-in be_app/srv1 0/0/-1/-1/1001 503 217 SC-- 1/1/1/1/0 0/0 "GET /r?n=2 HTTP/1.1"`, true},
		{"clf with the names unquoted, rsyslog file: read [qa]", `Feb  6 12:14:15 localhost haproxy[14389]: 10.0.1.2 - - [06/Feb/2025:12:14:15 +0000] "GET /r?n=2 HTTP/1.1" 503 217 "" "" 33318 100 http-in be_app srv1 0 0 -1 -1 1001 SC-- 1 1 1 1 3 0 0 "" "" "" ""`, false},
		{"clf with its names unquoted but one cut short, rsyslog file [built]", `Feb  6 12:14:15 localhost haproxy[14389]: 10.0.1.2 - - [06/Feb/2025:12:14:15 +0000] "GET /r?n=2 HTTP/1.1" 503 217 "" "" 33318 100 http-in be_app srv1 0 0 -1 -1 1001 SC-- 1 1 1 1 3 0`, true},
		{"tcplog, bare tag [docs]", `haproxy[14387]: 10.0.0.1:5000 [06/Feb/2009:12:12:51.443] fnt bck/srv1 0/0/5007 212 -- 0/0/0/0/3 0/0`, true},
		{"httplog, rfc3164 [real]", `<134>Nov 21 07:14:38 localhost haproxy[10752]: 127.0.0.1:38248 [21/Nov/2026:07:14:38.316] fe_http be_app/srv1 0/0/0/1/1 200 107 - - ---- 1/1/0/0/0 0/0 {4bf92f3577b34da6a3ce929d0e0e4736} "GET /ok HTTP/1.1"`, false},
		{"custom log-format without a wrapper [real]", `127.0.0.1:46096 [22/Nov/2026:13:05:53.342] fe2 be_app/s1 0/0/0/0/0 500 95 ---- 1/1/0/0/0 0/0 "GET /e500 HTTP/1.1" rid=3b946889-250c-4002-b3f0-df52795088e3`, false},
		{"another program's request line [built]", `Feb  6 12:14:02 localhost nginx[1]: 10.0.1.2:33002 [06/Feb/2025:12:14:02.655] http-in be_app/srv1 0/0/-1/-1/1001 503 217 SC-- 1/1/1/1/0 0/0 "GET /r?n=2 HTTP/1.1"`, false},
		{"state message [real]", `<129>1 2026-11-21T07:14:37.337440+00:00 - haproxy 10752 - - Server be_down/srv1 is DOWN, reason: Layer4 connection problem, info: "Connection refused", check duration: 0ms. 0 active and 0 backup servers left. 0 sessions active, 0 requeued, 0 remaining in queue.`, false},
		{"other message [built]", `Feb  6 12:14:02 lb1 haproxy[1]: Proxy fe started.`, false},
	}
	for _, tt := range tests {
		if got := claims(tt.line); got != tt.want {
			t.Errorf("%s: claims = %v, want %v", tt.name, got, tt.want)
		}
	}
}

func TestParseUsesLocation(t *testing.T) {
	cet := time.FixedZone("CET", 3600)
	p := NewParser(sources.ParserOptions{Location: cet})
	rec, err := p.Parse(`127.0.0.1:42466 [21/Nov/2026:07:12:57.172] fe_http be_app/srv1 0/0/0/0/0 200 107 - - ---- 1/1/0/0/0 0/0 "GET /ok HTTP/1.1"`)
	if err != nil {
		t.Fatal(err)
	}
	got := rec.RecordTime()
	want := time.Date(2026, time.November, 21, 6, 12, 57, 172e6, time.UTC)
	if !got.Equal(want) || got.Location() != cet {
		t.Errorf("time = %v, want %v in CET", got, want)
	}
}

func TestFormatRegistered(t *testing.T) {
	f, ok := sources.LookupFormat("haproxy")
	if !ok {
		t.Fatal(`format "haproxy" is not registered`)
	}
	if f.Role != sources.RoleProxy {
		t.Errorf("role = %v, want proxy", f.Role)
	}
	p, err := f.New(sources.ParserOptions{})
	if err != nil || p == nil {
		t.Fatalf("New = %v, %v", p, err)
	}
	scores := []struct {
		line string
		want int
	}{
		{`127.0.0.1:42466 [21/Nov/2026:07:12:57.172] fe_http be_app/srv1 0/0/0/0/0 200 107 - - ---- 1/1/0/0/0 0/0 {4bf92f3577b34da6a3ce929d0e0e4736} "GET /ok HTTP/1.1"`, 100},
		{`[ALERT]    (10345) : backend 'be_l7sts' has no server available!`, 80},
		{`[NOTICE]   (8404) : haproxy version is 2.6.12-1+deb12u4`, 40},
		{`127.0.0.1 - - [21/Nov/2026:07:12:57 +0000] "GET / HTTP/1.1" 200 612 "-" "curl/7.88.1"`, 0},
		{`{"level":"info","ts":1795245290.87,"msg":"handled request"}`, 0},
	}
	for _, s := range scores {
		if got := f.Detect(s.line); got != s.want {
			t.Errorf("Detect(%.50q) = %d, want %d", s.line, got, s.want)
		}
	}
}

// TestTestdataParses checks that every captured line makes a record.
func TestTestdataParses(t *testing.T) {
	for _, line := range testdataLines(t) {
		rec, err := newTestParser().Parse(line)
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
	f.Add(`haproxy[674]: 127.0.0.1:33320 [15/Oct/2003:08:32:17.925] px-http px-http/srv1 9/0/7/14/30 502 243 - - PH-- 3/2/2/0/0 0/0 "GET /cgi-bin/bug.cgi? HTTP/1.0"`)
	f.Add(`[WARNING] 322/142802 (17) : Server be_app/srv1 is DOWN, reason: Layer4 timeout, check duration: 2001ms.`)
	f.Add(`10.0.0.9:51234 [02/Jan/2024:03:04:05.120] fe_http be_app/srv1 0/0/0/-1/1000 504 198 - - sH-- 1/1/0/0/0 0/0 "GET /search?q=aaa`)
	f.Add(`Jan  2 03:04:06 lb1 haproxy[14389]: backend be_app has no server available!`)
	f.Add(`10.0.0.9 - - [02/Jan/2024:03:04:07 +0000] "GET /api HTTP/1.1" 503 217 "" "" 51234 120 "fe_http" "be_app" "<NOSRV>" 0 -1 -1 -1 0 SC-- 1 1 0 0 +0 0 0 "" "" "a|b" "#22x"`)
	f.Add(`127.0.0.1:36628 [22/Nov/2026:05:50:26.576] fe be_app/s1 0/0/0/0/0 503 49 - - ---- 1/1/0/0/0 0/0 {hap-2-e503} "GET /e503 HTTP/1.1"`)
	f.Add(`10.0.0.9:51234 [02/Jan/2024:03:04:07.120] fe be/s1 0/0/0/5/5 503 217 - - ---- 1/1/0/0/0 0/0 {Mozilla/5.0 (X11#7C Linux)|0af7651916cd43dd8448eb211c80319c} {text/html} "GET /api HTTP/1.1"`)
	f.Add(`127.0.0.1:56210 [22/Nov/2026:09:59:51.741] fe be_app/s1 0/0/0/1/1 500 144 - - ---- 1/1/0/0/0 0/0 "GET /e500 HTTP/1.1" 7F000001DB9248596B02AF070003`)
	f.Add(`<134>Nov 22 23:50:38 lb1 haproxy[13309]: 127.0.0.1:43604 [22/Nov/2026:23:50:38.524] fe be_app/s1 0/0/0/0/0 500 190 ---- 1/1/0/0/0 0/0 "GET /error HTTP/1.1"`)
	f.Add(`<134>1 2026-11-22T23:50:53.666449+02:00 lb1 haproxy 14048 - - 127.0.0.1:55864 [22/Nov/2026:23:50:53.663] fe be_app/s1 0/0/0/2/2 500 190 - - ---- 1/1/0/0/0 0/0 "GET /error HTTP/1.1"`)
	f.Fuzz(func(t *testing.T, line string) {
		// Primed with the line itself (Prime must not panic either, and
		// keeps no record): the same properties hold.
		p := newTestParser()
		p.Prime([]string{line})
		rec, err := p.Parse(line)
		if err != nil {
			if rec != nil {
				t.Fatalf("error %v with a record %#v", err, rec)
			}
			return
		}
		// A line claimed (sources.Format.Claims) is one no layout reads.
		if claims(line) {
			t.Fatalf("claimed %q, but it parses: %#v", line, rec)
		}
		if rec.RawLine() != line {
			t.Fatalf("RawLine() = %q, want %q", rec.RawLine(), line)
		}
		if e, ok := rec.(*sources.ProxyEntry); ok {
			if len(e.Flags) != 4 || e.Status < -1 || e.Status > 999 || e.Upstream == "" {
				t.Fatalf("bad entry from %q: %#v", line, e)
			}
			// The engine reads the captures again (sources.Format.Captured):
			// the same block as the parser's.
			if e.RequestID != "" && !slices.Contains(requestCaptures(line), e.RequestID) {
				t.Fatalf("request id %q not among the captures %q of %q", e.RequestID, requestCaptures(line), line)
			}
			// Fields after the request line (sources.Format.Trailing) are
			// whole fields of the line, none empty.
			for _, f := range trailingFields(line) {
				if f == "" || strings.ContainsAny(f, " ") || !strings.Contains(line, f) {
					t.Fatalf("trailing field %q of %q", f, line)
				}
			}
		}
	})
}

func BenchmarkParse(b *testing.B) {
	var lines []string
	for _, line := range testdataLines(b) {
		if _, err := newTestParser().Parse(line); err == nil {
			lines = append(lines, line)
		}
	}
	p := newTestParser()
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

// TestRequestIDFromCaptures: the id is read from whichever captured
// request header holds it, not only the first (a reviewer's line
// captured the User-Agent first and the id got lost).
func TestRequestIDFromCaptures(t *testing.T) {
	tests := []struct{ name, block, want string }{
		{"id first", "4f7c2c8d1e0b6a9f3c2d1e0f9a8b7c6d|api.example.com", "4f7c2c8d1e0b6a9f3c2d1e0f9a8b7c6d"},
		{"id after the user agent", "Mozilla/5.0 (X11; Linux) Firefox|4f7c2c8d1e0b6a9f3c2d1e0f9a8b7c6d", "4f7c2c8d1e0b6a9f3c2d1e0f9a8b7c6d"},
		{"uuid third", "api.example.com||5f2b1c3d-7e8a-4b6c-9d0e-1f2a3b4c5d6e", "5f2b1c3d-7e8a-4b6c-9d0e-1f2a3b4c5d6e"},
		{"haproxy unique-id second", "api.example.com|7F000001:A5C2_7F000001:1F90_65A1B2C3_0001:1A2B", "7F000001:A5C2_7F000001:1F90_65A1B2C3_0001:1A2B"},
		// A token later on is not taken for the id: only hex shapes are.
		{"session token second", "api.example.com|sess01HGW2BQ9X8KZ3M4N5P6Q7R8S9", ""},
		{"ulid first", "01HGW2BQ9X8KZ3M4N5P6Q7R8S9|api.example.com", "01HGW2BQ9X8KZ3M4N5P6Q7R8S9"},
		{"nothing", "api.example.com|curl/8.4.0", ""},
		{"empty", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := requestIDFrom(tt.block); got != tt.want {
				t.Fatalf("requestIDFrom(%q) = %q, want %q", tt.block, got, tt.want)
			}
		})
	}
	line := `[2001:db8::1]:33317 [02/Jan/2024:03:04:05.100] http-in~ static/srv1 10/0/30/69/+109 503 +2750 - - ---- 1/1/1/1/0 0/0 {Mozilla/5.0 (X11; Linux) Firefox|4f7c2c8d1e0b6a9f3c2d1e0f9a8b7c6d} {} "GET /index.html HTTP/1.1"`
	rec, err := NewParser(sources.ParserOptions{Location: time.UTC}).Parse(line)
	if err != nil {
		t.Fatal(err)
	}
	if e := rec.(*sources.ProxyEntry); e.RequestID != "4f7c2c8d1e0b6a9f3c2d1e0f9a8b7c6d" || !e.Fields.Has(sources.FieldRequestID) {
		t.Fatalf("RequestID %q, fields %v", e.RequestID, e.Fields)
	}
}
