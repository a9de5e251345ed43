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
	if _, ok := clfLine(line, &e, time.UTC); ok {
		return accessScore
	}
	if uvicornAccess(line) {
		return 50
	}
	return 0
}

// clfLine parses a Common or Combined Log Format line into e: host ident
// user [time] "request" status bytes, then the referer and user agent, or
// Rack's duration in seconds. It returns where the line goes on after the
// status (the bytes, and what a log format adds: see tailID). false: not
// such a line (e is then partly filled and not to be used).
func clfLine(line string, e *sources.AppEntry, loc *time.Location) (int, bool) {
	i := clfStamp(line)
	if i < 0 {
		return 0, false
	}
	end := strings.IndexByte(line[i:], ']')
	if end < 0 {
		return 0, false
	}
	t, ok := clfTime(line[i+1:i+end], loc)
	if !ok {
		return 0, false
	}
	i += end + 1
	if !strings.HasPrefix(line[i:], ` "`) {
		return 0, false
	}
	i += 2
	q := strings.IndexByte(line[i:], '"')
	if q < 0 {
		return 0, false
	}
	m, p, ok := requestLine(line[i : i+q])
	if !ok {
		return 0, false
	}
	i += q + 1
	if i+4 > len(line) || line[i] != ' ' {
		return 0, false
	}
	st := status(line[i+1 : i+4])
	if st == 0 || i+4 < len(line) && line[i+4] != ' ' {
		return 0, false
	}
	e.Time, e.Method, e.Path, e.Status = t, m, p, st
	e.Duration = -1
	// bytes, then Rack's duration ("0.0123") when no quoted referer follows
	if dur, ok := secondOfTwo(line[min(i+4, len(line)):]); ok && strings.IndexByte(dur, '.') > 0 {
		if d, _, ok := decimal(dur); ok {
			e.Duration = d
		}
	}
	return min(i+4, len(line)), true
}

// clfStamp returns the index of the '[' that opens a Common Log Format
// line's time after host, ident and user, or -1: a cheap first look, so
// that the lines of other app formats pay three byte searches for it.
func clfStamp(line string) int {
	i := 0
	for field := 0; field < 3; field++ {
		j := strings.IndexByte(line[i:], ' ')
		if j <= 0 {
			return -1
		}
		i += j + 1
	}
	if i+1 >= len(line) || line[i] != '[' || !isDigit(line[i+1]) {
		return -1
	}
	return i
}

// tailID returns the request id a Combined Log Format line's tail (after
// its status) gives as a key=value field, as gunicorn's and Apache's
// access logs write one when told to: `... "curl/8.5.0"
// rid=4f7c2c8d...` (%({x-request-id}i)s, %{X-Request-ID}i). Any key the
// key table takes for a request id (rid, request_id, req_id,
// x_request_id, trace_id ...; the best ranked wins) or the one
// --app-request-id names. Quoted fields (the referer, the user agent)
// are skipped whole: a "rid=" inside a user agent is no field.
func (b *builder) tailID(tail string) string {
	var (
		path [maxKeyPath]byte
		tok  token
		id   string
		best = uint8(rankUnset)
	)
	for i := 0; i < len(tail); {
		switch tail[i] {
		case ' ', '\t':
			i++
			continue
		case '"':
			i, _, _ = quotedEnd(tail, i)
			continue
		}
		next, ok := scanToken(tail, i, &tok)
		if !ok {
			break
		}
		i = next
		if tok.key == "" || len(tok.key) > maxKeyPath {
			continue
		}
		spec := b.lookup(lowerInto(path[:0], tok.key))
		if spec == nil || spec.field != fRequestID || spec.rank >= best {
			continue
		}
		if v := trimSpace(tok.val.str()); !none(v) {
			id, best = v, spec.rank
		}
	}
	return id
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
