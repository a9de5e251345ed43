package main

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// samesecAccess and samesecError are the QA repro's lines
// (qa-work/repro/samesec): six 502s of one client, method, path and
// second in the combined format, five connections refused and one reset
// in the error log.
var (
	samesecAccess = repeatLine(6, `10.1.2.3 - - [22/Nov/2026:05:10:01 +0000] "GET /api/orders HTTP/1.1" 502 157 "-" "curl/8.4.0"`)
	samesecError  = []string{
		`2026/11/22 05:10:01 [error] 7#7: *21 connect() failed (111: Connection refused) while connecting to upstream, client: 10.1.2.3, server: , request: "GET /api/orders HTTP/1.1", upstream: "http://10.0.0.1:8080/api/orders", host: "example.com"`,
		`2026/11/22 05:10:01 [error] 7#7: *22 connect() failed (111: Connection refused) while connecting to upstream, client: 10.1.2.3, server: , request: "GET /api/orders HTTP/1.1", upstream: "http://10.0.0.1:8080/api/orders", host: "example.com"`,
		`2026/11/22 05:10:01 [error] 7#7: *23 connect() failed (111: Connection refused) while connecting to upstream, client: 10.1.2.3, server: , request: "GET /api/orders HTTP/1.1", upstream: "http://10.0.0.1:8080/api/orders", host: "example.com"`,
		`2026/11/22 05:10:01 [error] 7#7: *24 connect() failed (111: Connection refused) while connecting to upstream, client: 10.1.2.3, server: , request: "GET /api/orders HTTP/1.1", upstream: "http://10.0.0.1:8080/api/orders", host: "example.com"`,
		`2026/11/22 05:10:01 [error] 7#7: *25 connect() failed (111: Connection refused) while connecting to upstream, client: 10.1.2.3, server: , request: "GET /api/orders HTTP/1.1", upstream: "http://10.0.0.1:8080/api/orders", host: "example.com"`,
		`2026/11/22 05:10:01 [error] 7#7: *30 upstream prematurely closed connection while reading response header from upstream, client: 10.1.2.3, server: , request: "GET /api/orders HTTP/1.1", upstream: "http://10.0.0.2:8080/api/orders", host: "example.com"`,
	}
)

// retryCombined is a 502 real nginx logged (testdata/recordings/
// nginx-combined, request 59: both backends down), retried on the second
// backend: one error line per attempt, on the client's connection *2.
var (
	retryCombined      = `127.0.0.1 - - [21/Nov/2026:07:40:01 +0000] "GET /ok?n=59 HTTP/1.1" 502 157 "-" "fivexx-lab/1"`
	retryCombinedError = []string{
		`2026/11/21 07:40:01 [error] 19208#19208: *2 connect() failed (111: Connection refused) while connecting to upstream, client: 127.0.0.1, server: , request: "GET /ok?n=59 HTTP/1.1", upstream: "http://127.0.0.1:35433/ok?n=59", host: "127.0.0.1:46533"`,
		`2026/11/21 07:40:01 [error] 19208#19208: *2 connect() failed (111: Connection refused) while connecting to upstream, client: 127.0.0.1, server: , request: "GET /ok?n=59 HTTP/1.1", upstream: "http://127.0.0.1:34913/ok?n=59", host: "127.0.0.1:46533"`,
	}
	// The same request in the recording with upstream fields and
	// $connection (nginx-upstream): error_log at warn adds nginx's
	// "temporarily disabled" line after each failed attempt.
	retryUpstream      = `127.0.0.1 - - [21/Nov/2026:07:40:01 +0000] "GET /ok?n=59 HTTP/1.1" 502 157 "-" "fivexx-lab/1" rt=0.000 uct="-, -" uht="-, -" urt="0.000, 0.000" ua="127.0.0.1:34599, 127.0.0.1:36769" us="502, 502" rid=11ed41c85918ad6484a6525b0112783d cid=2`
	retryUpstreamError = []string{
		`2026/11/21 07:40:01 [error] 19209#19209: *2 connect() failed (111: Connection refused) while connecting to upstream, client: 127.0.0.1, server: , request: "GET /ok?n=59 HTTP/1.1", upstream: "http://127.0.0.1:34599/ok?n=59", host: "127.0.0.1:44477"`,
		`2026/11/21 07:40:01 [warn] 19209#19209: *2 upstream server temporarily disabled while connecting to upstream, client: 127.0.0.1, server: , request: "GET /ok?n=59 HTTP/1.1", upstream: "http://127.0.0.1:34599/ok?n=59", host: "127.0.0.1:44477"`,
		`2026/11/21 07:40:01 [error] 19209#19209: *2 connect() failed (111: Connection refused) while connecting to upstream, client: 127.0.0.1, server: , request: "GET /ok?n=59 HTTP/1.1", upstream: "http://127.0.0.1:36769/ok?n=59", host: "127.0.0.1:44477"`,
		`2026/11/21 07:40:01 [warn] 19209#19209: *2 upstream server temporarily disabled while connecting to upstream, client: 127.0.0.1, server: , request: "GET /ok?n=59 HTTP/1.1", upstream: "http://127.0.0.1:36769/ok?n=59", host: "127.0.0.1:44477"`,
	}
)

