package classify

import (
	"strings"
	"testing"

	"fivexx/sources"
)

// TestAttemptsBeforeGroup: a no_healthy_upstream read from nginx's group
// name after servers were tried becomes upstream_timeout only when every
// server attempt was nginx's own 504 (no response header); its phase is
// the connect when none connected, the read when each did. A 502 with no
// header, or an upstream's own answer, keeps no_healthy_upstream, low.
func TestAttemptsBeforeGroup(t *testing.T) {
	for _, tc := range []struct {
		name                       string
		addr, status, conn, header []string
		resp                       []string
		cause                      Cause
		conf                       Confidence
		detail                     string
		first                      string // the first attempt's evidence line
	}{
		{"read timeout", []string{"10.0.0.1:8080", "app"}, []string{"504", "502"}, []string{"0.000", "-"}, []string{"-", "-"}, []string{"1.001", "0.000"},
			UpstreamTimeout, Medium, "read", "attempt 1 on 10.0.0.1:8080: 504 after 1.001 s, connected in 0.000 s, no response header: nginx's own read timeout"},
		{"connect timeouts on two servers", []string{"10.0.0.1:8080", "10.0.0.2:8080", "app"}, []string{"504", "504", "502"}, []string{"-", "-", "-"}, []string{"-", "-", "-"}, []string{"5.000", "5.001", "0.000"},
			UpstreamTimeout, Medium, "connect", "attempt 1 on 10.0.0.1:8080: 504 after 5.000 s, no response header: nginx's own connect timeout"},
		{"a timeout and an error", []string{"10.0.0.1:8080", "10.0.0.2:8080", "app"}, []string{"504", "502", "502"}, []string{"0.000", "0.000", "-"}, []string{"-", "-", "-"}, []string{"1.001", "0.001", "0.000"},
			NoHealthyUpstream, Low, "retried", "attempt 1 on 10.0.0.1:8080: 504 after 1.001 s, connected in 0.000 s, no response header: nginx's own read timeout"},
		{"nginx's own 502", []string{"10.0.0.1:8080", "app"}, []string{"502", "502"}, []string{"0.000", "-"}, []string{"-", "-"}, []string{"0.001", "0.000"},
			NoHealthyUpstream, Low, "retried", "attempt 1 on 10.0.0.1:8080: 502 after 0.001 s, connected in 0.000 s, no response header: nginx's own error (refused, reset or a bad response)"},
		{"the upstream's own 504", []string{"10.0.0.1:8080", "app"}, []string{"504", "502"}, []string{"0.000", "-"}, []string{"0.900", "-"}, []string{"0.901", "0.000"},
			NoHealthyUpstream, Low, "retried", "attempt 1 on 10.0.0.1:8080: 504 after 0.901 s, connected in 0.000 s, response header after 0.900 s: the upstream's own 504"},
		{"the group name alone", []string{"app"}, []string{"502"}, []string{"-"}, []string{"-"}, []string{"0.000"},
			NoHealthyUpstream, Medium, "", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := &sources.ProxyEntry{
				Status: 502, UpstreamAddr: tc.addr, UpstreamStatus: tc.status, UpstreamConnect: tc.conn,
				UpstreamHeader: tc.header, UpstreamResponse: tc.resp, Upstream: tc.addr[len(tc.addr)-1],
				Reason: sources.ReasonNoLiveUpstreams, UpstreamContacted: sources.Yes, UpstreamAnswered: sources.No,
			}
			v := judge(evidence{e: e, kind: "nginx"})
			if v.Cause != tc.cause || v.Confidence != tc.conf || v.Detail != tc.detail {
				t.Errorf("%s %s %q, want %s %s %q", v.Cause, v.Confidence, v.Detail, tc.cause, tc.conf, tc.detail)
			}
			var attempts []string
			for _, l := range v.Evidence {
				if strings.HasPrefix(l, "attempt ") {
					attempts = append(attempts, l)
				}
			}
			switch {
			case tc.first == "" && len(attempts) > 0:
				t.Errorf("evidence cites attempts %q", attempts)
			case tc.first != "" && (len(attempts) != len(tc.addr)-1 || attempts[0] != tc.first):
				t.Errorf("attempt lines %q, want %d, the first %q", attempts, len(tc.addr)-1, tc.first)
			}
		})
	}
}
