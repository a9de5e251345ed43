package sources

import (
	"sync"
	"sync/atomic"
	"unsafe"
)

// A report parses each line where it was read rather than copying it into
// its slot first. Copying was cheap in itself (1 GB per report of the 2 M
// bench set, 2% of the CPU) but every copy went to a slot last written a
// few thousand lines ago, and those cold stores held up the parser behind
// them. Without them, on the 2 M bench set (medians of 7 to 9 alternated
// runs): the three files take 3% less time on one core (1.97 s against
// 2.03 s); access.log alone, read in parallel chunks, 7% less CPU (1.14
// against 1.22 CPU-s) and 2 MB less memory.
//
// So a reader whose consumer hands batches back in order (MergeEach) reads
// into blocks of its own, and a slot's text is then a slice of its block:
// borrowed. A block is read into again only once every record whose text
// it holds has been released: the reader counts the borrowed records it
// made, releaseSlots counts those it takes back, and both count in the
// same order. A block that is never read into again is left to the
// collector, which keeps it while any string still points into it. A
// consumer that keeps some lines' text longer than their records (a
// replay's timelines: classify/lenttext.go) pins the reader (Lender): a
// block then also waits until the consumer has let go of its lines.

// readBlockSize is the size of a read and of a block: the same as
// readChunk, so the parser reads each line while the read's copy of it is
// still in cache.
const readBlockSize = readChunk

// maxWaitingBytes bounds the blocks a reader keeps for reuse, in bytes, as
// blocks come in two sizes (readBlockSize, and aheadBlockSize from a .gz):
// beyond it the oldest is let go rather than waited for. A lender pinned by
// its consumer (Lender.Pin) keeps them all: its consumer lets them go in
// time.
const maxWaitingBytes = 64 * readBlockSize

// readBlocks is one reader's blocks: the one being parsed and those
// waiting until their records are released.
//
// With keep set (Input.KeepText: a replay keeps every line's text for its
// timelines) no block is ever read into again: each read gets a new block,
// and the lines' text stays where it was read, for as long as anyone holds
// it. That saves copying each line into a TextArena after the read has
// copied it once: on the 2 M bench set, BenchmarkReplayMax's 1 GB of
// copies.
type readBlocks struct {
	cur  []byte
	keep bool
	// waiting is a ring of blocks, oldest at first, n of them holding
	// waitingBytes (their capacity); it grows up to maxWaitingBytes, or
	// without bound once pinned.
	waiting      []waitingBlock
	first, n     int
	waitingBytes int
	made         int64 // borrowed records made so far
	// released counts the borrowed records taken back (releaseSlots, on
	// the consumer's goroutine); made and it count the same records in
	// the same order.
	released atomic.Int64
	// pinned says the consumer keeps the text of some borrowed records
	// past their release (Lender.Pin); then a block is also held until
	// letGo, which counts the same records, has passed it.
	pinned atomic.Bool
	letGo  atomic.Int64
	// poisonable is, with poisonFreedBlocks on (tests only), the waiting
	// blocks not yet poisoned, in the order of waiting; poisonMu guards
	// it, as LetGo poisons on the consumer's goroutine.
	poisonMu   sync.Mutex
	poisonable []waitingBlock
}

// waitingBlock is a block that is free again once released reaches after.
type waitingBlock struct {
	buf   []byte
	after int64
}

// next returns the block to read into next: the oldest waiting block if
// its records are all released, else a new one.
func (b *readBlocks) next() []byte {
	b.retire()
	if buf, ok := b.reusable(); ok {
		b.cur = buf
	} else {
		b.cur = make([]byte, readBlockSize)
	}
	return b.cur
}

// use makes buf, read by someone else (a parallel chunk), the current
// block.
func (b *readBlocks) use(buf []byte) {
	b.retire()
	b.cur = buf
}

// reusable takes the oldest waiting block if its records are all released
// (and, pinned, let go).
func (b *readBlocks) reusable() ([]byte, bool) {
	if b.n == 0 {
		return nil, false
	}
	after := b.waiting[b.first].after
	// released before pinned: a record whose text the consumer keeps was
	// pinned before it was released (Lender.Pin).
	if b.released.Load() < after || b.pinned.Load() && b.letGo.Load() < after {
		return nil, false
	}
	return b.dropOldest(), true
}

// dropOldest takes the oldest waiting block off the ring.
func (b *readBlocks) dropOldest() []byte {
	w := &b.waiting[b.first]
	buf := w.buf
	w.buf = nil
	b.first = (b.first + 1) % len(b.waiting)
	b.n--
	b.waitingBytes -= cap(buf)
	if poisonFreedBlocks.Load() {
		b.unwatch(buf)
	}
	return buf
}

// growWaiting makes room in the ring for more waiting blocks, in order
// from index 0.
func (b *readBlocks) growWaiting() {
	w := make([]waitingBlock, max(8, 2*len(b.waiting)))
	for i := 0; i < b.n; i++ {
		w[i] = b.waiting[(b.first+i)%len(b.waiting)]
	}
	b.waiting, b.first = w, 0
}

