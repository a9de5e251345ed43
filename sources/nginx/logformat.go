// Package nginx parses nginx access logs (stock formats, ingress-nginx, any
// user log_format, escape=json lines) and the nginx error log, and reads
// log_format/access_log pairs out of an nginx config.
package nginx

// logformat.go compiles an nginx log_format string into a matcher.
//
// The rules (formats.md §1.1):
//   - The config reader has already turned \" \' \\ into the bare character
//     and \t \r \n into control characters; Compile does the same first.
//   - A variable is $name or ${name}, name = [A-Za-z0-9_]+; everything else
//     is literal text that must appear as is.
//   - A variable's value ends at the next literal. Where the literal could
//     also occur inside the value, the shape of the variable decides:
//     $status is three digits, upstream lists may hold ", " and " : ", and in
//     escape=default no value holds a raw '"' (nginx writes \x22). When a
//     candidate end fails later, the matcher tries the next occurrence (a
//     bounded backtrack, like a lazy regexp), and the last variable takes
//     everything up to the final literal.
//   - Unknown variables are matched like any other and ignored.

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf16"
	"unicode/utf8"

	"fivexx/sources"
)

// escapeMode is the log_format escape= parameter.
type escapeMode uint8

const (
	escapeDefault escapeMode = iota // \xHH for '"', '\', controls and bytes >= 0x80; missing = "-"
	escapeJSON                      // JSON string escapes; missing = ""
	escapeNone                      // nothing escaped; missing = ""
)

func parseEscape(s string) (escapeMode, error) {
	switch s {
	case "", "default":
		return escapeDefault, nil
	case "json":
		return escapeJSON, nil
	case "none":
		return escapeNone, nil
	}
	return 0, fmt.Errorf("unknown escape mode %q (want default, json or none)", s)
}

// varKind says which entry field a variable fills.
type varKind uint8

const (
	varOther varKind = iota
	varRemoteAddr
	varRemotePort
	varTimeLocal
	varTimeISO
	varMsec
	varRequest
	varRequestMethod
	varRequestURI
	varURI
	varArgs
	varURIArgs // $uri$is_args$args, merged at compile time
	varProtocol
	varStatus
	varBodyBytes
	varBytesSent
	varRequestTime
	varRequestID
	varHTTPRequestID
	varReqID
	varConnection
	varHost
	varHTTPHost
	varUserAgent
	varUpstreamAddr
	varUpstreamStatus
	varUpstreamConnect
	varUpstreamHeader
	varUpstreamResponse
	varUpstreamLength // $upstream_response_length
	varUpstreamList   // other upstream lists: bytes
	varProxyUpstreamName
)

// shape is what a variable's value looks like, used to find where it ends.
type shape uint8

const (
	shapeAny       shape = iota
	shapeNoSpace         // addresses, ids
	shapeStatus          // three digits
	shapeTimeLocal       // 02/Jan/2006:15:04:05 -0700
	shapeTimeISO         // 2006-01-02T15:04:05-07:00
	shapeDigits          // 123
	shapeDecimal         // 123 or 123.456
	shapeList            // "a, b : c": upstream lists
	shapeRaw             // anything, quotes included: the key=value tail of nginx-upstream
)

// kvTailVar is the pseudo-variable that takes the rest of a line as is; the
// nginx-upstream format puts it after combined.
const kvTailVar = "fivexx_kv_tail"

type varInfo struct {
	kind  varKind
	shape shape
}

// knownVars maps variable names to what they fill and how they look.
var knownVars = map[string]varInfo{
	"remote_addr":              {varRemoteAddr, shapeNoSpace},
	"remote_port":              {varRemotePort, shapeNoSpace},
	"time_local":               {varTimeLocal, shapeTimeLocal},
	"time_iso8601":             {varTimeISO, shapeTimeISO},
	"msec":                     {varMsec, shapeDecimal},
	"request":                  {varRequest, shapeAny},
	"request_method":           {varRequestMethod, shapeNoSpace},
	"request_uri":              {varRequestURI, shapeAny},
	"uri":                      {varURI, shapeAny},
	"document_uri":             {varURI, shapeAny},
	"args":                     {varArgs, shapeAny},
	"query_string":             {varArgs, shapeAny},
	"server_protocol":          {varProtocol, shapeNoSpace},
	"status":                   {varStatus, shapeStatus},
	"body_bytes_sent":          {varBodyBytes, shapeDigits},
	"bytes_sent":               {varBytesSent, shapeDigits},
	"request_length":           {varOther, shapeDigits},
	"connection_requests":      {varOther, shapeDigits},
	"request_time":             {varRequestTime, shapeDecimal},
	"request_id":               {varRequestID, shapeNoSpace},
	"http_x_request_id":        {varHTTPRequestID, shapeAny},
	"req_id":                   {varReqID, shapeNoSpace},
	"connection":               {varConnection, shapeDigits},
	"host":                     {varHost, shapeAny},
	"http_host":                {varHTTPHost, shapeAny},
	"http_user_agent":          {varUserAgent, shapeAny},
	"upstream_addr":            {varUpstreamAddr, shapeList},
	"upstream_status":          {varUpstreamStatus, shapeList},
	"upstream_connect_time":    {varUpstreamConnect, shapeList},
	"upstream_header_time":     {varUpstreamHeader, shapeList},
	"upstream_response_time":   {varUpstreamResponse, shapeList},
	"upstream_response_length": {varUpstreamLength, shapeList},
	"upstream_bytes_received":  {varUpstreamList, shapeList},
	"upstream_bytes_sent":      {varUpstreamList, shapeList},
	"upstream_cache_status":    {varOther, shapeNoSpace},
	"proxy_upstream_name":      {varProxyUpstreamName, shapeAny},
}

// field is one variable of a compiled format and the literal after it.
type field struct {
	name  string
	kind  varKind
	shape shape
	next  string // literal after the variable; "" when a variable or the end follows
	last  bool   // no variable follows
}

// backtrackBudget bounds how many candidate ends one line may try, so a
// hostile line cannot make matching exponential.
const backtrackBudget = 256

// AccessParser parses access-log lines written with one nginx log_format.
// It implements sources.Parser; like every parser it is used by one
// goroutine at a time (it reuses scratch space and caches timestamps and
// decoded user agents).
type AccessParser struct {
	format  string
	escape  escapeMode
	lead    string // literal before the first variable
	fields  []field
	set     sources.FieldSet
	ingress bool // logs $proxy_upstream_name (ingress-nginx)

	// combinedLead says the format starts like combined, so match may try
	// matchCombined before the general matcher (fastpath.go).
	combinedLead bool
	// plainCombined says the format is combined followed only by variables
	// that fill nothing (main, nginx-upstream's tail), so assign can set
	// the entry straight from the combined values (fillCombined).
	plainCombined bool
	// quotes is how many '"' every matching line holds, or -1 when values
	// may hold quotes too (see quoteCount).
	quotes int
	// listSlots says entries carry room for their upstream lists inline.
	listSlots bool
	// nums is what matchCombined read besides the values, for
	// fillCombined; matchGeneral clears nums.ok, as the general matcher
	// may take other values.
	nums combinedNums

	vals   []string // scratch: one value per field
	budget int
	// slot, during ParseSlot, is where the entry goes.
	slot   *sources.ProxySlot
	times  timeCache
	agents agentCache
	// errLines reads the error lines in its stream (stream.go): nil in a
	// parser inside another, or borrowed by detection.
	errLines *errorLines
}

