package envoy

// json.go registers "envoy-json": Envoy JSON access logs written with
// json_format (or typed_json_format) and Istio's JSON encoding, which use the
// command operators' snake_case names as keys (formats.md §4.1).
//
// The rules:
//   - A line is Envoy's when it is a JSON object with "start_time",
//     "response_code" and one of "response_flags", "response_code_details"
//     or "upstream_cluster".
//   - json_format writes every value as a string ("503", "-"); typed JSON
//     writes numbers and null. Both are read.
//   - "x-envoy-original-path" (or "original_path") wins over "path", as in
//     %REQ(X-ENVOY-ORIGINAL-PATH?:PATH)%.
//   - Envoy Gateway's default format names keys after headers
//     ("x-envoy-origin-path", "x-request-id", ":authority", "user-agent",
//     "x-forwarded-for", "x-envoy-upstream-service-time"); both spellings
//     are read.
//   - "duration" and "upstream_service_time" are milliseconds.

import (
	"encoding/json"
	"strconv"
	"strings"
	"time"

	"fivexx/sources"
)

func init() {
	sources.Register(sources.Format{
		Name:     "envoy-json",
		Names:    &sources.FieldNames{Addr: "upstream_host", HeaderTime: "upstream_service_time (s)", Flags: "response_flags"},
		Role:     sources.RoleProxy,
		Priority: 10,
		// No state between lines: parsed in parallel by chunks.
		Stateless: true,
		Detect:    detectJSON,
		New:       func(sources.ParserOptions) (sources.Parser, error) { return NewJSONParser(), nil },
		Doc:       "Envoy / Istio JSON access log (start_time, response_code, response_flags, upstream_host …)",
	})
}

// JSONParser parses Envoy JSON access log lines. It keeps no state.
type JSONParser struct{}

// NewJSONParser returns a parser for Envoy JSON access logs.
func NewJSONParser() *JSONParser { return &JSONParser{} }

// text is a JSON value read as text: a string as is, a number as written,
// null as "". set records that the key was there at all (null included).
type text struct {
	s   string
	set bool
}

// UnmarshalJSON implements json.Unmarshaler. encoding/json calls it for
// null too, which is how a null key is told from a missing one.
func (t *text) UnmarshalJSON(b []byte) error {
	t.set = true
	switch {
	case len(b) == 0 || string(b) == "null":
		t.s = ""
	case b[0] == '"':
		return json.Unmarshal(b, &t.s)
	default:
		t.s = string(b)
	}
	return nil
}

// jsonEntry holds the keys the parser reads.
type jsonEntry struct {
	StartTime        text `json:"start_time"`
	Method           text `json:"method"`
	Path             text `json:"path"`
	OriginalPath     text `json:"x-envoy-original-path"`
	OriginalPathAlt  text `json:"original_path"`
	Protocol         text `json:"protocol"`
	ResponseCode     text `json:"response_code"`
	ResponseFlags    text `json:"response_flags"`
	ResponseDetails  text `json:"response_code_details"`
	Termination      text `json:"connection_termination_details"`
	TransportFailure text `json:"upstream_transport_failure_reason"`
	BytesSent        text `json:"bytes_sent"`
	Duration         text `json:"duration"`
	UpstreamSvcTime  text `json:"upstream_service_time"`
	XForwardedFor    text `json:"x_forwarded_for"`
	UserAgent        text `json:"user_agent"`
	RequestID        text `json:"request_id"`
	Authority        text `json:"authority"`
	UpstreamHost     text `json:"upstream_host"`
	UpstreamCluster  text `json:"upstream_cluster"`
	DownstreamRemote text `json:"downstream_remote_address"`
	UpstreamLocal    text `json:"upstream_local_address"`

	// Envoy Gateway's default JSON format names some keys after the
	// headers they hold.
	OriginPathEG text `json:"x-envoy-origin-path"`
	SvcTimeEG    text `json:"x-envoy-upstream-service-time"`
	XFFEG        text `json:"x-forwarded-for"`
	UserAgentEG  text `json:"user-agent"`
	RequestIDEG  text `json:"x-request-id"`
	AuthorityEG  text `json:":authority"`
}

// or returns the first of the values whose key was present.
func or(vals ...text) text {
	for _, v := range vals {
		if v.set {
			return v
		}
	}
	return text{}
}

