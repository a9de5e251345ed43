// Package envoy parses Envoy (and Istio) access logs: the default text
// format, Istio's TEXT default and the JSON access logs ("envoy-json").
//
// The text layout (formats.md §4.1), read front to back:
//
//	[%START_TIME%] "%REQ(:METHOD)% %REQ(X-ENVOY-ORIGINAL-PATH?:PATH)% %PROTOCOL%"
//	%RESPONSE_CODE% %RESPONSE_FLAGS% [extras] %BYTES_RECEIVED% %BYTES_SENT%
//	%DURATION% %RESP(X-ENVOY-UPSTREAM-SERVICE-TIME)% "%REQ(X-FORWARDED-FOR)%"
//	"%REQ(USER-AGENT)%" "%REQ(X-REQUEST-ID)%" "%REQ(:AUTHORITY)%"
//	"%UPSTREAM_HOST%" [tail]
//
// The rules:
//   - The extras between the flags and the byte counts vary by release:
//     none (Envoy default), %RESPONSE_CODE_DETAILS% alone (a common custom
//     format), details + %CONNECTION_TERMINATION_DETAILS% +
//     "%UPSTREAM_TRANSPORT_FAILURE_REASON%" (Istio ≥ 1.8), or two quoted
//     fields, mixer status and transport failure (Istio ≤ 1.7). The byte
//     counts start at the first run of three numbers and a number or "-".
//   - The tail is Istio's %UPSTREAM_CLUSTER% %UPSTREAM_LOCAL_ADDRESS%
//     %DOWNSTREAM_LOCAL_ADDRESS% %DOWNSTREAM_REMOTE_ADDRESS%
//     %REQUESTED_SERVER_NAME% %ROUTE_NAME%; any of it may be missing.
//   - %START_TIME% is the request start; the entry's Time is start +
//     %DURATION%, when Envoy writes the line, so app lines join in the same
//     window as for proxies that log the end of a request.
//   - Envoy escapes nothing: a user agent with `" ` inside is real output.
//     The quoted fields up to the authority each end at the first `" "`,
//     the upstream host at a '"' followed by a space or the end of the
//     line; where that does not tell them apart the upstream host's shape
//     does, then the authority's and the request id's, or the line is not
//     read (quotedFields).
//   - A custom format may add quoted fields after %UPSTREAM_HOST%: they
//     are not Istio's tail, and are not read.
package envoy

import (
	"net/netip"
	"strconv"
	"strings"
	"time"

	"fivexx/sources"
)

func init() {
	sources.Register(sources.Format{
		Name:     "envoy",
		Names:    &sources.FieldNames{Addr: "upstream_host", HeaderTime: "x-envoy-upstream-service-time (s)", Flags: "response_flags"},
		Role:     sources.RoleProxy,
		Priority: 10,
		// No state between lines: parsed in parallel by chunks.
		Stateless: true,
		Detect:    detectText,
		New:       func(sources.ParserOptions) (sources.Parser, error) { return NewTextParser(), nil },
		Doc:       "Envoy default access log format and Istio's TEXT default (flags, details, cluster)",
	})
}

// TextParser parses Envoy's default text access log and Istio's variants.
// It keeps no state between lines.
type TextParser struct{}

// NewTextParser returns a parser for Envoy text access logs.
func NewTextParser() *TextParser { return &TextParser{} }

// errText reports a line that is not an Envoy text access line.
func errText(what string) error {
	return sources.NoMatch("envoy", what)
}

// Parse implements sources.Parser.
func (p *TextParser) Parse(line string) (sources.Record, error) {
	e, err := parseText(line)
	if err != nil {
		return nil, err
	}
	return e, nil
}

