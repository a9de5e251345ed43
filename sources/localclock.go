package sources

// localclock.go turns zone-less wall-clock stamps (nginx error log, HAProxy
// %tr and syslog headers) into instants. The rules are:
//   - A wall time that happens once is read in the clock's location.
//   - A wall time that happens twice (the hour repeated when clocks go back
//     in autumn) is read as its first pass, unless that would put it more
//     than ambiguityTolerance before the previous stamp this clock read: a
//     log runs forward, so going back an hour means the clock has gone back
//     and the line is in the second pass.
//   - A wall time that never happens (the hour skipped when clocks go
//     forward in spring) is mapped as time.Date maps it, which depends on
//     the zone: 02:30 on the spring-forward night reads as 03:30 CEST
//     (01:30 UTC) in Europe/Berlin but as 01:30 EST (06:30 UTC) in
//     America/New_York. A log written in that zone never holds such a
//     stamp; one that does was written in another zone than the one given.
//
// The choice rests only on the previous stamp read by the same clock, so a
// file must be read in order by one clock. A reader that starts inside a
// repeated hour with no earlier line (a byte range cut out of the middle of
// a file, a file that starts there) takes the first pass; seeding it with
// the line before its range fixes that. A log that is silent across the
// whole change cannot be told apart: a first line after the silence that
// is later than the last one in both passes is read as the first pass.

import (
	"math"
	"strings"
	"time"
)

// ambiguityTolerance is how far a stamp may go back from the previous one
// and still be read as the first pass of a repeated hour. Lines are not
// written in strict order (nginx workers, HAProxy logs a request when it
// ends but stamps it when it was accepted), so small steps back are normal.
const ambiguityTolerance = 5 * time.Minute

// LocalClock reads zone-less wall-clock stamps in one location, keeping a
// file's times monotone across a daylight-saving change. It caches the
// zone period of the last stamp, so a stamp in the same period costs a few
// integer operations and no allocation. The zero value reads in time.Local.
// A LocalClock is used by one goroutine at a time, like the parser that
// owns it.
type LocalClock struct {
	loc *time.Location
	// span is the zone period of the last stamp; valid when cached.
	span   zoneSpan
	cached bool
	// last is the previous stamp read, in Unix seconds; valid when hasLast.
	last    int64
	hasLast bool
}

// zoneSpan is one zone period of a location and its neighbours, in Unix
// seconds; a bound that the zone rules do not give is math.MinInt64 or
// math.MaxInt64.
type zoneSpan struct {
	start, end int64 // the period is [start, end)
	offset     int64 // seconds east of UTC within it
	// The periods just before and after it, when there are any: the one
	// before is [prevStart, start), the one after [end, nextEnd).
	hasPrev, hasNext      bool
	prevStart, prevOffset int64
	nextEnd, nextOffset   int64
}

// NewLocalClock returns a clock reading stamps in loc (nil: time.Local).
func NewLocalClock(loc *time.Location) *LocalClock {
	return &LocalClock{loc: loc}
}

// Location returns the clock's time zone.
func (c *LocalClock) Location() *time.Location {
	if c.loc == nil {
		return time.Local
	}
	return c.loc
}

// Date returns the instant of a wall-clock stamp in the clock's location,
// as time.Date does, except in a repeated hour, where it picks the pass
// that keeps the stamps it reads monotone (see the rules at the top of this
// file). Fields out of range are normalised as time.Date normalises them.
// The result is remembered as the previous stamp.
func (c *LocalClock) Date(year int, month time.Month, day, hour, min, sec, nsec int) time.Time {
	wall, nsec := wallSeconds(year, month, day, hour, min, sec, nsec)
	u, ok := c.resolve(wall)
	if !ok {
		c.load(year, month, day, hour, min, sec, nsec)
		if u, ok = c.resolve(wall); !ok {
			// The stamp falls in a skipped hour: no offset fits.
			t := time.Date(year, month, day, hour, min, sec, nsec, c.Location())
			c.last, c.hasLast = t.Unix(), true
			return t
		}
	}
	c.last, c.hasLast = u, true
	return time.Unix(u, int64(nsec)).In(c.Location())
}

