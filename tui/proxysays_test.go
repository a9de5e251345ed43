package tui

import (
	"testing"

	"fivexx/sources"
	"fivexx/sources/haproxy"
)

// The detail view's "proxy says" names the proxy's flags once. HAProxy's
// text starts with its flags, and the view printed them twice ("SC-- SC--:
// server refused …", live QA s23). The lines are the real recording's
// (testdata/recordings/haproxy); an Envoy-like entry keeps flags and text.
func TestProxySaysFlagsOnce(t *testing.T) {
	p := haproxy.NewParser(sources.ParserOptions{})
	for _, c := range []struct{ line, want string }{
		{`127.0.0.1:37324 [21/Nov/2026:07:39:56.253] fe_http be_app/s2 0/0/-1/-1/0 503 217 - - SC-- 1/1/0/0/+2 0/0 {5e6b6db6980a420edd287000d42da565} "GET /ok?n=59 HTTP/1.1"`,
			"SC--: server refused or reset the connection at connect, Tc=-1; retried 2, redispatched"},
		{`127.0.0.1:37324 [21/Nov/2026:07:39:58.758] fe_http be_app/<NOSRV> 0/-1/-1/-1/0 503 217 - - SC-- 1/1/0/0/0 0/0 {adc001648aac81266d6d9186cf71b2e9} "GET /ok?n=61 HTTP/1.1"`,
			"SC--: no server available in the backend (<NOSRV>)"},
	} {
		rec, err := p.Parse(c.line)
		if err != nil {
			t.Fatal(err)
		}
		if got := proxySays(rec.(*sources.ProxyEntry)); got != c.want {
			t.Errorf("proxy says %q, want %q", got, c.want)
		}
	}
	if got := proxySays(&sources.ProxyEntry{Flags: "UF,URX", Detail: "delayed_connect_error:_111"}); got != "UF,URX delayed_connect_error:_111" {
		t.Errorf("envoy: %q", got)
	}
}
