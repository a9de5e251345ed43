package classify

import (
	"math"
	"sort"
	"strconv"
	"strings"
	"time"
	"unsafe"

	"fivexx/sources"
)

// Rolling statistics on log time. The whole-traffic series has one bucket
// per second; per-upstream state has 10 s buckets and one latency histogram
// per minute, so the memory per upstream is fixed (~30 KiB) and the number
// of upstreams is capped (the rest are counted under "(other)"). Once the
// cap is reached, a name that fails (a 5xx, a failed attempt) takes the row
// of one that never did, whose counts go to "(other)" (evict): the rows
// kept are those a 5xx question is about. Given to the first 500 names
// for good, 600 healthy upstreams left the one that failed, with 1,000
// 502s, in "(other)" (QA s37 H2).
const (
	maxWindow     = 15 * time.Minute
	seriesLen     = int(maxWindow / time.Second)
	upSlot        = 10 * time.Second
	upSlots       = int(maxWindow/upSlot) + 1
	latSlots      = int(maxWindow/time.Minute) + 1
	maxUpstreams  = 500
	otherUpstream = "(other)"
	// maxOtherNames is how many names "(other)" counts (stats.otherNames):
	// past it, UpstreamStats.Names says "at least".
	maxOtherNames = 10000
)

// causeIndex maps a cause to its counter slot.
func causeIndex(c Cause) int {
	for i, x := range AllCauses {
		if x == c {
			return i
		}
	}
	return len(AllCauses) - 1
}

type counters struct {
	req                          int64
	s500, s502, s503, s504, s429 int64
	s5xx                         int64
	causes                       [9]int64
	// withApp counts the verdicts (causes) that had matching app lines:
	// an upstream's app coverage over the window (UpstreamStats.Window*).
	withApp int64
}

func (c *counters) addStatus(status int) {
	c.req++
	if status >= 429 {
		c.addCounted(status)
	}
}

// addCounted is addStatus for a status of 429 or more, the first it
// counts apart: most are below it, and pass with one comparison.
func (c *counters) addCounted(status int) {
	switch status {
	case 500:
		c.s500++
	case 502:
		c.s502++
	case 503:
		c.s503++
	case 504:
		c.s504++
	case 429:
		c.s429++
	}
	if status >= 500 && status <= 599 {
		c.s5xx++
	}
}

func (c *counters) merge(o *counters) {
	c.req += o.req
	c.s500 += o.s500
	c.s502 += o.s502
	c.s503 += o.s503
	c.s504 += o.s504
	c.s429 += o.s429
	c.s5xx += o.s5xx
	c.withApp += o.withApp
	for i := range c.causes {
		c.causes[i] += o.causes[i]
	}
}

type secBucket struct {
	sec int64 // unix second this bucket holds; buckets are reused round-robin
	counters
}

type latSlot struct {
	min  int64   // unix minute
	max  float64 // the longest request time of the minute, ms
	hist latencyHist
}

type upstreamState struct {
	// at, then total: every request reads the one and counts in
	// total.requests, which then share a cache line.
	at      upstreamAt
	total   totals
	name    string
	fivexx  int64
	withApp int64
	slots   [upSlots]secBucket // sec = slot start (unix seconds / 10 * 10)
	// perSec counts the requests of the last seconds, one per second, for
	// ReqPerSec: the 10-second slots could not give the last RateSpan,
	// and the rate of the slots (up to 20 s) read 2.6/s beside the rates
	// pane's 5.0/s for the same burst.
	perSec [perSecLen]secCount
	// latMax is the longest request time, ms: percentiles are clamped to
	// it (a bucket's middle overstated a 1.001 s timeout as 1025.6 ms,
	// and 0 ms as 0.1).
	latMax float64
	latAll latencyHist
	lat    [latSlots]latSlot
	// failedAttempts counts the attempts that went to this upstream and
	// that the proxy retried on another (or the same) server: every
	// element of a request's $upstream_addr but the last (nginx retries
	// only an attempt that failed, proxy_next_upstream). Each request is
	// counted under its last upstream alone, so a server that refused
	// every first attempt, the retry answering, had no 5xx of its own
	// (QA s34 H1: 10.0.1.11 with 771 refusals in the error log read 0).
	// attemptSlots count them per 10 s slot (sec: the slot's start), as
	// slots count requests; attemptCauses are their causes (by
	// causeIndex) over the whole run, for a row with no 5xx of its own.
	failedAttempts int64
	attemptSlots   [upSlots]secCount
	attemptCauses  [9]int64
	// foldedInto is the row ("(other)") this one's counts went to when
	// its row was given to another name (evict); a requestStat that still
	// points here counts there (live).
	foldedInto *upstreamState
}

// live is the state that counts for u: u, or the row it was folded into.
func (u *upstreamState) live() *upstreamState {
	for u.foldedInto != nil {
		u = u.foldedInto
	}
	return u
}

// secCount is the requests of one unix second.
type secCount struct{ sec, n int64 }

// perSecLen is how many seconds upstreamState.perSec holds: a power of two
// (its index is a mask) above RateSpan, so that lines a few seconds late
// still count.
const perSecLen = 16

// RateSpan is the span every "per second" rate on screen is over: the
// rates pane's (the last RateSpan of Snapshot.Series) and each upstream's
// ReqPerSec.
const RateSpan = 10 * time.Second

// countSec counts a request of unix second sec in perSec, unless its
// place holds a later second (sec is older than perSecLen seconds).
func (u *upstreamState) countSec(sec int64) {
	c := &u.perSec[sec&(perSecLen-1)]
	if c.sec != sec {
		if c.sec > sec {
			return
		}
		*c = secCount{sec: sec}
	}
	c.n++
}

