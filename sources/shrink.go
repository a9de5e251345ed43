package sources

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"sync/atomic"
)

// A report (or a replay) reads a file as it is when opened. A file that
// shrinks under the reader (logrotate's copytruncate, a writer that
// truncates it, a cp over it) ended the read as its end would: the report
// of 800,849 of 2,020,000 lines said nothing of the rest, exit 0, and the
// line cut where the file ended was one unparsed line. The rules are:
//
//   - The check costs a stat when the file ends, never per line or per
//     read: at io.EOF the file's size is compared with its size at open
//     and with the offset read. Smaller than either, it shrank: the read
//     ends with a *ShrankError instead of io.EOF, so the whole lines read
//     before are the input's (as after any read error) and the bytes after
//     the last newline, a line cut short, are not read as a line.
//   - A .gz is inflated from byte ranges (sources/inflate reads at offsets)
//     and a gzip stream cut short fails with its own error (an unexpected
//     EOF): when the read of a .gz fails, its size is compared with the
//     size at open, and if it shrank the error is a *ShrankError.
//   - Live mode is not watched: it follows truncation itself (state
//     "truncated"), and its history read stops at an offset of its own.

// ShrankError is the error that ends the read of a file found smaller than
// it was when opened, or than the offset already read from it. Its text
// names no path: readToEnd's error adds it, the input's state does not.
type ShrankError struct {
	Path string
	// Size is the file's size when the reader found it shrunk; Opened its
	// size when it was opened.
	Size, Opened int64
	// Cut is how many bytes, after the last newline read, were left out:
	// a line cut short where the file was cut (0 for a .gz, whose lines
	// are inflated).
	Cut int64
}

func (e *ShrankError) Error() string {
	return fmt.Sprintf("the file shrank to %d bytes while read (%d when opened)", e.Size, e.Opened)
}

// shrinkWatch reads a regular file for readToEnd and tells whether it
// shrank. For a plain file it is the reader itself (Read); for a .gz it
// only passes the reads through, and readToEnd asks shrank when the read
// fails.
type shrinkWatch struct {
	f      *os.File
	path   string
	opened int64 // the size at open
	// plain: the file is read as it is, by Read alone (not a .gz), so read
	// and lineEnd are offsets in its lines and Read checks at io.EOF.
	plain bool
	// read is the offset Read has reached; lineEnd the offset just past
	// the last newline it read.
	read, lineEnd int64
}

// Read reads from the file and, at its end, checks whether it shrank.
func (w *shrinkWatch) Read(p []byte) (int, error) {
	n, err := w.f.Read(p)
	if n > 0 {
		// One scan back per read, to the last newline: no cost per line.
		if i := bytes.LastIndexByte(p[:n], '\n'); i >= 0 {
			w.lineEnd = w.read + int64(i) + 1
		}
		w.read += int64(n)
	}
	if h := fileReadHook.Load(); h != nil {
		(*h)(w.path, w.read)
	}
	if err == io.EOF && w.plain {
		if se := w.shrank(); se != nil {
			return n, se
		}
	}
	return n, err
}

// ReadAt serves a .gz's inflater, which reads byte ranges.
func (w *shrinkWatch) ReadAt(p []byte, off int64) (int, error) {
	n, err := w.f.ReadAt(p, off)
	if h := fileReadHook.Load(); h != nil {
		(*h)(w.path, off+int64(n))
	}
	return n, err
}

// shrank returns a *ShrankError if the file is now smaller than it was at
// open, or (plain) than the offset read; else nil, also when it cannot be
// told (the stat failed).
func (w *shrinkWatch) shrank() *ShrankError {
	st, err := w.f.Stat()
	if err != nil {
		return nil
	}
	size := st.Size()
	if size >= w.opened && (!w.plain || size >= w.read) {
		return nil
	}
	se := &ShrankError{Path: w.path, Size: size, Opened: w.opened}
	if w.plain {
		se.Cut = w.read - w.lineEnd
	}
	return se
}

// fileReadHook, when set (tests only: SetFileReadHook), is called after
// each read of a watched file with the offset the read reached: a test
// truncates the file there, between two reads, rather than at a time.
var fileReadHook atomic.Pointer[func(path string, offset int64)]

// SetFileReadHook is for tests only: hook is called after each read of a
// file that a report or a replay reads to its end, with its path and the
// offset the read reached (a .gz: the end of the byte range read), on the
// reading goroutine. It returns a function that puts the old hook back. It
// is exported, not in export_test.go, for cmd/fivexx's tests, which
// truncate a file at a given offset of the report's read.
func SetFileReadHook(hook func(path string, offset int64)) (restore func()) {
	var h *func(string, int64)
	if hook != nil {
		h = &hook
	}
	old := fileReadHook.Swap(h)
	return func() { fileReadHook.Store(old) }
}