func parseText(line string) (*sources.ProxyEntry, error) {
	s := line
	if len(s) < 2 || s[0] != '[' {
		return nil, errText("no [start time]")
	}
	end := strings.IndexByte(s, ']')
	if end < 0 {
		return nil, errText("no [start time]")
	}
	start, ok := parseStartTime(s[1:end])
	if !ok {
		return nil, errText("bad start time")
	}
	s = s[end+1:]
	if !strings.HasPrefix(s, ` "`) {
		return nil, errText("no request line")
	}
	s = s[2:]
	// The request line ends at the '"' before the status: Envoy writes the
	// path unescaped, so a '"' inside it is possible.
	q := requestEnd(s)
	if q < 0 {
		return nil, errText("no request line")
	}
	request := s[:q]
	s = s[q+2:]

	var tok string
	tok, s = cut(s)
	status, ok := atoi(tok)
	if !ok || status > 999 {
		return nil, errText("bad status")
	}
	var flags string
	flags, s = cut(s)
	if !isFlagsToken(flags) {
		return nil, errText("bad response flags")
	}

	var a attempt
	a.status, a.flags = status, flags
	var extras []string
	var quartet [4]string
	for {
		if s == "" || len(extras) > 4 {
			return nil, errText("no byte counts")
		}
		if q, rest, ok := numbers(s); ok {
			quartet, s = q, rest
			break
		}
		tok, s = cutField(s)
		extras = append(extras, tok)
	}
	assignExtras(&a, extras)

	quoted, s, what := quotedFields(s)
	if what != "" {
		return nil, errText(what)
	}
	var tail []string
	if strings.IndexByte(s, '"') < 0 {
		// Istio's cluster and addresses; a custom format's quoted fields
		// after %UPSTREAM_HOST% are not those, and are not read.
		tail = strings.Fields(s)
	}

	e := &sources.ProxyEntry{Raw: line, BodyBytes: -1, RequestTime: -1}
	e.Method, e.Path, e.Proto = splitRequest(request)
	e.Status = status
	if n, ok := atoi64(quartet[1]); ok {
		e.BodyBytes = n
	}
	if ms, ok := atoi64(quartet[2]); ok {
		e.RequestTime = float64(ms) / 1000
		e.Time = start.Add(time.Duration(ms) * time.Millisecond)
	} else {
		e.Time = start
	}
	a.serviceTime = quartet[3]
	xff, ua, rid, authority, host := quoted[0], quoted[1], quoted[2], quoted[3], quoted[4]
	e.UserAgent = dash(ua)
	e.Host = dash(authority)
	e.RequestID = dash(rid)
	a.host = host
	var cluster, upstreamLocal, downstreamRemote string
	if len(tail) > 0 {
		cluster = dash(tail[0])
	}
	if len(tail) > 1 {
		upstreamLocal = dash(tail[1])
	}
	if len(tail) > 3 {
		downstreamRemote = dash(tail[3])
		e.Client, e.ClientPort = splitHostPort(downstreamRemote)
	}
	meshHop(e, cluster, upstreamLocal, downstreamRemote)
	if e.Client == "" {
		e.Client = firstXFF(xff)
	}
	fill(e, a, cluster)
	return e, nil
}

// fill sets the upstream fields shared by the text and the JSON format.
func fill(e *sources.ProxyEntry, a attempt, cluster string) {
	v := judge(a)
	e.Reason, e.UpstreamContacted, e.UpstreamAnswered = v.reason, v.contacted, v.answered
	e.Flags, e.Detail = a.flags, v.detail // as logged: "-" says "no flag"
	e.Fields = sources.FieldRequestTime
	if a.flags != "" {
		// A JSON format may leave %RESPONSE_FLAGS% out (no key): then
		// it is no field this log has, and the advice asks for it.
		e.Fields |= sources.FieldFlags
	}
	if a.details != "" {
		// Envoy's own word, with or without its flags: a format that
		// logs %RESPONSE_CODE_DETAILS% and not %RESPONSE_FLAGS% had its
		// via_upstream 503 and its connection_failure 503 at medium,
		// where the flags "-" and UF made them high.
		e.Fields |= sources.FieldCodeDetails
	}
	if a.host != "" {
		e.UpstreamAddr = []string{a.host}
		e.Fields |= sources.FieldUpstreamAddr
	}
	if a.serviceTime != "" {
		e.UpstreamHeader = []string{millisAsSeconds(a.serviceTime)}
		e.Fields |= sources.FieldUpstreamHeaderTime
	}
	if e.RequestID != "" {
		e.Fields |= sources.FieldRequestID
	}
	switch {
	case a.host != "" && a.host != "-":
		e.Upstream = a.host
	case cluster != "":
		e.Upstream = cluster
	}
}

// meshHop notes which sidecar of Istio's mesh logged e, from its upstream
// cluster, and the caller's end of the connection between the two
// sidecars, which both log (classify/mesh.go pairs them).
func meshHop(e *sources.ProxyEntry, cluster, upstreamLocal, downstreamRemote string) {
	switch {
	case strings.HasPrefix(cluster, "outbound|"):
		e.Hop, e.Conn = sources.HopOutbound, upstreamLocal
	case strings.HasPrefix(cluster, "inbound|"):
		e.Hop, e.Conn = sources.HopInbound, downstreamRemote
	}
}

