package sources

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"syscall"
	"time"
)

// How a followed file is watched. The rules are:
//   - The path is looked at every followPoll, and at once when inotify says
//     something happened to its name (dirHints). Inotify is a hint only:
//     every decision comes from stat, so a lost or missing event costs
//     latency, never lines.
//   - A file replaced at the path (rename + create as logrotate does by
//     default, delete + create) is read from its start. The old one stays
//     open and is read by its descriptor: writers keep writing to it until
//     they reopen (nginx until its USR1), which may come long after the
//     rename (a slow or shared postrotate, an app that reopens on a later
//     signal) and after a quiet spell. It is let go once the file at the
//     path has had bytes (its writer moved there) and the old one has been
//     quiet for drainQuiet; a deleted one (its disk space is held while it
//     is open) also once it has been quiet for drainDeletedQuiet; and at
//     most maxDraining are kept, the oldest let go first. Letting go after
//     drainQuiet alone lost every line nginx wrote to access.log.1 after a
//     quiet gap longer than that and before its late USR1. While one is
//     read, the state says so (stateFollowingRotated).
//   - A file that shrank below what was read, or whose bytes just before
//     that point changed (truncated and written again between two looks:
//     copytruncate under load), is read again from its start. What was
//     written to it after our last read and before the truncation is read
//     from the copy copytruncate made, when one is found next to it
//     (readCopy). A file cut to a shorter length that is not zero is read
//     again from its start too: the lines the cut kept come twice, which is
//     better than guessing and losing new ones.
//   - A file written again from its start without being cut (a writer
//     restarted on a descriptor without O_APPEND: `haproxy -db >> log`,
//     whose stdout HAProxy sets non-blocking with F_SETFL, dropping
//     O_APPEND) keeps its size until the writer passes the old end, so
//     neither the size nor the bytes before the read offset change. Its
//     first headLen bytes are compared on every look: when they change, it
//     is read again from its start, but only what the new writer wrote:
//     the old bytes it has not reached yet were read already (readRewrite).
//   - A file missing at start is waited for and read from its start when it
//     appears; live mode starts at the end of files that exist at start only.
//     While it is missing after a rename and the renamed file is still read,
//     the state says both ("following +rotated (new file not there yet)");
//     after a deletion (the file held open has no name left), it says so
//     (StateDeleted), however long the deleted file is still read.
//   - A file read before that is at the path again is read on from where
//     it was, not from its start: the same file (a symlink switched back,
//     blue/green, a file moved away and back), or a copy of it (moved to
//     another filesystem and linked back). Read from its start, the lines
//     read before counted twice. It is known by its content, whatever its
//     device and inode (an inode is reused once a file is deleted): its
//     first headLen bytes, and every byte read of it (from where reading
//     started to where it stopped, by their CRC-32C, read once to check),
//     are those read. A new file that only starts alike (a start-up
//     banner, fixed-width lines) lost its lines up to that offset when
//     the first bytes and the markLen before the offset were all compared.
//     When none of what was read can be compared (reading started at the
//     end of a file longer than headLen and nothing was read since), it
//     is read from its start (StateMaybeBack): maybe lines counted twice,
//     told, rather than maybe a new file's lines lost, silently. What was
//     read of the files let go is remembered for that (maxGone per path).
//     A copy is not written at once (`cp --remove-destination`: the path
//     names an empty file first, then cp writes into it): a new file
//     shorter than what was read of one and with the same bytes so far is
//     not read until it is told (decide): when it has all of them (then
//     compared whole), when a byte differs (a new file, read from its
//     start: nothing was skipped), or after undecidedWait without growing
//     (read from its start). Read at once, the copy was a new file, and
//     every line read before counted twice. A new file logrotate creates
//     is empty or gets other bytes at once: it waits a look at most.
//   - A file another input already reads (the same file under two names,
//     which could not be told at start because it was not there yet) is not
//     read again: the state names that input (OpenFiles).
//   - A file that cannot be opened (permission denied, a directory in its
//     place, a parent that is not a directory) is retried for ever, after a
//     wait growing from openRetryMin to openRetryMax; the state says why.
//   - Nothing is printed or logged; every event is an input state.
//
// nxadm/tail (v1.4.11), which followed files before, breaks most of these:
// after copytruncate it goes on from its old offset if the file has grown
// past it by the time it looks, losing the lines in between; on rotation it
// reopens the path without reading what was still written to the old file;
// an open error other than "not found" ends the tail for good; a stat error
// other than "not found" (a parent directory replaced or made unreadable)
// makes it write to stderr and call os.Exit(1) (util.Fatal), in both its
// inotify and polling watchers; its inotify tracker logs to stderr through
// a logger that cannot be replaced; and its MaxLineSize splits a long line
// into pieces that each count as an unparsed line, while without it a line
// is held whole in memory however long it is. None of that can be fixed
// from outside, so files are followed here.
const (
	followPoll  = 250 * time.Millisecond
	drainQuiet  = 5 * time.Second
	maxDraining = 4
	// drainDeletedQuiet: a deleted rotated-away file (rename, then
	// compressed and removed; or deleted and re-created) holds its disk
	// space while open, so it is not kept for ever waiting for the new
	// file's first line (an app log that logs errors only).
	drainDeletedQuiet = time.Minute
	openRetryMin      = 200 * time.Millisecond
	openRetryMax      = 5 * time.Second
	// eventHold is how long "rotated" or "truncated" stays as the state
	// before it goes back to "following", so the UI can show it.
	eventHold = 3 * time.Second
	// markLen is how many bytes before the read offset are remembered to
	// notice a file truncated and written past that offset again.
	markLen = 64
	// headLen is how many of a file's first bytes are remembered to notice
	// it written again from its start; the bytes the new writer has not
	// reached yet are told from its own within them at once, and past them
	// on its next write (readRewrite).
	headLen = 4 << 10
	// rewriteWindow is how much of the old content, ahead of the new
	// writer, readRewrite compares at a time.
	rewriteWindow = 256 << 10
	// maxGone is how many files let go are remembered per path, to know
	// them when they are at the path again (fileRead).
	maxGone = 8
	// undecidedWait is how long a new file that may be a copy of a file
	// read, still being written, may stay without growing before it is
	// taken for a new file and read from its start (decide).
	undecidedWait = 2 * time.Second
)

