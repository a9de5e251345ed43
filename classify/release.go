package classify

import (
	"math"
	"time"

	"fivexx/sources"
)

// Most app lines belong to requests that went well. When the proxy and the
// app both log request ids, a line whose request the proxy has already
// logged as answered (below 500) can never explain a 5xx, so it need not be
// kept for the two-minute retention: that is what keeps memory flat on a
// busy log (before this, a report held every app line of the last two
// minutes, 12 MB of a 15-minute demo log at its peak).
//
// Two cases, because the proxy's access line may come before or after the
// app's lines in time order (nginx logs whole seconds, so the access line
// of a request that ended at :00.7 sorts before the app's :00.5 line):
//   - lines already held are released when the access line comes;
//   - lines that come after it are recognised by a small set of recently
//     answered request ids and not held at all.
//
// Only when every proxy entry so far carried a request id: an entry
// without one is joined by time window, and any app line may be its match.
// In timeline mode (replay, demo, live), whose timelines show nearby lines
// of other requests as context, such a line is not let go but kept as a
// textLine (textlines.go): shown in timelines, never joined.

// appRef is an app line in the id index and its place in the held lines.
type appRef struct {
	e   *sources.AppEntry
	seq int
}

// answeredIDs remembers the last requests the proxy logged with an id, by
// the id's hash (sources.IDHash), with the proxy's log time and whether it
// answered below 500 (else the status of a 5xx the app answered:
// proxySeen). The time also gives the skew estimator its samples from app
// lines that come after the access line; without them it saw only the app
// lines that come first, and with nginx's whole seconds those are the
// ones that ended just before a second turned, which biased the estimate
// by most of a second.
//
// Two generations of answeredGen ids each: when the current one is full it
// becomes the previous one and the old previous one is cleared for reuse.
// So the last 28,672 to 57,344 ids are known, and memory is fixed: two
// idTables of 768 KiB. This replaced one map with a ring of the last
// 32,768 ids, which deleted the oldest id on every insert, and then two Go
// maps, whose inserts were 6% of a report's CPU and 2.5 MB of its live
// heap. What is known depends only on the order of the ids (not on their
// random hash), so a report says the same on every run.
//
// New ids wait in recent, 12 KiB, and go into the current generation
// recentMax at a time. Every id lands in a random slot of 768 KiB that the
// stream of log lines has pushed out of the core's caches: one at a time,
// between the other work on a line, each such insert waited the whole
// trip to memory (7% of a report's CPU on one core); a run of them, first
// only touched and then put in (see flush), has the core fetch many slots
// at once. The same table answers most lookups, of app lines a few
// hundred requests after their access line, without a trip to a
// generation. Lookups see the waiting ids first, and a generation never
// fills with ids waiting (put makes room first), so what is known is
// exactly what it would be without the wait.
type answeredIDs struct {
	cur, prev *idTable
	recent    recentIDs
	// room is how many ids recent may hold before put makes room: up to
	// recentMax, and no more than the current generation has left, so
	// that put tests one number (0 before the tables are made).
	room    int
	touched uint64 // what flush's first pass loads add up to (unused)
	// decided says whether unread is known yet; unread, that no app line
	// can come to be looked up (see wanted).
	decided, unread bool
}

// wanted reports whether the ids are worth noting: only app lines look
// them up, and a report of proxy logs alone (GoAccess's case) noted each
// request's id for nothing, 143 instructions an access line on the
// engine's goroutine, a fifth of its work there. Decided at the first
// request id. By then the merge has usually read a batch of every input
// that has lines, so their formats, and with them their roles, are known;
// not always (untimed records of an earlier input may go out before a
// later input's first batch is read), and an input whose role is not
// known yet counts as a possible app log, so the ids are noted: the
// decision errs only towards noting. Only app formats make app lines,
// and a known proxy format is never replaced by an app one; every input
// of a live engine counts as a possible app log too (it may see a
// rotated file read anew).
func (a *answeredIDs) wanted(cfg *Config) bool {
	if !a.decided {
		a.decided = true
		a.unread = !cfg.Live && len(cfg.Inputs) > 0
		for _, in := range cfg.Inputs {
			if r := in.Role(); r != sources.RoleProxy && r != sources.RoleProxyErrors {
				a.unread = false
			}
		}
	}
	return !a.unread
}

