// Package caddy parses Caddy v2 logs: access entries (logger
// "http.log.access[.logN]", msg "handled request") become
// *sources.ProxyEntry; error entries, reverse-proxy and health-check messages
// and every other Caddy message become *sources.ProxyError.
//
// The rules (formats.md §6, caddyserver/caddy modules/caddyhttp):
//   - A line is Caddy's when it is a JSON object with "level", "ts" and "msg"
//     (Caddy's own startup lines have no "logger"), or the console encoder's
//     "time<TAB>level<TAB>[logger<TAB>]msg<TAB>{json}".
//   - "ts" is Unix seconds as a float by default, or a string under a
//     time_format option. "duration" is seconds, or a Go duration string.
//   - The access log has no upstream unless one was added with log_append
//     ("upstream", "upstream_addr" or "upstream_hostport").
//   - An error entry's reason is read from the Go error text (reason.go);
//     one whose err_trace names caddyhttp.StaticError is the error
//     directive's own answer (proxy rejected), whatever its text.
package caddy

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"strconv"
	"strings"
	"time"

	"fivexx/sources"
)

func init() {
	sources.Register(sources.Format{
		Name:     "caddy",
		Names:    &sources.FieldNames{Addr: "upstream"},
		Family:   "caddy",
		Role:     sources.RoleProxy,
		Priority: 10,
		Detect:   detect,
		New: func(opts sources.ParserOptions) (sources.Parser, error) {
			return NewParser(opts), nil
		},
		Doc:         "Caddy v2 JSON (or console) logs: access entries, errors, reverse proxy messages",
		ErrorLogger: errorLoggerOf,
	})
}

// Parser parses Caddy log lines. It keeps no state between lines.
type Parser struct {
	loc *time.Location
}

// NewParser returns a parser for Caddy logs. The location applies only to
// the console encoder's wall-clock times; JSON "ts" is absolute.
func NewParser(opts sources.ParserOptions) *Parser {
	return &Parser{loc: opts.Loc()}
}

// entry is the part of a Caddy log entry the parser reads.
type entry struct {
	Level        string          `json:"level"`
	TS           json.RawMessage `json:"ts"`
	Logger       string          `json:"logger"`
	RawMsg       json.RawMessage `json:"msg"`
	Request      *request        `json:"request"`
	Duration     json.RawMessage `json:"duration"`
	Size         *int64          `json:"size"`
	Status       int             `json:"status"`
	RespHeaders  respHeaders     `json:"resp_headers"`
	Error        string          `json:"error"`
	Upstream     string          `json:"upstream"`
	UpstreamAddr string          `json:"upstream_addr"`
	UpstreamHP   string          `json:"upstream_hostport"`
	Dial         string          `json:"dial"`
	Host         string          `json:"host"` // health checker: the upstream checked
	ErrTrace     staticTrace     `json:"err_trace"`

	msg string // RawMsg decoded
	// precision is how finely its time was written, when the layout
	// says (a console time of milliseconds): parseConsole.
	precision sources.Precision
}

// request is Caddy's "request" object (LoggableHTTPRequest).
type request struct {
	RemoteIP   string  `json:"remote_ip"`
	RemotePort string  `json:"remote_port"`
	RemoteAddr string  `json:"remote_addr"` // before v2.5
	ClientIP   string  `json:"client_ip"`
	Proto      string  `json:"proto"`
	Method     string  `json:"method"`
	Host       string  `json:"host"`
	URI        string  `json:"uri"`
	Headers    headers `json:"headers"`
}

// headers holds the two logged headers the parser reads. encoding/json
// matches keys without regard to case and skips the other headers without
// allocating them. A nil field means the header was not logged.
type headers struct {
	UserAgent *[]string `json:"User-Agent"`
	RequestID *[]string `json:"X-Request-Id"`
}

