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

// The app log column counts the window's 5xx as the other columns do.
// The QA's replay of 20 minutes: 20 refused 502s on 10.0.0.9 at minute 0
// had aged out of every window, and the row read 0 5xx but `app log 0%`;
// 10.0.0.1 read `500 10` (the minute-19 500s, each joined by request id)
// and `app log 50%`, its ten 500s of minute 1 without app lines counted
// in. A report's app_coverage stays the whole input's (AppCoverage).
func TestAppCoverageCountsTheWindow(t *testing.T) {
	proxy, app := input(0, sources.RoleProxy), input(1, sources.RoleApp)
	var recs []sources.Record
	ok := func(sec float64) {
		rid := fmt.Sprintf("ok%d", int(sec*10))
		recs = append(recs, upstreamEntry(sec, 200, "10.0.0.1:8080", "200", "0.001", rid),
			appLine(sec, sources.PhaseEnd, rid, 200, "INFO", "request finished"))
	}
	for i := range 20 { // minute 0: refused, the app never saw them
		recs = append(recs, upstreamEntry(float64(i), 502, "10.0.0.9:8080", "502", "-", fmt.Sprintf("r%d", i)))
		ok(float64(i) + 0.5)
	}
	for i := range 10 { // minute 1: 500s the app log does not have
		recs = append(recs, upstreamEntry(float64(60+i), 500, "10.0.0.1:8080", "500", "0.001", fmt.Sprintf("x%d", i)))
	}
	for sec := 70.0; sec < 1140; sec += 2 {
		ok(sec)
	}
	for i := range 10 { // minute 19: 500s the app logged
		sec := float64(1140 + 3*i)
		rid := fmt.Sprintf("e%d", i)
		recs = append(recs, upstreamEntry(sec, 500, "10.0.0.1:8080", "500", "0.001", rid),
			appLine(sec, sources.PhaseEnd, rid, 500, "ERROR", "orders handler failed"))
		ok(sec + 1)
	}
	eng := NewEngine(Config{Inputs: []*sources.Input{proxy, app}, Window: 15 * time.Minute})
	feedAll(eng, proxy, app, recs)
	for _, w := range []time.Duration{15 * time.Minute, time.Minute} {
		eng.SetWindow(w)
		s := eng.Publish(false)
		refused, failing := upstreamRow(s, "10.0.0.9:8080"), upstreamRow(s, "10.0.0.1:8080")
		if n := fivexxIn(refused, false); n != 0 || refused.WindowFivexx != 0 || refused.WindowAppCoverage() != -1 {
			t.Errorf("%v: 10.0.0.9:8080 %d 5xx in the window, %d judged, coverage %v; want 0, 0, -1 (—)",
				w, n, refused.WindowFivexx, refused.WindowAppCoverage())
		}
		if n := fivexxIn(failing, false); n != 10 || failing.WindowFivexx != 10 || failing.WindowAppCoverage() != 1 {
			t.Errorf("%v: 10.0.0.1:8080 %d 5xx in the window, %d judged, coverage %v; want 10, 10, 1",
				w, n, failing.WindowFivexx, failing.WindowAppCoverage())
		}
		if refused.AppCoverage() != 0 || failing.AppCoverage() != 0.5 {
			t.Errorf("%v: whole-input coverage %v and %v, want 0 and 0.5 (the report's)", w, refused.AppCoverage(), failing.AppCoverage())
		}
	}
}
