package biglog

import (
	"bufio"
	"cmp"
	"fmt"
	"slices"
)

// A log is written in time order, but a request's lines are made when the
// request starts, up to a few tens of seconds ahead of lines made later for
// requests that start later. sortedLog holds the lines of the next
// ringSeconds seconds in one bucket per second and writes a second out,
// sorted, once no request can add to it any more. Memory stays bounded by
// the seconds held, however many lines are written.

// ringSeconds is how far ahead of the current request a line may be.
const ringSeconds = 128

// entry is one held line: its time and where it sits in the arena.
type entry struct {
	t      int64 // unix ns
	off, n int32
	cut    int32 // length of the prefix written to the short log
}

// bucket holds the lines of one second.
type bucket struct {
	arena []byte
	idx   []entry
}

// sortedLog writes lines to out in time order; when short is set it also
// writes each line's prefix (up to its cut) there, in the same order.
type sortedLog struct {
	out, short *bufio.Writer
	ring       [ringSeconds]bucket
	next       int64 // the first second (unix) not written yet
	lines      int64
	bytes      int64
	shortBytes int64
}

func newSortedLog(out, short *bufio.Writer, firstSec int64) *sortedLog {
	return &sortedLog{out: out, short: short, next: firstSec}
}

// add holds line, made at unix ns t, until its second is written. cut is the
// length of the prefix for the short log.
func (s *sortedLog) add(t int64, line []byte, cut int) error {
	sec := t / 1e9
	if sec < s.next || sec >= s.next+ringSeconds {
		return fmt.Errorf("line at second %d outside the held window [%d, %d)", sec, s.next, s.next+ringSeconds)
	}
	b := &s.ring[sec%ringSeconds]
	b.idx = append(b.idx, entry{t: t, off: int32(len(b.arena)), n: int32(len(line)), cut: int32(cut)})
	b.arena = append(b.arena, line...)
	return nil
}

// writeBefore writes every held second before sec. Write errors stick in
// the bufio.Writer and come out of its Flush.
func (s *sortedLog) writeBefore(sec int64) {
	for ; s.next < sec; s.next++ {
		b := &s.ring[s.next%ringSeconds]
		if len(b.idx) == 0 {
			continue
		}
		// The arena offset breaks ties: lines of the same instant keep the
		// order they were made in, so the output is deterministic.
		slices.SortFunc(b.idx, func(x, y entry) int {
			if c := cmp.Compare(x.t, y.t); c != 0 {
				return c
			}
			return cmp.Compare(x.off, y.off)
		})
		for _, e := range b.idx {
			line := b.arena[e.off : e.off+e.n]
			s.out.Write(line)
			s.out.WriteByte('\n')
			s.bytes += int64(len(line)) + 1
			if s.short != nil {
				s.short.Write(line[:e.cut])
				s.short.WriteByte('\n')
				s.shortBytes += int64(e.cut) + 1
			}
		}
		s.lines += int64(len(b.idx))
		b.idx, b.arena = b.idx[:0], b.arena[:0]
	}
}

// writeAll writes every held line.
func (s *sortedLog) writeAll() { s.writeBefore(s.next + ringSeconds) }
