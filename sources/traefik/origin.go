// Package traefik parses Traefik access logs: the default "common" layout
// (format "traefik") and the JSON layout (format "traefik-json").
//
// The rules (formats.md §7, traefik pkg/middlewares/accesslog and
// pkg/proxy/httputil):
//   - DownstreamStatus is what the client got. OriginStatus is what the
//     service handler wrote: the backend's status, or Traefik's own proxy
//     error (502/504/499/500), since its error handler runs inside the
//     service handler. Only the JSON layout logs it.
//   - OriginStatus 0 means the request was never forwarded: a router or
//     middleware answered (404 no router, 429 rate limit, 503 "no available
//     server", circuit breaker). 503 with no ServiceURL is "no available
//     server"; 429 is the rate limiter.
//   - Traefik's own 502 has the 11-byte body "Bad Gateway"; whether the
//     cause was a refused connect, a reset or a bad response is logged only
//     at DEBUG level, so the reason stays unknown. Its own 504 ("Gateway
//     Timeout", 15 bytes) after the default 30 s dial timeout is a connect
//     timeout; other own 504s are left unknown too.
//   - Its own 500 ("Internal Server Error", 21 bytes) is a transport error
//     that is neither EOF nor a net.Error (ComputeStatusCode): a
//     certificate that does not verify, TLS to a plain port, a malformed
//     response. It is only likely Traefik's: an app may send the same
//     body (Express's res.sendStatus(500)), so whether the upstream
//     answered is left unknown, and the cause to Traefik's line about it
//     (own.go) or the app's.
//   - Past the ServiceURL (set by the per-server handler) Traefik's own
//     statuses are only those: a 503 or other 5xx of a forwarded request
//     in the CLF layout, which logs no OriginStatus, is the backend's
//     answer, as OriginStatus would say.
//   - ServiceAddr, else the ServiceURL's host, is the upstream; a request
//     that reached no server is grouped by its service or router name.
//   - StartUTC (or the CLF date) is the request start; the entry's Time is
//     start + Duration, when Traefik writes the line.
package traefik

import (
	"strconv"
	"strings"
	"time"

	"fivexx/sources"
)

// Bodies of Traefik's own proxy errors (http.StatusText).
const (
	ownBadGatewaySize     = int64(len("Bad Gateway"))
	ownGatewayTimeoutSize = int64(len("Gateway Timeout"))
	ownInternalErrorSize  = int64(len("Internal Server Error"))
)

// dialTimeout is Traefik's default serversTransport dial timeout.
const dialTimeout = 30 * time.Second

// request is what a line says about the upstream side of one request.
type request struct {
	downstream   int
	origin       int  // OriginStatus
	hasOrigin    bool // the layout logs OriginStatus
	originSize   int64
	hasSize      bool // originSize is known (OriginContentSize, or the CLF size as a stand-in)
	originTime   time.Duration
	hasTime      bool
	serviceURL   string
	serviceAddr  string
	serviceName  string
	routerName   string
	retries      int
	likelyDetail bool // the CLF layout: the size is the downstream size
}

// verdict is what the parser concludes, in ProxyEntry terms.
type verdict struct {
	reason    sources.Reason
	contacted sources.Tri
	answered  sources.Tri
	detail    string
	own       bool // the body is (likely) Traefik's own: its OriginDuration is no answer's
}

