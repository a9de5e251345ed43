package sources

import (
	"context"
	"errors"
	"fmt"
	"strings"
)

// decoder turns an input's raw lines into items: it holds the first lines
// back until the format is known, then parses every line.
//
// How it decides (the detection rules are in detect.go):
//   - It holds lines until detection is settled, or enough lines
//     (maxHeldLines, blank ones too) or detectBytes bytes are held, or the
//     input ends (finish). A live input is also decided on a tick (flush)
//     once no line has come for quietTicks ticks, or after maxHoldTicks:
//     lines may stop coming. Blank lines are no sample: held alone they are
//     let go at a flush, counted as lines only (see below).
//   - But for two kinds of held lines (ripe). A proxy's startup lines with
//     no request line yet (startup.go) are not decided on a tick: an app
//     format would be wrong, and the proxy's requests tell its format;
//     they are decided when the input ends or the held lines are full.
//     And one request line, first or after lines left out (a proxy's
//     startup lines, or an app's), is no evidence while more lines may
//     come: it waits for them until no line has come for loneTicks ticks.
//   - A format known before any line (forced, or detected from the head of
//     a file in live mode) whose parser reads lines ahead (Primer) holds
//     its first lines as detection would, and has them read ahead before
//     it parses them (modePrime), as a detected one has: every path that
//     sets the format primes it.
//   - An app format decided on fewer than detectLines lines (which could be
//     a proxy's startup lines; live mode, or a head of a file that short)
//     is watched: the next lines, up to detectLines in all (each counted
//     once, held or not), are checked for a line a proxy format reads as a
//     request. From such a line on, lines
//     are held and detection runs again; a proxy format that wins there on
//     minSwitchRequests request lines or more (a quarter of the lines at
//     least) replaces the app format. One request line held alone waits
//     for the next line: it is neither a switch nor an app line yet.
//   - While watched, the lines the app format was decided on (pending) are
//     not sent as app records: a proxy's startup lines would make the
//     engine believe an app log is read. They go out as the app's when the
//     app's lines go on (a line that is not a request), the watch ends, the
//     input ends, or after maxPendingTicks; a proxy that wins reads them.
//     Lines of which one names a request (a request id, a status) go out
//     at once: a proxy's startup lines name none (namesRequests).
//   - Counting: every line counts in Lines; Parsed and Unparsed count the
//     lines a parser read or could not read. Blank lines (white space
//     only) are neither, as an app's continuation lines are, so Lines >=
//     Parsed + Unparsed + Startup. Startup counts the proxy's startup lines
//     its parser does not read (the nginx image's entrypoint lines, Traefik's
//     and ingress-nginx's own): the held lines detection took for them
//     (detector.startupLead), and the nginx image's entrypoint lines
//     wherever they come (Input.count). They are no unparsed lines: the
//     report listed the entrypoint's as lines fivexx could not read.
//   - When no format fits, the held lines count as unparsed and the input
//     says so, but detection is tried again on later lines: a banner before
//     an app's first line no longer disables the input for the session. The
//     tries back off (skipLines) so that a file no format fits costs little,
//     and start again when the followed file is rotated or truncated.
type decoder struct {
	in  *Input
	out chan<- Item
	// batches, when set, replaces out: records go out in slices of up to
	// batchSize, so a reader that runs to the end pays one channel send per
	// batch instead of one per line.
	batches chan<- []Item
	batch   []Item
	lineNo  int64

	mode decodeMode
	// held are the lines held back while detecting (and, watching, from a
	// request line on); det scores them as they come.
	held      []string
	heldBytes int
	// head is how many of the held lines, first, are a followed file's
	// lines before the start (holdHead): weighed, never parsed.
	head  int
	det   *detector
	ticks int  // flushes the held lines have waited
	fresh bool // a line was held since the last flush
	// idle is how many flushes in a row found no new sample line held
	// (seen: the sample lines held at the last flush).
	idle, seen int
	// tries counts failed detections in a row; skip is how many lines to
	// count as unparsed before the next try. broken: the format cannot be
	// built (a bad --log-format): no tries.
	tries     int
	skip      int
	broken    bool
	rotations int64  // in.rotations when last looked at
	stateWas  string // the input's state before "format not recognised"
	failState string // the state a failed detection set
	// watchLeft is how many more lines a watched app format is checked for
	// requests (modeWatch).
	watchLeft int
	// pending are the lines a watched app format was decided on, not sent
	// yet (see the rules above); pendingTicks the flushes they waited.
	pending      []string
	pendingTicks int

	// role is cached once the format is known, so the per-line path takes
	// no lock.
	role Role
	// plainOnly: the format is known and its lines may not be parsed in
	// parallel; canReadParallel need not ask again on every read.
	plainOnly bool
	// last holds an app record back until the next record (or a flush):
	// app parsers append stack-trace continuation lines to the previous
	// record, which must not have reached the engine yet.
	// (A value and a flag rather than a pointer: a pointer to each app
	// line's Item cost one heap allocation per line.)
	last    Item
	hasLast bool
	// heldInBatch: the last item of batch is the app record held back,
	// as last would hold it (see holdInBatch).
	heldInBatch bool
	// slotP (proxy) or appSlotP (app) is the parser once the format is
	// known and its lines may be parsed into recycled slots (slotsDecided).
	slotsDecided bool
	// began is set at the input's first line, whose byte-order mark (if
	// any) is dropped there, for every format (dropBOM).
	began    bool
	slotP    SlotParser
	appSlotP AppSlotParser
	// appRestP is appSlotP when it finds where a line ends as it parses
	// it (appLines), else nil.
	appRestP AppSlotRestParser
	stock    slotStock[ProxySlot]
	appStock slotStock[AppSlot]
	names    nameCache
	// repeats, set for a command restarted with --cmd-restart, drops the
	// history it prints again after a restart (repeats.go).
	repeats *repeatFilter
	// borrow: slots borrow their lines' text from blocks, read into by
	// readDecoded (see readBlocks): blocks reused once their records are
	// released, or with KeepText never reused. Decided with the slots.
	borrow bool
	blocks readBlocks
	// guard names a panic of the slot parsers (lineBytes); readDecoded
	// defers it.
	guard parseGuard
	// sentNo is the line number of the last record sent on (0: none),
	// for Input.LastRecord once the input has been read to its end.
	sentNo int64
	// sentBatch: a batch was sent (batch mode), the merge has the head.
	sentBatch bool
}

