package classify

import (
	"math/rand/v2"
	"strings"
	"testing"
	"time"
	"unsafe"

	"fivexx/sources"
)

// The upstream cache finds a state by the address of the name's bytes,
// but must answer by the name: the same name at another address finds the
// same state, and other bytes at the same address (a recycled line) find
// their own.
func TestUpstreamCacheAnswersByName(t *testing.T) {
	s := newStats()
	line := []byte("10.0.1.11:8080")
	a := s.upstream(string(line[:]))
	// The line's bytes as a string, as a slot's recycled text is.
	name := func() string { return unsafe.String(&line[0], len(line)) }
	if got := s.upstream(name()); got != a {
		t.Fatalf("same name, other address: got %q, want %q", got.name, a.name)
	}
	copy(line, "10.0.1.12:8080")
	b := s.upstream(name())
	if b == a || b.name != "10.0.1.12:8080" {
		t.Fatalf("other bytes at the same address: got %q", b.name)
	}
	copy(line, "10.0.1.11:8080")
	if got := s.upstream(name()); got != a {
		t.Fatalf("back to the first name: got %q", got.name)
	}
	if got, want := s.upstream(""), s.upstream("-"); got != want {
		t.Fatalf(`"" counts as "-": got %q`, got.name)
	}
	if got := s.upstream(""); got.name != "-" {
		t.Fatalf(`"" from the cache: got %q`, got.name)
	}
}

// request, which compares a cached name by its words when it has 8 to 16
// bytes, counts each request under the name its bytes say: with the bytes
// at the same address changed in any one place (a recycled line), for
// names of every length that path and the string compare take.
func TestRequestCountsUnderTheNameAtItsAddress(t *testing.T) {
	for _, n := range []int{1, 7, 8, 9, 14, 16, 17, 40} {
		s := newStats()
		line := []byte(strings.Repeat("x", n))
		name := func() string { return unsafe.String(&line[0], len(line)) }
		want := map[string]int64{}
		count := func() {
			s.request(&sources.ProxyEntry{Time: time.Unix(1767322800, 0), Status: 200, Upstream: name(), RequestTime: -1}, 1767322800, false)
			want[string(line)]++
		}
		count()
		for i := range line {
			line[i] = 'y'
			count()
			count() // now from the cache
			line[i] = 'x'
			count()
		}
		for up, w := range want {
			var got int64
			if u := s.upstreams[up]; u != nil {
				got = u.total.requests
			}
			if got != w {
				t.Errorf("%d bytes: %q counted %d requests, want %d", n, up, got, w)
			}
		}
	}
}

// The slot, latency minute and series bucket remembered for the last
// second (upstreamAt, stats.atBucket) give what finding them anew gives,
// whatever the order of the times: seconds in a row, back a little, a
// window ahead or back, and after forgetAfter.
func TestRememberedSlotsAreTheFoundOnes(t *testing.T) {
	remembered, found := newStats(), newStats()
	u, v := remembered.upstream("a:1"), found.upstream("a:1")
	index := func(b, base *secBucket) int {
		if b == nil {
			return -1
		}
		return int((uintptr(unsafe.Pointer(b)) - uintptr(unsafe.Pointer(base))) / unsafe.Sizeof(*b))
	}
	minute := func(l *latSlot, u *upstreamState) int {
		for i := range u.lat {
			if &u.lat[i] == l {
				return i
			}
		}
		return -1
	}
	rng := rand.New(rand.NewPCG(5, 6))
	sec := int64(1_767_323_000)
	for step := 0; step < 200_000; step++ {
		switch r := rng.IntN(100); {
		case r < 80:
			sec += int64(rng.IntN(2)) // the same second, or the next
		case r < 90:
			sec -= int64(rng.IntN(30)) // a late line
		case r < 95:
			sec += int64(rng.IntN(3)*upSlots*10 + rng.IntN(1000)) // a window or more ahead
		case r < 99:
			sec -= int64(rng.IntN(3)*upSlots*10 + rng.IntN(1000))
		default:
			at := time.Unix(sec-int64(rng.IntN(600)), 0)
			remembered.forgetAfter(at)
			found.forgetAfter(at)
		}
		if got, want := index(u.slotAt(sec), &u.slots[0]), index(v.findSlot(sec), &v.slots[0]); got != want {
			t.Fatalf("step %d, second %d: slot %d, want %d", step, sec, got, want)
		}
		if got, want := minute(u.minuteAt(sec), u), minute(v.findMinute(sec), v); got != want {
			t.Fatalf("step %d, second %d: minute %d, want %d", step, sec, got, want)
		}
		if got, want := index(remembered.bucketAt(sec), &remembered.series[0]), index(found.findBucket(sec), &found.series[0]); got != want {
			t.Fatalf("step %d, second %d: bucket %d, want %d", step, sec, got, want)
		}
		for i := range u.slots {
			if u.slots[i].sec != v.slots[i].sec {
				t.Fatalf("step %d: slot %d holds %d, want %d", step, i, u.slots[i].sec, v.slots[i].sec)
			}
		}
		for i := range u.lat {
			if u.lat[i].min != v.lat[i].min {
				t.Fatalf("step %d: minute %d holds %d, want %d", step, i, u.lat[i].min, v.lat[i].min)
			}
		}
	}
}

// Percentiles never exceed the longest request time, totals or window,
// and 0 ms reads 0: a bucket's middle overstated nginx's rt=1.001 for a 1 s
// timeout as p99 1025.6 ms ("over the timeout") and 0 ms as 0.1 (QA s22 F10).
func TestLatencyPercentilesClampedToTheLongest(t *testing.T) {
	s := newStats()
	at := time.Date(2026, 11, 22, 8, 0, 0, 0, time.UTC)
	timeout := 1.001 // s, as nginx writes $request_time
	for i, rt := range []float64{0.002, 0.003, timeout, timeout, timeout} {
		when := at.Add(time.Duration(i) * time.Second)
		s.request(&sources.ProxyEntry{Time: when, Status: 504, Upstream: "a:1", RequestTime: rt}, when.Unix(), false)
	}
	for i := 0; i < 3; i++ {
		s.request(&sources.ProxyEntry{Time: at, Status: 503, Upstream: "", RequestTime: 0}, at.Unix(), false)
	}
	for _, full := range []bool{true, false} {
		got := map[string][3]float64{}
		for _, u := range s.upstreamStats(at.Add(10*time.Second), 15*time.Minute, full) {
			got[u.Name] = [3]float64{u.P50, u.P95, u.P99}
		}
		if p, longest := got["a:1"], timeout*1000; p[1] != longest || p[2] != longest || p[0] < 990 {
			t.Errorf("full %v: a:1 p50/p95/p99 %v, want p95 and p99 1001 (the longest), p50 in its bucket", full, p)
		}
		if p := got["-"]; p != [3]float64{} {
			t.Errorf("full %v: 0 ms requests: p50/p95/p99 %v, want 0", full, p)
		}
	}
}
