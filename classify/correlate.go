package classify

import (
	"cmp"
	"hash/maphash"
	"slices"
	"sort"
	"strings"
	"time"

	"fivexx/sources"
)

// The correlator keeps recent error-log and app lines, indexed for joins,
// and the 5xx entries waiting for their grace period. Everything is bounded:
// lines older than the retention or beyond the cap are evicted (counted).
//
// The join rules:
//   - an error-log line explains an access entry when client, method and
//     target match (and the connection serial, when both log it) and its
//     time lies between the request's start (access time minus request
//     time) and a little after the access time;
//   - an error-log line explains one request: 5xx of the same client,
//     method, path and time share the lines out (assign.go);
//   - app lines match by request id when both sides carry one; otherwise by
//     time window, method, path and upstream instance.

// heldLine is one recent line of any role, kept for joins and timelines.
// A replay holds every line of the last two minutes (14 MB of them half
// way through the 2 M bench set), and the collector marks whatever they
// point to on every cycle: a heldLine's time is its instant and a kind
// (its input and zone), and a textRing line's text is its place in the
// ring, not pointers, so that most lines point only to their record (as
// a time.Time, an *Input and a string into the ring, five of each held
// line's eight words were pointers, and marking them was 1.2 to 1.6 G of
// a replay's 15.4 G instructions).
type heldLine struct {
	sec  int64  // the line's time: its instant (logInstant) ...
	nsec int32  //
	kind uint32 // ... and zone, with its input (correlator.kinds)
	// ring is where a textRing line's text lies in the ring
	// (textStore.hold).
	ring ringText
	rec  sources.Record
	// raw is the text of a textOnly line (textlines.go).
	raw string
}

// setApartLine is what a line held apart leaves in its place
// (correlator.setAside): no record, and the zero time's instant, which
// the timeline's walk compares as it did the zero time.Time such a place
// held before.
var setApartLine = heldLine{sec: time.Time{}.Unix()}

// at is l's instant.
func (l *heldLine) at() logInstant { return logInstant{l.sec, int64(l.nsec)} }

// lineKind is what heldLine.kind stands for: a held line's input and the
// zone of its time.
type lineKind struct {
	in   *sources.Input
	zone *time.Location
}

// maxKindScan is how many kinds kindOf looks through before a map: a
// handful of inputs, each most often with one zone.
const maxKindScan = 16

// firstKind is the index of in and zone among c.firstKinds, or -1: small
// enough to be inlined in kindOf.
func (c *correlator) firstKind(in *sources.Input, zone *time.Location) int {
	for i := range c.firstKinds {
		if c.firstKinds[i].in == in && c.firstKinds[i].zone == zone {
			return i
		}
	}
	return -1
}

// moreKinds is the index in c.kinds of k, which is not among the first
// ones, added if new.
func (c *correlator) moreKinds(k lineKind) uint32 {
	if i, ok := c.kindIndex[k]; ok {
		return i
	}
	c.kinds = append(c.kinds, k)
	c.firstKinds = c.kinds[:min(len(c.kinds), maxKindScan)]
	i := uint32(len(c.kinds) - 1)
	if len(c.kinds) > maxKindScan {
		if c.kindIndex == nil {
			c.kindIndex = map[lineKind]uint32{}
		}
		c.kindIndex[k] = i
	}
	return i
}

// heldAt is a held line of instant at in zone, from input in, its text
// and record not yet set.
func (c *correlator) heldAt(at logInstant, zone *time.Location, in *sources.Input) heldLine {
	return heldLine{sec: at.sec, nsec: int32(at.nsec), kind: c.kindOf(in, zone)}
}

// kindOf is the index in c.kinds of in and zone, added if new. Most
// often it is the kind of the last line held from in: one comparison
// (lastKinds), where firstKind's search of the kinds for every line held
// was 110 M of a replay's instructions, with three inputs.
func (c *correlator) kindOf(in *sources.Input, zone *time.Location) uint32 {
	if in != nil {
		if k := &c.lastKinds[uint(in.Index)%uint(len(c.lastKinds))]; k.in == in && k.zone == zone {
			return k.kind
		}
	}
	return c.findKind(in, zone)
}

// findKind is kindOf, by a search of the kinds, remembered in lastKinds.
func (c *correlator) findKind(in *sources.Input, zone *time.Location) uint32 {
	var kind uint32
	if k := c.firstKind(in, zone); k >= 0 {
		kind = uint32(k)
	} else {
		kind = c.moreKinds(lineKind{in, zone})
	}
	if in != nil {
		c.lastKinds[uint(in.Index)%uint(len(c.lastKinds))] = knownKind{lineKind{in, zone}, kind}
	}
	return kind
}

// knownKind is a kind and its index in correlator.kinds.
type knownKind struct {
	lineKind
	kind uint32
}

// input is the input l came from.
func (c *correlator) input(l *heldLine) *sources.Input { return c.kinds[l.kind].in }

// time is l's time, as it was held: the same instant in the same zone.
func (c *correlator) time(l *heldLine) time.Time {
	return time.Unix(l.sec, int64(l.nsec)).In(c.kinds[l.kind].zone)
}

