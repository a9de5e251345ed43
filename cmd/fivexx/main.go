// Command fivexx tells, for every proxy 5xx, whether the proxy or the app
// made it and why, by correlating proxy access and error logs with app logs.
package main

import (
	"fmt"
	"io"
	"os"
)

func main() { os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr)) }

// run is the whole program; tests call it too. It returns the exit status.
func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
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
			usage(stdout)
			return 0
		}
		if c := mistypedCommand(args[0]); c != "" {
			printError(stderr, fmt.Sprintf("%q is no file and no command: did you mean %s? (fivexx --help lists the commands)", args[0], c))
			return 2
		}
	}
	return cmdLive(args, stdout, stderr)
}
