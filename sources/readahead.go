package sources

import (
	"io"
	"sync"
)

// readAhead runs r's reads on a goroutine of its own, a few blocks ahead of
// the consumer. For gzip input this puts decompression and parsing on two
// cores instead of one after the other: a single .gz file is then read at
// the speed of whichever is slower, not of both added up.
type readAhead struct {
	full     chan aheadBlock // blocks read, in order
	free     chan []byte     // blocks handed back for reuse
	stop     chan struct{}
	once     sync.Once
	done     sync.WaitGroup
	cur      aheadBlock
	off      int
	close    func() error
	closeErr error
}

// aheadBlock is one read's bytes, or the error that ended the stream.
type aheadBlock struct {
	buf []byte
	err error
}

const (
	aheadBlockSize = 64 << 10
	aheadBlocks    = 4 // 256 KiB in flight at most
)

// newReadAhead starts reading r. closeFn closes what r reads from; it is
// called by Close after the reading goroutine has stopped.
func newReadAhead(r io.Reader, closeFn func() error) *readAhead {
	a := &readAhead{
		full:  make(chan aheadBlock, aheadBlocks),
		free:  make(chan []byte, aheadBlocks+1),
		stop:  make(chan struct{}),
		close: closeFn,
	}
	for i := 0; i < aheadBlocks; i++ {
		a.free <- make([]byte, aheadBlockSize)
	}
	a.done.Add(1)
	go a.fill(r)
	return a
}

// fill reads blocks until r ends or fails, or Close is called.
func (a *readAhead) fill(r io.Reader) {
	defer a.done.Done()
	for {
		var buf []byte
		select {
		case buf = <-a.free:
		case <-a.stop:
			return
		}
		// Fill the block, but pass r's error on as it is: io.ReadFull would
		// turn a truncated gzip stream's io.ErrUnexpectedEOF into a short
		// last block, and a cut file would read as a clean end.
		n := 0
		var err error
		for n < len(buf) && err == nil {
			var m int
			m, err = r.Read(buf[n:])
			n += m
		}
		select {
		case a.full <- aheadBlock{buf: buf[:n], err: err}:
		case <-a.stop:
			return
		}
		if err != nil {
			return
		}
	}
}

// Read copies from the current block, taking the next one when it is used up.
func (a *readAhead) Read(p []byte) (int, error) {
	for a.off == len(a.cur.buf) {
		if a.cur.err != nil {
			return 0, a.cur.err
		}
		if a.cur.buf != nil {
			a.free <- a.cur.buf[:cap(a.cur.buf)]
		}
		a.cur, a.off = <-a.full, 0
	}
	n := copy(p, a.cur.buf[a.off:])
	a.off += n
	return n, nil
}

// Close stops the reading goroutine, waits for it, and closes the source,
// once: later calls return the first call's error.
func (a *readAhead) Close() error {
	a.once.Do(func() {
		close(a.stop)
		a.done.Wait()
		a.closeErr = a.close()
	})
	return a.closeErr
}
