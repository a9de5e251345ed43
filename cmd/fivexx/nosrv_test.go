package main

import (
	"path/filepath"
	"testing"
)

// TestHAProxyNOSRVKeepsItsBackend: a request HAProxy sent to no server is
// logged BACKEND/<NOSRV>, and fivexx keeps that name rather than the "-"
// of a request that reached no upstream: it says which backend had no
// server. upstreams[].name and the events' upstream say the same, so the
// two join (README, Report contract). Recorded: 15 NOSRV 503s of be_app.
func TestHAProxyNOSRVKeepsItsBackend(t *testing.T) {
	inZone(t, "UTC")
	dir := filepath.Join("..", "..", "testdata", "recordings", "haproxy")
	logs := []string{filepath.Join(dir, "access.log"), filepath.Join(dir, "app.log")}
	const nosrv = "be_app/<NOSRV>"

	var inTable map[string]any
	for _, u := range reportJSON(t, logs...)["upstreams"].([]any) {
		u := u.(map[string]any)
		if u["name"] == "-" {
			t.Errorf("upstreams[] has %q: %v", "-", u)
		}
		if u["name"] == nosrv {
			inTable = u
		}
	}
	if inTable == nil {
		t.Fatalf("no upstream %q in upstreams[]", nosrv)
	}
	if got := inTable["causes"].(map[string]any); len(got) != 1 || got["no_healthy_upstream"] != 15.0 {
		t.Errorf("%s: causes %v, want no_healthy_upstream 15 alone", nosrv, got)
	}

	evs, _ := reportEvents(t, logs...)
	joined := 0
	for _, ev := range evs {
		switch {
		case ev.Upstream == nosrv:
			joined++
			if ev.Cause != "no_healthy_upstream" {
				t.Errorf("event %s %s upstream %s: cause %s, want no_healthy_upstream", ev.Time, ev.Path, ev.Upstream, ev.Cause)
			}
		case ev.Cause == "no_healthy_upstream":
			t.Errorf("event %s %s: no_healthy_upstream with upstream %q, want %q", ev.Time, ev.Path, ev.Upstream, nosrv)
		}
	}
	if joined != 15 {
		t.Errorf("%d events with upstream %q, want 15 (its upstreams[] count)", joined, nosrv)
	}
}
