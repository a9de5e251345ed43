package tui

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestSparkline(t *testing.T) {
	tests := []struct {
		name   string
		values []int64
		width  int
		want   string
	}{
		{"empty pads", nil, 4, "    "},
		{"zeros are the floor", []int64{0, 0, 0}, 3, "▁▁▁"},
		{"ramp", []int64{0, 1, 2, 3, 4, 5, 6, 7}, 8, "▁▂▃▄▅▆▇█"},
		{"one error beside thousands stays visible", []int64{0, 1, 7000}, 3, "▁▂█"},
		{"short series is right-aligned", []int64{5, 10}, 4, "  ▅█"},
		{"long series is summed, newest on the right", []int64{1, 1, 0, 0, 0, 4}, 3, "▅▁█"},
		{"uneven groups keep the newest group full", []int64{9, 0, 0, 0, 0}, 2, "█▁"},
		{"zero width", []int64{1}, 0, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, sparkline(tt.values, tt.width)); diff != "" {
				t.Errorf("sparkline(%v, %d) mismatch (-want +got):\n%s", tt.values, tt.width, diff)
			}
		})
	}
}