// followedFile is one open file being read.
type followedFile struct {
	f      *os.File
	id     os.FileInfo // from f.Stat at open: its identity for os.SameFile
	off    int64       // bytes read from f
	mark   [markLen]byte
	markN  int // bytes of mark in use: the markN bytes before off
	split  lineSplitter
	active time.Time // when it last grew (rotated-away files only)
	fed    bool      // bytes were read from it: a writer writes here
	head   [headLen]byte
	headN  int      // bytes of head known: the file's first headN bytes
	redo   *rewrite // the file is being written again from its start, or nil
	from   int64    // where reading started: the bytes from it to off were read
	sum    uint32   // the CRC-32C of the bytes from from to off (readBefore)
	// back is, for a rotated-away file the path names again (renamed
	// back), the event to show when it is carried on with (checkBack):
	// StateSameFileBack, or StateTruncated when it no longer held what
	// was read and is read again from its start. "" until checked.
	back string
	// undecided is, for a new file at the path shorter than what was
	// read of a file before and starting with the same bytes (a copy
	// still being written: `cp --remove-destination`), what was read of
	// that file: it is not read until it is told (decide). nil otherwise.
	undecided     *fileRead
	undecidedSize int64     // its size when it last grew
	undecidedAt   time.Time // when it last grew
	// takenOver: read on from its end after another input let it go
	// (StateTakenOver), which it does once its writer has moved on
	// (drainOld): the rotation that put it at the path is done.
	takenOver bool
	// name is the file's own name when it was opened: the path with its
	// symlinks resolved (EvalSymlinks), the path itself when it has none,
	// "" when it could not be told. copytruncate's copy lies beside it,
	// under its name (readCopy).
	name string
}

// castagnoli is the CRC-32C table, computed by the CPU on amd64 and arm64:
// summing every byte read costs little beside parsing it.
var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// fileRead is what was read of a file: enough to know it, or a copy of
// it, when it is at the path again.
type fileRead struct {
	id   os.FileInfo
	off  int64
	mark []byte // the bytes just before off
	head []byte // the file's first bytes
	from int64  // where reading started
	sum  uint32 // the CRC-32C of the bytes from from to off
}

// soFar is what was read of c.
func (c *followedFile) soFar() fileRead {
	return fileRead{
		id:   c.id,
		off:  c.off,
		mark: bytes.Clone(c.mark[:c.markN]),
		head: bytes.Clone(c.head[:c.headN]),
		from: c.from,
		sum:  c.sum,
	}
}

// holding is how much of what was read of a file another one is known
// to hold (fileFollower.holds).
type holding int

const (
	holdsNot      holding = iota // other bytes, or too few
	holdsAll                     // every byte read, and its first bytes
	holdsUnproven                // its first bytes and those before the offset, but none read can be compared
)

// holds tells whether f, of stat st, holds what r read: at least r.off
// bytes, its first bytes those read, and the bytes from where reading
// started to r.off too (their CRC-32C, read once: no more than was read).
// Comparing only the first bytes and the markLen before r.off passed a
// new file that starts alike (a start-up banner, fixed-width lines) and
// lost its lines up to r.off. When reading started past the first bytes
// and nothing was read since, the bytes in between were never read:
// holdsUnproven. Not when nothing was read: there is nothing to skip.
func (ff *fileFollower) holds(r fileRead, f *os.File, st os.FileInfo) holding {
	if r.off == 0 || len(r.mark) == 0 || st.Size() < r.off {
		return holdsNot
	}
	same := func(want []byte, at int64) bool {
		n, _ := f.ReadAt(ff.scratch[:len(want)], at)
		return n == len(want) && bytes.Equal(ff.scratch[:n], want)
	}
	if !same(r.head, 0) || !same(r.mark, r.off-int64(len(r.mark))) {
		return holdsNot
	}
	if r.from == r.off && r.from > int64(len(r.head)) {
		return holdsUnproven
	}
	var sum uint32
	for at := r.from; at < r.off; {
		want := int(min(int64(len(ff.buf)), r.off-at))
		n, _ := f.ReadAt(ff.buf[:want], at)
		if n < want || ff.ctx.Err() != nil {
			return holdsNot // cut meanwhile, or stopping
		}
		sum = crc32.Update(sum, castagnoli, ff.buf[:n])
		at += int64(n)
	}
	if sum != r.sum {
		return holdsNot
	}
	return holdsAll
}

// rewrite is a file being written again from its start over its old
// content, without being cut (readRewrite).
type rewrite struct {
	end int64  // where the old content ends: every byte past it is new
	at  int64  // the file offset of old[0]
	old []byte // the old content from at on, as last seen
}

// rememberHead keeps the bytes p read at offset at, if they extend head.
func (c *followedFile) rememberHead(at int64, p []byte) {
	if at != int64(c.headN) || c.headN == headLen {
		return
	}
	c.headN += copy(c.head[c.headN:], p)
}

