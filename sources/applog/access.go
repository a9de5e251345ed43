package applog

import (
	"strings"
	"time"

	"fivexx/sources"
)

// FormatAccess is the name of the app's own access log format: one line
// per request in the Common or Combined Log Format, as gunicorn, morgan
// ('combined', 'common'), Rack's CommonLogger and puma write it, or
// uvicorn's access lines. Its lines share the plain-text parser (an app
// log that mixes them with its error lines parses whole).
const FormatAccess = "app-access"

func init() {
	sources.Register(sources.Format{
		Name:     FormatAccess,
		Role:     sources.RoleApp,
		Priority: 1,
		Detect:   detectAccess,
		New: func(opts sources.ParserOptions) (sources.Parser, error) {
			return newLineParser(FormatAccess, opts), nil
		},
		Doc: "the app's access log: Common/Combined Log Format (gunicorn, morgan, puma, Rack) and uvicorn's access lines",
	})
}

// The rules are:
//   - A Combined Log Format line is also what nginx writes: it scores
//     accessScore, below nginx-combined's 80, so a file given without a
//     role stays the proxy's; given as the app's (--app, or told apart by
//     cmd/fivexx's appaccess.go) it is read here. Common Log Format lines
//     without the referer and user agent (morgan 'common', Rack with its
//     trailing duration) no proxy format reads.
//   - uvicorn's access line has no time ("INFO:     127.0.0.1:52344 -
//     "GET /x HTTP/1.1" 500 Internal Server Error"): it joins by request
//     id only, or with a log config that puts %(asctime)s first.
const accessScore = 60

// detectAccess scores a line as the app's access log.
func detectAccess(line string) int {
	var e sources.AppEntry
	if clfLine(line, &e, time.UTC) {
		return accessScore
	}
	if uvicornAccess(line) {
		return 50
	}
	return 0
}

// clfLine parses a Common or Combined Log Format line into e: host ident
// user [time] "request" status bytes, then the referer and user agent, or
// Rack's duration in seconds. false: not such a line (e is then partly
// filled and not to be used).
func clfLine(line string, e *sources.AppEntry, loc *time.Location) bool {
	// host ident user [
	i := 0
	for field := 0; field < 3; field++ {
		j := strings.IndexByte(line[i:], ' ')
		if j <= 0 {
			return false
		}
		i += j + 1
	}
	if i >= len(line) || line[i] != '[' {
		return false
	}
	end := strings.IndexByte(line[i:], ']')
	if end < 0 {
		return false
	}
	t, ok := clfTime(line[i+1:i+end], loc)
	if !ok {
		return false
	}
	i += end + 1
	if !strings.HasPrefix(line[i:], ` "`) {
		return false
	}
	i += 2
	q := strings.IndexByte(line[i:], '"')
	if q < 0 {
		return false
	}
	m, p, ok := requestLine(line[i : i+q])
	if !ok {
		return false
	}
	i += q + 1
	if i+4 > len(line) || line[i] != ' ' {
		return false
	}
	st := status(line[i+1 : i+4])
	if st == 0 || i+4 < len(line) && line[i+4] != ' ' {
		return false
	}
	e.Time, e.Method, e.Path, e.Status = t, m, p, st
	e.Duration = -1
	// bytes, then Rack's duration ("0.0123") when no quoted referer follows
	if dur, ok := secondOfTwo(line[min(i+4, len(line)):]); ok && strings.IndexByte(dur, '.') > 0 {
		if d, _, ok := decimal(dur); ok {
			e.Duration = d
		}
	}
	return true
}

// secondOfTwo returns the second field of s when s has two fields, as
// strings.Fields splits them, and no more. It stops at a third: a
// combined line's referer and agent are many, and splitting them all was
// most of what reading a proxy's line as an app's access line cost
// (detection tries every format on every line).
func secondOfTwo(s string) (string, bool) {
	n, second := 0, ""
	for f := range strings.FieldsSeq(s) {
		if n++; n == 2 {
			second = f
		} else if n > 2 {
			return "", false
		}
	}
	return second, n == 2
}

// clfTime reads "22/Nov/2026:08:00:02 +0000" (also with a space for the
// ':' after the year, as older Rack wrote it).
func clfTime(s string, loc *time.Location) (time.Time, bool) {
	if len(s) < 20 || s[2] != '/' || s[6] != '/' || s[11] != ':' && s[11] != ' ' || s[14] != ':' || s[17] != ':' {
		return time.Time{}, false
	}
	day, ok1 := atoiSmall(s[0:2])
	year, ok2 := atoiSmall(s[7:11])
	h, ok3 := atoiSmall(s[12:14])
	mi, ok4 := atoiSmall(s[15:17])
	sec, ok5 := atoiSmall(s[18:20])
	mon := monthIndex(s[3:6])
	if !(ok1 && ok2 && ok3 && ok4 && ok5) || mon == 0 || day < 1 || day > 31 || h > 23 || mi > 59 || sec > 60 {
		return time.Time{}, false
	}
	if len(s) > 20 {
		off, n, ok := spacedOffset(s, 20)
		if !ok || 20+n != len(s) {
			return time.Time{}, false
		}
		loc = time.FixedZone("", off)
	}
	return time.Date(year, time.Month(mon), day, h, mi, sec, 0, loc), true
}

// monthIndex returns 1..12 for an English month abbreviation, 0 otherwise.
func monthIndex(s string) int {
	const months = "JanFebMarAprMayJunJulAugSepOctNovDec"
	for k := 0; k < 12; k++ {
		if months[3*k:3*k+3] == s {
			return k + 1
		}
	}
	return 0
}

// uvicornAccess reports whether a line is uvicorn's access line:
// "INFO:     127.0.0.1:52344 - "GET /x HTTP/1.1" 500 Internal Server Error".
func uvicornAccess(line string) bool {
	c := strings.IndexByte(line, ':')
	if c <= 0 || c > 8 || !strings.HasPrefix(line[c:], ":  ") {
		return false
	}
	q := strings.Index(line, ` - "`)
	if q < 0 {
		return false
	}
	m, _, ok := requestLine(line[q+4:])
	return ok && m != "" && quotedStatus(line) != 0
}

// quotedStatus returns the status after a quoted request line, as access
// lines write it ("GET /x HTTP/1.1" 500 …); 0 when none.
func quotedStatus(line string) int {
	i := strings.Index(line, ` HTTP/`)
	if i < 0 {
		return 0
	}
	q := strings.IndexByte(line[i:], '"')
	if q < 0 {
		return 0
	}
	i += q + 1
	if i+4 > len(line) || line[i] != ' ' || i+4 < len(line) && line[i+4] != ' ' {
		return 0
	}
	return status(line[i+1 : i+4])
}
