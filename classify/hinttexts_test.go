package classify

import (
	"flag"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"fivexx/sources"
)

// updateHintTexts rewrites testdata/TestHintTexts.golden.
var updateHintTexts = flag.Bool("update-hints", false, "TestHintTexts: rewrite testdata/TestHintTexts.golden")

// TestHintTexts writes every hint this package can give, one a line,
// into testdata/TestHintTexts.golden: each branch of hint, hintFor and
// the hints of proxywords.go, for every proxy kind, a TCP and both unix
// socket spellings, and the denied connect. The UI's test
// (tui TestHintCommandsStayWhole) reads the file and checks that the
// commands the hints name stay on one line when wrapped; a new hint shows
// up here as a changed file. Rewrite it with -update-hints.
func TestHintTexts(t *testing.T) {
	kinds := []string{"", "nginx", "caddy", "haproxy", "envoy", "alb", "traefik", "cloudflare"}
	ups := []string{"", "10.0.1.11:8080", "unix:/run/php/php8.2-fpm.sock", "unix//run/app.sock"}
	causes := []Cause{UpstreamRefused, UpstreamReset, UpstreamBadResponse, UpstreamTimeout, NoHealthyUpstream, ProxyRejected, AppUnavailable, AppError, Unknown}
	details := []string{"", "dns", "tls", "after_headers", "connect", "conn_limit", "rate_limit", "proxy_internal", "config"}
	flags := []string{"", "sQ--", "PR--", "PT--", "LambdaThrottling", "LambdaUnhandled", "LambdaInvalidResponse",
		"LambdaResponseTooLarge", "LambdaRequestTooLarge", "LambdaBadRequest", "LambdaConnectionTimeout",
		"LambdaAccessDenied", "LambdaResourceNotFound", "LambdaInvalidRuntimeException", "LambdaInvalidZipFileException",
		"LambdaInvalidSecurityGroupIDException", "LambdaInvalidSubnetIDException", "LambdaENILimitReachedException",
		"LambdaSubnetIPAddressLimitReachedException", "LambdaEC2AccessDeniedException", "LambdaEC2ThrottledException",
		"LambdaEC2UnexpectedException", "LambdaKMSAccessDeniedException", "LambdaKMSDisabledException",
		"LambdaKMSInvalidStateException", "LambdaKMSNotFoundException", "LambdaServiceException",
		"LambdaUnhandledException", "LambdaSomethingNew"}
	seen := map[string]bool{}
	add := func(h string) {
		if h != "" {
			seen[h] = true
		}
	}
	denied := &sources.ProxyError{Reason: sources.ReasonRefused, Message: "connect() to 10.0.1.11:8080 failed (13: Permission denied) while connecting to upstream"}
	caddyOwn := &sources.ProxyError{Reason: sources.ReasonProxyRejected}
	app := []*sources.AppEntry{{Level: "error", Message: "database is locked"}}
	for _, kind := range kinds {
		for _, up := range ups {
			for _, c := range causes {
				for _, d := range details {
					for _, fl := range flags {
						for variant := range 6 {
							e := &sources.ProxyEntry{Status: 502, Upstream: up, Flags: fl, UpstreamAnswered: sources.Yes,
								UpstreamStatus: []string{"404"}, UpstreamAddr: []string{up}}
							v := &Verdict{Cause: c, Detail: d, Entry: e}
							ev := evidence{kind: kind, e: e, family: kind, errorLog: variant%2 == 0, appLog: variant >= 2}
							switch variant {
							case 1:
								ev.errs = []*sources.ProxyError{denied}
								v.AppLines = app
							case 2:
								ev.errs = []*sources.ProxyError{caddyOwn}
								ev.errorLogQuiet = true
							case 3:
								ev.witnesses, ev.siteQuiet = 2, "http.log.error.site1"
							case 4:
								ev.format, e.UpstreamContacted = "ingress-nginx", sources.No
							case 5:
								e.Reason = sources.ReasonNoLiveUpstreams
								e.UpstreamAddr = []string{"10.0.1.11:8080", up}
								e.UpstreamStatus = []string{"502", "502"}
								e.UpstreamHeader = []string{"-", "-"}
								e.UpstreamResponse = []string{"0.001", "-"}
							}
							add(hint(v, ev))
						}
					}
				}
			}
		}
	}
	// The proxy's own failure, no upstream contacted, each reason its
	// error line may give (ownFailureHint).
	for _, kind := range kinds {
		for _, msg := range []string{`rewrite or internal redirection cycle while internally redirecting to "/index.html"`,
			`pwrite() "/var/lib/nginx/body/0000000001" failed (28: No space left on device)`,
			`open() "/var/lib/nginx/tmp/client_body/0000000001" failed (13: Permission denied)`,
			`accept4() failed (24: Too many open files)`, `malloc(4096) failed (12: Cannot allocate memory)`,
			`auth request unexpected status: 502`, `lua entry thread aborted: runtime error: attempt to index a nil value`,
			`something nginx says`} {
			e := &sources.ProxyEntry{Status: 500, UpstreamContacted: sources.No}
			v := &Verdict{Cause: Unknown, Detail: "proxy_internal", Entry: e}
			add(hint(v, evidence{kind: kind, e: e, family: kind, errorLog: true, errs: []*sources.ProxyError{{Message: msg}}}))
		}
	}
	// Cloudflare's 521 and 523, HAProxy's server of a backend
	// (refusedHint); Cloudflare's 520 and 530 (cannotTellHint); ALB's
	// authenticate action and the IdP (albAuthHint).
	for _, r := range []struct {
		kind, up string
		status   int
	}{{"cloudflare", "2.2.2.2", 521}, {"cloudflare", "2.2.2.2", 523}, {"haproxy", "be_app/s1", 503},
		{"cloudflare", "2.2.2.2", 520}, {"cloudflare", "", 530}} {
		e := &sources.ProxyEntry{Status: r.status, Upstream: r.up}
		add(hint(&Verdict{Cause: UpstreamRefused, Entry: e}, evidence{kind: r.kind, e: e, family: r.kind}))
	}
	for _, code := range []string{"AuthTokenEpRequestTimeout", "AuthTokenEpRequestFailed", "AuthUserinfoEpRequestTimeout", "AuthUserinfoEpRequestFailed", "AuthInvalidCookie"} {
		e := &sources.ProxyEntry{Status: 500, Flags: code}
		add(hint(&Verdict{Cause: ProxyRejected, Entry: e}, evidence{kind: "alb", e: e, family: "alb"}))
	}
	// A timeout whose attempts' times show it (timeoutSeenText).
	for _, kind := range kinds {
		e := &sources.ProxyEntry{Status: 504, Upstream: "10.0.1.11:8080", UpstreamResponse: []string{"5.001", "5.001"}}
		add(hint(&Verdict{Cause: UpstreamTimeout, Detail: "read", Entry: e}, evidence{kind: kind, e: e, family: kind}))
	}
	// HAProxy's failed response rewrite (rewriteFailedHint).
	for _, up := range []string{"be_app/s1", ""} {
		e := &sources.ProxyEntry{Status: 500, Upstream: up, Flags: "PH--"}
		add(hint(&Verdict{Cause: Unknown, Detail: "proxy_internal", Entry: e}, evidence{kind: "haproxy", e: e, family: "haproxy"}))
	}
	// Traefik's own 502, no line of its own log read (traefikDebugLog).
	for _, appLog := range []bool{false, true} {
		e := &sources.ProxyEntry{Status: 502, Upstream: "172.18.0.5:8080", Detail: "Traefik's own 502 (cause only in its DEBUG log)"}
		add(hint(&Verdict{Cause: Unknown, Entry: e}, evidence{kind: "traefik", e: e, family: "traefik", appLog: appLog}))
	}
	hints := make([]string, 0, len(seen))
	for h := range seen {
		hints = append(hints, h)
	}
	slices.Sort(hints)
	got := strings.Join(hints, "\n") + "\n"
	path := filepath.Join("testdata", "TestHintTexts.golden")
	if *updateHintTexts {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if string(want) != got {
		t.Errorf("the hints are not those of %s (rewrite it with -update-hints and read the diff)", path)
	}
	for _, must := range []string{"(getsebool httpd_can_network_connect, then setsebool -P httpd_can_network_connect 1; ausearch -m avc)",
		"(ls -l /run/php/php8.2-fpm.sock)", "(ss -ltnp)?", "(ss -lxp)?", "(kubectl get pods, kubectl get endpointslices)",
		"(aws lambda get-policy)", "(http-request tarpit)", "log default { level DEBUG }", "10.0.1.11:8080 failed (502 after 0.001 s", "try_files, rewrite or error_page leads back into itself"} {
		if !strings.Contains(got, must) {
			t.Errorf("no hint holds %q: a branch is not reached", must)
		}
	}
}
