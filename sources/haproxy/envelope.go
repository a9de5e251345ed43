package haproxy

import (
	"strings"
	"time"

	"fivexx/sources"
)

// The wrappers an HAProxy line may arrive in, outermost first:
//
//	<PRI>                                   syslog priority ("log stdout" without "format raw", UDP syslog)
//	Mmm dd hh:mm:ss [host] tag[pid]:        RFC 3164 (rsyslog default, journald short)
//	2024-01-02T03:04:05.123456+00:00 host tag[pid]:   RFC 3339 (rsyslog high-precision template)
//	1 2024-01-02T03:04:05.123456+00:00 host app pid msgid sd   RFC 5424 ("format rfc5424")
//	tag[pid]:                               a bare tag, as in HAProxy's documentation
//	[WARNING]  (17) :                       HAProxy's own stderr form (2.4+)
//	[WARNING] 322/142802 (17) :             the same before 2.4, with day of year and time
//
// Each is optional; "log stdout format raw" writes none of them.

// envelope is what the wrappers around a payload said.
type envelope struct {
	level  string // syslog severity or stderr level, lower case; "" when none
	tag    string // syslog program tag without [pid] ("haproxy"); "" when none
	stamp  string // header timestamp as written; parsed only when needed
	kind   stampKind
	stderr bool // the payload had the "[LEVEL] ... (pid) : " prefix
}

// stampKind says how envelope.stamp is written.
type stampKind uint8

const (
	stampNone      stampKind = iota
	stampRFC3164             // "Feb  6 12:14:14", no year
	stampRFC3339             // "2024-01-02T03:04:05.123456+00:00"
	stampDayOfYear           // "322/142802" (stderr form before 2.4), no year
)

// fromHAProxy reports whether a wrapper names the line as HAProxy's.
func (e envelope) fromHAProxy() bool {
	return e.stderr || strings.HasPrefix(e.tag, "haproxy")
}

var severityNames = [8]string{"emerg", "alert", "crit", "err", "warning", "notice", "info", "debug"}

// unwrap strips the syslog and stderr wrappers from line and returns the
// HAProxy payload. A line with no wrapper is returned unchanged.
func unwrap(line string) (string, envelope) {
	var env envelope
	s := line
	if len(s) > 2 && s[0] == '<' {
		if pri, rest, ok := cutPRI(s); ok {
			env.level = severityNames[pri&7]
			s = rest
		}
	}
	switch {
	case len(s) > 2 && s[0] == '1' && s[1] == ' ' && isRFC3339(s[2:]):
		s = cutRFC5424(s[2:], &env)
	case isRFC3339(s):
		i := strings.IndexByte(s, ' ')
		env.stamp, env.kind = s[:i], stampRFC3339
		s = cutHostTag(s[i+1:], &env)
	case isRFC3164(s):
		env.stamp, env.kind = s[:15], stampRFC3164
		s = cutHostTag(s[16:], &env)
	default:
		s = cutBareTag(s, &env)
	}
	if len(s) > 2 && s[0] == '[' {
		s = cutStderr(s, &env)
	}
	return s, env
}

// cutPRI parses a leading "<PRI>" and returns the priority and the rest.
func cutPRI(s string) (int, string, bool) {
	n := 0
	for i := 1; i < len(s) && i <= 4; i++ {
		c := s[i]
		if c == '>' {
			if i == 1 || n > 191 {
				return 0, "", false
			}
			return n, s[i+1:], true
		}
		if c < '0' || c > '9' {
			return 0, "", false
		}
		n = n*10 + int(c-'0')
	}
	return 0, "", false
}

// isRFC3339 reports whether s starts with "YYYY-MM-DDTHH:MM:SS" followed,
// after an optional fraction and zone, by a space.
func isRFC3339(s string) bool {
	if len(s) < 21 {
		return false
	}
	for i, c := range []byte(s[:19]) {
		switch i {
		case 4, 7:
			if c != '-' {
				return false
			}
		case 10:
			if c != 'T' {
				return false
			}
		case 13, 16:
			if c != ':' {
				return false
			}
		default:
			if c < '0' || c > '9' {
				return false
			}
		}
	}
	return strings.IndexByte(s[19:], ' ') > 0
}

