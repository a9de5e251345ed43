package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"sync"
	"syscall"

	"fivexx/classify"
	"fivexx/classify/report"
	"fivexx/sources"
)

func cmdReport(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("report", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var inf inputFlags
	inf.register(fs, false)
	asJSON := fs.Bool("json", false, "write one JSON object")
	events := fs.Bool("events", false, "write one NDJSON line per proxy 5xx")
	subUsage(fs, "report")
	args = interleave(fs, args)
	if askedForHelp(args) {
		writeCommandHelp(stdout, fs, "report")
		return 0
	}
	if err := parseFlags(fs, args, "report"); err != nil {
		return parseStatus(stderr, err)
	}
	if *asJSON && *events {
		fmt.Fprintln(stderr, "fivexx: error: --json and --events do not go together")
		return 2
	}
	if err := inf.checkValues(); err != nil {
		return fail(stderr, err)
	}
	ins, err := buildInputs(&inf, fs.Args(), stderr, true)
	if err != nil {
		return fail(stderr, err)
	}
	if err := checkReportStdin(ins); err != nil {
		return fail(stderr, err)
	}
	inf.linkErrorZones(ins)
	var ew *report.EventWriter
	ctx, stopReading := context.WithCancel(context.Background())
	defer stopReading()
	// MaxRecent: a report lists no verdicts (the UI's drill-down does), and
	// the 1,000 it would keep were 2 MB of a report's 13 MB live heap.
	cfg, err := inf.engineConfig(classify.Config{Inputs: ins, Grace: 5e9, MaxRecent: 8})
	if err != nil {
		return fail(stderr, err)
	}
	// Asked once, at the report's one snapshot: the heads are read then,
	// and the advice computed with what they tell (the missing access
	// log's example follows what an input's lines look like).
	cfg.InputProblems = newInputBytes(&inf, ins).problems
	if *events {
		// Only the 5xx go to stdout: what the advice would say of the
		// inputs is a note on stderr.
		for _, n := range inf.notes {
			printNote(stderr, n.Problem)
		}
		ew = report.NewEventWriter(stdout)
		cfg.OnVerdict = func(v *classify.Verdict) {
			// No event written after one that could not be: the rest of
			// the inputs need not be read (closedpipe.go).
			if ew.Write(v); ew.Err() != nil {
				stopReading()
			}
		}
	} else {
		cfg.Terse = true // totals only: no verdict is printed
	}
	stopBound := boundHeap(reportBound)
	stopFIFO := noteFIFOWaits(ins, stderr)
	snap, err := readAll(ctx, ins, cfg)
	stopFIFO()
	stopBound()
	noteNotReadWhileRead(ins, stderr)
	if ew != nil && ew.Err() != nil {
		// The inputs were read only up to that event: nothing more is
		// told of them.
		return writeFailed(stderr, outputError(ew.Err()))
	}
	var failed readFailure
	if err != nil && !errors.As(err, &failed) {
		return fail(stderr, err)
	}
	switch {
	case *events:
		err = report.WriteInputNotes(stderr, snap)
	case *asJSON:
		err = outputError(report.WriteJSON(stdout, snap))
	default:
		err = outputError(report.WriteText(stdout, snap))
	}
	if err != nil && !closedPipe(err) {
		printError(stderr, err.Error())
		return 1
	}
	if failed != nil {
		printError(stderr, failed.Error())
		return 1
	}
	return 0
}

// readAll runs every input to its end through the engine, merged by log time.
// An input that fails while read (a .gz cut short, a disk error) keeps
// what was read of it: the snapshot is the report of every line read, the
// input's problem and the first advice say where it stopped, and the
// error returned (readFailure) says which inputs did.
func readAll(ctx context.Context, ins []*sources.Input, cfg classify.Config) (*classify.Snapshot, error) {
	var failures readFailures
	cfg.InputProblems = failures.after(cfg.InputProblems)
	eng := classify.NewEngine(cfg)
	errs := sources.MergeRuns(ctx, ins, eng.FeedRun)
	eng.Flush()
	failed := failures.add(ins, errs)
	snap := eng.Publish(true)
	if len(failed) == 0 {
		return snap, nil
	}
	return snap, failed
}

// readFailures is the advice on each input whose read failed
// (readProblem), given after what the inputs' bytes tell
// (classify.Config.InputProblems): a report's, and a replay's once its
// readers have returned. A replay's view said only "read error: unexpected
// EOF" of a .gz cut short, and its first advice was "no proxy error log",
// where the report said "truncated: gzip ended early" and why (QA s30).
type readFailures struct {
	mu     sync.Mutex
	advice []classify.Advice
}

// add gives each input of ins whose read ended in its error in errs (by
// index; a context cancelled, a stop, is none) the state readProblem
// says, and keeps its advice. It returns the failures.
func (r *readFailures) add(ins []*sources.Input, errs []error) readFailure {
	var failed readFailure
	var advice []classify.Advice
	for i, err := range errs {
		if err == nil || errors.Is(err, context.Canceled) {
			continue
		}
		in := ins[i]
		p, a := readProblem(in, err)
		in.SetState(p)
		failed = append(failed, in.Spec.Label()+": "+p)
		advice = append(advice, a)
	}
	r.mu.Lock()
	r.advice = append(r.advice, advice...)
	r.mu.Unlock()
	return failed
}

// after is problems (nil: none) with the failures' advice after its own.
func (r *readFailures) after(problems func([]classify.InputStatus) (map[int]string, []classify.Advice)) func([]classify.InputStatus) (map[int]string, []classify.Advice) {
	return func(sts []classify.InputStatus) (states map[int]string, advice []classify.Advice) {
		if problems != nil {
			states, advice = problems(sts)
		}
		r.mu.Lock()
		defer r.mu.Unlock()
		if len(r.advice) == 0 {
			return states, advice
		}
		return states, append(append([]classify.Advice(nil), advice...), r.advice...)
	}
}

// readFailure is the inputs that failed while read, each "label: problem";
// the report of what was read is still written, and exits 1.
type readFailure []string

func (f readFailure) Error() string {
	return "cannot read to the end: " + strings.Join(f, "; ") + " (the report covers the lines before)"
}

// readProblem is what an input's read error says as its problem, with
// the lines read before it, and the advice for it. A .gz cut short (a copy
// or download that did not finish) ends in an unexpected EOF from the
// inflater: "truncated", not a read error of the disk. A file that shrank
// while read (a copytruncate during the report) is "truncated while
// read", .gz or not: it ended silently, as a whole file.
func readProblem(in *sources.Input, err error) (string, classify.Advice) {
	label, lines := in.Spec.Label(), in.Counters().Lines
	if se := (*sources.ShrankError)(nil); errors.As(err, &se) {
		return shrankProblem(label, lines, se, isGzip(in.Spec))
	}
	if in.Spec.Command {
		return commandProblem(in, err)
	}
	msg := withoutPath(err, in.Spec.Path)
	// An error of the system (too many open files, EIO) is a read
	// error, .gz or not: the inflater passes it on, and "gzip data is
	// damaged (too many open files)" sent one to get a whole copy of a
	// whole file (s38 review L3).
	var errno syscall.Errno
	if isGzip(in.Spec) && !errors.As(err, &errno) {
		if errors.Is(err, io.ErrUnexpectedEOF) || strings.Contains(msg, "unexpected EOF") {
			p := fmt.Sprintf("truncated: gzip ended early (unexpected EOF) after %s", linesText(lines))
			return p, classify.Advice{
				Problem: fmt.Sprintf("%s is truncated: gzip ended early (unexpected EOF) after %s; the report covers those lines, not the rest of that log", label, linesText(lines)),
				Fix:     fmt.Sprintf("the file was cut short (a copy or download that did not finish, a disk that filled while it was compressed): get a whole copy (gzip -t %s checks one); zcat reads no more of it than fivexx did", shellWord(label)),
			}
		}
		p := fmt.Sprintf("corrupt: gzip data is damaged (%s) after %s", msg, linesText(lines))
		return p, classify.Advice{
			Problem: fmt.Sprintf("%s is corrupt: gzip data is damaged (%s) after %s; the report covers those lines, not the rest of that log", label, msg, linesText(lines)),
			Fix:     fmt.Sprintf("get a whole copy (gzip -t %s checks one)", shellWord(label)),
		}
	}
	p := fmt.Sprintf("read error after %s: %s", linesText(lines), msg)
	return p, classify.Advice{
		Problem: fmt.Sprintf("%s could not be read to its end (%s) after %s; the report covers those lines, not the rest of that log", label, msg, linesText(lines)),
		Fix:     "fix what the error names (the disk, the device, the pipe's writer) and run the report again",
	}
}

// commandProblem is readProblem for a command (--cmd) that failed: its
// state says how it ended and the last lines it wrote to standard error
// ("exited: status 3: cat: nosuch: No such file or directory"), as the
// live view shows it. The problem was "exit status 3" alone, and the fix
// "fix what the error names (the disk, the device, the pipe's writer)"
// (QA s30).
func commandProblem(in *sources.Input, err error) (string, classify.Advice) {
	label, lines := in.Spec.Label(), in.Counters().Lines
	fix := "run the command alone (sh -c " + shellWord(in.Spec.Path) + ") to see why it failed, fix it, and run the report again"
	if why, st := in.NotRead(), in.Ended(); why != "" && st != "" {
		// Its lines were dropped, not counted: "after 0 lines" is not
		// what it printed, and its state says why they were dropped.
		// Its advice says first that what it prints is not read: fixed
		// and run again, it would not be read either (s34).
		a, ok := classify.NotReadCommandAdvice(in)
		if !ok {
			a = classify.Advice{Problem: fmt.Sprintf("%s failed (%s) and was %s", label, st, why), Fix: fix}
		}
		return fmt.Sprintf("%s; %s", st, why), a
	}
	if st := in.State(); strings.HasPrefix(st, "exited: ") || strings.HasPrefix(st, "cannot start: ") {
		return fmt.Sprintf("%s, after %s", st, linesText(lines)), classify.Advice{
			Problem: fmt.Sprintf("%s failed after %s (%s); the report covers those lines, not the rest of its output", label, linesText(lines), st),
			Fix:     fix,
		}
	}
	msg := err.Error()
	return fmt.Sprintf("read error after %s: %s", linesText(lines), msg), classify.Advice{
		Problem: fmt.Sprintf("%s could not be read to its end (%s) after %s; the report covers those lines, not the rest of its output", label, msg, linesText(lines)),
		Fix:     fix,
	}
}

// shrankProblem is readProblem for a file that shrank while read. The
// bytes after its last newline read, a line cut where the file was cut,
// were left out (read, it was one unparsed line): it says so.
func shrankProblem(label string, lines int64, se *sources.ShrankError, gz bool) (string, classify.Advice) {
	cut := ""
	if se.Cut > 0 {
		cut = fmt.Sprintf("; its last line read, cut short (%d bytes, no newline), was left out", se.Cut)
	}
	read := linesText(lines) + " were read"
	if lines == 1 {
		read = "1 line was read"
	}
	p := fmt.Sprintf("truncated while read: the file shrank to %d bytes after %s%s", se.Size, read, cut)
	fix := fmt.Sprintf("something cut the file during the report (logrotate's copytruncate, a writer that truncates it): report on a copy nothing writes to (cp %s first, or the rotated file)", shellWord(label))
	if !gz {
		fix += "; live mode follows a log across a truncation"
	}
	return p, classify.Advice{
		Problem: fmt.Sprintf("%s was truncated while read: it shrank from %d to %d bytes after %s%s; the report covers those lines, not the rest of that log", label, se.Opened, se.Size, read, cut),
		Fix:     fix,
	}
}

// isGzip says whether spec names a file that starts with gzip's magic
// bytes, as sources.OpenFile tells a .gz.
func isGzip(spec sources.Spec) bool {
	if !peekable(spec) {
		return false // a pipe would block, or lose what is read
	}
	f, err := os.Open(spec.Path)
	if err != nil {
		return false
	}
	defer f.Close()
	var magic [2]byte
	n, _ := io.ReadFull(f, magic[:])
	return n == 2 && magic[0] == 0x1f && magic[1] == 0x8b
}

func buildInputs(inf *inputFlags, args []string, stderr io.Writer, mustExist bool) ([]*sources.Input, error) {
	specs, err := inf.specs(args, stderr)
	if err != nil {
		return nil, err
	}
	if mustExist || inf.fromStart {
		// The same file twice is a usage error; two files with the same
		// lines (a copy, a .gz of it) are read once, and the advice says
		// so. Live reads them only with --from-start.
		if err := givenTwice(specs); err != nil {
			return nil, err
		}
		specs, inf.notes = sameLogs(specs, &inf.heads)
	}
	// A file given twice is told as such before what its lines read as.
	if err := givenTwice(specs); err != nil {
		return nil, err
	}
	if err := inf.checkGivenRoles(specs); err != nil {
		return nil, err
	}
	return newInputs(specs, mustExist)
}

// outputError is err, writing the output, in the words run uses for the
// other commands: report said "write /dev/stdout: no space left on
// device" where explain, --help and demo --list said "cannot write the
// output: …".
func outputError(err error) error {
	if err == nil {
		return nil
	}
	return fmt.Errorf("cannot write the output: %w", err)
}

// writeFailed is the exit status of a command whose output could not be
// written: 0 and no word when its reader closed the pipe (closedpipe.go),
// else 1 with err.
func writeFailed(stderr io.Writer, err error) int {
	if closedPipe(err) {
		return 0
	}
	printError(stderr, err.Error())
	return 1
}

// fail prints an error with the program prefix and returns its exit status.
func fail(stderr io.Writer, err error) int {
	printError(stderr, err.Error())
	var ue usageError
	if errors.As(err, &ue) {
		return 2
	}
	return 1
}

// interleave lets flags follow positional arguments ("report a.log --json"),
// as people type them; "--" still ends the flags.
func interleave(fs *flag.FlagSet, args []string) []string {
	var flags, pos []string
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			pos = append(pos, args[i+1:]...)
			break
		}
		if len(a) > 1 && a[0] == '-' {
			flags = append(flags, a)
			name := trimDashes(a)
			if j := indexByte(name, '='); j >= 0 {
				continue
			}
			if f := fs.Lookup(name); f != nil {
				if bf, ok := f.Value.(interface{ IsBoolFlag() bool }); ok && bf.IsBoolFlag() {
					continue
				}
				if i+1 == len(args) {
					// No value: let Parse say "flag needs an argument"
					// rather than take the "--" below as its value.
					return flags
				}
				i++
				flags = append(flags, args[i])
			}
			continue
		}
		pos = append(pos, a)
	}
	return append(flags, append([]string{"--"}, pos...)...)
}

