package haproxy

import (
	"strings"
	"time"

	"fivexx/sources"
)

// "option httplog clf" writes the same fields as httplog in the Common Log
// Format's order, each on its own: HAProxy's doc/configuration.txt gives
// its strict equivalent, and src/log.c clf_http_log_format is
//
//	%{+Q}o %{-Q}ci - - [%trg] %r %ST %B "" "" %cp %ms %ft %b %s %TR %Tw %Tc
//	%Tr %Ta %tsc %ac %fc %bc %sc %rc %sq %bq %CC %CS %hrl %hsl
//
// ("+Q" quotes every string after the client address):
//
//	127.0.0.1 - - [22/Nov/2026:05:54:11 +0000] "GET /e503 HTTP/1.1" 503 49 "" "" 60778 926 "fe3" "be_app" "s1" 0 0 0 2 2 ---- 1 1 0 0 0 0 0 "" "" "127.0.0.1:39202" "4f7c2c8d1e0b6a9f3c2d1e0f9a8b7c04"
//
// The date is the request's in GMT to the second, %ms its milliseconds.
// The captured headers are quoted one by one, the request's then the
// response's, with nothing between the two lists: all are request id
// candidates (requestIDFrom, requestCaptures).

// parseCLF parses the clf payload of line.
func (p *Parser) parseCLF(line, s string) (*sources.ProxyEntry, error) {
	e, _, err := p.parseCLFCaptures(line, s)
	return e, err
}

// parseCLFCaptures is parseCLF that also returns the captured headers,
// as logged.
func (p *Parser) parseCLFCaptures(line, s string) (*sources.ProxyEntry, []string, error) {
	e := &sources.ProxyEntry{Raw: line}
	var tok string
	var ok bool

	// %ci - -
	if tok, s, ok = cutField(s); !ok || strings.ContainsAny(tok, `"[`) {
		return nil, nil, errShort("client")
	}
	e.Client = tok
	if s, ok = strings.CutPrefix(s, "- - ["); !ok {
		return nil, nil, errBad("ident and user", s)
	}

	// [%trg]: "22/Nov/2026:05:54:11 +0000]"
	end := strings.IndexByte(s, ']')
	if end < 0 {
		return nil, nil, errShort("date")
	}
	t, err := time.Parse("02/Jan/2006:15:04:05 -0700", s[:end])
	if err != nil {
		return nil, nil, errBad("date", s[:end])
	}
	s, ok = strings.CutPrefix(s[end+1:], " ")
	if !ok {
		return nil, nil, errShort("request")
	}

	// %r, quoted as in httplog: '"' is written "#22".
	var request string
	if request, s, ok = cutQuoted(s); !ok {
		return nil, nil, errBad("request line", s)
	}
	e.Method, e.Path, e.Proto = splitRequest(request, false)

	// %ST %B
	var nums [2]int64
	if s, ok = cutNumbers(s, nums[:]); !ok || nums[0] < -1 || nums[0] > 999 || nums[1] < 0 {
		return nil, nil, errBad("status and bytes", s)
	}
	e.Status, e.BodyBytes = int(nums[0]), nums[1]

	// "" "": the referer and user agent CLF has and HAProxy does not log.
	if s, ok = strings.CutPrefix(s, `"" "" `); !ok {
		return nil, nil, errBad("referer and user agent", s)
	}

	// %cp %ms
	if tok, s, ok = cutField(s); !ok || !allDigits(tok) {
		return nil, nil, errBad("client port", tok)
	}
	e.ClientPort = tok
	if tok, s, ok = cutField(s); !ok || len(tok) != 3 || !allDigits(tok) {
		return nil, nil, errBad("milliseconds", tok)
	}
	e.Time = t.Add(time.Duration(atoi3(tok)) * time.Millisecond)
	e.TimePrecision = sources.FractionDigits(3)
	e.ZoneFromLine = true // its own offset, not TZ

	// %ft %b %s, quoted (+Q) or not: a log-format after clf's without
	// %{+Q}o. A proxy or server name has no space or '"' (HAProxy's
	// invalid_char), so a bare word is read as one; the fields around it
	// (client port, ms, five timers, termination state) are no app's.
	var names [3]string
	for i, name := range [...]string{"frontend", "backend", "server"} {
		if names[i], s, ok = cutName(s); !ok {
			return nil, nil, errBad(name, s)
		}
	}
	e.Upstream = names[1] + "/" + names[2]

	// %TR %Tw %Tc %Tr %Ta
	var tm [5]int64
	if s, ok = cutNumbers(s, tm[:]); !ok {
		return nil, nil, errBad("timers", s)
	}
	timers := httpTimers{tm[0], tm[1], tm[2], tm[3], tm[4]}

	// %tsc
	if tok, s, ok = cutField(s); !ok || len(tok) != 4 {
		return nil, nil, errBad("termination state", tok)
	}
	e.Flags = tok

	// %ac %fc %bc %sc %rc %sq %bq; %rc has a "+" after a redispatch.
	var counts [7]int64
	redispatched := false
	for i := range counts {
		if tok, s, ok = cutField(s); !ok {
			return nil, nil, errShort("connection and queue counts")
		}
		if counts[i], ok = parseMillis(tok); !ok {
			return nil, nil, errBad("connection and queue counts", tok)
		}
		redispatched = redispatched || i == 4 && tok[0] == '+'
	}

	// %CC %CS, then the captures: quoted strings to the end.
	var captured []string
	for s != "" {
		var v string
		if v, s, ok = cutQuoted(s); !ok {
			return nil, nil, errBad("captures", s)
		}
		captured = append(captured, v)
	}
	if len(captured) < 2 {
		return nil, nil, errShort("captured cookies")
	}
	for i, v := range captured[2:] {
		if isIDAt(i, v) {
			e.RequestID = v
			break
		}
	}
	p.finishEntry(e, names[2], timers, counts[4], redispatched)
	return e, captured[2:], nil
}

// cutQuoted reads the quoted string at the start of s and returns it and
// the text after it and its space: HAProxy writes '"' inside as "#22".
func cutQuoted(s string) (val, rest string, ok bool) {
	if len(s) < 2 || s[0] != '"' {
		return "", "", false
	}
	end := strings.IndexByte(s[1:], '"')
	if end < 0 {
		return "", "", false
	}
	val, rest = s[1:end+1], s[end+2:]
	if rest != "" {
		if rest, ok = strings.CutPrefix(rest, " "); !ok {
			return "", "", false
		}
	}
	return val, rest, true
}

// cutName reads a proxy or server name at the start of s, quoted or bare,
// and returns it and the text after it and its space.
func cutName(s string) (name, rest string, ok bool) {
	if strings.HasPrefix(s, `"`) {
		name, rest, ok = cutQuoted(s)
	} else if name, rest, ok = cutField(s); ok && strings.ContainsAny(name, `"#{}[]`) {
		return "", "", false
	}
	return name, rest, ok && name != ""
}

// cutNumbers reads len(out) space-separated numbers (parseMillis) from s
// and returns the text after them.
func cutNumbers(s string, out []int64) (string, bool) {
	for i := range out {
		tok, rest, ok := cutField(s)
		if !ok {
			return "", false
		}
		if out[i], ok = parseMillis(tok); !ok {
			return "", false
		}
		s = rest
	}
	return s, true
}

func atoi3(s string) int {
	return int(s[0]-'0')*100 + int(s[1]-'0')*10 + int(s[2]-'0')
}
