package classify

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A retried 504 whose attempts each took 5 s was read as ingress-nginx's
// proxy-connect-timeout (5 s by default) whatever else the line said: the
// demo's slow-dependency "504, 504" after 5.000 s each, whose
// $upstream_connect_time "0.000, 0.000" says both attempts connected (its
// error lines say "while reading response header"), had the hint
// "connecting to 10.0.1.14:8080 timed out: host down, firewall dropping
// SYNs" (session 35). A connect time that is a number is a connection
// made: the timeout came in reading. The 5 s rule is kept where the
// connect time is not logged (ingress-nginx's default format); where it
// is "-" no attempt connected; without upstream fields the error line
// decides.
func TestRetriedTimeoutPhaseByConnectTime(t *testing.T) {
	const ok200 = `198.51.100.7 - - [02/Jan/2026:03:00:20 +0000] "GET /api/users/me HTTP/2.0" 200 504 "-" "ShopApp/4.11.2" rt=0.007 uct="0.000" uht="0.006" urt="0.007" ua="10.0.1.14:8080" us="200" rid=a118a430d253934b2ff879df29a1779a cid=21382`
	rich := func(uct, urt string) string {
		return ok200 + "\n" + `198.51.100.2 - - [02/Jan/2026:03:00:28 +0000] "GET /api/products?page=4 HTTP/2.0" 504 167 "-" "ShopApp/4.12.0" rt=10.002 uct="` + uct + `" uht="-, -" urt="` + urt + `" ua="10.0.1.13:8080, 10.0.1.14:8080" us="504, 504" rid=89215ce90fdfddd62bfdbb00d6cf72be cid=21388` + "\n"
	}
	const combined = `10.1.2.3 - - [02/Jan/2024:03:05:00 +0000] "GET /ok HTTP/1.1" 200 612 "-" "curl/8.4.0"` + "\n" +
		`10.1.2.3 - - [02/Jan/2024:03:05:05 +0000] "GET /slow HTTP/1.1" 504 167 "-" "curl/8.4.0"` + "\n"
	errorLine := func(while string) string {
		return `2024/01/02 03:05:05 [error] 812#812: *814 upstream timed out (110: Connection timed out) while ` + while + `, client: 10.1.2.3, server: _, request: "GET /slow HTTP/1.1", upstream: "http://10.0.0.1:8080/slow", host: "localhost"` + "\n"
	}
	// ingress-nginx's default format logs no connect time
	// (testdata/formats/ingress-nginx: three attempts of 5.000 s).
	ingress := func(urt string) string {
		return `108.162.227.25 - - [08/Mar/2023:16:02:45 +0000] "GET / HTTP/1.1" 504 562 "-" "Mozilla/5.0" 1100 14.998 [pc-dev-example-web-service-80] [] 192.168.215.1:80, 192.168.215.1:80, 192.168.215.1:80 0, 0, 0 ` + urt + ` 504, 504, 504 a7c98d98ac870f64981a997cd2f373a1` + "\n"
	}
	const readHint, connectHint = "did not answer in time", "connecting to "
	for _, c := range []struct {
		name        string
		files       map[string]string
		detail      string     // "retried" where no phase is said
		evidence    string     // in the evidence ("" for none asked)
		hint, nohit string     // in the hint, not in it
		conf        Confidence // Medium when not set: the fields back it
	}{
		{name: "connected, 5.000 s each: read timeouts",
			files:  map[string]string{"access.log": rich("0.000, 0.000", "5.000, 5.001")},
			detail: "read", evidence: "upstream_connect_time 0.000, 0.000: every attempt connected, so each timed out reading the response",
			hint: "10.0.1.13:8080 and 10.0.1.14:8080 " + readHint, nohit: connectHint},
		{name: "connected, 3.001 s each: read timeouts",
			files:  map[string]string{"access.log": rich("0.001, 0.000", "3.001, 3.000")},
			detail: "read", evidence: "every attempt connected",
			hint: "10.0.1.13:8080 and 10.0.1.14:8080 " + readHint, nohit: connectHint},
		{name: "connect time -, 5.000 s each: connect timeouts",
			files:  map[string]string{"access.log": rich("-, -", "5.000, 5.000")},
			detail: "connect", evidence: "upstream_connect_time -, -: no attempt connected, so each timed out connecting",
			hint: connectHint + "10.0.1.13:8080 and 10.0.1.14:8080 timed out", nohit: readHint},
		{name: "connect time -, 60.001 s each: connect timeouts (nginx's proxy_connect_timeout 60 s)",
			files:  map[string]string{"access.log": rich("-, -", "60.001, 60.001")},
			detail: "connect", evidence: "no attempt connected",
			hint: connectHint + "10.0.1.13:8080 and 10.0.1.14:8080 timed out", nohit: readHint},
		{name: "one connected, one did not: neither said",
			files:  map[string]string{"access.log": rich("-, 0.000", "5.000, 5.000")},
			detail: "retried", hint: readHint},
		{name: "combined, error line: connecting",
			files:  map[string]string{"access.log": combined, "error.log": errorLine("connecting to upstream")},
			detail: "connect", evidence: "while connecting to upstream", conf: High,
			hint: connectHint + "10.0.0.1:8080 timed out", nohit: readHint},
		{name: "combined, error line: reading",
			files:  map[string]string{"access.log": combined, "error.log": errorLine("reading response header from upstream")},
			detail: "read", evidence: "while reading response header from upstream", conf: High,
			hint: "10.0.0.1:8080 " + readHint, nohit: connectHint},
		{name: "ingress-nginx, no connect time, 5.000 s each: its proxy-connect-timeout, a guess",
			files:  map[string]string{"access.log": ingress("5.000, 5.000, 5.000")},
			detail: "connect", evidence: "\nno upstream_connect_time is logged: that each attempt timed out connecting is a guess from its 5.000 s, ingress-nginx's proxy-connect-timeout by default",
			conf: Low, hint: connectHint + "192.168.215.1:80 timed out", nohit: readHint},
		{name: "ingress-nginx, no connect time, 3.000 s each: not said",
			files:  map[string]string{"access.log": ingress("3.000, 3.000, 3.000")},
			detail: "retried", evidence: "every attempt (3) ended in 504 after 3.000 s",
			hint: "192.168.215.1:80 " + readHint, nohit: connectHint},
	} {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			var names []string
			for _, name := range []string{"access.log", "error.log"} {
				text, ok := c.files[name]
				if !ok {
					continue
				}
				if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
					t.Fatal(err)
				}
				names = append(names, name)
			}
			vs := verdictsFrom(t, dir, names...)
			if len(vs) != 1 {
				t.Fatalf("%d verdicts, want 1", len(vs))
			}
			v := vs[0]
			ev := strings.Join(v.Evidence, "\n")
			conf := c.conf
			if conf == "" {
				conf = Medium
			}
			if v.Cause != UpstreamTimeout || v.Detail != c.detail || !strings.Contains(ev, c.evidence) || v.Confidence != conf ||
				!strings.Contains(v.Hint, c.hint) || c.nohit != "" && strings.Contains(v.Hint, c.nohit) {
				t.Errorf("%s (%q) %s, evidence:\n%s\nhint: %s\nwant upstream_timeout (%q) %s with %q; hint with %q, not %q",
					v.Cause, v.Detail, v.Confidence, ev, v.Hint, c.detail, conf, c.evidence, c.hint, c.nohit)
			}
		})
	}
}