// rate is the requests per second of the RateSpan that ends with unix
// second now.
func (u *upstreamState) rate(now int64) float64 {
	span := int64(RateSpan / time.Second)
	var n int64
	for _, c := range u.perSec {
		if c.sec > now-span && c.sec <= now {
			n += c.n
		}
	}
	return float64(n) / float64(span)
}

// upstreamAt remembers the slot and the latency minute an upstream's
// last request went to, by that request's unix second: the next request
// is most often of the same second, and finding them took two divisions
// and a modulo in a chain, for each request. A remembered one is used
// only while it still holds the slot start or minute it was found for
// (a later time may have taken its place), which is what slotAt and
// minuteAt check; forgetAfter resets them.
type upstreamAt struct {
	slotSec, slotStart int64
	slot               *secBucket
	latSec, minute     int64
	lat                *latSlot
}

// reset makes a remember nothing of u: it points at u's first slot and
// minute, with a slot start and a minute that none holds (a slot start
// is a multiple of 10; a minute is a unix second / 60), so that the
// checks need no nil check.
func (a *upstreamAt) reset(u *upstreamState) {
	*a = upstreamAt{slot: &u.slots[0], slotStart: 1, lat: &u.lat[0], minute: math.MinInt64}
}

type stats struct {
	// causes counts the verdicts by causeIndex. The requests and their
	// statuses are counted only under their upstreams (upstreamState.total),
	// and summed for the snapshot (totalCounts): a count of all beside
	// them was about 9 instructions a request.
	causes    [9]int64
	series    [seriesLen]secBucket
	upstreams map[string]*upstreamState
	recentUps upstreamCache
	// noUpstream is the state of the name "" (requests without an
	// upstream, counted as "-"), once looked up (upstreamCache).
	noUpstream *upstreamState
	// named are the rows of named upstreams (not "-", not "(other)"),
	// those evict may give to another name; named[:failedRows] have
	// failed (hasFailed) and are not looked at again.
	named      []*upstreamState
	failedRows int
	// otherNames are the names some of whose requests or attempts count
	// in "(other)" (given no row, or their row folded), up to
	// maxOtherNames; otherMore says there were more.
	otherNames map[string]struct{}
	otherMore  bool
	first      time.Time
	last       time.Time
	// firstAt and lastAt are first's and last's instants (logInstant);
	// firstAt is noFirst while first is zero, so that spanAt's one test
	// takes any time then (s.first.IsZero() on every request was about
	// 8 instructions).
	firstAt, lastAt logInstant
	// atBucket is the series bucket bucket gave last (see upstreamAt).
	atBucket *secBucket
}

// upstreamCache is the upstreams looked up lately, in front of the map: a
// request's upstream was a map lookup per access line, hashing its name
// each time (about 100 instructions; the cache takes 1% of a report's
// instructions off).
//
// A name of 8 to 16 bytes (an address and port, "10.0.1.11:8080": most
// names) is found by its words, its first and last 8 bytes, which with
// its length are the whole name: they pick its slots (wordSlots) and are
// compared with the slot's, two loads of the name's bytes. The reader
// gives each upstream name one shared copy (sources' nameCache), which
// nothing writes again, so those stay in the engine's cache. Any other
// name is found by the address of its bytes (addressSlots) and compared
// as a string, with the state's own copy of it, so that a name whose
// address is reused for other bytes (a recycled line) only misses. The
// "-" of a request without an upstream (a third of the bench sets'
// lines) is kept apart (stats.noUpstream).
//
// Each name has two slots, the newest in the first: with one, two names
// of one slot took it from each other on every line that alternated them.
// Every name was found by its address once, and which names shared slots
// then depended on where their copies were allocated (each parallel
// reader has its own): a run of the 2 M bench set missed on 11 lines and
// the next, of a build that allocated otherwise, on 216,000, 47 M
// instructions of map lookups (and the 200k set, in another build, on
// 34,000 of its 200,000). The words make the slots the names' own. The
// string compare of a name found by its address called memequal, and the
// call made request store and load again every value it still wanted:
// about 37 instructions a line on the 2 M bench set.
type upstreamCache [upstreamCacheSlots]upstreamCached

// upstreamCached is one slot of upstreamCache: name is u.name, words are
// its words when it is found by them, else at is the address of the
// name's bytes it was looked up by (a number: the cache keeps no line
// alive). A slot of either kind never answers for a name of the other
// (lengths apart; at is never 0).
type upstreamCached struct {
	words [2]uint64
	at    uintptr
	name  string
	u     *upstreamState
}

const upstreamCacheSlots = 128

// byWords reports whether a name of n bytes is found by its words.
func byWords(n int) bool { return n >= 8 && n <= 16 }

// nameWords are the first and last 8 bytes of name, of 8 to 16 bytes.
func nameWords(name string) [2]uint64 {
	return [2]uint64{le64(name), le64(name[len(name)-8:])}
}

// wordSlots are the two cache slots of a name of words w: the top bits
// of a multiply of the words, which differ by a byte at most names, and
// the slot half the table away.
func wordSlots(w [2]uint64) (first, second int) {
	first = int((w[0] ^ w[1]<<29 ^ w[1]>>35) * 0x9e3779b97f4a7c15 >> (64 - 7))
	return first, first ^ upstreamCacheSlots/2
}

// addressSlots are the two cache slots of a name not found by its words:
// shared copies are allocated side by side, 16 bytes apart and more, so
// the address's low bits past the lowest four pick the first; the second
// is half the table away, as the next slots are the first of the copies
// allocated next.
func addressSlots(name string) (first, second int, at uintptr) {
	at = uintptr(unsafe.Pointer(unsafe.StringData(name)))
	first = int(at >> 4 & (upstreamCacheSlots - 1))
	return first, first ^ upstreamCacheSlots/2, at
}

