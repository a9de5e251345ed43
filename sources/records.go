package sources

import (
	"strings"
	"time"
)

// Role says what an input is: a proxy access log, a proxy error log or an app log.
type Role uint8

// The roles an input can have.
const (
	RoleUnknown     Role = iota
	RoleProxy            // proxy access log: one line per request
	RoleProxyErrors      // proxy error log: failures, limits, upstream state
	RoleApp              // the application's own log
)

// String returns the role's name as used in flags and JSON.
func (r Role) String() string {
	switch r {
	case RoleProxy:
		return "proxy"
	case RoleProxyErrors:
		return "proxy-errors"
	case RoleApp:
		return "app"
	}
	return "unknown"
}

// Tri is a yes/no answer that a log format may not be able to give.
type Tri int8

// The values of a Tri.
const (
	Unknown Tri = iota
	No
	Yes
)

// Reason is a proxy-side failure reason normalized from whatever the proxy
// logs (an nginx error-log message, HAProxy termination flags, an Envoy
// response flag, a Caddy error text). classify maps reasons to causes; parsers
// only say what the proxy reported, so a new format needs no classify change.
type Reason uint8

// The reasons a proxy reports.
const (
	ReasonNone            Reason = iota
	ReasonRefused                // connect() refused, unreachable, EACCES/ENOENT on a socket
	ReasonDNS                    // upstream host name could not be resolved
	ReasonTLS                    // TLS handshake or certificate check to the upstream failed
	ReasonReset                  // reset, premature close, broken pipe, EOF before a full response
	ReasonBadResponse            // invalid header, too big header, malformed response
	ReasonConnectTimeout         // timed out while connecting
	ReasonReadTimeout            // timed out while sending the request or reading the response
	ReasonNoLiveUpstreams        // no server could be selected: all marked down, none registered
	ReasonRateLimited            // the proxy's request-rate limiter answered (limit_req, RL)
	ReasonConnLimited            // the proxy's connection limiter answered (limit_conn)
	ReasonProxyRejected          // the proxy refused on its own: deny, queue timeout, tarpit, circuit breaker
	ReasonClientAbort            // the client went away; not an upstream fault
	ReasonAfterHeaders           // failure after the response header was already sent (status unchanged)
	ReasonConfig                 // the proxy's configuration sends the request nowhere (Envoy NC: no cluster)
	ReasonAppFailed              // the upstream's own failure, with no response header: the proxy made the status (ALB's Lambda threw, or hit its concurrency limit)
)

var reasonNames = [...]string{
	ReasonNone:            "",
	ReasonRefused:         "refused",
	ReasonDNS:             "dns",
	ReasonTLS:             "tls",
	ReasonReset:           "reset",
	ReasonBadResponse:     "bad_response",
	ReasonConnectTimeout:  "connect_timeout",
	ReasonReadTimeout:     "read_timeout",
	ReasonNoLiveUpstreams: "no_live_upstreams",
	ReasonRateLimited:     "rate_limited",
	ReasonConnLimited:     "conn_limited",
	ReasonProxyRejected:   "proxy_rejected",
	ReasonClientAbort:     "client_abort",
	ReasonAfterHeaders:    "after_headers",
	ReasonConfig:          "config",
	ReasonAppFailed:       "app_failed",
}

// String returns the reason's short name ("" for ReasonNone).
func (r Reason) String() string {
	if int(r) < len(reasonNames) {
		return reasonNames[r]
	}
	return "reason?"
}

// FieldSet records which attribution fields a proxy format logs at all, so
// the format advisor can say which verdicts can only be guesses.
type FieldSet uint16

// The attribution fields a proxy format may carry.
const (
	FieldUpstreamAddr FieldSet = 1 << iota
	FieldUpstreamStatus
	FieldUpstreamConnectTime
	FieldUpstreamHeaderTime
	FieldUpstreamResponseTime
	FieldRequestTime
	FieldRequestID
	FieldConn  // connection serial, joins nginx access and error logs
	FieldFlags // proxy-native termination/response flags (HAProxy, Envoy)
	// FieldCodeDetails: the entry carries the proxy's own words on who
	// set its status and why (Envoy's %RESPONSE_CODE_DETAILS%, not "-"):
	// a reason the proxy wrote, as its flags are.
	FieldCodeDetails
)

// Has reports whether all of the given fields are in the set.
func (s FieldSet) Has(f FieldSet) bool { return s&f == f }

// Record is what a parser makes of one line: a *ProxyEntry, *ProxyError or *AppEntry.
type Record interface {
	// RecordTime is the log time of the record (zero when the line had none).
	RecordTime() time.Time
	// RawLine is the line exactly as read.
	RawLine() string
}

