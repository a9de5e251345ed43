package sources

import (
	"bufio"
	"bytes"
	"slices"
	"testing"
)

// eachLineAt, which a Rereader reads lines with, cuts a file into the
// lines the reader cut it into (lineSplitter), and its sizes add up to
// the file's: a mark's offset is where its line starts.
func FuzzEachLineAtSplitsAsTheReader(f *testing.F) {
	for _, s := range []string{"", "a", "a\n", "a\r\nb\n\nc", "\n\n", "x\ry\n", string(bytes.Repeat([]byte("z"), 70000)) + "\nq\n",
		"\x00\x00a\x00\n\x00\n\x00", string(bytes.Repeat([]byte("\x00"), 70000)) + "b\n"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var want []string
		var s lineSplitter
		emit := func(line []byte, _ bool) error {
			want = append(want, string(line))
			return nil
		}
		if err := s.feed(data, emit); err != nil {
			t.Fatal(err)
		}
		if err := s.flush(emit); err != nil {
			t.Fatal(err)
		}
		var got []string
		var off int
		n, err := eachLineAt(bufio.NewReaderSize(bytes.NewReader(data), 16), func(line []byte, size int) bool {
			got = append(got, string(line))
			if !bytes.HasPrefix(skipNULs(data[off:]), line) {
				t.Fatalf("line %q is not at offset %d", line, off)
			}
			off += size
			return true
		})
		if err != nil || n != int64(len(data)) {
			t.Fatalf("read %d of %d bytes, %v", n, len(data), err)
		}
		// The splitter passes empty lines on; eachLineAt does too, but
		// for the empty line after the last newline, which is no line.
		if !slices.Equal(got, want) {
			t.Fatalf("lines %q, the reader's %q", got, want)
		}
		// but for NULs alone after the last newline: no line (the reader
		// drops NULs at the start of a line).
		end := len(data)
		if rest := data[bytes.LastIndexByte(data, '\n')+1:]; len(skipNULs(rest)) == 0 {
			end -= len(rest)
		}
		if off != end {
			t.Fatalf("sizes add up to %d of %d bytes", off, end)
		}
	})
}
