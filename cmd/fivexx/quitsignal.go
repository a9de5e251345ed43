package main

import (
	"context"
	"os"
	"os/signal"
	"sync/atomic"
	"syscall"
)

// quitSignals stop the live, replay and demo views cleanly (the terminal
// restored, --cmd children stopped): Ctrl-C, kill, a dropped SSH session.
var quitSignals = []os.Signal{os.Interrupt, syscall.SIGTERM, syscall.SIGHUP}

// signalContext is signal.NotifyContext that also remembers which signal
// came: a view stopped by one exits 128+its number (130 for SIGINT, 143
// for SIGTERM, 129 for SIGHUP), as shells and `timeout` expect, not 0 as
// if the user had quit.
func signalContext() (ctx context.Context, stop func(), status func(int) int) {
	ctx, cancel := context.WithCancel(context.Background())
	ch := make(chan os.Signal, 1)
	signal.Notify(ch, quitSignals...)
	var got atomic.Int32
	done := make(chan struct{})
	go func() {
		select {
		case s := <-ch:
			if n, ok := s.(syscall.Signal); ok {
				got.Store(int32(n))
			}
			cancel()
		case <-done:
		}
	}()
	var once atomic.Bool
	stop = func() {
		if once.CompareAndSwap(false, true) {
			signal.Stop(ch)
			close(done)
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
