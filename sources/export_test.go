package sources

// SetParallelWorkers sets how many goroutines parse a Stateless input and
// returns a function that puts the old setting back (for sources_test).
func SetParallelWorkers(n int) (restore func()) {
	old := parallelWorkers
	parallelWorkers = func() int { return n }
	return func() { parallelWorkers = old }
}

// TextBorrowed reports whether the item's line text lies in its reader's
// read block (see readBlocks) rather than in a copy.
func TextBorrowed(it Item) bool {
	switch {
	case it.slot != nil:
		return it.slot.lender != nil
	case it.appSlot != nil:
		return it.appSlot.lender != nil
	}
	return false
}
