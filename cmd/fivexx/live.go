package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"runtime/debug"
	"strings"
	"sync"
	"time"

	"fivexx/classify"
	"fivexx/classify/report"
	"fivexx/sources"
	"fivexx/sources/textsafe"
	"fivexx/tui"
)

// crash records the first panic of an ingest goroutine, so it can be printed
// with the input that caused it once the terminal is restored.
type crash struct {
	once sync.Once
	msg  string
}

func (c *crash) guard(what string, cancel func()) {
	if r := recover(); r != nil {
		c.once.Do(func() { c.msg = fmt.Sprintf("panic in %s: %v\n%s", what, r, debug.Stack()) })
		cancel()
	}
}

func cmdLive(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("fivexx", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() { usage(stderr) }
	var inf inputFlags
	inf.register(fs, true)
	args = interleave(fs, args)
	if askedForHelp(args) {
		usage(stdout)
		return 0
	}
	if err := parseFlags(fs, args, ""); err != nil {
		return parseStatus(stderr, err)
	}
	if err := inf.checkValues(); err != nil {
		return fail(stderr, err)
	}
	ins, err := buildInputs(&inf, fs.Args(), stderr, false)
	if err != nil {
		return fail(stderr, err)
	}
	if err := checkStdinInput(ins, false); err != nil {
		return fail(stderr, err)
	}
	if err := checkTerminalOutput("the live view"); err != nil {
		return fail(stderr, err)
	}
	ctx, cancel, quitStatus := signalContext()
	defer cancel()
	var cr crash
	cfg, err := inf.liveConfig(ins)
	if err != nil {
		return fail(stderr, err)
	}
	eng := classify.NewEngine(cfg)
	defer boundHeap(liveBound)()
	commands := startLive(ctx, cancel, eng, ins, inf.fromStart, inf.cmdRestart, &cr)
	ctrlC, err := byCtrlC(tui.Run(eng, tui.Options{Title: "live", Done: ctx.Done()}))
	cancel()
	// The commands (--cmd) get their SIGTERM and are waited for, so that
	// none outlives fivexx; a stuck one is SIGKILLed a second later.
	waitAtMost(commands, stopWait)
	if cr.msg != "" {
		printError(stderr, cr.msg)
		return 1
	}
	if err != nil {
		printError(stderr, uiError(err))
		return 1
	}
	// The UI is gone, and what it showed of a failed input was cut to its
	// state column; quitting is still a success (exit 0).
	warnFailedInputs(ins, stderr)
	noteNotReadWhileRead(ins, stderr)
	if ctrlC {
		return quitStatus(ctrlCStatus)
	}
	return quitStatus(0)
}

// warnFailedInputs warns on stderr, after the live UI closed, of each
// input that never worked or ended in error (inputFailed). A command
// whose output is not read and that failed is warned of as a report
// says it ("exited: status 3; not read: …"): its state says only why it
// is not read, and quitting said nothing of its failure (s34).
func warnFailedInputs(ins []*sources.Input, stderr io.Writer) {
	for _, in := range ins {
		st, lines := in.State(), in.Counters().Lines
		if why, ended := in.NotRead(), in.Ended(); why != "" && classify.CommandFailed(ended) {
			st = ended + "; " + why
		}
		if inputFailed(st, lines) {
			// fivexx tries no more: "retrying in 3.2s" was untrue once
			// it had exited (QA s34 L4).
			st, _, _ = strings.Cut(st, sources.RetryingIn)
			fmt.Fprintf(stderr, "fivexx: warning: %s: %s\n", textsafe.Escape(in.Spec.Label()), textsafe.Escape(st))
		}
	}
}

// startLive reads ins into eng, and drives it (Engine.Run) until ctx
// ends. With fromStart, the files' history is read first, merged by time
// as a report reads it (Engine.CatchUp); each is then followed from where
// its history ended, and the other inputs (--cmd, stdin, files not there
// yet) from then on. It returns the --cmd inputs' WaitGroup (a file's or
// stdin's reader may sit in a read). A panic is recorded in cr, and
// cancels.
func startLive(ctx context.Context, cancel func(), eng *classify.Engine, ins []*sources.Input, fromStart, cmdRestart bool, cr *crash) *sync.WaitGroup {
	items := make(chan sources.Item, 8192)
	var history []*sources.Input
	opts := make([]sources.FollowOptions, len(ins))
	// A file given under two names that is not there yet (givenTwice
	// cannot tell) is read by one input only.
	files := sources.NewOpenFiles()
	for i, in := range ins {
		opts[i] = sources.FollowOptions{FromStart: fromStart, Files: files}
		if !fromStart {
			continue
		}
		if h, ok := sources.HistoryOf(in); ok {
			in.ReadHistory(h)
			opts[i].History = &h
			history = append(history, in)
		}
	}
	commands := new(sync.WaitGroup)
	dones := make([]func(), len(ins))
	for i, in := range ins {
		dones[i] = func() {}
		if in.Spec.Command {
			commands.Add(1)
			dones[i] = commands.Done
		}
	}
	follow := func() {
		for i, in := range ins {
			go func(in *sources.Input, opt sources.FollowOptions, done func()) {
				defer done()
				defer cr.guard("input "+in.Spec.Label(), cancel)
				_ = sources.Follow(ctx, in, items, opt, cmdRestart)
			}(in, opts[i], dones[i])
		}
	}
	if len(history) == 0 {
		follow()
	}
	go func() {
		defer cr.guard("engine", cancel)
		if len(history) > 0 {
			// A read error leaves its input's state saying so.
			_ = eng.CatchUp(ctx, history, livePublish)
			follow()
		}
		eng.Run(ctx, items, livePublish)
	}()
	return commands
}

// inputFailed reports whether an input in state, having read lines, never
// worked or ended in error: printed after the live UI closes.
func inputFailed(state string, lines int64) bool {
	switch {
	case state == "", state == "starting", sources.Following(state), strings.HasPrefix(state, "running"), state == "reading",
		state == sources.StateRotated, state == sources.StateTruncated, state == sources.StateTruncatedNoCopy, state == sources.StateRewritten,
		state == sources.StateSameFileBack, state == sources.StateCopyBack, state == sources.StateMaybeBack, strings.HasPrefix(state, sources.StateTakenOver), state == "stopped", strings.HasPrefix(state, "done"):
		return false
	case report.IsOwnOutputState(state):
		return false // not read on purpose, and noted before the UI started
	case lines > 0 && (state == "waiting for file" || state == sources.StateDeleted || state == sources.StateWaitingForWriter || strings.HasPrefix(state, "exited: status 0")):
		return false // it worked: the file or the FIFO's writer is away for now, the command ended well
	}
	return true
}

// stopWait bounds how long quitting waits for the inputs to stop: a
// command's SIGKILL comes a second after its SIGTERM.
const stopWait = 3 * time.Second

// waitAtMost waits for wg, or d.
func waitAtMost(wg *sync.WaitGroup, d time.Duration) {
	done := make(chan struct{})
	go func() { wg.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(d):
	}
}

// livePublish is how often the live engine publishes a snapshot under load
// (it publishes at once after a quiet interval, and the UI fetches on each
// publish: classify.Engine.Run, tui.Notifier); a line reaches the screen
// within 250 ms (issue 8).
const livePublish = 100 * time.Millisecond

// liveConfig is live mode's engine for ins, as the flags set it. What the
// inputs' bytes tell of those no line is read of (inputbytes.go) is read
// of their heads now, before they are followed.
func (f *inputFlags) liveConfig(ins []*sources.Input) (classify.Config, error) {
	cfg, err := f.engineConfig(liveEngineConfig(ins))
	if err != nil {
		return cfg, err
	}
	cfg.ErrorZoneFromAccess = !f.errorZonePeeked
	cfg.InputProblems = newInputBytes(f, ins).prefetch().problems
	return cfg, nil
}

// liveEngineConfig is live mode's engine: judged by wall time, timelines
// made as verdicts are, and a verdict's evidence lines and hint made when
// the UI opens it (Config.ExplainLater, as replay and demo do; the same
// text, TestLaterEvidenceIsTheEagerOne): BenchmarkLiveEngine on 200 k
// lines of the bench set, 1.445 G against 1.412 G instructions for the
// engine (callgrind) and 70 k against 22 k allocations.
func liveEngineConfig(ins []*sources.Input) classify.Config {
	return classify.Config{Inputs: ins, Live: true, Now: time.Now, Timeline: true, Grace: time.Second, ExplainLater: true}
}
