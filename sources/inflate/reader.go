package inflate

import (
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"runtime"
	"sync"
	"sync/atomic"
)

// Config tunes a Reader; zero fields take the defaults.
type Config struct {
	// ChunkSize is the compressed bytes of a chunk (default 64 KiB). A
	// chunk's decoded symbols take 2 bytes each, some 12 times the chunk
	// on log text, for every chunk in flight.
	ChunkSize int
	// Workers is how many goroutines decode chunks ahead (default
	// GOMAXPROCS; below 0, none: Read decodes every chunk in order).
	Workers int
	// Ahead is how many chunks are decoding or decoded ahead of the one
	// being read (default Workers+1); it bounds the memory.
	Ahead int
	// MaxChunkOut bounds the memory a chunk's decode may take (default 8
	// MiB: bytes decoded in order, 2 a symbol for a worker's; log text
	// inflates 6-15 times, a 256 KiB chunk in order to 1.5-4 MB). A chunk is
	// decoded to the first block boundary past its end, so a stretch that
	// inflates far more than log text does (a run of one line repeated,
	// zeros: 229 to 1 with gzip -1) needed it all at once: 178 MB of peak
	// RSS for 5 GB of zeros, where klauspost streams it in 14 MB. Past the
	// bound, Read returns ErrTooExpansive; a worker leaves the chunk to the
	// ordered decode.
	MaxChunkOut int
	// Progress, if set, is told how many more bytes of the file have been
	// read each time a chunk is handed on, from the goroutine that reads;
	// at the member's end, the bytes up to its end in all.
	Progress func(n int64)

	// skip, for tests: candidates the worker of a chunk passes over.
	skip func(chunk int) int
	// falseStart, for tests: the worker of a chunk reports a start one bit
	// off and garbage for its bytes, as after a false block start that
	// happened to decode.
	falseStart func(chunk int) bool
}

// ErrChecksum is a member whose CRC-32 or length does not match its trailer.
var ErrChecksum = errors.New("gzip: invalid checksum")

// ErrTooExpansive is a chunk whose decode would take more than
// Config.MaxChunkOut bytes (or a block longer than that compressed): Read
// has handed on every byte before it, and the caller inflates the rest by
// streaming.
var ErrTooExpansive = errors.New("inflate: a chunk inflates past its memory bound")

// Reader inflates the first member of a gzip file: chunk 0 in order, the
// chunks after it on worker goroutines, handed on in order. Read returns
// io.EOF at the end of the member, whose trailer has then been checked;
// End says where the file goes on.
type Reader struct {
	src  io.ReaderAt
	size int64
	cfg  Config
	data int64 // file offset of the deflate stream

	jobs      chan *chunk
	free      chan []uint16
	stopped   chan struct{}
	wg        sync.WaitGroup
	closeOnce sync.Once
	made      atomic.Int32 // symbol buffers made
	pending   []*chunk     // dispatched, in order
	next      int          // the next chunk to hand on

	bit   int64 // file bit where the next chunk starts: where the last one stopped
	final bool  // the final block has been decoded
	// The chunk being read: out holds the 32 KiB before it, then the bytes
	// decoded in order, read from off on; after them come syms, a worker's
	// symbols, resolved by Read straight into the caller's buffer (the
	// resolve is the copy). symsBuf is syms' buffer, for reuse.
	out     []byte
	off     int
	syms    []uint16
	symsBuf []uint16
	win     []byte // the 32 KiB before the next chunk
	total   int64  // bytes of the member so far
	crc     uint32
	res     *resolver
	seq     decoder
	seqIn   []byte
	err     error
	end     int64
	// streaming: without workers, the member is decoded as one stream
	// (stream.go); streamBuf is what Read decodes it into.
	streaming bool
	streamBuf []byte
	reported  int64 // file bytes told to Progress

	// Counts for tests and measurements.
	speculated, redone int
}

// NewReader starts inflating the gzip member at the start of src, a file
// of size bytes.
func NewReader(src io.ReaderAt, size int64, cfg Config) (*Reader, error) {
	switch {
	case cfg.Workers < 0:
		cfg.Workers = 0 // every chunk decoded in order, by Read
	case cfg.Workers == 0:
		cfg.Workers = runtime.GOMAXPROCS(0)
	}
	if cfg.ChunkSize <= 0 {
		// Without workers (stream.go) only the compressed bytes read at a
		// time: twice ChunkSize.
		cfg.ChunkSize = 64 << 10
	}
	if cfg.Ahead <= 0 {
		cfg.Ahead = cfg.Workers + 1
	}
	if cfg.MaxChunkOut <= 0 {
		cfg.MaxChunkOut = 8 << 20
	}
	head := make([]byte, min(size, 64<<10))
	if n, err := src.ReadAt(head, 0); n < len(head) {
		return nil, err
	}
	h, err := gzipHeaderLen(head)
	if err != nil {
		return nil, err
	}
	r := &Reader{
		src: src, size: size, cfg: cfg, data: int64(h), bit: int64(h) * 8,
		jobs:    make(chan *chunk, cfg.Ahead),
		free:    make(chan []uint16, cfg.Ahead+1),
		stopped: make(chan struct{}),
		res:     newResolver(),
		// Before the first chunk: an empty window, nothing to read.
		out: make([]byte, windowSize),
		off: windowSize,
		win: make([]byte, windowSize),
	}
	r.wg.Add(cfg.Workers)
	for range cfg.Workers {
		go r.work()
	}
	return r, nil
}

