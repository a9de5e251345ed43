// Package cloudflare parses Cloudflare HTTP request logs as Logpush (or
// Logpull) writes them: one JSON object per line with the fields the job
// selected (formats.md §8).
//
// The rules (Cloudflare's http_requests dataset and 5xx error pages):
//   - A line is Cloudflare's when it is a JSON object with
//     EdgeResponseStatus and RayID or EdgeStartTimestamp.
//   - EdgeResponseStatus is what the client got; OriginResponseStatus is
//     what the origin sent, 0 when there was no origin response. Equal and
//     non-zero: the origin produced the status.
//   - With no origin response the 52x codes say why (§8.2): 520 an empty or
//     unknown response (a reset, or headers over 128 KB or broken HTTP/2:
//     classify does not call it high), 521 refused, 522 connect timeout, 523
//     unreachable, 524 no response within the Proxy Read Timeout, 525/526
//     TLS, 527 legacy Railgun (unknown), 530 an origin name that does not
//     resolve (the body's 1xxx code, not logged, separates DNS 1016 from a
//     down tunnel 1033).
//   - 429 and 403 with no origin response, or with security fields set
//     (SecurityAction, SecuritySources, FirewallMatchesActions, WAFAction,
//     EdgeRateLimitAction), are Cloudflare's own rate limit or block.
//   - EdgeStartTimestamp follows the job's timestamp_format: unixnano (an
//     integer), unix (integer seconds) or rfc3339 (a string). The entry's
//     Time is EdgeEndTimestamp when logged, else the start.
//   - RayID is the request id; the origin receives it as the Cf-Ray header
//     with "-COLO" appended.
package cloudflare

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	"fivexx/sources"
)

// names are the fields the evidence quotes. Flags are a 52x, which is the
// EdgeResponseStatus, or the security fields' actions (SecurityAction,
// WAFAction, EdgeRateLimitAction …).
var names = sources.FieldNames{Addr: "OriginIP", Status: "OriginResponseStatus", HeaderTime: "origin header time (s)",
	Flags: "security actions", StatusFlags: "EdgeResponseStatus"}

func init() {
	sources.Register(sources.Format{
		Name:     "cloudflare",
		Names:    &names,
		Role:     sources.RoleProxy,
		Priority: 10,
		// No state between lines: parsed in parallel by chunks.
		Stateless: true,
		Detect:    detect,
		New:       func(sources.ParserOptions) (sources.Parser, error) { return NewParser(), nil },
		Doc:       "Cloudflare Logpush http_requests NDJSON (EdgeResponseStatus, OriginResponseStatus, RayID)",
	})
}

// Parser parses Cloudflare HTTP request log lines. It keeps no state.
type Parser struct{}

// NewParser returns a parser for Cloudflare HTTP request logs.
func NewParser() *Parser { return &Parser{} }

// raw is a JSON value kept as written; set says the key was there.
type raw struct {
	b   []byte
	set bool
}

// UnmarshalJSON implements json.Unmarshaler.
func (r *raw) UnmarshalJSON(b []byte) error {
	r.b, r.set = append(r.b[:0], b...), true
	return nil
}

// str returns the value as a string: a JSON string decoded, null as "",
// anything else as written.
func (r raw) str() string {
	switch {
	case !r.set || string(r.b) == "null":
		return ""
	case len(r.b) > 0 && r.b[0] == '"':
		var s string
		if json.Unmarshal(r.b, &s) != nil {
			return ""
		}
		return s
	}
	return string(r.b)
}

