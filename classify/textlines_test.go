package classify

import (
	"strings"
	"testing"
	"time"
	"unsafe"
)

// A textLine's text is a copy unless owned: the buffer it came from (a
// recycled slot) may be overwritten at once. Lines longer than an eighth
// of a block (sources.TextArena) get a copy of their own; the rest share
// blocks.
func TestTextStoreCopiesLines(t *testing.T) {
	var s textStore
	buf := make([]byte, 0, (256 << 10))
	var kept []*textLine
	var want []string
	for i := 0; i < 3000; i++ {
		n := 50 + i%400
		if i%1000 == 999 {
			n = (256 << 10) / 4 // a long line
		}
		buf = buf[:0]
		for j := 0; j < n; j++ {
			buf = append(buf, byte('a'+(i+j)%26))
		}
		line := string(buf) // what the line said
		raw := unsafeSlotText(buf)
		kept = append(kept, s.keep(t0.Add(time.Duration(i)), raw, false))
		want = append(want, line)
		for j := range buf {
			buf[j] = '#' // the slot is reused
		}
	}
	for i, l := range kept {
		if l.RawLine() != want[i] || !l.RecordTime().Equal(t0.Add(time.Duration(i))) {
			t.Fatalf("line %d: got %.20q… at %v, want %.20q…", i, l.RawLine(), l.RecordTime(), want[i])
		}
		if strings.Contains(l.RawLine(), "#") {
			t.Fatalf("line %d shares the reused buffer", i)
		}
	}
	// An owned string is kept as it is, not copied.
	own := strings.Repeat("x", 80)
	if l := s.keep(t0, own, true); unsafe.StringData(l.RawLine()) != unsafe.StringData(own) {
		t.Fatal("an owned line's text was copied")
	}
}

// unsafeSlotText is b as a string that shares b's bytes, as a recycled
// slot's text is.
func unsafeSlotText(b []byte) string { return unsafe.String(unsafe.SliceData(b), len(b)) }
