package parsers

import (
	"bufio"
	"compress/gzip"
	"errors"
	"io"
	"os"
	"strings"
	"testing"

	"fivexx/sources"
)

// samples maps a sample file of every format (real output where the lab or
// the program's docs gave one) to the format it must be detected as.
//
// A sample that opens with more of the proxy's startup lines than the
// decoder's first try holds (12) is detected from as many lines as the
// decoder holds when unsure (256), as it is then.
var samples = []struct{ file, format string }{
	{"../nginx/testdata/combined.log", "nginx-combined"},
	{"../nginx/testdata/main.log", "nginx-combined"},
	{"../nginx/testdata/upstream.log", "nginx-upstream"},
	{"../nginx/testdata/json.log", "nginx-json"},
	{"../nginx/testdata/ingress.log", "ingress-nginx"},
	{"../nginx/testdata/error.log", "nginx-error"},
	{"../../testdata/formats/ingress-nginx/access.log", "ingress-nginx"},
	{"../haproxy/testdata/raw.log", "haproxy"},
	{"../haproxy/testdata/rfc3164.log", "haproxy"},
	{"../haproxy/testdata/rfc5424.log", "haproxy"},
	{"../haproxy/testdata/clf.log", "haproxy"}, // option httplog clf
	{"../caddy/testdata/access.log", "caddy"},
	{"../caddy/testdata/default.log", "caddy"},
	{"../../testdata/formats/envoy/access.log", "envoy"},
	{"../../testdata/formats/envoy/json.log", "envoy-json"},
	{"../../testdata/formats/alb/access.log", "alb"},
	{"../../testdata/formats/alb/123456789012_elasticloadbalancing_us-east-1_app.web.50dc6c495c0c9188_20240102T0310Z_203.0.113.5_2fsq9rl7.log.gz", "alb"},
	{"../../testdata/formats/traefik/common.log", "traefik"},
	{"../../testdata/formats/traefik/json.log", "traefik-json"},
	{"../../testdata/formats/cloudflare/http_requests.log", "cloudflare"},
	{"../applog/testdata/json.log", "app-json"},
	{"../applog/testdata/logfmt.log", "app-logfmt"},
	{"../applog/testdata/text.log", "app-text"},
	{"../applog/testdata/access.log", "app-access"}, // Rack, morgan common, uvicorn: no proxy reads them
	{"../../testdata/recordings/nginx-upstream/access.log", "nginx-upstream"},
	{"../../testdata/recordings/nginx-combined/access.log", "nginx-combined"},
	{"../../testdata/recordings/nginx-json/access.log", "nginx-json"},
	{"../../testdata/recordings/nginx-upstream/error.log", "nginx-error"},
	{"../../testdata/recordings/nginx-upstream/app.log", "app-json"},
	{"../../testdata/recordings/nginx-combined/app.log", "app-text"},
	{"../../testdata/recordings/haproxy/access.log", "haproxy"},
	{"../../testdata/recordings/haproxy-syslog/access.log", "haproxy"},
	{"../../testdata/recordings/caddy/access.log", "caddy"},
}

// startsWithStartupLines are the samples that open with 12 or more lines
// of the proxy's own (Caddy's startup lines: admin, tls, health checks).
var startsWithStartupLines = map[string]bool{"../caddy/testdata/default.log": true}

func head(t testing.TB, path string, n int) []string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var r io.Reader = f
	if strings.HasSuffix(path, ".gz") {
		zr, err := gzip.NewReader(f)
		if err != nil {
			t.Fatal(err)
		}
		r = zr
	}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	var lines []string
	for sc.Scan() && len(lines) < n {
		if strings.TrimSpace(sc.Text()) != "" && !strings.HasPrefix(sc.Text(), "#") {
			lines = append(lines, sc.Text())
		}
	}
	return lines
}

