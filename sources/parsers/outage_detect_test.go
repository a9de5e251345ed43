package parsers_test

import (
	"os"
	"strings"
	"testing"

	"fivexx/sources"
)

// An nginx container's stream during an outage: every request fails, and a
// failed request writes an error line (stderr) and an access line (stdout),
// so half the stream is error lines. Scored 0 by the access formats, those
// made it nginx-error and its access lines went unread: no 5xx at all. The
// access formats now score an error line in their stream 80, below
// nginx-error's 95, so an error log alone, or one with the odd access line,
// stays nginx-error. The lines are real nginx 1.22.1 output
// (testdata/streams, SOURCES.md there).
func TestAnOutageStreamIsReadForItsAccessLines(t *testing.T) {
	data, err := os.ReadFile("../../testdata/streams/nginx-1.22.1-stdout-stderr.log")
	if err != nil {
		t.Fatal(err)
	}
	var errs, failed, all []string
	for _, l := range strings.Split(strings.TrimSpace(string(data)), "\n") {
		switch {
		case strings.Contains(l, " [error] "):
			errs = append(errs, l)
			all = append(all, l)
		case strings.Contains(l, `" 50`):
			failed = append(failed, l)
			all = append(all, l)
		}
	}
	if len(errs) < 5 || len(failed) < 5 {
		t.Fatalf("the recording has %d error lines and %d failed requests; want 5 or more of each", len(errs), len(failed))
	}
	// ratio repeats the error lines so that they are about that share of
	// the stream, the access lines after them.
	ratio := func(errShare float64) []string {
		n := int(errShare / (1 - errShare) * float64(len(failed)))
		var out []string
		for i := 0; i < n; i++ {
			out = append(out, errs[i%len(errs)])
		}
		return append(out, failed...)
	}
	for _, c := range []struct {
		name  string
		lines []string
		want  string
	}{
		{"failed requests with their error lines, as written", all, "nginx-combined"},
		{"error lines 75 % of the stream", ratio(0.75), "nginx-combined"},
		{"error lines 90 % of the stream", ratio(0.9), "nginx-error"},
		{"the error lines alone", errs, "nginx-error"},
	} {
		t.Run(c.name, func(t *testing.T) {
			det, err := sources.Detect(c.lines, sources.RoleUnknown)
			if err != nil {
				t.Fatal(err)
			}
			if det.Format.Name != c.want {
				t.Errorf("%d lines: detected %s (%s), want %s", len(c.lines), det.Format.Name, det.Describe(), c.want)
			}
		})
	}
}
