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
// one of them at random (q and ctrl+c did nothing).
func checkStdinInput(ins []*sources.Input) error {
	for _, in := range ins {
		if !in.Spec.Command && in.Spec.Path == "-" && stdinIsTerminal() {
			return usageError{"- reads standard input, which is the terminal here: pipe a log into it (kubectl logs -f deploy/api | fivexx access.log -) or use --cmd 'COMMAND'"}
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
