package sources

import (
	"fmt"
	"os"
	"path/filepath"
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
	if diff := cmp.Diff(linesT(1, 12), s.got); diff != "" {
		t.Fatalf("lines read (-want +got):\n%s", diff)
	}
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
	if diff := cmp.Diff(linesT(1, 33), s.got); diff != "" {
		t.Fatalf("lines read (-want +got):\n%s", diff)
	}
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
		if diff := cmp.Diff(linesT(1, 8), s.got); diff != "" {
			t.Fatalf("lines read (-want +got):\n%s", diff)
		}
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
		if diff := cmp.Diff(linesT(1, 8), s.got); diff != "" {
			t.Fatalf("lines read (-want +got):\n%s", diff)
		}
	})
	t.Run("moved away and back, the same file", func(t *testing.T) {
		s, w, p, _ := start(t)
		mustDo(t, os.Rename(p, p+".away"))
		s.wait(followPoll)
		mustDo(t, os.Rename(p+".away", p))
		w.write(2)
		s.wait(followPoll)
		s.wantState("moved back", StateSameFileBack, 0)
		if diff := cmp.Diff(linesT(1, 8), s.got); diff != "" {
			t.Fatalf("lines read (-want +got):\n%s", diff)
		}
	})
	t.Run("a new file starting with the same lines, shorter than what was read", func(t *testing.T) {
		s, _, p, _ := start(t)
		data, err := os.ReadFile(p)
		mustDo(t, err)
		mustDo(t, os.Rename(p, p+".1"))
		mustDo(t, os.WriteFile(p, data[:len(data)/2], 0o644))
		s.wait(followPoll)
		s.wantState("replaced", StateRotated, 1)
		if n := len(s.got); n != 9 {
			t.Fatalf("read %d lines, want 9 (the new file read from its start): %q", n, s.got)
		}
	})
}
