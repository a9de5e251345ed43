package main

// The feed: biglog's three logs are generated into a pool first (it has no
// streaming API), then read back in time order and appended to the files
// fivexx follows, at a set rate, with every time stamp rewritten to the
// moment of appending. Live mode keeps stats by log time and judges by wall
// time: lines from 2026-01-02 appended now would fall out of the window
// behind the markers, which carry the current time.

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"time"

	"fivexx/testdata/biglog"
)

// logKind is one of the three logs fivexx follows. The order breaks ties
// between lines of the same time: the app logs a request before nginx
// writes its error line, and the error line before the access line.
type logKind int

const (
	kindApp logKind = iota
	kindError
	kindAccess
	numKinds
)

// fileNames are the pool's and the followed files' names, by kind.
var fileNames = [numKinds]string{kindApp: biglog.AppFile, kindError: biglog.ErrorFile, kindAccess: biglog.AccessFile}

func (k logKind) String() string { return [...]string{"app", "error", "access"}[k] }

// The time stamp layouts of the three logs, as biglog and nginx write them.
const (
	accessLayout = "02/Jan/2006:15:04:05 -0700"  // $time_local, inside [ ]
	errorLayout  = "2006/01/02 15:04:05"         // error log: local time, no zone
	appLayout    = "2006-01-02T15:04:05.000000Z" // after {"time":"
	appPrefix    = `{"time":"`
)

// stampSpan returns where the time stamp of a line of kind k sits.
func stampSpan(k logKind, line []byte) (off, n int, ok bool) {
	switch k {
	case kindAccess:
		off = bytes.IndexByte(line, '[') + 1
		n = len(accessLayout)
		ok = off > 0 && len(line) > off+n && line[off+n] == ']'
	case kindError:
		n = len(errorLayout)
		ok = len(line) > n && line[4] == '/' && line[n] == ' '
	case kindApp:
		off, n = len(appPrefix), len(appLayout)
		ok = bytes.HasPrefix(line, []byte(appPrefix)) && len(line) > off+n && line[off+n-1] == 'Z'
	}
	return off, n, ok
}

// stamps are one instant formatted for each log; lines appended in one
// slice share them.
type stamps [numKinds]string

func stampsAt(t time.Time) stamps {
	var s stamps
	s[kindAccess] = t.Format(accessLayout)
	s[kindError] = t.Format(errorLayout)
	s[kindApp] = t.UTC().Format(appLayout)
	return s
}

// restamp appends line to dst with its time stamp replaced by st's.
func restamp(dst []byte, k logKind, line []byte, st *stamps) ([]byte, error) {
	off, n, ok := stampSpan(k, line)
	if !ok || len(st[k]) != n {
		return dst, fmt.Errorf("no %s time stamp in %q", k, clipLine(line))
	}
	dst = append(dst, line[:off]...)
	dst = append(dst, st[k]...)
	return append(dst, line[off+n:]...), nil
}

// accessStatus returns the status of an access line: the number after the
// quoted request (nginx escapes quotes inside it as \x22).
func accessStatus(line []byte) int {
	off, n, ok := stampSpan(kindAccess, line)
	if !ok {
		return 0
	}
	rest := line[off+n:]
	i := bytes.Index(rest, []byte(`" `))
	if i < 0 || len(rest) < i+5 {
		return 0
	}
	s := 0
	for _, c := range rest[i+2 : i+5] {
		if c < '0' || c > '9' {
			return 0
		}
		s = s*10 + int(c-'0')
	}
	return s
}

func clipLine(b []byte) string {
	if len(b) > 120 {
		return string(b[:120]) + "…"
	}
	return string(b)
}

// poolFile is one generated log read line by line.
type poolFile struct {
	kind logKind
	f    *os.File
	r    *bufio.Reader
	line []byte // the current line without its newline; nil at the end
	key  int64  // its original time, unix µs, for the merge
	// the last parsed second of a stamp: lines of one second share it
	lastStamp []byte
	lastSec   int64
}

// maxLine bounds a pool line; biglog's longest are far shorter.
const maxLine = 1 << 20

func (p *poolFile) advance() error {
	b, err := p.r.ReadSlice('\n')
	if errors.Is(err, io.EOF) && len(b) == 0 {
		p.line = nil
		return nil
	}
	if err != nil && !errors.Is(err, io.EOF) {
		return fmt.Errorf("read %s: %w", p.f.Name(), err)
	}
	p.line = bytes.TrimSuffix(b, []byte("\n"))
	return p.setKey()
}