// Compile turns an nginx log_format string, as written in the config (all
// its quoted pieces joined), into a parser. escape is the log_format escape=
// mode: "default" (or ""), "json" or "none".
func Compile(format string, escape string) (*AccessParser, error) {
	mode, err := parseEscape(escape)
	if err != nil {
		return nil, fmt.Errorf("log_format: %w", err)
	}
	p := &AccessParser{format: format, escape: mode}
	lits, names, err := tokenize(configUnescape(format))
	if err != nil {
		return nil, fmt.Errorf("log_format: %w", err)
	}
	if len(names) == 0 {
		return nil, errors.New("log_format: no variables in the format")
	}
	p.lead = lits[0]
	for i := 0; i < len(names); i++ {
		name, next := names[i], lits[i+1]
		// $uri$is_args$args is a common way to log the target; it reads as
		// one value because $is_args is "?" exactly when $args is non-empty.
		if name == "uri" && next == "" && i+2 < len(names) && names[i+1] == "is_args" &&
			lits[i+2] == "" && (names[i+2] == "args" || names[i+2] == "query_string") {
			p.fields = append(p.fields, field{name: "uri$is_args$args", kind: varURIArgs, shape: shapeAny, next: lits[i+3]})
			i += 2
			continue
		}
		info := varInfoFor(name)
		p.fields = append(p.fields, field{name: name, kind: info.kind, shape: info.shape, next: next})
	}
	p.fields[len(p.fields)-1].last = true
	for i, f := range p.fields {
		if f.next == "" && !f.last && !f.shape.selfDelimiting() {
			return nil, fmt.Errorf("log_format: cannot tell where $%s ends: $%s follows it with nothing between",
				f.name, p.fields[i+1].name)
		}
		p.set |= fieldFor(f.kind)
		if f.kind == varProxyUpstreamName {
			p.ingress = true
		}
		if splitsList(f.kind) {
			p.listSlots = true
		}
	}
	p.vals = make([]string, len(p.fields))
	p.combinedLead = startsLikeCombined(p)
	p.plainCombined = p.combinedLead && hasCombinedKinds(p.fields)
	p.quotes = quoteCount(p)
	return p, nil
}

// Fields returns the attribution fields the format logs.
func (p *AccessParser) Fields() sources.FieldSet { return p.set }

// Format returns the log_format string the parser was compiled from.
func (p *AccessParser) Format() string { return p.format }

// Parse implements sources.Parser.
func (p *AccessParser) Parse(line string) (sources.Record, error) {
	e := p.entry(line)
	if e == nil {
		return p.errLines.failed(line, sources.ErrNoMatch, p.slot == nil) // an error line in the stream?
	}
	p.errLines.accessLine(e.Time)
	return e, nil
}

// ParseSlot implements sources.SlotParser.
func (p *AccessParser) ParseSlot(line string, s *sources.ProxySlot) (sources.Record, error) {
	p.slot = s
	e := p.entry(line)
	p.slot = nil
	if e == nil {
		return p.errLines.failed(line, sources.ErrNoMatch, false) // an error line in the stream?
	}
	p.errLines.accessLine(e.Time)
	return e, nil
}

// entry returns the entry of a line that fits the format (in the slot
// during ParseSlot), nil for any other.
func (p *AccessParser) entry(line string) *sources.ProxyEntry {
	if !p.match(line) {
		return nil
	}
	e, upstreamName, _ := p.assign(line)
	// derive works out the upstream fields, which a plainCombined format
	// does not log: no lists, no upstream name, none of the fields it
	// reads. It would leave the entry as it is.
	if !p.plainCombined {
		derive(e, upstreamName, p.ingress)
	}
	return e
}

// slotEntry returns the entry of slot s, cleared (a slot comes with the
// entry of the line it held before: sources.SlotParser), and an arena over
// the slot's list room, grown to elems elements when smaller.
func slotEntry(s *sources.ProxySlot, elems int) (*sources.ProxyEntry, listArena) {
	s.Entry = sources.ProxyEntry{}
	return slotEntryAsIs(s, elems)
}

// slotEntryAsIs is slotEntry without the clearing, for a fill that sets
// every field itself (see newEntry).
func slotEntryAsIs(s *sources.ProxySlot, elems int) (*sources.ProxyEntry, listArena) {
	if cap(s.Lists) < elems {
		s.Lists = make([]string, 0, max(elems, manyListSlots))
	}
	return &s.Entry, listArena{buf: s.Lists[:0]}
}

// newEntry is slotEntry for a slot s (during ParseSlot), else
// newEntryForLists; with asIs, slotEntryAsIs: for a line of the usual
// shape (UpstreamParser.parse), whose fill, fillCombined and
// finishUsualShape, sets every field (TestParseSlotEqualsParse, on dirty slots).
// Clearing the whole entry, 376 bytes, was about 50 instructions a line
// (callgrind), and while the collector marks, a barrier over each of its
// pointers. (A method, as the profile cmd/fivexx/default.pgo knows it by
// that name: see UpstreamParser.parse.)
func (p *AccessParser) newEntry(s *sources.ProxySlot, elems int, asIs bool) (*sources.ProxyEntry, listArena) {
	if s != nil {
		if asIs {
			return slotEntryAsIs(s, elems)
		}
		return slotEntry(s, elems)
	}
	return newEntryForLists(elems)
}

// varInfoFor returns what a variable fills; prefix families and unknown
// variables fill nothing and may hold anything.
func varInfoFor(name string) varInfo {
	if info, ok := knownVars[name]; ok {
		return info
	}
	if name == kvTailVar {
		return varInfo{varOther, shapeRaw}
	}
	if strings.HasPrefix(name, "upstream_") && !strings.HasPrefix(name, "upstream_http_") &&
		!strings.HasPrefix(name, "upstream_cookie_") && !strings.HasPrefix(name, "upstream_trailer_") {
		// Per-attempt variables of newer nginx versions are lists too.
		return varInfo{varUpstreamList, shapeList}
	}
	return varInfo{varOther, shapeAny}
}

func fieldFor(k varKind) sources.FieldSet {
	switch k {
	case varUpstreamAddr:
		return sources.FieldUpstreamAddr
	case varUpstreamStatus:
		return sources.FieldUpstreamStatus
	case varUpstreamConnect:
		return sources.FieldUpstreamConnectTime
	case varUpstreamHeader:
		return sources.FieldUpstreamHeaderTime
	case varUpstreamResponse:
		return sources.FieldUpstreamResponseTime
	case varRequestTime:
		return sources.FieldRequestTime
	case varRequestID, varHTTPRequestID, varReqID:
		return sources.FieldRequestID
	case varConnection:
		return sources.FieldConn
	}
	return 0
}

// configUnescape does what nginx's config reader does to a quoted string:
// \" \' \\ become the bare character, \t \r \n control characters; any
// other backslash stays.
func configUnescape(s string) string {
	if strings.IndexByte(s, '\\') < 0 {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == '\\' && i+1 < len(s) {
			switch s[i+1] {
			case '"', '\'', '\\':
				b.WriteByte(s[i+1])
				i++
				continue
			case 't':
				b.WriteByte('\t')
				i++
				continue
			case 'r':
				b.WriteByte('\r')
				i++
				continue
			case 'n':
				b.WriteByte('\n')
				i++
				continue
			}
		}
		b.WriteByte(c)
	}
	return b.String()
}

