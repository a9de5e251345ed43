package classify

import (
	"time"

	"fivexx/sources"
)

// Timeline is a verdict's timeline, held compactly: a replay keeps every
// verdict's timeline (41 k verdicts of the 2 M bench set, 2.5 M lines), and
// as TimelineLine values (72 bytes and three pointers each: a time.Time's
// location, the source's label and the text) they were 178 MB that the GC
// scanned over and over. An entry here is 32 bytes with one pointer, its
// text; the few sources and time zones of a timeline are stored once.
type Timeline struct {
	lines   []timelineEntry
	sources []timelineSource
	zones   []*time.Location
}

type timelineEntry struct {
	raw     string
	sec     int64 // time.Time's Unix seconds and nanoseconds: exact for any time, the zero one included
	nsec    int32
	src     uint8 // index in Timeline.sources
	zone    uint8 // index in Timeline.zones
	matched bool
}

type timelineSource struct {
	label string
	role  sources.Role
}

// maxTimelineKinds bounds a timeline's distinct sources and zones (a
// uint8 index each); past it the last one is reused, which no real
// timeline of 60 lines from a handful of inputs comes near.
const maxTimelineKinds = 255

// NewTimeline makes a timeline of lines, in their order.
func NewTimeline(lines ...TimelineLine) Timeline {
	var t Timeline
	for _, l := range lines {
		t.Append(l)
	}
	return t
}

// Append adds l at the end.
func (t *Timeline) Append(l TimelineLine) {
	t.add(l.Time, t.sourceIndex(l.Source, l.Role), l.Raw, l.Matched)
}

// add adds a line whose source index is known.
func (t *Timeline) add(at time.Time, src uint8, raw string, matched bool) {
	t.lines = append(t.lines, timelineEntry{raw: raw, sec: at.Unix(), nsec: int32(at.Nanosecond()),
		src: src, zone: t.zoneIndex(at.Location()), matched: matched})
}

func (t *Timeline) sourceIndex(label string, role sources.Role) uint8 {
	for i, s := range t.sources {
		if s.label == label && s.role == role {
			return uint8(i)
		}
	}
	if len(t.sources) == maxTimelineKinds {
		return maxTimelineKinds - 1
	}
	t.sources = append(t.sources, timelineSource{label, role})
	return uint8(len(t.sources) - 1)
}

func (t *Timeline) zoneIndex(loc *time.Location) uint8 {
	for i, z := range t.zones {
		if z == loc {
			return uint8(i)
		}
	}
	if len(t.zones) == maxTimelineKinds {
		return maxTimelineKinds - 1
	}
	t.zones = append(t.zones, loc)
	return uint8(len(t.zones) - 1)
}

// Len is the number of lines.
func (t *Timeline) Len() int { return len(t.lines) }

// Line is line i, as it was added: the same instant in the same zone.
func (t *Timeline) Line(i int) TimelineLine {
	e := &t.lines[i]
	s := t.sources[e.src]
	at := time.Unix(e.sec, int64(e.nsec)).In(t.zones[e.zone])
	return TimelineLine{Time: at, Source: s.label, Role: s.role, Raw: e.raw, Matched: e.matched}
}

// Lines is every line, in order.
func (t *Timeline) Lines() []TimelineLine {
	out := make([]TimelineLine, t.Len())
	for i := range out {
		out[i] = t.Line(i)
	}
	return out
}
