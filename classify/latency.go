package classify

import "math"

// latencyHist is a bounded streaming estimator for latency percentiles: a
// log-scale histogram from 0.1 ms to ~5 min with 6 % wide buckets. Memory is
// fixed (1 KiB) however many values it takes; percentiles are within one
// bucket (±3 %).
//
// It keeps no count of its values: quantile adds them up. A request's
// latency goes into two histograms, and the count was one more cache line
// each to fetch, per request.
type latencyHist struct {
	counts [latBuckets]uint32
}

const (
	latBuckets = 256
	latMinMs   = 0.1
	latGrowth  = 1.06
)

var latLogGrowth = math.Log(latGrowth)

// latIndexByLog is the bucket of a duration in milliseconds by definition:
// the bucket boundaries are where it steps up. latIndex gives the same
// index without a logarithm.
func latIndexByLog(ms float64) int {
	if ms <= latMinMs {
		return 0
	}
	x := math.Log(ms/latMinMs) / latLogGrowth
	if x >= latBuckets { // also +Inf, which int() would make negative
		return latBuckets - 1
	}
	return int(x)
}

// A report adds the latency of every request, and math.Log was 2–3 % of
// its CPU. latIndex reads the bucket from a table instead, indexed by a
// float's exponent and the top latCellBits of its mantissa: a cell is at
// most 1/64 wide (relative) and a bucket 6 %, so a cell holds at most one
// boundary, and one comparison with it gives the exact latIndexByLog.
const (
	latCellBits = 6
	latMinExp   = -5 // 0.1 ms lies in [2^-4, 2^-3): a margin below
	latMaxExp   = 19 // the last boundary (~287 s) lies below 2^19
	latCells    = (latMaxExp - latMinExp) << latCellBits
)

var (
	// latBounds[i] is the smallest duration of bucket i (i ≥ 1).
	latBounds [latBuckets]float64
	// latCell[c] is the bucket of the smallest duration of cell c.
	latCell [latCells]uint8
)

func init() {
	for i := 1; i < latBuckets; i++ {
		// Bisect on the bit patterns, which order positive floats as
		// their values: the least float whose bucket is i or more.
		lo, hi := math.Float64bits(latMinMs), math.Float64bits(1e12)
		for lo+1 < hi {
			mid := lo + (hi-lo)/2
			if latIndexByLog(math.Float64frombits(mid)) >= i {
				hi = mid
			} else {
				lo = mid
			}
		}
		latBounds[i] = math.Float64frombits(hi)
	}
	for c := range latCell {
		latCell[c] = uint8(latIndexByLog(latCellStart(c)))
	}
}

// latCellOf is the cell of a duration in [2^latMinExp, 2^latMaxExp).
func latCellOf(ms float64) int {
	return int(math.Float64bits(ms)>>(52-latCellBits)) - (1023+latMinExp)<<latCellBits
}

// latCellStart is the smallest duration of cell c.
func latCellStart(c int) float64 {
	return math.Float64frombits(uint64(c+(1023+latMinExp)<<latCellBits) << (52 - latCellBits))
}

// latIndex is the bucket of a duration in milliseconds: latIndexByLog.
func latIndex(ms float64) int {
	if ms <= latMinMs {
		return 0
	}
	c := latCellOf(ms)
	if c >= latCells { // beyond the last boundary, or +Inf
		return latBuckets - 1
	}
	i := int(latCell[c])
	if i+1 < latBuckets && ms >= latBounds[i+1] {
		i++
	}
	return i
}

// add records one duration in milliseconds.
func (h *latencyHist) add(ms float64) { h.addIndex(latIndex(ms)) }

// addIndex records one duration of bucket i (latIndex).
func (h *latencyHist) addIndex(i int) { h.counts[i]++ }

// removeIndex takes back one duration of bucket i.
func (h *latencyHist) removeIndex(i int) {
	if h.counts[i] > 0 {
		h.counts[i]--
	}
}

// merge adds another histogram's counts.
func (h *latencyHist) merge(o *latencyHist) {
	for i, c := range o.counts {
		h.counts[i] += c
	}
}

// count is how many values h has taken.
func (h *latencyHist) count() uint64 {
	var n uint64
	for _, c := range h.counts {
		n += uint64(c)
	}
	return n
}

// quantile returns the q-quantile in milliseconds (the bucket's geometric
// middle; 0 for the first, up to 0.1 ms), or -1 when empty.
func (h *latencyHist) quantile(q float64) float64 {
	n := h.count()
	if n == 0 {
		return -1
	}
	rank := uint64(math.Ceil(q * float64(n)))
	if rank == 0 {
		rank = 1
	}
	var seen uint64
	for i, c := range h.counts {
		seen += uint64(c)
		if seen >= rank {
			if i == 0 {
				// [0, 0.1 ms]: nginx's and HAProxy's 0 ms above all,
				// which read 0.1.
				return 0
			}
			return latMinMs * math.Pow(latGrowth, float64(i)+0.5)
		}
	}
	return -1
}

// quantileUpTo is quantile clamped to most, the longest value taken: a
// bucket's middle is up to 3 % above its values, and all of them may lie
// below it (nginx's rt=1.001 for a 1 s timeout read as p99 1025.6 ms,
// "over the timeout"; 0 ms as 0.1). It is -1 when h is empty.
func (h *latencyHist) quantileUpTo(q, most float64) float64 {
	v := h.quantile(q)
	if v > most {
		return most
	}
	return v
}
