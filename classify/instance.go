package classify

import (
	"net"
	"net/netip"
	"strings"
)

// instanceFits reports whether an app line's instance (its host, addr,
// instance key) lets the time window join it to a 5xx of upstream: it
// rules the join out only when it names another upstream the proxy logs
// have named (an access line's upstream, an error line's). An address
// that is no known upstream says nothing of which upstream the line is
// from: the proxy's own listen address that an app behind
// nginx on 127.0.0.1:8080 logs as its Host header ("host":"127.0.0.1:8080"),
// a load balancer's, a Host header of another port. Those ruled every
// time-window join out, as two different addresses.
func (c *correlator) instanceFits(inst, upstream string) bool {
	if inst == "" || upstream == "" || sameInstance(inst, upstream) {
		return true
	}
	return !c.ups.named(inst)
}

// knownUpstreams are the upstreams the proxy's logs have named: the
// statistics' upstreams (the access lines' upstream labels) and the
// addresses of the error lines' upstreams.
type knownUpstreams struct {
	stats   *stats
	fromErr map[string]struct{}
	// seen caches named's answers, for as long as no upstream is added
	// (seenAt is how many there were).
	seen   map[string]bool
	seenAt int
}

// maxErrUpstreams bounds the error lines' upstream addresses kept.
const maxErrUpstreams = 1024

// noteErrorLine notes the upstream address an error line names.
func (k *knownUpstreams) noteErrorLine(addr string) {
	if addr == "" || len(k.fromErr) >= maxErrUpstreams {
		return
	}
	if _, ok := k.fromErr[addr]; ok {
		return
	}
	if k.fromErr == nil {
		k.fromErr = map[string]struct{}{}
	}
	k.fromErr[strings.Clone(addr)] = struct{}{}
}

// count is how many upstreams are known.
func (k *knownUpstreams) count() int {
	n := len(k.fromErr)
	if k.stats != nil {
		n += len(k.stats.upstreams)
	}
	return n
}

// named reports whether inst names a known upstream (namesAddress).
func (k *knownUpstreams) named(inst string) bool {
	if n := k.count(); n != k.seenAt {
		clear(k.seen)
		k.seenAt = n
	}
	if v, ok := k.seen[inst]; ok {
		return v
	}
	v := false
	if k.stats != nil {
		for u := range k.stats.upstreams {
			if v = namesAddress(inst, u); v {
				break
			}
		}
	}
	for u := range k.fromErr {
		if v = v || namesAddress(inst, u); v {
			break
		}
	}
	if k.seen == nil || len(k.seen) >= 4096 {
		k.seen = map[string]bool{}
	}
	k.seen[strings.Clone(inst)] = v
	return v
}

// namesAddress reports whether inst names upstream u as an address: the
// same host (and port, when both give one), or a wildcard host on u's
// port (an app's bind address, 0.0.0.0:9101). A bare port names none (an
// app's port in a container, which the proxy may reach through another),
// nor does a name.
func namesAddress(inst, u string) bool {
	if inst == u {
		return true
	}
	ih, ip, iok := addressOf(inst)
	uh, up, uok := addressOf(u)
	switch {
	case !iok || !uok || ip != "" && up != "" && ip != up:
		return false
	case ih == "" || uh == "":
		return ip != "" && ip == up
	}
	return ih == uh
}

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
