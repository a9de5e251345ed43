package sources

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// These tests step a fileFollower by hand on a fake clock (no sleeps, no
// timed assertions): each step is one poll, followPoll later than the
// last, as followFile's loop makes them.

// stepFollower is a fileFollower and the lines it read.
type stepFollower struct {
	t   *testing.T
	ff  *fileFollower
	now time.Time
	got []string
}

// newStepFollower follows p from its end (live mode), as of a first step.
func newStepFollower(t *testing.T, p string) *stepFollower {
	t.Helper()
	return newStepFollowerWith(t, 0, p, FollowOptions{})
}

// newEmptyLogFollower makes an empty access.log in a temporary directory
// and follows it.
func newEmptyLogFollower(t *testing.T) (string, *stepFollower) {
	t.Helper()
	p := filepath.Join(t.TempDir(), "access.log")
	mustDo(t, os.WriteFile(p, nil, 0o644))
	return p, newStepFollower(t, p)
}

// wait steps every followPoll for d of the fake clock.
func (s *stepFollower) wait(d time.Duration) {
	s.t.Helper()
	for end := s.now.Add(d); s.now.Before(end); {
		s.now = s.now.Add(followPoll)
		mustDo(s.t, s.ff.step(s.now))
	}
}

// wantState checks the input's state and how many rotated-away files are open.
func (s *stepFollower) wantState(when, state string, old int) {
	s.t.Helper()
	if got := s.ff.in.State(); got != state || len(s.ff.old) != old {
		s.t.Errorf("%s: state %q with %d rotated files open, want %q with %d", when, got, len(s.ff.old), state, old)
	}
}

// writeLines appends lines one write each, as a server does, to the file
// w has open (the renamed one until reopen).
func (w *logWriter) writeLines(lines []string) {
	w.t.Helper()
	for _, l := range lines {
		if _, err := w.f.WriteString(l + "\n"); err != nil {
			w.t.Fatal(err)
		}
	}
}

// recordedLines reads a file of testdata/rotation.
func recordedLines(t *testing.T, name string) []string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("..", "testdata", "rotation", name))
	mustDo(t, err)
	return strings.Split(strings.TrimSuffix(string(data), "\n"), "\n")
}

// Live QA s23 #5: logrotate renames access.log and creates an empty one;
// the site is quiet for 7 s; nginx writes 30 more lines to access.log.1,
// as it does until its USR1, which comes 2 s later; then it writes to
// access.log. The renamed file was let go after 5 s of quiet, so its 30
// lines (17 of the repro's 5xx) were never read, silently.
func TestFollowReadsTheRenamedFileUntilItsWriterMoves(t *testing.T) {
	old := recordedLines(t, "late-reopen/access.log.1")
	newer := recordedLines(t, "late-reopen/access.log")
	before, after := old[:30], old[30:]
	p, s := newEmptyLogFollower(t)
	w := newLogWriter(t, p)
	w.writeLines(before)
	s.wait(followPoll)
	rotateRename(t, p)
	s.wait(followPoll)
	s.wantState("just rotated", StateRotated, 1)
	s.wait(7 * time.Second) // a quiet night
	s.wantState("after 7 s of quiet, the new file empty", stateFollowingRotated+noteNewFileEmpty, 1)
	w.writeLines(after) // into access.log.1: nginx has not reopened yet
	s.wait(2 * time.Second)
	w.reopen() // USR1
	w.writeLines(newer)
	s.wait(followPoll)
	s.wantState("the writer moved, the old file quiet for 2 s", stateFollowingRotated, 1)
	s.wait(drainQuiet)
	s.wantState("the old file quiet for 5 s after the writer moved", StateFollowing, 0)
	want := append(append(append([]string(nil), before...), after...), newer...)
	s.wantLines("at the end", want)
}

// The rotated-away files kept open are bounded: at most maxDraining, and
// a deleted one (whose disk space it holds) for drainDeletedQuiet of quiet
// when the new file stays empty; a renamed one waits for the new file's
// first bytes however long that takes.
func TestFollowBoundsTheRotatedFilesKept(t *testing.T) {
	start := func(t *testing.T) (*stepFollower, *logWriter, string) {
		p, s := newEmptyLogFollower(t)
		w := newLogWriter(t, p)
		w.write(2)
		s.wait(followPoll)
		return s, w, p
	}
	t.Run("renamed, new file empty for an hour", func(t *testing.T) {
		s, w, p := start(t)
		rotateRename(t, p)
		s.wait(time.Hour)
		s.wantState("an hour on", stateFollowingRotated+noteNewFileEmpty, 1)
		w.write(1) // the writer's first line after the rotation, an hour late
		s.wait(followPoll)
		if n := len(s.got); n != 3 {
			t.Fatalf("read %d lines, want 3: %q", n, s.got)
		}
	})
	t.Run("deleted, new file empty", func(t *testing.T) {
		s, _, p := start(t)
		rotateRename(t, p)
		mustDo(t, os.Remove(p+".1")) // compressed and removed
		s.wait(followPoll)           // the rotation seen
		s.wait(drainDeletedQuiet - followPoll)
		s.wantState("deleted, quiet for less than drainDeletedQuiet", stateFollowingRotated+noteNewFileEmpty, 1)
		s.wait(followPoll)
		s.wantState("deleted, quiet for drainDeletedQuiet", StateFollowing, 0)
	})
	t.Run("rotated again and again, the writer never reopening", func(t *testing.T) {
		s, _, p := start(t)
		for i := range maxDraining + 2 {
			mustDo(t, os.Rename(p, p+"."+string(rune('a'+i))))
			mustDo(t, os.WriteFile(p, nil, 0o644))
			s.wait(followPoll)
		}
		s.wait(eventHold)
		s.wantState("after maxDraining+2 rotations", "following +4 rotated (new file still empty)", maxDraining)
	})
}

