package classify

import (
	"fmt"
	"testing"
	"time"

	"fivexx/sources"
)

// stormHeld feeds a report's engine a storm of refused 502s at rate a
// second for secs seconds, each after its error line (its own serial), and
// the app's tick line (no request id, no path) every tenth request, as
// the report feeds them (an Advance every 256 records). It returns the
// lines the correlator holds and the 5xx waiting at the storm's end, and
// the counts once flushed.
func stormHeld(t *testing.T, rate, secs int) (held, waiting int, counts Counts) {
	t.Helper()
	proxy, errs, app := input(0, sources.RoleProxy), input(1, sources.RoleProxyErrors), input(2, sources.RoleApp)
	eng := NewEngine(Config{Inputs: []*sources.Input{proxy, errs, app}, Grace: 5 * time.Second, MaxRecent: 8, Terse: true})
	fed := 0
	add := func(in *sources.Input, r sources.Record) {
		eng.Add(in, r)
		if fed++; fed%256 == 0 {
			eng.Advance()
		}
	}
	for i := range rate * secs {
		at := t0.Add(time.Duration(i) * time.Second / time.Duration(rate))
		path := fmt.Sprintf("/api/cart/%d", i)
		x := &sources.ProxyError{Time: at.Truncate(time.Second), Level: "error", Reason: sources.ReasonRefused,
			Message: "connect() failed (111: Connection refused)", Action: "connecting to upstream", Conn: fmt.Sprint(100000 + i),
			Client: "198.18.0.1", Method: "GET", Path: path, Request: "GET " + path + " HTTP/1.1", Raw: "error " + path}
		e := upstreamEntry(0, 502, "10.0.1.11:8080", "502", "-", fmt.Sprintf("rid%d", i))
		e.Time, e.Path, e.Client, e.Conn, e.Raw = at.Truncate(time.Second), path, "198.18.0.1", x.Conn, "access "+path
		add(errs, x)
		add(proxy, e)
		if i%10 == 0 {
			add(app, &sources.AppEntry{Time: at, Level: "info", Message: "tick", Duration: -1, Raw: "tick"})
		}
	}
	eng.Advance()
	c := eng.corr
	held, waiting = len(c.lines)-c.head-c.nils, len(eng.pending)
	eng.Flush()
	return held, waiting, eng.Publish(true).Total
}

// TestStormHoldsOnlyWhatWaits pins a report's memory in a 5xx storm: the
// correlator holds the error lines of the 5xx still waiting their grace
// and nothing more, however long the storm. A taken error line is used up
// and let go at once, and an app line no join can find (a tick: no
// request id, no path) is not held. Both were held for the retention (2
// minutes), up to the line cap: a storm of refused 502s at 10,000/s with
// the app's ticks peaked at 290 MB RSS (200,000 requests) and 373 MB
// (1,000,000). Counted in lines held, not in bytes or RSS, so that it
// does not depend on the machine.
func TestStormHoldsOnlyWhatWaits(t *testing.T) {
	const rate = 2000
	var heldAt [2]int
	for i, secs := range []int{30, 90} {
		held, waiting, counts := stormHeld(t, rate, secs)
		if n := int64(rate * secs); counts.Requests != n || counts.Causes[UpstreamRefused] != n {
			t.Fatalf("%d s: %d requests, %d upstream_refused: want %d of each", secs, counts.Requests, counts.Causes[UpstreamRefused], n)
		}
		// The grace (5 s) of 5xx waits, and what came since the last
		// Advance: their error lines are what is held.
		if waiting < 4*rate || waiting > 7*rate {
			t.Fatalf("%d s: %d 5xx waiting: want about the grace's %d", secs, waiting, 5*rate)
		}
		if held > waiting+256 {
			t.Errorf("%d s storm of %d refused 502s a second: %d lines held for %d waiting 5xx: want no more than theirs (+256)", secs, rate, held, waiting)
		}
		heldAt[i] = held
	}
	if heldAt[1] > heldAt[0]+heldAt[0]/10 {
		t.Errorf("lines held grew with the storm: %d after 30 s, %d after 90 s", heldAt[0], heldAt[1])
	}
}
