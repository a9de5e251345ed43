package classify

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"fivexx/sources"
)

// The app lines of answered requests are let go, whether they come before
// or after the proxy's access line, and the 5xx among them still find theirs.
func TestAnsweredRequestsAreLetGo(t *testing.T) {
	proxy, app := input(0, sources.RoleProxy), input(2, sources.RoleApp)
	eng := NewEngine(Config{Inputs: []*sources.Input{proxy, app}})
	const n = 1000
	for i := 0; i < n; i++ {
		rid := fmt.Sprintf("r%d", i)
		sec := float64(i) / 100
		status := 200
		if i%100 == 7 {
			status = 503
		}
		// Started before the access line, finished after it (nginx logs whole seconds).
		eng.Add(app, appLine(sec, sources.PhaseStart, rid, 0, "info", "request started"))
		eng.Add(proxy, upstreamEntry(sec, status, "127.0.0.1:9101", fmt.Sprint(status), "0.001", rid))
		eng.Add(app, appLine(sec+0.001, sources.PhaseEnd, rid, status, "info", "request finished"))
		eng.Advance()
	}
	c := eng.corr
	held := 0
	for _, l := range c.lines[c.head:] {
		if l.rec != nil {
			held++
		}
	}
	// Only the 503s still in their grace period (at 8.07 s and 9.07 s; the
	// log is at 9.99 s, the grace 2 s) keep their 2 lines: the 8 judged
	// ones have let theirs go.
	if held != 4 || len(c.byID) != 2 {
		t.Errorf("held %d lines for %d ids, want 4 lines for 2 ids", held, len(c.byID))
	}
	if c.released != 2*(n-10)+2*8 {
		t.Errorf("released %d lines, want %d", c.released, 2*(n-10)+2*8)
	}
	eng.Flush()
	if len(c.byID) != 0 || c.released != 2*n {
		t.Errorf("after the last verdicts: %d ids held, %d lines released; want 0 and %d", len(c.byID), c.released, 2*n)
	}
	snap := eng.Publish(true)
	if got := snap.Total.Causes[AppUnavailable]; got != 10 {
		t.Errorf("app_unavailable = %d, want 10 (causes %v)", got, snap.Total.Causes)
	}
	if snap.AppSkew.Samples == 0 {
		t.Error("no skew samples from late app end lines")
	}
}

// With two proxy logs (a load balancer in front of nginx) the app lines of
// a judged 5xx stay: the other log's entry for the same request needs them.
func TestJudgedRequestsKeepLinesForASecondProxy(t *testing.T) {
	lb, nginx, app := input(0, sources.RoleProxy), input(1, sources.RoleProxy), input(2, sources.RoleApp)
	var got []*Verdict
	eng := NewEngine(Config{Inputs: []*sources.Input{lb, nginx, app}, OnVerdict: func(v *Verdict) { got = append(got, v) }})
	eng.Add(app, appLine(0.5, sources.PhaseEnd, "r1", 503, "warn", "shedding load"))
	eng.Add(nginx, upstreamEntry(1, 503, "127.0.0.1:9101", "503", "0.001", "r1"))
	eng.Add(lb, upstreamEntry(4, 503, "10.0.0.1:80", "503", "0.002", "r1")) // judges the nginx entry
	eng.Advance()
	eng.Flush()
	if len(got) != 2 {
		t.Fatalf("%d verdicts, want 2", len(got))
	}
	for _, v := range got {
		if len(v.AppLines) != 1 || v.Cause != AppUnavailable {
			t.Errorf("%s: %d app lines, cause %s; want 1 and app_unavailable", v.Entry.Upstream, len(v.AppLines), v.Cause)
		}
	}
}

// A proxy entry without a request id brings back the path index, so app
// lines held while every entry had an id can still be joined by time.
func TestProxyWithoutIDReindexesPaths(t *testing.T) {
	proxy, app := input(0, sources.RoleProxy), input(2, sources.RoleApp)
	var got []*Verdict
	eng := NewEngine(Config{Inputs: []*sources.Input{proxy, app}, OnVerdict: func(v *Verdict) { got = append(got, v) }})
	eng.Add(proxy, upstreamEntry(0, 200, "127.0.0.1:9101", "200", "0.001", "r0"))
	eng.Add(app, appLine(0.5, sources.PhaseStart, "r1", 0, "info", "request started"))
	eng.Add(app, appLine(0.6, sources.PhaseEnd, "r1", 503, "warn", "overloaded"))
	if n := len(eng.corr.byPath); n != 0 {
		t.Fatalf("path index has %d keys while every proxy entry has an id", n)
	}
	noID := upstreamEntry(0.7, 503, "127.0.0.1:9101", "503", "0.001", "")
	eng.Add(proxy, noID)
	eng.Flush()
	if len(got) != 1 || len(got[0].AppLines) != 2 || got[0].Cause != AppUnavailable {
		t.Fatalf("verdicts %+v, want one app_unavailable with both app lines", got)
	}
}

