package sources

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// Live QA s25 #1 (repro-1): "fivexx w/real/late.log w/alias/late.log",
// w/alias a link to w/real, late.log not there yet. Once 20 real HAProxy
// lines were written both inputs said "following" and every count was
// doubled: givenTwice compares the inputs at start only, when a missing
// file has no identity. The same with a dangling link to the file.
func TestFollowSameFileUnderTwoNamesAppearingLater(t *testing.T) {
	lines := strings.Split(strings.TrimSuffix(string(mustRead(t, "../testdata/recordings/haproxy/access.log")), "\n"), "\n")[:25]
	for _, tt := range []struct {
		name string
		// names makes the directory's two names of one file to come.
		names func(t *testing.T, dir string) (real, alias string)
	}{
		{"link to its directory", func(t *testing.T, dir string) (string, string) {
			mustDo(t, os.Mkdir(filepath.Join(dir, "real"), 0o755))
			mustDo(t, os.Symlink("real", filepath.Join(dir, "alias")))
			return filepath.Join(dir, "real", "late.log"), filepath.Join(dir, "alias", "late.log")
		}},
		{"dangling link to the file", func(t *testing.T, dir string) (string, string) {
			mustDo(t, os.Symlink("late.log", filepath.Join(dir, "link.log")))
			return filepath.Join(dir, "late.log"), filepath.Join(dir, "link.log")
		}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			real, alias := tt.names(t, t.TempDir())
			files := NewOpenFiles()
			a := newStepFollowerWith(t, 0, real, FollowOptions{Files: files})
			b := newStepFollowerWith(t, 1, alias, FollowOptions{Files: files})
			a.wantState("before the file", "waiting for file", 0)
			b.wantState("before the file", "waiting for file", 0)
			mustDo(t, os.WriteFile(real, []byte(strings.Join(lines[:20], "\n")+"\n"), 0o644))
			a.wait(followPoll)
			b.wait(followPoll)
			w, err := os.OpenFile(real, os.O_WRONLY|os.O_APPEND, 0)
			mustDo(t, err)
			defer w.Close()
			_, err = w.WriteString(strings.Join(lines[20:], "\n") + "\n")
			mustDo(t, err)
			b.wait(followPoll)
			a.wait(followPoll)
			if diff := cmp.Diff(lines, a.got); diff != "" {
				t.Errorf("lines read under %s (-want +got):\n%s", real, diff)
			}
			if len(b.got) != 0 {
				t.Errorf("%d lines read again under %s", len(b.got), alias)
			}
			b.wantState("the file there", "same file as "+real+": not read twice", 0)
			a.wantState("the file there", StateFollowing, 0)
		})
	}
}

// Rotated under the two names (rename and create), the new file is read
// once too, by whichever input opens it first; the old one is read to its
// end by the input that had it.
func TestFollowSameFileUnderTwoNamesRotated(t *testing.T) {
	dir := t.TempDir()
	mustDo(t, os.Mkdir(filepath.Join(dir, "real"), 0o755))
	mustDo(t, os.Symlink("real", filepath.Join(dir, "alias")))
	real, alias := filepath.Join(dir, "real", "access.log"), filepath.Join(dir, "alias", "access.log")
	files := NewOpenFiles()
	a := newStepFollowerWith(t, 0, real, FollowOptions{Files: files})
	b := newStepFollowerWith(t, 1, alias, FollowOptions{Files: files})
	w := newLogWriter(t, real)
	w.write(3)
	a.wait(followPoll)
	b.wait(followPoll)
	mustDo(t, os.Rename(real, real+".1"))
	w.write(2) // still into access.log.1
	w.reopen() // a new access.log
	w.write(4)
	b.wait(followPoll) // the alias opens the new file first
	a.wait(followPoll)
	want := []string{"T1 GET /1", "T2 GET /2", "T3 GET /3", "T4 GET /4", "T5 GET /5"}
	if diff := cmp.Diff(want, a.got); diff != "" {
		t.Errorf("lines read under %s (-want +got):\n%s", real, diff)
	}
	if diff := cmp.Diff([]string{"T6 GET /6", "T7 GET /7", "T8 GET /8", "T9 GET /9"}, b.got); diff != "" {
		t.Errorf("lines read under %s (-want +got):\n%s", alias, diff)
	}
	if got := a.ff.in.State(); got != "same file as "+alias+": not read twice" {
		t.Errorf("state of %s: %q", real, got)
	}
}

// newStepFollowerWith is newStepFollower for input number i with opt.
func newStepFollowerWith(t *testing.T, i int, p string, opt FollowOptions) *stepFollower {
	t.Helper()
	s := &stepFollower{t: t, now: time.Date(2026, 11, 22, 10, 47, 0, 0, time.UTC)}
	s.ff = newFileFollower(context.Background(), NewInput(i, proxySpec(p)), nil, opt, os.Open)
	s.ff.emit = func(l []byte, _ bool) error {
		s.got = append(s.got, string(l))
		return nil
	}
	t.Cleanup(s.ff.closeAll)
	mustDo(t, s.ff.step(s.now))
	return s
}

func mustRead(t *testing.T, p string) []byte {
	t.Helper()
	b, err := os.ReadFile(p)
	mustDo(t, err)
	return b
}

// Live QA s28 #3: "fivexx access.log access.log.1", both there; logrotate
// renames access.log over access.log.1. access.log.1's input says its
// file is access.log's ("same file as …: not read twice") until that
// input lets it go, then reads it on from its end; it said "rotated", as
// if it read a new file, where it takes over the one it named. Then it
// says "following", not "following +rotated" for the minute its own
// renamed-over file was kept.
func TestFollowTakesOverAFileAnotherInputLetGo(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "access.log")
	mustDo(t, os.WriteFile(p, nil, 0o644))
	mustDo(t, os.WriteFile(p+".1", []byte("T0 GET /0\n"), 0o644))
	files := NewOpenFiles()
	a := newStepFollowerWith(t, 0, p, FollowOptions{Files: files, FromStart: true})
	b := newStepFollowerWith(t, 1, p+".1", FollowOptions{Files: files, FromStart: true})
	w := newLogWriter(t, p)
	w.write(4)
	a.wait(followPoll)
	b.wait(followPoll)
	rotateRename(t, p)
	w.reopen()
	w.write(2)
	a.wait(followPoll)
	b.wait(followPoll)
	b.wantState("renamed over it", StateSameFile+p+": not read twice", 1)
	for range drainQuiet / followPoll {
		a.wait(followPoll)
		b.wait(followPoll)
	}
	a.wantState("access.log let the renamed file go", StateFollowing, 0)
	b.wantState("access.log let the renamed file go", StateTakenOver+p+": not read again", 1)
	// Its own file renamed over (deleted, quiet since) is let go with the
	// takeover, whose writer has moved on: once the event has been shown,
	// the state is "following". It said "following +rotated" for up to a
	// minute more (drainDeletedQuiet), while nothing was left to read.
	b.wait(eventHold + followPoll)
	b.wantState("the takeover shown", StateFollowing, 0)
	if diff := cmp.Diff(linesT(1, 6), a.got); diff != "" {
		t.Errorf("lines read under %s (-want +got):\n%s", p, diff)
	}
	if diff := cmp.Diff([]string{"T0 GET /0"}, b.got); diff != "" {
		t.Errorf("lines read under %s.1 (-want +got):\n%s", p, diff)
	}
}
