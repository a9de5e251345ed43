package sources

import "testing"

// A block is read into again exactly when every record borrowed from it
// has been released, not one record sooner; until then the reader takes a
// new block.
func TestReadBlockWaitsForItsLastRecord(t *testing.T) {
	var b readBlocks
	first := b.next()
	b.made += 3 // three records borrow from first
	second := b.next()
	if &second[0] == &first[0] {
		t.Fatal("a block was read into again before any of its records was released")
	}
	b.made += 2 // two from second
	b.released.Store(2)
	third := b.next()
	if &third[0] == &first[0] {
		t.Fatal("first was read into again with 2 of its 3 records released")
	}
	b.released.Store(3)
	if again := b.next(); &again[0] != &first[0] {
		t.Fatal("first was not read into again once its 3 records were released")
	}
	// second (records 4 and 5) and third (none of its own) wait in order.
	if len(b.waiting) != 2 || b.waiting[0].after != 5 || b.waiting[1].after != 5 {
		t.Fatalf("waiting %+v, want second and third, each after 5 records", b.waiting)
	}
}

// A reader whose records are never released lets its oldest blocks go
// rather than keeping every block it ever read.
func TestReadBlocksWaitingIsBounded(t *testing.T) {
	var b readBlocks
	for i := 0; i < 3*maxWaitingBlocks; i++ {
		b.next()
		b.made++
	}
	if len(b.waiting) != maxWaitingBlocks {
		t.Fatalf("%d blocks waiting, want %d", len(b.waiting), maxWaitingBlocks)
	}
}