// holds reports whether c holds the name of n bytes and words w.
func (c *upstreamCached) holds(w [2]uint64, n int) bool {
	return c.words == w && len(c.name) == n
}

// le64 is the little-endian uint64 in the first 8 bytes of s (one load).
func le64(s string) uint64 {
	_ = s[7]
	return uint64(s[0]) | uint64(s[1])<<8 | uint64(s[2])<<16 | uint64(s[3])<<24 |
		uint64(s[4])<<32 | uint64(s[5])<<40 | uint64(s[6])<<48 | uint64(s[7])<<56
}

func newStats() *stats {
	return &stats{
		upstreams: map[string]*upstreamState{},
		firstAt:   noFirst,
		lastAt:    instantOf(time.Time{}),
	}
}

func (s *stats) upstream(name string) *upstreamState {
	return s.upstreamFor(name, false)
}

// upstreamFor is upstream for a request or attempt that failed or not:
// a failing name without a row may take one (evict).
func (s *stats) upstreamFor(name string, failing bool) *upstreamState {
	if u := s.cachedUpstream(name); u != nil {
		return u
	}
	return s.upstreamMissed(name, failing)
}

// cachedUpstream is the state the cache holds for name, or nil.
func (s *stats) cachedUpstream(name string) *upstreamState {
	switch n := len(name); {
	case n == 0:
		return s.noUpstream
	case byWords(n):
		w := nameWords(name)
		i, j := wordSlots(w)
		if c := &s.recentUps[i]; c.holds(w, n) {
			return c.u
		}
		if c := &s.recentUps[j]; c.holds(w, n) {
			return c.u
		}
	default:
		i, j, at := addressSlots(name)
		for _, c := range [2]*upstreamCached{&s.recentUps[i], &s.recentUps[j]} {
			if c.at == at && c.u != nil && c.name == name {
				return c.u
			}
		}
	}
	return nil
}

// upstreamMissed is upstream for a name the cache does not hold: it puts
// it in the name's first slot, and what that held in the second. Apart,
// so that the lookup in the cache is small enough to be written out in
// request.
func (s *stats) upstreamMissed(name string, failing bool) *upstreamState {
	u := s.upstreamByName(name, failing)
	n := len(name)
	switch {
	case n == 0:
		s.noUpstream = u // counted as "-"
		return u
	case u.name != name:
		return u // "(other)": not cached
	}
	c := upstreamCached{name: u.name, u: u}
	var i, j int
	if byWords(n) {
		c.words = nameWords(name)
		i, j = wordSlots(c.words)
	} else {
		i, j, c.at = addressSlots(name)
	}
	s.recentUps[j] = s.recentUps[i]
	s.recentUps[i] = c
	return u
}

// upstreamByName is upstreamFor without the cache.
func (s *stats) upstreamByName(name string, failing bool) *upstreamState {
	if name == "" {
		name = "-"
	}
	u := s.upstreams[name]
	if u == nil {
		if len(s.upstreams) >= maxUpstreams && (!failing || !s.evict()) {
			s.noteOther(name)
			return s.otherRow()
		}
		// A clone: name may be a slice of a log line, which would keep
		// the whole line alive for as long as the upstream is listed.
		name = strings.Clone(name)
		u = &upstreamState{name: name}
		u.at.reset(u)
		s.upstreams[name] = u
		if name != "-" {
			s.named = append(s.named, u)
		}
	}
	return u
}

// otherRow is the row "(other)", made when first wanted.
func (s *stats) otherRow() *upstreamState {
	u := s.upstreams[otherUpstream]
	if u == nil {
		u = &upstreamState{name: otherUpstream}
		u.at.reset(u)
		s.upstreams[otherUpstream] = u
	}
	return u
}

// noteOther counts name among those of "(other)" (otherNames).
func (s *stats) noteOther(name string) {
	if s.otherMore {
		return // counted no further: no lookup for each line of (other)
	}
	if _, ok := s.otherNames[name]; ok {
		return
	}
	if len(s.otherNames) >= maxOtherNames {
		s.otherMore = true
		return
	}
	if s.otherNames == nil {
		s.otherNames = map[string]struct{}{}
	}
	s.otherNames[strings.Clone(name)] = struct{}{}
}

// evict makes room for a name that failed once the rows are capped: the
// first named row that never failed (hasFailed) is folded into "(other)"
// and forgotten. It reports whether there was one. Only a failing name
// without a row gets here, and each row is found failed once (named is
// kept with those first), so a name's lookup on the hot path stays the
// cache's or the map's.
func (s *stats) evict() bool {
	for i := s.failedRows; i < len(s.named); i++ {
		u := s.named[i]
		if u.hasFailed() {
			s.named[i], s.named[s.failedRows] = s.named[s.failedRows], u
			s.failedRows++
			continue
		}
		last := len(s.named) - 1
		s.named[i], s.named[last] = s.named[last], nil
		s.named = s.named[:last]
		s.fold(u, s.otherRow())
		s.noteOther(u.name)
		return true
	}
	return false
}

// hasFailed reports whether u counted a 5xx, a verdict or a failed
// attempt: a row evict keeps.
func (u *upstreamState) hasFailed() bool {
	if u.fivexx > 0 || u.failedAttempts > 0 {
		return true
	}
	for _, n := range u.total.status[500:600] {
		if n != 0 {
			return true
		}
	}
	for code, n := range u.total.odd {
		if code >= 500 && code <= 599 && n != 0 {
			return true
		}
	}
	return false
}

