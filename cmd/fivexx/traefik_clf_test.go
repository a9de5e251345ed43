package main

import (
	"os"
	"path/filepath"
	"slices"
	"testing"
)

// writeFiles writes each file's lines into a new directory and returns
// their paths in the order given.
func writeFiles(t *testing.T, files ...[2]string) []string {
	t.Helper()
	dir := t.TempDir()
	var paths []string
	for _, f := range files {
		p := filepath.Join(dir, f[0])
		if err := os.WriteFile(p, []byte(f[1]), 0o644); err != nil {
			t.Fatal(err)
		}
		paths = append(paths, p)
	}
	return paths
}

// TestTraefikCLFQuotesServiceURL: the evidence quotes the CLF's ServiceURL
// as logged, scheme and all (QA F7: "ServiceURL 172.18.0.9:8080" for
// "http://172.18.0.9:8080"); the upstream stays its host:port.
func TestTraefikCLFQuotesServiceURL(t *testing.T) {
	inZone(t, "UTC")
	evs, _ := reportEvents(t, writeFiles(t, [2]string{"access.log", lines(
		`10.0.0.9 - - [02/Jan/2024:03:04:05 +0000] "GET /api HTTP/1.1" 502 11 "-" "curl/8.4.0" 42 "api@docker" "http://172.18.0.9:8080" 3ms`,
	)})...)
	want := "ServiceURL http://172.18.0.9:8080: no response header arrived"
	if len(evs) != 1 || evs[0].Upstream != "172.18.0.9:8080" || !slices.Contains(evs[0].Evidence, want) {
		t.Fatalf("%+v, want upstream 172.18.0.9:8080 and evidence %q", evs, want)
	}
}

// TestTraefikCLFStatusZeroReadsAsJSONs: Traefik's CLF writes a
// websocket's or an aborted request's DownstreamStatus 0 as "0"
// (formats.md §7.4); it was counted unparsed, where the same request in
// the JSON layout is status "000" (QA s31 F7).
func TestTraefikCLFStatusZeroReadsAsJSONs(t *testing.T) {
	inZone(t, "UTC")
	m := reportJSON(t, writeFiles(t, [2]string{"access.log", lines(
		`10.0.0.9 - - [02/Jan/2024:03:04:05 +0000] "GET /ok HTTP/1.1" 200 287 "-" "curl/8.4.0" 1 "api@docker" "http://172.18.0.5:8080" 7ms`,
		`10.0.0.9 - - [02/Jan/2024:03:04:14 +0000] "GET /ws HTTP/1.1" 0 0 "-" "curl/8.4.0" 10 "api@docker" "http://172.18.0.5:8080" 0ms`,
	)})...)
	in := m["inputs"].([]any)[0].(map[string]any)
	status := m["status"].(map[string]any)
	if in["unparsed"] != 0.0 || in["parsed"] != 2.0 || m["requests"] != 2.0 || status["000"] != 1.0 {
		t.Fatalf("input %v, requests %v, status %v: want 2 parsed, 0 unparsed, 2 requests, \"000\": 1", in, m["requests"], status)
	}
}

// TestTraefikCLFForwarded503IsTheBackends: past the ServiceURL Traefik's
// own errors are 502, 504, 499 and 500 only (formats.md §7.2), so a
// forwarded 503 in the CLF layout is the backend's, as the JSON layout's
// OriginStatus 503 says: app_unavailable, where it was unknown (QA s31
// F8). A 503 with no ServiceURL stays Traefik's "no available server".
func TestTraefikCLFForwarded503IsTheBackends(t *testing.T) {
	inZone(t, "UTC")
	evs, _ := reportEvents(t, writeFiles(t, [2]string{"access.log", lines(
		`10.0.0.9 - - [02/Jan/2024:03:04:07 +0000] "GET /noserver HTTP/1.1" 503 0 "-" "curl/8.4.0" 3 "api@docker" "-" 0ms`,
		`10.0.0.9 - - [02/Jan/2024:03:04:10 +0000] "GET /maint HTTP/1.1" 503 19 "-" "curl/8.4.0" 6 "api@docker" "http://172.18.0.5:8080" 3ms`,
	)})...)
	got := map[string]string{}
	for _, ev := range evs {
		got[ev.Path] = ev.Cause + " " + ev.Confidence
	}
	want := map[string]string{"/noserver": "no_healthy_upstream medium", "/maint": "app_unavailable medium"}
	if len(evs) != 2 || got["/noserver"] != want["/noserver"] || got["/maint"] != want["/maint"] {
		t.Fatalf("got %v (%+v), want %v", got, evs, want)
	}
}