// TestEveryFormatDetectedAsItself reads the first lines of a sample of
// every format and checks detection picks that format, with no tie.
func TestEveryFormatDetectedAsItself(t *testing.T) {
	seen := map[string]bool{}
	for _, s := range samples {
		t.Run(s.file, func(t *testing.T) {
			n := 12
			if startsWithStartupLines[s.file] {
				n = 256
			}
			det, err := sources.Detect(head(t, s.file, n), sources.RoleUnknown)
			if err != nil {
				t.Fatal(err)
			}
			if det.Format.Name != s.format {
				t.Fatalf("detected %s (%d%%), want %s", det.Format.Name, det.Score, s.format)
			}
			if len(det.Tied) > 0 {
				t.Fatalf("%s tied with %v", s.format, det.Tied)
			}
		})
		seen[s.format] = true
	}
	for _, f := range sources.Formats() {
		if f.Detect != nil && !seen[f.Name] && f.Name != "nginx" {
			t.Errorf("format %s has no detection sample here", f.Name)
		}
	}
}

// TestEveryFormatDetectedFromLongSamples checks the samples again with as
// many lines as detection holds in a report (256): a longer sample must
// not change any answer.
func TestEveryFormatDetectedFromLongSamples(t *testing.T) {
	for _, s := range samples {
		t.Run(s.file, func(t *testing.T) {
			det, err := sources.Detect(head(t, s.file, 256), sources.RoleUnknown)
			if err != nil {
				t.Fatal(err)
			}
			if det.Format.Name != s.format {
				t.Fatalf("detected %s (%d%%), want %s", det.Format.Name, det.Score, s.format)
			}
		})
	}
}

// repeat returns n copies of line.
func repeat(n int, line string) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = line
	}
	return out
}

func concat(parts ...[]string) []string {
	var out []string
	for _, p := range parts {
		out = append(out, p...)
	}
	return out
}

// caddyStartup returns Caddy 2.6's twelve startup lines on its default
// logger, the ones cmd/fivexx's verdict tests read too.
func caddyStartup(t *testing.T) []string {
	t.Helper()
	b, err := os.ReadFile("../../testdata/startup/caddy-stderr.log")
	if err != nil {
		t.Fatal(err)
	}
	return strings.Split(strings.TrimSuffix(string(b), "\n"), "\n")
}

// lines returns a file's lines.
func lines(t *testing.T, path string) []string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return strings.Split(strings.TrimSuffix(string(b), "\n"), "\n")
}

