package envoy

// flags.go turns what Envoy says about a request — %RESPONSE_FLAGS%,
// %RESPONSE_CODE_DETAILS%, %UPSTREAM_TRANSPORT_FAILURE_REASON% and
// x-envoy-upstream-service-time — into the normalized fields of a
// sources.ProxyEntry. Both the text and the JSON format use it.
//
// The rules (formats.md §4.2–4.4, envoy source/common/stream_info/utility.h):
//   - The first failure flag in precedence order decides the reason. URX
//     (retries exhausted) only says that earlier attempts failed: the other
//     flag decides, and with no other flag the status is the last attempt's,
//     which the upstream sent.
//   - UF is a refused connect unless the details or the transport failure
//     reason say timeout (connection_timeout) or TLS.
//   - NR (no route, 404) is configuration: Envoy answered on its own
//     (ProxyRejected, never an upstream fault). NC (no cluster, 503) is
//     ReasonConfig: formats.md §4.2 calls it unknown (config), as no
//     limiter answered and no upstream was asked.
//   - With no flag, the details decide; details are matched on prefixes
//     because their text changed across releases (spaces became underscores,
//     "|…" sections were appended).
//   - "via_upstream" details or a numeric upstream service time mean the
//     upstream's response header arrived: UpstreamAnswered Yes.
//   - %UPSTREAM_HOST% "-" means no host was picked: UpstreamContacted No.

import (
	"strings"

	"fivexx/sources"
)

// longFlags maps %RESPONSE_FLAGS_LONG% names to the short flags.
var longFlags = map[string]string{
	"NoHealthyUpstream":                   "UH",
	"UpstreamConnectionFailure":           "UF",
	"UpstreamOverflow":                    "UO",
	"NoRouteFound":                        "NR",
	"UpstreamRetryLimitExceeded":          "URX",
	"NoClusterFound":                      "NC",
	"DurationTimeout":                     "DT",
	"DownstreamConnectionTermination":     "DC",
	"FailedLocalHealthCheck":              "LH",
	"UpstreamRequestTimeout":              "UT",
	"LocalReset":                          "LR",
	"UpstreamRemoteReset":                 "UR",
	"UpstreamConnectionTermination":       "UC",
	"DelayInjected":                       "DI",
	"FaultInjected":                       "FI",
	"RateLimited":                         "RL",
	"UnauthorizedExternalService":         "UAEX",
	"RateLimitServiceError":               "RLSE",
	"InvalidEnvoyRequestHeaders":          "IH",
	"StreamIdleTimeout":                   "SI",
	"DownstreamProtocolError":             "DPE",
	"UpstreamProtocolError":               "UPE",
	"UpstreamMaxStreamDurationReached":    "UMSDR",
	"ResponseFromCacheFilter":             "RFCF",
	"NoFilterConfigFound":                 "NFCF",
	"OverloadManagerTerminated":           "OM",
	"DnsResolutionFailed":                 "DF",
	"DropOverLoad":                        "DO",
	"DownstreamRemoteReset":               "DR",
	"UnconditionalDropOverload":           "UDO",
	"UpstreamConnectionFailureBadGateway": "UF",
}

// flagRule says what one response flag means.
type flagRule struct {
	flag      string
	reason    sources.Reason
	contacted sources.Tri // whether a flag of this kind implies the upstream was tried
	text      string
}

// flagRules lists the flags that carry a reason, most telling first: when a
// line has several (UF,URX), the first rule that matches decides.
var flagRules = []flagRule{
	{"UH", sources.ReasonNoLiveUpstreams, sources.No, "no healthy upstream host in the cluster"},
	{"DF", sources.ReasonDNS, sources.No, "DNS resolution of the upstream failed"},
	{"UF", sources.ReasonRefused, sources.Yes, "connection to the upstream failed"},
	{"UO", sources.ReasonProxyRejected, sources.No, "circuit breaker overflow: the cluster's connection or request limit was reached"},
	{"UT", sources.ReasonReadTimeout, sources.Yes, "upstream request timeout"},
	{"UMSDR", sources.ReasonReadTimeout, sources.Yes, "upstream max stream duration reached"},
	{"UC", sources.ReasonReset, sources.Yes, "upstream connection terminated"},
	{"UR", sources.ReasonReset, sources.Yes, "upstream remote reset"},
	{"LR", sources.ReasonReset, sources.Yes, "local reset of the upstream connection (often a stale pooled connection)"},
	{"UPE", sources.ReasonBadResponse, sources.Yes, "upstream protocol error: the response could not be parsed"},
	{"RL", sources.ReasonRateLimited, sources.No, "rate limited by Envoy"},
	{"RLSE", sources.ReasonProxyRejected, sources.No, "the rate limit service failed"},
	{"OM", sources.ReasonProxyRejected, sources.No, "terminated by the overload manager"},
	{"DO", sources.ReasonProxyRejected, sources.No, "dropped by the drop_overload policy"},
	{"UDO", sources.ReasonProxyRejected, sources.No, "dropped by the unconditional drop_overload policy"},
	{"LH", sources.ReasonProxyRejected, sources.No, "local health check failed"},
	{"FI", sources.ReasonProxyRejected, sources.No, "fault injected (abort)"},
	{"UAEX", sources.ReasonProxyRejected, sources.No, "denied by the external authorization service"},
	{"NC", sources.ReasonConfig, sources.No, "no cluster found for the route (configuration error)"},
	{"NR", sources.ReasonProxyRejected, sources.No, "no route matched the request (configuration)"},
	{"DC", sources.ReasonClientAbort, sources.Unknown, "the client closed the connection"},
	{"DR", sources.ReasonClientAbort, sources.Unknown, "the client reset the stream"},
}

