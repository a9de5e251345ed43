package lab

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"fivexx/classify"
)

// Real lines, written by nginx 1.22.1, HAProxy 2.6.12 and Caddy 2.6.2 under
// the lab's faults.
const (
	ngxNoLive   = `2026/11/21 07:24:40 [error] 29557#29557: *2 no live upstreams while connecting to upstream, client: 127.0.0.1, server: , request: "GET /ok?n=60 HTTP/1.1", upstream: "http://app/ok?n=60", host: "127.0.0.1:40569"`
	ngxRefused  = `2026/11/21 07:24:33 [error] 29557#29557: *2 connect() failed (111: Connection refused) while connecting to upstream, client: 127.0.0.1, server: , request: "GET /ok?n=45 HTTP/1.1", upstream: "http://127.0.0.1:46579/ok?n=45", host: "127.0.0.1:40569"`
	ngxClosed   = `2026/11/21 07:24:51 [error] 29557#29557: *2 upstream prematurely closed connection while reading response header from upstream, client: 127.0.0.1, server: , request: "GET /crash?n=79&on=127.0.0.1:46579 HTTP/1.1", upstream: "http://127.0.0.1:46579/crash?n=79&on=127.0.0.1:46579", host: "127.0.0.1:40569"`
	ngxReset    = `2026/11/21 07:25:08 [error] 29557#29557: *2 recv() failed (104: Connection reset by peer) while reading response header from upstream, client: 127.0.0.1, server: , request: "GET /reset?n=99 HTTP/1.1", upstream: "http://127.0.0.1:46579/reset?n=99", host: "127.0.0.1:40569"`
	ngxInvalid  = `2026/11/21 07:25:16 [error] 29557#29557: *2 upstream sent invalid header: "Bad\x20..." while reading response header from upstream, client: 127.0.0.1, server: , request: "GET /badheader?n=107 HTTP/1.1", upstream: "http://127.0.0.1:46579/badheader?n=107", host: "127.0.0.1:40569"`
	ngxTooBig   = `2026/11/21 07:25:23 [error] 29557#29557: *2 upstream sent too big header while reading response header from upstream, client: 127.0.0.1, server: , request: "GET /bigheader?n=115 HTTP/1.1", upstream: "http://127.0.0.1:46579/bigheader?n=115", host: "127.0.0.1:40569"`
	ngxTimedOut = `2026/11/21 07:25:32 [error] 29557#29557: *2 upstream timed out (110: Connection timed out) while reading response header from upstream, client: 127.0.0.1, server: , request: "GET /slow?n=123 HTTP/1.1", upstream: "http://127.0.0.1:46579/slow?n=123", host: "127.0.0.1:40569"`
	ngxLimited  = `2026/11/21 07:25:40 [error] 29557#29557: *2 limiting requests, excess: 0.794 by zone "lab_limit", client: 127.0.0.1, server: , request: "GET /limited?n=128 HTTP/1.1", host: "127.0.0.1:40569"`
	ngxDisabled = `2026/11/21 07:14:45 [warn] 10467#10467: *26 upstream server temporarily disabled while reading response header from upstream, client: 127.0.0.1, server: , request: "GET /bigheader?n=4 HTTP/1.1", upstream: "http://127.0.0.1:19102/bigheader?n=4", host: "127.0.0.1:18080"`

	hapRefused  = `127.0.0.1:57224 [21/Nov/2026:07:24:35.974] fe_http be_app/s2 0/0/-1/-1/0 503 217 - - SC-- 1/1/0/0/+2 0/0 {3cb6fd018904ba5528c803146539feb1} "GET /ok?n=59 HTTP/1.1"`
	hapReset    = `127.0.0.1:35310 [21/Nov/2026:07:24:45.204] fe_http be_app/s1 0/0/0/-1/11 502 209 - - SH-- 1/1/0/0/0 0/0 {0454a388ee611729367d7cb455768e2b} "GET /crash?n=83 HTTP/1.1"`
	hapBad      = `127.0.0.1:38082 [21/Nov/2026:07:24:54.547] fe_http be_app/s1 0/0/0/-1/0 502 209 - - PH-- 1/1/0/0/0 0/0 {1ad0fefb6fd94e094ac9aacc03d05bb2} "GET /badheader?n=103&on=127.0.0.1:44231 HTTP/1.1"`
	hapTimeout  = `127.0.0.1:38082 [21/Nov/2026:07:25:00.135] fe_http be_app/s1 0/0/0/-1/1100 504 198 - - sH-- 1/1/0/0/0 0/0 {7acbbce420bd7c4fd85d6cf6b2b1aabc} "GET /slow?n=119&on=127.0.0.1:44231 HTTP/1.1"`
	hapNoSrv    = `<134>Nov 21 07:24:38 haproxy[29552]: 127.0.0.1:41936 [21/Nov/2026:07:24:36.217] fe_http be_app/<NOSRV> 0/0/-1/-1/2002 503 217 - - SC-- 1/1/0/0/+2 0/0 {e032a1ed19889e13fc89ddbc72600757} "GET /ok?n=60 HTTP/1.1"`
	hapOK503    = `127.0.0.1:47844 [21/Nov/2026:07:15:00.460] fe_http be_app/s2 0/0/0/0/0 503 198 - - ---- 1/1/0/0/0 0/0 {id-unavailable} "GET /unavailable?n=21 HTTP/1.1"`
	hapDownLine = `Server be_app/s1 is DOWN, reason: Layer4 connection problem, info: "Connection refused", check duration: 0ms. 1 active and 0 backup servers left. 0 sessions active, 0 requeued, 0 remaining in queue.`

	cadRefused = `{"level":"error","ts":1795245880.8827925,"logger":"http.log.error","msg":"dial tcp 127.0.0.1:41283: connect: connection refused","request":{"remote_ip":"127.0.0.1","remote_port":"38908","proto":"HTTP/1.1","method":"GET","host":"127.0.0.1:38179","uri":"/ok?n=59","headers":{"User-Agent":["fivexx-lab/1"],"X-Request-Id":["06cceb289cb72cc7336e0920af266871"],"Accept-Encoding":["gzip"]}},"duration":1.002156982,"status":502,"err_id":"bszj9nt9h","err_trace":"reverseproxy.statusError (reverseproxy.go:1272)"}`
	cadNoUp    = `{"level":"error","ts":1795245882.1397316,"logger":"http.log.error","msg":"no upstreams available","request":{"remote_ip":"127.0.0.1","remote_port":"38908","proto":"HTTP/1.1","method":"GET","host":"127.0.0.1:38179","uri":"/ok?n=60","headers":{"X-Request-Id":["68737c4b9b0d6daf8c2a8d2ef158a1d2"],"Accept-Encoding":["gzip"],"User-Agent":["fivexx-lab/1"]}},"duration":1.004076583,"status":503,"err_id":"gjes8qwuk","err_trace":"reverseproxy.(*Handler).proxyLoopIteration (reverseproxy.go:524)"}`
	cadEOF     = `{"level":"error","ts":1795245920.1055112,"logger":"http.log.error","msg":"EOF","request":{"remote_ip":"127.0.0.1","remote_port":"38908","proto":"HTTP/1.1","method":"GET","host":"127.0.0.1:38179","uri":"/hangup?n=91","headers":{"User-Agent":["fivexx-lab/1"],"X-Request-Id":["43fbd831bd05702f5671e92af624c14a"],"Accept-Encoding":["gzip"]}},"duration":1.004162751,"status":502,"err_id":"x0agr2dcj","err_trace":"reverseproxy.statusError (reverseproxy.go:1272)"}`
	cadReset   = `{"level":"error","ts":1795245930.5485113,"logger":"http.log.error","msg":"read tcp 127.0.0.1:35574->127.0.0.1:32941: read: connection reset by peer","request":{"remote_ip":"127.0.0.1","remote_port":"38908","proto":"HTTP/1.1","method":"GET","host":"127.0.0.1:38179","uri":"/reset?n=99","headers":{"User-Agent":["fivexx-lab/1"],"X-Request-Id":["45141586aa36e8e42bac0640e02ad10f"],"Accept-Encoding":["gzip"]}},"duration":1.004227547,"status":502,"err_id":"gawicusf6","err_trace":"reverseproxy.statusError (reverseproxy.go:1272)"}`
	cadBad     = `{"level":"error","ts":1795245941.4118998,"logger":"http.log.error","msg":"net/http: HTTP/1.x transport connection broken: malformed MIME header: missing colon: \"Bad Header Line\"","request":{"remote_ip":"127.0.0.1","remote_port":"38908","proto":"HTTP/1.1","method":"GET","host":"127.0.0.1:38179","uri":"/badheader?n=107","headers":{"User-Agent":["fivexx-lab/1"],"X-Request-Id":["fa4442b48b6db4b5c6b788ddada05154"],"Accept-Encoding":["gzip"]}},"duration":1.153482848,"status":502,"err_id":"071upp6aj","err_trace":"reverseproxy.statusError (reverseproxy.go:1272)"}`
	cadBig     = `{"level":"error","ts":1795245330.8061953,"logger":"http.log.error","msg":"net/http: HTTP/1.x transport connection broken: net/http: server response headers exceeded 16384 bytes; aborted","request":{"remote_ip":"127.0.0.1","remote_port":"56252","proto":"HTTP/1.1","method":"GET","host":"127.0.0.1:34154","uri":"/bigheader?n=115","headers":{"User-Agent":["curl/7.88.1"],"Accept":["*/*"],"X-Request-Id":["id-bigheader"]}},"duration":1.005155976,"status":502,"err_id":"nrzzjgfqv","err_trace":"reverseproxy.statusError (reverseproxy.go:1272)"}`
	cadTimeout = `{"level":"error","ts":1795245963.409277,"logger":"http.log.error","msg":"net/http: timeout awaiting response headers","request":{"remote_ip":"127.0.0.1","remote_port":"38908","proto":"HTTP/1.1","method":"GET","host":"127.0.0.1:38179","uri":"/slow?n=123","headers":{"User-Agent":["fivexx-lab/1"],"X-Request-Id":["49ce9632920598e29df2973dd0a3f39c"],"Accept-Encoding":["gzip"]}},"duration":1.008518931,"status":504,"err_id":"zvsrximuk","err_trace":"reverseproxy.statusError (reverseproxy.go:1272)"}`
	cadAccess  = `{"level":"error","ts":1795245308.2263744,"logger":"http.log.access","msg":"handled request","request":{"remote_ip":"127.0.0.1","remote_port":"59352","proto":"HTTP/1.1","method":"GET","host":"127.0.0.1:34154","uri":"/unavailable?n=21","headers":{}},"user_id":"","duration":0.000762558,"size":20,"status":503,"resp_headers":{}}`
)

