package classify

import (
	"math"
	"path/filepath"
	"testing"

	"fivexx/sources"
)

// A request nginx retried counts under its last attempt's server, and that
// row took the request's time and app lines: real nginx 1.22.1
// (testdata/qa37-retry/ngx-mixed2-noerr), /slow timed out on A
// (127.0.0.1:47101) and the retry refused on B (127.0.0.1:47102, killed):
// "1.006, 0.001", "0.001, -". B's row had p50 1007 ms and app coverage
// 100 % from A's app lines (QA s37 L1). It takes the last attempt's
// $upstream_response_time and only the app lines that may be its own:
// none, as B never connected. A's row, where the requests retried from B
// ended ("-, 0.000", A's app lines), keeps its 1 s and its coverage.
func TestRetriedRequestsRowIsTheLastAttempts(t *testing.T) {
	snap := publishedFrom(t, true, filepath.Join("testdata", "qa37-retry", "ngx-mixed2-noerr"), "access.log", "app.log")
	rows := map[string]UpstreamStats{}
	for _, u := range snap.Upstreams {
		rows[u.Name] = u
	}
	b, a := rows["127.0.0.1:47102"], rows["127.0.0.1:47101"]
	if b.Fivexx != 3 || a.Fivexx != 7 {
		t.Fatalf("5xx: B %d, A %d; want 3 and 7", b.Fivexx, a.Fivexx)
	}
	// B's attempts took 0.000-0.001 s; a bucket is 6 % wide.
	if b.P50 < 0 || b.P50 > 1.1 || b.P99 > 1.1 {
		t.Errorf("B's latency p50 %v p99 %v ms; its attempts took at most 1 ms", b.P50, b.P99)
	}
	if b.FivexxWithApp != 0 || b.WindowFivexxWithApp != 0 || b.AppCoverage() != 0 {
		t.Errorf("B's 5xx with app lines: %d (window %d), coverage %v; B never connected", b.FivexxWithApp, b.WindowFivexxWithApp, b.AppCoverage())
	}
	// A: /ok 7 ms, /slow 1.005-1.006 s ×3, /badheader 1 ms ×4.
	if a.P99 < 1000 || a.P50 > 1.1 {
		t.Errorf("A's latency p50 %v p99 %v ms; want 1 ms and 1 s", a.P50, a.P99)
	}
	if a.FivexxWithApp != 7 || a.WindowFivexxWithApp != 7 {
		t.Errorf("A's 5xx with app lines: %d (window %d); all 7 have A's", a.FivexxWithApp, a.WindowFivexxWithApp)
	}
}

// A retried request whose last server's $upstream_response_time is "-"
// or another word takes the request time, as one whose times are not
// logged; it was left out of the row's latency (s38 review L4).
func TestLastTryTakesTheRequestTimeWhereItsTimeIsNone(t *testing.T) {
	for _, tc := range []struct {
		addrs, times []string
		request      float64 // s; -1: not logged
		want         float64 // ms
	}{
		{[]string{"a:1", "b:1"}, []string{"1.006", "0.001"}, 1.007, 1},
		{[]string{"a:1", "b:1"}, []string{"1.006", "-"}, 1.007, 1007},
		{[]string{"a:1", "b:1"}, []string{"1.006", "x"}, 1.007, 1007},
		{[]string{"b:1", "a:1", "b:1"}, []string{"-", "1.000", "0.002"}, 1.5, 1500},
		{[]string{"a:1", "b:1"}, []string{"1.006", "-"}, -1, -1},
		{[]string{"a:1", "b:1"}, []string{"1.006"}, 1.007, 1007},
	} {
		e := &sources.ProxyEntry{UpstreamAddr: tc.addrs, UpstreamResponse: tc.times, RequestTime: tc.request}
		if got := lastTryMs(e); math.Abs(got-tc.want) > 1e-6 {
			t.Errorf("%q %q request %v s: %v ms, want %v", tc.addrs, tc.times, tc.request, got, tc.want)
		}
	}
}
