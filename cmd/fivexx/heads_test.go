package main

import (
	"io"
	"testing"

	"fivexx/sources"
)

// TestInputHeadsPeekedOnce: the checks made on the inputs' heads before
// reading (--log-format's, the app's access log, the error log's zone, a
// log given twice) read each head once and detect its format once
// (heads.go). Each check read the heads again, and the app's access log
// and the error log's zone each detected them again: 37 M of a 1,000-line
// report's 157 M instructions.
func TestInputHeadsPeekedOnce(t *testing.T) {
	const combined = `$remote_addr - $remote_user [$time_local] "$request" $status $body_bytes_sent "$http_referer" "$http_user_agent"`
	for _, c := range []struct{ name, recording, logFormat string }{
		{"combined", "nginx-combined", ""},
		{"upstream", "nginx-upstream", ""},
		{"log-format", "nginx-combined", combined},
	} {
		t.Run(c.name, func(t *testing.T) {
			logs := recordingLogs(t, c.recording)
			detections := 0
			detect := detectSample
			detectSample = func(lines []string, role sources.Role) sources.Sample {
				detections++
				return detect(lines, role)
			}
			t.Cleanup(func() { detectSample = detect })
			before := headsPeeked.Load()
			inf := inputFlags{logFormat: c.logFormat}
			if _, err := buildInputs(&inf, logs, io.Discard, true); err != nil {
				t.Fatal(err)
			}
			if n := headsPeeked.Load() - before; n != int64(len(logs)) {
				t.Errorf("%d heads read for %d inputs, want one each", n, len(logs))
			}
			if detections > len(logs) {
				t.Errorf("%d detections for %d inputs, want one each at most", detections, len(logs))
			}
		})
	}
}