// fold adds every count of u to o and forgets u (its name, its cache
// slots): its name's next requests count in o, or in a row of its own
// again once it fails. A slot, second or minute of u that o holds a
// later time in is older than any window and left out; one that o holds
// an earlier time in takes its place, as u's next request would have.
func (s *stats) fold(u, o *upstreamState) {
	o.total.add(&u.total)
	for i, n := range u.total.causes {
		o.total.causes[i] += n
	}
	o.fivexx += u.fivexx
	o.withApp += u.withApp
	// A slot, second or minute u never used (0) is skipped: a row given
	// away has few, and merging 16 latency minutes of 256 buckets each
	// was most of a fold.
	for i := range u.slots {
		a, b := &o.slots[i], &u.slots[i]
		switch {
		case b.sec == 0:
		case a.sec == b.sec:
			a.merge(&b.counters)
		case a.sec < b.sec:
			*a = *b
		}
	}
	for i := range u.perSec {
		a, b := &o.perSec[i], &u.perSec[i]
		switch {
		case b.sec == 0:
		case a.sec == b.sec:
			a.n += b.n
		case a.sec < b.sec:
			*a = *b
		}
	}
	o.latMax = max(o.latMax, u.latMax)
	o.latAll.merge(&u.latAll)
	for i := range u.lat {
		a, b := &o.lat[i], &u.lat[i]
		switch {
		case b.min == 0:
		case a.min == b.min:
			a.hist.merge(&b.hist)
			a.max = max(a.max, b.max)
		case a.min < b.min:
			*a = *b
		}
	}
	o.failedAttempts += u.failedAttempts
	for i := range u.attemptSlots {
		a, b := &o.attemptSlots[i], &u.attemptSlots[i]
		switch {
		case b.sec == 0:
		case a.sec == b.sec:
			a.n += b.n
		case a.sec < b.sec:
			*a = *b
		}
	}
	for i, n := range u.attemptCauses {
		o.attemptCauses[i] += n
	}
	o.at.reset(o) // its slots and minutes may hold other times now
	u.foldedInto = o
	delete(s.upstreams, u.name)
	for i := range s.recentUps {
		if s.recentUps[i].u == u {
			s.recentUps[i] = upstreamCached{}
		}
	}
}

func (s *stats) bucket(t time.Time) *secBucket { return s.bucketAt(t.Unix()) }

// bucketAt is bucket for unix second sec.
func (s *stats) bucketAt(sec int64) *secBucket {
	// A bucket holds a second of its own place or 0 (forgetAfter drops
	// atBucket), so one that holds sec is sec's.
	if b := s.atBucket; b != nil && b.sec == sec {
		return b
	}
	return s.findBucket(sec)
}

// findBucket is bucketAt without atBucket.
func (s *stats) findBucket(sec int64) *secBucket {
	b := &s.series[int(uint64(sec)%uint64(seriesLen))]
	if b.sec != sec {
		if b.sec > sec {
			return nil // older than the window
		}
		*b = secBucket{sec: sec}
	}
	s.atBucket = b
	return b
}

func (u *upstreamState) slot(t time.Time) *secBucket { return u.slotAt(t.Unix()) }

// slotAt is slot for unix second sec.
func (u *upstreamState) slotAt(sec int64) *secBucket {
	if b := u.at.slot; b.sec == u.at.slotStart && u.at.slotSec == sec {
		return b // the check is written out in request too
	}
	return u.findSlot(sec)
}

// findSlot is slotAt without u.at.
func (u *upstreamState) findSlot(sec int64) *secBucket {
	start := sec / 10 * 10
	b := &u.slots[int(uint64(start/10)%uint64(upSlots))]
	if b.sec != start {
		if b.sec > start {
			return nil
		}
		*b = secBucket{sec: start}
	}
	u.at.slotSec, u.at.slotStart, u.at.slot = sec, start, b
	return b
}

// latency counts a request time in the minute of t (latAll is counted apart).
func (u *upstreamState) latency(t time.Time, ms float64) {
	if l := u.minuteAt(t.Unix()); l != nil {
		l.add(ms, latIndex(ms))
	}
}

// add counts one request time, ms, of bucket i.
func (l *latSlot) add(ms float64, i int) {
	l.hist.addIndex(i)
	if ms > l.max {
		l.max = ms
	}
}

// minuteAt is the latency minute of unix second sec, or nil when that
// minute is older than the ones kept.
func (u *upstreamState) minuteAt(sec int64) *latSlot {
	if l := u.at.lat; l.min == u.at.minute && u.at.latSec == sec {
		return l // the check is written out in request too
	}
	return u.findMinute(sec)
}

// findMinute is minuteAt without u.at.
func (u *upstreamState) findMinute(sec int64) *latSlot {
	m := sec / 60
	l := &u.lat[int(uint64(m)%uint64(latSlots))]
	if l.min != m {
		if l.min > m {
			return nil
		}
		*l = latSlot{min: m}
	}
	u.at.latSec, u.at.minute, u.at.lat = sec, m, l
	return l
}

