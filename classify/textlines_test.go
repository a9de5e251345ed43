package classify

import (
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"
	"unsafe"

	"fivexx/sources"
)

// A timeline-only line's text is a copy unless owned: the buffer it came
// from (a recycled slot) may be overwritten at once. Lines longer than an
// eighth of a chunk get a copy that stays (not in the ring), as do lines
// held apart (far); an owned text is kept as it is.
func TestTextStoreCopiesLines(t *testing.T) {
	var s textStore
	buf := make([]byte, 0, ringChunk)
	var kept []ringLine
	var want []string
	for i := 0; i < 3000; i++ {
		n := 50 + i%400
		if i%1000 == 999 {
			n = ringChunk / 4 // a long line
		}
		buf = buf[:0]
		for j := 0; j < n; j++ {
			buf = append(buf, byte('a'+(i+j)%26))
		}
		line := string(buf) // what the line said
		var l ringLine
		l.rec, l.raw, l.ring = s.hold(unsafeSlotText(buf), false, i%500 == 7)
		switch {
		case n > ringChunk/8 || i%500 == 7:
			if l.rec != textOnly {
				t.Fatalf("line %d (%d bytes, far %v) is in the ring", i, n, i%500 == 7)
			}
		case l.rec != textRing:
			t.Fatalf("line %d is not in the ring", i)
		}
		kept = append(kept, l)
		want = append(want, line)
		for j := range buf {
			buf[j] = '#' // the slot is reused
		}
	}
	for i, l := range kept {
		if got := l.text(&s); got != want[i] {
			t.Fatalf("line %d: got %.20q…, want %.20q…", i, got, want[i])
		}
	}
	// An owned string is kept as it is, not copied.
	own := strings.Repeat("x", 80)
	if rec, l, _ := s.hold(own, true, false); rec != textOnly || unsafe.StringData(l) != unsafe.StringData(own) {
		t.Fatal("an owned line's text was copied")
	}
}

// The ring's chunks are written again once the lines whose text they hold
// have been evicted, oldest first; the text of every line still held stays
// as it was, and a line a timeline showed keeps its copy for good.
func TestTextRingReusesChunks(t *testing.T) {
	var s textStore
	// Lines held at a time: a few hundred, then more, then fewer again.
	window := func(i int) int { return []int{300, 5000, 1000, 3000}[i/10_000%4] }
	var held []ringLine
	var want []string
	var shown []string
	var shownWant []string
	chunks := map[*byte]bool{}
	for i := 0; i < 60_000; i++ {
		line := fmt.Sprintf("line %d %s", i, strings.Repeat("abcdefgh", i%40))
		var l ringLine
		l.rec, l.raw, l.ring = s.hold(unsafeSlotText([]byte(line)), false, false)
		held, want = append(held, l), append(want, line)
		for _, c := range s.live {
			if c != nil {
				chunks[unsafe.SliceData(c)] = true
			}
		}
		if i%97 == 0 { // shown in a timeline
			j := len(held) - 1 - i%len(held)/2
			if j >= 0 {
				shown = append(shown, s.show(&held[j].rec, &held[j].raw, held[j].ring))
				shownWant = append(shownWant, want[j])
				if held[j].rec != textOnly {
					t.Fatalf("line %s: still in the ring once shown", want[j])
				}
			}
		}
		for len(held) > window(i) {
			if held[0].rec == textRing {
				s.evicted(held[0].ring)
			}
			held, want = held[1:], want[1:]
		}
		if i%100 == 0 {
			for j, l := range held {
				if got := l.text(&s); got != want[j] {
					t.Fatalf("after line %d: held line %q reads %q", i, want[j], got)
				}
			}
		}
	}
	for i := range shown {
		if shown[i] != shownWant[i] {
			t.Fatalf("shown line %q reads %q", shownWant[i], shown[i])
		}
	}
	// 5,000 lines of 170 bytes on average: 850 KB, four chunks and the
	// one being written. More would be chunks not written again.
	if len(chunks) > 7 {
		t.Errorf("%d chunks used for at most 5,000 lines of 10 to 330 bytes", len(chunks))
	}
}

