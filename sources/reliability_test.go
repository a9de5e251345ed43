package sources

import (
	"bytes"
	"compress/gzip"
	"context"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// These tests put a followed file through the faults of a live server (log
// rotation, truncation, deletion, unreadable paths, long and broken lines,
// commands and pipes that end) and count lines: every line written after
// following started must arrive exactly once. Lines are "T<n> GET /<n>",
// numbered from 1 by logWriter; lines that existed before are numbered from
// 9000 and must not arrive.

// waitDeadline bounds every wait; the conditions normally hold within a
// poll or two (followPoll).
const waitDeadline = 10 * time.Second

// waitUntil polls cond until it holds or the deadline passes; then it fails
// with what it waited for and why (evaluated then).
func waitUntil(t *testing.T, what string, cond func() bool, why ...func() string) {
	t.Helper()
	deadline := time.Now().Add(waitDeadline)
	for !cond() {
		if time.Now().After(deadline) {
			msg := fmt.Sprintf("timed out after %s waiting for %s", waitDeadline, what)
			for _, w := range why {
				msg += "; " + w()
			}
			t.Fatal(msg)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// followRun is one input being followed, with the raw lines it delivered.
type followRun struct {
	t      *testing.T
	in     *Input
	cancel context.CancelFunc
	done   chan struct{}
	err    error

	mu  sync.Mutex
	got []string
}

// startRun runs follow (Follow or followFile) on in and collects its records.
func startRun(t *testing.T, in *Input, follow func(ctx context.Context, out chan<- Item) error) *followRun {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	r := &followRun{t: t, in: in, cancel: cancel, done: make(chan struct{})}
	out := make(chan Item, 64)
	collected := make(chan struct{})
	go func() {
		defer close(collected)
		for it := range out {
			r.mu.Lock()
			r.got = append(r.got, it.Rec.RawLine())
			r.mu.Unlock()
		}
	}()
	go func() {
		r.err = follow(ctx, out)
		close(out)
		<-collected
		close(r.done)
	}()
	t.Cleanup(r.stop)
	return r
}

// startFollow follows a spec with Follow.
func startFollow(t *testing.T, spec Spec, opt FollowOptions, restart bool) *followRun {
	t.Helper()
	in := NewInput(0, spec)
	return startRun(t, in, func(ctx context.Context, out chan<- Item) error {
		return Follow(ctx, in, out, opt, restart)
	})
}

// stop ends the run and waits for Follow to return.
func (r *followRun) stop() {
	r.cancel()
	select {
	case <-r.done:
	case <-time.After(waitDeadline):
		r.t.Errorf("Follow did not return %s after its context ended", waitDeadline)
	}
}

func (r *followRun) lines() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]string(nil), r.got...)
}

func (r *followRun) waitLines(n int) {
	r.t.Helper()
	waitUntil(r.t, fmt.Sprintf("%d lines", n), func() bool { return len(r.lines()) >= n }, r.status)
}

func (r *followRun) waitState(substr string) {
	r.t.Helper()
	waitUntil(r.t, fmt.Sprintf("a state with %q", substr), func() bool { return strings.Contains(r.in.State(), substr) }, r.status)
}

// status says where the run is, for failure messages.
func (r *followRun) status() string {
	return fmt.Sprintf("state %q, %d lines so far", r.in.State(), len(r.lines()))
}

// exactlyOnce checks that every line w wrote arrived exactly once and
// nothing else did. It first writes one more line and waits for it: lines
// are read in file order, so a line read twice or late from before it has
// arrived by then.
func (r *followRun) exactlyOnce(w *logWriter) {
	r.t.Helper()
	w.write(1)
	n := w.written()
	barrier := fmt.Sprintf("T%d GET /%d", n, n)
	waitUntil(r.t, fmt.Sprintf("line %d", n), func() bool { return slices.Contains(r.lines(), barrier) }, r.status)
	count := map[int]int{}
	var other []string
	for _, l := range r.lines() {
		num, ok := lineNumber(l)
		if !ok || num < 1 || num > n {
			other = append(other, cut(l, 40))
			continue
		}
		count[num]++
	}
	var missing, twice []int
	for i := 1; i <= n; i++ {
		switch {
		case count[i] == 0:
			missing = append(missing, i)
		case count[i] > 1:
			twice = append(twice, i)
		}
	}
	if len(missing)+len(twice)+len(other) > 0 {
		r.t.Fatalf("lines 1..%d: missing %v, read twice %v, unexpected %q", n, missing, twice, other)
	}
}

// lineNumber reads n from "T<n> GET /<n>".
func lineNumber(l string) (int, bool) {
	num, _, ok := strings.Cut(strings.TrimPrefix(l, "T"), " ")
	if !ok {
		return 0, false
	}
	n, err := strconv.Atoi(num)
	return n, err == nil
}

// logWriter appends numbered lines to a log file the way a server does:
// O_APPEND, one write per line, the file kept open across rotations until
// reopen is called (nginx's USR1, logrotate's postrotate).
type logWriter struct {
	t    *testing.T
	path string
	f    *os.File
	next int
}

func newLogWriter(t *testing.T, path string) *logWriter {
	t.Helper()
	w := &logWriter{t: t, path: path, next: 1}
	w.reopen()
	t.Cleanup(func() { w.f.Close() })
	return w
}

// write appends n lines.
func (w *logWriter) write(n int) {
	w.t.Helper()
	for range n {
		if _, err := fmt.Fprintf(w.f, "T%d GET /%d\n", w.next, w.next); err != nil {
			w.t.Fatal(err)
		}
		w.next++
	}
}

// written is how many lines have been written.
func (w *logWriter) written() int { return w.next - 1 }

// reopen opens the path again, creating it if needed.
func (w *logWriter) reopen() {
	w.t.Helper()
	if w.f != nil {
		w.f.Close()
	}
	f, err := os.OpenFile(w.path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644)
	if err != nil {
		w.t.Fatal(err)
	}
	w.f = f
}

// rotateRename does what logrotate does by default: rename the file to
// .1 and create an empty one in its place.
func rotateRename(t *testing.T, path string) {
	t.Helper()
	if err := os.Rename(path, path+".1"); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, nil, 0o644); err != nil {
		t.Fatal(err)
	}
}