// request counts one proxy access entry: in the totals, and in the rolling
// series unless it is far ahead of the log clock (far: see clockJump),
// where it would take the slot of a second of the window for good. sec is
// e.Time's Unix second, which the engine has (its instant).
func (s *stats) request(e *sources.ProxyEntry, sec int64, far bool) {
	// The upstream first: cachedUpstream's common cases, written out
	// (that costs more than the compiler inlines), the rest upstream.
	name := e.Upstream
	var u *upstreamState
	if n := len(name); byWords(n) {
		w := [2]uint64{le64(name), le64(name[n-8:])} // nameWords
		i, j := wordSlots(w)
		if c := &s.recentUps[i]; c.holds(w, n) {
			u = c.u
		} else if c := &s.recentUps[j]; c.holds(w, n) {
			u = c.u
		}
	} else if n == 0 {
		u = s.noUpstream
	}
	status := e.Status
	if u == nil {
		u = s.upstreamFor(name, status >= 500 && status <= 599)
	}
	u.total.request(status) // and so in the whole traffic's (totalCounts)
	if !far {
		if b := s.bucketAt(sec); b != nil {
			b.addStatus(status)
		}
		// slotAt and minuteAt, written out: they cost a little more
		// than the compiler inlines.
		b := u.at.slot
		if b.sec != u.at.slotStart || u.at.slotSec != sec {
			b = u.findSlot(sec)
		}
		if b != nil {
			b.addStatus(status)
		}
		u.countSec(sec)
	}
	ms := e.RequestTime * 1000 // < 0: not logged
	if len(e.UpstreamAddr) > 1 {
		ms = lastTryMs(e) // a retried request only
	}
	if ms >= 0 {
		i := latIndex(ms) // one bucket for both histograms
		u.latAll.addIndex(i)
		if ms > u.latMax {
			u.latMax = ms
		}
		if !far {
			l := u.at.lat
			if l.min != u.at.minute || u.at.latSec != sec {
				l = u.findMinute(sec)
			}
			if l != nil {
				l.add(ms, i)
			}
		}
	}
}

// rowMs is the time in ms e counts in its row's latency: its request
// time, a retried request's last attempt's (lastTryMs); -1 when it is not
// logged.
func rowMs(e *sources.ProxyEntry) float64 {
	if len(e.UpstreamAddr) > 1 {
		return lastTryMs(e)
	}
	if e.RequestTime < 0 {
		return -1
	}
	return e.RequestTime * 1000
}

// lastTryMs is rowMs of a request nginx retried: the request time covers
// every attempt, and the row is the last attempt's server, so where
// $upstream_response_time logs each attempt the row takes the time of
// the attempts on that server: the last one's, with those before it that
// went to the same address (ingress-nginx's three tries of one
// endpoint). The request time where the times are not logged, or one of
// them logs "-" or another word (s38 review L4: such a request was left
// out of the row's latency). A server that refused the retry
// at once showed the earlier attempt's 1 s timeout as its p50: 1007 ms
// for a try of 1 ms (QA s37 L1, real nginx 1.22.1, "1.006, 0.001").
func lastTryMs(e *sources.ProxyEntry) float64 {
	requestMs := func() float64 {
		if e.RequestTime < 0 {
			return -1
		}
		return e.RequestTime * 1000
	}
	n := len(e.UpstreamAddr)
	if len(e.UpstreamResponse) != n {
		return requestMs()
	}
	sum := 0.0
	for i, a := range e.UpstreamAddr {
		if a != e.UpstreamAddr[n-1] {
			continue
		}
		s, err := strconv.ParseFloat(e.UpstreamResponse[i], 64)
		if err != nil || !(s >= 0) || math.IsInf(s, 1) {
			return requestMs()
		}
		sum += s
	}
	return sum * 1000
}

// failedAttempts counts e's attempts before its last against the
// upstreams they went to (upstreamState.failedAttempts). A "-" or empty
// address (no server was selected) is left out, and so is one that is
// the request's own upstream: its row counts the request already.
func (s *stats) failedAttempts(e *sources.ProxyEntry, sec int64, far bool) {
	s.countAttempts(e.UpstreamAddr[:len(e.UpstreamAddr)-1], e.Upstream, sec, far)
}

// countAttempts is failedAttempts for the servers tried, of a request
// counted under own.
func (s *stats) countAttempts(tried []string, own string, sec int64, far bool) {
	for _, a := range tried {
		if a == "" || a == "-" || a == own {
			continue
		}
		u := s.upstreamFor(a, true)
		u.failedAttempts++
		if far {
			continue
		}
		start := sec / 10 * 10
		c := &u.attemptSlots[int(uint64(start/10)%uint64(upSlots))]
		if c.sec != start {
			if c.sec > start {
				continue
			}
			*c = secCount{sec: start}
		}
		c.n++
	}
}

// earlierTries is the servers v's request tried before its last attempt,
// one per attempt: its $upstream_addr but the last, or, where nginx's
// access line names no upstream (combined: errTries), the server of each
// of its error lines that tells a failure, except the one it counts
// under: nginx writes one for each attempt that failed ("connect()
// failed … upstream: \"http://127.0.0.1:35433/…\"") and retries only
// those. The group of "no live upstreams" is no attempt. Those tries
// counted nowhere: the hint of the combined recording's /ok?n=59 named
// 127.0.0.1:35433 and 127.0.0.1:34913, whose rows had no failed attempt,
// where $upstream_addr's gave 8 and 3 (review s35 M2). nil when there
// are none.
func earlierTries(v *Verdict) []string {
	e := v.Entry
	if !v.errTries {
		if len(e.UpstreamAddr) < 2 {
			return nil
		}
		return e.UpstreamAddr[:len(e.UpstreamAddr)-1]
	}
	var out []string
	for _, x := range v.ErrorLines {
		if x.UpstreamAddr != "" && x.UpstreamAddr != e.Upstream && x.Reason != sources.ReasonNone && x.Reason != sources.ReasonNoLiveUpstreams {
			out = append(out, x.UpstreamAddr)
		}
	}
	return out
}

// attemptCause counts, for a retried 5xx, the cause of each attempt
// before its last under the upstream it went to (attemptCauseOn).
func (s *stats) attemptCause(v *Verdict, tried []string) {
	for _, a := range tried {
		if a == "" || a == "-" || a == v.Entry.Upstream {
			continue
		}
		s.upstreamFor(a, true).attemptCauses[causeIndex(attemptCauseOn(v, a))]++
	}
}

