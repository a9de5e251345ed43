package sources

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// linesT are the lines logWriter writes, from..to.
func linesT(from, to int) []string {
	var l []string
	for i := from; i <= to; i++ {
		l = append(l, fmt.Sprintf("T%d GET /%d", i, i))
	}
	return l
}

// pointLink makes link name target, replacing it at once as `ln -s` and
// `mv -T` do (blue/green switches).
func pointLink(t *testing.T, target, link string) {
	t.Helper()
	tmp := link + ".tmp"
	mustDo(t, os.Symlink(target, tmp))
	mustDo(t, os.Rename(tmp, link))
}

// Live QA s28 #1a: access.log is a link to a/access.log; requests 1–4
// go to a/, 5–8 to b/ with the link switched to b/; a/ is quiet for 7 s
// (let go); the link is switched back to a/ and 9–12 written. a/'s lines
// 1–4 were read again from its start: 16 5xx on screen for 12 written.
func TestFollowSymlinkSwitchedBackReadsNothingTwice(t *testing.T) {
	dir := t.TempDir()
	a, b := filepath.Join(dir, "a", "access.log"), filepath.Join(dir, "b", "access.log")
	for _, f := range []string{a, b} {
		mustDo(t, os.Mkdir(filepath.Dir(f), 0o755))
		mustDo(t, os.WriteFile(f, nil, 0o644))
	}
	p := filepath.Join(dir, "access.log")
	pointLink(t, a, p)
	s := newStepFollower(t, p)
	wa, wb := newLogWriter(t, a), newLogWriter(t, b)
	wa.write(4)
	s.wait(followPoll)
	wb.next = 5
	wb.write(2)
	pointLink(t, b, p)
	s.wait(followPoll)
	wb.write(2)
	s.wait(7 * time.Second)
	s.wantState("a/ quiet for 7 s", StateFollowing, 0)
	pointLink(t, a, p)
	wa.next = 9
	wa.write(4)
	s.wait(followPoll)
	s.wantState("switched back to a/", StateSameFileBack, 1)
	s.wantLines("at the end", linesT(1, 12))
	s.wait(eventHold + drainQuiet)
	s.wantState("b/ let go", StateFollowing, 0)

	// Cut and written again while away, a/ holds other lines: read from
	// its start.
	pointLink(t, b, p)
	wb.next = 13
	wb.write(1)
	s.wait(7 * time.Second)
	mustDo(t, os.Truncate(a, 0))
	wa.next = 14
	wa.write(20)
	pointLink(t, a, p)
	s.wait(followPoll)
	s.wantState("switched back to a/ cut and written again", StateRotated, 1)
	s.wantLines("at the end", linesT(1, 33))
}

// Live QA s28 #1b: the log moved to another filesystem (copied, the
// original removed) and linked back at its path: a new inode holding
// what was read. Its 6 lines were read again: 14 5xx for 8 written.
func TestFollowCopyBackReadsNothingTwice(t *testing.T) {
	start := func(t *testing.T) (s *stepFollower, w *logWriter, p, elsewhere string) {
		dir := t.TempDir()
		p = filepath.Join(dir, "access.log")
		mustDo(t, os.WriteFile(p, nil, 0o644))
		s = newStepFollower(t, p)
		w = newLogWriter(t, p)
		w.write(6)
		s.wait(followPoll)
		return s, w, p, filepath.Join(t.TempDir(), "access.log")
	}
	// moveAcross does what mv does across filesystems: copy, remove.
	moveAcross := func(t *testing.T, from, to string) {
		data, err := os.ReadFile(from)
		mustDo(t, err)
		mustDo(t, os.WriteFile(to, data, 0o644))
		mustDo(t, os.Remove(from))
	}
	t.Run("moved to another filesystem and linked back", func(t *testing.T) {
		s, w, p, elsewhere := start(t)
		moveAcross(t, p, elsewhere)
		mustDo(t, os.Symlink(elsewhere, p))
		w.reopen()
		w.write(2)
		s.wait(followPoll)
		s.wantState("linked back", StateCopyBack, 1)
		s.wantLines("at the end", linesT(1, 8))
	})
	t.Run("copied back after the original was let go", func(t *testing.T) {
		s, w, p, elsewhere := start(t)
		moveAcross(t, p, elsewhere)
		s.wait(drainDeletedQuiet + followPoll)
		s.wantState("removed, let go", StateDeleted, 0)
		moveAcross(t, elsewhere, p)
		w.reopen()
		w.write(2)
		s.wait(followPoll)
		s.wantState("copied back", StateCopyBack, 0)
		s.wantLines("at the end", linesT(1, 8))
	})
	t.Run("moved away and back, the same file", func(t *testing.T) {
		s, w, p, _ := start(t)
		mustDo(t, os.Rename(p, p+".away"))
		s.wait(followPoll)
		mustDo(t, os.Rename(p+".away", p))
		w.write(2)
		s.wait(followPoll)
		s.wantState("moved back", StateSameFileBack, 0)
		s.wantLines("at the end", linesT(1, 8))
	})
	t.Run("a new file starting with the same lines, shorter than what was read", func(t *testing.T) {
		s, _, p, _ := start(t)
		data, err := os.ReadFile(p)
		mustDo(t, err)
		mustDo(t, os.Rename(p, p+".1"))
		mustDo(t, os.WriteFile(p, data[:len(data)/2], 0o644))
		s.wait(followPoll)
		s.wantState("replaced", StateRotated, 1)
		// Maybe a copy still being written: not read until it is told.
		if n := len(s.got); n != 6 {
			t.Fatalf("read %d lines, want 6 (the new file not read yet): %q", n, s.got)
		}
		s.wait(undecidedWait + followPoll)
		if n := len(s.got); n != 9 {
			t.Fatalf("read %d lines, want 9 (the new file read from its start): %q", n, s.got)
		}
	})
}

