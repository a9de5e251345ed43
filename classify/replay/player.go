// Package replay plays records through the engine with their original gaps
// divided by a speed, so a recorded incident looks as it did live: rates,
// windows and sparklines run on log time. Replay and demo both use it.
package replay

import (
	"context"
	"errors"
	"fmt"
	"math"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"fivexx/classify"
	"fivexx/sources"
)

// Clock is the wall clock the player paces by; tests give a fake one.
type Clock interface {
	Now() time.Time
	Sleep(ctx context.Context, d time.Duration)
}

type realClock struct{}

func (realClock) Now() time.Time { return time.Now() }
func (realClock) Sleep(ctx context.Context, d time.Duration) {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
	case <-t.C:
	}
}

// speeds are the steps + and - move through; 0 means as fast as the pipeline goes.
// The slowest is --speed's least, 0.1: - stopped at 0.25 (QA).
var speeds = []float64{0.1, 0.25, 0.5, 1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 0}

// Options configure a player.
type Options struct {
	// Speed divides the original gaps; 0 plays at full speed ("max").
	Speed float64
	// From and To limit the log time played (zero: no limit).
	From, To time.Time
	// Clock paces playback (nil: the real clock).
	Clock Clock
	// Publish is how often a snapshot is published (default 100 ms of wall time).
	Publish time.Duration
	// ReadErrors, when set, is given RunMerged's errors (by input) once
	// every input is read, before the last snapshot is published: what
	// it tells of them (their states, the engine's InputProblems) is in
	// that snapshot.
	ReadErrors func(errs []error)
}

// Player paces records into an engine and implements the UI's source and
// replay controls. Its Run loop is the engine's only driver.
type Player struct {
	eng  *classify.Engine
	ins  []*sources.Input
	opt  Options
	clk  Clock
	mu   sync.Mutex
	cond chan struct{} // closed and replaced when controls change, to wake the loop

	paused bool
	// held is set while fivexx is suspended (ctrl+z, Suspend): the
	// replay stands still, and on Resume its pacing base moves on by
	// heldFor, the wall time held, so that it goes on from where it was
	// at its speed, each line at its moment. Stopped by SIGTSTP the loop
	// saw the wall clock jump by the time it was stopped and played
	// that time's lines at once (a minute of log in a blink at 1x). Apart
	// from paused: the replay's own pause and n are as they were.
	held     bool
	heldAt   time.Time
	heldFor  time.Duration
	speed    float64
	stepping bool // play until the next verdict is made, then pause
	// steps counts the presses of NextFivexx; the loop reads it on every
	// item (a lock per item was a tenth of a full-speed replay) to note, at
	// once, what was pending when n was pressed (playState.await).
	steps atomic.Uint64
	// stopped is the verdict NextFivexx stopped at, and stoppedWith how
	// many more verdicts were made with it (at the same look): shown
	// until playing goes on (Status.Stopped). Only the 5xx's pending
	// count changed on screen, and the verdict made could be of another
	// upstream than the one open (QA s34 L5).
	stopped     *classify.Verdict
	stoppedWith int64
	done        bool
	// finished is set once every line has been played (or the replay
	// stopped), before the last snapshot: inputState reads it while the
	// engine publishes, which after the end is under mu.
	finished atomic.Bool
	// finishedPub is when the last snapshot was published after the end
	// (finishedRepublish).
	finishedPub time.Time
	gapsCut     int64 // gaps longer than maxGap cut short
	// rate of bytes per wall second, for the ETA at full speed
	rateAt    time.Time
	rateBytes int64
	rate      float64
	// rateShare and shareRate are the same for the share of the From/To
	// window played (Status.Share), when one is given.
	rateShare, shareRate float64
	// fromBytes is, once a line within From and To has been played
	// (fromSet), how many of the inputs' bytes were behind it: the bytes
	// the window starts at, for its progress with From alone.
	fromBytes atomic.Int64
	fromSet   atomic.Bool
	// end is, with From alone, once fromSet, the log time the inputs end
	// at (unix ns, 0 when it cannot be known: windowEnd).
	end atomic.Int64
	// windowFirst is, once fromSet, the time of the first line played
	// within From and To (unix ns): where a window of To alone starts,
	// for the inputs' shares of it (windowPlayingState).
	windowFirst atomic.Int64
	// inputFrom is, for each input, its bytes behind the first line
	// played within From and To (set with fromSet), and inputAt the time
	// of its last line played within them (unix ns, 0 for none): its own
	// share of the window, as the replay line counts the window's.
	inputFrom, inputAt []atomic.Int64
	// played is how far the lines played took the log clock, for the
	// ETA at a speed (playedSoFar).
	played playedSoFar
	// lineAt is, for each input (p.ins[i]), the number of the last of its
	// lines played or passed, for the progress (Status.Done).
	lineAt []atomic.Int64
	// inWindow is, for each input, whether a line of it was played within
	// From and To (set only when one is given): a window with no line
	// played nothing and said only "finished".
	inWindow []atomic.Bool
	// secs counts, for each input (p.ins[i]), the lines played by second
	// of log time, for its lines/s (inputState). Written by the loop, read
	// by the publishes, which are on the loop until the replay has
	// finished and under mu after.
	secs []classify.LineSeconds
}

// New makes a player over an engine; ins are the inputs whose bytes make the progress.
func New(eng *classify.Engine, ins []*sources.Input, opt Options) *Player {
	if opt.Clock == nil {
		opt.Clock = realClock{}
	}
	if opt.Publish <= 0 {
		opt.Publish = 100 * time.Millisecond
	}
	p := &Player{eng: eng, ins: ins, opt: opt, clk: opt.Clock, speed: opt.Speed, cond: make(chan struct{}),
		lineAt: make([]atomic.Int64, len(ins)), inWindow: make([]atomic.Bool, len(ins)), secs: make([]classify.LineSeconds, len(ins)),
		inputFrom: make([]atomic.Int64, len(ins)), inputAt: make([]atomic.Int64, len(ins))}
	eng.ShowPlayed(p.inputState)
	return p
}

