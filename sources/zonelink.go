package sources

import (
	"sync"
	"time"
)

// zonelink.go gives, in a report or a replay, a separate nginx error log
// the zone of an nginx access log read beside it that could not be peeked
// before reading (standard input, --cmd, a pipe such as <(zcat x.gz)):
// the error log's times carry no zone (formats.md §2.4), and read in
// fivexx's (TZ) they were hours off their requests with nginx elsewhere.
// Live holds the error lines in the engine until the first access line
// (classify/errorzone.go); a report cannot, as it merges the inputs by
// their times before the engine sees them: error lines stamped in the
// wrong zone come out of the merge hours from their requests, after the
// requests were judged. So the zone is settled before the error log is
// parsed. The rules are:
//   - An input that waits (WaitZone) and is read as nginx-error with no
//     zone given (ParserOptions.Location) waits, when its format is set,
//     until the link is settled, and is read in the link's zone.
//   - An input that gives (GiveZone) settles the link with the offset of
//     the first nginx access line of the first batch it sends, when the
//     line writes one ($time_local, $time_iso8601): the zone the link
//     settles on is the machine's when that has the offset at that
//     instant (it knows every DST change), else that fixed offset. Its
//     first batch without such a line, a format other than an nginx
//     access one, or its end, is its giving up.
//   - The link settles with no zone (the lines read as they are) when every
//     input that gives has given up.
//   - No wait can deadlock the merge: an input gives or gives up before
//     it sends its first batch, so before it could wait on the merge.

// ZoneLink is the zone a report's nginx error logs take from the access
// logs that could not be peeked; make it with NewZoneLink.
type ZoneLink struct {
	local   *time.Location
	mu      sync.Mutex
	givers  int
	settled bool
	loc     *time.Location
	done    chan struct{}
}

// NewZoneLink returns a link that settles in local when the access lines'
// offset is local's at their time.
func NewZoneLink(local *time.Location) *ZoneLink {
	return &ZoneLink{local: local, done: make(chan struct{})}
}

// WaitZone has in, once read as an nginx error log with no zone given,
// take z's zone. Call it before reading.
func (in *Input) WaitZone(z *ZoneLink) { in.zoneWait = z }

// GiveZone has in, once read as an nginx access log, settle z with its
// first line's offset. Call it before reading.
func (in *Input) GiveZone(z *ZoneLink) {
	z.mu.Lock()
	z.givers++
	z.mu.Unlock()
	in.zoneGive = z
}

// Zone returns the zone z settled on (nil: as read), waiting for it.
func (z *ZoneLink) Zone() *time.Location {
	<-z.done
	return z.loc
}

// settle settles z with loc, if not settled yet.
func (z *ZoneLink) settle(loc *time.Location) {
	z.mu.Lock()
	defer z.mu.Unlock()
	if !z.settled {
		z.settled, z.loc = true, loc
		close(z.done)
	}
}

// giveUp is one giver's giving up: the last one settles z as read.
func (z *ZoneLink) giveUp() {
	z.mu.Lock()
	z.givers--
	last := z.givers <= 0
	z.mu.Unlock()
	if last {
		z.settle(nil)
	}
}

// zoneOfLine is the zone of an access line at t, written with its
// offset: nil when local has that offset then.
func (z *ZoneLink) zoneOfLine(t time.Time) *time.Location {
	_, off := t.Zone()
	if _, lo := t.In(z.local).Zone(); lo == off {
		return nil
	}
	return time.FixedZone("", off)
}

// zoneFormat is SetFormat's part: a giver whose format reads no nginx
// access log gives up, and a waiter read as nginx-error takes the zone,
// waiting for it. It runs on the input's reader goroutine.
func (in *Input) zoneFormat(f Format) {
	if z := in.zoneGive; z != nil && !in.zoneGiven && !(f.Family == "nginx" && f.Role == RoleProxy) {
		in.zoneGiven = true
		z.giveUp()
	}
	if z := in.zoneWait; z != nil && f.Name == "nginx-error" && in.Spec.Opts.Location == nil {
		select {
		case <-z.done:
		default:
			// To wait: its place among the readers opening their files
			// (mergeOpening) goes back first, as the access logs that
			// settle z may be waiting for one.
			in.doneOpening()
		}
		in.Spec.Opts.Location = z.Zone()
	}
}

// zoneFromBatch settles the link in gives with the first access line of
// batch that writes its offset, or gives up.
func (in *Input) zoneFromBatch(batch []Item) {
	in.zoneGiven = true
	for _, it := range batch {
		if e, ok := it.Rec.(*ProxyEntry); ok && !e.Time.IsZero() && WritesOffset(e.Raw, e.Time) {
			in.zoneGive.settle(in.zoneGive.zoneOfLine(e.Time))
			break
		}
	}
	in.zoneGive.giveUp() // settled already, or given up
}

// zoneEnd is the end of a giver's reading: it gives up if it has not
// given.
func (in *Input) zoneEnd() {
	if in.zoneGive != nil && !in.zoneGiven {
		in.zoneGiven = true
		in.zoneGive.giveUp()
	}
}

// Settle settles z with loc (nil: as read) before reading: the zone was
// found by other means (a peek at the access logs' heads).
func (z *ZoneLink) Settle(loc *time.Location) { z.settle(loc) }
