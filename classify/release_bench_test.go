package classify

import (
	"math/rand/v2"
	"testing"
	"time"
)

// BenchmarkAnsweredIDs notes and looks up request ids as a report does
// (an id is one request: its access line's add, and the lookup of its app
// line some hundred requests later), a run of 512 requests at a time,
// with the caches emptied before each run (untimed) as the stream
// of log lines between them empties them in a report: what it measures is
// mostly memory latency, which instruction counts do not show. ns/id is
// the time per request.
func BenchmarkAnsweredIDs(b *testing.B) {
	const lag, run = 300, 512
	rng := rand.New(rand.NewPCG(1, 2))
	ids := make([]uint64, 1<<18)
	for i := range ids {
		ids[i] = rng.Uint64()
	}
	// 16 MiB read between runs: the tables leave the core's own caches
	// (as in a report, where a table line is used again after some
	// megabytes of log), the TLB mostly keeps them (as in a report).
	stream := make([]uint64, 16<<20/8)
	var a answeredIDs
	t := time.Date(2026, 1, 2, 3, 0, 0, 0, time.UTC)
	for i := range 4 * answeredGen { // both generations in use
		a.add(ids[i%len(ids)], t, true)
	}
	next, found := 4*answeredGen, 0
	var sink uint64
	b.ResetTimer()
	for range b.N {
		b.StopTimer()
		for j := 0; j < len(stream); j += 8 {
			sink += stream[j]
		}
		b.StartTimer()
		for range run {
			a.add(ids[next%len(ids)], t, true)
			if _, ok := a.lookup(ids[(next-lag)%len(ids)]); ok {
				found++
			}
			next++
		}
	}
	b.StopTimer()
	if found != b.N*run || sink == 1 {
		b.Fatalf("%d of %d ids found", found, b.N*run)
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*run), "ns/id")
}