type correlator struct {
	cfg Config

	// kinds are the inputs and zones of held lines (heldLine.kind): a
	// few, only added to; kindIndex indexes those past the first
	// maxKindScan (firstKinds, which kindOf looks through).
	kinds, firstKinds []lineKind
	kindIndex         map[lineKind]uint32
	// lastKinds is the kind of the last line held from an input, in
	// place Index modulo its length (kindOf).
	lastKinds [4]knownKind

	lines   []heldLine          // time-ordered enough: arrival order
	head    int                 // index of the oldest kept line in lines
	aside   []heldLine          // lines far ahead of the log clock, until it reaches them (see clockJump)
	base    int                 // sequence number of lines[0]: a line's seq is base+index
	byID    map[uint64][]appRef // by sources.IDHash of the request id
	heldIDs idCounts            // byID's keys, counted by a few bits (release.go)
	byPath  map[string][]*sources.AppEntry
	errsBy  map[errJoin]errSlot
	// waiting are the 5xx not yet judged, by waitKey; contested the
	// error lines a tie left to the logs' order; appUsed the app lines
	// a time-window join gave a 5xx (assign.go).
	waiting   map[uint64][]*sources.ProxyEntry
	freeWaits [][]*sources.ProxyEntry // emptied lists of waiting, for reuse (unwait)
	contested map[*sources.ProxyError]bool
	appUsed   map[*sources.AppEntry]bool
	// failed says that errorsFor gave a failure line to the 5xx it was
	// last called for, whose app lines appFor looks for next (assign.go).
	failed  bool
	state   []stateLine // error lines without a request (upstream state)
	dropped Dropped
	// capCut is the newest time of an app or error line the cap evicted:
	// a 5xx whose window starts before it may have lost a line.
	capCut time.Time
	// agedCut is the newest time of an app or error line the retention
	// let go (agedout.go).
	agedCut logInstant
	// behindLate is how late the latest of the 5xx judged without the
	// lines of their time came (Dropped.Behind): the retention grows by
	// it (agedout.go).
	behindLate time.Duration

	// What has been seen, for the rules and the advisor.
	appIDs     bool        // some app line carried a request id
	idApps     idApps      // the apps (--app NAME) whose lines carried one (appskew.go)
	window     windowJoins // 5xx the time window looked up, and found app lines for (appclock.go)
	idJoins    int64
	idCover    idCoverage   // how many requests the apps log by id (appabsence.go)
	witness    appWitness   // app lines of requests that went well, by second (appwitness.go)
	answers    proxyAnswers // requests the proxy answered below 500, once the window has lines (proxyanswers.go)
	captured   capturedIDs  // ids in HAProxy's captured headers (capturedid.go)
	errorLines int64        // error lines with a request context
	// limitClaims are the 429s whose limiting line has not come
	// (limitedlines.go).
	limitClaims []limitClaim
	// limitLines counts the limiting lines the error logs gave: while
	// there is none, no 4xx has one to use up (useLimited).
	limitLines int64
	// cutErrors counts the error lines saying the upstream failed after
	// the response header (nginx "readv() failed ... while reading
	// upstream", Caddy "aborting with incomplete response").
	cutErrors int64
	// failLines counts the error lines with a request context by their
	// reason, for an error log read without its access log
	// (Snapshot.ErrorFailures).
	failLines [reasonSlots]int64
	// families counts them by the proxy family of their input
	// (sources.Format.Family), with the time of each family's earliest
	// error line of any kind (familyErrors); errorLinesOf and
	// errorsFromOf read them.
	families errFamilies
	// errorsByLogger counts them by the logger that wrote them, for the
	// formats that name it (sources.Format.ErrorLogger: Caddy's one per
	// site); nil until one does.
	errorsByLogger map[string]int64
	// failStatus counts the error lines of failLines, of a listed reason
	// (failures), by the status they name (Caddy's "status"), nil until
	// one does.
	failStatus map[int]int64
	// failedIn says, by input index, which inputs gave error lines with a
	// request context (errorlogalone.go).
	failedIn []bool
	appLines int64
	skew     skewEstimator
	// Request ids on the proxy side, and app lines let go early (release.go).
	proxySeen, proxyNoID bool
	doneIDs              answeredIDs
	released             int64
	nils                 int // released lines still taking a slot in lines
	// errSeq is the place in lines of each held error line a 5xx may
	// take, in an engine that lets taken lines go (errrelease.go);
	// releasedErrors counts those let go.
	errSeq         map[*sources.ProxyError]int
	releasedErrors int64
	// unheldApps counts the app lines not held: no join could use them
	// (errrelease.go).
	unheldApps int64
	// text keeps the timeline-only lines (textlines.go).
	text textStore
	// timelines holds the lines of the timelines made, walk what the
	// walk of the one being made takes (timeline.go).
	timelines timelineSlab
	walk      timelineWalk
	// errIn is the input of each error line indexed for joins, in a
	// timeline engine: a timeline names the input of a request's own
	// error lines, and a search through the held lines of their second
	// (heldInput) cost a replay 0.58 G instructions, a map write and
	// delete per error line a hundredth of that.
	// It is kept only once error lines have come from more than one
	// input (errFrom): with one, that input is every error line's, and
	// the map's write and delete per error line were a third of what a
	// replay at full speed did beyond a report (callgrind, 200 k lines).
	errIn map[*sources.ProxyError]*sources.Input
	// namesOwn says that errIn is kept: the engine makes timelines, now
	// or later (LaterTimeline), without holding access lines for them.
	namesOwn bool
	// errFrom and appFrom note the inputs the error and app lines came
	// from: whether one input gave them all (ownInput).
	errFrom, appFrom oneInput
	// ups are the upstreams the proxy logs have named (instance.go).
	ups knownUpstreams

	// unwaited: the app's clock runs further ahead than a 5xx waits for
	// its lines (appwait.go), so its silence about an id says nothing.
	unwaited bool
	// outside are the request ids matched outside the time that joins
	// them: an app's clock far off (idsoutside.go).
	outside outsideIDs
	// paths pairs requests by method, target and status while no id has
	// told the app's clock (pathskew.go).
	paths pathSkew
	// joins says whether app and error lines may be looked up, so held
	// (nojoin.go).
	joins joinState
	// ended are the held app end lines with ids, to let go once no
	// window can take them, while proxyTimed (a proxy entry gave a
	// request time) is false (windowdrop.go).
	ended      []endedLine
	proxyTimed bool
	// proxyLast is the latest proxy entry's time, proxyLate how far
	// behind it an entry has come (windowdrop.go).
	proxyLast logInstant
	proxyLate time.Duration
	// appNewest is the newest stamp of each app input, late the held app
	// lines that came more than lateMin behind it with the newer stamp,
	// lateMost the most one came behind (applate.go).
	appNewest []inputNewest
	late      map[*sources.AppEntry]time.Time
	lateMost  time.Duration
	// endWaits counts the 5xx waiting for their app's end line by their
	// request id's hash; endCame says one such line has come since the
	// engine last looked (latejoin.go).
	endWaits map[uint64]int32
	endCame  bool
	// readApp is a heldApp's values as an entry, for a reader that keeps
	// none of it (observeSkew).
	readApp sources.AppEntry
	// heldIdx indexes the heldApps by id hash; seqBuf is room for their
	// seqs (heldSeqs).
	heldIdx heldIndex
	seqBuf  []int
	// entriesOnly holds every app line as an entry (a test's engine to
	// compare with: heldapp_test.go).
	entriesOnly bool
}

func newCorrelator(cfg Config) *correlator {
	c := &correlator{
		cfg:       cfg,
		byID:      map[uint64][]appRef{},
		byPath:    map[string][]*sources.AppEntry{},
		errsBy:    map[errJoin]errSlot{},
		proxyLast: instantOf(time.Time{}),
	}
	if cfg.AppSkew != nil {
		c.skew.fixed, c.skew.skew = true, *cfg.AppSkew
	}
	c.paths.start(cfg.AppSkew != nil)
	return c
}

// pathOnly is path p without its query or fragment: up to its first '?'
// or '#'. Two IndexByte scans (vectorised) rather than
// strings.IndexAny(p, "?#"), which builds a byte set and tests every
// byte: about 210 instructions a call, and pathOnly is called for every
// 5xx (waitKey) and every app line held or let go by path (20 M of the
// 2 M bench set's report). The '#' is looked for only before the '?'.
func pathOnly(p string) string {
	if i := strings.IndexByte(p, '?'); i >= 0 {
		p = p[:i]
	}
	if i := strings.IndexByte(p, '#'); i >= 0 {
		p = p[:i]
	}
	return p
}

// errJoin is what joins an access line and an error line without a
// request id: a hash of the client, method and path both name. (Not the
// three joined into a string: that string was one allocation per error
// line and per 5xx. Not a struct of the three either: with 48 bytes of
// strings per key, the index was about 0.9 MB of a report's live heap,
// all of it for the collector to scan, where a hash takes 8 bytes and no
// pointer. Lines whose keys collide share a list; errorsFor compares the
// three themselves.)
type errJoin uint64

// errSeed seeds errKey's hash: a list's order is its lines' arrival order
// whatever the seed, so output does not depend on it.
var errSeed = maphash.MakeSeed()

func errKey(client, method, path string) errJoin {
	h := maphash.String(errSeed, client)
	h = h*0x9e3779b97f4a7c15 ^ maphash.String(errSeed, method)
	h = h*0x9e3779b97f4a7c15 ^ maphash.String(errSeed, path)
	return errJoin(h)
}

