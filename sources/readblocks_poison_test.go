package sources

import (
	"bytes"
	"testing"
)

// With poisoning on (SetPoisonFreedBlocks, for the replay's tests), a
// pinned lender's block is overwritten the moment its records are all
// released and let go, not when it is next read into: an early LetGo then
// shows at once. Until then it keeps its text, whichever comes last.
func TestFreedBlockIsPoisonedAtOnce(t *testing.T) {
	defer SetPoisonFreedBlocks(true)()
	var b readBlocks
	b.Pin()
	first := b.next()
	copy(first, "line one\nline two\nline three\n")
	b.made += 3
	b.next()
	b.made++
	b.next() // first and second wait
	clean := func(want bool, when string) {
		t.Helper()
		if got := !bytes.Contains(first, []byte("#")); got != want {
			t.Fatalf("%s: first block %q..., want it poisoned %v", when, first[:29], !want)
		}
	}
	b.released.Store(2)
	b.LetGo(3)
	clean(true, "let go, 2 of its 3 records released")
	b.released.Store(3)
	clean(true, "released, not let go since")
	b.LetGo(3)
	if bytes.Count(first, []byte("#")) != len(first) {
		t.Fatalf("released and let go: first block %q..., want all '#'", first[:29])
	}
	// The second (record 4) and third (record 5) are still held; taking
	// the first again does not unwatch them.
	b.made++
	if again := b.next(); &again[0] != &first[0] {
		t.Fatal("first was not read into again once free")
	}
	if len(b.poisonable) != 2 || b.poisonable[0].after != 4 {
		t.Fatalf("%d blocks to poison, first after %d; want second (after 4) and third (after 5)", len(b.poisonable), b.poisonable[0].after)
	}
	b.released.Store(4)
	b.LetGo(4)
	if len(b.poisonable) != 1 {
		t.Fatalf("%d blocks to poison once the second is free, want 1", len(b.poisonable))
	}
}

// Off, as in the product, no block is watched or poisoned.
func TestFreedBlockIsNotPoisonedOff(t *testing.T) {
	defer SetPoisonFreedBlocks(false)()
	var b readBlocks
	b.Pin()
	first := b.next()
	b.made++
	b.next()
	b.released.Store(1)
	b.LetGo(1)
	if first[0] == poison || len(b.poisonable) != 0 {
		t.Fatalf("poisoned %v, %d watched; want neither with poisoning off", first[0] == poison, len(b.poisonable))
	}
}