// verdict is what the proxy said about a request, in ProxyEntry terms.
type verdict struct {
	reason    sources.Reason
	contacted sources.Tri
	answered  sources.Tri
	detail    string
}

// attempt is the raw evidence of one Envoy access line.
type attempt struct {
	status      int
	flags       string // %RESPONSE_FLAGS% as logged
	details     string // %RESPONSE_CODE_DETAILS%, "" when absent or "-"
	termination string // %CONNECTION_TERMINATION_DETAILS%
	transport   string // %UPSTREAM_TRANSPORT_FAILURE_REASON%
	serviceTime string // x-envoy-upstream-service-time, "-" when the upstream sent no header
	host        string // %UPSTREAM_HOST%, "-" when none was picked
}

// judge derives the reason and the upstream tri-states of one line.
func judge(a attempt) verdict {
	var v verdict
	set := splitFlags(normFlags(a.flags))
	retried := set["URX"]

	var rule *flagRule
	for i := range flagRules {
		if set[flagRules[i].flag] {
			rule = &flagRules[i]
			break
		}
	}
	var texts []string
	if rule != nil {
		v.reason, v.contacted = rule.reason, rule.contacted
		texts = append(texts, rule.text)
		if rule.flag == "UF" {
			switch {
			case isTLSFailure(a.transport) || isTLSFailure(a.details):
				v.reason = sources.ReasonTLS
				texts[0] = "TLS handshake with the upstream failed"
			case strings.Contains(a.details, "connection_timeout") || strings.Contains(a.details, "connection timeout"):
				v.reason = sources.ReasonConnectTimeout
				texts[0] = "connect to the upstream timed out"
			}
		}
	} else if r, text := detailsReason(a.details); r != sources.ReasonNone {
		v.reason = r
		texts = append(texts, text)
	}
	if strings.HasPrefix(a.details, "upstream_reset_after_response_started") {
		// Headers were already sent: the status is the upstream's.
		v.reason = sources.ReasonAfterHeaders
		v.answered = sources.Yes
	}
	if retried {
		texts = append(texts, "retries exhausted (URX): earlier attempts failed too")
	}

	// Contacted: "-" as upstream host means no host was picked; a host
	// means one was, and only the flags that stop a request before it is
	// sent (circuit breaker, limiter) say it was not contacted.
	switch {
	case a.host == "-":
		v.contacted = sources.No
	case a.host == "":
		// Not logged: only the flag can tell.
	case rule == nil || rule.contacted != sources.No:
		v.contacted = sources.Yes
	}

	// Answered: via_upstream or an upstream service time prove a header.
	switch {
	case v.answered == sources.Yes:
	case a.details == "via_upstream":
		v.answered = sources.Yes
	case isNumber(a.serviceTime) && (rule == nil || rule.reason == sources.ReasonClientAbort):
		v.answered = sources.Yes
	case v.contacted == sources.No:
		v.answered = sources.No
	case v.reason != sources.ReasonNone && v.reason != sources.ReasonClientAbort:
		v.answered = sources.No
	}
	if v.answered == sources.Yes && v.reason != sources.ReasonAfterHeaders && v.reason != sources.ReasonClientAbort {
		v.reason = sources.ReasonNone
	}

	switch a.details {
	case "":
	case "via_upstream":
		texts = append(texts, "response_code_details via_upstream: the upstream sent the response")
	default:
		texts = append(texts, "response_code_details "+a.details)
	}
	if a.termination != "" {
		texts = append(texts, "connection_termination_details "+a.termination)
	}
	if a.transport != "" {
		texts = append(texts, "upstream_transport_failure_reason "+a.transport)
	}
	v.detail = strings.Join(texts, "; ")
	return v
}

