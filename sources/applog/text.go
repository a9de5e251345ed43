package applog

import (
	"strings"

	"fivexx/sources"
)

// FormatText is the name of the plain-text app log format.
const FormatText = "app-text"

func init() {
	sources.Register(sources.Format{
		Name:     FormatText,
		Role:     sources.RoleApp,
		Priority: 0,
		Detect:   detectText,
		New: func(opts sources.ParserOptions) (sources.Parser, error) {
			return newLineParser(FormatText, opts), nil
		},
		Doc: "app log in plain text with a leading timestamp (ISO 8601, Python, Go log, syslog) and a level word",
	})
}

// detectText scores a line as plain-text app log. It is the fallback: a
// leading timestamp scores 30, 40 with a level word; a line that opens with
// a level word and no timestamp scores 15. Lines shaped like the nginx
// error log ("[error] 123#0: ") or a HAProxy syslog line score 5, so those
// formats' own parsers win.
func detectText(line string) int {
	if line == "" || line[0] == '{' {
		return 0
	}
	info := analyze(line, &builder{shape: &shape{}}, nil, &clock{loc: detectLoc, now: detectNow})
	switch {
	case !info.stamped && info.levelFirst:
		return 15
	case !info.stamped:
		return 0
	case proxyText(line, info):
		return 5
	case info.level:
		return 40
	}
	return 30
}

// proxyText reports whether a timestamped line is a proxy's: the nginx
// error log ("2024/01/02 03:04:05 [error] 123#0: *5 …") or HAProxy via
// syslog ("haproxy[123]:").
func proxyText(line string, info lineInfo) bool {
	if strings.HasPrefix(info.tag, "haproxy[") {
		return true
	}
	if info.stamp != stampGoLog || info.msgStart < 0 {
		return false
	}
	// msgStart is after the level word; nginx writes "pid#tid: " next.
	rest := strings.TrimLeft(line[info.msgStart:], " ")
	hash := strings.IndexByte(rest, '#')
	colon := strings.IndexByte(rest, ':')
	if hash <= 0 || colon <= hash+1 {
		return false
	}
	_, ok1 := num(rest[:hash])
	_, ok2 := num(rest[hash+1 : colon])
	return ok1 && ok2
}
