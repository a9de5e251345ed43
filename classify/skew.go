package classify

import (
	"time"

	"fivexx/sources"
)

// skewEstimator learns how far the app's clock runs from the proxy's, from
// requests both sides logged with the same id: the app's "finished" line
// and the proxy's access line (written at the end of the request) mark the
// same moment. The median of recent samples is robust to the one-second
// resolution of nginx's $time_local and to slow requests.
type skewEstimator struct {
	samples [101]time.Duration
	sorted  [101]time.Duration // scratch for the median: no allocation per sample
	n       int                // samples taken in all
	fixed   bool
	// skew is the estimate as of the last value call; stale says samples
	// came since. The median is taken when it is read (a time-window
	// join, a snapshot), not per sample: sorting the window on every one
	// of them was 2% of a report's CPU, on the engine's goroutine.
	skew  time.Duration
	stale bool
	seen  int64 // proxy entries looked at, for sampling
	// subSecond: some proxy time had a fraction, so proxy times are not
	// whole seconds.
	subSecond bool
	// paths: the samples are of requests paired by method, target and
	// status, not by id (pathskew.go); the skew is then every app's.
	paths bool
	// allApps: the skew is every app's though no sample came by paths:
	// the logs' heads told it so (Config.MergedByPaths).
	allApps bool
}

// sample records one id-matched pair.
func (s *skewEstimator) sample(proxyEnd, appEnd time.Time) {
	if s.fixed {
		return
	}
	if s.paths {
		s.n, s.paths = 0, false // an id tells it better
	}
	if !s.subSecond {
		// Whole seconds (nginx $time_local): the request ended somewhere in
		// that second; its middle is the unbiased guess.
		proxyEnd = proxyEnd.Add(500 * time.Millisecond)
	}
	s.samples[s.n%len(s.samples)] = appEnd.Sub(proxyEnd)
	s.n++
	s.stale = true
}

// fromPaths takes samples of requests paired by method, target and status
// (pathskew.go) as the estimate's, unless ids gave some or the skew is
// given.
func (s *skewEstimator) fromPaths(samples []time.Duration) {
	if s.fixed || (s.n > 0 && !s.paths) {
		return
	}
	k := copy(s.samples[:], samples)
	s.n, s.paths, s.stale = k, true, true
}

// value returns the estimated skew: the median of the recent samples
// rounded to 100 ms, 0 below half a second; what --app-skew set, if it did.
func (s *skewEstimator) value() time.Duration {
	if !s.stale {
		return s.skew
	}
	s.stale = false
	k := s.n
	if k > len(s.samples) {
		k = len(s.samples)
	}
	sorted := s.sorted[:k]
	copy(sorted, s.samples[:k])
	med := nthSmallest(sorted, k/2)
	// Below half a second the clocks agree within the logs' resolution.
	if med > -500*time.Millisecond && med < 500*time.Millisecond {
		med = 0
	}
	s.skew = med.Round(100 * time.Millisecond)
	return s.skew
}

// wants says whether to look this proxy entry up for a sample: every one
// until there are enough, then one in 64 so it costs nothing at volume.
func (s *skewEstimator) wants() bool {
	if s.fixed {
		return false
	}
	s.seen++
	return s.n < len(s.samples) || s.seen%64 == 0
}

// AnyEnd is the MomentStatus of a request the proxy answered below 500:
// the app's end line of it, whatever status it logs, marks that moment.
const AnyEnd = -1

// MomentStatus says which app line of e's request marks the moment the
// proxy logged e, for a skew sample (the two times then differ by the
// clocks alone): below 500, the app's end line (AnyEnd); a 5xx the app
// answered itself (its own 500 or 503: the proxy had the app's response
// header and logs its status), the app's line that logs that status; a
// 5xx the proxy made on its own (a 502 refused or reset, a 504 timed out),
// none (0): the app's end line there, if any, is not the same moment
// (HAProxy's sH-- 504 after its timeout, the app finishing a second
// later). Without the 5xx an app that logs only its errors, or one in a
// storm of them, gave no sample at all: its lines 1 h ahead came after the
// verdicts, 5 min behind before their windows, and no advice said so.
func MomentStatus(e *sources.ProxyEntry) int {
	if e.Status < 500 {
		return AnyEnd
	}
	if e.UpstreamAnswered != sources.Yes {
		return 0
	}
	if s := e.LastUpstreamStatus(); s > 0 || e.Fields.Has(sources.FieldUpstreamStatus) {
		return s
	}
	return e.Status // HAProxy: the server's answer is the status it sent on (Tr >= 0)
}

// MarksMoment reports whether app line a marks the moment of its request
// that want (MomentStatus) names.
func MarksMoment(want int, a *sources.AppEntry) bool {
	if want == AnyEnd {
		return a.Phase == sources.PhaseEnd || a.Status != 0
	}
	return want > 0 && a.Status == want
}

// observeSkew takes a sample from a proxy entry whose id the app also
// logged, by the line of the app that marks the same moment
// (MomentStatus). h is e's id hash (IDKey).
func (c *correlator) observeSkew(e *sources.ProxyEntry, h uint64) {
	if e.RequestID == "" {
		return
	}
	if len(c.outside.gone) > 0 && c.matchGone(e) {
		return // its app line was let go before it came, and told the skew (idsoutside.go)
	}
	if (e.Status >= 500 && e.UpstreamAnswered != sources.Yes) || !c.skew.wants() {
		return
	}
	if !c.heldIDs.has(h) {
		return
	}
	// Not heldRefs: a heldApp is read, not made an entry (heldapp.go).
	// The list's entries come first, then its heldApps.
	want := MomentStatus(e)
	for _, r := range c.byID[h] {
		if a := r.e; MarksMoment(want, a) && a.RequestID == e.RequestID {
			c.skew.sample(e.Time, a.Time)
			return
		}
	}
	for _, seq := range c.heldSeqs(h) {
		a := &c.readApp
		c.lines[seq-c.base].rec.(*heldApp).fill(a)
		if MarksMoment(want, a) && a.RequestID == e.RequestID {
			c.skew.sample(e.Time, a.Time)
			return
		}
	}
}

// nthSmallest returns what xs[n] would be were xs sorted (0 <= n <
// len(xs)), reordering xs: Hoare's selection, each round partitioning
// around the middle of the part that holds the n-th. The median of the
// 101 samples (value) was a whole sort of them, about 12,000
// instructions each time the engine learnt the skew anew; this is about
// a fifth of it. slices.Sort of the same samples is the reference
// (TestNthSmallestAsSort).
func nthSmallest(xs []time.Duration, n int) time.Duration {
	lo, hi := 0, len(xs)-1
	for lo < hi {
		pivot := xs[lo+(hi-lo)/2]
		i, j := lo, hi
		for i <= j {
			for xs[i] < pivot {
				i++
			}
			for pivot < xs[j] {
				j--
			}
			if i <= j {
				xs[i], xs[j] = xs[j], xs[i]
				i++
				j--
			}
		}
		// xs[lo:j+1] <= pivot <= xs[i:hi+1], and xs[j+1:i] == pivot.
		switch {
		case n <= j:
			hi = j
		case n >= i:
			lo = i
		default:
			return xs[n]
		}
	}
	return xs[n]
}
