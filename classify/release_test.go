package classify

import (
	"fmt"
	"testing"

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
	// Only the 10 answered-with-503 requests keep their 2 lines.
	if held != 20 || len(c.byID) != 10 {
		t.Errorf("held %d lines for %d ids, want 20 lines for 10 ids", held, len(c.byID))
	}
	if c.released != 2*(n-10) {
		t.Errorf("released %d lines, want %d", c.released, 2*(n-10))
	}
	eng.Flush()
	snap := eng.Publish(true)
	if got := snap.Total.Causes[AppUnavailable]; got != 10 {
		t.Errorf("app_unavailable = %d, want 10 (causes %v)", got, snap.Total.Causes)
	}
	if snap.AppSkew.Samples == 0 {
		t.Error("no skew samples from late app end lines")
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