// setKey reads the line's original time. Access and error lines are
// stamped to the second: they sort at the end of it, after the app lines
// of the same second, as they were written after them.
func (p *poolFile) setKey() error {
	off, n, ok := stampSpan(p.kind, p.line)
	if !ok {
		return fmt.Errorf("%s: no time stamp in %q", p.f.Name(), clipLine(p.line))
	}
	stamp := p.line[off : off+n]
	secPart, layout := stamp, accessLayout
	switch p.kind {
	case kindError:
		layout = errorLayout
	case kindApp:
		secPart, layout = stamp[:19], appLayout[:19]
	}
	if !bytes.Equal(secPart, p.lastStamp) {
		t, err := time.ParseInLocation(layout, string(secPart), time.UTC)
		if err != nil {
			return fmt.Errorf("%s: %w", p.f.Name(), err)
		}
		p.lastStamp = append(p.lastStamp[:0], secPart...)
		p.lastSec = t.Unix()
	}
	frac := int64(999_999)
	if p.kind == kindApp {
		frac = 0
		for _, c := range stamp[20:26] {
			frac = frac*10 + int64(c-'0')
		}
	}
	p.key = p.lastSec*1_000_000 + frac
	return nil
}

// pool merges the three generated logs into the order their lines were
// written in.
type pool struct {
	files [numKinds]*poolFile
}

func openPool(dir string) (*pool, error) {
	p := &pool{}
	for k := range numKinds {
		f, err := os.Open(filepath.Join(dir, fileNames[k]))
		if err != nil {
			p.close()
			return nil, err
		}
		pf := &poolFile{kind: k, f: f, r: bufio.NewReaderSize(f, maxLine)}
		p.files[k] = pf
		if err := pf.advance(); err != nil {
			p.close()
			return nil, err
		}
	}
	return p, nil
}

// next returns the earliest line not handed out yet; the slice is valid
// until the next call. ok is false when the pool is used up.
func (p *pool) next() (k logKind, line []byte, ok bool, err error) {
	var best *poolFile
	for _, f := range p.files {
		if f.line != nil && (best == nil || f.key < best.key) {
			best = f
		}
	}
	if best == nil {
		return 0, nil, false, nil
	}
	k, line = best.kind, best.line
	// ReadSlice reuses the buffer: copy before reading on.
	line = append([]byte(nil), line...)
	return k, line, true, best.advance()
}

func (p *pool) close() {
	for _, f := range p.files {
		if f != nil {
			f.f.Close()
		}
	}
}

// generatePool writes enough of biglog's logs in dir for lines lines in
// total across the three files, and returns what it wrote.
func generatePool(dir string, lines int64, seed uint64, logRate float64) (biglog.Stats, error) {
	// About 1.7 lines per request (access, app, some error lines): ask for
	// too many rather than too few, and once more if it was not enough.
	requests := lines*10/16 + 1000
	for range 3 {
		st, err := biglog.Generate(dir, biglog.Config{Lines: requests, Seed: seed, Rate: logRate, NoCombined: true})
		if err != nil {
			return st, err
		}
		if st.TotalLines() >= lines {
			return st, nil
		}
		requests = requests*lines/max(st.TotalLines(), 1) + 1000
	}
	return biglog.Stats{}, fmt.Errorf("biglog gave fewer than %d lines", lines)
}

// feeder appends to the three followed files. The probe loop writes its
// markers to the access log too: mu keeps their writes apart.
type feeder struct {
	mu    sync.Mutex
	files [numKinds]*os.File
	pool  *pool
	bufs  [numKinds][]byte

	// What was appended, markers aside: lines per file (read at any time),
	// and, read after run returns, the access lines with a 5xx status.
	lines     [numKinds]atomic.Int64
	fivexx    int64
	byStatus  map[int]int64 // 5xx access lines by status
	exhausted bool
}

// openFeed opens the followed files for appending.
func openFeed(dir string, p *pool) (*feeder, error) {
	f := &feeder{pool: p, byStatus: map[int]int64{}}
	for k := range numKinds {
		fh, err := os.OpenFile(filepath.Join(dir, fileNames[k]), os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644)
		if err != nil {
			f.close()
			return nil, err
		}
		f.files[k] = fh
	}
	return f, nil
}

func (f *feeder) close() {
	for _, fh := range f.files {
		if fh != nil {
			fh.Close()
		}
	}
}