func trimDashes(s string) string {
	for len(s) > 0 && s[0] == '-' {
		s = s[1:]
	}
	return s
}

func indexByte(s string, c byte) int {
	for i := 0; i < len(s); i++ {
		if s[i] == c {
			return i
		}
	}
	return -1
}

// parseStatus is the exit status for a flag parse error (parseFlags):
// 0 for -h, which asked for the usage (printed), else 2 with the message.
func parseStatus(stderr io.Writer, err error) int {
	if errors.Is(err, flag.ErrHelp) {
		return 0
	}
	return fail(stderr, err)
}

// readError is the message for an input that failed while read.
func readError(in *sources.Input, err error) string {
	msg := withoutPath(err, in.Spec.Path)
	if !in.Spec.Command && in.Spec.Path != "-" {
		msg = withHint(msg, in.Spec.Path, err)
	}
	return fmt.Sprintf("cannot read input %s: %s", in.Spec.Label(), msg)
}

// withoutPath is err's message without the path it starts with, for a
// message that names the path already ("cannot read input X: read X: ...").
func withoutPath(err error, path string) string {
	var pe *os.PathError
	if errors.As(err, &pe) && pe.Path == path {
		return pe.Err.Error()
	}
	msg := err.Error()
	for _, op := range []string{"read ", "open "} {
		msg = strings.TrimPrefix(msg, op+path+": ")
	}
	return msg
}
