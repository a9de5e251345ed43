package main

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync/atomic"

	"fivexx/classify"
	"fivexx/sources"
)

// samelog.go finds one log given under two names: a copy (access.log and
// access.log.1), or the file and its .gz beside it (gzip -k, a failed
// delaycompress, both picked up by access.log*). givenTwice catches the
// same file under two paths; these are two files, and every line was
// counted twice, silently. The rules are:
//   - Only regular files are compared, as read (gzip inflated): their
//     heads first (peekHead), and whole only when their first
//     minSameLines lines or more agree, which lines of two different logs
//     (each with its time stamp) do not.
//   - When one file holds every byte of the other from the start (the
//     same log, or an older copy of the one still growing), the shorter
//     one is not read: the plain file is kept over its .gz when they are
//     the same. Nothing of the kept file is lost, so no real request is.
//     Lines are not dropped one by one: two requests of a combined log
//     can share a line (same client, second, path and size).
//   - Only when they are one log (as overlaps has it): an older copy
//     when their names are one log's (oneLogNames) and it holds
//     minCutLines lines or more, minSameLines of them different; the same
//     bytes when their names are one log's or they are that long. Two
//     proxies' logs can begin with the same probe lines, and one made of
//     those alone is a log of its own.
//   - Otherwise (they share a head and then differ, or are not one log),
//     both are read and the advice says they share those lines, counted
//     twice if they are copies of one log (for a head under minCutLines
//     lines, only when their names are one log's).
//   - A report and a replay compare; live only with --from-start (it
//     reads from the end of its files otherwise).

// minSameLines is how many first lines two inputs must share to be
// compared whole.
const minSameLines = 4

// sameLogs returns specs without the inputs that repeat another's lines
// from its start, and the advice that says so.
func sameLogs(specs []sources.Spec, peeked *headCache) ([]sources.Spec, []classify.Advice) {
	heads := make([][]string, len(specs))
	for i, s := range specs {
		if peekable(s) {
			heads[i], _ = peeked.head(s.Path)
		}
	}
	drop := make([]bool, len(specs))
	var notes []classify.Advice
	for i := range specs {
		for j := i + 1; j < len(specs) && !drop[i]; j++ {
			if drop[j] || sharedHead(heads[i], heads[j]) < minSameLines {
				continue
			}
			a, b := specs[i], specs[j]
			c, err := compareFiles(a.Path, b.Path)
			if err != nil {
				continue // its reader says what is wrong
			}
			long := c.lines >= minCutLines && differentHead(heads[i], c.lines) >= minSameLines
			names := oneLogNames(a.Path, b.Path)
			switch {
			case c.aEnds && c.bEnds && (names || long):
				gone, kept := j, i
				if gzipped(peeked, a.Path) && !gzipped(peeked, b.Path) {
					gone, kept = i, j
				}
				drop[gone] = true
				notes = append(notes, classify.Advice{
					Problem: fmt.Sprintf("%s is the same log as %s (%s): read once", specs[gone].Label(), specs[kept].Label(), linesText(c.lines)),
					Fix:     sameLogFix,
				})
			case (c.aEnds || c.bEnds) && names && long:
				gone, kept := i, j
				if c.bEnds {
					gone, kept = j, i
				}
				drop[gone] = true
				notes = append(notes, classify.Advice{
					Problem: fmt.Sprintf("%s holds only the first %s of %s (an older copy): only %s was read", specs[gone].Label(), linesText(c.lines), specs[kept].Label(), specs[kept].Label()),
					Fix:     sameLogFix,
				})
			case names || c.lines >= minCutLines:
				notes = append(notes, classify.Advice{
					Problem: fmt.Sprintf("%s and %s begin with the same %s: both were read whole; if they are copies of one log, those requests are counted twice", a.Label(), b.Label(), identicalLines(c.lines)),
					Fix:     sharedFix,
				})
			}
		}
	}
	notes = append(notes, overlaps(specs, heads, drop, peeked)...)
	var out []sources.Spec
	for i, s := range specs {
		if !drop[i] {
			out = append(out, s)
		}
	}
	return out, notes
}

// tailWindow is how far back from a file's end another input's first line
// is looked for: an overlap longer than that is not found.
const tailWindow = 1 << 20

// minCutLines is how long a stretch two inputs share must be, in lines,
// before one is cut for it (or, between inputs whose names are not one
// log's, before the advice mentions it): two proxies' logs share short
// stretches (a probe or a load test hitting both in the same second).
const minCutLines = 16

