package classify

import (
	"math"
	"slices"
	"time"
	"unsafe"

	"fivexx/sources"
)

// A report's engine holds an app line with a request id for the retention
// (two minutes) whatever becomes of it: an id no access line carries yet
// cannot be told from one whose access line is still to come. A dense app
// log's lines so held were most of such a report's memory (README, "A
// dense app log holds memory the same way"): a sources.AppEntry of 184
// bytes (a 192-byte allocation) and its fields' text (DetachFields, 64
// bytes), of which a line nobody looks up needs only the values.
//
// So a report's engine holds such a line as a heldApp (80 bytes, its
// strings in one text), and makes the AppEntry only when a join, a rule
// or the path index wants the line (heldRefs, materialize): then the
// entry takes the heldApp's place in the held lines and joins the id index,
// and is the same entry from then on, as the rules compare entries by
// address (appUsed, the verdicts' lines). What the entry is made of is
// what DetachFields would have kept: the same values, Raw empty.
//
// Only lines that nothing else indexes are held so: a line with a request
// id, not indexed by path (every proxy entry so far carried an id:
// idsOnly), not late (applate.go), not far ahead of the log clock, while
// no 5xx waits for an end line (latejoin.go), in an engine without
// timelines that reuses its entries (a report: Config.Terse). They are
// indexed apart from the entries (heldIndex), and the id index's list of an
// id is its entries, then its heldApps (toEntries).

// heldApp is the values of an app line held without its AppEntry.
type heldApp struct {
	time time.Time
	// text is Level, Message, RequestID, Method, Path, Service and
	// Instance, one after the other, of the lengths in lens (the last
	// one's is the rest).
	text     string
	idHash   uint64
	duration float64
	status   int32
	lens     [6]uint16
	phase    sources.Phase
}

// RecordTime implements sources.Record.
func (a *heldApp) RecordTime() time.Time { return a.time }

// RawLine implements sources.Record: a held app line's copy has no text
// of its line (DetachFields).
func (a *heldApp) RawLine() string { return "" }

// heldAppFields are the strings of r that a heldApp holds, in the order of
// its text.
func heldAppFields(r *sources.AppEntry) [7]*string {
	return [7]*string{&r.Level, &r.Message, &r.RequestID, &r.Method, &r.Path, &r.Service, &r.Instance}
}

// newHeldApp returns r's values as a heldApp, or nil when they do not fit
// one (a field longer than 65,535 bytes, a status beyond int32).
func newHeldApp(r *sources.AppEntry) *heldApp {
	if r.Status < math.MinInt32 || r.Status > math.MaxInt32 {
		return nil
	}
	a := &heldApp{time: r.Time, idHash: r.IDHash, duration: r.Duration, status: int32(r.Status), phase: r.Phase}
	fields := heldAppFields(r)
	n := 0
	for i, f := range fields {
		if i < len(a.lens) {
			if len(*f) > math.MaxUint16 {
				return nil
			}
			a.lens[i] = uint16(len(*f))
		}
		n += len(*f)
	}
	buf := make([]byte, 0, n)
	for _, f := range fields {
		buf = append(buf, *f...)
	}
	a.text = unsafe.String(unsafe.SliceData(buf), len(buf))
	return a
}

// fill sets e to the entry a holds the values of.
func (a *heldApp) fill(e *sources.AppEntry) {
	*e = sources.AppEntry{Time: a.time, IDHash: a.idHash, Duration: a.duration, Status: int(a.status), Phase: a.phase}
	rest := a.text
	for i, f := range heldAppFields(e) {
		if i == len(a.lens) {
			*f = rest
			break
		}
		*f, rest = rest[:a.lens[i]], rest[a.lens[i]:]
	}
}

// entry is a new AppEntry of a's values.
func (a *heldApp) entry() *sources.AppEntry {
	e := new(sources.AppEntry)
	a.fill(e)
	return e
}

// holdHeldApp holds app line r, of the recycled item holdApp was given, as
// a heldApp when it may be (see the top of this file), and reports
// whether it did.
func (c *correlator) holdHeldApp(in *sources.Input, r *sources.AppEntry, t time.Time, at logInstant) bool {
	if r.RequestID == "" || (r.Path != "" && !c.idsOnly()) || len(c.endWaits) > 0 || c.entriesOnly {
		return false
	}
	h := r.IDKey()
	a := newHeldApp(r)
	if a == nil {
		return false
	}
	c.heldIdx.insert(h, c.base+len(c.lines))
	c.heldIDs.add(h) // counted by line, as long as it is a heldApp
	l := c.heldAt(at, t.Location(), in)
	l.rec = a
	c.push(l)
	return true
}

// heldSeqs returns the seqs of the heldApps of id hash h, in the order
// they came (a seq's order: see heldIndex).
func (c *correlator) heldSeqs(h uint64) []int {
	if c.heldIdx.n == 0 {
		return nil
	}
	c.seqBuf = c.heldIdx.seqsOf(h, c.seqBuf[:0])
	return c.seqBuf
}

