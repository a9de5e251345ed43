package sources_test

import (
	"errors"
	"fmt"
	"testing"

	"fivexx/sources"
)

// TestNoMatchSaysWhatErrorfSaid checks NoMatch's error against the
// fmt.Errorf it stands for: the same text, and ErrNoMatch.
func TestNoMatchSaysWhatErrorfSaid(t *testing.T) {
	err := sources.NoMatch("alb", "too few fields")
	if want := fmt.Errorf("%s: %s: %w", "alb", "too few fields", sources.ErrNoMatch).Error(); err.Error() != want {
		t.Errorf("%q, want %q", err, want)
	}
	if !errors.Is(err, sources.ErrNoMatch) {
		t.Error("not ErrNoMatch")
	}
}

// TestNoMatchFormatsNothingUntilAsked checks that NoMatch makes no text:
// one allocation, the error (fmt.Errorf's were four).
func TestNoMatchFormatsNothingUntilAsked(t *testing.T) {
	what := "unknown type"
	if allocs := testing.AllocsPerRun(100, func() { _ = sources.NoMatch("alb", what) }); allocs > 1 {
		t.Errorf("%v allocations", allocs)
	}
}
