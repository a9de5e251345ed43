package traefik

// own.go reads Traefik's own log lines, which share a stream with the
// access log when both go to stdout (the default): its start-up lines, and
// at DEBUG the cause of its own 5xx, which the access log never carries
// (formats.md §7.2, §7.3):
//
//	time="2020-07-27T10:00:00Z" level=debug msg="'502 Bad Gateway' caused by: dial tcp 10.244.0.146:5000: connect: connection refused"
//	{"level":"debug","error":"dial tcp 10.244.0.146:5000: connect: connection refused","message":"502 Bad Gateway","time":"2024-01-02T03:04:05Z"}
//
// (v2 text, v3 JSON.) A line that names a 5xx status and a Go error is a
// sources.ProxyError with that status, the reason the error gives and the
// upstream it dialled, which joins the 5xx to that upstream at that time
// (classify: the proxy's state lines). Traefik's other lines are left
// unparsed: any logrus or zerolog program writes them alike.

import (
	"encoding/json"
	"strings"
	"time"

	"fivexx/sources"
)

var ownLevels = map[string]bool{
	"trace": true, "debug": true, "info": true, "warn": true, "warning": true,
	"error": true, "fatal": true, "panic": true,
}

// parseOwnText reads a logrus text line: time="…" level=… msg="…" [k=v …].
func parseOwnText(line string) (*sources.ProxyError, error) {
	var tm, level, msg, errText string
	var hasMsg bool
	s := line
	for s != "" {
		key, val, rest, ok := nextPair(s)
		if !ok {
			return nil, errCommon("not a Traefik log line")
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
		return nil, errCommon("not a Traefik log line")
	}
	t, ok := parseTime(tm)
	if !ok {
		return nil, errCommon("not a Traefik log line")
	}
	return ownRecord(line, t, level, msg, errText, errCommon)
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
func parseOwnJSON(line string) (*sources.ProxyError, error) {
	s := strings.TrimSpace(line)
	if s == "" || s[0] != '{' {
		return nil, errJSON("not a Traefik log line")
	}
	var j ownJSON
	if err := json.Unmarshal([]byte(s), &j); err != nil || !ownLevels[strings.ToLower(j.Level)] {
		return nil, errJSON("not a Traefik log line")
	}
	msg := j.Msg
	if msg == "" {
		msg = j.Message
	}
	t, ok := parseTime(j.Time)
	if !ok || msg == "" {
		return nil, errJSON("not a Traefik log line")
	}
	return ownRecord(line, t, strings.ToLower(j.Level), msg, j.Error, errJSON)
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
	e := &sources.ProxyError{Raw: line, Time: t, Level: level, Message: msg, Status: status}
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
