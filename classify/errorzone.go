package classify

import (
	"time"

	"fivexx/sources"
)

// errorzone.go gives, live, a separate nginx error log the zone of the
// access log read with it when the peek at start could not
// (cmd/fivexx/errorzone.go): the access log was empty (just rotated), or
// comes through --cmd or standard input. Its times carry no zone
// (formats.md §2.4) and were read in fivexx's for the whole session: with
// nginx in Asia/Kolkata and fivexx in UTC every error line was 5 h 30 off
// its request, none joined a 5xx, and the misread lines moved the log
// clock 5 h 30 ahead (every request "far off"). The rules are:
//   - Only with Config.ErrorZoneFromAccess, and only the lines of an
//     nginx-error input given no zone (ParserOptions.Location).
//   - Its lines wait, as records, until the first nginx access line comes
//     (the error line of a failed request comes before its access line):
//     held rather than read and stamped again later, as a line read is
//     already in the join indexes and the kept lines' time order, and
//     has moved the log clock.
//   - That line settles the zone: its offset when the line writes one
//     ($time_local, $time_iso8601), else the zone the lines were read in
//     ($msec says nothing of it). The waiting lines are then stamped in it
//     (their wall time, at that offset) and added in their order before
//     the access line, and every later line of theirs is stamped so too.
//   - The wait ends, the lines read as they are, when maxZoneWait lines
//     wait or no input can be an nginx access log (every format known).
type errorZone struct {
	on      bool // lines may wait, or are stamped (Config.ErrorZoneFromAccess)
	settled bool
	loc     *time.Location // the access lines' zone; nil: as read
	off     int            // loc's offset
	held    []heldError
}

type heldError struct {
	in  *sources.Input
	rec *sources.ProxyError
}

// maxZoneWait bounds the error lines waiting for the zone.
const maxZoneWait = 4096

// waits says whether in's lines take the zone of the access lines.
func (z *errorZone) waits(in *sources.Input) bool {
	return in != nil && in.Spec.Opts.Location == nil && in.Format().Name == "nginx-error"
}

// take is Add's look at a record while the zone is not known or its lines
// are stamped: it reports whether it keeps rec to add later.
func (z *errorZone) take(e *Engine, in *sources.Input, rec sources.Record) bool {
	switch r := rec.(type) {
	case *sources.ProxyError:
		if !z.waits(in) {
			return false
		}
		if z.settled {
			z.stamp(r)
			return false
		}
		if len(z.held) >= maxZoneWait || !e.accessMayCome() {
			z.settle(e, nil)
			return false
		}
		z.held = append(z.held, heldError{in, r})
		return true
	case *sources.ProxyEntry:
		if z.settled || in == nil || in.Format().Family != "nginx" || r.Time.IsZero() {
			return false
		}
		var loc *time.Location
		if sources.WritesOffset(r.Raw, r.Time) {
			_, off := r.Time.Zone()
			loc = time.FixedZone("", off)
		}
		z.settle(e, loc)
	}
	return false
}

// settle takes loc as the error lines' zone and adds the lines waiting.
func (z *errorZone) settle(e *Engine, loc *time.Location) {
	z.settled, z.loc = true, loc
	if loc != nil {
		_, z.off = time.Time{}.In(loc).Zone()
	} else {
		z.on = false // read as they are: nothing left to do
	}
	held := z.held
	z.held = nil
	for _, h := range held {
		z.stamp(h.rec)
		e.add(h.in, h.rec, nil)
	}
}

// stamp reads r's zone-less time at the settled offset.
func (z *errorZone) stamp(r *sources.ProxyError) {
	t := r.Time
	if z.loc == nil || t.IsZero() {
		return
	}
	if _, off := t.Zone(); off == z.off {
		return
	}
	r.Time = time.Date(t.Year(), t.Month(), t.Day(), t.Hour(), t.Minute(), t.Second(), t.Nanosecond(), z.loc)
}

// accessMayCome reports whether an input may still give an nginx access
// line: one is of an nginx access format, or not known yet.
func (e *Engine) accessMayCome() bool {
	for _, in := range e.cfg.Inputs {
		f := in.Format()
		if f.Name == "" || (f.Family == "nginx" && f.Role == sources.RoleProxy) {
			return true
		}
	}
	return false
}
