package classify

import (
	"fmt"
	"testing"

	"fivexx/sources"
)

// healthyNames adds one 200 for each of n upstreams, 10 ms apart from
// sec on, and returns the second after the last.
func healthyNames(eng *Engine, proxy *sources.Input, n int, sec float64) float64 {
	for i := 0; i < n; i++ {
		eng.Add(proxy, upstreamEntry(sec, 200, fmt.Sprintf("10.0.%d.%d:8080", i/250, i%250), "200", "0.001", ""))
		sec += 0.01
	}
	return sec
}

// rowNamed is the row of name in s, or nil.
func rowNamed(s *Snapshot, name string) *UpstreamStats {
	for i := range s.Upstreams {
		if s.Upstreams[i].Name == name {
			return &s.Upstreams[i]
		}
	}
	return nil
}

// checkRowsSum checks that the rows of s add up to its totals and window
// (requests, statuses, causes) and that the engine's latency histograms,
// failed attempts and per-second counts add up to the requests counted.
func checkRowsSum(t *testing.T, eng *Engine, s *Snapshot, wantAttempts int64) {
	t.Helper()
	var req, wreq, attempts int64
	status, wstatus := map[int]int64{}, map[int]int64{}
	causes, wcauses := map[Cause]int64{}, map[Cause]int64{}
	for _, u := range s.Upstreams {
		req += u.Total.Requests
		wreq += u.Windowed.Requests
		attempts += u.FailedAttempts
		for c, n := range u.Total.Status {
			status[c] += n
		}
		for c, n := range u.Windowed.Status {
			wstatus[c] += n
		}
		for c, n := range u.Total.Causes {
			causes[c] += n
		}
		for c, n := range u.Windowed.Causes {
			wcauses[c] += n
		}
	}
	if req != s.Total.Requests || wreq != s.Windowed.Requests {
		t.Errorf("rows hold %d requests (%d in the window), the totals %d (%d)", req, wreq, s.Total.Requests, s.Windowed.Requests)
	}
	for c, n := range s.Total.Status {
		if status[c] != n {
			t.Errorf("rows hold %d of status %d, the total %d", status[c], c, n)
		}
	}
	for c, n := range s.Windowed.Status {
		if c >= 500 && wstatus[c] != n { // rows count 429 and 5xx in the window
			t.Errorf("rows hold %d of status %d in the window, the window %d", wstatus[c], c, n)
		}
	}
	for c, n := range s.Total.Causes {
		if causes[c] != n || wcauses[c] != s.Windowed.Causes[c] {
			t.Errorf("rows hold %d %s (%d in the window), the totals %d (%d)", causes[c], c, wcauses[c], n, s.Windowed.Causes[c])
		}
	}
	if attempts != wantAttempts {
		t.Errorf("rows hold %d failed attempts, want %d", attempts, wantAttempts)
	}
	var lat uint64
	var perSec int64
	for _, u := range eng.stats.upstreams {
		lat += u.latAll.count()
		for _, c := range u.perSec {
			perSec += c.n
		}
	}
	if lat != uint64(s.Total.Requests) {
		t.Errorf("the latency histograms hold %d requests, the total %d", lat, s.Total.Requests)
	}
	if perSec == 0 {
		t.Error("no request in the per-second counts")
	}
}

