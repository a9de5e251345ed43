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
	label, service string
	role           sources.Role
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
	t.add(l.Time, t.sourceIndex(l.Source, l.Service, l.Role), l.Raw, l.Matched)
}

// add adds a line whose source index is known.
func (t *Timeline) add(at time.Time, src uint8, raw string, matched bool) {
	t.lines = append(t.lines, t.entry(at, src, raw, matched))
}

// entry is a line of t whose source index is known, not yet added.
func (t *Timeline) entry(at time.Time, src uint8, raw string, matched bool) timelineEntry {
	return t.entryAt(instantOf(at), at.Location(), src, raw, matched)
}

// entryAt is entry for a time given as its instant and zone.
func (t *Timeline) entryAt(at logInstant, loc *time.Location, src uint8, raw string, matched bool) timelineEntry {
	return timelineEntry{raw: raw, sec: at.sec, nsec: int32(at.nsec),
		src: src, zone: t.zoneIndex(loc), matched: matched}
}

func (t *Timeline) sourceIndex(label, service string, role sources.Role) uint8 {
	for i, s := range t.sources {
		if s.label == label && s.service == service && s.role == role {
			return uint8(i)
		}
	}
	if len(t.sources) == maxTimelineKinds {
		return maxTimelineKinds - 1
	}
	t.sources = append(t.sources, timelineSource{label, service, role})
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
	return TimelineLine{Time: at, Source: s.label, Service: s.service, Role: s.role, Raw: e.raw, Matched: e.matched}
}

// Lines is every line, in order.
func (t *Timeline) Lines() []TimelineLine {
	out := make([]TimelineLine, t.Len())
	for i := range out {
		out[i] = t.Line(i)
	}
	return out
}

// ownLines are a request's own lines (its error and app lines) as its
// timeline takes them: in order, each once. A timeline asks of every line
// it walks past whether it is one of them; a map, made for each verdict
// and asked with a hash of an interface per line, was a fifth of a
// replay's timeline cost. A request has a handful of own lines: they are
// looked through, and only a long list gets a map.
type ownLines struct {
	lines []sources.Record
	set   map[sources.Record]bool // past ownLinesScan lines
}

// ownLinesScan is how many own lines are looked through rather than
// looked up.
const ownLinesScan = 16

// reset empties o for the next request, keeping its array.
func (o *ownLines) reset() {
	clear(o.lines)
	o.lines, o.set = o.lines[:0], nil
}

// add adds r unless it is in already.
func (o *ownLines) add(r sources.Record) {
	if o.has(r) {
		return
	}
	o.lines = append(o.lines, r)
	if o.set != nil {
		o.set[r] = true
	} else if len(o.lines) > ownLinesScan {
		o.set = make(map[sources.Record]bool, 2*len(o.lines))
		for _, x := range o.lines {
			o.set[x] = true
		}
	}
}

// has reports whether r is one of the lines. A line kept only for
// timelines (textOnly, textRing) never is: most lines a timeline walks.
func (o *ownLines) has(r sources.Record) bool {
	if _, text := r.(*textLine); text || len(o.lines) == 0 {
		return false
	}
	if o.set != nil {
		return o.set[r]
	}
	for _, x := range o.lines {
		if x == r {
			return true
		}
	}
	return false
}

// timelineSlab hands out the lines of timelines, and room for their
// sources and zones, from shared arrays: arrays of their own for each
// timeline (41 k of them in a replay of the 2 M bench set, 1.9 KB of
// lines and three small arrays each) were a tenth of a replay's timeline
// cost, mostly the allocator's. A slab is collected once no timeline it
// holds is kept (the engine keeps the last thousand or so verdicts, and
// a few hundred from far back, the newest of each upstream and cause:
// each of those keeps its slab, so a slab is small: with 64 timelines,
// 13 MB of a replay's live heap at the end of the 2 M bench set, 5.6 MB
// at the end of its first quarter).
type timelineSlab struct {
	free    []timelineEntry
	sources []timelineSource
	zones   []*time.Location
}

// start gives tl, empty, room for n lines and for a few sources and zones
// (more are appended as to any slice).
func (s *timelineSlab) start(tl *Timeline, n int) {
	const sources, zones = 4, 2
	tl.lines = s.take(n)
	if len(s.sources) < sources {
		s.sources = make([]timelineSource, slabTimelines*sources)
	}
	tl.sources, s.sources = s.sources[:0:sources], s.sources[sources:]
	if len(s.zones) < zones {
		s.zones = make([]*time.Location, slabTimelines*zones)
	}
	tl.zones, s.zones = s.zones[:0:zones], s.zones[zones:]
}

// slabTimelines is how many timelines a slab holds, timelineSlabLines
// their lines.
const (
	slabTimelines     = 8
	timelineSlabLines = slabTimelines * 60
)

// take returns an empty slice of capacity n that no one else appends to.
func (s *timelineSlab) take(n int) []timelineEntry {
	if n > timelineSlabLines/8 {
		return make([]timelineEntry, 0, n)
	}
	if len(s.free) < n {
		s.free = make([]timelineEntry, timelineSlabLines)
	}
	l := s.free[:0:n]
	s.free = s.free[n:]
	return l
}

