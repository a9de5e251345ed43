package main

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"io"
	"os"
	"sort"
	"time"

	"fivexx/sources"
	"fivexx/sources/textsafe"
)

// errorzone.go gives a separate nginx error log the zone of the access log
// it is read with. Its times carry no zone (formats.md §2.4) and were read
// in the machine's (TZ): on a host or container in UTC, a proxy logging
// at +0100 had every error line an hour from its request, and every 5xx
// judged app_error. Within one stream the nginx parser reads them at the
// offset of the access line before them (sources/nginx/stream.go); for
// separate files this does it before reading starts. The rules are:
//   - Only when the user gave no zone (ParserOptions.Location, which the
//     demo sets) and an nginx error log is read beside an nginx access log
//     whose lines carry an offset ($time_local, $time_iso8601; not $msec).
//   - The offsets are peeked (peek.go): the first access line of each such
//     regular file (a .gz's head inflated), and the last of an
//     uncompressed one. Standard input and --cmd cannot be peeked, and
//     give nothing.
//   - Where the machine's zone has those offsets at those instants, the
//     error log is read in it, as before (it knows every DST change).
//     Else, one offset throughout is a fixed zone; one change of offset
//     (daylight saving) is found by bisecting the file that holds it, and
//     the error log is read in a zone with that one change, so that its
//     lines on both sides of it, the repeated hour too, meet their
//     requests. More than one change is read at the first offset, with a
//     note that later times may be an hour off and how to give the zone.
//   - Live mode peeks the same way, once, at start: the files it follows
//     are regular files read through their own descriptor. When that finds
//     no offset (the access log empty at start, just rotated, or read
//     through --cmd or standard input), the error lines wait in the engine
//     for the first nginx access line, whose offset they are then read at
//     (classify.Config.ErrorZoneFromAccess).

// offsetSeen is one access line's instant and the UTC offset it was
// written in.
type offsetSeen struct {
	at  int64 // Unix seconds
	off int   // seconds east of UTC
}

// errorLogZones sets the zone of every nginx error log among specs that
// has none to the zone of the nginx access logs beside it. It reports
// whether it found their offsets for those error logs (peeked), and the
// zone the access logs were found in (zone, found; nil: the machine's),
// also when the only error log may be among the inputs that cannot be
// peeked (standard input, --cmd, a pipe: linkErrorZones).
func errorLogZones(specs []sources.Spec, stderr io.Writer, heads *headCache) (peeked bool, zone *time.Location, found bool) {
	var errorLogs []int
	streams := false // an input not peeked may be an nginx error log
	type accessLog struct {
		spec   sources.Spec
		format sources.Format
		head   []string
		gz     bool
	}
	var access []accessLog
	for i, s := range specs {
		if s.NotRead != "" {
			continue // no line of it is read
		}
		if !peekable(s) {
			if s.Role == sources.RoleProxyErrors && s.Opts.Location == nil {
				errorLogs = append(errorLogs, i) // --proxy-errors -
			}
			streams = streams || (s.Role == sources.RoleUnknown && s.Opts.Location == nil)
			continue
		}
		if s.Role == sources.RoleApp || (s.Role == sources.RoleProxyErrors && s.Opts.Location != nil) {
			continue
		}
		head, gz := heads.head(s.Path)
		f, ok := sources.LookupFormat(s.Format)
		if !ok {
			var err error
			if f, _, err = heads.sample(s.Path, s.Role).Resolve(s); err != nil {
				continue
			}
		}
		switch {
		case f.Name == "nginx-error" && s.Opts.Location == nil:
			errorLogs = append(errorLogs, i)
		case f.Family == "nginx" && f.Role == sources.RoleProxy:
			access = append(access, accessLog{s, f, head, gz})
		}
	}
	if (len(errorLogs) == 0 && !streams) || len(access) == 0 {
		return false, nil, false
	}
	var seen []offsetSeen
	lost := false // a change of offset was not found in its file
	for _, a := range access {
		p, err := a.format.New(a.spec.Opts)
		if err != nil {
			continue
		}
		first, ok := firstOffset(p, a.head, false)
		if !ok {
			continue
		}
		seen = append(seen, first)
		if a.gz {
			continue
		}
		tail, _ := peekTail(a.spec.Path)
		last, ok := firstOffset(p, tail, true)
		if !ok {
			continue
		}
		seen = append(seen, last)
		if last.off != first.off {
			before, after, ok := offsetChangeIn(a.spec.Path, p, first, last)
			if !ok {
				lost = true
			}
			seen = append(seen, before, after)
		}
	}
	if len(seen) == 0 {
		return false, nil, false
	}
	loc, note := zoneOf(seen, lost, time.Local)
	peeked = len(errorLogs) > 0
	if loc == nil {
		return peeked, nil, true
	}
	for _, i := range errorLogs {
		specs[i].Opts.Location = loc
		if note {
			fmt.Fprintf(stderr, "fivexx: note: %s: nginx error-log times carry no zone; read at %s, the offset of the first access-log line, but the access logs change offset later (daylight saving): error-log times after a change may be an hour off; give the proxy's zone, e.g. TZ=Europe/Berlin fivexx ...\n",
				textsafe.Escape(specs[i].Label()), offsetText(seen[0].off))
		}
	}
	return peeked, loc, true
}

