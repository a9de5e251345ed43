package replay

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"fivexx/classify"
	"fivexx/sources"
	_ "fivexx/sources/parsers"
	"fivexx/sources/parsertest"
)

// fakeClock advances only when the player sleeps, so pacing is measured
// exactly, whatever the machine is doing.
type fakeClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) Sleep(ctx context.Context, d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.mu.Unlock()
}

var t0 = time.Date(2026, 11, 21, 7, 0, 0, 0, time.UTC)

// tenSeconds is a 10 s recording: one request every 100 ms, a 502 every second.
func tenSeconds(in *sources.Input) chan sources.Item {
	ch := make(chan sources.Item, 200)
	for i := 0; i <= 100; i++ {
		st := 200
		if i%10 == 5 {
			st = 502
		}
		ch <- sources.Item{Input: in, Rec: &sources.ProxyEntry{Time: t0.Add(time.Duration(i) * 100 * time.Millisecond), Status: st, Upstream: "a:1", RequestTime: -1}}
	}
	close(ch)
	return ch
}

func TestPacingOnLogTime(t *testing.T) {
	for _, tc := range []struct {
		speed float64
		want  time.Duration
	}{{10, time.Second}, {1, 10 * time.Second}, {0, 0}} {
		in := sources.NewInput(0, sources.Spec{Path: "a.log", Role: sources.RoleProxy})
		eng := classify.NewEngine(classify.Config{Inputs: []*sources.Input{in}})
		clk := &fakeClock{now: t0}
		p := New(eng, []*sources.Input{in}, Options{Speed: tc.speed, Clock: clk})
		p.Run(context.Background(), tenSeconds(in))
		took := clk.Now().Sub(t0)
		if took < tc.want-50*time.Millisecond || took > tc.want+150*time.Millisecond {
			t.Errorf("speed %v: a 10 s recording took %v of wall time, want about %v", tc.speed, took, tc.want)
		}
		s := eng.Latest()
		if s.Total.Requests != 101 || s.Total.Status[502] != 10 || s.Total.Causes[classify.Unknown]+s.Total.Causes[classify.UpstreamReset]+s.Total.Causes[classify.UpstreamRefused] != 10 {
			t.Errorf("speed %v: totals %+v", tc.speed, s.Total)
		}
		if !s.LogNow.Equal(t0.Add(10 * time.Second)) {
			t.Errorf("log clock %v, want the recording's last time", s.LogNow)
		}
	}
}

func TestPacingRealClockLoosely(t *testing.T) {
	in := sources.NewInput(0, sources.Spec{Path: "a.log", Role: sources.RoleProxy})
	eng := classify.NewEngine(classify.Config{Inputs: []*sources.Input{in}})
	p := New(eng, []*sources.Input{in}, Options{Speed: 10})
	start := time.Now()
	p.Run(context.Background(), tenSeconds(in))
	if took := time.Since(start); took < 800*time.Millisecond || took > 3*time.Second {
		t.Fatalf("a 10 s recording at speed 10 took %v, want about 1 s", took)
	}
}

func TestPauseStepAndSpeedControls(t *testing.T) {
	in := sources.NewInput(0, sources.Spec{Path: "a.log", Role: sources.RoleProxy})
	eng := classify.NewEngine(classify.Config{Inputs: []*sources.Input{in}})
	p := New(eng, []*sources.Input{in}, Options{Speed: 10})
	if p.Status().Speed != "10×" {
		t.Fatalf("speed shown %q", p.Status().Speed)
	}
	p.Faster()
	if p.Status().Speed != "20×" {
		t.Fatalf("faster: %q", p.Status().Speed)
	}
	p.Slower()
	p.Slower()
	if p.Status().Speed != "5×" {
		t.Fatalf("slower twice: %q", p.Status().Speed)
	}
	// Step to the next 5xx: playback pauses once its verdict is made, at
	// the first line the grace period (2 s of log time) after it; before,
	// it paused right after the 503, still pending, for as long as the
	// replay stayed paused.
	items := make(chan sources.Item, 5)
	for _, r := range []struct {
		after  time.Duration
		status int
	}{{0, 200}, {0, 503}, {time.Second, 200}, {3 * time.Second, 200}, {4 * time.Second, 200}} {
		items <- sources.Item{Input: in, Rec: &sources.ProxyEntry{Time: t0.Add(r.after), Status: r.status, RequestTime: -1}}
	}
	p.TogglePause()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { p.Run(ctx, items); close(done) }()
	time.Sleep(100 * time.Millisecond)
	if n := eng.Latest().Total.Requests; n != 0 {
		t.Fatalf("paused player ingested %d requests", n)
	}
	p.NextFivexx()
	deadline := time.Now().Add(3 * time.Second)
	for !(p.Status().Paused && eng.Latest().Total.Requests == 4) {
		if time.Now().After(deadline) {
			t.Fatalf("after NextFivexx: paused %v, requests %d; want paused 2 s of log time after the 503 (4 requests)", p.Status().Paused, eng.Latest().Total.Requests)
		}
		time.Sleep(20 * time.Millisecond)
	}
	if s := eng.Latest(); s.Pending != 0 || verdictsMade(s) != 1 {
		t.Errorf("paused with %d pending and %d verdicts, want the 503 judged", s.Pending, verdictsMade(s))
	}
	cancel()
	<-done
}