// proxySeen is the proxy log time (unix ns) with its low bits replaced by
// what the proxy answered: 8 bytes instead of 16 for a time and a status.
// Bit 0 says below 500, and the time keeps its other bits. Else bits 1-10
// hold the status of the app line that marks the moment of a 5xx the app
// answered itself (MomentStatus; 0 for one the proxy made), and the time
// is to 2 µs: it is only a skew sample's, told to 100 ms.
type proxySeen int64

const seenStatus = 0x7fe // the bits of a 5xx's MomentStatus

func newProxySeen(t time.Time, answered bool) proxySeen {
	if answered {
		return proxySeen(t.UnixNano()&^1 | 1)
	}
	return proxySeen(t.UnixNano() &^ (seenStatus | 1))
}

// seenOf is what answeredIDs notes of access entry e.
func seenOf(e *sources.ProxyEntry) proxySeen { return seenAt(e, instantOf(e.Time)) }

// seenAt is seenOf(e), at being e's time as an instant. Most entries are
// answered: theirs is newProxySeen written out, from the instant
// (seenAnswered), and the rest is seenOf5xx.
func seenAt(e *sources.ProxyEntry, at logInstant) proxySeen {
	if e.Status < 500 {
		return seenAnswered(at)
	}
	return seenOf5xx(e)
}

// seenAnswered is seenAt of an entry below 500 at instant at: its
// UnixNano, bit 0 set.
func seenAnswered(at logInstant) proxySeen {
	return proxySeen((at.sec*int64(time.Second)+at.nsec)&^1 | 1)
}

// seenOf5xx is seenOf for an entry of status 500 or more.
func seenOf5xx(e *sources.ProxyEntry) proxySeen {
	v := newProxySeen(e.Time, false)
	if s := MomentStatus(e); s > 0 && s <= seenStatus>>1 {
		v |= proxySeen(s << 1)
	}
	return v
}

func (v proxySeen) time() time.Time {
	if v.answered() {
		return time.Unix(0, int64(v&^1))
	}
	return time.Unix(0, int64(v&^(seenStatus|1)))
}
func (v proxySeen) answered() bool { return v&1 == 1 }

// moment is the MomentStatus of the entry noted.
func (v proxySeen) moment() int {
	if v.answered() {
		return AnyEnd
	}
	return int(v&seenStatus) >> 1
}

const answeredGen = 32768 / 8 * 7

// add notes the request whose id hashes to h, logged at t, answered below
// 500 or not.
func (a *answeredIDs) add(h uint64, t time.Time, answered bool) { a.put(h, newProxySeen(t, answered)) }

// put notes the request whose id hashes to h as v (seenOf). A later line
// of the same request wins (the waiting ids, then the current generation,
// are looked up first).
func (a *answeredIDs) put(h uint64, v proxySeen) {
	if a.recent.n >= a.room {
		a.makeRoom()
	}
	if h == 0 {
		h = 1 // 0 marks an empty slot of an idTable
	}
	// Into recent (see recentIDs), which holds fewer than recentMax ids
	// now; the indexes modulo the sizes only spare the bounds checks.
	r := &a.recent
	for i := uint(h >> recentShift); ; i = (i + 1) % recentSlots {
		k := uint(r.index[i])
		if k == 0 {
			n := uint(r.n)
			r.index[i] = uint16(n + 1)
			r.ids[n%recentMax] = idSlot{key: h, val: v}
			r.n = int(n + 1)
			return
		}
		if s := &r.ids[(k-1)%recentMax]; s.key == h {
			s.val = v
			return
		}
	}
}

