package sources_test

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"fivexx/sources"
)

// startupCase is a proxy's stream: its startup lines, then requests.
type startupCase struct {
	name     string
	startup  []string
	requests []string
	format   string // decided on the startup lines alone (the input ended), and once the requests come
	// records is how many records the requests make (0: one each); an
	// nginx container's error lines are not its access format's.
	records int
}

// split cuts a recorded stream before its first request line, line n.
func split(lines []string, n int) ([]string, []string) { return lines[:n], lines[n:] }

// dockerJSON wraps lines as Docker's json-file driver writes them, each
// with its newline (docker logs strips the wrapper; /var/lib/docker/
// containers/*/*-json.log keeps it).
func dockerJSON(lines []string) []string {
	out := make([]string, len(lines))
	for i, l := range lines {
		b, _ := json.Marshal(map[string]string{"log": l + "\n", "stream": "stdout", "time": "2024-01-02T03:04:05.123456789Z"})
		out[i] = string(b)
	}
	return out
}

// criLines wraps lines as containerd writes them to /var/log/containers.
func criLines(lines []string) []string {
	out := make([]string, len(lines))
	for i, l := range lines {
		out[i] = cri("F", l)
	}
	return out
}

// startupCases are proxies' startup lines as they write them (testdata/
// startup: Caddy 2.6's, nginx's and HAProxy's; a reviewer's samples and
// formats.md for the others), and their first requests.
func startupCases(t *testing.T) []startupCase {
	run := fileLines(t, "startup/caddy-2.6.2-run.log")
	nginxStart, nginxRequests := split(fileLines(t, "startup/nginx-1.22.1-docker-entrypoint.log"), 17)
	haproxyStart, haproxyRequests := split(fileLines(t, "startup/haproxy-2.6.12-W-db.log"), 2)
	haproxyWarnStart, haproxyWarnRequests := split(fileLines(t, "startup/haproxy-2.6.12-W-db-warning.log"), 8)
	haproxy22Start, haproxy22Requests := split(fileLines(t, "startup/haproxy-2.2-docker.log"), 8)
	return []startupCase{
		{"caddy default logger", fileLines(t, "startup/caddy-stderr.log"), nTimes(3, caddyErrorLine), "caddy", 0},
		// Recorded from caddy run: start, two health checks each second,
		// then the first request.
		{"caddy 2.6.2 recorded", run[:14], run[14:15], "caddy", 0},
		{"istio-proxy", nTimes(14, istioAgentLine), istioRequests, "envoy", 0},
		{"traefik common stdout", nTimes(12, traefikTextStartup), traefikCLF, "traefik", 0},
		{"traefik json stdout", nTimes(12, `{"level":"info","msg":"Configuration loaded from flags.","time":"2024-01-02T03:03:51Z"}`), []string{
			`{"ClientHost":"10.0.0.9","DownstreamContentSize":11,"DownstreamStatus":502,"Duration":1834000,"OriginContentSize":11,"OriginDuration":1702000,"OriginStatus":502,"RequestMethod":"GET","RequestPath":"/api","RetryAttempts":0,"RouterName":"api@docker","ServiceName":"api@docker","ServiceURL":"http://172.18.0.5:8080","StartUTC":"2024-01-02T03:04:05.120000000Z","level":"info","msg":"","time":"2024-01-02T03:04:05Z"}`,
			`{"ClientHost":"10.0.0.9","DownstreamContentSize":20,"DownstreamStatus":503,"Duration":34000,"OriginContentSize":0,"OriginDuration":0,"OriginStatus":0,"RequestMethod":"GET","RequestPath":"/nosrv","RetryAttempts":0,"RouterName":"api@docker","ServiceName":"api@docker","StartUTC":"2024-01-02T03:04:40.120000000Z","level":"info","msg":"","time":"2024-01-02T03:04:40Z"}`,
		}, "traefik-json", 0},
		{"ingress-nginx controller", append([]string{
			"-------------------------------------------------------------------------------",
			"NGINX Ingress controller",
			"  Release:       v1.9.4",
			"  Build:         846d251814a09d8a5d8d28e2e8d7f8a5e3d2b5f0",
			"  Repository:    https://github.com/kubernetes/ingress-nginx",
			"  nginx version: nginx/1.21.6",
			"",
			"-------------------------------------------------------------------------------",
			"",
		}, nTimes(6, ingressKlogLine)...), ingressRequests, "ingress-nginx", 0},
		// docker logs -f of the official nginx image: its entrypoint's
		// lines, nginx's notices, then access lines with the error lines
		// of the failed requests (stdout and stderr as one).
		{"nginx image", nginxStart, nginxRequests, "nginx-combined", 4},
		{"nginx image, docker json-file", dockerJSON(nginxStart), dockerJSON(nginxRequests), "nginx-combined", 4},
		{"nginx image, cri", criLines(nginxStart), criLines(nginxRequests), "nginx-combined", 4},
		// HAProxy as the official image runs it (-W -db): its stderr
		// lines, then its access lines (log stdout format raw).
		{"haproxy 2.6 -W -db", haproxyStart, haproxyRequests, "haproxy", 0},
		{"haproxy 2.6 -W -db, docker json-file", dockerJSON(haproxyStart), dockerJSON(haproxyRequests), "haproxy", 0},
		{"haproxy 2.6, a config warning", haproxyWarnStart, haproxyWarnRequests, "haproxy", 0},
		{"haproxy 2.2 in docker", haproxy22Start, haproxy22Requests, "haproxy", 0},
	}
}

