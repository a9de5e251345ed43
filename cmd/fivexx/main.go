// Command fivexx tells, for every proxy 5xx, whether the proxy or the app
// made it and why, by correlating proxy access and error logs with app logs.
package main

import (
	"fmt"
	"io"
	"os"
)

func main() { os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr)) }

// run is the whole program; tests call it too. It returns the exit status:
// 1 when a command that succeeded could not write its output (explain,
// --help, demo --list to /dev/full exited 0), as report does; 0, quietly,
// when the output was a pipe whose reader is gone (closedpipe.go).
func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	catchPipeSignal()
	out := &checkedWriter{w: stdout}
	status := dispatch(args, stdin, out, stderr)
	if status == 0 && out.err != nil && !closedPipe(out.err) {
		printError(stderr, "cannot write the output: "+out.err.Error())
		return 1
	}
	return status
}

func dispatch(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	defer startProfile(stderr)()
	if len(args) > 0 {
		switch args[0] {
		case "report":
			return cmdReport(args[1:], stdout, stderr)
		case "explain":
			return cmdExplain(args[1:], stdout, stderr)
		case "replay":
			return cmdReplay(args[1:], stdout, stderr)
		case "demo":
			return cmdDemo(args[1:], stdout, stderr)
		case "help", "-h", "--help", "-help":
			return cmdHelp(args[1:], stdout, stderr)
		case "version", "--version", "-version":
			return cmdVersion(args[1:], stdout, stderr)
		}
		if c := mistypedCommand(args[0]); c != "" {
			printError(stderr, fmt.Sprintf("%q is no file and no command: did you mean %s? (fivexx --help lists the commands)", args[0], c))
			return 2
		}
	}
	return cmdLive(args, stdout, stderr)
}

// checkedWriter keeps the first error writing to w.
type checkedWriter struct {
	w   io.Writer
	err error
}

func (c *checkedWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	if err != nil && c.err == nil {
		c.err = err
	}
	return n, err
}
