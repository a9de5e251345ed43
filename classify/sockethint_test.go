package classify

import (
	"strings"
	"testing"

	"fivexx/sources"
)

// A refused upstream on a unix socket, as nginx and Caddy name it: ss -t
// lists no socket and a socket has no port, so its hint asks for ss -x
// and the path; a host:port keeps ss -ltnp and the port.
func TestRefusedHintOfSocket(t *testing.T) {
	for _, tc := range []struct {
		upstream, want, not string
	}{
		{"unix:/run/php/php-fpm.sock", "nothing is listening on unix:/run/php/php-fpm.sock: is the process up and its socket there (ss -lxp)?", "ss -ltnp"},
		{"unix//run/app.sock", "nothing is listening on unix//run/app.sock: is the process up and its socket there (ss -lxp)?", "wrong port"},
		{"10.0.0.5:8080", "nothing is listening on 10.0.0.5:8080: is the process up (ss -ltnp)?", "ss -lxp"},
	} {
		v := &Verdict{Entry: &sources.ProxyEntry{Status: 502, Upstream: tc.upstream}, Cause: UpstreamRefused}
		got := hint(v, evidence{})
		if !strings.HasPrefix(got, tc.want) || strings.Contains(got, tc.not) {
			t.Errorf("%s: hint %q, want it to start %q and not say %q", tc.upstream, got, tc.want, tc.not)
		}
	}
}