// makeRoom puts the waiting ids into the current generation, which when
// full becomes the previous one (see answeredIDs), and sets the room for
// the ids to come. The generation is full when the ids put in so far fill
// it: when that happens as put notes an id, the id goes into the next
// one, as it would have without the wait. A generation never fills with
// ids waiting: at most room of them are new to it.
func (a *answeredIDs) makeRoom() {
	if a.cur == nil {
		a.cur, a.prev = new(idTable), new(idTable)
	}
	a.flush()
	if a.cur.n >= answeredGen {
		a.prev.clear()
		a.cur, a.prev = a.prev, a.cur
	}
	a.room = min(recentMax, answeredGen-a.cur.n)
}

// flush puts the waiting ids into the current generation.
func (a *answeredIDs) flush() {
	r := &a.recent
	if r.n == 0 {
		return
	}
	ids := r.ids[:r.n]
	homes := r.homes[:r.n]
	cur := a.cur
	slots := &cur.slots
	// First a pass that only loads each id's home slot, branching on
	// nothing it loads, in a loop as short as can be: the core sends for
	// all those cache lines at once, as many as its window of
	// instructions holds, and the probes that follow find them near.
	// Probing each id in turn waited out one trip to memory after another
	// (their branches on the loaded keys stop the core from running
	// ahead).
	var touched uint64
	for j := range ids {
		home := tableHome(ids[j].key)
		homes[j] = uint32(home)
		touched += slots[home].key
	}
	a.touched = touched // used, so that the loads are kept
	n := 0
	for j := range ids {
		h := ids[j].key
		s := cur.slotFrom(uint(homes[j]), h)
		s.val = ids[j].val
		if s.key == 0 {
			s.key = h
			n++
		}
	}
	cur.n += n
	clear(r.index[:])
	r.n = 0
}

// get returns what add noted for id hash h (the time to the nanosecond
// but its last bit).
func (a *answeredIDs) get(h uint64) (t time.Time, answered, ok bool) {
	v, ok := a.lookup(h)
	if !ok {
		return time.Time{}, false, false
	}
	return v.time(), v.answered(), true
}

// lookup is get, with the time left in v: most callers do not need it.
func (a *answeredIDs) lookup(h uint64) (v proxySeen, ok bool) {
	if h == 0 {
		h = 1 // as put stores it, for the three tables
	}
	if a.recent.n > 0 {
		// most lookups end here
		if s := a.recent.find(h); s != nil {
			return s.val, true
		}
	}
	if a.cur == nil {
		return 0, false
	}
	return a.stored(h)
}

// stored is lookup in the generations, for an id hash h (not 0) that
// recent does not hold: apart, as most lookups end in recent.
func (a *answeredIDs) stored(h uint64) (v proxySeen, ok bool) {
	if v, ok = a.cur.get(h); !ok {
		v, ok = a.prev.get(h)
	}
	return v, ok
}

// idTableSlots is the size of an idTable: answeredGen ids fill 58% of it,
// where linear probing looks at 1.7 slots to find an id and 3.4 to miss.
const idTableSlots = 1 << 16 * 3 / 4 // 49152, as tableHome scales

// idTable maps id hashes to proxySeen values with open addressing and
// linear probing: the hashes are already uniform, so a slot is picked from
// the hash's top bits with no further mixing, and the key and value of a
// slot share a cache line. Key 0 marks an empty slot (hash 0 is stored as
// 1: one more collision in 2^64).
type idTable struct {
	slots [idTableSlots]idSlot
	n     int
}

type idSlot struct {
	key uint64
	val proxySeen
}

// tableHome is where linear probing starts for h in an idTable: h's top
// 16 bits scaled to its 49152 slots (3/4 of 65536) with a shift, a
// multiply by 3 and a shift, where a 64-bit multiply by the size (the
// top bits of h*49152) tied up two registers.
func tableHome(h uint64) uint {
	return uint(h>>48) * 3 >> 2
}