// headChanged reports whether the file's first bytes are no longer those
// read: a writer writes it again from its start. A file now shorter than
// them is left to rewritten, which reads it again from its start.
func (c *followedFile) headChanged(scratch []byte) bool {
	if c.headN == 0 {
		return false
	}
	n, _ := c.f.ReadAt(scratch[:c.headN], 0)
	return n == c.headN && !bytes.Equal(scratch[:n], c.head[:n])
}

// remember keeps the last bytes read, the mark checked by rewritten.
func (c *followedFile) remember(p []byte) {
	if len(p) >= markLen {
		copy(c.mark[:], p[len(p)-markLen:])
		c.markN = markLen
		return
	}
	keep := min(c.markN, markLen-len(p))
	copy(c.mark[:keep], c.mark[c.markN-keep:c.markN])
	copy(c.mark[keep:], p)
	c.markN = keep + len(p)
}

// rewritten reports whether the file no longer holds what was read: it is
// shorter than the read offset, or the bytes just before it differ. Size
// alone misses a copytruncate whose writer has already written past the old
// offset again when we look (nxadm/tail's bug).
func (c *followedFile) rewritten(scratch []byte) (bool, error) {
	if c.markN == 0 {
		return false, nil // nothing read yet: nothing to lose
	}
	n, err := c.f.ReadAt(scratch[:c.markN], c.off-int64(c.markN))
	if n < c.markN {
		if err != nil && !errors.Is(err, io.EOF) {
			return false, err
		}
		return true, nil // shorter than the offset
	}
	return !bytes.Equal(scratch[:n], c.mark[:c.markN]), nil
}

// fileFollower follows one path.
type fileFollower struct {
	ctx  context.Context
	in   *Input
	d    *decoder
	path string
	open func(string) (*os.File, error) // os.Open; tests inject errors

	atEnd   bool          // the first open starts at the end (live mode)
	files   *OpenFiles    // the files the inputs followed with this one read
	dupOf   os.FileInfo   // the file at the path another input reads, or nil
	dupBy   string        // the label of the input that reads dupOf
	history *History      // the first open starts where this history ends
	hadFile bool          // a file has been open: the next one is a rotation
	cur     *followedFile // the file now at the path, nil when none
	old     []*followedFile
	gone    []fileRead // what was read of the files let go, the last first
	buf     []byte
	scratch []byte
	rwbuf   []byte // the file's bytes compared with the old ones (readRewrite)
	emit    lineFunc

	// wasDeleted: the file last at the path was deleted, and none has
	// been there since (StateDeleted).
	wasDeleted bool

	now     time.Time     // the time of this step
	retry   time.Duration // the last wait after an open error; 0 after success
	retryAt time.Time     // no open before this

	shown     string // the state this follower set last
	shownAt   time.Time
	transient bool // shown is an event ("rotated") that goes back to "following"
	troubled  bool // this step has shown a problem: do not settle it
}

// followFile follows a file by name until ctx ends (see the rules above).
// It returns nil when ctx ends or the consumer is gone.
func followFile(ctx context.Context, in *Input, d *decoder, opt FollowOptions, open func(string) (*os.File, error)) error {
	ff := newFileFollower(ctx, in, d, opt, open)
	defer ff.closeAll()
	var hint <-chan struct{}
	if !opt.Poll {
		if h := watchDir(ff.path); h != nil {
			defer h.close()
			hint = h.C
		}
	}
	poll := time.NewTicker(followPoll)
	defer poll.Stop()
	flush := time.NewTicker(flushEvery)
	defer flush.Stop()
	for {
		if err := ff.step(time.Now()); err != nil {
			return nil // ctx ended or the consumer is gone
		}
		select {
		case <-ctx.Done():
			return nil
		case <-poll.C:
		case <-hint:
		case <-flush.C:
			if err := d.flush(ctx); err != nil {
				return nil
			}
		}
	}
}

// newFileFollower makes the follower of in's path; step moves it on.
func newFileFollower(ctx context.Context, in *Input, d *decoder, opt FollowOptions, open func(string) (*os.File, error)) *fileFollower {
	ff := &fileFollower{
		ctx: ctx, in: in, d: d, path: in.Spec.Path, open: open,
		atEnd:   !opt.FromStart && opt.History == nil,
		files:   opt.Files,
		history: opt.History,
		buf:     make([]byte, readChunk),
		scratch: make([]byte, max(markLen, headLen)),
	}
	ff.emit = countLine(in, func(l string) error { return d.line(ctx, l) })
	return ff
}

// step reads everything new and checks the path. It returns an error only
// when ctx has ended.
func (ff *fileFollower) step(now time.Time) error {
	ff.troubled = false
	ff.now = now
	// A rotated-away file renamed back is checked before it is read on.
	if err := ff.checkBack(); err != nil {
		return err
	}
	// Rotated-away files first: their lines are older than the new file's.
	if err := ff.drainOld(now); err != nil {
		return err
	}
	if ff.cur == nil {
		// A file that comes back after a gap (deleted, then re-created;
		// renamed, then created by the server) is a rotation too.
		why := ""
		if ff.hadFile {
			why = "rotated"
		}
		if !ff.openPath(now, why) {
			return nil
		}
	}
	if err := ff.read(ff.cur); err != nil {
		return err
	}
	if err := ff.checkPath(now); err != nil {
		return err
	}
	ff.settle(now)
	return nil
}