// finishedRepublish is how often a finished replay publishes its final
// state again when asked for a snapshot, so the wall clock and the inputs'
// lines/s on screen do not freeze at the moment the replay ended.
const finishedRepublish = time.Second

// Snapshot returns the latest published snapshot. Once the replay has
// finished, nothing drives the engine any more: it is republished here
// every finishedRepublish.
func (p *Player) Snapshot() *classify.Snapshot {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.done {
		if now := p.clk.Now(); now.Sub(p.finishedPub) >= finishedRepublish {
			p.eng.Publish(false)
			p.finishedPub = now
		}
	}
	return p.eng.Latest()
}

// SetWindow changes the rolling window. While playing, the next snapshot
// has it; once the replay has finished, a snapshot of the final data over
// the new window is published at once (before, the window asked for after
// the end never applied).
func (p *Player) SetWindow(d time.Duration) {
	p.eng.SetWindow(d)
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.done {
		p.eng.Publish(false)
		p.finishedPub = p.clk.Now()
	}
}

func (p *Player) wake() {
	close(p.cond)
	p.cond = make(chan struct{})
}

// TogglePause pauses or resumes playback.
func (p *Player) TogglePause() {
	p.mu.Lock()
	p.paused = !p.paused
	p.stepping = false
	if !p.paused {
		p.stopped, p.stoppedWith = nil, 0
	}
	p.wake()
	p.mu.Unlock()
}

// Suspend holds playback while fivexx is stopped (ctrl+z): the UI calls
// it before it suspends, as the player cannot tell a stop from a slow
// wall clock.
func (p *Player) Suspend() {
	p.mu.Lock()
	if !p.held {
		p.held, p.heldAt = true, p.clk.Now()
	}
	p.wake()
	p.mu.Unlock()
}

// Resume goes on after Suspend from where playback was, at its speed,
// each line at its moment: the time fivexx was stopped is not played.
func (p *Player) Resume() {
	p.mu.Lock()
	if p.held {
		p.held = false
		p.heldFor += p.clk.Now().Sub(p.heldAt)
	}
	p.wake()
	p.mu.Unlock()
}

// Faster moves to the next speed step (the last is max).
func (p *Player) Faster() { p.step(+1) }

// Slower moves to the previous speed step.
func (p *Player) Slower() { p.step(-1) }

func (p *Player) step(dir int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	i := 0
	for j, s := range speeds {
		if s == p.speed {
			i = j
			break
		}
		if s != 0 && p.speed != 0 && s <= p.speed {
			i = j
		}
	}
	i += dir
	if i < 0 {
		i = 0
	}
	if i >= len(speeds) {
		i = len(speeds) - 1
	}
	p.speed = speeds[i]
	p.wake()
}

// NextFivexx plays until the next verdict is made, then pauses: the
// verdict of a 5xx already pending (one within the grace period of the
// last stop), or else of the next 5xx to come (the grace period of log
// time after it). It plays those lines at once, whatever the speed.
func (p *Player) NextFivexx() {
	p.mu.Lock()
	p.paused, p.stepping = false, true
	p.stopped, p.stoppedWith = nil, 0
	p.steps.Add(1)
	p.wake()
	p.mu.Unlock()
}

// SpeedText shows a speed as the UI does: "10×" or "max".
func SpeedText(s float64) string {
	if s == 0 {
		return "max"
	}
	if s == float64(int64(s)) {
		return fmt.Sprintf("%d×", int64(s))
	}
	return fmt.Sprintf("%g×", s)
}

// Status is where playback stands.
type Status struct {
	Paused bool
	Speed  string
	// Done is how many of the inputs' Total bytes have been played
	// (playedBytes); all that was read once the replay has finished.
	Done, Total int64
	ETA         time.Duration
	Finished    bool
	// GapsCut counts the gaps between lines cut to maxGap (5 s).
	GapsCut int64
	// Empty says, once finished, what From and To left nothing to play
	// ("no line from … to …"); "" when a line was played or no limit was
	// given.
	Empty string
	// From and To are Options.From and To. When either is given, Share is
	// how much of the window they make has been played, 0..1 (1 once
	// finished), and ETA is the time left of that window, not of the
	// inputs: with --to, the progress and ETA of the whole files said
	// "24% … ETA 21s" and ended "■ finished 33%" (QA s28).
	From, To time.Time
	Share    float64
	// Stopped is the verdict NextFivexx paused at (the 5xx it skipped
	// ahead to), until playing goes on; nil otherwise, or when so many
	// verdicts were made with it that the snapshot's Recent no longer
	// holds it. StoppedWith counts the verdicts made with it, beyond it
	// (the engine judges every 5xx whose grace has passed at once).
	Stopped     *classify.Verdict
	StoppedWith int64
}

// windowed says Options.From or To is given.
func (p *Player) windowed() bool { return !p.opt.From.IsZero() || !p.opt.To.IsZero() }

// windowEnd is the log time the From/To window ends at: To, or with From
// alone the time the inputs end at, read from the last lines of their
// files when the first line of the window is played (inputsEnd); zero
// when neither is known.
func (p *Player) windowEnd() time.Time {
	if !p.opt.To.IsZero() {
		return p.opt.To
	}
	if end := p.end.Load(); end != 0 {
		return time.Unix(0, end)
	}
	return time.Time{}
}

