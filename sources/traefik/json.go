package traefik

// json.go registers "traefik-json": Traefik's JSON access log (formats.md
// §7.1). Keys: ClientHost, ClientPort, DownstreamStatus,
// DownstreamContentSize, Duration and OriginDuration (nanoseconds),
// OriginStatus, OriginContentSize, Request{Method,Path,Protocol,Host},
// RetryAttempts, RouterName, Service{Name,URL,Addr}, StartUTC, time, and the
// headers kept with fields.headers as request_<Header>.
//
// The rules:
//   - A line is Traefik's when it is a JSON object with DownstreamStatus (or
//     OriginStatus) and a Request* or Router/Service key.
//   - The request id is the kept X-Request-Id header
//     ("request_X-Request-Id", any case), else a trace id (TraceId,
//     trace_id) when tracing is on.
//   - A missing OriginStatus (dropped with fields.names) is read like the
//     common layout: from the downstream status and size alone.

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	"fivexx/sources"
)

func init() {
	sources.Register(sources.Format{
		Name:     "traefik-json",
		Names:    &sources.FieldNames{Addr: "ServiceAddr", Status: "OriginStatus"},
		Role:     sources.RoleProxy,
		Priority: 10,
		// No state between lines: parsed in parallel by chunks.
		Stateless: true,
		Detect:    detectJSON,
		New:       func(sources.ParserOptions) (sources.Parser, error) { return NewJSONParser(), nil },
		Doc:       "Traefik access log in JSON (DownstreamStatus, OriginStatus, ServiceURL, Duration in ns)",
	})
}

// JSONParser parses Traefik's JSON access log. It keeps no state.
type JSONParser struct{}

// NewJSONParser returns a parser for Traefik's JSON access log.
func NewJSONParser() *JSONParser { return &JSONParser{} }

// num is a JSON number (or a number in a string); set says the key was there.
type num struct {
	n   int64
	set bool
}

// UnmarshalJSON implements json.Unmarshaler.
func (v *num) UnmarshalJSON(b []byte) error {
	s := strings.Trim(string(b), `"`)
	if s == "null" || s == "" || s == "-" {
		return nil
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return fmt.Errorf("not a number: %s", b)
	}
	v.n, v.set = int64(f), true
	return nil
}

// text is a JSON string; any other value is kept as written.
type text string

// UnmarshalJSON implements json.Unmarshaler.
func (t *text) UnmarshalJSON(b []byte) error {
	if len(b) > 0 && b[0] == '"' {
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		*t = text(s)
		return nil
	}
	if string(b) != "null" {
		*t = text(b)
	}
	return nil
}

// jsonEntry holds the keys the parser reads. encoding/json matches keys
// without regard to case, which covers the header keys' spellings.
type jsonEntry struct {
	ClientHost        text `json:"ClientHost"`
	ClientPort        text `json:"ClientPort"`
	DownstreamStatus  num  `json:"DownstreamStatus"`
	DownstreamSize    num  `json:"DownstreamContentSize"`
	Duration          num  `json:"Duration"`
	OriginStatus      num  `json:"OriginStatus"`
	OriginSize        num  `json:"OriginContentSize"`
	OriginDuration    num  `json:"OriginDuration"`
	RequestMethod     text `json:"RequestMethod"`
	RequestPath       text `json:"RequestPath"`
	RequestProtocol   text `json:"RequestProtocol"`
	RequestHost       text `json:"RequestHost"`
	RetryAttempts     num  `json:"RetryAttempts"`
	RouterName        text `json:"RouterName"`
	ServiceAddr       text `json:"ServiceAddr"`
	ServiceName       text `json:"ServiceName"`
	ServiceURL        text `json:"ServiceURL"`
	StartUTC          text `json:"StartUTC"`
	StartLocal        text `json:"StartLocal"`
	Time              text `json:"time"`
	RequestID         text `json:"request_X-Request-Id"`
	RequestIDUpstream text `json:"origin_X-Request-Id"`
	TraceID           text `json:"TraceId"`
	TraceIDSnake      text `json:"trace_id"`
}

// Parse implements sources.Parser.
// A line that is not an access line may be one of Traefik's own (own.go),
// in any of its layouts: v3's default log.format writes console lines
// into the stream of a JSON access log.
func (p *JSONParser) Parse(line string) (sources.Record, error) {
	e, err := parseJSON(line)
	if err != nil {
		if own, oerr := parseOwn(line, errJSON); oerr == nil {
			return own, nil
		}
		return nil, err
	}
	return e, nil
}

func errJSON(what string) error {
	return sources.NoMatch("traefik-json", what)
}