// toEntries gives the heldApps of id hash h their entries, which take
// their places in the held lines and join the id index's list of h after
// the entries there: a heldApp of h came after them (see heldIndex), and
// an entry of h to come is appended after it.
func (c *correlator) toEntries(h uint64) {
	seqs := c.heldSeqs(h)
	if len(seqs) == 0 {
		return
	}
	refs := c.byID[h]
	if len(refs) == 0 { // a list is never left empty: a new key
		c.heldIDs.add(h)
	}
	for _, seq := range seqs {
		c.heldIdx.remove(h, seq)
		c.heldIDs.remove(h)
		l := &c.lines[seq-c.base]
		e := l.rec.(*heldApp).entry()
		l.rec = e
		refs = append(refs, appRef{e: e, seq: seq})
	}
	c.byID[h] = refs
}

// materialize gives the heldApp at c.lines[i] its entry, as toEntries
// does, and returns it.
func (c *correlator) materialize(i int) *sources.AppEntry {
	c.toEntries(c.lines[i].rec.(*heldApp).idHash)
	return c.lines[i].rec.(*sources.AppEntry)
}

// heldIndex finds heldApps by their id hash: it holds each one's hash and
// seq, in a table probed linearly from the hash's slot, 16 bytes a slot
// and at most three quarters full. A map of id hashes to lists, as the id
// index of entries is (byID), took about 100 bytes a line: its slots of
// 32 bytes, its tables' room, and an array of its own for each list.
//
// A heldApp's seq does not change but as the held lines' do, all of
// them in order (dropReleased): the seqs of one id's heldApps are in the
// order they came.
type heldIndex struct {
	slots []heldSlot // a power of two of them, or none; h 0 is an empty slot
	n     int
}

// heldSlot is a heldApp's id hash (never 0: sources.IDHash) and seq.
type heldSlot struct {
	h   uint64
	seq int
}

// minHeldSlots is the smallest table heldIndex makes.
const minHeldSlots = 1024

func (x *heldIndex) insert(h uint64, seq int) {
	if 4*(x.n+1) > 3*len(x.slots) {
		x.grow()
	}
	mask := uint64(len(x.slots) - 1)
	i := h & mask
	for x.slots[i].h != 0 {
		i = (i + 1) & mask
	}
	x.slots[i] = heldSlot{h, seq}
	x.n++
}

func (x *heldIndex) grow() {
	old := x.slots
	x.slots = make([]heldSlot, max(2*len(old), minHeldSlots))
	x.n = 0
	for _, s := range old {
		if s.h != 0 {
			x.insert(s.h, s.seq)
		}
	}
}

// find returns the index of the slot of h and seq, or -1.
func (x *heldIndex) find(h uint64, seq int) int {
	if x.n == 0 {
		return -1
	}
	mask := uint64(len(x.slots) - 1)
	for i := h & mask; x.slots[i].h != 0; i = (i + 1) & mask {
		if x.slots[i].h == h && x.slots[i].seq == seq {
			return int(i)
		}
	}
	return -1
}

// has reports whether a heldApp of id hash h is held.
func (x *heldIndex) has(h uint64) bool {
	if x.n == 0 {
		return false
	}
	mask := uint64(len(x.slots) - 1)
	for i := h & mask; x.slots[i].h != 0; i = (i + 1) & mask {
		if x.slots[i].h == h {
			return true
		}
	}
	return false
}

// seqsOf appends to buf the seqs of h's heldApps, in order.
func (x *heldIndex) seqsOf(h uint64, buf []int) []int {
	mask := uint64(len(x.slots) - 1)
	for i := h & mask; x.slots[i].h != 0; i = (i + 1) & mask {
		if x.slots[i].h == h {
			buf = append(buf, x.slots[i].seq)
		}
	}
	slices.Sort(buf)
	return buf
}

// remove takes the slot of h and seq out, and reports whether it was
// there. The slots after it in its run move back into the gap when their
// own slot allows (a linear probe's deletion without tombstones).
func (x *heldIndex) remove(h uint64, seq int) bool {
	i := x.find(h, seq)
	if i < 0 {
		return false
	}
	mask := len(x.slots) - 1
	for j := (i + 1) & mask; x.slots[j].h != 0; j = (j + 1) & mask {
		// The slot at j may move to i when its home k is not in (i, j],
		// cyclically.
		k := int(x.slots[j].h & uint64(mask))
		if (j > i && (k <= i || k > j)) || (j < i && k <= i && k > j) {
			x.slots[i] = x.slots[j]
			i = j
		}
	}
	x.slots[i] = heldSlot{}
	x.n--
	return true
}

// renumberHeld changes the seq the heldApp index gives for the heldApp a
// from seq to to.
func (c *correlator) renumberHeld(a *heldApp, seq, to int) {
	if i := c.heldIdx.find(a.idHash, seq); i >= 0 {
		c.heldIdx.slots[i].seq = to
	}
}