// decodeMode is what the decoder does with a line.
type decodeMode uint8

const (
	modeDetect  decodeMode = iota // hold it: the format is not known yet
	modeParse                     // parse it: the format is known for good
	modeWatch                     // parse it, unless a proxy's request line shows the app format was wrong
	modeFailed                    // no format fitted: hold it for another try, or count it unparsed
	modePrime                     // hold it: the format is known, its parser reads the first lines ahead (Primer)
	modeNotRead                   // drop it: the first lines said the input is not to be read (Spec.NotReadIf)
)

const (
	// quietTicks and maxHoldTicks: a live input's held lines are decided
	// on after this many flushes without a new line, or this many flushes
	// in all (at flushEvery, 0.3 s and 1 s).
	quietTicks   = 3
	maxHoldTicks = 10
	// loneTicks: one request line held alone (detector.loneRequest) is
	// decided on after this many flushes without a new line (1 s): it is
	// no evidence while more lines may follow.
	loneTicks = 10
	// maxPendingTicks: a watched app format's first lines are sent after
	// this many flushes (10 s) even when no line followed them: a quiet
	// app's lines are not kept from the engine for good; a proxy quiet
	// for longer after its startup lines is read as an app until then.
	maxPendingTicks = 100
	// maxHeldLines bounds the lines held, blank ones included, whatever
	// their bytes (detectBytes bounds those).
	maxHeldLines = 4 * detectLines
	// maxSkip bounds the lines counted unparsed between two detection
	// tries of an input no format fits.
	maxSkip = 4096
	// stateUnknownFormat is the input's state while no format fits.
	stateUnknownFormat = "format not recognised: force one with --format NAME"
)

func newDecoder(in *Input, out chan<- Item) *decoder {
	d := &decoder{in: in, out: out, stock: proxyStock(in), appStock: appStock(in)}
	d.rotations = in.rotations.Load()
	in.mu.Lock()
	preset := in.parser != nil
	in.mu.Unlock()
	switch f := in.Format(); {
	case preset:
		// Detected from the head of the file (live mode, detectFromHead,
		// which calls watchUnsure).
		d.known()
		d.primeFirst()
	case f.Name != "":
		if err := in.SetFormat(f, "forced with --format"); err != nil {
			in.SetState(err.Error())
			d.mode, d.broken = modeFailed, true
			break
		}
		d.known()
		d.primeFirst()
		in.settled.Store(true) // given: never watched
	default:
		d.det = newDetector(in.Spec.Role)
	}
	return d
}

// known caches what the per-line path needs once the format is set.
func (d *decoder) known() {
	d.mode = modeParse
	d.role = d.in.Role()
}

