package sources

import (
	"context"
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"syscall"
	"time"
)

// StateWaitingForWriter is the state of a live named pipe that no writer
// has open: its last writer closed it, or none has opened it yet.
const StateWaitingForWriter = "waiting for writer"

// isNamedFIFO reports whether path names a FIFO made with mkfifo, through
// any symbolic links. An anonymous pipe (<(cmd) as /dev/fd/63, a pipe as
// /dev/stdin) is not one: its /proc link names no file ("pipe:[1234]"),
// it cannot be opened again once its writer is gone, and its end is the
// end of its lines.
func isNamedFIFO(path string) bool {
	real, err := filepath.EvalSymlinks(path)
	if err != nil {
		return false
	}
	st, err := os.Lstat(real)
	return err == nil && st.Mode()&fs.ModeNamedPipe != 0
}

// followFIFO follows a named pipe in live mode. Writers open, write and
// close a FIFO log as they do a file: nginx's access_log on a FIFO is
// opened again at every USR1. Read as a stream it ended at its first
// writer's close, and the next writer blocked for ever in open(). So it
// is opened without waiting for a writer, and kept open until ctx ends:
// a writer can open it at any time, and no writer left is not its end,
// only a wait for the next one (polled every followPoll; the state says
// so). A writer's last line ends when it closes. Report and replay read a
// FIFO once, to its first end.
func followFIFO(ctx context.Context, in *Input, d *decoder) error {
	f, err := os.OpenFile(in.Spec.Path, os.O_RDONLY|syscall.O_NONBLOCK, 0)
	if err != nil {
		in.SetState("read error: " + err.Error())
		return err
	}
	// Closing it also ends a read waiting for data in pumpStream's
	// reading goroutine (the runtime poller watches a FIFO).
	defer f.Close()
	in.SetState(StateFollowing)
	r := &fifoReader{ctx: ctx, in: in, f: f, poll: followPoll}
	err = pumpStream(ctx, in, d, countingReader{r: r, n: &in.bytes}, flushEvery)
	if ctx.Err() != nil {
		return nil
	}
	if err != nil {
		in.SetState("read error: " + err.Error())
		return err
	}
	return nil
}

// fifoReader reads a named pipe across its writers: where a read says
// that none is left (io.EOF), it waits for the next one.
type fifoReader struct {
	ctx     context.Context
	in      *Input
	f       *os.File
	poll    time.Duration
	waiting bool // the state says StateWaitingForWriter
	open    bool // a line is unfinished: bytes read since the last newline
}

// Read returns the next bytes any writer writes, or io.EOF once ctx ends.
func (r *fifoReader) Read(p []byte) (int, error) {
	if len(p) == 0 {
		return 0, nil
	}
	var wait *time.Timer
	for {
		n, err := r.f.Read(p)
		if n > 0 {
			if r.waiting {
				r.waiting = false
				r.in.SetState(StateFollowing)
			}
			r.open = p[n-1] != '\n'
			return n, nil
		}
		if err != nil && !errors.Is(err, io.EOF) {
			return 0, err
		}
		// No writer has it open. The last one's last line is complete:
		// the next writer's first bytes do not go on with it.
		if r.open {
			r.open = false
			p[0] = '\n'
			return 1, nil
		}
		if !r.waiting {
			r.waiting = true
			r.in.SetState(StateWaitingForWriter)
		}
		if wait == nil {
			wait = time.NewTimer(r.poll)
			defer wait.Stop()
		} else {
			wait.Reset(r.poll)
		}
		select {
		case <-r.ctx.Done():
			return 0, io.EOF
		case <-wait.C:
		}
	}
}
