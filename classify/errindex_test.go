package classify

import (
	"fmt"
	"math/rand"
	"sort"
	"strings"
	"testing"

	"fivexx/sources"
)

// burstRecords is a seeded mix of what the error-log join's rules tell
// apart (assign.go), crowded onto one client, method and path in 4 to 12
// seconds: 5xx with and without a serial ($connection), on keep-alive
// connections, retried or not, with and without a client port; error
// lines refused, reset, timed out or warnings, with and without a serial;
// a few 5xx of another client on the same path (rivals of another key).
// Records are new on each call.
func burstRecords(seed int64, entries, lines int, withConn bool) []sources.Record {
	r := rand.New(rand.NewSource(seed))
	secs := 4 + int(seed%3)*4 // 4, 8 or 12 s
	reasons := []struct {
		reason sources.Reason
		msg    string
	}{
		{sources.ReasonRefused, "connect() failed (111: Connection refused)"},
		{sources.ReasonReset, "recv() failed (104: Connection reset by peer)"},
		{sources.ReasonReadTimeout, "upstream timed out (110: Connection timed out)"},
		{sources.ReasonNone, "upstream server temporarily disabled"},
	}
	var recs []sources.Record
	for i := 0; i < lines; i++ {
		rs := reasons[r.Intn(len(reasons))]
		if i%3 != 0 {
			rs = reasons[0] // mostly refused: a key whose lines mostly agree
		}
		x := errLine(float64(r.Intn(secs)), rs.reason, rs.msg)
		if r.Intn(10) > 0 {
			x.Conn = fmt.Sprint(1 + r.Intn(lines/2))
		}
		if r.Intn(8) == 0 {
			x.ClientPort = "5000"
		}
		x.Raw = fmt.Sprintf("error %d %s *%s", i, rs.msg, x.Conn)
		recs = append(recs, x)
	}
	for i := 0; i < entries; i++ {
		e := upstreamEntry(float64(r.Intn(secs)), 502, "10.0.0.1:8080", "502", "-", "")
		e.RequestTime = float64(r.Intn(3000)) / 1000
		if withConn && r.Intn(4) > 0 {
			e.Conn = fmt.Sprint(1 + r.Intn(lines/2))
		}
		if r.Intn(6) == 0 {
			e.UpstreamAddr = []string{"10.0.0.1:8080", "10.0.0.2:8080"}
			e.UpstreamStatus, e.UpstreamStatusRaw = []string{"502", "502"}, "502, 502"
			e.UpstreamHeader = []string{"-", "-"}
		}
		if r.Intn(8) == 0 {
			e.ClientPort = "5000"
		}
		if r.Intn(10) == 0 {
			e.Client = "10.9.9.9" // another key, the same path
		}
		e.Raw = fmt.Sprintf("access %d", i)
		recs = append(recs, e)
	}
	// In time order, as a merge of the logs gives them, each log's lines
	// in their own order.
	sortRecords(recs)
	return recs
}

// sortRecords orders recs by time, keeping the order of equal times.
func sortRecords(recs []sources.Record) {
	for i := 1; i < len(recs); i++ {
		for j := i; j > 0 && recs[j].RecordTime().Before(recs[j-1].RecordTime()); j-- {
			recs[j], recs[j-1] = recs[j-1], recs[j]
		}
	}
}

// verdictText is what a verdict says of its error lines: cause,
// confidence, evidence and the lines it took.
func verdictText(v *Verdict) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s/%s %q", v.Entry.Raw, v.Cause, v.Confidence, v.Evidence)
	for _, x := range v.ErrorLines {
		fmt.Fprintf(&b, " [%s]", x.Raw)
	}
	return b.String()
}

// indexChoosesAsTheScan judges the records of each case twice, by the
// scan of every error line and through the index (errindex.go), judged
// at once and as they come, and fails on any verdict that differs; each
// sees every verdict of the indexed run. It returns how many of the
// scan's verdicts were guesses.
func indexChoosesAsTheScan(t *testing.T, cases map[string]func() []sources.Record, each func(v *Verdict)) (guesses int) {
	t.Helper()
	defer func(n int) { indexFrom = n }(indexFrom)
	names := make([]string, 0, len(cases))
	for name := range cases {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		for _, advance := range []bool{false, true} {
			judge := func(from int) []string {
				indexFrom = from
				var out []string
				for _, v := range judgeRecords(advance, cases[name]()...) {
					out = append(out, verdictText(v))
					if from != 1<<30 && each != nil {
						each(v)
					}
				}
				return out
			}
			scan, indexed := judge(1<<30), judge(16)
			if len(scan) != len(indexed) {
				t.Fatalf("%s advance %v: %d verdicts, the scan's %d", name, advance, len(indexed), len(scan))
			}
			for i := range scan {
				if scan[i] != indexed[i] {
					t.Errorf("%s advance %v, verdict %d:\n index %s\n scan  %s", name, advance, i, indexed[i], scan[i])
				}
				if strings.Contains(scan[i], "is a guess") {
					guesses++
				}
			}
		}
	}
	return guesses
}

// TestErrIndexChoosesAsTheScan checks that the index of a key with many
// error lines (errindex.go) makes the very choices the scan of all of
// them made: the same lines to the same 5xx, the same guesses.
func TestErrIndexChoosesAsTheScan(t *testing.T) {
	cases := map[string]func() []sources.Record{}
	for seed := int64(1); seed <= 40; seed++ {
		for _, withConn := range []bool{false, true} {
			cases[fmt.Sprintf("seed %02d conn %v", seed, withConn)] = func() []sources.Record { return burstRecords(seed, 60, 80, withConn) }
		}
	}
	if indexChoosesAsTheScan(t, cases, nil) == 0 {
		t.Error("no verdict was a guess: the cases do not reach the rules for ties")
	}
}

