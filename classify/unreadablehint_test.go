package classify

import (
	"testing"
	"time"

	"fivexx/sources"
)

// TestUnreadableInputsHintIsItsFix: live, an input fivexx may not open
// has the permission hint in its state; the advice gave the whole state
// in brackets ("cannot be read (read error: open: permission denied
// (its group adm may read it: …); retrying in 1.6s)", 248 columns, cut at
// 120 in the pane, and a countdown that changed every tick). The hint is
// now the fix and the countdown left out (review s33, R5).
func TestUnreadableInputsHintIsItsFix(t *testing.T) {
	const hint = "group adm may read it: sudo usermod -aG adm $USER and log in again, or run fivexx with sudo"
	for _, tc := range []struct {
		state, problem, fix string
	}{
		{"read error: open: permission denied; " + hint + "; retrying in 1.6s",
			"app.log: cannot be read (read error: open: permission denied)", hint + "; fivexx tries again"},
		{"read error: open: permission denied; " + hint + "; retrying in 200ms",
			"app.log: cannot be read (read error: open: permission denied)", hint + "; fivexx tries again"},
		{"read error: read: input/output error; retrying in 3.2s",
			"app.log: cannot be read (read error: read: input/output error)", "fix its path or permissions: fivexx tries again"},
	} {
		in := sources.NewInput(0, sources.Spec{Path: "app.log"})
		in.SetState(tc.state)
		now := func() time.Time { return time.Date(2026, 11, 23, 7, 0, 0, 0, time.UTC) }
		eng := NewEngine(Config{Inputs: []*sources.Input{in}, Live: true, Now: now, Grace: time.Second})
		var found bool
		for _, a := range eng.Publish(false).Advice {
			if a.Problem == tc.problem {
				found = true
				if a.Fix != tc.fix {
					t.Errorf("%q: fix %q, want %q", tc.state, a.Fix, tc.fix)
				}
			}
		}
		if !found {
			t.Errorf("%q: no advice %q in %+v", tc.state, tc.problem, eng.Publish(false).Advice)
		}
	}
}