// n stops at the next verdict to be made, also when its 5xx is already
// pending: one that came within the grace period of the last stop. Before,
// only a 5xx that came after n was awaited: the second n judged the 503 at
// 1.5 s on the way and ran on to the 503 at 60 s (3 verdicts, 7 requests).
func TestNextStopsOnAPendingFivexx(t *testing.T) {
	in := sources.NewInput(0, sources.Spec{Path: "a.log", Role: sources.RoleProxy})
	eng := classify.NewEngine(classify.Config{Inputs: []*sources.Input{in}})
	p := New(eng, []*sources.Input{in}, Options{Speed: 0})
	items := make(chan sources.Item, 8)
	for _, r := range []struct {
		after  time.Duration
		status int
	}{{0, 503}, {1500 * time.Millisecond, 503}, {2500 * time.Millisecond, 200}, {5 * time.Second, 200}, {6 * time.Second, 200},
		{60 * time.Second, 503}, {63 * time.Second, 200}, {64 * time.Second, 200}} {
		items <- sources.Item{Input: in, Rec: &sources.ProxyEntry{Time: t0.Add(r.after), Status: r.status, RequestTime: -1}}
	}
	close(items)
	p.TogglePause()
	done := make(chan struct{})
	go func() { p.Run(context.Background(), items); close(done) }()
	for _, want := range []struct {
		requests, verdicts int64
		pending            int
		why                string
	}{
		{3, 1, 1, "the 503 at 0 s is judged at 2.5 s, the 503 at 1.5 s still pending"},
		{4, 2, 0, "the pending 503 at 1.5 s is judged at 5 s"},
		{7, 3, 0, "the 503 at 60 s is judged at 63 s"},
	} {
		p.NextFivexx()
		deadline := time.Now().Add(3 * time.Second)
		for !p.Status().Paused && !p.Status().Finished {
			if time.Now().After(deadline) {
				t.Fatalf("n (%s): not paused", want.why)
			}
			time.Sleep(10 * time.Millisecond)
		}
		s := eng.Latest()
		if s.Total.Requests != want.requests || verdictsMade(s) != want.verdicts || s.Pending != want.pending || p.Status().Finished {
			t.Errorf("n: %d requests, %d verdicts, %d pending, finished %v; want %d, %d, %d, not finished (%s)",
				s.Total.Requests, verdictsMade(s), s.Pending, p.Status().Finished, want.requests, want.verdicts, want.pending, want.why)
		}
	}
	p.TogglePause()
	<-done
}

