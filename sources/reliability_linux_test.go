package sources

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// captureFD2 points file descriptor 2 at a pipe while fn runs and returns
// what was written to it. Swapping os.Stderr would miss a library logger
// that kept the old *os.File (nxadm/tail's loggers are made at init).
func captureFD2(t *testing.T, fn func()) string {
	t.Helper()
	pr, pw, err := os.Pipe()
	mustDo(t, err)
	saved, err := syscall.Dup(2)
	mustDo(t, err)
	mustDo(t, syscall.Dup3(int(pw.Fd()), 2, 0))
	var buf bytes.Buffer
	copied := make(chan struct{})
	go func() { io.Copy(&buf, pr); close(copied) }()
	defer func() {
		syscall.Dup3(saved, 2, 0)
		syscall.Close(saved)
		pw.Close()
		<-copied
		pr.Close()
	}()
	fn()
	syscall.Dup3(saved, 2, 0)
	pw.Close()
	<-copied
	return buf.String()
}

func TestFollowWritesNothingToStderr(t *testing.T) {
	for _, mode := range watchModes {
		t.Run(mode.name, func(t *testing.T) {
			var out string
			out = captureFD2(t, func() {
				dir := filepath.Join(t.TempDir(), "logs")
				p := filepath.Join(dir, "app.log")
				r := startFollow(t, proxySpec(p), mode.opt, false)
				r.waitState("waiting for file")
				mustDo(t, os.Mkdir(dir, 0o755))
				w := newLogWriter(t, p)
				w.write(2)
				r.waitLines(2)
				rotateRename(t, p)
				w.reopen()
				w.write(2)
				r.waitLines(4)
				// The path's parent replaced by a file: nxadm/tail wrote a
				// FATAL to stderr and exited here.
				mustDo(t, os.Rename(dir, dir+".old"))
				mustDo(t, os.WriteFile(dir, nil, 0o644))
				r.waitState("not a directory")
				r.stop()
			})
			if out != "" {
				t.Fatalf("wrote to stderr: %q", out)
			}
		})
	}
}

// Live QA s23 #6: a FIFO given as a live input went "done" when its first
// writer closed, and was never opened again: the next writer (nginx opens
// its access_log FIFO again at USR1) blocked for ever in open(). Writers
// here open it with O_NONBLOCK, which fails (ENXIO) instead of blocking
// when no reader has it open.
func TestFollowNamedPipeWaitsForTheNextWriter(t *testing.T) {
	batch := recordedLines(t, "fifo/batch1")
	p := filepath.Join(t.TempDir(), "access.fifo")
	mustDo(t, syscall.Mkfifo(p, 0o644))
	r := startFollow(t, Spec{Path: p}, FollowOptions{}, false)
	r.waitState(StateWaitingForWriter)
	openWriter := func() *os.File {
		t.Helper()
		w, err := os.OpenFile(p, os.O_WRONLY|syscall.O_NONBLOCK, 0)
		if err != nil {
			t.Fatalf("a writer could not open the FIFO (%v); state %q", err, r.in.State())
		}
		return w
	}
	w := openWriter()
	// The first writer's last line has no newline: its close ends it.
	_, err := w.WriteString(strings.Join(batch, "\n"))
	mustDo(t, err)
	mustDo(t, w.Close())
	r.waitLines(len(batch))
	r.waitState(StateWaitingForWriter)
	w = openWriter() // nginx at USR1
	_, err = w.WriteString(strings.Join(batch, "\n") + "\n")
	mustDo(t, err)
	r.waitLines(2 * len(batch))
	r.waitState(StateFollowing) // a writer has it open
	mustDo(t, w.Close())
	r.waitState(StateWaitingForWriter)
	want := append(append([]string(nil), batch...), batch...)
	if diff := cmp.Diff(want, r.lines()); diff != "" {
		t.Fatalf("lines (-want +got):\n%s", diff)
	}
	select {
	case <-r.done:
		t.Fatalf("Follow returned (state %q): a FIFO waits for its next writer", r.in.State())
	default:
	}
}

// Only a FIFO made with mkfifo waits for its next writer; an anonymous
// pipe (<(zcat x.gz) as /dev/fd/63) is read to its end, as before: it
// cannot be opened again once its writer is gone.
func TestOnlyNamedFIFOsWaitForWriters(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "access.fifo")
	mustDo(t, syscall.Mkfifo(fifo, 0o644))
	link := filepath.Join(dir, "link")
	mustDo(t, os.Symlink(fifo, link))
	pr, pw, err := os.Pipe()
	mustDo(t, err)
	defer pr.Close()
	defer pw.Close()
	for path, want := range map[string]bool{
		fifo:                                     true,
		link:                                     true,
		fmt.Sprintf("/dev/fd/%d", pr.Fd()):       false,
		fmt.Sprintf("/proc/self/fd/%d", pr.Fd()): false,
	} {
		if got := isNamedFIFO(path); got != want {
			t.Errorf("isNamedFIFO(%s) = %v, want %v", path, got, want)
		}
	}
	// Read through /dev/fd, the anonymous pipe ends with its writer.
	r := startFollow(t, proxySpec(fmt.Sprintf("/dev/fd/%d", pr.Fd())), FollowOptions{}, false)
	_, err = pw.WriteString("T1 GET /1\n")
	mustDo(t, err)
	mustDo(t, pw.Close())
	r.waitState("done")
}

// A command's children stop with it: `sh -c` does not exec the last
// command, and a pipeline's stages are children of the shell, so
// signalling the shell alone left them running after fivexx quit.
func TestCommandStopStopsItsChildren(t *testing.T) {
	pids := filepath.Join(t.TempDir(), "pids")
	script := "sleep 300 & echo $! > " + pids + "; sleep 301 | sleep 302 & echo $! >> " + pids + "; printf 'T1 GET /a\\n'; wait"
	r := startFollow(t, Spec{Path: script, Command: true, Format: "test-proxy"}, FollowOptions{}, false)
	r.waitLines(1)
	b, err := os.ReadFile(pids)
	mustDo(t, err)
	list := strings.Fields(string(b))
	if len(list) != 2 {
		t.Fatalf("pids %q", b)
	}
	r.stop()
	deadline := time.Now().Add(waitDeadline)
	for _, pid := range list {
		for alive(pid) {
			if time.Now().After(deadline) {
				t.Fatalf("child %s of the command still runs after Follow returned", pid)
			}
			time.Sleep(20 * time.Millisecond)
		}
	}
}

// alive reports whether process pid exists and is not a zombie (children
// of a killed shell are reparented, and their new parent may not reap them).
func alive(pid string) bool {
	b, err := os.ReadFile("/proc/" + pid + "/stat")
	if err != nil {
		return false
	}
	s := string(b)
	i := strings.LastIndexByte(s, ')')
	return i < 0 || i+2 >= len(s) || s[i+2] != 'Z'
}