// evidenceFrom builds Evidence from log lines, as ReadEvidence does from files.
func evidenceFrom(t *testing.T, kind string, proxyLines, appLines []string) *Evidence {
	t.Helper()
	dir := t.TempDir()
	write := func(name string, lines []string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(strings.Join(lines, "\n")+"\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	proxyLog := write("proxy.log", proxyLines)
	app := write("app.log", appLines)
	ev, err := ReadEvidence(kind, proxyLog, proxyLog, app)
	if err != nil {
		t.Fatal(err)
	}
	return ev
}

func TestDecide(t *testing.T) {
	app503 := `{"time":"2026-11-21T07:14:29.294186143Z","level":"INFO","msg":"request finished","request_id":"x","method":"GET","path":"/unavailable?n=21","instance":"127.0.0.1:19102","status":503,"duration_ms":0.100}`
	app500text := `2026-11-21T07:24:31.410Z INFO request finished method=GET path=/error?n=22 instance=127.0.0.1:37625 status=500 duration_ms=0.042`
	appLate200 := `{"time":"2026-11-21T07:14:53.358068493Z","level":"INFO","msg":"request finished","request_id":"x","method":"GET","path":"/slow?n=123","instance":"127.0.0.1:19101","status":200,"duration_ms":2000.180}`
	// A crash: two instances took the request and died, nothing finished it.
	appCrash1 := `{"time":"2026-11-21T07:34:36.672441612Z","level":"INFO","msg":"request started","request_id":"27bd70341f8a48da9d9fb06156d59e22","method":"GET","path":"/crash?n=150","instance":"127.0.0.1:41575"}`
	appCrash2 := `2026-11-21T07:35:26.222Z INFO request started request_id=71e25fb171937db7dde73c0d46e91c1d method=GET path=/crash?n=159 instance=127.0.0.1:41283`
	apps := []string{app503, app500text, appLate200, appCrash1, appCrash2}
	hapCrashRefused := `127.0.0.1:43794 [21/Nov/2026:07:34:36.672] fe_http be_app/s1 0/0/-1/-1/0 503 217 - - SC-- 2/2/0/0/+2 0/0 {27bd70341f8a48da9d9fb06156d59e22} "GET /crash?n=150 HTTP/1.1"`

	type want struct {
		Cause     classify.Cause
		DecidedBy string
		Account   string
		Reports   int
	}
	tests := []struct {
		name   string
		kind   string
		lines  []string
		n      int
		path   string
		status int
		want   want
	}{
		{"2xx has no cause even with reports", "nginx", []string{ngxClosed}, 79, "/crash?n=79&on=127.0.0.1:46579", 200,
			want{"", "", "", 1}},
		{"app 503 from the app log", "nginx", nil, 21, "/unavailable?n=21", 503,
			want{classify.AppUnavailable, "app_log", "", 0}},
		{"app 500 from the plain-text app log", "nginx", nil, 22, "/error?n=22", 500,
			want{classify.AppError, "app_log", "", 0}},
		{"nginx refused", "nginx", []string{ngxRefused}, 45, "/ok?n=45", 502,
			want{classify.UpstreamRefused, "nginx_error_log", "connect() failed (111: Connection refused) while connecting to upstream", 1}},
		{"nginx no live upstreams", "nginx", []string{ngxNoLive}, 60, "/ok?n=60", 502,
			want{classify.NoHealthyUpstream, "nginx_error_log", "no live upstreams while connecting to upstream", 1}},
		{"nginx reset, warn line ignored", "nginx", []string{ngxReset, strings.Replace(ngxDisabled, "bigheader?n=4", "reset?n=99", 2)}, 99, "/reset?n=99", 502,
			want{classify.UpstreamReset, "nginx_error_log", "recv() failed (104: Connection reset by peer) while reading response header from upstream", 1}},
		{"nginx invalid header", "nginx", []string{ngxInvalid}, 107, "/badheader?n=107", 502,
			want{classify.UpstreamBadResponse, "nginx_error_log", `upstream sent invalid header: "Bad\x20..." while reading response header from upstream`, 1}},
		{"nginx too big header", "nginx", []string{ngxTooBig}, 115, "/bigheader?n=115", 502,
			want{classify.UpstreamBadResponse, "nginx_error_log", "upstream sent too big header while reading response header from upstream", 1}},
		{"nginx timeout beats the late app 200", "nginx", []string{ngxTimedOut}, 123, "/slow?n=123", 504,
			want{classify.UpstreamTimeout, "nginx_error_log", "upstream timed out (110: Connection timed out) while reading response header from upstream", 1}},
		{"nginx timeout then no live: the timeout decides", "nginx",
			[]string{ngxTimedOut, strings.Replace(ngxNoLive, "/ok?n=60", "/slow?n=123", 2)}, 123, "/slow?n=123", 502,
			want{classify.UpstreamTimeout, "nginx_error_log", "upstream timed out (110: Connection timed out) while reading response header from upstream", 2}},
		{"nginx limit_req", "nginx", []string{ngxLimited}, 128, "/limited?n=128", 503,
			want{classify.ProxyRejected, "nginx_error_log", `limiting requests, excess: 0.794 by zone "lab_limit"`, 1}},
		{"haproxy refused", "haproxy", []string{hapRefused}, 59, "/ok?n=59", 503,
			want{classify.UpstreamRefused, "haproxy_flags", "be_app/s2 SC-- 0/0/-1/-1/0 retries=+2", 1}},
		{"haproxy reset", "haproxy", []string{hapReset}, 83, "/crash?n=83", 502,
			want{classify.UpstreamReset, "haproxy_flags", "be_app/s1 SH-- 0/0/0/-1/11", 1}},
		{"haproxy bad header", "haproxy", []string{hapBad}, 103, "/badheader?n=103&on=127.0.0.1:44231", 502,
			want{classify.UpstreamBadResponse, "haproxy_flags", "be_app/s1 PH-- 0/0/0/-1/0", 1}},
		{"haproxy server timeout", "haproxy", []string{hapTimeout}, 119, "/slow?n=119&on=127.0.0.1:44231", 504,
			want{classify.UpstreamTimeout, "haproxy_flags", "be_app/s1 sH-- 0/0/0/-1/1100", 1}},
		{"haproxy NOSRV behind a syslog header", "haproxy", []string{hapDownLine, hapNoSrv}, 60, "/ok?n=60", 503,
			want{classify.NoHealthyUpstream, "haproxy_flags", "be_app/<NOSRV> SC-- 0/0/-1/-1/2002 retries=+2", 1}},
		{"haproxy ---- 503 is the app's", "haproxy", []string{hapOK503}, 21, "/unavailable?n=21", 503,
			want{classify.AppUnavailable, "app_log", "", 0}},
		{"caddy refused", "caddy", []string{cadRefused}, 59, "/ok?n=59", 502,
			want{classify.UpstreamRefused, "caddy_error_log", "dial tcp 127.0.0.1:41283: connect: connection refused", 1}},
		{"caddy refused after the request crashed the instance", "caddy", []string{strings.Replace(cadRefused, "/ok?n=59", "/crash?n=159", 1)}, 159, "/crash?n=159", 502,
			want{classify.UpstreamReset, "caddy_error_log+app_log", "dial tcp 127.0.0.1:41283: connect: connection refused", 1}},
		{"haproxy SC-- after the request crashed both instances", "haproxy", []string{hapCrashRefused}, 150, "/crash?n=150", 503,
			want{classify.UpstreamReset, "haproxy_flags+app_log", "be_app/s1 SC-- 0/0/-1/-1/0 retries=+2", 1}},
		{"caddy no upstreams", "caddy", []string{cadNoUp}, 60, "/ok?n=60", 503,
			want{classify.NoHealthyUpstream, "caddy_error_log", "no upstreams available", 1}},
		{"caddy EOF", "caddy", []string{cadEOF}, 91, "/hangup?n=91", 502,
			want{classify.UpstreamReset, "caddy_error_log", "EOF", 1}},
		{"caddy reset", "caddy", []string{cadReset}, 99, "/reset?n=99", 502,
			want{classify.UpstreamReset, "caddy_error_log", "read tcp 127.0.0.1:35574->127.0.0.1:32941: read: connection reset by peer", 1}},
		{"caddy malformed", "caddy", []string{cadBad}, 107, "/badheader?n=107", 502,
			want{classify.UpstreamBadResponse, "caddy_error_log", `net/http: HTTP/1.x transport connection broken: malformed MIME header: missing colon: "Bad Header Line"`, 1}},
		{"caddy headers exceeded", "caddy", []string{cadBig}, 115, "/bigheader?n=115", 502,
			want{classify.UpstreamBadResponse, "caddy_error_log", "net/http: HTTP/1.x transport connection broken: net/http: server response headers exceeded 16384 bytes; aborted", 1}},
		{"caddy timeout", "caddy", []string{cadTimeout}, 123, "/slow?n=123", 504,
			want{classify.UpstreamTimeout, "caddy_error_log", "net/http: timeout awaiting response headers", 1}},
		{"caddy access entries are not reports", "caddy", []string{cadAccess}, 21, "/unavailable?n=21", 503,
			want{classify.AppUnavailable, "app_log", "", 0}},
		{"5xx with no evidence is unknown", "nginx", nil, 500, "/ok?n=500", 502,
			want{classify.Unknown, "none", "", 0}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ev := evidenceFrom(t, tt.kind, tt.lines, apps)
			got := ev.Decide(Result{
				N: tt.n, Path: tt.path, Fault: FaultOf(tt.path), Status: tt.status, Method: "GET",
				Sent: time.Date(2026, 11, 21, 7, 0, 0, 0, time.UTC),
			})
			have := want{got.ExpectedCause, got.DecidedBy, got.Account, len(got.ProxyReports)}
			if diff := cmp.Diff(tt.want, have); diff != "" {
				t.Errorf("Decide (-want +got):\n%s", diff)
			}
		})
	}
}

func TestFaultCause(t *testing.T) {
	want := map[Fault]classify.Cause{
		FaultOK: "", FaultUnavailable: classify.AppUnavailable, FaultError: classify.AppError,
		FaultSlow: classify.UpstreamTimeout, FaultHangup: classify.UpstreamReset, FaultReset: classify.UpstreamReset,
		FaultCrash: classify.UpstreamReset, FaultBadHeader: classify.UpstreamBadResponse,
		FaultBigHeader: classify.UpstreamBadResponse, FaultLimited: classify.ProxyRejected,
	}
	for _, f := range Faults {
		if got := FaultCause(f); got != want[f] {
			t.Errorf("FaultCause(%s) = %q, want %q", f, got, want[f])
		}
	}
}
