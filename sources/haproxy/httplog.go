// Package haproxy parses HAProxy logs: "option httplog" request lines and the
// server state messages (health checks, "backend X has no server available!")
// that HAProxy writes to the same log.
//
// The rules, from HAProxy's doc/configuration.txt §8.2.3 and log.c:
//   - The fixed fields are read front to back, up to the queue counters.
//   - Captured headers come next as "{a|b}" blocks, present only when
//     captures are configured. HAProxy writes '"', '#', '{', '|', '}' and
//     non-printables in them as "#XX", so a block ends at the first '}'
//     followed by a space.
//   - The quoted request line is last ("option httpslog" appends TLS fields
//     after it, which are ignored). HAProxy writes '"', '#' and
//     non-printables in it as "#XX", so it ends at the next '"'; a line cut at
//     the syslog length limit has no closing quote.
//   - "%tr" has no zone: it is read in ParserOptions.Loc() by a
//     sources.LocalClock, which tells the two passes of the hour repeated
//     when clocks go back apart by continuity with the line before.
package haproxy

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"fivexx/sources"
)

func init() {
	sources.Register(sources.Format{
		Name:     "haproxy",
		Names:    &sources.FieldNames{Addr: "server_name", HeaderTime: "Tr (s)", Flags: "termination_state"},
		Role:     sources.RoleProxy,
		Priority: 10,
		Detect:   detect,
		Claims:   claims,
		New: func(opts sources.ParserOptions) (sources.Parser, error) {
			return NewParser(opts), nil
		},
		Captured: requestCaptures,
		Trailing: trailingFields,
		// %tr has no zone.
		LocalTime: true,
		Doc:       "HAProxy option httplog (or httplog clf) lines and server state messages (raw, syslog, journald or stderr)",
	})
}

// noServer is the server name HAProxy logs when none was selected.
const noServer = "<NOSRV>"

// Parser parses HAProxy log lines into *sources.ProxyEntry (httplog lines)
// and *sources.ProxyError (server and backend state messages). It remembers
// the last request date, to give a year to syslog stamps that have none, and
// the last failed health check per server, because "Server X is DOWN." lines
// written with "option log-health-checks" carry no reason of their own.
type Parser struct {
	clock     *sources.LocalClock // reads zone-less stamps in ParserOptions.Loc()
	now       func() time.Time
	last      time.Time                 // time of the last httplog line
	lastCheck map[string]sources.Reason // server → reason of its last failed check
}

// NewParser returns a parser for HAProxy logs.
func NewParser(opts sources.ParserOptions) *Parser {
	return &Parser{clock: sources.NewLocalClock(opts.Loc()), now: time.Now}
}

// Parse implements sources.Parser.
func (p *Parser) Parse(line string) (sources.Record, error) {
	payload, env := unwrap(line)
	if isStateMessage(payload) {
		return p.parseState(line, payload, env)
	}
	e, err := p.parseHTTPLog(line, payload, env)
	if err == nil {
		return e, nil
	}
	if e, clfErr := p.parseCLF(line, payload); clfErr == nil {
		return e, nil
	}
	if (env.fromHAProxy() || isContinuation(payload) || isProxyStartStop(payload)) && payload != "" && !looksLikeTraffic(payload) {
		// Anything else HAProxy says about itself ("Proxy fe started.",
		// "path to executable is ...") is kept as a message without reason.
		// A traffic line we cannot read (tcplog, a custom log-format) is an
		// error, not a message.
		return p.otherMessage(line, strings.TrimPrefix(payload, "   | "), env), nil
	}
	return nil, err
}

// isContinuation reports whether s is a continuation line of a multi-line
// stderr message: HAProxy writes each line after the first as "   | text"
// (a config warning explains itself over three or four of them). Read as
// messages, they were counted as unparsed lines of a healthy stream.
func isContinuation(s string) bool {
	return strings.HasPrefix(s, "   | ") || s == "   |"
}

