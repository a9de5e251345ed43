package classify

import (
	"fmt"
	"testing"
	"time"

	"fivexx/sources"
)

// paneRate is the rates pane's rate of all requests: the last RateSpan of
// the series, per second (tui's recentRate).
func paneRate(s *Snapshot) float64 {
	n := int(RateSpan / time.Second)
	var sum int64
	for _, b := range s.Series[len(s.Series)-n:] {
		sum += b.Requests
	}
	return float64(sum) / float64(n)
}

func upstreamRow(s *Snapshot, name string) UpstreamStats {
	for _, u := range s.Upstreams {
		if u.Name == name {
			return u
		}
	}
	return UpstreamStats{}
}

// Every pane counts the same seconds: the whole 10-second slots in the
// window. The upstream rows counted every slot that overlapped the
// window's start, up to 9 s more than the causes pane: in a 1-minute
// window of `fivexx demo --scenario oom-kill`, 43 502s on the rows
// against 33 5xx. Here a 502 every second on a:1 and b:1 by turns.
func TestEveryPaneCountsTheSameWindow(t *testing.T) {
	for _, tc := range []struct {
		window time.Duration
		end    int   // the last second after t0 (t0 starts a slot)
		want   int64 // requests (and 5xx) in the window
	}{
		{time.Minute, 100, 51}, // from 07:10:40 on: the slots from :50
		{time.Minute, 105, 56},
		{time.Minute, 109, 60},
		{time.Minute, 110, 51},
		{5 * time.Minute, 400, 291},
		{15 * time.Minute, 1000, 891},
		{15 * time.Minute, 1009, 900},
	} {
		t.Run(fmt.Sprintf("%v/%d", tc.window, tc.end), func(t *testing.T) {
			proxy := input(0, sources.RoleProxy)
			eng := NewEngine(Config{Inputs: []*sources.Input{proxy}, Window: tc.window})
			for sec := 0; sec <= tc.end; sec++ {
				up := []string{"a:1", "b:1"}[sec%2]
				eng.Add(proxy, upstreamEntry(float64(sec), 502, up, "502", "-", ""))
			}
			eng.Flush()
			s := eng.Publish(false)
			var rows, rowFivexx, causes, rowCauses int64
			for _, u := range s.Upstreams {
				rows += u.Windowed.Requests
				rowFivexx += u.Windowed.Status[502]
				for _, n := range u.Windowed.Causes {
					rowCauses += n
				}
			}
			for _, n := range s.Windowed.Causes {
				causes += n
			}
			if s.Windowed.Requests != tc.want || rows != tc.want || rowFivexx != tc.want || causes != tc.want || rowCauses != tc.want {
				t.Errorf("window: %d requests, %d causes; upstream rows: %d requests, %d 502s, %d causes; want %d each",
					s.Windowed.Requests, causes, rows, rowFivexx, rowCauses, tc.want)
			}
		})
	}
}

// windowFrom is the second before the first slot start after now−window,
// before 1970 too.
func TestWindowFrom(t *testing.T) {
	for _, tc := range []struct {
		now  int64
		want int64
	}{
		{100, 49}, {105, 49}, {109, 49}, {110, 59},
		{-5, -61}, {-10, -61}, {-11, -71}, {-1, -61},
	} {
		if got := windowFrom(time.Unix(tc.now, 0), time.Minute); got != tc.want {
			t.Errorf("windowFrom(%d, 1m) = %d, want %d", tc.now, got, tc.want)
		}
	}
}

// One burst reads one rate: 50 503s in one second on one upstream read
// 5.0/s on the rates pane (the last RateSpan of the series) and 3.2/s on
// its upstream row, which divided its two newest 10-second slots by the
// seconds they spanned (16 here; 2.6/s in the QA's screen, 19).
func TestOneBurstReadsOneRate(t *testing.T) {
	for _, tc := range []struct {
		last float64 // the last line, a 200 after the burst at 5 s
		rate float64
	}{{5.49, 5.1}, {9, 5.1}, {14, 5.1}, {14.5, 5.1}, {15, 0.1}, {40, 0.1}} {
		t.Run(fmt.Sprint(tc.last), func(t *testing.T) {
			proxy := input(0, sources.RoleProxy)
			eng := NewEngine(Config{Inputs: []*sources.Input{proxy}})
			for i := range 50 {
				eng.Add(proxy, upstreamEntry(5+float64(i)/100, 503, "10.0.0.1:8080", "503", "0.001", ""))
			}
			eng.Add(proxy, upstreamEntry(tc.last, 200, "10.0.0.1:8080", "200", "0.001", ""))
			eng.Flush()
			s := eng.Publish(false)
			up := upstreamRow(s, "10.0.0.1:8080")
			if r := paneRate(s); r != tc.rate || up.ReqPerSec != tc.rate {
				t.Errorf("rates pane %.2f/s, upstream row %.2f/s; want %.1f/s both", r, up.ReqPerSec, tc.rate)
			}
		})
	}
}