// openPath opens the file at the path, if it can, as the current one.
// why is the event to show ("rotated"), or "" for plain "following".
func (ff *fileFollower) openPath(now time.Time, why string) bool {
	if now.Before(ff.retryAt) {
		return false
	}
	atEnd := ff.atEnd
	f, err := ff.open(ff.path)
	var st os.FileInfo
	if err == nil {
		st, err = f.Stat()
		if err == nil && st.IsDir() {
			err = &fs.PathError{Op: "open", Path: ff.path, Err: syscall.EISDIR}
		}
		if err != nil {
			f.Close()
		}
	}
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			ff.atEnd = false // a file that appears later is read from its start
			ff.retry, ff.retryAt = 0, time.Time{}
			if n := len(ff.old); n > 0 && deleted(ff.old[n-1].f) {
				// The file last at the path has no name left: deleted,
				// not renamed (it may have been renamed first, then
				// removed). Remembered once it is let go.
				ff.wasDeleted = true
			}
			switch {
			case ff.wasDeleted:
				ff.problem(StateDeleted)
			case len(ff.old) > 0:
				// Renamed away (nginx's recipe: mv, then USR1): its writer
				// still writes to it, and it is read. "waiting for file"
				// beside its lines per second read as if nothing were.
				ff.problem(ff.steady() + " (new file not there yet)")
			default:
				ff.problem(StateWaitingForFile)
			}
			return false
		}
		// A file that is there but cannot be read yet (permissions) is
		// still read from its end once it can: its history is old.
		ff.retry = max(openRetryMin, min(2*ff.retry, openRetryMax))
		ff.retryAt = now.Add(ff.retry)
		why := ff.describe(err)
		if h := PermissionHint(ff.path, err); h != "" {
			why += "; " + h
		}
		ff.problem(fmt.Sprintf("read error: %s"+RetryingIn+"%s", why, ff.retry))
		return false
	}
	ff.retry, ff.retryAt = 0, time.Time{}
	ff.wasDeleted = false
	if owner := ff.files.claim(st, ff.in); owner != nil {
		// The same file as another input's (a link to it, or to its
		// directory): its lines are counted there.
		f.Close()
		ff.dupOf, ff.dupBy = st, owner.Spec.Label()
		ff.problem(StateSameFile + owner.Spec.Label() + ": not read twice")
		return false
	}
	if ff.dupOf != nil && os.SameFile(ff.dupOf, st) {
		// The input that read it has let it go (its own name for it names
		// another file now): what it holds was read there. Not "rotated":
		// the file at the path is the one it was.
		atEnd = true
		why = StateTakenOver + ff.dupBy + ": not read again"
	}
	ff.dupOf = nil
	ff.atEnd = false
	// The path may name a file we still read, renamed back: carry on with it.
	for i, o := range ff.old {
		if os.SameFile(o.id, st) {
			f.Close()
			ff.cur = o
			ff.old = append(ff.old[:i], ff.old[i+1:]...)
			why := o.back
			if why == "" {
				why = StateSameFileBack
			}
			o.back = ""
			ff.following(now, why)
			return true
		}
	}
	c := &followedFile{f: f, id: st, active: now, takenOver: strings.HasPrefix(why, StateTakenOver), name: ff.target(st)}
	h := ff.history
	ff.history = nil
	if h != nil && !h.holds(f, st) {
		h = nil // replaced or cut since: read from its start
	}
	var back int64 // where a file read before, or its copy, was read to
	if !atEnd && h == nil && ff.hadFile {
		var known string
		if back, known = ff.readBefore(f, st); known != "" {
			why = known
		} else if r := ff.mayBeCopy(f, st); r != nil {
			c.undecided, c.undecidedSize, c.undecidedAt = r, st.Size(), now
		}
	}
	ff.hadFile = true
	if atEnd || h != nil || back > 0 {
		var err error
		switch {
		case h != nil:
			err = c.seekTo(h.End)
		case back > 0:
			err = c.seekTo(back)
		default:
			err = c.seekEnd()
		}
		if err != nil {
			ff.files.release(st, ff.in)
			f.Close()
			ff.problem("read error: " + err.Error())
			return false
		}
	}
	ff.cur = c
	ff.following(now, why)
	return true
}

// readBefore looks for what was read before of the file f, of stat st,
// now at the path: the same file let go (StateSameFileBack), or a copy of
// a file read (a rotated-away one still read, or one let go; StateCopyBack),
// holding all that was read of it (holds). It returns the offset to read
// on from, 0 when none is found, with the event to show, and forgets what
// it found: it is read again. The same device and inode is not enough:
// an inode is reused once its file is deleted (rm, then a new file, on
// ext4). One that may hold it, unproven, is read from its start, the
// event StateMaybeBack.
func (ff *fileFollower) readBefore(f *os.File, st os.FileInfo) (off int64, event string) {
	for i, g := range ff.gone {
		if os.SameFile(g.id, st) {
			ff.gone = append(ff.gone[:i], ff.gone[i+1:]...)
			switch ff.holds(g, f, st) {
			case holdsAll:
				return g.off, StateSameFileBack
			case holdsUnproven:
				return 0, StateMaybeBack
			}
			return 0, "" // the same inode, other bytes: another file
		}
	}
	best, maybe := -1, false
	for i, g := range ff.gone {
		if g.off > off {
			switch ff.holds(g, f, st) {
			case holdsAll:
				best, off = i, g.off
			case holdsUnproven:
				maybe = true
			}
		}
	}
	for _, o := range ff.old {
		if r := o.soFar(); r.off > off {
			switch ff.holds(r, f, st) {
			case holdsAll:
				best, off = -1, r.off
			case holdsUnproven:
				maybe = true
			}
		}
	}
	switch {
	case off > 0:
		if best >= 0 {
			ff.gone = append(ff.gone[:best], ff.gone[best+1:]...)
		}
		return off, StateCopyBack
	case maybe:
		return 0, StateMaybeBack
	}
	return 0, ""
}