// tokenize splits a format into literals and variable names:
// lits[0] name[0] lits[1] name[1] ... lits[n], len(lits) = len(names)+1.
func tokenize(s string) (lits, names []string, err error) {
	var lit strings.Builder
	for i := 0; i < len(s); {
		if s[i] != '$' {
			lit.WriteByte(s[i])
			i++
			continue
		}
		var name string
		if i+1 < len(s) && s[i+1] == '{' {
			end := strings.IndexByte(s[i+2:], '}')
			if end < 0 {
				return nil, nil, fmt.Errorf("unclosed ${ at byte %d", i)
			}
			name = s[i+2 : i+2+end]
			if name == "" || !isVarName(name) {
				return nil, nil, fmt.Errorf("invalid variable name %q at byte %d", name, i)
			}
			i += 3 + end
		} else {
			j := i + 1
			for j < len(s) && isVarByte(s[j]) {
				j++
			}
			if j == i+1 {
				return nil, nil, fmt.Errorf("invalid variable name at byte %d: $ must be followed by a name", i)
			}
			name = s[i+1 : j]
			i = j
		}
		lits = append(lits, lit.String())
		lit.Reset()
		names = append(names, name)
	}
	lits = append(lits, lit.String())
	return lits, names, nil
}

func isVarByte(c byte) bool {
	return c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

func isVarName(s string) bool {
	for i := 0; i < len(s); i++ {
		if !isVarByte(s[i]) {
			return false
		}
	}
	return true
}

// selfDelimiting reports whether a value of this shape can be measured
// without a literal after it.
func (s shape) selfDelimiting() bool {
	switch s {
	case shapeStatus, shapeTimeLocal, shapeTimeISO, shapeDigits, shapeDecimal:
		return true
	}
	return false
}

// prefixLen returns the length of the value of this shape at the start of
// s, or -1. Only self-delimiting shapes are measured.
func (s shape) prefixLen(v string) int {
	switch s {
	case shapeStatus:
		if len(v) >= 3 && isDigits(v[:3]) {
			return 3
		}
	case shapeTimeLocal:
		if len(v) >= 26 && s.valid(v[:26]) {
			return 26
		}
	case shapeTimeISO:
		if len(v) >= 25 && s.valid(v[:25]) {
			return 25
		}
	case shapeDigits, shapeDecimal:
		n := 0
		for n < len(v) && v[n] >= '0' && v[n] <= '9' {
			n++
		}
		if n == 0 {
			return -1
		}
		if s == shapeDecimal && n+1 < len(v) && v[n] == '.' && v[n+1] >= '0' && v[n+1] <= '9' {
			n++
			for n < len(v) && v[n] >= '0' && v[n] <= '9' {
				n++
			}
		}
		return n
	}
	return -1
}

// valid reports whether v can be a value of this shape.
func (s shape) valid(v string) bool {
	switch s {
	case shapeNoSpace:
		return strings.IndexByte(v, ' ') < 0
	case shapeStatus:
		return len(v) == 3 && isDigits(v)
	case shapeTimeLocal:
		return len(v) == 26 && v[2] == '/' && v[6] == '/' && v[11] == ':' && v[14] == ':' &&
			v[17] == ':' && v[20] == ' ' && (v[21] == '+' || v[21] == '-')
	case shapeTimeISO:
		return len(v) == 25 && v[4] == '-' && v[7] == '-' && v[10] == 'T' && v[13] == ':'
	case shapeDigits:
		return v != "" && isDigits(v)
	case shapeDecimal:
		return v != "" && shapeDecimal.prefixLen(v) == len(v)
	}
	return true
}

func isDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// match fills p.vals from line; it reports whether the line fits the format.
func (p *AccessParser) match(line string) bool {
	if p.combinedLead {
		if pos, ok := p.matchCombined(line, (*combinedValues)(p.vals)); ok {
			// matchCombined took the candidates the general matcher tries
			// first, without spending budget, so the rest matches as it
			// would there. When the rest fails, the general matcher would
			// backtrack into the combined fields: start it over.
			p.budget = backtrackBudget
			if p.fields[combinedFields-1].last || p.matchFrom(line, pos, combinedFields) {
				return true
			}
		}
	}
	return p.matchGeneral(line)
}

// matchGeneral is match without matchCombined.
func (p *AccessParser) matchGeneral(line string) bool {
	p.nums.ok = false
	if p.quotes >= 0 && strings.Count(line, `"`) != p.quotes {
		return false
	}
	if !strings.HasPrefix(line, p.lead) {
		return false
	}
	p.budget = backtrackBudget
	return p.matchFrom(line, len(p.lead), 0)
}

func (p *AccessParser) matchFrom(line string, pos, k int) bool {
	f := &p.fields[k]
	rest := line[pos:]
	if f.last {
		if !strings.HasSuffix(rest, f.next) {
			return false
		}
		v := rest[:len(rest)-len(f.next)]
		if !p.accept(f, v) {
			return false
		}
		p.vals[k] = v
		return true
	}
	if f.next == "" {
		n := f.shape.prefixLen(rest)
		if n < 0 {
			return false
		}
		p.vals[k] = rest[:n]
		return p.matchFrom(line, pos+n, k+1)
	}
	for from := 0; ; {
		i := strings.Index(rest[from:], f.next)
		if i < 0 {
			return false
		}
		i += from
		v := rest[:i]
		if p.accept(f, v) && !(f.shape == shapeList && insideListSeparator(rest, i)) {
			p.vals[k] = v
			if p.matchFrom(line, pos+i+len(f.next), k+1) {
				return true
			}
		} else if p.hopeless(f, v) {
			return false
		}
		p.budget--
		if p.budget <= 0 {
			return false
		}
		from = i + 1
	}
}

// accept reports whether v can be the value of f in this escape mode.
func (p *AccessParser) accept(f *field, v string) bool {
	if f.shape == shapeRaw {
		return true
	}
	switch p.escape {
	case escapeDefault:
		// nginx writes '"' as \x22, so a raw quote ends every value.
		if strings.IndexByte(v, '"') >= 0 {
			return false
		}
	case escapeJSON:
		if jsonBareQuote(v) {
			return false
		}
	}
	return f.shape.valid(v)
}

// hopeless reports whether no longer candidate for f can be accepted either,
// so the search can stop early.
func (p *AccessParser) hopeless(f *field, v string) bool {
	switch {
	case p.escape == escapeDefault && strings.IndexByte(v, '"') >= 0:
		return true
	case f.shape == shapeStatus && len(v) > 3, f.shape == shapeTimeLocal && len(v) > 26,
		f.shape == shapeTimeISO && len(v) > 25:
		return true
	case (f.shape == shapeNoSpace || f.shape == shapeDigits || f.shape == shapeDecimal) && strings.IndexByte(v, ' ') >= 0:
		return true
	}
	return false
}

// jsonBareQuote reports whether v holds a '"' that escape=json would have
// escaped, or ends inside an escape (an odd run of backslashes).
func jsonBareQuote(v string) bool {
	bs := 0
	for i := 0; i < len(v); i++ {
		switch v[i] {
		case '\\':
			bs++
			continue
		case '"':
			if bs%2 == 0 {
				return true
			}
		}
		bs = 0
	}
	return bs%2 == 1
}

// insideListSeparator reports whether position i of s lies inside a ", " or
// " : " that separates upstream list elements, so a literal found there is
// not the end of the list.
func insideListSeparator(s string, i int) bool {
	if strings.HasPrefix(s[i:], ", ") || strings.HasPrefix(s[i:], " : ") {
		return i > 0 // an empty list followed by ", " is the literal
	}
	if i >= 1 && s[i] == ' ' && s[i-1] == ',' {
		return true
	}
	if i >= 1 && strings.HasPrefix(s[i-1:], " : ") {
		return true
	}
	return i >= 2 && strings.HasPrefix(s[i-2:], " : ")
}

// assign builds the entry from the matched values. It returns the
// $proxy_upstream_name value for derive.
func (p *AccessParser) assign(line string) (e *sources.ProxyEntry, upstreamName string, lists listArena) {
	if p.listSlots || p.slot != nil {
		e, lists = p.newEntry(p.slot, inlineListSlots, false)
	} else {
		e = new(sources.ProxyEntry)
	}
	return e, p.fill(e, line, &lists), lists
}

// fill sets a zero entry from the matched values, taking its lists from
// lists. It returns the $proxy_upstream_name value for derive.
func (p *AccessParser) fill(e *sources.ProxyEntry, line string, lists *listArena) (upstreamName string) {
	if p.plainCombined {
		v := (*combinedValues)(p.vals)
		if !p.nums.ok {
			// The general matcher's values: what matchCombined reads.
			p.nums = combinedNums{status: atoiSmall(v[4]), body: -1}
			if n, ok := parseInt(v[5]); ok {
				p.nums.body = n
			}
		}
		p.fillCombined(e, line, v)
		return ""
	}
	e.BodyBytes, e.RequestTime, e.Fields, e.Raw = -1, -1, p.set, line
	var (
		timeLocal, timeISO, msec        string
		request, method, reqURI, proto  string
		uri, args, uriArgs              string
		reqID, httpReqID, ingressReqID  string
		host, httpHost                  string
		length                          string
		haveBody, haveBytes             bool
		body, bytesSent                 int64
		haveURI, haveArgs, haveRequest  bool
		haveReqURI, haveURIArgs, haveTm bool
	)
	for k := range p.fields {
		v := p.vals[k]
		switch p.fields[k].kind {
		case varRemoteAddr:
			e.Client = v
		case varRemotePort:
			e.ClientPort = dash(v)
		case varTimeLocal:
			timeLocal, haveTm = v, true
		case varTimeISO:
			timeISO, haveTm = v, true
		case varMsec:
			msec, haveTm = v, true
		case varRequest:
			request, haveRequest = v, true
		case varRequestMethod:
			method = v
		case varRequestURI:
			reqURI, haveReqURI = v, true
		case varURI:
			uri, haveURI = v, true
		case varArgs:
			args, haveArgs = v, true
		case varURIArgs:
			uriArgs, haveURIArgs = v, true
		case varProtocol:
			proto = dash(v)
		case varStatus:
			e.Status = atoiSmall(v)
		case varBodyBytes:
			body, haveBody = parseInt(v)
		case varBytesSent:
			bytesSent, haveBytes = parseInt(v)
		case varRequestTime:
			e.RequestTime = parseSeconds(v)
		case varRequestID:
			reqID = v
		case varHTTPRequestID:
			httpReqID = v
		case varReqID:
			ingressReqID = v
		case varConnection:
			e.Conn = dash(v)
		case varHost:
			host = v
		case varHTTPHost:
			httpHost = v
		case varUserAgent:
			if p.escape == escapeDefault {
				e.UserAgent = p.agents.decodeHex(dash(v))
			} else {
				e.UserAgent = p.decode(dash(v))
			}
		case varUpstreamAddr:
			e.UpstreamAddr = lists.split(v)
			e.UpstreamAddrRaw = rawAddrList(v, len(e.UpstreamAddr))
		case varUpstreamStatus:
			e.UpstreamStatus = lists.split(v)
			e.UpstreamStatusRaw = v
		case varUpstreamConnect:
			e.UpstreamConnect = lists.split(v)
		case varUpstreamHeader:
			e.UpstreamHeader = lists.split(v)
		case varUpstreamResponse:
			e.UpstreamResponse = lists.split(v)
		case varUpstreamLength:
			length = v // read once the status list says which group is the request's
		case varProxyUpstreamName:
			upstreamName = v
		}
	}
	if length != "" {
		e.UpstreamBodyless = bodyless(ownGroupText(length, e.UpstreamStatusRaw, e.Status))
	}
	if haveTm {
		switch {
		case msec != "":
			e.Time = parseMsec(msec)
			e.TimePrecision = sources.FractionIn(msec) // .000 is a millisecond
		case timeISO != "":
			e.Time = p.times.iso(timeISO)
		case timeLocal != "":
			e.Time = p.times.local(timeLocal)
		}
	}
	switch {
	case haveRequest:
		e.Method, e.Path, e.Proto = splitRequest(p.decode(request))
	case haveReqURI:
		e.Path = p.decode(dash(reqURI))
	case haveURIArgs:
		e.Path = p.decode(dash(uriArgs))
	case haveURI:
		e.Path = p.decode(dash(uri))
		if a := dash(args); haveArgs && a != "" && e.Path != "" {
			e.Path += "?" + p.decode(a)
		}
	}
	if e.Method == "" && method != "" && isMethod(method) {
		e.Method = method
	}
	if e.Proto == "" {
		e.Proto = proto
	}
	switch {
	case haveBody:
		e.BodyBytes = body
	case haveBytes:
		e.BodyBytes = bytesSent
	}
	e.RequestID = p.decode(firstID(ingressReqID, httpReqID, reqID))
	e.Host = p.decode(firstID(httpHost, host))
	return dash(upstreamName)
}

// combinedKinds is what the combined fields fill, in order.
var combinedKinds = [combinedFields]varKind{
	varRemoteAddr, varOther, varTimeLocal, varRequest, varStatus, varBodyBytes, varOther, varUserAgent,
}

// hasCombinedKinds reports whether fields are combined's followed only by
// variables that fill nothing.
func hasCombinedKinds(fields []field) bool {
	if len(fields) < combinedFields {
		return false
	}
	for i, f := range fields {
		if i < combinedFields && f.kind != combinedKinds[i] || i >= combinedFields && f.kind != varOther {
			return false
		}
	}
	return true
}

// fillCombined is fill for a plainCombined format, from the values of the
// combined fields: what the general loop does with combinedKinds, without a
// switch per field. Those formats are escape=default.
func (p *AccessParser) fillCombined(e *sources.ProxyEntry, line string, v *combinedValues) {
	n := &p.nums
	e.BodyBytes, e.RequestTime, e.Fields, e.Raw = n.body, -1, p.set, line
	e.Client = v[0]
	if n.timeHit {
		e.Time = p.times.t
	} else { // for "" too, the zero time: a slot's entry is not cleared (newEntry)
		e.Time = p.times.local(v[2])
	}
	request := v[3]
	if !n.plainRequest {
		request = decodeHex(request)
	}
	if r, k := request, len(request)-9; k >= 4 && r[:4] == "GET " && isHTTPVersion(word8(r, k), r[k+8]) {
		// splitRequest's first case, written out: fillCombined is inlined
		// into UpstreamParser.parse, a function too big for the compiler
		// to inline the call there (it cost about 50 instructions a line).
		e.Method, e.Path, e.Proto = r[:3], r[4:k], r[k+1:]
	} else {
		e.Method, e.Path, e.Proto = splitRequest(request)
	}
	e.Status = n.status
	switch n.agent {
	case agentPlain:
		e.UserAgent = dash(v[7])
	case agentEscaped: // not "-"
		e.UserAgent = p.agents.decodeHexSlow(v[7])
	default:
		e.UserAgent = p.agents.decodeHex(dash(v[7]))
	}
}

// splitsList reports whether assign splits a variable of this kind into an
// entry list.
func splitsList(k varKind) bool {
	switch k {
	case varUpstreamAddr, varUpstreamStatus, varUpstreamConnect, varUpstreamHeader, varUpstreamResponse:
		return true
	}
	return false
}

// decode undoes the escaping of the parser's escape mode.
func (p *AccessParser) decode(v string) string {
	if strings.IndexByte(v, '\\') < 0 {
		return v
	}
	switch p.escape {
	case escapeDefault:
		return decodeHex(v)
	case escapeJSON:
		return decodeJSONString(v)
	}
	return v
}

// dash maps nginx's "-" (no value) to "".
func dash(v string) string {
	if v == "-" {
		return ""
	}
	return v
}

// firstID returns the first value that is neither "" nor "-".
func firstID(vs ...string) string {
	for _, v := range vs {
		if v != "" && v != "-" {
			return v
		}
	}
	return ""
}

// splitList splits an upstream list on ", " and " : ", keeping "-"
// elements. An empty value (missing in json/none mode) is no list.
func splitList(v string) []string {
	if v == "" {
		return nil
	}
	return splitListInto(make([]string, 0, countList(v)), v)
}

// countList returns how many elements splitList finds in v.
func countList(v string) int {
	if v == "" {
		return 0
	}
	n := 1
	for _, next := nextSeparator(v, 0); next >= 0; _, next = nextSeparator(v, next) {
		n++
	}
	return n
}

// nextSeparator finds the first list separator (", " or " : ") in v at or
// after i, as a scan of every byte from i would: it returns where the
// separator starts and where the next element does, or -1, -1. Both
// separators hold a space, so it hops from space to space, a word at a
// time: a ", " is the comma before a space (at i or after), a " : " the
// space itself.
func nextSeparator(v string, i int) (sep, next int) {
	from := i // a comma before from is no separator: the scan is past it
	for {
		k := i
		if len(v)-i >= 8 {
			j := firstByte(word8(v, i), ' ')
			if j == 8 {
				i += 8
				continue
			}
			k += j
		} else if len(v) >= 8 {
			// The last word, the bytes before i shifted out (the zeros
			// shifted in are no space): most lists end in one.
			j := firstByte(word8(v, len(v)-8)>>(8*(8-(len(v)-i))), ' ')
			if j >= len(v)-i {
				return -1, -1
			}
			k += j
		} else {
			for k < len(v) && v[k] != ' ' {
				k++
			}
			if k == len(v) {
				return -1, -1
			}
		}
		if k > from && v[k-1] == ',' {
			return k - 1, k + 1
		}
		if k+2 < len(v) && v[k+1] == ':' && v[k+2] == ' ' {
			return k, k + 3
		}
		i, from = k+1, k+1
	}
}

// listArena hands out the upstream lists of one entry from one backing
// array: the entry's inline slots (entryWithLists), so that most entries
// cost one allocation with their lists, then an array of its own.
type listArena struct{ buf []string }

// inlineListSlots is how many list elements an entry carries in its own
// allocation: one upstream attempt's address, status and three times, which
// fills the allocator's 512-byte size class (6 did before the entry had
// UpstreamAddrRaw). Longer lists (retries, internal redirects) spill into
// entryWithManyLists.
const inlineListSlots = 5

// entryWithLists is an entry and the first elements of its lists, allocated
// together: most lines name one upstream, and one allocation per line is
// cheaper than two.
type entryWithLists struct {
	e     sources.ProxyEntry
	lists [inlineListSlots]string
}

// newEntryWithLists returns a zero entry and an arena backed by the entry's
// own inline slots.
func newEntryWithLists() (*sources.ProxyEntry, listArena) {
	b := new(entryWithLists)
	return &b.e, listArena{buf: b.lists[:0:inlineListSlots]}
}

// manyListSlots is how many list elements an entry of a retried request
// carries in its own allocation: three attempts' five lists and one more,
// which with the 8-byte header the allocator puts before objects over 512
// bytes fits the 704-byte size class.
const manyListSlots = 16

// entryWithManyLists is entryWithLists for lines that name several
// upstream attempts.
type entryWithManyLists struct {
	e     sources.ProxyEntry
	lists [manyListSlots]string
}

// newEntryForLists returns a zero entry and an arena with room for elems
// list elements, in one allocation for up to manyListSlots.
func newEntryForLists(elems int) (*sources.ProxyEntry, listArena) {
	switch {
	case elems == 0:
		return new(sources.ProxyEntry), listArena{}
	case elems <= inlineListSlots:
		return newEntryWithLists()
	case elems <= manyListSlots:
		b := new(entryWithManyLists)
		return &b.e, listArena{buf: b.lists[:0:manyListSlots]}
	}
	return new(sources.ProxyEntry), listArena{buf: make([]string, 0, elems)}
}

// one returns v as a one-element list of the arena, as split does for a v
// without separators.
func (a *listArena) one(v string) []string {
	b := append(a.buf, v)
	a.buf = b
	return b[len(b)-1 : len(b) : len(b)]
}

// split returns the elements of v as a slice of the arena whose capacity
// ends at its length, so an append by a caller cannot reach the next list.
func (a *listArena) split(v string) []string {
	if v == "" {
		return nil
	}
	start := len(a.buf)
	if strings.IndexByte(v, ' ') < 0 {
		// Both separators hold a space: one element.
		a.buf = append(a.buf, v)
	} else {
		a.buf = splitListInto(a.buf, v)
	}
	return a.buf[start:len(a.buf):len(a.buf)]
}

// splitListInto appends the elements of v to out.
func splitListInto(out []string, v string) []string {
	start := 0
	for sep, next := nextSeparator(v, 0); next >= 0; sep, next = nextSeparator(v, next) {
		out = append(out, v[start:sep])
		start = next
	}
	return append(out, v[start:])
}

// splitRequest splits a request line into method, target and protocol. A
// line that does not start with a method (TLS bytes sent to a plain port,
// "-") gives three empty strings; one without a protocol (HTTP/0.9, a
// broken line) gives an empty protocol and the rest as the target.
func splitRequest(r string) (method, path, proto string) {
	// Most are "GET <target> HTTP/1.1" (or 2.0), told here in few enough
	// nodes for the compiler to inline it: the call and the spills around
	// it cost as much as the test. splitRequestSlow has the rest.
	k := len(r) - 9
	if k >= 4 && r[:4] == "GET " && isHTTPVersion(word8(r, k), r[k+8]) {
		return r[:3], r[4:k], r[k+1:]
	}
	// Other methods of one to seven capitals (POST, OPTIONS, ...): the
	// first word holds the method and its space.
	if k >= 0 {
		w := word8(r, 0)
		if sp := firstByte(w, ' '); sp > 0 && sp < 8 && sp < k && capitals(w, sp) && isHTTPVersion(word8(r, k), r[k+8]) {
			return r[:sp], r[sp+1 : k], r[k+1:]
		}
	}
	return splitRequestSlow(r)
}

// capitals reports whether the first n (1 to 7) bytes of w, as word8
// loads them, are all 'A' to 'Z'. With each byte's high bit set first,
// subtracting 'A' (or '[') from every byte borrows across none, and
// leaves the high bit set exactly where the byte was at least 'A' (or
// '['); a byte with its own high bit set is none.
func capitals(w uint64, n int) bool {
	const high = bytesHigh
	x := w | high
	upper := (x - bytesLow*'A') &^ (x - bytesLow*'[') &^ w & high
	first := uint64(1)<<(8*uint(n)) - 1
	return high&first&^upper == 0
}

// isHTTPVersion reports whether w and last, the nine bytes that end a
// request line, are " HTTP/" and three bytes none of which is a space:
// then that space is the line's last, before its protocol.
func isHTTPVersion(w uint64, last byte) bool {
	return w&httpLeadMask == httpLead && byte(w>>48) != ' ' && byte(w>>56) != ' ' && last != ' '
}

// splitRequestSlow is splitRequest for any request line.
func splitRequestSlow(r string) (method, path, proto string) {
	// The method's characters up to the first byte that is none, which
	// must be the first space: isMethod(r[:sp]) with sp the first space.
	var rest string
	if len(r) >= 4 && r[:4] == "GET " { // most are
		method, rest = r[:3], r[4:]
	} else {
		sp := 0
		for sp < len(r) && isMethodByte(r[sp]) {
			sp++
		}
		if sp == 0 || sp > 32 || sp == len(r) || r[sp] != ' ' {
			return "", "", ""
		}
		method, rest = r[:sp], r[sp+1:]
	}
	// Most end with " HTTP/1.1" or " HTTP/2.0": then that space is the
	// last one. The first eight bytes of those nine are one word.
	if n := len(rest); n >= 9 {
		if w := word8(rest, n-9); w&httpLeadMask == httpLead && byte(w>>48) != ' ' && byte(w>>56) != ' ' && rest[n-1] != ' ' {
			return method, rest[:n-9], rest[n-8:]
		}
	}
	if j := strings.LastIndexByte(rest, ' '); j >= 0 && strings.HasPrefix(rest[j+1:], "HTTP/") {
		return method, rest[:j], rest[j+1:]
	}
	return method, rest, ""
}

// httpLead is " HTTP/" as the low six bytes of a word8; httpLeadMask
// covers them.
const (
	httpLead     = uint64(' ') | uint64('H')<<8 | uint64('T')<<16 | uint64('T')<<24 | uint64('P')<<32 | uint64('/')<<40
	httpLeadMask = 1<<48 - 1
)

// isMethod reports whether s looks like an HTTP method token.
func isMethod(s string) bool {
	if s == "" || len(s) > 32 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if !isMethodByte(s[i]) {
			return false
		}
	}
	return true
}

