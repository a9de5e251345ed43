package sources

import (
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// MaxLineBytes is the longest line kept whole; longer lines are cut to this
// length, counted and flagged, never fatal.
const MaxLineBytes = 1 << 20

// maxSamples is how many unparsed lines an input keeps to show.
const maxSamples = 5

// Spec is what the user said about one input.
type Spec struct {
	// Path is a file path, "-" for standard input, or the command for a command input.
	Path string
	// Command is true when Path is a shell command to run (--cmd).
	Command bool
	// Role and Format are forced when set; otherwise detected from the first lines.
	Role   Role
	Format string
	// Prefer names the format to use once detection has found the role
	// (--format, --log-format): "parse every proxy log as haproxy".
	Prefer map[Role]string
	Opts   ParserOptions
	// RoleChecked says the given role was checked against the file's
	// head before reading (givenrole.go): the decoder need not check
	// its first lines again.
	RoleChecked bool
	// NotRead, when set, says why no line of the input is read: it is its
	// state from the start, and its readers return at once. A file of
	// fivexx's own --events output, read, was an nginx JSON access log of
	// 5xx alone: given beside the logs it was made from (dir/*), every 5xx
	// was counted twice.
	NotRead string
	// NotReadIf, when set, tells from the first lines detection holds
	// whether the input is not to be read after all: the state to give it
	// (as NotRead), or "". A stream's head cannot be peeked before it is
	// read (standard input, a command, a named pipe), nor a file's first
	// line longer than its peeked head, nor a file empty at start: fivexx's
	// own --events piped to "-" was read as an nginx JSON access log and
	// every 5xx counted twice. Its lines from there on are dropped, not
	// counted, as a NotRead file's are never read.
	NotReadIf func(head []string) string
	// StopAt, when set, is where reading a plain file ends: the lines
	// past it are another input's first lines, Repeated of them, read
	// there (RepeatedIn, its label): two overlapping captures of one log
	// (cmd/fivexx samelog.go). Every line of the overlap was counted twice.
	StopAt     int64
	Repeated   int64
	RepeatedIn string
}

// Label is how the input is named in messages and the UI.
// Arg is how the input is written on fivexx's command line, for advice
// that gives a command to run: "-" for standard input, --cmd and the
// command for a command's output, the path quoted for a shell when it
// needs it. Label's "stdin" and "cmd: …" named no file or flag there.
func (s Spec) Arg() string {
	switch {
	case s.Command:
		return "--cmd " + shellWord(s.Path)
	case s.Path == "-":
		return "-"
	}
	return shellWord(s.Path)
}

// shellWord is w as one word of a POSIX shell: as it is when it holds
// only characters no shell treats specially, else in single quotes.
func shellWord(w string) string {
	if w != "" && strings.IndexFunc(w, func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("/._-+,:@%=", r))
	}) < 0 {
		return w
	}
	return "'" + strings.ReplaceAll(w, "'", `'\''`) + "'"
}

func (s Spec) Label() string {
	if s.Command {
		return "cmd: " + s.Path
	}
	if s.Path == "-" {
		return "stdin"
	}
	return s.Path
}

// Item is one parsed record with where it came from.
type Item struct {
	Input  *Input
	LineNo int64
	Rec    Record
	// slot or appSlot is the recycled memory Rec lives in, or nil: see ProxySlot.
	slot    *ProxySlot
	appSlot *AppSlot
	// lender is the slot's lender (slotText.lender), copied here by
	// decoder.send so that releaseSlots need not read the slot.
	lender *readBlocks
	// at is the key the merge orders the record by (mergeKey.bits), set
	// by the decoder while the record is in its core's cache; 0 for a
	// record without a time, or one whose key was not set: the merge
	// then reads the record's time.
	at int64
}

// KeepRecords says that the consumer keeps every record of this input (a
// replay's timelines do), so its lines are parsed into fresh memory rather
// than into recycled slots it would have to copy out of (ProxySlot). Call
// it before reading.
func (in *Input) KeepRecords() { in.keep = true }

