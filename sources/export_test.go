package sources

import "context"

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

// Decoder drives an input's decoder by hand (for sources_test): lines in,
// flushes as a live input's ticker makes them, the end.
type Decoder struct{ d *decoder }

// NewDecoder makes the decoder of in, sending records on out.
func NewDecoder(in *Input, out chan<- Item) Decoder { return Decoder{newDecoder(in, out)} }

// NewHeadDecoder makes the decoder of in as live mode does for a file: its
// format detected from the file's head.
func NewHeadDecoder(in *Input, out chan<- Item) (Decoder, error) {
	d, err := headDecoder(in, out)
	return Decoder{d}, err
}

// Held is how many lines the decoder holds back (held and pending).
func (d Decoder) Held() int { return len(d.d.held) + len(d.d.pending) }

// Line hands it one line.
func (d Decoder) Line(ctx context.Context, text string) error { return d.d.line(ctx, text) }

// Tick is one flush of a live input's ticker.
func (d Decoder) Tick(ctx context.Context) error { return d.d.flush(ctx) }

// Finish ends the input.
func (d Decoder) Finish(ctx context.Context) error { return d.d.finish(ctx) }

// QuietTicks is how many quiet ticks decide held lines.
const QuietTicks = quietTicks

// ReadBlockSize is the size of a reader's read (readBlocks).
const ReadBlockSize = readBlockSize

// DetectLines is how many lines settle detection, and how many a watched
// app format is checked over.
const DetectLines = detectLines

// LoneTicks is how many quiet ticks decide one request line held alone.
const LoneTicks = loneTicks

// MaxPendingTicks is how many flushes a watched app's first lines wait.
const MaxPendingTicks = maxPendingTicks

// MaxHeldLines bounds the lines held for detection.
const MaxHeldLines = maxHeldLines

// StateUnknownFormat is the state of an input no format fits.
const StateUnknownFormat = stateUnknownFormat

// SetParallelGzipMin sets the size from which a .gz file's first member is
// inflated by sources/inflate, and returns a function that puts the old
// setting back (for sources_test).
func SetParallelGzipMin(n int64) (restore func()) {
	old := parallelGzipMin
	parallelGzipMin = n
	return func() { parallelGzipMin = old }
}

// DecodeLines hands text to a new decoder of in as readDecoded does,
// as one read into one block its slots may borrow from (when in releases
// in order), and returns the batches it sent and the number of borrowed
// records it made. With reference, the splitter hands on every line one
// at a time (feed), so that each is parsed by lineBytes, the reference
// for proxyLines and appLines.
func DecodeLines(in *Input, text string, reference bool) (batches [][]Item, made int64, err error) {
	ctx := context.Background()
	out := make(chan []Item, 4)
	got := make(chan [][]Item, 1)
	go func() {
		var all [][]Item
		for b := range out {
			all = append(all, b)
		}
		got <- all
	}()
	d := newDecoder(in, nil)
	d.batches = out
	buf := []byte(text)
	if in.borrowText || in.keepText {
		d.blocks.use(buf) // readDecoded reads into blocks then (decoder.borrow)
	}
	var split lineSplitter
	if reference {
		err = split.feed(buf, d.lineFunc(ctx))
	} else {
		err = split.feedDecoder(ctx, buf, d.lineFunc(ctx), d)
	}
	if err == nil {
		err = split.flush(d.lineFunc(ctx))
	}
	in.nuls.Add(split.nuls)
	if err == nil {
		err = d.finish(ctx)
	}
	d.guard.flush(in)
	close(out)
	return <-got, d.blocks.made, err
}

// SlotOf says whether the item's record lies in a proxy slot and in an app
// slot, and returns its lender.
func SlotOf(it Item) (proxy, app bool, lender *Lender) {
	return it.slot != nil, it.appSlot != nil, it.lender
}

// MergeKeyOf returns the merge key the decoder put in it (Item.at) and
// the one the merge reads from its record when none is put there, the
// reference.
func MergeKeyOf(it Item) (set, fromRecord int64) {
	return it.at, shiftedKey(it.Rec, it.Input.mergeShift).bits()
}

// OwnJSON is ownJSON, and OwnJSONDecoding the same by decoding every
// line, its reference.
var OwnJSON, OwnJSONDecoding = ownJSON, ownJSONDecoding

// ProxyFamilyForTest is proxyFamily, what OwnJSON returns.
type ProxyFamilyForTest = proxyFamily

// LowerLevels is lowerLevels, the levels Caddy's and Traefik's own JSON
// lines have.
var LowerLevels = lowerLevels

// BatchSize is batchSize, for the merge's tests.
const BatchSize = batchSize

// FirstOverRead is firstOverRead, for the merge gate tests of package sources_test.
var FirstOverRead = firstOverRead

// DropFreeLists empties the free lists of slots and batches, for a test
// that measures the heap a merge holds: what other tests released there
// would otherwise be reused and hide what the merge allocates.
func DropFreeLists() {
	for freeProxySlots.pop() != nil {
	}
	for freeAppSlots.pop() != nil {
	}
	for len(emptyProxyGroups) > 0 {
		<-emptyProxyGroups
	}
	for len(emptyAppGroups) > 0 {
		<-emptyAppGroups
	}
	freeBatches.mu.Lock()
	freeBatches.batches = nil
	freeBatches.mu.Unlock()
}
