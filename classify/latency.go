package classify

import "math"

// latencyHist is a bounded streaming estimator for latency percentiles: a
// log-scale histogram from 0.1 ms to ~5 min with 6 % wide buckets. Memory is
// fixed (1 KiB) however many values it takes; percentiles are within one
// bucket (±3 %).
type latencyHist struct {
	n      uint64
	counts [latBuckets]uint32
}

const (
	latBuckets = 256
	latMinMs   = 0.1
	latGrowth  = 1.06
)

var latLogGrowth = math.Log(latGrowth)

func latIndex(ms float64) int {
	if ms <= latMinMs {
		return 0
	}
	i := int(math.Log(ms/latMinMs) / latLogGrowth)
	if i >= latBuckets {
		return latBuckets - 1
	}
	return i
}

// add records one duration in milliseconds.
func (h *latencyHist) add(ms float64) {
	h.counts[latIndex(ms)]++
	h.n++
}

// merge adds another histogram's counts.
func (h *latencyHist) merge(o *latencyHist) {
	for i, c := range o.counts {
		h.counts[i] += c
	}
	h.n += o.n
}

// quantile returns the q-quantile in milliseconds (the bucket's geometric
// middle), or -1 when empty.
func (h *latencyHist) quantile(q float64) float64 {
	if h.n == 0 {
		return -1
	}
	rank := uint64(math.Ceil(q * float64(h.n)))
	if rank == 0 {
		rank = 1
	}
	var seen uint64
	for i, c := range h.counts {
		seen += uint64(c)
		if seen >= rank {
			if i == 0 {
				return latMinMs
			}
			return latMinMs * math.Pow(latGrowth, float64(i)+0.5)
		}
	}
	return -1
}
