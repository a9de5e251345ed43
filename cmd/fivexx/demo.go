package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	"fivexx/classify"
	"fivexx/classify/replay"
	"fivexx/sources"
	"fivexx/sources/demo"
	"fivexx/tui"
)

// demoFormats are the formats the generator writes; the demo's inputs are
// parsed with them by the same parsers live mode uses.
var demoFormats = map[demo.Stream]string{
	demo.Access: "nginx-upstream",
	demo.Errors: "nginx-error",
	demo.App:    "app-json",
}

// demoStart is the log time --write starts at unless --start says otherwise,
// so the same seed writes the same bytes.
var demoStart = time.Date(2026, 1, 2, 3, 0, 0, 0, time.UTC)

func cmdDemo(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("demo", flag.ContinueOnError)
	fs.SetOutput(stderr)
	scenario := fs.String("scenario", "", "play one scenario, `NAME` (default: all of them in a loop)")
	seed := fs.Int64("seed", 1, "random seed `N`: the same seed gives the same lines")
	speedText := fs.String("speed", "1", "play `N` times faster than real time, or max")
	list := fs.Bool("list", false, "list the scenarios")
	train := fs.Bool("train", false, "training mode: narration, causes hidden until r (reveal)")
	write := fs.String("write", "", "write the generated logs to files in `DIR` instead of showing them")
	duration := fs.Duration("duration", 60*time.Second, "with --write: write `DURATION` of log time, 60s at least")
	startText := fs.String("start", "", "log `TIME` to start at (RFC 3339; default now, or 2026-01-02T03:00:00Z with --write)")
	each := fs.Duration("each", 0, "in the loop: each scenario plays `DURATION`, 60s at least (default one period, 60 s)")
	force := fs.Bool("force", false, "with --write: replace access.log, error.log and app.log in DIR when they hold lines")
	subUsage(fs, "demo")
	args = interleave(fs, args)
	if askedForHelp(args) {
		writeCommandHelp(stdout, fs, "demo")
		return 0
	}
	if err := parseFlags(fs, args, "demo"); err != nil {
		return parseStatus(stderr, err)
	}
	var given []string
	fs.Visit(func(f *flag.Flag) { given = append(given, f.Name) })
	if err := demoListAlone(given); err != nil {
		return fail(stderr, err)
	}
	if err := demoArgs(fs.Args(), scenario, *list); err != nil {
		return fail(stderr, err)
	}
	if err := demoFlagsGoTogether(given, *scenario); err != nil {
		return fail(stderr, err)
	}
	if *list {
		for _, s := range demo.Scenarios() {
			fmt.Fprintf(stdout, "%-16s %s\n", s.Name, s.Summary)
		}
		return 0
	}
	var sc demo.Scenario
	if *scenario != "" {
		var ok bool
		if sc, ok = demo.Lookup(*scenario); !ok {
			return fail(stderr, usageError{unknownScenario(*scenario)})
		}
	}
	start, err := parseWhen(*startText)
	if err != nil {
		return fail(stderr, usageError{"--start: " + err.Error()})
	}
	newGen := func(start time.Time) *demo.Generator {
		if *scenario != "" {
			return demo.New(sc, *seed, start)
		}
		return demo.Loop(*seed, start, *each)
	}
	// 0 is the default (one period), but given it was ignored; 5s played
	// no scenario's incident.
	if slices.Contains(given, "each") && *each < demo.Period {
		return fail(stderr, usageError{"--each takes " + onePass + "; not " + each.String()})
	}
	if *write != "" {
		// 0 or less wrote three empty files and said deploy-crash was
		// written; 30s cut it before its rollback.
		if *duration < demo.Period {
			return fail(stderr, usageError{"--duration takes " + onePass + "; not " + duration.String()})
		}
		if start.IsZero() {
			start = demoStart
		}
		if !*force {
			if err := demoWouldReplace(*write); err != nil {
				return fail(stderr, err)
			}
		}
		paths, err := newGen(start).WriteFiles(*write, start.Add(*duration))
		if err != nil {
			return fail(stderr, err)
		}
		for _, p := range paths {
			fmt.Fprintln(stdout, p)
		}
		fmt.Fprintf(stdout, "scenarios written: %s\n", playedIn(newGen(start), start, start.Add(*duration)))
		fmt.Fprintf(stdout, "now try: fivexx replay %s/access.log %s/error.log %s/app.log\n", *write, *write, *write)
		return 0
	}
	speed, err := parseSpeed(*speedText)
	if err != nil {
		return fail(stderr, usageError{err.Error()})
	}
	if err := checkTerminalOutput("demo"); err != nil {
		return fail(stderr, err)
	}
	if start.IsZero() {
		start = time.Now().Truncate(time.Second)
	}
	ctx, cancel, quitStatus := signalContext()
	defer cancel()
	gen := newGen(start)
	ins, feeders, items := demoInputs(ctx)
	cfg := classify.Config{Inputs: ins, Timeline: true, ExplainLater: true, Grace: 5 * time.Second, Now: time.Now}
	if *train {
		// A round lasts a minute: a longer window would mix the causes of
		// the scenarios before into the answer.
		cfg.Window = time.Minute
	}
	eng := classify.NewEngine(cfg)
	pl := replay.New(eng, ins, replay.Options{Speed: speed})
	var cr crash
	go func() {
		defer cr.guard("demo generator", cancel)
		defer close(items)
		for ctx.Err() == nil {
			l := gen.Next()
			if err := feeders[l.Stream].Line(ctx, l.Text); err != nil {
				return
			}
		}
	}()
	go func() {
		defer cr.guard("demo", cancel)
		pl.Run(ctx, items)
	}()
	title := "demo"
	switch {
	case *train:
		title += " · training" // the scenario's name would give the answer away
	case *scenario != "":
		title += " · " + *scenario
	}
	src := demoSource{Player: pl, narrator: &narrator{gen: newGen(start)}, train: *train}
	ctrlC, err := byCtrlC(tui.Run(src, tui.Options{Title: title, Done: ctx.Done(), Train: *train}))
	cancel()
	if cr.msg != "" {
		printError(stderr, cr.msg)
		return 1
	}
	if err != nil {
		printError(stderr, uiError(err))
		return 1
	}
	if ctrlC {
		return quitStatus(ctrlCStatus)
	}
	return quitStatus(0)
}

