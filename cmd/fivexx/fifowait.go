package main

import (
	"io"
	"os"
	"sync"
	"time"

	"fivexx/sources"
)

// fifoWaitNote is how long a report waits on a named pipe that no writer
// has opened before it says so: opening a FIFO blocks until one does, and
// report sat silent.
const fifoWaitNote = time.Second

// noteFIFOWaits prints, once per input, "waiting for a writer on FIFO" on
// stderr for each named pipe among ins still not opened after
// fifoWaitNote. The returned stop ends the watch, and returns once no note
// is being printed.
func noteFIFOWaits(ins []*sources.Input, stderr io.Writer) (stop func()) {
	var fifos []*sources.Input
	for _, in := range ins {
		if in.Spec.Command || in.Spec.Path == "-" {
			continue
		}
		if st, err := os.Stat(in.Spec.Path); err == nil && st.Mode()&os.ModeNamedPipe != 0 {
			fifos = append(fifos, in)
		}
	}
	if len(fifos) == 0 {
		return func() {}
	}
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		select {
		case <-done:
			return
		case <-time.After(fifoWaitNote):
		}
		for _, in := range fifos {
			// The reader sets "reading" once the open returns.
			if in.State() == "starting" {
				printNote(stderr, "waiting for a writer on FIFO "+in.Spec.Label()+" (a named pipe is read once a program opens it to write)")
			}
		}
	}()
	return func() {
		close(done)
		wg.Wait()
	}
}
