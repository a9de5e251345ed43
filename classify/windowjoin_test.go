package classify

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"fivexx/sources"
)

// fullScanWindow is the window's join as it was before it range-scanned
// (windowjoin.go): every held line of e's path looked at, and for a 504
// without a request time every one before its narrow window walked
// (finishedEarly). The reference windowLines must agree with.
func fullScanWindow(c *correlator, e *sources.ProxyEntry) windowHeld {
	var h windowHeld
	cands := c.byPath[pathOnly(e.Path)]
	long := c.lookback(e) > 0
	var finished map[*sources.AppEntry]bool
	if long {
		type target struct{ instance, method, path string }
		open := map[target][]*sources.AppEntry{}
		endedIDs := map[string]bool{}
		finished = map[*sources.AppEntry]bool{}
		for _, a := range cands {
			if !c.written(a).Before(c.narrowFrom(e, a)) { // a late line by its span (applate.go)
				continue
			}
			if a.RequestID != "" {
				if appEnds(a) {
					endedIDs[a.RequestID] = true
				}
				continue
			}
			k := target{a.Instance, a.Method, a.Path}
			switch {
			case appEnds(a):
				if s := open[k]; len(s) > 0 {
					finished[s[len(s)-1]] = true
					open[k] = s[:len(s)-1]
				}
			case a.Phase == sources.PhaseStart:
				open[k] = append(open[k], a)
			}
		}
		for _, a := range cands {
			if a.RequestID != "" && endedIDs[a.RequestID] {
				finished[a] = true
			}
		}
	}
	if neverConnected(e) {
		return h
	}
	var others []*sources.AppEntry // windowstarts.go
	for _, a := range cands {
		h.looked++
		if from, to := c.appWindow(e, a); !c.appFits(e, a, from, to) {
			continue
		}
		if long && (finished[a] || c.endsEarly(e, a)) {
			continue
		}
		if c.startsAfter(e, a) { // windowstarts.go
			continue
		}
		switch statusOf(upstreamAnswers(e, nil), a) { // windowstatus.go
		case -1:
			h.otherStatus = true
			others = append(others, a)
			continue
		case 1:
			h.ownStatus = true
		}
		if c.answeredNearer(e, a) {
			h.answered = true
			others = append(others, a)
			continue
		}
		if c.appUsed[a] {
			h.taken = true
			continue
		}
		h.lines = append(h.lines, a)
	}
	sortAppByTime(h.lines)
	if len(others) > 0 && len(h.lines) > 0 {
		sortAppByTime(others)
		h.lines = withoutTheirStarts(h.lines, others, cands, cands[len(cands)-1].Time)
	}
	return h
}

// heldWindowCase holds n app lines of one path over the given span (a
// request every so often: with an id a start, maybe a line on the way, an
// end, now and then a line up to 20 s after its end (an end line before
// the range a 504 looks at still makes that line another request's; one
// on another path does not); without one a start and an end
// on one of two instances, some requests hanging), a few arriving late,
// some taken by other 5xx, the lines with ids on a clock 1.5 s ahead.
func heldWindowCase(seed uint64, n int, span time.Duration) *correlator {
	rng := rand.New(rand.NewPCG(seed, 7))
	c := newCorrelator(Config{}.withDefaults())
	c.joins = joinsMay
	c.skew.skew = 1500 * time.Millisecond
	app := input(2, sources.RoleApp)
	at := func(d time.Duration) time.Time { return t0.Add(d) }
	line := func(t time.Time, phase sources.Phase, rid, inst, method string, status int) *sources.AppEntry {
		return &sources.AppEntry{Time: t, Phase: phase, RequestID: rid, Status: status, Instance: inst,
			Method: method, Path: "/api/report", Duration: -1, Raw: "app"}
	}
	var lines []*sources.AppEntry
	step := span / time.Duration(n/2)
	for i := 0; len(lines) < n; i++ {
		start := time.Duration(i) * step
		lasted := time.Duration(rng.Int64N(int64(3 * time.Second)))
		if rng.IntN(10) == 0 {
			lasted = time.Duration(rng.Int64N(int64(90 * time.Second))) // hung
		}
		method := []string{"GET", "POST"}[rng.IntN(2)]
		status := []int{200, 200, 200, 500, 502, 504}[rng.IntN(6)]
		if rng.IntN(2) == 0 {
			rid := fmt.Sprintf("r%d", i)
			lines = append(lines, line(at(start), sources.PhaseStart, rid, "", method, 0))
			if rng.IntN(3) == 0 {
				lines = append(lines, line(at(start+lasted/2), sources.PhaseOther, rid, "", method, 0))
			}
			end := line(at(start+lasted), sources.PhaseEnd, rid, "", method, status)
			if rng.IntN(10) == 0 {
				end.Path = "/api/other" // no line of this path's: it ends no request here
			}
			lines = append(lines, end)
			if rng.IntN(4) == 0 { // a line after its end
				after := time.Duration(rng.Int64N(int64(20 * time.Second)))
				lines = append(lines, line(at(start+lasted+after), sources.PhaseOther, rid, "", method, 0))
			}
			continue
		}
		inst := []string{"10.0.0.1:8080", "10.0.0.2:8080"}[rng.IntN(2)]
		lines = append(lines, line(at(start), sources.PhaseStart, "", inst, method, 0))
		if rng.IntN(10) != 0 { // some never end
			lines = append(lines, line(at(start+lasted), sources.PhaseEnd, "", inst, method, status))
		}
	}
	// In time order, but for a few lines up to 2 s late.
	slices.SortStableFunc(lines, func(a, b *sources.AppEntry) int { return a.Time.Compare(b.Time) })
	for i := range lines {
		if j := i + rng.IntN(40); rng.IntN(20) == 0 && j < len(lines) && lines[j].Time.Sub(lines[i].Time) < 2*time.Second {
			lines[i], lines[j] = lines[j], lines[i]
		}
	}
	for _, a := range lines {
		c.hold(app, a, a.Time, instantOf(a.Time), nil, false)
		if rng.IntN(15) == 0 {
			if c.appUsed == nil {
				c.appUsed = map[*sources.AppEntry]bool{}
			}
			c.appUsed[a] = true
		}
	}
	return c
}

