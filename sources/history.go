package sources

import (
	"bytes"
	"io"
	"os"
)

// History is what a followed file held when live mode started with
// --from-start: its lines up to End (the end of its last whole line), read
// by the caller merged by time with the other inputs' (MergeRuns, with the
// input limited by ReadHistory), as a report reads them; following then
// starts at End (FollowOptions.History). Read one input after another,
// the small error log was read to its end at once and the line cap evicted
// its lines while the access lines they belonged to were still being read:
// 4,014 reset 502s of a 200,000-request history were judged as refused.
type History struct {
	End  int64 // bytes of whole lines: following starts there
	Gzip bool  // a compressed file: all history, read once and not followed
	id   os.FileInfo
	// mark is the history's last bytes (up to markLen): a file at the
	// path with the same identity (an inode used again) but other bytes
	// there is another file.
	mark []byte
}

// HistoryOf returns the history of a file input: a regular file that holds
// at least one whole line. Standard input, commands, pipes and missing or
// empty files have none (ok false): they are followed as they are. An
// input not read (Spec.NotRead) has none either.
func HistoryOf(in *Input) (h History, ok bool) {
	if in.Spec.Command || in.Spec.Path == "-" || in.Spec.NotRead != "" {
		return h, false
	}
	f, err := os.Open(in.Spec.Path)
	if err != nil {
		return h, false
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil || !st.Mode().IsRegular() || st.Size() == 0 {
		return h, false
	}
	h.id = st
	var magic [2]byte
	if n, _ := f.ReadAt(magic[:], 0); n == 2 && magic[0] == 0x1f && magic[1] == 0x8b {
		h.End, h.Gzip = st.Size(), true
		return h, true
	}
	end, err := lastLineEnd(f, st.Size())
	if err != nil || end == 0 {
		return h, false // no whole line yet: following reads it
	}
	h.End = end
	h.mark = make([]byte, min(end, markLen))
	if n, _ := f.ReadAt(h.mark, end-int64(len(h.mark))); n < len(h.mark) {
		return History{}, false
	}
	return h, true
}

// lastLineEnd is the offset just past the last newline in f's first size
// bytes, 0 when there is none.
func lastLineEnd(f *os.File, size int64) (int64, error) {
	buf := make([]byte, 64<<10)
	for end := size; end > 0; {
		start := max(0, end-int64(len(buf)))
		n, err := f.ReadAt(buf[:end-start], start)
		if n < int(end-start) {
			if err == nil {
				err = io.ErrUnexpectedEOF
			}
			return 0, err
		}
		if i := bytes.LastIndexByte(buf[:n], '\n'); i >= 0 {
			return start + int64(i) + 1, nil
		}
		end = start
	}
	return 0, nil
}

// ReadHistory limits what reading the input to its end (ReadBatches,
// MergeRuns) reads of a plain file to its history, h.End bytes: what is
// appended meanwhile is followed afterwards. Call it before reading.
func (in *Input) ReadHistory(h History) {
	if !h.Gzip {
		in.historyEnd = h.End
	}
}

// holds reports whether f, of stat st, is the file h was taken from,
// still holding its history: the same file, at least as long, with the
// same last bytes.
func (h *History) holds(f *os.File, st os.FileInfo) bool {
	if h.id == nil || !os.SameFile(h.id, st) || st.Size() < h.End {
		return false
	}
	got := make([]byte, len(h.mark))
	n, _ := f.ReadAt(got, h.End-int64(len(got)))
	return n == len(got) && bytes.Equal(got, h.mark)
}
