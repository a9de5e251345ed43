package applog

import (
	"math"
	"math/bits"
	"strconv"
	"time"
)

// clock turns logged timestamps into times for one parser. Hand-written
// scanners instead of time.Parse: they try several layouts per line without
// allocating, and fixed zones are cached.
type clock struct {
	loc *time.Location // for stamps written without a zone
	// now gives the year for syslog stamps, which have none; tests set it.
	now     func() time.Time
	zoneOff int
	zone    *time.Location
	hour    isoHour
}

// isoHour is the date and hour of the last ISO stamp read. A log's stamps
// share them for an hour, so scanISO reads only the minutes, seconds and
// fraction of most stamps (only the fraction of one in the same second as
// the stamp before), and adds them to the hour's Unix time instead of
// calling time.Date: for UTC and fixed zones that is the same time, as
// time.Date's arithmetic is linear once the zone offset is fixed.
type isoHour struct {
	// key is the stamp's first 13 bytes, "2024-01-02T03", as two
	// overlapping little-endian words (bytes 0–7 and 5–12).
	key                    [2]uint64
	year, month, day, hour int
	// unix is the Unix time of the hour read as UTC, learnt from a stamp
	// in UTC or a fixed zone; set says the fields hold one.
	unix int64
	set  bool
	// sec is the last stamp's "HH:MM:SS" (bytes 11–18) in the hour, as a
	// word, and since its minutes and seconds in seconds: a busy log's
	// stamps share a second with the one before too.
	sec   uint64
	since int64
}

// newClock returns a clock for zone-less stamps in loc.
func newClock(loc *time.Location) clock {
	return clock{loc: loc, now: time.Now}
}

// stampKind says which layout a leading timestamp had.
type stampKind uint8

const (
	stampNone   stampKind = iota
	stampISO              // 2024-01-02T03:04:05.678Z, 2024-01-02 03:04:05,678
	stampGoLog            // 2024/01/02 03:04:05.678901 (Go's log package)
	stampSyslog           // Jan  2 03:04:05 (RFC 3164, no year)
)

// fixed returns a zone for a UTC offset in seconds.
func (c *clock) fixed(off int) *time.Location {
	if off == 0 {
		return time.UTC
	}
	if c.zone == nil || c.zoneOff != off {
		c.zoneOff, c.zone = off, time.FixedZone("", off)
	}
	return c.zone
}

// value reads a time value: an epoch number (seconds, ms, µs or ns, told
// apart by size) or a timestamp string in any layout scan knows.
func (c *clock) value(v value) (time.Time, bool) {
	s := v.str()
	if s == "" {
		return time.Time{}, false
	}
	if '0' <= s[0] && s[0] <= '9' && (len(s) < 5 || s[4] != '-' && s[4] != '/') {
		return epoch(s)
	}
	t, n, ok := c.scanISO(s) // scan's first layout, without the call
	if !ok {
		t, n, _ = c.scan(s)
	}
	if n == 0 || n != len(s) {
		return time.Time{}, false
	}
	return t, true
}

// scan reads a timestamp at the start of s and returns it with its length.
func (c *clock) scan(s string) (time.Time, int, stampKind) {
	if t, n, ok := c.scanISO(s); ok {
		return t, n, stampISO
	}
	if t, n, ok := c.scanGoLog(s); ok {
		return t, n, stampGoLog
	}
	if t, n, ok := c.scanSyslog(s); ok {
		return t, n, stampSyslog
	}
	return time.Time{}, 0, stampNone
}

