package main

import (
	"testing"

	"fivexx/sources"
)

// A followed file deleted after lines were read from it did its work: no
// warning after the UI closes, as for one renamed away ("following
// +rotated (new file not there yet)", its state before it said deleted).
// One that never gave a line is still named.
func TestInputFailedAfterADeletion(t *testing.T) {
	tests := []struct {
		state string
		lines int64
		want  bool
	}{
		{sources.StateDeleted, 50, false},
		{"following +rotated (new file not there yet)", 50, false},
		{"waiting for file", 50, false},
		{sources.StateDeleted, 0, true},
		{"waiting for file", 0, true},
	}
	for _, tt := range tests {
		if got := inputFailed(tt.state, tt.lines); got != tt.want {
			t.Errorf("inputFailed(%q, %d) = %v, want %v", tt.state, tt.lines, got, tt.want)
		}
	}
}
