package classify

import (
	"slices"
	"time"

	"fivexx/sources"
)

// errList is the held error lines of one join key (errJoin), in arrival
// order: the first in the map's value itself, the rest in a slice. Nearly
// every key has one line (a request fails once), and a slice per key was
// one allocation per error line held, 76,000 of a report's 580,000 on
// the 2 M bench set. A key with many lines has them indexed instead
// (idx; errindex.go).
type errList struct {
	first *sources.ProxyError
	more  []*sources.ProxyError
	idx   *errIndex
	// rest is the errRest the list was read from (errSlot.list), for
	// slot to write more and idx back to.
	rest *errRest
}

// errSlot is an errList as errsBy keeps it: the first line in the slot,
// the others (and the index) in an errRest of their own, nil while the
// key has one line. In a storm, every 5xx waiting its grace (up to
// MaxPending, 50,000) holds its error line under its own key: a slot of
// the whole errList (40 bytes and the key's 8) made errsBy 7 MB of the 90
// MB a storm of refused 502s held at 46,000 waiting; half that now.
type errSlot struct {
	first *sources.ProxyError
	rest  *errRest
}

// errRest is the lines after the first of an errsBy key, or its index.
type errRest struct {
	more []*sources.ProxyError
	idx  *errIndex
}

// list is the errList s keeps.
func (s errSlot) list() errList {
	if s.rest == nil {
		return errList{first: s.first}
	}
	return errList{first: s.first, more: s.rest.more, idx: s.rest.idx, rest: s.rest}
}

// slot is l as errsBy keeps it, in the errRest l was read from when it
// had one.
func (l errList) slot() errSlot {
	if l.more == nil && l.idx == nil {
		return errSlot{first: l.first}
	}
	r := l.rest
	if r == nil {
		r = new(errRest)
	}
	r.more, r.idx = l.more, l.idx
	return errSlot{first: l.first, rest: r}
}

// empty reports whether l holds no line.
func (l errList) empty() bool { return l.first == nil && l.idx == nil }

// add returns l with x appended.
func (l errList) add(x *sources.ProxyError) errList {
	if l.idx != nil {
		l.idx.add(x)
		return l
	}
	if l.first == nil {
		l.first = x
		return l
	}
	l.more = append(l.more, x)
	if 1+len(l.more) >= indexFrom {
		return errList{idx: newErrIndex(append([]*sources.ProxyError{l.first}, l.more...))}
	}
	return l
}

// remove returns l without x, empty when that left none. Lines are
// evicted oldest first, so x is almost always the first: the next one
// takes its place with a reslice, not a copy of the rest.
func (l errList) remove(x *sources.ProxyError) errList {
	if l.idx != nil {
		if l.idx.remove(x) == 0 {
			return errList{}
		}
		return l
	}
	if l.first == x {
		if len(l.more) == 0 {
			return errList{}
		}
		l.first = l.more[0]
		l.more[0] = nil // let the collector have it
		l.more = l.more[1:]
		return l
	}
	if i := slices.Index(l.more, x); i >= 0 {
		l.more = slices.Delete(l.more, i, i+1)
	}
	return l
}

// fitting is the lines of l that may be e's (errFits), e's span being
// [from, to], in arrival order.
func (l errList) fitting(e *sources.ProxyEntry, from, to time.Time) []*sources.ProxyError {
	if l.idx != nil {
		return l.idx.fitting(e, from, to)
	}
	var in []*sources.ProxyError
	for i := -1; i < len(l.more); i++ {
		x := l.first // then the others, in order
		if i >= 0 {
			x = l.more[i]
		}
		if errFits(e, x, from, to) {
			in = append(in, x)
		}
	}
	return in
}

// lastFailure is the failure line (one with a reason) of e's client,
// method and path that carries serial and came last, nil when none.
func (l errList) lastFailure(e *sources.ProxyEntry, serial string) *sources.ProxyError {
	last := func(x *sources.ProxyError) bool {
		return x.Conn == serial && reasonCause(x.Reason) != "" && x.Path == e.Path && x.Client == e.Client && x.Method == e.Method
	}
	if l.idx != nil {
		s := l.idx.bySerial[serial]
		for i := len(s) - 1; i >= 0; i-- {
			if last(s[i].x) {
				return s[i].x
			}
		}
		return nil
	}
	for i := len(l.more) - 1; i >= -1; i-- {
		x := l.first
		if i >= 0 {
			x = l.more[i]
		}
		if x != nil && last(x) {
			return x
		}
	}
	return nil
}

// sortErrorsByTime and sortAppByTime order lines by time, keeping the
// order of lines of the same instant, as sort.SliceStable with Time.Before
// did, without its closure and swapper: two allocations per verdict with
// lines.
func sortErrorsByTime(lines []*sources.ProxyError) {
	slices.SortStableFunc(lines, func(a, b *sources.ProxyError) int { return a.Time.Compare(b.Time) })
}

func sortAppByTime(lines []*sources.AppEntry) {
	slices.SortStableFunc(lines, func(a, b *sources.AppEntry) int { return a.Time.Compare(b.Time) })
}