// slotFrom returns the slot of t that holds h (not 0), or else the empty
// slot where linear probing from home, h's home slot, would put it.
func (t *idTable) slotFrom(home uint, h uint64) *idSlot {
	slots := &t.slots
	for {
		for i := home; i < idTableSlots; i++ {
			if s := &slots[i]; s.key == h || s.key == 0 {
				return s
			}
		}
		home = 0 // on from the first slot: the table has empty slots
	}
}

// get returns the value stored for h, not 0 (answeredIDs.put stores 0 as 1).
func (t *idTable) get(h uint64) (proxySeen, bool) {
	s := t.slotFrom(tableHome(h), h)
	return s.val, s.key != 0
}

func (t *idTable) clear() {
	clear(t.slots[:])
	t.n = 0
}

// recentIDs holds the ids waiting to go into an idTable (answeredIDs):
// ids, in the order they came, and index, a table of recentSlots with
// linear probing from the id's top bits, whose slots say where in ids an
// id is (1 more; 0 is empty), filled to half at most. An index slot is
// 2 bytes: put and flush go through the ids in order, and flush empties
// the index with one clear (a loop over the slots taken, clearing an id
// and its value in each, was about 20 instructions an id).
type recentIDs struct {
	index [recentSlots]uint16
	ids   [recentMax]idSlot
	homes [recentMax]uint32 // each id's tableHome (flush)
	n     int
}

const (
	recentSlots = 1024
	recentMax   = recentSlots / 2
	// recentShift turns a hash into its home slot in index: its top bits.
	recentShift = 64 - 10
)

// find returns the waiting id h's slot in ids, or nil. h is not 0.
func (t *recentIDs) find(h uint64) *idSlot {
	for i := uint(h >> recentShift); ; i = (i + 1) % recentSlots {
		k := uint(t.index[i])
		if k == 0 {
			return nil
		}
		if s := &t.ids[(k-1)%recentMax]; s.key == h {
			return s
		}
	}
}

// idsOnly reports whether every proxy entry so far carried a request id.
func (c *correlator) idsOnly() bool { return c.proxySeen && !c.proxyNoID }

// releasing reports whether answered requests' app lines may be let go.
func (c *correlator) releasing() bool { return !c.cfg.Timeline && c.idsOnly() }

// observeProxy notes whether proxy entries carry request ids, samples the
// skew from the app lines held of e's request (observeSkew; not of an
// entry far from the log clock, far, which would be a sample of years),
// and lets go of the app lines of a request the proxy answered below
// 500. at is e's time as an instant.
//
// For most entries no app line of their id is held (the app's lines of
// a request come after its access line), which the id counts tell
// (heldFor) without observeSkew's and release's calls, each of which
// looked that up again: 40 instructions an access line.
func (c *correlator) observeProxy(e *sources.ProxyEntry, at logInstant, far bool) {
	var h uint64
	if e.RequestID != "" {
		h = e.IDHash
		if h == 0 {
			h = e.IDKey() // its test, written out: a call less for most
		}
		if !far {
			if len(c.outside.gone) > 0 || c.heldIDs.has(h) {
				c.observeSkew(e, h)
			} else if e.Status < 500 || e.UpstreamAnswered == sources.Yes {
				c.skew.wants() // counts the entry, as observeSkew asks it
			}
		}
	}
	c.proxySeen = true
	if c.paths.on {
		c.paths.proxyEntry(e)
	}
	if e.RequestTime > 0 {
		c.proxyTimed = true // windows reach back by it (windowdrop.go)
	}
	c.notePlace(at)
	if at.nsec != 0 {
		c.skew.subSecond = true
	}
	if c.answers.on() && e.Status >= 100 && e.Status < 500 {
		c.answers.add(e, c.wholeSecond(e))
	}
	if e.RequestID == "" {
		if !c.proxyNoID {
			c.proxyNoID = true
			c.reindexPaths()
		}
		return
	}
	answered := e.Status < 500
	held := c.heldFor(h)
	if answered {
		c.idCover.noteProxy(held)
	}
	if c.doneIDs.wanted(&c.cfg) {
		v := seenAnswered(at) // seenAt, written out: it is not inlined here
		if !answered {
			v = seenOf5xx(e)
		}
		c.doneIDs.put(h, v)
	}
	if held && answered && c.idsOnly() {
		c.release(h)
	}
}

