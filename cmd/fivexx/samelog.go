package main

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"os"

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
//   - When they share a head and then differ, both are read and the
//     advice says the lines they share are counted twice.
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
			switch {
			case c.aEnds && c.bEnds:
				gone, kept := j, i
				if gzipped(peeked, a.Path) && !gzipped(peeked, b.Path) {
					gone, kept = i, j
				}
				drop[gone] = true
				notes = append(notes, classify.Advice{
					Problem: fmt.Sprintf("%s is the same log as %s (%s): read once", specs[gone].Label(), specs[kept].Label(), linesText(c.lines)),
					Fix:     sameLogFix,
				})
			case c.aEnds || c.bEnds:
				gone, kept := i, j
				if c.bEnds {
					gone, kept = j, i
				}
				drop[gone] = true
				notes = append(notes, classify.Advice{
					Problem: fmt.Sprintf("%s holds only the first %s of %s (an older copy): only %s was read", specs[gone].Label(), linesText(c.lines), specs[kept].Label(), specs[kept].Label()),
					Fix:     sameLogFix,
				})
			default:
				notes = append(notes, classify.Advice{
					Problem: fmt.Sprintf("%s and %s begin with the same %s, then differ: those requests are counted twice", a.Label(), b.Label(), linesText(c.lines)),
					Fix:     "if one is a copy of the other, leave it out: fivexx reads every input whole",
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

// overlaps finds two captures of one log that overlap (the end of a is
// the start of b: access.log.1 and access.log after a copytruncate whose
// copy went on being written; two exports of overlapping hours): every
// line of the overlap was a request, and a 5xx, twice, without a word.
// The rules are:
//   - b's first line is looked for in the last tailWindow of a, a plain
//     file, at a line's start; from there a and b are compared byte for
//     byte (b inflated when gzip). Only a stretch of minSameLines lines
//     or more counts: two logs of one format can share a line.
//   - a's rest is b's start: a is read up to there (Spec.StopAt), so
//     each line of the overlap is read once, in b; the input and the
//     advice say how many lines, and where they were read.
//   - b is all within a: b is not read, as an older copy is not.
//   - they share lines, then differ: both are read, and the advice says
//     those lines are counted twice.
func overlaps(specs []sources.Spec, heads [][]string, drop []bool, peeked *headCache) []classify.Advice {
	var notes []classify.Advice
	for i := range specs {
		for j := range specs {
			if i == j || drop[i] || drop[j] || specs[i].StopAt > 0 || len(heads[j]) < minSameLines || len(heads[i]) == 0 ||
				sharedHead(heads[i], heads[j]) >= minSameLines || gzipped(peeked, specs[i].Path) {
				continue
			}
			a, b := specs[i], specs[j]
			o, ok := findOverlap(a.Path, b.Path, heads[j][0])
			if !ok {
				continue
			}
			switch {
			case o.bEnds:
				drop[j] = true
				notes = append(notes, classify.Advice{
					Problem: fmt.Sprintf("%s holds only lines %d-%d of %s: only %s was read", b.Label(), o.line, o.line+o.lines-1, a.Label(), a.Label()),
					Fix:     sameLogFix,
				})
			case o.aEnds:
				specs[i].StopAt, specs[i].Repeated, specs[i].RepeatedIn = o.at, o.lines, b.Label()
				notes = append(notes, classify.Advice{
					Problem: fmt.Sprintf("the last %s of %s are the first of %s (overlapping copies of one log): read once, in %s", linesText(o.lines), a.Label(), b.Label(), b.Label()),
					Fix:     "give each stretch of a log once; fivexx reads the lines both hold once, as long as they are the same bytes",
				})
			default:
				notes = append(notes, classify.Advice{
					Problem: fmt.Sprintf("%s and %s share %s (%s's first, from line %d of %s), then differ: those requests are counted twice", a.Label(), b.Label(), linesText(o.lines), b.Label(), o.line, a.Label()),
					Fix:     "if one is a copy of the other, leave it out: fivexx reads every input whole",
				})
			}
		}
	}
	return notes
}

// overlap is where b's first line is in a (at, a byte offset; line, its
// line number), how many lines they share from there, and which ended
// there: aEnds, every byte of a from at is at b's start; bEnds, b is all
// within a.
type overlap struct {
	at           int64
	line         int64
	lines        int64
	aEnds, bEnds bool
}

// findOverlap looks for b's first line, first, in the last tailWindow of
// a, and compares a from each place it starts a line with b, until a
// stretch of minSameLines lines is found.
func findOverlap(pa, pb, first string) (overlap, bool) {
	var o overlap
	if len(first) == 0 {
		return o, false
	}
	f, err := os.Open(pa)
	if err != nil {
		return o, false
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil || st.Size() == 0 {
		return o, false
	}
	from := max(st.Size()-tailWindow, 0)
	buf := make([]byte, st.Size()-from)
	n, _ := f.ReadAt(buf, from)
	buf = buf[:n]
	needle := "\n" + first
	for k, tries := 0, 0; tries < 8; tries++ {
		i := bytes.Index(buf[k:], []byte(needle))
		if i < 0 {
			return o, false
		}
		k += i + 1
		c, err := compareFrom(f, from+int64(k), pb)
		if err != nil {
			return o, false
		}
		lines := c.lines
		if !c.whole && (c.aEnds || c.bEnds) {
			lines++ // the one that ends ends inside a line: cut short
		}
		if lines >= minSameLines {
			at := from + int64(k)
			return overlap{at: at, line: lineNumber(f, at), lines: lines, aEnds: c.aEnds, bEnds: c.bEnds}, true
		}
	}
	return o, false
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
