package classify

import (
	"strings"
	"testing"

	"fivexx/sources"
)

// Attempts that ended on the same nginx timeout are told by their times,
// a millisecond or two apart as nginx's timers fire (QA: real nginx logged
// "1.000, 1.001" for the request it logged "1.001, 1.001" another time).
func TestTimedOutEachTryAllowsTimerJitter(t *testing.T) {
	for _, c := range []struct {
		status string
		urt    []string
		want   bool
	}{
		{"504, 504", []string{"1.001", "1.001"}, true},
		{"504, 504", []string{"1.000", "1.001"}, true},
		{"504, 504, 504", []string{"5.000", "5.000", "5.001"}, true},
		{"504, 504", []string{"5.000", "2.000"}, false}, // two timeouts of their own
		{"504, 504", []string{"0.500", "0.501"}, false}, // under a second: not nginx's timeout
		{"504, 502", []string{"1.000", "1.000"}, false},
		{"504", []string{"1.000"}, false}, // one attempt: not retried
	} {
		e := &sources.ProxyEntry{Status: 504, UpstreamResponse: c.urt}
		for _, s := range strings.Split(c.status, ",") {
			e.UpstreamStatus = append(e.UpstreamStatus, strings.TrimSpace(s))
		}
		if got := timedOutEachTry(e); got != c.want {
			t.Errorf("status %q urt %q: %v, want %v", c.status, c.urt, got, c.want)
		}
	}
}
