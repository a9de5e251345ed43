package classify

import (
	"testing"
	"time"

	"fivexx/sources"
)

// liveEngine is a live engine over proxy whose wall clock is *wall.
func liveEngine(proxy *sources.Input, wall *time.Time, window time.Duration) *Engine {
	eng := NewEngine(Config{Inputs: []*sources.Input{proxy}, Live: true, Now: func() time.Time { return *wall }})
	eng.SetWindow(window)
	return eng
}

// Requests stamped far from the log clock, which no window can hold, are
// counted in Snapshot.FarOff for the screen to say so; one far ahead that
// the clock then reaches is taken back.
func TestFarOffRequestsAreCounted(t *testing.T) {
	y2099 := time.Date(2099, 1, 1, 0, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		name      string
		late      []time.Time // stamped after 1000 s of a request a second
		requests  int64
		fivexx    int64
		last      time.Time
		inWindow  int64 // in the 15-minute window: from 07:11:50 (the first slot after 07:11:40) to 07:26:40, unless the clock moved
		summaryOK bool
	}{
		{"73 years ahead", []time.Time{y2099}, 1, 1, y2099, 891, true},
		{"a day behind", []time.Time{t0.Add(-24 * time.Hour)}, 1, 1, t0.Add(-24 * time.Hour), 891, true},
		{"16 minutes behind", []time.Time{t0.Add(1000*time.Second - 16*time.Minute)}, 1, 1, t0.Add(1000*time.Second - 16*time.Minute), 891, true},
		{"14 minutes behind: in the window", []time.Time{t0.Add(1000*time.Second - 14*time.Minute)}, 0, 0, time.Time{}, 892, false},
		{"ahead, then reached", []time.Time{t0.Add(1000*time.Second + 5*time.Minute), t0.Add(1000*time.Second + 5*time.Minute + time.Second)}, 0, 0, t0.Add(1000*time.Second + 5*time.Minute), 593, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			proxy := input(0, sources.RoleProxy)
			wall := t0
			eng := liveEngine(proxy, &wall, 15*time.Minute)
			for sec := 0; sec <= 1000; sec++ {
				eng.Add(proxy, upstreamEntry(float64(sec), 200, "a:1", "200", "0.001", ""))
				wall = wall.Add(time.Second)
				eng.Advance()
			}
			for _, at := range tc.late {
				e := upstreamEntry(0, 503, "a:1", "503", "0.001", "")
				e.Time = at
				eng.Add(proxy, e)
			}
			eng.Advance()
			s := eng.Publish(false)
			if f := s.FarOff; f.Requests != tc.requests || f.Fivexx != tc.fivexx || (tc.requests > 0 && !f.Last.Equal(tc.last)) {
				t.Errorf("far off %+v, want %d requests, %d 5xx, the last at %v", f, tc.requests, tc.fivexx, tc.last)
			}
			if s.Windowed.Requests != tc.inWindow {
				t.Errorf("%d requests in the window, want %d", s.Windowed.Requests, tc.inWindow)
			}
			if got := s.FarOff.Summary() != ""; got != tc.summaryOK {
				t.Errorf("summary %q", s.FarOff.Summary())
			}
		})
	}
	f := FarOff{Requests: 2, Fivexx: 1, Last: y2099}
	if got, want := f.Summary(), "2 requests stamped over 15m from the log clock (the last at 2099-01-01 00:00:00): in no window's counts or rates; 1 5xx of them judged and listed under their upstream"; got != want {
		t.Errorf("summary\n%q, want\n%q", got, want)
	}
}