// num returns the value as an integer (a number or a numeric string).
func (r raw) num() (int64, bool) {
	s := r.str()
	if s == "" {
		return 0, false
	}
	if n, err := strconv.ParseInt(s, 10, 64); err == nil {
		return n, true
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || f < -9e18 || f > 9e18 {
		return 0, false
	}
	return int64(f), true
}

// strs returns an array of strings, or a single string as one element.
func (r raw) strs() []string {
	if !r.set || len(r.b) == 0 {
		return nil
	}
	if r.b[0] == '[' {
		var out []string
		if json.Unmarshal(r.b, &out) != nil {
			return nil
		}
		return out
	}
	if s := r.str(); s != "" {
		return []string{s}
	}
	return nil
}

// entry holds the fields the parser reads.
type entry struct {
	RayID                  raw `json:"RayID"`
	EdgeStartTimestamp     raw `json:"EdgeStartTimestamp"`
	EdgeEndTimestamp       raw `json:"EdgeEndTimestamp"`
	EdgeResponseStatus     raw `json:"EdgeResponseStatus"`
	EdgeResponseBytes      raw `json:"EdgeResponseBytes"`
	OriginResponseStatus   raw `json:"OriginResponseStatus"`
	OriginIP               raw `json:"OriginIP"`
	OriginResponseDuration raw `json:"OriginResponseDurationMs"`
	OriginHeaderDuration   raw `json:"OriginResponseHeaderReceiveDurationMs"`
	ClientIP               raw `json:"ClientIP"`
	ClientSrcPort          raw `json:"ClientSrcPort"`
	ClientRequestHost      raw `json:"ClientRequestHost"`
	ClientRequestMethod    raw `json:"ClientRequestMethod"`
	ClientRequestURI       raw `json:"ClientRequestURI"`
	ClientRequestPath      raw `json:"ClientRequestPath"`
	ClientRequestProtocol  raw `json:"ClientRequestProtocol"`
	ClientRequestUserAgent raw `json:"ClientRequestUserAgent"`
	SecurityAction         raw `json:"SecurityAction"`
	SecurityActions        raw `json:"SecurityActions"`
	SecuritySources        raw `json:"SecuritySources"`
	FirewallMatchesActions raw `json:"FirewallMatchesActions"`
	FirewallMatchesSources raw `json:"FirewallMatchesSources"`
	WAFAction              raw `json:"WAFAction"`
	EdgeRateLimitAction    raw `json:"EdgeRateLimitAction"`
	EdgeRateLimitID        raw `json:"EdgeRateLimitID"`
}

func errLine(what string) error {
	return sources.NoMatch("cloudflare", what)
}

// Parse implements sources.Parser.
func (p *Parser) Parse(line string) (sources.Record, error) {
	e, err := parse(line)
	if err != nil {
		return nil, err
	}
	return e, nil
}

func parse(line string) (*sources.ProxyEntry, error) {
	s := strings.TrimSpace(line)
	if s == "" || s[0] != '{' {
		return nil, errLine("not a JSON object")
	}
	var j entry
	if err := json.Unmarshal([]byte(s), &j); err != nil {
		return nil, errLine("bad JSON")
	}
	if !(j.EdgeResponseStatus.set && (j.RayID.set || j.EdgeStartTimestamp.set)) {
		return nil, errLine("no EdgeResponseStatus with RayID or EdgeStartTimestamp")
	}
	edge, _ := j.EdgeResponseStatus.num()
	origin, hasOrigin := j.OriginResponseStatus.num()
	if edge < 0 || edge > 999 || origin < 0 || origin > 999 {
		return nil, errLine("bad status")
	}
	start, okStart := timestamp(j.EdgeStartTimestamp)
	end, okEnd := timestamp(j.EdgeEndTimestamp)
	if !okStart && !okEnd {
		return nil, errLine("no EdgeStartTimestamp")
	}

	e := &sources.ProxyEntry{
		Raw:         line,
		Status:      int(edge),
		BodyBytes:   -1,
		RequestTime: -1,
		RequestID:   j.RayID.str(),
	}
	switch {
	case okEnd:
		e.Time = end
		if okStart && !end.Before(start) {
			e.RequestTime = end.Sub(start).Seconds()
			e.Fields |= sources.FieldRequestTime
		}
	default:
		e.Time = start
	}
	if n, ok := j.EdgeResponseBytes.num(); ok && n >= 0 {
		e.BodyBytes = n
	}
	e.Client = j.ClientIP.str()
	if port, ok := j.ClientSrcPort.num(); ok && port > 0 {
		e.ClientPort = strconv.FormatInt(port, 10)
	}
	e.Method = j.ClientRequestMethod.str()
	e.Path = j.ClientRequestURI.str()
	if e.Path == "" {
		e.Path = j.ClientRequestPath.str()
	}
	e.Proto = j.ClientRequestProtocol.str()
	e.Host = j.ClientRequestHost.str()
	e.UserAgent = j.ClientRequestUserAgent.str()
	if e.RequestID != "" {
		e.Fields |= sources.FieldRequestID
	}

	originIP := j.OriginIP.str()
	e.Upstream = originIP
	if e.Upstream == "" {
		e.Upstream = e.Host
	}
	if j.OriginIP.set {
		e.UpstreamAddr = []string{orDash(originIP)}
		e.Fields |= sources.FieldUpstreamAddr
	}
	if hasOrigin || j.OriginResponseStatus.set {
		// 0 is "no origin response" (formats.md §8.1): "-" in the list
		// the rules read, as any proxy's missing status; the raw field,
		// which evidence and --events quote, says what the log says
		// (it said "OriginResponseStatus -" of a logged 0: QA s31 F13).
		st, raw := "-", "-"
		if hasOrigin {
			raw = strconv.FormatInt(origin, 10)
		}
		if origin != 0 {
			st = raw
		}
		e.UpstreamStatus, e.UpstreamStatusRaw = []string{st}, raw
		e.Fields |= sources.FieldUpstreamStatus
	}
	if origin != 0 {
		if ms, ok := j.OriginHeaderDuration.num(); ok {
			e.UpstreamHeader = []string{millisText(ms)}
			e.Fields |= sources.FieldUpstreamHeaderTime
		}
		if ms, ok := j.OriginResponseDuration.num(); ok {
			e.UpstreamResponse = []string{millisText(ms)}
			e.Fields |= sources.FieldUpstreamResponseTime
		}
	}

	sec := security(j)
	v := judge(int(edge), int(origin), j.OriginResponseStatus.set, originIP, j.OriginIP.set, sec)
	e.Reason, e.UpstreamContacted, e.UpstreamAnswered, e.Detail = v.reason, v.contacted, v.answered, v.detail
	switch {
	case origin == 0 && edgeCodes[int(edge)].text != "":
		// A 52x is Cloudflare's own verdict on the origin, as explicit as a
		// proxy flag.
		e.Flags = strconv.FormatInt(edge, 10)
		e.Fields |= sources.FieldFlags
	case sec.flags != "":
		e.Flags = sec.flags
		e.Fields |= sources.FieldFlags
	}
	return e, nil
}

// securityInfo is what the security fields say.
type securityInfo struct {
	flags       string // the action(s) as logged, for evidence
	rateLimited bool
	blocked     bool
}

// security reads the security fields of the current and older datasets.
func security(j entry) securityInfo {
	var s securityInfo
	var actions, srcs []string
	for _, r := range []raw{j.SecurityAction, j.SecurityActions, j.FirewallMatchesActions} {
		actions = append(actions, r.strs()...)
	}
	for _, r := range []raw{j.SecuritySources, j.FirewallMatchesSources} {
		srcs = append(srcs, r.strs()...)
	}
	if a := j.WAFAction.str(); a != "" && a != "unknown" {
		actions = append(actions, "waf:"+a)
		if a == "drop" || a == "block" || a == "challenge" {
			s.blocked = true
		}
	}
	if a := j.EdgeRateLimitAction.str(); a != "" {
		actions = append(actions, "rateLimit:"+a)
		s.rateLimited = true
	}
	if id, ok := j.EdgeRateLimitID.num(); ok && id != 0 {
		s.rateLimited = true
	}
	var kept []string
	for _, a := range actions {
		switch strings.ToLower(a) {
		case "", "unknown", "allow", "log", "skip", "simulate":
			continue
		}
		kept = append(kept, a)
		s.blocked = true
	}
	for _, src := range srcs {
		if strings.Contains(strings.ToLower(src), "ratelimit") {
			s.rateLimited = true
		}
	}
	s.flags = strings.Join(kept, ",")
	return s
}

// verdict is what the parser concludes, in ProxyEntry terms.
type verdict struct {
	reason    sources.Reason
	contacted sources.Tri
	answered  sources.Tri
	detail    string
}

// ProxyReadTimeoutText is how long Cloudflare waits by default for the
// origin's response before it answers 524: the Proxy Read Timeout
// (formats.md §8.2; Cloudflare's "Error 524" page: "the default 120
// seconds", Enterprise zones can raise it). Every text that names the 524
// timeout says it with this constant, so they cannot drift apart again
// (explain 504 said 100–120 s while the rest said 120 s).
const ProxyReadTimeoutText = "120 s"

// edgeCodes holds what each Cloudflare 52x says (§8.2).
var edgeCodes = map[int]struct {
	reason    sources.Reason
	contacted sources.Tri
	text      string
}{
	520: {sources.ReasonReset, sources.Yes, "the origin returned an empty, unknown or unexpected response (crash, reset, headers over 128 KB, broken HTTP/2)"},
	521: {sources.ReasonRefused, sources.Yes, "the origin refused the connection (web server down, or Cloudflare's IPs blocked)"},
	522: {sources.ReasonConnectTimeout, sources.Yes, "the connection to the origin timed out (no SYN+ACK within ~19 s, or the request was not acknowledged)"},
	523: {sources.ReasonRefused, sources.Yes, "the origin is unreachable (no route to it, wrong origin IP or DNS record)"},
	524: {sources.ReasonReadTimeout, sources.Yes, "connected, but the origin sent no HTTP response within the Proxy Read Timeout (" + ProxyReadTimeoutText + " by default)"},
	525: {sources.ReasonTLS, sources.Yes, "the SSL/TLS handshake with the origin failed"},
	526: {sources.ReasonTLS, sources.Yes, "the origin's certificate is invalid (Full strict)"},
	527: {sources.ReasonNone, sources.Unknown, "Railgun listener to origin error (legacy)"},
	530: {sources.ReasonDNS, sources.No, "the origin could not be resolved or reached; the error page's 1xxx code says which (1016 origin DNS, 1033 tunnel down)"},
}

func judge(edge, origin int, originLogged bool, originIP string, ipLogged bool, sec securityInfo) verdict {
	var v verdict
	if origin != 0 {
		v.contacted, v.answered = sources.Yes, sources.Yes
		if origin != edge {
			v.detail = fmt.Sprintf("the origin answered %d, Cloudflare sent %d", origin, edge)
		}
		return v
	}
	if originLogged {
		v.answered = sources.No
	}
	if c, ok := edgeCodes[edge]; ok {
		v.reason, v.contacted, v.detail = c.reason, c.contacted, c.text
		if edge == 527 {
			v.answered = sources.Unknown
		}
		return v
	}
	switch {
	case edge == 429 && (originLogged || sec.rateLimited || sec.blocked):
		v.reason = sources.ReasonRateLimited
		v.detail = "rate limited by Cloudflare (error 1015 or a rate limiting rule)"
		v.contacted = sources.No
	case sec.rateLimited && edge >= 400:
		v.reason = sources.ReasonRateLimited
		v.detail = "rate limited by Cloudflare"
		v.contacted = sources.No
	case edge == 403 && originLogged || sec.blocked && edge >= 400:
		v.reason = sources.ReasonProxyRejected
		v.detail = "blocked by Cloudflare's security features"
		if sec.flags != "" {
			v.detail += " (" + sec.flags + ")"
		}
		v.contacted = sources.No
	case edge >= 500 && originLogged:
		v.detail = fmt.Sprintf("Cloudflare answered %d itself: no origin response", edge)
	}
	if v.contacted == sources.Unknown && ipLogged && originIP == "" {
		v.contacted = sources.No
	}
	return v
}

// timestamp reads EdgeStartTimestamp/EdgeEndTimestamp in any of the
// timestamp_format options.
func timestamp(r raw) (time.Time, bool) {
	if !r.set || len(r.b) == 0 || string(r.b) == "null" {
		return time.Time{}, false
	}
	if r.b[0] == '"' {
		s := r.str()
		if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
			return t.UTC(), true
		}
		if !isDigits(s) {
			return time.Time{}, false
		}
	}
	n, ok := r.num()
	if !ok || n <= 0 {
		return time.Time{}, false
	}
	switch {
	case n >= 1e17: // unixnano
		return time.Unix(0, n).UTC(), true
	case n >= 1e14: // microseconds
		return time.UnixMicro(n).UTC(), true
	case n >= 1e11: // milliseconds
		return time.UnixMilli(n).UTC(), true
	}
	return time.Unix(n, 0).UTC(), true // unix seconds
}

// millisText formats milliseconds as seconds.
func millisText(ms int64) string {
	return strconv.FormatFloat(float64(ms)/1000, 'f', 3, 64)
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

func isDigits(s string) bool {
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

// detect scores a line: 100 for a Cloudflare HTTP request log line, above
// the app-json detector.
func detect(line string) int {
	if s := strings.TrimSpace(line); s == "" || s[0] != '{' {
		return 0
	}
	if held := detectKeys.In(line); !held.Has("EdgeResponseStatus") || !held.Has("RayID") && !held.Has("EdgeStartTimestamp") {
		// parse needs them: an app's JSON line says no without a decode
		// (detectDecoding is detect without this check).
		return 0
	}
	return detectDecoding(line)
}

// detectKeys are the keys detect looks for before it decodes.
var detectKeys = sources.JSONKeys{"EdgeResponseStatus", "RayID", "EdgeStartTimestamp"}

// detectDecoding is detect by parsing the line, whatever it holds.
func detectDecoding(line string) int {
	if _, err := parse(line); err != nil {
		return 0
	}
	return 100
}