// withSerial is l (a line of retryUpstream's shape) on connection cid.
func withSerial(l, cid string) string { return strings.Replace(l, "cid=2", "cid="+cid, 1) }

// onConn is an nginx error line l on connection serial n instead of *2.
func onConn(l, n string) string { return strings.Replace(l, ": *2 ", ": *"+n+" ", 1) }

// wantShared is what one 5xx of a sharedCase gets: cause, confidence,
// its error-log lines (evidence lines "error log: …"), and a phrase its
// evidence must contain or not.
type wantShared struct {
	cause, conf string
	errLines    int
	in, notIn   string
}

// TestErrorLinesAreSharedOut checks that an error-log line explains one
// request: 5xx of the same client, method, path and second share the
// lines, one serial each, and their retries keep all their lines.
func TestErrorLinesAreSharedOut(t *testing.T) {
	guess := "which error line is this request's is a guess"
	tests := []struct {
		name          string
		access, error []string
		want          []wantShared // in access-log order
	}{
		{"QA repro: 5 refused and 1 reset, no $connection: one line each, a guess", samesecAccess, samesecError, []wantShared{
			{"upstream_refused", "medium", 1, guess, ""},
			{"upstream_refused", "medium", 1, guess, ""},
			{"upstream_refused", "medium", 1, guess, ""},
			{"upstream_refused", "medium", 1, guess, ""},
			{"upstream_refused", "medium", 1, guess, ""},
			{"upstream_reset", "medium", 1, "it took the one left (*30)", ""},
		}},
		{"six refused: no guess that matters", samesecAccess, append(samesecError[:5:5], strings.Replace(samesecError[0], "*21", "*26", 1)), []wantShared{
			{"upstream_refused", "high", 1, "", guess},
			{"upstream_refused", "high", 1, "", guess},
			{"upstream_refused", "high", 1, "", guess},
			{"upstream_refused", "high", 1, "", guess},
			{"upstream_refused", "high", 1, "", guess},
			{"upstream_refused", "high", 1, "", guess},
		}},
		{"a 502 retried, combined: both attempts' lines", []string{retryCombined}, retryCombinedError, []wantShared{
			{"upstream_refused", "high", 2, "", guess},
		}},
		{"a 502 retried, upstream fields and $connection: all four lines of its serial", []string{retryUpstream}, retryUpstreamError, []wantShared{
			{"upstream_refused", "high", 4, "", guess},
		}},
		{"two 502s on one keep-alive connection, each retried, combined: two lines each", []string{retryCombined, retryCombined},
			append(retryCombinedError[:2:2], retryCombinedError...), []wantShared{
				{"upstream_refused", "high", 2, "", guess},
				{"upstream_refused", "high", 2, "", guess},
			}},
		{"two 502s with $connection: each its own serial's lines, whatever their order", []string{withSerial(retryUpstream, "7"), retryUpstream},
			[]string{
				onConn(strings.Replace(retryUpstreamError[0], "connect() failed (111: Connection refused) while connecting to upstream", "upstream prematurely closed connection while reading response header from upstream", 1), "7"),
				retryUpstreamError[0], retryUpstreamError[2],
			}, []wantShared{
				{"upstream_reset", "high", 1, "", guess},
				{"upstream_refused", "high", 2, "", guess},
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			access, errs := filepath.Join(dir, "access.log"), filepath.Join(dir, "error.log")
			if err := os.WriteFile(access, []byte(lines(tt.access...)), 0o644); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(errs, []byte(lines(tt.error...)), 0o644); err != nil {
				t.Fatal(err)
			}
			t.Setenv("TZ", "UTC")
			inZone(t, "UTC")
			evs, _ := reportEvents(t, access, errs)
			if len(evs) != len(tt.want) {
				t.Fatalf("%d events, want %d: %+v", len(evs), len(tt.want), evs)
			}
			for i, w := range tt.want {
				ev := evs[i]
				n := 0
				for _, l := range ev.Evidence {
					if strings.HasPrefix(l, "error log: ") {
						n++
					}
				}
				all := strings.Join(ev.Evidence, "\n")
				if ev.Cause != w.cause || ev.Confidence != w.conf || n != w.errLines ||
					(w.in != "" && !strings.Contains(all, w.in)) || (w.notIn != "" && strings.Contains(all, w.notIn)) {
					t.Errorf("5xx %d: %s/%s with %d error lines, want %s/%s with %d (evidence with %q, without %q):\n%s",
						i+1, ev.Cause, ev.Confidence, n, w.cause, w.conf, w.errLines, w.in, w.notIn, all)
				}
			}
		})
	}
}

