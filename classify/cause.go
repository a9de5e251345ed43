package classify

// Cause is why a proxy answered 5xx, in fivexx's one vocabulary.
type Cause string

// The causes. The names are a contract: report JSON, events and scripts use them.
const (
	UpstreamRefused     Cause = "upstream_refused"
	UpstreamReset       Cause = "upstream_reset"
	UpstreamBadResponse Cause = "upstream_bad_response"
	UpstreamTimeout     Cause = "upstream_timeout"
	NoHealthyUpstream   Cause = "no_healthy_upstream"
	ProxyRejected       Cause = "proxy_rejected"
	AppUnavailable      Cause = "app_unavailable"
	AppError            Cause = "app_error"
	Unknown             Cause = "unknown"
)

// AllCauses lists every cause in display order: proxy-side failures first,
// then what the app said on purpose, then unknown.
var AllCauses = []Cause{
	UpstreamRefused, UpstreamReset, UpstreamBadResponse, UpstreamTimeout,
	NoHealthyUpstream, ProxyRejected, AppUnavailable, AppError, Unknown,
}

// Confidence says how well the evidence backs a verdict.
type Confidence string

// The confidence levels.
const (
	// High: request ids or a proxy-reported reason (error log, flags) back it.
	High Confidence = "high"
	// Medium: the proxy's own upstream fields back it, with no reason text.
	Medium Confidence = "medium"
	// Low: a time-window guess.
	Low Confidence = "low"
)

// Summary returns the one-line hint shown next to a cause in tables.
func (c Cause) Summary() string {
	switch c {
	case UpstreamRefused:
		return "could not connect: app down or restarting, wrong port, DNS or TLS"
	case UpstreamReset:
		return "upstream dropped the connection mid-request: crash, OOM kill, keep-alive race"
	case UpstreamBadResponse:
		return "upstream answered garbage: invalid or too big header, protocol mismatch"
	case UpstreamTimeout:
		// Connect and read timeouts alike: "upstream too slow" was
		// untrue of a connect timeout, an upstream that was not
		// reachable in time (host down, SYNs dropped).
		return "timed out: slow or stuck upstream, unreachable host, or a proxy timeout too short"
	case NoHealthyUpstream:
		return "proxy had no server to send to: all marked down or none registered"
	case ProxyRejected:
		return "proxy refused on its own: rate or connection limit, queue full"
	case AppUnavailable:
		return "app said 503 on purpose: shedding load, dependency down, maintenance"
	case AppError:
		return "app answered 5xx itself: a bug or a failing dependency"
	}
	return "not enough evidence: add upstream fields, request ids, the error log"
}
