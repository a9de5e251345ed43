package sources

import "strings"

// The engine looks each proxy entry's upstream up in its per-upstream
// stats by name. The name's bytes lie in the line, which the reader wrote
// on another core: hashing them on the engine's core missed the cache on
// nearly every line (0.2 s of the engine's 0.8 s on the 2 M bench set).
// So the reader swaps each upstream name for a copy it keeps, the same
// copy for every line that names that upstream: the engine then hashes
// bytes that stay in its cache, and compares names by their pointer first.
//
// A copy is never written again, so a record may share it however long it
// is kept (Detach leaves it, as it lies outside the line).

// nameCache is one reader's copies of recent upstream names: open
// addressing by the name's hash, a few probes, the oldest slot of those
// replaced when all are taken. Its size bounds the memory whatever the
// names: names longer than maxCachedName are left as they are.
type nameCache struct {
	slots [nameSlots]string
}

const (
	nameSlots     = 256
	nameProbes    = 4
	maxCachedName = 128
)

// nameSeed keys the names' hashes (stringHash).
var nameSeed = newHashSeed()

// intern returns the cache's copy of s, making it if there is none.
func (c *nameCache) intern(s string) string {
	if s == "" || len(s) > maxCachedName {
		return s
	}
	h := int(stringHash(s, &nameSeed) % nameSlots)
	for k := 0; k < nameProbes; k++ {
		i := (h + k) % nameSlots
		switch c.slots[i] {
		case s:
			return c.slots[i]
		case "":
			c.slots[i] = strings.Clone(s)
			return c.slots[i]
		}
	}
	c.slots[h] = strings.Clone(s)
	return c.slots[h]
}

// prepare does on the reader's goroutine, while the line is in its core's
// cache, what would cost a cache miss on the engine's: the request id's
// hash (IDHash) and the upstream name's shared copy.
func (c *nameCache) prepare(rec Record) {
	switch r := rec.(type) {
	case *ProxyEntry:
		r.IDKey()
		r.Upstream = c.intern(r.Upstream)
	case *AppEntry:
		r.IDKey()
	}
}
