package classify

import (
	"errors"
	"sort"
	"time"

	"fivexx/sources"
)

// A replay of plain files makes a verdict's timeline when it is asked for
// (LaterTimeline.Load), from the lines around the request read again from
// the files (sources.Rereader), instead of for every 5xx as it is judged.
// Its engine then holds no access line at all, as a report's does: made
// eagerly, the timelines were the whole of what a replay at full speed
// did beyond a report (14.2 G instructions against 10.6 G on the 2 M bench
// set: holding every line for two minutes, and a walk of 60 of them for
// each of 41 k verdicts of which the UI keeps about a thousand).

// LaterTimeline is what a verdict needs to make its timeline when it is
// asked for: the request's time, its own lines (the verdict's entry, error
// and app lines) and their inputs, and the readers of the inputs. Even the
// request's own lines are put together only when asked (Own): made for
// every verdict as it was judged, they were a third of what a replay at
// full speed did beyond a report (callgrind, 200 k lines), for the few
// verdicts anyone opens.
type LaterTimeline struct {
	at time.Time
	v  *Verdict
	in *sources.Input // the access line's
	// errIn and appIn are the inputs of the request's error and app
	// lines when one input gave every such line (correlator.errFrom,
	// appFrom); otherwise ins has the input of each of its own lines, in
	// their order (ownLines).
	errIn, appIn *sources.Input
	ins          []*sources.Input
	readers      []*sources.Rereader
}

// TimelineLines bounds a timeline's lines: the request's own, then the
// nearest others within TimelineReach.
const TimelineLines = 60

// TimelineReach is how far from the request a timeline's lines may be.
const TimelineReach = 5 * time.Second

// Load makes the whole timeline: the request's own lines and the nearest
// others within ±5 s of it, at most TimelineLines in all, in time order (lines
// of the same time: the request's own first, then by nearness as taken), as
// the timelines made while judging have them. Each input is read again
// around the request's time; an input that cannot be read gives an error
// (joined with the others') and the timeline has the lines of the rest. It
// may be called from any goroutine, more than once.
func (l *LaterTimeline) Load() (Timeline, error) {
	tl := l.Own()
	// The request's own lines are not taken again: each is counted once
	// by its input and text, and a line read again that matches one is
	// passed over once.
	type ownKey struct{ source, raw string }
	own := map[ownKey]int{}
	for i := range tl.Len() {
		ol := tl.Line(i)
		own[ownKey{ol.Source, ol.Raw}]++
	}
	type taken struct {
		line TimelineLine
		dist time.Duration
		seq  int // its place among the lines read: inputs in order, each in file order
	}
	var near []taken
	var errs []error
	lo, hi := l.at.Add(-TimelineReach), l.at.Add(TimelineReach)
	for _, r := range l.readers {
		recs, err := r.Around(l.at, TimelineLines)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		in := r.Input()
		label, service, role := in.Spec.Label(), serviceOf(in), in.Role()
		for _, rec := range recs {
			t, raw := rec.RecordTime(), rec.RawLine()
			if t.Before(lo) || hi.Before(t) {
				continue
			}
			if k := (ownKey{label, raw}); own[k] > 0 {
				own[k]--
				continue
			}
			near = append(near, taken{TimelineLine{Time: t, Source: label, Service: service, Role: role, Raw: raw}, absDur(t.Sub(l.at)), len(near)})
		}
	}
	// In the order the walk of a timeline made while judging takes them
	// (correlator.timeline), outward from the request through the lines
	// in the order they came: nearest first; of two as near, the earlier
	// (the left one); lines of the same time before the request from the
	// last one that came, those at or after it from the first.
	sort.Slice(near, func(i, j int) bool {
		a, b := &near[i], &near[j]
		if a.dist != b.dist {
			return a.dist < b.dist
		}
		if !a.line.Time.Equal(b.line.Time) {
			return a.line.Time.Before(b.line.Time)
		}
		if a.line.Time.Before(l.at) {
			return a.seq > b.seq
		}
		return a.seq < b.seq
	})
	for _, n := range near[:min(len(near), max(TimelineLines-tl.Len(), 0))] {
		tl.Append(n.line)
	}
	sortTimeline(tl.lines)
	return tl, errors.Join(errs...)
}