// Startup lines of proxies and the first requests after them, as each
// proxy writes them to its one stream (a reviewer's samples, formats.md).
var (
	caddyErrors = []string{
		`{"level":"error","ts":1704164645.1000,"logger":"http.log.error","msg":"dial tcp 172.21.0.6:8000: connect: connection refused","request":{"remote_ip":"203.0.113.7","remote_port":"52069","client_ip":"203.0.113.7","proto":"HTTP/1.1","method":"GET","host":"api.example.com","uri":"/r","headers":{"Connection":["keep-alive"]}},"duration":0.000669913,"status":502,"err_id":"c0wkic63c","err_trace":"reverseproxy.statusError (reverseproxy.go:1269)"}`,
		`{"level":"error","ts":1704164646.1000,"logger":"http.log.error","msg":"no upstreams available","request":{"remote_ip":"203.0.113.7","remote_port":"52070","client_ip":"203.0.113.7","proto":"HTTP/1.1","method":"GET","host":"api.example.com","uri":"/n","headers":{}},"duration":0.0001,"status":503,"err_id":"a","err_trace":"reverseproxy.statusError (reverseproxy.go:1269)"}`,
		`{"level":"error","ts":1704164648.1000,"logger":"http.log.error","msg":"dial tcp 10.0.0.5:8080: i/o timeout","request":{"remote_ip":"203.0.113.7","remote_port":"52072","client_ip":"203.0.113.7","proto":"HTTP/1.1","method":"GET","host":"api.example.com","uri":"/t","headers":{}},"duration":3.0001,"status":504,"err_id":"b","err_trace":"reverseproxy.statusError (reverseproxy.go:1269)"}`,
	}
	istioAgent = repeat(14, "2024-01-02T03:04:01.123456Z\tinfo\tads\tADS: new connection for node:sidecar~10.244.0.17~api-7d9c.default~default.svc.cluster.local-1")
	istioLines = []string{
		`[2022-04-24T12:23:37.047Z] "GET /wrong HTTP/1.1" 502 UPE upstream_reset_before_response_started{protocol_error} - "-" 0 87 1001 - "-" "curl/7.80.0" "3987a4cb-2e0e-4de6-af66-7e3447600c73" "http-chunked:8080" "10.244.0.17:8080" inbound|8080|| 127.0.0.6:39063 10.244.0.17:8080 10.244.0.14:35500 - default`,
		`[2022-04-24T12:23:38.047Z] "GET /uf HTTP/1.1" 503 UF upstream_reset_before_response_started{connection_failure,delayed_connect_error:_111} - "-" 0 91 1 - "-" "curl/7.80.0" "3987a4cb-2e0e-4de6-af66-7e3447600c01" "api:8080" "10.244.0.17:8080" outbound|8080||api.default.svc.cluster.local 10.244.0.14:40000 10.96.0.10:8080 10.244.0.14:35500 - default`,
		`[2022-04-24T12:23:39.047Z] "GET /uft HTTP/1.1" 503 UF upstream_reset_before_response_started{connection_timeout} - "-" 0 91 10001 - "-" "curl/7.80.0" "3987a4cb-2e0e-4de6-af66-7e3447600c02" "api:8080" "10.244.0.17:8080" outbound|8080||api.default.svc.cluster.local 10.244.0.14:40000 10.96.0.10:8080 10.244.0.14:35500 - default`,
	}
	traefikJSONStartup = repeat(12, `{"level":"info","msg":"Configuration loaded from flags.","time":"2024-01-02T03:03:51Z"}`)
	traefikJSON        = []string{
		`{"ClientHost":"10.0.0.9","DownstreamContentSize":11,"DownstreamStatus":502,"Duration":1834000,"OriginContentSize":11,"OriginDuration":1702000,"OriginStatus":502,"RequestMethod":"GET","RequestPath":"/api","RetryAttempts":0,"RouterName":"api@docker","ServiceName":"api@docker","ServiceURL":"http://172.18.0.5:8080","StartUTC":"2024-01-02T03:04:05.120000000Z","level":"info","msg":"","time":"2024-01-02T03:04:05Z"}`,
		`{"ClientHost":"10.0.0.9","DownstreamContentSize":20,"DownstreamStatus":503,"Duration":34000,"OriginContentSize":0,"OriginDuration":0,"OriginStatus":0,"RequestMethod":"GET","RequestPath":"/nosrv","RetryAttempts":0,"RouterName":"api@docker","ServiceName":"api@docker","StartUTC":"2024-01-02T03:04:40.120000000Z","level":"info","msg":"","time":"2024-01-02T03:04:40Z"}`,
		`{"ClientHost":"10.0.0.9","DownstreamContentSize":17,"DownstreamStatus":429,"Duration":34000,"OriginContentSize":0,"OriginDuration":0,"OriginStatus":0,"RequestMethod":"GET","RequestPath":"/rl","RetryAttempts":0,"RouterName":"api@docker","StartUTC":"2024-01-02T03:04:41.120000000Z","level":"info","msg":"","time":"2024-01-02T03:04:41Z"}`,
	}
	traefikTextStartup = repeat(12, `time="2024-01-02T03:03:51Z" level=info msg="Configuration loaded from flags."`)
	traefikCLF         = []string{
		`192.168.1.10 - - [02/Jan/2024:03:04:05 +0000] "GET /api HTTP/1.1" 502 11 "-" "curl/8.4.0" 42 "api@docker" "http://172.18.0.5:8080" 3ms`,
		`10.0.0.9 - - [02/Jan/2024:03:04:06 +0000] "GET /api HTTP/1.1" 503 20 "-" "curl/8.4.0" 43 "api@docker" "-" 0ms`,
		`10.0.0.9 - - [02/Jan/2024:03:04:07 +0000] "GET /report HTTP/1.1" 504 15 "-" "curl/8.4.0" 45 "report@docker" "http://172.18.0.9:8080" 30001ms`,
	}
	ingressStartup = concat([]string{
		"-------------------------------------------------------------------------------",
		"NGINX Ingress controller",
		"  Release:       v1.9.4",
		"  Build:         846d251814a09d8a5d8d28e2e8d7f8a5e3d2b5f0",
		"  Repository:    https://github.com/kubernetes/ingress-nginx",
		"  nginx version: nginx/1.21.6",
		"",
		"-------------------------------------------------------------------------------",
		"",
	}, repeat(16, `I0308 16:01:10.000000       7 main.go:205] "Creating API client" host="https://10.96.0.1:443"`))
	ingressLines = []string{
		`10.0.0.1 - - [08/Mar/2023:16:02:30 +0000] "GET /some/end/point HTTP/1.1" 502 157 "-" "PostmanRuntime/7.26.3" 1570 0.005 [default-my-service-80] [] 10.244.2.36:80 0 0.004 502 cc30e5d47f23e3a117181ff94479bc6f`,
		`108.162.227.25 - - [08/Mar/2023:16:02:45 +0000] "GET / HTTP/1.1" 504 562 "-" "Mozilla/5.0 (X11; Linux x86_64)" 1100 5.000 [pc-dev-example-web-service-80] [] 192.168.215.1:80 0 5.000 504 a7c98d98ac870f64981a997cd2f373a1`,
		`10.0.0.9 - - [08/Mar/2023:16:02:47 +0000] "GET /app HTTP/1.1" 503 19 "-" "curl/8.4.0" 76 0.012 [default-web-80] [] 10.244.2.36:80 19 0.012 503 2f1c0e5d47f23e3a117181ff94479bc7`,
	}
)

