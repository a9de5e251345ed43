package sources

import (
	"fmt"
	"testing"
)

// TestRepeatFilterKeepsNewLinesWithoutATime: after a restart the filter
// skipped every record without a time, so an app whose lines carry none
// lost its new lines until one with a time came (none ever did for most
// plain-text apps). A line without a time is history only while it may be
// one of the untimed lines the filter forgot: there were none, or they
// come before the remembered ones and no more of them than were forgotten.
func TestRepeatFilterKeepsNewLinesWithoutATime(t *testing.T) {
	line := func(s string) Record { return &AppEntry{Message: s, Raw: s} }
	lines := func(prefix string, n int) []Record {
		out := make([]Record, n)
		for i := range out {
			out[i] = line(fmt.Sprintf("%s %d", prefix, i))
		}
		return out
	}
	tests := []struct {
		name  string
		sent  []Record // before the restart
		after []Record // printed after it
		new   int      // how many of after are new: the last ones
	}{
		{"history printed again, then new lines", lines("old", 3), append(lines("old", 3), lines("new", 2)...), 2},
		{"new lines only (tail -F)", lines("old", 3), lines("new", 2), 2},
		{"the end of the history printed again (tail -n 2 -F)", lines("old", 3), append(lines("old", 3)[1:], lines("new", 1)...), 1},
		{
			// More lines than the filter remembers: the 10 forgotten ones
			// come first, then the remembered ones, then new ones.
			"history longer than the memory",
			lines("old", rememberLines+10),
			append(lines("old", rememberLines+10), lines("new", 3)...),
			3,
		},
		// Then the first lines may be the 10 forgotten ones: as many are
		// skipped, no more.
		{"new lines only, after more than the memory", lines("old", rememberLines+10), lines("new", 20), 10},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var f repeatFilter
			for _, r := range tt.sent {
				if f.repeat(r) {
					t.Fatalf("before the restart, %q taken for a repeat", r.RawLine())
				}
			}
			f.restarted()
			for i, r := range tt.after {
				want := i < len(tt.after)-tt.new
				if got := f.repeat(r); got != want {
					t.Fatalf("after the restart, line %d %q: repeat %v, want %v", i, r.RawLine(), got, want)
				}
			}
		})
	}
}

// Live QA s28 #4: a restarted command that printed one line of its
// history again said "(1 lines printed again skipped)".
func TestRepeatFilterCountsOneLineSingular(t *testing.T) {
	for _, tt := range []struct {
		skipped int64
		state   string
	}{
		{0, "running"},
		{1, "running (1 line printed again skipped)"},
		{2, "running (2 lines printed again skipped)"},
	} {
		f := &repeatFilter{skipped: tt.skipped}
		if got := f.state(); got != tt.state {
			t.Errorf("%d skipped: state %q, want %q", tt.skipped, got, tt.state)
		}
	}
}
