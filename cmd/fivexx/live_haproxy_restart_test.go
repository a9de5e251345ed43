package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"fivexx/sources"
	"fivexx/testdata/lab"
)

// appendedHAProxy is `haproxy -db -f haproxy.cfg >> log`: HAProxy's stdout
// (its `log stdout`) is the log, opened with O_APPEND as the shell's ">>"
// opens it. HAProxy sets it non-blocking with fcntl(F_SETFL), which drops
// O_APPEND: it writes at its own offset, from 0.
type appendedHAProxy struct {
	t      *testing.T
	cmd    *exec.Cmd
	exited chan struct{}
}

func startAppendedHAProxy(t *testing.T, ctx context.Context, conf, log, addr string) *appendedHAProxy {
	t.Helper()
	out, err := os.OpenFile(log, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644)
	if err != nil {
		t.Fatal(err)
	}
	defer out.Close() // haproxy has its own descriptor of it
	errf, err := os.OpenFile(log+".stderr", os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644)
	if err != nil {
		t.Fatal(err)
	}
	defer errf.Close()
	h := &appendedHAProxy{t: t, cmd: exec.Command("haproxy", "-f", conf, "-db"), exited: make(chan struct{})}
	h.cmd.Stdout, h.cmd.Stderr = out, errf
	if err := h.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { _ = h.cmd.Wait(); close(h.exited) }()
	t.Cleanup(h.stop)
	if err := lab.WaitListening(ctx, addr, 10*time.Second); err != nil {
		t.Fatalf("haproxy not listening on %s: %v", addr, err)
	}
	return h
}

// stop soft-stops HAProxy (SIGUSR1: it logs the last stream first), by
// its PID; SIGKILL after 5 s.
func (h *appendedHAProxy) stop() {
	select {
	case <-h.exited:
		return
	default:
	}
	_ = h.cmd.Process.Signal(syscall.SIGUSR1)
	select {
	case <-h.exited:
	case <-time.After(5 * time.Second):
		_ = h.cmd.Process.Kill()
		<-h.exited
	}
}

// haproxyRun is a HAProxy config in front of one backend, its log, and a
// follower of the log counting the request ids it reads.
type haproxyRun struct {
	t          *testing.T
	ctx        context.Context
	conf, log  string
	addr       string
	cl         *lab.Client
	in         *sources.Input
	mu         sync.Mutex
	ids        map[string]int
	states     map[string]bool
	followDone chan struct{}
}

func newHAProxyRun(t *testing.T, ctx context.Context) *haproxyRun {
	t.Helper()
	if _, err := exec.LookPath("haproxy"); err != nil {
		t.Fatal("haproxy is not installed: make test installs it (apt-get install -y haproxy)")
	}
	dir := t.TempDir()
	be := lab.StartBackend(t, lab.BackendOptions{Addr: "127.0.0.1:0", AppLog: io.Discard})
	addr, err := lab.FreePort()
	if err != nil {
		t.Fatal(err)
	}
	conf, err := lab.RenderHAProxy(lab.HAProxyConfig{Listen: addr, Servers: []string{be.Addr()}})
	if err != nil {
		t.Fatal(err)
	}
	r := &haproxyRun{t: t, ctx: ctx, conf: filepath.Join(dir, "haproxy.cfg"), log: filepath.Join(dir, "haproxy.log"), addr: addr,
		cl: lab.NewClient("http://"+addr, 3*time.Second), ids: map[string]int{}, states: map[string]bool{}}
	if err := os.WriteFile(r.conf, []byte(conf), 0o644); err != nil {
		t.Fatal(err)
	}
	return r
}

func (r *haproxyRun) start() *appendedHAProxy {
	r.t.Helper()
	return startAppendedHAProxy(r.t, r.ctx, r.conf, r.log, r.addr)
}

// send sends n requests and returns their request ids.
func (r *haproxyRun) send(n int) []string {
	var ids []string
	for _, res := range r.cl.Send(r.ctx, "restart", "/ok", n, 2*time.Millisecond) {
		if res.Status != 200 {
			r.t.Fatalf("request %s", res)
		}
		ids = append(ids, res.RequestID)
	}
	return ids
}

