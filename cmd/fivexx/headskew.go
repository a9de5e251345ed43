package main

import (
	"slices"
	"time"

	"fivexx/classify"
	"fivexx/sources"
)

// A report reads its inputs merged by the times their lines carry. The
// lines of an app whose clock runs ahead of the proxy's come that much
// later; a 5xx waits for them by log time up to a minute
// (classify.AppWaitLimit). Further ahead, and they came after its verdict:
// the QA's HAProxy recording read in TZ=Europe/Berlin (its zone-less
// stamps an hour behind the app's) joined none of its 85 5xx by id, where
// it joins 69; an app 2 min ahead none either. Further behind, they came
// more than a minute early, far ahead of the log clock on the proxy's, and
// were held apart.
//
// When the skew is known before reading, the merge takes it off the app's
// lines (sources.Input.SetMergeShift): --app-skew beyond that minute, or
// the skew the heads of the logs tell. The rules are:
//   - the heads (their first 32 KB, peeked once: heads.go) of the proxy's
//     access logs and of the apps' logs are parsed; a request both logged
//     with the same id, by lines that mark the same moment, is a pair: the
//     app's line less the proxy's time (from mid-second for whole-second
//     stamps), as the engine samples the skew (skew.go). That is the
//     app's end of a request the proxy answered below 500, and the app's
//     line of a 5xx the app answered itself that logs its status
//     (classify.MomentStatus): an app that logs only its errors, or one
//     in a 5xx storm, has no other; a 5xx the proxy made on its own (a 502
//     refused, a 504 timed out) pairs with none;
//   - headPairs pairs at least, half of them within headSpread of their
//     median: a skew of the app's clock, not of requests that went on;
//   - only beyond classify.AppWaitLimit, ahead or behind: within it the
//     wait and the log clock see to it, as for a skew learnt while
//     reading, and nothing changes where clocks agree;
//   - only the apps whose heads gave pairs are moved: an app that logs no
//     ids tells nothing of its clock;
//   - a proxy line whose parser took no id offers its captured values and
//     the fields after its request line (sources.Format.Captured and
//     Trailing: HAProxy's "%{+Q}r %ID"), as the engine's judge does
//     (classify/capturedid.go): the place in them where the apps' heads
//     carry the most values as their ids is the id's, on every line of
//     that input. The trailing %ID's skew went untold: an app 2 min
//     ahead joined none of its 5xx (QA s14), where "{%ID}" in the capture
//     block told +2m0s from 102 ids (s2).

const (
	headPairs  = 20
	headSpread = time.Second
)

// mergeShifts has the merge take a skew known before reading off the app
// inputs' times (see above): forced, when given (--app-skew), else the
// one the heads tell; byPaths says the heads told it by requests paired
// by method, target and status, not ids (headzone.go), and hint is a
// zone's offset too few of them told to take (0: none).
func mergeShifts(ins []*sources.Input, forced *time.Duration, heads *headCache) (byPaths bool, hint classify.SkewHint) {
	beyond := func(d time.Duration) bool { return d > classify.AppWaitLimit || d < -classify.AppWaitLimit }
	if forced != nil {
		if !beyond(*forced) {
			return
		}
		for _, in := range ins {
			if f, ok := headFormat(in.Spec, heads); ok && f.Role == sources.RoleApp {
				in.SetMergeShift(*forced)
			}
		}
		return false, hint
	}
	d, apps, ok := headSkew(ins, heads)
	if !ok {
		z := zoneHeadSkew(ins, heads) // headzone.go
		d, apps, ok, byPaths = z.skew, z.apps, z.ok, z.ok
		if !ok && z.pairs > 0 {
			hint = classify.SkewHint{Skew: z.skew, Pairs: z.pairs}
		}
	}
	if !ok || !beyond(d) {
		return false, hint
	}
	for _, in := range apps {
		in.SetMergeShift(d)
	}
	return byPaths, hint
}

// headFormat is the format of the input of spec as read from its head
// (or given), when it is a file that can be peeked.
func headFormat(spec sources.Spec, heads *headCache) (sources.Format, bool) {
	if !peekable(spec) {
		return sources.Format{}, false
	}
	if f, ok := sources.LookupFormat(spec.Format); ok {
		return f, true
	}
	f, _, err := heads.sample(spec.Path, spec.Role).Resolve(spec)
	return f, err == nil
}