// detailsReason reads a reason from %RESPONSE_CODE_DETAILS% alone.
func detailsReason(d string) (sources.Reason, string) {
	switch {
	case d == "":
		return sources.ReasonNone, ""
	case strings.HasPrefix(d, "dns_resolution_failure"):
		return sources.ReasonDNS, "DNS resolution of the upstream failed"
	case strings.HasPrefix(d, "no_healthy_upstream"):
		return sources.ReasonNoLiveUpstreams, "no healthy upstream host in the cluster"
	case strings.HasPrefix(d, "upstream_reset_before_response_started"):
		inner := braced(d)
		switch {
		case isTLSFailure(inner):
			return sources.ReasonTLS, "TLS handshake with the upstream failed"
		case strings.Contains(inner, "connection_timeout") || strings.Contains(inner, "connection timeout"):
			return sources.ReasonConnectTimeout, "connect to the upstream timed out"
		case strings.Contains(inner, "connection_failure") || strings.Contains(inner, "connection failure"):
			return sources.ReasonRefused, "connection to the upstream failed"
		case strings.Contains(inner, "overflow"):
			return sources.ReasonProxyRejected, "circuit breaker overflow"
		case strings.Contains(inner, "protocol_error") || strings.Contains(inner, "protocol error"):
			return sources.ReasonBadResponse, "upstream protocol error"
		case inner != "":
			return sources.ReasonReset, "upstream reset before the response started"
		}
		return sources.ReasonReset, "upstream reset before the response started"
	case strings.HasPrefix(d, "upstream_reset_after_response_started"):
		return sources.ReasonAfterHeaders, "upstream reset after the response started"
	case strings.HasPrefix(d, "response_timeout"), strings.HasPrefix(d, "upstream_response_timeout"),
		strings.HasPrefix(d, "upstream_per_try_timeout"), strings.HasPrefix(d, "upstream_per_try_idle_timeout"),
		strings.HasPrefix(d, "upstream_max_stream_duration_reached"):
		return sources.ReasonReadTimeout, "upstream did not answer in time"
	case strings.HasPrefix(d, "local_rate_limited"), strings.HasPrefix(d, "request_rate_limited"):
		return sources.ReasonRateLimited, "rate limited by Envoy"
	case strings.HasPrefix(d, "overload"), strings.HasPrefix(d, "drop_overload"), strings.HasPrefix(d, "maintenance_mode"),
		strings.HasPrefix(d, "cluster_not_found"), strings.HasPrefix(d, "route_not_found"):
		return sources.ReasonProxyRejected, "Envoy answered on its own"
	case strings.HasPrefix(d, "downstream_remote_disconnect"):
		return sources.ReasonClientAbort, "the client disconnected"
	}
	return sources.ReasonNone, ""
}

// braced returns the text inside the first {…} of s.
func braced(s string) string {
	i := strings.IndexByte(s, '{')
	if i < 0 {
		return ""
	}
	j := strings.LastIndexByte(s, '}')
	if j < i {
		return s[i+1:]
	}
	return s[i+1 : j]
}

// isTLSFailure reports whether a failure text names TLS.
func isTLSFailure(s string) bool {
	if s == "" {
		return false
	}
	l := strings.ToLower(s)
	return strings.Contains(l, "tls") || strings.Contains(l, "ssl") || strings.Contains(l, "certificate")
}

// normFlags returns the flags token with long names made short and "-" as "".
func normFlags(f string) string {
	if f == "-" || f == "" {
		return ""
	}
	if f[0] < 'A' || f[0] > 'Z' || !strings.ContainsAny(f, "abcdefghijklmnopqrstuvwxyz") {
		return f
	}
	parts := strings.Split(f, ",")
	for i, p := range parts {
		if s, ok := longFlags[p]; ok {
			parts[i] = s
		}
	}
	return strings.Join(parts, ",")
}

// splitFlags returns the set of flags in a normalized token.
func splitFlags(f string) map[string]bool {
	set := make(map[string]bool, 2)
	for f != "" {
		i := strings.IndexByte(f, ',')
		if i < 0 {
			set[f] = true
			break
		}
		set[f[:i]] = true
		f = f[i+1:]
	}
	return set
}

// isFlagsToken reports whether s looks like %RESPONSE_FLAGS% or its long
// form: "-", or comma-separated upper-case flags or PascalCase names.
func isFlagsToken(s string) bool {
	if s == "-" {
		return true
	}
	if s == "" || s[0] < 'A' || s[0] > 'Z' || s[len(s)-1] == ',' {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= 'A' && c <= 'Z', c >= 'a' && c <= 'z':
		case c == ',' && i+1 < len(s) && s[i+1] >= 'A' && s[i+1] <= 'Z':
		default:
			return false
		}
	}
	return true
}

// isNumber reports whether s is a non-empty run of digits.
func isNumber(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