// demoArgs takes demo's words after the flags: a scenario's name alone
// plays it, as --scenario NAME does (demo --list shows "oom-kill ...", and
// "fivexx demo oom-kill" played the whole loop from "healthy", the word
// ignored); any other word is a usage error.
func demoArgs(args []string, scenario *string, list bool) error {
	switch {
	case len(args) == 0:
		return nil
	case list:
		return usageError{fmt.Sprintf("demo --list takes no argument, not %q", strings.Join(args, " "))}
	case len(args) > 1:
		return usageError{fmt.Sprintf("demo plays one scenario, not %q (fivexx demo --list shows them)", strings.Join(args, " "))}
	case *scenario != "":
		return usageError{fmt.Sprintf("demo plays one scenario: --scenario %s and %q", *scenario, args[0])}
	}
	if _, ok := demo.Lookup(args[0]); !ok {
		return usageError{unknownScenario(args[0])}
	}
	*scenario = args[0]
	return nil
}

// onePass is what --each and --duration take: one pass of a scenario's
// pattern at least, which holds its failures (demo.FailuresFrom to
// FailuresTo into it). Less cut them short or had none: --write --each 5s
// said all 8 scenarios were written, and no line told of a failure.
var onePass = fmt.Sprintf("a duration of %gs or more, one pass of a scenario: its failures come %gs to %gs in (such as 90s or 8m)",
	demo.Period.Seconds(), demo.FailuresFrom.Seconds(), demo.FailuresTo.Seconds())