// TestProxyStreamsAfterStartupLines: a proxy's stream that opens with the
// proxy's own startup lines is the proxy's, decided on the lines from the
// first request on (app-json, app-text, app-logfmt or no format before).
func TestProxyStreamsAfterStartupLines(t *testing.T) {
	tests := []struct {
		name    string
		lines   []string
		role    sources.Role
		want    string
		skipped int
	}{
		{"caddy default logger", concat(caddyStartup(t), caddyErrors), sources.RoleUnknown, "caddy", 12},
		// No request yet: lines only Caddy writes.
		{"caddy startup lines alone", caddyStartup(t), sources.RoleUnknown, "caddy", 0},
		// Recorded: Caddy's startup lines, one error entry, then its
		// stop lines, which are its own too and no app's.
		{"caddy 2.6.2, an error then shutdown", lines(t, "../../testdata/startup/caddy-2.6.2-shutdown.log"), sources.RoleUnknown, "caddy", 10},
		// Stopped and started again between its requests.
		{"caddy restarted", concat(lines(t, "../../testdata/startup/caddy-2.6.2-shutdown.log"), caddyStartup(t), caddyErrors[:1]), sources.RoleUnknown, "caddy", 10},
		{"istio-proxy", concat(istioAgent, istioLines), sources.RoleUnknown, "envoy", 14},
		// Given as a proxy log: the agent's zap lines are not Caddy's.
		{"istio-proxy as --proxy", concat(istioAgent, istioLines), sources.RoleProxy, "envoy", 14},
		{"traefik json stdout", concat(traefikJSONStartup, traefikJSON), sources.RoleUnknown, "traefik-json", 12},
		{"traefik common stdout", concat(traefikTextStartup, traefikCLF), sources.RoleUnknown, "traefik", 12},
		{"ingress-nginx controller", concat(ingressStartup, ingressLines), sources.RoleUnknown, "ingress-nginx", 23},
		// kubectl logs of the controller: nginx's error lines among the
		// access lines (and an error line first).
		{"ingress-nginx with nginx error lines", concat([]string{
			`2023/03/08 16:02:30 [error] 31#31: *569 connect() failed (111: Connection refused) while connecting to upstream, client: 10.0.0.1, server: _, request: "GET /some/end/point HTTP/1.1", upstream: "http://10.244.2.36:80/some/end/point", host: "example.com"`,
			ingressLines[0],
			`2023/03/08 16:02:45 [error] 31#31: *570 upstream timed out (110: Operation timed out) while connecting to upstream, client: 108.162.227.25, server: dev-aws.example.com, request: "GET / HTTP/1.1", upstream: "http://192.168.215.1:80/", host: "dev-aws.example.com"`,
		}, ingressLines[1:]), sources.RoleUnknown, "ingress-nginx", 0},
		// Requests first: nothing skipped, as before.
		{"istio requests first", concat(istioLines, istioAgent[:3]), sources.RoleUnknown, "envoy", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			det, err := sources.Detect(tt.lines, tt.role)
			if err != nil {
				t.Fatal(err)
			}
			if det.Format.Name != tt.want || det.Skipped != tt.skipped {
				t.Fatalf("detected %s after %d lines (%s), want %s after %d", det.Format.Name, det.Skipped, det.Describe(), tt.want, tt.skipped)
			}
		})
	}
}