// isProxyStartStop reports whether s is HAProxy's "Proxy NAME started."
// or "Proxy NAME stopped (cumulated conns: ...)." (proxy.c), which older
// versions (2.2 in its docker image) write to stderr with no prefix at all.
func isProxyStartStop(s string) bool {
	name, rest, ok := strings.Cut(strings.TrimPrefix(s, "Proxy "), " ")
	if !ok || len(s) == len(name)+len(rest)+1 || name == "" {
		return false
	}
	return rest == "started." || strings.HasPrefix(rest, "stopped (cumulated conns: ")
}

// looksLikeTraffic reports whether s starts like a request or connection
// log line: "ip:port [date] ..." (httplog, tcplog and log-formats after
// them) or "ip - - [date] ..." (httplog clf and log-formats after it).
// A HAProxy-tagged line of either shape that no layout reads is a request
// lost, not a message: "Feb  6 … haproxy[1]: 10.0.1.2 - - [06/Feb/2025:…]"
// with the frontend unquoted was counted a message, 0 unparsed.
func looksLikeTraffic(s string) bool {
	i := strings.IndexByte(s, ' ')
	if i <= 0 {
		return false
	}
	addr, rest := s[:i], s[i+1:]
	if strings.IndexByte(addr, ':') >= 0 && strings.HasPrefix(rest, "[") {
		return true
	}
	return strings.HasPrefix(rest, "- - [") && isAddress(addr)
}

// isAddress reports whether s is made of an IPv4 or IPv6 address's
// characters, with a digit among them.
func isAddress(s string) bool {
	digit := false
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case isDigit(c):
			digit = true
		case c == '.' || c == ':' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F':
		default:
			return false
		}
	}
	return digit
}

// claims reports whether line is a request line HAProxy's syslog or
// stderr wrapper vouches for, in a layout the parser does not read (a
// custom log-format that drops or moves a field): sources.Format.Claims.
func claims(line string) bool {
	payload, env := unwrap(line)
	if !env.fromHAProxy() || !looksLikeTraffic(payload) {
		return false
	}
	return detect(line) == 0
}

// errShort reports an httplog line that ends before field name.
func errShort(name string) error {
	return &fieldError{name: name}
}

// errBad reports an httplog field that does not have its shape.
func errBad(name, value string) error {
	if len(value) > 40 {
		value = value[:40] + "..."
	} else {
		value = strings.Clone(value) // not the line's memory
	}
	return &fieldError{name: name, value: value, bad: true}
}

// fieldError is an httplog field that is missing (errShort) or does not
// have its shape (errBad), its text made only when asked for: detection
// parses every sample line as HAProxy's and reads no error's text, and
// formatting them was a tenth of its instructions.
type fieldError struct {
	name, value string
	bad         bool
}

func (e *fieldError) Error() string {
	if !e.bad {
		return fmt.Sprintf("haproxy httplog: no %s field: %v", e.name, sources.ErrNoMatch)
	}
	return fmt.Sprintf("haproxy httplog: bad %s %q: %v", e.name, e.value, sources.ErrNoMatch)
}

func (e *fieldError) Unwrap() error { return sources.ErrNoMatch }

// httpTimers are the five request timers in milliseconds (-1: phase not reached).
type httpTimers struct{ TR, Tw, Tc, Tr, Ta int64 }

