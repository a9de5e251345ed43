package classify

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fivexx/sources"
)

// verdictsFrom reads files of dir through an engine as a report does and
// returns its verdicts in the order made.
func verdictsFrom(t *testing.T, dir string, files ...string) []*Verdict {
	t.Helper()
	var ins []*sources.Input
	for i, f := range files {
		ins = append(ins, sources.NewInput(i, sources.Spec{Path: filepath.Join(dir, f), Opts: sources.ParserOptions{Location: time.UTC}}))
	}
	var out []*Verdict
	eng := NewEngine(Config{Inputs: ins, Grace: 5 * time.Second, OnVerdict: func(v *Verdict) { out = append(out, v) }})
	for i, err := range sources.MergeEach(context.Background(), ins, eng.Feed) {
		if err != nil {
			t.Fatalf("%s: %v", ins[i].Spec.Path, err)
		}
	}
	eng.Flush()
	return out
}

// ingressLine is an ingress-nginx access line in its default format
// (formats.md §1.4): a 200 through 10.244.2.36:8080, or with up "" a 503
// with every upstream field "-", as its limiter and its balancer for a
// Service without endpoints both write it.
func ingressLine(sec int, path string, service, up string, id int) string {
	if up == "" {
		return fmt.Sprintf(`10.0.0.9 - - [02/Jan/2024:03:04:%02d +0000] "GET %s HTTP/1.1" 503 190 "-" "curl/8.4.0" 76 0.000 [%s] [] - - - - %032x`, sec, path, service, id)
	}
	return fmt.Sprintf(`10.0.0.9 - - [02/Jan/2024:03:04:%02d +0000] "GET %s HTTP/1.1" 200 612 "-" "curl/8.4.0" 76 0.004 [%s] [] %s 612 0.004 200 %032x`, sec, path, service, up, id)
}

// TestIngressLimiterIsNoServiceWithoutEndpoints: ingress-nginx's 503 with
// every upstream field "-" is its limiter's (limit-req-status-code 503 by
// default) or its balancer's for a Service without endpoints (formats.md
// §1.4, §1.6). A Service that answered through an endpoint in the same
// seconds had endpoints: 20 such 503s among 40 200s of [default-web-80]
// were each no_healthy_upstream medium, "service default-web-80 has no
// active endpoints" (QA s31 F2); now proxy_rejected medium, saying what
// the Service answered. The controller's lines still decide: its
// "limiting requests" (proxy_rejected high) and its "does not have any
// active Endpoint" (no_healthy_upstream high); and a Service with no
// answer around its 503 (another Service's 200s do not count) still
// reads as one without endpoints.
func TestIngressLimiterIsNoServiceWithoutEndpoints(t *testing.T) {
	mixed := func(service503 string) []string {
		var lines []string
		id := 0
		for sec := 5; sec < 15; sec++ {
			for i := 0; i < 6; i++ {
				id++
				if i%3 == 2 {
					lines = append(lines, ingressLine(sec, "/hot", service503, "", id))
				} else {
					lines = append(lines, ingressLine(sec, "/hot", "default-web-80", "10.244.2.36:8080", id))
				}
			}
		}
		return lines
	}
	for _, tc := range []struct {
		name     string
		lines    []string
		want     Cause
		conf     Confidence
		evidence string // in every verdict's evidence
		not      string // in none
	}{
		{
			name:     "limiter among the Service's answers",
			lines:    mixed("default-web-80"),
			want:     ProxyRejected,
			conf:     Medium,
			evidence: "requests through 10.244.2.36:8080 within a second of it: it had endpoints, so this 503, which reached none, is most likely its limiter's",
			not:      "has no active endpoints",
		},
		{
			name:     "another Service answered",
			lines:    mixed("default-empty-80"),
			want:     NoHealthyUpstream,
			conf:     Medium,
			evidence: "service default-empty-80 has no active endpoints (every upstream field is -)",
			not:      "answered",
		},
		{
			name: "controller says no endpoints",
			lines: append([]string{
				`W0102 03:04:04.000100       7 controller.go:1214] Service "default/web" does not have any active Endpoint.`,
			}, mixed("default-web-80")...),
			want:     NoHealthyUpstream,
			conf:     High,
			evidence: `proxy state: Service "default/web" does not have any active Endpoint.`,
			not:      "answered",
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			if err := os.WriteFile(filepath.Join(dir, "ingress.log"), []byte(strings.Join(tc.lines, "\n")+"\n"), 0o644); err != nil {
				t.Fatal(err)
			}
			vs := verdictsFrom(t, dir, "ingress.log")
			if len(vs) != 20 {
				t.Fatalf("%d verdicts, want 20", len(vs))
			}
			for _, v := range vs {
				ev := strings.Join(v.Evidence, "\n")
				if v.Cause != tc.want || v.Confidence != tc.conf || !strings.Contains(ev, tc.evidence) || strings.Contains(ev, tc.not) {
					t.Fatalf("%s %s: %s %s, evidence:\n%s\nwant %s %s with %q, without %q", v.Entry.Time.Format("15:04:05"), v.Entry.RequestID, v.Cause, v.Confidence, ev, tc.want, tc.conf, tc.evidence, tc.not)
				}
			}
		})
	}
}
