//go:build race

package demo

// raceEnabled says the tests run under the race detector (go test -race):
// the generator is one goroutine, so the tests that play many seeds or
// scenarios play fewer under it, and make test runs them again in full
// without it (FULLSIZE in the Makefile).
const raceEnabled = true