// isRFC3164 reports whether s starts with "Mmm dd hh:mm:ss " (day padded
// with a space or a zero).
func isRFC3164(s string) bool {
	if len(s) < 17 || s[3] != ' ' || s[6] != ' ' || s[9] != ':' || s[12] != ':' || s[15] != ' ' {
		return false
	}
	if monthIndex(s[:3]) == 0 {
		return false
	}
	if s[4] != ' ' && !isDigit(s[4]) || !isDigit(s[5]) {
		return false
	}
	return isDigit(s[7]) && isDigit(s[8]) && isDigit(s[10]) && isDigit(s[11]) && isDigit(s[13]) && isDigit(s[14])
}

// cutHostTag removes "[host] tag[pid]: " after an RFC 3164/3339 timestamp.
// The tag is the first of the next two words that ends in ':'; when neither
// does, the header has no tag and s is returned as is.
func cutHostTag(s string, env *envelope) string {
	rest := s
	for range 2 {
		i := strings.IndexByte(rest, ' ')
		if i <= 0 {
			return s
		}
		word := rest[:i]
		if word[len(word)-1] == ':' {
			env.tag = programName(word[:len(word)-1])
			return rest[i+1:]
		}
		rest = rest[i+1:]
	}
	return s
}

// cutBareTag removes a leading "tag[pid]: " with no timestamp before it, as
// HAProxy's documentation prints its examples. Only the "[pid]" form counts:
// a bare "word: " is too common in messages.
func cutBareTag(s string, env *envelope) string {
	i := strings.Index(s, "]: ")
	if i < 0 || i > 64 {
		return s
	}
	open := strings.IndexByte(s[:i], '[')
	if open <= 0 || !allDigits(s[open+1:i]) || strings.IndexByte(s[:open], ' ') >= 0 {
		return s
	}
	env.tag = s[:open]
	return s[i+3:]
}

// cutRFC5424 removes "TIMESTAMP HOST APP PROCID MSGID SD " and returns the
// message. Structured data is "-" or one or more "[...]" elements.
func cutRFC5424(s string, env *envelope) string {
	orig := s
	var fields [4]string
	for i := range fields {
		j := strings.IndexByte(s, ' ')
		if j <= 0 {
			return orig
		}
		fields[i], s = s[:j], s[j+1:]
	}
	// fields: timestamp, host, app, procid; s starts at msgid.
	j := strings.IndexByte(s, ' ')
	if j <= 0 {
		return orig
	}
	s = s[j+1:]
	switch {
	case strings.HasPrefix(s, "- "):
		s = s[2:]
	case s == "-":
		s = ""
	case strings.HasPrefix(s, "["):
		end := endOfStructuredData(s)
		if end < 0 {
			return orig
		}
		s = strings.TrimPrefix(s[end:], " ")
	default:
		return orig
	}
	env.stamp, env.kind = fields[0], stampRFC3339
	env.tag = fields[2]
	return s
}

// endOfStructuredData returns the index just past the last "]" of the RFC
// 5424 structured data at the start of s, or -1.
func endOfStructuredData(s string) int {
	inQuote := false
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '\\' && inQuote:
			i++
		case c == '"':
			inQuote = !inQuote
		case c == ']' && !inQuote:
			if i+1 == len(s) || s[i+1] != '[' {
				return i + 1
			}
		}
	}
	return -1
}

// cutStderr removes HAProxy's stderr prefix "[LEVEL] [DDD/HHMMSS] (pid) : ".
func cutStderr(s string, env *envelope) string {
	end := strings.IndexByte(s, ']')
	if end < 2 || end > 10 {
		return s
	}
	level := s[1:end]
	for i := 0; i < len(level); i++ {
		if level[i] < 'A' || level[i] > 'Z' {
			return s
		}
	}
	sep := strings.Index(s[end:], " : ")
	if sep < 0 || sep > 32 {
		return s
	}
	mid := strings.TrimSpace(s[end+1 : end+sep])
	// mid is "(pid)" or "DDD/HHMMSS (pid)".
	open := strings.LastIndexByte(mid, '(')
	if open < 0 || !strings.HasSuffix(mid, ")") || !allDigits(mid[open+1:len(mid)-1]) {
		return s
	}
	if stamp := strings.TrimSpace(mid[:open]); stamp != "" {
		if len(stamp) != 10 || stamp[3] != '/' || !allDigits(stamp[:3]) || !allDigits(stamp[4:]) {
			return s
		}
		if env.kind == stampNone {
			env.stamp, env.kind = stamp, stampDayOfYear
		}
	}
	env.level = strings.ToLower(level)
	env.stderr = true
	return s[end+sep+3:]
}