// respHeaders is the part of "resp_headers" the parser reads: the request
// id a header directive set, and what the headers that tell Caddy's own
// answer from an upstream's say (ownAnswer), each read as a mark without
// allocating its value.
type respHeaders struct {
	RequestID     *[]string `json:"X-Request-Id"`
	ContentType   mark      `json:"Content-Type"`
	ContentLength mark      `json:"Content-Length"`
	Date          mark      `json:"Date"`
	Via           mark      `json:"Via"`
}

// mark is what a logged header's list of values is (respHeaders).
type mark uint8

// The marks.
const (
	unlogged  mark = iota
	emptyList      // [] or null: set to nil, as static_response sets Content-Type when it has no body
	ownType        // the Content-Type static_response picks for a body: text/plain; charset=utf-8, application/json
	logged         // any other value
)

// UnmarshalJSON implements json.Unmarshaler.
func (m *mark) UnmarshalJSON(b []byte) error {
	switch string(b) {
	case "[]", "null":
		*m = emptyList
	case `["text/plain; charset=utf-8"]`, `["application/json"]`:
		*m = ownType
	default:
		*m = logged
	}
	return nil
}

// staticTrace is whether an error entry's err_trace names
// caddyhttp.StaticError: Caddy's error directive made the error, not a
// failed handler (real Caddy 2.6.2: `error "nope" 503` logs msg "nope",
// `error 503` msg "", each with err_trace "caddyhttp.StaticError.ServeHTTP
// (staticerror.go:110)"; a refused upstream's is "reverseproxy.statusError
// (reverseproxy.go:1272)"). Read as a mark: no string is allocated.
type staticTrace bool

// UnmarshalJSON implements json.Unmarshaler.
func (s *staticTrace) UnmarshalJSON(b []byte) error {
	*s = staticTrace(bytes.HasPrefix(b, []byte(`"caddyhttp.StaticError`)))
	return nil
}

// ownAnswer reports whether the response headers are those of an answer
// Caddy wrote itself (static_response: respond), not an upstream's
// (formats.md §6.4; real Caddy 2.6.2 in session 24's QA). static_response
// always leaves a Content-Type: nil without a body, so that net/http
// sniffs none ("Content-Type":[] in the log), or the one it picks for its
// body; and net/http adds Date and Content-Length as it writes, after the
// headers were logged. A response reverse_proxy passed on holds the
// upstream's own: its Date (RFC 9110 §6.6.1: an origin with a clock sends
// one), its Content-Length unless its body was chunked, and Via from Caddy
// 2.8 on. (Caddy's other own answers, its error directive and a failed
// reverse_proxy, log only "Server" and write an error entry; so does an
// upstream that sent no header at all.)
func (h *respHeaders) ownAnswer(size int64) bool {
	if h.ContentLength != unlogged || h.Date != unlogged || h.Via != unlogged {
		return false
	}
	switch h.ContentType {
	case emptyList:
		return size == 0
	case ownType:
		return size > 0
	}
	return false
}

// first returns the first value of a logged header and whether it was logged.
func first(h *[]string) (string, bool) {
	switch {
	case h == nil:
		return "", false
	case len(*h) == 0:
		return "", true
	}
	return (*h)[0], true
}

// Parse implements sources.Parser.
func (p *Parser) Parse(line string) (sources.Record, error) {
	var e entry
	var ts time.Time
	switch {
	case strings.HasPrefix(line, "{"):
		if err := json.Unmarshal([]byte(line), &e); err != nil && !isTypeError(err) {
			return nil, fmt.Errorf("caddy: %v: %w", err, sources.ErrNoMatch)
		}
		msg, ok := jsonString(e.RawMsg)
		if !ok || e.Level == "" || len(e.TS) == 0 {
			return nil, fmt.Errorf("caddy: json without level, ts and msg: %w", sources.ErrNoMatch)
		}
		e.msg = msg
		t, ok := parseTS(e.TS)
		if !ok {
			return nil, fmt.Errorf("caddy: bad ts %s: %w", e.TS, sources.ErrNoMatch)
		}
		ts = t
	default:
		t, err := p.parseConsole(line, &e)
		if err != nil {
			return nil, err
		}
		ts = t
	}
	if strings.HasPrefix(e.Logger, "http.log.access") && (e.msg == "handled request" || e.msg == "NOP") {
		return accessEntry(line, ts, &e), nil
	}
	return errorEntry(line, ts, &e), nil
}

