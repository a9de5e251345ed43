package sources

import (
	"strconv"
	"strings"
)

// Caddy and Traefik are written in Go and log a failed upstream round trip
// as the Go error's text ("dial tcp 10.0.0.5:8080: connect: connection
// refused"). These read the reason and the upstream from it.

// GoErrorReason maps a Go error text that a Go proxy (Caddy, Traefik)
// logged for a failed upstream round trip to a reason (formats.md §6.2; net/http transport.go,
// net's OpError texts). The order matters: "dial tcp: lookup x: i/o
// timeout" is DNS, "transport connection broken: malformed ..." is a bad
// response, not a reset.
func GoErrorReason(text string) Reason {
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
		return ReasonNoLiveUpstreams
	case has("no such host", "server misbehaving", ": lookup "):
		return ReasonDNS
	case has("tls: ", "x509: ", "remote error: tls"):
		return ReasonTLS
	case has("context canceled"):
		return ReasonClientAbort
	case has("TLS handshake timeout"):
		// net/http's "net/http: TLS handshake timeout": the connection
		// was made, its TLS handshake did not end in the transport's
		// TLSHandshakeTimeout. A timeout (the proxy answers 504) while
		// connecting, before the request was sent: no reason, it was a
		// low-confidence guess at a read timeout.
		return ReasonConnectTimeout
	case has("i/o timeout", "context deadline exceeded", "timeout awaiting response headers", "Client.Timeout exceeded",
		"connection timed out", "operation timed out"):
		// The last two are ETIMEDOUT (Linux's and the BSDs' text): at
		// "dial tcp …: connect:" the SYN went unanswered; on "read tcp"
		// or "write tcp" an established connection stopped being acked.
		// Go calls both a timeout. Traefik answers 504 for either
		// (errors.As a net.Error); Caddy answers 504 for a read or
		// response-header timeout but 502 for a dial timeout: its
		// statusError asserts net.Error on the DialError wrapper, which
		// has no Timeout method (real Caddy 2.6.2, dial_timeout 1s to a
		// full backlog: "dial tcp …: i/o timeout", status 502). The
		// reason is the same for both statuses.
		if has("dial ") {
			return ReasonConnectTimeout
		}
		return ReasonReadTimeout
	case has("connection refused", "no route to host", "network is unreachable", "host is unreachable"),
		has("dial unix ") && has("no such file or directory", "permission denied"),
		has("dial tcp") && has(": connect: permission denied"):
		// EACCES at connect: the socket file's mode, or on TCP a
		// security policy (SELinux's httpd_can_network_connect); nginx
		// reads its "(13: Permission denied)" as refused too (formats.md §2.2).
		return ReasonRefused
	case GoErrorCutMidHeader(text):
		return ReasonReset
	case has("malformed", "headers exceeded", "invalid header", "transfer encoding", "bogus", "unexpected content-length", "invalid Content-Length"):
		return ReasonBadResponse
	case text == "EOF", has("unexpected EOF", ": EOF", "connection reset", "broken pipe",
		"server closed idle connection", "transport connection broken", "GOAWAY", "stream error"):
		return ReasonReset
	}
	return ReasonNone
}

