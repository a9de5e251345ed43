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