// work decodes the chunks it is given until the Reader is closed.
func (r *Reader) work() {
	defer r.wg.Done()
	var in []byte
	for c := range r.jobs {
		syms := r.takeSyms()
		if syms == nil {
			c.done <- chunkResult{} // closed
			continue
		}
		skip := 0
		if r.cfg.skip != nil {
			skip = r.cfg.skip(c.index)
		}
		var res chunkResult
		res, in = decodeChunk(r.src, r.size, c, r.cfg.ChunkSize, r.cfg.MaxChunkOut, syms, in, skip)
		if r.cfg.falseStart != nil && res.ok && r.cfg.falseStart(c.index) {
			res.start++
			for i := windowSize; i < len(res.syms); i++ {
				res.syms[i] = 'X'
			}
		}
		c.done <- res
	}
}

// takeSyms returns a buffer for a chunk's symbols: a free one, or a new
// one while fewer than Ahead+1 exist (the chunks dispatched and the one
// being resolved), else the next one freed. nil once the Reader is closed.
func (r *Reader) takeSyms() []uint16 {
	select {
	case <-r.stopped:
		return nil
	case s := <-r.free:
		return s
	default:
	}
	if r.made.Add(1) <= int32(r.cfg.Ahead+1) {
		return newSyms(windowSize + 6*r.cfg.ChunkSize)
	}
	select {
	case <-r.stopped:
		return nil
	case s := <-r.free:
		return s
	}
}

// dispatch keeps Ahead chunks after the next one decoding or decoded.
func (r *Reader) dispatch() {
	if r.cfg.Workers == 0 {
		return
	}
	for k := r.next + len(r.pending); len(r.pending) < r.cfg.Ahead; k++ {
		if k == 0 {
			continue // the first chunk is decoded in order
		}
		from := r.data + int64(k)*int64(r.cfg.ChunkSize)
		if from >= r.size || r.final {
			return
		}
		c := &chunk{index: k, from: from, stop: (from + int64(r.cfg.ChunkSize)) * 8, done: make(chan chunkResult, 1)}
		r.pending = append(r.pending, c)
		r.jobs <- c
	}
}

// Read reads the member's bytes.
func (r *Reader) Read(p []byte) (int, error) {
	if r.cfg.Workers == 0 {
		return r.readStream(p)
	}
	for r.off == len(r.out) && len(r.syms) == 0 {
		if r.err != nil {
			return 0, r.err
		}
		if r.final {
			r.err = r.trailer()
			if r.err == nil {
				r.err = io.EOF
			}
			continue
		}
		if r.err = r.advance(); r.err != nil {
			return 0, r.err
		}
	}
	if r.off < len(r.out) {
		n := copy(p, r.out[r.off:])
		r.off += n
		return n, nil
	}
	n := min(len(p), len(r.syms))
	r.res.resolve(p[:n], r.syms[:n])
	r.crc = crc32.Update(r.crc, crc32.IEEETable, p[:n])
	r.syms = r.syms[n:]
	if len(r.syms) == 0 {
		r.free <- r.symsBuf[:cap(r.symsBuf)]
		r.symsBuf = nil
	}
	return n, nil
}

// End is the file offset after the member's trailer, once Read returned
// io.EOF.
func (r *Reader) End() int64 { return r.end }

