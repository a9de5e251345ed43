package sources

import (
	"hash/maphash"
	"strings"
)

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
// not (records built by hand, in tests). It first puts RequestID in the
// shape both sides share (NormalizeRequestID). Only the goroutine that
// owns e may call it.
func (e *ProxyEntry) IDKey() uint64 {
	if e.IDHash == 0 && e.RequestID != "" {
		e.RequestID = NormalizeRequestID(e.RequestID)
		e.IDHash = IDHash(e.RequestID)
	}
	return e.IDHash
}

// IDKey returns IDHash(e.RequestID), computing it once when the decoder has
// not, after NormalizeRequestID. Only the goroutine that owns e may call
// it.
func (e *AppEntry) IDKey() uint64 {
	if e.IDHash == 0 && e.RequestID != "" {
		e.RequestID = NormalizeRequestID(e.RequestID)
		e.IDHash = IDHash(e.RequestID)
	}
	return e.IDHash
}

// NormalizeRequestID returns the part of a request id that the proxy's log
// and the app's share, where the two write the same id differently
// (formats.md §8.3, §9.2):
//   - Cloudflare: the origin gets Cf-Ray "<16 hex>-<COLO>"
//     (84a1b2c3d4e5f618-FRA); Logpush's RayID has no "-COLO".
//   - AWS ALB: the target gets X-Amzn-Trace-Id "Root=1-…" maybe with
//     ";Parent=…;Sampled=…" or "Self=…;" before it; the access log has the
//     Root value, which is what is kept.
//
// Any other id is returned as it is. Both checks look at a byte or two
// first: every request id passes through here.
func NormalizeRequestID(s string) string {
	switch {
	case len(s) == 20 && s[16] == '-':
		if isHexID(s[:16]) && isColo(s[17:]) {
			return s[:16]
		}
	case len(s) > 5 && (s[0] == 'R' || s[0] == 'S'):
		if root, ok := traceRoot(s); ok {
			return root
		}
	}
	return s
}

func isHexID(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f') {
			return false
		}
	}
	return true
}

// isColo reports whether s is a Cloudflare data centre's code (an IATA
// airport code: three capital letters).
func isColo(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < 'A' || s[i] > 'Z' {
			return false
		}
	}
	return len(s) == 3
}

// traceRoot returns the Root= value of an X-Amzn-Trace-Id.
func traceRoot(s string) (string, bool) {
	for part := range strings.SplitSeq(s, ";") {
		if r, ok := strings.CutPrefix(strings.TrimSpace(part), "Root="); ok && r != "" {
			return r, true
		}
	}
	return "", false
}
