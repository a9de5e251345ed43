package classify

import (
	"math"
	"math/rand/v2"
	"testing"
)

// latIndex, read from a table, gives exactly the bucket the logarithm
// defines: at every boundary and the floats either side of it, at every
// cell's edges, at a million random durations from 1 µs to an hour, and
// at the odd values.
func TestLatIndexIsTheLogarithmsBucket(t *testing.T) {
	check := func(ms float64) {
		t.Helper()
		if got, want := latIndex(ms), latIndexByLog(ms); got != want {
			t.Fatalf("latIndex(%v) = %d, the logarithm says %d", ms, got, want)
		}
	}
	for i := 1; i < latBuckets; i++ {
		b := latBounds[i]
		check(b)
		check(math.Nextafter(b, 0))
		check(math.Nextafter(b, math.Inf(1)))
		if latIndexByLog(b) != i || latIndexByLog(math.Nextafter(b, 0)) != i-1 {
			t.Fatalf("bound %d = %v is not where bucket %d starts", i, b, i)
		}
	}
	for c := 0; c < latCells; c++ {
		check(latCellStart(c))
		check(math.Nextafter(latCellStart(c), 0))
	}
	r := rand.New(rand.NewPCG(1, 2))
	for range 1_000_000 {
		check(math.Exp(r.Float64()*math.Log(3.6e9)) / 1000) // 1 µs to 1 h, log-uniform
	}
	for _, ms := range []float64{-1, 0, latMinMs, math.Nextafter(latMinMs, 1), 0.5, 1, 1000, 60_000, 286_000, 300_000, 1e9, math.MaxFloat64} {
		check(ms)
	}
	if got := latIndex(math.Inf(1)); got != latBuckets-1 {
		t.Errorf("latIndex(+Inf) = %d, want the last bucket", got)
	}
}
