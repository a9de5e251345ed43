package classify

import (
	"strings"
	"testing"
)

// nginx's own 500, no upstream contacted, whose error line says why (a
// try_files cycle, a full disk): the hint says that nginx answered it and
// points at that reason. It said "not enough evidence: add the app log"
// (with an app log: "the proxy may have answered itself (return,
// error_page, internal error)"), while the evidence quoted the line, and
// the app, which never had the request, cannot tell (QA s34 M1).
func TestOwnFailureHint(t *testing.T) {
	const (
		access = `203.0.113.5 - - [02/Jan/2026:03:00:55 +0000] "GET /spa/deep HTTP/1.1" 500 170 "-" "curl/8" rt=0.000 uct="-" uht="-" urt="-" ua="-" us="-" rid=aaaabbbbccccddddeeeeffff00006666 cid=99006`
		ok     = `203.0.113.5 - - [02/Jan/2026:03:00:54 +0000] "GET /ok HTTP/1.1" 200 170 "-" "curl/8" rt=0.010 uct="0.000" uht="0.009" urt="0.009" ua="10.0.1.11:8080" us="200" rid=aaaabbbbccccddddeeeeffff00005555 cid=99005`
		cycle  = `2026/01/02 03:00:55 [error] 9089#9089: *99006 rewrite or internal redirection cycle while internally redirecting to "/index.html", client: 203.0.113.5, server: api.example.com, request: "GET /spa/deep HTTP/1.1", host: "api.example.com"`
		full   = `2026/01/02 03:00:55 [crit] 9089#9089: *99006 pwrite() "/var/lib/nginx/body/0000000001" failed (28: No space left on device), client: 203.0.113.5, server: api.example.com, request: "GET /spa/deep HTTP/1.1", host: "api.example.com"`
		app    = `{"time":"2026-01-02T03:00:54.001Z","level":"INFO","msg":"request finished","request_id":"aaaabbbbccccddddeeeeffff00005555","method":"GET","path":"/ok","status":200,"duration_ms":1}`
	)
	for _, tc := range []struct {
		name string
		logs map[string][]string
		want string
	}{
		{"rewrite cycle", map[string][]string{"access.log": {ok, access}, "error.log": {cycle}},
			`nginx answered 500 itself, no upstream contacted: its error line says "rewrite or internal redirection cycle while internally redirecting to "/index.html"": a try_files, rewrite or error_page leads back into itself`},
		{"rewrite cycle, app log", map[string][]string{"access.log": {ok, access}, "error.log": {cycle}, "app.log": {app}},
			`nginx answered 500 itself, no upstream contacted: its error line says "rewrite or internal redirection cycle`},
		{"disk full", map[string][]string{"access.log": {ok, access}, "error.log": {full}},
			`nginx answered 500 itself, no upstream contacted: its error line says "pwrite() "/var/lib/nginx/body/0000000001" failed (28: No space left on device)": the disk it writes to is full; df -h and df -i`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var v *Verdict
			for _, x := range judgeFiles(t, tc.logs) {
				if x.Entry.Status == 500 {
					v = x
				}
			}
			if v == nil {
				t.Fatal("no verdict for the 500")
			}
			if v.Cause != Unknown {
				t.Errorf("cause %s, want unknown (none of the causes is nginx's own failure)", v.Cause)
			}
			if !strings.HasPrefix(v.Hint, tc.want) {
				t.Errorf("hint\n  %q\nwant it to start\n  %q", v.Hint, tc.want)
			}
			if strings.Contains(v.Hint, "app log") || strings.Contains(v.Hint, "may have answered") {
				t.Errorf("hint %q asks for the app log or guesses", v.Hint)
			}
		})
	}
}
