package main

import (
	"path/filepath"
	"strings"
	"testing"
)

// A report of a one-line log said "1 requests", "1 lines", and its advice
// "fits its 1 lines", "0 of 1 lines read as haproxy" (QA s28).
func TestOneLineReportIsSingular(t *testing.T) {
	inZone(t, "UTC")
	dir := t.TempDir()
	junk, acc := filepath.Join(dir, "one.log"), filepath.Join(dir, "acc.log")
	writeLines(t, junk, "hello world this is not a log")
	writeLines(t, acc, `127.0.0.1 - - [02/Jan/2024:03:04:05 +0000] "GET / HTTP/1.1" 502 3 "-" "ua"`)
	for _, tc := range []struct {
		name string
		args []string
		want []string
	}{
		{"one request", []string{"report", acc}, []string{"fivexx report — 1 request from", "  1 line  0 unparsed"}},
		{"given a role", []string{"report", "--proxy", junk}, []string{"but no proxy access log format fivexx reads fits its 1 line\n"}},
		{"given a format", []string{"report", "--format", "haproxy", acc}, []string{": 0 of 1 line read as haproxy, given with --format haproxy"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, out, stderr := runCLI(tc.args...)
			for _, w := range tc.want {
				if !strings.Contains(out, w) {
					t.Errorf("report lacks %q:\n%s%s", w, out, stderr)
				}
			}
			if strings.Contains(out, " 1 lines") || strings.Contains(out, " 1 requests") {
				t.Errorf("a plural of one:\n%s", out)
			}
		})
	}
}