// Hop is the sidecar of a service mesh that logged an entry: in Istio one
// request passes the caller's outbound sidecar and the callee's inbound
// one, and both log it (classify/mesh.go).
type Hop uint8

// The hops.
const (
	HopNone     Hop = iota
	HopOutbound     // the caller's sidecar (%UPSTREAM_CLUSTER% "outbound|8080||web.default.svc.cluster.local")
	HopInbound      // the callee's sidecar ("inbound|8080||")
)

// ProxyEntry is one request in a proxy access log, normalized across formats.
type ProxyEntry struct {
	// The fields the engine reads for every line come first, in the
	// entry's first cache line: the reader wrote the entry on another core,
	// and each line of it the engine touches is a cache miss there.
	Time   time.Time // when the proxy logged it (for nginx: the end of the request)
	Status int       // status sent to the client
	// RequestTime is the whole request duration in seconds; -1 when not logged.
	RequestTime float64
	// IDHash is IDHash(RequestID), or 0 until computed: see IDKey.
	IDHash uint64
	// Upstream is the label requests are grouped by: the last upstream
	// address tried, or backend/server, cluster or service name.
	Upstream  string
	Fields    FieldSet // attribution fields this format logs
	RequestID string

	Client     string // client address without port
	ClientPort string
	Method     string
	Path       string // request target exactly as logged, query included
	Proto      string
	Host       string
	UserAgent  string
	BodyBytes  int64 // -1 when not logged
	// Conn is the connection serial ($connection); for a mesh sidecar's
	// entry (Hop), the caller's end of the connection between the two
	// sidecars ("10.244.0.14:35500": the outbound's
	// %UPSTREAM_LOCAL_ADDRESS%, the inbound's %DOWNSTREAM_REMOTE_ADDRESS%);
	// "" when not logged.
	Conn string

	// One element per upstream attempt, oldest first, exactly as logged
	// ("-" kept). nginx separates the groups of an internal redirect
	// (error_page, X-Accel-Redirect) with " : ": the lists then hold the
	// request's own group only, the one whose failure or answer made the
	// status (formats.md §1.3; nginx.ownGroup), and UpstreamAddrRaw and
	// UpstreamStatusRaw keep every group.
	UpstreamAddr     []string
	UpstreamStatus   []string
	UpstreamConnect  []string // seconds as logged
	UpstreamHeader   []string // seconds as logged
	UpstreamResponse []string // seconds as logged
	// UpstreamStatusRaw is the upstream status field exactly as logged ("502, 200").
	UpstreamStatusRaw string
	// UpstreamAddrRaw is the upstream address field exactly as logged when
	// it holds more groups than the request's own (nginx's " : " after an
	// error_page or X-Accel-Redirect: "10.0.0.1:8080 : 10.0.0.9:8080"),
	// "" otherwise: UpstreamAddr then holds all it logged.
	UpstreamAddrRaw string

	// UpstreamContacted says whether the proxy sent the request to any upstream
	// (No: its limiter, a return directive or no endpoint answered).
	UpstreamContacted Tri
	// UpstreamAnswered says whether the last upstream attempt returned a
	// complete response header (nginx $upstream_header_time, HAProxy Tr >= 0).
	UpstreamAnswered Tri
	// UpstreamBodyless says whether every upstream attempt sent no body
	// (nginx $upstream_response_length 0 each; No when one sent bytes,
	// Unknown when not logged). nginx logs 0 for an attempt that failed,
	// so with its 502s and 504s it tells nginx's own error from an
	// upstream's answer (formats.md §1.4). A Tri, not the list: it fits
	// the padding after the other Tris, and the entry stays in its
	// allocation size class (nginx.inlineListSlots).
	UpstreamBodyless Tri
	// Reason is a failure reason the access line itself carries (HAProxy
	// termination state, Envoy flags, nginx group name in $upstream_addr).
	Reason Reason
	// Hop says which sidecar of a service mesh logged the entry (Envoy's
	// upstream cluster "outbound|…" or "inbound|…"); HopNone elsewhere.
	// In the padding after Reason: the entry keeps its size.
	Hop Hop
	// ProxyWrote says whether the response's logged headers show that the
	// proxy wrote it itself, with none of an upstream's headers (Caddy's
	// respond: formats.md §6.4); Unknown when they do not show it. It
	// says nothing of whether an upstream was tried first: Caddy's
	// handle_errors answers a failed upstream with respond too. In the
	// padding after Hop: the entry keeps its size.
	ProxyWrote Tri
	// TimePrecision is how finely the line wrote its time (HAProxy's %tr
	// and nginx's $msec: milliseconds), PrecisionUnknown when its parser
	// does not say. In the padding after ProxyWrote: the entry keeps its
	// size.
	TimePrecision Precision
	// ZoneFromLine says the entry's time has the zone its line gives in a
	// format whose request stamps mostly carry none (Format.LocalTime):
	// HAProxy's %tr read at the offset of its RFC 3339 or RFC 5424 syslog
	// header, or httplog clf's own offset. Such a time was not read in TZ,
	// so a skew the ids tell of it says nothing of TZ (classify's proxy
	// zone advice). In the padding after ProxyWrote: the entry keeps its
	// size.
	ZoneFromLine bool
	Flags        string // proxy-native flags as logged (HAProxy "SC--", Envoy "UF,URX")
	Detail       string // proxy-native text behind Reason, shown as evidence

	Raw string
}