// inputsEnd is the log time the inputs end at, for the progress of a
// window of From alone by log time, as one with To is counted: the time
// of the last line of the proxy's access logs (of every input when none
// is one: the log clock is the proxy's, and an app's far-off clock does
// not move it), each read from the end of its file (sources.LastTime).
// 0 when one of them cannot tell, and the progress is the bytes from
// From to the end: standard input, a command or a pipe has no end to
// read before it comes, and a gzip file's last line is its whole length
// away (read from its start, as a report reads it: half the replay's
// reading again). Nor when it is before first, the time of the first
// line played within the window (a file that grew or was replaced
// since, a zone-less stamp read in another year).
func inputsEnd(ins []*sources.Input, first time.Time) int64 {
	var end time.Time
	proxy := slices.ContainsFunc(ins, func(in *sources.Input) bool { return in.Role() == sources.RoleProxy })
	for _, in := range ins {
		if proxy && in.Role() != sources.RoleProxy {
			continue
		}
		t, ok := sources.LastTime(in)
		if !ok {
			return 0
		}
		if t.After(end) {
			end = t
		}
	}
	if end.IsZero() || end.Before(first) {
		return 0
	}
	return end.UnixNano()
}

// windowShare is how much of the From/To window has been played, 0..1,
// from the bytes of the inputs played (done) of their size (total): the
// log time played of the window's, which starts at From or the first
// line's time and ends at To or, with From alone, at the inputs' end
// (windowEnd); with From alone where that end cannot be known, the bytes
// played since From of those from there to the end.
func (p *Player) windowShare(done, total int64) float64 {
	var share float64
	switch pl, end := p.played, p.windowEnd(); {
	case p.done:
		return 1
	case !end.IsZero():
		start := p.opt.From
		if start.IsZero() {
			start = pl.first
		}
		if span := end.Sub(start); span > 0 && !pl.now.IsZero() {
			share = float64(pl.now.Sub(start)) / float64(span)
		}
	case p.fromSet.Load():
		from := p.fromBytes.Load()
		if total > from {
			share = float64(done-from) / float64(total-from)
		}
	}
	return min(max(share, 0), 1)
}

// Status returns where playback stands, for the UI header.
func (p *Player) Status() Status {
	p.mu.Lock()
	defer p.mu.Unlock()
	st := Status{Paused: p.paused, Speed: SpeedText(p.speed), Finished: p.done, GapsCut: p.gapsCut,
		From: p.opt.From, To: p.opt.To, Stopped: p.stopped, StoppedWith: p.stoppedWith}
	if p.done && !p.playedInWindow() {
		st.Empty = p.emptyWindow()
	}
	var read, parsed int64
	for i, in := range p.ins {
		c := in.Counters()
		read += c.Bytes
		parsed += c.Parsed
		st.Done += playedBytes(c, p.lineAt[i].Load(), p.done)
		st.Total += c.Size
	}
	windowed := p.windowed()
	if windowed {
		st.Share = p.windowShare(st.Done, st.Total)
	}
	now := p.clk.Now()
	if p.rateAt.IsZero() {
		p.rateAt, p.rateBytes, p.rateShare = now, st.Done, st.Share
	} else if dt := now.Sub(p.rateAt); dt >= time.Second {
		p.rate = float64(st.Done-p.rateBytes) / dt.Seconds()
		p.shareRate = (st.Share - p.rateShare) / dt.Seconds()
		p.rateAt, p.rateBytes, p.rateShare = now, st.Done, st.Share
	}
	switch {
	case p.paused || p.done:
	case windowed:
		st.ETA = p.windowETA(st.Share, parsed, read, st.Total)
	case p.speed > 0:
		st.ETA = p.played.eta(parsed, read, st.Total, p.speed)
	case p.rate > 0 && st.Total > st.Done:
		st.ETA = time.Duration(float64(st.Total-st.Done) / p.rate * float64(time.Second))
	}
	return st
}

// windowETA is the wall time left of the From/To window, at share of it
// played: at a speed, the lines left of the inputs (eta, less those passed
// before From), and with To no longer than the log time left to it at the
// speed (the lines left count those past To); with From alone and the
// inputs' end known (windowEnd), the log time left to it at the speed, as
// the progress is its log time (the lines left at the rate they came so
// far said 23 s where 50 s of log were left, after a burst); at full
// speed, the share left at the rate the share grew.
func (p *Player) windowETA(share float64, parsed, read, total int64) time.Duration {
	if p.speed <= 0 {
		if p.shareRate <= 0 {
			return 0
		}
		return time.Duration((1 - share) / p.shareRate * float64(time.Second))
	}
	end, now := p.windowEnd(), p.played.now
	var left time.Duration
	if !end.IsZero() && !now.IsZero() {
		left = time.Duration(float64(max(end.Sub(now), 0)) / p.speed)
		if p.opt.To.IsZero() {
			return left
		}
	}
	eta := p.played.eta(parsed, read, total, p.speed)
	if !end.IsZero() && !now.IsZero() && (eta == 0 || left < eta) {
		eta = left
	}
	return eta
}

// playedBytes is how many of the bytes read of an input of counters c its
// lines up to line (the last one played) take: the bytes read in the
// share of the lines read that were played (of a gzip file, compressed
// bytes), all of them once finished. The readers run ahead of the lines
// played, by a few batches or, with small files, by all of them: the
// progress bar counted the bytes read and stood at 100 % from the first
// second of a replay at 1x of a file of 2 minutes.
func playedBytes(c sources.Counters, line int64, finished bool) int64 {
	switch {
	case finished || line >= c.Lines:
		return c.Bytes
	case line <= 0:
		return 0
	}
	return int64(float64(c.Bytes) * float64(line) / float64(c.Lines))
}

