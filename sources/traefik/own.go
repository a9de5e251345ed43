package traefik

// own.go reads Traefik's own log lines, which share a stream with the
// access log when both go to stdout (the default): its start-up lines, and
// at DEBUG the cause of its own 5xx, which the access log never carries
// (formats.md §7.2, §7.3):
//
//	time="2020-07-27T10:00:00Z" level=debug msg="'502 Bad Gateway' caused by: dial tcp 10.244.0.146:5000: connect: connection refused"
//	{"level":"debug","error":"dial tcp 10.244.0.146:5000: connect: connection refused","message":"502 Bad Gateway","time":"2024-01-02T03:04:05Z"}
//	2025-08-14T03:55:08Z DBG github.com/traefik/traefik/v3/pkg/proxy/httputil/proxy.go:121 > 502 Bad Gateway error="dial tcp 10.76.0.36:8080: connect: connection refused"
//
// (v2 text, v3 JSON, v3 console: zerolog's ConsoleWriter, v3's default
// log.format "common".) A line that names a 5xx status and a Go error is a
// sources.ProxyError with that status, the reason the error gives and the
// upstream it dialled, which joins the 5xx to that upstream at that time
// (classify: the proxy's state lines). Traefik's other lines are left
// unparsed: any logrus or zerolog program writes them alike.
//
// The log format and the access log format are set apart (log.format,
// accessLog.format), so either access parser reads the cause lines in
// every layout (parseOwn). v3 logs the line at DEBUG, but at ERROR, its
// default level, when the error is a TLS one of configuration (a
// certificate that does not verify, TLS to a plain port: 500), with the
// caller only at DEBUG (pkg/proxy/httputil/proxy.go ErrorHandlerWithContext,
// cmd/traefik/logger.go).

import (
	"encoding/json"
	"strconv"
	"strings"
	"time"

	"fivexx/sources"
)

var ownLevels = map[string]bool{
	"trace": true, "debug": true, "info": true, "warn": true, "warning": true,
	"error": true, "fatal": true, "panic": true,
}

// parseOwnText reads a logrus text line: time="…" level=… msg="…" [k=v …].
func parseOwnText(line string, notOne func(string) error) (*sources.ProxyError, error) {
	var tm, level, msg, errText string
	var hasMsg bool
	s := line
	for s != "" {
		key, val, rest, ok := nextPair(s)
		if !ok {
			return nil, notOne("not a Traefik log line")
		}
		switch key {
		case "time":
			tm = val
		case "level":
			level = val
		case "msg":
			msg, hasMsg = val, true
		case "error":
			errText = val
		}
		s = rest
	}
	if !ownLevels[level] || !hasMsg {
		return nil, notOne("not a Traefik log line")
	}
	t, ok := parseTime(tm)
	if !ok {
		return nil, notOne("not a Traefik log line")
	}
	return ownRecord(line, t, level, msg, errText, notOne)
}

// nextPair reads `key=value ` or `key="quoted \" value" ` at the start of s.
func nextPair(s string) (key, val, rest string, ok bool) {
	s = strings.TrimLeft(s, " ")
	eq := strings.IndexByte(s, '=')
	if eq <= 0 || strings.ContainsAny(s[:eq], " \"") {
		return "", "", "", false
	}
	key, s = s[:eq], s[eq+1:]
	if s == "" || s[0] != '"' {
		val, rest, _ = strings.Cut(s, " ")
		return key, val, rest, true
	}
	var b strings.Builder
	for i := 1; i < len(s); i++ {
		switch c := s[i]; {
		case c == '\\' && i+1 < len(s):
			i++
			b.WriteByte(s[i])
		case c == '"':
			return key, b.String(), s[i+1:], true
		default:
			b.WriteByte(c)
		}
	}
	return "", "", "", false
}

// parseOwn reads one of Traefik's own lines that gives the cause of a 5xx,
// in any of its layouts; notOne makes the error of a line that is none.
func parseOwn(line string, notOne func(string) error) (*sources.ProxyError, error) {
	s := strings.TrimLeft(line, " ")
	switch {
	case s == "":
	case s[0] == '{':
		return parseOwnJSON(line, notOne)
	case strings.HasPrefix(s, "time="):
		return parseOwnText(line, notOne)
	case s[0] >= '0' && s[0] <= '9' || s[0] == '\x1b':
		return parseOwnConsole(line, notOne)
	}
	return nil, notOne("not a Traefik log line")
}