// startupBanner is what an app writes first on every start, the same each
// time and longer than headLen: a config dump.
func startupBanner() []string {
	var l []string
	for n := 0; n <= headLen; {
		s := fmt.Sprintf("config key%03d = value-of-a-setting-that-is-the-same-every-start", len(l))
		l = append(l, s)
		n += len(s) + 1
	}
	return l
}

// fixedWidthLines are access lines as long as each other, ending with the
// same 64 bytes (a long user agent): tag tells one file's from another's.
func fixedWidthLines(tag string, from, n int) []string {
	var l []string
	for i := from; i < from+n; i++ {
		l = append(l, fmt.Sprintf(`%s%04d 127.0.0.1 - - [22/Nov/2026:10:47:%02d +0000] "GET /x HTTP/1.1" 502 150 "-" "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36"`, tag, i, i%60))
	}
	return l
}

// writeWhole writes lines to p in one write, creating or emptying it: the
// inode of a file there is kept.
func writeWhole(t *testing.T, p string, lines ...[]string) []string {
	t.Helper()
	var all []string
	for _, l := range lines {
		all = append(all, l...)
	}
	mustDo(t, os.WriteFile(p, []byte(strings.Join(all, "\n")+"\n"), 0o644))
	return all
}

// QA s28 regression of "a file read before at its path again": a new file
// that starts as the old one did (a ≥ 4 KiB start-up banner, fixed-width
// lines with the same 64 bytes before the old offset) passed for it and
// was read on from the old offset: its lines before it were lost without
// a word ("copy of a file read: not read again", or "same file back" once
// rm and a new file reused the inode). A crash-looping app does that on
// every restart; QA's replay showed 8 5xx for 13.
func TestFollowNewFileThatStartsAlikeIsReadWhole(t *testing.T) {
	for _, tc := range []struct {
		name    string
		replace func(t *testing.T, s *stepFollower, p string, newFile []string) (read []string)
	}{
		{"renamed away, the new file written whole", func(t *testing.T, s *stepFollower, p string, newFile []string) []string {
			mustDo(t, os.Rename(p, p+".1"))
			return writeWhole(t, p, newFile)
		}},
		{"renamed away and deleted, let go, then a new file", func(t *testing.T, s *stepFollower, p string, newFile []string) []string {
			mustDo(t, os.Rename(p, p+".1"))
			mustDo(t, os.Remove(p+".1"))
			s.wait(drainDeletedQuiet + followPoll)
			s.wantState("deleted", StateDeleted, 0)
			return writeWhole(t, p, newFile)
		}},
		{"deleted and created again (ext4 may reuse the inode)", func(t *testing.T, s *stepFollower, p string, newFile []string) []string {
			mustDo(t, os.Remove(p))
			s.wait(drainDeletedQuiet + followPoll)
			s.wantState("deleted", StateDeleted, 0)
			return writeWhole(t, p, newFile)
		}},
		{"its inode written again with the new file after it was let go", func(t *testing.T, s *stepFollower, p string, newFile []string) []string {
			// What fivexx sees when a new file reuses the inode, every time.
			mustDo(t, os.Rename(p, p+".away"))
			between := writeWhole(t, p, []string{"T1 GET /between"})
			s.wait(drainQuiet + followPoll)
			s.wantState("moved away, let go", StateFollowing, 0)
			writeWhole(t, p+".away", newFile)
			mustDo(t, os.Rename(p+".away", p))
			return append(between, newFile...)
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p, s := newEmptyLogFollower(t)
			want := writeWhole(t, p, startupBanner(), fixedWidthLines("A", 1, 3))
			s.wait(followPoll)
			newFile := append(startupBanner(), fixedWidthLines("B", 1, 5)...)
			want = append(want, tc.replace(t, s, p, newFile)...)
			s.wait(followPoll)
			s.wantState("the new file at the path", StateRotated, len(s.ff.old))
			s.wantLines("at the end", want)
		})
	}
}

