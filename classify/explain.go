package classify

import "fivexx/sources/cloudflare"

// CodeGuide is the field guide for one status code (fivexx explain CODE).
type CodeGuide struct {
	Code  int
	Title string
	Text  string
}

// ExplainCodes returns the field guide for 500, 502, 503, 504 and 429.
func ExplainCodes() []CodeGuide {
	return []CodeGuide{
		{500, "Internal Server Error", `Who: almost always the app (an unhandled exception, a failed query); sometimes the proxy itself
(nginx internal error with $upstream_status "-", HAProxy PR-- header rewrite failures and PT-- after a
tarpit, ALB authentication errors).
Intentional: no — it is a bug or an unhandled dependency failure.
Retry-After: not used.
Investigate: the app's error log and stack traces for the request id; what changed (deploy, config, data).
CDNs/LBs: Cloudflare and ALB pass the origin's 500 through (ALB target_status_code 500; Cloudflare
OriginResponseStatus 500). ALB answers 500 itself for authentication errors (error_reason Auth*);
its Lambda errors are 502s (error_reason Lambda*).`},
		{502, "Bad Gateway", `Who: usually the proxy, because the upstream broke: connection refused (nothing listening),
reset or closed mid-request (crash, OOM kill, keep-alive race), or an invalid/too big response header.
nginx also answers 502 for "no live upstreams". Caddy answers 502 when dialing the upstream times out
("dial tcp …: i/o timeout"), not 504. Envoy answers 502 only for a protocol error (UPE): its
refused, reset and timed-out connections are 503s (see 503). An app or a nested proxy can send 502
itself — then the proxy logs the upstream's 502 with a response header time.
Intentional: no.
Retry-After: not used.
Investigate: the proxy error log line for the request (refused / reset / invalid header), whether the app
logged the request at all, restarts and OOM kills (dmesg, kubectl describe pod), the upstream port.
CDNs/LBs: Cloudflare uses 520 (empty/unknown response), 521 (refused), 523 (unreachable), 525/526 (TLS)
instead; ALB logs 502 with target_status_code "-" when the target never answered, and for a Lambda
target's errors (error_reason Lambda*).`},
		{503, "Service Unavailable", `Who: either the app on purpose (shedding load, a dependency down, maintenance — often with
Retry-After) or the proxy: nginx answers 503 for its own limit_req/limit_conn; HAProxy answers 503 when
every connection attempt is refused or times out (SC/sC flags) and when no server is up (<NOSRV>);
Envoy answers 503 for connect failures and connect timeouts (UF), for an upstream that resets or closes
the connection mid-request (UC, also UR and LR: the crash or OOM kill nginx logs as a 502), no healthy
upstream (UH) and overflow (UO).
Intentional: when the app sends it, yes; when the proxy does, it is a limit or an outage.
Retry-After: often set by apps and limiters; clients and crawlers honour it.
Investigate: whether the upstream answered (upstream status and header time, HAProxy flags), what the
app says is down (its own log lines), the proxy's limiter zones and health checks.
CDNs/LBs: ALB answers 503 when the target group has no registered targets (with all targets unhealthy it
fails open and you see 502/504 instead); Cloudflare passes the origin's 503 (OriginResponseStatus 503).`},
		{504, "Gateway Timeout", `Who: the proxy, because the upstream did not answer in time (connect or read timeout). HAProxy
uses 504 only for a server response timeout (sH); its connect timeout is a 503 (sC). Envoy's 504 is a
response timeout (UT); its connect timeout is a 503 (UF, details connection_timeout). Caddy's 504 is
a response header or read timeout; its dial timeout is a 502 (error entry "dial tcp …: i/o timeout").
Intentional: no.
Retry-After: not used.
Investigate: whether the app logged the start and finished after the proxy gave up (slow dependency,
lock, overload), the proxy's read timeout against the app's own timeouts, connect timeouts (host down,
SYNs dropped).
CDNs/LBs: Cloudflare uses 522 (connect timeout) and 524 (no response within its Proxy Read Timeout,
` + cloudflare.ProxyReadTimeoutText + ` by default; Enterprise zones can raise it); ALB answers 504 for a 10 s connect timeout
or the idle timeout (default 60 s).`},
		{429, "Too Many Requests", `Who: a rate limiter: the app's or the proxy's (Envoy RL, Traefik ratelimit, HAProxy deny_status
429, nginx limit_req_status 429; nginx's default for its limiter is 503). Not a 5xx, but it travels with them.
Intentional: yes.
Retry-After: usually set; clients should back off.
Investigate: who is sending the traffic (client addresses, user agents), whether the limit fits real load.
CDNs/LBs: Cloudflare rate limiting answers 429 (error 1015) with OriginResponseStatus 0 and a
SecurityAction; ALB has no rate limiter of its own (WAF rules answer 403).`},
	}
}

