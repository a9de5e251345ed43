package sources

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// restartedWriter writes numbered lines tagged with its name the way a
// restarted HAProxy writes its `log stdout` to a file opened with ">>":
// HAProxy sets the descriptor non-blocking with F_SETFL, which drops
// O_APPEND, so it writes from offset 0 over the old lines, one write a
// line, and the file keeps its size until it passes the old end.
type restartedWriter struct {
	t    *testing.T
	f    *os.File
	tag  string
	next int
	all  []string
}

func newRestartedWriter(t *testing.T, p, tag string) *restartedWriter {
	t.Helper()
	f, err := os.OpenFile(p, os.O_WRONLY, 0) // no O_APPEND, no O_TRUNC: offset 0
	mustDo(t, err)
	t.Cleanup(func() { f.Close() })
	return &restartedWriter{t: t, f: f, tag: tag, next: 1}
}

func (w *restartedWriter) write(n int) {
	w.t.Helper()
	for range n {
		l := fmt.Sprintf("T%d GET /%s/%d", w.next, w.tag, w.next)
		if _, err := w.f.WriteString(l + "\n"); err != nil {
			w.t.Fatal(err)
		}
		w.all = append(w.all, l)
		w.next++
	}
}

// oldLog writes n lines tagged old with O_APPEND, as the first process.
func oldLog(t *testing.T, n int) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "haproxy.log")
	var b strings.Builder
	for i := 1; i <= n; i++ {
		fmt.Fprintf(&b, "T%d GET /old/%d\n", i, i)
	}
	mustDo(t, os.WriteFile(p, []byte(b.String()), 0o644))
	return p
}

// Live QA s25 #2 (repro-4): a writer restarted on a descriptor without
// O_APPEND writes the file again from its start without cutting it. The
// size stays and the bytes before the read offset too, so nothing was read
// until it wrote past the old end, minutes later (17,000 lines at once,
// after their app lines were gone). Its lines are read as they come, once,
// and none of the old ones again, whether its lines are as long as the old
// ones (their newlines in the same places), shorter or longer.
func TestFollowRewrittenFromTheStart(t *testing.T) {
	for _, tag := range []string{"new", "n", "restarted"} {
		t.Run(tag, func(t *testing.T) {
			p := oldLog(t, 200)
			size := fileSize(t, p)
			s := newStepFollower(t, p) // live: from the end
			w := newRestartedWriter(t, p, tag)
			w.write(3)
			s.wait(followPoll)
			if fileSize(t, p) != size {
				t.Fatal("the file grew: not a rewrite")
			}
			s.wantLines("3 lines written over the start", w.all)
			s.wantState("3 lines written over the start", StateRewritten, 0)
			w.write(1)
			s.wait(followPoll)
			w.write(20)
			s.wait(followPoll)
			s.wantLines("24 lines", w.all)
			s.wait(eventHold)
			s.wantState("3 s on", StateFollowing, 0)
			for fileSize(t, p) == size {
				w.write(10)
				s.wait(followPoll)
			}
			w.write(5)
			s.wait(followPoll)
			s.wantLines("past the old end", w.all)
			if s.ff.cur.redo != nil {
				t.Error("still reading a rewrite past the old end")
			}
		})
	}
}

// The new writer has written more than headLen before the first look: the
// lines within the head are read at once, the rest with its next line.
// Restarted again before reaching the old end, it is read from the start
// again; cut (copytruncate), it is read from the start as truncated.
func TestFollowRewrittenTwiceAndCut(t *testing.T) {
	p := oldLog(t, 2000)
	s := newStepFollower(t, p)
	w := newRestartedWriter(t, p, "second")
	w.write(400) // about 9 KiB
	s.wait(followPoll)
	if n := len(s.got); n == 0 || n >= 400 || !strings.Contains(s.got[n-1], "/second/") {
		t.Fatalf("read %d lines at first, want those within the first %d bytes", n, headLen)
	}
	w.write(1)
	s.wait(followPoll)
	s.wantLines("the next line", w.all)

	s.got = nil
	w3 := newRestartedWriter(t, p, "third")
	w3.write(5)
	s.wait(followPoll)
	s.wantLines("restarted again", w3.all)
	s.wantState("restarted again", StateRewritten, 0)

	s.got = nil
	mustDo(t, os.Truncate(p, 0))
	w4 := newLogWriter(t, p)
	w4.write(3)
	s.wait(followPoll)
	s.wantLines("cut", []string{"T1 GET /1", "T2 GET /2", "T3 GET /3"})
	s.wantState("cut", StateTruncatedNoCopy, 0) // a plain truncate: no copy
	if s.ff.cur.redo != nil {
		t.Error("still reading a rewrite after the cut")
	}
}

// Live QA s25 #3 (repro-3): after copytruncate a writer without O_APPEND
// goes on at its old offset, so the file starts with that many NULs glued
// to its first new line; 1 MiB of them or more cut that line and lost it.
func TestFollowCopyTruncateOfAWriterWithoutAppend(t *testing.T) {
	p := oldLog(t, 60000) // 1.3 MB
	size := fileSize(t, p)
	f, err := os.OpenFile(p, os.O_WRONLY, 0)
	mustDo(t, err)
	defer f.Close()
	_, err = f.Seek(0, 2)
	mustDo(t, err)
	s := newStepFollower(t, p)
	rotateCopyTruncate(t, p)
	_, err = f.WriteString("T1 GET /after/1\nT2 GET /after/2\n")
	mustDo(t, err)
	s.wait(followPoll)
	s.wantLines("after the truncation", []string{"T1 GET /after/1", "T2 GET /after/2"})
	s.wantState("after the truncation", fmt.Sprintf("skipped %d NUL bytes (copytruncate)", size), 0)
}

// wantLines checks every line read so far.
func (s *stepFollower) wantLines(when string, want []string) {
	s.t.Helper()
	if diff := cmp.Diff(want, s.got); diff != "" {
		s.t.Fatalf("%s: lines read (-want +got):\n%s", when, diff)
	}
}