// noteLine notes, for Status, that the lines of it's input up to its own
// have been played (or passed), and counts them for lines/s when played.
func (p *Player) noteLine(it *sources.Item, played bool) {
	if i := p.index(it.Input); i >= 0 {
		p.lineAt[i].Store(it.LineNo)
		if played {
			p.countLine(i, it)
		} else {
			p.secs[i].Pass(it.LineNo)
		}
	}
}

// index is in's place in p.ins, -1 when it is none of them.
func (p *Player) index(in *sources.Input) int {
	if i := in.Index; i >= 0 && i < len(p.ins) && p.ins[i] == in {
		return i
	}
	return slices.Index(p.ins, in)
}

// inputState is what the inputs pane says of input in, of counters c,
// whose reader says read (classify.PlayedState): state is "playing" and
// how much of it has been played until its last line has, then "done",
// and perSec its lines/s at the log clock's now: the lines played with a
// time in the last RateSpan whole seconds up to now's, over RateSpan, as
// the rates pane counts the requests (classify.LineSeconds). The readers
// run ahead of the lines played, by a few batches or, with small files,
// by all of them: the pane said "done" from the first second of a replay
// at 1x of a file of 2 minutes. What else a reader says (a read error, a
// format not recognised, "starting") is shown as it is. The readers'
// count made lines/s how fast they read ahead (0 once they had read a
// small file whole).
func (p *Player) inputState(in *sources.Input, c sources.Counters, read string, now time.Time) (state string, perSec float64) {
	i := p.index(in)
	if i < 0 {
		return read, 0
	}
	perSec = p.secs[i].Rate(now)
	line := p.lineAt[i].Load()
	if read != "reading" && read != "done" {
		return read, perSec
	}
	last, ended := in.LastRecord()
	if p.finished.Load() || ended && line >= last {
		if e := p.emptyWindow(); e != "" && !p.inWindow[i].Load() {
			return e, perSec
		}
		return "done", perSec
	}
	if p.windowed() {
		return p.windowPlayingState(i, c, line), perSec
	}
	return playingState(c, line, ended), perSec
}

// windowPlayingState is the state of input i, of counters c played up to
// line, in a replay with From or To: "playing" and its share of the
// window, as the replay line counts the window's (windowShare): with its
// end known (windowEnd), the share of the window's log time up to its
// last line played; else, with From alone, its bytes played since the
// window began of those from there to its end. Below 100 % until it is done. The whole file's share said
// "playing 37%" beside the replay line's "55% of 07:40:30–07:41:10" (QA
// s28).
func (p *Player) windowPlayingState(i int, c sources.Counters, line int64) string {
	if !p.fromSet.Load() {
		return "playing 0%"
	}
	var share float64
	if to := p.windowEnd(); !to.IsZero() {
		start := p.opt.From
		if first := p.windowFirst.Load(); start.IsZero() && first != 0 {
			start = time.Unix(0, first)
		}
		if at := p.inputAt[i].Load(); at != 0 && !start.IsZero() && to.After(start) {
			share = float64(time.Unix(0, at).Sub(start)) / float64(to.Sub(start))
		}
	} else if from := p.inputFrom[i].Load(); c.Size > from {
		share = float64(playedBytes(c, line, false)-from) / float64(c.Size-from)
	}
	// Rounded as the replay line's "%3.0f%%" is, so the two agree.
	return fmt.Sprintf("playing %d%%", min(max(int(math.Round(share*100)), 0), 99))
}

// countLine counts it's line, played, by the second of its time (the log
// clock's when it has none), for its input's lines/s, as the rates pane
// counts the requests. Lines/s was the lines counted since the newest
// snapshot before the span, over the log time since: at --speed max the
// snapshots (100 ms of wall time) are many log seconds apart, and at the
// end of three runs of the same files the access log read 123, 119 and
// 126 lines/s beside the rates pane's "all 94.7/s".
func (p *Player) countLine(i int, it *sources.Item) {
	t := mergeTime(it)
	if t.IsZero() {
		t = p.eng.LogNow()
	}
	p.secs[i].Count(t.Unix(), it.LineNo)
}

// playedInWindow says whether a line of any input was played within From
// and To.
func (p *Player) playedInWindow() bool {
	for i := range p.inWindow {
		if p.inWindow[i].Load() {
			return true
		}
	}
	return false
}

// emptyWindow says which window From and To make, as "no line from …
// to …", or "" when neither is given.
func (p *Player) emptyWindow() string {
	const layout = "2006-01-02T15:04:05Z07:00"
	from, to := p.opt.From, p.opt.To
	switch {
	case !from.IsZero() && !to.IsZero():
		return fmt.Sprintf("no line from %s to %s", from.Format(layout), to.Format(layout))
	case !from.IsZero():
		return fmt.Sprintf("no line from %s on", from.Format(layout))
	case !to.IsZero():
		return fmt.Sprintf("no line up to %s", to.Format(layout))
	}
	return ""
}

// playingState is the state of an input of counters c played up to line:
// "playing" and the share of it played, as the progress bar counts it
// (playedBytes; of the lines when the size is not known), below 100 %
// until it is done.
func playingState(c sources.Counters, line int64, ended bool) string {
	var share float64
	switch {
	case c.Size > 0:
		share = float64(playedBytes(c, line, false)) / float64(c.Size)
	case ended && c.Lines > 0:
		share = float64(line) / float64(c.Lines)
	default:
		return "playing"
	}
	return fmt.Sprintf("playing %d%%", min(int(share*100), 99))
}