// The window's join looks only at the lines its window may hold (a binary
// search over each path's lines, kept in time order) and finds what
// looking at every held line found: for 6,000 held lines of one path,
// 502s, 503s and 504s without a request time (whose window reaches 60 s
// back, and whose look for requests that ended first walked every earlier
// line) and with one. Under the race detector, which makes its one
// goroutine's scans about ten times slower and has nothing to find in
// them, the first seed; make test runs all three without it.
func TestWindowJoinIsTheFullScan(t *testing.T) {
	const n, span = 6000, 4 * time.Minute
	seeds := uint64(3)
	if raceEnabled {
		seeds = 1
	}
	for seed := uint64(1); seed <= seeds; seed++ {
		c := heldWindowCase(seed, n, span)
		list := c.byPath["/api/report"]
		if !slices.IsSortedFunc(list, func(a, b *sources.AppEntry) int { return a.Time.Compare(b.Time) }) {
			t.Fatalf("seed %d: the path's lines are not in time order", seed)
		}
		rng := rand.New(rand.NewPCG(seed, 9))
		var looked, full, joined int
		for q := 0; q < 300; q++ {
			e := &sources.ProxyEntry{Time: t0.Add(time.Duration(rng.Int64N(int64(span)))).Truncate(time.Second), Client: "10.1.2.3",
				Method: []string{"GET", "POST"}[rng.IntN(2)], Path: "/api/report?x=1", Status: []int{502, 503, 504, 504}[rng.IntN(4)],
				RequestTime: -1, Upstream: "10.0.0.1:8080"}
			if rng.IntN(4) == 0 {
				e.RequestTime = rng.Float64() * 40
			}
			got, want := c.windowLines(e), fullScanWindow(c, e)
			if !slices.Equal(got.lines, want.lines) || got.taken != want.taken || got.answered != want.answered {
				t.Fatalf("seed %d, %d at %v (request time %.1f): %d lines (taken %v), the full scan %d (taken %v)",
					seed, e.Status, e.Time.Sub(t0), e.RequestTime, len(got.lines), got.taken, len(want.lines), want.taken)
			}
			// What it looks at is the lines the window may hold: from
			// further back by as late as a line came (applate.go: a few
			// here come up to 2 s late).
			w := c.appRange(e)
			var in int
			for _, a := range list {
				if !a.Time.Before(w.first().Add(-c.lateMost)) && !a.Time.After(w.last()) {
					in++
				}
			}
			if got.looked != in {
				t.Fatalf("seed %d, %d at %v: looked at %d lines, %d in its window's range", seed, e.Status, e.Time.Sub(t0), got.looked, in)
			}
			looked, full, joined = looked+got.looked, full+want.looked, joined+len(got.lines)
		}
		if joined == 0 {
			t.Fatalf("seed %d: no 5xx found a line", seed)
		}
		t.Logf("seed %d: %d lines looked at against %d (%d joined)", seed, looked, full, joined)
	}
}

// addByTime keeps a path's lines in time order, lines of one time in the
// order they came: the order the join takes them in.
func TestAddByTimeKeepsArrivalOrderOnTies(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	var s, all []*sources.AppEntry
	for i := 0; i < 2000; i++ {
		a := &sources.AppEntry{Time: t0.Add(time.Duration(rng.IntN(300)) * time.Millisecond)}
		all = append(all, a)
		s = addByTime(s, a)
	}
	want := slices.Clone(all)
	slices.SortStableFunc(want, func(a, b *sources.AppEntry) int { return a.Time.Compare(b.Time) })
	if !slices.Equal(s, want) {
		t.Fatal("the lines are not in time order, ties in arrival order")
	}
	for _, a := range all {
		if !holds(s, a) {
			t.Fatalf("holds misses a line at %v", a.Time.Sub(t0))
		}
	}
	if holds(s, &sources.AppEntry{Time: all[0].Time}) {
		t.Fatal("holds finds a line it does not hold")
	}
}