// Every byte read is compared, not only those at both ends: a copy of a
// file read over several reads (readChunk) with one line changed in the
// middle is another file, read from its start.
func TestFollowCopyBackIsComparedWhole(t *testing.T) {
	for _, tc := range []struct {
		name   string
		change bool
		state  string
	}{
		{"an exact copy", false, StateCopyBack},
		{"one line changed in the middle", true, StateRotated},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p, s := newEmptyLogFollower(t)
			old := fixedWidthLines("A", 1, 3*readChunk/150)
			writeWhole(t, p, old)
			s.wait(followPoll)
			copied := append([]string(nil), old...)
			if tc.change {
				mid := copied[len(copied)/2]
				copied[len(copied)/2] = strings.Replace(mid, " 502 ", " 504 ", 1)
			}
			elsewhere := filepath.Join(t.TempDir(), "access.log")
			writeWhole(t, elsewhere, copied)
			mustDo(t, os.Remove(p))
			mustDo(t, os.Symlink(elsewhere, p))
			s.wait(followPoll)
			s.wantState("linked back", tc.state, 1)
			want := old
			if tc.change {
				want = append(append([]string(nil), old...), copied...)
			}
			s.wantLines("at the end", want)
		})
	}
}

// A file followed from its end, past its first headLen bytes, and not
// written to since, leaves nothing read to compare: at the path again, it
// may be that file or a new one that starts alike. It is read from its
// start and the state says so: lines counted again, told, rather than a
// new file's lost without a word.
func TestFollowFileBackUnprovenIsReadFromItsStart(t *testing.T) {
	for _, tc := range []struct {
		name    string
		newFile []string // written over the file's inode while away, or nil
	}{
		{"the same file", nil},
		{"a new file that starts alike in its inode", append(startupBanner(), fixedWidthLines("B", 1, 5)...)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := filepath.Join(t.TempDir(), "access.log")
			atStart := writeWhole(t, p, startupBanner(), fixedWidthLines("A", 1, 3))
			s := newStepFollower(t, p) // live: from the end
			mustDo(t, os.Rename(p, p+".away"))
			want := writeWhole(t, p, []string{"T1 GET /between"})
			s.wait(drainQuiet + followPoll)
			s.wantState("moved away, let go", StateFollowing, 0)
			back := atStart
			if tc.newFile != nil {
				back = writeWhole(t, p+".away", tc.newFile)
			}
			mustDo(t, os.Rename(p+".away", p))
			s.wait(followPoll)
			s.wantState("back at the path", StateMaybeBack, 1)
			want = append(want, back...)
			s.wantLines("at the end", want)
		})
	}
}

// Rotations that are no file coming back keep reading every line once
// (QA's guard beside the regression): rename and create with the writer
// reopening late, then copytruncate.
func TestFollowPlainRotationsReadEveryLineOnce(t *testing.T) {
	p, s := newEmptyLogFollower(t)
	w := newLogWriter(t, p)
	w.write(50)
	s.wait(followPoll)
	mustDo(t, os.Rename(p, p+".1"))
	w.write(5) // still to .1
	mustDo(t, os.WriteFile(p, nil, 0o644))
	s.wait(followPoll)
	w.write(5)
	w.reopen()
	w.write(60)
	s.wait(followPoll)
	s.wait(10 * time.Second)
	mustDo(t, os.Truncate(p, 0)) // copytruncate, without the copy
	w.write(80)                  // O_APPEND: from 0 on
	s.wait(followPoll)
	s.wait(3 * time.Second)
	s.wantLines("at the end", linesT(1, w.written()))
}

