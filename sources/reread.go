package sources

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"sort"
	"sync"
	"time"
)

// A Rereader reads the lines of a plain file again, around a time, so
// that a replay makes a verdict's timeline when someone opens the verdict
// rather than for every 5xx as it is judged. Made for every 5xx, the
// timelines held every line of the last two minutes and walked sixty of
// them per 5xx: a replay at full speed did a third more work than a report
// of the same files (14.2 G instructions against 10.6 G on the 2 M bench
// set), and a replay keeps only the last thousand or so verdicts anyway.
//
// On its first use it reads the file once and notes where every
// rereadStride-th line starts and the time of the first line from there
// on that has one (a 700 MB log takes about half a second, once; each
// later look reads a few hundred lines). Only a regular file that is not
// compressed can be read at an offset: stdin, commands and gzip input keep
// timelines made as they are read.
type Rereader struct {
	in *Input

	mu    sync.Mutex // one look at a time: the parser keeps state
	built bool
	marks []rereadMark
	err   error
	// file is the file the marks were noted in: a file replaced or cut
	// since (rotated, truncated) has other lines at their offsets.
	file os.FileInfo
}

// rereadMark is where a stride of lines starts and the time of its first
// line that has one.
type rereadMark struct {
	off    int64
	at     int64 // Unix nanoseconds
	timed  bool  // at is known: some line of the stride, or a later one, had a time
	lineNo int64 // the line number of the stride's first line, from 1
}

// rereadStride is how many lines lie between two marks: a look reads at
// most about two strides and twice its lines either side.
const rereadStride = 256

// NewRereader returns a Rereader for in, or nil when in cannot be read at
// an offset: not a regular file (stdin, a command, a pipe), or gzip data.
func NewRereader(in *Input) *Rereader {
	s := in.Spec
	if s.Command || s.Path == "" || s.Path == "-" {
		return nil
	}
	st, err := os.Stat(s.Path)
	if err != nil || !st.Mode().IsRegular() || isGzipFile(s.Path) {
		return nil
	}
	return &Rereader{in: in}
}

// Rereaders returns a Rereader for each of ins, or nil when one of them
// cannot be read again: a timeline takes the lines of every input, and
// one made while judging holds them all anyway.
func Rereaders(ins []*Input) []*Rereader {
	var rs []*Rereader
	for _, in := range ins {
		r := NewRereader(in)
		if r == nil {
			return nil
		}
		rs = append(rs, r)
	}
	return rs
}

// Input is the input r reads again.
func (r *Rereader) Input() *Input { return r.in }