// primeFirst holds the first lines of a format known before any line
// when its parser reads lines ahead (modePrime).
func (d *decoder) primeFirst() {
	d.in.mu.Lock()
	_, ok := d.in.parser.(Primer)
	d.in.mu.Unlock()
	if ok {
		d.mode = modePrime
	}
}

// roleSettled notes that the input's format, and with it its role, is
// its for good (Input.RoleSettled): given, or detected and not watched, or
// no longer watched. Called before the first record in that format is
// sent.
func (d *decoder) roleSettled() { d.in.settled.Store(true) }

// watchable says whether the input's app format, detected rather than
// given, may still turn out to be a proxy's stream.
func (d *decoder) watchable() bool {
	return d.in.Spec.Role == RoleUnknown && d.role == RoleApp
}

// watchUnsure watches the input's app format when det, the detection that
// chose it, was decided on too few lines to rule out a proxy's startup
// lines. An app format settled on detectLines lines is not watched: a
// request-like line in a long app log is the app's.
func (d *decoder) watchUnsure(det Detection) bool {
	if det.settled || !d.watchable() {
		return false
	}
	d.mode, d.watchLeft = modeWatch, detectLines-det.Lines
	return true
}

// blank says whether line is white space only.
func blank(line string) bool { return strings.TrimSpace(line) == "" }

// lineFunc is the lineFunc that feeds d: cut lines counted, then
// lineBytes. (countCut's, written out: a closure call per line fewer.)
func (d *decoder) lineFunc(ctx context.Context) lineFunc {
	return func(line []byte, cut bool) error {
		if cut {
			d.in.tooLong.Add(1)
		}
		return d.lineBytes(ctx, line)
	}
}

// lineBytes takes one raw line as read (only valid during the call). The
// lines it parses into slots are guarded by d.guard, which readDecoded
// defers: lineBytes has no other caller.
func (d *decoder) lineBytes(ctx context.Context, line []byte) error {
	if !d.slotsDecided {
		// Slots are decided at a line, after the first at the latest
		// that it is not: the first line is always here.
		if !d.began {
			d.began = true
			line = firstLine(d.in, line)
		}
		d.decideSlots()
	}
	switch {
	case d.slotP != nil:
		d.lineNo++
		rec, slot := d.in.parseSlotGuarded(d.slotP, &d.stock, line, nil, &d.blocks, &d.guard)
		if rec == nil {
			return nil
		}
		d.names.prepare(rec)
		return d.send(ctx, Item{Input: d.in, LineNo: d.lineNo, Rec: rec, slot: slot})
	case d.appSlotP != nil:
		d.lineNo++
		rec, slot := d.in.parseAppSlotGuarded(d.appSlotP, &d.appStock, line, &d.blocks, &d.guard)
		if rec == nil {
			return nil
		}
		d.names.prepare(rec)
		it := Item{Input: d.in, LineNo: d.lineNo, Rec: rec, appSlot: slot, lender: slot.lender}
		if d.repeats != nil {
			return d.holdApp(ctx, it) // repeats are judged as a record is sent
		}
		return d.holdInBatch(ctx, it)
	}
	return d.line(ctx, string(line))
}

// decideSlots sets slotP or appSlotP when the input's lines go into
// recycled slots: read in batches (whose consumer releases them), by a
// parser that can. Decided once the format is known for good.
func (d *decoder) decideSlots() {
	if d.mode != modeParse || len(d.held) > 0 {
		return
	}
	d.slotsDecided = true
	if d.batches == nil || d.in.keep {
		return
	}
	d.in.mu.Lock()
	defer d.in.mu.Unlock()
	switch d.role {
	case RoleProxy:
		d.slotP, _ = d.in.parser.(SlotParser)
	case RoleApp:
		d.appSlotP, _ = d.in.parser.(AppSlotParser)
		d.appRestP, _ = d.in.parser.(AppSlotRestParser)
	}
	d.borrow = (d.in.borrowText || d.in.keepText) && (d.slotP != nil || d.appSlotP != nil)
	d.blocks.keep = d.in.keepText
}

// readBuffer returns the buffer to read into next: buf, or a block when
// slots borrow their text (the block being parsed is then done with). In
// a block, it puts the start of a line split holds in front (moveHeld),
// held bytes; the read goes after them.
func (d *decoder) readBuffer(buf []byte, split *lineSplitter) (_ []byte, held int) {
	if !d.borrow {
		return buf, 0
	}
	buf = d.blocks.next()
	return buf, split.moveHeld(buf)
}

