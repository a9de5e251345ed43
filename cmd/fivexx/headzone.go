package main

import (
	"slices"
	"time"

	"fivexx/sources"
)

// Without request ids the heads tell a zone's offset too. An app whose
// stamps carry no zone is read in TZ (as the app may run on another host
// than the proxy, no log of the proxy's says its zone), and a proxy's
// zone-less stamps alike (HAProxy's %tr; nginx's error log takes its
// access log's offset instead: errorzone.go): written at +0100 and read
// in UTC, every time of one side is a whole hour off, beyond the minute a
// 5xx waits and the 10 s the engine pairs unique requests in
// (classify/pathskew.go), and the window joined none of 63 5xx (QA s36
// M2: an app's zone-less times beside an access log at +0100), nor any of
// HAProxy's at +0100 beside an app logging UTC; the advice named
// "--app-skew 9h", and only -1h fixed the latter. The rules are:
//   - only when the ids told nothing (headSkew);
//   - a proxy line and an app end line of the same method, target and
//     status within headZoneSlack of each other, once the proxy's time is
//     moved by the offset (from mid-second for whole-second stamps), are
//     a pair at that offset; the offsets tried are the zones' (a whole
//     number of quarter hours, up to 14 h either way, not 0);
//   - the offset with the most pairs is the app's, when it has headPairs
//     pairs at least, pairs for half the proxy lines that fall in the app
//     head's time at that offset, and more than twice the pairs of any
//     other offset, 0 too: the heads of busy logs that share a few paths
//     pair at any offset where they overlap, a zone's offset pairs nearly
//     every line;
//   - with fewer pairs (headZoneHint at least) and the rest as above, the
//     offset is not taken, but the clock advice names it: the sign of
//     --app-skew is the trap (the app's time less the proxy's; HAProxy's
//     +0100 stamps read in UTC beside an app in UTC need -1h, and the
//     advice's example said 9h);
//   - the skew is then the median of the pairs' differences at that
//     offset (a clock a few seconds off besides), rounded to the second
//     (mid-second guesses for whole-second stamps left +59m59.9s), and the
//     merge takes it off the app's lines, as a skew the ids tell
//     (mergeShifts); the header says "app clock +1h0m0s (from the logs'
//     heads)".

const (
	headZoneHint  = 3
	headZoneSlack = 2 * time.Second
	headZoneStep  = 15 * time.Minute
	headZoneMost  = 14 * time.Hour
)

// headZone is what the heads tell of a zone's offset (zoneHeadSkew).
type headZone struct {
	skew time.Duration
	apps []*sources.Input // the app inputs whose heads paired
	// pairs is how many requests paired at skew; ok says they are enough
	// to take it, else it is only for the advice (Config.AppSkewHint).
	pairs int
	ok    bool
}

// zoneHeadSkew is the skew of the apps' clock a zone's offset makes, by
// the rules above; pairs 0 when none is told.
func zoneHeadSkew(ins []*sources.Input, heads *headCache) (z headZone) {
	type key struct {
		method, path string
		status       int
	}
	type appEnd struct {
		t  time.Time
		in *sources.Input
	}
	var proxy []struct {
		k key
		t time.Time
	}
	ends := map[key][]appEnd{}
	var appFirst, appLast time.Time
	subSecond := false
	headRecords(ins, heads, func(in *sources.Input, _ sources.Format, rec sources.Record) {
		switch r := rec.(type) {
		case *sources.ProxyEntry:
			if r.Status <= 0 || r.Time.IsZero() || r.Method == "" || r.Path == "" {
				return
			}
			if r.Time.Nanosecond() != 0 {
				subSecond = true
			}
			proxy = append(proxy, struct {
				k key
				t time.Time
			}{key{r.Method, r.Path, r.Status}, r.Time})
		case *sources.AppEntry:
			if r.Status == 0 || r.Time.IsZero() || r.Method == "" || r.Path == "" {
				return
			}
			k := key{r.Method, r.Path, r.Status}
			ends[k] = append(ends[k], appEnd{r.Time, in})
			if appFirst.IsZero() || r.Time.Before(appFirst) {
				appFirst = r.Time
			}
			if r.Time.After(appLast) {
				appLast = r.Time
			}
		}
	})
	if len(proxy) < headZoneHint || len(ends) == 0 {
		return z
	}
	for _, s := range ends {
		slices.SortFunc(s, func(a, b appEnd) int { return a.t.Compare(b.t) })
	}
	mid := time.Duration(0)
	if !subSecond {
		mid = 500 * time.Millisecond // the middle of its second
	}
	// nearest is the app end of k nearest to t, within headZoneSlack.
	nearest := func(k key, t time.Time) (appEnd, bool) {
		s := ends[k]
		i, _ := slices.BinarySearchFunc(s, t, func(a appEnd, t time.Time) int { return a.t.Compare(t) })
		best, found := appEnd{}, false
		for _, j := range []int{i - 1, i} {
			if j < 0 || j >= len(s) {
				continue
			}
			if d := s[j].t.Sub(t).Abs(); d <= headZoneSlack && (!found || d < best.t.Sub(t).Abs()) {
				best, found = s[j], true
			}
		}
		return best, found
	}
	pairs := func(off time.Duration) (n, inRange int) {
		for _, p := range proxy {
			t := p.t.Add(mid + off)
			if t.Before(appFirst.Add(-headZoneSlack)) || t.After(appLast.Add(headZoneSlack)) {
				continue
			}
			inRange++
			if _, ok := nearest(p.k, t); ok {
				n++
			}
		}
		return n, inRange
	}
	atZero, _ := pairs(0)
	best, bestN, bestIn, second := time.Duration(0), 0, 0, 0
	for off := -headZoneMost; off <= headZoneMost; off += headZoneStep {
		if off == 0 {
			continue
		}
		n, in := pairs(off)
		switch {
		case n > bestN:
			second = bestN
			best, bestN, bestIn = off, n, in
		case n > second:
			second = n
		}
	}
	if bestN < headZoneHint || 2*bestN < bestIn || bestN <= 2*atZero || bestN <= 2*second {
		return z
	}
	var ds []time.Duration
	for _, p := range proxy {
		t := p.t.Add(mid)
		if e, ok := nearest(p.k, t.Add(best)); ok {
			ds = append(ds, e.t.Sub(t))
			if !slices.Contains(z.apps, e.in) {
				z.apps = append(z.apps, e.in)
			}
		}
	}
	slices.Sort(ds)
	z.skew, z.pairs, z.ok = ds[len(ds)/2].Round(time.Second), len(ds), bestN >= headPairs
	return z
}