// At full speed over batches, stepping to the next 5xx still stops as
// soon as its verdict is made (the controls are otherwise read every
// fastCheck items), and the rest plays once unpaused.
func TestStepAtFullSpeedOverBatches(t *testing.T) {
	in := sources.NewInput(0, sources.Spec{Path: "a.log", Role: sources.RoleProxy})
	eng := classify.NewEngine(classify.Config{Inputs: []*sources.Input{in}})
	p := New(eng, []*sources.Input{in}, Options{Speed: 0})
	batches := make(chan []sources.Item, 4)
	for b := 0; b < 3; b++ {
		var batch []sources.Item
		for i := 0; i < 100; i++ {
			st := 200
			if b == 1 && i == 30 { // the 131st item
				st = 502
			}
			batch = append(batch, sources.Item{Input: in, Rec: &sources.ProxyEntry{Time: t0.Add(time.Duration(b*100+i) * 50 * time.Millisecond), Status: st, RequestTime: -1}})
		}
		batches <- batch
	}
	close(batches)
	p.TogglePause()
	done := make(chan struct{})
	go func() { p.RunBatches(context.Background(), batches); close(done) }()
	p.NextFivexx()
	deadline := time.Now().Add(3 * time.Second)
	// The 502 is at 6.5 s; the grace period (2 s) has passed at 8.5 s, the 171st item.
	for !(p.Status().Paused && eng.Latest() != nil && eng.Latest().Total.Requests == 171) {
		if time.Now().After(deadline) {
			t.Fatalf("after NextFivexx: paused %v, %d requests; want paused once the 502 is judged (171 requests)", p.Status().Paused, eng.Latest().Total.Requests)
		}
		time.Sleep(20 * time.Millisecond)
	}
	if s := eng.Latest(); s.Pending != 0 || verdictsMade(s) != 1 {
		t.Errorf("paused with %d pending and %d verdicts, want the 502 judged", s.Pending, verdictsMade(s))
	}
	p.TogglePause()
	<-done
	if n := eng.Latest().Total.Requests; n != 300 || !p.Status().Finished {
		t.Fatalf("after unpausing: %d requests, finished %v; want 300, true", n, p.Status().Finished)
	}
}

// A long quiet stretch, or one line with a far-off timestamp, stands the
// replay still for maxGap at most, and is counted.
func TestLongGapsAreCut(t *testing.T) {
	in := sources.NewInput(0, sources.Spec{Path: "a.log", Role: sources.RoleProxy})
	times := []time.Time{
		t0, t0.Add(time.Second), // 1 s: 100 ms at speed 10
		t0.Add(3 * time.Hour),                       // a quiet night: cut
		t0.Add(3*time.Hour + 20*time.Second),        // 2 s
		time.Date(2099, 1, 1, 0, 0, 0, 0, time.UTC), // a broken clock: cut
	}
	ch := make(chan sources.Item, len(times))
	for _, tm := range times {
		ch <- sources.Item{Input: in, Rec: &sources.ProxyEntry{Time: tm, Status: 200, Upstream: "a:1", RequestTime: -1}}
	}
	close(ch)
	eng := classify.NewEngine(classify.Config{Inputs: []*sources.Input{in}})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	clk := &cappedClock{fakeClock: fakeClock{now: t0}, limit: t0.Add(time.Hour), cancel: cancel}
	p := New(eng, []*sources.Input{in}, Options{Speed: 10, Clock: clk})
	p.Run(ctx, ch)
	want := 100*time.Millisecond + maxGap + 2*time.Second + maxGap
	if took := clk.Now().Sub(t0); took < want-50*time.Millisecond || took > want+150*time.Millisecond {
		t.Errorf("took %v of wall time, want about %v", took, want)
	}
	if st := p.Status(); st.GapsCut != 2 || !st.Finished {
		t.Errorf("status %+v, want 2 gaps cut and finished", st)
	}
	if got := eng.Latest().Total.Requests; got != int64(len(times)) {
		t.Errorf("%d requests played, want %d", got, len(times))
	}
}

// cappedClock is a fakeClock that gives up (cancels) past limit, so a
// replay that would wait for years fails the test rather than hang it.
type cappedClock struct {
	fakeClock
	limit  time.Time
	cancel func()
}

func (c *cappedClock) Sleep(ctx context.Context, d time.Duration) {
	c.fakeClock.Sleep(ctx, d)
	if c.Now().After(c.limit) {
		c.cancel()
	}
}

