package classify

import (
	"maps"
	"slices"
	"strings"
	"sync/atomic"
	"time"

	"fivexx/sources"
)

// Config tunes the engine. Zero values take the defaults.
type Config struct {
	// Window is the rolling window of the windowed stats (default 15 min, at most 15 min).
	Window time.Duration
	// Grace is how long a 5xx waits for late lines before its verdict is
	// final: log time in reports and replays, wall time live (default 2 s).
	Grace time.Duration
	// Match is the ± window of the time-window join (default 2 s; widened by the request time).
	Match time.Duration
	// UpstreamTimeout is how long the proxy waits for an upstream's
	// response header (nginx's proxy_read_timeout; default 60 s, its
	// default): how far back the app's start of a 504 may lie when the
	// access log has no request time (appwindow.go).
	UpstreamTimeout time.Duration
	// NeverDown names nginx upstream{} groups whose every server has
	// max_fails=0 (read from --nginx-conf): nginx marks none of them
	// down, and the hint says so of their "no live upstreams".
	NeverDown map[string]bool
	// Retain is how long app and error lines are kept for joins (default 2 min of log time).
	Retain time.Duration
	// MaxLines caps the kept lines (default 200,000); MaxPending the waiting 5xx (default 50,000).
	MaxLines, MaxPending int
	// MaxRecent caps the verdicts kept for the UI (default 1,000).
	MaxRecent int
	// Timeline keeps access lines too and gives every verdict its ±5 s timeline (the UI wants it; reports do not).
	Timeline bool
	// Rereaders, with Timeline, are the readers of plain files that give
	// every verdict's timeline when it is asked for (Verdict.Later), from
	// the lines read again: the engine then holds no access line. Set only
	// when every input has one (a replay of plain files).
	Rereaders []*sources.Rereader
	// Terse makes verdicts without their Evidence and Hint, for a caller
	// that reads only their causes and counts: a report of totals. Those
	// lines were 28% of what a report of the 2 M bench set allocated.
	Terse bool
	// ExplainLater makes verdicts without their Evidence and Hint, as
	// Terse does, but keeps what each was judged from so that
	// Verdict.Explain makes them when asked: the UI shows them only for
	// the verdict it opens (a replay's full evidence and hints for 41 k
	// 5xx of the 2 M bench set were a quarter of what it allocated beyond
	// a report's).
	ExplainLater bool
	// Live judges pending 5xx by wall time since they arrived (Now must be set).
	Live bool
	// Now is the wall clock (live: pacing of the grace period; always: the
	// wall time and lines/s shown). classify never calls time.Now itself.
	Now func() time.Time
	// OnVerdict, when set, is called with every verdict in the order they are made.
	OnVerdict func(*Verdict)
	// Inputs are shown in snapshots and tell the rules which logs are read.
	Inputs []*sources.Input
	// AppSkew, when set (--app-skew), is how far the app's clock runs ahead
	// of the proxy's; otherwise it is estimated from request-id matches.
	AppSkew *time.Duration
	// MergedByPaths says that the skew the merge takes off the app
	// inputs' times (sources.Input.SetMergeShift) is a zone's offset the
	// logs' heads told by requests paired by method, target and status,
	// not by ids (cmd/fivexx headzone.go): it is the clock of every app
	// line, as a skew learnt by such pairs is (pathskew.go).
	MergedByPaths bool
	// AppSkewHint is a zone's offset between the app's clock and the
	// proxy's that too few requests of the logs' heads told to take
	// (cmd/fivexx headzone.go): the clock advice names it.
	AppSkewHint SkewHint
	// ErrorZoneFromAccess, live, has the lines of an nginx error log
	// given no zone wait for the first nginx access line and take its
	// offset (errorzone.go): the peek at start found none.
	ErrorZoneFromAccess bool
	// Notes are advice the caller found before reading (a log given twice
	// under two names), shown first among the snapshot's advice.
	Notes []Advice
	// InputProblems, when set, is asked at each Publish what the inputs'
	// bytes tell of those no line was read of, which classify cannot know
	// (cmd/fivexx: a format given that reads none of an input, UTF-16 or
	// binary input). states, by index into ins, replace those inputs'
	// states, and advice goes first; an input it tells of gets no advice
	// that it waits for its format. It is called on the goroutine that
	// publishes, and must not block: it reads no file (what it needs of
	// one is read before the inputs are).
	InputProblems func(ins []InputStatus) (states map[int]string, advice []Advice)
}

// later reports whether verdicts get their timelines when asked
// (LaterTimeline) rather than as they are made.
func (c Config) later() bool { return c.Timeline && len(c.Rereaders) > 0 }

// holds reports whether the engine holds every line for timelines made as
// verdicts are.
func (c Config) holds() bool { return c.Timeline && !c.later() }

func (c Config) withDefaults() Config {
	if c.Window <= 0 || c.Window > maxWindow {
		c.Window = maxWindow
	}
	if c.Grace <= 0 {
		c.Grace = 2 * time.Second
	}
	if c.Match <= 0 {
		c.Match = 2 * time.Second
	}
	if c.UpstreamTimeout <= 0 {
		c.UpstreamTimeout = time.Minute
	}
	if c.Retain <= 0 {
		c.Retain = 2 * time.Minute
	}
	if c.MaxLines <= 0 {
		c.MaxLines = 200_000
	}
	if c.MaxPending <= 0 {
		c.MaxPending = 50_000
	}
	if c.MaxRecent <= 0 {
		c.MaxRecent = 1000
	}
	return c
}

type pendingEntry struct {
	e       *sources.ProxyEntry
	in      *sources.Input
	arrived time.Time // wall time, live mode only
	early   bool      // judged before its grace: the pending queue was full
	far     bool      // far ahead of the log clock (see clockJump): counted in the totals only
	// waited: it waited for its app's end line (latejoin.go); short: the
	// line cap had cut into its window when it began to.
	waited, short bool
	// kept is the reused memory e lies in (keptentry.go), or nil.
	kept *keptEntry
	// mesh is the request of a service mesh's sidecar entry (mesh.go), or nil.
	mesh *meshRequest
}

