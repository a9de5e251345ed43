package classify

import (
	"slices"

	"fivexx/sources"
)

// errList is the held error lines of one join key (errJoin), in arrival
// order: the first in the map's value itself, the rest in a slice. Nearly
// every key has one line (a request fails once), and a slice per key was
// one allocation per error line held, 76,000 of a report's 580,000 on
// the 2 M bench set.
type errList struct {
	first *sources.ProxyError
	more  []*sources.ProxyError
}

// add returns l with x appended.
func (l errList) add(x *sources.ProxyError) errList {
	if l.first == nil {
		l.first = x
		return l
	}
	l.more = append(l.more, x)
	return l
}

// remove returns l without x; first is nil when that left it empty. Lines
// are evicted oldest first, so x is almost always the first: the next one
// takes its place with a reslice, not a copy of the rest.
func (l errList) remove(x *sources.ProxyError) errList {
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
