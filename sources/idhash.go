package sources

import "hash/maphash"

// The correlator indexes requests by a 64-bit hash of their id rather than
// by the id string. The decoder computes the hash right after parsing, while
// the line is still in the parsing core's cache; on the correlator's core
// the id's bytes are cold, and touching them there (twice: the answered-id
// set and the id index) was the larger part of the correlator's time.
//
// The seed is random per process, so an attacker who chooses request ids
// cannot aim for collisions; by chance, two of the ≤ 100,000 ids held at a
// time collide with probability below 10⁻⁹.

var idSeed = maphash.MakeSeed()

// IDHash is the hash the correlator indexes request id s by; never 0 for a
// non-empty id, 0 for "".
func IDHash(s string) uint64 {
	if s == "" {
		return 0
	}
	if h := maphash.String(idSeed, s); h != 0 {
		return h
	}
	return 1
}

// IDKey returns IDHash(e.RequestID), computing it once when the decoder has
// not (records built by hand, in tests). Only the goroutine that owns e may
// call it.
func (e *ProxyEntry) IDKey() uint64 {
	if e.IDHash == 0 && e.RequestID != "" {
		e.IDHash = IDHash(e.RequestID)
	}
	return e.IDHash
}

// IDKey returns IDHash(e.RequestID), computing it once when the decoder has
// not. Only the goroutine that owns e may call it.
func (e *AppEntry) IDKey() uint64 {
	if e.IDHash == 0 && e.RequestID != "" {
		e.IDHash = IDHash(e.RequestID)
	}
	return e.IDHash
}
