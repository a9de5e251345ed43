package sources

import (
	"bytes"
	"io"
	"os"
	"time"
)

// lastTimeBytes is how much of a file's end LastTime reads: many lines of
// any log, and a few milliseconds of reading.
const lastTimeBytes = 1 << 20

// LastTime returns the time of the last line of in's file that has one,
// read from the end of the file with a parser of in's format, as the
// merge orders it (Input.MergeTime): where a replay with --from alone
// ends in log time, for its progress. ok is false when that cannot be
// known: in is no plain regular file (stdin, a command, a pipe) or holds
// gzip data (read only from its start: its end is its whole length
// away), its format is not known yet, or no line of its last
// lastTimeBytes that the parser reads alone has a time (a container
// runtime's wrapper, which the reader strips, is read as no line).
func LastTime(in *Input) (t time.Time, ok bool) {
	s := in.Spec
	if s.Command || s.Path == "" || s.Path == "-" || isGzipFile(s.Path) {
		return time.Time{}, false
	}
	f := in.Format()
	if f.New == nil {
		return time.Time{}, false
	}
	p, err := f.New(s.Opts)
	if err != nil {
		return time.Time{}, false
	}
	file, err := os.Open(s.Path)
	if err != nil {
		return time.Time{}, false
	}
	defer file.Close()
	st, err := file.Stat()
	if err != nil || !st.Mode().IsRegular() {
		return time.Time{}, false
	}
	off := max(st.Size()-lastTimeBytes, 0)
	buf := make([]byte, st.Size()-off)
	if _, err := file.ReadAt(buf, off); err != nil && err != io.EOF {
		return time.Time{}, false
	}
	// Lines from the last: the first one read whole, unless the read
	// starts the file, may be cut.
	for len(buf) > 0 {
		buf = bytes.TrimRight(buf, "\r\n")
		i := bytes.LastIndexByte(buf, '\n')
		if i < 0 && off > 0 {
			break
		}
		line := buf[i+1:]
		buf = buf[:max(i, 0)]
		if i < 0 {
			line = dropBOM(line)
		}
		if len(line) == 0 {
			continue
		}
		if rec := parseQuietly(p, string(line)); rec != nil {
			if at := rec.RecordTime(); !at.IsZero() {
				return in.MergeTime(at), true
			}
		}
	}
	return time.Time{}, false
}