// scanISO reads YYYY-MM-DD[T ]HH:MM:SS[.,frac][Z|±HH:MM|±HHMM|±HH].
func (c *clock) scanISO(s string) (time.Time, int, bool) {
	if len(s) < 19 {
		return time.Time{}, 0, false
	}
	h := &c.hour
	k0, k1, k2 := load64(s, 0), load64(s, 5), load64(s, 11)
	hit := h.set && k0 == h.key[0] && k1 == h.key[1]
	year, month, day, hour := h.year, h.month, h.day, h.hour
	var sinceHour int64
	if hit && k2 == h.sec {
		// The first 19 bytes are the last stamp's, which were read as a
		// date and time: the same second.
		sinceHour = h.since
	} else {
		if s[4] != '-' || s[7] != '-' || s[13] != ':' || s[16] != ':' {
			return time.Time{}, 0, false
		}
		if sep := s[10]; sep != 'T' && sep != 't' && sep != ' ' {
			return time.Time{}, 0, false
		}
		if !hit {
			var ok1, ok2, ok3, ok4 bool
			year, ok1 = num(s[0:4])
			month, ok2 = num(s[5:7])
			day, ok3 = num(s[8:10])
			hour, ok4 = num(s[11:13])
			if !ok1 || !ok2 || !ok3 || !ok4 || hour >= 24 || !validDate(month, day) {
				return time.Time{}, 0, false
			}
		}
		min, ok1 := num(s[14:16])
		sec, ok2 := num(s[17:19])
		if !ok1 || !ok2 || min >= 60 || sec > 60 {
			return time.Time{}, 0, false
		}
		sinceHour = int64(min*60 + sec)
		if hit {
			h.sec, h.since = k2, sinceHour
		}
	}
	ns, n := fraction(s, 19)
	loc := c.loc
	if n < len(s) {
		switch s[n] {
		case 'Z', 'z':
			loc = time.UTC
			n++
		case '+', '-':
			if off, m, ok := offset(s[n:]); ok {
				loc = c.fixed(off)
				n += m
			}
		}
	}
	fixed, off := false, 0
	switch {
	case loc == time.UTC:
		fixed = true
	case loc == c.zone && loc != nil:
		fixed, off = true, c.zoneOff
	}
	if fixed && hit {
		t := time.Unix(h.unix+sinceHour-int64(off), int64(ns))
		if loc == time.UTC {
			return t.UTC(), n, true
		}
		return t.In(loc), n, true
	}
	min, sec := int(sinceHour/60), int(sinceHour%60)
	t := time.Date(year, time.Month(month), day, hour, min, sec, ns, loc)
	if fixed && !hit {
		h.key, h.year, h.month, h.day, h.hour = [2]uint64{k0, k1}, year, month, day, hour
		h.unix, h.set = t.Unix()+int64(off)-sinceHour, true
		h.sec, h.since = k2, sinceHour
	}
	return t, n, true
}

// sameSecondUTC reads the JSON string content at s[i:] up to its closing
// quote, when it is an ISO stamp in UTC ('Z') whose first 19 bytes, the
// date and time to the second, are those of the last stamp scanISO read
// in a fixed zone: the time value gives for the string, and the index
// after the quote. Those 19 bytes were read as a date and time, so they
// hold no quote, backslash or control byte, and the rest is a fraction,
// the 'Z' and the quote: the string is the one str would find. scanISO
// changes no field of the clock on such a stamp, so neither does this.
// false: anything else, left to str and value.
func (c *clock) sameSecondUTC(s string, i int) (time.Time, int, bool) {
	h := &c.hour
	if !h.set || i < 0 || i > len(s)-19 {
		return time.Time{}, 0, false
	}
	if t := s[i : i+19]; load64(t, 0) != h.key[0] || load64(t, 5) != h.key[1] || load64(t, 11) != h.sec { // one bounds check
		return time.Time{}, 0, false
	}
	if i <= len(s)-28 && s[i+19] == '.' {
		// fraction's common case, without its call: up to six digits,
		// then the 'Z' (or 'z': |0x20) and the quote, in one word.
		x := load64(s, i+20)
		if n := leadingDigits(x); uint(n)-1 < 6 && uint16(x>>(8*n&63))|0x20 == 'z'|'"'<<8 {
			ns := int(eightDigits(x<<((64-8*n)&63))) * nsScale[n]
			return time.Unix(h.unix+h.since, int64(ns)).UTC(), i + 20 + n + 2, true
		}
	}
	ns, n := fraction(s, i+19)
	if n+1 >= len(s) || s[n] != 'Z' && s[n] != 'z' || s[n+1] != '"' {
		return time.Time{}, 0, false
	}
	return time.Unix(h.unix+h.since, int64(ns)).UTC(), n + 2, true
}