// Live QA s25 #4: nginx's recipe is mv access.log access.log.0, then
// USR1. Between the two the state said "waiting for file" beside 62.8
// lines/s still read from the renamed file; it says both now.
func TestFollowRenamedBeforeTheNewFileIsThere(t *testing.T) {
	p, s := newEmptyLogFollower(t)
	w := newLogWriter(t, p)
	w.write(3)
	s.wait(followPoll)
	mustDo(t, os.Rename(p, p+".0"))
	w.write(2) // nginx writes on into access.log.0 until its USR1
	s.wait(followPoll)
	s.wantState("renamed", "following +rotated (new file not there yet)", 1)
	w.write(2)
	s.wait(time.Second)
	s.wantState("a second on", "following +rotated (new file not there yet)", 1)
	if n := len(s.got); n != 7 {
		t.Fatalf("read %d lines, want 7", n)
	}
	w.reopen() // USR1: nginx creates access.log
	w.write(1)
	s.wait(followPoll)
	s.wantState("reopened", StateRotated, 1)
	s.wait(eventHold + drainQuiet)
	s.wantState("the old file let go", StateFollowing, 0)
	if n := len(s.got); n != 8 {
		t.Fatalf("read %d lines, want 8", n)
	}
}

// Live QA s27 #1: `rm access.log` said "following +rotated (new file not
// there yet)", as a rename does. The descriptor still open tells the two
// apart: a deleted file has no name left. A rename (logrotate's, nginx's
// mv then USR1) still says what it said.
func TestFollowTellsADeletionFromARename(t *testing.T) {
	const renamedNote = stateFollowingRotated + " (new file not there yet)"
	start := func(t *testing.T) (*stepFollower, *logWriter, string) {
		p := filepath.Join(t.TempDir(), "access.log")
		mustDo(t, os.WriteFile(p, nil, 0o644))
		st, err := os.Stat(p)
		mustDo(t, err)
		if _, ok := linkCount(st); !ok {
			t.Fatal("link counts are not known here: a deletion cannot be told from a rename")
		}
		s := newStepFollower(t, p)
		w := newLogWriter(t, p)
		w.write(50)
		s.wait(followPoll)
		return s, w, p
	}
	t.Run("deleted", func(t *testing.T) {
		s, w, p := start(t)
		mustDo(t, os.Remove(p))
		s.wait(followPoll)
		s.wantState("just deleted", StateDeleted, 1)
		w.write(2) // its writer still has it open
		s.wait(followPoll)
		s.wantState("its writer writes on", StateDeleted, 1)
		s.wait(drainDeletedQuiet)
		s.wantState("the deleted file let go", StateDeleted, 0)
		w.reopen() // re-created
		w.write(1)
		s.wait(followPoll)
		s.wantState("re-created", StateRotated, 0)
		s.wait(eventHold)
		s.wantState("re-created, 3 s on", StateFollowing, 0)
		if n := len(s.got); n != 53 {
			t.Fatalf("read %d lines, want 53", n)
		}
	})
	t.Run("renamed", func(t *testing.T) {
		s, _, p := start(t)
		mustDo(t, os.Rename(p, p+".0"))
		s.wait(followPoll)
		s.wantState("just renamed", renamedNote, 1)
		s.wait(drainDeletedQuiet)
		s.wantState("a minute on", renamedNote, 1)
	})
	t.Run("renamed, then removed", func(t *testing.T) {
		s, _, p := start(t)
		mustDo(t, os.Rename(p, p+".0"))
		s.wait(followPoll)
		mustDo(t, os.Remove(p+".0")) // compressed and removed before a new file
		s.wait(followPoll)
		s.wantState("the renamed file removed", StateDeleted, 1)
	})
	t.Run("renamed and created", func(t *testing.T) {
		s, _, p := start(t)
		rotateRename(t, p)
		s.wait(followPoll)
		s.wantState("rotated", StateRotated, 1)
	})
}
