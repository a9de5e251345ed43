package nginx

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"fivexx/sources"
)

func TestErrorLog(t *testing.T) {
	p := newFormatParser(t, "nginx-error", sources.ParserOptions{Location: time.UTC})
	at := func(h, m, s int) time.Time { return labTime(h, m, s) }
	const labCtx = `, client: 127.0.0.1, server: lab.local, request: "GET /x HTTP/1.1", upstream: "http://127.0.0.1:50393/x", host: "127.0.0.1:43329"`
	labReq := func(e sources.ProxyError) sources.ProxyError {
		e.Client, e.Server, e.Request, e.Method, e.Path = "127.0.0.1", "lab.local", "GET /x HTTP/1.1", "GET", "/x"
		e.Upstream, e.UpstreamAddr, e.Host = "http://127.0.0.1:50393/x", "127.0.0.1:50393", "127.0.0.1:43329"
		return e
	}
	for _, tc := range []struct {
		name, line string
		want       sources.ProxyError
	}{
		{
			name: "lab: connect refused",
			line: `2026/11/21 07:12:46 [error] 5807#5807: *19 connect() failed (111: Connection refused) while connecting to upstream, client: 127.0.0.1, server: lab.local, request: "GET /down/x HTTP/1.1", upstream: "http://127.0.0.1:34065/x", host: "127.0.0.1:43329"`,
			want: sources.ProxyError{Time: at(7, 12, 46), Level: "error", Conn: "19",
				Message: "connect() failed (111: Connection refused) while connecting to upstream",
				Reason:  sources.ReasonRefused, Action: "connecting to upstream",
				Client: "127.0.0.1", Server: "lab.local", Request: "GET /down/x HTTP/1.1", Method: "GET", Path: "/down/x",
				Upstream: "http://127.0.0.1:34065/x", UpstreamAddr: "127.0.0.1:34065", Host: "127.0.0.1:43329"},
		},
		{
			name: "lab: connect timeout",
			line: `2026/11/21 07:13:09 [error] 7734#7734: *7 upstream timed out (110: Connection timed out) while connecting to upstream, client: 127.0.0.1, server: lab.local, request: "GET /stuck/x HTTP/1.1", upstream: "http://127.0.0.1:35051/x", host: "127.0.0.1:43329"`,
			want: sources.ProxyError{Time: at(7, 13, 9), Level: "error", Conn: "7",
				Message: "upstream timed out (110: Connection timed out) while connecting to upstream",
				Reason:  sources.ReasonConnectTimeout, Action: "connecting to upstream",
				Client: "127.0.0.1", Server: "lab.local", Request: "GET /stuck/x HTTP/1.1", Method: "GET", Path: "/stuck/x",
				Upstream: "http://127.0.0.1:35051/x", UpstreamAddr: "127.0.0.1:35051", Host: "127.0.0.1:43329"},
		},
		{
			name: "lab: read timeout",
			line: `2026/11/21 07:12:46 [error] 5807#5807: *9 upstream timed out (110: Connection timed out) while reading response header from upstream, client: 127.0.0.1, server: lab.local, request: "GET /slow HTTP/1.1", upstream: "http://127.0.0.1:50393/slow", host: "127.0.0.1:43329"`,
			want: sources.ProxyError{Time: at(7, 12, 46), Level: "error", Conn: "9",
				Message: "upstream timed out (110: Connection timed out) while reading response header from upstream",
				Reason:  sources.ReasonReadTimeout, Action: "reading response header from upstream",
				Client: "127.0.0.1", Server: "lab.local", Request: "GET /slow HTTP/1.1", Method: "GET", Path: "/slow",
				Upstream: "http://127.0.0.1:50393/slow", UpstreamAddr: "127.0.0.1:50393", Host: "127.0.0.1:43329"},
		},
		{
			name: "lab: prematurely closed before headers",
			line: `2026/11/21 07:12:46 [error] 5807#5807: *11 upstream prematurely closed connection while reading response header from upstream, client: 127.0.0.1, server: lab.local, request: "GET /reset HTTP/1.1", upstream: "http://127.0.0.1:50393/reset", host: "127.0.0.1:43329"`,
			want: sources.ProxyError{Time: at(7, 12, 46), Level: "error", Conn: "11",
				Message: "upstream prematurely closed connection while reading response header from upstream",
				Reason:  sources.ReasonReset, Action: "reading response header from upstream",
				Client: "127.0.0.1", Server: "lab.local", Request: "GET /reset HTTP/1.1", Method: "GET", Path: "/reset",
				Upstream: "http://127.0.0.1:50393/reset", UpstreamAddr: "127.0.0.1:50393", Host: "127.0.0.1:43329"},
		},
		{
			name: "lab: reset by peer",
			line: `2026/11/21 07:13:08 [error] 7734#7734: *3 recv() failed (104: Connection reset by peer) while reading response header from upstream` + labCtx,
			want: labReq(sources.ProxyError{Time: at(7, 13, 8), Level: "error", Conn: "3",
				Message: "recv() failed (104: Connection reset by peer) while reading response header from upstream",
				Reason:  sources.ReasonReset, Action: "reading response header from upstream"}),
		},
		{
			name: "lab: invalid header",
			line: `2026/11/21 07:12:46 [error] 5807#5807: *13 upstream sent invalid header: "Bad\x20..." while reading response header from upstream` + labCtx,
			want: labReq(sources.ProxyError{Time: at(7, 12, 46), Level: "error", Conn: "13",
				Message: `upstream sent invalid header: "Bad\x20..." while reading response header from upstream`,
				Reason:  sources.ReasonBadResponse, Action: "reading response header from upstream"}),
		},
		{
			name: "lab: too big header",
			line: `2026/11/21 07:13:08 [error] 7734#7734: *5 upstream sent too big header while reading response header from upstream` + labCtx,
			want: labReq(sources.ProxyError{Time: at(7, 13, 8), Level: "error", Conn: "5",
				Message: "upstream sent too big header while reading response header from upstream",
				Reason:  sources.ReasonBadResponse, Action: "reading response header from upstream"}),
		},
		{
			name: "lab: failure after the header was sent",
			line: `2026/11/21 07:12:46 [error] 5807#5807: *17 upstream prematurely closed connection while reading upstream` + labCtx,
			want: labReq(sources.ProxyError{Time: at(7, 12, 46), Level: "error", Conn: "17",
				Message: "upstream prematurely closed connection while reading upstream",
				Reason:  sources.ReasonAfterHeaders, Action: "reading upstream"}),
		},
		{
			name: "lab: no live upstreams names the group",
			line: `2026/11/21 07:12:46 [error] 5807#5807: *24 no live upstreams while connecting to upstream, client: 127.0.0.1, server: lab.local, request: "GET /pair/b HTTP/1.1", upstream: "http://pair/b", host: "127.0.0.1:43329"`,
			want: sources.ProxyError{Time: at(7, 12, 46), Level: "error", Conn: "24",
				Message: "no live upstreams while connecting to upstream",
				Reason:  sources.ReasonNoLiveUpstreams, Action: "connecting to upstream",
				Client: "127.0.0.1", Server: "lab.local", Request: "GET /pair/b HTTP/1.1", Method: "GET", Path: "/pair/b",
				Upstream: "http://pair/b", UpstreamAddr: "pair", Host: "127.0.0.1:43329"},
		},
		{
			name: "lab: limit_req",
			line: `2026/11/21 07:12:46 [error] 5807#5807: *33 limiting requests, excess: 1.000 by zone "one", client: 127.0.0.1, server: lab.local, request: "GET /limited HTTP/1.1", host: "127.0.0.1:43329"`,
			want: sources.ProxyError{Time: at(7, 12, 46), Level: "error", Conn: "33",
				Message: `limiting requests, excess: 1.000 by zone "one"`, Reason: sources.ReasonRateLimited,
				Client: "127.0.0.1", Server: "lab.local", Request: "GET /limited HTTP/1.1", Method: "GET", Path: "/limited",
				Host: "127.0.0.1:43329"},
		},
		{
			name: "lab: limit_conn",
			line: `2026/11/21 07:12:47 [error] 5807#5807: *51 limiting connections by zone "addr", client: 127.0.0.1, server: lab.local, request: "GET /lc HTTP/1.1", host: "127.0.0.1:43329"`,
			want: sources.ProxyError{Time: at(7, 12, 47), Level: "error", Conn: "51",
				Message: `limiting connections by zone "addr"`, Reason: sources.ReasonConnLimited,
				Client: "127.0.0.1", Server: "lab.local", Request: "GET /lc HTTP/1.1", Method: "GET", Path: "/lc",
				Host: "127.0.0.1:43329"},
		},
		{
			name: "lab: TLS handshake to upstream",
			line: `2026/11/21 07:12:46 [error] 5807#5807: *34 SSL_do_handshake() failed (SSL: error:0A00010B:SSL routines::wrong version number) while SSL handshaking to upstream, client: 127.0.0.1, server: lab.local, request: "GET /tls/x HTTP/1.1", upstream: "https://127.0.0.1:38345/x", host: "127.0.0.1:43329"`,
			want: sources.ProxyError{Time: at(7, 12, 46), Level: "error", Conn: "34",
				Message: "SSL_do_handshake() failed (SSL: error:0A00010B:SSL routines::wrong version number) while SSL handshaking to upstream",
				Reason:  sources.ReasonTLS, Action: "SSL handshaking to upstream",
				Client: "127.0.0.1", Server: "lab.local", Request: "GET /tls/x HTTP/1.1", Method: "GET", Path: "/tls/x",
				Upstream: "https://127.0.0.1:38345/x", UpstreamAddr: "127.0.0.1:38345", Host: "127.0.0.1:43329"},
		},
		{
			name: "lab: no resolver",
			line: `2026/11/21 07:12:46 [error] 5807#5807: *36 no resolver defined to resolve backend.invalid, client: 127.0.0.1, server: lab.local, request: "GET /nores/x HTTP/1.1", host: "127.0.0.1:43329"`,
			want: sources.ProxyError{Time: at(7, 12, 46), Level: "error", Conn: "36",
				Message: "no resolver defined to resolve backend.invalid", Reason: sources.ReasonDNS,
				Client: "127.0.0.1", Server: "lab.local", Request: "GET /nores/x HTTP/1.1", Method: "GET", Path: "/nores/x",
				Host: "127.0.0.1:43329"},
		},
		{
			name: "lab: could not be resolved",
			line: `2026/11/21 07:12:47 [error] 5807#5807: *37 backend.invalid could not be resolved (110: Operation timed out), client: 127.0.0.1, server: lab.local, request: "GET /dns/x HTTP/1.1", host: "127.0.0.1:43329"`,
			want: sources.ProxyError{Time: at(7, 12, 47), Level: "error", Conn: "37",
				Message: "backend.invalid could not be resolved (110: Operation timed out)", Reason: sources.ReasonDNS,
				Client: "127.0.0.1", Server: "lab.local", Request: "GET /dns/x HTTP/1.1", Method: "GET", Path: "/dns/x",
				Host: "127.0.0.1:43329"},
		},
		{
			name: "lab: resolver send failed, no request context",
			line: `2026/11/21 07:12:46 [error] 5807#5807: send() failed (111: Connection refused) while resolving, resolver: 127.0.0.1:38283`,
			want: sources.ProxyError{Time: at(7, 12, 46), Level: "error",
				Message: "send() failed (111: Connection refused) while resolving, resolver: 127.0.0.1:38283",
				Reason:  sources.ReasonDNS, Action: "resolving"},
		},
		{
			name: "lab: unix socket missing, at crit",
			line: `2026/11/21 07:12:47 [crit] 5807#5807: *44 connect() to unix:/tmp/nginxlab/nosuch.sock failed (2: No such file or directory) while connecting to upstream, client: 127.0.0.1, server: lab.local, request: "GET /unix/x HTTP/1.1", upstream: "http://unix:/tmp/nginxlab/nosuch.sock:/x", host: "127.0.0.1:43329"`,
			want: sources.ProxyError{Time: at(7, 12, 47), Level: "crit", Conn: "44",
				Message: "connect() to unix:/tmp/nginxlab/nosuch.sock failed (2: No such file or directory) while connecting to upstream",
				Reason:  sources.ReasonRefused, Action: "connecting to upstream",
				Client: "127.0.0.1", Server: "lab.local", Request: "GET /unix/x HTTP/1.1", Method: "GET", Path: "/unix/x",
				Upstream: "http://unix:/tmp/nginxlab/nosuch.sock:/x", UpstreamAddr: "unix:/tmp/nginxlab/nosuch.sock",
				Host: "127.0.0.1:43329"},
		},
		{
			name: "lab: client went away",
			line: `2026/11/21 07:12:50 [info] 5807#5807: *52 epoll_wait() reported that client prematurely closed connection, so upstream connection is closed too while sending request to upstream` + labCtx,
			want: labReq(sources.ProxyError{Time: at(7, 12, 50), Level: "info", Conn: "52",
				Message: "epoll_wait() reported that client prematurely closed connection, so upstream connection is closed too while sending request to upstream",
				Reason:  sources.ReasonClientAbort, Action: "sending request to upstream"}),
		},
		{
			name: "lab: keepalive close is no failure",
			line: `2026/11/21 07:12:46 [info] 5807#5807: *21 client 127.0.0.1 closed keepalive connection`,
			want: sources.ProxyError{Time: at(7, 12, 46), Level: "info", Conn: "21",
				Message: "client 127.0.0.1 closed keepalive connection"},
		},
		{
			name: "lab: temporarily disabled is a precursor only",
			line: `2026/11/21 07:12:46 [warn] 5807#5807: *21 upstream server temporarily disabled while connecting to upstream` + labCtx,
			want: labReq(sources.ProxyError{Time: at(7, 12, 46), Level: "warn", Conn: "21",
				Message: "upstream server temporarily disabled while connecting to upstream", Action: "connecting to upstream"}),
		},
		{
			name: "lab: startup notice",
			line: `2026/11/21 07:12:42 [notice] 5803#5803: start worker process 5807`,
			want: sources.ProxyError{Time: at(7, 12, 42), Level: "notice", Message: "start worker process 5807"},
		},
		{
			name: "lab: broken request line",
			line: `2026/11/21 07:12:52 [info] 5807#5807: *54 client sent invalid request while reading client request line, client: 127.0.0.1, server: lab.local, request: "GET /a b c"`,
			want: sources.ProxyError{Time: at(7, 12, 52), Level: "info", Conn: "54",
				Message: "client sent invalid request while reading client request line", Action: "reading client request line",
				Client: "127.0.0.1", Server: "lab.local", Request: "GET /a b c", Method: "GET", Path: "/a b c"},
		},
		{
			name: "formats.md 2.3 [real]: empty server",
			line: `2020/05/07 03:15:12 [error] 6#6: *1 connect() failed (111: Connection refused) while connecting to upstream, client: 172.21.0.1, server: , request: "GET / HTTP/1.1", upstream: "http://172.21.0.19:9000/", host: "0.0.0.0:9000"`,
			want: sources.ProxyError{Time: time.Date(2020, 5, 7, 3, 15, 12, 0, time.UTC), Level: "error", Conn: "1",
				Message: "connect() failed (111: Connection refused) while connecting to upstream",
				Reason:  sources.ReasonRefused, Action: "connecting to upstream",
				Client: "172.21.0.1", Request: "GET / HTTP/1.1", Method: "GET", Path: "/",
				Upstream: "http://172.21.0.19:9000/", UpstreamAddr: "172.21.0.19:9000", Host: "0.0.0.0:9000"},
		},
		{
			name: "formats.md 2.3 [real]: musl wording, errno 110",
			line: `2023/03/08 16:02:40 [error] 31#31: *569 upstream timed out (110: Operation timed out) while connecting to upstream, client: 108.162.227.25, server: dev-aws.example.com, request: "GET / HTTP/1.1", upstream: "http://192.168.215.1:80/", host: "dev-aws.example.com"`,
			want: sources.ProxyError{Time: time.Date(2023, 3, 8, 16, 2, 40, 0, time.UTC), Level: "error", Conn: "569",
				Message: "upstream timed out (110: Operation timed out) while connecting to upstream",
				Reason:  sources.ReasonConnectTimeout, Action: "connecting to upstream",
				Client: "108.162.227.25", Server: "dev-aws.example.com", Request: "GET / HTTP/1.1", Method: "GET", Path: "/",
				Upstream: "http://192.168.215.1:80/", UpstreamAddr: "192.168.215.1:80", Host: "dev-aws.example.com"},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r, err := p.Parse(tc.line)
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			want := tc.want
			want.Raw = tc.line
			if diff := cmp.Diff(&want, r.(*sources.ProxyError)); diff != "" {
				t.Errorf("mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

// TestErrorReasons covers catalogue messages (formats.md §2.2) the lab did
// not produce, by reason alone.
func TestErrorReasons(t *testing.T) {
	for _, tc := range []struct {
		msg  string
		want sources.Reason
	}{
		{`connect() to 10.0.0.1:8080 failed (113: No route to host) while connecting to upstream`, sources.ReasonRefused},
		{`connect() to 10.0.0.1:8080 failed (101: Network is unreachable)`, sources.ReasonRefused},
		{`connect() to unix:/run/app.sock failed (13: Permission denied) while connecting to upstream`, sources.ReasonRefused},
		{`connect() to unix:/run/app.sock failed (11: Resource temporarily unavailable) while connecting to upstream`, sources.ReasonRefused},
		// BSD and macOS numbers (formats.md §2.4), taken when the text agrees.
		{`connect() failed (61: Connection refused) while connecting to upstream`, sources.ReasonRefused},
		{`kevent() reported that connect() failed (61: Connection refused) while connecting to upstream`, sources.ReasonRefused},
		{`kevent() reported that connect() failed (60: Operation timed out) while connecting to upstream`, sources.ReasonConnectTimeout},
		{`recv() failed (54: Connection reset by peer) while reading response header from upstream`, sources.ReasonReset},
		{`connect() failed (65: No route to host) while connecting to upstream`, sources.ReasonRefused},
		{`recv() failed (61: No data available) while reading response header from upstream`, sources.ReasonNone}, // Linux ENODATA
		{`upstream sent unexpected FastCGI record: 3 while reading response header from upstream`, sources.ReasonBadResponse},
		{`upstream sent more data than specified in "Content-Length" header while reading response header from upstream`, sources.ReasonBadResponse},
		{`FastCGI sent in stderr: "PHP message: boom" while reading response header from upstream`, sources.ReasonNone},
		{`recv() failed (111: Connection refused) while reading response header from upstream`, sources.ReasonRefused},
		{`writev() failed (32: Broken pipe) while sending request to upstream`, sources.ReasonReset},
		{`recv() failed (104: Connection reset by peer) while reading upstream`, sources.ReasonAfterHeaders},
		{`upstream timed out (110: Connection timed out) while reading upstream`, sources.ReasonAfterHeaders},
		{`upstream timed out (110: Connection timed out) while sending request to upstream`, sources.ReasonReadTimeout},
		{`upstream sent invalid chunked response while reading upstream`, sources.ReasonAfterHeaders},
		{`upstream sent no valid HTTP/1.0 header while reading response header from upstream`, sources.ReasonBadResponse},
		{`upstream sent duplicate header line: "Content-Length: 5", previous value: "Content-Length: 3" while reading response header from upstream`, sources.ReasonBadResponse},
		{`an upstream response is buffered to a temporary file /var/cache/nginx/1/00/0000000001 while reading upstream`, sources.ReasonNone},
		{`upstream SSL certificate verify error: (10:certificate has expired) while SSL handshaking to upstream`, sources.ReasonTLS},
		{`upstream SSL certificate does not match "api.internal" while SSL handshaking to upstream`, sources.ReasonTLS},
		{`peer closed connection in SSL handshake (104: Connection reset by peer) while SSL handshaking to upstream`, sources.ReasonTLS},
		{`peer closed connection in SSL handshake while SSL handshaking`, sources.ReasonNone}, // a client, not the upstream
		{`backend could not be resolved (3: Host not found)`, sources.ReasonDNS},
		{`limiting requests, dry run, excess: 0.580 by zone "one"`, sources.ReasonNone},
		{`delaying request, excess: 0.580, by zone "one"`, sources.ReasonNone},
		{`client prematurely closed connection while reading client request body`, sources.ReasonClientAbort},
		{`writev() failed (32: Broken pipe) while sending to client`, sources.ReasonClientAbort},
		{`host not found in upstream "backend:8080" in /etc/nginx/conf.d/x.conf:12`, sources.ReasonNone},
	} {
		action := ""
		if i := strings.LastIndex(tc.msg, " while "); i >= 0 {
			action = tc.msg[i+len(" while "):]
		}
		if got := errorReason(tc.msg, action); got != tc.want {
			t.Errorf("errorReason(%q) = %q, want %q", tc.msg, got, tc.want)
		}
	}
}

func TestErrorLogEdges(t *testing.T) {
	t.Run("zone from the options", func(t *testing.T) {
		loc := time.FixedZone("CET", 3600)
		p := newFormatParser(t, "nginx-error", sources.ParserOptions{Location: loc})
		r, err := p.Parse(`2026/11/21 07:13:14 [notice] 7728#7728: exit`)
		if err != nil {
			t.Fatal(err)
		}
		if got, want := r.RecordTime(), time.Date(2026, 11, 21, 6, 13, 14, 0, time.UTC); !got.Equal(want) {
			t.Errorf("time = %v, want %v", got, want)
		}
	})

	t.Run("line cut at 2048 bytes inside the request", func(t *testing.T) {
		long := `2026/11/21 07:12:46 [error] 5807#5807: *19 connect() failed (111: Connection refused) while connecting to upstream, client: 127.0.0.1, server: lab.local, request: "GET /` +
			strings.Repeat("a", 3000) + ` HTTP/1.1", upstream: "http://127.0.0.1:34065/x", host: "127.0.0.1:43329"`
		line := long[:2048]
		r, err := newFormatParser(t, "nginx-error", sources.ParserOptions{}).Parse(line)
		if err != nil {
			t.Fatal(err)
		}
		e := r.(*sources.ProxyError)
		if e.Reason != sources.ReasonRefused || e.Client != "127.0.0.1" || e.Method != "GET" ||
			!strings.HasPrefix(e.Path, "/aaa") || e.Upstream != "" || e.Raw != line {
			t.Errorf("cut line = %+v", e)
		}
	})

	t.Run("quote inside the request line", func(t *testing.T) {
		line := `2026/11/21 07:12:46 [error] 1#1: *2 connect() failed (111: Connection refused) while connecting to upstream, client: 10.0.0.1, server: x, request: "GET /a", host: "b HTTP/1.1", upstream: "http://10.0.0.2:80/a", host: "x"`
		r, err := newFormatParser(t, "nginx-error", sources.ParserOptions{}).Parse(line)
		if err != nil {
			t.Fatal(err)
		}
		e := r.(*sources.ProxyError)
		if e.Request != `GET /a", host: "b HTTP/1.1` || e.UpstreamAddr != "10.0.0.2:80" || e.Host != "x" {
			t.Errorf("request %q upstream %q host %q", e.Request, e.UpstreamAddr, e.Host)
		}
	})

	t.Run("not error-log lines", func(t *testing.T) {
		p := newFormatParser(t, "nginx-error", sources.ParserOptions{})
		for _, line := range []string{
			``,
			`127.0.0.1 - - [21/Nov/2026:07:12:46 +0000] "GET /pair/b HTTP/1.1" 502 157 "-" "curl/7.88.1"`,
			`2026/11/21 07:12:46 [loud] 1#1: x`,
			`2026/11/21 07:12:46 [error] 1: x`,
			`2026-11-21 07:12:46 [error] 1#1: x`,
			`… [error] 1046#1046: *2094 upstream timed out (110: Connection timed out) while reading response header from upstream`,
		} {
			r, err := p.Parse(line)
			if r != nil || !errors.Is(err, sources.ErrNoMatch) {
				t.Errorf("Parse(%.50q) = %v, %v; want ErrNoMatch", line, r, err)
			}
			if s := detectError(line); s != 0 {
				t.Errorf("detectError(%.50q) = %d", line, s)
			}
		}
	})
}

func TestErrorLogAllLabLines(t *testing.T) {
	p := newFormatParser(t, "nginx-error", sources.ParserOptions{})
	reasons := map[sources.Reason]int{}
	for _, line := range testdataLines(t, "error.log") {
		r, err := p.Parse(line)
		if err != nil {
			t.Fatalf("Parse(%.60q): %v", line, err)
		}
		reasons[r.(*sources.ProxyError).Reason]++
	}
	// Every failure the lab caused is recognised.
	for _, want := range []sources.Reason{
		sources.ReasonRefused, sources.ReasonDNS, sources.ReasonTLS, sources.ReasonReset, sources.ReasonBadResponse,
		sources.ReasonConnectTimeout, sources.ReasonReadTimeout, sources.ReasonNoLiveUpstreams,
		sources.ReasonRateLimited, sources.ReasonConnLimited, sources.ReasonClientAbort, sources.ReasonAfterHeaders,
	} {
		if reasons[want] == 0 {
			t.Errorf("no lab line gave reason %q", want)
		}
	}
}

func FuzzErrorLog(f *testing.F) {
	for _, line := range append(testdataLines(f, "error.log"), errorContextEdgeLines...) {
		f.Add(line)
	}
	p := newFormatParser(f, "nginx-error", sources.ParserOptions{Location: time.UTC})
	f.Fuzz(func(t *testing.T, line string) {
		checkParseProperties(t, p, line)
		compareErrorLine(t, line)
		compareErrorParse(t, line)
	})
}

func BenchmarkErrorLog(b *testing.B) {
	benchmarkParser(b, newFormatParser(b, "nginx-error", sources.ParserOptions{}), testdataLines(b, "error.log"))
}