// mayBeCopy returns what was read of a file (a rotated-away one still
// read, or one let go) that f, of stat st, may be a copy of still being
// written: shorter than what was read, and with the same first bytes so
// far (all of them when it is that short). The one read furthest wins.
func (ff *fileFollower) mayBeCopy(f *os.File, st os.FileInfo) *fileRead {
	var best *fileRead
	consider := func(r fileRead) {
		if r.off == 0 || len(r.mark) == 0 || st.Size() >= r.off || (best != nil && r.off <= best.off) {
			return
		}
		if ff.startsAs(&r, f, st.Size()) {
			best = &r
		}
	}
	for _, g := range ff.gone {
		consider(g)
	}
	for _, o := range ff.old {
		consider(o.soFar())
	}
	return best
}

// startsAs reports whether f, of size size, starts with the bytes r read
// first, as far as both go.
func (ff *fileFollower) startsAs(r *fileRead, f *os.File, size int64) bool {
	n := int(min(size, int64(len(r.head))))
	got, _ := f.ReadAt(ff.scratch[:n], 0)
	return got == n && bytes.Equal(ff.scratch[:n], r.head[:n])
}

// decide tells an undecided file (mayBeCopy) and reports whether it is
// to be read now: once it is as long as what was read of the file it may
// be a copy of, it is read on from where that was read to if it holds it
// all (readBefore), else from its start; once a byte differs, or it has
// not grown for undecidedWait, it is a new file, read from its start.
func (ff *fileFollower) decide(c *followedFile) (bool, error) {
	st, err := c.f.Stat()
	if err != nil {
		ff.problem("read error: " + err.Error())
		return false, nil
	}
	r := c.undecided
	if st.Size() >= r.off {
		c.undecided = nil
		off, event := ff.readBefore(c.f, st)
		if off > 0 {
			if err := c.seekTo(off); err != nil {
				c.undecided = r
				ff.problem("read error: " + err.Error())
				return false, nil
			}
		}
		if event != "" && c == ff.cur {
			ff.following(ff.now, event)
		}
		return true, nil
	}
	if !ff.startsAs(r, c.f, st.Size()) {
		c.undecided = nil
		return true, nil
	}
	if st.Size() != c.undecidedSize {
		c.undecidedSize, c.undecidedAt = st.Size(), ff.now
		return false, nil
	}
	if ff.now.Sub(c.undecidedAt) >= undecidedWait {
		c.undecided = nil
		return true, nil
	}
	return false, nil
}

// describe says what went wrong in few words: the UI shows the path in
// its own column and the state in a narrow one.
func (ff *fileFollower) describe(err error) string {
	var pe *fs.PathError
	if errors.As(err, &pe) && pe.Path == ff.path {
		return pe.Op + ": " + pe.Err.Error()
	}
	return err.Error()
}

// seekEnd starts reading at the end. A last line without its newline was
// being written when following started: its rest is dropped up to the
// newline rather than parsed as a line of its own.
func (c *followedFile) seekEnd() error {
	off, err := c.f.Seek(0, io.SeekEnd)
	if err != nil {
		return err
	}
	return c.startAt(off)
}

// seekTo starts reading c at off (the end of a history read already).
func (c *followedFile) seekTo(off int64) error {
	if _, err := c.f.Seek(off, io.SeekStart); err != nil {
		return err
	}
	return c.startAt(off)
}

// startAt notes off as read, with the bytes before it as the mark and the
// file's first bytes up to it as the head.
func (c *followedFile) startAt(off int64) error {
	c.off, c.from, c.sum = off, off, 0
	n := int(min(off, markLen))
	if n == 0 {
		return nil
	}
	got, err := c.f.ReadAt(c.mark[:n], off-int64(n))
	if got < n {
		return fmt.Errorf("read %s: %w", c.f.Name(), err)
	}
	c.markN = n
	c.split.skip = c.mark[n-1] != '\n'
	h := int(min(off, headLen))
	if got, err := c.f.ReadAt(c.head[:h], 0); got < h {
		return fmt.Errorf("read %s: %w", c.f.Name(), err)
	}
	c.headN = h
	return nil
}

// read reads c to its end, parsing every complete line. Before every read
// it checks that the file still holds what was read so far; if not (it was
// truncated, and maybe written again past the offset), it starts again from
// the file's start. Checking before every read, not once before a long
// loop of reads, leaves no room for a truncation to slip in between the
// check and a read that would then skip the start of the new content.
// Then it checks the file's first bytes: when they changed, a writer
// writes it again from its start, and readRewrite reads what it wrote.
func (ff *fileFollower) read(c *followedFile) error {
	defer ff.noteNULs(c)
	if c.undecided != nil {
		if now, err := ff.decide(c); err != nil || !now {
			return err
		}
	}
	if c.redo != nil {
		if over, err := ff.readRewrite(c); err != nil || !over {
			return err
		}
	}
	if err := ff.readOn(c); err != nil {
		return err
	}
	if !c.headChanged(ff.scratch) {
		return nil
	}
	if err := ff.startRewrite(c); err != nil {
		return err
	}
	if over, err := ff.readRewrite(c); err != nil || !over {
		return err
	}
	return ff.readOn(c)
}

// noteNULs shows the NUL bytes the splitter dropped at the start of a
// line, if any: a writer without O_APPEND after copytruncate (linesplit.go).
func (ff *fileFollower) noteNULs(c *followedFile) {
	if c.split.nuls == 0 {
		return
	}
	ff.event(ff.now, fmt.Sprintf("skipped %d NUL bytes (copytruncate)", c.split.nuls))
	c.split.nuls = 0
}

