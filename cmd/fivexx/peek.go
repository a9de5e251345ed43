package main

import (
	"bytes"
	"compress/gzip"
	"io"
	"os"
	"sync/atomic"

	"fivexx/sources"
)

// peek.go reads a few KB of an input before reading starts, for what the
// flags cannot say and the first lines can (givenformat.go, errorzone.go).
// The rules are:
//   - Only regular files are peeked, through their own descriptor: standard
//     input, a --cmd command or a named pipe would lose what was read.
//   - A gzip file (by its magic bytes, as sources.OpenFile tells it) is
//     inflated only for its head; its end is not peeked.
//   - Only whole lines are returned: a line cut by the end of what was read
//     is left out, unless the file ends there.

// peekBytes is how much of a file's head or tail is read.
const peekBytes = 32 << 10

// peekable says whether spec names a regular file that can be read ahead
// of its reader without taking lines from it. An input that is not read
// (Spec.NotRead: fivexx's own output) is not peeked either: its lines
// tell nothing of the others'.
func peekable(spec sources.Spec) bool {
	if spec.Command || spec.Path == "-" || spec.NotRead != "" {
		return false
	}
	st, err := os.Stat(spec.Path)
	return err == nil && st.Mode().IsRegular()
}

// headsPeeked counts peekHead's reads, for the test that start-up reads
// each head once (heads.go).
var headsPeeked atomic.Int64

// peekHead returns the whole lines of the first peekBytes of path (inflated
// when it is gzip), and whether the file is gzip. Callers ask headCache,
// which reads each path once.
func peekHead(path string) (lines []string, gz bool) {
	headsPeeked.Add(1)
	f, err := os.Open(path)
	if err != nil {
		return nil, false
	}
	defer f.Close()
	buf := make([]byte, peekBytes)
	n, _ := io.ReadFull(f, buf)
	buf = buf[:n]
	if n >= 2 && buf[0] == 0x1f && buf[1] == 0x8b {
		zr, err := gzip.NewReader(io.MultiReader(bytes.NewReader(buf), f))
		if err != nil {
			return nil, true
		}
		out := make([]byte, peekBytes)
		m, _ := io.ReadFull(zr, out)
		return wholeLines(out[:m], m < len(out)), true
	}
	return wholeLines(buf, n < peekBytes), false
}

// peekTail returns the whole lines of the last peekBytes of path, a file
// that is not gzip, and the file offset of the first of them.
func peekTail(path string) (lines []string, at int64) {
	f, err := os.Open(path)
	if err != nil {
		return nil, 0
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, 0
	}
	from := max(st.Size()-peekBytes, 0)
	buf := make([]byte, st.Size()-from)
	n, _ := f.ReadAt(buf, from)
	buf = buf[:n]
	if from > 0 {
		i := bytes.IndexByte(buf, '\n')
		if i < 0 {
			return nil, 0
		}
		buf, from = buf[i+1:], from+int64(i)+1
	}
	return wholeLines(buf, true), from
}

// wholeLines splits b into lines without their newlines; an unterminated
// last line is kept only when ends says b reaches the end of the file.
func wholeLines(b []byte, ends bool) []string {
	if !ends {
		i := bytes.LastIndexByte(b, '\n')
		if i < 0 {
			return nil
		}
		b = b[:i+1]
	}
	var lines []string
	for len(b) > 0 {
		i := bytes.IndexByte(b, '\n')
		if i < 0 {
			lines = append(lines, string(bytes.TrimSuffix(b, []byte{'\r'})))
			break
		}
		lines = append(lines, string(bytes.TrimSuffix(b[:i], []byte{'\r'})))
		b = b[i+1:]
	}
	return lines
}

// linesFrom returns the whole lines that start after offset from (the
// first line starting at from itself when from is 0) within size bytes of
// it.
func linesFrom(f *os.File, from int64, size int) (lines []string) {
	buf := make([]byte, size)
	n, _ := f.ReadAt(buf, from)
	buf = buf[:n]
	if from > 0 {
		i := bytes.IndexByte(buf, '\n')
		if i < 0 {
			return nil
		}
		buf = buf[i+1:]
	}
	return wholeLines(buf, false)
}