// accessEntry makes a ProxyEntry from an access log entry.
func accessEntry(line string, ts time.Time, e *entry) *sources.ProxyEntry {
	pe := &sources.ProxyEntry{
		Time:        ts,
		Status:      e.Status,
		BodyBytes:   -1,
		RequestTime: parseDuration(e.Duration),
		Fields:      sources.FieldRequestTime,
		Raw:         line,
	}
	pe.TimePrecision = e.precision
	if e.Size != nil {
		pe.BodyBytes = *e.Size
	}
	if r := e.Request; r != nil {
		pe.Client, pe.ClientPort = r.client()
		pe.Method, pe.Path, pe.Proto, pe.Host = r.Method, r.URI, r.Proto, r.Host
		pe.UserAgent, _ = first(r.Headers.UserAgent)
		if id, ok := first(r.Headers.RequestID); ok {
			pe.RequestID = id
			pe.Fields |= sources.FieldRequestID
		}
	}
	if pe.Fields&sources.FieldRequestID == 0 {
		// "header X-Request-Id {http.request.uuid}" sets it on the response.
		if id, ok := first(e.RespHeaders.RequestID); ok {
			pe.RequestID = id
			pe.Fields |= sources.FieldRequestID
		}
	}
	if up := e.upstream(); up != "" {
		pe.Upstream = up
		pe.UpstreamAddr = []string{up}
		pe.Fields |= sources.FieldUpstreamAddr
	} else if (pe.Status >= 500 || pe.Status == 429) && e.RespHeaders.ownAnswer(pe.BodyBytes) {
		// Its respond directive wrote it: a maintenance page, which
		// writes no error entry, or handle_errors' page after an upstream
		// failed, whose entry it writes at DEBUG only.
		pe.ProxyWrote = sources.Yes
	}
	return pe
}

// upstream returns the upstream a log_append added, if any; a unix
// socket's hostport ("/run/app.sock") as Caddy names the upstream
// (sources.SocketName), as its error entries name it.
func (e *entry) upstream() string {
	for _, v := range [...]string{e.Upstream, e.UpstreamAddr, e.UpstreamHP} {
		if v != "" && v != "-" {
			return sources.SocketName(v)
		}
	}
	return ""
}

// client returns the client address and port.
func (r *request) client() (host, port string) {
	if r.RemoteIP != "" {
		return r.RemoteIP, r.RemotePort
	}
	if r.RemoteAddr != "" {
		if h, p, err := net.SplitHostPort(r.RemoteAddr); err == nil {
			return h, p
		}
		return r.RemoteAddr, ""
	}
	return r.ClientIP, ""
}

