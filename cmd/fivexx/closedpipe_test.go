package main

import (
	"bufio"
	"bytes"
	"errors"
	"io"
	"os"
	"os/exec"
	"testing"
	"time"
)

// closedPipeRun is how fivexx, run in a child process, ended with its
// standard output a pipe whose reader is gone.
type closedPipeRun struct {
	code   int // -1: killed by a signal
	stderr string
}

// runIntoClosedPipe runs fivexx with args in a child process whose
// standard output is a pipe: read up to the first newline first when
// readLine is set (head -1), else closed before fivexx starts. feed, when
// set, writes its standard input until the child exits.
func runIntoClosedPipe(t *testing.T, readLine bool, feed func(io.Writer) error, args ...string) closedPipeRun {
	t.Helper()
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	if !readLine {
		r.Close()
	}
	cmd := exec.Command(os.Args[0], args...)
	cmd.Env = append(os.Environ(), runAsCLIEnv+"=1")
	var errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = w, &errb
	var stdin io.WriteCloser
	if feed != nil {
		if stdin, err = cmd.StdinPipe(); err != nil {
			t.Fatal(err)
		}
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	w.Close()
	if feed != nil {
		go func() {
			for feed(stdin) == nil {
			}
		}()
	}
	if readLine {
		if _, err := bufio.NewReader(r).ReadString('\n'); err != nil {
			t.Errorf("reading the first line: %v", err)
		}
		r.Close()
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err = <-done:
	case <-time.After(30 * time.Second):
		cmd.Process.Kill()
		<-done
		t.Fatalf("%q still running 30 s after its output's reader was gone", args)
	}
	var exit *exec.ExitError
	switch {
	case err == nil:
		return closedPipeRun{0, errb.String()}
	case errors.As(err, &exit):
		return closedPipeRun{exit.ExitCode(), errb.String()}
	}
	t.Fatal(err)
	return closedPipeRun{}
}

// TestClosedPipeEndsQuietly: fivexx report ... | head is how a report is
// read, and the reader going away is no failure: exit 0, nothing said,
// whatever the output's size and whether the reader took some of it.
// Go's runtime killed fivexx by SIGPIPE instead (exit 141 in a shell, no
// message) when a write came after the reader had gone: with head -1, the
// 124 KB of --events were cut, the 1 KB text report was not (exit 0).
func TestClosedPipeEndsQuietly(t *testing.T) {
	rec := []string{roleAccess, roleErrors, roleApp}
	for _, args := range [][]string{
		append([]string{"report"}, rec...),
		append([]string{"report", "--json"}, rec...),
		append([]string{"report", "--events"}, rec...),
		{"explain"}, {"--help"}, {"report", "--help"}, {"demo", "--list"},
	} {
		for _, readLine := range []bool{false, true} {
			got := runIntoClosedPipe(t, readLine, nil, args...)
			if got != (closedPipeRun{}) {
				t.Errorf("%q, the pipe closed (after the first line read: %v): exit %d, stderr %q; want exit 0 and no message", args, readLine, got.code, got.stderr)
			}
		}
	}
}

// TestReportEventsStopReadingWhenTheReaderIsGone: report --events stops
// reading at the first event it cannot write. It read on to the end of
// its inputs, here a standard input that does not end.
func TestReportEventsStopReadingWhenTheReaderIsGone(t *testing.T) {
	access, err := os.ReadFile(roleAccess)
	if err != nil {
		t.Fatal(err)
	}
	feed := func(w io.Writer) error {
		_, err := w.Write(access)
		return err
	}
	if got := runIntoClosedPipe(t, false, feed, "report", "--events", "-"); got != (closedPipeRun{}) {
		t.Errorf("exit %d, stderr %q; want exit 0 and no message", got.code, got.stderr)
	}
}
