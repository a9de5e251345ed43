package sources

// Batches of items are recycled: a report of 3 M lines made about 6,000 of
// them (of 512 items then, 12 KiB each), 8% of everything it allocated. A small free list
// rather than a sync.Pool: Put on a sync.Pool of slices allocates the
// interface box, and the list never holds more than a few dozen.
var freeBatches = make(chan []Item, 32)

// newBatch returns an empty batch with room for batchSize items.
func newBatch() []Item {
	select {
	case b := <-freeBatches:
		return b
	default:
		return make([]Item, 0, batchSize)
	}
}

// ReleaseBatch hands a batch received from MergeBatches or ReadBatches back
// for reuse, with the memory of its records (see ProxySlot). The caller
// must not touch b or its records afterwards, and must have kept a Detach
// copy of any proxy entry it keeps.
func ReleaseBatch(b []Item) {
	releaseSlots(b)
	recycleBatch(b)
}

// recycleBatch takes back the slice of a batch whose records live on
// elsewhere (the merge copies them into batches of its own). Its items are
// cleared first, so a batch waiting for reuse keeps no record alive.
func recycleBatch(b []Item) {
	if cap(b) != batchSize {
		return
	}
	clear(b)
	select {
	case freeBatches <- b[:0]:
	default:
	}
}