// KeepText says that the consumer keeps the text of many lines past their
// batch (a replay's timelines do): each line recycled into a slot keeps
// its text where it was read, in a block that is never read into again
// (readBlocks with keep), or in a TextArena block for a line that spans
// two reads, rather than in the slot's own buffer; its item's TextKept is
// true. The record
// is still the slot's; only Raw and the strings within it may be kept as
// they are. Call it before reading.
func (in *Input) KeepText() { in.keepText = true }

// ReleasesInOrder says that the consumer of MergeBatches hands every batch
// back (ReleaseBatch) in the order it received them, once done with its
// records, as replay.Player.RunBatches does: the records may then borrow
// their text from the reader's blocks, which are read into again once
// their records are released (readBlocks), as MergeEach's do. Whatever
// keeps a line's text past its batch must copy it. Call it before
// reading.
func (in *Input) ReleasesInOrder() { in.borrowText = true }

// TextKept reports whether the item's line text (its record's Raw) lies in
// memory that is never written again (KeepText), though the item is
// Recycled.
func (it Item) TextKept() bool {
	// From the input, not the slot: the consumer reads the item's input
	// anyway, while the slot was written on another core, and reading it
	// was a cache miss per line. A Recycled item of such an input always
	// has its text kept (KeepText comes before reading).
	return it.Recycled() && it.Input != nil && it.Input.keepText
}

// Recycled reports whether the item's record lives in memory that is used
// again once its batch is released (see ProxySlot): whatever keeps the
// record longer must keep its Detach copy.
func (it Item) Recycled() bool { return it.slot != nil || it.appSlot != nil }

// Input is one source of lines with its parser and counters. Counters are
// atomic so the UI can read them while the reader goroutine writes.
type Input struct {
	Spec  Spec
	Index int
	// cores is this input's share of the cores when several inputs are
	// read at once (MergeBatches); 0: no limit. See parseWorkers.
	cores int
	// keep: the consumer keeps every record (KeepRecords).
	keep bool
	// keepText: the consumer keeps lines' text (KeepText).
	keepText bool
	// gate, when set (the merge of several inputs), holds the reader after
	// its first batch until the merge wants its second: see mergeGate.
	gate <-chan struct{}
	// compactHead: the input's first batch goes out compact (a merge of
	// more than compactHeadsFrom inputs: decoder.compactBatch).
	compactHead bool
	// opening, when set (a merge of more than maxOpening inputs), bounds
	// the readers between opening their file and sending their first
	// batch (see mergeOpening); opened: this one holds a place there.
	opening chan struct{}
	opened  bool
	// borrowText: the consumer releases this input's batches in the order
	// they were read (MergeEach, ReleasesInOrder), so slots may borrow
	// their text from the reader's blocks (readBlocks).
	borrowText bool
	// historyEnd, when set, is where reading a plain file to its end
	// stops: live history (ReadHistory).
	historyEnd int64
	// mergeShift is how far the times of this input's records run ahead
	// of the proxy's clock, for the merge (SetMergeShift).
	mergeShift time.Duration
	// zoneWait and zoneGive link an nginx error log to the access logs
	// it takes its zone from (zonelink.go); zoneGiven, on the reader's
	// goroutine, says this input gave or gave up.
	zoneWait, zoneGive *ZoneLink
	zoneGiven          bool

	mu     sync.Mutex
	format Format
	// role is format.Role, set with it, for Role to read without the
	// lock: the engine asks each input's role for every 5xx it judges,
	// and Format copies the whole Format under the lock.
	role     atomic.Uint32
	parser   Parser
	state    string
	samples  []string
	detected string // how the format was chosen, for messages
	// contradiction is what the lines read as when they contradict the
	// role given (givenrole.go), set by the decoder; contradicted: set.
	contradiction RoleContradiction
	contradicted  bool
	// lastRecord and ended: see LastRecord.
	lastRecord int64
	ended      bool

	lines    atomic.Int64
	parsed   atomic.Int64
	unparsed atomic.Int64
	startup  atomic.Int64 // the proxy's startup lines its parser does not read
	tooLong  atomic.Int64
	// nuls counts the NUL bytes dropped at the start of lines (see
	// lineSplitter), for a report: a file of NULs alone has no line, and
	// is not empty.
	nuls atomic.Int64
	// blank and continued count the lines that are neither parsed nor
	// unparsed nor startup (see Counters); bom: the first line began
	// with a byte-order mark (firstLine).
	blank, continued atomic.Int64
	bom              atomic.Bool
	// ownAmong is the proxy (a proxyFamily) whose own text lines its
	// parser fails are startup lines wherever they come (ownlines.go).
	ownAmong atomic.Uint32
	// entrypoint: the format is one nginx writes, so the nginx image's
	// entrypoint lines its parser fails are startup lines (count).
	entrypoint atomic.Bool
	lastLine   atomic.Int64 // unix nanos of the newest record time
	bytes      atomic.Int64 // bytes read so far
	// ahead is the read-ahead of a .gz being read (readToEnd,
	// readStdin): Counters leaves out the bytes it holds (compressedAhead).
	ahead atomic.Pointer[readAhead]
	size  atomic.Int64 // total bytes when known (files read to the end)
	// rotations counts the times a followed file was replaced or cut
	// (its "rotated" and "truncated" states): a decoder that found no
	// format tries again from the first try on a new file.
	rotations atomic.Int64
	// settled: the role is the input's for good (RoleSettled).
	settled atomic.Bool
	// notRead is the state Spec.NotReadIf gave, once it did (NotRead).
	notRead atomic.Pointer[string]
	// endedAs is how the last run of a command not read ended (endRun,
	// Ended), which its state, saying why it is not read, does not hold.
	endedAs string
}