var (
	traefikTextStartup = `time="2024-01-02T03:03:51Z" level=info msg="Configuration loaded from flags."`
	traefikCLF         = []string{
		`10.0.0.9 - - [02/Jan/2024:03:04:06 +0000] "GET /other HTTP/1.1" 502 11 "-" "curl/8.4.0" 44 "other@docker" "http://172.18.0.7:8080" 3ms`,
		`10.0.0.9 - - [02/Jan/2024:03:04:07 +0000] "GET /ok HTTP/1.1" 200 11 "-" "curl/8.4.0" 45 "other@docker" "http://172.18.0.7:8080" 3ms`,
		`10.0.0.9 - - [02/Jan/2024:03:04:08 +0000] "GET /ok HTTP/1.1" 200 11 "-" "curl/8.4.0" 46 "other@docker" "http://172.18.0.7:8080" 3ms`,
	}
	ingressKlogLine = `I0308 16:01:10.000000       7 main.go:205] "Creating API client" host="https://10.96.0.1:443"`
)

// ticks flushes the decoder n times, as n quiet ticks of a live input.
func (l *live) ticks(n int) {
	for range n {
		if err := l.d.Tick(context.Background()); err != nil {
			l.t.Fatal(err)
		}
	}
}

// TestLiveProxyStartupLinesKeepTheInputUndecided: a proxy that prints its
// startup lines and then stays quiet for longer than the 10 s a watched
// app's first lines wait was decided as an app log, its startup lines sent
// as app lines. Lines only the proxy writes keep the input undecided
// instead; the requests that come later decide the proxy, which reads the
// startup lines too, and no app line is sent.
func TestLiveProxyStartupLinesKeepTheInputUndecided(t *testing.T) {
	for _, tc := range startupCases(t) {
		t.Run(tc.name, func(t *testing.T) {
			l := newLive(t)
			l.lines(tc.startup...)
			l.ticks(sources.MaxPendingTicks + 20)
			if f, items := l.in.Format(), l.items(); f.Name != "" || len(items) != 0 {
				t.Fatalf("after the startup lines and a long pause: format %q (%s), %d records; want no format yet, none",
					f.Name, l.in.Detected(), len(items))
			}
			l.lines(tc.requests...)
			l.ticks(sources.LoneTicks + 1)
			e, x, a := kinds(l.items())
			records := tc.records
			if records == 0 {
				records = len(tc.requests)
			}
			if l.in.Format().Name != tc.format || a != 0 || e+x < records {
				t.Fatalf("format %q (%s): %d entries, %d errors, %d app lines; want %s, %d requests, no app line",
					l.in.Format().Name, l.in.Detected(), e, x, a, tc.format, records)
			}
		})
	}
}