// parseHTTPLog parses the httplog payload of line, env what its
// wrappers said.
func (p *Parser) parseHTTPLog(line, s string, env envelope) (*sources.ProxyEntry, error) {
	e := &sources.ProxyEntry{Raw: line}
	var tok string
	var ok bool

	// %ci:%cp
	if tok, s, ok = cutField(s); !ok {
		return nil, errShort("client")
	}
	i := strings.LastIndexByte(tok, ':')
	if i <= 0 || !allDigits(tok[i+1:]) {
		return nil, errBad("client", tok)
	}
	e.Client, e.ClientPort = tok[:i], tok[i+1:]

	// [%tr]
	if tok, s, ok = cutField(s); !ok {
		return nil, errShort("date")
	}
	if len(tok) < 22 || tok[0] != '[' || tok[len(tok)-1] != ']' {
		return nil, errBad("date", tok)
	}
	date, ok := parseRequestDate(tok[1 : len(tok)-1])
	if !ok {
		return nil, errBad("date", tok)
	}

	// %ft: frontend, "~" suffix for TLS; not kept.
	if _, s, ok = cutField(s); !ok {
		return nil, errShort("frontend")
	}

	// %b/%s
	if tok, s, ok = cutField(s); !ok {
		return nil, errShort("backend/server")
	}
	slash := strings.IndexByte(tok, '/')
	if slash <= 0 || slash == len(tok)-1 {
		return nil, errBad("backend/server", tok)
	}
	e.Upstream = tok
	server := tok[slash+1:]

	// %TR/%Tw/%Tc/%Tr/%Ta
	if tok, s, ok = cutField(s); !ok {
		return nil, errShort("timers")
	}
	var tm [5]int64
	if !parseSlashed(tok, tm[:]) {
		return nil, errBad("timers", tok)
	}
	timers := httpTimers{tm[0], tm[1], tm[2], tm[3], tm[4]}
	e.Time, e.ZoneFromLine = p.requestTime(date, env, timers.Ta)
	e.TimePrecision = sources.FractionDigits(date.digits) // as %tr wrote it: adding Ta keeps its unit

	// %ST
	if tok, s, ok = cutField(s); !ok {
		return nil, errShort("status")
	}
	status, ok := parseMillis(tok)
	if !ok || status < -1 || status > 999 {
		return nil, errBad("status", tok)
	}
	e.Status = int(status)

	// %B
	if tok, s, ok = cutField(s); !ok {
		return nil, errShort("bytes")
	}
	if e.BodyBytes, ok = parseMillis(tok); !ok || e.BodyBytes < 0 {
		return nil, errBad("bytes", tok)
	}

	// %CC %CS: captured cookies, "-" when unused; not kept.
	for _, name := range [...]string{"request cookie", "response cookie"} {
		if _, s, ok = cutField(s); !ok {
			return nil, errShort(name)
		}
	}

	// %tsc
	if tok, s, ok = cutField(s); !ok {
		return nil, errShort("termination state")
	}
	if len(tok) != 4 {
		return nil, errBad("termination state", tok)
	}
	e.Flags = tok

	// %ac/%fc/%bc/%sc/%rc
	if tok, s, ok = cutField(s); !ok {
		return nil, errShort("connection counts")
	}
	var conns [5]int64
	if !parseSlashed(tok, conns[:]) {
		return nil, errBad("connection counts", tok)
	}
	retries := conns[4]
	redispatched := tok[strings.LastIndexByte(tok, '/')+1] == '+'

	// %sq/%bq
	if tok, s, ok = cutField(s); !ok {
		return nil, errShort("queue counts")
	}
	var queues [2]int64
	if !parseSlashed(tok, queues[:]) {
		return nil, errBad("queue counts", tok)
	}

	// {%hr} {%hs}
	var captures [2]string
	for n := 0; n < 2 && strings.HasPrefix(s, "{"); n++ {
		end := endOfCapture(s)
		if end < 0 {
			return nil, errBad("captured headers", s)
		}
		captures[n] = s[1:end]
		s = strings.TrimPrefix(s[end+1:], " ")
	}

	// %{+Q}r
	if !strings.HasPrefix(s, `"`) {
		return nil, errBad("request line", s)
	}
	request, truncated := s[1:], true
	if j := strings.IndexByte(request, '"'); j >= 0 {
		request, truncated = request[:j], false
	}
	e.Method, e.Path, e.Proto = splitRequest(request, truncated)

	e.RequestID = requestIDFrom(captures[0])
	p.finishEntry(e, server, timers, retries, redispatched)
	return e, nil
}

