//go:build race

package applog

// raceEnabled says the tests run under the race detector (go test -race).
const raceEnabled = true
