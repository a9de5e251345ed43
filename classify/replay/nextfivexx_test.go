package replay

import (
	"context"
	"slices"
	"sync"
	"testing"
	"time"

	"fivexx/classify"
	"fivexx/sources"
)

// steppingClock is a fakeClock that adds up the wall time the player
// sleeps while it plays (not paused).
type steppingClock struct {
	fakeClock
	p       *Player
	mu      sync.Mutex
	playing time.Duration
}

func (c *steppingClock) Sleep(ctx context.Context, d time.Duration) {
	if !c.p.Status().Paused {
		c.mu.Lock()
		c.playing += d
		c.mu.Unlock()
	}
	c.fakeClock.Sleep(ctx, d)
}

// n skips ahead: at 1x the next 5xx and its verdict come at once, and the
// replay pauses there. It played the grace period after the 5xx in real
// time (5 s at 1x, 6 s and more on screen: QA s23 TUI #10), while help
// says "play until the next 5xx, then pause". The lines before the 5xx
// come at once too.
func TestNextFivexxSkipsAhead(t *testing.T) {
	in := sources.NewInput(0, sources.Spec{Path: "a.log", Role: sources.RoleProxy})
	eng := classify.NewEngine(classify.Config{Inputs: []*sources.Input{in}, Grace: 5 * time.Second})
	clk := &steppingClock{fakeClock: fakeClock{now: t0}}
	p := New(eng, []*sources.Input{in}, Options{Speed: 1, Clock: clk})
	clk.p = p
	items := make(chan sources.Item, 16)
	for _, r := range []struct {
		after  time.Duration
		status int
	}{{0, 200}, {3 * time.Second, 200}, {4 * time.Second, 503}, {5 * time.Second, 200}, {8 * time.Second, 200}, {10 * time.Second, 200}, {12 * time.Second, 200}} {
		items <- sources.Item{Input: in, Rec: &sources.ProxyEntry{Time: t0.Add(r.after), Status: r.status, RequestTime: -1}}
	}
	p.NextFivexx() // pressed before the first line played
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan struct{})
	go func() { p.Run(ctx, items); close(done) }()
	deadline := time.Now().Add(10 * time.Second)
	for !(p.Status().Paused && verdictsMade(eng.Latest()) == 1) {
		if time.Now().After(deadline) {
			t.Fatalf("after n: paused %v, verdicts %d; want paused with the 503 judged", p.Status().Paused, verdictsMade(eng.Latest()))
		}
		time.Sleep(10 * time.Millisecond)
	}
	clk.mu.Lock()
	playing := clk.playing
	clk.mu.Unlock()
	if playing > 200*time.Millisecond {
		t.Errorf("n played %v of wall time to reach the 503 and its verdict, want it at once", playing)
	}
	if n := eng.Latest().Total.Requests; n >= 7 {
		t.Errorf("%d requests played, want a pause before the end", n)
	}
	cancel()
	<-done
}

