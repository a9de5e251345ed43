package sources

import (
	"context"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"
	"unsafe"
)

// inside reports whether s's bytes lie in b.
func inside(s string, b []byte) bool {
	if len(s) == 0 || len(b) == 0 {
		return false
	}
	p, lo := uintptr(unsafe.Pointer(unsafe.StringData(s))), uintptr(unsafe.Pointer(unsafe.SliceData(b)))
	return p >= lo && p < lo+uintptr(cap(b))
}

// Detach copies every string and list of an entry out of its slot: each
// string field (found by reflection, so a field added later is covered)
// and each list element is set to a piece of the slot's text, and after
// Detach none lies in the text or the slot's list room, while all read the
// same. Then the slot is overwritten and the copy still reads the same.
func TestDetachSharesNothingWithTheSlot(t *testing.T) {
	t.Run("Detach", func(t *testing.T) {
		testDetach(t, func(e *ProxyEntry) *ProxyEntry { return e.Detach() })
	})
	t.Run("DetachInto", func(t *testing.T) {
		room := make([]string, 3) // too little: lists get an array of their own
		testDetach(t, func(e *ProxyEntry) *ProxyEntry { return e.DetachInto(new(ProxyEntry), room) })
		room = make([]string, 20)
		testDetach(t, func(e *ProxyEntry) *ProxyEntry { return e.DetachInto(new(ProxyEntry), room) })
	})
	t.Run("DetachReusing", func(t *testing.T) {
		text := make([]byte, 0, 10)
		testDetach(t, func(e *ProxyEntry) *ProxyEntry {
			d, used := e.DetachReusing(new(ProxyEntry), make([]string, 20), text)
			if !inside(d.Raw, used) || d.Raw != e.Raw {
				t.Error("Raw is not the given buffer's copy")
			}
			if inside(d.Upstream, used) {
				t.Error("Upstream lies in the reused buffer: a name must be a string of its own")
			}
			// The buffer is reused: the next copy goes where this one is.
			if d2, used2 := e.DetachReusing(new(ProxyEntry), nil, used); unsafe.SliceData(used2) != unsafe.SliceData(used) || d2.Raw != e.Raw {
				t.Error("the buffer was not reused")
			}
			return d
		})
	})
}

// testDetach checks that detach copies every string and list of an entry
// out of its slot (see TestDetachSharesNothingWithTheSlot).
func testDetach(t *testing.T, detach func(*ProxyEntry) *ProxyEntry) {
	s := new(ProxySlot)
	line := strings.Repeat("abcdefghij", 40)
	text := s.SetText([]byte(line))
	e := &s.Entry
	v := reflect.ValueOf(e).Elem()
	off := 0
	piece := func() string {
		off = (off + 7) % 300
		return text[off : off+5]
	}
	strFields, listFields := 0, 0
	for i := 0; i < v.NumField(); i++ {
		f := v.Field(i)
		if !f.CanSet() {
			continue
		}
		switch {
		case f.Kind() == reflect.String:
			f.SetString(piece())
			strFields++
		case f.Kind() == reflect.Slice && f.Type().Elem().Kind() == reflect.String:
			s.Lists = append(s.Lists, piece(), piece())
			f.Set(reflect.ValueOf(s.Lists[len(s.Lists)-2 : len(s.Lists) : len(s.Lists)]))
			listFields++
		}
	}
	e.Raw = text
	want := cloneEntry(e)

	d := detach(e)
	if d == e {
		t.Fatal("Detach did not copy the entry")
	}
	got := reflect.ValueOf(d).Elem()
	for i := 0; i < got.NumField(); i++ {
		f, name := got.Field(i), got.Type().Field(i).Name
		switch {
		case f.Kind() == reflect.String:
			if inside(f.String(), s.text) {
				t.Errorf("%s lies in the slot's text", name)
			}
		case f.Kind() == reflect.Slice && f.Type().Elem().Kind() == reflect.String:
			for j := 0; j < f.Len(); j++ {
				if inside(f.Index(j).String(), s.text) {
					t.Errorf("%s[%d] lies in the slot's text", name, j)
				}
			}
			if f.Len() > 0 && f.Index(0).Addr().Pointer() >= reflect.ValueOf(s.Lists).Pointer() &&
				f.Index(0).Addr().Pointer() < reflect.ValueOf(s.Lists).Pointer()+uintptr(cap(s.Lists))*unsafe.Sizeof("") {
				t.Errorf("%s shares the slot's list room", name)
			}
		}
	}
	// Reuse the slot for another line: the copy must not change.
	for i := range s.Lists {
		s.Lists[i] = "overwritten"
	}
	s.SetText([]byte(strings.Repeat("Z", len(line))))
	s.Entry = ProxyEntry{}
	if !reflect.DeepEqual(*d, want) {
		t.Errorf("the copy changed with its slot:\n%+v\nwant\n%+v", *d, want)
	}
	if strFields < 10 || listFields != 5 {
		t.Errorf("found %d string fields and %d lists: the test no longer sees the entry's fields", strFields, listFields)
	}
}