// Run plays items until they end or ctx is done, then makes every pending
// verdict final and publishes a last snapshot.
func (p *Player) Run(ctx context.Context, items <-chan sources.Item) {
	var st playState
	defer p.finish()
	for it := range items {
		if !p.play(ctx, &st, &it) {
			return
		}
	}
}

// RunBatches is Run over batches, as sources.MergeBatches sends them; each
// batch is handed back with sources.ReleaseBatch once played. It is what
// replay uses: at full speed one channel receive per item cost as much as
// the engine's work on it.
func (p *Player) RunBatches(ctx context.Context, batches <-chan []sources.Item) {
	var st playState
	defer p.finish()
	for b := range batches {
		for i := range b {
			if !p.play(ctx, &st, &b[i]) {
				return
			}
		}
		sources.ReleaseBatch(b)
	}
}

// RunMerged merges ins by time (sources.MergeRuns) and plays each record
// on the caller's goroutine as the merge hands it over (in runs, as a
// report's engine takes them: no call through a func value per record), until the inputs
// end, ctx is done or playing stops (Options.To), then makes every pending
// verdict final and publishes a last snapshot. It returns the first read
// error per input, as MergeEach does (context.Canceled once ctx is done;
// none for the inputs left unread when playing stopped at Options.To).
//
// It is what replay uses. Through MergeBatches and RunBatches, a goroutine
// of its own merged the inputs into batches for the player's: on two cores
// the two (and the readers) waited for cores and for each other, as a
// report's merge did before it went the same way. On the 2 M bench set,
// BenchmarkReplayMax medians of 7 alternated runs: 1.37 s against 1.61 s
// through RunBatches.
func (p *Player) RunMerged(ctx context.Context, ins []*sources.Input) []error {
	// The readers lend the engine their blocks (Engine.AddLent): every
	// record is handed to it in the order read, added or passed.
	st := playState{lend: true}
	defer p.finish()
	merge, stop := context.WithCancel(ctx)
	defer stop()
	stopped := false
	errs := sources.MergeRuns(merge, ins, func(run []sources.Item) {
		// Once playing has stopped, the merge runs on until it sees
		// merge cancelled: the items on the way are not played.
		for i := 0; i < len(run) && !stopped; {
			if st.fullSpeed() {
				// None played: NextFivexx was pressed, for play.
				if k := p.playFast(&st, run[i:]); k > 0 {
					i += k
					continue
				}
			}
			if !p.play(ctx, &st, &run[i]) {
				stopped = true
				stop()
			}
			i++
		}
	})
	if stopped && ctx.Err() == nil {
		// Stopped at Options.To: the readers cut short are no error.
		for i, err := range errs {
			if errors.Is(err, context.Canceled) {
				errs[i] = nil
			}
		}
	}
	if p.opt.ReadErrors != nil {
		p.opt.ReadErrors(errs) // before finish publishes
	}
	return errs
}

// playState is the pacing state of one Run.
type playState struct {
	logBase, wallBase time.Time
	lastSpeed         float64
	lastPub           time.Time
	n                 uint
	started           bool
	// limited says Options.From or To is set: only then is every item's
	// time read before it is played (at full speed, reading it for
	// nothing was a fifth of the player's own work).
	limited bool
	steps   uint64   // the Player.steps seen
	await   *awaited // the verdict NextFivexx waits for, until it is made
	// pastTo is the time of a line past Options.To, not played, that ends
	// the replay once the line after it confirms it (see endsAtTo).
	pastTo time.Time
	// logFirst is the log clock when pace first found it set, after
	// nFirst lines (notePlayed).
	logFirst time.Time
	nFirst   uint
	// lend says the items are handed to the engine with Engine.AddLent,
	// and those not played with Engine.PassLent (RunMerged).
	lend bool
	// passed counts the items not played (before From, past To).
	passed int64
	// lastLook is the wall clock just before pace last went to sleep, and
	// asked how long it asked to sleep: waking later than that by
	// stoppedGap means the process was stopped from outside (kill -STOP,
	// then -CONT), which no Suspend held (stoppedFor). Zero once the look
	// after the sleep has checked it: only a sleep is measured.
	lastLook time.Time
	asked    time.Duration
}

// stoppedGap is how much later than asked pace may wake from a sleep
// before it takes the process to have been stopped (SIGSTOP, a host
// suspended): it sleeps Publish (100 ms) at most. A replay at 1x stopped
// for a minute by kill -STOP played that minute's lines at once on kill
// -CONT: ctrl+z holds it first (Suspend), a stop from outside cannot,
// and SIGSTOP cannot be caught. Only the sleep is measured: the time
// before it (a slow Advance or Publish in a 5xx storm) and between two
// items (a line the reader delivers late) is not a stop, and the lines
// after it catch up, as they did before stops were counted. A stop that
// falls outside a sleep (while an item is read or played; the loop sleeps
// between two items unless they are due within 1 ms of each other) is
// missed, and its time is played at once, as are shorter stops.
const stoppedGap = 500 * time.Millisecond

// stoppedFor is how long the process was stopped in the sleep the look
// at now wakes from: the wall time past what the sleep asked for, when
// over stoppedGap; 0 otherwise, and when the look follows no sleep. It
// forgets the sleep: the next look measures the next one.
func (st *playState) stoppedFor(now time.Time) time.Duration {
	if st.lastLook.IsZero() {
		return 0
	}
	late := now.Sub(st.lastLook) - st.asked
	st.lastLook, st.asked = time.Time{}, 0
	if late <= stoppedGap {
		return 0
	}
	return late
}

