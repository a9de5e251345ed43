package main

import (
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// The QA round's repro (session 23, fmt lane: repro/traefik-v3-console):
// Traefik v3's JSON access log of three requests, and Traefik's own lines
// about two of them in each layout its log.format gives. The v3 console
// lines are zerolog's ConsoleWriter, v3's default ("common"); the first
// two are from a public Traefik 3.x log, the ERR line follows
// pkg/proxy/httputil/proxy.go, which logs a TLS error of configuration at
// ERROR (and Traefik then sends 500 with http.StatusText(500), 21 bytes).
const (
	tfkOK  = `{"ClientHost":"10.0.0.9","DownstreamContentSize":2,"DownstreamStatus":200,"Duration":1834000,"OriginContentSize":2,"OriginDuration":1702000,"OriginStatus":200,"RequestMethod":"GET","RequestPath":"/ok","RetryAttempts":0,"RouterName":"api@docker","ServiceName":"api@docker","ServiceURL":"http://10.76.0.36:8080","ServiceAddr":"10.76.0.36:8080","StartUTC":"2025-08-14T03:55:07.000000000Z","level":"info","msg":"","time":"2025-08-14T03:55:07Z"}`
	tfk502 = `{"ClientHost":"10.0.0.9","DownstreamContentSize":11,"DownstreamStatus":502,"Duration":1834000,"OriginContentSize":11,"OriginDuration":1702000,"OriginStatus":502,"RequestMethod":"GET","RequestPath":"/api","RetryAttempts":0,"RouterName":"api@docker","ServiceName":"api@docker","ServiceURL":"http://10.76.0.36:8080","ServiceAddr":"10.76.0.36:8080","StartUTC":"2025-08-14T03:55:08.100000000Z","level":"info","msg":"","time":"2025-08-14T03:55:08Z"}`
	tfk500 = `{"ClientHost":"10.0.0.9","DownstreamContentSize":21,"DownstreamStatus":500,"Duration":1834000,"OriginContentSize":21,"OriginDuration":1702000,"OriginStatus":500,"RequestMethod":"GET","RequestPath":"/tls","RetryAttempts":0,"RouterName":"api@docker","ServiceName":"api@docker","ServiceURL":"https://10.76.0.37:8443","ServiceAddr":"10.76.0.37:8443","StartUTC":"2025-08-14T03:55:09.100000000Z","level":"info","msg":"","time":"2025-08-14T03:55:09Z"}`

	tfkConsoleStart = `2025-08-14T03:55:06Z INF github.com/traefik/traefik/v3/cmd/traefik/traefik.go:106 > Traefik version 3.1.2 built on 2024-08-06T13:51:33Z version=3.1.2`
	tfkConsoleWRR   = `2025-08-14T03:55:08Z DBG github.com/traefik/traefik/v3/pkg/server/service/loadbalancer/wrr/wrr.go:175 > Service selected by WRR: http://10.76.0.36:8080`
	tfkConsole502   = `2025-08-14T03:55:08Z DBG github.com/traefik/traefik/v3/pkg/proxy/httputil/proxy.go:121 > 502 Bad Gateway error="dial tcp 10.76.0.36:8080: connect: connection refused"`
	tfkConsole500   = `2025-08-14T03:55:09Z ERR github.com/traefik/traefik/v3/pkg/proxy/httputil/proxy.go:121 > 500 Internal Server Error error="tls: failed to verify certificate: x509: certificate signed by unknown authority"`

	tfkRefused = "proxy log: 502 Bad Gateway: dial tcp 10.76.0.36:8080: connect: connection refused"
	tfkTLS     = "proxy log: 500 Internal Server Error: tls: failed to verify certificate: x509: certificate signed by unknown authority"
	tfkOwn500  = "likely Traefik's own 500 (a transport error such as TLS; the cause only in its log)"
)

// TestTraefikV3ConsoleLines: Traefik v3's default log layout gives the
// cause of its own 5xx as its v2 text and v3 JSON lines do (README, the
// Traefik row of the formats table). Before, the console lines were read
// as start-up lines (a file of their own) or left unparsed (3 of 7 in one
// stream with the JSON access log), and the refused 502 stayed unknown.
func TestTraefikV3ConsoleLines(t *testing.T) {
	inZone(t, "UTC")
	access := lines(tfkOK, tfk502, tfk500)
	console := lines(tfkConsoleStart, tfkConsoleWRR, tfkConsole502, tfkConsole500)
	stream := lines(tfkConsoleStart, tfkOK, tfkConsoleWRR, tfkConsole502, tfk502, tfkConsole500, tfk500)
	// Written to stdout without log.noColor, zerolog colours each part
	// (cmd/traefik/logger.go; zerolog console.go colorize).
	coloured := lines(
		"\x1b[90m2025-08-14T03:55:06Z\x1b[0m \x1b[32mINF\x1b[0m Traefik version 3.1.2 built on 2024-08-06T13:51:33Z \x1b[36mversion=\x1b[0m3.1.2",
		"\x1b[90m2025-08-14T03:55:08Z\x1b[0m \x1b[33mDBG\x1b[0m \x1b[1mgithub.com/traefik/traefik/v3/pkg/proxy/httputil/proxy.go:121\x1b[0m\x1b[36m >\x1b[0m 502 Bad Gateway \x1b[36merror=\x1b[0m\x1b[31m\x1b[1m\"dial tcp 10.76.0.36:8080: connect: connection refused\"\x1b[0m\x1b[0m",
		"\x1b[90m2025-08-14T03:55:09Z\x1b[0m \x1b[1m\x1b[31mERR\x1b[0m\x1b[0m 500 Internal Server Error \x1b[36merror=\x1b[0m\x1b[31m\x1b[1m\"tls: failed to verify certificate: x509: certificate signed by unknown authority\"\x1b[0m\x1b[0m",
	)
	for _, tc := range []struct {
		name  string
		files [][2]string
		// the console input's counts: parsed, unparsed, startup
		in                        string
		parsed, unparsed, startup float64
	}{
		{"a file of its own", [][2]string{{"access.json", access}, {"traefik.log", console}}, "traefik.log", 2, 0, 2},
		// The WRR line is Traefik's own too, among the requests: a
		// start-up line, not unparsed (sources/ownlines.go).
		{"one stream with the JSON access log", [][2]string{{"stream.log", stream}}, "stream.log", 5, 0, 2},
		{"coloured, a file of its own", [][2]string{{"access.json", access}, {"traefik.log", coloured}}, "traefik.log", 2, 0, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			paths := writeFiles(t, tc.files...)
			evs, _ := reportEvents(t, paths...)
			got := map[string]reportEvent{}
			for _, ev := range evs {
				got[ev.Path] = ev
			}
			if ev := got["/api"]; ev.Cause != "upstream_refused" || ev.Confidence != "high" || !slices.Contains(ev.Evidence, tfkRefused) {
				t.Errorf("/api: %s/%s %q, want upstream_refused/high with %q", ev.Cause, ev.Confidence, ev.Evidence, tfkRefused)
			}
			if ev := got["/tls"]; ev.Cause != "upstream_refused" || ev.Confidence != "high" || !slices.Contains(ev.Evidence, tfkTLS) ||
				!strings.HasPrefix(ev.Hint, "TLS to 10.76.0.37:8443 failed") {
				t.Errorf("/tls: %s/%s %q %q, want upstream_refused/high with %q and a TLS hint", ev.Cause, ev.Confidence, ev.Evidence, ev.Hint, tfkTLS)
			}
			rep := reportJSON(t, paths...)
			for _, x := range rep["inputs"].([]any) {
				in := x.(map[string]any)
				if filepath.Base(in["path"].(string)) != tc.in {
					continue
				}
				startup, _ := in["startup"].(float64)
				if in["parsed"] != tc.parsed || in["unparsed"] != tc.unparsed || startup != tc.startup {
					t.Errorf("%s: %v, want parsed %v, unparsed %v, startup %v", tc.in, in, tc.parsed, tc.unparsed, tc.startup)
				}
			}
		})
	}
}

