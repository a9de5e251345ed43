package main

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"
)

// The Causes table's line for unknown asks only for what the inputs lack:
// an nginx access log with $upstream_* fields and rid= beside its error
// log was told "add upstream fields, request ids" (QA s37 ooo300, whose
// lines these are: 502s with us="502" and uht="-", two of four with an
// error line). Without the ids or the error log, it asks for those only;
// with all of them it asks for nothing. (Without the upstream fields
// these 502s are no unknown but a time-window guess: the report package's
// test asks for the fields.)
func TestUnknownLineAsksOnlyForWhatIsLacking(t *testing.T) {
	t.Setenv("TZ", "UTC")
	access := func(fields, ids bool) []string {
		var lines []string
		for n := 0; n < 40; n++ {
			status, uht := 200, `"0.001"`
			if n%10 == 0 {
				status, uht = 502, `"-"`
			}
			l := fmt.Sprintf(`127.0.0.1 - - [21/Nov/2026:07:00:00 +0000] "GET /p?n=%d HTTP/1.1" %d 3 "-" "gen/1" rt=0.002`, n, status)
			if fields {
				l += fmt.Sprintf(` uct="0.000" uht=%s urt="0.001" ua="10.0.0.1:8080" us="%d"`, uht, status)
			}
			if ids {
				l += fmt.Sprintf(" rid=r%032x", n)
			}
			lines = append(lines, l+fmt.Sprintf(" cid=%d", n))
		}
		return lines
	}
	errLines := []string{
		`2026/11/21 07:00:00 [error] 100#100: *0 connect() failed (111: Connection refused) while connecting to upstream, client: 127.0.0.1, server: , request: "GET /p?n=0 HTTP/1.1", upstream: "http://10.0.0.1:8080/p?n=0", host: "127.0.0.1:8080"`,
		`2026/11/21 07:00:00 [error] 100#100: *10 connect() failed (111: Connection refused) while connecting to upstream, client: 127.0.0.1, server: , request: "GET /p?n=10 HTTP/1.1", upstream: "http://10.0.0.1:8080/p?n=10", host: "127.0.0.1:8080"`,
	}
	asks := []string{"upstream fields", "request ids", "the error log"}
	for _, tc := range []struct {
		name                  string
		fields, ids, errorLog bool
		want                  []string // of asks
	}{
		{"all given", true, true, true, nil},
		{"no request ids", true, false, true, []string{"request ids"}},
		{"no error log", true, true, false, []string{"the error log"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			a := filepath.Join(dir, "access.log")
			write(t, a, access(tc.fields, tc.ids))
			args := []string{"report", a}
			if tc.errorLog {
				e := filepath.Join(dir, "error.log")
				write(t, e, errLines)
				args = append(args, e)
			}
			code, out, errOut := runCLI(args...)
			if code != 0 {
				t.Fatalf("exit %d: %s", code, errOut)
			}
			var line string
			for _, l := range strings.Split(out, "\n") {
				if strings.HasPrefix(strings.TrimSpace(l), "unknown ") {
					line = l
				}
			}
			if line == "" {
				t.Fatalf("no unknown line:\n%s", out)
			}
			var got []string
			for _, ask := range asks {
				if strings.Contains(line, ask) {
					got = append(got, ask)
				}
			}
			if strings.Join(got, ", ") != strings.Join(tc.want, ", ") {
				t.Errorf("asks for %q, want %q: %q", got, tc.want, line)
			}
			if tc.want == nil && strings.Contains(line, " add ") {
				t.Errorf("asks to add something with nothing lacking: %q", line)
			}
		})
	}
}

// Cloudflare's Logpush fields alone: the advice asks for no error log
// (Cloudflare writes none), and the unknown line asked to add one.
func TestUnknownLineAsksForNoErrorLogCloudflareHasNot(t *testing.T) {
	t.Setenv("TZ", "UTC")
	code, out, errOut := runCLI("report", filepath.Join("..", "..", "testdata", "formats", "cloudflare", "http_requests.log"))
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	seen := false
	for _, l := range strings.Split(out, "\n") {
		if strings.HasPrefix(strings.TrimSpace(l), "unknown ") {
			seen = true
			if strings.Contains(l, "error log") {
				t.Errorf("asks for an error log Cloudflare does not write: %q", l)
			}
		}
	}
	if !seen {
		t.Fatalf("no unknown line:\n%s", out)
	}
}
