package replay

import (
	"context"
	"sync"
	"testing"
	"time"

	"fivexx/classify"
	"fivexx/sources"
)

// stopClock is a fakeClock whose Sleep blocks once the clock reaches at,
// until the test lets it go on: the moment fivexx is stopped.
type stopClock struct {
	fakeClock
	at      time.Time
	once    sync.Once
	reached chan struct{}
	cont    chan struct{}
	// slept is closed at the first Sleep after the stop: the loop ran
	// again and waits.
	slept     chan struct{}
	sleptOnce sync.Once
	stopped   bool
}

func (c *stopClock) Sleep(ctx context.Context, d time.Duration) {
	if c.stopped {
		c.sleptOnce.Do(func() { close(c.slept) })
	}
	c.fakeClock.Sleep(ctx, d)
	if !c.Now().Before(c.at) {
		c.once.Do(func() {
			close(c.reached)
			<-c.cont
			c.stopped = true
		})
	}
}

func (c *stopClock) jump(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.mu.Unlock()
}

// A replay at 1x suspended for a minute (ctrl+z, then fg) goes on from
// where it was at its speed: stopped by SIGTSTP, its loop found the wall
// clock a minute on and played that minute's lines at once.
func TestSuspendDoesNotRushTheMissedTime(t *testing.T) {
	in := sources.NewInput(0, sources.Spec{Path: "a.log", Role: sources.RoleProxy})
	eng := classify.NewEngine(classify.Config{Inputs: []*sources.Input{in}})
	clk := &stopClock{fakeClock: fakeClock{now: t0}, at: t0.Add(3 * time.Second),
		reached: make(chan struct{}), cont: make(chan struct{}), slept: make(chan struct{})}
	p := New(eng, []*sources.Input{in}, Options{Speed: 1, Clock: clk})
	done := make(chan struct{})
	go func() { p.Run(context.Background(), tenSeconds(in)); close(done) }()
	select {
	case <-clk.reached:
	case <-time.After(10 * time.Second):
		t.Fatal("the replay never reached 3 s")
	}
	p.Suspend() // the UI, before it suspends
	clk.jump(time.Minute)
	close(clk.cont) // SIGCONT: the loop runs again
	select {        // fg: the UI's ResumeMsg comes once the loop runs again
	case <-clk.slept:
	case <-done:
	}
	resumed := clk.Now()
	p.Resume() // the UI, on tea.ResumeMsg
	<-done
	// 3 s of the 10 s were played before the stop: 7 s are left at 1x,
	// each line at its moment. The clock ran on while the loop waited,
	// held, before Resume; not counted after it.
	if took := clk.Now().Sub(resumed); took < 6950*time.Millisecond || took > 7050*time.Millisecond {
		t.Errorf("after a suspend of a minute the 7 s left took %v of wall time, want about 7s", took)
	}
	if s := eng.Latest(); s.Total.Requests != 101 {
		t.Errorf("%d requests played, want 101", s.Total.Requests)
	}
}

// A replay at 1x stopped from outside for a minute (kill -STOP, then
// kill -CONT: no ctrl+z, so no Suspend holds it) goes on from where it
// was at its speed: its loop found the wall clock a minute on and played
// that minute's lines at once.
func TestStopFromOutsideDoesNotRushTheMissedTime(t *testing.T) {
	in := sources.NewInput(0, sources.Spec{Path: "a.log", Role: sources.RoleProxy})
	eng := classify.NewEngine(classify.Config{Inputs: []*sources.Input{in}})
	clk := &stopClock{fakeClock: fakeClock{now: t0}, at: t0.Add(3 * time.Second),
		reached: make(chan struct{}), cont: make(chan struct{}), slept: make(chan struct{})}
	p := New(eng, []*sources.Input{in}, Options{Speed: 1, Clock: clk})
	done := make(chan struct{})
	go func() { p.Run(context.Background(), tenSeconds(in)); close(done) }()
	select {
	case <-clk.reached:
	case <-time.After(10 * time.Second):
		t.Fatal("the replay never reached 3 s")
	}
	clk.jump(time.Minute) // SIGSTOP: the wall clock runs on
	resumed := clk.Now()
	close(clk.cont) // SIGCONT: the loop runs again
	<-done
	// 3 s of the 10 s were played before the stop: 7 s are left at 1x.
	if took := clk.Now().Sub(resumed); took < 6950*time.Millisecond || took > 7050*time.Millisecond {
		t.Errorf("after a stop of a minute the 7 s left took %v of wall time, want about 7s", took)
	}
	if s := eng.Latest(); s.Total.Requests != 101 {
		t.Errorf("%d requests played, want 101", s.Total.Requests)
	}
}