// Engine owns the correlator and the stats. It is driven by one goroutine
// (Add, Advance, Flush, Publish); snapshots it publishes are read from any
// goroutine through Latest.
type Engine struct {
	cfg        Config
	corr       *correlator
	stats      *stats
	pending    []pendingEntry
	ahead      []pendingEntry // 5xx far ahead of the log clock, kept apart (see clockJump)
	late       []lateEntry    // 5xx waiting for their app's end line (latejoin.go)
	rated      Verdict        // the verdict the alert rates count a late one by, made anew for each
	flushing   bool           // in Flush: the input has ended
	recent     []*Verdict
	recentKept int // len(recent) after its last trim
	logNow     time.Time
	nowAt      logInstant // logNow's instant (setLogNow)
	// settled is the instant up to which a record leaves the log clock
	// as it is: nowAt while the clock is sure, else before any time
	// (moveClockOn). moveClock's one test for most records.
	settled logInstant
	clock   logClock
	shown   screenClock // live: the clock the snapshot's panes end at
	farOff  FarOff      // requests far from the log clock (Snapshot.FarOff)
	// fields is the union of attribution fields seen on proxy entries
	// since accessLast came (switchAccess); fieldsSeen is all of them.
	fields  sources.FieldSet
	proxies int64
	// unattributedJudged counts the 5xx of access entries without the
	// fields that tell who made them (attributionFields: Caddy's names
	// no upstream, a combined nginx log), and unattributedGuessed those
	// of them judged with no error line and no app line joined by
	// request id: who made those is a time-window guess, which the
	// advice says of them only. It said so of all 131 of a Caddy
	// recording, every one high: 84 told by their error entry, 47 by the
	// app's lines joined by id (QA s32 F5); and of nginx's alike.
	// unattributedBySaid counts those told by the proxy's own word (no
	// error line: Cloudflare's 52x or security action), unattributedByID
	// those told by request ids alone: the advice names what told the
	// others.
	unattributedJudged, unattributedGuessed, unattributedByID, unattributedBySaid int64
	// unattributedOf counts them again by the kind of proxy of their
	// format (proxyLogs.kind), and accessFields is fields by input index,
	// but the current run of accessLast's (fields): the advice on missing
	// attribution fields is given per proxy (advicefields.go).
	unattributedOf []unattributedCounts
	// lacks is what the last advice found the access logs without
	// (Snapshot.Lacks).
	lacks        Lacks
	accessFields []sources.FieldSet
	allFields    sources.FieldSet // fields of the runs before accessLast's
	// namedByErrorLine counts nginx's 5xx whose access line names no
	// upstream, counted under the one their error lines name
	// (nameFromErrorLines): the advice says how to read such rows.
	namedByErrorLine int64
	// triedByErrorLine counts the failed tries of those 5xx that their
	// error lines name (earlierTries), for the same advice.
	triedByErrorLine int64
	// traefikOwnUntold counts Traefik's own 5xx (traefikOwn) judged
	// unknown with no line of its own log to say why: the advice asks
	// for its DEBUG log, of its JSON access log too (traefikDebugAdvice).
	traefikOwnUntold int64
	// accessIn says, by input index, which inputs gave an access entry
	// (errorlogalone.go).
	accessIn []bool
	// accessLast is the input of the last access entry, set in accessIn.
	accessLast *sources.Input
	// capLearn says that accessLast's requests answered below 500 are
	// looked at for the place of the id in its captures (capturedid.go,
	// noteAnswered); capSettled, by input index, the inputs whose never
	// will be again.
	capLearn   bool
	capSettled []bool
	// localOff is the zone offset (s) TZ gave the zone-less stamps of a
	// proxy format (sources.Format.LocalTime), from the first 5xx judged
	// of one; localSeen says there was one (proxyzone.go).
	localOff  int
	localSeen bool
	// lineZoned says a 5xx judged of such a format had the zone its line
	// gives (sources.ProxyEntry.ZoneFromLine: HAProxy's syslog header),
	// not TZ's (proxyzone.go).
	lineZoned bool
	// noStatusLine counts the access lines of status 009: nginx passed an
	// upstream answer with no valid status line on as HTTP/0.9
	// (NoStatusLineText).
	noStatusLine int64
	// cutAccess counts the access lines below 500 whose flags say the
	// upstream failed after the response header; cutOn5xx the 5xx judged
	// by an error line that says so (cutAfterHeaders).
	cutAccess, cutOn5xx int64
	window              atomic.Int64 // requested window (ns)
	latest              atomic.Pointer[Snapshot]
	published           chan struct{} // signalled after each Publish (run.go)
	rates               rateTracker
	verdicts            int64
	lineRates           map[int]*inputRate
	played              PlayedState // a replay's: what the inputs pane says of each input (ShowPlayed)
	fed                 int64       // records taken by Feed
	own                 ownLines    // the own lines of the verdict whose timeline is being made (timeline.go)
	// holding and later are cfg.holds() and cfg.later(), asked for every
	// line: worked out from the Config (15 words) each time, they were 2%
	// of a replay's CPU.
	holding, later bool

	// Reuse of kept 5xx entries (keptentry.go): reuse says the engine
	// does; keeping is the entry keep5xx just filled, for add; freeKept
	// the entries free for reuse; recentMem each recent verdict's entry.
	reuse    bool
	keeping  *keptEntry
	freeKept []*keptEntry
	// freeVerdicts are the verdicts of the freed entries, for the next
	// judged (keptVerdict); no more than freeKept.
	freeVerdicts []*Verdict
	recentMem    []*keptEntry
	trimKeep     []bool
	trimCounts   recentCounts
	// watching says the next verdict made is kept as watched, for the
	// replay's n (WatchNextVerdict).
	watching bool
	watched  *Verdict
	// mesh pairs the two sidecars' entries of a request (mesh.go).
	mesh meshIndex

	// Live only (applag.go): proxyNow is the newest proxy time (proxyAt
	// its instant), proxyClock runs it on with wall time, lag measures
	// how late the app's lines come.
	proxyNow   time.Time
	proxyAt    logInstant
	proxyClock screenClock
	lag        appLag

	// appShift is the app skew app lines are moved by on the log clock,
	// as of the last Advance; shiftAge counts the Advances since it was
	// learnt, shiftFrom the samples it was learnt from (clock.go).
	appShift  time.Duration
	shiftAge  int
	shiftFrom int
	// appFirst is the log clock when the first app line came, appCame
	// that one has (appwait.go).
	appFirst time.Time
	appCame  bool
	// appSkewed: appShift or merged is not 0 (noteAppSkewed).
	appSkewed bool
	// merged is the skew the merge took off the app lines' times before
	// they came (sources.Input.SetMergeShift; appwait.go).
	merged time.Duration
	// zone gives a separate nginx error log its zone (errorzone.go).
	zone errorZone
	// catchingUp: a live engine reads history (CatchUp), judged by log
	// time as a report is.
	catchingUp bool
	// accessLines: live, each access log's lines by the second of their
	// own time, by Input.Index (countAccessLine).
	accessLines []*LineSeconds
	// services: what ingress-nginx Services answered around their 503s
	// read as no endpoints (rulesingress.go).
	services serviceAnswers
}

