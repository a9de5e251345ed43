package lab

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"strconv"
	"sync"
	"syscall"
	"time"
)

// BackendMain runs a backend process: the body of cmd/backend (and of
// "record backend"). Its crash fault writes "request started" and then
// kills its own process with SIGKILL, as the OOM killer would: no
// "finished" line, the kernel closes its sockets.
func BackendMain(args []string, stderr io.Writer) int {
	fs := flag.NewFlagSet("backend", flag.ContinueOnError)
	fs.SetOutput(stderr)
	addr := fs.String("addr", "127.0.0.1:8080", "listen address (127.0.0.1 only)")
	logPath := fs.String("log", "-", "app log file, opened with O_APPEND (- for stdout)")
	text := fs.Bool("text", false, "write the plain-text log variant instead of JSON lines")
	slow := fs.Duration("slow", DefaultSlowDelay, "how long /slow sleeps")
	big := fs.Int("bigheader", DefaultBigHeaderSize, "size of the /bigheader header value in bytes")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	host, _, err := net.SplitHostPort(*addr)
	if err != nil || host != "127.0.0.1" {
		fmt.Fprintf(stderr, "backend: error: -addr %q: want 127.0.0.1:PORT\n", *addr)
		return 2
	}
	out := io.Writer(os.Stdout)
	if *logPath != "-" {
		f, err := os.OpenFile(*logPath, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644)
		if err != nil {
			fmt.Fprintf(stderr, "backend: error: %v\n", err)
			return 1
		}
		defer f.Close()
		out = f
	}
	ln, err := listenRetry(*addr)
	if err != nil {
		fmt.Fprintf(stderr, "backend: error: %v\n", err)
		return 1
	}
	opts := BackendOptions{Addr: *addr, AppLog: out, Text: *text, SlowDelay: *slow, BigHeaderSize: *big}
	h := NewHandler(ln.Addr().String(), opts, func(http.ResponseWriter) {
		_ = syscall.Kill(os.Getpid(), syscall.SIGKILL)
		time.Sleep(time.Second) // SIGKILL is not instant; never return to the handler
		os.Exit(137)
	})
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second, ErrorLog: discardLogger()}
	if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
		fmt.Fprintf(stderr, "backend: error: %v\n", err)
		return 1
	}
	return 0
}

// ProcessOptions configures a BackendProcess.
type ProcessOptions struct {
	// Addr is the fixed listen address (127.0.0.1:PORT); required, because a
	// restarted process must come back on the same port.
	Addr string
	// AppLog is the app log path; every instance may share one file.
	AppLog string
	// Text selects the plain-text log variant.
	Text bool
	// SlowDelay and BigHeaderSize are passed on (0 = defaults).
	SlowDelay     time.Duration
	BigHeaderSize int
	// AutoRestart restarts the process this long after it died on its own
	// (crash fault); 0 leaves it down. Kill and Stop never auto-restart.
	AutoRestart time.Duration
}

// BackendProcess is a backend running as its own process, supervised: it can
// be killed, restarted, and comes back by itself after a crash when
// AutoRestart is set.
type BackendProcess struct {
	argv []string
	opts ProcessOptions

	mu      sync.Mutex
	cmd     *exec.Cmd
	exited  chan struct{}
	running bool
	want    bool // should be running (false after Kill/Stop)
	closed  bool
	crashes int
	starts  int
}

// StartBackendProcess starts argv (the backend command and leading
// arguments, e.g. {"/tmp/backend"} or {os.Args[0], "backend"}) with the
// options turned into flags, and waits until it listens.
func StartBackendProcess(ctx context.Context, argv []string, opts ProcessOptions) (*BackendProcess, error) {
	if len(argv) == 0 {
		return nil, errors.New("start backend process: empty command")
	}
	if opts.Addr == "" {
		return nil, errors.New("start backend process: no address")
	}
	p := &BackendProcess{argv: argv, opts: opts, want: true}
	p.mu.Lock()
	err := p.launch()
	p.mu.Unlock()
	if err != nil {
		return nil, err
	}
	if err := p.WaitUp(ctx, 10*time.Second); err != nil {
		_ = p.Stop()
		return nil, err
	}
	return p, nil
}