// errorEntry makes a ProxyError from any other Caddy entry.
func errorEntry(line string, ts time.Time, e *entry) *sources.ProxyError {
	pe := &sources.ProxyError{
		Time:    ts,
		Level:   e.Level,
		Message: e.msg,
		Raw:     line,
	}
	if e.Error != "" {
		pe.Message += ": " + e.Error
	}
	if r := e.Request; r != nil {
		pe.Client, pe.ClientPort = r.client()
		pe.Method, pe.Path, pe.Host = r.Method, r.URI, r.Host
		if r.Method != "" {
			pe.Request = r.Method + " " + r.URI + " " + r.Proto
		}
	}
	switch {
	case strings.HasPrefix(e.Logger, "http.log.error") && bool(e.ErrTrace):
		// Caddy's error directive answered, on purpose: msg is the
		// directive's own text ("nope", or none), no Go error, and no
		// upstream was tried. (classify reads ReasonProxyRejected from a
		// Caddy error entry as this directive's.)
		pe.Status, pe.Server = errorStatus(e.Status), e.Logger
		pe.Reason = sources.ReasonProxyRejected
	case strings.HasPrefix(e.Logger, "http.log.error"):
		// msg is the Go error that ended the request; status is what the
		// client got.
		pe.Status, pe.Server = errorStatus(e.Status), e.Logger
		if e.Status == 0 || e.Status >= 500 {
			pe.Reason = reasonFromError(e.msg)
		}
		pe.Upstream = addrFromError(e.msg, pe.Reason)
	case e.Logger == "http.handlers.reverse_proxy" && e.msg == "aborting with incomplete response":
		// The header (and status) already went to the client.
		pe.Reason = streamAbortReason(e.Error)
		pe.Upstream = addrFromError(e.Error, pe.Reason)
	case e.Logger == "http.handlers.reverse_proxy" && e.msg == "reading from backend":
		// Always followed by "aborting with incomplete response" for the
		// same failure, which carries the reason: one failure, one reason.
	case strings.HasPrefix(e.Logger, "http.handlers.reverse_proxy.health_checker"):
		pe.Action = "health check"
		pe.Upstream = e.Host
		if e.Error != "" {
			pe.Reason = reasonFromError(e.Error)
		}
	case strings.HasPrefix(e.Logger, "http.handlers.reverse_proxy"):
		if e.Error != "" {
			pe.Reason = reasonFromError(e.Error)
			pe.Upstream = addrFromError(e.Error, pe.Reason)
		} else if e.msg == "upstream roundtrip" && e.Status > 0 {
			// A try the upstream answered (DEBUG): after a failed try,
			// the answer the client got is this one's.
			pe.Action = sources.ActionUpstreamAnswered
		}
	}
	if v := firstOf(e.upstream(), sources.SocketName(e.Dial)); v != "" {
		pe.Upstream = v
	}
	if pe.Upstream != "" {
		// A unix socket is an address too: without it, the 5xx it
		// failed was counted under "-" (dialedUpstream reads it).
		if _, _, err := net.SplitHostPort(pe.Upstream); err == nil || strings.HasPrefix(pe.Upstream, "unix/") {
			pe.UpstreamAddr = pe.Upstream
		}
	}
	return pe
}

// jsonString decodes a JSON string value.
func jsonString(raw json.RawMessage) (string, bool) {
	if len(raw) < 2 || raw[0] != '"' {
		return "", false
	}
	var s string
	if json.Unmarshal(raw, &s) != nil {
		return "", false
	}
	return s, true
}

// isTypeError reports a JSON value of an unexpected type. encoding/json
// still decodes the other fields then: one odd field (a log_append value, a
// plugin's key) does not lose the line; the required keys are checked after.
func isTypeError(err error) bool {
	var te *json.UnmarshalTypeError
	return errors.As(err, &te)
}

func firstOf(vals ...string) string {
	for _, v := range vals {
		if v != "" {
			return v
		}
	}
	return ""
}

// parseTS parses "ts": float Unix seconds (the default), or a string under
// one of Caddy's time_format options.
func parseTS(raw json.RawMessage) (time.Time, bool) {
	s := string(raw)
	if s == "" {
		return time.Time{}, false
	}
	if s[0] == '"' {
		var str string
		if err := json.Unmarshal(raw, &str); err != nil {
			return time.Time{}, false
		}
		for _, layout := range [...]string{time.RFC3339Nano, "2006-01-02T15:04:05.000Z0700", time.RFC1123Z} {
			if t, err := time.Parse(layout, str); err == nil {
				return t, true
			}
		}
		return time.Time{}, false
	}
	return unixSeconds(s)
}

// unixSeconds parses a decimal number of seconds exactly (a float64 would
// lose the last microseconds of a current timestamp).
func unixSeconds(s string) (time.Time, bool) {
	if strings.ContainsAny(s, "eE") {
		f, err := strconv.ParseFloat(s, 64)
		if err != nil || f < 0 || f > 1e11 {
			return time.Time{}, false
		}
		sec := int64(f)
		return time.Unix(sec, int64((f-float64(sec))*1e9)), true
	}
	intPart, frac, _ := strings.Cut(s, ".")
	if intPart == "" || len(intPart) > 11 || !allDigits(intPart) || frac != "" && !allDigits(frac) {
		return time.Time{}, false
	}
	sec, _ := strconv.ParseInt(intPart, 10, 64)
	var nsec int64
	for i := range 9 {
		nsec *= 10
		if i < len(frac) {
			nsec += int64(frac[i] - '0')
		}
	}
	return time.Unix(sec, nsec), true
}