// NewEngine makes an engine.
func NewEngine(cfg Config) *Engine {
	cfg = cfg.withDefaults()
	corrCfg := cfg
	if cfg.later() {
		corrCfg.Timeline = false // it holds no line for timelines
	}
	e := &Engine{cfg: cfg, corr: newCorrelator(corrCfg), stats: newStats(), published: make(chan struct{}, 1), reuse: reusesEntries(cfg),
		holding: cfg.holds(), later: cfg.later()}
	e.corr.namesOwn = cfg.Timeline
	e.corr.ups.stats = e.stats
	e.setLogNow(time.Time{}) // nowAt is the zero time's instant, not 1970's
	e.settled = e.nowAt
	if cfg.AppSkew != nil {
		e.appShift = *cfg.AppSkew
	}
	e.noteMerged()
	e.noteAppSkewed()
	e.zone.on = cfg.ErrorZoneFromAccess && cfg.Live
	e.window.Store(int64(cfg.Window))
	e.latest.Store(&Snapshot{Window: cfg.Window})
	return e
}

// SetWindow asks for another rolling window; safe from any goroutine.
func (e *Engine) SetWindow(d time.Duration) {
	if d <= 0 || d > maxWindow {
		d = maxWindow
	}
	e.window.Store(int64(d))
}

// LogNow is the log clock: the time of the newest record, give or take one
// far ahead of it not yet believed (see clockJump). Only from the goroutine
// that drives the engine.
func (e *Engine) LogNow() time.Time { return e.logNow }

// MaxRecent is Config.MaxRecent as applied (its default when not set):
// the newest verdicts made that a snapshot's Recent holds, in order.
func (e *Engine) MaxRecent() int { return e.cfg.MaxRecent }

// WatchNextVerdict keeps the next verdict the engine makes, for
// WatchedVerdict: the replay's n names the 5xx it stopped at, the first
// verdict made since n was pressed, which a snapshot's Recent holds only
// among the newest MaxRecent; in a burst judged at one look (a storm's
// thousands) it was pushed out, and n stopped unnamed. Kept so, it is
// never reused (keptentry.go). Called from the goroutine that drives the
// engine.
func (e *Engine) WatchNextVerdict() { e.watching, e.watched = true, nil }

// WatchedVerdict is the first verdict made since WatchNextVerdict, nil
// until one is.
func (e *Engine) WatchedVerdict() *Verdict { return e.watched }

// Latest returns the last published snapshot; safe from any goroutine.
func (e *Engine) Latest() *Snapshot { return e.latest.Load() }

// Snapshot implements the UI's source: the last published snapshot.
func (e *Engine) Snapshot() *Snapshot { return e.Latest() }

// Add takes one parsed record, which the engine may keep: not one of a
// Recycled item (use AddItem).
func (e *Engine) Add(in *sources.Input, rec sources.Record) {
	if e.zone.on && e.zone.take(e, in, rec) {
		return // an error line waiting for its zone (errorzone.go)
	}
	e.add(in, rec, nil)
}

// AddItem is Add for an item of a batch the caller releases afterwards
// (sources.ReleaseBatch): a record the engine keeps (a 5xx waiting for its
// verdict, an app line held for joins) is kept as its Detach copy, which
// does not share the batch's recycled memory (sources.ProxySlot); an
// access line kept only for timelines, as a copy of its time and text.
//
// The item goes to add by its address, recycled or not (Detach then gives
// its record itself, and ownText says its text is its own). An item is
// seven words, which the compiler keeps in memory, not in registers; a copy
// of it is stored word by word and read back in wider moves the core
// cannot forward from those stores, a stall on every record. So nothing
// here copies it: no method of it is called but a 5xx's Detach, and Feed,
// into which this would be inlined with a copy of its item, writes it out.
func (e *Engine) AddItem(it sources.Item) {
	if p, ok := it.Rec.(*sources.ProxyEntry); ok && p.Status >= 500 && p.Status <= 599 {
		e.add(it.Input, e.keep5xx(&it, p), nil)
		return
	}
	e.add(it.Input, it.Rec, &it)
}

// add is Add; recycled, when set, is rec's item (recycled or not), whose
// Detach copy is what the correlator holds if it holds the line.
//
// Each kind of record has its own function: in one, every record paid for
// the values the others' paths kept (the Go ABI keeps no register across
// a call, so each value still wanted after a call is stored and loaded
// again), and for the tests of its kind: about 35 instructions a record.
func (e *Engine) add(in *sources.Input, rec sources.Record, recycled *sources.Item) {
	switch r := rec.(type) {
	case *sources.ProxyEntry:
		e.addAccess(in, r, recycled)
	case *sources.AppEntry:
		e.addApp(in, r, recycled)
	default:
		t := rec.RecordTime()
		at := instantOf(t)
		e.corr.hold(in, rec, t, at, recycled, e.moveClock(t, at))
	}
}

// addApp is add for an app line.
func (e *Engine) addApp(in *sources.Input, a *sources.AppEntry, recycled *sources.Item) {
	t := a.Time
	at := instantOf(t)
	var far bool
	// On the proxy's clock: an app's clock never leaps it (clock.go).
	if e.appSkewed {
		t, at, far = e.appClock(in, a, t, at)
	} else if e.settled.before(at) { // else neither far nor moving the clock (moveClock)
		far = e.appFar(t, at)
	}
	if !e.appCame && !far {
		e.appCame, e.appFirst = true, e.logNow // appwait.go
	}
	e.corr.holdApp(in, a, t, at, recycled, far)
	if e.cfg.Live && !far {
		e.noteApp(a.Time) // its own stamp: noteApp takes the skew off
	}
}

