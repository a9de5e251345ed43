package sources

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"
	"sync"
	"time"
)

// How a command (--cmd) is stopped and restarted.
const (
	// restartMin is the first wait before a command that exited is started
	// again (--cmd-restart); it doubles after each exit up to restartMax, so
	// a command that cannot start (ssh to a host that is down) is retried
	// soon at first, then no more than twice a minute.
	restartMin = 200 * time.Millisecond
	restartMax = 30 * time.Second
	// restartHealthy is how long a run must last for the wait to start over
	// from restartMin: a command that ran well and then died is not punished
	// for the crashes of an hour ago.
	restartHealthy = 30 * time.Second
	// pipeGrace is how long the output of a command that has exited may stay
	// open: `a & b` leaves a running with our pipe when b ends, and the
	// input would otherwise never see its command's exit. It also bounds the
	// wait between SIGTERM and SIGKILL when fivexx stops the command.
	pipeGrace = time.Second
)

// nextBackoff is the wait after the one just used.
func nextBackoff(d time.Duration) time.Duration {
	d *= 2
	if d > restartMax {
		d = restartMax
	}
	return d
}

// stderrTail keeps the last bytes a command wrote to stderr, to show why it died.
type stderrTail struct {
	mu  sync.Mutex
	buf []byte
}

func (s *stderrTail) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.buf = append(s.buf, p...)
	if len(s.buf) > 2048 {
		s.buf = append(s.buf[:0], s.buf[len(s.buf)-1024:]...)
	}
	return len(p), nil
}

func (s *stderrTail) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	lines := strings.Split(strings.TrimSpace(string(s.buf)), "\n")
	if len(lines) > 3 {
		lines = lines[len(lines)-3:]
	}
	return strings.Join(lines, " | ")
}

// runCommand runs the user's command (--cmd) with sh -c and reads its
// standard output as log lines. Only a command the user typed is ever run.
// With restart it is started again after it exits, after a wait that starts
// at restartMin and doubles up to restartMax; the state says how long. The
// history a restarted command prints again is skipped (repeatFilter); a
// command whose output is not read (NotRead) is not restarted. flush is
// how often held lines are flushed while the command is quiet (0: never).
func runCommand(ctx context.Context, in *Input, d *decoder, restart bool, flush time.Duration) error {
	backoff := restartMin
	if restart {
		d.repeats = &repeatFilter{}
	}
	for runs := 0; ; runs++ {
		if runs > 0 {
			d.repeats.restarted()
		}
		started := time.Now()
		exited, err := runCommandOnce(ctx, in, d, flush)
		if ctx.Err() != nil {
			return nil
		}
		if !restart || in.NotRead() != "" {
			// A command whose output is not read (fivexx's own output:
			// NotRead) is not run again: each run would print the same,
			// dropped unread, 5 runs in 4 s and then one every 30 s for
			// as long as live ran (s34).
			return err
		}
		if time.Since(started) >= restartHealthy {
			backoff = restartMin
		}
		exited += d.repeats.skippedNote()
		in.SetState(exited + "; restarting in " + backoff.String())
		wait := time.NewTimer(backoff)
		select {
		case <-ctx.Done():
			wait.Stop()
			return nil
		case <-wait.C:
		}
		backoff = nextBackoff(backoff)
	}
}

// endRun sets the state a command's run ended in, exited, unless it ended
// well (status 0) and the state says something worth keeping: the
// decoder's "format not recognised", which "exited: status 0" overwrote,
// so a command's junk lines had no problem where the same lines from a
// file or standard input had (doneReading keeps it so). A command whose
// output is not read (NotRead) keeps that state, and exited is kept
// apart (Ended).
func (in *Input) endRun(exited string, ok bool) {
	in.mu.Lock()
	switch {
	case in.notRead.Load() != nil:
		in.endedAs = exited
	case !ok || in.state == "running":
		in.state = exited
	}
	in.mu.Unlock()
}