// Readers are the inputs it reads again.
func (l *LaterTimeline) Readers() []*sources.Rereader { return l.readers }

// Own is the request's own lines, in time order: its access line, then
// its error and app lines, as a timeline made as it was judged starts.
// The detail screen shows them while Load reads the rest. It may be
// called from any goroutine, more than once.
func (l *LaterTimeline) Own() Timeline {
	var own ownLines
	addOwnLines(&own, l.v)
	tl := Timeline{lines: make([]timelineEntry, 0, 1+len(own.lines))}
	var names inputNames
	e := l.v.Entry
	tl.add(e.Time, names.of(&tl, l.in), e.Raw, true)
	for i, r := range own.lines {
		in := l.appIn
		switch {
		case l.ins != nil:
			in = l.ins[i]
		case isErrorLine(r):
			in = l.errIn
		}
		var src uint8
		if in != nil {
			src = names.of(&tl, in)
		} else {
			src = tl.sourceIndex("", "", 0)
		}
		tl.add(r.RecordTime(), src, r.RawLine(), true)
	}
	sortTimeline(tl.lines)
	return tl
}

func isErrorLine(r sources.Record) bool {
	_, ok := r.(*sources.ProxyError)
	return ok
}

// addOwn adds e and its own lines to tl, e first.
func (c *correlator) addOwn(tl *Timeline, names *inputNames, e *sources.ProxyEntry, own *ownLines, in *sources.Input) {
	lines := c.lines[c.head:]
	tl.add(e.Time, names.of(tl, in), e.Raw, true)
	for _, r := range own.lines {
		var src uint8
		if in := c.ownInput(lines, r); in != nil {
			src = names.of(tl, in)
		} else {
			src = tl.sourceIndex("", "", 0)
		}
		tl.add(r.RecordTime(), src, r.RawLine(), true)
	}
}

// laterTimeline gives v what it needs to make its timeline when asked
// (Verdict.Later): the inputs of its own lines, which only the held lines
// tell when more than one input gave lines of a kind. A reused entry
// (keptentry.go) gives it its memory.
func (e *Engine) laterTimeline(v *Verdict, p pendingEntry) {
	var l *LaterTimeline
	var room []*sources.Input
	if k := p.kept; k != nil {
		if k.later == nil {
			k.later = new(keptLater)
		}
		l, room = &k.later.tl, k.later.ins[:0]
	} else {
		l = new(LaterTimeline)
	}
	*l = LaterTimeline{at: p.e.Time, v: v, in: p.in, readers: e.cfg.Rereaders}
	c := e.corr
	errIn, appIn := c.errFrom.only(), c.appFrom.only()
	if (errIn != nil || len(v.ErrorLines) == 0) && (appIn != nil || len(v.AppLines) == 0) {
		l.errIn, l.appIn = errIn, appIn
	} else {
		lines := c.lines[c.head:]
		for _, r := range e.ownLinesOf(v).lines {
			room = append(room, c.ownInput(lines, r))
		}
		l.ins = room
	}
	v.Later = l
}

// ownLinesOf is e.own, set to v's error and app lines.
func (e *Engine) ownLinesOf(v *Verdict) *ownLines {
	own := &e.own
	own.reset()
	addOwnLines(own, v)
	return own
}

// addOwnLines adds v's error and app lines to own.
func addOwnLines(own *ownLines, v *Verdict) {
	for _, x := range v.ErrorLines {
		own.add(x)
	}
	for _, x := range v.AppLines {
		own.add(x)
	}
}
