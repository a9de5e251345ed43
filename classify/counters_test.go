package classify

import (
	"fmt"
	"testing"
	"unsafe"
)

// addStatus counts every status as the switch over all of them does
// (statusCountsByReference): it leaves those below 429 with one test.
func TestAddStatusCountsAsTheFullSwitch(t *testing.T) {
	for status := -5; status <= 1000; status++ {
		var got, want counters
		got.addStatus(status)
		statusCountsByReference(&want, status)
		if got != want {
			t.Fatalf("status %d: %+v, want %+v", status, got, want)
		}
	}
}

func statusCountsByReference(c *counters, status int) {
	c.req++
	c.addCounted(status) // the switch over every status, without addStatus's one test
}

// idApps notes every name, the unnamed app ("") among them, whichever
// came last: the test for "" skips only the names' comparison.
func TestIDAppsNotesEveryName(t *testing.T) {
	var n idApps
	for _, s := range []string{"api", "", "", "web", "web", "", "api"} {
		n.note(s)
		if !n.has(s) {
			t.Fatalf("%q not noted", s)
		}
	}
	if len(n.names) != 3 {
		t.Fatalf("%d names, want 3: %v", len(n.names), n.names)
	}
}

// Upstream names of one slot, and of slots side by side, are all held:
// requests going round them look the map up no more. Names of 8 to 16
// bytes pick their slots by their words (two of those picking the same
// slot), longer ones by the address of their shared copy (copies side by
// side, 32 bytes apart, as a reader allocates them, and two more whose
// copies pick the same slot as two of those). With one slot a name, two
// names of one slot took it from each other on every request (216,000
// of the 2 M bench set's in one run); with a name's second slot next to
// its first, each name put there took its neighbour's.
func TestUpstreamCacheHoldsNamesSideBySideAndOfOneSlot(t *testing.T) {
	s := newStats()
	buf := make([]byte, 4*upstreamCacheSlots*32)
	var names []string
	put := func(at int, name string) {
		copy(buf[at:], name)
		names = append(names, unsafe.String(&buf[at], len(name)))
	}
	for i := range 12 {
		put(32*i, fmt.Sprintf("10.0.1.%d:80, 10.0.2.%d:80", 10+i, 10+i))
	}
	put(2*upstreamCacheSlots*16, "10.0.2.1:80, 10.0.3.1:80")
	put(2*upstreamCacheSlots*16+32, "10.0.2.2:80, 10.0.3.2:80")
	if i, _, _ := addressSlots(names[0]); func() int { j, _, _ := addressSlots(names[12]); return j }() != i {
		t.Fatal("no two names share a slot by address: the test tells nothing")
	}
	// Names by words: up to two of each pair of slots (a slot and the one
	// half the table away), two of them of one slot.
	first := func(name string) int { i, _ := wordSlots(nameWords(name)); return i }
	var inPair [upstreamCacheSlots / 2]int
	ofFirst := map[int]int{}
	sameSlot := false
	for i := 0; i < 256 && !(sameSlot && len(names) >= 14+12); i++ {
		name := fmt.Sprintf("10.0.4.%d:80", i)
		f := first(name)
		if inPair[f%(upstreamCacheSlots/2)] == 2 || sameSlot && ofFirst[f] > 0 {
			continue
		}
		inPair[f%(upstreamCacheSlots/2)]++
		if ofFirst[f]++; ofFirst[f] == 2 {
			sameSlot = true
		}
		names = append(names, name)
	}
	if !sameSlot {
		t.Fatal("no two names share a slot by words: the test tells nothing")
	}
	ups := map[string]*upstreamState{}
	for _, n := range names {
		if u := s.upstream(n); u.name != n {
			t.Fatalf("upstream %q for %q", u.name, n)
		}
		ups[n] = s.upstream(n)
	}
	s.upstreams = nil // a lookup in the map now panics
	for range 3 {
		for _, n := range names {
			if s.upstream(n) != ups[n] {
				t.Fatalf("another upstream for %q", n)
			}
		}
	}
}
