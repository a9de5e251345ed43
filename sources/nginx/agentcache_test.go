package nginx

import (
	"fmt"
	"testing"
	"unsafe"
)

// versionedAgents are n versions of one escaped agent that differ only in
// a version number, as testdata/biglog writes them (and as browsers
// update): the case the cache must not collide on.
func versionedAgents(n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = fmt.Sprintf(`\x22Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/%d.0.0.0 Safari/537.36\x22`, 100+i)
	}
	return out
}

func TestAgentCacheHitsVersionsOfOneAgent(t *testing.T) {
	var c agentCache
	agents := versionedAgents(250)
	for _, a := range agents {
		c.decodeHex(a)
	}
	allocs := testing.AllocsPerRun(10, func() {
		for _, a := range agents {
			c.decodeHex(a)
		}
	})
	if allocs != 0 {
		t.Errorf("250 versions of one agent, seen before: %.0f allocations a pass, want 0", allocs)
	}
}

func TestAgentCacheIsBoundedAndRight(t *testing.T) {
	var c agentCache
	agents := versionedAgents(3 * maxCachedAgents)
	buf := make([]byte, 0, 256)
	for round := range 2 {
		for _, a := range agents {
			// The value lies in a buffer the next line overwrites, as in
			// a recycled slot: the cache must keep its own copy.
			buf = append(buf[:0], a...)
			got := c.decodeHex(unsafe.String(&buf[0], len(buf)))
			clear(buf)
			if want := referenceDecodeHex(a); got != want {
				t.Fatalf("round %d: decodeHex(%q) = %q, want %q", round, a, got, want)
			}
			if len(c.decoded) > maxCachedAgents {
				t.Fatalf("the cache holds %d agents, want at most %d", len(c.decoded), maxCachedAgents)
			}
		}
	}
}

// A user agent seen before is answered by its recent slot, without the
// map: here the map is dropped before every lookup, and a hit still costs
// no allocation (the map's answer would cost a new map and a copy).
func TestAgentCacheRecentSlotAnswersWithoutTheMap(t *testing.T) {
	var c agentCache
	a := `Tienda\xC3\xB1/2.3.1 CFNetwork/1410.0.3 Darwin/22.6.0`
	want := referenceDecodeHex(a)
	buf := []byte(a)
	c.decodeHex(string(buf))
	allocs := testing.AllocsPerRun(10, func() {
		c.decoded = nil
		if got := c.decodeHex(unsafe.String(&buf[0], len(buf))); got != want {
			t.Fatalf("decodeHex(%q) = %q, want %q", a, got, want)
		}
	})
	if allocs != 0 {
		t.Errorf("an agent in its recent slot: %.0f allocations a lookup, want 0", allocs)
	}
}

// Agents that share a recent slot take turns in it, each decoded right,
// from a line buffer that is overwritten after every lookup.
func TestAgentCacheRecentSlotSharers(t *testing.T) {
	agents := versionedAgents(2000)
	var a, b string
	seen := map[int]string{}
	for _, v := range agents {
		if o, ok := seen[recentSlot(v)]; ok {
			a, b = o, v
			break
		}
		seen[recentSlot(v)] = v
	}
	if a == "" {
		t.Fatal("no two versioned agents share a slot")
	}
	var c agentCache
	buf := make([]byte, 0, 256)
	for i := range 10 {
		v := a
		if i%2 == 1 {
			v = b
		}
		buf = append(buf[:0], v...)
		got := c.decodeHex(unsafe.String(&buf[0], len(buf)))
		clear(buf)
		if want := referenceDecodeHex(v); got != want {
			t.Fatalf("lookup %d: decodeHex(%q) = %q, want %q", i, v, got, want)
		}
	}
}
