package caddy

import (
	"strings"

	"fivexx/sources"
)

// reasonFromError maps a Go error text that Caddy logged for a failed
// upstream round trip to a reason (formats.md §6.2; net/http transport.go,
// net's OpError texts). The order matters: "dial tcp: lookup x: i/o
// timeout" is DNS, "transport connection broken: malformed ..." is a bad
// response, not a reset.
func reasonFromError(text string) sources.Reason {
	has := func(subs ...string) bool {
		for _, s := range subs {
			if strings.Contains(text, s) {
				return true
			}
		}
		return false
	}
	switch {
	case has("no upstreams available"):
		return sources.ReasonNoLiveUpstreams
	case has("no such host", "server misbehaving", ": lookup "):
		return sources.ReasonDNS
	case has("tls: ", "x509: ", "remote error: tls"):
		return sources.ReasonTLS
	case has("context canceled"):
		return sources.ReasonClientAbort
	case has("i/o timeout", "context deadline exceeded", "timeout awaiting response headers", "Client.Timeout exceeded"):
		if has("dial ") {
			return sources.ReasonConnectTimeout
		}
		return sources.ReasonReadTimeout
	case has("connection refused", "no route to host", "network is unreachable", "host is unreachable"),
		has("dial unix ") && has("no such file or directory", "permission denied"):
		return sources.ReasonRefused
	case has("malformed", "headers exceeded", "invalid header", "transfer encoding", "bogus", "unexpected content-length", "invalid Content-Length"):
		return sources.ReasonBadResponse
	case text == "EOF", has("unexpected EOF", ": EOF", "connection reset", "broken pipe",
		"server closed idle connection", "transport connection broken", "GOAWAY", "stream error"):
		return sources.ReasonReset
	}
	return sources.ReasonNone
}

// streamAbortReason classifies the error of "aborting with incomplete
// response": the response was already under way, so an upstream-side
// failure is ReasonAfterHeaders and a client-side one ("writing: ...",
// "context canceled") is ReasonClientAbort.
func streamAbortReason(text string) sources.Reason {
	switch {
	case strings.HasPrefix(text, "reading"):
		return sources.ReasonAfterHeaders
	case strings.HasPrefix(text, "writing"), strings.HasPrefix(text, "write "),
		strings.Contains(text, "context canceled"), strings.Contains(text, "stream closed"),
		strings.Contains(text, "client disconnected"):
		return sources.ReasonClientAbort
	}
	return sources.ReasonAfterHeaders
}

// addrFromError returns the upstream a Go network error names:
// "dial tcp 127.0.0.1:9101: ..." gives "127.0.0.1:9101", "read tcp
// a->b: ..." gives b, "dial tcp: lookup app on ...: no such host" gives
// "app". A client-side failure names the client, so it gives "".
func addrFromError(text string, r sources.Reason) string {
	if r == sources.ReasonClientAbort || text == "" {
		return ""
	}
	for _, dial := range [...]string{"dial tcp ", "dial tcp4 ", "dial tcp6 ", "dial unix "} {
		if i := strings.Index(text, dial); i >= 0 {
			return upToColonSpace(text[i+len(dial):])
		}
	}
	if i := strings.Index(text, ": lookup "); i >= 0 {
		rest := text[i+len(": lookup "):]
		if j := strings.IndexAny(rest, " :"); j > 0 {
			return rest[:j]
		}
	}
	if i := strings.Index(text, "->"); i >= 0 {
		return upToColonSpace(text[i+2:])
	}
	return ""
}

// upToColonSpace returns s up to the first ": ".
func upToColonSpace(s string) string {
	if i := strings.Index(s, ": "); i >= 0 {
		return s[:i]
	}
	return ""
}