// sleep waits up to d as wait does, noting when it went to sleep and for
// how long it asked, for the look after it (stoppedFor).
func (p *Player) sleep(ctx context.Context, st *playState, wake chan struct{}, d time.Duration) {
	st.lastLook, st.asked = p.clk.Now(), d
	p.wait(ctx, wake, d)
}

// awaited is the verdict NextFivexx waits for: the next one made after n
// was pressed. Pausing right after a 5xx's access line stopped on a 5xx
// the UI could not show: its verdict waits for the grace period of log
// time, and a paused replay never advances log time (the causes pane said
// "no 5xx in the window"). So the replay plays on until a verdict is made.
// The engine judges its pending 5xx in order, so that verdict is the one
// of the oldest 5xx pending when n was pressed (one that came within the
// grace period of the last stop), or, when none was, of the next 5xx to
// come. Before, only a 5xx that came after n was awaited: a pending one
// was judged on the way and the replay ran on to the next new 5xx,
// however far away.
type awaited struct {
	made    int64     // verdicts made when n was pressed
	pending bool      // a 5xx is pending: look for the verdict
	checked time.Time // the engine's log clock at the last look
}

// awaitCheck is how much log time passes between looks at whether the
// awaited verdict is made (each look publishes a snapshot).
const awaitCheck = 100 * time.Millisecond

// verdictsMade counts the verdicts behind snapshot s.
func verdictsMade(s *classify.Snapshot) int64 {
	var n int64
	for _, k := range s.Total.Causes {
		n += k
	}
	return n
}

// finish makes every pending verdict final and publishes the last snapshot.
// From then on the engine is driven under p.mu, by Snapshot and SetWindow.
func (p *Player) finish() {
	p.eng.Flush()
	p.finished.Store(true)
	p.eng.Publish(false)
	p.mu.Lock()
	p.done = true
	p.finishedPub = p.clk.Now()
	p.mu.Unlock()
}

// maxGap is the longest a replay stands still between two lines: a longer
// gap at the current speed is cut to it (Status.GapsCut). A quiet night in
// the log, or one line with a far-off timestamp (a clock set to 2099),
// would otherwise stop the replay for hours or years.
const maxGap = 5 * time.Second

// fastCheck is how many items full speed plays between looks at the
// controls and the clock: a lock and a clock read per item were a tenth of
// a full-speed replay, and 256 items take about 100 µs. (At 64, the looks
// were a quarter of what the player did beyond a report's engine:
// callgrind, 200 k lines.)
const fastCheck = 256

// The engine advances at every 256th item, as a report's does: a multiple
// of fastCheck, so that a run of playFast crosses none but at its end (this
// fails to compile otherwise).
var _ = [1]struct{}{}[256%fastCheck]

// play waits for it's moment (or for the player to be unpaused) and adds it
// to the engine. It reports false when playing must stop.
func (p *Player) play(ctx context.Context, st *playState, it *sources.Item) bool {
	if !st.started {
		st.started, st.lastSpeed, st.lastPub = true, -1, p.clk.Now()
		st.limited = !p.opt.From.IsZero() || !p.opt.To.IsZero()
	}
	if st.limited {
		t := mergeTime(it)
		if !p.opt.From.IsZero() && !t.IsZero() && t.Before(p.opt.From) {
			p.pass(st, it)
			return true
		}
		if !p.opt.To.IsZero() && (t.After(p.opt.To) || !st.pastTo.IsZero()) {
			if end, skip := p.endsAtTo(st, t); end || skip {
				p.pass(st, it)
				return !end
			}
		}
	}
	// At full speed the controls are read every fastCheck items only.
	if st.lastSpeed != 0 || st.n%fastCheck == 0 {
		if !p.pace(ctx, st, it) {
			return false
		}
	}
	if n := p.steps.Load(); n != st.steps {
		// n was pressed: count before this item, which may end a grace period.
		st.steps = n
		s := p.eng.Publish(false)
		st.await = &awaited{made: verdictsMade(s), pending: s.Pending > 0}
		p.eng.WatchNextVerdict()
	}
	if st.lend {
		p.eng.AddLent(it)
	} else {
		p.eng.AddItem(*it)
	}
	if st.limited && !p.fromSet.Load() {
		// The first line in the window: the bytes behind it are
		// where the window's progress starts.
		var behind int64
		for i, in := range p.ins {
			b := playedBytes(in.Counters(), p.lineAt[i].Load(), false)
			p.inputFrom[i].Store(b)
			behind += b
		}
		t := mergeTime(it)
		if !t.IsZero() {
			p.windowFirst.Store(t.UnixNano())
		}
		if p.opt.To.IsZero() {
			p.end.Store(inputsEnd(p.ins, t))
		}
		p.fromBytes.Store(behind)
		p.fromSet.Store(true)
	}
	p.noteLine(it, true)
	if st.limited {
		if i := p.index(it.Input); i >= 0 {
			if !p.inWindow[i].Load() {
				p.inWindow[i].Store(true)
			}
			if t := mergeTime(it); !t.IsZero() {
				p.inputAt[i].Store(t.UnixNano())
			}
		}
	}
	if a := st.await; a != nil {
		if e, ok := it.Rec.(*sources.ProxyEntry); ok && !a.pending && e.Status >= 500 && e.Status <= 599 {
			a.pending = true
		}
		if a.pending {
			p.awaitVerdict(st)
		}
	}
	if st.n++; st.n%256 == 0 {
		p.eng.Advance()
	}
	return true
}

// fullSpeed says that the items up to the next look at the controls (at
// fastCheck) may go to playFast: the replay plays at full speed, lends,
// and neither From, To nor NextFivexx asks anything of each item.
func (st *playState) fullSpeed() bool {
	return st.lastSpeed == 0 && st.lend && !st.limited && st.await == nil && st.n%fastCheck != 0
}