// exitText says how a command that failed ended: "status 3", as a clean
// exit is "status 0" (it said "exit status 3", Go's wording, beside our
// "status 0"), or "signal: killed".
func exitText(werr error) string {
	var ee *exec.ExitError
	if errors.As(werr, &ee) && ee.ExitCode() >= 0 {
		return fmt.Sprintf("status %d", ee.ExitCode())
	}
	return werr.Error()
}

// runCommandOnce runs the command to its end. It returns how it ended
// ("exited: status 3: <stderr tail>"), also set as the input's state.
func runCommandOnce(ctx context.Context, in *Input, d *decoder, flush time.Duration) (string, error) {
	// Our own pipes rather than StdoutPipe: Wait closes StdoutPipe's read
	// end as soon as the command exits, losing what is still in the pipe,
	// and waits for ever on a leftover child holding a pipe it copies. These
	// are read to their end, or closed by us pipeGrace after the exit.
	pr, pw, err := os.Pipe()
	if err != nil {
		in.SetState("cannot start: " + err.Error())
		return in.State(), fmt.Errorf("start %q: %w", in.Spec.Path, err)
	}
	er, ew, err := os.Pipe()
	if err != nil {
		pr.Close()
		pw.Close()
		in.SetState("cannot start: " + err.Error())
		return in.State(), fmt.Errorf("start %q: %w", in.Spec.Path, err)
	}
	var stdoutOnce, stderrOnce sync.Once
	closeStdout := func() { stdoutOnce.Do(func() { pr.Close() }) }
	closeStderr := func() { stderrOnce.Do(func() { er.Close() }) }
	defer closeStdout()
	defer closeStderr()

	cmd := exec.CommandContext(ctx, "sh", "-c", in.Spec.Path)
	cmd.Stdout, cmd.Stderr = pw, ew
	stopWithGroup(cmd)
	cmd.WaitDelay = pipeGrace
	err = cmd.Start()
	// The child has its copies; a read end sees EOF once every holder has
	// closed its write end.
	pw.Close()
	ew.Close()
	if err != nil {
		in.SetState("cannot start: " + err.Error())
		return in.State(), fmt.Errorf("start %q: %w", in.Spec.Path, err)
	}
	in.SetState("running")

	var errTail stderrTail
	stderrDone := make(chan struct{})
	go func() { _, _ = io.Copy(&errTail, er); close(stderrDone) }()
	waited := make(chan struct{})
	var werr error
	go func() { werr = cmd.Wait(); close(waited) }()
	readDone := make(chan struct{})
	go func() {
		// Once the command has exited, its output gets pipeGrace to end.
		// Past that, something it started still holds it open (`a & b`):
		// stop reading, so the exit shows and a restart can happen.
		<-waited
		grace := time.NewTimer(pipeGrace)
		defer grace.Stop()
		select {
		case <-readDone:
		case <-grace.C:
			closeStdout()
			closeStderr()
			return
		}
		select {
		case <-stderrDone:
		case <-grace.C:
			closeStderr()
		}
	}()
	rerr := pumpStream(ctx, in, d, countingReader{r: pr, n: &in.bytes}, flush)
	close(readDone)
	<-waited
	<-stderrDone // at its end, or closed pipeGrace after the exit

	exited := "exited: status 0"
	switch {
	case ctx.Err() != nil:
		// fivexx stopped it (quit): "exited: signal: terminated" read as
		// a failure in the warnings printed after the UI closed.
		exited = "stopped"
	case werr != nil:
		exited = "exited: " + exitText(werr)
	}
	if t := errTail.String(); t != "" {
		exited += ": " + t
	}
	in.endRun(exited, werr == nil && ctx.Err() == nil)
	if werr != nil && ctx.Err() == nil {
		return exited, fmt.Errorf("command %q: %w", in.Spec.Path, werr)
	}
	if rerr != nil && ctx.Err() == nil {
		return exited, fmt.Errorf("command %q: read output: %w", in.Spec.Path, rerr)
	}
	return exited, nil
}
