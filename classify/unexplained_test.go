package classify

import (
	"testing"

	"fivexx/sources"
)

// TestUnexplainedLooksThroughTheIndex: whether an error line will explain
// a waiting 5xx (unexplained, which lets an app line two 5xx fit alike go
// to the one none explains) is the same answer for a key of many lines
// (indexed) as for a key of a few (scanned). It was "explained" for every
// 5xx of an indexed key: in QA's ngB recording (real nginx 1.22, combined,
// 20 lines of one client and path) the reset 502 of :01 took the app's
// "finished with 502" from the app's own 502 beside it.
func TestUnexplainedLooksThroughTheIndex(t *testing.T) {
	const reset = "upstream prematurely closed connection while reading response header from upstream"
	timedOut := errLine(30, sources.ReasonReadTimeout, "upstream timed out (110: Connection timed out) while reading response header from upstream")
	tests := []struct {
		name string
		e    *sources.ProxyEntry
		want bool
	}{
		{"a 502 of a second with reset lines", combinedEntry(2, 502), false},
		{"the app's 500 of that second: no line makes a 500", combinedEntry(2, 500), true},
		{"a 502 of a second with no line", combinedEntry(20, 502), true},
		{"a 504 of the second with a timeout line", combinedEntry(30, 504), false},
		{"a 502 of the second with only a timeout line", combinedEntry(30, 502), true},
		{"a 502 of the second before a reset line: stamped later, it is another request's", combinedEntry(9, 502), true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, lines := range []int{3, 20} { // scanned, indexed (indexFrom 16)
				c := newCorrelator(Config{})
				k := errKey(tt.e.Client, tt.e.Method, tt.e.Path)
				for i := 0; i < lines; i++ {
					c.errsBy[k] = c.errsBy[k].list().add(errLine(float64(i%3), sources.ReasonReset, reset)).slot()
				}
				c.errsBy[k] = c.errsBy[k].list().add(errLine(10, sources.ReasonReset, reset)).slot()
				c.errsBy[k] = c.errsBy[k].list().add(timedOut).slot()
				if indexed := c.errsBy[k].list().idx != nil; indexed != (lines >= indexFrom) {
					t.Fatalf("%d lines: indexed %v", lines+2, indexed)
				}
				if got := c.unexplained(tt.e); got != tt.want {
					t.Errorf("%d lines held: unexplained = %v, want %v", lines+2, got, tt.want)
				}
			}
		})
	}
}