// assignExtras places the fields between the flags and the byte counts.
func assignExtras(a *attempt, extras []string) {
	var unquoted, quoted []string
	for _, x := range extras {
		if len(x) >= 2 && x[0] == '"' && x[len(x)-1] == '"' {
			quoted = append(quoted, x[1:len(x)-1])
		} else {
			unquoted = append(unquoted, x)
		}
	}
	if len(unquoted) > 0 {
		a.details = dash(unquoted[0])
	}
	if len(unquoted) > 1 {
		a.termination = dash(unquoted[1])
	}
	// Istio ≤ 1.7 puts the mixer status before the transport failure
	// reason; the last quoted field is the transport failure either way.
	if n := len(quoted); n > 0 {
		a.transport = dash(quoted[n-1])
	}
}

// requestEnd returns the index of the '"' that closes the request line: the
// first one followed by a space and a status code.
func requestEnd(s string) int {
	for i := 0; i < len(s); i++ {
		if s[i] != '"' || i+2 >= len(s) || s[i+1] != ' ' {
			continue
		}
		j := i + 2
		for j < len(s) && s[j] >= '0' && s[j] <= '9' {
			j++
		}
		if j > i+2 && j < len(s) && s[j] == ' ' {
			return i
		}
	}
	return -1
}

// numbers reads %BYTES_RECEIVED% %BYTES_SENT% %DURATION% and the upstream
// service time at the start of s: three numbers and a number or "-".
func numbers(s string) (q [4]string, rest string, ok bool) {
	rest = s
	for i := range q {
		var tok string
		tok, rest = cut(rest)
		if !isNumber(tok) && !(tok == "-" && i == 3) {
			return q, s, false
		}
		q[i] = tok
	}
	if rest != "" && rest[0] != '"' {
		return q, s, false
	}
	return q, rest, true
}

// cut returns the text before the next space and the text after it.
func cut(s string) (tok, rest string) {
	i := strings.IndexByte(s, ' ')
	if i < 0 {
		return s, ""
	}
	return s[:i], s[i+1:]
}

// cutField cuts one extra field: a quoted one keeps its quotes.
func cutField(s string) (tok, rest string) {
	if s != "" && s[0] == '"' {
		if end := quoteEnd(s); end > 0 {
			return s[:end+1], strings.TrimPrefix(s[end+1:], " ")
		}
	}
	tok, rest = cut(s)
	// Older releases wrote details with spaces inside the braces
	// (upstream_reset_before_response_started{connection failure}): the
	// field runs to the closing brace.
	if i := strings.IndexByte(tok, '{'); i >= 0 && strings.IndexByte(tok[i:], '}') < 0 {
		if j := strings.IndexByte(s[i:], '}'); j > 0 {
			end := i + j + 1
			if k := strings.IndexByte(s[end:], ' '); k >= 0 {
				return s[:end+k], s[end+k+1:]
			}
			return s, ""
		}
	}
	return tok, rest
}

// quotedFields reads "%REQ(X-FORWARDED-FOR)%" "%REQ(USER-AGENT)%"
// "%REQ(X-REQUEST-ID)%" "%REQ(:AUTHORITY)%" "%UPSTREAM_HOST%" at the start
// of s and returns them and the tail after them; what is "" when it can,
// else why not.
//
// Envoy escapes nothing, so a user agent may hold `" ` (`Mozilla/5.0
// "quoted" UA`, or `\"quoted\" UA` as the client sent it). Read front to
// back (quotedFront), each of the first four fields ends at the first
// `" "`: a `" ` inside the user agent does not end it, and a custom
// format's quoted fields after the upstream host (`"%UPSTREAM_CLUSTER%"`)
// are a tail, not read. Only a user agent holding `" "` itself moves the
// fields after it one place on; the upstream host then reads the
// authority, and more quoted fields follow it. With quoted fields after
// the upstream host the line is one of the two, read front to back or
// from the end (quotedFromEnd: the last quoted field is the upstream
// host), and the upstream host says which: %UPSTREAM_HOST% is an address
// (ip:port, "-", a pipe's path, a URL such as tcp://ip:port), never a
// name such as an authority, and an authority is no UUID such as Envoy's
// request ids. Where both readings fit (a user agent holding `" "`, a
// request id that is no UUID and an authority that is an address, as
// `"a" "b" "id-1" "10.0.0.5:8080" "10.0.0.2:80"`: read front to back, the
// request id was "b", the authority "id-1" and the upstream host the
// authority), the other fields tell them apart (tellReadings), or the
// line is not read. A line where neither reading gives one is not read
// either (when read from the end, a custom format's last quoted field was
// taken for the upstream host, the host for the authority, and so on).
func quotedFields(s string) (q [5]string, tail, what string) {
	q, tail, ok := quotedFront(s)
	if ok && strings.IndexByte(tail, '"') < 0 {
		return q, tail, ""
	}
	back, backTail, backOK := quotedFromEnd(s)
	if !ok {
		if !backOK {
			return q, s, "missing quoted request fields"
		}
		return back, backTail, ""
	}
	frontFits, backFits := readingFits(q), backOK && readingFits(back)
	switch {
	case frontFits && backFits:
		switch tellReadings(q, back) {
		case 1:
			return q, tail, ""
		case 2:
			return back, backTail, ""
		}
		return q, s, `a '"' inside a quoted field or quoted fields after %UPSTREAM_HOST%: both readings fit, which field is which cannot be told`
	case frontFits:
		return q, tail, ""
	case backFits:
		return back, backTail, ""
	}
	return q, s, `quoted fields after %UPSTREAM_HOST% and a '"' inside a quoted field: which field is which cannot be told`
}