// attemptCauseOn is the cause of v's failed attempt on server a: that of
// the last error line about a with a reason, else v's own.
func attemptCauseOn(v *Verdict, a string) Cause {
	c := v.Cause
	for _, x := range v.ErrorLines {
		if x.UpstreamAddr == a && x.Reason != sources.ReasonNone {
			if rc := reasonCause(x.Reason); rc != "" {
				c = rc
			}
		}
	}
	return c
}

// requestStat is what the rolling series count of one request. request
// leaves out a request far ahead of the log clock; the engine keeps its
// requestStat and counts it with inSeries once the clock confirms its time.
type requestStat struct {
	t      time.Time
	status int
	up     *upstreamState
	ms     float64 // rowMs
}

// requestStat returns e's requestStat.
func (s *stats) requestStat(e *sources.ProxyEntry) requestStat {
	return requestStat{t: e.Time, status: e.Status, up: s.upstream(e.Upstream), ms: rowMs(e)}
}

// noFirst is stats.firstAt while there is no first time: after any.
var noFirst = logInstant{sec: math.MaxInt64}

// span widens the log time the requests cover (Snapshot.First, Last) to
// t. The engine leaves out a time far from its log clock: one line from
// 2099 or 1970 made a report's window run to 2099 or start in 1970.
func (s *stats) span(t time.Time) { s.spanAt(t, instantOf(t)) }

// spanAt is span for t of instant at (see logInstant).
func (s *stats) spanAt(t time.Time, at logInstant) {
	if at.before(s.firstAt) {
		s.first, s.firstAt = t, at
		if t.IsZero() {
			s.firstAt = noFirst // no first: the next time takes its place
		}
	}
	if s.lastAt.before(at) {
		s.last, s.lastAt = t, at
	}
}

// inSeries counts a request in the rolling series (see requestStat), and in
// the span of log time: its time is confirmed.
func (s *stats) inSeries(r requestStat) {
	r.up = r.up.live()
	s.span(r.t)
	if b := s.bucket(r.t); b != nil {
		b.addStatus(r.status)
	}
	if b := r.up.slot(r.t); b != nil {
		b.addStatus(r.status)
	}
	r.up.countSec(r.t.Unix())
	if r.ms >= 0 {
		r.up.latency(r.t, r.ms)
	}
}

// forgetAfter empties the series buckets, upstream slots and latency
// minutes later than t: the first record's, whose time proved wrong.
func (s *stats) forgetAfter(t time.Time) {
	if s.last.After(t) {
		// Only the first record was counted, and its time is wrong.
		s.first, s.last = time.Time{}, time.Time{}
		s.firstAt, s.lastAt = noFirst, instantOf(s.last)
	}
	sec := t.Unix()
	for i := range s.series {
		if s.series[i].sec > sec {
			s.series[i] = secBucket{}
		}
	}
	s.atBucket = nil
	for _, u := range s.upstreams {
		u.at.reset(u)
		for i := range u.slots {
			if u.slots[i].sec > sec {
				u.slots[i] = secBucket{}
			}
		}
		for i := range u.lat {
			if u.lat[i].min*60 > sec {
				u.lat[i] = latSlot{}
			}
		}
		for i := range u.perSec {
			if u.perSec[i].sec > sec {
				u.perSec[i] = secCount{}
			}
		}
	}
}

// verdict counts one verdict's cause, and in the bucket of its request
// unless it is far ahead of the log clock (see request).
func (s *stats) verdict(v *Verdict, far bool) {
	i := causeIndex(v.Cause)
	s.causes[i]++
	if !far {
		if b := s.bucket(v.Entry.Time); b != nil && b.sec == v.Entry.Time.Unix() {
			b.causes[i]++
		}
	}
	if len(v.Entry.UpstreamAddr) > 1 || v.errTries {
		s.attemptCause(v, earlierTries(v))
	}
	u := s.upstream(v.Entry.Upstream)
	v.Row = u.name
	u.total.causes[i]++
	u.fivexx++
	withApp := appOnRow(v)
	if withApp {
		u.withApp++
	}
	if !far {
		if b := u.slot(v.Entry.Time); b != nil {
			b.causes[i]++
			if withApp {
				b.withApp++
			}
		}
	}
}

// appOnRow reports whether v counts as a 5xx with app lines in its row's
// app coverage: it has some, and, for a request nginx retried, one that
// may be its last attempt's, on the row's server. None is when that
// attempt never connected ($upstream_connect_time "-"), nor one whose
// instance names an earlier attempt's address (namesEarlierTry). The
// earlier try's lines made the row of a server that refused every retry
// 100 % covered (QA s37 L1, real nginx 1.22.1: "0.001, -", the app's
// lines of 127.0.0.1:47101 in 127.0.0.1:47102's row).
func appOnRow(v *Verdict) bool {
	e := v.Entry
	n := len(e.UpstreamAddr)
	if len(v.AppLines) == 0 || n < 2 {
		return len(v.AppLines) > 0
	}
	if len(e.UpstreamConnect) == n && e.UpstreamConnect[n-1] == "-" {
		return false
	}
	for _, a := range v.AppLines {
		if !namesEarlierTry(a.Instance, e.UpstreamAddr) {
			return true
		}
	}
	return false
}

// windowFrom is the second the window of the given length that ends at now
// starts after: what the window counts is the seconds after it up to now.
// It is the start of a 10-second slot (upSlot), so that every pane counts
// the same seconds: an upstream's counts are kept per slot, and counting
// a slot that only overlapped the window's start put up to 9 s more in
// the upstream rows than in the causes pane (43 502s on the rows against
// 33 5xx in a 1-minute window). A window thus covers its length, less
// up to 9 s: 51 to 60 s of a 1-minute one (which the series, 15 minutes
// of seconds, can hold for the longest window, as they could not the
// slots overlapping its start).
func windowFrom(now time.Time, window time.Duration) int64 {
	from := now.Add(-window).Unix() // the seconds after it: the window's length
	slot := int64(upSlot / time.Second)
	start := from - from%slot + slot // the first slot start after from
	if from%slot < 0 {
		start -= slot // % of a second before 1970 is negative
	}
	return start - 1
}

// windowed sums the series over the window that ends at now (windowFrom)
// and returns the series of its length's seconds up to now.
func (s *stats) windowed(now time.Time, window time.Duration) (Counts, []Bucket) {
	from := windowFrom(now, window)
	to := now.Unix()
	c := counters{}
	n := int(window / time.Second)
	series := make([]Bucket, 0, n)
	for sec := to - int64(n) + 1; sec <= to; sec++ {
		b := &s.series[int(uint64(sec)%uint64(seriesLen))]
		out := Bucket{Time: time.Unix(sec, 0).UTC()}
		if b.sec == sec {
			out.Requests, out.S500, out.S502, out.S503, out.S504, out.S429, out.S5xx = b.req, b.s500, b.s502, b.s503, b.s504, b.s429, b.s5xx
			if sec > from {
				c.merge(&b.counters)
			}
		}
		series = append(series, out)
	}
	return countsOf(&c), series
}

func countsOf(c *counters) Counts {
	out := Counts{Requests: c.req, Status: map[int]int64{}, Causes: map[Cause]int64{}}
	for code, n := range map[int]int64{500: c.s500, 502: c.s502, 503: c.s503, 504: c.s504, 429: c.s429} {
		if n > 0 {
			out.Status[code] = n
		}
	}
	// The 5xx counted in s5xx alone (520, 501…): in no code of Status.
	out.OtherFivexx = c.s5xx - c.s500 - c.s502 - c.s503 - c.s504
	for i, n := range c.causes {
		if n > 0 {
			out.Causes[AllCauses[i]] = n
		}
	}
	return out
}

// totals are running counts by status and cause: arrays rather than the
// maps of Counts, which cost two map writes per request.
type totals struct {
	requests int64
	status   [600]int64
	odd      map[int]int64 // statuses outside 0-599
	causes   [9]int64      // by causeIndex, like counters
}

func (t *totals) request(status int) {
	t.requests++
	if status >= 0 && status < len(t.status) {
		t.status[status]++
		return
	}
	if t.odd == nil {
		t.odd = map[int]int64{}
	}
	t.odd[status]++
}

// totalCounts is the snapshot's Total: the requests and statuses of every
// upstream (each request is counted under one), and the verdicts'
// causes.
func (s *stats) totalCounts() Counts {
	var t totals
	for _, u := range s.upstreams {
		t.add(&u.total)
	}
	t.causes = s.causes
	return t.counts()
}

// add adds o's requests and statuses to t (not its causes).
func (t *totals) add(o *totals) {
	t.requests += o.requests
	for i, n := range o.status {
		t.status[i] += n
	}
	for code, n := range o.odd {
		if t.odd == nil {
			t.odd = map[int]int64{}
		}
		t.odd[code] += n
	}
}

// counts returns t as the snapshot's Counts (only what is not zero).
func (t *totals) counts() Counts {
	out := Counts{Requests: t.requests, Status: map[int]int64{}, Causes: map[Cause]int64{}}
	for code, n := range t.status {
		if n != 0 {
			out.Status[code] = n
		}
	}
	for code, n := range t.odd {
		out.Status[code] = n
	}
	for i, n := range t.causes {
		if n != 0 {
			out.Causes[AllCauses[i]] = n
		}
	}
	return out
}

// recentCauseSpan is how far back, in seconds of log time, the 10-second
// slots whose causes make an upstream's RecentCause start: the last 20 to
// 30 s, the alerts' 30 s.
const recentCauseSpan = 30

