package main

import (
	"context"
	"errors"
	"os"
	"os/signal"
	"runtime"
	"sync/atomic"
	"syscall"
	"time"

	"fivexx/tui"
)

// quitSignals stop the live, replay and demo views cleanly (the terminal
// restored, --cmd children stopped): Ctrl-C, kill, a dropped SSH session,
// and Ctrl-\ or kill -QUIT, whose goroutine dump Go's own handler wrote
// over the alternate screen before exiting 2 with the terminal raw, on the
// alternate screen, the cursor hidden (QA s24 TUI #4).
var quitSignals = []os.Signal{os.Interrupt, syscall.SIGTERM, syscall.SIGHUP, syscall.SIGQUIT}

// quitDumpGrace is how long after SIGQUIT the view may take to close
// before the dump is written anyway and fivexx exits 131: a SIGQUIT is
// most often sent to a program that hangs.
const quitDumpGrace = 5 * time.Second

// signalContext is signal.NotifyContext that also remembers which signal
// came: a view stopped by one exits 128+its number (130 for SIGINT, 143
// for SIGTERM, 129 for SIGHUP, 131 for SIGQUIT), as shells and `timeout`
// expect, not 0 as if the user had quit.
//
// SIGQUIT keeps what Go's handler gave: the stacks of every goroutine,
// taken when the signal comes and written to stderr by stop, once the view
// has closed and the terminal is restored (or after quitDumpGrace if it
// does not close). A second SIGQUIT gets Go's own handler.
func signalContext() (ctx context.Context, stop func(), status func(int) int) {
	ctx, cancel := context.WithCancel(context.Background())
	ch := make(chan os.Signal, 1)
	signal.Notify(ch, quitSignals...)
	var got atomic.Int32
	var dump atomic.Pointer[[]byte]
	var once atomic.Bool
	writeDump := func() {
		if d := dump.Load(); d != nil {
			os.Stderr.WriteString("fivexx: SIGQUIT: the goroutines when it came:\n\n")
			os.Stderr.Write(*d)
		}
	}
	done := make(chan struct{})
	go func() {
		select {
		case s := <-ch:
			if s == syscall.SIGQUIT {
				d := allStacks()
				dump.Store(&d)
				signal.Reset(syscall.SIGQUIT)
				time.AfterFunc(quitDumpGrace, func() {
					if once.CompareAndSwap(false, true) {
						writeDump()
						os.Exit(128 + int(syscall.SIGQUIT))
					}
				})
			}
			if n, ok := s.(syscall.Signal); ok {
				got.Store(int32(n))
			}
			cancel()
		case <-done:
		}
	}()
	stop = func() {
		if once.CompareAndSwap(false, true) {
			signal.Stop(ch)
			close(done)
			writeDump()
		}
		cancel()
	}
	status = func(otherwise int) int {
		if n := got.Load(); n != 0 {
			return 128 + int(n)
		}
		return otherwise
	}
	return ctx, stop, status
}

// allStacks is the stack trace of every goroutine (runtime.Stack), whole.
func allStacks() []byte {
	buf := make([]byte, 1<<20)
	for {
		n := runtime.Stack(buf, true)
		if n < len(buf) || len(buf) >= 64<<20 {
			return buf[:n]
		}
		buf = make([]byte, 2*len(buf))
	}
}

// ctrlCStatus is the exit status of a view the ctrl+c key quit: SIGINT's,
// 130. In raw mode the terminal sends ctrl+c as a key, and the view quit
// with 0 as for q, where SIGINT from outside gave 130: a script's
// `fivexx … && next` went on after a ctrl+c (QA s38 L4).
const ctrlCStatus = 128 + int(syscall.SIGINT)

// byCtrlC takes tui.ErrInterrupted out of the UI's err: whether the
// ctrl+c key quit, and the error left.
func byCtrlC(err error) (bool, error) {
	if errors.Is(err, tui.ErrInterrupted) {
		return true, nil
	}
	return false, err
}
