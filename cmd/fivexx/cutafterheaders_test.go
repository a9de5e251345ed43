package main

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
)

// TestCutAfterHeadersAreCounted: an upstream that sends its header and
// half the body, then resets, gives the client a 200 cut short; no 5xx
// is logged, and the report said nothing of it. The error line or flags
// that say so are counted: a line in the text report and
// cut_after_headers in --json. Recorded with nginx 1.22.1 ("readv()
// failed (104...) while reading upstream"), HAProxy 2.6.12 (200 SD--) and
// Caddy 2.6.2 ("aborting with incomplete response"), the QA round of
// session 22.
func TestCutAfterHeadersAreCounted(t *testing.T) {
	inZone(t, "Europe/Paris") // nginx's error log and HAProxy's %tr were written there
	dir := filepath.Join("testdata", "cutafterheaders")
	for _, inputs := range [][]string{
		{"nginx-access.log", "nginx-error.log"},
		{"haproxy.log"},
		{"caddy-access.log", "caddy-error.log"},
	} {
		t.Run(inputs[0], func(t *testing.T) {
			var paths []string
			for _, in := range inputs {
				paths = append(paths, filepath.Join(dir, in))
			}
			code, out, stderr := runCLI(append([]string{"report"}, paths...)...)
			if code != 0 {
				t.Fatalf("exit %d: %s", code, stderr)
			}
			const want = "\n1 response was cut after its headers (the upstream reset, closed or timed out while sending the body): the client got the upstream's status, not a 5xx, and part of the body\n"
			if !strings.Contains(out, want) {
				t.Errorf("no %q in\n%s", want, out)
			}
			code, out, stderr = runCLI(append([]string{"report", "--json"}, paths...)...)
			if code != 0 {
				t.Fatalf("exit %d: %s", code, stderr)
			}
			var rep struct {
				Cut *int64 `json:"cut_after_headers"`
			}
			if err := json.Unmarshal([]byte(out), &rep); err != nil {
				t.Fatal(err)
			}
			if rep.Cut == nil || *rep.Cut != 1 {
				t.Errorf("cut_after_headers %v, want 1", rep.Cut)
			}
		})
	}
}