// playFast plays items of run as play does at full speed (see fullSpeed),
// up to the next look at the controls, in one call of the engine
// (Engine.AddLentRun), and returns how many it played. Once NextFivexx
// has been pressed it plays none, for play to note at once what is
// pending (a press while a run plays is seen at the next one, microseconds
// later). (play's tests per item, which at full speed all come out the
// same, and a call through it, were 60 instructions per line of a replay,
// a sixth of the player's part of BenchmarkReplayMax; AddLent per item,
// 20 more.)
func (p *Player) playFast(st *playState, run []sources.Item) int {
	if p.steps.Load() != st.steps {
		return 0
	}
	n := min(len(run), int(fastCheck-st.n%fastCheck))
	p.eng.AddLentRun(run[:n])
	if i := p.index(run[0].Input); i >= 0 { // a run is of one input
		for k := range run[:n] {
			p.countLine(i, &run[k])
		}
		p.lineAt[i].Store(run[n-1].LineNo)
	}
	// The run ends at the next multiple of fastCheck at the latest, so
	// it crosses no multiple of 256 before its last item.
	if st.n += uint(n); st.n%256 == 0 {
		p.eng.Advance()
	}
	return n
}

// pass is what play does with an item it does not play: the engine counts
// a lent one (Engine.PassLent).
func (p *Player) pass(st *playState, it *sources.Item) {
	if st.lend {
		p.eng.PassLent(it)
	}
	p.noteLine(it, false)
	st.passed++
}

// endsAtTo decides what to do with a line of time t past Options.To, or
// with any line while one past it waits: end the replay, or skip the line
// (not play it), or neither (play it). A line past To ends the replay
// only once the next line that moves the log clock confirms it, as the
// engine's clock confirms a leap (classify clockJump): one from 2099 among
// lines within To ended a replay of an hour at its first minutes. It is
// never played; with a log quiet after To, the replay ends at the second
// line after the quiet, not at the end of the input.
func (p *Player) endsAtTo(st *playState, t time.Time) (end, skip bool) {
	if t.IsZero() {
		return false, !st.pastTo.IsZero() // after a line past To: not played
	}
	if st.pastTo.IsZero() {
		st.pastTo = t
		return false, true
	}
	if !t.After(p.eng.LogNow()) {
		return false, t.After(p.opt.To) // behind the clock: it decides nothing
	}
	if !t.Before(st.pastTo.Add(-confirmTo)) {
		return true, false
	}
	// Far before the line past To: that line had a wrong clock.
	st.pastTo = time.Time{}
	if t.After(p.opt.To) {
		st.pastTo = t
		return false, true
	}
	return false, false
}

// confirmTo is how far before a line past Options.To the next line may be
// and still confirm it: the engine's clockJump.
const confirmTo = time.Minute

// awaitVerdict pauses once the verdict NextFivexx waits for is made,
// looking every awaitCheck of log time: of the engine's clock, which a
// line far off (a clock set to 2099) does not move. Set by such a line,
// the next look waited until log time passed 2099, that is for ever.
// A pause or another control in between ends the wait.
func (p *Player) awaitVerdict(st *playState) {
	p.mu.Lock()
	stepping := p.stepping
	p.mu.Unlock()
	if !stepping {
		st.await = nil
		return
	}
	// (The clock goes back once at most, when the first line's time
	// proved wrong: then look again at once.)
	now := p.eng.LogNow()
	if d := now.Sub(st.await.checked); !st.await.checked.IsZero() && d >= 0 && d < awaitCheck {
		return
	}
	st.await.checked = now
	p.eng.Advance()
	s := p.eng.Publish(false)
	st.lastPub = p.clk.Now()
	made := verdictsMade(s) - st.await.made
	if made <= 0 {
		return
	}
	st.await = nil
	// The engine kept the first verdict made since n (WatchNextVerdict):
	// Recent no longer holds it when more than MaxRecent were made at
	// this look, and n stopped at a 5xx it did not name.
	v := p.eng.WatchedVerdict()
	if v == nil {
		v = awaitedVerdict(s, made, p.eng.MaxRecent())
	}
	p.mu.Lock()
	if p.stepping {
		p.stepping, p.paused = false, true
		p.stopped, p.stoppedWith = v, made-1
		st.lastSpeed = -1 // the next item must see the pause
	}
	p.mu.Unlock()
}

// awaitedVerdict is the first of the made verdicts made since n was
// pressed, behind snapshot s: the verdict awaited. Recent holds the
// newest maxRecent verdicts in the order they were made, last, and
// before them older ones kept for their upstream or cause: the awaited
// one is made from the end when made is within maxRecent; nil beyond
// (a storm judged at one look). Taken from a snapshot, it is one the
// engine never reuses (keptentry.go).
func awaitedVerdict(s *classify.Snapshot, made int64, maxRecent int) *classify.Verdict {
	if made <= 0 || made > int64(min(len(s.Recent), maxRecent)) {
		return nil
	}
	return s.Recent[int64(len(s.Recent))-made]
}

