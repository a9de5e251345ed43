package main

import (
	"context"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"fivexx/sources"
	"fivexx/testdata/lab"
)

// Live QA s25 #4, with real nginx: its recipe is mv access.log
// access.log.0, then USR1. In between, nginx writes on into the renamed
// file and fivexx reads it, but the state said "waiting for file".
func TestLiveNginxRenamedBeforeReopen(t *testing.T) {
	if _, err := exec.LookPath("nginx"); err != nil {
		t.Fatal("nginx is not installed: make test installs it (apt-get install -y nginx)")
	}
	dir := t.TempDir()
	be := lab.StartBackend(t, lab.BackendOptions{Addr: "127.0.0.1:0", AppLog: io.Discard})
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	px, err := lab.StartNginx(ctx, filepath.Join(dir, "nginx"), lab.NginxConfig{
		Upstreams: []string{be.Addr()}, LogFormat: lab.NginxUpstreamFormat, ForwardRequestID: true,
	})
	if err != nil {
		t.Fatal(err)
	}
	defer px.Stop()
	in := sources.NewInput(0, sources.Spec{Path: px.AccessLog, Opts: sources.ParserOptions{Location: time.UTC}})
	items := make(chan sources.Item, 1024)
	go func() { _ = sources.Follow(ctx, in, items, sources.FollowOptions{}, false) }()
	go func() {
		for range items {
		}
	}()
	waitUntil(t, 5*time.Second, "the access log followed", func() bool { return sources.Following(in.State()) })
	cl := lab.NewClient(px.URL(), 3*time.Second)
	cl.Send(ctx, "before", "/ok", 5, 5*time.Millisecond)
	waitUntil(t, 5*time.Second, "5 lines", func() bool { return in.Counters().Parsed == 5 })
	if err := os.Rename(px.AccessLog, px.AccessLog+".0"); err != nil {
		t.Fatal(err)
	}
	cl.Send(ctx, "renamed", "/ok", 5, 5*time.Millisecond) // into access.log.0
	waitUntil(t, 5*time.Second, "10 lines", func() bool { return in.Counters().Parsed == 10 })
	if st := in.State(); st != "following +rotated (new file not there yet)" {
		t.Errorf("state %q while nginx writes to the renamed file, before its USR1", st)
	}
	if err := px.Reopen(); err != nil {
		t.Fatal(err)
	}
	waitUntil(t, 5*time.Second, "nginx reopened its access log", func() bool { _, err := os.Stat(px.AccessLog); return err == nil })
	cl.Send(ctx, "reopened", "/ok", 5, 5*time.Millisecond)
	waitUntil(t, 5*time.Second, "15 lines", func() bool { return in.Counters().Parsed == 15 })
	waitUntil(t, 2*time.Second, "the new file followed", func() bool { return sources.Following(in.State()) || in.State() == sources.StateRotated })
}