// overlaps finds two captures of one log that overlap (the end of a is
// the start of b: access.log.1 and access.log after a copytruncate whose
// copy went on being written; two exports of overlapping hours): every
// line of the overlap was a request, and a 5xx, twice, without a word.
// The rules are:
//   - b's first line is looked for in the last tailWindow of a, a plain
//     file, at a line's start; from there a and b are compared byte for
//     byte (b inflated when gzip). Only a stretch of minSameLines lines
//     or more counts: two logs of one format can share a line.
//   - Lines are cut only when the two are one log: their names are one
//     log's (oneLogNames: the same directory, the same name but for
//     rotation suffixes, access.log and access.log.1), and the stretch
//     is minCutLines lines or more, minSameLines of them different (a
//     burst of one line at a rotation is not an overlap). Two proxies'
//     logs (lb1/access.log, lb2/access.log) share lines that were
//     requests to each: those are kept.
//   - a's rest is b's start: a is read up to there (Spec.StopAt), so
//     each line of the overlap is read once, in b; the input and the
//     advice say how many lines, and where they were read.
//   - b is all within a: b is not read, as an older copy is not.
//   - otherwise (they share lines, then differ; or not one log): both are
//     read whole, and the advice says they share those lines and that if
//     they are copies of one log, those requests are counted twice; not
//     for a stretch under minCutLines between names that are not one
//     log's.
//
// Each a's tail is read once, and every line start in it looked up among
// the other inputs' first lines: the cost is linear in the inputs (120
// logs of one directory compared pairwise read 120 x 119 tails).
func overlaps(specs []sources.Spec, heads [][]string, drop []bool, peeked *headCache) []classify.Advice {
	byFirst := map[string][]int{}
	for j := range specs {
		if !drop[j] && len(heads[j]) >= minSameLines {
			byFirst[heads[j][0]] = append(byFirst[heads[j][0]], j)
		}
	}
	others := 0 // inputs whose tail may hold another's first line
	for j := range specs {
		if !drop[j] && len(heads[j]) > 0 {
			others++
		}
	}
	if len(byFirst) == 0 || others < 2 {
		// One input: its tail (1 MiB read, 1 MB allocated: the most of
		// a combined.log report's allocations after its 5xx texts) can
		// hold no other's first line.
		return nil
	}
	var notes []classify.Advice
	var buf []byte
	for i := range specs {
		if drop[i] || specs[i].StopAt > 0 || len(heads[i]) == 0 || gzipped(peeked, specs[i].Path) {
			continue
		}
		var found []overlap
		found, buf = findOverlaps(i, specs, heads, drop, byFirst, buf)
		for _, o := range found {
			j := o.b
			if drop[i] || drop[j] || specs[i].StopAt > 0 {
				continue
			}
			a, b := specs[i], specs[j]
			oneLog := o.lines >= minCutLines && o.different >= minSameLines && oneLogNames(a.Path, b.Path)
			switch {
			case oneLog && o.bEnds:
				drop[j] = true
				notes = append(notes, classify.Advice{
					Problem: fmt.Sprintf("%s holds only lines %d-%d of %s: only %s was read", b.Label(), o.line, o.line+o.lines-1, a.Label(), a.Label()),
					Fix:     sameLogFix,
				})
			case oneLog && o.aEnds:
				specs[i].StopAt, specs[i].Repeated, specs[i].RepeatedIn = o.at, o.lines, b.Label()
				notes = append(notes, classify.Advice{
					Problem: fmt.Sprintf("the last %s of %s are the first of %s (overlapping copies of one log): read once, in %s", linesText(o.lines), a.Label(), b.Label(), b.Label()),
					Fix:     "give each stretch of a log once; fivexx reads the lines both hold once, as long as they are the same bytes",
				})
			case o.lines >= minCutLines || oneLogNames(a.Path, b.Path):
				notes = append(notes, classify.Advice{
					Problem: fmt.Sprintf("%s and %s share %s (%s's first, from line %d of %s): both were read whole; if they are copies of one log, those requests are counted twice", a.Label(), b.Label(), identicalLines(o.lines), b.Label(), o.line, a.Label()),
					Fix:     sharedFix,
				})
			}
		}
	}
	return notes
}

const sharedFix = "if one is a copy of the other, leave it out, or give the copies of one log their rotated names side by side (access.log.1, access.log): fivexx reads an overlap once only between those"

