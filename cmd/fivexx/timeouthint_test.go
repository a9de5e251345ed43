package main

import (
	"strings"
	"testing"
)

// Real nginx 1.22 retried /slow?n=123 and both servers timed out
// (us="504, 504", uht="-, -", an "upstream timed out" line for each): the
// hint named the last one alone, "127.0.0.1:36769 did not answer in
// time", as if 127.0.0.1:34599 had answered; the refused and reset hints
// name each server (QA s34 H1). The same requests in the combined
// recording, whose access log names no server, are named by their error
// lines.
func TestTimeoutHintNamesBothServersOfTheRecording(t *testing.T) {
	for _, c := range []struct{ dir, want string }{
		{"nginx-upstream", "127.0.0.1:34599 and 127.0.0.1:36769 did not answer in time: "},
		{"nginx-combined", "127.0.0.1:35433 and 127.0.0.1:34913 did not answer in time: "},
	} {
		dir := "../../testdata/recordings/" + c.dir + "/"
		evs, _ := reportEvents(t, dir+"access.log", dir+"error.log")
		found := false
		for _, ev := range evs {
			if ev.Path == "/slow?n=123" {
				found = true
				if ev.Cause != "upstream_timeout" || !strings.HasPrefix(ev.Hint, c.want) {
					t.Errorf("%s: %s, hint %q, want upstream_timeout and it to begin %q", c.dir, ev.Cause, ev.Hint, c.want)
				}
			}
		}
		if !found {
			t.Errorf("%s: no verdict for /slow?n=123", c.dir)
		}
	}
}