// After the end, the replay still answers the window keys and its wall
// clock goes on: the engine, no longer driven by Run, is published again by
// SetWindow at once and by Snapshot every finishedRepublish. (Before, the
// last snapshot stayed for good: "window 15m→1m" in the header for ever.)
func TestWindowAndClockAfterTheEnd(t *testing.T) {
	in := sources.NewInput(0, sources.Spec{Path: "a.log", Role: sources.RoleProxy})
	clk := &fakeClock{now: t0}
	eng := classify.NewEngine(classify.Config{Inputs: []*sources.Input{in}, Now: clk.Now})
	p := New(eng, []*sources.Input{in}, Options{Speed: 0, Clock: clk})
	p.Run(context.Background(), tenSeconds(in))
	if !p.Status().Finished {
		t.Fatal("not finished after Run")
	}
	end := p.Snapshot()
	if end.Window != 15*time.Minute {
		t.Fatalf("window %v, want the default 15m", end.Window)
	}
	p.SetWindow(time.Minute)
	s := p.Snapshot()
	if s.Window != time.Minute {
		t.Fatalf("after SetWindow(1m) at the end the snapshot's window is %v", s.Window)
	}
	if s.Total.Requests != end.Total.Requests || s.Total.Requests != 101 {
		t.Errorf("totals changed: %+v, was %+v", s.Total, end.Total)
	}
	clk.Sleep(context.Background(), 2*finishedRepublish)
	if w := p.Snapshot().Wall; !w.Equal(clk.Now()) {
		t.Errorf("wall clock %v %v after the end, want it to go on (%v)", w, finishedRepublish, clk.Now())
	}
}

// items sends a proxy line at each of times (2xx), then closes.
func items(in *sources.Input, times ...time.Time) chan sources.Item {
	ch := make(chan sources.Item, len(times))
	for _, tm := range times {
		ch <- sources.Item{Input: in, Rec: &sources.ProxyEntry{Time: tm, Status: 200, Upstream: "a:1", RequestTime: -1}}
	}
	close(ch)
	return ch
}

// secs returns t0 plus each of s seconds.
func secs(s ...int) []time.Time {
	var out []time.Time
	for _, x := range s {
		out = append(out, t0.Add(time.Duration(x)*time.Second))
	}
	return out
}

// span returns secs(from), …, secs(to).
func span(from, to int) []time.Time {
	var out []time.Time
	for s := from; s <= to; s++ {
		out = append(out, secs(s)...)
	}
	return out
}

var (
	y2099 = time.Date(2099, 1, 1, 0, 0, 0, 0, time.UTC)
	y1970 = time.Date(1970, 1, 1, 0, 0, 1, 0, time.UTC)
)

// A line past --to ends the replay once the line after it confirms it, as
// the engine's clock confirms a leap. A line from 2099 among lines within
// --to ended a replay at its first minutes; and when only lines less than
// a minute past --to ended it, a log quiet for a while after --to was read
// to its end, line by line, with nothing shown.
func TestToEndsOnceALinePastItIsConfirmed(t *testing.T) {
	for _, tc := range []struct {
		name   string
		times  []time.Time
		played int64 // requests played
		unread int   // lines left unread at least
	}{
		{"a line past --to, then more", span(0, 100), 8, 90},
		{"a 2099 line within --to", slices.Concat(span(0, 3), []time.Time{y2099}, span(4, 100)), 8, 90},
		{"a 2099 first line", slices.Concat([]time.Time{y2099}, span(0, 100)), 8, 90},
		{"a 2099 line right after --to", slices.Concat(span(0, 7), []time.Time{y2099}, span(8, 100)), 8, 90},
		{"a 1970 line after the line past --to", slices.Concat(span(0, 8), []time.Time{y1970}, span(9, 100)), 9, 90},
		{"quiet after --to", slices.Concat(span(0, 7), span(200, 10000)), 8, 9700},
		{"a line a minute, --to between two", secs(0, 60, 120, 180, 240, 300), 1, 3},
		{"the last line past --to", span(0, 8), 8, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in := sources.NewInput(0, sources.Spec{Path: "a.log", Role: sources.RoleProxy})
			ch := items(in, tc.times...)
			eng := classify.NewEngine(classify.Config{Inputs: []*sources.Input{in}})
			p := New(eng, []*sources.Input{in}, Options{Speed: 0, To: t0.Add(7500 * time.Millisecond), Clock: &fakeClock{now: t0}})
			p.Run(context.Background(), ch)
			if got := eng.Latest().Total.Requests; got != tc.played || len(ch) < tc.unread {
				t.Errorf("%d requests played, %d lines unread; want %d, at least %d", got, len(ch), tc.played, tc.unread)
			}
		})
	}
}