// A held line kept only for timelines shows its own text; any other shows
// its record's.
func TestTextStoreShow(t *testing.T) {
	var s textStore
	// A recycled slot's text, not its own: copied into the ring.
	rec, raw, at := s.hold("200 ok", false, false)
	l := ringLine{rec: rec, raw: raw, ring: at}
	if rec != textRing || s.show(&l.rec, &l.raw, l.ring) != "200 ok" || l.rec != textOnly {
		t.Errorf("answered access line held as %v %q", rec, s.show(&l.rec, &l.raw, l.ring))
	}
	e := &sources.ProxyEntry{Status: 502, Raw: "502 bad"}
	rec, raw, at = s.holdAccess(e, nil, false)
	l = ringLine{rec: rec, raw: raw, ring: at}
	if rec != sources.Record(e) || s.show(&l.rec, &l.raw, l.ring) != "502 bad" {
		t.Errorf("5xx held as %T %q, want the entry itself", rec, s.show(&l.rec, &l.raw, l.ring))
	}
}

// ringLine is what a held line keeps of a timeline-only line: its record
// (textOnly, textRing) and its text or its place in the ring.
type ringLine struct {
	rec  sources.Record
	raw  string
	ring ringText
}

// text is l's text, from s's ring if it lies there.
func (l ringLine) text(s *textStore) string {
	if l.rec == textRing {
		return s.text(l.ring)
	}
	return l.raw
}

// heldText is the text of a held line kept only for timelines.
func heldText(c *correlator, l *heldLine) string {
	return ringLine{rec: l.rec, raw: l.raw, ring: l.ring}.text(&c.text)
}

// unsafeSlotText is b as a string that shares b's bytes, as a recycled
// slot's text is.
func unsafeSlotText(b []byte) string { return unsafe.String(unsafe.SliceData(b), len(b)) }

// The held lines whose text lies in the ring leave it in the ring's order:
// evicted oldest first, and lines set aside (a first record whose time
// proved wrong) get a copy of their own, so that the chunks written again
// after their neighbours are evicted do not hold their text. A timeline
// shows a copy; what it showed stays as it was.
func TestRingTextOfHeldLines(t *testing.T) {
	c := newCorrelator(Config{Timeline: true}.withDefaults())
	in := input(0, sources.RoleProxy)
	var slot [400]byte
	hold := func(i int, at time.Time) string {
		line := fmt.Sprintf("%06d %s", i, strings.Repeat("x", 100+i%200))
		n := copy(slot[:], line)
		l := c.heldAt(instantOf(at), at.Location(), in)
		l.rec, l.raw, l.ring = c.text.hold(unsafeSlotText(slot[:n]), false, false)
		c.lines = append(c.lines, l)
		for j := range slot {
			slot[j] = '#'
		}
		return line
	}
	want := map[int]string{}
	// A minute of lines, then ten of them a year ahead: set aside.
	for i := 0; i < 6000; i++ {
		want[i] = hold(i, t0.Add(time.Duration(i)*10*time.Millisecond))
	}
	for i := 6000; i < 6010; i++ {
		want[i] = hold(i, t0.Add(365*24*time.Hour))
	}
	c.setAside(t0.Add(time.Hour))
	if len(c.aside) != 10 {
		t.Fatalf("%d lines set aside, want 10", len(c.aside))
	}
	// Ten minutes more, evicted after two: the ring's chunks go round.
	var shown []string
	for i := 6010; i < 66_010; i++ {
		at := t0.Add(time.Duration(i-10) * 10 * time.Millisecond)
		want[i] = hold(i, at)
		if i%1000 == 0 {
			c.evict(at, logInstant{}, false)
			l := &c.lines[len(c.lines)-500]
			shown = append(shown, c.text.show(&l.rec, &l.raw, l.ring), want[i-499])
		}
	}
	for _, l := range c.aside {
		i, _ := strconv.Atoi(l.raw[:6])
		if l.rec != textOnly || l.raw != want[i] {
			t.Errorf("line set aside reads %.20q…, want %.20q… as text of its own", l.raw, want[i])
		}
	}
	for _, l := range c.lines[c.head:] {
		if l.rec == nil {
			continue
		}
		raw := heldText(c, &l)
		i, _ := strconv.Atoi(raw[:6])
		if raw != want[i] {
			t.Fatalf("held line reads %.20q…, want %.20q…", raw, want[i])
		}
	}
	for i := 0; i < len(shown); i += 2 {
		if shown[i] != shown[i+1] {
			t.Fatalf("shown line reads %.20q…, want %.20q…", shown[i], shown[i+1])
		}
	}
	if n := len(c.text.free) + c.text.n; n > 30 {
		t.Errorf("%d chunks of 256 KiB for two minutes of lines, 12,000 of 310 bytes at most", n)
	}
}