// resolve returns the Unix second of wall (local seconds since 1970 as if
// UTC) from the cached period, choosing between passes of a repeated hour.
// It fails when the cache does not cover wall.
func (c *LocalClock) resolve(wall int64) (int64, bool) {
	if !c.cached {
		return 0, false
	}
	s := &c.span
	u := wall - s.offset
	here := u >= s.start && u < s.end
	// The previous period reaches wall too when clocks went back at start.
	if s.hasPrev {
		if e := wall - s.prevOffset; e < s.start && e >= s.prevStart {
			if !here {
				return 0, false // wall lies in the previous period only: reload
			}
			return c.choose(e, u), true
		}
	}
	// The next period reaches wall too when clocks go back at end.
	if s.hasNext {
		if l := wall - s.nextOffset; l >= s.end && l < s.nextEnd {
			if !here {
				return 0, false
			}
			return c.choose(u, l), true
		}
	}
	return u, here
}

// choose picks between the first (early) and second (late) pass of a
// repeated wall time.
func (c *LocalClock) choose(early, late int64) int64 {
	if c.hasLast && early < c.last-int64(ambiguityTolerance/time.Second) {
		return late
	}
	return early
}

// load caches the zone period of the stamp as time.Date reads it, and the
// periods around it.
func (c *LocalClock) load(year int, month time.Month, day, hour, min, sec, nsec int) {
	loc := c.Location()
	t := time.Date(year, month, day, hour, min, sec, nsec, loc)
	var s zoneSpan
	_, off := t.Zone()
	s.offset = int64(off)
	start, end := t.ZoneBounds()
	s.start, s.end = math.MinInt64, math.MaxInt64
	if !start.IsZero() {
		s.start = start.Unix()
		before := time.Unix(s.start-1, 0).In(loc)
		_, prevOff := before.Zone()
		s.hasPrev, s.prevOffset, s.prevStart = true, int64(prevOff), math.MinInt64
		if ps, _ := before.ZoneBounds(); !ps.IsZero() {
			s.prevStart = ps.Unix()
		}
	}
	if !end.IsZero() {
		s.end = end.Unix()
		after := time.Unix(s.end, 0).In(loc)
		_, nextOff := after.Zone()
		s.hasNext, s.nextOffset, s.nextEnd = true, int64(nextOff), math.MaxInt64
		if _, ne := after.ZoneBounds(); !ne.IsZero() {
			s.nextEnd = ne.Unix()
		}
	}
	c.span, c.cached = s, true
}

// wallSeconds counts the seconds from 1970-01-01 00:00:00 to the wall
// time, as if it were UTC, normalising out-of-range fields as time.Date
// does; it returns the normalised nanoseconds too.
func wallSeconds(year int, month time.Month, day, hour, min, sec, nsec int) (int64, int) {
	m := int64(month) - 1
	y := int64(year) + floorDiv(m, 12)
	m -= floorDiv(m, 12) * 12
	s := int64(sec) + floorDiv(int64(nsec), 1e9)
	ns := int64(nsec) - floorDiv(int64(nsec), 1e9)*1e9
	days := daysFromCivil(y, m+1, 1) + int64(day) - 1
	return days*86400 + int64(hour)*3600 + int64(min)*60 + s, int(ns)
}

// daysFromCivil returns the days from 1970-01-01 to y-m-d in the proleptic
// Gregorian calendar (Howard Hinnant's days_from_civil), m in 1..12.
func daysFromCivil(y, m, d int64) int64 {
	if m <= 2 {
		y--
	}
	era := floorDiv(y, 400)
	yoe := y - era*400
	mp := (m + 9) % 12 // March = 0
	doy := (153*mp+2)/5 + d - 1
	doe := yoe*365 + yoe/4 - yoe/100 + doy
	return era*146097 + doe - 719468
}

func floorDiv(a, b int64) int64 {
	q := a / b
	if (a%b != 0) && ((a < 0) != (b < 0)) {
		q--
	}
	return q
}

// WritesOffset says whether line holds t with its UTC offset, as nginx's
// $time_local writes it (22/Nov/2026:16:22:18 +0530) or $time_iso8601 (or
// RFC 3339 with a fraction: its wall time, then Z or its offset). A time
// from $msec is written without one, and says nothing of the zone.
func WritesOffset(line string, t time.Time) bool {
	if strings.Contains(line, t.Format("02/Jan/2006:15:04:05 -0700")) {
		return true
	}
	wall := t.Format("2006-01-02T15:04:05")
	i := strings.Index(line, wall)
	if i < 0 {
		return false
	}
	rest := line[i+len(wall):]
	if strings.HasPrefix(rest, ".") {
		rest = strings.TrimLeft(rest[1:], "0123456789")
	}
	_, off := t.Zone()
	return strings.HasPrefix(rest, t.Format("-07:00")) || (off == 0 && strings.HasPrefix(rest, "Z"))
}