// rotateCopyTruncate does what logrotate's copytruncate does: copy the file
// to .1, then truncate it in place; writers keep their descriptor.
func rotateCopyTruncate(t *testing.T, path string) {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path+".1", data, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Truncate(path, 0); err != nil {
		t.Fatal(err)
	}
}

// watchModes runs a test with inotify hints and with polling only: every
// decision must hold without the hints.
var watchModes = []struct {
	name string
	opt  FollowOptions
}{
	{"inotify", FollowOptions{}},
	{"poll", FollowOptions{Poll: true}},
}

func proxySpec(path string) Spec { return Spec{Path: path, Format: "test-proxy"} }

// existingLog makes a log with lines that were there before following started.
func existingLog(t *testing.T) string {
	t.Helper()
	return writeFile(t, "app.log", "T9000 GET /old\nT9001 GET /old\n")
}

func TestFollowRotationByRenameAndCreate(t *testing.T) {
	tests := []struct {
		name string
		// reopenLate: the server writes to the renamed file after the
		// follower has moved to the new one (nginx until its USR1);
		// otherwise it writes to the new file before the follower looks,
		// which must still be read from its start.
		reopenLate bool
	}{
		{"server reopens late", true},
		{"server reopens at once", false},
	}
	for _, tt := range tests {
		for _, mode := range watchModes {
			t.Run(tt.name+"/"+mode.name, func(t *testing.T) {
				p := existingLog(t)
				r := startFollow(t, proxySpec(p), mode.opt, false)
				r.waitState("following")
				w := newLogWriter(t, p)
				w.write(5)
				r.waitLines(5)
				rotateRename(t, p)
				if tt.reopenLate {
					r.waitState("rotated") // following the new, empty file
					w.write(3)             // still into the renamed file
				}
				w.reopen()
				w.write(5)
				r.exactlyOnce(w)
				r.waitState("rotated")
			})
		}
	}
}

func TestFollowCopyTruncate(t *testing.T) {
	tests := []struct {
		name   string
		before int // lines written just before the copy, not yet read
		after  int // lines written after the truncation
	}{
		{"fewer bytes after than before", 0, 2},
		// The file is longer than the old read offset again before the
		// follower looks: only the changed bytes before that offset tell.
		{"regrown past the old offset", 0, 40},
		// Lines written after the last read and before the truncation are
		// only in the copy (app.log.1): they are read from there.
		{"unread lines left in the copy", 5, 3},
	}
	for _, tt := range tests {
		for _, mode := range watchModes {
			t.Run(tt.name+"/"+mode.name, func(t *testing.T) {
				p := existingLog(t)
				r := startFollow(t, proxySpec(p), mode.opt, false)
				r.waitState("following")
				w := newLogWriter(t, p)
				w.write(10)
				r.waitLines(10)
				w.write(tt.before)
				rotateCopyTruncate(t, p)
				w.write(tt.after)
				r.exactlyOnce(w)
			})
		}
	}
}