// n (next 5xx) after a line from 2099: the log time of the last look was
// 2099, and the awaited verdict was never looked for again; the replay
// played to its end.
func TestNextAfterALineFrom2099(t *testing.T) {
	in := sources.NewInput(0, sources.Spec{Path: "a.log", Role: sources.RoleProxy})
	eng := classify.NewEngine(classify.Config{Inputs: []*sources.Input{in}})
	p := New(eng, []*sources.Input{in}, Options{Speed: 0})
	ch := make(chan sources.Item, 100)
	add := func(tm time.Time, st int) {
		ch <- sources.Item{Input: in, Rec: &sources.ProxyEntry{Time: tm, Status: st, RequestTime: -1}}
	}
	add(t0, 200)
	add(t0.Add(time.Second), 503)
	add(y2099, 200)
	for s := 2; s < 60; s++ {
		add(t0.Add(time.Duration(s)*time.Second), 200)
	}
	close(ch)
	p.TogglePause()
	done := make(chan struct{})
	go func() { p.Run(context.Background(), ch); close(done) }()
	p.NextFivexx()
	deadline := time.Now().Add(3 * time.Second)
	for !p.Status().Paused && !p.Status().Finished {
		if time.Now().After(deadline) {
			t.Fatal("not paused")
		}
		time.Sleep(10 * time.Millisecond)
	}
	if s := eng.Latest(); p.Status().Finished || s.Total.Requests > 6 || verdictsMade(s) != 1 {
		t.Errorf("n: %d requests, %d verdicts, finished %v; want a pause at the 503's verdict (5 requests)",
			s.Total.Requests, verdictsMade(s), p.Status().Finished)
	}
	if !p.Status().Finished {
		p.TogglePause()
	}
	<-done
}

var logBase = time.Date(2026, 11, 21, 10, 0, 0, 0, time.UTC)

// sparseErrorLog writes a combined access log with one line a second over
// secs seconds, a 502 at each of errAt, and an nginx error log with a line
// for each 502: a sparse error log, as they are.
func sparseErrorLog(t *testing.T, secs int, errAt ...int) []*sources.Input {
	dir := t.TempDir()
	var acc, errl strings.Builder
	isErr := map[int]bool{}
	for _, s := range errAt {
		isErr[s] = true
		tm := logBase.Add(time.Duration(s) * time.Second)
		fmt.Fprintf(&errl, "%s [error] 1#1: *2 connect() failed (111: Connection refused) while connecting to upstream, client: 127.0.0.1, server: , request: \"GET /x?n=%d HTTP/1.1\", upstream: \"http://127.0.0.1:35433/x?n=%d\", host: \"h\"\n",
			tm.Format("2006/01/02 15:04:05"), s, s)
	}
	for s := 0; s <= secs; s++ {
		tm := logBase.Add(time.Duration(s) * time.Second)
		st := 200
		if isErr[s] {
			st = 502
		}
		fmt.Fprintf(&acc, "127.0.0.1 - - [%s] \"GET /x?n=%d HTTP/1.1\" %d 3 \"-\" \"ua\"\n", tm.Format("02/Jan/2006:15:04:05 -0700"), s, st)
	}
	a, e := filepath.Join(dir, "access.log"), filepath.Join(dir, "error.log")
	parsertest.WriteFiles(t, map[string]string{a: acc.String(), e: errl.String()})
	loc := sources.ParserOptions{Location: time.UTC}
	return []*sources.Input{sources.NewInput(0, sources.Spec{Path: a, Opts: loc}), sources.NewInput(1, sources.Spec{Path: e, Opts: loc})}
}

// timelineConfig is the engine a replay runs.
func timelineConfig(ins []*sources.Input) classify.Config {
	return classify.Config{Inputs: ins, Timeline: true, Grace: 5 * time.Second}
}

// playFiles replays inputs merged by time, as fivexx replay does
// (RunMerged).
func playFiles(t *testing.T, ins []*sources.Input, opt Options) *Player {
	t.Helper()
	defer sources.SetPoisonFreedBlocks(true)() // see mergedDigestFrom
	p := New(classify.NewEngine(timelineConfig(ins)), ins, opt)
	for i, err := range p.RunMerged(context.Background(), ins) {
		if err != nil {
			t.Errorf("input %d: %v", i, err)
		}
	}
	return p
}

