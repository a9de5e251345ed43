package traefik

// common.go registers "traefik": the default "common" access log layout
// (formats.md §7.1):
//
//	<ClientHost> - <ClientUsername> [<StartUTC>] "<Method> <Path> <Protocol>"
//	<DownstreamStatus> <DownstreamContentSize> "<Referer>" "<User-Agent>"
//	<RequestCount> "<RouterName>" "<ServiceURL>" <Duration>ms
//
// The rules:
//   - The status and size are "-" when nothing was written (hijacked or
//     aborted requests), or 0: Traefik writes DownstreamStatus with %v,
//     and 0 is a websocket's or an aborted request's (formats.md §7.4),
//     "000" as the JSON layout's 0 is; ServiceURL is "-" (quoted or not,
//     by version) when the request reached no service.
//   - Only the downstream status is logged, so an "own 502" is judged from
//     the downstream size: 11 bytes is "Bad Gateway" (likely, since a
//     backend could send the same body); the whole duration stands in for
//     the origin's when telling a 30 s dial timeout.
//   - A line without the three Traefik fields (genericCLF) is nginx's
//     combined format and is left to the nginx parsers.
//   - The upstream is the ServiceURL's host:port; UpstreamAddr keeps the
//     ServiceURL as logged, scheme and all, as the evidence quotes it.

import (
	"strings"
	"time"

	"fivexx/sources"
)

func init() {
	sources.Register(sources.Format{
		Name:     "traefik",
		Names:    &sources.FieldNames{Addr: "ServiceURL"},
		Role:     sources.RoleProxy,
		Priority: 10,
		// No state between lines: parsed in parallel by chunks.
		Stateless: true,
		Detect:    detectCommon,
		New:       func(sources.ParserOptions) (sources.Parser, error) { return NewCommonParser(), nil },
		Doc:       "Traefik access log, default common format (… RequestCount \"Router\" \"ServiceURL\" Nms)",
	})
}

// clfTime is the layout of the bracketed CLF date.
const clfTime = "02/Jan/2006:15:04:05 -0700"

// CommonParser parses Traefik's common access log layout. It keeps no state.
type CommonParser struct{}

// NewCommonParser returns a parser for Traefik's common layout.
func NewCommonParser() *CommonParser { return &CommonParser{} }

func errCommon(what string) error {
	return sources.NoMatch("traefik", what)
}

// Parse implements sources.Parser.
// A line that is not an access line may be one of Traefik's own (own.go),
// in any of its layouts.
func (p *CommonParser) Parse(line string) (sources.Record, error) {
	e, err := parseCommon(line)
	if err != nil {
		if own, oerr := parseOwn(line, errCommon); oerr == nil {
			return own, nil
		}
		return nil, err
	}
	return e, nil
}

