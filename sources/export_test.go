package sources

// SetParallelWorkers sets how many goroutines parse a Stateless input and
// returns a function that puts the old setting back (for sources_test).
func SetParallelWorkers(n int) (restore func()) {
	old := parallelWorkers
	parallelWorkers = func() int { return n }
	return func() { parallelWorkers = old }
}
