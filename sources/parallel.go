package sources

import (
	"bytes"
	"context"
	"errors"
	"io"
	"runtime"
	"slices"
)

// Reading a file to its end (report, replay), the parser is most of the
// work, and one goroutine per input caps it at one core. For an input whose
// format is Stateless, readParallel cuts the stream into chunks that end at
// a newline, parses them on several goroutines (each chunk whole, with its
// own parser: parsers keep caches and are not safe for concurrent use), and
// puts the records back in file order before they leave the decoder.
//
// One reader goroutine cuts the chunks rather than each worker reading its
// own byte range: reading and finding the last newline of 64 KiB costs
// microseconds against milliseconds of parsing, and the same code then
// serves gzip and standard input, which cannot be split by offset.

// parallelWorkers is how many goroutines parse one input; below 2 the input
// is read the plain way. A variable so that tests can force it.
var parallelWorkers = func() int { return min(runtime.GOMAXPROCS(0), 4) }

// parseWorkers is parallelWorkers within the input's share of the cores:
// inputs read side by side already keep the cores busy (access, error and
// app logs on 2 cores: the same wall time with parallel chunks, 3% more
// CPU and 4 MB more memory).
func (in *Input) parseWorkers() int {
	if in.cores > 0 {
		return min(parallelWorkers(), in.cores)
	}
	return parallelWorkers()
}

const parChunk = 64 << 10

var newline = []byte{'\n'}

// parQueue is how many chunks wait for each worker.
const parQueue = 2

// parChunkIn is a chunk to parse: whole lines (but for the last chunk of
// the stream, whose last line may have no newline).
type parChunkIn struct {
	buf []byte
	// first is how many lines came before the chunk's, counted by
	// newlines from where readParallel began: a worker numbers the
	// chunk's records from it (see parChunkOut.first).
	first int64
}

// parChunkOut is what a worker made of a chunk.
type parChunkOut struct {
	// batches hold the chunk's records, numbered from first: they go on
	// to the merge as they are, unless the lines before the chunk were
	// not first (then the reader renumbers them) or the decoder folds
	// repeated lines.
	batches [][]Item
	first   int64
	lines   int64
	samples []string // the chunk's first unparsed lines, to keep in file order
}

// canReadParallel reports whether the rest of d's input may be parsed in
// parallel: its format is known, Stateless, and it is a proxy log (the
// decoder holds app records back for continuation lines).
func canReadParallel(d *decoder) bool {
	if d.plainOnly || d.mode != modeParse {
		return false
	}
	if d.batches == nil || d.role != RoleProxy || !d.in.Format().Stateless || d.in.parseWorkers() < 2 {
		d.plainOnly = true // none of these changes once the format is known
		return false
	}
	// Repeated lines are folded record by record (decoder.send), which a
	// worker's batches skip: only commands fold them, and they are not
	// read here.
	return len(d.held) == 0 && !d.hasLast && !d.heldInBatch && d.repeats == nil
}

// readParallel parses the rest of r (whole lines from its start) on
// parallelWorkers goroutines and sends the records through d in file order.
// A line too long to be cut into chunks (over MaxLineBytes) ends the
// parallel part: from there on the input is read the plain way.
func readParallel(ctx context.Context, in *Input, r io.Reader, d *decoder) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	k := in.parseWorkers()
	parsers := make([]Parser, k)
	for i := range parsers {
		p, err := d.in.Format().New(in.Spec.Opts)
		if err != nil {
			return err // New worked for the same options a moment ago
		}
		parsers[i] = p
	}
	ins := make([]chan parChunkIn, k)
	outs := make([]chan parChunkOut, k)
	for i := range ins {
		// Two chunks queued per worker: for a .gz file the cutter is the
		// inflater, the slowest stage, and with one it stalled on a busy
		// worker more often (access.log.gz 2.37 -> 2.10 s, 11 alternated
		// runs; 8 raised peak RSS from 23 to 31 MB).
		ins[i] = make(chan parChunkIn, parQueue)
		outs[i] = make(chan parChunkOut, 1)
		go parseChunks(ctx, in, parsers[i], ins[i], outs[i])
	}
	type readEnd struct {
		rest []byte // bytes not parsed in parallel (a too-long line); nil at EOF
		err  error
	}
	endc := make(chan readEnd, 1)
	go func() {
		rest, err := cutChunks(ctx, r, ins, d.lineNo)
		for _, c := range ins {
			close(c)
		}
		endc <- readEnd{rest, err}
	}()
	var sendErr error
	for i := 0; ; i++ {
		res, ok := <-outs[i%k]
		if !ok {
			break // chunks go round-robin: the first closed output is the end
		}
		if sendErr != nil {
			releaseBatches(res.batches) // drain
			continue
		}
		if sendErr = d.sendChunk(ctx, &res); sendErr != nil {
			cancel()
		}
		d.lineNo += res.lines
		if len(res.samples) > 0 {
			in.addSamples(res.samples...)
		}
	}
	end := <-endc
	if sendErr != nil {
		return sendErr
	}
	if end.err != nil {
		return end.err
	}
	if end.rest != nil {
		return readLines(ctx, in, io.MultiReader(bytes.NewReader(end.rest), r), func(l string) error { return d.line(ctx, l) })
	}
	return nil
}