// TestReportDecidesAProxyFromItsStartupLinesAlone: a proxy's log with its
// startup lines and no request yet (a report read just after it started)
// is the proxy's, not an app log: the engine took it for one, and a 5xx in
// another proxy's log came out "never reached the app".
func TestReportDecidesAProxyFromItsStartupLinesAlone(t *testing.T) {
	for _, tc := range startupCases(t) {
		t.Run(tc.name, func(t *testing.T) {
			in, items := readFile(t, tc.startup)
			if _, _, a := kinds(items); in.Format().Name != tc.format || a != 0 {
				t.Fatalf("format %q (%s), %d app lines; want %s, none", in.Format().Name, in.Detected(), a, tc.format)
			}
			if d := in.Detected(); !strings.Contains(d, "startup lines") {
				t.Errorf("detected %q does not say it was decided on startup lines", d)
			}
		})
	}
}

// TestLoneRequestLineIsNoEvidence: one request-like line decided the
// format alone when it was the first line and a quiet moment followed
// (live), or when the input ended right after the lines before it
// (report), or when it was all a file's head held (live): an app log whose
// first line looked like a request was nginx-combined for the session,
// every later line unparsed. It now waits for the lines after it, until
// the input ends or, live, a longer quiet.
func TestLoneRequestLineIsNoEvidence(t *testing.T) {
	t.Run("live, app lines after a pause", func(t *testing.T) {
		l := newLive(t)
		l.lines(combinedLine)
		l.quiet()
		if f := l.in.Format().Name; f != "" {
			t.Fatalf("one request line and a short pause: format %q (%s), want none yet", f, l.in.Detected())
		}
		l.lines(nTimes(20, appJSONLine)...)
		l.ticks(sources.MaxPendingTicks + sources.QuietTicks)
		c := l.in.Counters()
		if _, _, a := kinds(l.items()); l.in.Format().Name != "app-json" || a != 20 || c.Unparsed != 1 {
			t.Fatalf("format %q (%s): %d app lines, counters %+v; want app-json, 20, the request line unparsed",
				l.in.Format().Name, l.in.Detected(), a, c)
		}
	})
	t.Run("live, a proxy's first request and nothing after it", func(t *testing.T) {
		l := newLive(t)
		l.lines(combinedLine)
		l.ticks(sources.LoneTicks + 1)
		if e, _, _ := kinds(l.items()); l.in.Format().Name != "nginx-combined" || e != 1 {
			t.Fatalf("format %q (%s): %d entries; want nginx-combined, 1", l.in.Format().Name, l.in.Detected(), e)
		}
	})
	t.Run("live, startup lines and one request, then more", func(t *testing.T) {
		l := newLive(t)
		l.lines(fileLines(t, "startup/caddy-stderr.log")...)
		l.lines(caddyErrorLine)
		l.quiet()
		if f := l.in.Format().Name; f != "" {
			t.Fatalf("startup lines and one request line: format %q (%s), want none yet", f, l.in.Detected())
		}
		l.lines(caddyErrorLine)
		l.quiet()
		if _, x, a := kinds(l.items()); l.in.Format().Name != "caddy" || x != 14 || a != 0 {
			t.Fatalf("format %q (%s): %d errors, %d app lines; want caddy, 14, none", l.in.Format().Name, l.in.Detected(), x, a)
		}
	})
	t.Run("report, the last line of a short app log", func(t *testing.T) {
		in, items := readFile(t, append(nTimes(5, appJSONLine), combinedLine))
		if e, _, a := kinds(items); in.Format().Name != "app-json" || a != 5 || e != 0 {
			t.Fatalf("format %q (%s): %d entries, %d app lines; want app-json, 0, 5", in.Format().Name, in.Detected(), e, a)
		}
	})
	t.Run("report, the only line", func(t *testing.T) {
		in, items := readFile(t, []string{combinedLine})
		if e, _, _ := kinds(items); in.Format().Name != "nginx-combined" || e != 1 {
			t.Fatalf("format %q (%s): %d entries; want nginx-combined, 1", in.Format().Name, in.Detected(), e)
		}
	})
	for _, head := range []struct {
		name  string
		lines []string
	}{
		{"live, a file's head of one request line", []string{combinedLine}},
		{"live, a file's head of startup lines", fileLines(t, "startup/caddy-stderr.log")},
	} {
		t.Run(head.name, func(t *testing.T) {
			p := filepath.Join(t.TempDir(), "x.log")
			if err := os.WriteFile(p, []byte(strings.Join(head.lines, "\n")+"\n"), 0o644); err != nil {
				t.Fatal(err)
			}
			in := sources.NewInput(0, sources.Spec{Path: p})
			d, err := sources.NewHeadDecoder(in, make(chan sources.Item, 1))
			if err != nil || in.Format().Name != "" || d.Held() != len(head.lines) {
				t.Fatalf("format %q (%s) from the head, %d lines held (err %v); want none yet, the head held: the lines to come decide",
					in.Format().Name, in.Detected(), d.Held(), err)
			}
		})
	}
}