// RunMerged stops at --to with the rest of the inputs unread (no error
// for them: the replay stopped), and at once when its context is done.
func TestRunMergedStops(t *testing.T) {
	t.Run("at --to", func(t *testing.T) {
		ins := sparseErrorLog(t, 20000)
		p := playFiles(t, ins, Options{Speed: 0, To: logBase.Add(100 * time.Second), Clock: &fakeClock{now: logBase}})
		if got := p.eng.Latest().Total.Requests; got != 101 || !p.Status().Finished {
			t.Errorf("%d requests played, finished %v; want 101, true", got, p.Status().Finished)
		}
		if n := ins[0].Counters().Lines; n > 15000 {
			t.Errorf("%d lines read of 20001; want the replay to stop reading soon after --to", n)
		}
	})
	t.Run("context done", func(t *testing.T) {
		ins := sparseErrorLog(t, 2000, 5)
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		defer sources.SetPoisonFreedBlocks(true)() // see mergedDigestFrom
		p := New(classify.NewEngine(timelineConfig(ins)), ins, Options{Speed: 1})
		errs := p.RunMerged(ctx, ins)
		if !p.Status().Finished || p.eng.Latest().Total.Requests > 0 {
			t.Errorf("finished %v with %d requests; want finished with none played", p.Status().Finished, p.eng.Latest().Total.Requests)
		}
		for i, err := range errs {
			if err != nil && !errors.Is(err, context.Canceled) {
				t.Errorf("input %d: %v; want nil or context.Canceled", i, err)
			}
		}
	})
}

// judgeFiles runs inputs merged by time through an engine of cfg,
// advancing after every line, and returns its verdicts.
func judgeFiles(cfg classify.Config) []*classify.Verdict {
	var got []*classify.Verdict
	cfg.OnVerdict = func(v *classify.Verdict) { got = append(got, v) }
	eng := classify.NewEngine(cfg)
	sources.MergeEach(context.Background(), cfg.Inputs, func(it sources.Item) { eng.AddItem(it); eng.Advance() })
	eng.Flush()
	return got
}

// An error log is sparse: a line 3m10s after the one before is the normal
// case there, and is merged by its time. Merged early, it ended a replay
// with --to 10 s before it at its first seconds, stood a replay at 10×
// still for maxGap, sat among the lines of 10:00 (the 502 at 10:00:00 had
// no line after it in its timeline: the walk stopped at it) and there held
// back the eviction until the line cap cut it, and its 502 lost its cause.
func TestASparseErrorLogIsMergedByTime(t *testing.T) {
	t.Run("replay --to", func(t *testing.T) {
		p := playFiles(t, sparseErrorLog(t, 240, 0, 190), Options{Speed: 0, To: logBase.Add(180 * time.Second), Clock: &fakeClock{now: logBase}})
		if got := p.eng.Latest().Total.Requests; got != 181 {
			t.Errorf("%d requests played, want 181 (10:00:00..10:03:00)", got)
		}
	})
	t.Run("replay at 10x", func(t *testing.T) {
		clk := &fakeClock{now: logBase}
		p := playFiles(t, sparseErrorLog(t, 240, 0, 190), Options{Speed: 10, Clock: clk})
		if took, st := clk.Now().Sub(logBase), p.Status(); st.GapsCut != 0 || took > 25*time.Second {
			t.Errorf("240 s at 10x took %v, %d gaps cut; want about 24 s and none", took, st.GapsCut)
		}
	})
	t.Run("timeline", func(t *testing.T) {
		first := judgeFiles(timelineConfig(sparseErrorLog(t, 240, 0, 190)))[0]
		var after int
		for _, l := range first.Timeline.Lines() {
			if l.Time.After(first.Entry.Time) {
				after++
			}
		}
		if after < 5 {
			t.Errorf("timeline of the 502 at 10:00:00 has %d lines after it, want the 5 access lines of 10:00:01..05:\n%v", after, first.Timeline.Lines())
		}
	})
	t.Run("line cap", func(t *testing.T) {
		cfg := timelineConfig(sparseErrorLog(t, 240, 0, 190))
		cfg.MaxLines = 100
		var causes []string
		for _, v := range judgeFiles(cfg) {
			causes = append(causes, fmt.Sprintf("%s %s", v.Entry.Time.Format(time.TimeOnly), v.Cause))
		}
		if want := []string{"10:00:00 upstream_refused", "10:03:10 upstream_refused"}; !slices.Equal(causes, want) {
			t.Errorf("verdicts %q, want %q (each 502 has its error line)", causes, want)
		}
	})
}