// follow follows the log as live mode does, from its end.
func (r *haproxyRun) follow() {
	r.t.Helper()
	r.in = sources.NewInput(0, sources.Spec{Path: r.log, Opts: sources.ParserOptions{Location: time.UTC}})
	items := make(chan sources.Item, 1024)
	r.followDone = make(chan struct{})
	go func() {
		defer close(r.followDone)
		_ = sources.Follow(r.ctx, r.in, items, sources.FollowOptions{Files: sources.NewOpenFiles()}, false)
	}()
	go func() {
		for it := range items {
			if e, ok := it.Rec.(*sources.ProxyEntry); ok {
				r.mu.Lock()
				r.ids[strings.Clone(e.RequestID)]++
				r.mu.Unlock()
			}
		}
	}()
	go func() {
		for r.ctx.Err() == nil {
			st := r.in.State()
			r.mu.Lock()
			r.states[st] = true
			r.mu.Unlock()
			time.Sleep(10 * time.Millisecond)
		}
	}()
	waitUntil(r.t, 5*time.Second, "the log followed", func() bool { return sources.Following(r.in.State()) })
}

// waitRead waits until every id in ids has been read.
func (r *haproxyRun) waitRead(what string, ids []string) {
	r.t.Helper()
	waitUntil(r.t, 5*time.Second, what, func() bool {
		r.mu.Lock()
		defer r.mu.Unlock()
		for _, id := range ids {
			if r.ids[id] == 0 {
				return false
			}
		}
		return true
	})
}

// readTwice returns the ids read more than once, and how many ids were read.
func (r *haproxyRun) readTwice() (twice []string, read int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for id, n := range r.ids {
		if n > 1 {
			twice = append(twice, id)
		}
	}
	return twice, len(r.ids)
}

func (r *haproxyRun) seen(state string) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.states[state]
}

func sizeOf(t *testing.T, p string) int64 {
	t.Helper()
	st, err := os.Stat(p)
	if err != nil {
		t.Fatal(err)
	}
	return st.Size()
}

// Live QA s25 #2 (repro-4), with real HAProxy: restarted as `haproxy -db
// -f cfg >> haproxy.log`, the new process writes from offset 0 over the
// old lines, and the file keeps its size until it passes the old end.
// fivexx read nothing of it until then (17,000 lines at once, minutes
// later). Its lines are read as they come now, once each, and none of the
// old ones again.
func TestLiveHAProxyRestartedWritesOverItsLog(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	r := newHAProxyRun(t, ctx)
	first := r.start()
	r.send(80)
	first.stop()
	size := sizeOf(t, r.log)
	r.follow() // live: from the end

	second := r.start()
	ids := r.send(10)
	r.waitRead("the restarted HAProxy's first 10 lines", ids)
	if now := sizeOf(t, r.log); now != size {
		t.Fatalf("the log grew from %d to %d bytes: HAProxy appended, which is not the case tested", size, now)
	}
	if !r.seen(sources.StateRewritten) {
		t.Errorf("the state never said %q", sources.StateRewritten)
	}
	ids = append(ids, r.send(100)...) // past the old end
	second.stop()
	if sizeOf(t, r.log) <= size {
		t.Fatalf("the log did not grow past its old end (%d bytes)", size)
	}
	r.waitRead("the restarted HAProxy's 110 lines", ids)
	time.Sleep(600 * time.Millisecond) // two polls more: anything read twice shows by now
	if twice, read := r.readTwice(); len(twice) > 0 || read != len(ids) {
		t.Fatalf("read %d request ids (%d twice: %q), want the %d the restarted HAProxy logged", read, len(twice), twice, len(ids))
	}
	waitUntil(t, 5*time.Second, "the state back to following", func() bool { return r.in.State() == sources.StateFollowing })
}

// Live QA s25 #3 (repro-3), with real HAProxy: copytruncate of its log
// (it does not append: see appendedHAProxy). It goes on at its old offset,
// so the file starts with that many NULs glued to its first new line;
// over 1 MiB of them cut that line and lost its request. They are
// dropped, and the state says how many.
func TestLiveHAProxyCopyTruncate(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	r := newHAProxyRun(t, ctx)
	r.start()
	r.follow()
	ids := r.send(40)
	r.waitRead("40 lines before the rotation", ids)
	size := sizeOf(t, r.log)
	data, err := os.ReadFile(r.log)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(r.log+".1", data, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Truncate(r.log, 0); err != nil {
		t.Fatal(err)
	}
	after := r.send(10)
	ids = append(ids, after...)
	r.waitRead("the 10 lines after the rotation", after)
	note := fmt.Sprintf("skipped %d NUL bytes (copytruncate)", size)
	waitUntil(t, 2*time.Second, "the state to say "+note, func() bool { return r.seen(note) })
	time.Sleep(600 * time.Millisecond)
	if twice, read := r.readTwice(); len(twice) > 0 || read != len(ids) {
		t.Fatalf("read %d request ids (%d twice), want %d", read, len(twice), len(ids))
	}
	if c := r.in.Counters(); c.Unparsed != 0 || c.TooLong != 0 {
		t.Errorf("counters %+v: want nothing unparsed or cut", c)
	}
}