// readingFits reports whether a reading of the five quoted fields can be
// Envoy's: the upstream host is an address, and the authority no UUID.
func readingFits(q [5]string) bool {
	return upstreamHostShape(q[4]) && !uuidShape(q[3])
}

// tellReadings says which of two readings that both fit (front to back,
// and from the end) is the line's: 1 or 2, 0 when nothing tells. In turn:
// the one whose authority alone is a host[:port] (a request id such as
// "trace=7;a" read as the authority is none); the one whose request id
// alone is a UUID, as Envoy makes them; the one whose request id alone is
// no address and holds no `" ` (read from the end of a custom format that
// ends with an address, the request id is the upstream host; read front
// to back past a user agent's `" "`, it is the rest of the user agent).
func tellReadings(a, b [5]string) int {
	for _, shape := range []func(q [5]string) bool{
		func(q [5]string) bool { return authorityShape(q[3]) },
		func(q [5]string) bool { return uuidShape(q[2]) },
		func(q [5]string) bool {
			return !strings.Contains(q[2], `" `) && (q[2] == "-" || !upstreamHostShape(q[2]))
		},
	} {
		switch sa, sb := shape(a), shape(b); {
		case sa && !sb:
			return 1
		case sb && !sa:
			return 2
		}
	}
	return 0
}

// authorityShape reports whether s can be %REQ(:AUTHORITY)%: "-" or a
// host (a name, an IPv4 address or a [v6] address) with an optional
// port.
func authorityShape(s string) bool {
	if s == "-" {
		return true
	}
	host, port := splitHostPort(s)
	if port == "" && strings.HasPrefix(s, "[") {
		host = strings.TrimSuffix(strings.TrimPrefix(s, "["), "]")
	}
	if strings.HasPrefix(s, "[") {
		_, err := netip.ParseAddr(host)
		return err == nil
	}
	if host == "" {
		return false
	}
	for i := 0; i < len(host); i++ {
		c := host[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '.' || c == '_') {
			return false
		}
	}
	return true
}

// quotedFront reads the five quoted fields of quotedFields front to back:
// the first four each end at the first `" "`, the upstream host at the
// first '"' followed by a space or the end of the line.
func quotedFront(s string) (q [5]string, tail string, ok bool) {
	tail = s
	for i := range q {
		if tail == "" || tail[0] != '"' {
			return q, s, false
		}
		var end int
		if i < len(q)-1 {
			end = strings.Index(tail[1:], `" "`) + 1
		} else {
			end = quoteEnd(tail)
		}
		if end <= 0 {
			return q, s, false
		}
		q[i], tail = tail[1:end], strings.TrimPrefix(tail[end+1:], " ")
	}
	return q, tail, true
}

// upstreamHostShape reports whether s can be %UPSTREAM_HOST%: "-", an
// ip:port, [v6]:port, a pipe's path or a URL (tcp://10.0.2.1:80,
// envoy://…). Envoy logs the address it connected to, never a host name.
func upstreamHostShape(s string) bool {
	switch {
	case s == "-", strings.Contains(s, "://"), strings.HasPrefix(s, "/"), strings.HasPrefix(s, "@"):
		return true
	}
	host, port := splitHostPort(s)
	if port == "" {
		return false
	}
	_, err := netip.ParseAddr(host)
	return err == nil
}

// uuidShape reports whether s looks like a UUID (8-4-4-4-12 hex digits),
// as Envoy's own x-request-id values are.
func uuidShape(s string) bool {
	if len(s) != 36 {
		return false
	}
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case i == 8 || i == 13 || i == 18 || i == 23:
			if c != '-' {
				return false
			}
		case !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F'):
			return false
		}
	}
	return true
}