// cloudflareCodes are the guides for Cloudflare's own 52x, which its
// Logpush files carry and reports show as they are (formats.md §8.2):
// "explain 521" was refused (QA s34 L6). Each says who, why, and where
// to look, as the codes' guides do, and the cause fivexx gives it.
var cloudflareCodes = []CodeGuide{
	{520, "Web Server Returned an Unknown Error (Cloudflare)", `Who: Cloudflare, because the origin's answer was empty, unknown or unexpected: it crashed or
reset the connection mid-request, sent headers over 128 KB, or broke HTTP/2. Cause: upstream_reset
(medium: no Logpush field tells a reset from a response Cloudflare could not use, upstream_bad_response).
Investigate: the origin's error log and crashes at that time (its RayID in the app's log, when logged),
the size of its response headers (cookies), HTTP/2 to the origin.`},
	{521, "Web Server Is Down (Cloudflare)", `Who: Cloudflare, because the origin refused the connection. Cause: upstream_refused.
Investigate: most often the origin's firewall or a security plugin blocks Cloudflare's IP ranges (allow
those of cloudflare.com/ips); else the web server is down or not listening on the port Cloudflare
connects to (80 or 443).`},
	{522, "Connection Timed Out (Cloudflare)", `Who: Cloudflare, because connecting to the origin timed out: no SYN+ACK within ~19 s, or the
request was not acknowledged within 90 s. Cause: upstream_timeout (connect).
Investigate: a firewall dropping Cloudflare's addresses, the origin host down or overloaded (its
backlog full), the origin address in the zone's DNS record.`},
	{523, "Origin Is Unreachable (Cloudflare)", `Who: Cloudflare, because it found no route to the origin. Cause: upstream_refused.
Investigate: the origin address in the zone's DNS record (A, AAAA or CNAME): a wrong or changed IP; the
origin's network (routing, an IPv6 address that does not answer).`},
	{524, "A Timeout Occurred (Cloudflare)", `Who: Cloudflare: it connected, and the origin sent no HTTP response within the Proxy Read Timeout
(` + cloudflare.ProxyReadTimeoutText + ` by default; Enterprise zones can raise it). Cause: upstream_timeout (read).
Investigate: the origin's slow requests (long reports, locks, a slow dependency); move long work to a
background job, or answer sooner and poll.`},
	{525, "SSL Handshake Failed (Cloudflare)", `Who: Cloudflare, because the TLS handshake with the origin failed (SSL/TLS mode Full or Full
strict). Cause: upstream_refused (tls).
Investigate: that the origin serves TLS on 443 with a certificate for the host (SNI), and the cipher
suites and TLS versions it accepts.`},
	{526, "Invalid SSL Certificate (Cloudflare)", `Who: Cloudflare, because the origin's certificate is not valid and the zone's SSL/TLS mode is Full
(strict). Cause: upstream_refused (tls).
Investigate: the origin certificate's expiry, host names and chain (or use a Cloudflare Origin CA
certificate).`},
	{527, "Railgun Error (Cloudflare)", `Who: Cloudflare's legacy Railgun, between its listener and the origin. Railgun is retired and no
current page documents it. Cause: unknown.
Investigate: the Railgun listener's own log, if one still runs.`},
	{530, "Origin DNS Error (Cloudflare)", `Who: Cloudflare, because the origin's host name could not be resolved or reached; its error page
carries a 1xxx code that says which (1016: origin DNS error; 1033: a Cloudflare Tunnel that is down).
Cause: upstream_refused (low: no Logpush field carries the 1xxx code; 1033 is no_healthy_upstream).
Investigate: the origin's DNS record (a CNAME to a name that does not resolve), or the tunnel's
cloudflared process.`},
}

// ExplainCode returns the guide for one code: those of ExplainCodes and
// Cloudflare's own 52x.

func ExplainCode(code int) (CodeGuide, bool) {
	for _, g := range append(ExplainCodes(), cloudflareCodes...) {
		if g.Code == code {
			return g, true
		}
	}
	return CodeGuide{}, false
}

// CloudflareCodes returns the guides for Cloudflare's own 52x (explain
// 520 … 530), printed after ExplainCodes' by explain alone.
func CloudflareCodes() []CodeGuide { return cloudflareCodes }