// cloneEntry copies e with every string and list copied, slot left out.
func cloneEntry(e *ProxyEntry) ProxyEntry {
	c := *e
	v := reflect.ValueOf(&c).Elem()
	for i := 0; i < v.NumField(); i++ {
		f := v.Field(i)
		switch {
		case !f.CanSet():
		case f.Kind() == reflect.String:
			f.SetString(strings.Clone(f.String()))
		case f.Kind() == reflect.Slice && f.Type().Elem().Kind() == reflect.String && !f.IsNil():
			l := make([]string, f.Len())
			for j := range l {
				l[j] = strings.Clone(f.Index(j).String())
			}
			f.Set(reflect.ValueOf(l))
		}
	}
	return c
}

// Item.Detach copies every string of an app entry out of its slot: each
// string field (by reflection, so a field added later is covered) is set to
// a piece of the slot's text, Raw to a string of its own as a stack trace
// leaves it, and after Detach none lies in the text while all read the
// same, also once the slot is overwritten.
func TestAppDetachSharesNothingWithTheSlot(t *testing.T) {
	t.Run("Detach", func(t *testing.T) { testAppDetach(t, Item.Detach, false) })
	// DetachFields: the same, but with no Raw.
	t.Run("DetachFields", func(t *testing.T) { testAppDetach(t, Item.DetachFields, true) })
}

func testAppDetach(t *testing.T, detach func(Item) Record, noRaw bool) {
	s := new(AppSlot)
	line := strings.Repeat("abcdefghij", 40)
	text := s.SetText([]byte(line))
	e := &s.Entry
	v := reflect.ValueOf(e).Elem()
	off, strFields := 0, 0
	for i := 0; i < v.NumField(); i++ {
		if f := v.Field(i); f.CanSet() && f.Kind() == reflect.String {
			off = (off + 7) % 300
			f.SetString(text[off : off+5])
			strFields++
		}
	}
	e.Raw = text + "\n\tat com.example.Handler(Handler.java:10)" // grown by a trace line: not in the slot
	want := *e
	w := reflect.ValueOf(&want).Elem()
	for i := 0; i < w.NumField(); i++ {
		if f := w.Field(i); f.CanSet() && f.Kind() == reflect.String {
			f.SetString(strings.Clone(f.String()))
		}
	}

	if noRaw {
		want.Raw = ""
	}
	it := Item{Rec: e, appSlot: s}
	d, ok := detach(it).(*AppEntry)
	if !ok || d == e {
		t.Fatalf("Detach did not copy the entry: %T %p", detach(it), d)
	}
	got := reflect.ValueOf(d).Elem()
	for i := 0; i < got.NumField(); i++ {
		if f := got.Field(i); f.Kind() == reflect.String && inside(f.String(), s.text) {
			t.Errorf("%s lies in the slot's text", got.Type().Field(i).Name)
		}
	}
	s.SetText([]byte(strings.Repeat("Z", len(line))))
	s.Entry = AppEntry{}
	if !reflect.DeepEqual(*d, want) {
		t.Errorf("the copy changed with its slot:\n%+v\nwant\n%+v", *d, want)
	}
	if strFields < 8 {
		t.Errorf("found %d string fields: the test no longer sees the entry's fields", strFields)
	}
}

