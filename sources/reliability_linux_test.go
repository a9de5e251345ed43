package sources

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
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

func TestFollowNamedPipeEnds(t *testing.T) {
	p := filepath.Join(t.TempDir(), "pipe")
	mustDo(t, syscall.Mkfifo(p, 0o644))
	r := startFollow(t, proxySpec(p), FollowOptions{}, false)
	w, err := os.OpenFile(p, os.O_WRONLY, 0) // blocks until Follow opens it
	mustDo(t, err)
	w.WriteString("T1 GET /1\nT2 GET /2\n")
	r.waitLines(2)
	w.Close()
	select {
	case <-r.done:
	case <-time.After(waitDeadline):
		t.Fatal("Follow did not return when the pipe's writer closed")
	}
	if r.in.State() != "done" {
		t.Fatalf("state %q, want done", r.in.State())
	}
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
