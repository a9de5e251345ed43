package haproxy

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"fivexx/sources"
)

// TestFieldErrorsSayWhatErrorfSaid checks errShort's and errBad's errors
// against the fmt.Errorf they stand for: the same text, and ErrNoMatch.
func TestFieldErrorsSayWhatErrorfSaid(t *testing.T) {
	long := strings.Repeat("x", 50)
	for _, tt := range []struct {
		err  error
		want string
	}{
		{errShort("client"), fmt.Errorf("haproxy httplog: no %s field: %w", "client", sources.ErrNoMatch).Error()},
		{errBad("date", `[02/Jan"`), fmt.Errorf("haproxy httplog: bad %s %q: %w", "date", `[02/Jan"`, sources.ErrNoMatch).Error()},
		{errBad("date", long), fmt.Errorf("haproxy httplog: bad %s %q: %w", "date", long[:40]+"...", sources.ErrNoMatch).Error()},
	} {
		if tt.err.Error() != tt.want {
			t.Errorf("%q, want %q", tt.err, tt.want)
		}
		if !errors.Is(tt.err, sources.ErrNoMatch) {
			t.Errorf("%q: not ErrNoMatch", tt.err)
		}
	}
}

// TestFieldErrorsFormatNothingUntilAsked checks that errBad makes no
// text: detection parses every line of an app log as HAProxy's. Two
// allocations: the error and its copy of the value (fmt.Errorf's were
// five).
func TestFieldErrorsFormatNothingUntilAsked(t *testing.T) {
	value := `{"time":"2026-01-02T03:00:00Z"`
	if allocs := testing.AllocsPerRun(100, func() { _ = errBad("client", value) }); allocs > 2 {
		t.Errorf("%v allocations", allocs)
	}
}