// Stepping to the next 5xx over files merged by time (RunMerged, whose
// full speed plays items fastCheck at a time: playFast) stops as soon as
// its verdict is made, as over batches, and the rest plays once unpaused.
func TestStepAtFullSpeedOverFiles(t *testing.T) {
	ins := sparseErrorLog(t, 600, 300) // a line a second, a 502 at 300 s
	eng := classify.NewEngine(timelineConfig(ins))
	p := New(eng, ins, Options{Speed: 0})
	p.TogglePause()
	done := make(chan struct{})
	go func() { p.RunMerged(context.Background(), ins); close(done) }()
	p.NextFivexx()
	// Grace is 5 s: the 502 is judged at the line of 305 s, the 306th.
	deadline := time.Now().Add(3 * time.Second)
	for !(p.Status().Paused && eng.Latest() != nil && eng.Latest().Total.Requests == 306) {
		if time.Now().After(deadline) {
			t.Fatalf("after NextFivexx: paused %v, %d requests; want paused once the 502 is judged (306 requests)", p.Status().Paused, eng.Latest().Total.Requests)
		}
		time.Sleep(20 * time.Millisecond)
	}
	if s := eng.Latest(); s.Pending != 0 || verdictsMade(s) != 1 {
		t.Errorf("paused with %d pending and %d verdicts, want the 502 judged", s.Pending, verdictsMade(s))
	}
	p.TogglePause()
	<-done
	if n := eng.Latest().Total.Requests; n != 601 || !p.Status().Finished {
		t.Fatalf("after unpausing: %d requests, finished %v; want 601, true", n, p.Status().Finished)
	}
}

// playFast plays nothing once NextFivexx has been pressed, and leaves the
// item to play, which notes at once what is pending; otherwise it plays up
// to the next look at the controls.
func TestPlayFastLeavesAPressToPlay(t *testing.T) {
	in := sources.NewInput(0, sources.Spec{Path: "a.log", Role: sources.RoleProxy})
	var items []sources.Item
	for i := 0; i <= fastCheck; i++ {
		items = append(items, sources.Item{Input: in, Rec: &sources.ProxyEntry{Time: t0.Add(time.Duration(i) * time.Millisecond), Status: 200, Upstream: "a:1", RequestTime: -1}})
	}
	eng := classify.NewEngine(classify.Config{Inputs: []*sources.Input{in}, Timeline: true})
	p := New(eng, []*sources.Input{in}, Options{Speed: 0})
	st := playState{lend: true, lastSpeed: 0, started: true, n: 1}
	if !st.fullSpeed() {
		t.Fatal("fullSpeed false at full speed, lending, item 1")
	}
	if n := p.playFast(&st, items); n != fastCheck-1 || st.n != fastCheck {
		t.Fatalf("playFast played %d items (n %d), want %d up to the look at item %d", n, st.n, fastCheck-1, fastCheck)
	}
	if st.fullSpeed() {
		t.Error("fullSpeed true at a look at the controls (n a multiple of fastCheck)")
	}
	st.n++
	p.NextFivexx()
	if n := p.playFast(&st, items[fastCheck-1:]); n != 0 {
		t.Errorf("playFast played %d items after NextFivexx, want none (play notes the press)", n)
	}
}

// A line stamped in the past (a clock set to 1971) does not move the log
// clock, so there is no gap to wait for, before it or after it: the
// replay plays on at its pace (QA live finding 7: it stood still 5 s, the
// next line being based on the 1971 one, and counted a gap cut).
func TestAPastLineDoesNotStall(t *testing.T) {
	in := sources.NewInput(0, sources.Spec{Path: "a.log", Role: sources.RoleProxy})
	times := append(secs(0, 1), time.Date(1971, 1, 1, 0, 0, 0, 0, time.UTC))
	times = append(times, secs(2, 3)...)
	eng := classify.NewEngine(classify.Config{Inputs: []*sources.Input{in}})
	clk := &fakeClock{now: t0}
	p := New(eng, []*sources.Input{in}, Options{Speed: 10, Clock: clk})
	p.Run(context.Background(), items(in, times...))
	want := 300 * time.Millisecond // 3 s of log at speed 10
	if took := clk.Now().Sub(t0); took < want-50*time.Millisecond || took > want+150*time.Millisecond {
		t.Errorf("took %v of wall time, want about %v", took, want)
	}
	if st := p.Status(); st.GapsCut != 0 || !st.Finished {
		t.Errorf("status %+v, want no gap cut and finished", st)
	}
	if got := eng.Latest().Total.Requests; got != int64(len(times)) {
		t.Errorf("%d requests played, want %d", got, len(times))
	}
}

