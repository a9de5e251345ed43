package classify

import (
	"math"
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
// entry takes the heldApp's place in the held lines and in the id index,
// and is the same entry from then on, as the rules compare entries by
// address (appUsed, the verdicts' lines). What the entry is made of is
// what DetachFields would have kept: the same values, Raw empty.
//
// Only lines that nothing else indexes are held so: a line with a request
// id, not indexed by path (every proxy entry so far carried an id:
// idsOnly), not late (applate.go), not far ahead of the log clock, while
// no 5xx waits for an end line (latejoin.go), in an engine without
// timelines that reuses its entries (a report: Config.Terse). Its place in
// the id index is an appRef without an entry: its seq finds it in the held
// lines.

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
// whether it did. h is r's id hash.
func (c *correlator) holdHeldApp(in *sources.Input, r *sources.AppEntry, t time.Time, at logInstant) bool {
	if r.RequestID == "" || (r.Path != "" && !c.idsOnly()) || len(c.endWaits) > 0 || c.entriesOnly {
		return false
	}
	h := r.IDKey()
	a := newHeldApp(r)
	if a == nil {
		return false
	}
	seq := c.base + len(c.lines)
	refs := c.byID[h]
	if len(refs) == 0 { // a list is never left empty: a new key
		c.heldIDs.add(h)
	}
	c.byID[h] = append(refs, appRef{seq: seq})
	l := c.heldAt(at, t.Location(), in)
	l.rec = a
	c.push(l)
	return true
}

// materializeRef gives ref, a heldApp's place in the id index, its entry,
// which takes the heldApp's place in the held lines.
func (c *correlator) materializeRef(ref *appRef) *sources.AppEntry {
	l := &c.lines[ref.seq-c.base]
	e := l.rec.(*heldApp).entry()
	l.rec, ref.e = e, e
	return e
}

// materialize gives the heldApp at c.lines[i] its entry, in the held lines
// and in the id index.
func (c *correlator) materialize(i int) *sources.AppEntry {
	a := c.lines[i].rec.(*heldApp)
	seq := c.base + i
	refs := c.byID[a.idHash]
	for j := range refs {
		if refs[j].e == nil && refs[j].seq == seq {
			return c.materializeRef(&refs[j])
		}
	}
	e := a.entry() // not indexed: never so
	c.lines[i].rec = e
	return e
}

// renumberHeld changes the seq the id index gives for the heldApp a from
// seq to to.
func (c *correlator) renumberHeld(a *heldApp, seq, to int) {
	refs := c.byID[a.idHash]
	for j := range refs {
		if refs[j].e == nil && refs[j].seq == seq {
			refs[j].seq = to
			return
		}
	}
}