// launch starts one process; p.mu is held.
func (p *BackendProcess) launch() error {
	args := append([]string{}, p.argv[1:]...)
	args = append(args, "-addr", p.opts.Addr)
	if p.opts.AppLog != "" {
		args = append(args, "-log", p.opts.AppLog)
	}
	if p.opts.Text {
		args = append(args, "-text")
	}
	if p.opts.SlowDelay > 0 {
		args = append(args, "-slow", p.opts.SlowDelay.String())
	}
	if p.opts.BigHeaderSize > 0 {
		args = append(args, "-bigheader", strconv.Itoa(p.opts.BigHeaderSize))
	}
	cmd := exec.Command(p.argv[0], args...)
	cmd.Stderr = os.Stderr
	cmd.SysProcAttr = backendProcAttr()
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("start backend %s: %w", p.opts.Addr, err)
	}
	exited := make(chan struct{})
	p.cmd, p.exited, p.running = cmd, exited, true
	p.starts++
	go p.wait(cmd, exited)
	return nil
}

// wait reaps one process and restarts it if it died on its own.
func (p *BackendProcess) wait(cmd *exec.Cmd, exited chan struct{}) {
	_ = cmd.Wait()
	p.mu.Lock()
	close(exited)
	restart := false
	if p.cmd == cmd {
		p.running = false
		restart = p.want && !p.closed && p.opts.AutoRestart > 0
		if p.want && !p.closed {
			p.crashes++
		}
	}
	p.mu.Unlock()
	if restart {
		time.AfterFunc(p.opts.AutoRestart, func() {
			p.mu.Lock()
			defer p.mu.Unlock()
			if p.want && !p.closed && !p.running {
				_ = p.launch()
			}
		})
	}
}

// Addr returns the listen address.
func (p *BackendProcess) Addr() string { return p.opts.Addr }

// PID returns the current process id, 0 when it is not running.
func (p *BackendProcess) PID() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	if !p.running {
		return 0
	}
	return p.cmd.Process.Pid
}

// Up reports whether the process is running.
func (p *BackendProcess) Up() bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.running
}

// Crashes returns how many times the process died without Kill or Stop.
func (p *BackendProcess) Crashes() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.crashes
}

// WaitUp waits until the process runs and accepts connections.
func (p *BackendProcess) WaitUp(ctx context.Context, timeout time.Duration) error {
	deadline := time.Now().Add(timeout)
	for !p.Up() {
		if time.Now().After(deadline) {
			return fmt.Errorf("backend %s not running after %v", p.opts.Addr, timeout)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(20 * time.Millisecond):
		}
	}
	return WaitListening(ctx, p.opts.Addr, time.Until(deadline))
}

// Kill sends SIGKILL and waits for the process to die; it stays down until
// Restart.
func (p *BackendProcess) Kill() error {
	return p.signalAndWait(syscall.SIGKILL, false)
}

// Stop sends SIGTERM (SIGKILL after 5 s) and disables any restart.
func (p *BackendProcess) Stop() error {
	return p.signalAndWait(syscall.SIGTERM, true)
}

func (p *BackendProcess) signalAndWait(sig syscall.Signal, closeIt bool) error {
	p.mu.Lock()
	p.want = false
	if closeIt {
		p.closed = true
	}
	cmd, exited, running := p.cmd, p.exited, p.running
	p.mu.Unlock()
	if !running {
		return nil
	}
	if err := cmd.Process.Signal(sig); err != nil && !errors.Is(err, os.ErrProcessDone) {
		return fmt.Errorf("signal backend %s (pid %d): %w", p.opts.Addr, cmd.Process.Pid, err)
	}
	select {
	case <-exited:
		return nil
	case <-time.After(5 * time.Second):
	}
	_ = cmd.Process.Kill()
	select {
	case <-exited:
		return nil
	case <-time.After(5 * time.Second):
		return fmt.Errorf("backend %s (pid %d) did not exit", p.opts.Addr, cmd.Process.Pid)
	}
}

// Restart starts the process again (if it is not running) and waits until it
// listens.
func (p *BackendProcess) Restart() error {
	p.mu.Lock()
	if p.closed {
		p.mu.Unlock()
		return fmt.Errorf("restart backend %s: stopped for good", p.opts.Addr)
	}
	p.want = true
	var err error
	if !p.running {
		err = p.launch()
	}
	p.mu.Unlock()
	if err != nil {
		return err
	}
	return p.WaitUp(context.Background(), 10*time.Second)
}