// differentHead counts how many of head's first n lines differ from the
// line before them (the first counts).
func differentHead(head []string, n int64) int64 {
	var d int64
	for i := range min(int64(len(head)), n) {
		if i == 0 || head[i] != head[i-1] {
			d++
		}
	}
	return d
}

func identicalLines(n int64) string {
	if n == 1 {
		return "1 identical line"
	}
	return fmt.Sprintf("%d identical lines", n)
}

// overlap is where b's first line is in a (at, a byte offset; line, its
// line number), how many lines they share from there (different: how
// many of them differ from the line before), and which ended there:
// aEnds, every byte of a from at is at b's start; bEnds, b is all within
// a.
type overlap struct {
	b            int
	at           int64
	line         int64
	lines        int64
	different    int64
	aEnds, bEnds bool
}

// maxTries is how many places of b's first line in a's tail are compared
// with b before b is taken not to overlap a.
const maxTries = 8

// tailsRead counts findOverlaps' reads of a tail, for the test that each
// input's tail is read once at most.
var tailsRead atomic.Int64

// findOverlaps reads the last tailWindow of input i once (into buf, kept
// for the next call) and looks every line start in it up among the first
// lines of the other inputs (byFirst); from each place found it compares
// i with that input, until a stretch of minSameLines lines is found. It
// returns what it found, in the other inputs' order.
func findOverlaps(i int, specs []sources.Spec, heads [][]string, drop []bool, byFirst map[string][]int, buf []byte) ([]overlap, []byte) {
	tailsRead.Add(1)
	f, err := os.Open(specs[i].Path)
	if err != nil {
		return nil, buf
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil || st.Size() == 0 {
		return nil, buf
	}
	from := max(st.Size()-tailWindow, 0)
	if int64(cap(buf)) < st.Size()-from {
		buf = make([]byte, st.Size()-from)
	}
	n, _ := f.ReadAt(buf[:st.Size()-from], from)
	tail := buf[:n]
	var found []overlap
	var tries map[int]int
	done := map[int]bool{}
	// Line starts after a newline only: a line at the file's start is
	// sameLogs' (its head), as before.
	for k := bytes.IndexByte(tail, '\n') + 1; k > 0 && k < len(tail); {
		end := bytes.IndexByte(tail[k:], '\n')
		next := -1
		line := tail[k:]
		if end >= 0 {
			line, next = tail[k:k+end], k+end+1
		}
		line = bytes.TrimSuffix(line, []byte{'\r'})
		for _, j := range byFirst[string(line)] {
			if j == i || drop[j] || done[j] || sharedHead(heads[i], heads[j]) >= minSameLines {
				continue
			}
			if tries == nil {
				tries = map[int]int{}
			}
			if tries[j]++; tries[j] > maxTries {
				done[j] = true
				continue
			}
			c, err := compareFrom(f, from+int64(k), specs[j].Path)
			if err != nil {
				done[j] = true
				continue
			}
			lines := c.lines
			if !c.whole && (c.aEnds || c.bEnds) {
				lines++ // the one that ends ends inside a line: cut short
			}
			if lines >= minSameLines {
				done[j] = true
				at := from + int64(k)
				found = append(found, overlap{b: j, at: at, line: lineNumber(f, at), lines: lines, different: differentLines(tail[k:], lines), aEnds: c.aEnds, bEnds: c.bEnds})
			}
		}
		if next < 0 {
			break
		}
		k = next
	}
	slices.SortFunc(found, func(x, y overlap) int { return x.b - y.b })
	return found, buf
}

// differentLines counts how many of the first n lines of b differ from the
// line before them (the first counts).
func differentLines(b []byte, n int64) int64 {
	var d int64
	var prev []byte
	for i := int64(0); i < n && len(b) > 0; i++ {
		end := bytes.IndexByte(b, '\n')
		line := b
		if end >= 0 {
			line, b = b[:end], b[end+1:]
		} else {
			b = nil
		}
		if i == 0 || !bytes.Equal(line, prev) {
			d++
		}
		prev = line
	}
	return d
}

// rotationSuffix is one suffix logrotate, a copy or an export adds to a
// log's name: a number after a dot (access.log.1; not web-1.log, one
// replica's), a date (-20261124, .2026-11-24, -2026112403, and
// dateformat's -%s seconds), a compression, .old and the like.
var rotationSuffix = regexp.MustCompile(`(?i)(\.\d{1,4}|[.-](\d{8}|\d{10}|\d{4}-\d{2}-\d{2})|\.(gz|bz2|xz|zst|lz4|z|old|bak|orig|prev|save|copy)|~)$`)

// logStem is path's name without rotation suffixes, before or after its
// extension (access.log.1, access.log-20261124.gz, access-20261124.log:
// access.log).
func logStem(path string) string {
	name := filepath.Base(path)
	for {
		cut := rotationSuffix.ReplaceAllString(name, "")
		if cut == name || cut == "" {
			break
		}
		name = cut
	}
	ext := filepath.Ext(name)
	if ext == "" {
		return name
	}
	base := strings.TrimSuffix(name, ext)
	for {
		cut := rotationSuffix.ReplaceAllString(base, "")
		if cut == base || cut == "" {
			break
		}
		base = cut
	}
	return base + ext
}

// oneLogNames says whether two paths name copies of one log: the same
// directory and the same name but for rotation suffixes (logStem). Two
// proxies' logs of one name (lb1/access.log, lb2/access.log) are not.
func oneLogNames(a, b string) bool {
	return filepath.Dir(filepath.Clean(a)) == filepath.Dir(filepath.Clean(b)) && logStem(a) == logStem(b)
}

// lineNumber is the number of the line at offset at of f (1 for the first).
func lineNumber(f *os.File, at int64) int64 {
	r := bufio.NewReaderSize(io.NewSectionReader(f, 0, at), 64<<10)
	n := int64(1)
	for {
		b, err := r.ReadSlice('\n')
		if len(b) > 0 && b[len(b)-1] == '\n' {
			n++
		}
		if err != nil && err != bufio.ErrBufferFull {
			return n
		}
	}
}

const sameLogFix = "give each log once: a glob like access.log* also takes a copy or a .gz of the same file (gzip -k, a failed delaycompress)"

func linesText(n int64) string {
	if n == 1 {
		return "1 line"
	}
	return fmt.Sprintf("%d lines", n)
}

// sharedHead is how many first lines two heads share.
func sharedHead(a, b []string) int {
	n := 0
	for n < len(a) && n < len(b) && a[n] == b[n] {
		n++
	}
	return n
}

func gzipped(heads *headCache, path string) bool {
	_, gz := heads.head(path)
	return gz
}

// comparison is how two files' contents compare: aEnds when every byte of
// a is at the start of b, bEnds the other way (both: the same bytes), and
// lines the whole lines they share from the start.
type comparison struct {
	aEnds, bEnds bool
	lines        int64
	whole        bool // the bytes they share end with a newline (or none)
}

// compareFiles reads two files (gzip inflated) side by side to where they
// differ or end.
func compareFiles(pa, pb string) (comparison, error) {
	var c comparison
	fa, _, err := sources.OpenFile(pa, nil)
	if err != nil {
		return c, err
	}
	defer fa.Close()
	return compareWith(fa, pb)
}

// compareFrom is compareFiles of plain file a from offset at (whole
// says whether the bytes they share end with a newline).
func compareFrom(a *os.File, at int64, pb string) (comparison, error) {
	st, err := a.Stat()
	if err != nil {
		return comparison{}, err
	}
	return compareWith(io.NewSectionReader(a, at, st.Size()-at), pb)
}

// compareWith is compareFiles of a, read from where it is, and file pb.
func compareWith(fa io.Reader, pb string) (comparison, error) {
	var c comparison
	fb, _, err := sources.OpenFile(pb, nil)
	if err != nil {
		return c, err
	}
	defer fb.Close()
	ra, rb := bufio.NewReaderSize(fa, 64<<10), bufio.NewReaderSize(fb, 64<<10)
	c.whole = true
	for {
		ba, errA := ra.Peek(32 << 10)
		bb, errB := rb.Peek(32 << 10)
		if errA != nil && errA != io.EOF && errA != bufio.ErrBufferFull {
			return c, errA
		}
		if errB != nil && errB != io.EOF && errB != bufio.ErrBufferFull {
			return c, errB
		}
		n := min(len(ba), len(bb))
		same := 0
		for same < n && ba[same] == bb[same] {
			same++
		}
		c.lines += int64(bytes.Count(ba[:same], []byte{'\n'}))
		if same > 0 {
			c.whole = ba[same-1] == '\n'
		}
		if same < n || n == 0 || (len(ba) != len(bb) && (errA == io.EOF || errB == io.EOF) && same == n) {
			c.aEnds = same == len(ba) && errA == io.EOF
			c.bEnds = same == len(bb) && errB == io.EOF
			return c, nil
		}
		ra.Discard(same)
		rb.Discard(same)
	}
}