func isMethodByte(c byte) bool { return c >= 'A' && c <= 'Z' || c == '-' || c == '_' }

// decodeHex turns escape=default's \xHH back into bytes; other backslashes
// stay.
// Most values hold no backslash at all, which one IndexByte tells, inline.
func decodeHex(v string) string {
	if strings.IndexByte(v, '\\') < 0 {
		return v
	}
	return decodeHexSlow(v)
}

// decodeHexSlow is decodeHex for a v that holds a backslash.
func decodeHexSlow(v string) string {
	i := strings.Index(v, `\x`)
	if i < 0 {
		return v
	}
	return decodeHexAt(v, i)
}

// decodeHexAt is decodeHex for a v whose first \x is at i. Text between
// escapes is copied a run at a time.
func decodeHexAt(v string, i int) string {
	var b strings.Builder
	b.Grow(len(v))
	for {
		// v[i:] starts with \x.
		if i+3 < len(v) {
			hi, okHi := unhex(v[i+2])
			lo, okLo := unhex(v[i+3])
			if okHi && okLo {
				b.WriteString(v[:i])
				b.WriteByte(hi<<4 | lo)
				v = v[i+4:]
			} else {
				b.WriteString(v[:i+1])
				v = v[i+1:]
			}
		} else {
			b.WriteString(v[:i+1])
			v = v[i+1:]
		}
		if i = strings.Index(v, `\x`); i < 0 {
			b.WriteString(v)
			return b.String()
		}
	}
}