// addAccess is add for an access line.
func (e *Engine) addAccess(in *sources.Input, p *sources.ProxyEntry, recycled *sources.Item) {
	at := instantOf(p.Time)
	far := false
	if e.settled.before(at) { // moveClock, without a call for most lines
		far = e.moveClockOn(p.Time, at)
	}
	if p.Status >= 500 && p.Upstream == "" {
		e.nameDialed(in, p)
	}
	if e.holding { // access lines are only held for timelines
		e.corr.holdAccess(in, p, p.Time, at, recycled, far)
	}
	if e.cfg.Live && !far && e.proxyAt.before(at) {
		e.noteProxyNow(p.Time, at)
	}
	e.proxies++
	if in != nil && in != e.accessLast {
		// Most lines are of the input of the line before.
		if !isSet(e.accessIn, in.Index) {
			e.accessIn = setIndex(e.accessIn, in.Index)
		}
		e.switchAccess(in) // one line, as e.accessLast = in was: default.pgo's call sites below keep their offsets
	}
	e.fields |= p.Fields // accessLast's since it came (switchAccess)
	if p.Reason == sources.ReasonAfterHeaders && p.Status < 500 {
		e.cutAccess++ // HAProxy SD--, Envoy UR after the header: the client got the status
	}
	if p.Status == 9 {
		e.noStatusLine++ // nginx's HTTP/0.9 passthrough: no 5xx, no verdict, and no HTTP answer
	}
	if p.RequestID == "" && !e.corr.proxyNoID && e.hasRole(sources.RoleApp) {
		// The window will join app lines (the first entry without an
		// id; once): the answers beside them count from here, not from
		// the first app line, which a whole-second stamp puts after its
		// own second's access lines (proxyanswers.go).
		e.corr.answers.start()
	}
	e.corr.observeProxy(p, at, far) // and observeSkew, unless far
	e.services.observe(p)
	var mesh *meshRequest
	if p.Hop != sources.HopNone && !far && p.RequestID != "" {
		var counted bool
		if mesh, counted = e.meshAdd(in, p); !counted {
			// A hop of a request counted already: neither a request
			// nor a 5xx of its own (mesh.go).
			e.keeping = nil
			if !at.before(e.nowAt.addSeconds(-clockJump)) {
				e.stats.spanAt(p.Time, at)
			}
			return
		}
	}
	e.stats.request(p, at.sec, far)
	if p.Status >= 400 && p.Status <= 499 && (p.Status == 429 || e.corr.limitLines > 0) {
		// A limiter's line is its (limitedlines.go); only a 429 claims
		// one not held yet, so with none held the others skip the call.
		e.corr.useLimited(p, p.Status == 429 && (e.corr.errorLines > 0 || e.hasRole(sources.RoleProxyErrors)))
	}
	switch {
	case far:
		e.clock.deferred, e.clock.hasDeferred = e.stats.requestStat(p), true
		e.farOff.add(p.Time, p.Status) // taken back if the clock confirms it
	case !at.before(e.nowAt.addSeconds(-clockJump)):
		e.stats.spanAt(p.Time, at)
	case at.before(e.nowAt.addSeconds(-maxWindow)):
		e.farOff.add(p.Time, p.Status)
	}
	if len(p.UpstreamAddr) > 1 {
		// A retried request only (most have one attempt or none). Its
		// second from p, not at.sec, which is dead by here: keeping it
		// live cost every line (see failedAttempts).
		e.stats.failedAttempts(p, p.Time.Unix(), far)
	}
	if p.Status >= 500 && p.Status <= 599 {
		e.addFivexx(in, p, far, mesh)
	} else if e.capLearn && e.corr.appIDs && p.RequestID == "" {
		// Last: default.pgo's call sites above keep their offsets.
		e.noteAnswered(in, p)
	}
}

// noteAnswered offers p, a request of in answered below 500 with no id of
// its own, to the correlator's learning of where in's captures log the
// id (capturedid.go); capLearn goes off while no more of in's are wanted.
func (e *Engine) noteAnswered(in *sources.Input, p *sources.ProxyEntry) {
	if in == nil {
		e.capLearn = false
		return
	}
	more, settled := e.corr.noteAnswered(in, p)
	e.capLearn = more
	if settled {
		e.capSettled = setIndex(e.capSettled, in.Index)
	}
}

// learnAnswered tells the place of the id from the answered requests
// waiting for their app line, and lets accessLast's be looked at again
// where they were as many as may wait.
func (e *Engine) learnAnswered() {
	e.corr.learnAnswered(e.logNow)
	if in := e.accessLast; in != nil && !isSet(e.capSettled, in.Index) {
		e.capLearn = true
	}
}

// nameDialed names the upstream of Caddy's 5xx p, whose access entry
// names none, by its error entry, read before it (dialedUpstream): the
// 5xx is counted and judged under the upstream, not "-". Cloned: the
// error line's text may be a recycled buffer's.
func (e *Engine) nameDialed(in *sources.Input, p *sources.ProxyEntry) {
	if !p.Fields.Has(sources.FieldUpstreamAddr) && in != nil && proxyKind(in.Format()) == "caddy" {
		p.Upstream = strings.Clone(e.corr.dialedUpstream(p))
	}
}

// nameFromErrorLines names the upstream of nginx's 5xx p, whose access
// line names none (combined, or a log_format without $upstream_addr), by
// the error lines its verdict joined: the last one that names a server,
// or the upstream{} group of "no live upstreams", as $upstream_addr would
// have (its last attempt's address, the group name when nginx could
// select no server), and reports whether it did. The 5xx is counted and
// judged under it, not "-".
// Only when p's status is one nginx sends for that line's failure
// (endedBy): an error line is written for a failed attempt, and after it
// nginx may retry on a server that answers its own 500 or 503, of which
// no error line tells. That 5xx stays under "-" and the failed attempt
// counts as one (errTries): named by the refusing server, a 500 the app
// answered on 127.0.0.1:34913 read "upstream_refused high" in
// 127.0.0.1:35433's row (review s35 M1).
// Here, not at add as Caddy's: nginx writes the error line when the
// attempt fails and the access line when the request ends, both stamped
// to the second, so the merge may read the error line after its access
// line. Requests no error line names (2xx, the app's own 5xx, a
// limiter's 503) stay under "-". Cloned: the error line's text may be a
// recycled buffer's.
func (e *Engine) nameFromErrorLines(p *sources.ProxyEntry, errs []*sources.ProxyError) bool {
	for i := len(errs) - 1; i >= 0; i-- {
		if up := errs[i].UpstreamAddr; up != "" {
			if !endedBy(errs[i], p.Status) {
				return false
			}
			e.stats.moveUpstream(p, strings.Clone(up))
			e.namedByErrorLine++
			return true
		}
	}
	return false
}

