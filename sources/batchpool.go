package sources

import "sync"

// Batches of items are recycled: a report of 3 M lines made about 6,000 of
// them (of 512 items then, 12 KiB each), 8% of everything it allocated. A small free list
// rather than a sync.Pool: Put on a sync.Pool of slices allocates the
// interface box, and the list never holds more than a few dozen. Last in,
// first out, as the slot groups (groupStack): the batch released last is
// the likeliest still in cache.
var freeBatches batchStack

// maxFreeBatches bounds freeBatches.
const maxFreeBatches = 32

// batchStack is a free list of batches, last in first out.
type batchStack struct {
	mu      sync.Mutex
	batches [][]Item
}

// newBatch returns an empty batch with room for batchSize items.
func newBatch() []Item {
	f := &freeBatches
	f.mu.Lock()
	if n := len(f.batches); n > 0 {
		b := f.batches[n-1]
		f.batches[n-1] = nil
		f.batches = f.batches[:n-1]
		f.mu.Unlock()
		return b
	}
	f.mu.Unlock()
	return make([]Item, 0, batchSize)
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
	f := &freeBatches
	f.mu.Lock()
	if len(f.batches) < maxFreeBatches {
		f.batches = append(f.batches, b[:0])
	}
	f.mu.Unlock()
}
