package sources

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

// readShrunk reads path to its end as a report does, with workers parsers
// (1: the plain reader), and returns the lines it counted, the records
// sent and the error the read ended with.
func readShrunk(t *testing.T, path string, workers int) (lines, records int64, err error) {
	t.Helper()
	in, err := readToEndWith(t, path, workers, func(Item) { records++ })
	return in.Counters().Lines, records, err
}

// truncateAt has the file at path truncated to size by the first read of
// it that reaches offset from or beyond: between two reads, whatever the
// timing. It returns the offset that read reached.
func truncateAt(t *testing.T, path string, from, size int64) (reached func() int64) {
	t.Helper()
	var once sync.Once
	var at int64
	var mu sync.Mutex
	restore := SetFileReadHook(func(p string, off int64) {
		if p != path || off < from {
			return
		}
		once.Do(func() {
			mu.Lock()
			at = off
			mu.Unlock()
			if err := os.Truncate(path, size); err != nil {
				t.Error(err)
			}
		})
	})
	t.Cleanup(restore)
	return func() int64 { mu.Lock(); defer mu.Unlock(); return at }
}

// A file that shrinks while a report reads it (a copytruncate) ended the
// read as its end would: no error, and the line cut where it was cut read
// as one unparsed line. Now the read ends with a *ShrankError that says
// how far, after the whole lines read before (the plain reader and the
// parallel one alike), and the part line after the last newline is left
// out and counted in Cut. Cut beyond the offset read (the reader reads on
// to the new end) and short of it (the next read is past the end).
func TestReadOfAShrinkingFileEndsInShrankError(t *testing.T) {
	content := parallelInput(40_000, false)
	for _, tc := range []struct {
		name string
		from int64 // the read that reaches it truncates the file
		size int64 // to this
	}{
		{"cut ahead of the reader", 1 << 20, int64(len(content)) * 3 / 5},
		{"cut behind the reader", int64(len(content)) * 3 / 5, 1 << 20},
		{"cut to nothing", 1 << 20, 0},
	} {
		for _, workers := range []int{1, 3} {
			t.Run(tc.name+"/"+map[int]string{1: "plain", 3: "parallel"}[workers], func(t *testing.T) {
				path := filepath.Join(t.TempDir(), "access.log")
				if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
					t.Fatal(err)
				}
				if tc.size > 0 && content[tc.size-1] == '\n' {
					t.Fatalf("the cut at %d is at a line's end: the test wants a line cut short", tc.size)
				}
				reached := truncateAt(t, path, tc.from, tc.size)
				lines, records, err := readShrunk(t, path, workers)
				// What the reader had read: to the new end, or as far as it
				// had got when the file was cut behind it.
				end := max(tc.size, reached())
				whole := int64(strings.LastIndexByte(content[:end], '\n') + 1)
				wantLines := int64(strings.Count(content[:whole], "\n"))
				var se *ShrankError
				if !errors.As(err, &se) {
					t.Fatalf("read ended with %v after %d lines, %d records; want a ShrankError", err, lines, records)
				}
				want := ShrankError{Path: path, Size: tc.size, Opened: int64(len(content)), Cut: end - whole}
				if *se != want {
					t.Errorf("error %+v, want %+v", *se, want)
				}
				if lines != wantLines || records == 0 || records > lines {
					t.Errorf("%d lines counted, %d records; want the %d whole lines before byte %d", lines, records, wantLines, end)
				}
				if !strings.Contains(err.Error(), "shrank to") {
					t.Errorf("error %q does not say the file shrank", err)
				}
			})
		}
	}
}

// A .gz that shrinks while read fails as one cut before it was read (an
// unexpected EOF): the error is a *ShrankError that says so, from the
// inflater that reads byte ranges (sources/inflate) as from the stream.
func TestReadOfAShrinkingGzipEndsInShrankError(t *testing.T) {
	gz := gzipped(parallelInput(40_000, false))
	for _, parallel := range []bool{false, true} {
		t.Run(gzipPath(parallel), func(t *testing.T) {
			if parallel {
				forceParallelGzip(t, 8<<10)
			}
			path := filepath.Join(t.TempDir(), "access.log.gz")
			if err := os.WriteFile(path, gz, 0o644); err != nil {
				t.Fatal(err)
			}
			size := int64(len(gz)) / 2
			truncateAt(t, path, 1, size)
			lines, _, err := readShrunk(t, path, 1)
			var se *ShrankError
			if !errors.As(err, &se) {
				t.Fatalf("read ended with %v after %d lines; want a ShrankError", err, lines)
			}
			want := ShrankError{Path: path, Size: size, Opened: int64(len(gz))}
			if *se != want {
				t.Errorf("error %+v, want %+v", *se, want)
			}
		})
	}
}

// A file that grows while read (a log still written) is no shrink: the
// read ends without an error, whatever it read of the lines appended.
func TestReadOfAGrowingFileIsNoShrink(t *testing.T) {
	content := parallelInput(20_000, false)
	content = content[:strings.LastIndexByte(content, '\n')+1]
	for _, workers := range []int{1, 3} {
		path := filepath.Join(t.TempDir(), "access.log")
		if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		var once sync.Once
		t.Cleanup(SetFileReadHook(func(p string, off int64) {
			if p != path || off < 1<<20 {
				return
			}
			once.Do(func() {
				f, err := os.OpenFile(path, os.O_APPEND|os.O_WRONLY, 0)
				if err != nil {
					t.Error(err)
					return
				}
				f.Write(bytes.Repeat([]byte("T1 GET /appended\n"), 1000))
				f.Close()
			})
		}))
		lines, _, err := readShrunk(t, path, workers)
		if err != nil || lines < int64(strings.Count(content, "\n")) {
			t.Errorf("%d workers: %d lines, err %v; want every line and no error", workers, lines, err)
		}
	}
}