func TestFollowTruncatedMidRun(t *testing.T) {
	for _, mode := range watchModes {
		t.Run(mode.name, func(t *testing.T) {
			p := existingLog(t)
			existing := fileSize(t, p) // not read: live mode starts at the end
			r := startFollow(t, proxySpec(p), mode.opt, false)
			r.waitState("following")
			w := newLogWriter(t, p)
			w.write(5)
			r.waitLines(5)
			// Line 6 is cut off by the truncation before its newline: what
			// was written of it is delivered (it will never be completed),
			// once.
			fmt.Fprintf(w.f, "T6 GET /6")
			w.next++
			waitUntil(t, "the partial line to be read", func() bool { return existing+r.in.Counters().Bytes >= fileSize(t, p) })
			if err := os.Truncate(p, 0); err != nil {
				t.Fatal(err)
			}
			w.write(6)
			r.waitState("truncated")
			r.exactlyOnce(w)
		})
	}
}

func fileSize(t *testing.T, p string) int64 {
	t.Helper()
	st, err := os.Stat(p)
	if err != nil {
		t.Fatal(err)
	}
	return st.Size()
}

func TestFollowDeletedAndRecreated(t *testing.T) {
	for _, mode := range watchModes {
		t.Run(mode.name, func(t *testing.T) {
			p := existingLog(t)
			r := startFollow(t, proxySpec(p), mode.opt, false)
			r.waitState("following")
			w := newLogWriter(t, p)
			w.write(5)
			r.waitLines(5)
			if err := os.Remove(p); err != nil {
				t.Fatal(err)
			}
			// The deleted file is still read: its writer has it open.
			r.waitState(StateDeleted)
			w.write(2) // into the deleted file, still open
			w.reopen() // re-created
			w.write(5)
			r.exactlyOnce(w)
		})
	}
}

func TestFollowFileAppearsLater(t *testing.T) {
	tests := []struct {
		name string
		rel  string // the path under a fresh directory
	}{
		{"file missing", "app.log"},
		{"directory missing", "logs/app.log"},
	}
	for _, tt := range tests {
		for _, mode := range watchModes {
			t.Run(tt.name+"/"+mode.name, func(t *testing.T) {
				p := filepath.Join(t.TempDir(), tt.rel)
				r := startFollow(t, proxySpec(p), mode.opt, false)
				r.waitState("waiting for file")
				if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
					t.Fatal(err)
				}
				w := newLogWriter(t, p)
				w.write(5) // live mode, yet read from the start: the file is new
				r.exactlyOnce(w)
				r.waitState("following")
			})
		}
	}
}

func TestFollowStartsAtEndOfExistingFile(t *testing.T) {
	// The last existing line is still being written: its rest is not a line.
	p := writeFile(t, "app.log", "T9000 GET /old\nT9001 GET /pa")
	r := startFollow(t, proxySpec(p), FollowOptions{}, false)
	r.waitState("following")
	w := newLogWriter(t, p)
	fmt.Fprintf(w.f, "rtial\n")
	w.write(3)
	r.exactlyOnce(w)
}