// NotRead says why no line of the input is read: Spec.NotRead, or the
// state Spec.NotReadIf gave from its first lines; "" while it is read.
func (in *Input) NotRead() string {
	if in.Spec.NotRead != "" {
		return in.Spec.NotRead
	}
	if s := in.notRead.Load(); s != nil {
		return *s
	}
	return ""
}

// Ended is how the last run of a command whose output is not read
// (NotRead) ended, "exited: status 3" as its state would have said; ""
// for any other input, whose state says it. A not-read command that
// failed said "read error after 0 lines" (review s33).
func (in *Input) Ended() string {
	in.mu.Lock()
	defer in.mu.Unlock()
	return in.endedAs
}

// stopReading notes that the input is not read from here on, for why:
// its state stays why (SetState leaves it).
func (in *Input) stopReading(why string) {
	in.mu.Lock()
	in.notRead.Store(&why)
	in.state = why
	in.mu.Unlock()
}

// NewInput makes an input for a spec. The format is resolved later, from the
// spec or from the first lines.
func NewInput(index int, spec Spec) *Input {
	in := &Input{Spec: spec, Index: index, state: "starting"}
	if spec.NotRead != "" {
		in.state = spec.NotRead
	}
	if spec.Format != "" {
		if f, ok := LookupFormat(spec.Format); ok {
			in.format = f
			in.role.Store(uint32(f.Role))
		}
	}
	return in
}

// SetMergeShift has the merge order this input's app lines (AppEntry) at
// their times less d: the log of an app whose clock runs d ahead of the proxy's
// (behind, for d < 0), known before it is read. Ordered by their own
// times, its lines came d after the proxy's lines of the same moment,
// after their 5xx had been judged. Call it before the input is read.
func (in *Input) SetMergeShift(d time.Duration) { in.mergeShift = d }

// MergeShift is what SetMergeShift set: 0 unless it was called.
func (in *Input) MergeShift() time.Duration { return in.mergeShift }

// MergeTime is the time the merge orders an app line of this input of
// time t at: t less its MergeShift; a zero t stays zero.
func (in *Input) MergeTime(t time.Time) time.Time {
	if in.mergeShift == 0 || t.IsZero() {
		return t
	}
	return t.Add(-in.mergeShift)
}