// finishEntry fills in what an entry's timers, flags and retries say, the
// same for every layout of the fields (httplog, clf).
func (p *Parser) finishEntry(e *sources.ProxyEntry, server string, timers httpTimers, retries int64, redispatched bool) {
	e.RequestTime = -1
	if timers.Ta >= 0 {
		e.RequestTime = float64(timers.Ta) / 1000
	}
	e.UpstreamConnect = []string{seconds(timers.Tc)}
	e.UpstreamHeader = []string{seconds(timers.Tr)}
	e.Reason = reasonFor(e.Flags, server, e.Status)
	e.UpstreamContacted = contacted(e.Flags, server, timers)
	e.UpstreamAnswered = sources.Unknown
	switch {
	case timers.Tr >= 0 && e.Flags[0] == 'P' && e.Flags[1] == 'H':
		// The server's response header came but HAProxy blocked it
		// (http-response deny, a failed rewrite): the 502 is HAProxy's,
		// not the server's answer, and the flags say why.
	case timers.Tr >= 0:
		e.UpstreamAnswered = sources.Yes
	case e.UpstreamContacted != sources.No:
		e.UpstreamAnswered = sources.No
	}
	e.Detail = detail(e.Flags, server, e.Status, timers, retries, redispatched)
	e.Fields = sources.FieldUpstreamAddr | sources.FieldUpstreamConnectTime |
		sources.FieldUpstreamHeaderTime | sources.FieldRequestTime | sources.FieldFlags
	if e.RequestID != "" {
		e.Fields |= sources.FieldRequestID
	}
	if timers.Ta > 0 {
		// %tr is when the request came; nginx, Envoy and Traefik entries
		// carry the time the request ended, and the joins with app and
		// state lines (which the app writes when it answers) count back
		// from the end by the request time. HAProxy writes the line then.
		e.Time = e.Time.Add(time.Duration(timers.Ta) * time.Millisecond)
	}
	p.last = e.Time
}

// cutField returns the text before the next space and the text after it.
// An empty field (two spaces) does not match.
func cutField(s string) (field, rest string, ok bool) {
	i := strings.IndexByte(s, ' ')
	if i <= 0 {
		return "", "", false
	}
	return s[:i], s[i+1:], true
}

// parseSlashed parses exactly len(out) integers separated by '/'.
func parseSlashed(s string, out []int64) bool {
	for i := range out {
		field := s
		if i < len(out)-1 {
			j := strings.IndexByte(s, '/')
			if j < 0 {
				return false
			}
			field, s = s[:j], s[j+1:]
		}
		n, ok := parseMillis(field)
		if !ok {
			return false
		}
		out[i] = n
	}
	return true
}

// parseMillis parses a decimal integer as HAProxy logs it: "-1" for a phase
// never reached, a "+" prefix under "option logasap" or after a redispatch.
func parseMillis(s string) (int64, bool) {
	if s == "" {
		return 0, false
	}
	neg := false
	switch s[0] {
	case '+':
		s = s[1:]
	case '-':
		neg, s = true, s[1:]
	}
	if s == "" || len(s) > 18 {
		return 0, false
	}
	var n int64
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int64(c-'0')
	}
	if neg {
		n = -n
	}
	return n, true
}

// wallTime is a stamp without a zone, as written.
type wallTime struct {
	year                   int
	month                  time.Month
	day, hour, minute, sec int
	nsec                   int
	digits                 int // of the fraction, as written (3: %tr's milliseconds)
}

// parseRequestDate parses "%tr": "06/Feb/2009:12:14:14.655".
func parseRequestDate(s string) (wallTime, bool) {
	if len(s) < 20 || s[2] != '/' || s[6] != '/' || s[11] != ':' || s[14] != ':' || s[17] != ':' {
		return wallTime{}, false
	}
	month := monthIndex(s[3:6])
	if month == 0 {
		return wallTime{}, false
	}
	for _, part := range [...]string{s[0:2], s[7:11], s[12:14], s[15:17], s[18:20]} {
		if !allDigits(part) {
			return wallTime{}, false
		}
	}
	nsec := 0
	if len(s) > 20 {
		frac := s[21:]
		if s[20] != '.' || !allDigits(frac) || len(frac) > 9 {
			return wallTime{}, false
		}
		nsec = atoi2(frac)
		for range 9 - len(frac) {
			nsec *= 10
		}
	}
	w := wallTime{year: atoi2(s[7:11]), month: time.Month(month), day: atoi2(s[0:2]),
		hour: atoi2(s[12:14]), minute: atoi2(s[15:17]), sec: atoi2(s[18:20]), nsec: nsec, digits: max(len(s)-21, 0)}
	if w.day < 1 || w.day > 31 || w.hour > 23 || w.minute > 59 || w.sec > 60 {
		return wallTime{}, false
	}
	return w, true
}

