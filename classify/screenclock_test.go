package classify

import (
	"testing"
	"time"

	"fivexx/sources"
)

// Live, 50 503s in one second and then nothing (repro/idle-rates): the
// screen's clock runs on with the wall clock, so the rates fall to 0 once
// the burst is RateSpan behind it, the 30 s alert ends, and the 1-minute
// window empties. The log clock itself stays at the burst. Before, every
// figure stayed as it was 3 s after the burst for as long as nothing came.
func TestTheScreenClockRunsOnWhileTheInputsAreQuiet(t *testing.T) {
	proxy := input(0, sources.RoleProxy)
	wall := time.Date(2026, 11, 22, 7, 18, 28, 300e6, time.UTC) // the machine's clock: the log's is t0 (a day behind)
	eng := liveEngine(proxy, &wall, time.Minute)
	for i := range 50 {
		eng.Add(proxy, upstreamEntry(5+float64(i)/100, 503, "10.0.0.1:8080", "503", "0.001", ""))
	}
	eng.Advance()
	burst := t0.Add(5490 * time.Millisecond) // the last line of the burst
	for _, tc := range []struct {
		after   time.Duration // wall time since the burst
		rate    float64       // rates pane and upstream row
		fivexx  int64         // 5xx in the 1-minute window, causes and upstream row alike
		alerts  int
		onClock time.Duration // the screen's clock, after the burst's second
	}{
		{0, 5, 50, 0, 0},
		{3 * time.Second, 5, 50, 1, 3 * time.Second},
		{9 * time.Second, 5, 50, 1, 9 * time.Second},
		{10 * time.Second, 0, 50, 1, 10 * time.Second},
		{43 * time.Second, 0, 50, 0, 43 * time.Second},
		{64 * time.Second, 0, 0, 0, 64 * time.Second},
		{3 * time.Hour, 0, 0, 0, 3 * time.Hour},
	} {
		t.Run(tc.after.String(), func(t *testing.T) {
			wall = time.Date(2026, 11, 22, 7, 18, 28, 300e6, time.UTC).Add(tc.after)
			eng.Advance()
			s := eng.Publish(false)
			up := upstreamRow(s, "10.0.0.1:8080")
			var causes int64
			for _, n := range s.Windowed.Causes {
				causes += n
			}
			if got, want := s.LogNow, burst.Add(tc.onClock); !got.Equal(want) {
				t.Errorf("screen clock %v, want %v", got.Format(time.TimeOnly), want.Format(time.TimeOnly))
			}
			if !eng.LogNow().Equal(t0.Add(5*time.Second + 490*time.Millisecond)) {
				t.Errorf("log clock %v moved without a line", eng.LogNow())
			}
			if r := paneRate(s); r != tc.rate || up.ReqPerSec != tc.rate {
				t.Errorf("rate %.1f/s on the rates pane, %.1f/s on the upstream row, want %.1f/s", r, up.ReqPerSec, tc.rate)
			}
			if s.Windowed.Status[503] != tc.fivexx || up.Windowed.Status[503] != tc.fivexx || (tc.after >= 2*time.Second && causes != tc.fivexx) {
				t.Errorf("503s in the window %d, upstream row %d, causes %d; want %d", s.Windowed.Status[503], up.Windowed.Status[503], causes, tc.fivexx)
			}
			if len(s.Alerts) != tc.alerts {
				t.Errorf("%d alerts, want %d", len(s.Alerts), tc.alerts)
			}
		})
	}
}

// A line that comes after the screen's clock ran on, stamped before it,
// is counted like any line. One that moves the log clock takes the
// screen's back to it (it is at the "now" end: in the rate); one behind
// the log clock too counts in its second and leaves the screen's clock.
func TestALateLineAfterTheClockRanOn(t *testing.T) {
	for _, tc := range []struct {
		name      string
		sec       float64 // the late line's time after t0 (the burst was at 5 s; the screen's clock ran on to 48 s)
		screen    time.Duration
		requests  int64 // in the 1-minute window
		rate      float64
		upRequest int64
	}{
		{"after the log clock", 20, 20 * time.Second, 51, 0.1, 51},
		{"behind the log clock", 4, 48 * time.Second, 51, 0, 51},
		{"at the log clock", 5, 48 * time.Second, 51, 0, 51},
	} {
		t.Run(tc.name, func(t *testing.T) {
			proxy := input(0, sources.RoleProxy)
			wall := time.Date(2026, 11, 22, 7, 18, 28, 0, time.UTC)
			eng := liveEngine(proxy, &wall, time.Minute)
			for range 50 {
				eng.Add(proxy, upstreamEntry(5, 503, "10.0.0.1:8080", "503", "0.001", ""))
			}
			eng.Advance()
			wall = wall.Add(43 * time.Second)
			eng.Advance()
			if s := eng.Publish(false); !s.LogNow.Equal(t0.Add(48 * time.Second)) {
				t.Fatalf("screen clock %v before the late line, want 07:10:48", s.LogNow.Format(time.TimeOnly))
			}
			eng.Add(proxy, upstreamEntry(tc.sec, 200, "10.0.0.1:8080", "200", "0.001", ""))
			eng.Advance()
			s := eng.Publish(false)
			if want := t0.Add(tc.screen); !s.LogNow.Equal(want) {
				t.Errorf("screen clock %v, want %v", s.LogNow.Format(time.TimeOnly), want.Format(time.TimeOnly))
			}
			up := upstreamRow(s, "10.0.0.1:8080")
			if s.Windowed.Requests != tc.requests || up.Windowed.Requests != tc.upRequest || s.Total.Requests != 51 {
				t.Errorf("%d requests in the window (upstream row %d, total %d), want %d (%d, 51)",
					s.Windowed.Requests, up.Windowed.Requests, s.Total.Requests, tc.requests, tc.upRequest)
			}
			if r := paneRate(s); r != tc.rate || up.ReqPerSec != tc.rate {
				t.Errorf("rate %.1f/s, upstream %.1f/s, want %.1f/s", r, up.ReqPerSec, tc.rate)
			}
		})
	}
}

// Reports and replays keep the log clock, whatever the wall clock does:
// a replay's clock is its player's.
func TestOnlyLiveRunsTheClockOn(t *testing.T) {
	proxy := input(0, sources.RoleProxy)
	wall := t0
	eng := NewEngine(Config{Inputs: []*sources.Input{proxy}, Now: func() time.Time { return wall }})
	eng.Add(proxy, upstreamEntry(5, 503, "10.0.0.1:8080", "503", "0.001", ""))
	eng.Advance()
	wall = wall.Add(time.Hour)
	eng.Advance()
	if s := eng.Publish(false); !s.LogNow.Equal(t0.Add(5 * time.Second)) {
		t.Errorf("log clock %v an hour of wall time later, want 07:10:05", s.LogNow.Format(time.TimeOnly))
	}
}