// TestAppLogsWithRequestLikeLinesStayApps: an app log in which some lines
// look like a proxy's requests (it logs an access line, or quotes one)
// keeps its app format: its own lines still win after them.
func TestAppLogsWithRequestLikeLinesStayApps(t *testing.T) {
	jsonApp := `{"time":"2024-01-02T03:04:05.120Z","level":"INFO","msg":"request started","request_id":"4f7c2c8d1e0b6a9f3c2d1e0f9a8b7c6d","method":"GET","path":"/api"}`
	textApp := `2024-01-02 03:04:05,678 ERROR [req-4f7c2c8d] orders: upstream payment service returned 503`
	access := `10.1.2.3 - - [02/Jan/2024:03:04:05 +0000] "GET /api HTTP/1.1" 502 157 "-" "curl/8.4.0"`
	tests := []struct {
		name  string
		lines []string
		want  string
	}{
		{"json with an access line", concat(repeat(10, jsonApp), []string{access}, repeat(10, jsonApp)), "app-json"},
		{"json with access lines, then its own", concat(repeat(10, jsonApp), repeat(3, access), repeat(20, jsonApp)), "app-json"},
		{"text with an access line", concat(repeat(10, textApp), []string{access}, repeat(5, textApp)), "app-text"},
		{"text quoting an error-log line", concat(repeat(5, textApp), []string{
			`2024/01/02 03:04:05 [error] 6#6: *1 connect() failed (111: Connection refused) while connecting to upstream, client: 10.1.2.3, server: , request: "GET / HTTP/1.1", upstream: "http://10.0.0.1:8080/", host: "x"`,
		}, repeat(5, textApp)), "app-text"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			det, err := sources.Detect(tt.lines, sources.RoleUnknown)
			if err != nil {
				t.Fatal(err)
			}
			if det.Format.Name != tt.want {
				t.Fatalf("detected %s (%s), want %s", det.Format.Name, det.Describe(), tt.want)
			}
		})
	}
}

