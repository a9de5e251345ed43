package main

import (
	"bufio"
	"bytes"
	"fmt"
	"io"

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
	var out []sources.Spec
	for i, s := range specs {
		if !drop[i] {
			out = append(out, s)
		}
	}
	return out, notes
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
	fb, _, err := sources.OpenFile(pb, nil)
	if err != nil {
		return c, err
	}
	defer fb.Close()
	ra, rb := bufio.NewReaderSize(fa, 64<<10), bufio.NewReaderSize(fb, 64<<10)
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
		if same < n || n == 0 || (len(ba) != len(bb) && (errA == io.EOF || errB == io.EOF) && same == n) {
			c.aEnds = same == len(ba) && errA == io.EOF
			c.bEnds = same == len(bb) && errB == io.EOF
			return c, nil
		}
		ra.Discard(same)
		rb.Discard(same)
	}
}