// SetFormat fixes the input's format and builds its parser.
func (in *Input) SetFormat(f Format, how string) error {
	in.zoneFormat(f)
	p, err := f.New(in.Spec.Opts)
	if err != nil {
		return fmt.Errorf("%s: format %s: %w", in.Spec.Label(), f.Name, err)
	}
	in.mu.Lock()
	in.format, in.parser, in.detected = f, p, how
	in.role.Store(uint32(f.Role))
	in.entrypoint.Store(familyReads(famNginx, f.Name))
	in.ownAmong.Store(uint32(ownAmongRequests(f.Name)))
	in.mu.Unlock()
	return nil
}

// Format returns the input's format (zero until resolved).
func (in *Input) Format() Format {
	in.mu.Lock()
	defer in.mu.Unlock()
	return in.format
}

// Role returns the input's role: forced, or its format's.
func (in *Input) Role() Role {
	if in.Spec.Role != RoleUnknown {
		return in.Spec.Role
	}
	return Role(in.role.Load())
}

// RoleSettled reports whether Role is the input's role for good: given
// (Spec.Role), or its format's once the format was given or detected and
// not watched (decoder.watchUnsure: an app format decided on a few lines
// may yet turn out a proxy's, until detectLines lines). A reader sets it
// before it sends the first record read in that format, so a consumer
// that sees it false errs towards a role that may still change.
func (in *Input) RoleSettled() bool {
	return in.Spec.Role != RoleUnknown || in.settled.Load()
}

// setContradiction records whether the input's lines contradict the
// role it was given, and as what (givenrole.go).
func (in *Input) setContradiction(c RoleContradiction, contradicted bool) {
	in.mu.Lock()
	in.contradiction, in.contradicted = c, contradicted
	in.mu.Unlock()
}

// Contradiction is what the input's lines read as when the decoder found
// they contradict the role given (givenrole.go); false when they do not.
func (in *Input) Contradiction() (RoleContradiction, bool) {
	in.mu.Lock()
	defer in.mu.Unlock()
	return in.contradiction, in.contradicted
}

// Detected says how the format was chosen ("forced", "detected from 12 lines ...").
func (in *Input) Detected() string {
	in.mu.Lock()
	defer in.mu.Unlock()
	return in.detected
}

// RetryingIn ends the state of a file that cannot be read yet ("read
// error: WHY[; HINT]; retrying in 3.2s"): a countdown that means
// nothing once fivexx stopped trying (classify's advice and live's
// warnings at quit cut it).
const RetryingIn = "; retrying in "

// SetState records what the input is doing ("following", "waiting for file" ...).
func (in *Input) SetState(s string) {
	if s == StateRotated || s == StateTruncated || s == StateTruncatedNoCopy || s == StateRewritten || s == StateMaybeBack {
		in.rotations.Add(1)
	}
	in.mu.Lock()
	if in.notRead.Load() == nil { // not read: its state says why, whatever its reader says after
		in.state = s
	}
	in.mu.Unlock()
}

// StateRotated, StateTruncated and StateRewritten are the states a
// followed file shows when its path names a new file, when it was cut and
// is read again from its start, and when a writer writes it again from its
// start without cutting it (a restarted writer without O_APPEND).
const (
	StateRotated   = "rotated"
	StateTruncated = "truncated"
	StateRewritten = "rewritten"
)

// StateTruncatedNoCopy is StateTruncated when no copy of what the file
// held was found beside it (a plain truncate, `> file`; logrotate's
// copytruncate with olddir, or compress without delaycompress, which
// leaves no plain copy): what was written after the last look and before
// the cut, if anything, is lost, and it is said, not silent.
const StateTruncatedNoCopy = StateTruncated + ", no copy found: lines written just before the cut may be lost"

// StateSameFileBack and StateCopyBack are the states of a followed file
// when a file read before is at its path again (a symlink switched back,
// a file moved away and back), or a copy of one holding all that was read
// of it (moved to another filesystem and linked back): it is read on from
// where it was. Read from its start, every line read before was counted
// twice, and the state said "rotated".
const (
	StateSameFileBack = "same file back: not read again"
	StateCopyBack     = "copy of a file read: not read again"
)

