package nginx

// json.go parses access logs written with a hand-made escape=json
// log_format (formats.md §1.5). The keys are the user's choice, so common
// names are mapped. The scanner reads one flat object and tolerates the
// usual mistake of leaving upstream variables unquoted ("us":502, 502 or
// "us":-): such a value runs to the next `,"key"`.

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"fivexx/sources"
)

func init() {
	sources.Register(sources.Format{
		Name:     "nginx-json",
		Family:   "nginx",
		Role:     sources.RoleProxy,
		Priority: 5,
		Detect:   detectJSON,
		New:      readsErrorLines(newJSONParser), // and the error lines in its stream (stream.go)
		Doc:      "nginx access log written as JSON lines (log_format escape=json), common key names",
	})
}

// JSONParser parses nginx JSON access lines by key name.
type JSONParser struct {
	times    timeCache
	seen     sources.FieldSet
	errLines *errorLines // the error lines in its stream (stream.go); nil: none
}

func newJSONParser(opts sources.ParserOptions) (sources.Parser, error) {
	if opts.LogFormat != "" {
		escape := opts.Escape
		if escape == "" {
			escape = "json"
		}
		p, err := Compile(opts.LogFormat, escape)
		if err != nil {
			return nil, fmt.Errorf("nginx-json: %w", err)
		}
		return p, nil
	}
	return &JSONParser{}, nil
}

// Fields returns the attribution fields of the lines parsed so far: the
// keys are the user's choice, so the lines tell.
func (p *JSONParser) Fields() sources.FieldSet { return p.seen }

// errNoStatus says a JSON object is no access-log line.
var errNoStatus = fmt.Errorf("nginx-json: %w: no status key in the object", sources.ErrNoMatch)

// Parse implements sources.Parser.
func (p *JSONParser) Parse(line string) (sources.Record, error) {
	e, lists := newEntryWithLists()
	e.BodyBytes, e.RequestTime, e.Raw = -1, -1, line
	var (
		st        jsonState
		upName    string
		logsUName bool
	)
	st.lists = lists
	err := walkObject(line, func(key string, v jsonValue) {
		switch st.apply(e, key, v) {
		case keyUpstreamName:
			upName, logsUName = dash(v.text()), true
		case keyTime:
			if e.Time.IsZero() {
				e.Time = p.parseTime(v)
			}
		}
	})
	if err != nil {
		// An error line in the stream is no JSON.
		return p.errLines.failed(line, fmt.Errorf("nginx-json: %w: %v", sources.ErrNoMatch, err), true)
	}
	if !st.status {
		return nil, errNoStatus
	}
	st.finish(e)
	derive(e, upName, logsUName)
	p.seen |= e.Fields
	p.errLines.accessLine(e.Time)
	return e, nil
}

// keyClass says what a key was used for, for the callers that need more.
type keyClass uint8

const (
	keyNone keyClass = iota
	keyUsed
	keyTime
	keyUpstreamName
	keyAppMarker // level, msg, logger: an app log line, not nginx
)

// jsonState gathers what a line said before the request fields are put together.
type jsonState struct {
	status                 bool
	request, method        string
	uri, args              string
	haveRequest            bool
	reqID, httpReqID, rqID string
	host, httpHost         string
	bodyBytes, bytesSent   int64
	haveBody, haveBytes    bool
	nginxKey               bool // a key only nginx-made lines have
	appMarker              bool
	requestish             bool
	lists                  listArena
	length                 string // $upstream_response_length
}

