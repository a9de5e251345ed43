package report

import (
	"testing"
	"time"

	"fivexx/classify"
	"fivexx/sources"
)

// TestEventTimeIsFixedWidth: an event's time always has its milliseconds,
// so that the strings of one log sort as the times do. RFC3339Nano wrote
// "07:09:42.1Z" beside "07:09:41.101Z" (Envoy's stamps, QA s31 F11), and
// a string sort put 42.1 before 41.101.
func TestEventTimeIsFixedWidth(t *testing.T) {
	plus1 := time.FixedZone("", 3600)
	tests := []struct {
		name string
		t    time.Time
		want string
	}{
		{"Envoy's 100 ms", time.Date(2024, 7, 20, 7, 9, 42, 100_000_000, time.UTC), "2024-07-20T07:09:42.100Z"},
		{"Envoy's 101 ms", time.Date(2024, 7, 20, 7, 9, 41, 101_000_000, time.UTC), "2024-07-20T07:09:41.101Z"},
		{"a whole second (nginx)", time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC), "2024-01-02T03:04:05.000Z"},
		{"microseconds (ALB) cut to the millisecond", time.Date(2020, 6, 5, 7, 27, 53, 50_517_000, time.UTC), "2020-06-05T07:27:53.050Z"},
		{"the log's own offset", time.Date(2024, 12, 29, 12, 42, 47, 503_803_974, plus1), "2024-12-29T12:42:47.503+01:00"},
		{"no time", time.Time{}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v := &classify.Verdict{Entry: &sources.ProxyEntry{Time: tt.t, Status: 503}}
			if got := EventOf(v).Time; got != tt.want {
				t.Errorf("time %v: got %q, want %q", tt.t, got, tt.want)
			}
		})
	}
	a := EventOf(&classify.Verdict{Entry: &sources.ProxyEntry{Time: time.Date(2024, 7, 20, 7, 9, 41, 101_000_000, time.UTC)}}).Time
	b := EventOf(&classify.Verdict{Entry: &sources.ProxyEntry{Time: time.Date(2024, 7, 20, 7, 9, 42, 100_000_000, time.UTC)}}).Time
	if !(a < b) {
		t.Errorf("%q sorts after %q: the later time must sort later", a, b)
	}
}