// StateMaybeBack is the state of a followed file read from its start that
// may be one read before: its first bytes, and those before where that one
// was read to, are those read, but nothing read of it can be compared
// (reading started at its end, past its first bytes, and nothing was read
// since). If it is, the lines it held before then are read now; if it is
// a new file that starts alike, skipping them lost its lines silently.
const StateMaybeBack = "maybe a file read before: read from its start"

// StateDeleted is the state of a followed file deleted while no file is
// at its path: the descriptor still open has no name left (its link count
// is 0), which tells an rm from a rename. It said "following +rotated (new
// file not there yet)", as if logrotate had moved it (QA).
const StateDeleted = "deleted (waiting for a new file)"

// StateWaitingForFile is the state of a followed file not there yet (live
// mode waits for it): the advisor tells it from one waiting for lines.
const StateWaitingForFile = "waiting for file"

// StateFollowing is the state of an input followed as it should be.
const StateFollowing = "following"

// Following reports whether state says an input is followed as it should
// be: "following", or "following +rotated" while a file renamed away is
// still read until its writer moves to the new one.
func Following(state string) bool { return strings.HasPrefix(state, StateFollowing) }

// State returns what the input is doing.
func (in *Input) State() string {
	in.mu.Lock()
	defer in.mu.Unlock()
	return in.state
}

// Counters is a copy of an input's counters. Lines counts every line,
// and each line is counted once more in one of Parsed, Unparsed, Startup,
// Blank and Continued: Lines is their sum once the input is read (a
// reader adds its lines and its records in batches, so while it reads a
// copy may be a batch apart). Startup counts the proxy's startup lines
// its parser does not read (decode.go), which are no unparsed lines.
type Counters struct {
	Lines, Parsed, Unparsed, TooLong int64
	Startup                          int64
	// Blank counts the lines of white space alone, or nothing: a line of
	// NUL bytes is one once they are dropped (see NULs), and so is the
	// first line when it holds only a byte-order mark (BOM).
	Blank int64
	// Continued counts the lines a parser read into a record of another
	// line: an app's stack-trace lines, a container log's partial lines.
	Continued   int64
	Bytes, Size int64
	// NULs counts the NUL bytes dropped at the start of lines (a file
	// cut by copytruncate, or preallocated and never written), in reads
	// to the end (a file read live shows them as events instead), and
	// after the byte-order mark of an input's first line (firstLine).
	NULs int64
	// BOM says the input's first line began with a byte-order mark,
	// dropped (dropBOM).
	BOM      bool
	LastLine time.Time
	Samples  []string
}

// NoText reports whether none of the input's lines held text: no line,
// or blank lines alone (with NUL bytes or a byte-order mark, dropped).
func (c Counters) NoText() bool { return c.Lines == c.Blank }

// StartupLines counts the proxy's start-up lines skipped so far (Counters'
// Startup), without Counters' lock and copy of the samples.
func (in *Input) StartupLines() int64 { return in.startup.Load() }

// bytesRead is the bytes read so far, less those of a .gz that its
// read-ahead holds inflated, not yet split into lines: their lines are
// not counted yet, and the replay's share of the input played, its bytes
// in the share of the lines read that were played, ran ahead by them.
func (in *Input) bytesRead() int64 {
	n := in.bytes.Load()
	if a := in.ahead.Load(); a != nil {
		n -= a.compressedAhead(n)
	}
	return n
}

// Counters returns a consistent-enough copy of the counters for display.
func (in *Input) Counters() Counters {
	c := Counters{
		Lines:     in.lines.Load(),
		Parsed:    in.parsed.Load(),
		Unparsed:  in.unparsed.Load(),
		Startup:   in.startup.Load(),
		TooLong:   in.tooLong.Load(),
		Bytes:     in.bytesRead(),
		Size:      in.size.Load(),
		NULs:      in.nuls.Load(),
		Blank:     in.blank.Load(),
		Continued: in.continued.Load(),
		BOM:       in.bom.Load(),
	}
	if ns := in.lastLine.Load(); ns != 0 {
		c.LastLine = time.Unix(0, ns)
	}
	in.mu.Lock()
	c.Samples = append([]string(nil), in.samples...)
	in.mu.Unlock()
	return c
}