// holdApp is hold for app line r: the engine's path for every app line,
// apart from hold's for the other lines and its registers.
func (c *correlator) holdApp(in *sources.Input, r *sources.AppEntry, t time.Time, at logInstant, recycled *sources.Item, far bool) {
	c.appFrom.note(in)
	c.appLines++
	if c.paths.on && !far {
		c.paths.appLine(r)
	}
	var written time.Time
	var late bool
	if !far {
		// Its own time: witnessed shifts the window by the skew (at
		// is the shifted instant when the app's clock is off). Taken
		// anew rather than compared: time.Time.Equal is a call.
		own := instantOf(r.Time)
		c.witness.note(r, own)
		if !c.inOrder(in, own) {
			written, late = c.noteBehind(in, r, own) // applate.go
		}
	}
	if r.RequestID != "" {
		c.appIDs = true
		c.idApps.note(r.Service)
		if far {
			// An app's clock far ahead of the proxy's, its skew not
			// known yet: the skew is learnt from such lines too.
			c.sampleAnswered(r)
		} else if c.answered(r) { // also samples the skew
			if !c.cfg.Timeline {
				return
			}
			// Only a timeline will show it (release.go).
			l := c.heldAt(at, t.Location(), in)
			l.rec, l.raw, l.ring = c.text.holdItem(r.Raw, recycled, false)
			c.push(l)
			return
		}
	}
	if c.unjoined() {
		// No access entry can come to look it up (nojoin.go).
		if r.Path != "" && (r.RequestID == "" || !c.idsOnly()) {
			c.answers.start()
		}
		return
	}
	if r.RequestID == "" && r.Path == "" && c.releasesErrors() {
		// No index holds it, so no join finds it, and no timeline
		// shows it: held, such lines (an app's ticks and state)
		// only took the line cap's room (errrelease.go).
		c.unheldApps++
		return
	}
	if recycled != nil {
		if c.cfg.Terse && reusesEntries(c.cfg) {
			if !late && !far && !c.cfg.Timeline && c.holdHeldApp(in, r, t, at) {
				return // its values only, until looked up (heldapp.go)
			}
			// Nothing reads a held line's text (see DetachFields).
			r = recycled.DetachFields().(*sources.AppEntry)
		} else {
			r = recycled.Detach().(*sources.AppEntry)
		}
	}
	if late {
		c.markLate(r, written)
	}
	if r.RequestID != "" {
		h := r.IDKey()
		c.toEntries(h) // the list's order is the lines' (heldapp.go)
		seq := c.base + len(c.lines)
		if far {
			seq = -1 // in no place of lines (see release)
		}
		refs := c.byID[h]
		if len(refs) == 0 { // a list is never left empty: a new key
			c.heldIDs.add(h)
		}
		c.byID[h] = append(refs, appRef{e: r, seq: seq})
		if len(c.endWaits) > 0 && !far {
			c.noteEnd(r, h)
		}
	}
	if r.Path != "" && (r.RequestID == "" || !c.idsOnly()) {
		k := pathOnly(r.Path)
		c.byPath[k] = addByTime(c.byPath[k], r)
		c.answers.start()
		if r.RequestID != "" && !far && appEnds(r) {
			c.noteEnded(r, r.IDKey())
		}
	}
	l := c.heldAt(at, t.Location(), in)
	l.rec = r
	if far {
		c.holdAside(l)
		return
	}
	c.push(l)
}

// hold keeps a line for joins and the timeline; t is its time, at t's
// instant. recycled,
// when set, is rec's item: an app line that is kept is kept as its Detach
// copy. A line
// far ahead of the log clock (far) is held apart until the clock reaches
// it: among the others it would stop the eviction, which lets lines go in
// the order they came up to the first one not old enough, and cut the
// timelines, which walk from a 5xx's time up to the first line outside its
// window.
func (c *correlator) hold(in *sources.Input, rec sources.Record, t time.Time, at logInstant, recycled *sources.Item, far bool) {
	var joinable *sources.ProxyError // an error line errsBy holds (errrelease.go)
	switch r := rec.(type) {
	case *sources.AppEntry:
		c.holdApp(in, r, t, at, recycled, far)
		return
	case *sources.ProxyError:
		c.errFrom.note(in)
		if r.Reason == sources.ReasonAfterHeaders {
			c.cutErrors++
		}
		var format sources.Format // in's, read once: it takes the input's lock
		if in != nil {
			format = in.Format()
		}
		if in != nil && !t.IsZero() {
			// The log speaks from its first line on: nginx's start-up
			// notices show it was written then, before any failure.
			if fe := c.families.of(format.Family); !fe.timed || at.before(fe.from) {
				fe.from, fe.timed = at, true
			}
		}
		if r.Request != "" || r.Path != "" {
			c.errorLines++
			if int(r.Reason) < reasonSlots {
				c.failLines[r.Reason]++
			}
			if r.Status > 0 && listedFailure(r.Reason) {
				c.noteFailStatus(int(r.Status))
			}
			if in != nil {
				if !isSet(c.failedIn, in.Index) {
					c.failedIn = setIndex(c.failedIn, in.Index)
				}
				c.families.of(format.Family).lines++
				if r.Server != "" && format.ErrorLogger != nil {
					if c.errorsByLogger == nil {
						c.errorsByLogger = map[string]int64{}
					}
					c.errorsByLogger[r.Server]++
				}
			}
			c.ups.noteErrorLine(r.UpstreamAddr)
			k := errKey(r.Client, r.Method, r.Path)
			if limits(r) {
				c.limitLines++
				if len(c.limitClaims) > 0 && c.claimedLimit(k, r) {
					break // a 429's, used up (limitedlines.go)
				}
			}
			if c.unjoined() {
				return // no access entry can come to look it up (nojoin.go)
			}
			c.errsBy[k] = c.errsBy[k].list().add(r).slot()
			joinable = r
			if c.namesOwn && in != nil && c.errFrom.many {
				if c.errIn == nil {
					c.errIn = map[*sources.ProxyError]*sources.Input{}
				}
				c.errIn[r] = in
			}
		} else if r.Reason != sources.ReasonNone {
			c.noteOwnFailure(in, r)
			sl := stateLine{ProxyError: r}
			if in != nil {
				sl.proxy = proxyKind(format)
			}
			c.state = append(c.state, sl)
			if len(c.state) > maxStateLines {
				c.state = c.state[len(c.state)-maxStateLines:]
			}
		}
		if c.unjoined() {
			return // no access entry can come to look it up (nojoin.go)
		}
	case *sources.ProxyEntry:
		if c.cfg.Timeline { // access lines are only kept for timelines
			c.holdAccess(in, r, t, at, recycled, far)
		}
		return
	}
	l := c.heldAt(at, t.Location(), in)
	l.rec = rec
	if far {
		c.holdAside(l)
		return
	}
	if joinable != nil && c.releasesErrors() {
		c.noteErrSeq(joinable, c.base+len(c.lines))
	}
	c.push(l)
}

// holdAccess is hold for an access line, in a timeline engine: what
// Engine.add calls for most lines, which knows the record is one, without
// hold's switch on its type.
func (c *correlator) holdAccess(in *sources.Input, e *sources.ProxyEntry, t time.Time, at logInstant, recycled *sources.Item, far bool) {
	l := c.heldAt(at, t.Location(), in)
	l.rec, l.raw, l.ring = c.text.holdAccess(e, recycled, far)
	if far {
		c.holdAside(l)
		return
	}
	c.push(l)
}

// maxAside bounds the lines held apart: beyond it the oldest is let go.
const maxAside = 1024

func (c *correlator) holdAside(l heldLine) {
	if len(c.aside) == maxAside {
		// The oldest quarter at once: an app whose clock runs far ahead,
		// with nothing to learn its skew from, sends every line here
		// (Engine.appFar), and a move of the whole array per line was
		// 64 KiB per line.
		n := maxAside / 4
		for _, old := range c.aside[:n] {
			c.unindex(old.rec, -1)
		}
		c.aside = slices.Delete(c.aside, 0, n)
	}
	c.aside = append(c.aside, l)
}

