package main

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
)

// TestProxyZoneFromIDs: HAProxy's %tr has no zone; written in
// Europe/Paris and read in another TZ, every proxy time is off by whole
// hours, and the skew the ids learn is exactly that. The header and the
// advice say the proxy log was written in another zone and name a TZ,
// rather than blame the app's clock (classify/proxyzone.go). Recorded with
// HAProxy 2.6.12 under TZ=Europe/Paris (the QA round of session 22,
// repro/haproxy).
func TestProxyZoneFromIDs(t *testing.T) {
	dir := filepath.Join("testdata", "proxyzone")
	const advice = "the proxy's times carry no zone, and the request ids put the app's clock exactly "
	tests := []struct {
		tz, header, advice string
	}{
		{"UTC", "proxy log likely written in UTC+01:00, not TZ (ids: app clock -1h0m0s): run with TZ=Etc/GMT-1", advice + "-1h0m0s off: the proxy log was most likely written in UTC+01:00"},
		{"America/New_York", "proxy log likely written in UTC+01:00, not TZ (ids: app clock -6h0m0s): run with TZ=Etc/GMT-1", advice + "-6h0m0s off: the proxy log was most likely written in UTC+01:00"},
		// 8 ids: the five requests that went well and the app's own 500,
		// 502 and 503 (its line logs the status HAProxy had from it); the
		// sH-- 504 (the app ended its /slow?s=3 2 s later), the PH-- and
		// the two SH-- 502s give no skew sample (the proxy made them;
		// classify.MomentStatus).
		{"Europe/Paris", "app clock +0s (from 8 ids)", ""},
	}
	for _, tt := range tests {
		t.Run(tt.tz, func(t *testing.T) {
			inZone(t, tt.tz)
			inputs := []string{filepath.Join(dir, "haproxy.log"), filepath.Join(dir, "app.log")}
			code, out, stderr := runCLI(append([]string{"report"}, inputs...)...)
			if code != 0 {
				t.Fatalf("exit %d: %s", code, stderr)
			}
			if first, _, _ := strings.Cut(out, "\n"); !strings.HasSuffix(first, " · "+tt.header) {
				t.Errorf("header %q, want it to end with %q", first, tt.header)
			}
			code, out, stderr = runCLI(append([]string{"report", "--json"}, inputs...)...)
			if code != 0 {
				t.Fatalf("exit %d: %s", code, stderr)
			}
			var rep struct {
				Advice []struct{ Problem, Fix string }
			}
			if err := json.Unmarshal([]byte(out), &rep); err != nil {
				t.Fatal(err)
			}
			found := false
			for _, a := range rep.Advice {
				if strings.HasPrefix(a.Problem, advice) {
					found = tt.advice != "" && strings.HasPrefix(a.Problem, tt.advice) && strings.Contains(a.Fix, "TZ=Etc/GMT-1")
					if !found {
						t.Errorf("advice %q / %q, want %q", a.Problem, a.Fix, tt.advice)
					}
				}
			}
			if !found && tt.advice != "" {
				t.Errorf("no advice %q among %q", tt.advice, rep.Advice)
			}
		})
	}
}