// consoleLevels are zerolog's console level labels (console.go
// formatStrAsLevelString) and the level each stands for.
var consoleLevels = map[string]string{
	"TRC": "trace", "DBG": "debug", "INF": "info", "WRN": "warn", "ERR": "error", "FTL": "fatal", "PNC": "panic",
}

// parseOwnConsole reads a zerolog console line as Traefik v3 writes it:
// "TIME LVL [CALLER >] MESSAGE[ error=VALUE][ key=value …]", TIME in RFC
// 3339, the error field first of the fields, its value quoted as Go
// quotes (strconv.Quote) when it has a space, a quote or a backslash,
// bare otherwise (error=EOF). Written to a terminal or a container's
// stdout the parts are coloured (log.noColor false, no log.filePath):
// the colour codes are left out first.
func parseOwnConsole(line string, notOne func(string) error) (*sources.ProxyError, error) {
	s := strings.TrimLeft(line, " ")
	if strings.IndexByte(s, '\x1b') >= 0 {
		s = sources.StripColour(s)
	}
	stamp, s, _ := strings.Cut(s, " ")
	lvl, s, _ := strings.Cut(s, " ")
	level, ok := consoleLevels[lvl]
	if !ok {
		return nil, notOne("not a Traefik log line")
	}
	t, ok := parseTime(stamp)
	if !ok {
		return nil, notOne("not a Traefik log line")
	}
	if caller, rest, ok := strings.Cut(s, " > "); ok && strings.Contains(caller, ".go:") && !strings.Contains(caller, " ") {
		s = rest
	}
	msg, val, ok := strings.Cut(s, " error=")
	if !ok {
		return nil, notOne("not a Traefik error line")
	}
	var errText string
	if strings.HasPrefix(val, `"`) {
		q, err := strconv.QuotedPrefix(val)
		if err != nil {
			return nil, notOne("not a Traefik error line")
		}
		errText, _ = strconv.Unquote(q)
	} else {
		errText, _, _ = strings.Cut(val, " ")
	}
	return ownRecord(line, t, level, msg, errText, notOne)
}

// ownJSON is a Traefik JSON log line (logrus in v2: msg; zerolog in v3:
// message and error).
type ownJSON struct {
	Level   string `json:"level"`
	Time    string `json:"time"`
	Msg     string `json:"msg"`
	Message string `json:"message"`
	Error   string `json:"error"`
}

// parseOwnJSON reads a Traefik JSON log line.
func parseOwnJSON(line string, notOne func(string) error) (*sources.ProxyError, error) {
	s := strings.TrimSpace(line)
	if s == "" || s[0] != '{' {
		return nil, notOne("not a Traefik log line")
	}
	var j ownJSON
	if err := json.Unmarshal([]byte(s), &j); err != nil || !ownLevels[strings.ToLower(j.Level)] {
		return nil, notOne("not a Traefik log line")
	}
	msg := j.Msg
	if msg == "" {
		msg = j.Message
	}
	t, ok := parseTime(j.Time)
	if !ok || msg == "" {
		return nil, notOne("not a Traefik log line")
	}
	return ownRecord(line, t, strings.ToLower(j.Level), msg, j.Error, notOne)
}

// ownRecord makes the record of one of Traefik's own lines that gives the
// cause of a 5xx, or returns notOne's error. v2 writes the cause into the
// message ("'502 Bad Gateway' caused by: ERR"), v3 into an error field
// beside "502 Bad Gateway".
func ownRecord(line string, t time.Time, level, msg, errText string, notOne func(string) error) (*sources.ProxyError, error) {
	head := msg
	if h, cause, ok := strings.Cut(msg, " caused by: "); ok {
		head, errText = strings.Trim(h, `'"`), cause
	}
	if errText == "" || len(head) < 4 || head[3] != ' ' {
		return nil, notOne("not a Traefik error line")
	}
	status, ok := atoi3(head[:3])
	if !ok || status < 500 || status > 599 {
		return nil, notOne("not a Traefik error line")
	}
	e := &sources.ProxyError{Raw: line, Time: t, Level: level, Message: msg, Status: int32(status)}
	e.Reason = sources.GoErrorReason(errText)
	e.Upstream = sources.GoErrorAddr(errText, e.Reason)
	e.UpstreamAddr = e.Upstream
	if msg == head {
		e.Message = msg + ": " + errText
	}
	return e, nil
}

func atoi3(s string) (int, bool) {
	n := 0
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return 0, false
		}
		n = n*10 + int(s[i]-'0')
	}
	return n, len(s) == 3
}

// ownScore is the detection score of a line that gives the cause of one
// of Traefik's own 5xx: it is about a request, as an access line is.
const ownScore = 90
