//go:build !unix

package sources

import (
	"os"
	"os/exec"
)

// stopWithGroup stops the command itself when fivexx stops (no process
// groups here).
func stopWithGroup(cmd *exec.Cmd) {
	cmd.Cancel = func() error { return cmd.Process.Signal(os.Interrupt) }
}