// parse runs the parser on one line and keeps the counters. It returns nil
// for unparsed and continuation lines.
func (in *Input) parse(line string) Record { return in.parseWith(in.parser, line, nil) }

// parseWith is parse with parser p, one of several of the input's format
// when its lines are parsed in parallel (see readParallel). With samples
// set, unparsed lines are sampled there rather than on in, so that the
// caller can add them in file order (addSamples).
func (in *Input) parseWith(p Parser, line string, samples *[]string) Record {
	n := in.lines.Add(1)
	defer in.namePanic(n, line)
	rec, err := p.Parse(line)
	return in.count(rec, err, line, samples)
}

// parseStartup is parse for one of the proxy's startup lines held before
// its first request line (decoder.emitStartup): a line the parser fails is
// counted as a startup line, not as unparsed, and not sampled.
func (in *Input) parseStartup(line string) Record {
	n := in.lines.Add(1)
	defer in.namePanic(n, line)
	rec, err := in.parser.Parse(line)
	if err != nil && !blank(line) {
		in.startup.Add(1)
		return nil
	}
	return in.count(rec, err, line, nil)
}

// namePanic, deferred around a parser call, re-raises a parser's panic
// with the input and the line that caused it: the goroutine's guard
// restores the terminal and prints it.
func (in *Input) namePanic(n int64, line string) {
	if r := recover(); r != nil {
		panic(in.parserPanic(r, n, line))
	}
}

// parserPanic is what a parser's panic r on line n (line) is re-raised
// with.
func (in *Input) parserPanic(r any, n int64, line string) string {
	return fmt.Sprintf("%v (input %s, line %d: %q)", r, in.Spec.Label(), n, cut(line, 200))
}

// count keeps the counters for what a parser made of line, and returns the
// record, or nil for unparsed and continuation lines.
func (in *Input) count(rec Record, err error, line string, samples *[]string) Record {
	if err != nil || rec == nil {
		// A blank line is a line, not an unparsed one (see decode.go).
		switch {
		case blank(line):
			in.blank.Add(1)
			return nil
		case err == nil:
			in.continued.Add(1) // read into another line's record
			return nil
		case in.entrypoint.Load() && entrypointInner(line):
			// The nginx image's entrypoint runs at each start of its
			// container: a restarted one prints its lines again among
			// the requests (docker logs), and live --from-start reads
			// them with the format already known from the file's head.
			in.startup.Add(1)
			return nil
		case in.ownAmong.Load() != uint32(famNone) && ownLineInner(proxyFamily(in.ownAmong.Load()), line):
			in.startup.Add(1) // Envoy's, istio-agent's or Traefik's own (ownlines.go)
			return nil
		}
		in.unparsed.Add(1)
		// A clone: a slice would keep the whole line (up to 1 MiB) alive.
		sample := strings.Clone(cut(line, 300))
		if samples != nil {
			if len(*samples) < maxSamples {
				*samples = append(*samples, sample)
			}
			return nil
		}
		in.addSamples(sample)
		return nil
	}
	in.parsed.Add(1)
	if t := rec.RecordTime(); !t.IsZero() {
		in.noteNewest(t.UnixNano())
	}
	return rec
}

// noteNewest moves lastLine on to ns (Unix nanoseconds) when that is newer.
func (in *Input) noteNewest(ns int64) {
	// A compare-and-swap: parallel parsers (readParallel) must not move
	// it back.
	for {
		old := in.lastLine.Load()
		if ns <= old || in.lastLine.CompareAndSwap(old, ns) {
			return
		}
	}
}

// addSamples keeps unparsed lines to show, up to maxSamples in all.
func (in *Input) addSamples(lines ...string) {
	in.mu.Lock()
	defer in.mu.Unlock()
	for _, l := range lines {
		if len(in.samples) >= maxSamples {
			return
		}
		in.samples = append(in.samples, l)
	}
}

func cut(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n]
}