// endedBy reports whether nginx's error line x can be about the attempt
// that ended a request answered status: status is the one nginx sends
// for x's failure (madeStatus: 502 for a refused, reset or cut
// connection and a bad header, 504 for a timeout; any for a line of no
// known reason), or 503 for "no live upstreams", ingress-nginx's.
func endedBy(x *sources.ProxyError, status int) bool {
	made := madeStatus(x)
	return made == 0 || made == status || x.Reason == sources.ReasonNoLiveUpstreams && status == 503
}

// noteProxyNow notes, live, the newest proxy time t (at its instant).
func (e *Engine) noteProxyNow(t time.Time, at logInstant) {
	first := e.proxyNow.IsZero()
	e.proxyNow, e.proxyAt = t, at
	if first {
		e.noteEarlyApp(t)
	}
}

// addFivexx is addAccess for a 5xx: it waits for its verdict.
func (e *Engine) addFivexx(in *sources.Input, p *sources.ProxyEntry, far bool, mesh *meshRequest) {
	e.corr.wait(p)
	pe := pendingEntry{e: p, in: in, far: far, kept: e.keeping, mesh: mesh}
	e.keeping = nil
	if far {
		pe.kept = nil // the clock may refer to it (logClock.fivexx)
	}
	if e.cfg.Live {
		pe.arrived = e.cfg.Now()
	}
	if far {
		// Judged by its own time: at the head of the pending queue,
		// which is judged in order, it would hold back every later 5xx.
		e.ahead = append(e.ahead, pe)
		e.clock.fivexx = p
	} else {
		e.pending = append(e.pending, pe)
	}
	if len(e.pending)+len(e.ahead) > e.cfg.MaxPending {
		q := &e.pending
		if len(e.pending) == 0 {
			q = &e.ahead
		}
		(*q)[0].early = true // counted as Pending if it may have lost by it (finalize)
		e.finalize((*q)[0])
		*q = (*q)[1:]
	}
}

// Feed is AddItem as a report drives the engine with the records of its
// inputs merged by time (sources.MergeEach): it advances every 256 records.
func (e *Engine) Feed(it sources.Item) {
	// AddItem, written out (see there).
	if p, ok := it.Rec.(*sources.ProxyEntry); ok && p.Status >= 500 && p.Status <= 599 {
		e.add(it.Input, e.keep5xx(&it, p), nil)
	} else {
		e.add(it.Input, it.Rec, &it)
	}
	if e.fed++; e.fed%256 == 0 {
		e.Advance()
	}
}

// FeedRun is Feed for a run of records, as sources.MergeRuns hands them
// over: one call per run rather than per record, and each item read where
// it lies (by its address, as AddItem explains) rather than copied into
// the call. It advances at the same records as Feed would.
func (e *Engine) FeedRun(run []sources.Item) {
	for i := range run {
		it := &run[i]
		// add's switch, written out: a call less per record. Two type
		// assertions, the access line's first: one comparison of its
		// type each, where a type switch compared type hashes first
		// (about five instructions more for an access line).
		if r, ok := it.Rec.(*sources.ProxyEntry); ok {
			if r.Status >= 500 && r.Status <= 599 {
				e.add(it.Input, e.keep5xx(it, r), nil)
			} else {
				e.addAccess(it.Input, r, it)
			}
		} else if r, ok := it.Rec.(*sources.AppEntry); ok {
			e.addApp(it.Input, r, it)
		} else {
			e.add(it.Input, it.Rec, it)
		}
		if e.fed++; e.fed%256 == 0 {
			e.Advance()
		}
	}
}

// Advance makes final every 5xx whose grace has passed, then evicts old lines.
// In reports and replays the clock is the log time of the newest record; live,
// it is the wall clock given in Config.Now.
func (e *Engine) Advance() {
	var wall time.Time
	if e.cfg.Live {
		wall = e.cfg.Now()
		e.clockTick(wall)
		e.shown.tick(e.logNow, wall)
		e.proxyClock.tick(e.proxyNow, wall)
		e.lag.tick()
	}
	e.learnPathSkew(false)
	e.learnAppShift()
	if len(e.ahead) > 0 || len(e.corr.aside) > 0 {
		e.reach()
	}
	n := 0
	grace := e.cfg.Grace
	if e.catchingUp {
		grace = max(grace, historyGrace)
	}
	if !e.cfg.Live || e.catchingUp {
		grace += e.skewWait() // by log time: an app ahead logs later (appwait.go)
	}
	var proxy time.Time
	windows, lag := false, time.Duration(0)
	if e.cfg.Live && !e.catchingUp && len(e.pending) > 0 {
		proxy, windows, lag = e.proxyClock.at(e.proxyNow, wall), e.readsWindows(), e.appWait()
	}
	for i := range e.pending {
		p := e.pending[i]
		ready := false
		if e.cfg.Live && !e.catchingUp {
			ready = e.liveReady(&p, wall, proxy, windows, lag)
		} else {
			ready = e.logNow.Sub(e.waitsFrom(p.e.Time)) >= grace
		}
		if !ready {
			break
		}
		e.finalize(p)
		n++
	}
	if n > 0 {
		// The tail left behind by the move still points at judged 5xx:
		// cleared, or a burst's entries stay reachable until overwritten.
		left := copy(e.pending, e.pending[n:])
		clear(e.pending[left:])
		e.pending = e.pending[:left]
	}
	if e.cfg.Live && len(e.ahead) > 0 {
		e.judgeAhead(wall)
	}
	if len(e.late) > 0 {
		e.advanceLate(grace)
	}
	// Keep lines that pending entries may still need.
	for {
		keep, keeping := e.capKeep()
		if !e.corr.evict(e.horizon(), keep, keeping) {
			break
		}
		// The cap would cut a line of the oldest waiting 5xx's window,
		// which has closed: it is judged first, on every line it can
		// have (capKeep).
		p := e.pending[0]
		e.pending[0] = pendingEntry{}
		e.pending = e.pending[1:]
		e.finalize(p)
	}
	horizon := e.horizon()
	if len(e.mesh.order) > e.mesh.head {
		e.mesh.evict(horizon.Add(-e.cfg.Retain))
	}
	if len(e.corr.captured.answered) > 0 {
		e.learnAnswered()
	}
}