// line takes one raw line. It returns ctx.Err() when the consumer is gone.
func (d *decoder) line(ctx context.Context, text string) error {
	if !d.began { // a followed file's or a stream's first line (lineBytes has the others')
		d.began = true
		text = firstLine(d.in, text)
	}
	if d.mode == modeParse {
		return d.emit(ctx, text)
	}
	return d.unsettled(ctx, text)
}

// unsettled takes a line while the format is not known for good.
func (d *decoder) unsettled(ctx context.Context, text string) error {
	switch d.mode {
	case modeNotRead:
		return nil
	case modeWatch:
		if len(d.held) == 0 {
			if len(d.pending) > 0 && len(d.pending) < maxHeldLines && blank(text) {
				d.pending = append(d.pending, text) // no sign of the app
				return nil
			}
			if d.watchLeft--; d.watchLeft <= 0 {
				if err := d.endWatch(ctx); err != nil {
					return err
				}
				return d.emit(ctx, text)
			}
			if !requestLine(text) {
				// The app's lines go on: those it was decided on are its.
				if err := d.sendPending(ctx); err != nil {
					return err
				}
				return d.emit(ctx, text)
			}
			d.det = newDetector(RoleUnknown)
		} else if !blank(text) {
			d.watchLeft-- // held from a request line on: watched all the same
		}
		d.hold(text)
		if d.det.nonEmpty() >= firstDetectLines || d.full() {
			return d.recheck(ctx, false)
		}
		return nil
	case modeFailed:
		d.noteRotation()
		if d.broken {
			d.unparsed(text)
			return nil
		}
		if d.skip > 0 {
			d.skip--
			d.unparsed(text)
			return nil
		}
		if d.det == nil {
			d.det = newDetector(d.in.Spec.Role)
		}
		d.hold(text)
		if d.det.nonEmpty() >= firstDetectLines && !d.det.startupOnly() || d.full() {
			return d.decide(ctx)
		}
		return nil
	case modePrime:
		d.hold(text)
		if len(d.held) >= firstDetectLines || d.full() || d.primedBy(d.held) {
			return d.primeHeld(ctx)
		}
		return nil
	}
	d.hold(text)
	if d.enough() {
		return d.decide(ctx)
	}
	return nil
}

// hold keeps a line back for detection.
func (d *decoder) hold(text string) {
	d.held = append(d.held, text)
	d.heldBytes += len(text)
	d.fresh = true
	if d.det != nil {
		d.det.add(text)
	}
}

// dropHeld forgets the held lines, once decided on or let go.
func (d *decoder) dropHeld() {
	d.held, d.heldBytes, d.det, d.ticks, d.fresh, d.idle, d.seen, d.head = nil, 0, nil, 0, false, 0, 0, 0
}

// holdHead holds the head of a followed file, read before the start at
// its end, when it told too little to decide on (headDecoder): detection
// weighs it with the lines to come, or decides on it alone once the file
// is quiet, but its lines are history: not parsed, not counted.
func (d *decoder) holdHead(lines []string) {
	for _, l := range lines {
		d.hold(l)
	}
	d.head = len(lines)
}

// full says whether as many lines or bytes are held as may be.
func (d *decoder) full() bool {
	return len(d.held) >= maxHeldLines || d.heldBytes >= detectBytes
}

// enough says whether the held lines decide the format (modeDetect).
func (d *decoder) enough() bool {
	if d.full() {
		return true
	}
	n := d.det.nonEmpty()
	if n < firstDetectLines || d.det.startupOnly() {
		return false
	}
	if n >= maxDetectLines {
		return true
	}
	det, err := d.det.result()
	return err == nil && det.settled
}

// unparsed counts a line no format reads (a blank line as a line only).
func (d *decoder) unparsed(text string) {
	d.lineNo++
	d.in.lines.Add(1)
	if blank(text) {
		d.in.blank.Add(1)
		return
	}
	d.in.unparsed.Add(1)
	d.in.mu.Lock()
	if len(d.in.samples) < maxSamples {
		d.in.samples = append(d.in.samples, strings.Clone(cut(text, 300)))
	}
	d.in.mu.Unlock()
}

// flush is called when the input has been quiet for a moment (live
// inputs, every flushEvery): held lines that have waited long enough are
// decided on, and the held-back app record goes out.
func (d *decoder) flush(ctx context.Context) error {
	d.noteRotation()
	if len(d.pending) > 0 {
		if d.pendingTicks++; d.pendingTicks >= maxPendingTicks {
			if err := d.sendPending(ctx); err != nil {
				return err
			}
		}
	}
	if len(d.held) > 0 {
		d.ticks++
		quiet := !d.fresh
		d.fresh = false
		if d.ripe(quiet) {
			if err := d.settleHeld(ctx, false); err != nil {
				return err
			}
		}
	}
	return d.release(ctx)
}

