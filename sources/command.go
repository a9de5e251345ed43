package sources

import (
	"context"
	"fmt"
	"os/exec"
	"strings"
	"sync"
	"time"
)

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
// With restart it is started again after it exits, with a growing backoff.
func runCommand(ctx context.Context, in *Input, d *decoder, restart bool) error {
	backoff := 500 * time.Millisecond
	for {
		started := time.Now()
		err := runCommandOnce(ctx, in, d)
		if ctx.Err() != nil {
			return nil
		}
		if !restart {
			return err
		}
		if time.Since(started) > 30*time.Second {
			backoff = 500 * time.Millisecond
		}
		select {
		case <-ctx.Done():
			return nil
		case <-time.After(backoff):
		}
		if backoff < 30*time.Second {
			backoff *= 2
		}
	}
}

func runCommandOnce(ctx context.Context, in *Input, d *decoder) error {
	cmd := exec.CommandContext(ctx, "sh", "-c", in.Spec.Path)
	var tail stderrTail
	cmd.Stderr = &tail
	out, err := cmd.StdoutPipe()
	if err != nil {
		in.SetState("cannot start: " + err.Error())
		return err
	}
	if err := cmd.Start(); err != nil {
		in.SetState("cannot start: " + err.Error())
		return fmt.Errorf("start %q: %w", in.Spec.Path, err)
	}
	in.SetState("running")
	rerr := readLines(ctx, in, countingReader{r: out, n: &in.bytes}, func(l string) error { return d.line(ctx, l) })
	if rerr == nil {
		rerr = d.flush(ctx)
	}
	werr := cmd.Wait()
	state := "exited: status 0"
	if werr != nil {
		state = "exited: " + werr.Error()
	}
	if t := tail.String(); t != "" {
		state += ": " + t
	}
	in.SetState(state)
	if werr != nil && ctx.Err() == nil {
		return fmt.Errorf("command %q: %w", in.Spec.Path, werr)
	}
	return rerr
}