func init() {
	flagTakes["demo --each"] = onePass
	flagTakes["demo --duration"] = onePass
}

// demoListAlone refuses a flag beside --list, which only lists: --write
// DIR --list listed and wrote nothing.
func demoListAlone(given []string) error {
	if !slices.Contains(given, "list") {
		return nil
	}
	for _, f := range given {
		if f != "list" {
			return usageError{fmt.Sprintf("demo --list lists the scenarios and takes no other flag, not --%s", f)}
		}
	}
	return nil
}

// demoFlagsGoTogether refuses the flags the demo would ignore, given the
// others (given in the flag package's order, by name): --duration and
// --force without --write played the demo live, --train and --speed with
// it wrote the same files, --each beside a scenario's name played that
// one alone.
func demoFlagsGoTogether(given []string, scenario string) error {
	write := slices.Contains(given, "write")
	for _, f := range given {
		switch {
		case write && f == "train":
			return usageError{"--write and --train do not go together: --write writes files, --train plays the demo live with the causes hidden"}
		case write && f == "speed":
			return usageError{"--write and --speed do not go together: --write writes the files at once, --speed is how fast the live demo plays (fivexx replay --speed N plays the files)"}
		case !write && f == "duration":
			return usageError{"--duration is for demo --write DIR (how much log time it writes), not the live demo, which plays until you quit"}
		case !write && f == "force":
			return usageError{"--force is for demo --write DIR (it replaces the logs DIR holds), not the live demo"}
		case f == "each" && scenario != "":
			return usageError{fmt.Sprintf("--each and a scenario's name (%s) do not go together: --each is how long each scenario of the loop plays, and demo NAME plays that one alone", scenario)}
		}
	}
	return nil
}

// unknownScenario says name is no scenario, and which one it is near.
func unknownScenario(name string) string {
	best, bestD := "", 3
	for _, s := range demo.Scenarios() {
		if d := editDistance(strings.ToLower(name), s.Name); d < bestD {
			best, bestD = s.Name, d
		}
	}
	if best != "" {
		return fmt.Sprintf("unknown scenario %q: did you mean %s? (fivexx demo --list shows them)", name, best)
	}
	return fmt.Sprintf("unknown scenario %q (fivexx demo --list shows them)", name)
}

// playedIn names the scenarios g plays from log time from to to, in
// order, each once: "deploy-crash" or "deploy-crash, oom-kill (its first
// 30s)" for one played less than a pass (demo.Period), whose failures
// may not all be in.
func playedIn(g *demo.Generator, from, to time.Time) string {
	var names []string
	seen := map[string]bool{}
	for t := from; t.Before(to); {
		s, _ := g.Playing(t)
		if seen[s.Name] {
			break
		}
		seen[s.Name] = true
		_, _, in, ok := g.Upcoming(t)
		if played := to.Sub(t); (!ok || in > played) && played < demo.Period {
			names = append(names, fmt.Sprintf("%s (its first %s of %gs)", s.Name, played, demo.Period.Seconds()))
			break
		}
		names = append(names, s.Name)
		if !ok {
			break
		}
		t = t.Add(in)
	}
	return strings.Join(names, ", ")
}

// demoInputs makes one input per generated stream, each parsed by its
// real format, all feeding one channel.
func demoInputs(ctx context.Context) ([]*sources.Input, map[demo.Stream]*sources.Feeder, chan sources.Item) {
	items := make(chan sources.Item, 4096)
	feeders := map[demo.Stream]*sources.Feeder{}
	var ins []*sources.Input
	for i, st := range []demo.Stream{demo.Access, demo.Errors, demo.App} {
		in := sources.NewInput(i, sources.Spec{Path: "demo/" + st.FileName(), Role: st.Role(), Format: demoFormats[st],
			Opts: sources.ParserOptions{Location: time.UTC}}) // the demo writes UTC
		ins = append(ins, in)
		feeders[st] = sources.NewFeeder(in, items)
	}
	return ins, feeders, items
}

