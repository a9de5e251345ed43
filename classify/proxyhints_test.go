package classify

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fivexx/sources"
)

// verdictsOfFiles reads the files as a report does and returns its verdicts.
func verdictsOfFiles(t *testing.T, paths ...string) []*Verdict {
	t.Helper()
	var ins []*sources.Input
	for i, p := range paths {
		ins = append(ins, sources.NewInput(i, sources.Spec{Path: p, Opts: sources.ParserOptions{Location: time.UTC}}))
	}
	var got []*Verdict
	eng := NewEngine(Config{Inputs: ins, Grace: 5 * time.Second, OnVerdict: func(v *Verdict) { got = append(got, v) }})
	for i, err := range sources.MergeEach(context.Background(), ins, eng.Feed) {
		if err != nil {
			t.Fatalf("%s: %v", paths[i], err)
		}
	}
	eng.Flush()
	return got
}

// Each proxy's hint names its own setting and its commonest cause (QA s34
// M3): Cloudflare's 521 (its IPs blocked by the origin's firewall) and
// 523 (no route: a wrong origin address) were "nothing is listening on
// 2.2.2.2: is the process up (ss -ltnp)? …"; HAProxy's refused
// be_app/s1, a server of a backend, was "nothing is listening on
// be_app/s1"; every timeout said "the proxy's read timeout"; ALB's
// AuthTokenEpRequestTimeout "check the listener rules and who is sending
// the traffic", where the load balancer could not reach the IdP.
func TestHintsInEachProxysWords(t *testing.T) {
	formats := filepath.Join("..", "testdata", "formats")
	albLogs, err := filepath.Glob(filepath.Join(formats, "alb", "*.log.gz"))
	if err != nil || len(albLogs) != 1 {
		t.Fatalf("the ALB log: %v %v", albLogs, err)
	}
	for _, tc := range []struct {
		name    string
		path    string
		pick    func(v *Verdict) bool
		want    string // in the hint
		notIn   string // nowhere in it
		atLeast int
	}{
		{"cloudflare 521", filepath.Join(formats, "cloudflare", "http_requests.log"),
			func(v *Verdict) bool { return v.Entry.Status == 521 }, "blocks Cloudflare's IP ranges", "ss -ltnp", 1},
		{"cloudflare 523", filepath.Join(formats, "cloudflare", "http_requests.log"),
			func(v *Verdict) bool { return v.Entry.Status == 523 }, "DNS record", "ss -ltnp", 1},
		{"cloudflare 524", filepath.Join(formats, "cloudflare", "http_requests.log"),
			func(v *Verdict) bool { return v.Entry.Status == 524 }, "Cloudflare's Proxy Read Timeout", "the proxy's read timeout", 1},
		{"haproxy refused", filepath.Join("..", "testdata", "recordings", "haproxy", "access.log"),
			func(v *Verdict) bool { return v.Cause == UpstreamRefused }, "server s", "listening on be_app/", 2},
		{"haproxy timeout", filepath.Join("..", "testdata", "recordings", "haproxy", "access.log"),
			func(v *Verdict) bool { return v.Cause == UpstreamTimeout }, "HAProxy's timeout server", "the proxy's read timeout", 1},
		{"alb timeout", albLogs[0],
			func(v *Verdict) bool { return v.Cause == UpstreamTimeout }, "the load balancer's idle timeout", "the proxy's read timeout", 1},
		{"alb token endpoint", albLogs[0],
			func(v *Verdict) bool { return v.Entry.Flags == "AuthTokenEpRequestTimeout" }, "the IdP's token endpoint", "who is sending the traffic", 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			n := 0
			for _, v := range verdictsOfFiles(t, tc.path) {
				if !tc.pick(v) {
					continue
				}
				n++
				if !strings.Contains(v.Hint, tc.want) || strings.Contains(v.Hint, tc.notIn) {
					t.Errorf("%d %s: hint %q, want %q in it and not %q", v.Entry.Status, v.Cause, v.Hint, tc.want, tc.notIn)
				}
			}
			if n < tc.atLeast {
				t.Errorf("%d verdicts picked, want at least %d", n, tc.atLeast)
			}
		})
	}
}
