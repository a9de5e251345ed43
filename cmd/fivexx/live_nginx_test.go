package main

import (
	"bufio"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"fivexx/classify"
	"fivexx/sources"
	"fivexx/testdata/lab"
)

func countLines(t *testing.T, paths ...string) int64 {
	t.Helper()
	var n int64
	for _, p := range paths {
		f, err := os.Open(p)
		if err != nil {
			continue
		}
		sc := bufio.NewScanner(f)
		for sc.Scan() {
			n++
		}
		f.Close()
	}
	return n
}

// TestLiveNginxEndToEnd runs real nginx in front of two backends and the
// pipeline in follow mode: a killed backend must show up as
// upstream_refused verdicts for its address within 2 s, and after a log
// rotation (mv + reopen) no line may be lost.
func TestLiveNginxEndToEnd(t *testing.T) {
	if _, err := exec.LookPath("nginx"); err != nil {
		t.Fatal("nginx is not installed: make test installs it (apt-get install -y nginx)")
	}
	dir := t.TempDir()
	appLog, err := os.OpenFile(filepath.Join(dir, "app.log"), os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		t.Fatal(err)
	}
	defer appLog.Close()
	var appMu sync.Mutex
	aw := &lockedWriter{w: appLog, mu: &appMu}
	a := lab.StartBackend(t, lab.BackendOptions{Addr: "127.0.0.1:0", AppLog: aw})
	b := lab.StartBackend(t, lab.BackendOptions{Addr: "127.0.0.1:0", AppLog: aw})
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	px, err := lab.StartNginx(ctx, filepath.Join(dir, "nginx"), lab.NginxConfig{
		Upstreams: []string{a.Addr(), b.Addr()}, LogFormat: lab.NginxUpstreamFormat,
		ForwardRequestID: true, NoRetry: true, NoFailAccounting: true,
	})
	if err != nil {
		t.Fatal(err)
	}
	defer px.Stop()

	// The pipeline, as live mode wires it (without the UI).
	var ins []*sources.Input
	for i, p := range []string{px.AccessLog, px.ErrorLog, appLog.Name()} {
		ins = append(ins, sources.NewInput(i, sources.Spec{Path: p, Opts: sources.ParserOptions{Location: time.Local}}))
	}
	verdicts := make(chan *classify.Verdict, 1024)
	eng := classify.NewEngine(classify.Config{Inputs: ins, Live: true, Now: time.Now, Grace: time.Second,
		OnVerdict: func(v *classify.Verdict) { verdicts <- v }})
	items := make(chan sources.Item, 1024)
	for _, in := range ins {
		go sources.Follow(ctx, in, items, sources.FollowOptions{}, false)
	}
	go eng.Run(ctx, items, 100*time.Millisecond)
	for _, in := range ins {
		in := in
		waitUntil(t, 5*time.Second, "inputs following", func() bool { s := in.State(); return s == "following" || s == "waiting for file" })
	}

	cl := lab.NewClient(px.URL(), 3*time.Second)
	cl.Send(ctx, "healthy", "/ok", 10, 20*time.Millisecond)
	waitUntil(t, 5*time.Second, "healthy requests seen", func() bool { return eng.Latest().Total.Requests >= 10 })

	// Kill one backend: its requests are refused from now on.
	if err := a.Kill(); err != nil {
		t.Fatal(err)
	}
	var first502 time.Time
	deadline := time.Now().Add(10 * time.Second)
	var got *classify.Verdict
	for got == nil && time.Now().Before(deadline) {
		r := cl.Get(ctx, "killed", "/ok")
		if r.Status == 502 && first502.IsZero() {
			first502 = time.Now()
		}
		select {
		case v := <-verdicts:
			if v.Entry.Upstream == a.Addr() && v.Cause == classify.UpstreamRefused {
				got = v
			}
		case <-time.After(50 * time.Millisecond):
		}
	}
	if got == nil || first502.IsZero() {
		t.Fatalf("no upstream_refused verdict for the killed backend %s (first 502 at %v)", a.Addr(), first502)
	}
	// A live verdict waits until the windows its rules read have closed
	// (classify/applag.go): ±2 s of the stamp, plus the second a
	// whole-second stamp hides, to the end of that second: 3 to 4 s.
	if lag := time.Since(first502); lag > 5*time.Second {
		t.Errorf("upstream_refused arrived %v after the first 502, want within 5 s", lag)
	}
	t.Logf("killed backend: %s verdict %s/%s %v after the first 502; evidence %q", got.Entry.Upstream, got.Cause, got.Confidence, time.Since(first502).Round(time.Millisecond), got.Evidence)

	// Rotate the access log as logrotate does: rename, then have nginx reopen.
	waitUntil(t, 5*time.Second, "every line before the rotation read", func() bool {
		return eng.Latest().Total.Requests == countLines(t, px.AccessLog)
	})
	rotated := px.AccessLog + ".1"
	if err := os.Rename(px.AccessLog, rotated); err != nil {
		t.Fatal(err)
	}
	if err := px.Reopen(); err != nil {
		t.Fatal(err)
	}
	waitUntil(t, 5*time.Second, "nginx reopened its access log", func() bool { _, err := os.Stat(px.AccessLog); return err == nil })
	cl.Send(ctx, "after-rotation", "/ok", 30, 10*time.Millisecond)
	want := func() int64 { return countLines(t, rotated, px.AccessLog) }
	waitUntil(t, 5*time.Second, "every line after the rotation read", func() bool { return eng.Latest().Total.Requests == want() })
	time.Sleep(300 * time.Millisecond) // nothing read twice either
	if got, w := eng.Latest().Total.Requests, want(); got != w {
		t.Fatalf("engine counted %d requests, the logs hold %d", got, w)
	}
	if err := px.Stop(); err != nil {
		t.Errorf("stopping nginx: %v", err)
	}
}

type lockedWriter struct {
	w  *os.File
	mu *sync.Mutex
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

func waitUntil(t *testing.T, d time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(d)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out after %v waiting for: %s", d, what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}