// linkErrorZones gives, in a report or a replay, the nginx error logs
// that errorLogZones could not the zone of the access logs through the
// readers (sources.ZoneLink): an error log that cannot be peeked takes
// the zone the peek found; when no access log could be peeked (standard
// input, --cmd, <(zcat access.log.gz)), the error logs wait for the
// first line of those that cannot. Live holds the error lines in the
// engine instead (classify.Config.ErrorZoneFromAccess), as its inputs are
// not merged by time.
func (f *inputFlags) linkErrorZones(ins []*sources.Input) {
	// An error log given as --proxy reads as nginx-error, as it does by
	// position (sources.detectFormats), and waits as one. An input not
	// read (Spec.NotRead) neither waits nor gives.
	mayBeErrorLog := func(in *sources.Input) bool {
		return in.Spec.Opts.Location == nil && in.Spec.Role != sources.RoleApp && in.Spec.NotRead == ""
	}
	link := sources.NewZoneLink(time.Local)
	if f.errorZoneFound {
		link.Settle(f.errorZone)
	} else {
		givers := 0
		for _, in := range ins {
			if r := in.Spec.Role; peekable(in.Spec) || in.Spec.NotRead != "" || (r != sources.RoleUnknown && r != sources.RoleProxy) {
				continue
			}
			if ff, ok := sources.LookupFormat(in.Spec.Format); ok && !(ff.Family == "nginx" && ff.Role == sources.RoleProxy) {
				continue
			}
			in.GiveZone(link)
			givers++
		}
		if givers == 0 {
			return
		}
	}
	for _, in := range ins {
		if mayBeErrorLog(in) {
			in.WaitZone(link)
		}
	}
}

// firstOffset returns the instant and offset of the first line of lines
// (the last, backwards) that p reads as a request whose time the line
// writes with its offset.
func firstOffset(p sources.Parser, lines []string, backwards bool) (offsetSeen, bool) {
	for k := range lines {
		l := lines[k]
		if backwards {
			l = lines[len(lines)-1-k]
		}
		if s, ok := offsetOf(p, l); ok {
			return s, true
		}
	}
	return offsetSeen{}, false
}

// offsetOf reads line with p: a request whose time is written in the line
// with its offset ($time_local, $time_iso8601). A time from $msec is
// written without one, and says nothing about the zone.
func offsetOf(p sources.Parser, line string) (offsetSeen, bool) {
	rec, err := p.Parse(line)
	e, ok := rec.(*sources.ProxyEntry)
	if err != nil || !ok || e == nil || e.Time.IsZero() {
		return offsetSeen{}, false
	}
	t := e.Time
	_, off := t.Zone()
	if !sources.WritesOffset(line, t) {
		return offsetSeen{}, false
	}
	return offsetSeen{at: t.Unix(), off: off}, true
}