// n tells which 5xx it stopped at: the verdict awaited, the oldest 5xx
// pending or to come, even when the same look judged others with it. Only
// the pending count changed on screen, and the verdict could be of another
// upstream than the one open (QA s34 L5).
func TestNextFivexxSaysWhichVerdict(t *testing.T) {
	in := sources.NewInput(0, sources.Spec{Path: "a.log", Role: sources.RoleProxy})
	eng := classify.NewEngine(classify.Config{Inputs: []*sources.Input{in}, Grace: 5 * time.Second})
	clk := &fakeClock{now: t0}
	p := New(eng, []*sources.Input{in}, Options{Speed: 1, Clock: clk})
	items := make(chan sources.Item, 16)
	for _, r := range []struct {
		after  time.Duration
		status int
		path   string
	}{
		{0, 200, "/"}, {time.Second, 503, "/a"}, {1050 * time.Millisecond, 502, "/b"},
		// The next line moves the log clock past both graces at once.
		{7 * time.Second, 200, "/"}, {9 * time.Second, 500, "/c"}, {20 * time.Second, 200, "/"}, {30 * time.Second, 200, "/"},
	} {
		items <- sources.Item{Input: in, Rec: &sources.ProxyEntry{Time: t0.Add(r.after), Status: r.status, Method: "GET", Path: r.path, Upstream: "u", RequestTime: -1}}
	}
	close(items)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan struct{})
	go func() { p.Run(ctx, items); close(done) }()
	stopAt := func(path string, with int64) {
		t.Helper()
		deadline := time.Now().Add(10 * time.Second)
		for {
			st := p.Status()
			if st.Paused && st.Stopped != nil {
				if st.Stopped.Entry == nil || st.Stopped.Entry.Path != path || st.StoppedWith != with {
					t.Fatalf("n stopped at %+v (and %d more), want the 5xx of %s (and %d more)", st.Stopped.Entry, st.StoppedWith, path, with)
				}
				if !slices.Contains(eng.Latest().Recent, st.Stopped) {
					t.Errorf("the verdict stopped at is not among the snapshot's")
				}
				return
			}
			if time.Now().After(deadline) || st.Finished {
				t.Fatalf("after n: %+v, want paused at the verdict of %s", st, path)
			}
			time.Sleep(5 * time.Millisecond)
		}
	}
	p.NextFivexx()
	stopAt("/a", 1) // the first made, not /b made with it
	p.NextFivexx()
	if st := p.Status(); st.Stopped != nil {
		t.Errorf("pressed again: still says it stopped at %s", st.Stopped.Entry.Path)
	}
	stopAt("/c", 0)
	p.TogglePause()
	if st := p.Status(); st.Stopped != nil {
		t.Errorf("playing on: still says it stopped at %s", st.Stopped.Entry.Path)
	}
	<-done
}

// n in a burst of more verdicts at one look than a snapshot's Recent
// keeps (MaxRecent) names the 5xx it stopped at: the first made was
// pushed out of Recent by the others, and n stopped at a 5xx it did not
// name (Stopped nil, session 34's leftover).
func TestNextFivexxNamesTheFirstOfABurst(t *testing.T) {
	in := sources.NewInput(0, sources.Spec{Path: "a.log", Role: sources.RoleProxy})
	eng := classify.NewEngine(classify.Config{Inputs: []*sources.Input{in}, Grace: 5 * time.Second, MaxRecent: 3})
	clk := &fakeClock{now: t0}
	p := New(eng, []*sources.Input{in}, Options{Speed: 1, Clock: clk})
	items := make(chan sources.Item, 32)
	items <- sources.Item{Input: in, Rec: &sources.ProxyEntry{Time: t0, Status: 200, Method: "GET", Path: "/", Upstream: "u", RequestTime: -1}}
	const burst = 8
	for i := range burst {
		items <- sources.Item{Input: in, Rec: &sources.ProxyEntry{Time: t0.Add(time.Second + time.Duration(i)*time.Millisecond),
			Status: 502, Method: "GET", Path: "/b" + string(rune('0'+i)), Upstream: "u", RequestTime: -1}}
	}
	// The next line moves the log clock past every grace at once.
	items <- sources.Item{Input: in, Rec: &sources.ProxyEntry{Time: t0.Add(7 * time.Second), Status: 200, Method: "GET", Path: "/", Upstream: "u", RequestTime: -1}}
	items <- sources.Item{Input: in, Rec: &sources.ProxyEntry{Time: t0.Add(30 * time.Second), Status: 200, Method: "GET", Path: "/", Upstream: "u", RequestTime: -1}}
	close(items)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan struct{})
	p.NextFivexx()
	go func() { p.Run(ctx, items); close(done) }()
	deadline := time.Now().Add(10 * time.Second)
	for {
		st := p.Status()
		if st.Paused {
			if st.Stopped == nil {
				t.Fatalf("n stopped in a burst of %d (MaxRecent 3) and names no 5xx", burst)
			}
			if st.Stopped.Entry == nil || st.Stopped.Entry.Path != "/b0" || st.StoppedWith != burst-1 {
				t.Fatalf("n stopped at %+v (and %d more), want the 5xx of /b0 (and %d more)", st.Stopped.Entry, st.StoppedWith, burst-1)
			}
			break
		}
		if time.Now().After(deadline) || st.Finished {
			t.Fatalf("after n: %+v, want paused at the verdict of /b0", st)
		}
		time.Sleep(5 * time.Millisecond)
	}
	p.TogglePause()
	<-done
}