// panicSlotParser is the test format, parsed into slots, that panics on a
// line "boom".
type panicSlotParser struct{ testParser }

func (p panicSlotParser) ParseSlot(line string, s *ProxySlot) (Record, error) {
	return p.slot(line, &s.Entry)
}

func (p panicSlotParser) ParseAppSlot(line string, s *AppSlot) (Record, error) {
	rec, err := p.Parse(line)
	if line == "boom" {
		panic("parser bug")
	}
	return rec, err
}

func (p panicSlotParser) slot(line string, e *ProxyEntry) (Record, error) {
	if line == "boom" {
		panic("parser bug")
	}
	rec, err := p.Parse(line)
	if err != nil {
		return nil, err
	}
	*e = *rec.(*ProxyEntry)
	return e, nil
}

func init() {
	Register(Format{Name: "test-proxy-slots-panic", Role: RoleProxy,
		New: func(ParserOptions) (Parser, error) { return panicSlotParser{testParser{RoleProxy}}, nil }})
	Register(Format{Name: "test-app-slots-panic", Role: RoleApp,
		New: func(ParserOptions) (Parser, error) { return panicSlotParser{testParser{RoleApp}}, nil }})
}

// A parser's panic on a line parsed into a slot is re-raised naming the
// input and the line, though the reader guards its lines once per read
// rather than once per line.
func TestSlotParserPanicNamesTheLine(t *testing.T) {
	for _, format := range []string{"test-proxy-slots-panic", "test-app-slots-panic"} {
		t.Run(format, func(t *testing.T) {
			path := writeFile(t, "x.log", "T1 a\nT2 b\nboom\nT3 c\n")
			in := NewInput(0, Spec{Path: path, Format: format})
			out := make(chan []Item, 16)
			got := func() (r any) {
				defer func() { r = recover() }()
				_ = ReadBatches(context.Background(), in, out)
				return nil
			}()
			want := fmt.Sprintf("parser bug (input %s, line 3: \"boom\")", path)
			if got != want {
				t.Fatalf("panic %v, want %q", got, want)
			}
		})
	}
}

// parseTestChunk parses buf as one chunk of in with a test proxy parser
// into slots, as a parallel worker does; with blocks (not nil) the chunk
// is the block its slots borrow their text from.
func parseTestChunk(in *Input, blocks *readBlocks, buf string) parChunkOut {
	return parseTestChunkFrom(in, blocks, buf, 0)
}

// parseTestChunkFrom is parseTestChunk for a chunk after first lines.
func parseTestChunkFrom(in *Input, blocks *readBlocks, buf string, first int64) parChunkOut {
	var st slotStock[ProxySlot]
	var names nameCache
	p := panicSlotParser{testParser{RoleProxy}}
	b := []byte(buf)
	if blocks != nil {
		blocks.use(b)
	}
	res := parChunkOut{first: first}
	parseChunk(in, p, p, &st, &names, blocks, b, &res)
	return res
}

// items is every record of the chunk's batches, in order.
func (res parChunkOut) items() []Item {
	var all []Item
	for _, b := range res.batches {
		all = append(all, b...)
	}
	return all
}

// parseChunk, as the parallel reader's workers call it for each chunk,
// names a parser's panic on its own, with the line's number as counted.
func TestParseChunkNamesAPanic(t *testing.T) {
	in := NewInput(0, Spec{Path: "x.log"})
	in.lines.Add(10) // lines of earlier chunks
	got := func() (r any) {
		defer func() { r = recover() }()
		parseTestChunk(in, nil, "T1 a\nT2 b\nboom\nT3 c\n")
		return nil
	}()
	if want := `parser bug (input x.log, line 13: "boom")`; got != want {
		t.Fatalf("panic %v, want %q", got, want)
	}
}