// With nginx's whole seconds, app end lines that come after the access
// line (the request ended later in that second) are sampled as well as
// those that come first, and the clocks are found to agree. Sampling only
// the lines that came first reported the app clock 0.5–0.7 s behind.
func TestSkewUnbiasedOnWholeSeconds(t *testing.T) {
	for _, timeline := range []bool{false, true} {
		proxy, app := input(0, sources.RoleProxy), input(2, sources.RoleApp)
		eng := NewEngine(Config{Inputs: []*sources.Input{proxy, app}, Timeline: timeline})
		for i := 0; i < 300; i++ {
			rid := fmt.Sprintf("r%d", i)
			end := float64(i) + float64(i%10)/10 + 0.05 // spread over the second
			logged := float64(i)                        // $time_local: truncated
			a := appLine(end, sources.PhaseEnd, rid, 200, "info", "request finished")
			p := upstreamEntry(logged, 200, "127.0.0.1:9101", "200", "0.001", rid)
			if i%10 == 9 { // a few end just before the second turns and come first
				eng.Add(app, a)
				eng.Add(proxy, p)
			} else {
				eng.Add(proxy, p)
				eng.Add(app, a)
			}
		}
		s := eng.Publish(true).AppSkew
		if s.Skew != 0 || s.Samples < 100 {
			t.Errorf("timeline %v: skew %v from %d samples, want 0 from 100 or more", timeline, s.Skew, s.Samples)
		}
	}
}

// The answered-id set gives back what was noted, the later line of a
// request winning, knows at least the last answeredGen ids, forgets the
// oldest, and does not grow.
func TestAnsweredIDsSet(t *testing.T) {
	var a answeredIDs
	if _, _, ok := a.get(12345); ok {
		t.Fatal("an empty set knows an id")
	}
	a.add(12345, t0, false)
	if at, answered, ok := a.get(12345); !ok || answered || !at.Equal(t0) {
		t.Fatalf("get = %v %v %v; want %v false true", at, answered, ok, t0)
	}
	a.add(12345, t0.Add(time.Second), true)
	if at, answered, ok := a.get(12345); !ok || !answered || !at.Equal(t0.Add(time.Second)) {
		t.Fatalf("after the second line: get = %v %v %v", at, answered, ok)
	}
	if _, _, ok := a.get(12346); ok {
		t.Fatal("another id is known")
	}
	if _, _, ok := a.get(0); ok {
		t.Fatal("hash 0 is known before it was added")
	}
	a.add(0, t0, true) // 0 marks an empty slot in the table: it must still work
	if at, answered, ok := a.get(0); !ok || !answered || !at.Equal(t0) {
		t.Fatalf("hash 0: get = %v %v %v", at, answered, ok)
	}

	rng := rand.New(rand.NewPCG(7, 8))
	const n = 200_000
	hs := make([]uint64, n)
	for i := range hs {
		hs[i] = rng.Uint64()
		a.add(hs[i], t0.Add(time.Duration(i)*time.Millisecond+time.Duration(i%2)), i%2 == 0)
		if a.cur.n > answeredGen || a.prev.n > answeredGen {
			t.Fatalf("after %d ids: generations of %d and %d", i+1, a.cur.n, a.prev.n)
		}
	}
	for i := n - answeredGen; i < n; i++ {
		at, answered, ok := a.get(hs[i])
		want := t0.Add(time.Duration(i) * time.Millisecond)
		if i%2 == 1 { // a 5xx's time is kept to 2 µs (proxySeen)
			want = time.Unix(0, want.UnixNano()&^0x7ff)
		}
		if !ok || answered != (i%2 == 0) || !at.Equal(want) {
			t.Fatalf("id %d of %d: got %v %v %v", i, n, at, answered, ok)
		}
	}
	for i := 0; i < n-2*answeredGen; i++ {
		if _, _, ok := a.get(hs[i]); ok {
			t.Fatalf("id %d of %d still known", i, n)
		}
	}
}

