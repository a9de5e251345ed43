package classify

import (
	"testing"
	"time"

	"fivexx/sources"
)

// An upstream's row names the cause of its last 20 to 30 s of 5xx, not
// the window's most frequent: live QA (s38 L1) saw the row say
// upstream_timeout for 10 minutes after its 122 timeouts, through phases
// of resets and bad headers the alert line named within 6 s. With no 5xx
// in those seconds the row keeps the window's cause, marked earlier; a
// report (full) keeps the run's cause and no recent one.
func TestUpstreamRowNamesItsRecentCause(t *testing.T) {
	s := newStats()
	at := time.Date(2026, 11, 24, 7, 5, 0, 0, time.UTC)
	fail := func(when time.Time, status int, c Cause) {
		p := &sources.ProxyEntry{Time: when, Status: status, Upstream: "127.0.0.1:18602"}
		s.request(p, when.Unix(), false)
		s.verdict(&Verdict{Entry: p, Cause: c}, false)
	}
	for i := range 120 { // 2 minutes of timeouts
		fail(at.Add(time.Duration(i)*time.Second), 504, UpstreamTimeout)
	}
	later := at.Add(10 * time.Minute)
	for i := range 20 { // then 20 s of resets
		fail(later.Add(time.Duration(i)*time.Second), 502, UpstreamReset)
	}
	row := func(now time.Time, full bool) UpstreamStats {
		t.Helper()
		rows := s.upstreamStats(now, 15*time.Minute, full)
		if len(rows) != 1 {
			t.Fatalf("%d rows", len(rows))
		}
		return rows[0]
	}
	now := later.Add(20 * time.Second)
	if u := row(now, false); u.DominantCause != UpstreamTimeout || u.RecentCause != UpstreamReset || u.CauseEarlier {
		t.Errorf("during the resets: dominant %q, recent %q, earlier %v; want upstream_timeout, upstream_reset, false", u.DominantCause, u.RecentCause, u.CauseEarlier)
	}
	// 40 s after the last reset: none in the last 30 s.
	if u := row(later.Add(59*time.Second), false); u.DominantCause != UpstreamTimeout || u.RecentCause != "" || !u.CauseEarlier {
		t.Errorf("after them: dominant %q, recent %q, earlier %v; want upstream_timeout, none, true", u.DominantCause, u.RecentCause, u.CauseEarlier)
	}
	if u := row(now, true); u.DominantCause != UpstreamTimeout || u.RecentCause != "" || u.CauseEarlier {
		t.Errorf("report: dominant %q, recent %q, earlier %v; want upstream_timeout, none, false", u.DominantCause, u.RecentCause, u.CauseEarlier)
	}
	// A row with no 5xx in the window has no cause to call earlier.
	if u := row(later.Add(20*time.Minute), false); u.RecentCause != "" || u.CauseEarlier {
		t.Errorf("past the window: recent %q, earlier %v", u.RecentCause, u.CauseEarlier)
	}
}
