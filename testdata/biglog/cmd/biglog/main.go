// Command biglog writes big, deterministic nginx and app logs for benchmarks:
// access.log (nginx upstream-rich), error.log (UTC, no zone), app.log (JSON)
// and combined.log in -out.
//
//	go run ./testdata/biglog/cmd/biglog -lines 2000000 -seed 1 -out /tmp/biglog
package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"sort"
	"time"

	"fivexx/testdata/biglog"
)

func main() { os.Exit(run(os.Args[1:], os.Stdout, os.Stderr)) }

func run(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("biglog", flag.ContinueOnError)
	fs.SetOutput(stderr)
	lines := fs.Int64("lines", 1_000_000, "access lines (requests) to write")
	seed := fs.Uint64("seed", 1, "random seed: the same seed gives the same bytes")
	out := fs.String("out", "", "directory to write the logs in (required)")
	start := fs.String("start", biglog.DefaultStart.Format(time.RFC3339), "log time of the first request (RFC 3339)")
	rate := fs.Float64("rate", 400, "requests per second of log time")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if *out == "" || fs.NArg() > 0 {
		fmt.Fprintln(stderr, "biglog: error: usage: biglog -lines N -seed S -out DIR")
		return 2
	}
	t0, err := time.Parse(time.RFC3339, *start)
	if err != nil {
		fmt.Fprintf(stderr, "biglog: error: -start: %v\n", err)
		return 2
	}
	began := time.Now()
	st, err := biglog.Generate(*out, biglog.Config{Lines: *lines, Seed: *seed, Start: t0, Rate: *rate})
	if err != nil {
		fmt.Fprintf(stderr, "biglog: error: %v\n", err)
		return 1
	}
	took := time.Since(began)
	total := st.AccessLines + st.ErrorLines + st.AppLines + st.CombinedLines
	fmt.Fprintf(stdout, "wrote %s: %d lines (%.1f MB) in %.2fs, %.0f lines/s\n", *out, total,
		float64(st.AccessBytes+st.ErrorBytes+st.AppBytes+st.CombinedBytes)/1e6, took.Seconds(), float64(total)/took.Seconds())
	fmt.Fprintf(stdout, "  %-12s %10d lines %8.1f MB  (%.0f bytes/line)\n", biglog.AccessFile, st.AccessLines, float64(st.AccessBytes)/1e6, float64(st.AccessBytes)/float64(max(st.AccessLines, 1)))
	fmt.Fprintf(stdout, "  %-12s %10d lines %8.1f MB\n", biglog.ErrorFile, st.ErrorLines, float64(st.ErrorBytes)/1e6)
	fmt.Fprintf(stdout, "  %-12s %10d lines %8.1f MB\n", biglog.AppFile, st.AppLines, float64(st.AppBytes)/1e6)
	fmt.Fprintf(stdout, "  %-12s %10d lines %8.1f MB\n", biglog.CombinedFile, st.CombinedLines, float64(st.CombinedBytes)/1e6)
	fmt.Fprintf(stdout, "log time %s .. %s (error.log times are UTC without zone: read with TZ=UTC)\n",
		st.First.Format(time.RFC3339), st.Last.Format(time.RFC3339))
	fmt.Fprintf(stdout, "status:")
	for _, s := range sortedKeys(st.Status) {
		fmt.Fprintf(stdout, " %d=%d", s, st.Status[s])
	}
	fmt.Fprintf(stdout, "\ncauses:")
	for _, c := range sortedKeys(st.Causes) {
		fmt.Fprintf(stdout, " %s=%d", c, st.Causes[c])
	}
	fmt.Fprintf(stdout, "\nretried %d, served by nginx itself %d\n", st.Retried, st.Static)
	return 0
}

func sortedKeys[K int | string, V any](m map[K]V) []K {
	keys := make([]K, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool { return keys[i] < keys[j] })
	return keys
}