// advance makes the next chunk the one read: its worker's decode if that
// started where the chunk before stopped, else its decode in order from
// there, with the window known.
func (r *Reader) advance() error {
	k := r.next
	r.next++
	stop := (r.data + int64(k+1)*int64(r.cfg.ChunkSize)) * 8
	var c *chunk
	if len(r.pending) > 0 && r.pending[0].index == k {
		c = r.pending[0]
		r.pending = r.pending[1:]
	}
	r.dispatch()
	out := r.out[:cap(r.out)]
	copy(out, r.win)
	o := windowSize
	var err error
	done := false
	if c != nil {
		res := <-c.done
		if res.ok && res.start > r.bit {
			// Blocks the finder does not look for (stored, fixed) came
			// before the worker's start, such as the empty stored block of
			// a sync flush (pigz ends every 128 KiB of input with one):
			// decode up to it in order, and join there if it is a block
			// boundary.
			out, o, err = r.inOrder(out, o, res.start)
			if err != nil {
				return err
			}
		}
		if res.ok && res.start == r.bit && !r.final {
			syms := res.syms[windowSize:]
			have := int(min(r.total+int64(o-windowSize), windowSize))
			if err := r.res.setWindow(out[o-windowSize:o], have, syms); err != nil {
				return err
			}
			r.syms, r.symsBuf = syms, res.syms
			r.bit, r.final, done = res.end, res.final, true
			r.speculated++
		} else if res.syms != nil {
			r.free <- res.syms[:cap(res.syms)]
		}
	}
	if !done {
		if c != nil {
			r.redone++
		}
		out, o, err = r.inOrder(out, o, stop)
		if err != nil {
			return err
		}
	}
	out = out[:o]
	r.out, r.off = out, windowSize
	r.crc = crc32.Update(r.crc, crc32.IEEETable, out[windowSize:])
	r.total += int64(len(out)-windowSize) + int64(len(r.syms))
	// The window of the next chunk: the last 32 KiB of the bytes before it.
	if n := len(r.syms); n >= windowSize {
		r.res.resolve(r.win, r.syms[n-windowSize:])
	} else {
		copy(r.win, out[len(out)-(windowSize-n):])
		r.res.resolve(r.win[windowSize-n:], r.syms)
	}
	if !r.final { // else the trailer says where the member ends
		r.progress(min(r.data+int64(k+1)*int64(r.cfg.ChunkSize), r.size))
	}
	return nil
}

// inOrder decodes from r.bit to the first block boundary at or past file
// bit stop, or the end of the final block, into out from o on; out[:o]
// ends with the 32 KiB before r.bit, of which the stream had r.total +
// o - windowSize bytes. It reads the compressed bytes it needs, and
// returns out and the new o.
func (r *Reader) inOrder(out []byte, o int, stop int64) ([]byte, int, error) {
	if r.final || r.bit >= stop {
		return out, o, nil
	}
	n := 2 * r.cfg.ChunkSize
	if err := r.seqRead(r.bit, n); err != nil {
		return nil, 0, err
	}
	r.seq.state, r.seq.final = stateHeader, false
	r.seq.floor = int(max(0, windowSize-r.total-int64(o-windowSize)))
	for {
		var st status
		var err error
		o, st, err = decode(&r.seq, out, o, stop)
		if err != nil {
			return nil, 0, err
		}
		switch st {
		case needOutput:
			if len(out) >= r.cfg.MaxChunkOut {
				return nil, 0, ErrTooExpansive
			}
			out = append(out[:o], make([]byte, len(out)/2)...)
			out = out[:cap(out)]
		case needInput:
			if n >= r.cfg.MaxChunkOut {
				return nil, 0, ErrTooExpansive
			}
			n *= 2
			if err := r.seqRead(r.seq.bitPos(), n); err != nil {
				return nil, 0, err
			}
		default:
			r.bit, r.final = r.seq.bitPos(), st == atEnd
			return out, o, nil
		}
	}
}

// seqRead gives the ordered decoder up to n compressed bytes from file bit
// bit on.
func (r *Reader) seqRead(bit int64, n int) error {
	from := bit >> 3
	n = int(min(int64(n), r.size-from))
	if cap(r.seqIn) < n {
		r.seqIn = make([]byte, n)
	}
	in := r.seqIn[:n]
	if m, err := r.src.ReadAt(in, from); m < n {
		return err
	}
	r.seq.setInput(in, from, bit, from+int64(n) == r.size)
	return nil
}

// trailer checks the member's CRC-32 and length (RFC 1952 2.3.1).
func (r *Reader) trailer() error {
	at := (r.bit + 7) >> 3
	var t [8]byte
	if m, _ := r.src.ReadAt(t[:], at); m < 8 {
		return io.ErrUnexpectedEOF
	}
	if binary.LittleEndian.Uint32(t[:4]) != r.crc || binary.LittleEndian.Uint32(t[4:]) != uint32(r.total) {
		return ErrChecksum
	}
	r.end = at + 8
	r.progress(r.end)
	return nil
}

// progress tells Config.Progress the file bytes up to at have been read.
func (r *Reader) progress(at int64) {
	if r.cfg.Progress != nil && at > r.reported {
		r.cfg.Progress(at - r.reported)
		r.reported = at
	}
}

// Close stops the workers and waits for them.
func (r *Reader) Close() error {
	r.closeOnce.Do(func() {
		close(r.stopped)
		close(r.jobs)
		r.wg.Wait()
	})
	return nil
}

// Stats says how many chunks came from workers and how many were decoded
// again in order, for measurements.
func Stats(r *Reader) string {
	return fmt.Sprintf("%d chunks from workers, %d decoded again", r.speculated, r.redone)
}