// mixedBurstRecords is a burst of one client on one path whose error
// lines give mixed causes (refused and timed out, a few warnings), spread
// over 1 to 3 s at tenths of seconds (so that the lines at a 5xx's
// distance lie on one or both sides of it): most serials have one line,
// some two or three (keep-alive, retries); the 5xx (502 or 504, mostly no
// serial, as without $connection) take what their nearest line's serial
// gives. Records are new on each call.
func mixedBurstRecords(seed int64, n int) []sources.Record {
	r := rand.New(rand.NewSource(seed))
	tenths := 10 + int(seed%3)*10
	var recs []sources.Record
	serial := 0
	for i := 0; i < n; i++ {
		if r.Intn(5) > 0 || serial == 0 {
			serial++ // a new connection; else the last one again
		}
		sec := float64(r.Intn(tenths)) / 10
		x := errLine(sec, sources.ReasonRefused, "connect() failed (111: Connection refused)")
		switch k := r.Intn(20); {
		case k < 9:
			x = errLine(sec, sources.ReasonReadTimeout, "upstream timed out (110: Connection timed out)")
		case k == 9:
			x = errLine(sec, sources.ReasonNone, "upstream server temporarily disabled")
		}
		if r.Intn(12) > 0 {
			x.Conn = fmt.Sprint(serial)
		}
		x.Raw = fmt.Sprintf("error %d %s *%s", i, x.Message, x.Conn)
		recs = append(recs, x)
	}
	for i := 0; i < n; i++ {
		status, us := 502, "502"
		if r.Intn(2) == 0 {
			status, us = 504, "504"
		}
		e := upstreamEntry(float64(r.Intn(tenths))/10, status, "10.0.0.1:8080", us, "-", "")
		e.RequestTime = float64(r.Intn(1500)) / 1000
		if r.Intn(10) == 0 {
			e.Conn = fmt.Sprint(1 + r.Intn(serial))
		}
		e.Raw = fmt.Sprintf("access %d", i)
		recs = append(recs, e)
	}
	sortRecords(recs)
	return recs
}

// TestMixedBurstIndexChoosesAsTheScan is TestErrIndexChoosesAsTheScan for
// bursts whose lines say different things, where each 5xx marks the
// lines at its distance that say something else (contestOthers, which
// searches for them): the same lines to the same 5xx, the same guesses as
// the scan of every line, judged at once and as they come. Under the
// race detector, which makes its one goroutine's scans several times
// slower and has nothing to find in them, the first burstSeeds seeds;
// make test runs all 30 without it (-run Burst).
func TestMixedBurstIndexChoosesAsTheScan(t *testing.T) {
	cases := map[string]func() []sources.Record{}
	for seed := int64(1); seed <= burstSeeds(); seed++ {
		cases[fmt.Sprintf("seed %02d", seed)] = func() []sources.Record { return mixedBurstRecords(seed, 150) }
	}
	guesses := indexChoosesAsTheScan(t, cases, nil)
	if guesses < 100 {
		t.Errorf("%d verdicts were guesses: the cases hardly reach the lines that say something else", guesses)
	}
	t.Logf("%d seeds, %d guesses", len(cases), guesses)
}

// burstSeeds is how many seeds the burst index tests judge: 30, or under
// the race detector 6.
func burstSeeds() int64 {
	if raceEnabled {
		return 6
	}
	return 30
}

// TestMixedBurstJoinAllocatesLinearly: a burst of one client on one path
// without $connection, half refused 502s and half timed-out 504s, each
// with its own connection's error line, allocates in proportion to its
// size (8 times the 5xx, at most 12 times the allocations). Each 5xx
// looked at every line of its span for those that said something else,
// with a slice for each: 1,000 took 0.5 M allocations, 8,000 32 M (64
// times). Allocations are counted, not time, so the machine's load does
// not decide. Under the race detector, which makes its one goroutine's
// join several times slower, 250 and 2,000 (the square still 64 times);
// make test runs 1,000 and 8,000 without it (-run Burst).
func TestMixedBurstJoinAllocatesLinearly(t *testing.T) {
	burst := func(n int) []sources.Record {
		var recs []sources.Record
		for i := 1; i <= n; i++ {
			x := errLine(0, sources.ReasonRefused, "connect() failed (111: Connection refused)")
			if i%2 == 0 {
				x = errLine(0, sources.ReasonReadTimeout, "upstream timed out (110: Connection timed out)")
			}
			x.Conn = fmt.Sprint(i)
			recs = append(recs, x)
		}
		for i := 1; i <= n; i++ {
			status := 502
			if i%2 == 0 {
				status = 504
			}
			recs = append(recs, upstreamEntry(0, status, "10.0.0.1:8080", fmt.Sprint(status), "-", ""))
		}
		return recs
	}
	allocs := func(n int) float64 {
		recs := burst(n)
		return testing.AllocsPerRun(1, func() {
			if got := judgeRecords(false, recs...); len(got) != n {
				t.Fatalf("%d verdicts, want %d", len(got), n)
			}
		})
	}
	n := 1000
	if raceEnabled {
		n = 250
	}
	small, big := allocs(n), allocs(8*n)
	t.Logf("%d 5xx: %.0f allocations, %d: %.0f", n, small, 8*n, big)
	if big > 12*small {
		t.Errorf("%d 5xx made %.0f allocations, %d %.0f: %.1f times", 8*n, big, n, small, big/small)
	}
}