// TestTraefikOwn500: Traefik answers 500 itself, with the 21-byte body
// "Internal Server Error", for a transport error that is neither EOF nor a
// net.Error (formats.md §7.2 ComputeStatusCode; §0: "502 or 500 (Go
// transport error)"): a certificate that does not verify is one. Its line
// about it, in any layout, decides: TLS failures are upstream_refused
// (tls), as formats.md has them for nginx, Caddy and Cloudflare. Without
// the line it is only likely Traefik's (an app may send the same body), so
// unknown. It was app_error "the app answered 500 itself" in every case.
func TestTraefikOwn500(t *testing.T) {
	inZone(t, "UTC")
	for _, tc := range []struct {
		name, log   string
		cause, conf string
		in          string
	}{
		{"v3 console line", lines(tfkConsole500), "upstream_refused", "high", tfkTLS},
		{"v3 JSON line", lines(`{"level":"error","error":"tls: failed to verify certificate: x509: certificate signed by unknown authority","time":"2025-08-14T03:55:09Z","caller":"github.com/traefik/traefik/v3/pkg/proxy/httputil/proxy.go:121","message":"500 Internal Server Error"}`),
			"upstream_refused", "high", tfkTLS},
		{"v2 text line", lines(`time="2025-08-14T03:55:09Z" level=debug msg="'500 Internal Server Error' caused by: x509: certificate signed by unknown authority"`),
			"upstream_refused", "high", "proxy log: '500 Internal Server Error' caused by: x509: certificate signed by unknown authority"},
		{"no line", "", "unknown", "low", tfkOwn500},
	} {
		t.Run(tc.name, func(t *testing.T) {
			files := [][2]string{{"access.json", lines(tfkOK, tfk500)}}
			if tc.log != "" {
				files = append(files, [2]string{"traefik.log", tc.log})
			}
			evs, _ := reportEvents(t, writeFiles(t, files...)...)
			if len(evs) != 1 {
				t.Fatalf("%d events, want 1: %+v", len(evs), evs)
			}
			ev := evs[0]
			if ev.Cause != tc.cause || ev.Confidence != tc.conf || !slices.Contains(ev.Evidence, tc.in) {
				t.Errorf("%s/%s %q, want %s/%s with %q", ev.Cause, ev.Confidence, ev.Evidence, tc.cause, tc.conf, tc.in)
			}
			if slices.Contains(ev.Evidence, "ServiceAddr 10.76.0.37:8443, OriginStatus 500: the upstream sent a response header") {
				t.Errorf("evidence says the upstream answered: %q", ev.Evidence)
			}
		})
	}
	// The app's own 500 has its own body: still the app's.
	app500 := strings.Replace(strings.Replace(tfk500, `"DownstreamContentSize":21`, `"DownstreamContentSize":38`, 1), `"OriginContentSize":21`, `"OriginContentSize":38`, 1)
	evs, _ := reportEvents(t, writeFiles(t, [2]string{"access.json", lines(tfkOK, app500)}, [2]string{"traefik.log", lines(tfkConsole500)})...)
	if len(evs) != 1 || evs[0].Cause != "app_error" {
		t.Errorf("the app's 500 beside Traefik's line: %+v, want app_error", evs)
	}
}
