package main

import (
	"path/filepath"
	"strings"
	"testing"
)

// TestCaddyMillisecondStampKeepsItsErrorEntry is QA s29's regression on
// what real Caddy wrote (sources/caddy/testdata): the console encoder
// stamps the access entry 07:14:53.304, the error entry written just
// before it is 07:14:53.3044074, inside that millisecond. Taken as an
// instant, the stamp put its own error entry after the access entry,
// another request's: the refused 502 came out app_error medium.
func TestCaddyMillisecondStampKeepsItsErrorEntry(t *testing.T) {
	inZone(t, "UTC")
	dir := filepath.Join("..", "..", "sources", "caddy", "testdata")
	evs, _ := reportEvents(t, filepath.Join(dir, "console.log"), filepath.Join(dir, "default.log"))
	if len(evs) != 1 {
		t.Fatalf("got %d events, want the one 502: %+v", len(evs), evs)
	}
	ev := evs[0]
	if ev.Cause != "upstream_refused" || ev.Confidence != "high" || ev.Upstream != "127.0.0.1:19009" {
		t.Errorf("got %s %s upstream %s, want upstream_refused high upstream 127.0.0.1:19009 (its error entry): %q",
			ev.Cause, ev.Confidence, ev.Upstream, ev.Evidence)
	}
	if len(ev.Evidence) == 0 || !strings.Contains(ev.Evidence[0], "connection refused") {
		t.Errorf("evidence %q, want its error entry's connection refused", ev.Evidence)
	}
}
