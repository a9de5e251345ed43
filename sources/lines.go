package sources

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"sync/atomic"
)

// readLines reads r to its end and hands every line (without "\n" or "\r")
// to fn. Lines longer than MaxLineBytes are cut to that length and counted
// on in, not fatal (see lineSplitter). A last line without its newline is
// still delivered: r has ended, so it is complete.
func readLines(ctx context.Context, in *Input, r io.Reader, fn func(string) error) error {
	return readDecoded(ctx, in, r, countLine(in, fn), nil)
}

// readDecoded is readLines for a decoder's input: between reads it asks
// whether the rest may be parsed in parallel (the format is known by then),
// and if so hands the rest of r, from the start of a line, to readParallel.
// Every line goes to emit (d.lineFunc for a decoder's input).
//
// From a readAhead (a .gz file) it takes the inflated blocks themselves and
// parses the lines where they lie, instead of copying each block into a
// buffer of its own first; readParallel gets the gzip stream itself (see
// readAhead.detach).
func readDecoded(ctx context.Context, in *Input, r io.Reader, emit lineFunc, d *decoder) error {
	if d != nil {
		defer d.guard.name(in) // for all the lines lineBytes parses into slots
	}
	var split lineSplitter
	defer func() { in.nuls.Add(split.nuls) }()
	ahead, _ := r.(*readAhead)
	var plain []byte
	if ahead == nil {
		plain = make([]byte, readChunk)
	}
	for {
		if d != nil && split.clean() && canReadParallel(d) {
			d.blocks.retire()
			if ahead != nil {
				r = ahead.detach()
			}
			rest := io.MultiReader(bytes.NewReader(bytes.Clone(split.buf)), r)
			return readParallel(ctx, in, rest, d)
		}
		var buf []byte
		var err error
		if ahead != nil {
			buf, err = ahead.block()
			if d != nil && d.borrow {
				d.blocks.use(buf) // slots borrow their text from it
			}
		} else {
			buf = plain
			var held, n int
			if d != nil {
				buf, held = d.readBuffer(plain, &split)
			}
			n, err = r.Read(buf[held:])
			buf = buf[:held+n]
		}
		if len(buf) > 0 {
			if e := split.feedDecoder(ctx, buf, emit, d); e != nil {
				return e
			}
		}
		if ahead != nil {
			if d != nil && d.borrow {
				for b, ok := d.blocks.reusable(); ok; b, ok = d.blocks.reusable() {
					ahead.recycle(b)
				}
			} else {
				ahead.recycle(buf) // the splitter copied what it keeps
			}
		}
		if errors.Is(err, io.EOF) {
			return split.flush(emit)
		}
		if err != nil {
			return err
		}
		if ctx.Err() != nil {
			return ctx.Err()
		}
	}
}

// readChunk is how much is read from a file or pipe at a time.
const readChunk = 64 << 10

// countLine turns a line callback into a lineFunc that counts cut lines on in.
func countLine(in *Input, fn func(string) error) lineFunc {
	return countCut(in, func(line []byte) error { return fn(string(line)) })
}

// countCut is countLine for a callback that takes the line's bytes (only
// valid during the call).
func countCut(in *Input, fn func([]byte) error) lineFunc {
	return func(line []byte, cut bool) error {
		if cut {
			in.tooLong.Add(1)
		}
		return fn(line)
	}
}

// OpenFile opens a log file read-only, transparently decompressing gzip
// (detected by its magic bytes, not by the name). It returns the file's size;
// raw counts the file bytes read so far (compressed bytes for .gz), for progress.
func OpenFile(path string, raw *atomic.Int64) (io.ReadCloser, int64, error) {
	rc, _, size, err := openWatched(path, raw, false)
	return rc, size, err
}

// openWatched is OpenFile; with watch, a regular file is read through a
// shrinkWatch, returned, which tells whether the file shrank while read
// (see shrink.go).
func openWatched(path string, raw *atomic.Int64, watch bool) (io.ReadCloser, *shrinkWatch, int64, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, 0, err
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, nil, 0, err
	}
	if st.IsDir() {
		f.Close()
		return nil, nil, 0, fmt.Errorf("open %s: is a directory", path)
	}
	var w *shrinkWatch
	var file io.Reader = f
	var fileAt io.ReaderAt = f
	if watch && st.Mode().IsRegular() {
		w = &shrinkWatch{f: f, path: path, opened: st.Size()}
		file, fileAt = w, w
	}
	var src io.Reader = file
	if raw != nil {
		src = countingReader{r: file, n: raw}
	}
	// The magic bytes are read alone, not peeked through a 64 KiB
	// bufio.Reader: a plain file's first read went through that buffer,
	// which its reader then held as long as it was open, and a reader
	// held at the merge gate (mergeGate) with its first read not all
	// parsed held it until the merge reached its input: 64 KiB of each
	// of 100 rotated files not due yet.
	var magic [2]byte
	n, perr := io.ReadFull(src, magic[:])
	if perr == io.EOF || perr == io.ErrUnexpectedEOF {
		perr = nil // the reads after them say so again
	}
	head := &prefixReader{pre: magic[:n], err: perr, src: src}
	if n == 2 && magic[0] == 0x1f && magic[1] == 0x8b {
		if st.Mode().IsRegular() {
			pz, err := openParallelGzip(fileAt, st.Size(), raw)
			if err != nil {
				f.Close()
				return nil, nil, 0, fmt.Errorf("read %s: %w", path, err)
			}
			if pz != nil {
				if raw != nil {
					raw.Add(-int64(n)) // peeked, and counted by the inflater again
				}
				return newReadAhead(pz, func() error { pz.Close(); return f.Close() }), w, st.Size(), nil
			}
		}
		br := bufio.NewReaderSize(head, 64<<10)
		zr, err := newGzipStream(br)
		if err != nil {
			f.Close()
			return nil, nil, 0, fmt.Errorf("read %s: %w", path, err)
		}
		return newReadAhead(zr, func() error { zr.Close(); return f.Close() }), w, st.Size(), nil
	}
	if w != nil {
		w.plain = true
	}
	// Past its magic bytes, a plain file is read directly: a read into a
	// block shorter than a bufio.Reader's buffer (lineSplitter.moveHeld
	// puts a line's start in front of it) went through it, one more copy
	// of every byte (9.6 M memmove instructions on the 345 k-line sample).
	return &readCloser{Reader: head, close: f.Close}, w, st.Size(), nil
}

// prefixReader reads pre, bytes already read from src, and then src: the
// first read fills p from both, as one read of src would have. err, when
// set, is the error the read of pre met: it comes after pre, as a
// bufio.Reader's Peek kept it.
type prefixReader struct {
	pre []byte
	err error
	src io.Reader
}

func (r *prefixReader) Read(p []byte) (int, error) {
	if len(r.pre) == 0 {
		if r.err != nil {
			return 0, r.err
		}
		return r.src.Read(p)
	}
	n := copy(p, r.pre)
	r.pre = r.pre[n:]
	if len(r.pre) > 0 || r.err != nil || n == len(p) {
		return n, nil
	}
	m, err := r.src.Read(p[n:])
	return n + m, err
}

type readCloser struct {
	io.Reader
	close func() error
}

func (r *readCloser) Close() error { return r.close() }

// countingReader counts file bytes so progress works on .gz input too.
type countingReader struct {
	r io.Reader
	n *atomic.Int64
}

func (c countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n.Add(int64(n))
	return n, err
}