// TestTraefikOwnCauseNamingTheUpstreamWins is the QA repro
// (qa-work/repro/traefik-debug): three 502s in one second, and two DEBUG
// lines, the first naming no upstream ("EOF"), the second /a's.
func TestTraefikOwnCauseNamingTheUpstreamWins(t *testing.T) {
	dir := t.TempDir()
	clf, debug := filepath.Join(dir, "clf2.log"), filepath.Join(dir, "debug2.log")
	if err := os.WriteFile(clf, []byte(lines(
		`10.0.0.9 - - [22/Nov/2026:05:00:01 +0000] "GET /a HTTP/1.1" 502 11 "-" "curl/8.4.0" 42 "api@docker" "http://172.18.0.5:8080" 3ms`,
		`10.0.0.8 - - [22/Nov/2026:05:00:01 +0000] "POST /b HTTP/1.1" 502 11 "-" "curl/8.4.0" 43 "web@docker" "http://172.18.0.6:8080" 250ms`,
		`10.0.0.7 - - [22/Nov/2026:05:00:01 +0000] "GET /c HTTP/1.1" 502 11 "-" "curl/8.4.0" 44 "pay@docker" "http://172.18.0.7:8080" 2ms`,
	)), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(debug, []byte(lines(
		`time="2026-11-22T05:00:01Z" level=debug msg="'502 Bad Gateway' caused by: EOF"`,
		`time="2026-11-22T05:00:01Z" level=debug msg="'502 Bad Gateway' caused by: dial tcp 172.18.0.5:8080: connect: connection refused"`,
	)), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Setenv("TZ", "UTC")
	inZone(t, "UTC")
	evs, _ := reportEvents(t, clf, debug)
	want := map[string]struct{ cause, conf, in string }{
		"/a": {"upstream_refused", "high", "proxy log: '502 Bad Gateway' caused by: dial tcp 172.18.0.5:8080: connect: connection refused"},
		// The EOF line names no upstream: it could as well be /c's, so /b
		// takes it at medium, saying so (it was high).
		"/b": {"upstream_reset", "medium", "which 502 this line is about is a guess: it names no request and no upstream, and another 502 of its time could have taken it"},
		"/c": {"unknown", "low", "likely Traefik's own 502 (cause only in its DEBUG log)"},
	}
	if len(evs) != len(want) {
		t.Fatalf("%d events, want %d", len(evs), len(want))
	}
	for _, ev := range evs {
		w := want[ev.Path]
		if ev.Cause != w.cause || ev.Confidence != w.conf || !slices.Contains(ev.Evidence, w.in) {
			t.Errorf("%s: %s/%s %q, want %s/%s with %q", ev.Path, ev.Cause, ev.Confidence, ev.Evidence, w.cause, w.conf, w.in)
		}
		if ev.Path == "/b" && !slices.Contains(ev.Evidence, "proxy log: '502 Bad Gateway' caused by: EOF") {
			t.Errorf("/b: evidence %q lacks the EOF line", ev.Evidence)
		}
	}
}

// TestTraefikBareLineShared: a DEBUG line naming no upstream is high
// only when no other 502 of its time could be the one it is about.
func TestTraefikBareLineShared(t *testing.T) {
	const (
		eof   = `time="2026-11-22T05:00:01Z" level=debug msg="'502 Bad Gateway' caused by: EOF"`
		a502  = `10.0.0.9 - - [22/Nov/2026:05:00:01 +0000] "GET /a HTTP/1.1" 502 11 "-" "curl/8.4.0" 42 "api@docker" "http://172.18.0.5:8080" 3ms`
		b502  = `10.0.0.8 - - [22/Nov/2026:05:00:01 +0000] "POST /b HTTP/1.1" 502 11 "-" "curl/8.4.0" 43 "web@docker" "http://172.18.0.6:8080" 250ms`
		b504  = `10.0.0.8 - - [22/Nov/2026:05:00:01 +0000] "POST /b HTTP/1.1" 504 11 "-" "curl/8.4.0" 43 "web@docker" "http://172.18.0.6:8080" 250ms`
		guess = "which 502 this line is about is a guess: it names no request and no upstream, and another 502 of its time could have taken it"
	)
	for _, tc := range []struct {
		name       string
		clf, debug []string
		conf       string // /a's
		guessed    bool
	}{
		{"one 502, one EOF line", []string{a502}, []string{eof}, "high", false},
		{"a 504 beside it is no rival", []string{a502, b504}, []string{eof}, "high", false},
		{"two 502s, one EOF line", []string{a502, b502}, []string{eof}, "medium", true},
		// Whichever takes which, each is told EOF.
		{"two 502s, two EOF lines", []string{a502, b502}, []string{eof, eof}, "high", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			clf, debug := filepath.Join(dir, "clf.log"), filepath.Join(dir, "debug.log")
			if err := os.WriteFile(clf, []byte(lines(tc.clf...)), 0o644); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(debug, []byte(lines(tc.debug...)), 0o644); err != nil {
				t.Fatal(err)
			}
			t.Setenv("TZ", "UTC")
			inZone(t, "UTC")
			evs, _ := reportEvents(t, clf, debug)
			for _, ev := range evs {
				if ev.Path != "/a" {
					continue
				}
				if ev.Cause != "upstream_reset" || ev.Confidence != tc.conf || slices.Contains(ev.Evidence, guess) != tc.guessed {
					t.Errorf("/a: %s/%s %q, want upstream_reset/%s (guess line: %v)", ev.Cause, ev.Confidence, ev.Evidence, tc.conf, tc.guessed)
				}
				return
			}
			t.Fatalf("no /a in %+v", evs)
		})
	}
}

// TestTraefikNamedLineSharedSaysItsUpstream: Traefik's DEBUG line that
// names the upstream it dialled, shared by two 502s of that upstream in
// its time, says so: "names no request and no upstream" was said of
// `dial tcp 172.18.0.5:8080: connect: connection refused` (QA s31 F6,
// Traefik's own stream with its CLF lines).
func TestTraefikNamedLineSharedSaysItsUpstream(t *testing.T) {
	inZone(t, "UTC")
	evs, _ := reportEvents(t, writeFiles(t, [2]string{"traefik.log", lines(
		`time="2024-01-02T03:04:00Z" level=info msg="Configuration loaded from flags."`,
		`10.0.0.9 - - [02/Jan/2024:03:04:05 +0000] "GET /ok HTTP/1.1" 200 287 "-" "curl/8.4.0" 1 "api@docker" "http://172.18.0.5:8080" 7ms`,
		`time="2024-01-02T03:04:06Z" level=debug msg="'502 Bad Gateway' caused by: dial tcp 172.18.0.5:8080: connect: connection refused"`,
		`10.0.0.9 - - [02/Jan/2024:03:04:06 +0000] "GET /api HTTP/1.1" 502 11 "-" "curl/8.4.0" 2 "api@docker" "http://172.18.0.5:8080" 1ms`,
		`time="2024-01-02T03:04:07Z" level=debug msg="'502 Bad Gateway' caused by: EOF"`,
		`10.0.0.9 - - [02/Jan/2024:03:04:07 +0000] "POST /crash HTTP/1.1" 502 11 "-" "curl/8.4.0" 3 "api@docker" "http://172.18.0.5:8080" 210ms`,
	)})...)
	const (
		named = "which 502 this line is about is a guess: it names the upstream, 172.18.0.5:8080, but no request, and another 502 of its time on that upstream could have taken it"
		bare  = "which 502 this line is about is a guess: it names no request and no upstream, and another 502 of its time could have taken it"
	)
	for _, ev := range evs {
		if ev.Path != "/api" {
			continue
		}
		if ev.Cause != "upstream_refused" || ev.Confidence != "medium" || !slices.Contains(ev.Evidence, named) || slices.Contains(ev.Evidence, bare) {
			t.Errorf("/api: %s/%s %q, want upstream_refused/medium with %q", ev.Cause, ev.Confidence, ev.Evidence, named)
		}
		return
	}
	t.Fatalf("no /api in %+v", evs)
}
