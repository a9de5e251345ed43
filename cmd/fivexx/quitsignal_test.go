package main

import (
	"io"
	"os"
	"strings"
	"syscall"
	"testing"
	"time"
)

// parkedForTheDump blocks until release closes: a goroutine that is there
// when SIGQUIT comes and gone when the dump is written.
func parkedForTheDump(parked chan<- struct{}, release <-chan struct{}) {
	close(parked)
	<-release
}

// SIGQUIT stops the view as the other quit signals do, with status 131,
// and the goroutine dump Go's handler gave is written by stop, after the
// view closed: the stacks as they were when the signal came.
func TestSIGQUITDumpsTheGoroutinesOfItsTime(t *testing.T) {
	ctx, stop, status := signalContext()
	parked, release := make(chan struct{}), make(chan struct{})
	go parkedForTheDump(parked, release)
	<-parked
	if err := syscall.Kill(os.Getpid(), syscall.SIGQUIT); err != nil {
		t.Fatal(err)
	}
	select {
	case <-ctx.Done():
	case <-time.After(5 * time.Second):
		t.Fatal("SIGQUIT did not stop the view")
	}
	close(release) // gone before the dump is written

	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	saved := os.Stderr
	os.Stderr = w
	stop()
	os.Stderr = saved
	w.Close()
	out, _ := io.ReadAll(r)
	if got := status(0); got != 131 {
		t.Errorf("status %d, want 131", got)
	}
	dump := string(out)
	if !strings.HasPrefix(dump, "fivexx: SIGQUIT: the goroutines when it came:\n") || !strings.Contains(dump, "parkedForTheDump") {
		t.Errorf("stop wrote:\n%s", dump)
	}
}