// headSkew is the skew of the apps' clock the heads of ins tell (see
// above), rounded to 100 ms, and the app inputs whose heads gave pairs.
func headSkew(ins []*sources.Input, heads *headCache) (skew time.Duration, apps []*sources.Input, ok bool) {
	type end struct {
		id   uint64
		t    time.Time
		mark sources.AppEntry // its phase and status, for classify.MarksMoment
		in   *sources.Input
	}
	type moment struct {
		t    time.Time
		want int // the app line's that marks it: classify.MomentStatus
	}
	proxy := map[uint64]moment{}
	subSecond := false
	var ends []end
	// offered is a line's values that may hold its id (see above).
	type offered struct {
		m    moment
		vals []string
		in   *sources.Input
	}
	var offers []offered
	appIDs := map[uint64]bool{}
	headRecords(ins, heads, func(in *sources.Input, f sources.Format, rec sources.Record) {
		switch r := rec.(type) {
		case *sources.ProxyEntry:
			if r.Status <= 0 || r.Time.IsZero() {
				return
			}
			if r.RequestID == "" {
				if vals := offeredIDs(f, r.Raw); len(vals) > 0 {
					if r.Time.Nanosecond() != 0 {
						subSecond = true
					}
					offers = append(offers, offered{moment{r.Time, classify.MomentStatus(r)}, vals, in})
				}
				return
			}
			if r.Time.Nanosecond() != 0 {
				subSecond = true
			}
			want := classify.MomentStatus(r)
			if _, seen := proxy[r.IDKey()]; !seen && want != 0 {
				proxy[r.IDKey()] = moment{r.Time, want}
			}
		case *sources.AppEntry:
			if r.RequestID != "" {
				appIDs[r.IDKey()] = true
			}
			if r.RequestID != "" && !r.Time.IsZero() && (r.Phase == sources.PhaseEnd || r.Status != 0) {
				ends = append(ends, end{r.IDKey(), r.Time, sources.AppEntry{Phase: r.Phase, Status: r.Status}, in})
			}
		}
	})
	// The place of each input's offered values that the apps carry most.
	carried := map[*sources.Input][]int{}
	for _, o := range offers {
		n := carried[o.in]
		for i, v := range o.vals {
			if appIDs[idKey(v)] {
				for len(n) <= i {
					n = append(n, 0)
				}
				n[i]++
			}
		}
		carried[o.in] = n
	}
	for _, o := range offers {
		n := carried[o.in]
		place := -1
		for i, c := range n {
			if c > 0 && (place < 0 || c > n[place]) {
				place = i
			}
		}
		if place < 0 || place >= len(o.vals) || o.m.want == 0 {
			continue
		}
		if k := idKey(o.vals[place]); k != 0 {
			if _, seen := proxy[k]; !seen {
				proxy[k] = o.m
			}
		}
	}
	var ds []time.Duration
	for _, e := range ends {
		m, found := proxy[e.id]
		if !found || !classify.MarksMoment(m.want, &e.mark) {
			continue
		}
		pt := m.t
		if !subSecond {
			pt = pt.Add(500 * time.Millisecond) // the middle of its second
		}
		ds = append(ds, e.t.Sub(pt))
		if !slices.Contains(apps, e.in) {
			apps = append(apps, e.in)
		}
	}
	if len(ds) < headPairs {
		return 0, nil, false
	}
	slices.Sort(ds)
	med := ds[len(ds)/2]
	near := 0
	for _, d := range ds {
		if d >= med-headSpread && d <= med+headSpread {
			near++
		}
	}
	if 2*near < len(ds) {
		return 0, nil, false
	}
	return med.Round(100 * time.Millisecond), apps, true
}

// headRecords calls fn with each record of the heads of ins' proxy and
// app inputs, read by the format each head was detected as (a primer
// primed with its head first), with its input and format: headSkew's and
// zoneHeadSkew's reading of the heads.
func headRecords(ins []*sources.Input, heads *headCache, fn func(in *sources.Input, f sources.Format, rec sources.Record)) {
	for _, in := range ins {
		f, ok := headFormat(in.Spec, heads)
		if !ok || (f.Role != sources.RoleProxy && f.Role != sources.RoleApp) {
			continue
		}
		p, err := f.New(in.Spec.Opts)
		if err != nil {
			continue
		}
		lines, _ := heads.head(in.Spec.Path)
		if pr, ok := p.(sources.Primer); ok {
			pr.Prime(lines)
		}
		for _, l := range lines {
			if rec, err := p.Parse(l); err == nil {
				fn(in, f, rec)
			}
		}
	}
}

// offeredIDs is the values of a proxy line of format f whose parser took
// no id that may hold it: its captured values, then the fields after its
// request line (sources.Format.Captured, Trailing), "" and "-" left out
// as none.
func offeredIDs(f sources.Format, raw string) []string {
	var vals []string
	if f.Captured != nil {
		vals = f.Captured(raw)
	}
	if f.Trailing != nil {
		vals = append(vals, f.Trailing(raw)...)
	}
	return vals
}

// idKey is the key of request id v, as a line that logged it as its id
// has it (sources.AppEntry.IDKey); 0 for none.
func idKey(v string) uint64 {
	if v == "" || v == "-" {
		return 0
	}
	a := sources.AppEntry{RequestID: v}
	return a.IDKey()
}
