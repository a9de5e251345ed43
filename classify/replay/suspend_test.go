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
	eng, clk, p, done := playToThreeSeconds(t)
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
	checkPlayed(t, eng, clk.Now().Sub(resumed), 7*time.Second, "after a suspend of a minute the 7 s left")
}

// A replay at 1x stopped from outside for a minute (kill -STOP, then
// kill -CONT: no ctrl+z, so no Suspend holds it) goes on from where it
// was at its speed: its loop found the wall clock a minute on and played
// that minute's lines at once.
func TestStopFromOutsideDoesNotRushTheMissedTime(t *testing.T) {
	eng, clk, _, done := playToThreeSeconds(t)
	clk.jump(time.Minute) // SIGSTOP: the wall clock runs on
	resumed := clk.Now()
	close(clk.cont) // SIGCONT: the loop runs again
	<-done
	// 3 s of the 10 s were played before the stop: 7 s are left at 1x.
	checkPlayed(t, eng, clk.Now().Sub(resumed), 7*time.Second, "after a stop of a minute the 7 s left")
}

// lateClock is a fakeClock that tells (woke) when the loop first looks
// at it after a sleep that ended at at: the item of that moment is
// played, and the loop goes on to read the next.
type lateClock struct {
	fakeClock
	at    time.Time
	after bool // the last sleep ended at at
	once  sync.Once
	woke  chan struct{}
}

func (c *lateClock) Sleep(ctx context.Context, d time.Duration) {
	c.fakeClock.Sleep(ctx, d)
	c.after = c.fakeClock.Now().Equal(c.at)
}

func (c *lateClock) Now() time.Time {
	n := c.fakeClock.Now()
	if c.after {
		c.after = false
		c.once.Do(func() { close(c.woke) })
	}
	return n
}

// The reader delivers one line of a 10 s log 2 s late at 1x (a slow
// disk, the CPU shared): not a stop from outside, so the lines after it
// catch up and the replay ends 10 s after it began. Taken for a stop
// (a look 2 s after the last, which asked for no wait), it moved the
// pacing on by 2 s for good: 12 s.
func TestSlowReaderIsNotAStop(t *testing.T) {
	in := sources.NewInput(0, sources.Spec{Path: "a.log", Role: sources.RoleProxy})
	eng := classify.NewEngine(classify.Config{Inputs: []*sources.Input{in}})
	clk := &lateClock{fakeClock: fakeClock{now: t0}, at: t0.Add(4900 * time.Millisecond), woke: make(chan struct{})}
	p := New(eng, []*sources.Input{in}, Options{Speed: 1, Clock: clk})
	ch := make(chan sources.Item) // unbuffered: line 50 is read once line 49 is played
	go func() {
		defer close(ch)
		for i := 0; i <= 100; i++ {
			if i == 50 {
				select {
				case <-clk.woke: // line 49 played at its moment
				case <-time.After(10 * time.Second):
					t.Error("line 49 was never played at 4.9 s")
					return
				}
				clk.mu.Lock()
				clk.now = clk.now.Add(2 * time.Second) // line 50 is 2 s late
				clk.mu.Unlock()
			}
			ch <- sources.Item{Input: in, Rec: &sources.ProxyEntry{Time: t0.Add(time.Duration(i) * 100 * time.Millisecond), Status: 200, Upstream: "a:1", RequestTime: -1}}
		}
	}()
	p.Run(context.Background(), ch)
	checkPlayed(t, eng, clk.Now().Sub(t0), 10*time.Second, "10 s of log at 1x with one line read 2 s late")
}

// A publish that takes 2 s (a 5xx storm's Advance and snapshot, the CPU
// shared) in a 10 s log at 1x is not a stop from outside either: the
// lines after it catch up. The loop looked at the clock before the
// publish, then asked for 100 ms, and woke 2.1 s after that look.
func TestSlowPublishIsNotAStop(t *testing.T) {
	in := sources.NewInput(0, sources.Spec{Path: "a.log", Role: sources.RoleProxy})
	clk := &fakeClock{now: t0}
	slow := false
	now := func() time.Time { // the engine's wall clock, read as it publishes
		n := clk.Now()
		if !slow && !n.Before(t0.Add(5*time.Second)) {
			slow = true
			clk.mu.Lock()
			clk.now = clk.now.Add(2 * time.Second)
			n = clk.now
			clk.mu.Unlock()
		}
		return n
	}
	eng := classify.NewEngine(classify.Config{Inputs: []*sources.Input{in}, Now: now})
	p := New(eng, []*sources.Input{in}, Options{Speed: 1, Clock: clk})
	p.Run(context.Background(), tenSeconds(in))
	if !slow {
		t.Fatal("no publish at 5 s")
	}
	checkPlayed(t, eng, clk.Now().Sub(t0), 10*time.Second, "10 s of log at 1x with one publish of 2 s")
}

// checkPlayed checks that a replay of tenSeconds took want of wall time
// (within 50 ms) for what it says of it, and played all 101 lines.
func checkPlayed(t *testing.T, eng *classify.Engine, took, want time.Duration, what string) {
	t.Helper()
	if took < want-50*time.Millisecond || took > want+50*time.Millisecond {
		t.Errorf("%s took %v of wall time, want about %v", what, took, want)
	}
	if s := eng.Latest(); s.Total.Requests != 101 {
		t.Errorf("%d requests played, want 101", s.Total.Requests)
	}
}

// playToThreeSeconds starts a replay of tenSeconds at 1x on a stopClock
// and returns once its loop is held at 3 s, the moment of the stop; done
// is closed when the replay ends.
func playToThreeSeconds(t *testing.T) (*classify.Engine, *stopClock, *Player, chan struct{}) {
	t.Helper()
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
	return eng, clk, p, done
}
