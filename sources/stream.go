package sources

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"runtime/debug"
	"time"
)

// flushEvery is how often a live input's decoder is flushed while no line
// comes: a format still undecided is decided on what has trickled in, and a
// held-back app record goes out once its stack trace (if any) has had time
// to follow.
const flushEvery = 100 * time.Millisecond

// streamLine is one line read off a stream, handed from the reading
// goroutine to the parsing one.
type streamLine struct {
	text string
	cut  bool
}

// pumpStream reads r to its end and parses its lines as they arrive. Live
// streams (standard input, --cmd) can go quiet for a long time; a blocking
// read loop would then hold back their first lines (format undecided) and
// their last app record. So the reads happen on their own goroutine and this
// one flushes the decoder every flush (0: never, for reports). It returns nil
// at the end of r, ctx.Err() when ctx ends, or the read error. A read
// interrupted because r was closed under it (os.ErrClosed) counts as its end.
// When ctx ends first, the reading goroutine stays blocked in r.Read until r
// ends or is closed (a command's pipe is; standard input ends at exit).
func pumpStream(ctx context.Context, in *Input, d *decoder, r io.Reader, flush time.Duration) error {
	batches := make(chan []streamLine, 16)
	quit := make(chan struct{})
	defer close(quit)
	var readErr error
	var panicked string // a panic of the reading goroutine, raised again below
	go func() {
		// A panic here would kill the program with the terminal still in
		// raw mode: carry it to the caller, whose goroutine is guarded.
		defer close(batches)
		defer func() {
			if p := recover(); p != nil {
				panicked = fmt.Sprintf("%v\n%s", p, debug.Stack())
			}
		}()
		var split lineSplitter
		var batch []streamLine
		collect := func(line []byte, cut bool) error {
			batch = append(batch, streamLine{string(line), cut})
			return nil
		}
		send := func() bool {
			if len(batch) == 0 {
				return true
			}
			select {
			case batches <- batch:
				batch = nil
				return true
			case <-quit:
				return false
			}
		}
		buf := make([]byte, readChunk)
		for {
			n, err := r.Read(buf)
			if n > 0 {
				_ = split.feed(buf[:n], collect)
				if !send() {
					return
				}
			}
			if err != nil {
				if !errors.Is(err, io.EOF) && !errors.Is(err, os.ErrClosed) {
					readErr = err
				}
				_ = split.flush(collect)
				send()
				return
			}
		}
	}()
	var tick <-chan time.Time
	if flush > 0 {
		t := time.NewTicker(flush)
		defer t.Stop()
		tick = t.C
	}
	for {
		select {
		case batch, ok := <-batches:
			if !ok {
				// readErr and panicked were written before batches closed.
				if panicked != "" {
					panic("reading " + in.Spec.Label() + ": " + panicked)
				}
				if readErr != nil {
					return readErr
				}
				return d.finish(ctx)
			}
			for _, l := range batch {
				if l.cut {
					in.tooLong.Add(1)
				}
				if err := d.line(ctx, l.text); err != nil {
					return err
				}
			}
		case <-tick:
			if err := d.flush(ctx); err != nil {
				return err
			}
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}