func TestFollowUnreadableFileRecovers(t *testing.T) {
	// Tests run as root, where chmod 000 does not stop a read, and cannot
	// drop privileges. So the open error is made three ways that work as
	// root: an injected EACCES (the error a logrotate "create 0640 root adm"
	// gives a non-root fivexx), a directory in place of the file, and a
	// parent that is not a directory. All take the same path: the state
	// shows the error and the open is retried until it works. A real chmod
	// 000 is added when the tests do not run as root.
	type fault struct {
		name      string
		wantState string
		blocked   *atomic.Bool // injected EACCES while set
		breakPath func(t *testing.T, p string)
		mendPath  func(t *testing.T, p string)
	}
	var denied atomic.Bool
	faults := []fault{
		{
			name: "permission denied at open", wantState: "permission denied", blocked: &denied,
			breakPath: func(t *testing.T, p string) { denied.Store(true); rotateRename(t, p) },
			mendPath:  func(t *testing.T, p string) { denied.Store(false) },
		},
		{
			name: "directory in place of the file", wantState: "is a directory",
			breakPath: func(t *testing.T, p string) {
				mustDo(t, os.Remove(p))
				mustDo(t, os.Mkdir(p, 0o755))
			},
			mendPath: func(t *testing.T, p string) { mustDo(t, os.Remove(p)) },
		},
		{
			name: "parent is not a directory", wantState: "not a directory",
			breakPath: func(t *testing.T, p string) {
				dir := filepath.Dir(p)
				mustDo(t, os.Rename(dir, dir+".old"))
				mustDo(t, os.WriteFile(dir, []byte("not a directory\n"), 0o644))
			},
			mendPath: func(t *testing.T, p string) {
				mustDo(t, os.Remove(filepath.Dir(p)))
				mustDo(t, os.Mkdir(filepath.Dir(p), 0o755))
			},
		},
	}
	if os.Geteuid() != 0 {
		faults = append(faults, fault{
			name: "chmod 000 on the rotated-in file", wantState: "permission denied",
			breakPath: func(t *testing.T, p string) {
				mustDo(t, os.Rename(p, p+".1"))
				mustDo(t, os.WriteFile(p, nil, 0o000))
			},
			mendPath: func(t *testing.T, p string) { mustDo(t, os.Chmod(p, 0o644)) },
		})
	}
	for _, f := range faults {
		t.Run(f.name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "logs")
			mustDo(t, os.Mkdir(dir, 0o755))
			p := filepath.Join(dir, "app.log")
			mustDo(t, os.WriteFile(p, []byte("T9000 GET /old\n"), 0o644))
			in := NewInput(0, proxySpec(p))
			r := startFollowFile(t, in, FollowOptions{}, openFailingWhile(f.blocked, syscall.EACCES))
			r.waitState("following")
			w := newLogWriter(t, p)
			w.write(3)
			r.waitLines(3)
			f.breakPath(t, p)
			r.waitState(f.wantState)
			r.waitState("retrying")
			f.mendPath(t, p)
			w.reopen()
			w.write(3)
			r.exactlyOnce(w)
			if s := in.State(); strings.Contains(s, "error") {
				t.Fatalf("state %q after recovery", s)
			}
		})
	}
}

// openFailingWhile is os.Open, but fails with errno while failing is set
// (never when failing is nil): an open error that works as root.
func openFailingWhile(failing *atomic.Bool, errno syscall.Errno) func(string) (*os.File, error) {
	return func(name string) (*os.File, error) {
		if failing != nil && failing.Load() {
			return nil, &fs.PathError{Op: "open", Path: name, Err: errno}
		}
		return os.Open(name)
	}
}

// startFollowFile follows one file of in, opening it with open.
func startFollowFile(t *testing.T, in *Input, opt FollowOptions, open func(string) (*os.File, error)) *followRun {
	t.Helper()
	return startRun(t, in, func(ctx context.Context, out chan<- Item) error {
		return followFile(ctx, in, newDecoder(in, out), opt, open)
	})
}

func mustDo(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func TestFollowLongLineIsOneCutLine(t *testing.T) {
	long := func(n int, c string) string { return "T1 GET /" + strings.Repeat(c, n-len("T1 GET /")) }
	tests := []struct {
		name        string
		pieces      []string // written one after the other, each read before the next
		wantLens    []int
		wantTooLong int64
	}{
		{"just over the limit", []string{long(MaxLineBytes+1, "x") + "\nT2 GET /2\n"}, []int{MaxLineBytes, 9}, 1},
		{"exactly the limit", []string{long(MaxLineBytes, "x") + "\r\nT2 GET /2\n"}, []int{MaxLineBytes, 9}, 0},
		{"three times the limit", []string{long(3*MaxLineBytes, "y") + "\nT2 GET /2\n"}, []int{MaxLineBytes, 9}, 1},
		{"written in pieces across reads", []string{long(MaxLineBytes/2, "a"), strings.Repeat("b", MaxLineBytes), "bbb\nT2 GET /2\n"}, []int{MaxLineBytes, 9}, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := writeFile(t, "app.log", "")
			r := startFollow(t, proxySpec(p), FollowOptions{}, false)
			r.waitState("following")
			w := newLogWriter(t, p)
			for _, piece := range tt.pieces {
				if _, err := w.f.WriteString(piece); err != nil {
					t.Fatal(err)
				}
				waitUntil(t, "the piece to be read", func() bool { return r.in.Counters().Bytes >= fileSize(t, p) })
			}
			r.waitLines(len(tt.wantLens))
			var lens []int
			for _, l := range r.lines() {
				lens = append(lens, len(l))
			}
			c := r.in.Counters()
			if diff := cmp.Diff(tt.wantLens, lens); diff != "" {
				t.Errorf("line lengths (-want +got):\n%s", diff)
			}
			if c.TooLong != tt.wantTooLong || c.Unparsed != 0 || c.Lines != int64(len(tt.wantLens)) {
				t.Errorf("counters %+v: want %d cut, 0 unparsed, %d lines", c, tt.wantTooLong, len(tt.wantLens))
			}
		})
	}
}