// programName strips "[pid]" from a syslog tag.
func programName(tag string) string {
	if i := strings.IndexByte(tag, '['); i >= 0 {
		return tag[:i]
	}
	return tag
}

// headerTime parses the envelope's timestamp. Zone-less stamps are read by
// clock, so a state message in the hour repeated when clocks go back lands
// in the right pass. Stamps without a year take the year of ref (the last
// dated line seen, or now), or the year before when that would put the
// stamp more than a day after ref (a December line read in January).
func (e envelope) headerTime(clock *sources.LocalClock, ref time.Time) (time.Time, bool) {
	switch e.kind {
	case stampRFC3339:
		t, err := time.Parse(time.RFC3339Nano, e.stamp)
		return t, err == nil
	case stampRFC3164:
		s := e.stamp
		day := int(s[5] - '0')
		if s[4] != ' ' {
			day += 10 * int(s[4]-'0')
		}
		return dateNear(clock, ref, time.Month(monthIndex(s[:3])), day,
			atoi2(s[7:9]), atoi2(s[10:12]), atoi2(s[13:15])), true
	case stampDayOfYear:
		s := e.stamp
		// HAProxy prints tm_yday, which counts from 0 on 1 January.
		return dateNear(clock, ref, time.January, atoi2(s[:3])+1,
			atoi2(s[4:6]), atoi2(s[6:8]), atoi2(s[8:10])), true
	}
	return time.Time{}, false
}

// offset returns the UTC offset (s east) the header's stamp is written
// with: RFC 3339 stamps carry one ("+02:00", "Z"); the others, and an
// RFC 3339 stamp without one, do not.
func (e envelope) offset() (int, bool) {
	if e.kind != stampRFC3339 || len(e.stamp) < 20 {
		return 0, false
	}
	s := e.stamp[19:]
	if s[0] == '.' {
		i := 1
		for i < len(s) && isDigit(s[i]) {
			i++
		}
		s = s[i:]
	}
	switch {
	case s == "Z" || s == "z":
		return 0, true
	case len(s) != 6 || s[0] != '+' && s[0] != '-' || s[3] != ':' ||
		!isDigit(s[1]) || !isDigit(s[2]) || !isDigit(s[4]) || !isDigit(s[5]):
		return 0, false
	}
	h, m := atoi2(s[1:3]), atoi2(s[4:6])
	if h > 23 || m > 59 {
		return 0, false
	}
	off := h*3600 + m*60
	if s[0] == '-' {
		off = -off
	}
	return off, true
}

// zoneFor returns a location for a UTC offset; UTC itself for 0, so that
// times compare and print as UTC.
func zoneFor(off int) *time.Location {
	if off == 0 {
		return time.UTC
	}
	return time.FixedZone("", off)
}

// dateNear reads a stamp without a year in the year of ref, or the year
// before when that would put it more than a day after ref.
func dateNear(clock *sources.LocalClock, ref time.Time, month time.Month, day, hour, min, sec int) time.Time {
	loc := clock.Location()
	year := ref.In(loc).Year()
	if time.Date(year, month, day, hour, min, sec, 0, loc).Sub(ref) > 24*time.Hour {
		year--
	}
	return clock.Date(year, month, day, hour, min, sec, 0)
}

func monthIndex(s string) int {
	switch s {
	case "Jan":
		return 1
	case "Feb":
		return 2
	case "Mar":
		return 3
	case "Apr":
		return 4
	case "May":
		return 5
	case "Jun":
		return 6
	case "Jul":
		return 7
	case "Aug":
		return 8
	case "Sep":
		return 9
	case "Oct":
		return 10
	case "Nov":
		return 11
	case "Dec":
		return 12
	}
	return 0
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

func allDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if !isDigit(s[i]) {
			return false
		}
	}
	return true
}

// atoi2 parses a short run of digits known to be valid.
func atoi2(s string) int {
	n := 0
	for i := 0; i < len(s); i++ {
		n = n*10 + int(s[i]-'0')
	}
	return n
}