// Past the cap of rows, the upstream that fails gets a row: 600 healthy
// upstreams, then one with 1,000 502s, which read as "(other) 1100
// requests 1000 502" beside 500 rows of one 200 each, its name in the
// events alone (QA s37 H2). Its row is one of a healthy upstream's, whose
// request counts in "(other)" with the other 100: every count still adds
// up, in the report and in each live snapshot, before and after.
func TestFailingUpstreamGetsARowPastTheCap(t *testing.T) {
	proxy := input(0, sources.RoleProxy)
	rows := map[string]string{}
	eng := NewEngine(Config{Inputs: []*sources.Input{proxy}, OnVerdict: func(v *Verdict) { rows[v.Entry.Upstream] = v.Row }})
	sec := healthyNames(eng, proxy, 600, 0)
	eng.Advance()
	before := eng.Publish(false)
	checkRowsSum(t, eng, before, 0)
	if o := rowNamed(before, otherUpstream); o == nil || o.Total.Requests != 100 {
		t.Fatalf("(other) before the 502s: %+v, want 100 requests", o)
	}
	const culprit = "10.9.9.9:8080"
	for i := 0; i < 1000; i++ {
		eng.Add(proxy, upstreamEntry(sec, 502, culprit, "502", "-", ""))
		sec += 0.005
	}
	eng.Flush()
	for _, full := range []bool{false, true} {
		s := eng.Publish(full)
		checkRowsSum(t, eng, s, 0)
		c, o := rowNamed(s, culprit), rowNamed(s, otherUpstream)
		if c == nil || c.Total.Fivexx() != 1000 || c.Fivexx != 1000 {
			t.Fatalf("full %v: the row of %s is %+v, want 1000 502s", full, culprit, c)
		}
		if o == nil || o.Total.Requests != 101 || o.Total.Fivexx() != 0 {
			t.Errorf("full %v: (other) is %+v, want the 101 healthy requests given no row, no 5xx", full, o)
		} else if o.Names != 101 || o.NamesMore {
			t.Errorf("full %v: (other) says it holds %d upstreams (more: %v), want 101 (100 given no row, 1 folded)", full, o.Names, o.NamesMore)
		}
		if len(s.Upstreams) != maxUpstreams+1 || s.Upstreams[0].Name != culprit {
			t.Errorf("full %v: %d rows, the first %s; want %d, %s first", full, len(s.Upstreams), s.Upstreams[0].Name, maxUpstreams+1, culprit)
		}
	}
	if rows[culprit] != culprit {
		t.Errorf("the 502s of %s count in row %q, want its own", culprit, rows[culprit])
	}
	if len(eng.stats.upstreams) != maxUpstreams+1 {
		t.Errorf("%d upstream states kept, want the cap and (other): %d", len(eng.stats.upstreams), maxUpstreams+1)
	}
}

// A row with a 5xx is never given away: past the cap, once every row
// has failed, a new failing name counts in "(other)", and so does a
// healthy one.
func TestFailedRowsAreKept(t *testing.T) {
	proxy := input(0, sources.RoleProxy)
	eng := NewEngine(Config{Inputs: []*sources.Input{proxy}})
	sec := 0.0
	for i := 0; i < maxUpstreams+20; i++ {
		eng.Add(proxy, upstreamEntry(sec, 200, fmt.Sprintf("10.0.%d.%d:8080", i/250, i%250), "200", "0.001", ""))
		eng.Add(proxy, upstreamEntry(sec+0.001, 503, fmt.Sprintf("10.0.%d.%d:8080", i/250, i%250), "503", "0.001", ""))
		sec += 0.01
	}
	eng.Flush()
	s := eng.Publish(true)
	checkRowsSum(t, eng, s, 0)
	if o := rowNamed(s, otherUpstream); o == nil || o.Total.Requests != 40 || o.Fivexx != 20 {
		t.Errorf("(other) is %+v, want the 20 upstreams past the cap: 40 requests, 20 5xx", o)
	}
	if r := rowNamed(s, "10.0.0.0:8080"); r == nil || r.Total.Requests != 2 {
		t.Errorf("the first upstream's row is %+v, want it kept with its 2 requests", r)
	}
}

// A server whose attempts failed, the retry answering, is failing too:
// past the cap it gets a row for its failed attempts.
func TestFailedAttemptsGetARowPastTheCap(t *testing.T) {
	proxy := input(0, sources.RoleProxy)
	eng := NewEngine(Config{Inputs: []*sources.Input{proxy}})
	sec := healthyNames(eng, proxy, 600, 0)
	const down = "10.8.8.8:8080"
	for i := 0; i < 30; i++ {
		e := upstreamEntry(sec, 200, "10.0.0.1:8080", "200", "0.001", "")
		e.UpstreamAddr = []string{down, "10.0.0.1:8080"}
		e.UpstreamStatus = []string{"502", "200"}
		e.UpstreamHeader = []string{"-", "0.001"}
		e.UpstreamConnect = []string{"-", "0.000"}
		e.UpstreamResponse = []string{"0.000", "0.001"}
		eng.Add(proxy, e)
		sec += 0.01
	}
	eng.Flush()
	s := eng.Publish(true)
	checkRowsSum(t, eng, s, 30)
	if r := rowNamed(s, down); r == nil || r.FailedAttempts != 30 {
		t.Errorf("the row of %s is %+v, want its 30 failed attempts", down, r)
	}
}