// parseChunk holds a chunk's counts on its guard and adds them to the
// input's counters when the chunk is parsed: they are all there, with the
// chunk's newest time, once it returns.
func TestParseChunkCounts(t *testing.T) {
	in := NewInput(0, Spec{Path: "x.log"})
	res := parseTestChunk(in, nil, "T1700000005 a\njunk\nT1700000003 b\n")
	c := in.Counters()
	if res.lines != 3 || len(res.items()) != 2 || c.Lines != 3 || c.Parsed != 2 || c.Unparsed != 1 {
		t.Fatalf("res lines %d items %d, counters %+v; want 3 lines, 2 items, 3 counted, 2 parsed, 1 unparsed", res.lines, len(res.items()), c)
	}
	if got := in.lastLine.Load(); got != 1700000005*int64(time.Second) {
		t.Fatalf("newest %d, want the chunk's newest time", got)
	}
}

// The lines parsed into slots are counted on the reader and added to the
// input's counters in bulk (parseGuard): still, every batch's lines are
// counted by the time the batch is received, and the totals and the
// newest time are exact at the end.
func TestSlotCountsReachTheInput(t *testing.T) {
	for _, format := range []string{"test-proxy-slots-panic", "test-app-slots-panic"} {
		t.Run(format, func(t *testing.T) {
			var b strings.Builder
			lines, parsed, newest := 0, 0, int64(0)
			for i := range 1000 {
				sec := int64(1700000000 + i%300*7) // not in order
				fmt.Fprintf(&b, "T%d line %d\n", sec, i)
				lines++
				parsed++
				newest = max(newest, sec)
				if i%97 == 0 {
					b.WriteString("junk\n")
					lines++
				}
			}
			in := NewInput(0, Spec{Path: writeFile(t, "x.log", b.String()), Format: format})
			in.ReleasesInOrder()
			out := make(chan []Item, 4)
			done := make(chan error, 1)
			go func() { done <- ReadBatches(context.Background(), in, out); close(out) }()
			received := 0
			for batch := range out {
				received += len(batch)
				if c := in.Counters(); c.Parsed < int64(received) || c.Lines < int64(received) {
					t.Fatalf("after %d records received the input counts %d lines, %d parsed", received, c.Lines, c.Parsed)
				}
				ReleaseBatch(batch)
			}
			if err := <-done; err != nil {
				t.Fatal(err)
			}
			c := in.Counters()
			want := Counters{Lines: int64(lines), Parsed: int64(parsed), Unparsed: int64(lines - parsed), LastLine: time.Unix(newest, 0)}
			got := Counters{Lines: c.Lines, Parsed: c.Parsed, Unparsed: c.Unparsed, LastLine: c.LastLine}
			if received != parsed || !got.LastLine.Equal(want.LastLine) || got.Lines != want.Lines || got.Parsed != want.Parsed || got.Unparsed != want.Unparsed {
				t.Fatalf("%d records, counters %+v, want %d records, %+v", received, got, parsed, want)
			}
		})
	}
}

// A stock takes the slot group released last (the warmest in cache), and
// a free list keeps at most maxFreeGroups groups.
func TestFreeSlotsLastInFirstOut(t *testing.T) {
	free := new(groupStack[ProxySlot])
	st := slotStock[ProxySlot]{free: free}
	groups := make([][]*ProxySlot, maxFreeGroups+2)
	for i := range groups {
		groups[i] = make([]*ProxySlot, slotGroup)
		for j := range groups[i] {
			groups[i][j] = new(ProxySlot)
		}
		giveBack(free, groups[i])
	}
	if n := len(free.groups); n != maxFreeGroups {
		t.Fatalf("%d groups kept, want %d", n, maxFreeGroups)
	}
	last := groups[maxFreeGroups-1]
	if s := st.get(); s != last[len(last)-1] {
		t.Fatal("the stock's first slot is not of the group released last")
	}
	var none *groupStack[ProxySlot] // a stock made by hand has no free list
	giveBack(none, groups[0])
	if none.pop() != nil {
		t.Fatal("a nil free list gave a group")
	}
}