// RecordTime implements Record.
func (e *ProxyEntry) RecordTime() time.Time { return e.Time }

// RawLine implements Record.
func (e *ProxyEntry) RawLine() string { return e.Raw }

// Redirected reports whether the entry is a 5xx whose upstream status
// holds groups after an internal redirect (nginx's " : "): its lists then
// hold the request's own group only, the raw fields every group.
func (e *ProxyEntry) Redirected() bool {
	return e.Status >= 500 && strings.Contains(e.UpstreamStatusRaw, " : ")
}

// LastUpstreamStatus returns the last logged upstream status as a number, or 0
// when it is "-", empty or not logged.
func (e *ProxyEntry) LastUpstreamStatus() int {
	if len(e.UpstreamStatus) == 0 {
		return 0
	}
	return atoi3(e.UpstreamStatus[len(e.UpstreamStatus)-1])
}

// ProxyError is one line of a proxy's error log (or an error entry in a
// combined log, as Caddy writes), normalized across formats.
// ActionUpstreamAnswered is the Action of a proxy's line that says an
// attempt got the upstream's answer (Caddy's "upstream roundtrip" at
// DEBUG without an error): a failure line before it is an earlier try's.
const ActionUpstreamAnswered = "upstream answered"

type ProxyError struct {
	Time         time.Time
	Level        string
	Conn         string // connection serial (nginx "*N" without the star)
	Message      string // the message as logged, without the trailing key: value context
	Action       string // what the proxy was doing ("connecting to upstream"); nginx "while ..."
	Client       string
	ClientPort   string
	Server       string // nginx's "server:"; Caddy's error logger (http.log.error.log0: one per site)
	Request      string // request line as logged ("GET /x HTTP/1.1"); "" when the line has none
	Method       string
	Path         string
	Upstream     string // upstream as logged ("http://10.0.0.1:8080/x")
	UpstreamAddr string // host:port taken from Upstream
	Host         string
	// Status is the status the proxy sent, when the error line says it
	// (Caddy, Traefik); 0 otherwise. An int32 beside Reason: the record
	// is 256 bytes, not 264 (a 288-byte allocation), for every error line
	// parsed and the up to 50,000 a storm's waiting 5xx hold.
	Status int32
	Reason Reason
	Raw    string
}

// RecordTime implements Record.
func (e *ProxyError) RecordTime() time.Time { return e.Time }

// RawLine implements Record.
func (e *ProxyError) RawLine() string { return e.Raw }

// Phase says where in a request's life an app line was written.
type Phase uint8

// The phases of an app line.
const (
	PhaseOther Phase = iota // anything else the app logged during the request
	PhaseStart              // the app received the request
	PhaseEnd                // the app finished the request (often with status and duration)
)

// AppEntry is one line of an application log.
type AppEntry struct {
	Time      time.Time
	Level     string // normalized lower case: debug, info, warn, error, fatal
	Message   string
	RequestID string
	IDHash    uint64 // IDHash(RequestID), or 0 until computed: see IDKey
	Method    string
	Path      string
	Status    int     // response status the app reports; 0 when none
	Duration  float64 // seconds; -1 when none
	Phase     Phase
	Service   string // label given with --app NAME=FILE
	Instance  string // instance the line names (addr, port, host, pod); "" when none
	Raw       string
}

// RecordTime implements Record.
func (e *AppEntry) RecordTime() time.Time { return e.Time }

// RawLine implements Record.
func (e *AppEntry) RawLine() string { return e.Raw }

// atoi3 parses a short unsigned decimal; anything else is 0.
func atoi3(s string) int {
	if s == "" || len(s) > 4 {
		return 0
	}
	n := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return 0
		}
		n = n*10 + int(c-'0')
	}
	return n
}