// statusClock is a fakeClock that notes the player's Status each time
// the replay has played another 10 s of wall time.
type statusClock struct {
	fakeClock
	p    *Player
	next time.Time
	seen []Status
}

func (c *statusClock) Sleep(ctx context.Context, d time.Duration) {
	c.fakeClock.Sleep(ctx, d)
	if now := c.Now(); !now.Before(c.next) {
		c.seen = append(c.seen, c.p.Status())
		c.next = c.next.Add(10 * time.Second)
	}
}

// replayNotingStatus replays 120 s of a sparse error log at 1x with
// freed blocks poisoned, and returns the player and the Status noted
// every 10 s of wall time.
func replayNotingStatus(t *testing.T) (*Player, []Status) {
	t.Helper()
	ins := sparseErrorLog(t, 120, 30, 90)
	clk := &statusClock{fakeClock: fakeClock{now: logBase}, next: logBase.Add(10 * time.Second)}
	defer sources.SetPoisonFreedBlocks(true)()
	p := New(classify.NewEngine(timelineConfig(ins)), ins, Options{Speed: 1, Clock: clk})
	clk.p = p
	for i, err := range p.RunMerged(context.Background(), ins) {
		if err != nil {
			t.Fatalf("input %d: %v", i, err)
		}
	}
	return p, clk.seen
}

// The ETA of a replay at a speed is the log time left at that speed, from
// the start: 120 s of log at 1x, 110 s left after 10 s. It was made from
// the bytes read, which run ahead of the lines played: at the first
// second of a replay at 1x of 120 s, 923 kB of 8.6 MB were read and the
// ETA said 9.7 s (QA live finding 8); here the files are read whole at
// once, and it said nothing.
func TestETAIsTheLogTimeLeftAtTheSpeed(t *testing.T) {
	_, seen := replayNotingStatus(t)
	var etas []time.Duration
	for _, st := range seen {
		etas = append(etas, st.ETA)
	}
	if len(etas) < 11 {
		t.Fatalf("ETAs noted every 10 s: %v, want 11 or more", etas)
	}
	for i, eta := range etas[:11] {
		want := time.Duration(110-10*i) * time.Second
		if eta < want-5*time.Second || eta > want+5*time.Second {
			t.Errorf("after %d s the ETA was %v, want about %v (all: %v)", 10*(i+1), eta, want, etas)
		}
	}
}

// The progress bar shows the bytes of the lines played, not those read:
// the readers run ahead (here they read both small files whole at once),
// and at 1x the bar stood at 100 % from the first second of a replay of
// 2 minutes. After 10 s of 120 it is at about a twelfth, and it ends at
// the whole files.
func TestProgressIsWhatWasPlayed(t *testing.T) {
	p, seen := replayNotingStatus(t)
	if len(seen) < 11 {
		t.Fatalf("progress noted every 10 s %d times, want 11 or more", len(seen))
	}
	for i, st := range seen[:11] {
		want := float64(10*(i+1)) / 120
		if got := float64(st.Done) / float64(st.Total); st.Total <= 0 || got < want-0.03 || got > want+0.03 {
			t.Errorf("after %d s of 120 the progress was %d of %d bytes (%.3f), want about %.3f", 10*(i+1), st.Done, st.Total, got, want)
		}
	}
	if st := p.Status(); !st.Finished || st.Done != st.Total {
		t.Errorf("at the end: %d of %d bytes, finished %v", st.Done, st.Total, st.Finished)
	}
}

// - reaches --speed's least, 0.1×, and stops there; + comes back up.
func TestSlowerReachesTheLeastSpeed(t *testing.T) {
	in := sources.NewInput(0, sources.Spec{Path: "a.log", Role: sources.RoleProxy})
	eng := classify.NewEngine(classify.Config{Inputs: []*sources.Input{in}})
	p := New(eng, []*sources.Input{in}, Options{Speed: 1})
	for range 5 {
		p.Slower()
	}
	if got := p.Status().Speed; got != "0.1×" {
		t.Fatalf("slowest: %q, want 0.1×", got)
	}
	p.Faster()
	if got := p.Status().Speed; got != "0.25×" {
		t.Fatalf("faster from 0.1×: %q, want 0.25×", got)
	}
}
