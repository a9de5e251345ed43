package sources

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"sync/atomic"
)

// readLines reads r to its end and hands every line (without "\n" or "\r")
// to fn. Lines longer than MaxLineBytes are cut to that length and counted
// on in, not fatal. A last line without its newline is still delivered: r
// has ended, so it is complete.
func readLines(ctx context.Context, in *Input, r io.Reader, fn func(string) error) error {
	br := bufio.NewReaderSize(r, 256<<10)
	var long []byte // a line that did not fit the buffer, up to MaxLineBytes
	overflow := false
	for {
		chunk, err := br.ReadSlice('\n')
		switch {
		case errors.Is(err, bufio.ErrBufferFull):
			if !overflow {
				room := MaxLineBytes - len(long)
				if len(chunk) >= room {
					long = append(long, chunk[:room]...)
					overflow = true
				} else {
					long = append(long, chunk...)
				}
			}
			continue
		case err != nil && !errors.Is(err, io.EOF):
			return err
		}
		if len(chunk) == 0 && err != nil {
			return flushLong(in, long, overflow, fn)
		}
		var line []byte
		if long != nil || overflow {
			if !overflow {
				room := MaxLineBytes - len(long)
				if len(chunk) > room {
					chunk = chunk[:room]
					overflow = true
				}
				long = append(long, chunk...)
			}
			line = long
		} else {
			line = chunk
		}
		if overflow {
			in.tooLong.Add(1)
		}
		line = bytes.TrimSuffix(line, []byte("\n"))
		line = bytes.TrimSuffix(line, []byte("\r"))
		if e := fn(string(line)); e != nil {
			return e
		}
		long, overflow = long[:0], false
		if long != nil && cap(long) > 4<<20 {
			long = nil
		}
		if err != nil {
			return nil
		}
		if ctx.Err() != nil {
			return ctx.Err()
		}
	}
}

func flushLong(in *Input, long []byte, overflow bool, fn func(string) error) error {
	if len(long) == 0 {
		return nil
	}
	if overflow {
		in.tooLong.Add(1)
	}
	return fn(string(bytes.TrimSuffix(long, []byte("\r"))))
}

// OpenFile opens a log file read-only, transparently decompressing gzip
// (detected by its magic bytes, not by the name). It returns the file's size;
// raw counts the file bytes read so far (compressed bytes for .gz), for progress.
func OpenFile(path string, raw *atomic.Int64) (io.ReadCloser, int64, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, 0, err
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, 0, err
	}
	if st.IsDir() {
		f.Close()
		return nil, 0, fmt.Errorf("open %s: is a directory", path)
	}
	var src io.Reader = f
	if raw != nil {
		src = countingReader{r: f, n: raw}
	}
	br := bufio.NewReaderSize(src, 64<<10)
	magic, _ := br.Peek(2)
	if len(magic) == 2 && magic[0] == 0x1f && magic[1] == 0x8b {
		zr, err := gzip.NewReader(br)
		if err != nil {
			f.Close()
			return nil, 0, fmt.Errorf("read %s: %w", path, err)
		}
		return &readCloser{Reader: zr, close: func() error { zr.Close(); return f.Close() }}, st.Size(), nil
	}
	return &readCloser{Reader: br, close: f.Close}, st.Size(), nil
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
