//go:build !race

package inflate

// raceEnabled says the tests run under the race detector (go test -race):
// the decoder's one-goroutine tests then decode less, and make test runs
// them again in full without it.
const raceEnabled = false