// parseDuration parses "duration": seconds as a number (the default) or a
// Go duration string (duration_format string); -1 when absent or unreadable.
func parseDuration(raw json.RawMessage) float64 {
	if len(raw) == 0 || string(raw) == "null" {
		return -1
	}
	if raw[0] == '"' {
		var str string
		if json.Unmarshal(raw, &str) != nil {
			return -1
		}
		d, err := time.ParseDuration(str)
		if err != nil {
			return -1
		}
		return d.Seconds()
	}
	f, err := strconv.ParseFloat(string(raw), 64)
	if err != nil || f < 0 {
		return -1
	}
	return f
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// detect scores a sample line: 100 for an access entry, 90 for another
// http.* entry about a request (an error entry), 60 for Caddy's other
// lines (http.* without a request: startup, health checks; its other
// loggers), 10 for a logger-less entry that any zap-based program could
// have written. Only the first two are requests (sources.Detect's
// requestScore): Caddy's startup lines are not. The console form scores 5
// less, and 0 for a logger that is not Caddy's: zap's console encoder
// writes every Go program's lines that way (istio-agent's "info ads ..."
// before Envoy's access lines were read as Caddy's).
func detect(line string) int {
	if strings.HasPrefix(line, "{") && !sources.MayHoldJSONKey(line, "ts") {
		// Parse needs "ts": an app's JSON line says no without a decode
		// (detectDecoding is detect without this check).
		return 0
	}
	return detectDecoding(line)
}

// detectDecoding is detect by parsing the line, whatever it holds.
func detectDecoding(line string) int {
	rec, err := (&Parser{loc: time.UTC}).Parse(line)
	if err != nil {
		return 0
	}
	score := 100
	if pe, ok := rec.(*sources.ProxyError); ok {
		score = 10
		switch logger := loggerOf(line); {
		case strings.HasPrefix(logger, "http") && pe.Path != "":
			score = 90
		case strings.HasPrefix(logger, "http"):
			score = 60
		case isCaddyLogger(logger):
			score = 60
		case !strings.HasPrefix(line, "{"):
			return 0
		}
	}
	if !strings.HasPrefix(line, "{") {
		score -= 5
	}
	return score
}

// loggerOf returns the logger name of a line the parser accepted.
func loggerOf(line string) string {
	if !strings.HasPrefix(line, "{") {
		return consoleLogger(line)
	}
	var head struct {
		Logger string `json:"logger"`
	}
	_ = json.Unmarshal([]byte(line), &head)
	return head.Logger
}

// errorLoggerOf names the logger of the errors of an access entry's
// site: http.log.access.log1's are http.log.error.log1's (Caddy names
// both after the site's log, formats.md §6.1, §6.2).
func errorLoggerOf(raw string) string {
	if rest, ok := strings.CutPrefix(loggerOf(raw), "http.log.access"); ok {
		return "http.log.error" + rest
	}
	return ""
}

// isCaddyLogger reports whether a logger name is one of Caddy's own
// non-HTTP modules.
func isCaddyLogger(name string) bool {
	for _, p := range [...]string{"admin", "tls", "pki", "caddy", "events", "layer4", "docker-proxy"} {
		if name == p || strings.HasPrefix(name, p+".") {
			return true
		}
	}
	return false
}

// errorStatus is an error entry's status as ProxyError keeps it (an
// int32): Caddy writes none outside 100-999 (Go's net/http refuses to),
// and one that does not fit an int32 is taken as not said.
func errorStatus(s int) int32 {
	if s != int(int32(s)) {
		return 0
	}
	return int32(s)
}
