package classify

import (
	"net"
	"net/netip"
	"strings"
)

// sameInstance compares an app's instance name with a proxy upstream label
// loosely: "127.0.0.1:9101" matches "127.0.0.1:9101" and
// "http://127.0.0.1:9101". Only two addresses rule a join out (addresses
// of other hosts or ports): a name (a pod, a host name, an HTTP Host
// header such as "shop.example.com") cannot be compared with an address,
// and an app's bind address (0.0.0.0:9101, [::]:9101) names its port
// only. (A bare "9101" that is not the upstream's port is no address
// either: the app's port in a container, which the proxy reaches through
// another.) A request logger's "host" key, the Host header, dropped every
// time-window join of an app behind nginx's 127.0.0.1:21001, and so did
// "addr":"0.0.0.0:21001".
func sameInstance(inst, upstream string) bool {
	if inst == upstream || strings.Contains(upstream, inst) || strings.Contains(inst, upstream) {
		return true
	}
	// A bare port ("9101", ":9101") matches an upstream on that port.
	p := strings.TrimPrefix(inst, ":")
	if p != "" && strings.HasSuffix(upstream, ":"+p) {
		return true
	}
	ih, ip, iok := addressOf(inst)
	uh, up, uok := addressOf(upstream)
	if !iok || !uok {
		return true
	}
	if ip != "" && up != "" && ip != up {
		return false
	}
	return ih == "" || uh == "" || ih == uh
}

// addressOf splits s into an IP host ("" for a wildcard: any address of
// the machine) and a port, and reports whether s is an address: an IP
// with or without a port, or a wildcard with one. A scheme and a path
// (http://127.0.0.1:9101/) are left out.
func addressOf(s string) (host, port string, ok bool) {
	if _, rest, found := strings.Cut(s, "://"); found {
		s = rest
	}
	if i := strings.IndexByte(s, '/'); i >= 0 {
		s = s[:i]
	}
	h, pt, err := net.SplitHostPort(s)
	if err != nil {
		h, pt = strings.Trim(s, "[]"), ""
	}
	if pt != "" && !isPort(pt) {
		return "", "", false
	}
	switch h {
	case "", "*", "0.0.0.0", "::":
		return "", pt, pt != ""
	}
	a, err := netip.ParseAddr(h)
	if err != nil {
		return "", "", false
	}
	return a.Unmap().String(), pt, true
}

// isPort reports whether s is a port number.
func isPort(s string) bool {
	if s == "" || len(s) > 5 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
