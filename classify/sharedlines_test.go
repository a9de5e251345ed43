package classify

import (
	"testing"
	"time"

	"fivexx/sources"
)

// TestKeepAliveRetriesTakeTheirAttemptsLines is the shape of the 2 M bench
// set's keep-alive 504s: two requests of one client on connection *9, each
// tried on two servers ("504, 504") over 6 s, one error line per attempt.
// The first is judged before the second arrives, while the second's first
// line already lies in its window: it takes its two attempts' lines and
// leaves the next two to the second (on main it took three, the second
// four).
func TestKeepAliveRetriesTakeTheirAttemptsLines(t *testing.T) {
	timeout := func(sec float64) *sources.ProxyError {
		x := errLine(sec, sources.ReasonReadTimeout, "upstream timed out (110: Connection timed out)")
		x.Conn = "9"
		return x
	}
	retried := func(sec float64) *sources.ProxyEntry {
		e := upstreamEntry(sec, 504, "127.0.0.1:9102", "504", "-", "")
		e.UpstreamAddr = []string{"127.0.0.1:9101", "127.0.0.1:9102"}
		e.UpstreamStatus, e.UpstreamStatusRaw = []string{"504", "504"}, "504, 504"
		e.UpstreamHeader = []string{"-", "-"}
		e.RequestTime, e.Conn = 6, "9"
		return e
	}
	lines := []*sources.ProxyError{timeout(0), timeout(3), timeout(5), timeout(8)}
	got := judgeAll(t, lines[0], lines[1], retried(3), lines[2], lines[3], retried(8))
	if len(got) != 2 {
		t.Fatalf("%d verdicts, want 2", len(got))
	}
	for i, want := range [][]*sources.ProxyError{lines[:2], lines[2:]} {
		v := got[i]
		if v.Cause != UpstreamTimeout || v.Confidence != High || len(v.ErrorLines) != 2 ||
			v.ErrorLines[0] != want[0] || v.ErrorLines[1] != want[1] {
			var at []time.Duration
			for _, x := range v.ErrorLines {
				at = append(at, x.Time.Sub(t0))
			}
			t.Errorf("504 %d: %s/%s with lines at %v, want upstream_timeout/high with lines at %v, %v",
				i+1, v.Cause, v.Confidence, at, want[0].Time.Sub(t0), want[1].Time.Sub(t0))
		}
	}
}
