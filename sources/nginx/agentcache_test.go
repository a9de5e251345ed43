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
