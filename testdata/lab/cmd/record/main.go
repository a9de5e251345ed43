// Command record regenerates testdata/recordings: real nginx, HAProxy and
// Caddy in front of the lab's fault-injecting backends, with the ground truth
// of every request. Run from the module root:
//
//	go run ./testdata/lab/cmd/record -out testdata/recordings [-only NAME,...] [-seed N]
//
// "record backend ..." runs one backend process (the same as cmd/backend);
// the recorder starts its backends that way, so it needs no separate build.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"fivexx/testdata/lab"
)

func main() { os.Exit(run(os.Args[1:], os.Stdout, os.Stderr)) }

func run(args []string, stdout, stderr io.Writer) int {
	if len(args) > 0 && args[0] == "backend" {
		return lab.BackendMain(args[1:], stderr)
	}
	fs := flag.NewFlagSet("record", flag.ContinueOnError)
	fs.SetOutput(stderr)
	out := fs.String("out", "testdata/recordings", "output directory")
	only := fs.String("only", "", "comma-separated recording names (default: all)")
	seed := fs.Int64("seed", 1, "seed of the mixed incident")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	exe, err := os.Executable()
	if err != nil {
		fmt.Fprintf(stderr, "record: error: %v\n", err)
		return 1
	}
	var names []string
	if *only != "" {
		names = strings.Split(*only, ",")
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	err = lab.Record(ctx, lab.RecordOptions{
		Out: *out, Only: names, Seed: *seed,
		BackendCommand: []string{exe, "backend"}, Progress: stdout,
	})
	var missing *lab.MissingProgramError
	switch {
	case errors.As(err, &missing):
		fmt.Fprintf(stderr, "record: error: %v\n", err)
		return 3
	case err != nil:
		fmt.Fprintf(stderr, "record: error: %v\n", err)
		return 1
	}
	return 0
}
