package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestNginxGuessIsSaidOfTheGuessedOnly: the advice that an nginx access
// log has no upstream fields said "whether the proxy or the app made a
// 5xx is only a time-window guess" beside 162 verdicts, every one high:
// 121 told by their error-log line, 41 by the app's lines joined by
// request id (the real nginx-upstream recording, its access lines less
// their upstream fields: a combined log with rid=). It says so now of the
// 5xx neither told, with their count, as TestCaddyGuessIsSaidOfTheGuessedOnly
// does of Caddy's; with none such, what the fields would still add.
func TestNginxGuessIsSaidOfTheGuessedOnly(t *testing.T) {
	inZone(t, "UTC")
	dir := filepath.Join("..", "..", "testdata", "recordings", "nginx-upstream")
	raw, err := os.ReadFile(filepath.Join(dir, "access.log"))
	if err != nil {
		t.Fatal(err)
	}
	upstreamFields := regexp.MustCompile(` uct="[^"]*" uht="[^"]*" urt="[^"]*" ua="[^"]*" us="[^"]*"`)
	stripped := upstreamFields.ReplaceAll(raw, nil)
	if n := strings.Count(string(stripped), " us=\""); n != 0 || len(stripped) == len(raw) {
		t.Fatalf("the upstream fields were not taken out (%d left)", n)
	}
	access := filepath.Join(t.TempDir(), "access.log")
	if err := os.WriteFile(access, stripped, 0o644); err != nil {
		t.Fatal(err)
	}
	const missing = "the access log has no $upstream_status/$upstream_addr/$upstream_header_time: "
	const what = " is only a time-window guess (no error-log line, nor an app line joined by request id, tells)"
	// A row of a server holds the 5xx nginx made when a try there
	// failed and its tries retried elsewhere (8: those of the 5xx;
	// nginx-upstream's $upstream_addr gives 11 with the 3 of requests
	// that ended 200, whose error lines no verdict joins). It said "the
	// 5xx whose error line names it", untrue of a 500 after a failed try
	// (review s35 M1), and "retries are not seen" beside hints that name
	// each failed try (L5).
	const rows = `the upstreams' - is every request whose upstream is not logged: a server, or the group of "no live upstreams", has a row only for the 5xx nginx made when a try there failed (its error line) and for the failed tries it retried elsewhere (109 5xx, 8 failed tries)`
	const tries = "of a retry only each failed try's error line is seen, not the server that answered after one, nor the failed tries of a request that did not end in a 5xx"
	for _, tc := range []struct {
		name   string
		inputs []string
		want   string
	}{
		// The error log names the server (or the group of "no live
		// upstreams") of 109 5xx: counted under it, and the advice says
		// how to read those rows and "-".
		{"error log and app lines tell every 5xx", []string{"error.log", "app.log"},
			missing + "the error log or request ids joined to the app log told who made each of its 162 5xx; " + tries + "; " + rows},
		// The app logged 52 of the 162 ids (41 high, 11 medium); of the
		// other 110 its silence is all there is: unknown, low. They were
		// counted told by request id, and the advice said ids told each
		// of the 162 (review s33).
		{"request ids tell the 5xx whose app lines they join", []string{"app.log"}, missing + "whether nginx or the app made 110 of its 162 5xx" + what},
		{"the app's 5xx without the app log", []string{"error.log"}, missing + "whether nginx or the app made 41 of its 162 5xx" + what + "; " + rows},
		{"the access log alone", nil, missing + "whether nginx or the app made each of its 162 5xx" + what},
	} {
		t.Run(tc.name, func(t *testing.T) {
			args := []string{access}
			for _, in := range tc.inputs {
				args = append(args, filepath.Join(dir, in))
			}
			m := reportJSON(t, args...)
			var problem string
			for _, a := range m["advice"].([]any) {
				if p := a.(map[string]any)["problem"].(string); strings.HasPrefix(p, missing) {
					problem = p
				}
			}
			if problem != tc.want {
				t.Errorf("advice %q, want %q", problem, tc.want)
			}
		})
	}
}