func (st *jsonState) apply(e *sources.ProxyEntry, key string, v jsonValue) keyClass {
	k := normKey(key)
	switch k {
	case "status":
		if n := atoiSmall(v.text()); n > 0 {
			e.Status = n
			st.status = true
		}
	case "time", "time_iso8601", "timestamp", "@timestamp", "time_local", "msec", "ts":
		if k == "time_iso8601" || k == "time_local" || k == "msec" {
			st.nginxKey = true
		}
		return keyTime
	case "remote_addr", "client", "client_ip", "remote_ip":
		if v.kind == jsonString || v.kind == jsonBare {
			e.Client = dash(v.text())
			st.nginxKey = st.nginxKey || k == "remote_addr"
		}
	case "request":
		if v.kind == jsonString {
			st.request, st.haveRequest = v.text(), true
			st.requestish, st.nginxKey = true, true
		}
	case "method", "request_method":
		st.method = dash(v.text())
	case "request_uri", "uri", "path", "url":
		if v.kind == jsonString {
			if st.uri == "" || k == "request_uri" {
				st.uri = dash(v.text())
			}
			st.requestish = true
			st.nginxKey = st.nginxKey || k == "request_uri"
		}
	case "args", "query_string":
		st.args = dash(v.text())
	case "protocol", "server_protocol":
		e.Proto = dash(v.text())
	case "request_time":
		e.RequestTime = parseSeconds(v.text())
		e.Fields |= sources.FieldRequestTime
		st.nginxKey = true
	case "body_bytes_sent":
		st.bodyBytes, st.haveBody = parseInt(v.text())
		st.nginxKey = true
	case "bytes_sent":
		st.bytesSent, st.haveBytes = parseInt(v.text())
		st.nginxKey = true
	case "upstream_addr", "upstream":
		e.UpstreamAddr = st.lists.split(v.text())
		e.UpstreamAddrRaw = rawAddrList(v.text(), len(e.UpstreamAddr))
		e.Fields |= sources.FieldUpstreamAddr
		st.nginxKey = true
	case "upstream_status":
		e.UpstreamStatusRaw = v.text()
		e.UpstreamStatus = st.lists.split(e.UpstreamStatusRaw)
		e.Fields |= sources.FieldUpstreamStatus
		st.nginxKey = true
	case "upstream_connect_time":
		e.UpstreamConnect = st.lists.split(v.text())
		e.Fields |= sources.FieldUpstreamConnectTime
		st.nginxKey = true
	case "upstream_header_time":
		e.UpstreamHeader = st.lists.split(v.text())
		e.Fields |= sources.FieldUpstreamHeaderTime
		st.nginxKey = true
	case "upstream_response_time":
		e.UpstreamResponse = st.lists.split(v.text())
		e.Fields |= sources.FieldUpstreamResponseTime
		st.nginxKey = true
	case "upstream_response_length":
		st.length = v.text() // read in finish, once the status list is known
	case "request_id", "x_request_id":
		st.rqID = v.text()
		e.Fields |= sources.FieldRequestID
	case "http_x_request_id":
		st.httpReqID = v.text()
		e.Fields |= sources.FieldRequestID
		st.nginxKey = true
	case "req_id":
		st.reqID = v.text()
		e.Fields |= sources.FieldRequestID
	case "connection":
		e.Conn = dash(v.text())
		e.Fields |= sources.FieldConn
	case "host":
		st.host = v.text()
	case "http_host":
		st.httpHost = v.text()
		st.nginxKey = true
	case "http_user_agent", "user_agent", "agent":
		e.UserAgent = dash(v.text())
		st.nginxKey = st.nginxKey || k == "http_user_agent"
	case "proxy_upstream_name":
		return keyUpstreamName
	case "level", "lvl", "severity", "msg", "message", "logger", "caller":
		st.appMarker = true
		return keyAppMarker
	default:
		return keyNone
	}
	return keyUsed
}

// finish puts the request fields together once every key is read.
func (st *jsonState) finish(e *sources.ProxyEntry) {
	if st.length != "" {
		e.UpstreamBodyless = bodyless(ownGroupText(st.length, e.UpstreamStatusRaw, e.Status))
	}
	if st.haveRequest {
		e.Method, e.Path, e.Proto = splitRequest(st.request)
	}
	if e.Path == "" {
		e.Path = st.uri
		if st.args != "" && e.Path != "" && strings.IndexByte(e.Path, '?') < 0 {
			e.Path += "?" + st.args
		}
	}
	if e.Method == "" && isMethod(st.method) {
		e.Method = st.method
	}
	switch {
	case st.haveBody:
		e.BodyBytes = st.bodyBytes
	case st.haveBytes:
		e.BodyBytes = st.bytesSent
	}
	e.RequestID = firstID(st.reqID, st.httpReqID, st.rqID)
	e.Host = firstID(st.httpHost, st.host)
}