// narrator tells the demo's narration for the log time shown. It has a
// generator of its own, built from the same scenario, seed and start as the
// one writing the lines, which belongs to the generator goroutine; the UI
// calls it from command goroutines, so mu guards it (a Generator is not safe
// for concurrent use).
type narrator struct {
	mu  sync.Mutex
	gen *demo.Generator
}

// narration is the scenario playing at log time at, with its beats so far
// in the current pass, up to and including at.
func (n *narrator) narration(at time.Time) tui.Narration {
	n.mu.Lock()
	defer n.mu.Unlock()
	s, began := n.gen.Playing(at)
	out := tui.Narration{Scenario: s.Name, Summary: s.Summary, Explanation: s.Explanation, Began: began}
	for _, c := range n.gen.Cues(began, at.Add(time.Nanosecond)) {
		out.Lines = append(out.Lines, tui.NarrationLine{Time: c.Time, Text: c.Text})
	}
	return out
}

// loopNote is what the replay line says while the loop plays: the
// scenario, its place, and which one comes next when: "deploy-crash (1/8)
// · next oom-kill in 42s". Nothing said a loop was playing, nor that an
// incident was coming. Training mode leaves the names out: they give
// the answer away.
//
// The wait is said in wall time at speed (the player's SpeedFactor, 1 for
// 1×): the generator's is log time, and at --speed 10 "in 51s" counted down
// ten a second (QA s35 L6). At max speed (0) no wall time is known: the
// log time is said as such.
func (n *narrator) loopNote(at time.Time, train bool, speed float64) string {
	n.mu.Lock()
	defer n.mu.Unlock()
	next, i, in, ok := n.gen.Upcoming(at)
	if !ok {
		return ""
	}
	// Full speed (0) has no wall time to count down: in/0 is +Inf, and
	// its conversion to a Duration is implementation-defined.
	when := "after " + in.Truncate(time.Second).String() + " of log time"
	if speed > 0 {
		when = "in " + time.Duration(float64(in)/speed).Truncate(time.Second).String()
	}
	if train {
		return "next scenario " + when
	}
	s, _ := n.gen.Playing(at)
	all := len(demo.Scenarios())
	return fmt.Sprintf("%s (%d/%d) · next %s %s", s.Name, (i+all-1)%all+1, all, next.Name, when)
}

// demoSource is the demo's UI source: the player plus the narration for
// training mode.
type demoSource struct {
	*replay.Player
	narrator *narrator
	train    bool // training mode: the replay line names no scenario
}

// Narration implements tui.Trainer.
func (d demoSource) Narration(at time.Time) tui.Narration {
	return d.narrator.narration(at)
}

// State implements tui.ReplayControl.
func (d demoSource) State() tui.ReplayState {
	s := d.Player.Status()
	st := tui.ReplayState{Paused: s.Paused, Speed: s.Speed, Stopped: s.Stopped, StoppedWith: s.StoppedWith}
	if d.narrator != nil {
		var at time.Time
		if snap := d.Player.Snapshot(); snap != nil {
			at = snap.LogNow
		}
		st.Note = d.narrator.loopNote(at, d.train, d.Player.SpeedFactor())
	}
	return st
}

// demoSource drives training mode.
var _ tui.Trainer = demoSource{}

// demoWouldReplace refuses a --write into a directory whose access.log,
// error.log or app.log holds lines: those are the names real logs have,
// and someone practising where they investigate (--write ., or
// /var/log/nginx) lost their evidence to the demo's lines without a word.
func demoWouldReplace(dir string) error {
	for _, name := range []string{"access.log", "error.log", "app.log"} {
		p := filepath.Join(dir, name)
		if st, err := os.Stat(p); err == nil && st.Size() > 0 {
			return usageError{fmt.Sprintf("%s holds %d bytes, and demo --write would replace it with the demo's lines: give a new or empty directory, or --force to replace it", p, st.Size())}
		}
	}
	return nil
}
