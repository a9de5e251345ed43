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
//
// A name of up to 16 bytes (an address and port, "10.0.1.11:8080": most
// names) is looked up by two words of its bytes, which with its length
// are the whole name: a multiply hashes them and two compares find it, where
// stringHash and a string compare (a call to memequal) were about 110
// instructions a line on the 2 M bench set.
type nameCache struct {
	slots [nameSlots]nameSlot
}

// nameSlot is one cached name; a and b are its words when it is short
// (see intern), 0 otherwise.
type nameSlot struct {
	a, b uint64
	name string
}

const (
	nameSlots     = 256
	nameProbes    = 4
	maxCachedName = 128
	// maxWordName is the longest name looked up by its words.
	maxWordName = 16
)

// nameSeed keys the names' hashes (stringHash).
var nameSeed = newHashSeed()

// intern returns the cache's copy of s, making it if there is none.
func (c *nameCache) intern(s string) string {
	n := len(s)
	if n == 0 || n > maxCachedName {
		return s
	}
	// a and b hold every byte of s, up to 16: its first and last 8 bytes
	// (overlapping below 16), 4 below 8, or its first, middle and last
	// byte below 4. Two names of the same length with the same words are
	// the same name.
	var a, b uint64
	switch {
	case n > maxWordName:
		return c.internLong(s)
	case n >= 8:
		a, b = le64(s), le64(s[n-8:])
	case n >= 4:
		a, b = le32(s), le32(s[n-4:])
	default:
		a = uint64(s[0]) | uint64(s[n>>1])<<8 | uint64(s[n-1])<<16
	}
	h := int(hashMix(a^nameSeed[0], b^nameSeed[1]^uint64(n)) % nameSlots)
	for k := 0; k < nameProbes; k++ {
		e := &c.slots[(h+k)%nameSlots]
		if e.a == a && e.b == b && len(e.name) == n {
			return e.name
		}
		if e.name == "" {
			return c.put(e, a, b, s)
		}
	}
	return c.put(&c.slots[h], a, b, s)
}

// internLong is intern for a name longer than maxWordName: looked up by
// its hash and compared as a string.
func (c *nameCache) internLong(s string) string {
	h := int(stringHash(s, &nameSeed) % nameSlots)
	for k := 0; k < nameProbes; k++ {
		e := &c.slots[(h+k)%nameSlots]
		switch e.name {
		case s:
			return e.name
		case "":
			return c.put(e, 0, 0, s)
		}
	}
	return c.put(&c.slots[h], 0, 0, s)
}

// put keeps a copy of s in e, with its words a and b (0 for a long name).
func (c *nameCache) put(e *nameSlot, a, b uint64, s string) string {
	e.a, e.b, e.name = a, b, strings.Clone(s)
	return e.name
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
