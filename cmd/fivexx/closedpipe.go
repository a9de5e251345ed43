package main

import (
	"errors"
	"os"
	"os/signal"
	"sync"
	"syscall"
)

// closedpipe.go ends fivexx quietly when its output's reader is gone
// (fivexx report ... | head): that is how a pipe is used, no failure to
// tell of. Go's runtime killed fivexx by SIGPIPE at the first write to
// standard output after the reader had closed it, so whether it did
// depended on the output's size: a text report of 1 KB was written
// whole before head -1 exited (exit 0), 60 KB of --events was not (exit
// 141, no message). The rules are:
//   - SIGPIPE is caught (not ignored: an ignored signal is inherited by
//     the --cmd commands fivexx starts), so a write to a closed pipe
//     fails with EPIPE rather than ending the process.
//   - A command whose output failed so exits 0 and says nothing, whatever
//     it had written; any other write error is "cannot write the output"
//     and exit 1, as before.
//   - report --events stops reading its inputs at the first event it
//     cannot write: the reader that wanted the rest is gone (the signal
//     ended it at once; read to the end, a 140 MB report went on for 8 s).

var catchPipeOnce sync.Once

// catchPipeSignal makes a write to a closed pipe return EPIPE, for good.
func catchPipeSignal() {
	catchPipeOnce.Do(func() {
		// Buffered and never read: the signal itself tells nothing the
		// write's error does not.
		signal.Notify(make(chan os.Signal, 1), syscall.SIGPIPE)
	})
}

// closedPipe says whether err is a write to a pipe whose reader is gone.
func closedPipe(err error) bool { return errors.Is(err, syscall.EPIPE) }