// scanGoLog reads Go's log package stamp: 2024/01/02 03:04:05[.micro].
func (c *clock) scanGoLog(s string) (time.Time, int, bool) {
	if len(s) < 19 || s[4] != '/' || s[7] != '/' || s[10] != ' ' || s[13] != ':' || s[16] != ':' {
		return time.Time{}, 0, false
	}
	year, ok1 := num(s[0:4])
	month, ok2 := num(s[5:7])
	day, ok3 := num(s[8:10])
	hour, min, sec, ok4 := clockTime(s[11:19])
	if !ok1 || !ok2 || !ok3 || !ok4 || !validDate(month, day) {
		return time.Time{}, 0, false
	}
	ns, n := fraction(s, 19)
	return time.Date(year, time.Month(month), day, hour, min, sec, ns, c.loc), n, true
}

var monthNames = [...]string{"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"}

// scanSyslog reads an RFC 3164 stamp, "Jan  2 03:04:05" (day space-padded).
// It has no year: the stamp is put in the current year, or the one before
// when that would be more than a week ahead (December lines read in January).
func (c *clock) scanSyslog(s string) (time.Time, int, bool) {
	if len(s) < 15 || s[3] != ' ' || s[6] != ' ' || s[9] != ':' || s[12] != ':' {
		return time.Time{}, 0, false
	}
	month := 0
	for i, m := range monthNames {
		if s[:3] == m {
			month = i + 1
			break
		}
	}
	d := s[4:6]
	if d[0] == ' ' {
		d = d[1:]
	}
	day, ok1 := num(d)
	hour, min, sec, ok2 := clockTime(s[7:15])
	if month == 0 || !ok1 || !ok2 || !validDate(month, day) {
		return time.Time{}, 0, false
	}
	ns, n := fraction(s, 15)
	now := c.now().In(c.loc)
	t := time.Date(now.Year(), time.Month(month), day, hour, min, sec, ns, c.loc)
	if t.Sub(now) > 7*24*time.Hour {
		t = t.AddDate(-1, 0, 0)
	}
	return t, n, true
}

// clockTime reads HH:MM:SS (a leap second 60 is allowed).
func clockTime(s string) (h, m, sec int, ok bool) {
	h, ok1 := num(s[0:2])
	m, ok2 := num(s[3:5])
	sec, ok3 := num(s[6:8])
	return h, m, sec, ok1 && ok2 && ok3 && h < 24 && m < 60 && sec <= 60
}

func validDate(month, day int) bool { return month >= 1 && month <= 12 && day >= 1 && day <= 31 }

// fraction reads [.,]digits at s[i:] as nanoseconds (digits past the ninth
// are dropped) and returns the index after it.
func fraction(s string, i int) (int, int) {
	if i+1 >= len(s) || (s[i] != '.' && s[i] != ',') || !isDigit(s[i+1]) {
		return 0, i
	}
	i++
	if i <= len(s)-8 {
		// Up to seven digits (a stamp's micro- or milliseconds) in one
		// word: their count and value without a loop.
		x := load64(s, i)
		if n := leadingDigits(x); n < 8 {
			return int(eightDigits(x<<(64-8*n))) * nsScale[n], i + n
		}
	}
	start, ns := i, 0
	for end := min(len(s), i+9); i < end && isDigit(s[i]); i++ {
		ns = ns*10 + int(s[i]-'0')
	}
	ns *= nsScale[i-start]
	for i < len(s) && isDigit(s[i]) {
		i++
	}
	return ns, i
}

// leadingDigits returns how many of the bytes of x, a little-endian word,
// are ASCII digits before the first that is not (8: all are). x^'0' makes
// a digit's byte its value, 0 to 9: a byte is a digit when that has no
// high nibble, and adding 6 gives it none. A carry out of a byte comes
// from one that is no digit, and goes up: the lowest flag is exact.
func leadingDigits(x uint64) int {
	const ones = 0x0101010101010101
	a := x ^ ('0' * ones)
	return bits.TrailingZeros64((a|(a+6*ones))&(0xf0*ones)) >> 3
}

