package main

import (
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// A zone's offset between the logs, without request ids: the app's times
// a whole number of hours (or half or quarter hours) from the proxy's,
// as zone-less stamps read in another zone make them. The heads pair
// requests by method, target and status at that offset (headzone.go):
// every verdict is as with the clocks agreeing, and the header says what
// was taken off. Before, the window joined none (QA s36 M2: 0 of 63 5xx,
// and the advice named --app-skew 9h).
func TestZoneOffsetWithoutIDs(t *testing.T) {
	inZone(t, "UTC")
	logs := recordingLogs(t, "nginx-combined")
	want, _ := reportEvents(t, logs...)
	for _, tc := range []struct {
		shift  time.Duration
		header string
	}{
		{time.Hour, "app clock +1h0m0s (from the logs' heads)"},
		{-2 * time.Hour, "app clock -2h0m0s (from the logs' heads)"},
		{5*time.Hour + 30*time.Minute, "app clock +5h30m0s (from the logs' heads)"},
	} {
		t.Run(tc.shift.String(), func(t *testing.T) {
			files := shiftedApp(t, logs, tc.shift)
			checkMeasuredClock(t, want, files, tc.header)
		})
	}
}

// QA s36 M2's two cases, without ids and every path shared or unique:
// an app writing zone-less times at +0100 beside nginx logging +0100 (read
// in UTC, the app an hour ahead), and HAProxy's zone-less %tr written at
// +0100 beside an app logging UTC (the proxy an hour ahead, the app -1h).
// The window joined none of their 5xx; now each reads as with the flag
// that fixed it, and the header says the offset.
func TestZoneOffsetOfTheQA(t *testing.T) {
	inZone(t, "UTC")
	dir := filepath.Join("testdata", "headzone")
	for _, tc := range []struct {
		name   string
		files  []string
		flag   string
		header string
	}{
		{"app zone-less", []string{"naive/access.log", "naive/error.log", "naive/app.log"}, "1h", "app clock +1h0m0s (from the logs' heads)"},
		{"haproxy zone-less", []string{"hap/haproxy.log", "hap/app.log"}, "-1h", "app clock -1h0m0s (from the logs' heads)"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var files []string
			for _, f := range tc.files {
				files = append(files, filepath.Join(dir, f))
			}
			want, _ := reportEvents(t, append([]string{"--app-skew", tc.flag}, files...)...)
			got, _ := reportEvents(t, files...)
			sameVerdicts(t, want, got)
			joined := 0
			for _, ev := range got {
				if ev.AppLines > 0 {
					joined++
				}
			}
			if joined == 0 {
				t.Errorf("no 5xx of %d joined an app line", len(got))
			}
			code, out, stderr := runCLI(append([]string{"report"}, files...)...)
			if code != 0 {
				t.Fatalf("exit %d: %s", code, stderr)
			}
			if head, _, _ := strings.Cut(out, "\n"); !strings.HasSuffix(head, "· "+tc.header) {
				t.Errorf("header %q, want it to end with %q", head, tc.header)
			}
		})
	}
}
