package sources

import (
	"testing"
	"time"
)

func TestPrecisionUnit(t *testing.T) {
	tests := []struct {
		p    Precision
		want time.Duration
	}{
		{PrecisionUnknown, 0},
		{FractionDigits(0), time.Second},
		{FractionDigits(3), time.Millisecond},
		{FractionDigits(6), time.Microsecond},
		{FractionDigits(9), time.Nanosecond},
		{FractionDigits(12), time.Nanosecond},
	}
	for _, tt := range tests {
		if got := tt.p.Unit(); got != tt.want {
			t.Errorf("Precision(%d).Unit() = %v, want %v", tt.p, got, tt.want)
		}
	}
}

func TestFractionIn(t *testing.T) {
	tests := []struct {
		stamp string
		want  time.Duration
	}{
		{"1767322800.000", time.Millisecond},          // nginx $msec on the second
		{"1767322800.123", time.Millisecond},          // nginx $msec
		{"2026/11/21 07:14:53.000", time.Millisecond}, // Caddy's console wall_milli
		{"2026-11-21T07:14:53.000123Z", time.Microsecond},
		{"21/Nov/2026:07:14:53 +0000", time.Second}, // $time_local
		{"1767322800", time.Second},
	}
	for _, tt := range tests {
		if got := FractionIn(tt.stamp).Unit(); got != tt.want {
			t.Errorf("FractionIn(%q).Unit() = %v, want %v", tt.stamp, got, tt.want)
		}
	}
}
