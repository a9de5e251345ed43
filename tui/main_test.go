package tui

import (
	"fmt"
	"os"
	"testing"
)

// TestMain checks, before any test draws a screen, that loading the
// package built no per-code-point table: every fivexx run loads tui,
// reports and replays too, and runeCells' table costs about 90 M
// instructions (a package-level value that clipped a cause with "…" made
// the 200 k three-file report's count 7 % higher).
func TestMain(m *testing.M) {
	if cellTable != nil {
		fmt.Fprintln(os.Stderr, "tui: loading the package built runeCells' table: work at init that every fivexx run pays")
		os.Exit(1)
	}
	os.Exit(m.Run())
}
