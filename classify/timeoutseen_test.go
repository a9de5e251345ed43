package classify

import (
	"strings"
	"testing"

	"fivexx/sources"
)

// A timeout's hint says the timeout the request's own times show when
// every attempt waited as long (QA s36 L3): of two attempts that gave up
// after 5.001 s each it quoted nginx's default alone, "proxy_read_timeout
// (60 s by default …)".
func TestTimeoutHintSaysTheTimeoutTheTimesShow(t *testing.T) {
	for _, tc := range []struct {
		name  string
		kind  string
		times []string
		want  string // in the hint; "" for no timeout said
	}{
		{"nginx two attempts", "nginx", []string{"5.001", "5.001"}, "proxy_read_timeout (60 s by default; fastcgi_read_timeout for FastCGI), which looks like 5 s here (each of its 2 attempts gave up after 5.001 s), with"},
		{"nginx close times", "nginx", []string{"5.001", "5.003", "4.999"}, "which looks like 5 s here (each of its 3 attempts gave up after 4.999 to 5.003 s)"},
		{"nginx one attempt", "nginx", []string{"59.998"}, "which looks like 60 s here (its attempt gave up after 59.998 s)"},
		{"times as logged", "nginx", []string{"1.000", "1.001"}, "(each of its 2 attempts gave up after 1.000 to 1.001 s)"},
		{"half a second", "nginx", []string{"0.502", "0.501"}, "which looks like 0.5 s here"},
		{"traefik", "traefik", []string{"30.000"}, "(responseHeaderTimeout), which looks like 30 s here"},
		{"times differ", "nginx", []string{"1.000", "5.001"}, ""},
		{"an attempt without a time", "nginx", []string{"5.001", "-"}, ""},
		{"immediate", "nginx", []string{"0.000"}, ""},
		{"not logged", "nginx", nil, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := &sources.ProxyEntry{Status: 504, Upstream: "10.0.0.2:8080", UpstreamResponse: tc.times}
			h := hint(&Verdict{Cause: UpstreamTimeout, Detail: "read", Entry: e}, evidence{kind: tc.kind, e: e, family: tc.kind})
			if tc.want == "" {
				if strings.Contains(h, "looks like") {
					t.Errorf("hint %q says a timeout the times do not show", h)
				}
				return
			}
			if !strings.Contains(h, tc.want) {
				t.Errorf("hint %q\nlacks %q", h, tc.want)
			}
		})
	}
}
