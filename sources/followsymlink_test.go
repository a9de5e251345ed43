package sources

import (
	"os"
	"path/filepath"
	"testing"
)

// Live QA s35 (repro_symlink_copytruncate.sh): access.log is a symlink to
// real/access.log; copytruncate (logrotate is given the target) copies
// real/access.log to real/access.log.1 and truncates it. The copy was
// looked for beside the link, under the link's name, never found: the
// lines written after the last read and before the truncation were lost
// without a word (651 of 750 502s on screen through the link, 750 through
// the target).

// symlinkedLog makes the file a followed path names through symlinks, in
// a temporary directory: the path followed and the file written.
type symlinkedLog struct {
	name   string
	layout func(t *testing.T, dir string) (path, target string)
}

var symlinkedLogs = []symlinkedLog{
	{"relative link", func(t *testing.T, dir string) (string, string) {
		mustDo(t, os.Mkdir(filepath.Join(dir, "real"), 0o755))
		mustDo(t, os.Symlink("real/access.log", filepath.Join(dir, "access.log")))
		return filepath.Join(dir, "access.log"), filepath.Join(dir, "real", "access.log")
	}},
	{"absolute link", func(t *testing.T, dir string) (string, string) {
		target := filepath.Join(dir, "var", "log", "nginx", "access.log")
		mustDo(t, os.MkdirAll(filepath.Dir(target), 0o755))
		mustDo(t, os.Symlink(target, filepath.Join(dir, "proxy.log")))
		return filepath.Join(dir, "proxy.log"), target
	}},
	// Two links, the second relative to its own directory, not to the
	// first link's: links/current -> ../real/access.log.
	{"chain of two links", func(t *testing.T, dir string) (string, string) {
		mustDo(t, os.Mkdir(filepath.Join(dir, "real"), 0o755))
		mustDo(t, os.Mkdir(filepath.Join(dir, "links"), 0o755))
		mustDo(t, os.Symlink("../real/access.log", filepath.Join(dir, "links", "current")))
		mustDo(t, os.Symlink("links/current", filepath.Join(dir, "access.log")))
		return filepath.Join(dir, "access.log"), filepath.Join(dir, "real", "access.log")
	}},
	// A link to the directory: the copy is beside the path's name already.
	{"link to the directory", func(t *testing.T, dir string) (string, string) {
		mustDo(t, os.Mkdir(filepath.Join(dir, "real"), 0o755))
		mustDo(t, os.Symlink("real", filepath.Join(dir, "logs")))
		return filepath.Join(dir, "logs", "access.log"), filepath.Join(dir, "real", "access.log")
	}},
}

// newSymlinkedFollower lays out l, creates its file empty and follows
// it through its links.
func newSymlinkedFollower(t *testing.T, l symlinkedLog) (target string, s *stepFollower) {
	t.Helper()
	path, target := l.layout(t, t.TempDir())
	mustDo(t, os.WriteFile(target, nil, 0o644))
	return target, newStepFollower(t, path)
}

func TestFollowCopyTruncateThroughASymlink(t *testing.T) {
	for _, l := range symlinkedLogs {
		t.Run(l.name, func(t *testing.T) {
			target, s := newSymlinkedFollower(t, l)
			w := newLogWriter(t, target)
			w.write(10)
			s.wait(followPoll)
			w.write(5) // not read before the copy: only in real/access.log.1
			rotateCopyTruncate(t, target)
			w.write(3)
			s.wait(followPoll)
			s.wantLines("after the copytruncate", linesT(1, 18))
			s.wantState("after the copytruncate", StateTruncated, 0)
			w.write(2)
			rotateCopyTruncate(t, target) // again: real/access.log.1 overwritten
			w.write(1)
			s.wait(followPoll)
			s.wantLines("after a second copytruncate", linesT(1, 21))
		})
	}
}

// logrotate's default (rename, create) through a link: the target is
// renamed to real/access.log.1, a new one created under its name; the
// writer writes on to the renamed one until it reopens.
func TestFollowRenameRotationThroughASymlink(t *testing.T) {
	for _, l := range symlinkedLogs {
		t.Run(l.name, func(t *testing.T) {
			target, s := newSymlinkedFollower(t, l)
			w := newLogWriter(t, target)
			w.write(10)
			s.wait(followPoll)
			rotateRename(t, target)
			w.write(5) // into real/access.log.1: not reopened yet
			s.wait(followPoll)
			s.wantState("just rotated", StateRotated, 1)
			w.reopen()
			w.write(4)
			s.wait(followPoll)
			s.wantLines("after the reopen", linesT(1, 19))
			s.wait(drainQuiet + followPoll)
			s.wantState("the old file let go", StateFollowing, 0)
		})
	}
}

// A link switched to a new file while followed (a new release's log): the
// new file is read from its start; a copytruncate of it then keeps its
// unread lines in a copy beside it, not beside the old target. And the
// old target, still read while its writer has not moved, copytruncated:
// its copy is beside it, where the link no longer points.
func TestFollowCopyTruncateOfASwitchedSymlink(t *testing.T) {
	dir := t.TempDir()
	for _, d := range []string{"a", "b"} {
		mustDo(t, os.Mkdir(filepath.Join(dir, d), 0o755))
	}
	oldTarget, newTarget := filepath.Join(dir, "a", "app.log"), filepath.Join(dir, "b", "app.log")
	link := filepath.Join(dir, "app.log")
	mustDo(t, os.WriteFile(oldTarget, nil, 0o644))
	mustDo(t, os.Symlink("a/app.log", link))
	s := newStepFollower(t, link)
	oldW := newLogWriter(t, oldTarget)
	oldW.write(10)
	s.wait(followPoll)

	pointLink(t, "b/app.log", link)
	newW := newLogWriter(t, newTarget)
	newW.next = 101
	newW.write(4)
	s.wait(followPoll)
	s.wantState("switched", StateRotated, 1)
	s.wantLines("switched", append(linesT(1, 10), linesT(101, 104)...))

	oldW.write(3) // 11–13: the old writer goes on, unread before the copy
	newW.write(2) // 105–106, unread before the copy
	rotateCopyTruncate(t, oldTarget)
	rotateCopyTruncate(t, newTarget)
	oldW.write(1) // 14
	newW.write(1) // 107
	s.wait(followPoll)
	want := append(linesT(1, 10), linesT(101, 104)...)
	want = append(append(want, linesT(11, 14)...), linesT(105, 107)...)
	s.wantLines("both copytruncated", want)
}

// copytruncate with olddir (the copy in another directory), or compress
// without delaycompress (access.log.1.gz only): no copy is found, and the
// lines written after the last read and before the cut are lost. The state
// says so; it said "truncated", as when nothing was lost.
func TestFollowCopyTruncateWithoutACopySaysLinesMayBeLost(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "access.log")
	olddir := filepath.Join(dir, "old")
	mustDo(t, os.Mkdir(olddir, 0o755))
	mustDo(t, os.WriteFile(p, nil, 0o644))
	s := newStepFollower(t, p)
	w := newLogWriter(t, p)
	w.write(10)
	s.wait(followPoll)
	w.write(5) // lost: only in old/access.log.1
	mustDo(t, os.WriteFile(filepath.Join(olddir, "access.log.1"), mustRead(t, p), 0o644))
	mustDo(t, os.Truncate(p, 0))
	w.write(3)
	s.wait(followPoll)
	s.wantLines("after the cut", append(linesT(1, 10), linesT(16, 18)...))
	s.wantState("after the cut", StateTruncatedNoCopy, 0)
	s.wait(eventHold)
	s.wantState("3 s later", StateFollowing, 0)
}