// quotedFromEnd reads the five quoted fields of quotedFields with the last
// three anchored at the last '"' of s: the tail after it holds no '"'.
func quotedFromEnd(s string) (q [5]string, tail string, ok bool) {
	if s == "" || s[0] != '"' {
		return q, s, false
	}
	end := strings.LastIndexByte(s, '"')
	if end <= 0 || (end+1 < len(s) && s[end+1] != ' ') {
		return q, s, false
	}
	tail = strings.TrimPrefix(s[end+1:], " ")
	// end is the closing quote of the field being read, from the upstream
	// host back to the request id; each opens after the `" "` before it.
	for i := 4; i >= 2; i-- {
		sep := strings.LastIndex(s[:end], `" "`)
		if sep < 0 {
			return q, s, false
		}
		q[i], end = s[sep+3:end], sep
	}
	// end now closes the user agent; the forwarded-for field closes at the
	// first `" "`, which must leave the user agent its opening quote.
	xff := strings.Index(s[1:], `" "`) + 1
	if xff <= 0 || xff+3 > end {
		return q, s, false
	}
	q[0], q[1] = s[1:xff], s[xff+3:end]
	return q, tail, true
}

// cutQuoted reads a quoted field at the start of s.
func cutQuoted(s string) (val, rest string, ok bool) {
	if s == "" || s[0] != '"' {
		return "", s, false
	}
	end := quoteEnd(s)
	if end < 0 {
		return "", s, false
	}
	return s[1:end], strings.TrimPrefix(s[end+1:], " "), true
}

// quoteEnd returns the index of the '"' closing the field that starts at
// s[0]: the first one followed by a space or the end of the line.
func quoteEnd(s string) int {
	for i := 1; i < len(s); i++ {
		if s[i] == '"' && (i+1 == len(s) || s[i+1] == ' ') {
			return i
		}
	}
	return -1
}

// parseStartTime parses %START_TIME% as Envoy writes it by default
// (RFC 3339 with milliseconds, UTC) or with a zone offset.
func parseStartTime(s string) (time.Time, bool) {
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return time.Time{}, false
	}
	return t, true
}

// splitRequest splits "METHOD PATH PROTO". A request Envoy could not parse
// logs as "- - -" pieces; those become empty.
func splitRequest(r string) (method, path, proto string) {
	i := strings.IndexByte(r, ' ')
	if i < 0 {
		return dash(r), "", ""
	}
	method, r = r[:i], r[i+1:]
	if j := strings.LastIndexByte(r, ' '); j >= 0 {
		path, proto = r[:j], r[j+1:]
	} else {
		path = r
	}
	return dash(method), dash(path), dash(proto)
}

// firstXFF returns the first address of an X-Forwarded-For value.
func firstXFF(v string) string {
	v = dash(v)
	if i := strings.IndexByte(v, ','); i >= 0 {
		v = v[:i]
	}
	return strings.TrimSpace(v)
}

// splitHostPort splits "ip:port" or "[v6]:port"; anything else is a host.
func splitHostPort(s string) (host, port string) {
	i := strings.LastIndexByte(s, ':')
	if i <= 0 || !isNumber(s[i+1:]) {
		return s, ""
	}
	host, port = s[:i], s[i+1:]
	if strings.HasPrefix(host, "[") && strings.HasSuffix(host, "]") {
		host = host[1 : len(host)-1]
	} else if strings.IndexByte(host, ':') >= 0 {
		return s, "" // bare IPv6 without a port
	}
	return host, port
}

// millisAsSeconds formats a millisecond count as seconds ("-" stays "-").
func millisAsSeconds(ms string) string {
	n, ok := atoi64(ms)
	if !ok {
		return "-"
	}
	return strconv.FormatFloat(float64(n)/1000, 'f', 3, 64)
}

// dash turns Envoy's "-" (no value) into "".
func dash(s string) string {
	if s == "-" {
		return ""
	}
	return s
}

func atoi(s string) (int, bool) {
	n, ok := atoi64(s)
	return int(n), ok && n <= 1<<31-1
}

func atoi64(s string) (int64, bool) {
	if !isNumber(s) || len(s) > 18 {
		return 0, false
	}
	var n int64
	for i := 0; i < len(s); i++ {
		n = n*10 + int64(s[i]-'0')
	}
	return n, true
}

// detectText scores a line: 100 for an Envoy text access line.
func detectText(line string) int {
	if _, err := parseText(line); err != nil {
		return 0
	}
	return 100
}
