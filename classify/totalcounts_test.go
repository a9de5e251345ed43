package classify

import (
	"reflect"
	"testing"
)

// The snapshot's Total, summed from the upstreams' totals, is what a
// count of every request beside them said (as the engine kept it before):
// requests counted, taken back (a mesh hop's, unrequest) and moved to
// another upstream (Caddy's, moveUpstream), statuses odd ones among
// them, and the verdicts' causes.
func TestTotalCountsAsCountedBeside(t *testing.T) {
	s := newStats()
	var beside totals
	request := func(sec float64, status int, up string) requestStat {
		e := upstreamEntry(sec, status, up, "200", "0.001", "")
		s.request(e, e.Time.Unix(), false)
		beside.request(status)
		return s.requestStat(e)
	}
	request(0, 200, "a:1")
	r := request(0.5, 502, "a:1")
	request(1, 200, "b:1")
	odd := request(1.5, 999, "b:1")
	request(2, -1, "")
	request(2.5, 200, "")
	s.unrequest(r)
	beside.unrequest(r.status)
	s.unrequest(odd)
	beside.unrequest(odd.status)
	request(3, 999, "a:1")
	moved := upstreamEntry(4, 503, "", "503", "0.001", "")
	s.request(moved, moved.Time.Unix(), false)
	beside.request(503)
	s.moveUpstream(moved, "c:1") // counted under c:1, not "-"; the total is as it was
	for _, c := range []Cause{AppError, AppError, UpstreamRefused} {
		v := &Verdict{Entry: moved, Cause: c}
		s.verdict(v, false)
		beside.causes[causeIndex(c)]++
	}
	got, want := s.totalCounts(), beside.counts()
	if !reflect.DeepEqual(got, want) {
		t.Errorf("totalCounts() = %+v\nwant %+v", got, want)
	}
	if got.Requests != 6 || got.Status[999] != 1 || got.Status[-1] != 1 || got.Status[502] != 0 {
		t.Errorf("totalCounts() = %+v: want 6 requests, one 999, one -1, no 502", got)
	}
}