// Parse implements sources.Parser.
func (p *JSONParser) Parse(line string) (sources.Record, error) {
	e, err := parseJSON(line)
	if err != nil {
		return nil, err
	}
	return e, nil
}

func errJSON(what string) error {
	return sources.NoMatch("envoy-json", what)
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
	if !j.StartTime.set || !j.ResponseCode.set ||
		!(j.ResponseFlags.set || j.ResponseDetails.set || j.UpstreamCluster.set) {
		return nil, errJSON("no start_time, response_code and response_flags")
	}
	start, ok := parseStartTime(j.StartTime.s)
	if !ok {
		return nil, errJSON("bad start_time")
	}
	status, ok := atoi(j.ResponseCode.s)
	if !ok || status > 999 {
		return nil, errJSON("bad response_code")
	}
	flags := j.ResponseFlags.s
	if j.ResponseFlags.set && flags == "" {
		// No flag, as "-" says it (formats.md General pitfalls):
		// typed_json_format writes null, a custom format "". Read as
		// none at all, a 503 via_upstream was medium where "-" made it
		// high (QA s31 F9). An absent key is no flag field logged.
		flags = "-"
	}
	if flags != "" && !isFlagsToken(flags) {
		return nil, errJSON("bad response_flags")
	}

	e := &sources.ProxyEntry{Raw: line, Status: status, BodyBytes: -1, RequestTime: -1, Time: start}
	e.Method = dash(j.Method.s)
	for _, p := range []text{j.OriginalPath, j.OriginPathEG, j.OriginalPathAlt, j.Path} {
		if e.Path = dash(p.s); e.Path != "" {
			break
		}
	}
	e.Proto = dash(j.Protocol.s)
	if n, ok := atoi64(j.BytesSent.s); ok {
		e.BodyBytes = n
	}
	if ms, ok := millis(j.Duration.s); ok {
		e.RequestTime = ms / 1000
		e.Time = start.Add(time.Duration(ms * float64(time.Millisecond)))
	}
	e.UserAgent = dash(or(j.UserAgent, j.UserAgentEG).s)
	e.Host = dash(or(j.Authority, j.AuthorityEG).s)
	e.RequestID = dash(or(j.RequestID, j.RequestIDEG).s)
	e.Client, e.ClientPort = splitHostPort(dash(j.DownstreamRemote.s))
	if e.Client == "" {
		e.Client = firstXFF(or(j.XForwardedFor, j.XFFEG).s)
	}
	a := attempt{
		status:      status,
		flags:       flags,
		details:     dash(j.ResponseDetails.s),
		termination: dash(j.Termination.s),
		transport:   dash(j.TransportFailure.s),
	}
	if svc := or(j.UpstreamSvcTime, j.SvcTimeEG); svc.set {
		a.serviceTime = "-"
		if ms, ok := millis(svc.s); ok {
			a.serviceTime = strconv.FormatInt(int64(ms), 10)
		}
	}
	if j.UpstreamHost.set {
		a.host = j.UpstreamHost.s
		if a.host == "" {
			a.host = "-" // null or empty: no host was picked
		}
	}
	fill(e, a, dash(j.UpstreamCluster.s))
	meshHop(e, dash(j.UpstreamCluster.s), dash(j.UpstreamLocal.s), dash(j.DownstreamRemote.s))
	return e, nil
}

// millis parses a millisecond value: an integer, a float, or "12ms".
func millis(s string) (float64, bool) {
	s = strings.TrimSuffix(s, "ms")
	if s == "" || s == "-" {
		return 0, false
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || f < 0 || f > 1e12 {
		return 0, false
	}
	return f, true
}

// detectJSON scores a line: 100 for an Envoy JSON access line.
func detectJSON(line string) int {
	if s := strings.TrimSpace(line); s == "" || s[0] != '{' {
		return 0
	}
	if held := detectKeys.In(line); !held.Has("start_time") || !held.Has("response_code") {
		// parseJSON needs both: an app's JSON line says no without a
		// decode (detectJSONDecoding is detectJSON without this check).
		return 0
	}
	return detectJSONDecoding(line)
}

// detectKeys are the keys detectJSON looks for before it decodes.
var detectKeys = sources.JSONKeys{"start_time", "response_code"}

// detectJSONDecoding is detectJSON by parsing the line, whatever it holds.
func detectJSONDecoding(line string) int {
	if _, err := parseJSON(line); err != nil {
		return 0
	}
	return 100
}