// maxCachedAgents bounds an agentCache: past it the cache starts afresh.
const maxCachedAgents = 1024

// agentCache keeps the user agents that decodeHex changed, by the value as
// logged: a log holds few distinct user agents next to its lines, each
// line would otherwise allocate its decoded copy, and strings are
// immutable, so entries may share one. A map, hashed over the whole value:
// the direct-mapped cache before it hashed five bytes of the value, the
// same in every version of one agent (they differ in a version number),
// so a log with 250 versions of an escaped agent missed on about 5 % of
// its lines and allocated 26 MB in 2,000,000.
//
// In front of the map, recent is a small direct-mapped cache of the
// agents the map answered last, each compared whole: a map lookup (its
// hash of every byte, probe and compare) cost about 270 instructions, a
// hit in recent about 200 (most of it the whole compare), and one line in
// seven of the bench set holds an escaped agent (25 distinct ones in
// 2,000,000 lines). Its slot hash
// (recentSlot) reads a few words only; agents it does not tell apart
// share a slot and go to the map, whose answer is the same.
type agentCache struct {
	decoded map[string]cachedAgent // the value as logged → it (the key's copy) and decoded
	recent  [recentAgents]cachedAgent
}

// recentAgents is how many slots agentCache.recent has.
const recentAgents = 64