// timelineWalk is what a timeline's walk outward from its request takes,
// on either side: correlator.timeline takes the nearest line on the left
// or the right in turn, and the lines were then sorted by time, a sort of
// 60 lines out of order for each verdict (a tenth of a replay's timeline
// cost). In the held lines, in time order but for a few, the lines taken
// on the left come in falling time and those on the right in rising time:
// finish merges them, the left ones turned round, with the request's own
// lines, and sorts only when they do not.
//
// The lines taken on the right are added to the timeline as they are
// taken, after the request's own: most often they are all its lines
// taken (a 5xx is the last line of its second, whose other lines, at no
// distance, come first) and none of its own lines is later than they
// are, and they lie where they go. (Taken into a slice of the walk's own
// and then merged into the timeline, each was copied twice: a fifth of
// the timeline's instructions.)
type timelineWalk struct {
	left     []timelineEntry // in the order taken
	right    []timelineEntry // finish's copy of the right ones, when it merges or sorts
	fromLeft []bool          // the order of all of them: whether each is a left one
	own      int             // how many lines the timeline had before the walk
}

// reset empties w for the next timeline, tl, which has its request's own
// lines.
func (w *timelineWalk) reset(tl *Timeline) {
	w.left, w.right, w.fromLeft = w.left[:0], w.right[:0], w.fromLeft[:0]
	w.own = tl.Len()
}

// len is how many lines w has taken.
func (w *timelineWalk) len() int { return len(w.fromLeft) }

// take adds a line taken on the left or the right (to tl: see
// timelineWalk).
func (w *timelineWalk) take(fromLeft bool, tl *Timeline, e timelineEntry) {
	if fromLeft {
		w.left = append(w.left, e)
	} else {
		tl.lines = append(tl.lines, e)
	}
	w.fromLeft = append(w.fromLeft, fromLeft)
}

// earlier reports whether a's time is before b's.
func earlier(a, b *timelineEntry) bool {
	return a.sec < b.sec || a.sec == b.sec && a.nsec < b.nsec
}

// finish adds the lines w took on the left to tl, and orders tl's lines
// (the request's own, then those w took on the right) with them as
// sortTimeline does: by time, lines of the same time in the order they
// were added (tl's own first, then w's in the order taken). tl.lines must
// have room for them all. It reports whether it had to sort.
func (w *timelineWalk) finish(tl *Timeline) (sorted bool) {
	l, r := w.left, tl.lines[w.own:]
	inOrder := len(l) == 0 || len(r) == 0 || earlier(&l[0], &r[0])
	for i := 1; inOrder && i < len(l); i++ {
		inOrder = !earlier(&l[i-1], &l[i])
	}
	for i := 1; inOrder && i < len(r); i++ {
		inOrder = !earlier(&r[i], &r[i-1])
	}
	// tl's own lines (a handful: insertion) are sorted.
	h := tl.lines[:w.own]
	if inOrder {
		for i := 1; i < len(h); i++ {
			for j := i; j > 0 && earlier(&h[j], &h[j-1]); j-- {
				h[j], h[j-1] = h[j-1], h[j]
			}
		}
		if len(l) == 0 && (len(r) == 0 || len(h) == 0 || !earlier(&r[0], &h[len(h)-1])) {
			// No own line is later than a line taken, all on the
			// right: they lie where they go.
			return false
		}
	}
	// The right ones out of the way, tl.lines is tl's own lines again.
	w.right = append(w.right[:0], r...)
	r = w.right
	tl.lines = h
	if !inOrder {
		// Out of order: add them as taken, and sort. (h is not sorted
		// on this path: the sort is stable, from the order added.)
		li, ri := 0, 0
		for _, left := range w.fromLeft {
			if left {
				tl.lines = append(tl.lines, l[li])
				li++
			} else {
				tl.lines = append(tl.lines, r[ri])
				ri++
			}
		}
		sortTimeline(tl.lines)
		return true
	}
	// The lines taken are in time order as the left ones turned round
	// (lines of the same time among them keep the order taken), then the
	// right ones. tl's own lines, sorted, are merged with them from the
	// end, where each line taken is copied once (no merged copy of them
	// first); a line of tl goes before one of w of the same time.
	m := ownMerge{out: h[:len(h)+len(l)+len(r)], i: len(h) - 1}
	m.k = len(m.out) - 1
	for x := len(r) - 1; x >= 0; x-- {
		m.put(&r[x])
	}
	// From the end, the left lines come in the order taken, a run of
	// lines of the same time from its last to its first.
	for a := 0; a < len(l); {
		b := a + 1
		for b < len(l) && l[b].sec == l[a].sec && l[b].nsec == l[a].nsec {
			b++
		}
		for x := b - 1; x >= a; x-- {
			m.put(&l[x])
		}
		a = b
	}
	// Whatever of h is left lies where it goes.
	tl.lines = m.out
	return false
}

// ownMerge merges lines into out from its end, with the own lines that
// its first i+1 places hold, sorted.
type ownMerge struct {
	out  []timelineEntry
	k, i int // the place to fill next, the last own line not placed
}

// put places e, the latest line not placed, after the own lines later
// than it.
func (m *ownMerge) put(e *timelineEntry) {
	for m.i >= 0 && earlier(e, &m.out[m.i]) {
		m.out[m.k] = m.out[m.i]
		m.k--
		m.i--
	}
	m.out[m.k] = *e
	m.k--
}
