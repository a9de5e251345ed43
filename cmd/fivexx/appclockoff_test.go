package main

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// appStamp is the time an app line starts with or carries in its "time"
// field: RFC 3339, with or without a fraction.
var appStamp = regexp.MustCompile(`\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)`)

// shiftedApp returns the logs of a recording with its app.log replaced by
// a copy whose every time is d later: the app's clock d ahead of the
// proxy's (behind, for d < 0).
func shiftedApp(t *testing.T, logs []string, d time.Duration) []string {
	t.Helper()
	dir := t.TempDir()
	var out []string
	for _, p := range logs {
		if filepath.Base(p) != "app.log" {
			out = append(out, p)
			continue
		}
		var b strings.Builder
		for _, l := range readFileLines(t, logs, "app.log") {
			l = appStamp.ReplaceAllStringFunc(l, func(s string) string {
				ts, err := time.Parse(time.RFC3339Nano, s)
				if err != nil {
					t.Fatalf("%s: %v", s, err)
				}
				// The fraction and zone as written: only the seconds move.
				rest := s[len("2006-01-02T15:04:05"):]
				return ts.Add(d).Format("2006-01-02T15:04:05") + rest
			})
			b.WriteString(l + "\n")
		}
		q := filepath.Join(dir, "app.log")
		if err := os.WriteFile(q, []byte(b.String()), 0o644); err != nil {
			t.Fatal(err)
		}
		out = append(out, q)
	}
	return out
}

// verdictsOf is each 5xx's path with what was said of it: cause,
// confidence and how many app lines joined it.
func verdictsOf(evs []reportEvent) map[string]string {
	m := map[string]string{}
	for _, ev := range evs {
		m[ev.Path] = fmt.Sprintf("%s %s app_lines=%d", ev.Cause, ev.Confidence, ev.AppLines)
	}
	return m
}

// sameVerdicts fails the test for every 5xx judged otherwise in got than
// in want.
func sameVerdicts(t *testing.T, want, got []reportEvent) {
	t.Helper()
	w, g := verdictsOf(want), verdictsOf(got)
	if len(w) != len(g) {
		t.Errorf("%d 5xx, with the clocks agreeing %d", len(g), len(w))
	}
	n := 0
	for path, v := range w {
		if g[path] != v {
			if n++; n <= 10 {
				t.Errorf("%s: %s, with the clocks agreeing %s", path, g[path], v)
			}
		}
	}
	if n > 10 {
		t.Errorf("… %d 5xx judged otherwise in all", n)
	}
}

// An app whose clock runs off the proxy's is joined by request id as one
// whose clock agrees: the real recordings with their app.log's times
// moved, each 5xx judged as with the times as recorded.
func TestAppClockOffJoinsAsAgreed(t *testing.T) {
	inZone(t, "UTC")
	for _, rec := range []string{"haproxy", "nginx-upstream", "caddy"} {
		logs := recordingLogs(t, rec)
		want, _ := reportEvents(t, logs...)
		for _, d := range []time.Duration{-30 * time.Second} {
			t.Run(fmt.Sprintf("%s/%v", rec, d), func(t *testing.T) {
				got, _ := reportEvents(t, shiftedApp(t, logs, d)...)
				sameVerdicts(t, want, got)
			})
		}
	}
}
