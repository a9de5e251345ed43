package haproxy

import "strings"

// LooksLikeRequest reports whether line begins as HAProxy's httplog request
// lines do, whatever follows: the client's address and port, then the
// request's date as %tr writes it ([22/Nov/2026:13:05:52.876], with no
// zone, which nginx's $time_local has), behind any syslog or stderr
// wrapper; or, behind a wrapper whose tag is HAProxy's, a line claims
// would take (Format.Claims). A custom log-format that drops or moves a
// field after them (%CC %CS left out) is read by no format, and this
// tells its lines for HAProxy's: the advice on them was "force one with
// --format NAME", beside nginx's paths (QA s30).
func LooksLikeRequest(line string) bool {
	payload, env := unwrap(line)
	if !looksLikeTraffic(payload) {
		return false
	}
	if env.fromHAProxy() {
		return true
	}
	addr, rest, _ := strings.Cut(payload, " ")
	if strings.IndexByte(addr, ':') < 0 {
		return false // "ip - - [": any Common Log Format's start
	}
	date, _, ok := cutField(rest)
	if !ok || len(date) < 22 || date[0] != '[' || date[len(date)-1] != ']' {
		return false
	}
	_, ok = parseRequestDate(date[1 : len(date)-1])
	return ok
}