// reach moves the lines held apart that are no later than limit among the
// kept lines, after the newest: the log clock has reached them.
func (c *correlator) reach(limit time.Time) {
	kept := c.aside[:0]
	lim := instantOf(limit)
	for _, l := range c.aside {
		if lim.before(l.at()) {
			kept = append(kept, l)
			continue
		}
		c.renumber(l.rec, -1, c.base+len(c.lines))
		if a, ok := l.rec.(*sources.AppEntry); ok {
			c.witness.note(a, instantOf(a.Time)) // not noted while it was far
		}
		c.push(l)
	}
	clear(c.aside[len(kept):])
	c.aside = kept
}

// setAside holds apart the kept lines later than limit: the first record's,
// whose time proved wrong. Their places in lines are left empty, as
// released lines leave theirs.
func (c *correlator) setAside(limit time.Time) {
	lim := instantOf(limit)
	for i := c.head; i < len(c.lines); i++ {
		l := c.lines[i]
		if l.rec == nil || !lim.before(l.at()) {
			continue
		}
		if _, held := l.rec.(*heldApp); held {
			c.materialize(i) // the lines held apart are entries
			l = c.lines[i]
		}
		c.renumber(l.rec, c.base+i, -1)
		c.text.setApart(&l.rec, &l.raw, l.ring)
		c.holdAside(l)
		c.lines[i] = setApartLine
		c.nils++
	}
}

// renumber changes the place in lines the id index gives for rec (an app
// line with a request id) from seq to to.
func (c *correlator) renumber(rec sources.Record, seq, to int) {
	if x, ok := rec.(*sources.ProxyError); ok && c.releasesErrors() {
		c.renumberErr(x, seq, to)
		return
	}
	a, ok := rec.(*sources.AppEntry)
	if !ok || a.RequestID == "" {
		return
	}
	refs := c.byID[a.IDKey()]
	for i := range refs {
		if refs[i].e == a && refs[i].seq == seq {
			refs[i].seq = to
		}
	}
}

// ownText reports whether the text of a line added with recycled (see
// hold) may be kept as it is: no slot's, or one the reader kept.
func ownText(recycled *sources.Item) bool {
	return recycled == nil || !recycled.Recycled() || recycled.TextKept()
}

// evict drops lines older than the retention before now, and the oldest
// lines beyond the cap. keep, when keeping, is where the window of the oldest
// 5xx waiting for its verdict starts: the cap cuts no app or error line
// from there on, and evict reports held when it stopped there with the
// lines still over the cap (the engine judges that 5xx first: capKeep).
func (c *correlator) evict(now time.Time, keep logInstant, keeping bool) (held bool) {
	c.dropEnded(now)
	cutoff := instantOf(now.Add(-c.retention()))
	capCut := instantOf(c.capCut)
	defer func() {
		if c.nils > 4096 && c.nils*2 > len(c.lines)-c.head {
			c.dropReleased()
		}
	}()
	for c.head < len(c.lines) {
		// By its address: a copy of its 64 bytes per line evicted was a
		// tenth of the eviction's instructions.
		l := &c.lines[c.head]
		if l.rec == nil { // released early (see release.go)
			c.head++
			c.nils--
			continue
		}
		over := c.overCap()
		recent := !l.at().before(cutoff) // once
		if !over && recent {
			break
		}
		if over && recent {
			var cut *int64 // what a line a join may need counts in
			switch l.rec.(type) {
			case *sources.AppEntry, *heldApp:
				cut = &c.dropped.AppLines
			case *textLine:
				// An answered request's, kept for timelines only: no join needs it.
				if c.input(l).Role() == sources.RoleApp {
					c.dropped.AppLines++
				}
			case *sources.ProxyError:
				cut = &c.dropped.Errors
			}
			if cut != nil {
				if keeping && !l.at().before(keep) {
					return true
				}
				*cut++
				if capCut.before(l.at()) {
					c.capCut, capCut = c.time(l), l.at()
				}
			}
		}
		// Most lines are timeline-only (textLine), which no index holds:
		// a type assertion, not unindex's type switch (nor a comparison
		// of interfaces, a call into the runtime).
		if t, text := l.rec.(*textLine); !text {
			if !recent && c.agedCut.before(l.at()) {
				c.agedCut = l.at()
			}
			if a, app := l.rec.(*sources.AppEntry); app && !recent && a.RequestID != "" && c.notingGone() {
				c.noteGone(a, l.kind) // let go unjoined (idsoutside.go)
			} else if a, held := l.rec.(*heldApp); held && !recent && c.notingGone() {
				c.noteGone(a.entry(), l.kind)
			}
			c.unindex(l.rec, c.base+c.head)
		} else if t == textRingLine && c.text.lettingGo(l.ring) {
			c.text.pastOldest(l.ring)
		}
		*l = heldLine{}
		c.head++
	}
	return false
}

// overCap reports whether more lines are held than the cap allows.
func (c *correlator) overCap() bool { return len(c.lines)-c.head-c.nils > c.cfg.MaxLines }

// push adds l after the newest held line. The held lines are evicted
// from the front (head) and added at the back of one array: when it is
// full, the lines still held move to its start if they fill at most three
// quarters of it, else to an array half as big again as they are.
// (append's growth by a quarter, copying the evicted lines too, and then
// the eviction's compaction copying the held ones again, allocated 69 MB
// of arrays per replay of the 2 M bench set, whose timeline engine holds
// two minutes of every line.) A line's seq, base plus its index, does not
// change.
func (c *correlator) push(l heldLine) {
	if len(c.lines) == cap(c.lines) {
		c.makeRoom()
	}
	c.lines = append(c.lines, l)
}

// minHeldLines is the smallest array of held lines push makes.
const minHeldLines = 1024

// makeRoom moves the held lines to the start of their array, or to a new
// one half as big again as they are when they fill more than three
// quarters of it. Released lines (nils) do not count: when the others fill
// three quarters or less, the gaps are closed instead (dropReleased).
// Counted, the released lines had the array double to 32,768 lines on the
// 2 M bench set, where 8,544 at most were held: 2 MB of pointers for the
// collector to scan in every cycle, and 1.9 MB more allocated. Not
// inlined: push, on every line held, stays small enough to be.
//
// The array is the held lines' largest part after their records (64
// bytes a line): grown to twice its size when the lines filled half of
// it, it settled at 2.2 times the lines a dense app log holds for the
// retention (262,144 places, 16 MB, for 120,000 lines), where now it
// settles at 1.33 to 1.5 times. A move copies at most three lines per
// line pushed since the last (a quarter of the array at least is free
// after it), where it was one.
//
//go:noinline
func (c *correlator) makeRoom() {
	held := c.lines[c.head:]
	full := cap(c.lines) - cap(c.lines)/4 // three quarters
	if c.nils > 0 && len(held) > full && len(held)-c.nils <= full {
		c.dropReleased()
		return
	}
	if len(held) > full || cap(c.lines) < minHeldLines {
		lines := make([]heldLine, len(held), max(len(held)+len(held)/2, minHeldLines))
		copy(lines, held)
		c.lines = lines
	} else {
		n := copy(c.lines, held)
		// Lines before head were cleared as they were evicted: only the
		// copies left behind, from head on, are cleared (a line's
		// pointers would keep its record and text).
		clear(c.lines[max(n, c.head):])
		c.lines = c.lines[:n]
	}
	c.base += c.head
	c.head = 0
}

// removeFrom drops e from the list at m[k], and reports whether that
// left the list empty and took k out of m. Lines are evicted oldest first,
// so e is almost always at or near the list's head (see dropAt).
func removeFrom[K, T comparable](m map[K][]T, k K, e T) (deleted bool) {
	s := m[k]
	if len(s) == 0 {
		return false
	}
	i := 0
	if s[0] != e {
		if i = slices.Index(s, e); i < 0 {
			return false
		}
	}
	return storeList(m, k, dropAt(s, i))
}