// GoErrorCutMidHeader reports whether text is net/http's complaint about
// a response header that stopped short: the upstream's bytes ended (RST
// or FIN) inside its status line or a header name, and Go parsed the
// fragment it had. bufio hands a last line without its newline to
// textproto as a whole line, so the app that sent "HTTP/1.1 200
// OK\r\nContent-Ty" and crashed reads as `malformed MIME header: missing
// colon: "Content-Ty"` (before Go 1.20 `malformed MIME header line:
// Content-Ty`), one cut after "HTTP/1.1 2" as `malformed HTTP
// status code "2"`, one cut inside "HTTP/1.1" as `malformed HTTP response
// "HTTP/1"` (net/http ReadResponse, textproto ReadMIMEHeader). These are
// the fragments a cut leaves: a header name's characters alone (no space,
// no colon), fewer than three digits of status, a prefix of the
// version. A complete line of garbage has other shapes ("Bad Header
// Line", status "2x0", "SSH-2.0-OpenSSH_9.2") and stays a bad response;
// a line such as "X-Foo" sent whole and valid headers after it would
// read the same as a cut, so callers weigh the app's own story
// (classify).
func GoErrorCutMidHeader(text string) bool {
	if frag, ok := quotedAfter(text, "malformed MIME header: missing colon: "); ok {
		return frag != "" && allTokenChars(frag)
	}
	if i := strings.Index(text, "malformed MIME header line: "); i >= 0 {
		// Go before 1.20: the line as it was, unquoted.
		frag := text[i+len("malformed MIME header line: "):]
		return frag != "" && allTokenChars(frag)
	}
	if frag, ok := quotedAfter(text, "malformed HTTP status code "); ok {
		return len(frag) < 3 && strings.Trim(frag, "0123456789") == ""
	}
	if frag, ok := quotedAfter(text, "malformed HTTP response "); ok {
		return frag != "" && (strings.HasPrefix("HTTP/1.1", frag) || strings.HasPrefix("HTTP/1.0", frag))
	}
	return false
}

// quotedAfter returns the Go-quoted string (strconv.Quote) that follows
// prefix in text and ends it, unquoted.
func quotedAfter(text, prefix string) (string, bool) {
	i := strings.Index(text, prefix)
	if i < 0 {
		return "", false
	}
	s, err := strconv.Unquote(text[i+len(prefix):])
	return s, err == nil
}

// allTokenChars reports whether s is made of RFC 9110 token characters
// only, those of a header name.
func allTokenChars(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
		case strings.IndexByte("!#$%&'*+-.^_`|~", c) >= 0:
		default:
			return false
		}
	}
	return true
}

// GoErrorAddr returns the upstream a Go network error names:
// "dial tcp 127.0.0.1:9101: ..." gives "127.0.0.1:9101", "read tcp
// a->b: ..." gives b, "dial tcp: lookup app on ...: no such host" gives
// "app", "dial unix /run/app.sock: ..." gives "unix//run/app.sock"
// (SocketName). A client-side failure names the client, so it gives "".
func GoErrorAddr(text string, r Reason) string {
	if r == ReasonClientAbort || text == "" {
		return ""
	}
	for _, dial := range [...]string{"dial tcp ", "dial tcp4 ", "dial tcp6 ", "dial unix "} {
		if i := strings.Index(text, dial); i >= 0 {
			return SocketName(upToColonSpace(text[i+len(dial):]))
		}
	}
	if i := strings.Index(text, ": lookup "); i >= 0 {
		rest := text[i+len(": lookup "):]
		if j := strings.IndexAny(rest, " :"); j > 0 {
			return rest[:j]
		}
	}
	if i := strings.Index(text, "->"); i >= 0 {
		// "read unix @->/run/app.sock: ...": the socket's path.
		return SocketName(upToColonSpace(text[i+2:]))
	}
	return ""
}

// SocketName returns a unix socket's address as Caddy names the upstream
// ("unix//run/app.sock": network and address joined by a slash, as in
// "reverse_proxy unix//run/app.sock" and its
// {http.reverse_proxy.upstream.address}), and any other address as it is.
// Go's errors, Caddy's "dial" field and its
// {http.reverse_proxy.upstream.hostport} give the bare path
// ("/run/app.sock", or "@name" in Linux's abstract namespace), which no
// host:port starts with: named so, the socket's failures are counted
// under one upstream whichever of them named it, and a reader sees it
// is a socket.
func SocketName(addr string) string {
	if addr != "" && (addr[0] == '/' || addr[0] == '@') {
		return "unix/" + addr
	}
	return addr
}

// upToColonSpace returns s up to the first ": ".
func upToColonSpace(s string) string {
	if i := strings.Index(s, ": "); i >= 0 {
		return s[:i]
	}
	return ""
}