// offsetChangeIn finds, by bisecting path's bytes, the two access lines on
// either side of its change of offset from first's to last's: the last
// line at first's offset and the next at another. It reads probeBytes at
// each of about log2(size/probeBytes) places.
func offsetChangeIn(path string, p sources.Parser, first, last offsetSeen) (before, after offsetSeen, ok bool) {
	f, err := os.Open(path)
	if err != nil {
		return before, after, false
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return before, after, false
	}
	const probeBytes = 8 << 10
	lo, hi := int64(0), st.Size()
	before, after = first, last
	for range 64 {
		if hi-lo <= 1 {
			return before, after, true
		}
		mid := lo + (hi-lo)/2
		s, found := firstOffset(p, linesFrom(f, mid, probeBytes), false)
		if !found {
			return before, after, false // no request near mid: give up
		}
		if s.off == first.off {
			lo, before = mid, s
		} else {
			hi, after = mid, s
		}
	}
	return before, after, false
}

// zoneOf is the zone the access lines seen (in any order) were written
// in: nil when the machine's zone (local) has their offsets at their instants;
// note says the offset changes more than once, or lost that a change was
// not found, and only the first offset is given.
func zoneOf(seen []offsetSeen, lost bool, local *time.Location) (loc *time.Location, note bool) {
	sort.SliceStable(seen, func(i, j int) bool { return seen[i].at < seen[j].at })
	inLocal := true
	changes, at := 0, 0
	for k, s := range seen {
		if _, off := time.Unix(s.at, 0).In(local).Zone(); off != s.off {
			inLocal = false
		}
		if k > 0 && s.off != seen[k-1].off {
			changes, at = changes+1, k
		}
	}
	switch {
	case inLocal:
		return nil, false
	case changes == 0:
		return time.FixedZone("", seen[0].off), false
	case changes == 1 && !lost:
		return offsetChange(seen[0].off, seen[at].off, changeInstant(seen[at-1].at, seen[at].at)), false
	}
	return time.FixedZone("", seen[0].off), true
}

// changeInstant is when the offset changed between a line at before and
// the next at after: the last whole hour (UTC) after before, when there is
// one, as daylight-saving changes are; else after.
func changeInstant(before, after int64) int64 {
	if h := after - after%3600; h > before {
		return h
	}
	return after
}

// offsetChange returns a zone at offset before until the instant at, and
// at offset after from then on. The time package builds a zone with
// changes only from zoneinfo data, so this writes the data: TZif version
// 2 (RFC 8536), an empty version 1 block, one transition, no footer rule.
func offsetChange(before, after int, at int64) *time.Location {
	var b bytes.Buffer
	header := func(times, types, chars uint32) {
		b.WriteString("TZif2")
		b.Write(make([]byte, 15))
		for _, n := range []uint32{0, 0, 0, times, types, chars} { // isut, isstd, leap, time, type, char
			binary.Write(&b, binary.BigEndian, n)
		}
	}
	header(0, 0, 0)
	header(1, 2, 1)
	binary.Write(&b, binary.BigEndian, at)
	b.WriteByte(1) // the transition is to type 1
	for _, off := range []int32{int32(before), int32(after)} {
		binary.Write(&b, binary.BigEndian, off)
		b.Write([]byte{0, 0}) // not DST (neither is "standard" here), name at 0
	}
	b.WriteByte(0)        // the one name, ""
	b.WriteString("\n\n") // no rule after the transition
	loc, err := time.LoadLocationFromTZData("", b.Bytes())
	if err != nil {
		return time.FixedZone("", before)
	}
	return loc
}

// offsetText writes a UTC offset as $time_local does: +0100.
func offsetText(off int) string {
	return time.Unix(0, 0).In(time.FixedZone("", off)).Format("-0700")
}