// removeApp drops a from its path's list at m[k] (byPath: in time order,
// see addByTime), found by its time: a line an answered request releases
// is among the newest, far from the head that removeFrom scans from.
func removeApp(m map[string][]*sources.AppEntry, k string, a *sources.AppEntry) (deleted bool) {
	s := m[k]
	if len(s) > 0 && s[0] == a { // evicted oldest first: mostly the head
		return storeList(m, k, dropAt(s, 0))
	}
	i := firstFrom(s, a.Time)
	for i < len(s) && s[i] != a && s[i].Time.Equal(a.Time) {
		i++
	}
	if i == len(s) || s[i] != a {
		if i = slices.Index(s, a); i < 0 { // not in time order: never so far
			return false
		}
	}
	return storeList(m, k, dropAt(s, i))
}

// storeList puts s at m[k], or takes k out of m when s is empty, and
// reports whether it did that.
func storeList[K comparable, T any](m map[K][]T, k K, s []T) (deleted bool) {
	if len(s) == 0 {
		delete(m, k)
		return true
	}
	m[k] = s
	return false
}

// dropAt drops s[i], moving the shorter side of s over it, and clears the
// slot left free so that the collector can have what it held. Moving the
// longer side cost a copy of the whole list per line evicted near its head
// (a path's list holds thousands of lines: lines come out of time order
// from two app logs), with a write barrier per pointer while the collector
// runs: 9 % of the CPU when the QA's live run came back from a quiet minute.
func dropAt[T any](s []T, i int) []T {
	var zero T
	if i < len(s)-1-i {
		copy(s[1:i+1], s[:i])
		s[0] = zero
		return s[1:]
	}
	copy(s[i:], s[i+1:])
	s[len(s)-1] = zero
	return s[:len(s)-1]
}

func (c *correlator) unindex(rec sources.Record, seq int) {
	switch r := rec.(type) {
	case *sources.AppEntry:
		if r.RequestID != "" {
			if h := r.IDKey(); removeFrom(c.byID, h, appRef{e: r, seq: seq}) {
				c.heldIDs.remove(h)
			}
		}
		if r.Path != "" {
			removeApp(c.byPath, pathOnly(r.Path), r)
		}
		delete(c.appUsed, r)
		c.unmarkLate(r)
	case *heldApp:
		if c.heldIdx.remove(r.idHash, seq) {
			c.heldIDs.remove(r.idHash)
		}
	case *sources.ProxyError:
		delete(c.contested, r)
		if c.errSeq != nil {
			delete(c.errSeq, r)
		}
		k := errKey(r.Client, r.Method, r.Path)
		if s, ok := c.errsBy[k]; ok {
			if l := s.list().remove(r); l.empty() {
				delete(c.errsBy, k)
			} else {
				c.errsBy[k] = l.slot()
			}
		}
		if c.errIn != nil {
			delete(c.errIn, r)
		}
	}
}

// judgedShort counts e as judged with part of its window gone when the
// line cap evicted an app or error line no older than the window's start.
// The engine asks only for a verdict with no error-log line and no app
// line joined by request id: one with either lost nothing it was judged by.
func (c *correlator) judgedShort(e *sources.ProxyEntry) {
	if c.cutShort(e) {
		c.dropped.Short++
	}
}

// cutShort reports whether the line cap has evicted an app or error line
// no older than the start of e's window.
func (c *correlator) cutShort(e *sources.ProxyEntry) bool {
	if c.capCut.IsZero() {
		return false
	}
	from, _ := c.appSpan(e)
	return !c.capCut.Before(from)
}

// maxStateLines bounds the proxy's own lines kept without a request: state
// lines ("backend be_app has no server available!") and lines that give
// the cause of a 5xx of the proxy's own (Traefik's DEBUG lines, one per
// such 5xx, so a burst needs room).
const maxStateLines = 256

// ownCauseFor returns the proxy's own line that gives the cause of e, a
// 5xx the proxy made without saying why in its access line: Traefik logs
// "'502 Bad Gateway' caused by: dial tcp 172.18.0.5:8080: connect:
// connection refused" at DEBUG level, with no request in it (formats.md
// §7.2, §7.3). The line must name e's status, lie within e's span and,
// when both name one, the same upstream. A line naming e's upstream beats
// one naming none unless that one is nearer by a second or more (both
// are logged to the second: "caused by: EOF" logged first in the same
// second was taken for the refused 502 of the upstream the next line
// names); else the nearest wins. It is used up, so that two 502s do not
// both take one line.
func (c *correlator) ownCauseFor(e *sources.ProxyEntry, proxy string) *sources.ProxyError {
	from, to := c.span(e)
	named, bare := -1, -1
	var namedGap, bareGap time.Duration
	for i, s := range c.state {
		// Only the entry's own proxy: a Traefik beside an nginx or an
		// Envoy logs its 502s with a cause, and that cause is not theirs.
		if s.proxy != proxy || int(s.Status) != e.Status || s.Time.Before(from) || s.Time.After(to) {
			continue
		}
		if s.Upstream != "" && e.Upstream != "" && s.Upstream != e.Upstream {
			continue
		}
		gap := gapOf(s.Time, e.Time)
		if s.Upstream != "" && e.Upstream != "" {
			if named < 0 || gap < namedGap {
				named, namedGap = i, gap
			}
		} else if bare < 0 || gap < bareGap {
			bare, bareGap = i, gap
		}
	}
	best := named
	if named < 0 || bare >= 0 && namedGap-bareGap >= time.Second {
		best = bare
	}
	if best < 0 {
		return nil
	}
	s := c.state[best]
	c.state = slices.Delete(c.state, best, best+1)
	return s.ProxyError
}

// ownRival reports whether q, another 5xx of the proxy that wrote own
// (a line ownCauseFor gave to a 5xx), could as well have taken it: the
// same status, own within q's span, no upstream named that is not q's,
// q without a reason of its own, and no other line naming q's upstream
// waiting for it. A line naming no upstream fits every 5xx of its
// second; which one it is only the order of judging chose.
func (c *correlator) ownRival(q *sources.ProxyEntry, own *sources.ProxyError, proxy string) bool {
	if q.Status != int(own.Status) || q.Reason != sources.ReasonNone || q.UpstreamAnswered == sources.Yes {
		return false
	}
	if own.Upstream != "" && q.Upstream != "" && own.Upstream != q.Upstream {
		return false
	}
	from, to := c.span(q)
	if own.Time.Before(from) || own.Time.After(to) {
		return false
	}
	for _, s := range c.state {
		if s.proxy == proxy && int(s.Status) == q.Status && s.Upstream != "" && s.Upstream == q.Upstream &&
			!s.Time.Before(from) && !s.Time.After(to) {
			return false // q's own line names it
		}
	}
	return true
}

// siteQuiet returns the logger that writes the errors of e's site when
// the error log, which holds other request errors, has none of its: it
// says nothing of e by having none for it (a Caddy site with
// handle_errors logs its errors at DEBUG only, beside a site that logs
// them). "" when e's format does not name it, or the logger wrote some.
func (c *correlator) siteQuiet(e *sources.ProxyEntry, in *sources.Input) string {
	of := in.Format().ErrorLogger
	if of == nil {
		return ""
	}
	if name := of(e.Raw); name != "" && c.errorsByLogger[name] == 0 {
		return name
	}
	return ""
}