// ripe says whether the held lines are decided on at this flush; quiet:
// no line came since the last one (see the rules above).
func (d *decoder) ripe(quiet bool) bool {
	if d.det != nil && (d.mode == modeDetect || d.mode == modeFailed) {
		if n := d.det.nonEmpty(); n != d.seen {
			d.seen, d.idle = n, 0
		} else {
			d.idle++
		}
		switch {
		case d.det.startupOnly():
			return false
		case d.det.loneRequest():
			return d.idle >= loneTicks
		}
	}
	return d.ticks >= maxHoldTicks || quiet && d.ticks >= quietTicks
}

// noteRotation starts the tries of an input no format fitted again from
// the first when its file was replaced or cut: the new file may well be
// one (a banner, then a crash, then a fresh log).
func (d *decoder) noteRotation() {
	if r := d.in.rotations.Load(); r != d.rotations {
		d.rotations = r
		d.tries, d.skip = 0, 0
	}
}

// finish is called at the end of the input: whatever is held is decided on.
func (d *decoder) finish(ctx context.Context) error {
	if len(d.held) > 0 {
		if err := d.settleHeld(ctx, true); err != nil {
			return err
		}
	}
	if err := d.sendPending(ctx); err != nil {
		return err
	}
	return d.release(ctx)
}

// settleHeld decides on the held lines now; last: no line will follow.
func (d *decoder) settleHeld(ctx context.Context, last bool) error {
	switch d.mode {
	case modeWatch:
		return d.recheck(ctx, last)
	case modePrime:
		return d.primeHeld(ctx)
	}
	if d.det != nil {
		d.det.ended = last
	}
	return d.decide(ctx)
}

// letBlanksGo counts held lines that are all blank as lines and drops
// them: they are no sample, and no reason to say no format fits.
func (d *decoder) letBlanksGo() bool {
	if d.det.nonEmpty() > 0 {
		return false
	}
	n := int64(len(d.held))
	d.lineNo += n
	d.in.lines.Add(n)
	d.in.blank.Add(n)
	d.dropHeld()
	d.det = newDetector(d.in.Spec.Role)
	return true
}