func parseCommon(line string) (*sources.ProxyEntry, error) {
	s := line
	client, s, ok := cutSpace(s)
	if !ok || client == "" {
		return nil, errCommon("no client")
	}
	if !strings.HasPrefix(s, "- ") {
		return nil, errCommon("no ident field")
	}
	s = s[2:]
	if _, s, ok = cutSpace(s); !ok { // user
		return nil, errCommon("no user")
	}
	if len(s) < len(clfTime)+2 || s[0] != '[' || s[len(clfTime)+1] != ']' {
		return nil, errCommon("no [date]")
	}
	start, err := time.Parse(clfTime, s[1:len(clfTime)+1])
	if err != nil {
		return nil, errCommon("bad date")
	}
	s = strings.TrimPrefix(s[len(clfTime)+2:], " ")
	reqLine, s, ok := cutQuoted(s)
	if !ok {
		return nil, errCommon("no request line")
	}
	statusTok, s, ok1 := cutSpace(s)
	sizeTok, s, ok2 := cutSpace(s)
	if !ok1 || !ok2 {
		return nil, errCommon("no status and size")
	}
	status, size := 0, int64(-1)
	if statusTok != "-" && statusTok != "0" {
		n, ok := atoi64(statusTok)
		if !ok || len(statusTok) != 3 {
			return nil, errCommon("bad status")
		}
		status = int(n)
	}
	if sizeTok != "-" {
		n, ok := atoi64(sizeTok)
		if !ok {
			return nil, errCommon("bad size")
		}
		size = n
	}
	_, s, ok = cutQuoted(s) // referer
	if !ok {
		return nil, errCommon("no referer")
	}
	ua, s, ok := cutQuoted(s)
	if !ok {
		return nil, errCommon("no user agent")
	}
	countTok, s, ok := cutSpace(s)
	if !ok || !isDigits(countTok) {
		return nil, errCommon("no request count")
	}
	router, s, ok := cutQuoted(s)
	if !ok {
		return nil, errCommon("no router name")
	}
	var service string
	if strings.HasPrefix(s, `"`) {
		service, s, ok = cutQuoted(s)
	} else {
		service, s, ok = cutSpace(s)
	}
	if !ok {
		return nil, errCommon("no service URL")
	}
	ms, ok := atoi64(strings.TrimSuffix(s, "ms"))
	if !ok || !strings.HasSuffix(s, "ms") {
		return nil, errCommon("no duration")
	}

	e := &sources.ProxyEntry{Raw: line, Status: status, BodyBytes: size}
	e.Client, e.ClientPort = splitHostPort(client)
	e.Method, e.Path, e.Proto = splitRequest(reqLine)
	e.UserAgent = dash(ua)
	e.RequestTime = float64(ms) / 1000
	e.Time = start.Add(time.Duration(ms) * time.Millisecond)
	r := request{
		downstream:   status,
		originSize:   size,
		hasSize:      size >= 0,
		originTime:   time.Duration(ms) * time.Millisecond,
		hasTime:      true,
		serviceURL:   dash(service),
		routerName:   dash(router),
		likelyDetail: true,
	}
	v := judge(r)
	e.Reason, e.UpstreamContacted, e.UpstreamAnswered, e.Detail = v.reason, v.contacted, v.answered, v.detail
	e.Upstream, e.UpstreamAddr = upstreamOf(r)
	if r.serviceURL != "" {
		// The evidence quotes the field as logged ("ServiceURL
		// http://172.18.0.9:8080"); requests are grouped by its host.
		e.UpstreamAddr = []string{r.serviceURL}
	}
	e.Fields = sources.FieldRequestTime | sources.FieldUpstreamAddr
	return e, nil
}

// cutSpace returns the text before the next space and the text after it;
// the last field of a line has no space after it.
func cutSpace(s string) (tok, rest string, ok bool) {
	if s == "" {
		return "", "", false
	}
	i := strings.IndexByte(s, ' ')
	if i < 0 {
		return s, "", true
	}
	return s[:i], s[i+1:], true
}

// cutQuoted reads a quoted field: it ends at a '"' followed by a space or
// the end of the line (Traefik does not escape quotes in values).
func cutQuoted(s string) (val, rest string, ok bool) {
	if s == "" || s[0] != '"' {
		return "", s, false
	}
	for i := 1; i < len(s); i++ {
		if s[i] == '"' && (i+1 == len(s) || s[i+1] == ' ') {
			rest = s[i+1:]
			return s[1:i], strings.TrimPrefix(rest, " "), true
		}
	}
	return "", s, false
}

// splitRequest splits "METHOD PATH PROTO".
func splitRequest(r string) (method, path, proto string) {
	i := strings.IndexByte(r, ' ')
	if i < 0 {
		return dash(r), "", ""
	}
	method, r = r[:i], r[i+1:]
	if j := strings.LastIndexByte(r, ' '); j >= 0 && strings.HasPrefix(r[j+1:], "HTTP/") {
		path, proto = r[:j], r[j+1:]
	} else {
		path = r
	}
	return dash(method), path, proto
}

// detectCommon scores a line: 100 for a Traefik common line (above nginx's
// combined, which a Traefik line also starts like).
// A line of its own that gives the cause of a 5xx scores ownScore, in
// its text layouts (v2's logrus text, v3's zerolog console); its JSON
// lines score for traefik-json.
func detectCommon(line string) int {
	if _, err := parseCommon(line); err != nil {
		if strings.HasPrefix(strings.TrimLeft(line, " "), "{") {
			return 0
		}
		if _, oerr := parseOwn(line, errCommon); oerr == nil {
			return ownScore
		}
		return 0
	}
	return 100
}