// ownTwins counts the proxy's lines still kept that say what own says
// (the same status and reason, no upstream named) within a second of it:
// as many 5xx as there are twins may share them out in any order and
// each is told the same.
func (c *correlator) ownTwins(own *sources.ProxyError, proxy string) int {
	n := 0
	for _, s := range c.state {
		if s.proxy == proxy && s.Status == own.Status && s.Reason == own.Reason && s.Upstream == "" &&
			gapOf(s.Time, own.Time) < time.Second {
			n++
		}
	}
	return n
}

// stateLine is a proxy's line about itself or an upstream, without a
// request, and the kind of proxy whose log it came from (proxyKind).
type stateLine struct {
	*sources.ProxyError
	proxy string
}

// proxyKind names the proxy a format is the log of: its Family where it
// has one (nginx, caddy: the formats whose error logs join), else its name
// up to the first '-' ("traefik-json" is Traefik's as "traefik" is, and
// Envoy's, HAProxy's, ALB's and Cloudflare's formats have no Family).
func proxyKind(f sources.Format) string {
	if f.Family != "" {
		return f.Family
	}
	name, _, _ := strings.Cut(f.Name, "-")
	return name
}

// span is the log-time range in which lines of a request can lie: from its
// start (access time minus request time) to a little after the access line.
func (c *correlator) span(e *sources.ProxyEntry) (from, to time.Time) {
	rt := time.Duration(0)
	if e.RequestTime > 0 {
		rt = time.Duration(e.RequestTime * float64(time.Second))
	}
	// nginx $time_local has whole seconds: the request may have ended up to
	// a second after the logged time.
	return e.Time.Add(-rt - c.cfg.Match), e.Time.Add(c.cfg.Match + time.Second)
}

// stateFor returns recent upstream-state lines (HAProxy "no server
// available", "is DOWN") that concern e's upstream.
func (c *correlator) stateFor(e *sources.ProxyEntry) []*sources.ProxyError {
	var out []*sources.ProxyError
	backend := e.Upstream
	if i := strings.IndexByte(backend, '/'); i >= 0 {
		backend = backend[:i]
	}
	for _, sl := range c.state {
		s := sl.ProxyError
		if s.Upstream == "" || backend == "" {
			continue
		}
		// The backend itself or one of its servers ("be_app/srv1"): a bare
		// prefix took be_app_v2's state for be_app's.
		if (s.Upstream == e.Upstream || s.Upstream == backend || strings.HasPrefix(s.Upstream, backend+"/") || ingressService(s.Upstream, e.Upstream)) &&
			!s.Time.After(e.Time.Add(time.Second)) && e.Time.Sub(s.Time) < time.Minute {
			out = append(out, s)
		}
	}
	return out
}

// failures are the error lines with a request context by their reason,
// most first (then by reason), client aborts and lines of no reason left
// out (Snapshot.ErrorFailures).
func (c *correlator) failures() []ReasonCount {
	var out []ReasonCount
	for r, n := range c.failLines {
		if n > 0 && listedFailure(sources.Reason(r)) {
			out = append(out, ReasonCount{Reason: sources.Reason(r), Lines: n})
		}
	}
	slices.SortStableFunc(out, func(a, b ReasonCount) int { return cmp.Compare(b.Lines, a.Lines) })
	return out
}

// dialedUpstream returns the upstream address that a held error line of
// e's request names, for a 5xx whose access entry names none: Caddy's
// access log has no upstream field unless log_append adds one, while its
// http.log.error entry, written just before the access entry, names the
// address it dialed ("dial tcp 172.21.0.6:8000: connect: connection
// refused"). Of the lines of e's client, method and path in its span
// whose status, when they log one, is e's, the last one's; "" when none
// names an address (the app's own 503 has no error entry).
func (c *correlator) dialedUpstream(e *sources.ProxyEntry) string {
	l := c.errsBy[errKey(e.Client, e.Method, e.Path)].list()
	if l.empty() {
		return ""
	}
	from, to := c.errSpan(e)
	up := ""
	for _, x := range l.fitting(e, from, to) {
		if x.UpstreamAddr != "" && (x.Status == 0 || int(x.Status) == e.Status) {
			up = x.UpstreamAddr
		}
	}
	return up
}

// explainedState keeps of the state lines stateFor found for e those that
// can explain it. The ingress-nginx controller's "Service NS/NAME does not
// have any active Endpoint" (a Service state line, ingressService) explains
// a 503 its balancer answered without an upstream, and nothing else: not a
// 503 whose own error line gives another reason (its limiter's "limiting
// requests": session 23 QA F6 found the Service's line of 10 s before
// quoted on a rate-limited 503), not a request that reached an endpoint.
func explainedState(state []*sources.ProxyError, e *sources.ProxyEntry, errs []*sources.ProxyError) []*sources.ProxyError {
	if len(state) == 0 {
		return state
	}
	other := e.Status != 503 || e.UpstreamContacted == sources.Yes
	if x := lastReasoned(errs); x != nil && x.Reason != sources.ReasonNoLiveUpstreams {
		other = true
	}
	if !other {
		return state
	}
	out := state[:0]
	for _, s := range state {
		if !(s.Reason == sources.ReasonNoLiveUpstreams && ingressService(s.Upstream, e.Upstream)) {
			out = append(out, s)
		}
	}
	return out
}

// ingressService reports whether the ingress-nginx controller's Service
// "NS/NAME" (its klog lines) is the one of upstream, which ingress-nginx
// names NS-NAME-PORT ($proxy_upstream_name).
func ingressService(svc, upstream string) bool {
	ns, name, ok := strings.Cut(svc, "/")
	if !ok || len(upstream) <= len(svc)+1 {
		return false
	}
	return strings.HasPrefix(upstream, ns) && strings.HasPrefix(upstream[len(ns):], "-"+name+"-")
}

// appFor returns the app lines matched to e and how they were matched;
// taken says that the time window held lines, each another 5xx's, and
// byWindow that only the window looked for them (no id joins on this
// system): what the clock advice counts once the verdict is known
// (windowJoins.note).
func (c *correlator) appFor(e *sources.ProxyEntry) (app []*sources.AppEntry, matchedBy string, taken, byWindow bool) {
	if e.RequestID != "" {
		if len(c.outside.gone) > 0 && !c.heldFor(e.IDKey()) {
			// Its line may have been let go since it came: an app far
			// behind (idsoutside.go).
			c.matchGone(e)
		}
		if out := c.idLines(e); len(out) > 0 {
			c.idJoins++
			return out, "request_id", false, false
		}
		if c.appIDs && c.idJoins > 0 {
			// Ids join on this system and none matches: the app never
			// saw it, unless an app that logs no ids has its lines, or
			// the apps do not log most requests (appabsence.go).
			app, taken = c.appByWindow(e)
			if len(app) > 0 || !c.idCover.absenceSays() || c.unwaited {
				return app, "time_window", taken, false
			}
			return nil, "request_id", false, false
		}
	}
	app, taken = c.appByWindow(e)
	return app, "time_window", taken, true
}

// appByWindow returns the app lines of the request the time window joins
// to e (see claimApp), and whether lines in the window were other 5xx's
// (all of them: not when some were of requests the proxy answered well,
// proxyanswers.go, and the app's silence is a witness's, appwitness.go).
func (c *correlator) appByWindow(e *sources.ProxyEntry) ([]*sources.AppEntry, bool) {
	w := c.windowLines(e)
	c.window.noteStatus(w)
	out, taken, answered := w.lines, w.taken, w.answered // out in time order
	if len(out) == 0 {
		return nil, taken && !answered
	}
	groups := c.appRequests(out)
	if len(groups) > 1 {
		slices.SortStableFunc(groups, func(a, b appRequest) int {
			fa, fb := c.requestFit(e, a.lines), c.requestFit(e, b.lines)
			switch {
			case fa.better(fb):
				return -1
			case fb.better(fa):
				return 1
			}
			return 0
		})
	}
	for _, g := range groups {
		got, t := c.claimApp(e, g)
		if len(got) > 0 {
			return c.sameAppRequest(got), false
		}
		taken = taken || t
	}
	return nil, taken && !answered
}