// TestHAProxyRequestsNotReadAreNoAppLog: HAProxy request lines in a
// layout its parser does not read (a custom log-format without %CC %CS,
// tcplog) behind HAProxy's syslog
// tag are claimed by it (sources.Format.Claims): no format fits them, as
// without the header, even when HAProxy's messages about itself come with
// them (it read them as a log of messages, 0 requests). app-text read them by their syslog stamp: an app
// log of 0 requests, every 5xx lost, also with --format haproxy. An app
// log quoting one such line stays the app's.
func TestHAProxyRequestsNotReadAreNoAppLog(t *testing.T) {
	customPRI := []string{ // log stdout format rfc3164, HAProxy 2.6.12 [real]
		`<134>Nov 22 23:50:38 lb1 haproxy[13309]: 127.0.0.1:43596 [22/Nov/2026:23:50:38.381] fe be_app/s1 0/0/0/1/1 200 122 ---- 1/1/0/0/0 0/0 "GET /ok?custom-rfc3164.log=1 HTTP/1.1"`,
		`<134>Nov 22 23:50:38 lb1 haproxy[13309]: 127.0.0.1:43604 [22/Nov/2026:23:50:38.524] fe be_app/s1 0/0/0/0/0 500 190 ---- 1/1/0/0/0 0/0 "GET /error?custom-rfc3164.log=3 HTTP/1.1"`,
		`<134>Nov 22 23:50:41 lb1 haproxy[13309]: 127.0.0.1:43622 [22/Nov/2026:23:50:38.746] fe be_down/d1 0/0/-1/-1/3005 503 217 SC-- 1/1/0/0/3 0/0 "GET /down?custom-rfc3164.log=5 HTTP/1.1"`,
	}
	stopped := []string{ // what it logs as it stops, after them [real]
		`<132>Nov 22 23:50:53 lb1 haproxy[13309]: Proxy fe stopped (cumulated conns: FE: 26, BE: 0).`,
		`<132>Nov 22 23:50:53 lb1 haproxy[13309]: Proxy be_app stopped (cumulated conns: FE: 0, BE: 23).`,
		`<132>Nov 22 23:50:53 lb1 haproxy[13309]: Proxy be_down stopped (cumulated conns: FE: 0, BE: 3).`,
		`<132>Nov 22 23:50:53 lb1 haproxy[13309]: Proxy <HTTPCLIENT> stopped (cumulated conns: FE: 0, BE: 0).`,
	}
	customFile := []string{ // the same behind rsyslog's file header [qa]
		`Feb  6 12:14:00 localhost haproxy[14389]: 10.0.1.2:33000 [06/Feb/2025:12:14:00.655] http-in be_app/srv1 0/0/1/3/5 200 217 ---- 1/1/1/1/0 0/0 "GET /r?n=0 HTTP/1.1"`,
		`Feb  6 12:14:02 localhost haproxy[14389]: 10.0.1.2:33002 [06/Feb/2025:12:14:02.655] http-in be_app/srv1 0/0/-1/-1/1001 503 217 SC-- 1/1/1/1/0 0/0 "GET /r?n=2 HTTP/1.1"`,
	}
	clfUnquoted := []string{ // [qa]
		`Feb  6 12:14:14 localhost haproxy[14389]: 10.0.1.2 - - [06/Feb/2025:12:14:14 +0000] "GET /index.html HTTP/1.1" 200 2750 "" "" 33317 655 http-in static srv1 10 0 30 69 109 ---- 1 1 1 1 0 0 0 "" "" "" ""`,
		`Feb  6 12:14:15 localhost haproxy[14389]: 10.0.1.2 - - [06/Feb/2025:12:14:15 +0000] "GET /r?n=2 HTTP/1.1" 503 217 "" "" 33318 100 http-in be_app srv1 0 0 -1 -1 1001 SC-- 1 1 1 1 3 0 0 "" "" "" ""`,
	}
	tcplog := `Feb  6 12:12:51 lb1 haproxy[14387]: 10.0.0.1:5000 [06/Feb/2009:12:12:51.443] fnt bck/srv1 0/0/5007 212 -- 0/0/0/0/3 0/0` // [docs]
	for _, tt := range []struct {
		name  string
		lines []string
	}{
		{"custom log-format, rfc3164 with priority", concat(customPRI, customPRI, customPRI, customPRI, customPRI)},
		{"custom log-format and the stop messages", concat(customPRI, customPRI, customPRI, stopped)},
		{"custom log-format, rsyslog file", concat(repeat(15, customFile[0]), repeat(5, customFile[1]))},
		{"tcplog, rsyslog file", repeat(12, tcplog)},
	} {
		t.Run(tt.name, func(t *testing.T) {
			det, err := sources.Detect(tt.lines, sources.RoleUnknown)
			if !errors.Is(err, sources.ErrUnknownFormat) {
				t.Fatalf("detected %s (%s), err %v; want no format", det.Format.Name, det.Describe(), err)
			}
		})
	}
	// httplog clf with its names unquoted (a log-format after clf's
	// without %{+Q}o) is read, with the header or without: its backend,
	// server, timers and termination state are no app's (without the
	// header it was app-access, 0 requests, every 5xx lost).
	for _, lines := range [][]string{concat(clfUnquoted, clfUnquoted, clfUnquoted), stripSyslog(concat(clfUnquoted, clfUnquoted, clfUnquoted))} {
		if det, err := sources.Detect(lines, sources.RoleUnknown); err != nil || det.Format.Name != "haproxy" {
			t.Errorf("clf with unquoted names %q…: detected %s, %v; want haproxy", lines[0], det.Format.Name, err)
		}
	}
	textApp := `2024-01-02 03:04:05,678 ERROR [req-4f7c2c8d] orders: upstream payment service returned 503`
	det, err := sources.Detect(concat(repeat(10, textApp), customFile, repeat(10, textApp)), sources.RoleUnknown)
	if err != nil || det.Format.Name != "app-text" {
		t.Errorf("text app log quoting two lines: detected %s, %v; want app-text", det.Format.Name, err)
	}
}

// stripSyslog cuts the rsyslog file header up to HAProxy's tag from lines.
func stripSyslog(lines []string) []string {
	out := make([]string, len(lines))
	for i, l := range lines {
		_, out[i], _ = strings.Cut(l, "]: ")
	}
	return out
}
