package sources

import (
	"bytes"
	"io"
	"sync"
	"sync/atomic"

	"fivexx/sources/inflate"
)

// readAhead runs r's reads on a goroutine of its own, a few blocks ahead of
// the consumer. For gzip input this puts decompression and parsing on two
// cores instead of one after the other: a single .gz file is then read at
// the speed of whichever is slower, not of both added up.
//
// A consumer may take the blocks themselves (block, recycle) rather than
// copies of them (Read): readDecoded parses the lines where they were
// inflated. A consumer that does the reading on a goroutine of its own
// anyway (cutChunks) takes r back with detach and inflates straight into
// its chunks, one goroutine hop and one copy fewer.
type readAhead struct {
	full     chan aheadBlock // blocks read, in order
	free     chan []byte     // blocks handed back for reuse
	stop     chan struct{}
	stopOnce sync.Once
	once     sync.Once
	done     sync.WaitGroup
	src      io.Reader
	cur      aheadBlock
	off      int
	lent     bool // cur was handed out by block: not ours to recycle
	// left is the block fill had read when it was stopped, for detach.
	left     aheadBlock
	close    func() error
	closeErr error
	// windowed is src when it decodes in place (a .gz's first member:
	// parallelGzip.ReadWindowed): each block is then made with
	// inflate.WindowSize bytes of room in front, and whole keeps, by the
	// address of its first byte handed on, the block with that room (on
	// fill's goroutine only).
	windowed windowedReader
	whole    map[*byte][]byte
	// filled counts the bytes read from src, buffered those of them the
	// consumer has not taken yet (copied by Read, handed out by block):
	// of a .gz, the inflated bytes ahead of the lines split, whose
	// compressed bytes the input's count holds already (compressedAhead).
	filled, buffered atomic.Int64
}

// compressedAhead estimates how many of raw, the bytes read of the file
// under src, went to the bytes buffered: raw in the share of the bytes
// filled that are buffered. A .gz's count of bytes read ran 1.5 MiB of
// inflated text ahead of its lines: a replay of a 1.4 MB access.log.gz
// said "playing 37%" for its 20% of log time played (QA s36 L6).
func (a *readAhead) compressedAhead(raw int64) int64 {
	filled := a.filled.Load()
	if filled <= 0 {
		return 0
	}
	return int64(float64(raw) * float64(a.buffered.Load()) / float64(filled))
}

// windowedReader reads into buf[inflate.WindowSize:], with the room in
// front its own (inflate.Reader.ReadWindowed).
type windowedReader interface {
	ReadWindowed(buf []byte) (int, error)
}

// aheadBlock is one read's bytes, or the error that ended the stream.
type aheadBlock struct {
	buf []byte
	err error
}

const (
	// aheadBlockSize is large because each block handed over can cost a
	// thread's wake-up: on 2 cores the reading goroutine and the parser
	// each often find the other's thread parked, and on the 2-core test
	// host a wake took 0.1-0.25 ms (execution trace of access.log.gz, 2 M
	// lines: 10,350 blocks of 64 KiB, 4 ahead; the inflater found them all
	// unread 2,035 times and then waited 515 ms of a 2.16 s run to run
	// again). Blocks of 256 KiB, 6 ahead, take up the parser's stalls
	// (batches waiting for the engine) of up to ~3 ms of inflating.
	aheadBlockSize = 256 << 10
	aheadBlocks    = 6 // 1.5 MiB read ahead at most
	// aheadSpare is room for every block that can be in use at once
	// (read ahead, being read, and waiting for its records' release:
	// readBlocks), so that one handed back is always kept for reuse: with
	// room for fewer, a consumer that parses in place and hands its blocks
	// back in bursts had 84 of the 94 blocks of a report dropped and made
	// again, garbage that the memory limit (which follows the live heap)
	// let grow.
	aheadSpare = aheadBlocks + maxWaitingBytes/aheadBlockSize + 2
)

// newReadAhead starts reading r. closeFn closes what r reads from; it is
// called by Close after the reading goroutine has stopped.
func newReadAhead(r io.Reader, closeFn func() error) *readAhead {
	a := &readAhead{
		full:  make(chan aheadBlock, aheadBlocks),
		free:  make(chan []byte, aheadSpare),
		stop:  make(chan struct{}),
		src:   r,
		close: closeFn,
	}
	if w, ok := r.(windowedReader); ok {
		a.windowed, a.whole = w, make(map[*byte][]byte)
	}
	a.done.Add(1)
	go a.fill(r)
	return a
}

// fill reads blocks until r ends or fails, or it is stopped. It takes a
// spare block if there is one, else makes one: full bounds how far ahead
// it gets, the consumer how many blocks it holds.
func (a *readAhead) fill(r io.Reader) {
	defer a.done.Done()
	for {
		var buf []byte
		select {
		case buf = <-a.free:
		case <-a.stop:
			return
		default:
			buf = a.makeBlock()
		}
		var blk aheadBlock
		if a.windowed != nil {
			whole := a.whole[&buf[0]]
			n, err := a.windowed.ReadWindowed(whole)
			blk = aheadBlock{buf: buf[:n], err: err}
		} else {
			// Fill the block, but pass r's error on as it is: io.ReadFull
			// would turn a truncated gzip stream's io.ErrUnexpectedEOF into
			// a short last block, and a cut file would read as a clean end.
			n := 0
			var err error
			for n < len(buf) && err == nil {
				var m int
				m, err = r.Read(buf[n:])
				n += m
			}
			blk = aheadBlock{buf: buf[:n], err: err}
		}
		err := blk.err
		a.filled.Add(int64(len(blk.buf)))
		a.buffered.Add(int64(len(blk.buf)))
		select {
		case a.full <- blk:
		case <-a.stop:
			a.left = blk
			return
		}
		if err != nil {
			return
		}
	}
}

