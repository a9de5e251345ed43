package parsertest

import (
	"os"
	"path/filepath"
	"sync"
	"testing"

	"fivexx/testdata/biglog"
)

// biglogKey names one generated file.
type biglogKey struct {
	requests int64
	file     string
}

var (
	biglogMu    sync.Mutex
	biglogFiles = map[biglogKey][]string{}
)

// BiglogLines returns the lines of file (biglog.AccessFile, AppFile or
// ErrorFile) that testdata/biglog writes for the given number of requests
// (seed 1), generated once per test binary: benchmarks measure parsers on
// the generator's realistic mix rather than on a handful of samples.
func BiglogLines(tb testing.TB, requests int64, file string) []string {
	tb.Helper()
	biglogMu.Lock()
	defer biglogMu.Unlock()
	if lines, ok := biglogFiles[biglogKey{requests, file}]; ok {
		return lines
	}
	dir, err := os.MkdirTemp("", "fivexx-biglog-")
	if err != nil {
		tb.Fatal(err)
	}
	defer os.RemoveAll(dir)
	if _, err := biglog.Generate(dir, biglog.Config{Lines: requests, Seed: 1, NoCombined: true}); err != nil {
		tb.Fatal(err)
	}
	for _, f := range []string{biglog.AccessFile, biglog.ErrorFile, biglog.AppFile} {
		biglogFiles[biglogKey{requests, f}] = Lines(tb, filepath.Join(dir, f))
	}
	return biglogFiles[biglogKey{requests, file}]
}
