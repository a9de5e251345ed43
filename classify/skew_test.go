package classify

import (
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"fivexx/sources"
)

// Which app line marks the moment the proxy logged a request: a 5xx the
// proxy made on its own (refused, timed out) has none, and the line of a
// 5xx the app answered must log the status the proxy had from it.
func TestMomentStatus(t *testing.T) {
	refused := upstreamEntry(0, 502, "a:1", "502", "-", "r")
	timedOut := upstreamEntry(0, 504, "a:1", "504", "-", "r")
	answered500 := upstreamEntry(0, 500, "a:1", "500", "0.030", "r")
	retried := upstreamEntry(0, 503, "a:1", "502", "0.030", "r") // intercepted: the app said 502
	retried.UpstreamStatus = []string{"502", "502"}
	noStatusField := upstreamEntry(0, 503, "a:1", "", "0.030", "r") // HAProxy: Tr >= 0, no upstream status
	noStatusField.UpstreamStatus, noStatusField.Fields = nil, sources.FieldRequestID
	ok := upstreamEntry(0, 200, "a:1", "200", "0.010", "r")
	end := func(status int) *sources.AppEntry {
		return appLine(0, sources.PhaseEnd, "r", status, "info", "finished")
	}
	start := appLine(0, sources.PhaseStart, "r", 0, "info", "started")
	for _, tc := range []struct {
		name  string
		e     *sources.ProxyEntry
		a     *sources.AppEntry
		marks bool
	}{
		{"200, end", ok, end(200), true},
		{"200, end without status", ok, end(0), true},
		{"200, start", ok, start, false},
		{"app 500, its 500", answered500, end(500), true},
		{"app 500, a 200", answered500, end(200), false},
		{"app 500, start", answered500, start, false},
		{"502 refused, the app's 502", refused, end(502), false},
		{"504 timed out, the app's 504", timedOut, end(504), false},
		{"503 over the app's 502", retried, end(502), true},
		{"503 over the app's 502, its 503", retried, end(503), false},
		{"HAProxy 503 answered", noStatusField, end(503), true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := MarksMoment(MomentStatus(tc.e), tc.a); got != tc.marks {
				t.Errorf("MarksMoment(MomentStatus) = %v, want %v (MomentStatus %d)", got, tc.marks, MomentStatus(tc.e))
			}
			// Noted before the app's line came, the same.
			v := seenOf(tc.e)
			if v.moment() != MomentStatus(tc.e) || tc.e.Time.Sub(v.time()) > 2*time.Microsecond || v.time().After(tc.e.Time) {
				t.Errorf("noted as %d at %v, want %d at %v", v.moment(), v.time(), MomentStatus(tc.e), tc.e.Time)
			}
			var c correlator
			c.doneIDs.put(tc.e.IDKey(), seenOf(tc.e))
			c.sampleAnswered(tc.a)
			if got := c.skew.n == 1; got != tc.marks {
				t.Errorf("a line after the access line: sampled %v, want %v", got, tc.marks)
			}
		})
	}
}

// Live, an app's line comes after the access line of its 5xx as often as
// before: its own 500 is a sample either way, as it is in a report, and
// a refused 502's line is none either way.
func TestLiveSamplesTheAppsOwn5xx(t *testing.T) {
	for _, tc := range []struct {
		name      string
		appFirst  bool
		status    int
		us, uht   string
		appStatus int
		samples   int
	}{
		{"app's 500 after", false, 500, "500", "0.030", 500, 1},
		{"app's 500 before", true, 500, "500", "0.030", 500, 1},
		{"refused 502 after", false, 502, "502", "-", 502, 0},
		{"refused 502 before", true, 502, "502", "-", 502, 0},
		{"app's 500, its line 200, before", true, 500, "500", "0.030", 200, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			proxy, app := input(0, sources.RoleProxy), input(2, sources.RoleApp)
			wall := t0
			eng := NewEngine(Config{Inputs: []*sources.Input{proxy, app}, Live: true, Grace: time.Second, Now: func() time.Time { return wall }})
			p := upstreamEntry(0, tc.status, "a:1", tc.us, tc.uht, "r1")
			a := appLine(3.2, sources.PhaseEnd, "r1", tc.appStatus, "error", "request finished") // its clock 3 s ahead
			if tc.appFirst {
				eng.Add(app, a)
				eng.Add(proxy, p)
			} else {
				eng.Add(proxy, p)
				eng.Add(app, a)
			}
			eng.Advance()
			if s := eng.Publish(true); s.AppSkew.Samples != tc.samples {
				t.Errorf("%d samples (skew %v), want %d", s.AppSkew.Samples, s.AppSkew.Skew, tc.samples)
			}
		})
	}
}

// nthSmallest gives what a sort puts at each place, for sample sets of
// every size up to the estimator's, with ties, runs and random values.
func TestNthSmallestAsSort(t *testing.T) {
	rng := rand.New(rand.NewPCG(8, 31))
	for size := 1; size <= 101; size++ {
		for round := 0; round < 20; round++ {
			xs := make([]time.Duration, size)
			for i := range xs {
				switch round % 4 {
				case 0:
					xs[i] = time.Duration(rng.Int64N(2000)-1000) * time.Millisecond
				case 1:
					xs[i] = time.Duration(rng.IntN(3)) * time.Second // many ties
				case 2:
					xs[i] = time.Duration(i) * time.Millisecond // sorted already
				case 3:
					xs[i] = time.Duration(size-i) * time.Millisecond // reversed
				}
			}
			want := slices.Clone(xs)
			slices.Sort(want)
			for n := range xs {
				got := nthSmallest(slices.Clone(xs), n)
				if got != want[n] {
					t.Fatalf("size %d round %d: nthSmallest(%v, %d) = %v, want %v", size, round, xs, n, got, want[n])
				}
			}
		}
	}
}
