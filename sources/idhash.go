package sources

import (
	"math/bits"
	"math/rand/v2"
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

// idSeed keys IDHash.
var idSeed = newHashSeed()

// IDHash is the hash the correlator indexes request id s by; never 0 for a
// non-empty id, 0 for "".
func IDHash(s string) uint64 {
	if s == "" {
		return 0
	}
	if h := stringHash(s, &idSeed); h != 0 {
		return h
	}
	return 1
}

// hashSeed is the random key of a stringHash.
type hashSeed [2]uint64

func newHashSeed() hashSeed { return hashSeed{rand.Uint64(), rand.Uint64()} }

// stringHash hashes s with the construction of the Go runtime's own string
// hash where the CPU has no AES instructions (memhashFallback in
// runtime/hash64.go, from wyhash): 16 bytes per 64×64→128-bit multiply,
// keyed by a random seed. Go keys its maps with it on such CPUs, and here
// it is inlined into the per-line code that hashes short strings (a
// 32-byte request id takes three multiplies), where maphash.String's calls
// and AES rounds were about 60 instructions per string.
func stringHash(s string, k *hashSeed) uint64 {
	n := len(s)
	if n > 16 && n <= 32 {
		return hashMid(s, k) // first: the usual request id's case
	}
	seed := k[0]
	var a, b uint64
	switch {
	case n == 0:
		return seed
	case n < 4:
		a = uint64(s[0]) | uint64(s[n>>1])<<8 | uint64(s[n-1])<<16
	case n <= 8:
		a, b = le32(s), le32(s[n-4:])
	case n <= 16:
		a, b = le64(s), le64(s[n-8:])
	default:
		i := 0
		for ; n-i > 16; i += 16 {
			seed = hashMix(le64(s[i:])^k[1], le64(s[i+8:])^seed)
		}
		// The last 16 bytes, overlapping what the loop took when n is
		// not a multiple of 16.
		a, b = le64(s[n-16:]), le64(s[n-8:])
	}
	return hashMix(0x1d8e4e27c47d124f^uint64(n), hashMix(a^k[1], b^seed))
}

// hashMid is stringHash for a string of 17 to 32 bytes: its loop run
// once, without the loop, and the last 16 bytes, overlapping. Tested
// first: stringHash's lengths in order were five compares before it.
func hashMid(s string, k *hashSeed) uint64 {
	n := len(s)
	return mixMid(le64(s), le64(s[8:]), le64(s[n-16:]), le64(s[n-8:]), n, k)
}

// mixMid is hashMid's arithmetic on the four words it loads from a string
// of n bytes: small enough to be inlined, so that setIDKey hashes the
// usual request id (nginx's $request_id, 32 bytes) without a call.
func mixMid(w0, w1, w2, w3 uint64, n int, k *hashSeed) uint64 {
	k1 := k[1]
	return hashMix(0x1d8e4e27c47d124f^uint64(n), hashMix(w2^k1, w3^hashMix(w0^k1, w1^k[0])))
}

// hashMix folds the 128-bit product of a and b to 64 bits.
func hashMix(a, b uint64) uint64 {
	hi, lo := bits.Mul64(a, b)
	return hi ^ lo
}

// le64 is the little-endian uint64 in the first 8 bytes of s (one load).
func le64(s string) uint64 {
	_ = s[7]
	return uint64(s[0]) | uint64(s[1])<<8 | uint64(s[2])<<16 | uint64(s[3])<<24 |
		uint64(s[4])<<32 | uint64(s[5])<<40 | uint64(s[6])<<48 | uint64(s[7])<<56
}

// le32 is the little-endian uint32 in the first 4 bytes of s, widened.
func le32(s string) uint64 {
	_ = s[3]
	return uint64(s[0]) | uint64(s[1])<<8 | uint64(s[2])<<16 | uint64(s[3])<<24
}

// IDKey returns IDHash(e.RequestID), computing it once when the decoder has
// not (records built by hand, in tests). It first puts RequestID in the
// shape both sides share (NormalizeRequestID). Only the goroutine that
// owns e may call it.
//
// The computing is a call of its own so that IDKey, its check only, is
// inlined wherever it is called: the engine asks again for lines whose
// hash the reader computed, and each was a call (2.0 M instructions on
// the 345 k-line sample, outside the runtime).
func (e *ProxyEntry) IDKey() uint64 {
	if e.IDHash != 0 || e.RequestID == "" {
		return e.IDHash
	}
	return setIDKey(&e.RequestID, &e.IDHash)
}

// IDKey returns IDHash(e.RequestID), computing it once when the decoder has
// not, after NormalizeRequestID. Only the goroutine that owns e may call
// it.
func (e *AppEntry) IDKey() uint64 {
	if e.IDHash != 0 || e.RequestID == "" {
		return e.IDHash
	}
	return setIDKey(&e.RequestID, &e.IDHash)
}

// setIDKey puts request id *id in the shape both sides share, sets *h to
// its hash and returns that.
func setIDKey(id *string, h *uint64) uint64 {
	s := *id
	if foreignID(s) {
		s = NormalizeRequestID(s)
		*id = s
	}
	var v uint64
	if n := len(s); n > 16 && n <= 32 {
		// IDHash's common case (hashMid), inlined.
		v = mixMid(le64(s), le64(s[8:]), le64(s[n-16:]), le64(s[n-8:]), n, &idSeed)
	} else {
		v = stringHash(s, &idSeed)
	}
	if v == 0 && s != "" {
		v = 1 // as IDHash
	}
	*h = v
	return v
}

// foreignID reports whether request id s may be in one of the shapes
// NormalizeRequestID changes, by the byte or two it looks at first. IDKey
// asks it first: nearly every id is in neither shape, and for those the
// call to NormalizeRequestID (18 instructions an id) and the store of its
// result (a pointer, with its write barrier, that put back the id already
// there) are left out: 4.3 M instructions fewer on the 345 k-line sample.
// s[0]|1 == 'S' is s[0] == 'R' || s[0] == 'S' (0x52, 0x53) in one
// compare.
func foreignID(s string) bool {
	return len(s) > 5 && (s[0]|1 == 'S' || len(s) == 20 && s[16] == '-')
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
