package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"fivexx/classify"
	"fivexx/classify/replay"
	"fivexx/sources"
	"fivexx/tui"
)

// playerSource adapts a replay player to the UI's source and replay controls.
type playerSource struct{ *replay.Player }

// State implements tui.ReplayControl.
func (p playerSource) State() tui.ReplayState {
	s := p.Player.Status()
	return tui.ReplayState{Paused: s.Paused, Speed: s.Speed, Done: s.Done, Total: s.Total, ETA: s.ETA, GapsCut: s.GapsCut,
		Finished: s.Finished, Note: s.Empty, Problem: s.Empty != "", From: s.From, To: s.To, Share: s.Share,
		Stopped: s.Stopped, StoppedWith: s.StoppedWith}
}

// minSpeed and maxSpeed bound --speed: from a day played in 10 days to
// as fast as it goes (beyond a million, max is the same).
const minSpeed, maxSpeed = 0.1, 1e6

func parseSpeed(s string) (float64, error) {
	if s == "max" {
		return 0, nil
	}
	v, err := strconv.ParseFloat(strings.TrimSuffix(strings.TrimSuffix(s, "x"), "×"), 64)
	// NaN and Inf parse, and a tiny speed would overflow the wait it
	// divides (a gap of a minute at 1e-300 is no duration at all).
	if err != nil || !(v >= minSpeed && v <= maxSpeed) {
		return 0, fmt.Errorf("--speed takes a positive number from %s to %s, or max; not %q", strconv.FormatFloat(minSpeed, 'f', -1, 64), strconv.FormatFloat(maxSpeed, 'f', -1, 64), s)
	}
	return v, nil
}

// parseWhen reads --from/--to: RFC 3339, or "2006-01-02 15:04:05" in local time.
func parseWhen(s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05", "2006-01-02 15:04:05", "2006-01-02 15:04"} {
		if t, err := time.ParseInLocation(layout, s, time.Local); err == nil {
			return t, nil
		}
	}
	// Both forms, as replay --help and README name them: the local one
	// was left out and read as not taken (QA s28).
	return time.Time{}, fmt.Errorf("cannot read time %q (use RFC 3339, e.g. 2024-01-02T03:04:05Z, or 2024-01-02 03:04:05 in the local zone)", s)
}

// replayConfig is a replay's engine for ins, as the flags set it. Plain
// files are read again for a verdict's timeline when it is opened
// (classify.LaterTimeline); stdin, commands and gzip input make every
// timeline as it is judged. A verdict's evidence and hint are made when
// it is opened too (classify.Config.ExplainLater). What the inputs' bytes
// tell of those no line is read of (inputbytes.go) is read of their heads
// now, before they are played.
// An input whose read fails is told as the report tells it: readErrors,
// for replay.Options.ReadErrors, gives its state and advice, which say
// where it stopped.
func (f *inputFlags) replayConfig(ins []*sources.Input) (cfg classify.Config, readErrors func([]error), err error) {
	cfg, err = f.engineConfig(classify.Config{Inputs: ins, Timeline: true, Rereaders: sources.Rereaders(ins),
		ExplainLater: true, Grace: 5 * time.Second, Now: time.Now})
	if err != nil {
		return cfg, nil, err
	}
	var failures readFailures
	cfg.InputProblems = failures.after(newInputBytes(f, ins).prefetch().problems)
	return cfg, func(errs []error) { failures.add(ins, errs) }, nil
}

func cmdReplay(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("replay", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var inf inputFlags
	inf.register(fs, false)
	speedText := fs.String("speed", "10", "divide the original gaps by `N` (0.1 to 1000000; 20 or 20x), or max: as fast as it goes")
	fromText := fs.String("from", "", "start at this log `TIME`: RFC 3339 (2026-01-02T03:04:05Z, +01:00 or a fraction allowed),\nor 2026-01-02T03:04:05, '2026-01-02 03:04:05', '2026-01-02 03:04' in the local zone")
	toText := fs.String("to", "", "stop at this log `TIME`, in the formats --from takes")
	subUsage(fs, "replay")
	args = interleave(fs, args)
	if askedForHelp(args) {
		writeCommandHelp(stdout, fs, "replay")
		return 0
	}
	if err := parseFlags(fs, args, "replay"); err != nil {
		return parseStatus(stderr, err)
	}
	speed, err := parseSpeed(*speedText)
	if err != nil {
		return fail(stderr, usageError{err.Error()})
	}
	from, err := parseWhen(*fromText)
	if err != nil {
		return fail(stderr, usageError{"--from: " + err.Error()})
	}
	to, err := parseWhen(*toText)
	if err != nil {
		return fail(stderr, usageError{"--to: " + err.Error()})
	}
	// A --from after --to played nothing and said "■ finished 71%".
	if !from.IsZero() && !to.IsZero() && from.After(to) {
		return fail(stderr, usageError{fmt.Sprintf("--from %s is after --to %s: nothing would play", *fromText, *toText)})
	}
	if err := inf.checkValues(); err != nil {
		return fail(stderr, err)
	}
	if len(fs.Args()) == 0 && len(inf.proxy)+len(inf.proxyErrors)+len(inf.app) == 0 {
		return fail(stderr, usageError{"replay needs recorded logs: fivexx replay access.log error.log app.log"})
	}
	ins, err := buildInputs(&inf, fs.Args(), stderr, true)
	if err != nil {
		return fail(stderr, err)
	}
	inf.linkErrorZones(ins)
	if err := checkStdinInput(ins, true); err != nil {
		return fail(stderr, err)
	}
	if err := checkTerminalOutput("replay"); err != nil {
		return fail(stderr, err)
	}
	ctx, cancel, quitStatus := signalContext()
	defer cancel()
	cfg, readErrors, err := inf.replayConfig(ins)
	if err != nil {
		return fail(stderr, err)
	}
	eng := classify.NewEngine(cfg)
	// Bounded as live mode's heap is (liveBound): replay holds what live
	// holds, and GOGC alone let its heap grow to twice that (QA s37: a
	// storm of refused 502s, 155-383 MB peak against a report's 78 MB).
	defer boundHeap(liveBound)()
	pl := replay.New(eng, ins, replay.Options{Speed: speed, From: from, To: to, ReadErrors: readErrors})
	var cr crash
	readErrs := make(chan []error, 1)
	go func() {
		// The merge plays each record on this goroutine as it hands it
		// over, and the readers lend the engine their blocks: a line is
		// parsed where it was read, and its block read into again once
		// the engine's timelines have let go of it (Player.RunMerged).
		defer cr.guard("replay", cancel)
		readErrs <- pl.RunMerged(ctx, ins)
	}()
	ctrlC, err := byCtrlC(tui.Run(playerSource{pl}, tui.Options{Title: "replay", Done: ctx.Done()}))
	cancel()
	if cr.msg != "" {
		printError(stderr, cr.msg)
		return 1
	}
	if err != nil {
		printError(stderr, uiError(err))
		return 1
	}
	// A read error showed in the inputs pane; it is also the exit status,
	// as for report. (Quitting before the end leaves the readers to stop
	// on the cancelled context: not an error.)
	select {
	case errs := <-readErrs:
		status := 0
		for i, err := range errs {
			if err != nil && !errors.Is(err, context.Canceled) {
				printError(stderr, readError(ins[i], err))
				status = 1
			}
		}
		if ctrlC {
			status = ctrlCStatus
		}
		return quitStatus(status)
	case <-time.After(time.Second):
		if ctrlC {
			return quitStatus(ctrlCStatus)
		}
		return quitStatus(0)
	}
}