// appWindow is e's span on the clock of the app that wrote a, reaching
// back as far as e may have lasted (appSpan): shifted by its skew
// (appSkew).
func (c *correlator) appWindow(e *sources.ProxyEntry, a *sources.AppEntry) (from, to time.Time) {
	from, to = c.appSpan(e)
	skew := c.appSkew(a)
	return from.Add(skew), to.Add(skew)
}

// appFits reports whether the time window joins app line a to e: within
// e's window [from, to] (appWindow), and the same method, query and
// request id where both give them, and an instance that names no other
// upstream than e's (instanceFits).
func (c *correlator) appFits(e *sources.ProxyEntry, a *sources.AppEntry, from, to time.Time) bool {
	if a.Time.Before(from) {
		if len(c.late) == 0 || c.written(a).Before(from) { // a late line's span (applate.go)
			return false
		}
	} else if a.Time.After(to) {
		return false
	}
	if a.Method != "" && e.Method != "" && a.Method != e.Method {
		return false
	}
	if strings.ContainsAny(e.Path, "?") && strings.ContainsAny(a.Path, "?") && a.Path != e.Path {
		return false
	}
	if !c.instanceFits(a.Instance, e.Upstream) {
		return false
	}
	return a.RequestID == "" || e.RequestID == "" || a.RequestID == e.RequestID
}

// sameAppRequest adds to lines, one request's app lines joined by the
// window, the app's other lines that its own request id ties to them and
// the window did not find: Rails logs `Completed 500 Internal Server
// Error in 12ms` with its tag's id and no method or path, and the 500
// was judged by its `Started GET "/api"` line alone (started, never
// finished: upstream_reset).
func (c *correlator) sameAppRequest(lines []*sources.AppEntry) []*sources.AppEntry {
	if len(lines) == 0 || lines[0].RequestID == "" {
		return lines
	}
	id := lines[0].RequestID
	var more []*sources.AppEntry
	for _, r := range c.heldRefs(lines[0].IDKey()) {
		if r.e.RequestID == id && !slices.Contains(lines, r.e) {
			more = append(more, r.e)
		}
	}
	if len(more) == 0 {
		return lines
	}
	out := append(slices.Clip(lines), more...)
	sortAppByTime(out)
	return out
}

// appRequest is one app request's lines among a window's (appRequests),
// in time order.
type appRequest struct {
	lines []*sources.AppEntry
	// whole says the lines are one request's, claimed together: one
	// request id's, or a start and end stamped at once (appsamestamp.go).
	// Else they are lines without ids, of which claimApp takes one
	// request's.
	whole bool
}

// appRequests splits window candidates (in time order) into the app's
// requests, in the order of their first lines: grouped by the app's
// request id when it logs one; of the lines without one, each request a
// start and end stamped at once show (bareRequests), and the rest as one
// more group (claimApp takes one request of them). appByWindow sorts
// them. Mixed ids are common (some clients send X-Request-ID, an empty
// $http_x_request_id): the lines without one were left out, and a 5xx
// with none lost its own app lines 0.04 s away whenever a request with an
// id was in its window (QA s22 F3).
func (c *correlator) appRequests(lines []*sources.AppEntry) []appRequest {
	var groups []appRequest
	var bare []*sources.AppEntry
	for _, a := range lines {
		if a.RequestID == "" {
			bare = append(bare, a)
			continue
		}
		i := slices.IndexFunc(groups, func(g appRequest) bool { return g.lines[0].RequestID == a.RequestID })
		if i < 0 {
			groups = append(groups, appRequest{whole: true})
			i = len(groups) - 1
		}
		groups[i].lines = append(groups[i].lines, a)
	}
	if len(bare) == 0 {
		return groups
	}
	whole, rest := c.bareRequests(bare)
	if len(groups) == 0 && len(whole) == 0 {
		return []appRequest{{lines: rest}}
	}
	add := func(g appRequest) {
		i := sort.Search(len(groups), func(i int) bool { return g.lines[0].Time.Before(groups[i].lines[0].Time) })
		groups = slices.Insert(groups, i, g)
	}
	for _, u := range whole {
		add(appRequest{lines: u, whole: true})
	}
	if len(rest) > 0 {
		add(appRequest{lines: rest})
	}
	return groups
}

func absDur(d time.Duration) time.Duration {
	if d < 0 {
		return -d
	}
	return d
}

// heldInput finds the input a kept line came from by its place in lines:
// they are in time order, give or take the grace and the odd late line, so
// the search looks outward from r's time, no further than heldSearch lines
// or ±30 s. (A map from record to input did this for every kept line, and
// its writes and deletes were a quarter of a replay's CPU.)
func (c *correlator) heldInput(lines []heldLine, r sources.Record) *sources.Input {
	const heldSearch = 4096
	t := instantOf(r.RecordTime())
	if a, ok := r.(*sources.AppEntry); ok && !a.Time.IsZero() {
		t = instantOf(a.Time.Add(-c.appSkew(a))) // held on the proxy's clock (Engine.appTime)
	}
	mid := sort.Search(len(lines), func(i int) bool { return !lines[i].at().before(t) })
	// Most often r is among the lines of its very time, from mid on (with
	// nginx's whole seconds, a thousand of them at a busy second): look
	// there first, comparing little else, within the same heldSearch
	// lines as below. A record is kept once, so where it is found first
	// does not change what is found. Error lines' timelines took 5% of a
	// replay's CPU with the outward search alone.
	for i := mid; i < min(len(lines), mid+heldSearch); i++ {
		if lines[i].rec == r {
			return c.input(&lines[i])
		}
		if lines[i].at() != t {
			break
		}
	}
	lo, hi := t.add(-30*time.Second), t.add(30*time.Second)
	for d := 0; d < heldSearch; d++ {
		left, right := mid-1-d, mid+d
		inLeft := left >= 0 && !lines[left].at().before(lo)
		inRight := right < len(lines) && !hi.before(lines[right].at())
		if !inLeft && !inRight {
			break
		}
		if inRight && lines[right].rec == r {
			return c.input(&lines[right])
		}
		if inLeft && lines[left].rec == r {
			return c.input(&lines[left])
		}
	}
	return nil
}