// A file renamed away and still read, cut and written again there with
// the same first headLen bytes and the same markLen bytes before the read
// offset (a crash-looping app's start-up banner, fixed-width lines), then
// renamed back: every byte read is compared (their CRC-32C), and it is
// read again from its start. Compared only at the markLen bytes before
// the offset, it was carried on from there as the same file: the new
// file's lines before the offset lost without a word ("same file back:
// not read again"). Moved away and back untouched, it is still carried on.
func TestFollowRenamedBackCutAndWrittenAgainIsReadWhole(t *testing.T) {
	for _, tc := range []struct {
		name  string
		cut   bool
		state string
	}{
		{"cut and written again while away", true, StateTruncated},
		{"untouched while away", false, StateSameFileBack},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p, s := newEmptyLogFollower(t)
			want := writeWhole(t, p, startupBanner(), fixedWidthLines("A", 1, 3))
			s.wait(followPoll)
			mustDo(t, os.Rename(p, p+".1"))
			s.wait(followPoll)
			s.wantState("renamed away, still read", stateFollowingRotated+" (new file not there yet)", 1)
			if tc.cut {
				// os.WriteFile truncates: the same inode, cut and written again.
				want = append(want, writeWhole(t, p+".1", startupBanner(), fixedWidthLines("B", 1, 5))...)
			}
			mustDo(t, os.Rename(p+".1", p))
			s.wait(followPoll)
			s.wantState("renamed back", tc.state, 0)
			s.wantLines("at the end", want)
		})
	}
}

// Live QA s28 E: a file read, copied back over its path with plain
// `cp --remove-destination` (the path names an empty file first, then cp
// writes into it, in pieces when it is long), was read from its start:
// the copy was shorter than what was read when first seen, so no copy,
// and every line read before counted twice (24 5xx for 12). A new file
// shorter than what was read of one, with the same bytes so far, is not
// read until it is told: a copy once it holds all that was read; a new
// file once a byte differs, or once it has not grown for undecidedWait.
// Nothing of a new file is lost: nothing of it was skipped.
func TestFollowCopyWrittenInPiecesIsToldWhenWhole(t *testing.T) {
	for _, tc := range []struct {
		name   string
		letGo  bool     // the file read is deleted and let go before the copy
		pieces []string // written to the new file at the path, a look apart
		wait   time.Duration
		state  string
		whole  bool // the new file is read from its start, not from the old offset
	}{
		{"a copy, the file read still open", false, nil, 0, StateCopyBack, false},
		{"a copy, the file read let go", true, nil, 0, StateCopyBack, false},
		{"starts alike, then other lines", false, []string{"T1 GET /1\nT2 GET /2\n", "T7 GET /7\nX1 GET /new\n"}, 0, StateRotated, true},
		{"empty, then new lines", false, []string{"", "N1 GET /new\nN2 GET /new\n"}, 0, StateRotated, true},
		{"empty for a while, then lines alike", false, []string{"", "T1 GET /1\n"}, undecidedWait + followPoll, StateRotated, true},
		{"starts alike, then stops growing", false, []string{"T1 GET /1\nT2 GET /2\n"}, undecidedWait + followPoll, StateRotated, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p, s := newEmptyLogFollower(t)
			w := newLogWriter(t, p)
			w.write(30)
			s.wait(followPoll)
			old, err := os.ReadFile(p)
			mustDo(t, err)
			mustDo(t, os.Remove(p))
			open := 1
			if tc.letGo {
				s.wait(drainDeletedQuiet + followPoll)
				s.wantState("deleted, let go", StateDeleted, 0)
				open = 0
			}
			pieces := tc.pieces
			if pieces == nil {
				// cp's pieces: nothing yet, part of a line, the rest.
				pieces = []string{"", string(old[:len(old)/3+5]), string(old[len(old)/3+5 : len(old)-20]), string(old[len(old)-20:])}
			}
			f, err := os.OpenFile(p, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
			mustDo(t, err)
			defer f.Close()
			var written string
			for i, piece := range pieces {
				_, err := f.WriteString(piece)
				mustDo(t, err)
				written += piece
				s.wait(followPoll)
				if i < len(pieces)-1 || tc.wait > 0 { // not told yet
					s.wantState(fmt.Sprintf("piece %d written", i+1), StateRotated, open)
					if diff := cmp.Diff(linesT(1, 30), s.got); diff != "" {
						t.Fatalf("piece %d written: lines read (-want +got):\n%s", i+1, diff)
					}
				}
			}
			s.wait(tc.wait)
			s.wantState("the new file told", tc.state, open)
			want := linesT(1, 30)
			if tc.whole {
				want = append(want, strings.Split(strings.TrimSuffix(written, "\n"), "\n")...)
			}
			s.wantLines("at the end", want)
		})
	}
}