// cachedAgent is a user agent as logged (the map's copy) and decoded.
type cachedAgent struct{ raw, decoded string }

// recentSlot picks v's slot in agentCache.recent from its length and the
// words at its start and at 8, 16, 24 and 32 bytes from its end, where a
// browser's version number lies ("Chrome/120.0.0.0 Safari/537.36").
func recentSlot(v string) int {
	const k = 0x9E3779B97F4A7C15 // odd, well mixed: spreads the sum into the top bits
	n := len(v)
	h := uint64(n)
	if n >= 8 {
		h += word8(v, 0) ^ word8(v, n-8)
	}
	if n >= 32 {
		h += word8(v, n-16)*k ^ word8(v, n-24) ^ word8(v, n-32)*3
	}
	return int((h * k) >> (64 - 6)) // recentAgents = 1<<6
}

// decodeHex returns decodeHex(v), from the cache when v was seen.
func (c *agentCache) decodeHex(v string) string {
	if strings.IndexByte(v, '\\') < 0 {
		return v
	}
	return c.decodeHexSlow(v)
}

// decodeHexSlow is decodeHex for a v that holds a backslash. The cache
// is asked first: it holds only values with a \x (those decodeHex
// changes), so a hit needs no search for one.
func (c *agentCache) decodeHexSlow(v string) string {
	r := &c.recent[recentSlot(v)]
	if r.raw == v && v != "" {
		return r.decoded
	}
	return c.decodeHexMiss(v, r)
}

// decodeHexMiss is decodeHexSlow for a v that is not in its recent slot
// r: from the map, or decoded and kept there; r then holds it.
func (c *agentCache) decodeHexMiss(v string, r *cachedAgent) string {
	if a, ok := c.decoded[v]; ok {
		*r = a // the map's copy of v: v may lie in a recycled buffer
		return a.decoded
	}
	i := strings.Index(v, `\x`)
	if i < 0 {
		return v
	}
	d := decodeHexAt(v, i)
	if c.decoded == nil || len(c.decoded) >= maxCachedAgents {
		c.decoded = make(map[string]cachedAgent)
		c.recent = [recentAgents]cachedAgent{} // the map's copies go with it
	}
	// A copy: v may lie in a recycled line buffer (sources.ProxySlot).
	a := cachedAgent{strings.Clone(v), d}
	c.decoded[a.raw] = a
	*r = a
	return d
}

func unhex(c byte) (byte, bool) {
	switch {
	case c >= '0' && c <= '9':
		return c - '0', true
	case c >= 'a' && c <= 'f':
		return c - 'a' + 10, true
	case c >= 'A' && c <= 'F':
		return c - 'A' + 10, true
	}
	return 0, false
}

