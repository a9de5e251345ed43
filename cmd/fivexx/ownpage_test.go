package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestOwnPageBesideAWitness: the proxy's own 503 (nginx "location /maint
// { return 503; }", Caddy "respond 503") writes no error-log line, and
// the app, which logs every request it serves (its 200s too), has no line
// for it: the proxy answered, not the app (classify/appwitness.go). An
// app that logs only its failures is no witness: the 503 stays the
// upstream's, as rule 5 says. Recorded with nginx 1.22.1 and Caddy 2.6.2
// (the QA round of session 22, repro/nginx and repro/caddy-maint; the
// Caddy error log is the start of that run's, whose request errors are
// from before).
func TestOwnPageBesideAWitness(t *testing.T) {
	inZone(t, "Europe/Paris") // nginx's error log was written there
	dir := filepath.Join("testdata", "ownpage")
	onlyFailures := func(t *testing.T, name string) string {
		b, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		var keep []string
		for _, l := range strings.Split(strings.TrimSpace(string(b)), "\n") {
			var a struct{ Status int }
			if err := json.Unmarshal([]byte(l), &a); err != nil {
				t.Fatal(err)
			}
			if a.Status == 0 || a.Status >= 500 { // the lines of failed requests only
				keep = append(keep, l)
			}
		}
		p := filepath.Join(t.TempDir(), name)
		write(t, p, keep)
		return p
	}
	const (
		nginxMaint = "no error-log line for it either: the proxy most likely answered 503 itself (a return, or an error_page without a proxied location)"
		// Caddy's own headers say so (medium), beside the app's
		// witness (which alone said low).
		caddyMaint = "no error-log line for it and the proxy wrote the response: it answered 503 itself (a respond or error directive)"
		rule5      = "no error-log line for it: the proxy logs every upstream failure there, so the upstream sent 503"
	)
	tests := []struct {
		name             string
		inputs           func(t *testing.T) []string
		cause, conf      string
		evidence         []string
		hintHas          string
		appE503, conf503 string // the app's own 503 beside it
	}{
		{"nginx return 503", func(t *testing.T) []string {
			return []string{filepath.Join(dir, "nginx-combined.log"), filepath.Join(dir, "nginx-error.log"), filepath.Join(dir, "nginx-app.log")}
		}, "proxy_rejected", "low", []string{"app: no app line for it within ±2 s, though the app logged 5 request(s) that went well in that time", nginxMaint},
			"a maintenance page (return 503)", "app_unavailable", "low"},
		{"caddy respond 503", func(t *testing.T) []string {
			return []string{filepath.Join(dir, "caddy-access.log"), filepath.Join(dir, "caddy-error.log"), filepath.Join(dir, "caddy-app.log")}
		}, "proxy_rejected", "medium", []string{"app: no app line for it within ±2 s, though the app logged 4 request(s) that went well in that time", caddyMaint},
			"a respond or error directive (a maintenance page)", "app_unavailable", "low"},
		{"nginx, an app that logs only its failures", func(t *testing.T) []string {
			return []string{filepath.Join(dir, "nginx-combined.log"), filepath.Join(dir, "nginx-error.log"), onlyFailures(t, "nginx-app.log")}
		}, "app_unavailable", "medium", []string{"app: no app line within ±2 s", rule5}, "the app answered 503 on purpose", "app_unavailable", "low"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, stderr := runCLI(append([]string{"report", "--events"}, tt.inputs(t)...)...)
			if code != 0 {
				t.Fatalf("exit %d: %s", code, stderr)
			}
			maint := 0
			for _, l := range strings.Split(strings.TrimSpace(out), "\n") {
				var ev struct {
					Path, Cause, Confidence, Hint string
					Evidence                      []string
				}
				if err := json.Unmarshal([]byte(l), &ev); err != nil {
					t.Fatalf("%v: %s", err, l)
				}
				switch ev.Path {
				case "/maint":
					maint++
					if ev.Cause != tt.cause || ev.Confidence != tt.conf || !hasAll(ev.Evidence, tt.evidence) || !strings.Contains(ev.Hint, tt.hintHas) {
						t.Errorf("/maint: %s %s %q hint %q; want %s %s %q hint with %q", ev.Cause, ev.Confidence, ev.Evidence, ev.Hint,
							tt.cause, tt.conf, tt.evidence, tt.hintHas)
					}
				case "/e503":
					if ev.Cause != tt.appE503 || ev.Confidence != tt.conf503 {
						t.Errorf("/e503 (the app's own): %s %s, want %s %s", ev.Cause, ev.Confidence, tt.appE503, tt.conf503)
					}
				}
			}
			if maint != 2 {
				t.Errorf("%d events for /maint, want 2", maint)
			}
		})
	}
}