// checkBack checks a rotated-away file still read that the path names
// again (renamed back) before it is read on: it must still hold every
// byte read of it (holds, by their CRC-32C), or it is read again from its
// start. Cut and written again while away with the same first headLen
// bytes and the same markLen bytes before the read offset (a crash-looping
// app's start-up banner, fixed-width lines), it passed rewritten's look
// and was carried on from the old offset: the new lines before it lost
// without a word. Checked once per return, when the path is looked up:
// a rename back is rare, and every byte read is read again to check.
func (ff *fileFollower) checkBack() error {
	if len(ff.old) == 0 {
		return nil
	}
	st, err := statPath(ff.path)
	if err != nil {
		return nil
	}
	for _, o := range ff.old {
		if !os.SameFile(o.id, st) {
			o.back = ""
			continue
		}
		if o.back != "" {
			continue // checked already
		}
		o.back = StateSameFileBack
		if o.off == 0 || ff.holds(o.soFar(), o.f, st) != holdsNot {
			continue
		}
		if err := ff.ctx.Err(); err != nil {
			return err
		}
		if ok, err := ff.readAgain(o); err != nil {
			return err
		} else if ok {
			o.back = StateTruncated
		}
	}
	return nil
}

// readAgain reads c again from its start: it no longer holds what was
// read (cut, and maybe written again). It reports false when c cannot be
// read on (the state says why).
func (ff *fileFollower) readAgain(c *followedFile) (bool, error) {
	// What was written after our last read and before the truncation is
	// only in the copy, if there is one.
	copied, err := ff.readCopy(c)
	if err != nil {
		return false, err
	}
	// The partial line before the truncation will never be completed:
	// deliver what there is of it.
	if err := c.split.flush(ff.emit); err != nil {
		return false, err
	}
	if _, err := c.f.Seek(0, io.SeekStart); err != nil {
		ff.problem("read error: " + err.Error())
		return false, nil
	}
	c.off, c.markN, c.headN, c.from, c.sum = 0, 0, 0, 0, 0
	if copied {
		ff.event(ff.now, StateTruncated)
	} else {
		// Whatever was written after our last read and before the cut
		// is gone, and whether anything was cannot be told: said, not
		// silent.
		ff.event(ff.now, StateTruncatedNoCopy)
	}
	return true, nil
}

// readOn reads c from its read offset to its end (see read).
func (ff *fileFollower) readOn(c *followedFile) error {
	for {
		changed, err := c.rewritten(ff.scratch)
		if err != nil {
			ff.problem("read error: " + err.Error())
			return nil
		}
		if changed {
			if ok, err := ff.readAgain(c); !ok || err != nil {
				return err
			}
		}
		n, err := c.f.Read(ff.buf)
		if n > 0 {
			if e := ff.take(c, ff.buf[:n]); e != nil {
				return e
			}
		}
		if errors.Is(err, io.EOF) || (err == nil && n == 0) {
			return nil
		}
		if err != nil {
			ff.problem("read error: " + err.Error())
			return nil
		}
		if err := ff.ctx.Err(); err != nil {
			return err
		}
	}
}

// take parses the bytes p, read from c at its read offset.
func (ff *fileFollower) take(c *followedFile, p []byte) error {
	if c.off < headLen {
		c.rememberHead(c.off, p)
	}
	c.off += int64(len(p))
	c.sum = crc32.Update(c.sum, castagnoli, p)
	c.fed = true
	ff.in.bytes.Add(int64(len(p)))
	c.remember(p)
	return c.split.feed(p, ff.emit)
}

// startRewrite starts reading c again from its start: a writer writes it
// again from there, over its old content (readRewrite), which was read up
// to c's read offset. The old content kept to tell the new writer's bytes
// from it is c's head as read, then the file as it is now: bytes past the
// head that the new writer wrote before this look pass for old ones until
// it writes again after them.
func (ff *fileFollower) startRewrite(c *followedFile) error {
	// The line the old writer left unfinished will never be.
	if err := c.split.flush(ff.emit); err != nil {
		return err
	}
	r := c.redo
	if r == nil || c.off >= r.end {
		r = &rewrite{end: c.off}
	} // else restarted again before reaching the first one's old end
	r.at = 0
	if cap(r.old) < rewriteWindow {
		r.old = make([]byte, 0, rewriteWindow)
	}
	r.old = append(r.old[:0], c.head[:c.headN]...)
	r.extend(c.f)
	c.redo = r
	c.off, c.markN, c.headN, c.from, c.sum = 0, 0, 0, 0, 0
	ff.event(ff.now, StateRewritten)
	return nil
}

// extend makes r.old reach rewriteWindow past r.at (or the old end) with
// the file's bytes as they are now.
func (r *rewrite) extend(f *os.File) {
	want := int(min(r.end-r.at, rewriteWindow))
	if have := len(r.old); have < want {
		n, _ := f.ReadAt(r.old[have:want], r.at+int64(have))
		r.old = r.old[:have+n]
	}
}

// readRewrite reads what a writer that writes c again from its start has
// written since the last look, and reports whether that is over. The bytes
// it has not reached yet are old ones, read already; they are told from
// its own by comparing the file with the old content as last seen
// (rewrite.old, a window of it from the read offset on). The rules:
//   - a line with a byte that changed is the new writer's, up to its
//     newline (proxies and apps write a line with one write; the old line
//     there may be as long, its newline at the same place);
//   - the line of the last changed byte is the last the new writer wrote:
//     what follows it is read once a byte after it changes;
//   - it is over when the read offset reaches the old end, or the file is
//     cut below the read offset: read on as usual (readOn reads a cut file
//     from its start). Not when the file grows: an old writer may still
//     append to it (HAProxy's soft stop) while the new one writes from the
//     start; what it appends is read once the read offset gets there;
//   - a writer restarted again starts it again, with the old end kept.
//
// The bytes before the read offset are not checked here (rewritten): the
// end of a line the new writer had not written whole yet is old bytes,
// and would pass for a truncation once written, and the file read twice.
func (ff *fileFollower) readRewrite(c *followedFile) (over bool, _ error) {
	if c.headChanged(ff.scratch) {
		if err := ff.startRewrite(c); err != nil {
			return false, err
		}
	}
	r := c.redo
	st, err := c.f.Stat()
	if err != nil {
		ff.problem("read error: " + err.Error())
		return false, nil
	}
	if st.Size() >= c.off && c.off < r.end {
		if err := ff.readRewritten(c, r); err != nil {
			return false, err
		}
		if c.off < r.end {
			return false, nil
		}
	}
	c.redo = nil
	ff.rwbuf = nil // rare: not kept for ever
	if _, err := c.f.Seek(c.off, io.SeekStart); err != nil {
		ff.problem("read error: " + err.Error())
		return false, nil
	}
	return true, nil
}

