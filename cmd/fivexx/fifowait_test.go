package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestReportSaysItWaitsForAFIFOWriter: report on a named pipe no program
// had opened to write sat silent. After a second it says so on stderr,
// once, and reads the pipe when a writer comes; stdout is the report
// alone.
func TestReportSaysItWaitsForAFIFOWriter(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "access.fifo")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Skip("mkfifo:", err)
	}
	lines, err := os.ReadFile(filepath.Join("..", "..", "testdata", "recordings", "nginx-upstream", "access.log"))
	if err != nil {
		t.Fatal(err)
	}
	wrote := make(chan error, 1)
	go func() {
		time.Sleep(fifoWaitNote + 500*time.Millisecond)
		f, err := os.OpenFile(fifo, os.O_WRONLY, 0)
		if err == nil {
			_, err = f.Write(lines)
			f.Close()
		}
		wrote <- err
	}()
	var out, stderr bytes.Buffer
	code := run([]string{"report", "--json", fifo}, strings.NewReader(""), &out, &stderr)
	if err := <-wrote; err != nil {
		t.Fatal(err)
	}
	want := "fivexx: note: waiting for a writer on FIFO " + fifo + " (a named pipe is read once a program opens it to write)\n"
	if code != 0 || stderr.String() != want {
		t.Errorf("exit %d, stderr %q; want 0, %q", code, stderr.String(), want)
	}
	var r struct{ Requests int }
	if err := json.Unmarshal(out.Bytes(), &r); err != nil || r.Requests != 340 {
		t.Errorf("report: %v, %d requests, want the 340 written", err, r.Requests)
	}
}