func judge(r request) verdict {
	var v verdict
	forwarded := r.serviceURL != "" || r.serviceAddr != ""
	likely := ""
	if r.likelyDetail {
		likely = "likely "
	}
	switch {
	case r.hasOrigin && r.origin == 0:
		v.contacted, v.answered = sources.No, sources.No
		switch {
		case r.downstream == 503 && !forwarded:
			v.reason = sources.ReasonNoLiveUpstreams
			v.detail = "no available server: the service has no healthy server"
		case r.downstream == 429:
			v.reason = sources.ReasonRateLimited
			v.detail = "rate limited by a Traefik middleware"
		case r.downstream >= 400:
			v.detail = "answered by Traefik before the service (router or middleware)"
		}
		return v
	case !r.hasOrigin && !forwarded:
		// CLF with ServiceURL "-": never forwarded.
		v.contacted, v.answered = sources.No, sources.No
		switch r.downstream {
		case 503:
			v.reason = sources.ReasonNoLiveUpstreams
			v.detail = "no available server: the service has no healthy server"
		case 429:
			v.reason = sources.ReasonRateLimited
			v.detail = "rate limited by a Traefik middleware"
		}
		return v
	}

	v.contacted = sources.Unknown
	if forwarded {
		v.contacted = sources.Yes
	}
	status := r.origin
	if !r.hasOrigin {
		status = r.downstream
	}
	own := func(size int64) bool { return r.hasSize && r.originSize == size }
	switch {
	case status == 502 && own(ownBadGatewaySize):
		v.answered, v.own = sources.No, true
		v.detail = likely + "Traefik's own 502 (cause only in its DEBUG log)"
	case status == 500 && own(ownInternalErrorSize):
		v.own = true
		v.detail = "likely Traefik's own 500 (a transport error such as TLS; the cause only in its log)"
	case status == 504 && own(ownGatewayTimeoutSize):
		v.answered, v.own = sources.No, true
		if r.hasTime && r.originTime >= dialTimeout-time.Second && r.originTime < dialTimeout+2*time.Second {
			v.reason = sources.ReasonConnectTimeout
			v.detail = likely + "Traefik's own 504 after its 30 s dial timeout"
		} else {
			v.detail = likely + "Traefik's own 504 (a timeout; which one only its DEBUG log says)"
		}
	case status == 499:
		v.reason = sources.ReasonClientAbort
		v.detail = "the client canceled the request"
	case r.hasOrigin:
		v.answered = sources.Yes
	case forwarded && status >= 500 && status != 500 && status != 502 && status != 504:
		// The CLF layout logs no OriginStatus, but past the ServiceURL
		// Traefik's own errors are only 502, 504, 499 and 500
		// (ComputeStatusCode): a 503 or other 5xx there is the backend's.
		v.answered = sources.Yes
		v.detail = "Traefik makes no " + strconv.Itoa(status) + " once it forwards (its own are 502, 504, 500): the backend answered it"
	}
	if r.retries > 0 {
		if v.detail != "" {
			v.detail += "; "
		}
		v.detail += "retried"
	}
	return v
}

// upstreamOf returns the label requests are grouped by and the address list.
func upstreamOf(r request) (label string, addr []string) {
	host := r.serviceAddr
	if host == "" && r.serviceURL != "" {
		host = urlHost(r.serviceURL)
	}
	if host != "" {
		return host, []string{host}
	}
	if r.serviceName != "" {
		return r.serviceName, nil
	}
	return r.routerName, nil
}

// urlHost returns host:port of "scheme://host:port/path".
func urlHost(u string) string {
	if i := strings.Index(u, "://"); i >= 0 {
		u = u[i+3:]
	}
	if i := strings.IndexAny(u, "/?#"); i >= 0 {
		u = u[:i]
	}
	return u
}

// dash turns Traefik's "-" (no value) into "".
func dash(s string) string {
	if s == "-" {
		return ""
	}
	return s
}

// splitHostPort splits "ip:port" or "[v6]:port".
func splitHostPort(s string) (host, port string) {
	i := strings.LastIndexByte(s, ':')
	if i <= 0 || !isDigits(s[i+1:]) {
		return s, ""
	}
	host, port = s[:i], s[i+1:]
	if strings.HasPrefix(host, "[") && strings.HasSuffix(host, "]") {
		host = host[1 : len(host)-1]
	} else if strings.IndexByte(host, ':') >= 0 {
		return s, ""
	}
	return host, port
}

func isDigits(s string) bool {
	if s == "" || len(s) > 18 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

func atoi64(s string) (int64, bool) {
	if !isDigits(s) {
		return 0, false
	}
	var n int64
	for i := 0; i < len(s); i++ {
		n = n*10 + int64(s[i]-'0')
	}
	return n, true
}
