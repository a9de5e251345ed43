package classify

import (
	"testing"
	"time"
)

func TestStampUnit(t *testing.T) {
	base := time.Date(2026, 11, 21, 7, 14, 53, 0, time.UTC)
	tests := []struct {
		name string
		ns   int
		want time.Duration
	}{
		{"whole second (nginx $time_local)", 0, time.Second},
		{"milliseconds (Caddy console, nginx $msec)", 304_000_000, time.Millisecond},
		{"milliseconds ending in zeros are not tenths", 300_000_000, time.Millisecond},
		{"microseconds", 304_407_000, time.Microsecond},
		{"nanoseconds (Caddy JSON ts)", 304_407_400, time.Nanosecond},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := stampUnit(base.Add(time.Duration(tt.ns))); got != tt.want {
				t.Errorf("stampUnit(.%09d) = %v, want %v", tt.ns, got, tt.want)
			}
		})
	}
}