// A reader's line count keeps up with its unparsed count while it reads:
// the counts held for a batch are added before an unparsed line is counted
// (a replay's inputs pane once showed 384 lines and 190,066 unparsed).
func TestUnparsedNeverOutrunLines(t *testing.T) {
	for _, format := range []string{"test-proxy-slots-panic", "test-app-slots-panic"} {
		t.Run(format, func(t *testing.T) {
			var b strings.Builder
			for i := range 400 {
				fmt.Fprintf(&b, "T%d line %d\n", 1700000000+i, i)
			}
			for range 200_000 {
				b.WriteString("junk\n")
			}
			in := NewInput(0, Spec{Path: writeFile(t, "x.log", b.String()), Format: format})
			in.ReleasesInOrder()
			out := make(chan []Item, 4)
			done := make(chan error, 1)
			go func() { done <- ReadBatches(context.Background(), in, out); close(out) }()
			stop := make(chan struct{})
			worst := make(chan int64, 1)
			go func() {
				var gap int64
				for {
					select {
					case <-stop:
						worst <- gap
						return
					default:
					}
					// Unparsed first: lines counted meanwhile only add.
					u := in.unparsed.Load()
					gap = max(gap, u-in.lines.Load())
				}
			}()
			for batch := range out {
				ReleaseBatch(batch)
			}
			close(stop)
			if err := <-done; err != nil {
				t.Fatal(err)
			}
			if gap := <-worst; gap > 0 {
				t.Errorf("while reading, unparsed lines outran all lines by %d", gap)
			}
			if c := in.Counters(); c.Lines != 200_400 || c.Unparsed != 200_000 {
				t.Errorf("counted %d lines, %d unparsed; want 200400 and 200000", c.Lines, c.Unparsed)
			}
		})
	}
}

// parseChunk's items carry their slot's lender, so that the decoder, on
// another core, need not read the slot for it (decoder.send).
func TestParseChunkItemsCarryTheLender(t *testing.T) {
	buf := "T1700000001 a\nT1700000002 b\n"
	blocks := &readBlocks{}
	res := parseTestChunk(NewInput(0, Spec{Path: "x.log"}), blocks, buf)
	if len(res.items()) != 2 {
		t.Fatalf("%d items, want 2", len(res.items()))
	}
	for i, it := range res.items() {
		if it.lender != blocks || it.lender != it.slot.lender {
			t.Fatalf("item %d: lender %p, slot's %p, want the chunk's blocks %p", i, it.lender, it.slot.lender, blocks)
		}
	}
}

// The NULs a chunk's lines start with are dropped and counted on the
// input (Counters.NULs), as the plain reader counts them.
func TestParseChunkCountsNULs(t *testing.T) {
	in := NewInput(0, Spec{Path: "x.log"})
	parseTestChunk(in, nil, "\x00\x00\x00T1700000001 a\nT1700000002 b\n")
	if c := in.Counters(); c.NULs != 3 || c.Parsed != 2 {
		t.Fatalf("counters %+v, want 3 NULs and 2 parsed", c)
	}
}

// A file of NULs alone is read to its end with no line, and its NULs
// counted: what tells it from an empty file.
func TestNULsAloneAreCounted(t *testing.T) {
	path := writeFile(t, "x.log", strings.Repeat("\x00", 3*readChunk+5))
	in := NewInput(0, Spec{Path: path})
	out := make(chan []Item, 16)
	if err := ReadBatches(context.Background(), in, out); err != nil {
		t.Fatal(err)
	}
	if c := in.Counters(); c.Lines != 0 || c.NULs != 3*readChunk+5 {
		t.Fatalf("counters %+v, want 0 lines and %d NULs", c, 3*readChunk+5)
	}
}