// chunkReader returns at most n bytes per Read, so lines cross reads.
type chunkReader struct {
	r io.Reader
	n int
}

func (c chunkReader) Read(p []byte) (int, error) { return c.r.Read(p[:min(len(p), c.n)]) }

func TestReadLinesLimitsAndBytes(t *testing.T) {
	x := func(n int) string { return strings.Repeat("x", n) }
	tests := []struct {
		name        string
		input       string
		want        []string
		wantTooLong int64
	}{
		{"exactly the limit", x(MaxLineBytes) + "\n", []string{x(MaxLineBytes)}, 0},
		{"exactly the limit with crlf", x(MaxLineBytes) + "\r\n", []string{x(MaxLineBytes)}, 0},
		{"one over the limit", x(MaxLineBytes+1) + "\nb\n", []string{x(MaxLineBytes), "b"}, 1},
		{"over the limit without newline at end", "a\n" + x(2*MaxLineBytes), []string{"a", x(MaxLineBytes)}, 1},
		{"NUL bytes", "a\x00b\x00\n\x00\n", []string{"a\x00b\x00", ""}, 0},
		// copytruncate of a writer without O_APPEND: the file starts with
		// as many NULs as it had written, glued to its next line; at the
		// start of a line they are dropped, before the limit.
		{"NUL run before a line", "a\n\x00\x00\x00b\x00\n", []string{"a", "b\x00"}, 0},
		{"NUL run longer than the limit before a line", strings.Repeat("\x00", 2*MaxLineBytes) + "b\nc\n", []string{"b", "c"}, 0},
		{"NUL run longer than the limit, no line after", "a\n" + strings.Repeat("\x00", MaxLineBytes+2), []string{"a"}, 0},
		{"invalid UTF-8", "\xff\xfe\n\xc3\x28 x\n", []string{"\xff\xfe", "\xc3\x28 x"}, 0},
		{"crlf and lone cr", "a\r\nb\rc\r\n\r\n", []string{"a", "b\rc", ""}, 0},
		{"empty", "", nil, 0},
	}
	for _, tt := range tests {
		for _, chunk := range []int{1 << 20, 7001, 3} {
			if chunk == 3 && len(tt.input) > 1000 {
				continue // byte-sized reads of a MiB are only slow, not different
			}
			t.Run(fmt.Sprintf("%s/chunk %d", tt.name, chunk), func(t *testing.T) {
				in := NewInput(0, Spec{Path: "-"})
				var got []string
				err := readLines(context.Background(), in, chunkReader{strings.NewReader(tt.input), chunk}, func(l string) error {
					got = append(got, l)
					return nil
				})
				if err != nil {
					t.Fatal(err)
				}
				if diff := cmp.Diff(tt.want, got); diff != "" {
					t.Errorf("lines (-want +got):\n%s", diff)
				}
				if c := in.Counters(); c.TooLong != tt.wantTooLong {
					t.Errorf("cut lines %d, want %d", c.TooLong, tt.wantTooLong)
				}
			})
		}
	}
}

func TestFollowInvalidUTF8AndNULNeverCrash(t *testing.T) {
	p := writeFile(t, "app.log", "")
	r := startFollow(t, proxySpec(p), FollowOptions{}, false)
	r.waitState("following")
	w := newLogWriter(t, p)
	w.f.WriteString("T1 GET /\x00\xff\xfe\nx\x00\x00\x00\n\xc3\x28\xa0\xa1\n\x1b[31mT2\n")
	waitUntil(t, "4 lines counted", func() bool { return r.in.Counters().Lines == 4 })
	r.waitLines(1) // counted before it reaches the collecting goroutine
	c := r.in.Counters()
	if c.Parsed != 1 || c.Unparsed != 3 || len(c.Samples) != 3 {
		t.Fatalf("counters %+v: want 1 parsed, 3 unparsed with samples", c)
	}
	if got := r.lines(); len(got) != 1 || got[0] != "T1 GET /\x00\xff\xfe" {
		t.Fatalf("records %q", got)
	}
}

