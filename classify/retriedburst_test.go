package classify

import (
	"fmt"
	"math/rand"
	"testing"

	"fivexx/sources"
)

// retriedBurstRecords is a burst of 504s of one client on one path, each
// after two attempts of a second each, as QA s29's limit429 recording has
// them (us="504, 504", a timed-out line per attempt, 1 s apart, by one
// serial per request): within a second the second attempts' lines of its
// 504s and the first attempts' of the next second's, in any order, then
// its access lines (whole seconds); combined: the stock combined format,
// which lists no attempts.
func retriedBurstRecords(seed int64, seconds int, combined bool) []sources.Record {
	r := rand.New(rand.NewSource(seed))
	ending := make([][]int, seconds+2) // the serials of the 504s of each second
	serial := 0
	for s := 2; s < len(ending); s++ {
		for range 1 + r.Intn(5) {
			serial++
			ending[s] = append(ending[s], serial)
		}
	}
	line := func(s, serial int) *sources.ProxyError {
		x := errLine(float64(s), sources.ReasonReadTimeout, "upstream timed out (110: Connection timed out)")
		x.Conn = fmt.Sprint(serial)
		x.Raw = fmt.Sprintf("error *%d at %d", serial, s)
		return x
	}
	var recs []sources.Record
	for s := 1; s < len(ending); s++ {
		var lines []*sources.ProxyError
		for _, n := range ending[s] {
			lines = append(lines, line(s, n)) // its second attempt
		}
		if s+1 < len(ending) {
			for _, n := range ending[s+1] {
				lines = append(lines, line(s, n)) // the next second's first
			}
		}
		r.Shuffle(len(lines), func(i, j int) { lines[i], lines[j] = lines[j], lines[i] })
		for _, x := range lines {
			recs = append(recs, x)
		}
		for _, n := range ending[s] {
			e := combinedEntry(float64(s), 504)
			if !combined {
				e = upstreamEntry(float64(s), 504, "10.0.0.2:8080", "504", "-", "")
				e.UpstreamAddr, e.UpstreamStatus, e.UpstreamStatusRaw = []string{"10.0.0.1:8080", "10.0.0.2:8080"}, []string{"504", "504"}, "504, 504"
				e.UpstreamHeader, e.UpstreamConnect, e.UpstreamResponse = []string{"-", "-"}, []string{"0.000", "0.000"}, []string{"1.000", "1.000"}
				e.RequestTime = 2.0
			}
			e.Raw = fmt.Sprintf("access of *%d", n)
			recs = append(recs, e)
		}
	}
	return recs
}

// TestRetriedBurstTakesItsOwnSerial: a 504 whose access line lists two
// attempts takes a serial with both lines in its reach, not the nearest
// line's when that is the first attempt of a request of the next second
// (its second line lies past the 504's), in the scan and the index
// alike; and so when the access log lists no attempts (combined): a
// serial whose last line lies past the 504's is a later request's. QA
// s29 regression, limit429: 10 of 13 retried 504s had one line.
func TestRetriedBurstTakesItsOwnSerial(t *testing.T) {
	cases := map[string]func() []sources.Record{}
	for seed := int64(1); seed <= 20; seed++ {
		for _, combined := range []bool{false, true} {
			cases[fmt.Sprintf("seed %02d combined %v", seed, combined)] = func() []sources.Record { return retriedBurstRecords(seed, 8, combined) }
		}
	}
	n := 0
	indexChoosesAsTheScan(t, cases, func(v *Verdict) {
		n++
		// Which of a second's 504s gets which of its serials, nothing
		// tells: each has one serial's two lines, the second at its own.
		if len(v.ErrorLines) != 2 {
			t.Errorf("%s: %d error lines, want its two attempts'", v.Entry.Raw, len(v.ErrorLines))
			return
		}
		first, last := v.ErrorLines[0], v.ErrorLines[1]
		if first.Conn != last.Conn || !last.Time.Equal(v.Entry.Time) {
			t.Errorf("%s at %s took %q and %q, not one request of its second", v.Entry.Raw, v.Entry.Time.Format("05"), first.Raw, last.Raw)
		}
	})
	if n < 200 {
		t.Errorf("%d verdicts: the cases are too small", n)
	}
}
