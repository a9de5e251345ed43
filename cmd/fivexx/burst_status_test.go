package main

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"
)

// TestBurstStatusFromQA: F1 of QA round s22, on three seconds of what a
// real nginx 1.22.1 and the fault app wrote in testdata/burst-status: one
// client at 8 in parallel on one path, one upstream, the app answering
// 500 or 503 itself, resetting or closing before the header (502, a
// "recv() failed (104…)" or "prematurely closed" line) or too slow for
// proxy_read_timeout 1s (504, a "timed out" line). The access log has no
// $connection (combined, the advised fields without cid=, ingress-nginx's
// format), so the error lines are shared out by time. Each went to any
// 5xx of its second: the app's 500s and 503s were upstream_reset, high
// too, the 504s upstream_reset and the 502s upstream_timeout. A line
// explains only a 5xx whose status its reason makes.
func TestBurstStatusFromQA(t *testing.T) {
	inZone(t, "UTC")
	want := map[int]string{500: "app_error", 502: "upstream_reset", 503: "app_unavailable", 504: "upstream_timeout"}
	dir := filepath.Join("testdata", "burst-status")
	for _, access := range []string{"combined.log", "upstream-rid-nocid.log", "ingress.log"} {
		t.Run(access, func(t *testing.T) {
			evs, _ := reportEvents(t, filepath.Join(dir, access), filepath.Join(dir, "error.log"), filepath.Join(dir, "app.log"))
			got := map[string]int{}
			for _, ev := range evs {
				got[fmt.Sprint(ev.Status, " ", ev.Cause)]++
				if ev.Cause != want[ev.Status] {
					t.Errorf("%d %s/%s, want %s: %q", ev.Status, ev.Cause, ev.Confidence, want[ev.Status], ev.Evidence)
				}
				for _, x := range ev.Evidence {
					if ev.Status != 502 && ev.Status != 504 && strings.HasPrefix(x, "error log:") {
						t.Errorf("the app's %d took an error line: %q", ev.Status, ev.Evidence)
					}
				}
				if (ev.Status == 502 || ev.Status == 504) && ev.Confidence != "high" {
					t.Errorf("%d %s/%s: each 502 and 504 has a line its status comes from: %q", ev.Status, ev.Cause, ev.Confidence, ev.Evidence)
				}
			}
			wantCount := map[string]int{"500 app_error": 22, "502 upstream_reset": 38, "503 app_unavailable": 20, "504 upstream_timeout": 4}
			if fmt.Sprint(got) != fmt.Sprint(wantCount) {
				t.Errorf("causes %v, want %v", got, wantCount)
			}
		})
	}
}