// decodeJSONString undoes JSON string escapes; a broken escape is kept as is.
func decodeJSONString(v string) string {
	if strings.IndexByte(v, '\\') < 0 {
		return v
	}
	var b strings.Builder
	b.Grow(len(v))
	for i := 0; i < len(v); i++ {
		c := v[i]
		if c != '\\' || i+1 >= len(v) {
			b.WriteByte(c)
			continue
		}
		i++
		switch v[i] {
		case '"', '\\', '/':
			b.WriteByte(v[i])
		case 'b':
			b.WriteByte('\b')
		case 'f':
			b.WriteByte('\f')
		case 'n':
			b.WriteByte('\n')
		case 'r':
			b.WriteByte('\r')
		case 't':
			b.WriteByte('\t')
		case 'u':
			if r, ok := hex4(v, i+1); ok {
				i += 4
				// A surrogate pair spells one rune in two escapes.
				if utf16.IsSurrogate(r) && i+6 < len(v) && v[i+1] == '\\' && v[i+2] == 'u' {
					if r2, ok := hex4(v, i+3); ok {
						if d := utf16.DecodeRune(r, r2); d != utf8.RuneError {
							r = d
							i += 6
						}
					}
				}
				b.WriteRune(r)
				continue
			}
			b.WriteString(`\u`)
		default:
			b.WriteByte('\\')
			b.WriteByte(v[i])
		}
	}
	return b.String()
}

// hex4 reads four hex digits at v[i:].
func hex4(v string, i int) (rune, bool) {
	if i+4 > len(v) {
		return 0, false
	}
	var r rune
	for j := i; j < i+4; j++ {
		d, ok := unhex(v[j])
		if !ok {
			return 0, false
		}
		r = r<<4 | rune(d)
	}
	return r, true
}

// atoiSmall parses a short unsigned decimal; anything else is 0.
func atoiSmall(s string) int {
	if s == "" || len(s) > 9 {
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

// parseInt parses a non-negative integer; "-" or garbage is not a value.
// At most 18 digits, so no overflow: what strconv.ParseInt gives.
func parseInt(s string) (int64, bool) {
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
	return n, true
}

// parseSeconds parses nginx's seconds.milliseconds; -1 when there is no value.
func parseSeconds(s string) float64 {
	if f, ok := parseShortDecimal(s); ok {
		return f
	}
	if s == "" || s == "-" {
		return -1
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || f < 0 {
		return -1
	}
	return f
}

// exactPow10 holds the powers of ten a float64 represents exactly.
var exactPow10 = [...]float64{1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15}

// parseShortDecimal parses the digits[.digits] nginx writes for times
// (%d.%03d) with at most 15 digits in all. The digits make an integer
// below 2^53 and the divisor is a power of ten, both exact in a float64,
// and IEEE division rounds correctly, so the result is the one
// strconv.ParseFloat gives. ok is false for any other text.
func parseShortDecimal(s string) (f float64, ok bool) {
	// Most times are below 10 s: d.ddd, the same sum without the loop.
	if len(s) == 5 && s[1] == '.' {
		if m, ok := dotMillis(s); ok {
			return float64(m) / 1e3, true
		}
		return 0, false
	}
	var m uint64
	digits, frac, dot := 0, 0, false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= '0' && c <= '9':
			m = m*10 + uint64(c-'0')
			digits++
			if dot {
				frac++
			}
		case c == '.' && !dot && digits > 0:
			dot = true
		default:
			return 0, false
		}
	}
	if digits == 0 || digits > 15 || dot && frac == 0 {
		return 0, false
	}
	return float64(m) / exactPow10[frac], true
}

// dotMillis returns the milliseconds a d.ddd value spells (most times
// nginx logs are below 10 s), ok false for any other text. It is small
// enough to inline, so the usual time costs no call.
func dotMillis(s string) (ms uint64, ok bool) {
	if len(s) != 5 || s[1] != '.' {
		return 0, false
	}
	a, b, c, d := s[0]-'0', s[2]-'0', s[3]-'0', s[4]-'0'
	return uint64(a)*1000 + uint64(b)*100 + uint64(c)*10 + uint64(d), a <= 9 && b <= 9 && c <= 9 && d <= 9
}

// parseMsec parses $msec (epoch seconds with milliseconds).
func parseMsec(s string) time.Time {
	dot := strings.IndexByte(s, '.')
	secPart, frac := s, ""
	if dot >= 0 {
		secPart, frac = s[:dot], s[dot+1:]
	}
	sec, ok := parseInt(secPart)
	if !ok {
		return time.Time{}
	}
	var nsec int64
	scale := int64(100_000_000)
	for i := 0; i < len(frac) && i < 9; i++ {
		c := frac[i]
		if c < '0' || c > '9' {
			return time.Time{}
		}
		nsec += int64(c-'0') * scale
		scale /= 10
	}
	return time.Unix(sec, nsec).UTC()
}

// timeCache keeps the last parsed timestamp: consecutive lines mostly share
// their second, and parsing is the costliest part of a line.
type timeCache struct {
	// raw is the value t was parsed from, rawLen bytes of it; rawLen is
	// -1 when none is cached (a value longer than raw). A copy, as the
	// value may lie in a recycled line buffer (sources.ProxySlot), in an
	// array rather than a string: a new string for every second of log
	// time was, once the slots are recycled, most of the garbage a report
	// of an access log alone made (1.6 of 11 MB allocated in 10,000,000
	// lines), enough for its heap to reach a collection only in a long
	// run, so that its peak RSS grew with the input.
	raw    [40]byte
	rawLen int
	t      time.Time
	// words is raw as four word8 loads (at 0, 8, 16 and 18) when raw is
	// 26 bytes long ($time_local's length), so that matchCombined compares
	// a line's stamp with it (sameTime) in line; has26 says it is.
	words [4]uint64
	has26 bool
	zone  *time.Location
	off   int
	// day is the midnight of the date and zone $time_local last named
	// (dayDate, dayZone): a new second of the same day is an addition to it,
	// cheaper than time.Date, and the same Time value (fixed zones have no
	// transitions).
	dayDate, dayZone string
	day              time.Time
}

// sameTime reports whether a == b, for $time_local's 26 bytes by words
// rather than memequal's call.
func sameTime(a, b string) bool {
	if len(a) != 26 || len(b) != 26 {
		return a == b
	}
	return word8(a, 0) == word8(b, 0) && word8(a, 8) == word8(b, 8) && word8(a, 16) == word8(b, 16) && word8(a, 18) == word8(b, 18)
}

// monthOf returns the month an English three-letter abbreviation names
// (case as nginx writes it).
func monthOf(s string) (time.Month, bool) {
	switch s {
	case "Jan":
		return time.January, true
	case "Feb":
		return time.February, true
	case "Mar":
		return time.March, true
	case "Apr":
		return time.April, true
	case "May":
		return time.May, true
	case "Jun":
		return time.June, true
	case "Jul":
		return time.July, true
	case "Aug":
		return time.August, true
	case "Sep":
		return time.September, true
	case "Oct":
		return time.October, true
	case "Nov":
		return time.November, true
	case "Dec":
		return time.December, true
	}
	return 0, false
}

// local parses $time_local: 02/Jan/2006:15:04:05 -0700. A value that does
// not parse gives the zero time.
func (c *timeCache) local(v string) time.Time {
	if c.holds(v) {
		return c.t
	}
	t, ok := c.parseLocal(v)
	if !ok {
		return time.Time{}
	}
	c.setRaw(v, t)
	return t
}

// holds reports whether v is the non-empty value the cache holds: for
// $time_local's 26 bytes by words (sameTime).
func (c *timeCache) holds(v string) bool {
	if len(v) == 26 && c.has26 {
		return word8(v, 0) == c.words[0] && word8(v, 8) == c.words[1] && word8(v, 16) == c.words[2] && word8(v, 18) == c.words[3]
	}
	return len(v) == c.rawLen && v != "" && string(c.raw[:c.rawLen]) == v
}

// setRaw makes v, parsed as t, the value the cache holds.
func (c *timeCache) setRaw(v string, t time.Time) {
	c.t = t
	c.rawLen = -1
	if len(v) <= len(c.raw) {
		c.rawLen = copy(c.raw[:], v)
	}
	if c.has26 = len(v) == 26; c.has26 {
		c.words = [4]uint64{word8(v, 0), word8(v, 8), word8(v, 16), word8(v, 18)}
	}
}

func (c *timeCache) parseLocal(v string) (time.Time, bool) {
	if !shapeTimeLocal.valid(v) {
		return time.Time{}, false
	}
	mon, ok := monthOf(v[3:6])
	day, d1 := num(v[0:2])
	year, d2 := num(v[7:11])
	hh, d3 := num(v[12:14])
	mm, d4 := num(v[15:17])
	ss, d5 := num(v[18:20])
	zh, d6 := num(v[22:24])
	zm, d7 := num(v[24:26])
	if !(ok && d1 && d2 && d3 && d4 && d5 && d6 && d7) || day < 1 || day > 31 || hh > 23 || mm > 59 || ss > 60 {
		return time.Time{}, false
	}
	off := (zh*60 + zm) * 60
	if v[21] == '-' {
		off = -off
	}
	if c.zone == nil || c.off != off {
		c.zone, c.off = zoneFor(off), off
	}
	if v[:11] != c.dayDate || v[21:] != c.dayZone {
		c.day = time.Date(year, mon, day, 0, 0, 0, 0, c.zone)
		c.dayDate, c.dayZone = strings.Clone(v[:11]), strings.Clone(v[21:])
	}
	return c.day.Add(time.Duration(hh*3600+mm*60+ss) * time.Second), true
}

// zoneFor returns a location for a UTC offset; UTC itself for 0 so that
// times compare and print as UTC.
func zoneFor(off int) *time.Location {
	if off == 0 {
		return time.UTC
	}
	return time.FixedZone("", off)
}

// iso parses $time_iso8601 (and any RFC 3339 time).
func (c *timeCache) iso(v string) time.Time {
	if c.holds(v) {
		return c.t
	}
	t, err := time.Parse(time.RFC3339Nano, v)
	if err != nil {
		return time.Time{}
	}
	c.setRaw(v, t)
	return t
}

func num(s string) (int, bool) {
	n := 0
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return 0, false
		}
		n = n*10 + int(s[i]-'0')
	}
	return n, true
}

