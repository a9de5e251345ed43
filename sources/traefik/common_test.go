package traefik

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"fivexx/sources"
)

// Lines marked [real] come from Traefik's issue tracker, a goaccess issue
// and formats.md; [built] lines follow the documented layouts with chosen
// values. Sources are in testdata/formats/traefik/SOURCES.md.

func TestParseCommon(t *testing.T) {
	tests := []struct {
		name string
		line string
		want *sources.ProxyEntry
	}{
		{
			name: "documented example, 200 [real, traefik PR 3942]",
			line: `111.111.133.18 - - [27/Sep/2018:18:25:09 +0000] "GET / HTTP/1.1" 200 1022 "-" "Scalyr-monitor; https://www.scalyr.com/help/monitors" 1234 "frontend" "http://192.168.10.10:8080" 2ms`,
			want: &sources.ProxyEntry{
				Time:              time.Date(2018, 9, 27, 18, 25, 9, 2000000, time.UTC),
				Client:            "111.111.133.18",
				Method:            "GET",
				Path:              "/",
				Proto:             "HTTP/1.1",
				UserAgent:         "Scalyr-monitor; https://www.scalyr.com/help/monitors",
				Status:            200,
				BodyBytes:         1022,
				RequestTime:       0.002,
				UpstreamAddr:      []string{"http://192.168.10.10:8080"},
				Upstream:          "192.168.10.10:8080",
				UpstreamContacted: sources.Yes,
				UpstreamAnswered:  sources.Unknown,
				Fields:            sources.FieldUpstreamAddr | sources.FieldRequestTime,
			},
		},
		{
			name: "200 with a long router name [real, goaccess issue 1660]",
			line: `34.70.2.63 - - [28/Jan/2020:20:20:07 +0000] "GET /wp-login.php HTTP/1.1" 200 2053 "-" "Mozilla/5.0 (X11; Ubuntu; Linux x86_64; rv:62.0) Gecko/20100101 Firefox/62.0" 162 "Host-liefseva-nl-www-liefseva-nl-7" "http://172.17.0.3:80" 22ms`,
			want: &sources.ProxyEntry{
				Time:              time.Date(2020, 1, 28, 20, 20, 7, 22000000, time.UTC),
				Client:            "34.70.2.63",
				Method:            "GET",
				Path:              "/wp-login.php",
				Proto:             "HTTP/1.1",
				UserAgent:         "Mozilla/5.0 (X11; Ubuntu; Linux x86_64; rv:62.0) Gecko/20100101 Firefox/62.0",
				Status:            200,
				BodyBytes:         2053,
				RequestTime:       0.022,
				UpstreamAddr:      []string{"http://172.17.0.3:80"},
				Upstream:          "172.17.0.3:80",
				UpstreamContacted: sources.Yes,
				UpstreamAnswered:  sources.Unknown,
				Fields:            sources.FieldUpstreamAddr | sources.FieldRequestTime,
			},
		},
		{
			name: "ServiceURL \"-\" unquoted, 200 [real, traefik issue 6481]",
			line: `127.0.0.1 - - [13/Mar/2020:18:49:07 +0000] "GET /ping HTTP/1.1" 200 2 "-" "-" 1 "ping@internal" - 0ms`,
			want: &sources.ProxyEntry{
				Time:              time.Date(2020, 3, 13, 18, 49, 7, 0, time.UTC),
				Client:            "127.0.0.1",
				Method:            "GET",
				Path:              "/ping",
				Proto:             "HTTP/1.1",
				Status:            200,
				BodyBytes:         2,
				RequestTime:       0,
				Upstream:          "ping@internal",
				UpstreamContacted: sources.No,
				UpstreamAnswered:  sources.No,
				Fields:            sources.FieldUpstreamAddr | sources.FieldRequestTime,
			},
		},
		{
			name: "status and size \"-\": nothing was written [real, traefik issue 9648]",
			line: `10.0.0.2 - - [08/Jan/2023:12:28:57 +0000] "GET / HTTP/1.0" - - "-" "-" 746 "-" "-" 0ms`,
			want: &sources.ProxyEntry{
				Time:              time.Date(2023, 1, 8, 12, 28, 57, 0, time.UTC),
				Client:            "10.0.0.2",
				Method:            "GET",
				Path:              "/",
				Proto:             "HTTP/1.0",
				Status:            0,
				BodyBytes:         -1,
				RequestTime:       0,
				UpstreamContacted: sources.No,
				UpstreamAnswered:  sources.No,
				Fields:            sources.FieldUpstreamAddr | sources.FieldRequestTime,
			},
		},
		{
			// Traefik's CLF writes DownstreamStatus with %v: a websocket's
			// or an aborted request's 0 (formats.md §7.4) is "0", which was
			// counted unparsed where the JSON layout's 0 is read as "000".
			name: "status 0: a websocket or an aborted request [built, formats.md §7.4]",
			line: `10.0.0.9 - - [02/Jan/2024:03:04:14 +0000] "GET /ws HTTP/1.1" 0 0 "-" "curl/8.4.0" 10 "api@docker" "http://172.18.0.5:8080" 0ms`,
			want: &sources.ProxyEntry{
				Time:              time.Date(2024, 1, 2, 3, 4, 14, 0, time.UTC),
				Client:            "10.0.0.9",
				Method:            "GET",
				Path:              "/ws",
				Proto:             "HTTP/1.1",
				UserAgent:         "curl/8.4.0",
				Status:            0,
				BodyBytes:         0,
				RequestTime:       0,
				UpstreamAddr:      []string{"http://172.18.0.5:8080"},
				Upstream:          "172.18.0.5:8080",
				UpstreamContacted: sources.Yes,
				UpstreamAnswered:  sources.Unknown,
				Fields:            sources.FieldUpstreamAddr | sources.FieldRequestTime,
			},
		},
		{
			name: "own 502 with the 11-byte body [built, formats.md §7.3]",
			line: `192.168.1.10 - - [02/Jan/2024:03:04:05 +0000] "GET /api HTTP/1.1" 502 11 "-" "curl/8.4.0" 42 "api@docker" "http://172.18.0.5:8080" 3ms`,
			want: &sources.ProxyEntry{
				Time:              time.Date(2024, 1, 2, 3, 4, 5, 3000000, time.UTC),
				Client:            "192.168.1.10",
				Method:            "GET",
				Path:              "/api",
				Proto:             "HTTP/1.1",
				UserAgent:         "curl/8.4.0",
				Status:            502,
				BodyBytes:         11,
				RequestTime:       0.003,
				UpstreamAddr:      []string{"http://172.18.0.5:8080"},
				Upstream:          "172.18.0.5:8080",
				UpstreamContacted: sources.Yes,
				UpstreamAnswered:  sources.No,
				Detail:            "likely Traefik's own 502 (cause only in its DEBUG log)",
				Fields:            sources.FieldUpstreamAddr | sources.FieldRequestTime,
			},
		},
		{
			// Traefik's error handler writes http.StatusText(500) for a
			// transport error that is neither EOF nor a net.Error (traefik
			// pkg/proxy/httputil/proxy.go ComputeStatusCode; formats.md §7.2).
			name: "own 500 with the 21-byte body, an https ServiceURL [built, formats.md §7.1 layout]",
			line: `10.0.0.9 - - [14/Aug/2025:03:55:09 +0000] "GET /tls HTTP/1.1" 500 21 "-" "curl/8.4.0" 45 "api@docker" "https://10.76.0.37:8443" 2ms`,
			want: &sources.ProxyEntry{
				Time:              time.Date(2025, 8, 14, 3, 55, 9, 2000000, time.UTC),
				Client:            "10.0.0.9",
				Method:            "GET",
				Path:              "/tls",
				Proto:             "HTTP/1.1",
				UserAgent:         "curl/8.4.0",
				Status:            500,
				BodyBytes:         21,
				RequestTime:       0.002,
				UpstreamAddr:      []string{"https://10.76.0.37:8443"},
				Upstream:          "10.76.0.37:8443",
				UpstreamContacted: sources.Yes,
				UpstreamAnswered:  sources.Unknown,
				Detail:            "likely Traefik's own 500 (a transport error such as TLS; the cause only in its log)",
				Fields:            sources.FieldUpstreamAddr | sources.FieldRequestTime,
			},
		},
		{
			name: "503 no available server: ServiceURL \"-\" [built, formats.md §7.3]",
			line: `10.0.0.9 - - [02/Jan/2024:03:04:06 +0000] "GET /api HTTP/1.1" 503 20 "-" "curl/8.4.0" 43 "api@docker" "-" 0ms`,
			want: &sources.ProxyEntry{
				Time:              time.Date(2024, 1, 2, 3, 4, 6, 0, time.UTC),
				Client:            "10.0.0.9",
				Method:            "GET",
				Path:              "/api",
				Proto:             "HTTP/1.1",
				UserAgent:         "curl/8.4.0",
				Status:            503,
				BodyBytes:         20,
				RequestTime:       0,
				Upstream:          "api@docker",
				UpstreamContacted: sources.No,
				UpstreamAnswered:  sources.No,
				Reason:            sources.ReasonNoLiveUpstreams,
				Detail:            "no available server: the service has no healthy server",
				Fields:            sources.FieldUpstreamAddr | sources.FieldRequestTime,
			},
		},
		{
			name: "429 from the rate limiter: ServiceURL \"-\" [built, formats.md layout]",
			line: `10.0.0.9 - - [02/Jan/2024:03:04:07 +0000] "GET /login HTTP/1.1" 429 17 "-" "curl/8.4.0" 44 "login@docker" "-" 0ms`,
			want: &sources.ProxyEntry{
				Time:              time.Date(2024, 1, 2, 3, 4, 7, 0, time.UTC),
				Client:            "10.0.0.9",
				Method:            "GET",
				Path:              "/login",
				Proto:             "HTTP/1.1",
				UserAgent:         "curl/8.4.0",
				Status:            429,
				BodyBytes:         17,
				RequestTime:       0,
				Upstream:          "login@docker",
				UpstreamContacted: sources.No,
				UpstreamAnswered:  sources.No,
				Reason:            sources.ReasonRateLimited,
				Detail:            "rate limited by a Traefik middleware",
				Fields:            sources.FieldUpstreamAddr | sources.FieldRequestTime,
			},
		},
		{
			name: "own 504 after the 30 s dial timeout [built, formats.md layout]",
			line: `10.0.0.9 - - [02/Jan/2024:03:04:08 +0000] "GET /report HTTP/1.1" 504 15 "-" "curl/8.4.0" 45 "report@docker" "http://172.18.0.9:8080" 30001ms`,
			want: &sources.ProxyEntry{
				Time:              time.Date(2024, 1, 2, 3, 4, 38, 1000000, time.UTC),
				Client:            "10.0.0.9",
				Method:            "GET",
				Path:              "/report",
				Proto:             "HTTP/1.1",
				UserAgent:         "curl/8.4.0",
				Status:            504,
				BodyBytes:         15,
				RequestTime:       30.001,
				UpstreamAddr:      []string{"http://172.18.0.9:8080"},
				Upstream:          "172.18.0.9:8080",
				UpstreamContacted: sources.Yes,
				UpstreamAnswered:  sources.No,
				Reason:            sources.ReasonConnectTimeout,
				Detail:            "likely Traefik's own 504 after its 30 s dial timeout",
				Fields:            sources.FieldUpstreamAddr | sources.FieldRequestTime,
			},
		},
		{
			// formats.md §7.2: past the ServiceURL Traefik's own errors are
			// 502/504/499/500 only, so a forwarded 503 is the backend's;
			// it was left unknown without OriginStatus (QA s31 F8).
			name: "503 with a ServiceURL: the backend's [built, formats.md layout]",
			line: `10.0.0.9 - - [02/Jan/2024:03:05:08 +0000] "GET /search HTTP/1.1" 503 57 "-" "curl/8.4.0" 46 "api@docker" "http://172.18.0.5:8080" 12ms`,
			want: &sources.ProxyEntry{
				Time:              time.Date(2024, 1, 2, 3, 5, 8, 12000000, time.UTC),
				Client:            "10.0.0.9",
				Method:            "GET",
				Path:              "/search",
				Proto:             "HTTP/1.1",
				UserAgent:         "curl/8.4.0",
				Status:            503,
				BodyBytes:         57,
				RequestTime:       0.012,
				UpstreamAddr:      []string{"http://172.18.0.5:8080"},
				Upstream:          "172.18.0.5:8080",
				UpstreamContacted: sources.Yes,
				UpstreamAnswered:  sources.Yes,
				Detail:            "Traefik makes no 503 once it forwards (its own are 502, 504, 500): the backend answered it",
				Fields:            sources.FieldUpstreamAddr | sources.FieldRequestTime,
			},
		},
		{
			name: "own 502 on a Kubernetes router [real, tutorial]",
			line: `172.19.0.2 - - [05/Oct/2026:13:17:07 +0000] "GET / HTTP/2.0" 502 11 "-" "-" 992 "websecure-ingress-demo-shop-shop-localhost@kubernetes" "http://10.244.1.12:8080" 0ms`,
			want: &sources.ProxyEntry{
				Time:              time.Date(2026, 10, 5, 13, 17, 7, 0, time.UTC),
				Client:            "172.19.0.2",
				Method:            "GET",
				Path:              "/",
				Proto:             "HTTP/2.0",
				Status:            502,
				BodyBytes:         11,
				RequestTime:       0,
				UpstreamAddr:      []string{"http://10.244.1.12:8080"},
				Upstream:          "10.244.1.12:8080",
				UpstreamContacted: sources.Yes,
				UpstreamAnswered:  sources.No,
				Detail:            "likely Traefik's own 502 (cause only in its DEBUG log)",
				Fields:            sources.FieldUpstreamAddr | sources.FieldRequestTime,
			},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := NewCommonParser().Parse(tc.line)
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			tc.want.Raw = tc.line
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("Parse mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestParseCommonRejects(t *testing.T) {
	for _, line := range []string{
		``,
		`172.21.0.1 - - [07/May/2020:03:15:12 +0000] "GET / HTTP/1.1" 502 157 "-" "Mozilla/5.0 (X11; Fedora; Linux x86_64; rv:60.0) Gecko/20100101 Firefox/60.0"`,
		`172.30.32.2 - - [05/Feb/2024:13:39:43 +0100] "GET /api/config HTTP/1.1" 502 559 "http://XxX/api/hassio_ingress/XxX//" "Mozilla/5.0" "147.161.184.250, 172.30.32.1"`,
		`10.0.0.9 - - [02/Jan/2024:03:04:06 +0000] "GET /api HTTP/1.1" 503 20 "-" "curl/8.4.0" 43 "api@docker" "-" 0`,
		`10.0.0.9 - - [02/Jan/2024:03:04:06 +0000] "GET /api HTTP/1.1" 5033 20 "-" "curl/8.4.0" 43 "api@docker" "-" 0ms`,
		`10.0.0.9 - - [02/Jan/2024:03:04:06 +0000] "GET /api HTTP/1.1" 00 20 "-" "curl/8.4.0" 43 "api@docker" "-" 0ms`,
		`10.0.0.9 - - [02/Jan/2024:03:04:06 +0000] "GET /api HTTP/1.1" 5 20 "-" "curl/8.4.0" 43 "api@docker" "-" 0ms`,
		`10.0.0.9 - - [2024-01-02T03:04:06Z] "GET /api HTTP/1.1" 503 20 "-" "curl/8.4.0" 43 "api@docker" "-" 0ms`,
		`10.1.2.3 - - [02/Jan/2024:03:04:05 +0000] "GET /api HTTP/1.1" 502 157 "-" "curl/8.4.0" rt=0.002 uct="0.000" uht="-" urt="0.001" ua="10.0.0.1:8080" us="502"`,
	} {
		if rec, err := NewCommonParser().Parse(line); err == nil || rec != nil {
			t.Errorf("Parse(%q) = %v, %v; want an error and no record", line, rec, err)
		}
	}
}

// TestParseOwnLines: Traefik's DEBUG line gives the cause of its own 5xx
// (formats.md §7.2: "unknown unless the DEBUG line gives the cause"); it
// was read as an app line, or left unparsed in Traefik's own stream.
func TestParseOwnLines(t *testing.T) {
	tests := []struct {
		name     string
		json     bool
		line     string
		status   int
		reason   sources.Reason
		upstream string
		level    string
	}{
		{
			name:   "v2 text, refused [real msg, formats.md §7.3]",
			line:   `time="2020-07-27T10:00:00Z" level=debug msg="'502 Bad Gateway' caused by: dial tcp 10.244.0.146:5000: connect: connection refused"`,
			status: 502, reason: sources.ReasonRefused, upstream: "10.244.0.146:5000",
		},
		{
			name:   "v2 text, dial timeout",
			line:   `time="2024-01-02T03:04:37Z" level=debug msg="'504 Gateway Timeout' caused by: dial tcp 172.18.0.9:8080: i/o timeout"`,
			status: 504, reason: sources.ReasonConnectTimeout, upstream: "172.18.0.9:8080",
		},
		{
			// ETIMEDOUT at connect: no reason before, so the line was read
			// and ignored.
			name:   "v2 text, dial timed out (ETIMEDOUT)",
			line:   `time="2024-01-02T03:08:24Z" level=debug msg="'504 Gateway Timeout' caused by: dial tcp 172.18.0.5:8080: connect: connection timed out"`,
			status: 504, reason: sources.ReasonConnectTimeout, upstream: "172.18.0.5:8080",
		},
		{
			name:   "v2 text, EOF",
			line:   `time="2024-01-02T03:04:37Z" level=debug msg="'502 Bad Gateway' caused by: EOF"`,
			status: 502, reason: sources.ReasonReset,
		},
		{
			name: "v3 JSON, error beside the message", json: true,
			line:   `{"level":"debug","error":"dial tcp 172.18.0.5:8080: connect: connection refused","message":"502 Bad Gateway","time":"2024-01-02T03:04:05Z"}`,
			status: 502, reason: sources.ReasonRefused, upstream: "172.18.0.5:8080",
		},
		{
			name: "v2 JSON, cause in the message", json: true,
			line:   `{"level":"debug","msg":"'502 Bad Gateway' caused by: dial tcp 172.18.0.5:8080: connect: connection refused","time":"2024-01-02T03:04:05Z"}`,
			status: 502, reason: sources.ReasonRefused, upstream: "172.18.0.5:8080",
		},
		// v3's default log.format "common" is zerolog's ConsoleWriter:
		// TIME LVL CALLER > MESSAGE error="…" (the caller only at DEBUG;
		// cmd/traefik/logger.go). The first line is a public Traefik
		// 3.x log (a user's failover question, 2025-08-14).
		{
			name:   "v3 console, refused, at DEBUG with the caller [real]",
			line:   `2025-08-14T03:55:08Z DBG github.com/traefik/traefik/v3/pkg/proxy/httputil/proxy.go:121 > 502 Bad Gateway error="dial tcp 10.76.0.36:8080: connect: connection refused"`,
			status: 502, reason: sources.ReasonRefused, upstream: "10.76.0.36:8080", level: "debug",
		},
		{
			// v3 logs a TLS error of configuration at ERROR, its default
			// level, where the logger adds no caller (proxy.go isTLSConfigError).
			name:   "v3 console, TLS verify failure at ERROR without the caller [built, proxy.go]",
			line:   `2025-08-14T03:55:09Z ERR 500 Internal Server Error error="tls: failed to verify certificate: x509: certificate signed by unknown authority"`,
			status: 500, reason: sources.ReasonTLS, level: "error",
		},
		{
			name:   "v3 console, TLS to a plain port, a field after the error [built, proxy.go]",
			line:   `2025-08-14T05:55:09+02:00 ERR 500 Internal Server Error error="tls: first record does not look like a TLS handshake" routerName=api@docker`,
			status: 500, reason: sources.ReasonTLS, level: "error",
		},
		{
			// zerolog quotes a value only when it needs it (console.go needsQuote).
			name:   "v3 console, EOF unquoted [built, zerolog console.go]",
			line:   `2025-08-14T03:55:10Z DBG github.com/traefik/traefik/v3/pkg/proxy/httputil/proxy.go:121 > 502 Bad Gateway error=EOF`,
			status: 502, reason: sources.ReasonReset, level: "debug",
		},
		{
			// Without log.noColor, to stdout: zerolog colours each part
			// (console.go colorize; the error value bold and red).
			name:   "v3 console, coloured [built, zerolog console.go]",
			line:   "\x1b[90m2025-08-14T03:55:08Z\x1b[0m \x1b[33mDBG\x1b[0m \x1b[1mgithub.com/traefik/traefik/v3/pkg/proxy/httputil/proxy.go:121\x1b[0m\x1b[36m >\x1b[0m 502 Bad Gateway \x1b[36merror=\x1b[0m\x1b[31m\x1b[1m\"dial tcp 10.76.0.36:8080: connect: connection refused\"\x1b[0m\x1b[0m",
			status: 502, reason: sources.ReasonRefused, upstream: "10.76.0.36:8080", level: "debug",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// Traefik's log.format and accessLog.format are set apart:
			// either access parser reads its lines in every layout.
			for _, p := range []sources.Parser{NewCommonParser(), NewJSONParser()} {
				rec, err := p.Parse(tt.line)
				if err != nil {
					t.Fatalf("%T: %v", p, err)
				}
				e, ok := rec.(*sources.ProxyError)
				if !ok || int(e.Status) != tt.status || e.Reason != tt.reason || e.Upstream != tt.upstream || e.Raw != tt.line || e.Time.IsZero() ||
					tt.level != "" && e.Level != tt.level {
					t.Fatalf("%T: got %#v", p, rec)
				}
			}
			clf, js := detectCommon(tt.line), detectJSON(tt.line)
			if tt.json && (clf != 0 || js != ownScore) || !tt.json && (clf != ownScore || js != 0) {
				t.Fatalf("detection scores traefik %d, traefik-json %d; want %d for its layout's format only", clf, js, ownScore)
			}
		})
	}
	for _, line := range []string{
		`time="2024-01-02T03:03:51Z" level=info msg="Configuration loaded from flags."`,
		`time="2020-07-27T10:00:00Z" level=debug msg="'404 Not Found' caused by: no router"`,
		`time="2020-07-27T10:00:00Z" level=debug msg="'502 Bad Gateway' caused by: dial tcp 10.244.0.146:5000`,
		`2025-08-14T03:55:06Z INF github.com/traefik/traefik/v3/cmd/traefik/traefik.go:106 > Traefik version 3.1.2 built on 2024-08-06T13:51:33Z version=3.1.2`,
		`2025-08-14T03:55:08Z DBG github.com/traefik/traefik/v3/pkg/server/service/loadbalancer/wrr/wrr.go:175 > Service selected by WRR: http://10.76.0.36:8080`,
		`2025-08-14T03:55:08Z DBG github.com/traefik/traefik/v3/pkg/proxy/httputil/proxy.go:121 > 404 Not Found error="no router"`,
		`2025-08-14T03:55:08Z DBG github.com/traefik/traefik/v3/pkg/proxy/httputil/proxy.go:121 > 502 Bad Gateway error="dial tcp 10.76.0.36:8080`,
		`2025-08-14 DBG 502 Bad Gateway error=EOF`,
		`2025-08-14T03:55:08Z DEBUG 502 Bad Gateway error=EOF`,
	} {
		for _, p := range []sources.Parser{NewCommonParser(), NewJSONParser()} {
			if rec, err := p.Parse(line); err == nil || rec != nil {
				t.Errorf("%T.Parse(%q) = %#v, %v; want no record", p, line, rec, err)
			}
		}
	}
}