func parseJSON(line string) (*sources.ProxyEntry, error) {
	s := strings.TrimSpace(line)
	if s == "" || s[0] != '{' {
		return nil, errJSON("not a JSON object")
	}
	var j jsonEntry
	if err := json.Unmarshal([]byte(s), &j); err != nil {
		return nil, errJSON("bad JSON")
	}
	if !j.DownstreamStatus.set && !j.OriginStatus.set {
		return nil, errJSON("no DownstreamStatus")
	}
	if j.RequestMethod == "" && j.RequestPath == "" && j.RouterName == "" && j.ServiceName == "" {
		return nil, errJSON("no request or router keys")
	}
	if j.DownstreamStatus.n < 0 || j.DownstreamStatus.n > 999 || j.OriginStatus.n < 0 || j.OriginStatus.n > 999 {
		return nil, errJSON("bad status")
	}
	start, ok := parseTime(string(j.StartUTC))
	if !ok {
		start, ok = parseTime(string(j.StartLocal))
	}
	if !ok {
		start, ok = parseTime(string(j.Time))
	}
	if !ok {
		return nil, errJSON("no StartUTC or time")
	}

	e := &sources.ProxyEntry{
		Raw:         line,
		Status:      int(j.DownstreamStatus.n),
		BodyBytes:   -1,
		RequestTime: -1,
		Time:        start,
	}
	if !j.DownstreamStatus.set {
		e.Status = int(j.OriginStatus.n)
	}
	if j.DownstreamSize.set {
		e.BodyBytes = j.DownstreamSize.n
	}
	if j.Duration.set && j.Duration.n >= 0 {
		d := time.Duration(j.Duration.n)
		e.RequestTime = d.Seconds()
		if j.StartUTC != "" || j.StartLocal != "" {
			e.Time = start.Add(d)
		}
		e.Fields |= sources.FieldRequestTime
	}
	e.Client, e.ClientPort = dash(string(j.ClientHost)), dash(string(j.ClientPort))
	e.Method, e.Path, e.Proto = dash(string(j.RequestMethod)), string(j.RequestPath), dash(string(j.RequestProtocol))
	e.Host = dash(string(j.RequestHost))
	for _, id := range []text{j.RequestID, j.RequestIDUpstream, j.TraceID, j.TraceIDSnake} {
		if v := dash(string(id)); v != "" {
			e.RequestID = v
			e.Fields |= sources.FieldRequestID
			break
		}
	}

	r := request{
		downstream:  e.Status,
		origin:      int(j.OriginStatus.n),
		hasOrigin:   j.OriginStatus.set,
		originSize:  j.OriginSize.n,
		hasSize:     j.OriginSize.set,
		originTime:  time.Duration(j.OriginDuration.n),
		hasTime:     j.OriginDuration.set,
		serviceURL:  dash(string(j.ServiceURL)),
		serviceAddr: dash(string(j.ServiceAddr)),
		serviceName: dash(string(j.ServiceName)),
		routerName:  dash(string(j.RouterName)),
		retries:     int(j.RetryAttempts.n),
	}
	if !r.hasOrigin {
		r.originSize, r.hasSize, r.likelyDetail = e.BodyBytes, e.BodyBytes >= 0, true
	}
	v := judge(r)
	e.Reason, e.UpstreamContacted, e.UpstreamAnswered, e.Detail = v.reason, v.contacted, v.answered, v.detail
	e.Upstream, e.UpstreamAddr = upstreamOf(r)
	e.Fields |= sources.FieldUpstreamAddr
	if r.hasOrigin {
		st := "-"
		if r.origin != 0 {
			st = strconv.Itoa(r.origin)
		}
		e.UpstreamStatus, e.UpstreamStatusRaw = []string{st}, st
		e.Fields |= sources.FieldUpstreamStatus
	}
	// Traefik's own 502 logs OriginStatus 502 and the time of its failed
	// attempt: that time is not the upstream's answer, and formats.md
	// §7.2 says such a 502 is unknown without the DEBUG line, so it is not
	// offered to the timing guess (refused if quick, else reset); nor is
	// the time of its own 500 or 504.
	if r.hasTime && r.origin != 0 && !v.own {
		e.UpstreamResponse = []string{strconv.FormatFloat(r.originTime.Seconds(), 'f', 3, 64)}
		e.Fields |= sources.FieldUpstreamResponseTime
	}
	return e, nil
}

// parseTime parses StartUTC/StartLocal/time (RFC 3339, any precision).
func parseTime(s string) (time.Time, bool) {
	if s == "" {
		return time.Time{}, false
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	return t, err == nil
}

// detectJSON scores a line: 100 for a Traefik JSON access line, above the
// app-json detector that its level/msg/time keys also satisfy.
// A line of its own that gives the cause of a 5xx scores ownScore.
//
// Detection asks it of every app JSON line: it decodes a line only as
// what the line may be by its keys (an access line, one of Traefik's
// own), so that an app's line says no without a decode, as
// detectJSONDecoding (detectJSON without the key checks) does with two.
func detectJSON(line string) int {
	if s := strings.TrimSpace(line); s == "" || s[0] != '{' {
		return 0 // what both parsers say
	}
	held := detectKeys.In(line)
	if held.Has("DownstreamStatus") || held.Has("OriginStatus") {
		if _, err := parseJSON(line); err == nil {
			return 100
		}
	}
	if mayBeOwnJSON(line, held) {
		if _, err := parseOwnJSON(line, errJSON); err == nil {
			return ownScore
		}
	}
	return 0
}

// detectKeys are the keys detectJSON looks for before it decodes.
var detectKeys = sources.JSONKeys{"DownstreamStatus", "OriginStatus", "level", "time", "msg", "message", "error"}

// mayBeOwnJSON says whether line, which may hold the keys held, may be
// one of Traefik's own JSON lines that parseOwnJSON reads: one with a
// level, a time, a message and an error, in an "error" key or after
// " caused by: " in the message (a PlainJSON line holds the message as
// written; held holds every key of a line that is not).
func mayBeOwnJSON(line string, held sources.HeldKeys) bool {
	return held.Has("level") && held.Has("time") && (held.Has("msg") || held.Has("message")) &&
		(held.Has("error") || strings.Contains(line, " caused by: "))
}

// detectJSONDecoding is detectJSON by parsing the line as both, whatever
// it holds.
func detectJSONDecoding(line string) int {
	if _, err := parseJSON(line); err != nil {
		if _, oerr := parseOwnJSON(line, errJSON); oerr == nil {
			return ownScore
		}
		return 0
	}
	return 100
}
