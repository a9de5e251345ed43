package classify

import (
	"fmt"
	"testing"

	"fivexx/sources"
)

// The list of 5xx waiting on a path that the last of them leaves is kept
// for the next path's first: waiting and judging allocates nothing once
// the lists exist. A new list for each 5xx was 3 of the 11 MB a report of
// 10,000,000 access lines allocated, a steady trickle that let its heap
// reach a collection in a long run only, so that its peak RSS grew with
// the input.
func TestWaitingListsAreReused(t *testing.T) {
	c := newCorrelator(Config{}.withDefaults())
	es := make([]*sources.ProxyEntry, 64)
	for i := range es {
		// Two 5xx on each path, the rest one each.
		es[i] = &sources.ProxyEntry{Status: 502, Path: fmt.Sprintf("/p/%d?q=%d", i%48, i)}
	}
	reverse := false
	round := func() {
		for _, e := range es {
			c.wait(e)
		}
		for _, e := range es {
			if !c.isWaiting(e) {
				t.Fatalf("%s is not waiting", e.Path)
			}
		}
		// Judged oldest first, then (next round) the second on a path
		// before the first.
		for j := range es {
			i := j
			if reverse {
				i = len(es) - 1 - j
			}
			c.unwait(es[i])
			if c.isWaiting(es[i]) {
				t.Fatalf("%s still waits", es[i].Path)
			}
		}
		reverse = !reverse
		if len(c.waiting) != 0 {
			t.Fatalf("%d paths still wait", len(c.waiting))
		}
	}
	round()
	round()
	if allocs := testing.AllocsPerRun(20, round); allocs != 0 {
		t.Errorf("%.0f allocations a round of %d 5xx, want 0", allocs, len(es))
	}

	// A burst on one path judged oldest first leaves in order.
	burst := make([]*sources.ProxyEntry, 3*maxShiftWaits)
	for i := range burst {
		burst[i] = &sources.ProxyEntry{Status: 503, Path: "/burst"}
		c.wait(burst[i])
	}
	for i, e := range burst {
		var rivals []*sources.ProxyEntry
		c.rivals(e, func(w *sources.ProxyEntry) { rivals = append(rivals, w) })
		if want := burst[i+1:]; len(rivals) != len(want) || (len(want) > 0 && rivals[0] != want[0]) {
			t.Fatalf("5xx %d of the burst: %d rivals, want the %d after it", i, len(rivals), len(want))
		}
		c.unwait(e)
	}
	if len(c.waiting) != 0 {
		t.Fatalf("%d paths still wait after the burst", len(c.waiting))
	}
}