// readRewritten reads the new writer's lines from c's read offset on, as
// far as the last byte that differs from r.old (readRewrite's rules).
func (ff *fileFollower) readRewritten(c *followedFile, r *rewrite) error {
	r.extend(c.f) // short if the file was cut for a while
	old := r.old[c.off-r.at:]
	if len(ff.rwbuf) < len(old) {
		ff.rwbuf = make([]byte, rewriteWindow)
	}
	n, _ := c.f.ReadAt(ff.rwbuf[:len(old)], c.off)
	now := ff.rwbuf[:n]
	d := lastDiff(now, old[:n])
	if d < 0 {
		return nil
	}
	end := n
	if i := bytes.IndexByte(now[d:], '\n'); i >= 0 {
		end = d + i + 1
	}
	if err := ff.take(c, now[:end]); err != nil {
		return err
	}
	r.old = r.old[:copy(r.old, r.old[c.off-r.at:])]
	r.at = c.off
	r.extend(c.f)
	return nil
}

// lastDiff returns the index of the last byte where a and b (as long)
// differ, or -1.
func lastDiff(a, b []byte) int {
	for end := len(a); end > 0; {
		start := max(end-4096, 0)
		if !bytes.Equal(a[start:end], b[start:end]) {
			for i := end - 1; ; i-- {
				if a[i] != b[i] {
					return i
				}
			}
		}
		end = start
	}
	return -1
}

// readCopy reads the end of the content c held before it was truncated,
// from the copy logrotate's copytruncate made of it: lines written after
// our last read and before the truncation are nowhere else. A poll is
// 250 ms of lines, and a follower held up by a slow consumer can be far
// behind. The copy is a regular file next to the followed one whose name
// starts with its name (app.log.1, app.log-20250101) and whose bytes just
// before our offset are the ones we read there. Through a symlink that is
// next to the file it names (c.name: logrotate, given the target, writes
// real/access.log.1, not access.log.1 beside the link), which the link
// may name no longer (switched to another file since), so both, the
// path itself, and the name the open file has now, are looked in. Looked for beside the link alone, the copy
// was never found: 198 of 1,500 lines lost at one copytruncate, silently.
// No such file (a plain truncate, olddir, compressed at once): nothing
// to read, and it reports false.
func (ff *fileFollower) readCopy(c *followedFile) (bool, error) {
	type candidate struct {
		path string
		mod  time.Time
	}
	var found []candidate
	seen := make(map[string]bool)
	// Beside the name the file has now too: renamed away under another
	// name (archive/app-20261124.log) and copytruncated there, its copy
	// is app-20261124.log.1, which the names it was opened by never
	// found (Linux only: nameNow).
	for _, name := range [...]string{c.name, ff.target(nil), ff.path, nameNow(c.f)} {
		if name == "" {
			continue
		}
		dir, base := filepath.Split(filepath.Clean(name))
		if seen[filepath.Join(dir, base)] {
			continue
		}
		seen[filepath.Join(dir, base)] = true
		entries, err := os.ReadDir(filepath.Clean(dir))
		if err != nil {
			continue
		}
		for _, e := range entries {
			if !strings.HasPrefix(e.Name(), base) || e.Name() == base || !e.Type().IsRegular() {
				continue
			}
			info, err := e.Info()
			if err != nil || info.Size() < c.off {
				continue
			}
			found = append(found, candidate{filepath.Join(dir, e.Name()), info.ModTime()})
		}
	}
	// The newest first: the copy was just made.
	sort.Slice(found, func(i, j int) bool { return found[i].mod.After(found[j].mod) })
	for _, f := range found {
		cp, err := os.Open(f.path)
		if err != nil {
			continue
		}
		copyOf := &followedFile{f: cp, off: c.off, mark: c.mark, markN: c.markN}
		if changed, err := copyOf.rewritten(ff.scratch); err != nil || changed {
			cp.Close()
			continue
		}
		if _, err := cp.Seek(c.off, io.SeekStart); err != nil {
			cp.Close()
			continue
		}
		// The partial line goes on in the copy.
		copyOf.split = c.split
		err = ff.read(copyOf)
		c.split = copyOf.split
		cp.Close()
		return true, err
	}
	return false, nil
}

// target is the name of the file the path names now, its symlinks
// resolved (a relative link against the link's directory, a chain of
// links to its end): the path itself when it has none. With st, the file
// just opened, it is "" unless that name is st's file (the link switched
// between the open and this look).
func (ff *fileFollower) target(st os.FileInfo) string {
	name, err := filepath.EvalSymlinks(ff.path)
	if err != nil {
		return ""
	}
	if st != nil {
		now, err := os.Stat(name)
		if err != nil || !os.SameFile(now, st) {
			return ""
		}
	}
	return name
}

// statPath is os.Stat; tests make it fail as a lookup fails on NFS.
var statPath = os.Stat

