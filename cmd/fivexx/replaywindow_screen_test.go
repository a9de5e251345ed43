package main

import (
	"bytes"
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/charmbracelet/x/exp/teatest"

	"fivexx/classify"
	"fivexx/classify/replay"
	"fivexx/sources"
	"fivexx/sources/parsertest"
	"fivexx/tui"
)

// pausingClock is a replay clock that moves only when the player sleeps,
// and pauses the player once it reaches pauseAt; paused, the player's
// sleeps wait a little of real time (or its wake), not to spin.
type pausingClock struct {
	mu      sync.Mutex
	now     time.Time
	pauseAt time.Time
	p       *replay.Player
	paused  chan struct{} // closed once the player is paused
}

func (c *pausingClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *pausingClock) Sleep(ctx context.Context, d time.Duration) {
	c.mu.Lock()
	pause := c.p != nil && !c.now.Before(c.pauseAt)
	if !pause {
		c.now = c.now.Add(d)
	}
	p := c.p
	if pause {
		c.p = nil
	}
	c.mu.Unlock()
	if pause {
		p.TogglePause()
		close(c.paused)
		return
	}
	if c.Now().After(c.pauseAt) {
		select {
		case <-ctx.Done():
		case <-time.After(5 * time.Millisecond):
		}
	}
}

// With --from and --to the inputs pane's states are the inputs' shares of
// the window, beside the replay line's: they were the whole files'
// ("playing 37%", "35%", "41%" beside "55% of 07:40:30–07:41:10", QA
// s28). Here 120 s of an access log of a line a second and an error log
// with lines at 30, 60 and 100 s, the window 30–90 s, paused after 25 s at
// 1x: the access log has played 25 s of the 60 (42 %, as the replay line), the error log only
// its line at 30 s (0 %).
func TestReplayInputsAreTheWindows(t *testing.T) {
	base := time.Date(2026, 11, 21, 10, 0, 0, 0, time.UTC)
	dir := t.TempDir()
	var acc, errl strings.Builder
	for _, s := range []int{30, 60, 100} {
		fmt.Fprintf(&errl, "%s [error] 1#1: *2 connect() failed (111: Connection refused) while connecting to upstream, client: 127.0.0.1, server: , request: \"GET /x?n=%d HTTP/1.1\", upstream: \"http://127.0.0.1:35433/x?n=%d\", host: \"h\"\n",
			base.Add(time.Duration(s)*time.Second).Format("2006/01/02 15:04:05"), s, s)
	}
	for s := 0; s <= 120; s++ {
		st := 200
		if s == 30 || s == 60 || s == 100 {
			st = 502
		}
		fmt.Fprintf(&acc, "127.0.0.1 - - [%s] \"GET /x?n=%d HTTP/1.1\" %d 3 \"-\" \"ua\"\n", base.Add(time.Duration(s)*time.Second).Format("02/Jan/2006:15:04:05 -0700"), s, st)
	}
	a, e := filepath.Join(dir, "access.log"), filepath.Join(dir, "error.log")
	parsertest.WriteFiles(t, map[string]string{a: acc.String(), e: errl.String()})
	loc := sources.ParserOptions{Location: time.UTC}
	ins := []*sources.Input{sources.NewInput(0, sources.Spec{Path: a, Opts: loc}), sources.NewInput(1, sources.Spec{Path: e, Opts: loc})}
	eng := classify.NewEngine(classify.Config{Inputs: ins, Timeline: true, Grace: 5 * time.Second, Now: func() time.Time { return screenWall }})
	clk := &pausingClock{now: base, pauseAt: base.Add(25 * time.Second), paused: make(chan struct{})}
	pl := replay.New(eng, ins, replay.Options{Speed: 1, From: base.Add(30 * time.Second), To: base.Add(90 * time.Second), Clock: clk})
	clk.p = pl
	ctx, cancel := context.WithCancel(context.Background())
	ran := make(chan struct{})
	go func() {
		defer close(ran)
		pl.RunMerged(ctx, ins)
	}()
	defer func() { cancel(); <-ran }()
	select {
	case <-clk.paused:
	case <-time.After(10 * time.Second):
		t.Fatalf("the replay did not reach 25 s: clock %v, %+v", clk.Now(), pl.Status())
	}
	src := playerSource{pl}
	tm := teatest.NewTestModel(t, tui.New(src, tui.Options{Title: "replay", Refresh: 20 * time.Millisecond}), teatest.WithInitialTermSize(120, 30))
	teatest.WaitFor(t, tm.Output(), func(b []byte) bool { return bytes.Contains(b, []byte("Upstreams")) }, teatest.WithDuration(5*time.Second))
	tm.Send(keyMsg("q"))
	view := tm.FinalModel(t, teatest.WithFinalTimeout(5*time.Second)).View()
	for _, want := range []string{"42% of 10:00:30–10:01:30", "playing 42%", "playing 0%"} {
		if !strings.Contains(view, want) {
			t.Errorf("screen lacks %q:\n%s", want, view)
		}
	}
	teatest.RequireEqualOutput(t, []byte(view))
}
