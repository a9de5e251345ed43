package main

import (
	"path/filepath"
	"strings"
	"testing"
)

// Real nginx 1.22.1, plain combined, proxy_read_timeout 90s, in front of an
// app whose two hung /report requests (started 10:38:42.4 and 10:38:52.5)
// time out 90 s later (504 at 10:40:12 and 10:40:22) among quick ones
// (testdata/applog/long-504-timeout90, record.sh.txt). The 504's window
// reached back 60 s, nginx's default: neither found its start. Given the
// proxy's timeout, by --upstream-timeout or by the nginx config that says
// it (--nginx-conf), each finds its own.
func TestUpstreamTimeoutReachesBack(t *testing.T) {
	inZone(t, "UTC")
	dir := filepath.Join("testdata", "applog", "long-504-timeout90")
	files := caseArgs(t, dir, []string{"access.log", "app.log"})
	const hint504 = "the upstream did not answer in time: slow dependency or overload in the app; compare nginx's proxy_read_timeout (60 s by default; fastcgi_read_timeout for FastCGI) with the app's own timeouts"
	starts := func(a, b string) []ruleWant {
		return []ruleWant{
			{"/report?hang=95", "upstream_timeout", "low", []string{"app: logged the start at " + a + " but no end by the verdict (in the time window): still working when the proxy timed out, or it died"}, hint504},
			{"/report?hang=95", "upstream_timeout", "low", []string{"app: logged the start at " + b + " but no end by the verdict (in the time window): still working when the proxy timed out, or it died"}, hint504},
		}
	}
	found := starts("10:38:42.028", "10:38:52.039")

	evs, _ := reportEvents(t, files...)
	for i, ev := range evs {
		for _, e := range ev.Evidence {
			if strings.Contains(e, "logged the start") {
				t.Errorf("504 %d without the proxy's timeout found a start 90 s back: %q", i, ev.Evidence)
			}
		}
	}
	if len(evs) != 2 {
		t.Fatalf("%d events, want the two 504s", len(evs))
	}

	evs, _ = reportEvents(t, append([]string{"--upstream-timeout", "90s"}, files...)...)
	checkRuleWants(t, evs, found)

	evs, _ = reportEvents(t, append([]string{"--nginx-conf", filepath.Join(dir, "nginx.conf.txt")}, files...)...)
	checkRuleWants(t, evs, found)

	for _, bad := range []string{"0", "-5s", "ninety"} {
		code, _, stderr := runCLI(append([]string{"report", "--upstream-timeout", bad}, files...)...)
		if want := "fivexx: error: --upstream-timeout takes a duration more than 0 such as 60s or 5m (nginx's proxy_read_timeout); not \"" + bad + "\"\n"; code != 2 || stderr != want {
			t.Errorf("--upstream-timeout %s: exit %d, %q; want 2 and %q", bad, code, stderr, want)
		}
	}
}