// checkPath notices that the path no longer names the current file: it was
// renamed or deleted (and maybe replaced), or it cannot be looked up.
func (ff *fileFollower) checkPath(now time.Time) error {
	st, err := statPath(ff.path)
	if err == nil && os.SameFile(st, ff.cur.id) {
		return nil
	}
	if err != nil && !errors.Is(err, fs.ErrNotExist) && !errors.Is(err, syscall.ENOTDIR) {
		// The path cannot be looked up for now (a directory's permissions,
		// an NFS or FUSE hiccup): that says nothing of a rotation. Taking
		// it for one closed the file and, once the path worked again, read
		// the same file again from its start. (A missing file or a parent
		// that is no longer a directory: the file was moved or deleted.)
		return nil
	}
	// What was written to the old file before the switch comes first.
	c := ff.cur
	ff.cur = nil
	if err := ff.read(c); err != nil {
		return err
	}
	c.active = now
	ff.old = append(ff.old, c)
	if len(ff.old) > maxDraining {
		if err := ff.closeOld(0); err != nil {
			return err
		}
	}
	if ff.openPath(now, "rotated") {
		return ff.read(ff.cur)
	}
	return nil
}

// drainOld reads the rotated-away files, and lets go of those no writer
// is likely to write to any more: quiet for drainQuiet since the file at
// the path has had bytes, or was taken over from another input (which let
// it go once its own writer had moved on and it was quiet: this input's
// files rotated away before it are older still), or deleted and quiet for
// drainDeletedQuiet. A taken-over file gets no bytes, its writer gone: the
// file renamed over it, deleted, was kept for drainDeletedQuiet, and the
// state said "following +rotated" for that minute with nothing to read.
func (ff *fileFollower) drainOld(now time.Time) error {
	moved := ff.cur != nil && (ff.cur.fed || ff.cur.takenOver)
	for i := 0; i < len(ff.old); i++ {
		o := ff.old[i]
		before := o.off
		if err := ff.read(o); err != nil {
			return err
		}
		if o.off > before {
			o.active = now
		}
		quiet := now.Sub(o.active)
		if quiet >= drainQuiet && moved || quiet >= drainDeletedQuiet && deleted(o.f) {
			if err := ff.closeOld(i); err != nil {
				return err
			}
			i--
		}
	}
	return nil
}

// closeOld stops reading a rotated-away file; its last line, even without a
// newline, is complete now.
func (ff *fileFollower) closeOld(i int) error {
	o := ff.old[i]
	ff.old = append(ff.old[:i], ff.old[i+1:]...)
	ff.gone = append(ff.gone[:min(len(ff.gone), maxGone-1)], fileRead{})
	copy(ff.gone[1:], ff.gone)
	ff.gone[0] = o.soFar()
	ff.files.release(o.id, ff.in)
	o.f.Close()
	return o.split.flush(ff.emit)
}

// deleted reports whether f has no name left: its space is freed only
// when the last descriptor of it closes.
func deleted(f *os.File) bool {
	st, err := f.Stat()
	if err != nil {
		return false
	}
	n, ok := linkCount(st)
	return ok && n == 0
}

func (ff *fileFollower) closeAll() {
	if ff.cur != nil {
		ff.files.release(ff.cur.id, ff.in)
		ff.cur.f.Close()
	}
	for _, o := range ff.old {
		ff.files.release(o.id, ff.in)
		o.f.Close()
	}
}

// stateFollowingRotated is the state while a rotated-away file is still
// read beside the one at the path ("+2 rotated" when two are).
const stateFollowingRotated = StateFollowing + " +rotated"

// steady is the state when all is well: "following", or
// stateFollowingRotated while rotated-away files are still read, with
// noteNewFileEmpty while the file at the path has had no byte.
func (ff *fileFollower) steady() string {
	s := stateFollowingRotated
	switch len(ff.old) {
	case 0:
		return StateFollowing
	case 1:
	default:
		s = fmt.Sprintf("%s +%d rotated", StateFollowing, len(ff.old))
	}
	if ff.cur != nil && !ff.cur.fed && !ff.cur.takenOver {
		s += noteNewFileEmpty
	}
	return s
}

// noteNewFileEmpty says why a rotated-away file is still read: nothing
// shows its writer has moved to the new file (drainOld). nginx's error
// log, rotated with its access log (mv both, then USR1), gets no line
// until the next error; its old file is read until then, and its state
// said "following +rotated" beside the access log's "following", nothing
// telling why (QA s38 L3).
const noteNewFileEmpty = " (new file still empty)"

// problem shows a state that lasts until the problem is gone.
func (ff *fileFollower) problem(s string) {
	ff.in.SetState(s)
	ff.shown, ff.transient = s, false
	ff.troubled = true
}

// well shows the steady state.
func (ff *fileFollower) well() {
	s := ff.steady()
	ff.in.SetState(s)
	ff.shown, ff.transient, ff.troubled = s, false, false
}

// event shows something that happened, for eventHold.
func (ff *fileFollower) event(now time.Time, s string) {
	ff.in.SetState(s)
	ff.shown, ff.shownAt, ff.transient = s, now, true
}

// following shows that a file is open again, after event why if any.
func (ff *fileFollower) following(now time.Time, why string) {
	if why != "" {
		ff.event(now, why)
		return
	}
	ff.well()
}

// settle goes back to the steady state once a problem is gone or an event
// has been shown long enough, and keeps it up to date as rotated-away
// files are let go. A state set by someone else (the decoder's "format
// not recognised") is left alone.
func (ff *fileFollower) settle(now time.Time) {
	if ff.troubled || ff.shown == ff.steady() || ff.in.State() != ff.shown {
		return
	}
	if ff.transient && now.Sub(ff.shownAt) < eventHold {
		return
	}
	ff.well()
}
