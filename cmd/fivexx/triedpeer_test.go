package main

import (
	"strings"
	"testing"
)

// TestErrorLineOfAnUntriedServerIsAnothers: one keep-alive client's two
// requests of a second (one serial, method and path; the demo's lines): a
// 201 whose first attempt, on 10.0.1.13, was refused at :22, and a 502
// refused by 10.0.1.11 and then 10.0.1.12 at :23. The line about .13 is
// the 201's: the 502 never tried .13, so it takes its own two lines and
// its hint names the servers of its own lines, .11 and .12 (it took
// .13's and .11's and named .11: QA s30, errFits and triedPeer).
func TestErrorLineOfAnUntriedServerIsAnothers(t *testing.T) {
	const dir = "testdata/tried-peer/"
	evs, _ := reportEvents(t, dir+"access.log", dir+"error.log")
	if len(evs) != 1 {
		t.Fatalf("%d events, want the one 502", len(evs))
	}
	ev := evs[0]
	if ev.Cause != "upstream_refused" || ev.Confidence != "high" || ev.Upstream != "10.0.1.12:8080" {
		t.Errorf("cause %s %s upstream %s, want upstream_refused high 10.0.1.12:8080", ev.Cause, ev.Confidence, ev.Upstream)
	}
	// Both servers the 502 tried refused it, each in its own line: the
	// hint names both, its last one last, and not .13 (QA s34 H1: it
	// named the last alone).
	if !strings.HasPrefix(ev.Hint, "nothing is listening on 10.0.1.11:8080 and 10.0.1.12:8080:") || strings.Contains(ev.Hint, "10.0.1.13") {
		t.Errorf("hint %q, want it to name 10.0.1.11:8080 and 10.0.1.12:8080, the servers the 502's own lines are about, and not 10.0.1.13", ev.Hint)
	}
}
