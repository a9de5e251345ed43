package classify

import (
	"testing"

	"fivexx/sources"
)

// TestServerBeforeGroup: the server a hint names when nginx's
// $upstream_addr ends with the group's name (formats.md §1.3): the last
// server tried before it, with that attempt's status; nothing when no
// server was tried, for a plain retry, or for another proxy.
func TestServerBeforeGroup(t *testing.T) {
	for _, tc := range []struct {
		name                string
		kind                string
		addr, status        []string
		reason              sources.Reason
		server, group, stat string
	}{
		{"one server then the group", "nginx", []string{"10.0.0.1:8080", "app"}, []string{"502", "502"}, sources.ReasonNoLiveUpstreams, "10.0.0.1:8080", "app", "502"},
		{"the last of two servers", "nginx", []string{"10.0.0.1:8080", "10.0.0.2:8080", "app"}, []string{"502", "504", "502"}, sources.ReasonNoLiveUpstreams, "10.0.0.2:8080", "app", "504"},
		{"a unix socket, no status", "nginx", []string{"unix:/run/app.sock", "app"}, []string{"-", "502"}, sources.ReasonNoLiveUpstreams, "unix:/run/app.sock", "app", ""},
		{"the group alone", "nginx", []string{"app"}, []string{"502"}, sources.ReasonNoLiveUpstreams, "", "", ""},
		{"no address before the group", "nginx", []string{"-", "app"}, []string{"-", "502"}, sources.ReasonNoLiveUpstreams, "", "", ""},
		{"a plain retry", "nginx", []string{"10.0.0.1:8080", "10.0.0.2:8080"}, []string{"502", "502"}, sources.ReasonNone, "", "", ""},
		{"not nginx", "caddy", []string{"10.0.0.1:8080", "app"}, []string{"502", "502"}, sources.ReasonNoLiveUpstreams, "", "", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := &sources.ProxyEntry{UpstreamAddr: tc.addr, UpstreamStatus: tc.status, Reason: tc.reason, Upstream: tc.addr[len(tc.addr)-1]}
			server, group, stat := serverBeforeGroup(tc.kind, e)
			if server != tc.server || group != tc.group || stat != tc.stat {
				t.Errorf("got %q, %q, %q; want %q, %q, %q", server, group, stat, tc.server, tc.group, tc.stat)
			}
		})
	}
}

// TestNeverDownGroupHint: for a group whose servers all have max_fails=0
// (Config.NeverDown, from --nginx-conf) the hint after a server and the
// group's name says that each server was tried, and asks nothing about
// servers marked down; without the config it can only say "tried or
// marked down". Both for a verdict of the server's failure and for
// no_healthy_upstream (the access log alone).
func TestNeverDownGroupHint(t *testing.T) {
	e := &sources.ProxyEntry{Status: 502, Upstream: "app", Reason: sources.ReasonNoLiveUpstreams,
		UpstreamAddr: []string{"10.0.0.1:8080", "10.0.0.2:8080", "app"}, UpstreamStatus: []string{"502", "502", "502"},
		UpstreamHeader: []string{"-", "-", "-"}, UpstreamResponse: []string{"0.001", "0.000", "0.000"}}
	for _, tc := range []struct {
		name      string
		cause     Cause
		neverDown bool
		want      string
	}{
		{"refused, config known", UpstreamRefused, true,
			"nothing is listening on 10.0.0.2:8080: is the process up (ss -ltnp)? crashed, OOM-killed (dmesg), restarting (kubectl get pods), or a wrong port in the upstream config?; then group app had no server left to try: each was tried for this request (max_fails=0 marks none down)"},
		{"refused, config unknown", UpstreamRefused, false,
			"nothing is listening on 10.0.0.2:8080: is the process up (ss -ltnp)? crashed, OOM-killed (dmesg), restarting (kubectl get pods), or a wrong port in the upstream config?; then group app had no server left to try: each was tried for this request or is marked down (max_fails/fail_timeout)"},
		{"no healthy upstream, config known", NoHealthyUpstream, true,
			"10.0.0.2:8080 failed (502 after 0.000 s, no response header: refused, reset or a bad response), then group app had no server left to try: each was tried for this request (max_fails=0 marks none down): see why each failed in the proxy error log"},
		{"no healthy upstream, config unknown", NoHealthyUpstream, false,
			"10.0.0.2:8080 failed (502 after 0.000 s, no response header: refused, reset or a bad response), then group app had no server left to try (each tried for this request or marked down): see why 10.0.0.2:8080 failed in the proxy error log, and the failures before this that may have marked servers down (max_fails/fail_timeout, health checks)"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			v := &Verdict{Entry: e, Cause: tc.cause}
			if got := hint(v, evidence{e: e, kind: "nginx", neverDown: tc.neverDown}); got != tc.want {
				t.Errorf("hint\n %q\nwant\n %q", got, tc.want)
			}
		})
	}
}

// TestHintNamesTheServerOfTheDecidingLine: the hint names the server
// whose error line made the verdict (its upstream: "http://A/..."), not
// the last one tried, when they differ: here the second attempt left no
// line of its own, and "B closed the connection mid-request" blamed the
// server that had not (QA s30 s5: the server before the group's name is
// not always the one that failed so).
func TestHintNamesTheServerOfTheDecidingLine(t *testing.T) {
	e := &sources.ProxyEntry{Status: 502, Upstream: "app", Reason: sources.ReasonNoLiveUpstreams,
		UpstreamAddr: []string{"127.0.0.1:24100", "127.0.0.1:24104", "app"}, UpstreamStatus: []string{"502", "502", "502"}}
	errs := []*sources.ProxyError{
		{Reason: sources.ReasonReset, Message: "upstream prematurely closed connection", UpstreamAddr: "127.0.0.1:24100"},
		{Reason: sources.ReasonNoLiveUpstreams, Message: "no live upstreams", UpstreamAddr: "app"},
	}
	v := &Verdict{Entry: e, Cause: UpstreamReset}
	got := hint(v, evidence{e: e, kind: "nginx", errs: errs})
	want := "127.0.0.1:24100 closed the connection mid-request: look for crashes and OOM kills (dmesg, container restarts) and keep-alive timeouts shorter than the proxy's; then group app had no server left to try: each was tried for this request or is marked down (max_fails/fail_timeout)"
	if got != want {
		t.Errorf("hint\n %q\nwant\n %q", got, want)
	}
}