// derive fills the attribution fields that follow from the logged ones:
// the upstream label, whether an upstream was contacted and answered, and
// the reason a group name in $upstream_addr carries. upstreamName is
// ingress-nginx's $proxy_upstream_name ("" when not logged).
func derive(e *sources.ProxyEntry, upstreamName string, logsUpstreamName bool) {
	f := e.Fields
	grouped := false
	if len(e.UpstreamStatus) > 1 || e.UpstreamAddrRaw != "" {
		keepOwnGroup(e)
		grouped = e.Redirected()
	}
	peer, lastPeer := peerAddrs(e.UpstreamAddr)
	if n := len(e.UpstreamAddr); n > 0 {
		if last := e.UpstreamAddr[n-1]; last != "-" && last != "" {
			e.Upstream = last
			if !lastPeer {
				// nginx logs the upstream{} name when it could select no server.
				e.Reason = sources.ReasonNoLiveUpstreams
				e.Detail = "upstream_addr is the group name " + last
			}
		}
	}
	if e.Upstream == "" && upstreamName != "" {
		e.Upstream = upstreamName
	}

	if f.Has(sources.FieldUpstreamAddr) {
		switch {
		case peer:
			e.UpstreamContacted = sources.Yes
		case e.Reason == sources.ReasonNoLiveUpstreams:
			// Only group names: no server was selected, none was contacted.
			e.UpstreamContacted = sources.No
		case allEmpty(e.UpstreamAddr) && allEmpty(e.UpstreamStatus):
			e.UpstreamContacted = sources.No
		}
	}

	switch {
	case f.Has(sources.FieldUpstreamHeaderTime):
		if isSeconds(last(e.UpstreamHeader)) {
			e.UpstreamAnswered = sources.Yes
		} else {
			e.UpstreamAnswered = sources.No
		}
	case f.Has(sources.FieldUpstreamStatus):
		// Without header time, a last upstream status equal to the client
		// status is the upstream's own answer, unless it is a 502/504 that
		// nginx writes there itself for a failed attempt.
		// After an error_page (" : " groups) the client got the error
		// page's status: the own group's 500 or 503 is the upstream's
		// answer that nginx intercepted, whatever the page's status.
		if us := atoiSmall(last(e.UpstreamStatus)); us != 0 && (us == e.Status || grouped && us >= 500) && us != 502 && us != 504 {
			e.UpstreamAnswered = sources.Yes
		}
	}

	// ingress-nginx: a Service without ready endpoints is answered 503 by the
	// Lua balancer before any upstream is picked, so every upstream field is
	// "-". Its limiters also answer 503 with the same fields (the error log's
	// "limiting requests" line tells them apart); the default backend is the
	// no-rule-matched case, not a Service.
	if logsUpstreamName && e.Status == 503 && e.UpstreamContacted == sources.No && e.Reason == sources.ReasonNone &&
		upstreamName != "" && upstreamName != "upstream-default-backend" {
		e.Reason = sources.ReasonNoLiveUpstreams
		e.Detail = "service " + upstreamName + " has no active endpoints (every upstream field is -)"
	}
}

// bodyless reads an $upstream_response_length list ("0, 0, 0"): Yes
// when every attempt logged 0, No when one logged more, Unknown when
// none logged a number ("-", empty).
func bodyless(v string) sources.Tri {
	t := sources.Unknown
	for v != "" {
		el := v
		if sep, next := nextSeparator(v, 0); next >= 0 {
			el, v = v[:sep], v[next:]
		} else {
			v = ""
		}
		switch {
		case el == "0":
			if t == sources.Unknown {
				t = sources.Yes
			}
		case el != "" && isDigit(el[0]):
			return sources.No
		}
	}
	return t
}

// peerAddrs reports whether any of addrs is a server address, and whether
// the last one is. The last one is looked at first: most lines name one
// address, and it is the one derive needs either way.
func peerAddrs(addrs []string) (anyPeer, lastPeer bool) {
	n := len(addrs)
	if n == 0 {
		return false, false
	}
	lastPeer = isPeerAddr(addrs[n-1])
	anyPeer = lastPeer
	for i := 0; i < n-1 && !anyPeer; i++ {
		anyPeer = isPeerAddr(addrs[i])
	}
	return anyPeer, lastPeer
}

// isPeerAddr reports whether an $upstream_addr element is a server address
// (ip:port, [v6]:port, host:port, unix:path) rather than a group name or "-".
func isPeerAddr(a string) bool {
	if strings.HasPrefix(a, "unix:") {
		return len(a) > 5
	}
	// The port: the digits at the end, after a ':' that is not the first
	// byte. The digits hold no ':', so it is the last one.
	i := len(a)
	for i > 0 && a[i-1] >= '0' && a[i-1] <= '9' {
		i--
	}
	return i < len(a) && i >= 2 && a[i-1] == ':'
}

func allEmpty(l []string) bool {
	for _, v := range l {
		if v != "" && v != "-" {
			return false
		}
	}
	return true
}

func last(l []string) string {
	if len(l) == 0 {
		return ""
	}
	return l[len(l)-1]
}

// isSeconds reports whether v is a time nginx logged (digits, one dot).
func isSeconds(v string) bool {
	// Most are d.ddd; most others "-".
	if _, ok := dotMillis(v); ok {
		return true
	}
	return v != "" && isDigit(v[0]) && shapeDecimal.prefixLen(v) == len(v)
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }
