package classify

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"fivexx/sources"
)

// A combined access log (no ids, no request times) beside an app that
// writes one "request finished" line with an id per request: each line is
// let go once no window can take it (windowdrop.go), not held the whole
// retention, and every verdict is the one made with every line held. 20
// requests a second for 10 minutes on 4 paths, 3 % 5xx (a third of them
// 504s, whose window reaches 60 s back), the app lines a little before or
// after their access line.
func TestEndedAppLinesGoOnceNoWindowTakesThem(t *testing.T) {
	proxy, app := input(0, sources.RoleProxy), input(1, sources.RoleApp)
	run := func(holdAll bool) (verdicts []string, mostHeld int) {
		rng := rand.New(rand.NewPCG(5, 6))
		eng := NewEngine(Config{Inputs: []*sources.Input{proxy, app}, Terse: true, OnVerdict: func(v *Verdict) {
			var at []string
			for _, a := range v.AppLines {
				at = append(at, a.RequestID)
			}
			verdicts = append(verdicts, fmt.Sprintf("%v %d %s/%s %v", v.Entry.Time.Sub(t0), v.Entry.Status, v.Cause, v.Confidence, at))
		}})
		if holdAll {
			eng.corr.proxyTimed = true // as after an entry with a request time
		}
		var recs []sources.Record
		for i := 0; i < 20*600; i++ {
			at := t0.Add(time.Duration(i) * 50 * time.Millisecond)
			path := []string{"/a", "/b", "/c", "/d"}[rng.IntN(4)]
			status := 200
			if rng.IntN(100) < 3 {
				status = []int{502, 503, 504}[rng.IntN(3)]
			}
			e := &sources.ProxyEntry{Time: at.Truncate(time.Second), Client: "10.1.2.3", Method: "GET", Path: path,
				Proto: "HTTP/1.1", Status: status, RequestTime: -1, Raw: "access " + path}
			appStatus := status
			if status == 504 || rng.IntN(3) == 0 {
				appStatus = 200 // the app finished after all, or another request's
			}
			a := &sources.AppEntry{Time: at.Add(time.Duration(rng.IntN(1500)-1000) * time.Millisecond), Phase: sources.PhaseEnd,
				RequestID: fmt.Sprintf("r%d", i), Status: appStatus, Method: "GET", Path: path, Duration: -1, Raw: "app"}
			recs = append(recs, e, a)
		}
		slices.SortStableFunc(recs, func(a, b sources.Record) int { return a.RecordTime().Compare(b.RecordTime()) })
		for n, r := range recs {
			in := proxy
			if _, ok := r.(*sources.AppEntry); ok {
				in = app
			}
			eng.Add(in, r)
			if n%64 == 63 {
				eng.Advance()
				c := eng.corr
				mostHeld = max(mostHeld, len(c.lines)-c.head-c.nils)
			}
		}
		eng.Flush()
		return verdicts, mostHeld
	}
	got, held := run(false)
	want, heldAll := run(true)
	if len(want) < 300 {
		t.Fatalf("%d verdicts", len(want))
	}
	if !slices.Equal(got, want) {
		for i := range min(len(got), len(want)) {
			if got[i] != want[i] {
				t.Fatalf("verdict %d: %s, with every line held %s", i, got[i], want[i])
			}
		}
		t.Fatalf("%d verdicts, with every line held %d", len(got), len(want))
	}
	// 20 app lines a second: the retention's two minutes are 2,400; the
	// reach (Match, the grace, 10 s, and the second an access line comes
	// late) about 15 s, 300.
	if held > 500 || heldAll < 2000 {
		t.Errorf("at most %d app lines held, %d with every line held; want under 500 and over 2,000", held, heldAll)
	}
	t.Logf("%d verdicts; at most %d lines held, %d with every line held", len(got), held, heldAll)
}

// notePlace, on instants, keeps what time.Time's After and Sub kept: the
// latest entry's time, and the most an entry came behind it (from the
// zero time on: the first entry is never late).
func TestNotePlaceKeepsTheLatestAndHowLate(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	c := newCorrelator(Config{}.withDefaults())
	var last time.Time
	var late time.Duration
	now := t0
	for i := range 5000 {
		switch rng.IntN(4) {
		case 0: // the same time (whole seconds)
		case 1:
			now = now.Add(time.Duration(rng.IntN(2000)) * time.Millisecond)
		default:
			now = now.Add(-time.Duration(rng.IntN(3000)) * time.Millisecond)
		}
		c.notePlace(instantOf(now))
		if now.After(last) {
			last = now
		} else if d := last.Sub(now); d > late {
			late = d
		}
		if c.proxyLast != instantOf(last) || c.proxyLate != late {
			t.Fatalf("entry %d: latest %v, %v late; want %v, %v", i, c.proxyLast, c.proxyLate, instantOf(last), late)
		}
	}
	if late == 0 {
		t.Fatal("no entry came late: the test tests nothing")
	}
}
