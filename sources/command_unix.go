//go:build unix

package sources

import (
	"os/exec"
	"syscall"
	"time"
)

// stopWithGroup makes cmd the leader of a process group of its own and
// stops the whole group when fivexx stops: SIGTERM first (ssh and kubectl
// clean up), SIGKILL pipeGrace later. `sh -c` does not exec the last
// command of a pipeline, so signalling the shell alone left `kubectl logs
// -f … | grep …` (every stage) and even `sleep` running after quit.
func stopWithGroup(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error {
		pgid := cmd.Process.Pid
		err := syscall.Kill(-pgid, syscall.SIGTERM)
		time.AfterFunc(pipeGrace, func() { _ = syscall.Kill(-pgid, syscall.SIGKILL) })
		return err
	}
}
