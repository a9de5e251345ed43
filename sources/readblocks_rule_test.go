package sources

import "testing"

// maxWaitingBlocks is how many blocks of a plain file's reader wait at most.
const maxWaitingBlocks = maxWaitingBytes / readBlockSize

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
	if b.n != 2 || b.waiting[b.first].after != 5 || b.waiting[(b.first+1)%len(b.waiting)].after != 5 ||
		&b.waiting[b.first].buf[0] != &second[0] || &b.waiting[(b.first+1)%len(b.waiting)].buf[0] != &third[0] {
		t.Fatalf("%d waiting from %d, want second and third, each after 5 records", b.n, b.first)
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
	if b.n != maxWaitingBlocks {
		t.Fatalf("%d blocks waiting, want %d", b.n, maxWaitingBlocks)
	}
	// Of the 191 blocks retired (0 to 190), the last 64 wait: from block
	// 127, made after its 128th record.
	if want := int64(2 * maxWaitingBlocks); b.waiting[b.first].after != want {
		t.Fatalf("oldest waiting block is free after %d records, want %d", b.waiting[b.first].after, want)
	}
}

// Blocks of a .gz reader (aheadBlockSize, four times a plain read's) are
// bounded by the same bytes, not the same count: 64 of them waiting were
// 16 MiB.
func TestReadBlocksWaitingIsBoundedInBytes(t *testing.T) {
	var b readBlocks
	for i := 0; i < 64; i++ {
		b.use(make([]byte, aheadBlockSize))
		b.made++
	}
	b.retire()
	if want := maxWaitingBytes / aheadBlockSize; b.n != want || b.waitingBytes != want*aheadBlockSize {
		t.Fatalf("%d blocks (%d bytes) waiting, want %d", b.n, b.waitingBytes, want)
	}
}

// A pinned lender (a consumer keeps borrowed text past release) reads into
// a block again only once its records are both released and let go, and
// keeps every block waiting until then, past maxWaitingBlocks.
func TestPinnedBlockWaitsUntilLetGo(t *testing.T) {
	var b readBlocks
	b.Pin()
	first := b.next()
	b.made += 3
	for i := 0; i < 2*maxWaitingBlocks; i++ {
		b.next()
		b.made++
	}
	if b.n != 2*maxWaitingBlocks {
		t.Fatalf("%d blocks waiting, want all %d", b.n, 2*maxWaitingBlocks)
	}
	b.released.Store(b.made)
	if again := b.next(); &again[0] == &first[0] {
		t.Fatal("first was read into again with its records released but not let go")
	}
	b.LetGo(2)
	if again := b.next(); &again[0] == &first[0] {
		t.Fatal("first was read into again with 2 of its 3 records let go")
	}
	b.LetGo(3)
	if again := b.next(); &again[0] != &first[0] {
		t.Fatal("first was not read into again once its 3 records were released and let go")
	}
}