// headerSlack is how far the end of a request, read at the syslog
// header's offset, may lie from the header's own time for the offset to
// be taken as the zone of %tr: HAProxy writes the line as the request
// ends (Ta after %tr) and the header a moment later. Zones differ by 15
// minutes at least.
const headerSlack = 10 * time.Minute

// requestTime reads "%tr", which has no zone. At the offset of the syslog
// header when it has one (an RFC 3339 or RFC 5424 stamp, as rsyslog's
// high-precision template and HAProxy's "format rfc5424" write it): the
// line's own offset; read in TZ, a log written at +02:00 beside an app
// logging in UTC was 2 h off, and no app line joined. Else, and when the
// request's end (ta ms later) read so is not within headerSlack of the
// header's time (a collector in another zone that stamps a line when it
// receives it; a request over a DST change), by the clock in
// ParserOptions.Loc(), as without a header. The bool says the header's
// offset was taken (sources.ProxyEntry.ZoneFromLine).
func (p *Parser) requestTime(w wallTime, env envelope, ta int64) (time.Time, bool) {
	if off, ok := env.offset(); ok {
		t := time.Date(w.year, w.month, w.day, w.hour, w.minute, w.sec, w.nsec, zoneFor(off))
		header, err := time.Parse(time.RFC3339Nano, env.stamp)
		d := header.Sub(t.Add(time.Duration(max(ta, 0)) * time.Millisecond))
		if err == nil && d > -headerSlack && d < headerSlack {
			// In TZ's location when TZ has that offset then, as
			// without the header: the same instant, printed the same.
			if local := t.In(p.clock.Location()); zoneOffset(local) == off {
				return local, true
			}
			return t, true
		}
	}
	return p.clock.Date(w.year, w.month, w.day, w.hour, w.minute, w.sec, w.nsec), false
}

func zoneOffset(t time.Time) int {
	_, off := t.Zone()
	return off
}

// endOfCapture returns the index of the '}' closing the capture block at
// the start of s: the first one followed by a space or the end of the line.
func endOfCapture(s string) int {
	for i := 1; i < len(s); i++ {
		if s[i] == '}' && (i+1 == len(s) || s[i+1] == ' ') {
			return i
		}
	}
	return -1
}

// splitRequest splits a request line into method, target and protocol,
// decoding HAProxy's "#XX" escapes. "<BADREQ>" (nothing parseable was
// received) gives three empty strings. A truncated line has no protocol.
func splitRequest(r string, truncated bool) (method, path, proto string) {
	if r == "<BADREQ>" || r == "" {
		return "", "", ""
	}
	i := strings.IndexByte(r, ' ')
	if i < 0 {
		return unescape(r), "", ""
	}
	method, rest := r[:i], r[i+1:]
	if !truncated {
		if j := strings.LastIndexByte(rest, ' '); j >= 0 && strings.HasPrefix(rest[j+1:], "HTTP/") {
			rest, proto = rest[:j], rest[j+1:]
		}
	}
	return unescape(method), unescape(rest), proto
}