func TestRewrittenNoticesRegrownFile(t *testing.T) {
	tests := []struct {
		name   string
		change func(t *testing.T, p string, f *os.File)
		want   bool
	}{
		{"appended", func(t *testing.T, p string, f *os.File) { f.WriteString("T11 GET /11\n") }, false},
		{"untouched", func(t *testing.T, p string, f *os.File) {}, false},
		{"truncated", func(t *testing.T, p string, f *os.File) { mustDo(t, os.Truncate(p, 0)) }, true},
		{"truncated and regrown past the offset", func(t *testing.T, p string, f *os.File) {
			mustDo(t, os.Truncate(p, 0))
			for i := 100; i < 130; i++ {
				fmt.Fprintf(f, "T%d GET /%d\n", i, i)
			}
		}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := writeFile(t, "app.log", "")
			w, err := os.OpenFile(p, os.O_WRONLY|os.O_APPEND, 0)
			mustDo(t, err)
			defer w.Close()
			for i := 1; i <= 10; i++ {
				fmt.Fprintf(w, "T%d GET /%d\n", i, i)
			}
			f, err := os.Open(p)
			mustDo(t, err)
			defer f.Close()
			st, err := f.Stat()
			mustDo(t, err)
			c := &followedFile{f: f, id: st}
			data, err := io.ReadAll(f)
			mustDo(t, err)
			c.off = int64(len(data))
			for _, piece := range bytes.SplitAfter(data, []byte("\n")) {
				c.remember(piece) // as reads of any size would
			}
			tt.change(t, p, w)
			got, err := c.rewritten(make([]byte, markLen))
			mustDo(t, err)
			if got != tt.want {
				t.Fatalf("rewritten = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestCommandExitShownWhenFollowing(t *testing.T) {
	r := startFollow(t, Spec{Path: "printf 'T1 GET /a\\nT2 GET /b\\n'; echo boom >&2; exit 3", Command: true, Format: "test-proxy"}, FollowOptions{}, false)
	select {
	case <-r.done:
	case <-time.After(waitDeadline):
		t.Fatal("Follow did not return when its command exited")
	}
	if r.err == nil || r.in.State() != "exited: status 3: boom" {
		t.Fatalf("err %v, state %q: want the exit status and stderr tail", r.err, r.in.State())
	}
	if got := r.lines(); len(got) != 2 {
		t.Fatalf("got %q from the command", got)
	}
}

func TestCommandRestartsWithBackoff(t *testing.T) {
	r := startFollow(t, Spec{Path: "printf 'T1 GET /a\\nT2 GET /b\\n'; echo gone >&2", Command: true, Format: "test-proxy"}, FollowOptions{}, true)
	r.waitState("exited: status 0: gone; restarting in 200ms")
	r.waitState("exited: status 0: gone (2 lines printed again skipped); restarting in 400ms")
	r.stop()
	if got, want := r.lines(), []string{"T1 GET /a", "T2 GET /b"}; !slices.Equal(got, want) {
		t.Fatalf("lines %q, want %q: a restart's lines printed again are skipped", got, want)
	}
}

// A restarted command that prints its history again (kubectl logs -f)
// adds only its new lines: every restart counted every 5xx again. A line
// at the newest time that was not sent before is new.
func TestCommandRestartSkipsHistoryPrintedAgain(t *testing.T) {
	counter := filepath.Join(t.TempDir(), "runs")
	// Run k prints its history and one new line: T1..T(k+1); from run 2
	// on also a line at T2 that run 1 did not print (at run 1's newest
	// time, so new in run 2, history in run 3).
	script := `k=$(cat ` + counter + ` 2>/dev/null || echo 0); k=$((k+1)); echo $k > ` + counter + `
i=1; while [ $i -le $((k+1)) ]; do echo "T$i GET /$i"; if [ $i -eq 2 ] && [ $k -ge 2 ]; then echo 'T2 GET /same-second'; fi; i=$((i+1)); done`
	r := startFollow(t, Spec{Path: script, Command: true, Format: "test-proxy"}, FollowOptions{}, true)
	r.waitState("restarting in 800ms") // three runs
	r.stop()
	want := []string{"T1 GET /1", "T2 GET /2", "T2 GET /same-second", "T3 GET /3", "T4 GET /4"}
	if got := r.lines(); !slices.Equal(got, want) {
		t.Fatalf("lines %q, want %q", got, want)
	}
	if st := r.in.State(); !strings.Contains(st, "(4 lines printed again skipped)") {
		t.Errorf("state %q: want the third run's 4 lines printed again counted", st)
	}
}

func TestRestartBackoffGrows(t *testing.T) {
	var got []time.Duration
	for d := restartMin; len(got) < 10; d = nextBackoff(d) {
		got = append(got, d)
	}
	want := []time.Duration{200 * time.Millisecond, 400 * time.Millisecond, 800 * time.Millisecond,
		1600 * time.Millisecond, 3200 * time.Millisecond, 6400 * time.Millisecond, 12800 * time.Millisecond,
		25600 * time.Millisecond, 30 * time.Second, 30 * time.Second}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Fatalf("backoff (-want +got):\n%s", diff)
	}
}

func TestCommandLeftoverChildDoesNotHideExit(t *testing.T) {
	// The shell exits while a background child keeps its output open: the
	// exit still shows, within pipeGrace.
	r := startFollow(t, Spec{Path: "sleep 3 & printf 'T1 GET /a\\n'; exit 4", Command: true, Format: "test-proxy"}, FollowOptions{}, false)
	select {
	case <-r.done:
	case <-time.After(waitDeadline):
		t.Fatal("Follow did not return when its command exited")
	}
	if r.in.State() != "exited: status 4" || len(r.lines()) != 1 {
		t.Fatalf("state %q, lines %q", r.in.State(), r.lines())
	}
}

func TestStdinClosingEndsOnlyThatInput(t *testing.T) {
	pr, pw := io.Pipe()
	// An app format: its last record is held back for a stack trace, and
	// must still go out while the stream is quiet, not only at its end.
	r := startFollow(t, Spec{Path: "-", Format: "test-app"}, FollowOptions{Stdin: pr}, false)
	if _, err := io.WriteString(pw, "T1 one\nT2 two\n"); err != nil {
		t.Fatal(err)
	}
	r.waitLines(2)
	io.WriteString(pw, "T3 three\n")
	r.waitLines(3)
	pw.Close()
	select {
	case <-r.done:
	case <-time.After(waitDeadline):
		t.Fatal("Follow did not return when standard input closed")
	}
	if r.err != nil || r.in.State() != "done" {
		t.Fatalf("err %v, state %q: want nil and done", r.err, r.in.State())
	}
	if diff := cmp.Diff([]string{"T1 one", "T2 two", "T3 three"}, r.lines()); diff != "" {
		t.Fatalf("lines (-want +got):\n%s", diff)
	}
}

// FuzzLineSplitter feeds random bytes in random chunk sizes and checks the
// lines against splitting the whole input at once: chunking never changes
// a line, no line is lost or doubled, nothing panics.
func FuzzLineSplitter(f *testing.F) {
	for _, s := range []string{"", "a\n", "a\r\nb", "\n\n\r\n", "x\x00\xff\n\xc3", "partial", "T1 GET /a\nT2 GET /b\n", "\x00\x00T1 a\n\x00\r\n\x00"} {
		f.Add([]byte(s), uint8(1))
		f.Add([]byte(s), uint8(3))
	}
	f.Fuzz(func(t *testing.T, data []byte, chunk uint8) {
		size := int(chunk%16) + 1
		var got []string
		var s lineSplitter
		emit := func(l []byte, cut bool) error {
			if cut {
				t.Fatalf("short line flagged as cut: %q", l)
			}
			got = append(got, string(l))
			return nil
		}
		for p := data; len(p) > 0; {
			n := min(size, len(p))
			if err := s.feed(p[:n], emit); err != nil {
				t.Fatal(err)
			}
			p = p[n:]
		}
		if err := s.flush(emit); err != nil {
			t.Fatal(err)
		}
		var want []string
		parts := strings.Split(string(data), "\n")
		for i, l := range parts {
			if i == len(parts)-1 && l == "" {
				break // nothing after the last newline
			}
			// NULs at the start of a line are dropped; NULs alone after
			// the last newline are no line.
			l = strings.TrimLeft(l, "\x00")
			if i == len(parts)-1 && l == "" {
				break
			}
			want = append(want, strings.TrimSuffix(l, "\r"))
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Fatalf("lines (-want +got):\n%s", diff)
		}
	})
}

// A file that is there at start but cannot be opened yet (permissions) is
// read from its end once it can, as live mode reads every file: its
// history is old. Only a file that did not exist is read from its start.
func TestFollowUnreadableAtStartStartsAtEnd(t *testing.T) {
	p := filepath.Join(t.TempDir(), "access.log")
	mustDo(t, os.WriteFile(p, []byte("T1 GET /old1\nT2 GET /old2\nT3 GET /old3\n"), 0o644))
	var denied atomic.Bool
	denied.Store(true)
	r := startFollowFile(t, NewInput(0, proxySpec(p)), FollowOptions{}, openFailingWhile(&denied, syscall.EACCES))
	r.waitState("permission denied")
	denied.Store(false)
	r.waitState("following")
	f, err := os.OpenFile(p, os.O_APPEND|os.O_WRONLY, 0)
	mustDo(t, err)
	_, err = f.WriteString("T4 GET /new\n")
	mustDo(t, err)
	mustDo(t, f.Close())
	r.waitLines(1)
	time.Sleep(200 * time.Millisecond) // anything more would show by now
	if got := r.lines(); len(got) != 1 || !strings.Contains(got[0], "/new") {
		t.Fatalf("lines %q, want only the new one", got)
	}
}

// A path that cannot be looked up for a while (EACCES or ESTALE from a
// directory or NFS) is not a rotation: the file goes on from where it was,
// nothing is read twice.
func TestFollowStatErrorIsNotARotation(t *testing.T) {
	p := filepath.Join(t.TempDir(), "access.log")
	mustDo(t, os.WriteFile(p, nil, 0o644))
	var failing atomic.Bool
	statPath = func(name string) (os.FileInfo, error) {
		if failing.Load() {
			return nil, &fs.PathError{Op: "stat", Path: name, Err: syscall.ESTALE}
		}
		return os.Stat(name)
	}
	t.Cleanup(func() { statPath = os.Stat })
	r := startFollowFile(t, NewInput(0, proxySpec(p)), FollowOptions{Poll: true}, openFailingWhile(&failing, syscall.ESTALE))
	r.waitState("following")
	w := newLogWriter(t, p)
	w.write(3)
	r.waitLines(3)
	failing.Store(true)
	time.Sleep(drainQuiet + time.Second) // past the rotation drain, which closed the file
	w.write(2)
	failing.Store(false)
	r.exactlyOnce(w)
}

// A gzip file in live mode is read once, decompressed, with --from-start,
// and otherwise left alone with a state that says why: it used to be read
// as raw bytes (thousands of unparsed lines of gzip data).
func TestFollowGzipFileReadsItOnce(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "access.log.2.gz")
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	for i := 1; i <= 3; i++ {
		fmt.Fprintf(zw, "T%d GET /%d\n", i, i)
	}
	zw.Close()
	if err := os.WriteFile(p, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}

	r := startFollow(t, proxySpec(p), FollowOptions{FromStart: true}, false)
	r.waitState("read once")
	if got, want := r.lines(), []string{"T1 GET /1", "T2 GET /2", "T3 GET /3"}; !slices.Equal(got, want) {
		t.Errorf("--from-start: lines %q, want %q", got, want)
	}
	if c := r.in.Counters(); c.Unparsed != 0 {
		t.Errorf("--from-start: %d unparsed lines, want 0", c.Unparsed)
	}

	r = startFollow(t, proxySpec(p), FollowOptions{}, false)
	r.waitState("compressed file")
	if got := r.lines(); len(got) != 0 {
		t.Errorf("from the end: read %q from a compressed file", got)
	}
}

// After a restart a new line may carry a time behind the newest sent:
// Envoy and HAProxy log the request's start, another pod's clock lags. It
// is new (not among the lines remembered), so it is kept; it was dropped
// as history when only times were compared.
func TestRepeatFilterKeepsNewLinesWithOlderTimes(t *testing.T) {
	var f repeatFilter
	rec := func(sec int64, path string) Record {
		return &ProxyEntry{Time: time.Unix(sec, 0), Path: path, Raw: fmt.Sprintf("T%d GET %s", sec, path)}
	}
	for _, r := range []Record{rec(1, "/a"), rec(5, "/b")} {
		if f.repeat(r) {
			t.Fatalf("first run: %q taken for a repeat", r.RawLine())
		}
	}
	f.restarted()
	for _, c := range []struct {
		r      Record
		repeat bool
	}{
		{rec(1, "/a"), true},
		{rec(5, "/b"), true},
		{rec(3, "/started-earlier"), false},
		{rec(6, "/c"), false},
	} {
		if got := f.repeat(c.r); got != c.repeat {
			t.Errorf("after the restart, %q: repeat %v, want %v", c.r.RawLine(), got, c.repeat)
		}
	}
}