// Around returns the records of up to n lines before at and up to n lines
// at or after it (by the lines' times), in the order they lie in the
// file, parsed as the input's format parses them. Lines without a record
// of their own (unparsed, continuation, start-up lines) are left out.
func (r *Rereader) Around(at time.Time, n int) ([]Record, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.in.Spec.NotRead != "" {
		return nil, nil // no line of it is read, so none is read again
	}
	if !r.built {
		r.err = r.build()
		r.built = true
	}
	if r.err != nil {
		return nil, r.err
	}
	if r.in.Format().New == nil {
		// Its format was never found: none of its lines made a record,
		// nor would they now.
		return nil, nil
	}
	p, err := r.parser()
	if err != nil {
		return nil, err
	}
	f, err := os.Open(r.in.Spec.Path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if st, err := f.Stat(); err != nil {
		return nil, err
	} else if r.file != nil && (!os.SameFile(st, r.file) || st.Size() < r.file.Size()) {
		return nil, fmt.Errorf("%s: replaced or cut since it was read", r.in.Spec.Label())
	}
	target := at.UnixNano()
	start := r.startFor(target)
	if _, err := f.Seek(r.marks[start].off, io.SeekStart); err != nil {
		return nil, err
	}
	// The lines a look may need: from two strides before the target's
	// stride (start) to n lines past its first line at or after it.
	limit := 3*rereadStride + 2*n
	var lines []string
	br := bufio.NewReaderSize(f, 64<<10)
	_, err = eachLine(br, func(line []byte) bool {
		lines = append(lines, string(line))
		return len(lines) < limit
	})
	if err != nil {
		return nil, err
	}
	if r.marks[start].off == 0 && len(lines) > 0 {
		lines[0] = dropBOM(lines[0]) // as the decoder read it
	}
	if pr, ok := p.(Primer); ok {
		pr.Prime(lines[:min(len(lines), 256)])
	}
	var before, after []Record
	for _, line := range lines {
		rec := parseQuietly(p, line)
		if rec == nil || rec.RecordTime().IsZero() {
			continue
		}
		if rec.RecordTime().UnixNano() < target {
			before = append(before, rec)
			if len(before) > 2*n {
				before = append(before[:0], before[len(before)-n:]...)
			}
			continue
		}
		if after = append(after, rec); len(after) >= n {
			break
		}
	}
	if len(before) > n {
		before = before[len(before)-n:]
	}
	return append(before, after...), nil
}

// startFor is the index of the mark to read from for target: two strides
// before the last one whose time is before it, so that the lines just
// before the target are read whatever the lines between cost.
func (r *Rereader) startFor(target int64) int {
	k := sort.Search(len(r.marks), func(i int) bool {
		m := r.marks[i]
		return m.timed && m.at >= target
	}) - 1
	return max(k-1, 0)
}

// parser is a new parser of the input's format.
func (r *Rereader) parser() (Parser, error) {
	f := r.in.Format()
	if f.New == nil {
		return nil, fmt.Errorf("%s: format not known", r.in.Spec.Label())
	}
	return f.New(r.in.Spec.Opts)
}

// parseQuietly parses line with p: a parser's panic, which the reader
// counts for the input, is here only a line without a record.
func parseQuietly(p Parser, line string) (rec Record) {
	defer func() {
		if recover() != nil {
			rec = nil
		}
	}()
	rec, _ = p.Parse(line)
	return rec
}

// build reads the file once and notes the marks.
func (r *Rereader) build() error {
	if r.in.Format().New == nil {
		return nil
	}
	p, err := r.parser()
	if err != nil {
		return err
	}
	f, err := os.Open(r.in.Spec.Path)
	if err != nil {
		return err
	}
	defer f.Close()
	if r.file, err = f.Stat(); err != nil {
		return err
	}
	var off, lineNo int64
	untimed := 0 // marks at the end of r.marks waiting for a time
	br := bufio.NewReaderSize(f, 256<<10)
	_, err = eachLineAt(br, func(line []byte, size int) bool {
		lineNo++
		if lineNo == 1 {
			line = dropBOM(line) // as the decoder read it
		}
		if (lineNo-1)%rereadStride == 0 {
			r.marks = append(r.marks, rereadMark{off: off, lineNo: lineNo})
			untimed++
		}
		off += int64(size)
		if untimed == 0 {
			return true
		}
		rec := parseQuietly(p, string(line))
		if rec == nil || rec.RecordTime().IsZero() {
			return true
		}
		// The marks waiting take the first time after them.
		ns := rec.RecordTime().UnixNano()
		for i := len(r.marks) - untimed; i < len(r.marks); i++ {
			r.marks[i].at, r.marks[i].timed = ns, true
		}
		untimed = 0
		return true
	})
	if err != nil {
		return err
	}
	if len(r.marks) == 0 {
		r.marks = []rereadMark{{}}
	}
	return nil
}

// eachLine calls fn with every line of br (without its line ending; a
// line longer than MaxLineBytes cut to it) until fn returns false.
func eachLine(br *bufio.Reader, fn func(line []byte) bool) (int64, error) {
	return eachLineAt(br, func(line []byte, _ int) bool { return fn(line) })
}

// eachLineAt is eachLine that also gives each line's size in the file,
// its line ending included. It returns the bytes read.
func eachLineAt(br *bufio.Reader, fn func(line []byte, size int) bool) (int64, error) {
	var read int64
	var long []byte // the start of a line longer than br's buffer
	longSize := 0   // its bytes in the file so far
	for {
		chunk, err := br.ReadSlice('\n')
		read += int64(len(chunk))
		size := len(chunk)
		if len(long) == 0 && len(chunk) > 0 && chunk[0] == 0 {
			chunk = skipNULs(chunk) // as the reader does (lineSplitter)
		}
		if errors.Is(err, bufio.ErrBufferFull) {
			long = append(long, chunk[:min(len(chunk), max(MaxLineBytes+2-len(long), 0))]...)
			longSize += size
			continue
		}
		if longSize > 0 {
			size += longSize
			long = append(long, chunk[:min(len(chunk), max(MaxLineBytes+2-len(long), 0))]...)
			chunk, long, longSize = long, long[:0], 0
		}
		if err != nil && !errors.Is(err, io.EOF) {
			return read, err
		}
		if len(chunk) > 0 { // not NULs alone at the end: no line, as the reader says
			line := chunk
			if n := len(line); n > 0 && line[n-1] == '\n' {
				line = line[:n-1]
			}
			if n := len(line); n > 0 && line[n-1] == '\r' {
				line = line[:n-1]
			}
			line = line[:min(len(line), MaxLineBytes)]
			if !fn(line, size) {
				return read, nil
			}
		}
		if err != nil {
			return read, nil
		}
	}
}