// normKey lower-cases a key and turns '-' and '.' into '_', without
// allocating for keys that are already plain.
func normKey(k string) string {
	for i := 0; i < len(k); i++ {
		c := k[i]
		if c >= 'A' && c <= 'Z' || c == '-' || c == '.' {
			b := []byte(k)
			for j := i; j < len(b); j++ {
				switch c := b[j]; {
				case c >= 'A' && c <= 'Z':
					b[j] = c + 'a' - 'A'
				case c == '-' || c == '.':
					b[j] = '_'
				}
			}
			return string(b)
		}
	}
	return k
}

// parseTime reads any of the time keys: RFC 3339, $time_local, or epoch
// seconds (milliseconds when the number is that large).
func (p *JSONParser) parseTime(v jsonValue) time.Time {
	s := v.text()
	if s == "" || s == "-" {
		return time.Time{}
	}
	if s[0] >= '0' && s[0] <= '9' && shapeDecimal.prefixLen(s) == len(s) {
		dot := strings.IndexByte(s, '.')
		if (dot < 0 && len(s) >= 13) || dot >= 13 {
			f, err := strconv.ParseFloat(s, 64)
			if err != nil {
				return time.Time{}
			}
			ms := int64(f)
			return time.UnixMilli(ms).UTC()
		}
		return parseMsec(s)
	}
	if shapeTimeLocal.valid(s) {
		return p.times.local(s)
	}
	return p.times.iso(s)
}

// jsonKind is the kind of a JSON value.
type jsonKind uint8

const (
	jsonString  jsonKind = iota // raw holds the text between the quotes, escapes in
	jsonNumber                  // raw holds the number
	jsonLiteral                 // true, false, null
	jsonNested                  // object or array, skipped
	jsonBare                    // unquoted text that is no JSON: "502, 502", "-", ""
)

// jsonValue is one member value as found in the line.
type jsonValue struct {
	raw  string
	kind jsonKind
}

// text returns the value as a string: strings unescaped, numbers and bare
// text as written, null as "".
func (v jsonValue) text() string {
	switch v.kind {
	case jsonString:
		return decodeJSONString(v.raw)
	case jsonLiteral:
		if v.raw == "null" {
			return ""
		}
	case jsonNested:
		return ""
	}
	return v.raw
}

// walkObject calls fn for each member of the one JSON object in s.
func walkObject(s string, fn func(key string, v jsonValue)) error {
	i := skipSpace(s, 0)
	if i >= len(s) || s[i] != '{' {
		return errors.New("not a JSON object")
	}
	i = skipSpace(s, i+1)
	if i < len(s) && s[i] == '}' {
		return trailing(s, i+1)
	}
	for {
		if i >= len(s) || s[i] != '"' {
			return fmt.Errorf("want a key at byte %d", i)
		}
		end, err := stringEnd(s, i)
		if err != nil {
			return err
		}
		key := s[i+1 : end]
		if strings.IndexByte(key, '\\') >= 0 {
			key = decodeJSONString(key)
		}
		i = skipSpace(s, end+1)
		if i >= len(s) || s[i] != ':' {
			return fmt.Errorf("want ':' after key %q", key)
		}
		i = skipSpace(s, i+1)
		var v jsonValue
		v, i, err = readValue(s, i)
		if err != nil {
			return fmt.Errorf("value of %q: %w", key, err)
		}
		fn(key, v)
		i = skipSpace(s, i)
		if i >= len(s) {
			return errors.New("object not closed")
		}
		switch s[i] {
		case ',':
			i = skipSpace(s, i+1)
		case '}':
			return trailing(s, i+1)
		default:
			return fmt.Errorf("unexpected %q at byte %d", s[i], i)
		}
	}
}

func trailing(s string, i int) error {
	if skipSpace(s, i) != len(s) {
		return errors.New("text after the object")
	}
	return nil
}

func skipSpace(s string, i int) int {
	for i < len(s) && (s[i] == ' ' || s[i] == '\t' || s[i] == '\r' || s[i] == '\n') {
		i++
	}
	return i
}

