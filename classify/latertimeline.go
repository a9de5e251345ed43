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

// LaterTimeline is what a verdict needs to make the rest of its timeline
// when it is asked for: the request's time, its own lines (Verdict.Timeline
// holds them until then), and the readers of the inputs.
type LaterTimeline struct {
	at      time.Time
	own     Timeline
	readers []*sources.Rereader
}

// maxTimeline bounds a timeline's lines: the request's own, then the
// nearest others within timelineReach.
const maxTimeline = 60

// timelineReach is how far from the request a timeline's lines may be.
const timelineReach = 5 * time.Second

// Load makes the whole timeline: the request's own lines and the nearest
// others within ±5 s of it, at most maxTimeline in all, in time order (lines
// of the same time: the request's own first, then by nearness as taken), as
// the timelines made while judging have them. Each input is read again
// around the request's time; an input that cannot be read gives an error
// (joined with the others') and the timeline has the lines of the rest. It
// may be called from any goroutine, more than once.
func (l *LaterTimeline) Load() (Timeline, error) {
	tl := NewTimeline(l.own.Lines()...)
	// The request's own lines are not taken again: each is counted once
	// by its input and text, and a line read again that matches one is
	// passed over once.
	type ownKey struct{ source, raw string }
	own := map[ownKey]int{}
	for i := range l.own.Len() {
		ol := l.own.Line(i)
		own[ownKey{ol.Source, ol.Raw}]++
	}
	type taken struct {
		line TimelineLine
		dist time.Duration
		seq  int // its place among the lines read: inputs in order, each in file order
	}
	var near []taken
	var errs []error
	lo, hi := l.at.Add(-timelineReach), l.at.Add(timelineReach)
	for _, r := range l.readers {
		recs, err := r.Around(l.at, maxTimeline)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		in := r.Input()
		label, role := in.Spec.Label(), in.Role()
		for _, rec := range recs {
			t, raw := rec.RecordTime(), rec.RawLine()
			if t.Before(lo) || hi.Before(t) {
				continue
			}
			if k := (ownKey{label, raw}); own[k] > 0 {
				own[k]--
				continue
			}
			near = append(near, taken{TimelineLine{Time: t, Source: label, Role: role, Raw: raw}, absDur(t.Sub(l.at)), len(near)})
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
	for _, n := range near[:min(len(near), max(maxTimeline-tl.Len(), 0))] {
		tl.Append(n.line)
	}
	sortTimeline(tl.lines)
	return tl, errors.Join(errs...)
}

// Readers are the inputs it reads again.
func (l *LaterTimeline) Readers() []*sources.Rereader { return l.readers }

// ownTimeline is a request's own lines as its timeline starts: the access
// line e of input in, then own (its error and app lines), in time order.
func (c *correlator) ownTimeline(e *sources.ProxyEntry, own *ownLines, in *sources.Input, k *keptLater) Timeline {
	var tl Timeline
	var names inputNames
	if k == nil || !k.ownTimeline(&tl, 1+len(own.lines)) {
		c.timelines.start(&tl, 1+len(own.lines))
	}
	c.addOwn(&tl, &names, e, own, in)
	sortTimeline(tl.lines)
	return tl
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
			src = tl.sourceIndex("", 0)
		}
		tl.add(r.RecordTime(), src, r.RawLine(), true)
	}
}

// laterTimeline gives v its own lines as its timeline, and what it needs
// to make the rest when asked (Verdict.Later).
// A reused entry (keptentry.go) gives both their memory.
func (e *Engine) laterTimeline(v *Verdict, p pendingEntry) {
	own := e.ownLinesOf(v)
	var k *keptLater
	if p.kept != nil {
		if p.kept.later == nil {
			p.kept.later = new(keptLater)
		}
		k = p.kept.later
	}
	v.Timeline = e.corr.ownTimeline(p.e, own, p.in, k)
	l := LaterTimeline{at: p.e.Time, own: v.Timeline, readers: e.cfg.Rereaders}
	if k != nil {
		k.tl = l
		v.Later = &k.tl
	} else {
		v.Later = &l
	}
}

// ownLinesOf is e.own, set to v's error and app lines.
func (e *Engine) ownLinesOf(v *Verdict) *ownLines {
	own := &e.own
	own.reset()
	for _, x := range v.ErrorLines {
		own.add(x)
	}
	for _, x := range v.AppLines {
		own.add(x)
	}
	return own
}
