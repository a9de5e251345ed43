package main

import (
	"os"
	"strings"

	"github.com/charmbracelet/x/term"

	"fivexx/sources"
)

// stdinIsTerminal is whether standard input is the terminal; a variable so
// that tests can say it is.
var stdinIsTerminal = func() bool { return term.IsTerminal(os.Stdin.Fd()) }

// checkStdinInput refuses "-" when standard input is the terminal: the
// input's reader and the UI would share the keyboard, and each key went to
// one of them at random (q and ctrl+c did nothing). What to pipe in is
// mode's: a replay plays a recorded log, where the live view's example, a
// never-ending kubectl logs -f, was suggested to replay too (QA s30).
func checkStdinInput(ins []*sources.Input, replay bool) error {
	example := "pipe a log into it (kubectl logs -f deploy/api | fivexx access.log -) or use --cmd 'COMMAND'"
	if replay {
		example = "pipe a recorded log into it (zcat access.log.gz | fivexx replay - error.log app.log) or name the files"
	}
	for _, in := range ins {
		if !in.Spec.Command && in.Spec.Path == "-" && stdinIsTerminal() {
			return usageError{"- reads standard input, which is the terminal here: " + example}
		}
	}
	return nil
}

// checkReportStdin refuses standard input ("-", /dev/stdin) when it is
// the terminal: a report read it to its end, waiting silently for lines
// typed until ctrl+d.
func checkReportStdin(ins []*sources.Input) error {
	for _, in := range ins {
		if !in.Spec.Command && stdinPath(in.Spec.Path) && stdinIsTerminal() {
			return usageError{"standard input is a terminal: pipe a log into it, e.g. zcat access.log.gz | fivexx report -"}
		}
	}
	return nil
}

// stdoutIsTerminal is whether standard output is a terminal; a variable
// so that tests can say it is.
var stdoutIsTerminal = func() bool { return term.IsTerminal(os.Stdout.Fd()) }

// checkTerminalOutput refuses to draw the UI into a pipe or a file: piped
// (fivexx access.log | cat) it was drawn at 80x24 whatever the terminal's
// size, and redirected (> out.txt) the screen stayed blank while the file
// filled with frames until q was pressed blind.
func checkTerminalOutput(mode string) error {
	if stdoutIsTerminal() {
		return nil
	}
	if mode == "demo" {
		// Its lines as files, to read with report or replay: report wants
		// logs the demo has not written yet (QA s30).
		return usageError{"standard output is not a terminal: demo draws its UI on one; to write its logs to files use fivexx demo --write DIR (then fivexx report DIR/access.log DIR/error.log DIR/app.log)"}
	}
	return usageError{"standard output is not a terminal: " + mode + " draws its UI on one; for a headless summary use fivexx report (--json, --events)"}
}

// uiError says what to do when the UI could not start for want of a
// terminal (ssh without -t, cron, a pipeline).
func uiError(err error) string {
	msg := err.Error()
	if strings.Contains(msg, "TTY") || strings.Contains(msg, "/dev/tty") {
		msg += ": the live UI needs a terminal; for a headless summary use fivexx report (--json, --events)"
	}
	return msg
}