// decide picks the format from the held lines and parses them (modeDetect,
// modeFailed).
func (d *decoder) decide(ctx context.Context) error {
	if d.letBlanksGo() || d.notReadAfterAll() {
		return nil
	}
	f, how, det, err := d.det.resolve(d.in.Spec)
	if err == nil {
		err = d.checkRole()
	}
	held, head := d.held, d.head
	lead := 0
	if err == nil {
		lead = d.det.startupLead(f.Name)
	}
	d.dropHeld()
	if err == nil {
		if err = d.in.SetFormat(f, how); err != nil {
			d.broken = true
		}
	}
	if err != nil {
		if d.mode != modeFailed {
			d.stateWas = d.in.State()
		}
		d.failState = err.Error()
		if errors.Is(err, ErrUnknownFormat) {
			d.failState = stateUnknownFormat
		}
		d.in.SetState(d.failState)
		d.mode = modeFailed
		d.tries++
		if d.tries > 2 {
			d.skip = min(firstDetectLines<<(d.tries-2), maxSkip)
		}
		for _, l := range held[head:] {
			d.unparsed(l)
		}
		return nil
	}
	if d.mode == modeFailed && d.in.State() == d.failState {
		d.in.SetState(d.stateWas)
	}
	d.tries, d.skip = 0, 0
	d.known()
	d.prime(held) // the head too: it tells what the lines after it are
	if d.watchUnsure(det) {
		d.pending, d.pendingTicks = held[head:], 0
		if d.in.namesRequests(held[head:]) {
			return d.sendPending(ctx) // the app's for sure (namesRequests)
		}
		return nil
	}
	d.roleSettled()
	for i, l := range held {
		var err error
		if i < head {
			continue
		}
		if i < lead {
			err = d.emitStartup(ctx, l)
		} else {
			err = d.emit(ctx, l)
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// notReadAfterAll reports whether the held lines (the first of the input,
// before a try after a failed one) say the input is not to be read
// (Spec.NotReadIf): they are dropped, and every line after them.
func (d *decoder) notReadAfterAll() bool {
	if d.in.Spec.NotReadIf == nil || d.mode != modeDetect {
		return false
	}
	var head []string
	for _, l := range d.held[d.head:] {
		if !blank(l) {
			head = append(head, l)
		}
	}
	why := d.in.Spec.NotReadIf(head)
	if why == "" {
		return false
	}
	d.in.stopReading(why)
	d.dropHeld()
	d.mode = modeNotRead
	return true
}

// checkRole is the contradiction of an input given as an app's whose
// held lines read as a proxy's (givenrole.go), when its head could not
// be checked at start: its lines are no app's, and would be app evidence.
// Later lines that read as an app's (a try after the failed one) end it.
func (d *decoder) checkRole() error {
	if d.in.Spec.Role != RoleApp || !CheckedRole(d.in.Spec) {
		return nil
	}
	lines := d.held[d.head:]
	c, bad := ContradictsRole(d.in.Spec, lines, DetectSample(lines, RoleUnknown))
	d.in.setContradiction(c, bad)
	if !bad {
		return nil
	}
	return c
}

// recheck runs detection again on the lines held from a request line on
// (modeWatch): a proxy format that wins there on enough request lines
// replaces the app format, and reads the pending lines too; otherwise they
// are the app's lines after all. One request line held alone is held on
// for the next line, unless last (no line will follow).
func (d *decoder) recheck(ctx context.Context, last bool) error {
	f, how, det, err := d.det.resolve(d.in.Spec)
	if !last && d.det.allRequests() && d.det.requestLines < minSwitchRequests && !d.full() {
		return nil
	}
	switchTo := err == nil && f.Role != RoleApp && d.det.proxyEvidence(det.Format.Name, minSwitchRequests)
	held := d.held
	d.dropHeld()
	if switchTo {
		// The app record held back for continuation lines goes out first.
		if err := d.release(ctx); err != nil {
			return err
		}
		switch was := d.in.Format().Name; {
		case d.lineNo > 0:
			how = fmt.Sprintf("%s; the %s before read as %s", how, counted(d.lineNo, "line"), was)
		case len(d.pending) > 0:
			how = fmt.Sprintf("%s after %s", how, counted(int64(len(d.pending)), "startup line"))
		}
		if d.in.SetFormat(f, how) == nil {
			d.known()
			d.prime(append(d.pending[:len(d.pending):len(d.pending)], held...))
		}
		d.watchLeft = 0
		d.roleSettled()
	} else if d.watchLeft <= 0 {
		d.mode = modeParse // each held line was counted as it came
		d.roleSettled()
	}
	// The pending lines: the proxy's startup lines, or the app's first.
	pending := d.pending
	d.pending, d.pendingTicks = nil, 0
	for _, l := range pending {
		if err := d.emit(ctx, l); err != nil {
			return err
		}
	}
	for _, l := range held {
		if err := d.emit(ctx, l); err != nil {
			return err
		}
	}
	return nil
}

// primeHeld has the parser read the held first lines ahead, then parses
// them (modePrime): the format is known for good.
func (d *decoder) primeHeld(ctx context.Context) error {
	held := d.held
	d.dropHeld()
	d.mode = modeParse
	d.prime(held)
	for _, l := range held {
		if err := d.emit(ctx, l); err != nil {
			return err
		}
	}
	return nil
}

// primedBy primes the parser with held and says whether that was enough
// (PrimedTeller): at most firstDetectLines calls, each over the lines held
// so far, at an input's start.
func (d *decoder) primedBy(held []string) bool {
	d.in.mu.Lock()
	pt, ok := d.in.parser.(PrimedTeller)
	d.in.mu.Unlock()
	if !ok {
		return false
	}
	pt.Prime(held)
	return pt.Primed()
}

// prime hands the lines held for detection to a parser that wants them
// before it parses them (Primer).
func (d *decoder) prime(held []string) {
	d.in.mu.Lock()
	pr, ok := d.in.parser.(Primer)
	d.in.mu.Unlock()
	if ok {
		pr.Prime(held)
	}
}

// sendPending sends the lines a watched app format was decided on: they
// are the app's.
func (d *decoder) sendPending(ctx context.Context) error {
	pending := d.pending
	d.pending, d.pendingTicks = nil, 0
	for _, l := range pending {
		if err := d.emit(ctx, l); err != nil {
			return err
		}
	}
	return nil
}

// endWatch ends the watch of an app format: it is the input's for good.
func (d *decoder) endWatch(ctx context.Context) error {
	d.mode = modeParse
	d.roleSettled()
	return d.sendPending(ctx)
}

func (d *decoder) emit(ctx context.Context, text string) error {
	d.lineNo++
	return d.emitRecord(ctx, d.in.parse(text))
}

// emitStartup is emit for one of the proxy's startup lines held before its
// first request line (detector.startupLead): one its parser does not read
// counts as a startup line, not an unparsed one.
func (d *decoder) emitStartup(ctx context.Context, text string) error {
	d.lineNo++
	return d.emitRecord(ctx, d.in.parseStartup(text))
}

// emitRecord sends the record emit parsed (nil: none).
func (d *decoder) emitRecord(ctx context.Context, rec Record) error {
	if rec == nil {
		return nil
	}
	d.names.prepare(rec) // here, not in send: the parallel reader's workers do their own
	it := Item{Input: d.in, LineNo: d.lineNo, Rec: rec}
	if d.role != RoleApp {
		return d.send(ctx, it)
	}
	return d.holdApp(ctx, it)
}

// holdApp sends the app record held back so far and holds back it (see
// decoder.last).
func (d *decoder) holdApp(ctx context.Context, it Item) error {
	prev, had := d.last, d.hasLast
	d.last, d.hasLast = it, true
	d.heldInBatch = false // the batch's last record is no longer the newest
	if had {
		return d.send(ctx, prev)
	}
	return nil
}

// holdInBatch is holdApp for a record parsed into a slot: it holds the
// record back at the end of the batch rather than in last, so the record
// held before goes out where it lies when this one comes. Through last,
// each app record was copied in, out again into send, and on into the
// batch: the read path's files took 5.3 M instructions more on the 345
// k-line sample (38 an app line). A full batch goes out when the record
// after its last comes, or on release.
func (d *decoder) holdInBatch(ctx context.Context, it Item) error {
	if d.hasLast { // held in last: parsed before the slots were decided
		prev := d.last
		d.last, d.hasLast = Item{}, false
		if err := d.send(ctx, prev); err != nil {
			return err
		}
	}
	if len(d.batch) == batchSize {
		if err := d.push(ctx); err != nil {
			return err
		}
	}
	if d.batch == nil {
		if err := d.startBatch(ctx); err != nil {
			return err
		}
	}
	d.batch = append(d.batch, d.keyed(it))
	d.heldInBatch = true
	return nil
}

// release sends the held-back app record, if any (end of input, or the
// input has been quiet for a moment), and the batch so far.
func (d *decoder) release(ctx context.Context) error {
	if d.hasLast {
		it := d.last
		d.last, d.hasLast = Item{}, false
		if err := d.send(ctx, it); err != nil {
			return err
		}
	}
	return d.push(ctx)
}

// batchSize is how many records a batch carries: large enough that the
// channel costs nothing per line, small enough to stay in cache and to keep
// few records in flight: about 16 batches are between the readers and the
// engine at any time, and at 512 records they were 5 MB of a report's
// 17 MB live heap (peak RSS 54-57 MB at 512, 43-44 MB at 128 on the 2 M
// bench set, with no more CPU).
const batchSize = 128

func (d *decoder) send(ctx context.Context, it Item) error {
	// The slot was written a moment ago on this goroutine: its lender is
	// read here rather than on release. A parallel worker sets it itself
	// (parseChunk), as the slot is in its core's cache, not in this one's.
	switch {
	case it.lender != nil:
	case it.slot != nil:
		it.lender = it.slot.lender
	case it.appSlot != nil:
		it.lender = it.appSlot.lender
	}
	if f := d.repeats; f != nil {
		was := f.skipping
		if f.repeat(it.Rec) {
			if f.skipped%1024 == 1 {
				d.in.SetState(f.state())
			}
			return nil
		}
		if was && f.skipped > 0 {
			d.in.SetState(f.state())
		}
	}
	if d.batches != nil {
		if d.batch == nil {
			if err := d.startBatch(ctx); err != nil {
				return err
			}
		}
		d.batch = append(d.batch, d.keyed(it))
		d.heldInBatch = false // it is newer than a record held there
		if len(d.batch) == batchSize {
			return d.push(ctx)
		}
		return nil
	}
	select {
	case d.out <- it:
		d.sentNo = it.LineNo
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// keyed is it with the key the merge orders it by (Item.at), as
// proxyLines and appLines set it, where they did not.
func (d *decoder) keyed(it Item) Item {
	if it.at == 0 {
		it.at = shiftedKey(it.Rec, d.in.mergeShift).bits()
	}
	return it
}

// push sends the batch so far (batch mode only), after the counts of its
// lines (see parseGuard).
func (d *decoder) push(ctx context.Context) error {
	d.guard.flush(d.in)
	if len(d.batch) == 0 {
		return nil
	}
	if d.in.zoneGive != nil && !d.in.zoneGiven {
		d.in.zoneFromBatch(d.batch)
	}
	if d.in.compactHead && !d.sentBatch {
		d.batch = d.compactBatch(d.batch)
	}
	// Noted before the send: once sent, the batch is the consumer's.
	d.sentNo = d.batch[len(d.batch)-1].LineNo
	select {
	case d.batches <- d.batch:
		d.batch, d.heldInBatch, d.sentBatch = nil, false, true
		d.in.doneOpening()
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// compactBatch is d's batch b, the first batch of an input merged with
// many others (its head, which the merge holds until the input is due:
// mergeGate; compactHeadsFrom), with
// each recycled record replaced by its Detach copy and its slot given back
// at once, and b cut to its length when shorter than a batch (the input
// ended in it). An input not due yet held its batch's 128 slots, each
// with room for 16 list elements and its line's own buffer, about 1 KB a
// record against 0.7 KB for the copy; and those slots went back to the
// free list only once the merge reached the input, so that every input
// not due made slots of its own rather than taking those another had let
// go (1,000 files of 100 lines: 75 MB of the 144 MB heap the merge held
// once it had every head).
func (d *decoder) compactBatch(b []Item) []Item {
	c := make([]Item, len(b))
	for i := range b {
		it := &b[i]
		if it.slot != nil && it.lender == nil { // as send sets it
			it.lender = it.slot.lender
		} else if it.appSlot != nil && it.lender == nil {
			it.lender = it.appSlot.lender
		}
		c[i] = Item{Input: it.Input, LineNo: it.LineNo, Rec: it.Detach(), at: it.at}
	}
	if len(b) < cap(b) {
		// The input ended in it: its slots go to the readers of the
		// inputs still to be read.
		ReleaseBatch(b)
		return c
	}
	// The input waits at the gate: its slots are left to the collector.
	// Given back, they waited on the free list with those of every other
	// input not due (100 rotated files: 12 MB) until readers took them
	// again, which need only as many as are in flight at once. The
	// stock's group still points to those it handed out: not any more.
	d.stock.forgetUsed()
	d.appStock.forgetUsed()
	var borrowed releaseCount
	for i := range b {
		borrowed.add(b[i].lender)
	}
	borrowed.flush()
	recycleBatch(b)
	return c
}

// startBatch begins d's next batch. Once its first batch is sent (the
// merge has its head), the reader is held here until the merge wants more
// of it (mergeGate): as a second batch begins, not after the first is
// sent, so that an input whose lines all fit in its first batch ends at
// once and lets its reader's memory go.
func (d *decoder) startBatch(ctx context.Context) error {
	if g := d.in.gate; g != nil && d.sentBatch {
		d.in.gate = nil
		select {
		case <-g:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	d.batch = newBatch()
	return nil
}

// dropBOM drops a byte-order mark (U+FEFF, which some Windows tools and
// editors put before a file's first line) from the start of an input's first line,
// for every format, where the decoder takes it (decoder.began), and where
// the lines are read again (Rereader). Kept, it made the first line
// unparsed for the formats whose parsers want it to start with a date, a
// "{" or an address: with real logs of nginx 1.22.1, HAProxy 2.6.12 and
// Caddy 2.6.2 behind one, Caddy's access log lost its first request and
// nginx's error log and a text app log their first lines (only the JSON
// app parser dropped it itself).
//
// The NUL bytes right after it are dropped too, as the splitter drops
// them at the start of a line (lineSplitter): behind the mark they were
// the line's text, and a file of a mark and NULs read as "not text".
func dropBOM[T string | []byte](line T) T {
	rest, _, _ := cutBOM(line)
	return rest
}

// cutBOM is dropBOM, saying whether there was a byte-order mark and how
// many NUL bytes after it were dropped.
func cutBOM[T string | []byte](line T) (rest T, bom bool, nuls int) {
	if len(line) < 3 || line[0] != 0xEF || line[1] != 0xBB || line[2] != 0xBF {
		return line, false, 0
	}
	rest = line[3:]
	for nuls < len(rest) && rest[nuls] == 0 {
		nuls++
	}
	return rest[nuls:], true, nuls
}

// firstLine drops the byte-order mark from in's first line (dropBOM) and
// notes it on in, with the NUL bytes after it: an input of a mark alone
// (and newlines, or NULs) has no line of text, and its report says what
// it holds.
func firstLine[T string | []byte](in *Input, line T) T {
	rest, bom, nuls := cutBOM(line)
	if bom {
		in.bom.Store(true)
		in.nuls.Add(int64(nuls))
	}
	return rest
}