// releaseJudged lets go of the app lines of e's request once its verdict is
// final: in a 5xx burst they were most of a report's live heap, kept for
// the whole retention. Only with one proxy log: with two (a load balancer
// and nginx) the other one's entry for the same request still needs them.
// Lines of the request that come later are kept as before: a client may
// send the same X-Request-ID again, and its retry needs its own lines.
func (c *correlator) releaseJudged(e *sources.ProxyEntry, proxies int) {
	if proxies != 1 || !c.releasing() || e.RequestID == "" {
		return
	}
	c.release(e.IDKey())
}

// release lets go of the held app lines whose request id hashes to h.
func (c *correlator) release(h uint64) {
	// By the hash alone, without comparing the ids: that would touch two
	// cold strings per request, and a collision (see sources.IDHash) would
	// only let an app line go early, as answeredIDs already may.
	if !c.heldIDs.has(h) {
		return
	}
	// Not heldRefs: a heldApp goes without its entry. In a report: indexed
	// by id only (heldapp.go).
	for _, seq := range c.heldSeqs(h) {
		c.heldIdx.remove(h, seq)
		c.heldIDs.remove(h)
		c.lines[seq-c.base].rec = nil
		c.nils++
		c.released++
	}
	refs := c.byID[h]
	if len(refs) == 0 {
		return
	}
	delete(c.byID, h)
	c.heldIDs.remove(h)
	for _, r := range refs {
		if r.e.Path != "" {
			removeApp(c.byPath, pathOnly(r.e.Path), r.e)
		}
		delete(c.appUsed, r.e)
		c.unmarkLate(r.e)
		if !c.cfg.Timeline {
			c.released++
		}
		i := r.seq - c.base
		if i < c.head || i >= len(c.lines) || c.lines[i].rec != sources.Record(r.e) {
			continue
		}
		if c.cfg.Timeline {
			c.lines[i].rec, c.lines[i].raw = textOnly, r.e.Raw // Raw is the held copy's own
			continue
		}
		c.lines[i].rec = nil
		c.nils++
	}
}

// heldRefs returns the app lines held under id hash h: c.byID[h], without
// the map lookup for most h that have none.
// A heldApp among them gets its entry (heldapp.go): callers read and keep
// the entries.
func (c *correlator) heldRefs(h uint64) []appRef {
	if !c.heldIDs.has(h) {
		return nil
	}
	c.toEntries(h)
	return c.byID[h]
}

// idCounts counts id hashes by their low bits: the keys of the id index
// (correlator.byID). The access line of most requests finds no app line
// held (their lines come after it, and are not held: see answered), and a
// count of 0 says so without looking the map up. Nearly every such lookup
// went to memory, as the log stream pushes the map out of the caches: 4%
// of a report's CPU, where these 8 KiB stay near.
//
// A count that reaches its top stays there: it then says "maybe" for good,
// which is slower but never wrong.
type idCounts [idCountSlots]uint16

const idCountSlots = 4096

func (f *idCounts) add(h uint64) {
	if c := &f[h%idCountSlots]; *c != math.MaxUint16 {
		*c++
	}
}

func (f *idCounts) remove(h uint64) {
	if c := &f[h%idCountSlots]; *c != math.MaxUint16 {
		*c--
	}
}

// has reports whether a key with h's low bits may be counted.
func (f *idCounts) has(h uint64) bool { return f[h%idCountSlots] != 0 }

