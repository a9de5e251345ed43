package classify

import (
	"testing"
	"time"

	"fivexx/sources"
)

// TestAppWitnessCountsBySecond: lines of requests that went well are
// counted by second; an app's failures, and a late line of a second the
// ring has passed, are not (appwitness.go).
func TestAppWitnessCountsBySecond(t *testing.T) {
	t0 := time.Date(2026, 11, 22, 8, 48, 10, 0, time.UTC)
	var w appWitness
	w.note(&sources.AppEntry{Status: 200}, instantOf(t0))
	w.note(&sources.AppEntry{Status: 404}, instantOf(t0.Add(300*time.Millisecond)))
	w.note(&sources.AppEntry{Status: 503}, instantOf(t0.Add(time.Second)))               // a failure: no witness
	w.note(&sources.AppEntry{Phase: sources.PhaseStart}, instantOf(t0.Add(time.Second))) // no status: no witness
	w.note(&sources.AppEntry{Status: 200}, instantOf(t0.Add(witnessSlots*time.Second)))  // the same slot, later
	w.note(&sources.AppEntry{Status: 200}, instantOf(t0))                                // late: its slot holds a newer second
	tests := []struct {
		name     string
		from, to time.Time
		want     int
	}{
		{"its second", t0, t0, 0}, // overwritten by the later second of its slot
		{"the later second", t0.Add(witnessSlots * time.Second), t0.Add(witnessSlots * time.Second), 1},
		{"a failure's second", t0.Add(time.Second), t0.Add(time.Second), 0},
		{"both seconds", t0, t0.Add(witnessSlots * time.Second), 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := w.in(tt.from, tt.to); got != tt.want {
				t.Errorf("in = %d, want %d", got, tt.want)
			}
		})
	}
}