// makeBlock makes a block of aheadBlockSize bytes: with room in front of
// it for a windowed source's window.
func (a *readAhead) makeBlock() []byte {
	if a.windowed == nil {
		return make([]byte, aheadBlockSize)
	}
	whole := make([]byte, inflate.WindowSize+aheadBlockSize)
	buf := whole[inflate.WindowSize:]
	a.whole[&buf[0]] = whole
	return buf
}

// Read copies from the current block, taking the next one when it is used up.
func (a *readAhead) Read(p []byte) (int, error) {
	for a.off == len(a.cur.buf) {
		if a.cur.err != nil {
			return 0, a.cur.err
		}
		if a.cur.buf != nil && !a.lent {
			a.recycle(a.cur.buf)
		}
		a.cur, a.off, a.lent = <-a.full, 0, false
	}
	n := copy(p, a.cur.buf[a.off:])
	a.off += n
	// What the consumer has taken, not the whole block when it is begun:
	// that ran a block (256 KiB inflated) ahead (review s36 L2).
	a.buffered.Add(-int64(n))
	return n, nil
}

// block returns the next bytes of the stream, and the error that ended it
// with or after them. The bytes are the caller's until it hands them back
// with recycle (or lets them go). Read may follow, not precede it.
func (a *readAhead) block() ([]byte, error) {
	if a.cur.err != nil {
		return nil, a.cur.err
	}
	a.cur = <-a.full
	// Taken whole, as a plain file's reader counts a read before it splits
	// it. Counted at the end of its split instead (review s36 L2), a
	// replay's .gz ran behind: its consumer splits as the replay plays,
	// and TestGzipInputStateIsWhatWasPlayed's .gz said 6-85% where the
	// log time played was 8-91% and the plain file 12-90% (13 points apart).
	a.buffered.Add(-int64(len(a.cur.buf)))
	a.off, a.lent = len(a.cur.buf), true // handed out whole: nothing left to Read
	return a.cur.buf, a.cur.err
}

// recycle hands back a block that block (or Read) returned, for reuse.
func (a *readAhead) recycle(buf []byte) {
	if cap(buf) != aheadBlockSize {
		return
	}
	select {
	case a.free <- buf[:aheadBlockSize]:
	default:
	}
}

// stopFill stops the reading goroutine and waits for it.
func (a *readAhead) stopFill() {
	a.stopOnce.Do(func() {
		close(a.stop)
		a.done.Wait()
	})
}

// detach stops the reading goroutine and returns a reader of the rest of
// the stream: what was read ahead and not consumed yet (by Read or block),
// then the source itself. Close still closes the source.
func (a *readAhead) detach() io.Reader {
	a.stopFill()
	a.buffered.Store(0) // the consumer reads on from them at once
	var rest []io.Reader
	add := func(b aheadBlock) bool {
		if len(b.buf) > 0 {
			rest = append(rest, bytes.NewReader(b.buf))
		}
		if b.err != nil && b.err != io.EOF {
			rest = append(rest, errReader{b.err})
		}
		return b.err == nil
	}
	cur := a.cur
	cur.buf = cur.buf[a.off:]
	a.cur, a.off = aheadBlock{}, 0
	more := add(cur)
	for more {
		select {
		case b := <-a.full:
			more = add(b)
			continue
		default:
		}
		break
	}
	if more && (a.left.buf != nil || a.left.err != nil) {
		more = add(a.left)
		a.left = aheadBlock{}
	}
	if more {
		rest = append(rest, a.src)
	}
	return io.MultiReader(rest...)
}

// errReader returns its error on every read.
type errReader struct{ err error }

func (e errReader) Read([]byte) (int, error) { return 0, e.err }

// Close stops the reading goroutine, waits for it, and closes the source,
// once: later calls return the first call's error.
func (a *readAhead) Close() error {
	a.once.Do(func() {
		a.stopFill()
		a.closeErr = a.close()
	})
	return a.closeErr
}

// inflatingCores is the share of the cores left to parse a .gz input once
// its read-ahead goroutine has one of them to inflate on (cores is
// Input.cores; 0, no share set, is left alone). Inflating is the slower
// stage: parse workers beside it only take turns with it on the same cores.
// On 2 cores a lone access.log.gz is then parsed by the reading goroutine,
// not cut into chunks for 2 workers: on the 2 M bench set 1-3% less CPU, and
// on a loaded machine the inflater stalls far less (0.10-0.23 s against
// 0.76-1.16 s of a run, blocked on a busy worker, in execution traces).
func inflatingCores(cores int) int {
	if cores <= 0 {
		return cores
	}
	return max(1, cores-1)
}