// In timeline mode the answered requests' app lines and access lines are
// kept as text only (textLine): not joinable, not indexed, and still in a
// nearby 5xx's timeline with the input they came from.
func TestTimelineKeepsAnsweredLinesAsText(t *testing.T) {
	proxy, app := input(0, sources.RoleProxy), input(2, sources.RoleApp)
	var got []*Verdict
	eng := NewEngine(Config{Inputs: []*sources.Input{proxy, app}, Timeline: true, OnVerdict: func(v *Verdict) { got = append(got, v) }})
	// r1 is answered: one app line before its access line, one after.
	eng.Add(app, appLine(0.1, sources.PhaseStart, "r1", 0, "info", "r1 started"))
	ok, failed := upstreamEntry(0.2, 200, "127.0.0.1:9101", "200", "0.001", "r1"), upstreamEntry(0.5, 503, "127.0.0.1:9101", "503", "0.001", "r2")
	ok.Raw, failed.Raw = "200 r1", "503 r2"
	eng.Add(proxy, ok)
	eng.Add(app, appLine(0.3, sources.PhaseEnd, "r1", 200, "info", "r1 finished"))
	// r2 fails; its own app line must be joined.
	eng.Add(app, appLine(0.4, sources.PhaseEnd, "r2", 503, "warn", "r2 shed"))
	eng.Add(proxy, failed)
	c := eng.corr
	if len(c.byID) != 1 {
		t.Errorf("%d request ids indexed, want 1 (r2's)", len(c.byID))
	}
	text := 0
	for _, l := range c.lines[c.head:] {
		if _, ok := l.rec.(*textLine); ok {
			text++
		}
	}
	if text != 3 { // r1's two app lines and its access line
		t.Errorf("%d lines kept as text, want 3", text)
	}
	eng.Flush()
	if len(got) != 1 {
		t.Fatalf("%d verdicts, want 1", len(got))
	}
	v := got[0]
	if len(v.AppLines) != 1 || v.AppLines[0].Message != "r2 shed" || v.Cause != AppUnavailable {
		t.Errorf("joined %d app lines, cause %s; want r2's line and app_unavailable", len(v.AppLines), v.Cause)
	}
	var lines []string
	for _, l := range v.Timeline.Lines() {
		lines = append(lines, fmt.Sprintf("%s %v %v %s", l.Source, l.Role, l.Matched, l.Raw))
	}
	want := []string{
		fmt.Sprintf("%s %v false %s", app.Spec.Label(), sources.RoleApp, "app r1 started"),
		fmt.Sprintf("%s %v false %s", proxy.Spec.Label(), sources.RoleProxy, "200 r1"),
		fmt.Sprintf("%s %v false %s", app.Spec.Label(), sources.RoleApp, "app r1 finished"),
		fmt.Sprintf("%s %v true %s", app.Spec.Label(), sources.RoleApp, "app r2 shed"),
		fmt.Sprintf("%s %v true %s", proxy.Spec.Label(), sources.RoleProxy, "503 r2"),
	}
	if fmt.Sprint(lines) != fmt.Sprint(want) {
		t.Errorf("timeline:\n%s\nwant:\n%s", strings.Join(lines, "\n"), strings.Join(want, "\n"))
	}
}

// The ids that wait in answeredIDs.recent change nothing that get says:
// against a plain model of two generations (maps, every id put at once), on
// ids that repeat, at every step.
func TestAnsweredIDsWaitChangesNothing(t *testing.T) {
	type model struct{ cur, prev map[uint64]proxySeen }
	m := model{cur: map[uint64]proxySeen{}, prev: map[uint64]proxySeen{}}
	key := func(h uint64) uint64 { return max(h, 1) } // the table stores hash 0 as 1
	var a answeredIDs
	rng := rand.New(rand.NewPCG(3, 4))
	var added []uint64
	const n = 150_000
	for i := 0; i < n; i++ {
		var h uint64
		switch r := rng.IntN(10); {
		case r < 3 && len(added) > 0: // a later line of a recent request
			h = added[len(added)-1-rng.IntN(min(len(added), 200))]
		case r == 4 && len(added) > 0: // one of the last ids waiting or put in
			h = added[len(added)-1-rng.IntN(min(len(added), 3*recentMax))]
		case r == 3:
			h = uint64(rng.IntN(3)) // 0, 1 and 2 collide on purpose
		case r == 5 && i%8 == 0:
			// The top ids, whose home is the last slot of every table:
			// probing goes on from the first.
			h = ^uint64(rng.IntN(8))
		default:
			h = rng.Uint64()
		}
		at := t0.Add(time.Duration(i) * time.Millisecond)
		answered := rng.IntN(2) == 0
		a.add(h, at, answered)
		if len(m.cur) >= answeredGen {
			m.prev, m.cur = m.cur, map[uint64]proxySeen{}
		}
		m.cur[key(h)] = newProxySeen(at, answered)
		added = append(added, h)

		for _, q := range []uint64{h, added[rng.IntN(len(added))], rng.Uint64()} {
			want, wantOK := m.cur[key(q)]
			if !wantOK {
				want, wantOK = m.prev[key(q)]
			}
			got, answered, ok := a.get(q)
			if ok != wantOK || ok && (!got.Equal(want.time()) || answered != want.answered()) {
				t.Fatalf("step %d, id %x: get = %v %v %v, want %v %v %v", i, q, got, answered, ok, want.time(), want.answered(), wantOK)
			}
		}
		if a.cur.n != len(m.cur) && a.recent.n == 0 {
			t.Fatalf("step %d: current generation holds %d ids, want %d", i, a.cur.n, len(m.cur))
		}
	}
}