// horizon is the time before which the retention lets lines go: the log
// clock, or the oldest waiting 5xx's time when that is earlier.
func (e *Engine) horizon() time.Time {
	if len(e.pending) > 0 && e.pending[0].e.Time.Before(e.logNow) {
		return e.pending[0].e.Time
	}
	return e.logNow
}

// capKeep is where the window of the oldest 5xx waiting for its verdict
// starts (its app window, with the app's clock skew), when the line cap is
// full and that window has closed by the log clock; else ok is false. Its lines
// have all come then, as the inputs are merged by time (a report, a
// replay, live history): rather than let the cap cut them, and judge it
// on what is left (at 100,000 requests a second, 5,669 reset 502s lost
// their error-log line in the report and were called refused), the engine
// judges it first. A window still open is cut as before (Dropped.Short).
func (e *Engine) capKeep() (keep logInstant, ok bool) {
	if len(e.pending) == 0 || !e.corr.overCap() {
		return keep, false
	}
	p := e.pending[0].e
	from, to := e.corr.appSpan(p)
	if s := e.corr.skew.value(); s > 0 {
		to = to.Add(s)
	} else {
		from = from.Add(s)
	}
	if e.logNow.Before(to) {
		return keep, false
	}
	return instantOf(from), true
}

// Flush makes every pending 5xx final (end of input).
func (e *Engine) Flush() {
	if len(e.zone.held) > 0 {
		e.zone.settle(e, nil) // no access line came: read as they are
	}
	if e.corr.paths.on {
		// Every window has closed: the pairs are known (pathskew.go).
		e.learnPathSkew(true)
	}
	// The last lines may have told the skew: an app far ahead has its
	// lines come after every access line, the waitAdvice's (appwait.go).
	e.learnAppShift()
	if c := &e.clock; c.hasDeferred {
		// A last request far ahead of the clock, with no line after it to
		// confirm or refute it: believed for the span, as the merge
		// believes an input's last line. A sparse log (a request every
		// few minutes) ends there; a 2099 last line shows as such.
		e.stats.span(c.deferred.t)
	}
	e.flushing = true // the verdicts say the app's lines were read to their end
	defer func() { e.flushing = false }()
	for _, p := range e.pending {
		e.finalize(p)
	}
	e.pending = e.pending[:0]
	slices.SortStableFunc(e.ahead, func(a, b pendingEntry) int { return a.e.Time.Compare(b.e.Time) })
	for _, p := range e.ahead {
		e.finalize(p)
	}
	e.ahead = e.ahead[:0]
	e.flushLate()
}

// ownShared reports whether another 5xx still waiting for its verdict
// could have taken own, the proxy's line p took (correlator.ownRival),
// and be told something else: more such 5xx than lines left that say the
// same (ownTwins). Traefik's "caused by: EOF" names neither request nor
// upstream: with three 502s in its second, the first judged took it at
// high confidence, though it was as likely another's.
func (e *Engine) ownShared(p pendingEntry, own *sources.ProxyError, kind string) bool {
	twins, n, looked := e.corr.ownTwins(own, kind), 0, 0
	for _, q := range [2][]pendingEntry{e.pending, e.ahead} {
		for _, w := range q {
			// The cheap test first: most waiting 5xx are of other times.
			if w.e == p.e || !e.corr.ownRival(w.e, own, kind) {
				continue
			}
			if looked++; looked > maxRivals {
				return false
			}
			if proxyKind(w.in.Format()) == kind && e.corr.isWaiting(w.e) {
				if n++; n > twins {
					return true
				}
			}
		}
	}
	return false
}