// errStringNotClosed says a JSON string runs to the end of the line.
var errStringNotClosed = errors.New("string not closed")

// stringEnd returns the index of the quote closing the string opened at i:
// the first '"' after i that an odd run of backslashes does not escape.
func stringEnd(s string, i int) (int, error) {
	for j := i + 1; ; {
		q := strings.IndexByte(s[j:], '"')
		if q < 0 {
			return 0, errStringNotClosed
		}
		q += j
		bs := 0
		for k := q - 1; k > i && s[k] == '\\'; k-- {
			bs++
		}
		if bs%2 == 0 {
			return q, nil
		}
		j = q + 1
	}
}

// readValue reads the value at i and returns it with the index after it.
func readValue(s string, i int) (jsonValue, int, error) {
	if i >= len(s) {
		return jsonValue{}, i, errors.New("missing value")
	}
	switch s[i] {
	case '"':
		end, err := stringEnd(s, i)
		if err != nil {
			return jsonValue{}, i, err
		}
		return jsonValue{raw: s[i+1 : end], kind: jsonString}, end + 1, nil
	case '{', '[':
		end, err := nestedEnd(s, i)
		if err != nil {
			return jsonValue{}, i, err
		}
		return jsonValue{raw: s[i:end], kind: jsonNested}, end, nil
	}
	// A number or literal, or unquoted nginx output: it runs to the comma
	// that starts the next member, or to the closing brace.
	end := bareEnd(s, i)
	raw := strings.TrimRight(s[i:end], " \t")
	if strings.ContainsAny(raw, `"{}[]`) {
		return jsonValue{}, i, fmt.Errorf("unexpected %q", raw)
	}
	switch {
	case raw == "true" || raw == "false" || raw == "null":
		return jsonValue{raw: raw, kind: jsonLiteral}, end, nil
	case isJSONNumber(raw):
		return jsonValue{raw: raw, kind: jsonNumber}, end, nil
	}
	return jsonValue{raw: raw, kind: jsonBare}, end, nil
}

// bareEnd finds where an unquoted value starting at i ends: at a ',' that is
// followed by a key, or at the '}' that closes the line.
func bareEnd(s string, i int) int {
	for j := i; j < len(s); j++ {
		switch s[j] {
		case ',':
			if k := skipSpace(s, j+1); k < len(s) && s[k] == '"' {
				return j
			}
		case '}':
			if skipSpace(s, j+1) == len(s) {
				return j
			}
		case '"':
			return j
		}
	}
	return len(s)
}

// nestedEnd returns the index after the object or array opened at i.
func nestedEnd(s string, i int) (int, error) {
	depth := 0
	for j := i; j < len(s); j++ {
		switch s[j] {
		case '"':
			end, err := stringEnd(s, j)
			if err != nil {
				return 0, err
			}
			j = end
		case '{', '[':
			depth++
		case '}', ']':
			depth--
			if depth == 0 {
				return j + 1, nil
			}
		}
	}
	return 0, errors.New("object or array not closed")
}

func isJSONNumber(s string) bool {
	if s == "" {
		return false
	}
	if s[0] == '-' {
		s = s[1:]
	}
	if s == "" || s[0] < '0' || s[0] > '9' {
		return false
	}
	if _, ok := parseShortDecimal(s); ok {
		return true // what nginx writes: $status, $request_time, $connection
	}
	_, err := strconv.ParseFloat(s, 64)
	return err == nil
}

// detectJSON scores JSON lines that look nginx-made: a status, a request or
// URI, at least one key only nginx formats use, and none of the level/msg
// keys of application logs.
func detectJSON(line string) int {
	if len(line) == 0 || line[0] != '{' {
		return streamErrorScore(line)
	}
	var st jsonState
	e := sources.ProxyEntry{}
	if err := walkObject(line, func(key string, v jsonValue) { st.apply(&e, key, v) }); err != nil {
		return 0
	}
	if !st.status || !st.requestish || !st.nginxKey || st.appMarker {
		return 0
	}
	return 85
}