// unescape decodes HAProxy's "#XX" escapes. HAProxy writes every '#' as
// "#23", so decoding is exact: "#22" is a '"' the client sent.
func unescape(s string) string {
	if strings.IndexByte(s, '#') < 0 {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); i++ {
		if s[i] == '#' && i+2 < len(s) {
			if hi, lo := unhex(s[i+1]), unhex(s[i+2]); hi >= 0 && lo >= 0 {
				b.WriteByte(byte(hi<<4 | lo))
				i += 2
				continue
			}
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

func unhex(c byte) int {
	switch {
	case c >= '0' && c <= '9':
		return int(c - '0')
	case c >= 'A' && c <= 'F':
		return int(c-'A') + 10
	case c >= 'a' && c <= 'f':
		return int(c-'a') + 10
	}
	return -1
}

// requestIDFrom returns the captured request header that holds the
// request id: the first capture when it looks like one (looksLikeID), else
// the first later capture made of hex digits and separators only (a UUID,
// a 32-hex id, HAProxy's unique-id). Configurations capture the Host or
// User-Agent first as often as the id ("{Mozilla/5.0 …|4f7c…}"); the later
// captures are held to the stricter shape, as a cookie or token there
// would pass the looser one.
func requestIDFrom(block string) string {
	for i := 0; block != ""; i++ {
		field, rest, _ := strings.Cut(block, "|")
		if isIDAt(i, field) {
			return field
		}
		block = rest
	}
	return ""
}

// isIDAt says whether the capture at place i of a block is the request
// id by its shape (requestIDFrom).
func isIDAt(i int, field string) bool {
	return i == 0 && looksLikeID(field) || i > 0 && looksLikeHexID(field)
}

// looksLikeHexID accepts 16+ hex digits with '-', '_' or ':' between them.
func looksLikeHexID(s string) bool {
	if len(s) < 16 || len(s) > 128 {
		return false
	}
	hexDigits := 0
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case isDigit(c) || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F':
			hexDigits++
		case c == '-' || c == '_' || c == ':':
		default:
			return false
		}
	}
	return hexDigits >= 16
}

// looksLikeID accepts hex ids, UUIDs and HAProxy's default unique-id
// ("7F000001:A5C2_7F000001:1F90_65A1B2C3_0001:1A2B"): 16+ hex digits with
// '-', '_', ':' between them; and ULID/KSUID-like tokens: 20+ letters and
// digits with both present. Host names and user agents fail both.
func looksLikeID(s string) bool {
	if len(s) < 16 || len(s) > 128 {
		return false
	}
	hexDigits, letters, digits, other := 0, 0, 0, 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case isDigit(c):
			hexDigits++
			digits++
		case c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F':
			hexDigits++
			letters++
		case c >= 'g' && c <= 'z' || c >= 'G' && c <= 'Z':
			letters++
		case c == '-' || c == '_' || c == ':':
			other++
		default:
			return false
		}
	}
	if hexDigits+other == len(s) && hexDigits >= 16 {
		return true
	}
	return other == 0 && len(s) >= 20 && letters > 0 && digits > 0
}

// seconds formats a millisecond timer as nginx-style seconds; -1 is "-".
func seconds(ms int64) string {
	if ms < 0 {
		return "-"
	}
	return strconv.FormatFloat(float64(ms)/1000, 'f', 3, 64)
}

// reasonFor maps the termination state to a reason (formats.md §3.2).
func reasonFor(flags, server string, status int) sources.Reason {
	who, phase := flags[0], flags[1]
	switch who {
	case 'C', 'c':
		return sources.ReasonClientAbort
	case 'S', 'D':
		switch phase {
		case 'C':
			if server == noServer {
				return sources.ReasonNoLiveUpstreams
			}
			return sources.ReasonRefused
		case 'H':
			return sources.ReasonReset
		case 'D', 'L':
			return sources.ReasonAfterHeaders
		}
	case 's':
		switch phase {
		case 'C':
			return sources.ReasonConnectTimeout
		case 'Q':
			return sources.ReasonProxyRejected
		case 'H':
			return sources.ReasonReadTimeout
		case 'D', 'L':
			return sources.ReasonAfterHeaders
		}
	case 'P':
		switch {
		case phase == 'H' && status == 500:
			// HAProxy's own http-response rule failed to rewrite the
			// server's response (formats.md §3.2 "500 if header rewrite
			// failed"): not a response it could not use.
			return sources.ReasonNone
		case phase == 'H':
			return sources.ReasonBadResponse
		case phase == 'T':
			return sources.ReasonProxyRejected
		}
		if status == 429 || status == 503 {
			return sources.ReasonProxyRejected
		}
	case 'R', 'L':
		if status == 429 || status == 503 {
			return sources.ReasonProxyRejected
		}
	}
	return sources.ReasonNone
}

// contacted says whether the request went to a server: not when none was
// selected or the session ended before the connect phase; yes once a connect
// was attempted (a refused or timed-out connect counts: the server was tried).
func contacted(flags, server string, t httpTimers) sources.Tri {
	switch {
	case server == noServer:
		return sources.No
	case t.Tc >= 0:
		return sources.Yes
	}
	switch flags[1] {
	case 'R', 'Q', 'T':
		return sources.No
	case 'C':
		return sources.Yes
	}
	return sources.Unknown
}

var whoText = map[byte]string{
	'C': "client aborted",
	'S': "server aborted or refused",
	'P': "proxy blocked",
	'L': "proxy answered locally",
	'R': "proxy ran out of resources",
	'I': "proxy internal error",
	'D': "server went down and its sessions were killed",
	'U': "backup server went down and its sessions were killed",
	'K': "session killed by an admin",
	'c': "client timeout",
	's': "server timeout",
}

var phaseText = map[byte]string{
	'R': "while receiving the request",
	'Q': "while waiting in the queue",
	'C': "while connecting to the server",
	'H': "while waiting for the response headers",
	'D': "during the data phase",
	'L': "while sending the last data",
	'T': "in the tarpit",
}

// detail returns a short text of the termination state and retries.
func detail(flags, server string, status int, t httpTimers, retries int64, redispatched bool) string {
	var text string
	switch flags[:2] {
	case "--":
	case "SC":
		if server == noServer {
			text = "no server available in the backend (" + noServer + ")"
		} else {
			text = "server refused or reset the connection at connect, Tc=" + strconv.FormatInt(t.Tc, 10)
		}
	case "sC":
		text = "timeout while connecting to the server (timeout connect)"
	case "sQ":
		text = "timeout while waiting in the queue (timeout queue, server maxconn)"
	case "SH":
		text = "server closed or reset the connection before the full response headers"
	case "sH":
		text = "server did not send the response headers in time (timeout server)"
	case "PH":
		text = "proxy rejected the server's response headers (invalid or blocked)"
		if status == 500 {
			text = "proxy failed to rewrite the server's response headers (an http-response rule)"
		}
	case "SD":
		text = "server closed or reset the connection after the headers, status unchanged"
	case "sD":
		text = "server timeout after the headers, status unchanged"
	case "PR":
		text = "proxy blocked the request (deny rule or invalid request)"
	case "PT":
		text = "proxy tarpitted the request"
	case "LR", "LH":
		text = "proxy answered locally (redirect, return, stats, Lua)"
	default:
		who, known := whoText[flags[0]]
		if !known {
			who = "termination state " + flags[:1]
		}
		text = who
		if ph, ok := phaseText[flags[1]]; ok {
			text += " " + ph
		}
	}
	if text != "" {
		text = flags + ": " + text
	}
	if retries > 0 {
		r := "retried " + strconv.FormatInt(retries, 10)
		if redispatched {
			r += ", redispatched"
		}
		if text == "" {
			return r
		}
		return text + "; " + r
	}
	return text
}

// detect scores a sample line: 100 for an httplog line, 80 for a server or
// backend state message, 40 for other lines HAProxy's wrappers vouch for.
func detect(line string) int {
	if isContinuation(line) || isProxyStartStop(line) {
		// Read as HAProxy's in a stream decided as HAProxy's, but bare they
		// say too little to tell whose stream it is ("   | " is also how
		// compilers draw source lines).
		return 0
	}
	p := &Parser{clock: sources.NewLocalClock(time.UTC), now: time.Now}
	rec, err := p.Parse(line)
	if err != nil {
		return 0
	}
	switch r := rec.(type) {
	case *sources.ProxyEntry:
		return 100
	case *sources.ProxyError:
		if r.Action != "" {
			return 80
		}
		return 40
	}
	return 0
}