func (e *Engine) finalize(p pendingEntry) {
	// j is the entry the verdict is judged from: p's own, or, for a
	// service mesh's request, the sidecar hop that made its 5xx (mesh.go).
	j, jin := p.e, p.in
	var mesh *meshSaid
	if p.mesh != nil {
		var skip bool
		if j, jin, mesh, skip = meshJudge(p); skip {
			e.corr.unwait(p.e) // judged with its request's other hop
			return
		}
	}
	// Only the entry's own proxy's error log says anything about the
	// absence of an error line: an nginx error log beside a Traefik or
	// Envoy access log does not name their failures.
	jf := jin.Format() // once: it takes the input's lock
	family, kind := jf.Family, proxyKind(jf)
	e.corr.unwait(p.e)
	if p.e.Upstream == "" && !p.far && kind == "caddy" && !p.e.Fields.Has(sources.FieldUpstreamAddr) {
		// Its error entry came after it (add names the upstream of one
		// read before): Caddy writes it some 0.1 ms before the access
		// entry, into another file, and live may read the access entry
		// first. By now, its windows waited out, the entry has come: the
		// 5xx is counted and judged under the upstream it names, as the
		// report does, not under "-".
		if up := e.corr.dialedUpstream(p.e); up != "" {
			e.stats.moveUpstream(p.e, strings.Clone(up))
		}
	}
	errs, guess := e.corr.errorsFor(j)
	if len(errs) == 0 && j.Reason == sources.ReasonNone && j.UpstreamAnswered != sources.Yes {
		if own := e.corr.ownCauseFor(j, kind); own != nil {
			errs = []*sources.ProxyError{own}
			if e.ownShared(p, own, kind) {
				guess = &errGuess{rivals: 1, lines: 1, own: true}
			}
		}
	}
	errorsFrom, errorLines := e.corr.errorsFromOf(family)
	familyLines := e.corr.errorLinesOf(family)
	ev := evidence{
		e:          j,
		errs:       errs,
		errGuess:   guess,
		family:     family,
		kind:       kind,
		names:      jf.Names,
		format:     jf.Name,
		errorLog:   family != "" && (e.hasErrorLog(family) || errorLines || familyLines > 0),
		errorsSeen: errorLines && familyLines > 0 && !instantOf(j.Time).before(errorsFrom),
		appLog:     e.hasRole(sources.RoleApp) || e.corr.appLines > 0,
		appHasIDs:  e.corr.appIDs,
		terse:      e.cfg.Terse || e.cfg.ExplainLater,
		neverDown:  kind == "nginx" && e.cfg.NeverDown[j.Upstream],
	}
	ev.errorLogQuiet = family != "" && errorLines && familyLines == 0 && !instantOf(j.Time).before(errorsFrom)
	if kind == "traefik" && len(errs) == 0 && traefikOwn(j) {
		ev.ownLog = e.traefikOwnLog()
	}
	if ev.errorsSeen {
		ev.siteQuiet = e.corr.siteQuiet(j, jin)
		ev.errorsSeen = ev.siteQuiet == ""
	}
	switch {
	case !jf.LocalTime:
	case j.ZoneFromLine:
		e.lineZoned = true
	case !e.localSeen:
		_, e.localOff = j.Time.Zone()
		e.localSeen = true
	}
	ev.shownID = e.corr.idFromCaptures(j, jin)
	var byWindow bool
	ev.app, ev.matchedBy, ev.appTaken, byWindow = e.corr.appFor(j)
	if len(ev.app) > 0 {
		ev.appSkew = e.corr.appSkew(ev.app[0])
	}
	if j == p.e && !p.far && kind == "nginx" && j.Upstream == "" && !j.Fields.Has(sources.FieldUpstreamAddr) {
		// After appFor: the app lines of every attempt of a retried
		// request are its own, while an upstream named would have
		// kept those of the last server's instance alone (instanceFits;
		// the recording's /slow?n=123 lost the 2 of its first attempt).
		// Not where the app, joined by request id, finished it with its
		// status: its error lines are earlier attempts' (the rules'
		// appAnsweredAfterRetry), and a 502 the app answered after a
		// refused try read as the refusing server's (applog/retry-id).
		_, end := appPhases(ev.app)
		if !appAnsweredAfterRetry(j, end, len(ev.app) > 0 && ev.matchedBy == "request_id") && e.nameFromErrorLines(j, errs) {
			ev.neverDown = e.cfg.NeverDown[j.Upstream]
		}
		ev.errTries = true // its failed attempts are its error lines' (earlierTries)
	}
	if j == p.e && !p.far && kind == "caddy" && len(j.UpstreamAddr) < 2 {
		// Caddy logs one upstream at most (log_append's hostport, or
		// none): the tries that failed before its last one (lb_try_duration,
		// lb_retries) are told only by its reverse_proxy entries at
		// DEBUG, an "upstream roundtrip" with the dial's error each; its
		// error entry at INFO names the last try alone. Counted as
		// nginx's error lines are (earlierTries): a request refused on
		// one server and then answered by another was that server's, its
		// failed try not counted anywhere.
		ev.errTries, ev.caddyTries = true, true
	}
	ev.lookback = e.corr.lookback(j)
	for _, a := range ev.app {
		if w, late := e.corr.lateAt(a); late {
			ev.lateApp, ev.lateWritten = a, w // the last: the end line, if late
		}
	}
	if len(ev.app) == 0 && !ev.appTaken && ev.appLog {
		ev.witnesses = e.corr.witnessed(j)
	}
	ev.idsJoin = e.corr.idJoins > 0
	if j.Reason == sources.ReasonNoLiveUpstreams || j.Reason == sources.ReasonRefused {
		ev.state = explainedState(e.corr.stateFor(j), j, errs)
	}
	if j.Reason == sources.ReasonNoLiveUpstreams {
		ev.serviceAnswers, ev.serviceAddr = e.services.around(j)
	}
	ev.mesh = mesh
	if e.waitsLate(p, j, &ev) {
		e.waitLate(p, ev) // for the app's end line (latejoin.go)
		return
	}
	ev.appWaited, ev.appWaitedToEnd = e.appWaited(j), e.flushing
	e.conclude(p, j, ev, byWindow, false)
}

// conclude makes p's verdict from ev, what finalize took for it from j
// (p's own entry, or the mesh hop that made its 5xx); byWindow says that
// only the time window looked for its app lines, rated that the alert
// rates counted it already (latejoin.go).
func (e *Engine) conclude(p pendingEntry, j *sources.ProxyEntry, ev evidence, byWindow, rated bool) {
	if len(ev.errs) == 0 && (len(ev.app) == 0 || ev.matchedBy != "request_id") {
		// Only a verdict whose deciding lines the cap or the early verdict
		// may have cut: one decided by its own error-log line, or by the
		// app's line joined by request id, lost nothing (30,000 lines/s
		// live: "17674 5xx may be guesses" of 31,207, every one high and
		// as the report; a report of 200,000 app 500s at 10,000/s: "2026
		// 5xx judged early", every one app_error high by request id).
		switch {
		case p.early:
			e.corr.dropped.Pending++ // counted once: not Short too
		case p.waited:
			if p.short { // as its window was when it began: what was cut since, it had taken
				e.corr.dropped.Short++
			}
		default:
			e.corr.judgedShort(p.e)
		}
		e.corr.judgedBehind(p.e)
	}
	if ev.shownID != "" && j.RequestID == "" {
		// Shown, not joined: its app lines were looked for without it.
		j.RequestID = ev.shownID
	}
	var v *Verdict
	if p.kept != nil { // reused with its entry (keptentry.go)
		v = judgeInto(ev, e.keptVerdict(p.kept))
	} else {
		v = judge(ev)
	}
	if byWindow {
		e.corr.window.note(len(ev.app) > 0, v.Cause)
	}
	if !j.Fields.Has(attributionFields(ev.format)) {
		e.unattributedJudged++
		u := e.unattributedCountsOf(ev.format)
		u.judged++
		switch {
		case len(ev.errs) > 0:
		case proxySaid(j): // Cloudflare's 521 is its own word, whatever the app logged
			e.unattributedBySaid++
			u.bySaid++
		case len(ev.app) == 0 && toldByBody(ev, v):
			// The body's size told, not the id (a guess, low).
			e.unattributedGuessed++
			u.guessed++
		case ev.matchedBy == "request_id" && (len(ev.app) > 0 || v.Cause != Unknown):
			// An app line joined by its id told, and so did the app's
			// silence on an id where the rules drew a cause from it
			// (Caddy's own respond: proxy_rejected); where they drew
			// none it told nothing (110 of 162 unknown were counted
			// told, review s33).
			e.unattributedByID++
			u.byID++
		default:
			e.unattributedGuessed++
			u.guessed++
		}
	}
	if ev.kind == "traefik" && v.Cause == Unknown && len(ev.errs) == 0 && traefikOwn(j) {
		e.traefikOwnUntold++
	}
	if j != p.e {
		// Counted, and shown, as the request its caller got: the
		// outbound hop's entry.
		v.Entry = p.e
	}
	if e.cfg.ExplainLater && !e.cfg.Terse {
		v.said = ev
	}
	if e.later {
		// Before releaseJudged: the own lines' inputs are found among the
		// held lines.
		e.laterTimeline(v, p)
	}
	e.corr.releaseJudged(p.e, e.countRole(sources.RoleProxy))
	v.Source = p.in.Spec.Label()
	if e.holding {
		v.Timeline = e.corr.timeline(p.e, e.ownLinesOf(v), p.in)
	}
	if v.Detail == "after_headers" && len(v.ErrorLines) > 0 {
		e.cutOn5xx++
	}
	e.verdicts++
	if v.errTries {
		// Its failed attempts, as add counts those of $upstream_addr:
		// known once its error lines are joined.
		tries := earlierTries(v)
		e.stats.countAttempts(tries, v.Entry.Upstream, v.Entry.Time.Unix(), p.far)
		if !ev.caddyTries {
			e.triedByErrorLine += int64(len(tries)) // said by nginx's advice
		}
	}
	e.stats.verdict(v, p.far)
	if !p.far && !rated {
		e.rates.add(v)
	}
	e.recent = append(e.recent, v)
	if e.reuse {
		e.recentMem = append(e.recentMem, p.kept)
	}
	if e.watching {
		e.watching, e.watched = false, v
		if p.kept != nil {
			p.kept.shared = true // beyond the trims (WatchNextVerdict)
		}
	}
	if len(e.recent) >= e.recentKept+e.cfg.MaxRecent {
		// Trim once every MaxRecent verdicts: trimming on every verdict
		// cost 4% of a report's CPU in a 5xx burst. The new array lets
		// the old one be collected.
		if e.reuse {
			e.trimRecentReusing()
		} else {
			e.recent = keepRecent(e.recent, e.cfg.MaxRecent)
		}
		e.recentKept = len(e.recent)
	}
	if e.cfg.OnVerdict != nil {
		e.cfg.OnVerdict(v)
	}
}