// pace waits while paused and until the moment of it's time at the
// current speed (mergeTime), publishing snapshots on the way. It reports
// false when ctx is done.
func (p *Player) pace(ctx context.Context, st *playState, it *sources.Item) bool {
	var t time.Time
	timed := false // t is rec's time (read once, and only when not at full speed)
	for {
		if ctx.Err() != nil {
			return false
		}
		p.mu.Lock()
		paused, held, speed, wake, stepping := p.paused, p.held, p.speed, p.cond, p.stepping
		heldFor := p.heldFor
		p.heldFor = 0
		p.mu.Unlock()
		if heldFor > 0 && !st.wallBase.IsZero() {
			st.wallBase = st.wallBase.Add(heldFor) // Suspend: as if it had not been
		}
		now := p.clk.Now()
		// Stopped from outside in the sleep this look wakes from: as if
		// it had not been, as Suspend. Not while held, nor at the look
		// that takes heldFor: Suspend counts that time already.
		if d := st.stoppedFor(now); d > 0 && !held && heldFor == 0 && speed != 0 && !st.wallBase.IsZero() {
			st.wallBase = st.wallBase.Add(d)
		}
		if now.Sub(st.lastPub) >= p.opt.Publish {
			// At full speed a 5xx is judged where a report judges it, at
			// every 256th record (play). Judged at a publish, whose moment
			// is wall time, a verdict's lines depended on the machine's
			// load: an app line stamped just past the grace was in it or
			// not. Paced, the moment is wall time anyway.
			if speed != 0 {
				p.eng.Advance()
			}
			p.eng.Publish(false)
			st.lastPub = now
			p.notePlayed(st)
		}
		if paused {
			st.lastSpeed = -1 // rebase on resume
			p.sleep(ctx, st, wake, p.opt.Publish)
			continue
		}
		if held {
			p.sleep(ctx, st, wake, p.opt.Publish)
			continue
		}
		if speed == 0 {
			st.lastSpeed = 0
			return true
		}
		if stepping {
			// n skips ahead to the next 5xx and its verdict: paced, it
			// played the grace period after the 5xx in real time (5 s
			// at 1x) and the quiet before it. Rebase once it pauses.
			st.lastSpeed = -1
			return true
		}
		if !timed {
			t, timed = mergeTime(it), true
		}
		if t.IsZero() {
			return true
		}
		if speed != st.lastSpeed || st.logBase.IsZero() || t.Before(st.logBase) && !t.Before(p.eng.LogNow()) {
			st.logBase, st.wallBase, st.lastSpeed = t, now, speed
		}
		// A line behind the log clock (a clock set to 1971) is due at
		// once and the base stays: the lines after it keep their moments.
		// Based on it, the next line waited for the years back to the
		// log clock (cut to maxGap). A line behind the base but not the
		// clock (after a cut for 2099, which the clock did not follow)
		// is the base again.
		due := st.wallBase.Add(time.Duration(float64(t.Sub(st.logBase)) / speed))
		if due.Sub(now) > maxGap {
			// Cut the gap: t plays maxGap from now, and time goes on from there.
			st.logBase, st.wallBase = t, now.Add(maxGap)
			due = st.wallBase
			p.mu.Lock()
			p.gapsCut++
			p.mu.Unlock()
		}
		if d := due.Sub(now); d > time.Millisecond {
			if d > p.opt.Publish {
				d = p.opt.Publish
			}
			p.sleep(ctx, st, wake, d)
			continue
		}
		return true
	}
}

// wait sleeps up to d, waking early when a control changes.
func (p *Player) wait(ctx context.Context, wake chan struct{}, d time.Duration) {
	c, cancel := context.WithCancel(ctx)
	defer cancel()
	go func() {
		select {
		case <-wake:
			cancel()
		case <-c.Done():
		}
	}()
	p.clk.Sleep(c, d)
}

// playedSoFar is where the lines played stand, for the ETA at a speed:
// the bytes read ran ahead of them (923 kB at the first second of a replay
// at 1x, whose 8.6 MB then seemed 10 s away, then 2 min), while the lines
// played move the log clock at the speed.
type playedSoFar struct {
	lines int64         // lines played since the log clock was first seen
	log   time.Duration // how far they moved it
	all   int64         // lines played in all
	// passed counts the lines not played (before From): they are not
	// left to play either.
	passed int64
	// first and now are the log clock when first seen and now, for the
	// share of a To window played (windowShare).
	first, now time.Time
}

// notePlayed notes, for Status, how far the lines played have moved the
// log clock. It runs on the loop, which alone reads the engine.
func (p *Player) notePlayed(st *playState) {
	now := p.eng.LogNow()
	if now.IsZero() {
		return
	}
	if st.logFirst.IsZero() {
		st.logFirst, st.nFirst = now, st.n
	}
	p.mu.Lock()
	p.played = playedSoFar{lines: int64(st.n - st.nFirst), log: now.Sub(st.logFirst), all: int64(st.n),
		passed: st.passed, first: st.logFirst, now: now}
	p.mu.Unlock()
}

// eta is the wall time the lines left take at speed: as many lines as the
// inputs hold (parsed so far, scaled from the bytes read, done, to their
// size, total) less those played, at the log time a line has taken so
// far. Unknown (0) until a second of log time has been played.
func (pl playedSoFar) eta(parsed, done, total int64, speed float64) time.Duration {
	if pl.log < time.Second || pl.lines <= 0 || parsed <= 0 || done <= 0 || speed <= 0 {
		return 0
	}
	left := float64(parsed)*float64(total)/float64(done) - float64(pl.all) - float64(pl.passed)
	if left <= 0 {
		return 0
	}
	return time.Duration(left * float64(pl.log) / float64(pl.lines) / speed)
}

// mergeTime is the time of it's record as the merge ordered it: its own,
// less the skew the merge took off its input's times (an app whose clock
// runs far ahead: sources.Input.SetMergeShift). Paced by its own, an
// app line an hour ahead stood the replay still for an hour of log time.
func mergeTime(it *sources.Item) time.Time {
	if it.Input == nil {
		return it.Rec.RecordTime()
	}
	return it.Input.MergeTime(it.Rec.RecordTime())
}
