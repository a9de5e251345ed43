package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestMillisecondAccessStampOnTheSecond: Caddy's console encoder writes
// milliseconds, so an access entry stamped 07:14:53.000 is that
// millisecond, not the whole second. Taken for the second [53, 54) by its
// value (stampUnit), the app's own 502 of .000 (a keep-alive client, one
// port) reached the refused dial's error entry that Caddy wrote at .400
// for the next request and took it: upstream_refused for the app's 502,
// and the refused 502 read "no error-log line for it … the upstream sent
// 502", app_error. The parser now says how the stamp was written
// (sources.Precision).
func TestMillisecondAccessStampOnTheSecond(t *testing.T) {
	inZone(t, "UTC")
	req := `{"remote_ip": "127.0.0.1", "remote_port": "53758", "proto": "HTTP/1.1", "method": "GET", "host": "127.0.0.1:18691", "uri": "/api", "headers": {"Accept": ["*/*"], "User-Agent": ["curl/7.88.1"]}}`
	log := lines(
		fmt.Sprintf("2026/11/21 07:14:53.000\tERROR\thttp.log.access.log1\thandled request\t"+
			`{"request": %s, "user_id": "", "duration": 0.0012, "size": 18, "status": 502, "resp_headers": {"Server": ["Caddy"], "Content-Length": ["18"], "Content-Type": ["text/plain; charset=utf-8"], "Date": ["Sat, 21 Nov 2026 07:14:52 GMT"]}}`, req),
		fmt.Sprintf("2026/11/21 07:14:53.400\tERROR\thttp.log.error.log1\tdial tcp 127.0.0.1:18811: connect: connection refused\t"+
			`{"request": %s, "duration": 0.000281, "status": 502, "err_id": "sveendkpg", "err_trace": "reverseproxy.statusError (reverseproxy.go:1272)"}`, req),
		fmt.Sprintf("2026/11/21 07:14:53.400\tERROR\thttp.log.access.log1\thandled request\t"+
			`{"request": %s, "user_id": "", "duration": 0.000302, "size": 0, "status": 502, "resp_headers": {"Server": ["Caddy"]}}`, req),
	)
	path := filepath.Join(t.TempDir(), "caddy.log")
	if err := os.WriteFile(path, []byte(log), 0o644); err != nil {
		t.Fatal(err)
	}
	evs, _ := reportEvents(t, path)
	if len(evs) != 2 {
		t.Fatalf("%d events, want 2: %v", len(evs), evs)
	}
	onTheSecond, refused := evs[0], evs[1]
	if onTheSecond.Time != "2026-11-21T07:14:53.000Z" || refused.Time != "2026-11-21T07:14:53.400Z" {
		t.Fatalf("events at %s and %s", onTheSecond.Time, refused.Time)
	}
	if onTheSecond.Cause == "upstream_refused" || strings.Contains(strings.Join(onTheSecond.Evidence, " | "), "error log:") {
		t.Errorf("the 502 of .000 took the next request's error entry: %s %q", onTheSecond.Cause, onTheSecond.Evidence)
	}
	if refused.Cause != "upstream_refused" || refused.Confidence != "high" {
		t.Errorf("the refused 502 of .400: %s %s %q, want upstream_refused high", refused.Cause, refused.Confidence, refused.Evidence)
	}
}
