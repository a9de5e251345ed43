package sources

import (
	"bufio"
	"errors"
	"io"
	"runtime"
	"sync/atomic"

	"fivexx/sources/inflate"
)

// A regular .gz file of parallelGzipMin bytes or more has its first member
// inflated by sources/inflate: a single gzip member inflated by one
// goroutine bounds how fast the whole file can be read (in an execution
// trace klauspost's inflater ran 97 % of the wall time), and inflate's
// decoder needs 0.59 of klauspost's CPU time on log text; from 3 cores on,
// workers decode chunks of it ahead (inflateWorkers). Members after the
// first, and the zero padding gzip -d allows after the last, go to
// gzipStream as before. Below the threshold gzipStream does it all. With
// one core inflate decodes in order: GOMAXPROCS=1 on the 2 M bench set's
// access.log.gz, 2.08-2.55 s against 2.77-3.40 s with klauspost's.
var (
	parallelGzipMin    int64 = 4 << 20
	parallelGzipChunk        = 0 // inflate's default; tests make it small
	parallelGzipMaxOut       = 0 // inflate's default (8 MiB); tests make it small
)

// inflateWorkers is how many goroutines decode chunks of a .gz ahead on
// procs cores, besides the one that decodes in order and the parser's
// (inflatingCores leaves the parser one core): none on 2 cores, where
// inflate.Reader then decodes every chunk in order. Measured on the 2-core
// host, alternated with klauspost inflating alone (8-10 rounds, load 5-10):
// in order 0.74-0.90 of that time (median of the rounds), 2 speculative
// workers 0.99-1.13 (fastest only when the host is quiet: 1.54 s against
// 2.13 s at best); the workers cost 0.3-0.4 CPU-s more (symbols of 16 bits,
// markers to resolve) and take turns with the parser for the 2 cores.
func inflateWorkers(procs int) int {
	if procs <= 2 {
		return -1
	}
	return procs - 2
}

// parallelGzip reads the first member with an inflate.Reader, then the
// rest of the file as gzipStream does.
type parallelGzip struct {
	f    io.ReaderAt
	size int64
	raw  *atomic.Int64
	zr   *inflate.Reader
	rest io.Reader // after the first member
	gs   *gzipStream
	// read is the bytes zr handed on; streamed says a chunk inflated past
	// inflate's memory bound and the file is read by gzipStream instead.
	read     int64
	streamed bool
}

// openParallelGzip starts inflating the regular file f (an *os.File, or
// the shrinkWatch that reads it), of size bytes, whose first bytes are a
// gzip header; nil if it is not worth it.
func openParallelGzip(f io.ReaderAt, size int64, raw *atomic.Int64) (*parallelGzip, error) {
	if size < parallelGzipMin {
		return nil, nil
	}
	cfg := inflate.Config{ChunkSize: parallelGzipChunk, Workers: inflateWorkers(runtime.GOMAXPROCS(0)), MaxChunkOut: parallelGzipMaxOut}
	if raw != nil {
		cfg.Progress = func(n int64) { raw.Add(n) }
	}
	zr, err := inflate.NewReader(f, size, cfg)
	if err != nil {
		return nil, err
	}
	return &parallelGzip{f: f, size: size, raw: raw, zr: zr}, nil
}

func (p *parallelGzip) Read(b []byte) (int, error) {
	if p.rest != nil {
		return p.rest.Read(b)
	}
	n, err := p.zr.Read(b)
	return p.firstMember(n, err, b)
}

// ReadWindowed reads into buf[inflate.WindowSize:] as Read reads into b:
// the first member decoded in place (inflate.Reader.ReadWindowed), what
// comes after it read as far as the buffer holds, so that readAhead's
// blocks stay whole.
func (p *parallelGzip) ReadWindowed(buf []byte) (int, error) {
	if p.rest == nil {
		n, err := p.zr.ReadWindowed(buf)
		n, err = p.firstMember(n, err, buf[inflate.WindowSize:])
		if n > 0 || err != nil || p.rest == nil {
			return n, err
		}
	}
	b := buf[inflate.WindowSize:]
	n := 0
	var err error
	for n < len(b) && err == nil {
		var m int
		m, err = p.rest.Read(b[n:])
		n += m
	}
	return n, err
}

// firstMember goes on from a read of n bytes of the first member into b
// that returned err: at its end to the rest of the file, past inflate's
// memory bound to a stream of the whole file.
func (p *parallelGzip) firstMember(n int, err error, b []byte) (int, error) {
	p.read += int64(n)
	if errors.Is(err, inflate.ErrTooExpansive) {
		p.stream()
		if n > 0 {
			return n, nil
		}
		return p.rest.Read(b)
	}
	if err != io.EOF {
		return n, err
	}
	// The first member has ended, its trailer checked: the rest of the
	// file is read as gzip -d would.
	end := p.zr.End()
	p.zr.Close()
	var src io.Reader = io.NewSectionReader(p.f, end, p.size-end)
	if p.raw != nil {
		src = countingReader{r: src, n: p.raw}
	}
	p.gs = &gzipStream{br: bufio.NewReaderSize(src, 64<<10)}
	if err := p.gs.nextMember(); err != nil {
		p.rest = errReader{err}
	} else {
		p.rest = p.gs
	}
	if n > 0 {
		return n, nil
	}
	return p.rest.Read(b)
}

// stream goes on where zr stopped, at a chunk that inflates past its
// memory bound: the file is inflated again from its start by gzipStream,
// which streams through a 32 KiB window, and the bytes zr handed on are
// skipped. Only such a file pays for it (5 GB of zeros: 14 MB of peak RSS
// again, where the chunk grew to 178 MB).
func (p *parallelGzip) stream() {
	p.zr.Close()
	p.streamed = true
	gs, err := newGzipStream(bufio.NewReaderSize(io.NewSectionReader(p.f, 0, p.size), 64<<10))
	if err == nil {
		p.gs = gs
		_, err = io.CopyN(io.Discard, gs, p.read)
	}
	if err != nil {
		p.rest = errReader{err}
		return
	}
	p.rest = gs
}

// Close stops the inflater's workers.
func (p *parallelGzip) Close() error {
	p.zr.Close()
	if p.gs != nil && p.gs.zr != nil {
		return p.gs.Close()
	}
	return nil
}