// timeline collects the lines within ±5 s of e: the request's own lines,
// then the nearest others, at most TimelineLines in all, in time order. It
// walks outward from e's place in the kept lines (kept in arrival order,
// which is time order give or take the grace), so its cost does not grow
// with the log rate.
// own are the request's own lines (error, then app lines), in the order
// equal times keep.
func (c *correlator) timeline(e *sources.ProxyEntry, own *ownLines, in *sources.Input) Timeline {
	lines := c.lines[c.head:]
	at := instantOf(e.Time)
	lo, hi := at.add(-TimelineReach), at.add(TimelineReach)
	var tl Timeline
	var names inputNames
	c.timelines.start(&tl, max(TimelineLines, 1+len(own.lines)))
	c.addOwn(&tl, &names, e, own, in)
	head := tl.Len()
	walk := &c.walk
	walk.reset(&tl)
	mid := sort.Search(len(lines), func(i int) bool { return !lines[i].at().before(at) })
	left, right := mid-1, mid
	// A line far outside the window (a wrong clock: 1970) among lines
	// within it ended the walk there; up to farSkips of them are passed.
	// After a true leap of the log every line is far outside: the walk
	// must still end.
	const farSkips = 4
	farLo, farHi := lo.add(-clockJump), hi.add(clockJump)
	skips := 0
	// leftAt and rightAt are the instants of lines[left] and lines[right]
	// while those are within lines: each line's is worked out once, when
	// the walk reaches it, not at every step it waits on its side and
	// again once taken (a third of the walk's instructions went to
	// time.Time's Unix and Nanosecond).
	var leftAt, rightAt logInstant
	if left >= 0 {
		leftAt = lines[left].at()
	}
	if right < len(lines) {
		rightAt = lines[right].at()
	}
	// kindIn[k] is where the lines of kind k (heldLine.kind), among the
	// first kinds, are in tl: 1 + their source's index, and their zone's
	// index. Looked up once per timeline for each, not by names.of and
	// zoneIndex's searches for each line taken.
	var kindIn [maxKindScan]struct{ src, zone uint8 }
	for taken := head; taken < TimelineLines; {
		useLeft := false
		switch {
		case left >= 0 && right < len(lines):
			useLeft = at.sub(leftAt) <= rightAt.sub(at)
		case left >= 0:
			useLeft = true
		case right < len(lines):
		default:
			left, right = -1, len(lines)
		}
		if left < 0 && right >= len(lines) {
			break
		}
		var l *heldLine
		var lt logInstant // l's instant
		if useLeft {
			l, lt = &lines[left], leftAt
			if left--; left >= 0 {
				leftAt = lines[left].at()
			}
			if lt.before(lo) {
				if lt.before(farLo) && skips < farSkips {
					skips++
				} else {
					left = -1
				}
				continue
			}
		} else {
			l, lt = &lines[right], rightAt
			if right++; right < len(lines) {
				rightAt = lines[right].at()
			}
			if hi.before(lt) {
				if farHi.before(lt) && skips < farSkips {
					skips++
				} else {
					right = len(lines)
				}
				continue
			}
			if lt.before(farLo) {
				continue // a line from 1970 that came after e
			}
		}
		// Most lines are timeline-only (textLine): none of these.
		if _, text := l.rec.(*textLine); !text && (l.rec == nil || own.has(l.rec) || l.rec == sources.Record(e)) {
			continue
		}
		var src, zone uint8
		if in := kindIn[l.kind%maxKindScan]; in.src != 0 && l.kind < maxKindScan {
			src, zone = in.src-1, in.zone
		} else {
			k := &c.kinds[l.kind]
			src = names.of(&tl, k.in)
			zone = tl.zoneIndex(k.zone)
			if l.kind < maxKindScan {
				kindIn[l.kind] = struct{ src, zone uint8 }{src + 1, zone}
			}
		}
		walk.take(useLeft, &tl, timelineEntry{raw: c.text.show(&l.rec, &l.raw, l.ring), sec: lt.sec, nsec: int32(lt.nsec), src: src, zone: zone})
		taken++
	}
	walk.finish(&tl)
	return tl
}

// timelineKey is a timeline line's place in the sort: its time, then its
// place before the sort (which makes the sort stable).
type timelineKey struct {
	sec       int64
	nsec, pos int32
}

// sortTimeline sorts lines by time, lines of the same time in the order
// they are in: what slices.SortStableFunc with Time.Compare gives. It sorts
// 16-byte keys and then moves each line once; the stable sort of the lines
// themselves, comparing time.Time values, was a third of a replay's
// timeline cost.
func sortTimeline(lines []timelineEntry) {
	var stack [64]timelineKey
	keys := stack[:0]
	if len(lines) > len(stack) {
		keys = make([]timelineKey, 0, len(lines))
	}
	sorted := true
	for i := range lines {
		k := timelineKey{sec: lines[i].sec, nsec: lines[i].nsec, pos: int32(i)}
		if i > 0 && (k.sec < keys[i-1].sec || k.sec == keys[i-1].sec && k.nsec < keys[i-1].nsec) {
			sorted = false
		}
		keys = append(keys, k)
	}
	if sorted {
		return
	}
	slices.SortFunc(keys, func(a, b timelineKey) int {
		if a.sec != b.sec {
			return cmp.Compare(a.sec, b.sec)
		}
		if a.nsec != b.nsec {
			return cmp.Compare(a.nsec, b.nsec)
		}
		return cmp.Compare(a.pos, b.pos)
	})
	// Line i of the result is line keys[i].pos: follow each cycle of that
	// permutation, moving every line once (pos -1 marks a line placed).
	for i := range keys {
		if keys[i].pos < 0 || int(keys[i].pos) == i {
			continue
		}
		first := lines[i]
		j := i
		for {
			k := int(keys[j].pos)
			keys[j].pos = -1
			if k == i {
				lines[j] = first
				break
			}
			lines[j] = lines[k]
			j = k
		}
	}
}

// inputNames remembers the timeline source index of the last few inputs a
// timeline's lines came from (their label and role are read under a lock):
// a timeline has 60 lines from a handful of inputs.
type inputNames struct {
	n   int
	ins [4]*sources.Input
	src [4]uint8
}

func (c *inputNames) of(tl *Timeline, in *sources.Input) uint8 {
	for i := 0; i < c.n; i++ {
		if c.ins[i] == in {
			return c.src[i]
		}
	}
	src := tl.sourceIndex(in.Spec.Label(), serviceOf(in), in.Role())
	if c.n < len(c.ins) {
		c.ins[c.n], c.src[c.n] = in, src
		c.n++
	}
	return src
}

// ownInput is the input a request's own line came from. For an app line,
// the only input of an app format when there is one (one app log: the
// usual case, and a search through the kept lines was a third of a
// timeline's cost): only app formats make app entries. Error lines may
// also come from a proxy's own log (HAProxy's server state, Caddy's
// errors), so they, and app lines read from several logs, are found by
// heldInput. Either is the one input its kind came from when only one
// gave any (errFrom, appFrom): the usual case, found with no search.
func (c *correlator) ownInput(lines []heldLine, r sources.Record) *sources.Input {
	if pe, ok := r.(*sources.ProxyError); ok {
		if in := c.errFrom.only(); in != nil {
			return in
		}
		if in := c.errIn[pe]; in != nil {
			return in
		}
		return c.heldOrAside(lines, r)
	}
	if _, ok := r.(*sources.AppEntry); !ok {
		return c.heldOrAside(lines, r)
	}
	if in := c.appFrom.only(); in != nil {
		return in
	}
	var only *sources.Input
	for _, in := range c.cfg.Inputs {
		if in.Format().Role == sources.RoleApp {
			if only != nil {
				return c.heldOrAside(lines, r)
			}
			only = in
		}
	}
	if only == nil {
		return c.heldOrAside(lines, r)
	}
	return only
}

// oneInput notes the inputs a kind of record came from.
type oneInput struct {
	in         *sources.Input
	seen, many bool
}

// note notes a record of input in.
func (o *oneInput) note(in *sources.Input) {
	if !o.seen {
		o.in, o.seen = in, true
	} else if in != o.in {
		o.many = true
	}
}

// only is the input every record noted came from: nil when none was
// noted, or they came from several inputs.
func (o *oneInput) only() *sources.Input {
	if o.many {
		return nil
	}
	return o.in
}

// heldOrAside is heldInput, or the input of a line held apart (a 5xx far
// ahead of the log clock has its own lines there).
func (c *correlator) heldOrAside(lines []heldLine, r sources.Record) *sources.Input {
	if in := c.heldInput(lines, r); in != nil {
		return in
	}
	for i := range c.aside {
		if c.aside[i].rec == r {
			return c.input(&c.aside[i])
		}
	}
	return nil
}
