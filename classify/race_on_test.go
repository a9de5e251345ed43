//go:build race

package classify

// raceEnabled says the tests run under the race detector (go test -race):
// some then judge a smaller input, and make test runs them again at full
// size without it.
const raceEnabled = true

// RaceEnabled is raceEnabled for the package's external tests.
const RaceEnabled = raceEnabled
