package main

import (
	"fmt"
	"strings"

	"fivexx/sources"
	"fivexx/sources/cloudflare"
)

// formatSignals says, per format, how fivexx reads causes from it and where
// it differs from the rule of thumb; fivexx explain and the README list it.
var formatSignals = map[string][]string{
	"nginx-upstream": {
		"last $upstream_header_time numeric: the upstream answered (503 app_unavailable, other 5xx app_error)",
		"error log decides the failure: refused, prematurely closed/reset, invalid header, timed out, no live upstreams",
		"nginx answers 502 for 'no live upstreams' and 503 for its own limit_req/limit_conn",
		"$upstream_addr is the group name: no server could be selected (no_healthy_upstream)",
	},
	"nginx": {"a user log_format (--log-format or from --nginx-conf): read as nginx-upstream when it logs the upstream fields"},
	"nginx-combined": {
		"no upstream fields, no request id: verdicts rest on the error log and time-window matches with app lines",
	},
	"nginx-json":    {"escape=json log_format: the same signals as nginx-upstream"},
	"ingress-nginx": {"503 with every upstream field '-': a Service without ready endpoints (or the limiter: the error log tells)", "502/504 lists like '502, 502, 502' are nginx's own retries"},
	"nginx-error":   {"the message, matched by errno number: 111 refused, 104 reset, 110 timeout (BSD and macOS: 61, 54, 60); 'while ...' says the phase"},
	"haproxy": {
		"termination state decides: SC-- refused (503!), sC-- connect timeout (503!), SH-- reset (502), sH-- read timeout (504), PH-- bad response (502; with 500 HAProxy's own failed header rewrite)",
		"<NOSRV> with SC--: no server up (no_healthy_upstream); sQ-- queue timeout: proxy_rejected",
		"---- with Tr >= 0: the server answered the status itself; PH-- even with Tr: HAProxy blocked the server's response",
		"the line's time is the request's end ([%tr] + Ta), as nginx logs it",
	},
	"caddy": {
		"the http.log.error entry decides: 'connection refused', EOF/reset, malformed/headers exceeded, i/o timeout, 'no upstreams available'",
		"a 5xx with no error entry: the upstream sent it (app_unavailable/app_error)",
	},
	"envoy": {
		"%RESPONSE_FLAGS%: UF refused or connect timeout (503!), UH no healthy upstream, UC/UR/LR reset (503!), UT timeout (504), UPE bad response (502), UO/RL proxy_rejected, NC configuration (unknown)",
		"UC at volume is often the app closing idle keep-alive connections; UT near 15 000 ms is Envoy's default route timeout",
		"URX with via_upstream: the app's own 5xx after retries were used up",
	},
	"envoy-json": {"the same flags and details as envoy, from JSON keys"},
	"alb": {
		"target_status_code a number: the target answered; '-': it never did",
		"503 with target '-': no registered targets in the target group (all unhealthy fails open: expect 502/504); a fixed-response rule: the load balancer's own answer (proxy_rejected)",
		"502 with -1 -1 -1: refused or TLS to the target (likely); 502 with response time -1: the target closed a keep-alive connection",
		"504 at about 10 s: connect timeout; at the idle timeout: a slow target",
	},
	"traefik": {
		"the common layout has no OriginStatus: use the JSON access log for attribution",
		"503 with no ServiceURL: 'no available server' (no_healthy_upstream)",
	},
	"traefik-json": {
		"OriginStatus 0: never forwarded (429 rate limit: proxy_rejected; 503 no available server)",
		"502 with an 11-byte body: Traefik's own Bad Gateway, the cause is only in its DEBUG log",
		"504 after about 30 s: dial timeout",
	},
	"cloudflare": {
		"520 crash/reset or oversized headers (no field tells which: medium), 521 refused, 522 connect timeout, 523 unreachable, 524 no response in " + cloudflare.ProxyReadTimeoutText + ", 525/526 TLS, 530 DNS or tunnel (the 1xxx code that tells is not logged: low)",
		"OriginResponseStatus equal to EdgeResponseStatus: the origin sent it; 0: Cloudflare did",
		"403/429 with a SecurityAction: Cloudflare's WAF or rate limiting, never the app",
	},
	"app-json":   {"slog, zap, logrus, pino, bunyan, structlog, ECS keys; request id under request_id, requestId, trace_id ... or --app-request-id"},
	"app-logfmt": {"logfmt, slog text, logrus text, Heroku router lines"},
	"app-text":   {"plain text with an ISO or syslog timestamp; request id by key=value, [req-...] or --app-request-id REGEX"},
}

// formatsText lists every registered format with its role and cause signals.
func formatsText() string {
	var b strings.Builder
	b.WriteString("Formats fivexx reads (detected from the first lines; force with --format NAME):\n")
	for _, f := range sources.Formats() {
		fmt.Fprintf(&b, "  %-16s %s\n", f.Name, f.Role)
		for _, s := range formatSignals[f.Name] {
			fmt.Fprintf(&b, "      - %s\n", s)
		}
	}
	return b.String()
}
