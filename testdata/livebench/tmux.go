package main

// fivexx runs in a tmux server of our own (its own socket). The screen is
// read through one tmux control-mode client (tmux -C): polling capture-pane
// every few milliseconds with a new tmux process each time would cost more
// CPU than fivexx on a two-core machine, and skew what is measured.

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"
)

// sessionName is the one session of our server.
const sessionName = "livebench"

// replyTimeout bounds how long tmux may take to answer one command.
const replyTimeout = 5 * time.Second

// tmuxServer is a tmux server on its own socket, running one session, and
// the control-mode client that talks to it.
type tmuxServer struct {
	socket  string
	path    string // the socket file, removed with the server
	conf    string
	ctl     *exec.Cmd
	stdin   io.WriteCloser
	mu      sync.Mutex // one command at a time
	broken  error      // set under mu when a reply was lost: later ones would not match
	replies chan reply
	killed  sync.Once
}

// reply is the output of one command: the lines between %begin and %end.
type reply struct {
	lines []string
	err   bool // %error instead of %end
}

// startTmux starts a server running command in a w×h session, then attaches
// the control client. remain-on-exit keeps the pane after fivexx exits, so
// its exit status can be read.
func startTmux(ctx context.Context, dir, command string, w, h int) (*tmuxServer, error) {
	if _, err := exec.LookPath("tmux"); err != nil {
		return nil, errors.New("tmux is not installed (apt-get install -y tmux)")
	}
	t := &tmuxServer{
		socket: fmt.Sprintf("livebench-%d-%d", os.Getpid(), time.Now().UnixNano()),
		conf:   filepath.Join(dir, "tmux.conf"),
	}
	if err := os.WriteFile(t.conf, []byte("set -g remain-on-exit on\nset -g status off\n"), 0o644); err != nil {
		return nil, err
	}
	cmd := exec.CommandContext(ctx, "tmux", "-L", t.socket, "-f", t.conf, "new-session", "-d", "-s", sessionName,
		"-x", strconv.Itoa(w), "-y", strconv.Itoa(h), command)
	cmd.Env = append(os.Environ(), "TERM=xterm-256color")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.kill()
		return nil, fmt.Errorf("tmux new-session: %v: %s", err, out)
	}
	// The window keeps its size whatever clients attach (the control client
	// has none). Set after the session exists: in the config file it makes
	// tmux 3.3a's server exit at start.
	if out, err := exec.CommandContext(ctx, "tmux", "-L", t.socket, "set", "-g", "window-size", "manual").CombinedOutput(); err != nil {
		t.kill()
		return nil, fmt.Errorf("tmux set window-size: %v: %s", err, out)
	}
	if err := t.attach(); err != nil {
		t.kill()
		return nil, err
	}
	if p, err := t.run("display-message", "-p", "#{socket_path}"); err == nil {
		t.path = strings.TrimSpace(p)
	}
	return t, nil
}

// attach starts the control client and the goroutine that reads its
// replies; notifications (lines outside %begin/%end) are dropped.
func (t *tmuxServer) attach() error {
	t.ctl = exec.Command("tmux", "-L", t.socket, "-C", "attach", "-t", sessionName)
	var err error
	if t.stdin, err = t.ctl.StdinPipe(); err != nil {
		return err
	}
	out, err := t.ctl.StdoutPipe()
	if err != nil {
		return err
	}
	if err := t.ctl.Start(); err != nil {
		return fmt.Errorf("tmux -C attach: %w", err)
	}
	t.replies = make(chan reply, 4)
	go func() {
		defer close(t.replies)
		r := bufio.NewReaderSize(out, 1<<16)
		var cur *reply
		var ours bool
		for {
			line, err := r.ReadString('\n')
			if err != nil {
				return
			}
			line = strings.TrimSuffix(line, "\n")
			switch {
			case cur == nil && strings.HasPrefix(line, "%begin "):
				// The flags field is 1 for commands this client sent; the
				// attach itself answers with 0.
				f := strings.Fields(line)
				ours = len(f) == 4 && f[3] == "1"
				cur = &reply{}
			case cur != nil && (strings.HasPrefix(line, "%end ") || strings.HasPrefix(line, "%error ")):
				cur.err = strings.HasPrefix(line, "%error ")
				if ours {
					t.replies <- *cur
				}
				cur = nil
			case cur != nil:
				cur.lines = append(cur.lines, line)
			}
		}
	}()
	// No %output notifications: they would carry every byte fivexx draws.
	_, _ = t.run("refresh-client", "-f", "no-output")
	return nil
}

// run sends one command through the control client and returns its output.
func (t *tmuxServer) run(args ...string) (string, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.broken != nil {
		return "", t.broken
	}
	quoted := make([]string, len(args))
	for i, a := range args {
		quoted[i] = tmuxQuote(a)
	}
	if _, err := io.WriteString(t.stdin, strings.Join(quoted, " ")+"\n"); err != nil {
		return "", fmt.Errorf("tmux %s: %w", args[0], err)
	}
	select {
	case r, ok := <-t.replies:
		if !ok {
			return "", fmt.Errorf("tmux %s: the control client is gone", args[0])
		}
		out := strings.Join(r.lines, "\n")
		if r.err {
			return "", fmt.Errorf("tmux %s: %s", args[0], out)
		}
		return out, nil
	case <-time.After(replyTimeout):
		t.broken = fmt.Errorf("tmux %s: no answer within %v", args[0], replyTimeout)
		return "", t.broken
	}
}

// tmuxQuote quotes s for tmux's command parser.
func tmuxQuote(s string) string {
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// screen is the pane's text as shown.
func (t *tmuxServer) screen() (string, error) {
	return t.run("capture-pane", "-p", "-t", sessionName)
}

// history is the pane's text with its scrollback.
func (t *tmuxServer) history() (string, error) {
	return t.run("capture-pane", "-p", "-S", "-", "-t", sessionName)
}

// display formats a tmux variable of the pane.
func (t *tmuxServer) display(format string) (string, error) {
	out, err := t.run("display-message", "-p", "-t", sessionName, format)
	return strings.TrimSpace(out), err
}

// keys types keys (tmux key names) into the pane.
func (t *tmuxServer) keys(keys ...string) error {
	_, err := t.run(append([]string{"send-keys", "-t", sessionName}, keys...)...)
	return err
}

// text types s literally.
func (t *tmuxServer) text(s string) error {
	_, err := t.run("send-keys", "-l", "-t", sessionName, s)
	return err
}

// kill stops our server (only the one on our socket) and its client.
func (t *tmuxServer) kill() {
	t.killed.Do(func() {
		_ = exec.Command("tmux", "-L", t.socket, "kill-server").Run()
		if t.stdin != nil {
			t.stdin.Close()
		}
		if t.ctl != nil && t.ctl.Process != nil {
			done := make(chan struct{})
			go func() { _ = t.ctl.Wait(); close(done) }()
			select {
			case <-done:
			case <-time.After(2 * time.Second):
				_ = t.ctl.Process.Kill()
				<-done
			}
		}
		// kill-server leaves the socket file behind.
		if t.path != "" && strings.Contains(filepath.Base(t.path), "livebench-") {
			os.Remove(t.path)
		}
	})
}