// recentPerKey is how many of its newest verdicts each upstream and each
// cause keeps beyond the newest MaxRecent of all: with only those, a
// burst of one kind pushed every other upstream's and cause's 5xx out,
// and their drill-down showed "no recent 5xx" beside hundreds of them.
const recentPerKey = 100

// keepRecent returns, in order, the newest max of vs and, newest first,
// older ones whose upstream or cause has fewer than recentPerKey (at most
// max/2) kept so far, at most max of those, in a new array.
func keepRecent(vs []*Verdict, max int) []*Verdict {
	if len(vs) <= max {
		return append([]*Verdict(nil), vs...)
	}
	keep := make([]bool, len(vs))
	markRecent(vs, max, keep, &recentCounts{})
	n := 0
	for _, k := range keep {
		if k {
			n++
		}
	}
	out := make([]*Verdict, 0, n)
	for i, v := range vs {
		if keep[i] {
			out = append(out, v)
		}
	}
	return out
}

// countRole counts the inputs of role r (known once their format is).
func (e *Engine) countRole(r sources.Role) int {
	n := 0
	for _, in := range e.cfg.Inputs {
		if in.Role() == r {
			n++
		}
	}
	return n
}

// hasErrorLog reports whether an error-log input of the proxy family is read.
func (e *Engine) hasErrorLog(family string) bool {
	for _, in := range e.cfg.Inputs {
		if in.Role() == sources.RoleProxyErrors && in.Format().Family == family {
			return true
		}
	}
	return false
}

func (e *Engine) hasRole(r sources.Role) bool {
	for _, in := range e.cfg.Inputs {
		if in.Role() == r {
			return true
		}
	}
	return false
}

// Publish builds a snapshot of the current state and makes it the latest.
// full selects totals for the per-upstream dominant cause and latency (reports).
func (e *Engine) Publish(full bool) *Snapshot {
	window := time.Duration(e.window.Load())
	s := &Snapshot{
		Window:  window,
		Total:   e.stats.totalCounts(),
		Pending: len(e.pending) + len(e.ahead) + len(e.late),
		AppLag:  e.lag.lag,
		Dropped: e.corr.dropped,
		FarOff:  e.farOff,
		First:   e.stats.first,
		Last:    e.stats.last,
		AppSkew: AppSkew{Skew: e.corr.skew.value(), Samples: e.corr.skew.n, Fixed: e.corr.skew.fixed, Paths: e.corr.skew.paths, Heads: e.merged != 0},
	}
	s.AppAwaited = e.cfg.Live && !e.lag.measured && e.mayReadApp()
	if off, ok := e.proxyZone(); ok {
		s.AppSkew.ProxyZone = zoneName(off)
	}
	s.CutAfterHeaders = e.cutAccess + max(0, e.corr.cutErrors-e.cutOn5xx)
	s.NoStatusLine = e.noStatusLine
	if e.proxies == 0 && !e.readsAccessLog() {
		s.ErrorFailures = e.corr.failures()
		s.ErrorStatuses = maps.Clone(e.corr.failStatus)
	}
	if e.cfg.Now != nil {
		s.Wall = e.cfg.Now()
	}
	s.LogNow, s.Live = e.logNow, e.cfg.Live
	if e.cfg.Live {
		s.LogNow = e.shown.at(e.logNow, s.Wall)
	}
	s.Windowed, s.Series = e.stats.windowed(s.LogNow, window)
	s.Upstreams = e.stats.upstreamStats(s.LogNow, window, full)
	// An app log given but empty (or none of its lines an app line)
	// tells nothing of the 5xx: coverage is unknown, not 0.
	appLog := e.corr.appLines > 0
	for i := range s.Upstreams {
		s.Upstreams[i].AppLog = appLog
	}
	s.Recent = e.recentToShow()
	s.Inputs = e.inputStatus(s.Wall, s.LogNow)
	var told map[int]string
	var first []Advice
	if e.cfg.InputProblems != nil {
		told, first = e.cfg.InputProblems(s.Inputs)
		for i, st := range told {
			s.Inputs[i].State = st
		}
	}
	s.Advice = e.advice(told)
	s.Lacks = e.lacks
	if len(first) > 0 {
		s.Advice = append(first, s.Advice...)
	}
	s.Alerts = e.rates.alerts(s.LogNow)
	e.latest.Store(s)
	e.signalPublished()
	return s
}