// retire puts the current block (if any) among the waiting: every record
// that borrows from it has been made.
func (b *readBlocks) retire() {
	if b.cur == nil {
		return
	}
	if b.keep {
		b.cur = nil // its lines keep it: left to the collector
		return
	}
	for b.n > 0 && b.waitingBytes+cap(b.cur) > maxWaitingBytes && !b.pinned.Load() {
		b.dropOldest()
	}
	if b.n == len(b.waiting) {
		b.growWaiting()
	}
	b.waiting[(b.first+b.n)%len(b.waiting)] = waitingBlock{buf: b.cur, after: b.made}
	b.n++
	b.waitingBytes += cap(b.cur)
	if poisonFreedBlocks.Load() {
		b.watch(waitingBlock{buf: b.cur, after: b.made})
	}
	b.cur = nil
}

// holds reports whether line lies within the current block.
func (b *readBlocks) holds(line []byte) bool {
	if len(line) == 0 || len(b.cur) == 0 {
		return false
	}
	off := uintptr(unsafe.Pointer(unsafe.SliceData(line))) - uintptr(unsafe.Pointer(unsafe.SliceData(b.cur)))
	return off < uintptr(len(b.cur)) && off+uintptr(len(line)) <= uintptr(len(b.cur))
}

// borrow makes line, which lies in the current block of b, the slot's text
// and returns it as a string; the caller counts the record in b.made once
// it is one (s.lender is set: with b.keep it is not, as the block is never
// reused and nothing waits for the record's release).
func (s *slotText) borrow(line []byte, b *readBlocks) string {
	s.text, s.kept, s.lender = line, true, b
	if b.keep {
		s.lender = nil
	}
	return unsafe.String(unsafe.SliceData(line), len(line))
}

// blockText returns p, which lies in a block, as a string: the block's
// bytes stay as they are until its records are released.
func blockText(p []byte) string {
	return unsafe.String(unsafe.SliceData(p), len(p))
}

// Lender is a reader's blocks, as seen by a consumer that keeps the text
// of borrowed records past their release where it was read, rather than
// copying it out (a timeline engine keeps two minutes of lines, nearly
// all only to show in timelines: classify/textlines.go). It counts the
// lender's borrowed records in the order they come (Item.Lender), numbers
// from 0 that are the reader's own count (readBlocks.made), and tells the
// lender how far it has let go of them (LetGo): a block is read into
// again once its records are both released and let go.
type Lender = readBlocks

// Lender returns the reader whose block the item's text is borrowed from,
// or nil: then its text is a slot's own, used again once released.
func (it *Item) Lender() *Lender { return it.lender }

// Pin says that the consumer may keep the text of l's borrowed records
// past their release, until LetGo has passed them. It must be called
// before the first such record is released.
func (l *Lender) Pin() { l.pinned.Store(true) }

// LetGo says that the consumer keeps the text of none of l's first n
// borrowed records any more (in the order they came, from 0).
func (l *Lender) LetGo(n int64) {
	if poisonFreedBlocks.Load() {
		// Before the store: the reader takes a block again only after it
		// sees n, so it reads into the block after the poison.
		l.poisonFree(n)
	}
	l.letGo.Store(n)
}

// A consumer that lets go too early (counts more records than the reader
// made) has a block read into again while it still shows the block's
// lines. The tests did not see it: a pinned reader keeps every block, so
// its ring grows to the consumer's two minutes of lines, and it takes the
// oldest again; a block let go early, even by 2^40 records, was read into
// only when its lines had gone (an injected over-count passed every
// test). So a test can have each block poisoned the moment it is free to
// be read into again: an early let-go shows in the text at once (2^40 in
// classify/replay's same-digest tests, 64 records with the engine's lines
// capped at 400).

// poisonFreedBlocks says to poison freed blocks: set by tests only
// (SetPoisonFreedBlocks). It is looked at once per block and per LetGo,
// never per line.
var poisonFreedBlocks atomic.Bool

// poison is what a freed block is filled with.
const poison = '#'

// SetPoisonFreedBlocks is for tests only: with on, a lender's block is
// overwritten with '#' as soon as its records are all released and let
// go (LetGo), rather than when it is next read into, which may be late or
// never. Set it before the readers start: a block is watched when it
// starts to wait. It returns a function that puts the old setting back.
// It is exported, not in export_test.go, for the replay's tests
// (classify/replay), which lend blocks to the engine.
func SetPoisonFreedBlocks(on bool) (restore func()) {
	old := poisonFreedBlocks.Swap(on)
	return func() { poisonFreedBlocks.Store(old) }
}

// watch adds a block that now waits to those poisoned once free.
func (b *readBlocks) watch(w waitingBlock) {
	b.poisonMu.Lock()
	b.poisonable = append(b.poisonable, w)
	b.poisonMu.Unlock()
}

// unwatch takes buf, no longer waiting, off the blocks to poison. Both it
// and poisonFree take the oldest, so buf is first if it is there at all.
func (b *readBlocks) unwatch(buf []byte) {
	b.poisonMu.Lock()
	if len(b.poisonable) > 0 && unsafe.SliceData(b.poisonable[0].buf) == unsafe.SliceData(buf) {
		b.poisonable = b.poisonable[1:]
	}
	b.poisonMu.Unlock()
}

// poisonFree poisons the waiting blocks that letting go of n records
// frees; one whose records are not all released yet is poisoned at a
// later LetGo.
func (b *readBlocks) poisonFree(n int64) {
	free := min(n, b.released.Load())
	b.poisonMu.Lock()
	for len(b.poisonable) > 0 && b.poisonable[0].after <= free {
		buf := b.poisonable[0].buf
		for i := range buf {
			buf[i] = poison
		}
		b.poisonable = b.poisonable[1:]
	}
	b.poisonMu.Unlock()
}