// TestLiveAppLogsAreNotHeldAsStartupLines: an app's lines in a layout a
// proxy writes its own lines in (logrus JSON as Traefik's, zap JSON as
// Caddy's) that say nothing only the proxy says are decided on a quiet
// moment, as before: only marked lines keep an input undecided.
func TestLiveAppLogsAreNotHeldAsStartupLines(t *testing.T) {
	for _, line := range []string{
		`{"level":"info","msg":"listening on :8080","time":"2024-01-02T03:04:05Z"}`,
		`{"level":"info","ts":1704164600.5,"logger":"admin","msg":"user created"}`,
		`{"time":"2024-01-02T03:04:05Z","level":"INFO","msg":"Configuration loaded from flags."}`,
	} {
		l := newLive(t)
		l.lines(nTimes(12, line)...)
		l.quiet()
		if l.in.Role() != sources.RoleApp {
			t.Errorf("%s: format %q (%s), want an app format", line, l.in.Format().Name, l.in.Detected())
		}
	}
}

// TestNginxStreamIsReadForItsAccessLines: nginx's stream as a container
// gives it carries its error log too, whose notices at start nginx-error
// read as entries: the stream was nginx-error, every access line unparsed.
// Its access lines decide it now, even when a failed request's error line
// comes first (nginx writes it before the access line) or the entrypoint
// is quiet (NGINX_ENTRYPOINT_QUIET_LOGS: the notices first). The access
// format reads the stream's error lines too (nginx/stream.go): the seven
// notices and the two connect() failures are its 9 error records, as they
// are nginx-error's in an error log. An error log that opens with the same
// notices is still nginx-error.
func TestNginxStreamIsReadForItsAccessLines(t *testing.T) {
	stream := fileLines(t, "startup/nginx-1.22.1-docker-entrypoint.log")
	entrypoint, notices, requests := stream[:10], stream[10:17], stream[17:]
	errorLines := []string{stream[18], stream[21]}
	failedFirst := stream[18:] // connect() failed, its 502, /health, connect() failed, its 502
	tests := []struct {
		name, format  string
		lines         []string
		entries, errs int
	}{
		{"a failed request first", "nginx-combined", append(append(entrypoint[:len(entrypoint):len(entrypoint)], notices...), failedFirst...), 3, 9},
		{"quiet entrypoint", "nginx-combined", append(notices[:len(notices):len(notices)], requests...), 4, 9},
		{"an error log", "nginx-error", append(notices[:len(notices):len(notices)], errorLines...), 0, 9},
	}
	for _, tt := range tests {
		t.Run("report, "+tt.name, func(t *testing.T) {
			in, items := readFile(t, tt.lines)
			if e, x, a := kinds(items); in.Format().Name != tt.format || e != tt.entries || x != tt.errs || a != 0 {
				t.Fatalf("format %q (%s): %d entries, %d errors, %d app lines; want %s: %d, %d, 0",
					in.Format().Name, in.Detected(), e, x, a, tt.format, tt.entries, tt.errs)
			}
		})
		t.Run("live, "+tt.name, func(t *testing.T) {
			l := newLive(t)
			l.lines(tt.lines...)
			l.ticks(sources.LoneTicks + 1)
			if e, x, a := kinds(l.items()); l.in.Format().Name != tt.format || e != tt.entries || x != tt.errs || a != 0 {
				t.Fatalf("format %q (%s): %d entries, %d errors, %d app lines; want %s: %d, %d, 0",
					l.in.Format().Name, l.in.Detected(), e, x, a, tt.format, tt.entries, tt.errs)
			}
		})
	}
	t.Run("report, notices alone", func(t *testing.T) {
		in, _ := readFile(t, notices)
		if in.Format().Name != "nginx-error" || !strings.Contains(in.Detected(), "startup lines") {
			t.Fatalf("format %q (%s); want nginx-error from its startup lines", in.Format().Name, in.Detected())
		}
	})
}