// cutChunks reads r into chunks of about parChunk bytes that end at a
// newline and deals them round-robin to the workers. It returns the bytes
// it could not cut (a line longer than MaxLineBytes, with the lines before
// it in the buffer), or nil when r ended.
func cutChunks(ctx context.Context, r io.Reader, workers []chan parChunkIn, first int64) ([]byte, error) {
	var carry []byte
	sent := 0
	for {
		buf, eof, err := fillChunk(r, append(getChunkBuf(), carry...))
		if err != nil {
			// The plain reader parses what it read before the error: so do
			// we, up to the last whole line, then pass the error on.
			if j := bytes.LastIndexByte(buf, '\n'); j >= 0 {
				select {
				case workers[sent%len(workers)] <- parChunkIn{buf: buf[:j+1], first: first}:
				case <-ctx.Done():
				}
			}
			return nil, err
		}
		cut := len(buf)
		if !eof {
			j := bytes.LastIndexByte(buf, '\n')
			if j < 0 {
				return buf, nil // too long to cut: the plain reader takes over
			}
			cut = j + 1
		}
		carry = append(carry[:0], buf[cut:]...)
		if cut == 0 {
			putChunkBuf(buf)
		} else {
			c := parChunkIn{buf: buf[:cut], first: first}
			// Counted here, where the bytes were just read and the workers
			// are busy parsing: a vector count costs a few nanoseconds a line,
			// a renumbering by the reader a cache miss a record.
			first += int64(bytes.Count(c.buf, newline))
			select {
			case workers[sent%len(workers)] <- c:
				sent++
			case <-ctx.Done():
				return nil, ctx.Err()
			}
		}
		if eof {
			return nil, nil
		}
	}
}

// fillChunk reads into buf until it holds parChunk bytes or more with a
// newline among them, or more than MaxLineBytes+parChunk bytes without one,
// or r ends (eof).
func fillChunk(r io.Reader, buf []byte) (_ []byte, eof bool, err error) {
	newline := bytes.IndexByte(buf, '\n') >= 0
	for {
		if len(buf) >= parChunk && (newline || len(buf) > MaxLineBytes+parChunk) {
			return buf, false, nil
		}
		if len(buf) == cap(buf) {
			buf = slices.Grow(buf, parChunk) // a line longer than a chunk
		}
		n, err := r.Read(buf[len(buf):cap(buf)])
		if !newline && bytes.IndexByte(buf[len(buf):len(buf)+n], '\n') >= 0 {
			newline = true
		}
		buf = buf[:len(buf)+n]
		if errors.Is(err, io.EOF) {
			return buf, true, nil
		}
		if err != nil {
			return buf, false, err
		}
	}
}

// Chunk buffers are recycled; a buffer grown for a long line is let go.
var freeChunks = make(chan []byte, 16)

func getChunkBuf() []byte {
	select {
	case b := <-freeChunks:
		return b[:0]
	default:
		return make([]byte, 0, parChunk)
	}
}

func putChunkBuf(b []byte) {
	if cap(b) != parChunk {
		return
	}
	select {
	case freeChunks <- b:
	default:
	}
}

