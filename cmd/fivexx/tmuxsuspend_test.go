package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// testTmuxSuspend: ctrl+z in the live UI gives the terminal back to the
// shell (job stopped, main screen, cursor shown) and fg brings the UI back
// on the alternate screen, still answering keys; q then exits 0. In raw
// mode the terminal sends ctrl+z as a key, which did nothing: an SRE on a
// box over SSH could not step out to run a command.
func testTmuxSuspend(t *testing.T, bin string) {
	access := filepath.Join(t.TempDir(), "access.log")
	if err := os.WriteFile(access, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	// An interactive shell, for job control (ctrl+z, fg).
	tm := startTmux(t, "env PS1='READY> ' bash --norc --noprofile -i")
	tm.waitScreen(10*time.Second, "the shell's prompt", func(s string) bool { return strings.Contains(s, "READY>") })
	tm.keys(shQuote(bin)+" "+shQuote(access), "Enter")
	onUI := func(s string) bool { return strings.Contains(s, "access.log") && strings.Contains(s, "q quit") }
	tm.waitScreen(10*time.Second, "the live UI", onUI)
	tm.keys("C-z")
	tm.waitScreen(5*time.Second, "the shell after ctrl+z", func(s string) bool {
		return strings.Contains(s, "Stopped") && strings.Contains(s[strings.LastIndex(s, "Stopped"):], "READY>")
	})
	if alt := tm.display("#{alternate_on}"); alt != "0" {
		t.Error("suspended: the terminal is left on the alternate screen")
	}
	if cur := tm.display("#{cursor_flag}"); cur != "1" {
		t.Error("suspended: the cursor is left hidden")
	}
	tm.keys("fg", "Enter")
	tm.waitScreen(5*time.Second, "the UI after fg", onUI)
	if alt := tm.display("#{alternate_on}"); alt != "1" {
		t.Error("resumed: the UI is not on the alternate screen")
	}
	tm.keys("?")
	tm.waitScreen(5*time.Second, "help after fg", func(s string) bool { return strings.Contains(s, "suspend to the shell") })
	tm.keys("q")
	tm.waitScreen(5*time.Second, "the shell after q", func(s string) bool { return strings.Count(s, "READY>") >= 3 })
	tm.keys("echo EXIT=$?", "Enter")
	tm.waitScreen(5*time.Second, "the exit status", func(s string) bool { return strings.Contains(s, "EXIT=0") })
}