// TestEntrypointLinesAreStartupLines: the nginx image's entrypoint lines
// are counted as start-up lines, not as unparsed ones, whichever way the
// format is known: decided on them (the decoder's detection), or from the
// file's head before they are read (live --from-start), and after the
// requests (a restarted container). A line no format reads is still
// unparsed, and sampled.
func TestEntrypointLinesAreStartupLines(t *testing.T) {
	recorded := fileLines(t, "startup/nginx-1.22.1-docker-entrypoint.log")
	const junk = "this line is no format's at all"
	head := filepath.Join(t.TempDir(), "web.log")
	if err := os.WriteFile(head, []byte(strings.Join(recorded, "\n")+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name              string
		fromHead          bool
		lines             []string
		unparsed, startup int64
		samples           []string
	}{
		{"detected on them", false, recorded, 0, 10, nil},
		{"detected, restarted", false, append(append([]string{}, recorded...), recorded...), 0, 20, nil},
		{"detected, a junk line", false, append(append([]string{}, recorded...), junk), 1, 10, []string{junk}},
		{"known from the head", true, recorded, 0, 10, nil},
		{"known from the head, restarted", true, append(append([]string{}, recorded...), recorded...), 0, 20, nil},
		{"known from the head, a junk line", true, append([]string{junk}, recorded...), 1, 10, []string{junk}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := sources.NewInput(0, sources.Spec{Path: head})
			out := make(chan sources.Item, 1<<12)
			d := sources.NewDecoder(in, out)
			if tt.fromHead {
				var err error
				if d, err = sources.NewHeadDecoder(in, out); err != nil {
					t.Fatal(err)
				}
			}
			for _, l := range tt.lines {
				if err := d.Line(context.Background(), l); err != nil {
					t.Fatal(err)
				}
			}
			if err := d.Finish(context.Background()); err != nil {
				t.Fatal(err)
			}
			c := in.Counters()
			if in.Format().Name != "nginx-combined" || c.Lines != int64(len(tt.lines)) || c.Unparsed != tt.unparsed || c.Startup != tt.startup ||
				strings.Join(c.Samples, "\n") != strings.Join(tt.samples, "\n") {
				t.Errorf("format %s: counters %+v; want nginx-combined, %d lines, %d unparsed %q, %d startup",
					in.Format().Name, c, len(tt.lines), tt.unparsed, tt.samples, tt.startup)
			}
		})
	}
}