// upstreamStats builds the per-upstream rows for a snapshot.
func (s *stats) upstreamStats(now time.Time, window time.Duration, full bool) []UpstreamStats {
	out := make([]UpstreamStats, 0, len(s.upstreams))
	// The slots wholly in the window, the seconds the series count (see
	// windowFrom). A slot starts at a multiple of 10 s: one that starts
	// after from holds no second before it.
	from := windowFrom(now, window)
	for _, u := range s.upstreams {
		if u.total.requests == 0 && u.failedAttempts == 0 {
			// Every request it had was counted elsewhere since
			// (moveUpstream, unrequest): no row of zeros.
			continue
		}
		var c counters
		var recent [9]int64 // the causes of the slots that start in the last recentCauseSpan
		for i := range u.slots {
			b := &u.slots[i]
			if b.sec > from && b.sec <= now.Unix() && b.req+b.s5xx+sumCauses(&b.counters) > 0 {
				c.merge(&b.counters)
				if b.sec > now.Unix()-recentCauseSpan {
					for k, n := range b.causes {
						recent[k] += n
					}
				}
			}
		}
		var windowAttempts int64
		for _, a := range u.attemptSlots {
			if a.sec > from && a.sec <= now.Unix() {
				windowAttempts += a.n
			}
		}
		row := UpstreamStats{
			FailedAttempts:       u.failedAttempts,
			WindowFailedAttempts: windowAttempts,
			Name:                 u.name,
			Total:                u.total.counts(),
			Windowed:             countsOf(&c),
			ReqPerSec:            u.rate(now.Unix()),
			Fivexx:               u.fivexx,
			FivexxWithApp:        u.withApp,
			WindowFivexx:         sumCauses(&c),
			WindowFivexxWithApp:  c.withApp,
		}
		hist, most := &u.latAll, u.latMax
		if !full {
			// Latencies are kept per minute: the minutes with a second
			// in the window, up to 59 s more than the counts.
			var h latencyHist
			most = 0
			for i := range u.lat {
				if u.lat[i].min*60+59 > from {
					h.merge(&u.lat[i].hist)
					most = max(most, u.lat[i].max)
				}
			}
			hist = &h
		}
		if u.name == otherUpstream {
			row.Names, row.NamesMore = int64(len(s.otherNames)), s.otherMore
		}
		row.P50, row.P95, row.P99 = hist.quantileUpTo(0.50, most), hist.quantileUpTo(0.95, most), hist.quantileUpTo(0.99, most)
		causes := row.Windowed.Causes
		if full {
			causes = row.Total.Causes
		}
		row.DominantCause = dominant(causes)
		if !full {
			row.RecentCause = dominantOf(recent)
			row.CauseEarlier = row.RecentCause == "" && row.WindowFivexx > 0
		}
		if row.DominantCause == "" && (full && row.FailedAttempts > 0 || !full && row.WindowFailedAttempts > 0) {
			// No 5xx of its own: what failed its attempts.
			row.DominantCause = dominantOf(u.attemptCauses)
		}
		out = append(out, row)
	}
	sort.Slice(out, func(i, j int) bool {
		a, b := fivexxIn(out[i], full), fivexxIn(out[j], full)
		if a != b {
			return a > b
		}
		if a, b := attemptsIn(out[i], full), attemptsIn(out[j], full); a != b {
			return a > b // a server down behind its retries, before the quiet ones
		}
		return out[i].Name < out[j].Name
	})
	return out
}

// attemptsIn is u's failed attempts, in total or in the window.
func attemptsIn(u UpstreamStats, total bool) int64 {
	if total {
		return u.FailedAttempts
	}
	return u.WindowFailedAttempts
}

func sumCauses(c *counters) int64 {
	var n int64
	for _, x := range c.causes {
		n += x
	}
	return n
}

func fivexxIn(u UpstreamStats, total bool) int64 {
	if total {
		return u.Total.Fivexx()
	}
	return u.Windowed.Fivexx()
}

func dominant(m map[Cause]int64) Cause {
	var best Cause
	var n int64
	for _, c := range AllCauses {
		if m[c] > n {
			best, n = c, m[c]
		}
	}
	return best
}

// unrequest takes back the count of a request (its requestStat), counted
// in the totals and the rolling series: a service mesh's inbound sidecar
// entry, counted until its outbound one came (mesh.go). What the series
// no longer hold (a slot, a second, a minute taken by a later time) is
// left.
func (s *stats) unrequest(r requestStat) {
	r.up = r.up.live()
	sec := r.t.Unix()
	if b := s.bucketAt(sec); b != nil && b.sec == sec {
		b.removeStatus(r.status)
	}
	r.up.unrequest(r)
}

// unrequest takes back the count of a request in u (unrequest's
// upstream part).
func (u *upstreamState) unrequest(r requestStat) {
	sec := r.t.Unix()
	u.total.unrequest(r.status)
	if b := u.slotAt(sec); b != nil {
		b.removeStatus(r.status)
	}
	if c := &u.perSec[sec&(perSecLen-1)]; c.sec == sec && c.n > 0 {
		c.n--
	}
	if r.ms >= 0 {
		i := latIndex(r.ms)
		u.latAll.removeIndex(i)
		if h := u.minuteAt(sec); h != nil {
			h.hist.removeIndex(i)
		}
	}
}

// moveUpstream counts e, which request counted under its upstream of
// then, under to instead, and makes to its upstream: the totals and the
// whole-traffic series stay as they are. A 5xx not far ahead of the log
// clock only (request left such an entry out of the upstream's series,
// which the clock counts later under the upstream it kept).
// The row it leaves keeps its latMax and minute max: no value is kept to
// say its next longest. The percentiles stay true to a bucket (3 %): a
// max above them clamps none, so only a top bucket whose middle lies
// above its longest remaining value reads up to that middle, as it
// would without the clamp (review s35 L4).
func (s *stats) moveUpstream(e *sources.ProxyEntry, to string) {
	s.upstream(e.Upstream).unrequest(s.requestStat(e))
	e.Upstream = to
	u, sec := s.upstreamFor(to, e.Status >= 500 && e.Status <= 599), e.Time.Unix()
	u.total.request(e.Status)
	if b := u.slotAt(sec); b != nil {
		b.addStatus(e.Status)
	}
	u.countSec(sec)
	if ms := rowMs(e); ms >= 0 {
		i := latIndex(ms)
		u.latAll.addIndex(i)
		u.latMax = max(u.latMax, ms)
		if l := u.minuteAt(sec); l != nil {
			l.add(ms, i)
		}
	}
}

func (c *counters) removeStatus(status int) {
	c.req--
	switch status {
	case 500:
		c.s500--
	case 502:
		c.s502--
	case 503:
		c.s503--
	case 504:
		c.s504--
	case 429:
		c.s429--
	}
	if status >= 500 && status <= 599 {
		c.s5xx--
	}
}

func (t *totals) unrequest(status int) {
	t.requests--
	if status >= 0 && status < len(t.status) {
		t.status[status]--
		return
	}
	if t.odd[status]--; t.odd[status] == 0 {
		delete(t.odd, status)
	}
}