// eightDigits returns the number that x, eight ASCII digits as a
// little-endian word (the first digit in the low byte), spells; zero
// bytes count as leading zeros. The digits are paired, the pairs paired
// and those paired, by multiplying each with a power of ten in place.
func eightDigits(x uint64) uint64 {
	x = (x & 0x0f0f0f0f0f0f0f0f) * (10<<8 + 1) >> 8
	x = (x & 0x00ff00ff00ff00ff) * (100<<16 + 1) >> 16
	return (x & 0x0000ffff0000ffff) * (10000<<32 + 1) >> 32
}

// nsScale[n] turns n fraction digits into nanoseconds.
var nsScale = [10]int{1e9, 1e8, 1e7, 1e6, 1e5, 1e4, 1e3, 1e2, 1e1, 1}

// offset reads ±HH:MM, ±HHMM or ±HH and returns seconds east of UTC.
func offset(s string) (int, int, bool) {
	if len(s) < 3 {
		return 0, 0, false
	}
	h, ok := num(s[1:3])
	if !ok || h > 23 {
		return 0, 0, false
	}
	n, m := 3, 0
	switch {
	case len(s) >= 6 && s[3] == ':':
		if m, ok = num(s[4:6]); !ok {
			return 0, 0, false
		}
		n = 6
	case len(s) >= 5 && isDigit(s[3]):
		if m, ok = num(s[3:5]); !ok {
			return 0, 0, false
		}
		n = 5
	}
	if m > 59 || n < len(s) && isDigit(s[n]) {
		return 0, 0, false
	}
	off := h*3600 + m*60
	if s[0] == '-' {
		off = -off
	}
	return off, n, true
}

// num parses a short run of ASCII digits.
func num(s string) (int, bool) {
	if s == "" {
		return 0, false
	}
	n := 0
	for i := 0; i < len(s); i++ {
		if !isDigit(s[i]) {
			return 0, false
		}
		n = n*10 + int(s[i]-'0')
	}
	return n, true
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

// epoch reads a Unix time: up to 10 integer digits are seconds (zap's float
// ts), 11–13 milliseconds (pino), 14–16 microseconds, 17–19 nanoseconds.
// Decimal text is converted exactly; an exponent goes through float64.
func epoch(s string) (time.Time, bool) {
	i := 0
	for i < len(s) && isDigit(s[i]) {
		i++
	}
	ip, frac := s[:i], ""
	if i < len(s) {
		if s[i] != '.' {
			return epochFloat(s)
		}
		frac = s[i+1:]
		for j := 0; j < len(frac); j++ {
			if !isDigit(frac[j]) {
				return epochFloat(s)
			}
		}
	}
	for len(ip) > 1 && ip[0] == '0' {
		ip = ip[1:]
	}
	if ip == "" || ip == "0" || len(ip) > 19 {
		return time.Time{}, false
	}
	n, err := strconv.ParseUint(ip, 10, 63)
	if err != nil {
		return time.Time{}, false
	}
	var perSec uint64 // units per second
	var scaleDigits int
	switch {
	case len(ip) <= 10:
		perSec, scaleDigits = 1, 9
	case len(ip) <= 13:
		perSec, scaleDigits = 1e3, 6
	case len(ip) <= 16:
		perSec, scaleDigits = 1e6, 3
	default:
		perSec, scaleDigits = 1e9, 0
	}
	sec := n / perSec
	ns := (n % perSec) * (1e9 / perSec)
	// The fraction's first scaleDigits digits are whole nanoseconds.
	var f uint64
	for d := 0; d < scaleDigits; d++ {
		f *= 10
		if d < len(frac) {
			f += uint64(frac[d] - '0')
		}
	}
	return time.Unix(int64(sec), int64(ns+f)).UTC(), true
}

// epochFloat reads an epoch in float syntax ("1.7041646451234e9").
func epochFloat(s string) (time.Time, bool) {
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || !(f >= 1) || f >= 1e19 {
		return time.Time{}, false
	}
	var perSec float64
	switch {
	case f < 1e10:
		perSec = 1
	case f < 1e13:
		perSec = 1e3
	case f < 1e16:
		perSec = 1e6
	default:
		perSec = 1e9
	}
	sec := math.Floor(f / perSec)
	ns := math.Round((f/perSec - sec) * 1e9)
	return time.Unix(int64(sec), int64(ns)).UTC(), true
}