// parseChunks parses the chunks it is given with its own parser p.
func parseChunks(ctx context.Context, in *Input, p Parser, chunks <-chan parChunkIn, out chan<- parChunkOut) {
	defer close(out)
	// Only proxy logs read in batches come here (canReadParallel), so
	// their records go into recycled slots when the parser can.
	var sp SlotParser
	if !in.keep {
		sp, _ = p.(SlotParser)
	}
	stock := proxyStock(in)
	var names nameCache
	// Lines are parsed where they lie in their chunk when the consumer
	// releases batches in order; a chunk goes back to the cutter once its
	// records are released (see readBlocks).
	var blocks *readBlocks
	if sp != nil && (in.borrowText || in.keepText) {
		blocks = &readBlocks{keep: in.keepText}
	}
	for c := range chunks {
		if ctx.Err() != nil {
			continue // drain
		}
		if blocks != nil {
			blocks.use(c.buf)
		}
		res := parChunkOut{first: c.first}
		parseChunk(in, p, sp, &stock, &names, blocks, c.buf, &res)
		switch {
		case blocks == nil:
			putChunkBuf(c.buf)
		case blocks.keep:
			// The chunk is its lines' kept text: never reused.
		default:
			for buf, ok := blocks.reusable(); ok; buf, ok = blocks.reusable() {
				putChunkBuf(buf)
			}
		}
		select {
		case out <- res:
		case <-ctx.Done():
		}
		// Let the reader that puts the chunks back in order run now: the
		// send made it runnable on this core, behind this worker, which
		// would otherwise parse on with its queued chunks until it
		// blocks or is preempted, while the merge waits for the records
		// the reader holds and the other worker for its own send. On two
		// cores a report of access.log alone took 0.54 s with the yield
		// against 0.67 s without (wall, medians of 11 alternated runs;
		// CPU 1.03 against 1.10 s): go tool trace showed the reader
		// runnable, not running, for half the run. A yield per 64 KiB
		// chunk costs a few hundred nanoseconds.
		runtime.Gosched()
	}
}

// parseChunk parses the lines of buf into res, with sp into slots from
// stock when sp is not nil, else with p. One guard covers the chunk's
// lines, and its counts reach the input's counters once, when the chunk is
// done: a guard per line (parseSlot) added each line to the input's
// counters with atomics, and two workers adding to the same counters made
// their cache line travel between the cores at every line.
func parseChunk(in *Input, p Parser, sp SlotParser, stock *slotStock[ProxySlot], names *nameCache, blocks *readBlocks, buf []byte, res *parChunkOut) {
	var g parseGuard
	defer g.name(in)
	var split lineSplitter
	var batch []Item
	emit := countCut(in, func(line []byte) error {
		res.lines++
		var rec Record
		var slot *ProxySlot
		if sp != nil {
			rec, slot = in.parseSlotGuarded(sp, stock, line, &res.samples, blocks, &g)
		} else {
			rec = in.parseWith(p, string(line), &res.samples)
		}
		if rec != nil {
			names.prepare(rec)
			if len(batch) == batchSize {
				res.batches = append(res.batches, batch)
				batch = nil
			}
			if batch == nil {
				batch = newBatch()
			}
			// The lender and the merge key are set here, while the slot is
			// in this core's cache (see decoder.send and decoder.keyed).
			it := Item{Input: in, LineNo: res.first + res.lines, Rec: rec, slot: slot}
			if slot != nil {
				it.lender = slot.lender
			}
			it.at = shiftedKey(rec, in.mergeShift).bits()
			batch = append(batch, it)
		}
		return nil
	})
	_ = split.feed(buf, emit) // emit never fails
	_ = split.flush(emit)
	if len(batch) > 0 {
		res.batches = append(res.batches, batch)
	}
	in.nuls.Add(split.nuls)
}

// sendChunk sends a worker's records on in file order, in the batches the
// worker made: with them copied by this goroutine into batches of its own,
// each record cost two more cache misses on two cores (the read of the
// worker's item and the write into a batch the engine last cleared), and
// the copy loop, this goroutine's whole work, the access log alone on two
// cores 10 % more time and CPU (medians of 21 alternated runs on the 2 M
// bench set beside other load: 1.18 against 1.07 s).
func (d *decoder) sendChunk(ctx context.Context, res *parChunkOut) error {
	if shift := d.lineNo - res.first; shift != 0 {
		// The lines before the chunk were not as many as its newlines
		// said (a line the splitter took otherwise): renumber.
		for _, b := range res.batches {
			for i := range b {
				b[i].LineNo += shift
			}
		}
	}
	for n, b := range res.batches {
		// The records read before the parallel part go first (push sends
		// none when there are none).
		if err := d.push(ctx); err != nil {
			releaseBatches(res.batches[n:])
			return err
		}
		d.batch = b
		if err := d.push(ctx); err != nil {
			d.batch = nil // released with the rest
			releaseBatches(res.batches[n:])
			return err
		}
	}
	return nil
}

func releaseBatches(bs [][]Item) {
	for _, b := range bs {
		ReleaseBatch(b)
	}
}
