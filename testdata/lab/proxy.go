package lab

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"time"
)

// Proxy is a real proxy process the lab started in the foreground. It is
// stopped by its PID (its process group only if it does not exit in time,
// so nginx workers never outlive their master).
type Proxy struct {
	// Kind is "nginx", "haproxy" or "caddy".
	Kind string
	// Addr is the 127.0.0.1:PORT the proxy listens on.
	Addr string
	// Dir is the proxy's private prefix (config, logs, temp files, pid file).
	Dir string
	// ConfigPath is the config file the proxy was started with.
	ConfigPath string
	// AccessLog is the access log path (HAProxy: its captured stdout).
	AccessLog string
	// ErrorLog is the error log path: nginx error_log, Caddy's non-access
	// logs (http.log.error and the rest); "" for HAProxy.
	ErrorLog string
	// StderrLog is the captured stderr of the process (HAProxy's alerts and
	// warnings; startup chatter for the others).
	StderrLog string

	cmd     *exec.Cmd
	exited  chan struct{}
	stopSig syscall.Signal
	files   []*os.File
}

// URL returns "http://" + Addr.
func (p *Proxy) URL() string { return "http://" + p.Addr }

// PID returns the proxy's (master) process id.
func (p *Proxy) PID() int { return p.cmd.Process.Pid }

// Reopen makes the proxy reopen its log files, as logrotate does: SIGUSR1
// to the nginx master (what `nginx -s reopen` sends). It does not wait: the
// master reopens the files and then tells its workers, so lines may reach
// the old file for a moment. HAProxy logs to stdout and Caddy rolls its own
// files, so they return an error.
func (p *Proxy) Reopen() error {
	if p.Kind != "nginx" {
		return fmt.Errorf("reopen %s logs: %w", p.Kind, errNotSupported)
	}
	if err := p.cmd.Process.Signal(syscall.SIGUSR1); err != nil {
		return fmt.Errorf("reopen nginx logs (pid %d): %w", p.PID(), err)
	}
	return nil
}

// Stop asks the proxy to exit and waits (5 s, then SIGKILL to its process
// group, which only holds the processes it started).
func (p *Proxy) Stop() error {
	defer func() {
		for _, f := range p.files {
			_ = f.Close()
		}
	}()
	select {
	case <-p.exited:
		return nil
	default:
	}
	if err := p.cmd.Process.Signal(p.stopSig); err != nil && !errors.Is(err, os.ErrProcessDone) {
		return fmt.Errorf("stop %s (pid %d): %w", p.Kind, p.PID(), err)
	}
	select {
	case <-p.exited:
		return nil
	case <-time.After(5 * time.Second):
	}
	_ = syscall.Kill(-p.PID(), syscall.SIGKILL)
	select {
	case <-p.exited:
		return fmt.Errorf("stop %s (pid %d): killed after 5 s", p.Kind, p.PID())
	case <-time.After(5 * time.Second):
		return fmt.Errorf("stop %s (pid %d): did not exit", p.Kind, p.PID())
	}
}

// startProxy starts argv with stdout and stderr captured to files in p.Dir
// and waits until p.Addr accepts connections.
func startProxy(ctx context.Context, p *Proxy, argv []string, env []string, stdoutPath string) (*Proxy, error) {
	p.StderrLog = filepath.Join(p.Dir, "stderr.log")
	errf, err := os.Create(p.StderrLog)
	if err != nil {
		return nil, fmt.Errorf("start %s: %w", p.Kind, err)
	}
	p.files = append(p.files, errf)
	outf := errf
	if stdoutPath != "" {
		if outf, err = os.Create(stdoutPath); err != nil {
			_ = errf.Close()
			return nil, fmt.Errorf("start %s: %w", p.Kind, err)
		}
		p.files = append(p.files, outf)
	}
	cmd := exec.Command(argv[0], argv[1:]...)
	cmd.Dir = p.Dir
	cmd.Env = append(os.Environ(), env...)
	cmd.Stdout, cmd.Stderr = outf, errf
	cmd.SysProcAttr = proxyProcAttr()
	if err := cmd.Start(); err != nil {
		p.closeFiles()
		return nil, fmt.Errorf("start %s: %w", p.Kind, err)
	}
	p.cmd = cmd
	p.exited = make(chan struct{})
	go func() {
		_ = cmd.Wait()
		close(p.exited)
	}()
	deadline := time.Now().Add(10 * time.Second)
	for {
		select {
		case <-p.exited:
			p.closeFiles()
			msg, _ := os.ReadFile(p.StderrLog)
			return nil, fmt.Errorf("start %s: exited at once: %s", p.Kind, strings.TrimSpace(string(msg)))
		default:
		}
		if err := WaitListening(ctx, p.Addr, 100*time.Millisecond); err == nil {
			return p, nil
		}
		if time.Now().After(deadline) || ctx.Err() != nil {
			_ = p.Stop()
			return nil, fmt.Errorf("start %s: not listening on %s after 10 s", p.Kind, p.Addr)
		}
	}
}

func (p *Proxy) closeFiles() {
	for _, f := range p.files {
		_ = f.Close()
	}
}

// newProxyDir prepares a proxy's prefix directory; "" makes a temp one.
// nginx workers run as nobody when the master is root, so it must be
// traversable.
func newProxyDir(dir, kind string) (string, error) {
	if dir == "" {
		var err error
		if dir, err = os.MkdirTemp("", "fivexx-lab-"+kind+"-"); err != nil {
			return "", fmt.Errorf("make %s dir: %w", kind, err)
		}
	} else if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", fmt.Errorf("make %s dir: %w", kind, err)
	}
	if err := os.Chmod(dir, 0o755); err != nil {
		return "", fmt.Errorf("make %s dir: %w", kind, err)
	}
	return filepath.Abs(dir)
}

// ProxyVersion returns the exact version string the installed program
// reports: "nginx version: nginx/1.22.1", the first line of `haproxy -v`,
// `caddy version`.
func ProxyVersion(kind string) (string, error) {
	var cmd *exec.Cmd
	switch kind {
	case "nginx":
		cmd = exec.Command("nginx", "-v")
	case "haproxy":
		cmd = exec.Command("haproxy", "-v")
	case "caddy":
		cmd = exec.Command("caddy", "version")
	default:
		return "", fmt.Errorf("version of %q: unknown proxy", kind)
	}
	out, err := cmd.CombinedOutput()
	if err != nil {
		return "", fmt.Errorf("version of %s: %w", kind, err)
	}
	line, _, _ := strings.Cut(string(bytes.TrimSpace(out)), "\n")
	return strings.TrimSpace(line), nil
}

// durMS renders a duration as whole milliseconds for proxy configs ("1000ms").
func durMS(d time.Duration) string {
	return fmt.Sprintf("%dms", d.Milliseconds())
}