// answered reports whether a's request was already answered below 500 by
// the proxy (and a need not be kept). It samples the clock skew on the way:
// the app's end line and the proxy's access line mark the same moment.
func (c *correlator) answered(a *sources.AppEntry) bool {
	v, ok := c.doneIDs.lookup(a.IDKey())
	if !ok {
		return false
	}
	if v.answered() {
		c.idCover.noteApp(a)
	}
	if MarksMoment(v.moment(), a) && c.skew.wants() { // sampleSkew, written out
		c.skew.sample(v.time(), a.Time)
	}
	if !v.answered() { // matchLate's own first test, without the call for most lines
		c.matchLate(v, a)
	}
	if !v.answered() || !c.idsOnly() {
		return false
	}
	if !c.cfg.Timeline {
		c.released++
	}
	return true
}

// sampleSkew samples the clock skew from app line a, of a request the
// proxy logged at v's time, when a marks the same moment (MomentStatus):
// its end, of a request the proxy answered below 500; the line with the
// status of a 5xx the app answered itself. The end line of a 5xx the
// proxy made that comes after its access line is most often of a request
// it gave up on (HAProxy's sH-- 504 after its timeout, the app finishing
// a second later): no moment both logged. With a request that went well
// beside it, live said "app clock +1s (from 2 ids)" of clocks that agree.
func (c *correlator) sampleSkew(v proxySeen, a *sources.AppEntry) {
	if MarksMoment(v.moment(), a) && c.skew.wants() {
		c.skew.sample(v.time(), a.Time)
	}
}

// sampleAnswered samples the clock skew from app line a, when the proxy
// answered its request already (answered, without the rest).
func (c *correlator) sampleAnswered(a *sources.AppEntry) {
	if v, ok := c.doneIDs.lookup(a.IDKey()); ok {
		c.sampleSkew(v, a)
		if !v.answered() {
			c.matchLate(v, a)
		}
	}
}

// reindexPaths rebuilds the path index from every held app line: the first
// proxy entry without a request id has come, and app lines with ids were
// not indexed by path until now.
func (c *correlator) reindexPaths() {
	clear(c.byPath)
	for i := c.head; i < len(c.lines); i++ {
		if h, ok := c.lines[i].rec.(*heldApp); ok && h.lens[4] > 0 {
			c.materialize(i) // indexed by path from now on
		}
		if a, ok := c.lines[i].rec.(*sources.AppEntry); ok && a.Path != "" {
			k := pathOnly(a.Path)
			c.byPath[k] = addByTime(c.byPath[k], a)
			c.answers.start()
		}
	}
}

// dropReleased closes the gaps released lines leave in the held lines, so
// that the slots of answered requests do not pile up behind an old line
// kept for its retention. Sequence numbers change: the id index is updated.
// The next line's does not (base plus the length of lines): makeRoom calls
// this from push, whose caller took that seq before it pushed.
func (c *correlator) dropReleased() {
	next := c.base + len(c.lines)
	kept := c.lines[:0]
	for i, l := range c.lines[c.head:] {
		if l.rec != nil {
			if a, ok := l.rec.(*heldApp); ok {
				// Its new seq is known once the lines are counted:
				// meanwhile the id index gives its new index, as a
				// seq no line has (below -1: see release).
				c.renumberHeld(a, c.base+c.head+i, -2-len(kept))
			}
			kept = append(kept, l)
		}
	}
	for i := len(kept); i < len(c.lines); i++ {
		c.lines[i] = heldLine{}
	}
	c.base = next - len(kept)
	c.lines, c.head, c.nils = kept, 0, 0
	for i, l := range c.lines {
		if x, ok := l.rec.(*sources.ProxyError); ok && c.errSeq != nil {
			if _, held := c.errSeq[x]; held {
				c.errSeq[x] = c.base + i
			}
			continue
		}
		if h, ok := l.rec.(*heldApp); ok {
			c.renumberHeld(h, -2-i, c.base+i)
			continue
		}
		a, ok := l.rec.(*sources.AppEntry)
		if !ok || a.RequestID == "" {
			continue
		}
		refs := c.byID[a.IDKey()]
		for j := range refs {
			if refs[j].e == a {
				refs[j].seq = c.base + i
			}
		}
	}
}