// seed writes the first lines of each pool file, restamped to now, so the
// formats are detected from the head before fivexx starts at the end. They
// are not counted: fivexx does not read them as lines.
func seedFiles(poolDir, dir string, n int, now time.Time) error {
	st := stampsAt(now)
	for k := range numKinds {
		in, err := os.Open(filepath.Join(poolDir, fileNames[k]))
		if err != nil {
			return err
		}
		sc := bufio.NewScanner(in)
		sc.Buffer(make([]byte, 64<<10), maxLine)
		var out []byte
		for i := 0; i < n && sc.Scan(); i++ {
			if out, err = restamp(out, k, sc.Bytes(), &st); err != nil {
				in.Close()
				return err
			}
			out = append(out, '\n')
		}
		in.Close()
		if err := sc.Err(); err != nil {
			return err
		}
		if err := os.WriteFile(filepath.Join(dir, fileNames[k]), out, 0o644); err != nil {
			return err
		}
	}
	return nil
}

// feedResult is what run appended and when.
type feedResult struct {
	start, end time.Time
	total      int64
	maxGap     time.Duration // the longest time between two slices
}

// run appends rate lines per second in slices of slice, for d, stamped
// with the time of their slice. A slice that comes late (the machine is
// busy) writes what the schedule owes, so the rate holds on average.
func (f *feeder) run(ctx context.Context, rate float64, d, slice time.Duration) (feedResult, error) {
	res := feedResult{start: time.Now()}
	tick := time.NewTicker(slice)
	defer tick.Stop()
	prev := res.start
	for {
		var now time.Time
		select {
		case <-ctx.Done():
			res.end = time.Now()
			return res, ctx.Err()
		case <-tick.C:
		}
		// The ticker's time is when it fired, not when this goroutine ran.
		now = time.Now()
		res.maxGap = max(res.maxGap, now.Sub(prev))
		prev = now
		el := min(now.Sub(res.start), d)
		owed := int64(rate*el.Seconds()) - res.total
		if owed > 0 {
			n, err := f.appendSlice(owed, now)
			res.total += n
			if err != nil {
				res.end = time.Now()
				return res, err
			}
		}
		if el >= d || f.exhausted {
			res.end = time.Now()
			return res, nil
		}
	}
}

// appendSlice appends the next n pool lines, each file in one write.
func (f *feeder) appendSlice(n int64, now time.Time) (int64, error) {
	st := stampsAt(now)
	for k := range f.bufs {
		f.bufs[k] = f.bufs[k][:0]
	}
	var done int64
	var counts [numKinds]int64
	var fivexx int64
	for done < n {
		k, line, ok, err := f.pool.next()
		if err != nil {
			return done, err
		}
		if !ok {
			f.exhausted = true
			break
		}
		if f.bufs[k], err = restamp(f.bufs[k], k, line, &st); err != nil {
			return done, err
		}
		f.bufs[k] = append(f.bufs[k], '\n')
		if k == kindAccess {
			if s := accessStatus(line); s >= 500 && s <= 599 {
				fivexx++
				f.byStatus[s]++
			}
		}
		counts[k]++
		done++
	}
	// App and error lines first: the access line of a request comes last.
	for k := range numKinds {
		if len(f.bufs[k]) == 0 {
			continue
		}
		if err := f.write(k, f.bufs[k]); err != nil {
			return done, err
		}
		f.lines[k].Add(counts[k])
	}
	f.fivexx += fivexx
	return done, nil
}

func (f *feeder) write(k logKind, b []byte) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if _, err := f.files[k].Write(b); err != nil {
		return fmt.Errorf("append to %s: %w", f.files[k].Name(), err)
	}
	return nil
}

// markerUpstream is the never-seen upstream every marker line names; the
// overview is filtered on it so its row is the only one.
const markerUpstream = "10.250.0.1:9000"

// markerLine is marker n: a 502 from markerUpstream with a path and request
// id of its own, in the layout of biglog's access lines (nginx-upstream).
func markerLine(n int, at time.Time) string {
	return fmt.Sprintf(`127.0.0.1 - - [%s] "GET /livebench/marker/%d HTTP/1.1" 502 157 "-" "livebench" rt=0.001 uct="-" uht="-" urt="0.001" ua="%s" us="502" rid=%032x cid=%d`,
		at.Format(accessLayout), n, markerUpstream, 0xfeed0000+n, 9_000_000+n)
}

// writeMarker appends marker n to the access log and returns when the
// write started: the latency measured from there includes the write.
func (f *feeder) writeMarker(n int) (time.Time, error) {
	at := time.Now()
	if err := f.write(kindAccess, []byte(markerLine(n, at)+"\n")); err != nil {
		return time.Time{}, err
	}
	return at, nil
}
