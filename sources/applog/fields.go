package applog

import (
	"encoding/binary"
	"strconv"
	"strings"
	"time"

	"fivexx/sources"
)

// field is an AppEntry field (or a helper value) a key can fill.
type field uint8

const (
	fTime field = iota
	fLevel
	fMessage
	fRequestID
	fMethod
	fPath
	fStatus
	fDuration
	fInstance
	fRequestLine // "GET /x HTTP/1.1": fills method and path
	fURLQuery    // ECS url.query, joined to url.path
	fError       // the error a line reports (error, err, exception): joined to the message
	numFields
)

// unit says what a bare number under a duration key counts.
type unit uint8

const (
	// unitAuto: a fraction means seconds (zap), an integer of 1e6 or more
	// means nanoseconds (slog JSON writes time.Duration as int64 ns), a
	// smaller integer means milliseconds: integer seconds would lose all
	// sub-second detail, so apps that log integers log ms (Node) or ns (Go).
	unitAuto unit = iota
	unitS
	unitMS
	unitUS
	unitNS
	// unitText takes only Go duration strings ("12ms"); Heroku's
	// service=12ms shares its key with service names elsewhere.
	unitText
)

// keySpec says what a key fills and how strongly.
type keySpec struct {
	field field
	// rank orders keys filling the same field: lower wins, ties keep the first.
	rank uint8
	unit unit
	// nested keys are also found under req/request/http/ctx/res/response.
	// Time, level, message and instance are not: under req, "host" and
	// "hostname" name the HTTP Host header, not the instance.
	nested bool
	// strict level keys accept only known level words (Heroku's at=).
	strict bool
	// noQuery marks url.path, which ECS logs without the query (url.query).
	noQuery bool
}

// Ranks given to values found in free text rather than under a key.
const (
	rankRequestLine = 6 // method and path taken from a "request" value
	rankText        = 7 // METHOD /path, "-> 503", [req-…] in free text
	rankTextLevel   = 8 // a level word in free text
	rankTextMessage = 9 // the free text itself as the message
	rankSyslogHost  = 9 // the host of a syslog header as the instance
	rankLevelLetter = 9 // the severity letter of a Ruby Logger header
	rankUnset       = 255
)

// keyTable maps lower-cased keys and dotted paths to fields. The lists are
// formats.md §9.2 plus the shapes of slog, zap, logrus, pino(-http), bunyan,
// structlog, python-json-logger, logstash-logback, Serilog CLEF, ECS and the
// Heroku router.
var keyTable = map[string]keySpec{
	// time
	"time":       {field: fTime, rank: 0},
	"timestamp":  {field: fTime, rank: 1},
	"@timestamp": {field: fTime, rank: 1},
	"ts":         {field: fTime, rank: 2},
	"t":          {field: fTime, rank: 3},
	"@t":         {field: fTime, rank: 3},
	"asctime":    {field: fTime, rank: 4},

	// level
	"level":     {field: fLevel, rank: 0},
	"levelname": {field: fLevel, rank: 1},
	"severity":  {field: fLevel, rank: 1},
	"log.level": {field: fLevel, rank: 1},
	"lvl":       {field: fLevel, rank: 2},
	"@l":        {field: fLevel, rank: 2},
	"loglevel":  {field: fLevel, rank: 2},
	"at":        {field: fLevel, rank: 5, strict: true},

	// message
	"msg":     {field: fMessage, rank: 0},
	"message": {field: fMessage, rank: 1},
	"@m":      {field: fMessage, rank: 2},
	"event":   {field: fMessage, rank: 3}, // structlog
	"@mt":     {field: fMessage, rank: 4},
	"desc":    {field: fMessage, rank: 5}, // Heroku router

	// the error the line reports, which says more than a generic message
	// ("request failed"): zap, logrus and slog's error or err, pino's and
	// bunyan's err object, ECS error.message, Serilog CLEF @x, structlog's
	// and .NET's exception, python-json-logger's exc_info (a traceback)
	"error.message":     {field: fError, rank: 0},
	"err.message":       {field: fError, rank: 0},
	"exception.message": {field: fError, rank: 0},
	"error":             {field: fError, rank: 1},
	"err":               {field: fError, rank: 1},
	"exception":         {field: fError, rank: 2},
	"exc_info":          {field: fError, rank: 2},
	"@x":                {field: fError, rank: 2},

	// request id; pino's req.id is last: it is a per-process counter unless
	// genReqId is set, while req.headers.x-request-id is what the proxy sent.
	"request_id":           {field: fRequestID, rank: 1, nested: true},
	"requestid":            {field: fRequestID, rank: 1, nested: true},
	"req_id":               {field: fRequestID, rank: 1, nested: true},
	"reqid":                {field: fRequestID, rank: 1, nested: true},
	"x_request_id":         {field: fRequestID, rank: 1, nested: true},
	"x-request-id":         {field: fRequestID, rank: 1, nested: true},
	"request.id":           {field: fRequestID, rank: 1, nested: true}, // ECS http.request.id
	"headers.x-request-id": {field: fRequestID, rank: 1, nested: true},
	"correlation_id":       {field: fRequestID, rank: 2, nested: true},
	"correlationid":        {field: fRequestID, rank: 2, nested: true},
	"x-correlation-id":     {field: fRequestID, rank: 2, nested: true},
	"rid":                  {field: fRequestID, rank: 2, nested: true},
	"trace_id":             {field: fRequestID, rank: 3, nested: true},
	"traceid":              {field: fRequestID, rank: 3, nested: true},
	"trace.id":             {field: fRequestID, rank: 3, nested: true},
	"req.id":               {field: fRequestID, rank: 4},
	// Cloudflare's Cf-Ray header, "<RayID>-<COLO>", which joins Logpush's
	// RayID (sources.NormalizeRequestID); after the app's own request id.
	"cf_ray":         {field: fRequestID, rank: 2, nested: true},
	"cf-ray":         {field: fRequestID, rank: 2, nested: true},
	"headers.cf-ray": {field: fRequestID, rank: 2, nested: true},

	// method
	"method":         {field: fMethod, rank: 0, nested: true},
	"http_method":    {field: fMethod, rank: 1, nested: true},
	"request_method": {field: fMethod, rank: 1, nested: true},

	// path; the query is kept
	"request_uri":  {field: fPath, rank: 0, nested: true},
	"url.original": {field: fPath, rank: 0, nested: true},
	"path":         {field: fPath, rank: 1, nested: true},
	"uri":          {field: fPath, rank: 1, nested: true},
	"url.full":     {field: fPath, rank: 2, nested: true},
	"url":          {field: fPath, rank: 2, nested: true},
	"url.path":     {field: fPath, rank: 3, nested: true, noQuery: true},
	"route":        {field: fPath, rank: 5, nested: true}, // a template (/users/:id): last resort
	"url.query":    {field: fURLQuery, rank: 0, nested: true},
	"request":      {field: fRequestLine, rank: 0, nested: true},

	// status (res.statusCode, http.response.status_code and response.status
	// are found by stripping the req/res/http prefixes)
	"status":      {field: fStatus, rank: 0, nested: true},
	"status_code": {field: fStatus, rank: 0, nested: true},
	"statuscode":  {field: fStatus, rank: 0, nested: true},
	"http_status": {field: fStatus, rank: 1, nested: true},

	// ASP.NET Core's JsonConsole formatter: the message's values under
	// State (the Hosting lines' StatusCode, Method, Path, ElapsedMilliseconds;
	// Kestrel's TraceIdentifier), the request's scope under Scopes
	// (RequestId, RequestPath)
	"traceidentifier":     {field: fRequestID, rank: 1, nested: true},
	"requestpath":         {field: fPath, rank: 2, nested: true},
	"elapsedmilliseconds": {field: fDuration, rank: 1, unit: unitMS, nested: true},

	// duration
	"duration":         {field: fDuration, rank: 0, nested: true},
	"duration_ms":      {field: fDuration, rank: 0, unit: unitMS, nested: true},
	"durationms":       {field: fDuration, rank: 0, unit: unitMS, nested: true},
	"duration_s":       {field: fDuration, rank: 0, unit: unitS, nested: true},
	"duration_seconds": {field: fDuration, rank: 0, unit: unitS, nested: true},
	"duration_us":      {field: fDuration, rank: 0, unit: unitUS, nested: true},
	"duration_ns":      {field: fDuration, rank: 0, unit: unitNS, nested: true},
	"latency":          {field: fDuration, rank: 1, nested: true},
	"latency_ms":       {field: fDuration, rank: 1, unit: unitMS, nested: true},
	"latencyms":        {field: fDuration, rank: 1, unit: unitMS, nested: true},
	"latency_us":       {field: fDuration, rank: 1, unit: unitUS, nested: true},
	"latency_ns":       {field: fDuration, rank: 1, unit: unitNS, nested: true},
	"elapsed":          {field: fDuration, rank: 1, nested: true},
	"elapsed_ms":       {field: fDuration, rank: 1, unit: unitMS, nested: true},
	"elapsedms":        {field: fDuration, rank: 1, unit: unitMS, nested: true},
	"responsetime":     {field: fDuration, rank: 1, unit: unitMS, nested: true}, // pino-http
	"response_time":    {field: fDuration, rank: 1, nested: true},
	"response_time_ms": {field: fDuration, rank: 1, unit: unitMS, nested: true},
	"event.duration":   {field: fDuration, rank: 1, unit: unitNS, nested: true}, // ECS
	"took":             {field: fDuration, rank: 2, nested: true},
	"took_ms":          {field: fDuration, rank: 2, unit: unitMS, nested: true},
	"service":          {field: fDuration, rank: 4, unit: unitText}, // Heroku router

	// instance
	"instance":      {field: fInstance, rank: 0},
	"addr":          {field: fInstance, rank: 1},
	"listen":        {field: fInstance, rank: 2},
	"pod":           {field: fInstance, rank: 3},
	"pod_name":      {field: fInstance, rank: 3},
	"dyno":          {field: fInstance, rank: 3}, // Heroku
	"host.name":     {field: fInstance, rank: 4},
	"host.hostname": {field: fInstance, rank: 4},
	"hostname":      {field: fInstance, rank: 4},
	"host":          {field: fInstance, rank: 5},
	"port":          {field: fInstance, rank: 6},
}

// nestPrefix reports whether a path segment is one that request fields are
// nested under.
func nestPrefix(seg []byte) bool {
	switch string(seg) {
	case "req", "request", "http", "ctx", "res", "response", "state", "scopes":
		return true
	}
	return false
}

// escape says how a value's text is escaped.
type escape uint8

const (
	escNone escape = iota
	escJSON        // JSON string content with backslash escapes
	escGo          // a Go-quoted logfmt value, quotes included
)

// value is one value as logged.
type value struct {
	text   string // as logged, without quotes (except escGo, which keeps them)
	quoted bool   // a string, not a bare number or word
	null   bool   // JSON null
	esc    escape
}

// str returns the value's text with escapes resolved: as logged for most
// values, which have none (small enough to be inlined where it is called).
func (v value) str() string {
	if v.esc == escNone {
		return v.text
	}
	return v.unescape()
}

// unescape is str for a value with escapes.
func (v value) unescape() string {
	switch v.esc {
	case escJSON:
		return unescapeJSON(v.text)
	case escGo:
		if s, err := strconv.Unquote(v.text); err == nil {
			return s
		}
		return v.text[1 : len(v.text)-1] // a non-Go escape: keep it as logged
	}
	return v.text
}

// builder fills one AppEntry from key/value pairs and free text, keeping
// the best-ranked value per field.
type builder struct {
	e     *sources.AppEntry
	rank  [numFields]uint8
	idKey string // lower-cased ParserOptions.RequestIDKey
	clock *clock
	query string
	// pathFromURLPath: the path came from url.path, which has no query.
	pathFromURLPath bool
	// shape, when set, makes the builder only note which keys a line has
	// (detection) instead of filling an entry.
	shape *shape
	// keys, when set, caches lookups (parsers; detection goes without).
	keys *keyCache
	// spec holds the last uncached lookup: lookup returns a pointer, as a
	// keySpec returned by value travels byte by byte.
	spec keySpec
	// errText is the error the line reports (fError), joined to the
	// message by finish.
	errText string
}

// unsetRanks is rank before any key: every field open.
var unsetRanks = func() (r [numFields]uint8) {
	for i := range r {
		r[i] = rankUnset
	}
	return r
}()

// reset starts a new entry in e, which must be zero (fresh from
// entryPool.next): the entry is filled in place rather than in a scratch
// entry copied out, as copying a struct of strings costs write barriers.
func (b *builder) reset(e *sources.AppEntry) {
	e.Duration = -1
	b.e = e
	b.rank = unsetRanks
	b.query = ""
	b.pathFromURLPath = false
	b.errText = ""
}

// lookup finds what a lower-cased key path fills, trying the whole path,
// then the path with req/request/http/ctx/res/response prefixes stripped;
// nil when nothing. The result is valid until the next lookup.
func (b *builder) lookup(path []byte) *keySpec {
	n := len(path)
	if b.keys == nil || n == 0 || n > keySlotLen {
		spec, ok := lookup(path, b.idKey)
		if !ok {
			return nil
		}
		b.spec = spec
		return &b.spec
	}
	h := keyHash(path)
	s := &b.keys.slots[h]
	if !s.holds(path) {
		o := &b.keys.slots[h^1]
		switch {
		case o.holds(path):
			s = o
		case s.n == 0:
			s.fill(path, b.idKey)
		case o.n == 0:
			s = o
			s.fill(path, b.idKey)
		default:
			*o = *s // the older of the two goes
			s.fill(path, b.idKey)
		}
	}
	if !s.ok {
		return nil
	}
	return &s.spec
}

// newKeyCache returns an empty keyCache, its member openings matching no
// bytes (see memberKey.word).
func newKeyCache() *keyCache {
	c := new(keyCache)
	for k := range c.members.at {
		for j := range c.members.at[k] {
			c.members.at[k][j].word[0] = 1
		}
	}
	return c
}

// keyCache remembers what key paths resolved to, for one parser (its
// builder's idKey is part of every result). A logger writes the same few
// keys on every line, so nearly every lookup is a hit: a hash of the path's
// length and outer bytes picks a pair of slots, and the path is compared in
// full, so a collision or a new key only costs the map lookup it would have
// cost anyway. Paths longer than a slot holds are not cached. 256 slots of
// 40 bytes: room for a few dozen keys with few collisions.
type keyCache struct {
	slots   [keyCacheSlots]keySlot
	members memberKeys // a JSON line's top-level keys, by position
}

const (
	keyCacheBits  = 8
	keyCacheSlots = 1 << keyCacheBits
	keySlotLen    = 32 // longest path cached
)

// keySlot is one remembered lookup; n == 0 is an empty slot.
type keySlot struct {
	n    uint8
	ok   bool
	spec keySpec
	path [keySlotLen]byte
}

// holds reports whether the slot is for path.
func (s *keySlot) holds(path []byte) bool {
	return int(s.n) == len(path) && string(s.path[:s.n]) == string(path)
}

// fill looks path up into the slot; path is at most keySlotLen long.
func (s *keySlot) fill(path []byte, idKey string) {
	s.spec, s.ok = lookup(path, idKey)
	s.n = uint8(copy(s.path[:], path))
}

// memberKeys remembers, for each of the first members of a JSON line's
// top-level object, the last two openings seen there as logged and what
// their keys fill. A member's opening is the bytes from the end of the
// value before (or, for the first member, from its key) to its value: the
// ',', the key, the ':', any white space, and a string value's opening
// quote, as in `,"level":"`. A logger writes its keys in the same order and
// the same way on every line, so the opening at k is nearly always one of
// them: comparing its bytes with the remembered one costs a load or two,
// where scanning the separator and the key as a string, lower-casing and
// looking it up cost several times that. A key is remembered only when it
// has no escapes, so equal bytes mean an equal key: the lookup is the one
// for its lower-cased form.
//
// Where lines of many shapes mix, keys are mostly missed, and a miss costs
// the comparisons and the remembering on top of the lookup: after
// coldAfter lines in a row with more keys missed than found, lines are
// looked up key by key for the next coldLines lines, then tried again.
type memberKeys struct {
	at [maxMemberKeys][2]memberKey // [k][0] is the newer
	// unfound counts the keys of the current line not found, misses
	// those of them remembered. The keys found are the line's keys less
	// the unfound, worked out once at its end (endLine) rather than
	// counted one by one: an increment less for each key of every line.
	unfound, misses int
	bad             int // lines in a row with more misses than hits
	cold            int // lines left to parse without memberKeys
}

const (
	maxMemberKeys = 16 // top-level members remembered
	memberOpenLen = 40 // longest opening remembered
	coldAfter     = 8
	coldLines     = 256
)

// warm reports whether to use the keys for the next line, counting down
// the lines left without them.
func (m *memberKeys) warm() bool {
	if m.cold > 0 {
		m.cold--
		return false
	}
	return true
}

// endLine scores the line whose keys were just used; keys is how many it had.
func (m *memberKeys) endLine(keys int) {
	if hits := keys - m.unfound; m.misses > hits {
		if m.bad++; m.bad >= coldAfter {
			m.bad, m.cold = 0, coldLines
		}
	} else {
		m.bad = 0
	}
	m.unfound, m.misses = 0, 0
}

// memberKey is one remembered member opening; n == 0 is an empty slot.
type memberKey struct {
	n      uint8 // len(raw)
	ko, kl uint8 // the key, quotes included, is raw[ko:ko+kl]
	str    bool  // the value is a string: raw ends with its opening quote
	ok     bool  // the key fills a field, as spec says
	// stamp: the key fills the time and the value is a string, which
	// topObject first tries to read as clock.sameSecondUTC does.
	stamp bool
	// duration: the key fills the duration with a number, which topObject
	// first tries to read as durationAt does.
	duration bool
	// word and mask hold the first 16 bytes of raw as two little-endian
	// words, masked to its length, for openings compared in two loads.
	// Where they cannot tell the opening, as for an empty slot or one
	// longer than 16 bytes, word[0] is 1 and mask[0] 0, which no bytes
	// match, so that topObject need not look at n first.
	word, mask [2]uint64
	spec       keySpec
	raw        [memberOpenLen]byte // the opening as logged
	// known: the key fills the level, message, method or status, whose
	// values repeat from line to line ("INFO", "GET", 200). The last
	// value read under this opening is remembered with what set made of
	// it, its outcome (see outcome and takeKnown), so that the same bytes
	// on the next line cost two compares rather than a scan and a
	// conversion.
	known bool
	memo  valueMemo
	// text: the key fills the request id or the instance, which set takes
	// as they are when trimSpace keeps them whole (see takeText).
	text bool
	// textLen is the length of the last value taken as text, tried first
	// on the next line (see plainQuoted); 0: none.
	textLen uint8
	// path: the key fills the path, which set takes as it is when it
	// starts with '/' (see takePath).
	path bool
	// direct: the key fills the status with a number or the method with
	// a string, which topObject first tries to read as statusAt or
	// methodAt do, before the memo: these change from line to line (a
	// third of the biglog's differ from the line before's), and reading
	// them costs less than comparing them with the memo.
	direct direct
	// fast is the value's first try in topObject, one of the fast paths
	// above, worked out once here rather than asked flag by flag on
	// every line.
	fast fastKind
}

// fastKind says which fast path topObject tries a member's value with
// first. There are eight, so that the compiler makes the switch on it
// one indexed jump (it does from eight cases on) rather than a chain of
// compares: about seven instructions a member of the biglog.
type fastKind uint8

const (
	fastNone     fastKind = iota
	fastStatus            // statusAt, then the memo
	fastMethod            // methodAt, then the memo
	fastMemo              // the memo: a level or message
	fastStamp             // clock.sameSecondUTC
	fastText              // plainQuoted at the last length, and takeText
	fastPath              // plainEnd and takePath
	fastDuration          // durationWord, then durationAt
)

// direct says which of statusAt and methodAt a memberKey's value is tried with.
type direct uint8

const (
	directNone direct = iota
	directStatus
	directMethod
)

// memoLen is the most bytes a valueMemo holds: the value and the byte after it.
const memoLen = 24

// valueMemo is the last value read under a known key and its outcome.
type valueMemo struct {
	// on: the value's bytes and the one after it (a string's closing
	// quote, or the byte that ended a number) are in word and mask, as in
	// memberKey, and are at most memoLen: equal bytes are the same value,
	// scanned to the same end. The third word is compared only for values
	// of 15 bytes or more ("request finished").
	on         bool
	n          uint8 // the value's length, quotes not included
	word, mask [3]uint64
	// set says whether set takes the value (a level it knows, a method, a
	// status, a message that is not empty); what it fills the field with
	// is text for a level or method (a constant, never part of a line),
	// status for a status, and the value itself for a message.
	set    bool
	text   string
	status int
}

// predict returns the remembered opening at k (< maxMemberKeys) that s[i:]
// starts with, or nil.
//
// Not inlined: topObject writes its common case out, and inlined (as the
// profile would have it) the rest costs topObject's loop register moves.
//
//go:noinline
func (m *memberKeys) predict(k int, s string, i int) *memberKey {
	slots := &m.at[k&(maxMemberKeys-1)]
	for j := range slots {
		mk := &slots[j]
		if n := int(mk.n); n > 0 && n <= len(s)-i && s[i:i+n] == string(mk.raw[:n]) {
			return mk
		}
	}
	return nil
}

// learn remembers raw, a member's opening at k whose key, without escapes,
// is raw[ko:ko+kl], and what the lookup of the key's lower-cased form gave
// (nil: nothing), evicting the older of the two openings at k. str says
// raw ends with a string value's opening quote. raw is at most
// memberOpenLen long.
func (m *memberKeys) learn(k int, raw string, ko, kl int, str bool, spec *keySpec) *memberKey {
	m.misses++
	slots := &m.at[k&(maxMemberKeys-1)]
	slots[1] = slots[0]
	mk := &slots[0]
	mk.n, mk.ko, mk.kl, mk.str = uint8(len(raw)), uint8(ko), uint8(kl), str
	mk.ok = spec != nil
	mk.stamp, mk.duration, mk.known, mk.memo.on, mk.text, mk.path = false, false, false, false, false, false
	mk.textLen = 0
	mk.direct = directNone
	if mk.ok {
		mk.spec = *spec
		mk.stamp = str && spec.field == fTime
		mk.duration = !str && spec.field == fDuration && spec.unit != unitText
		switch {
		case spec.field == fStatus && !str:
			mk.direct = directStatus
		case spec.field == fMethod && str:
			mk.direct = directMethod
		}
		switch spec.field {
		case fLevel, fMessage, fMethod, fStatus:
			mk.known = true
		case fRequestID, fInstance:
			mk.text = true
		case fPath:
			mk.path = true
		}
	}
	mk.fast = fastNone
	switch {
	case mk.direct == directStatus:
		mk.fast = fastStatus
	case mk.direct == directMethod:
		mk.fast = fastMethod
	case mk.known:
		mk.fast = fastMemo
	case mk.stamp:
		mk.fast = fastStamp
	case mk.text && str:
		mk.fast = fastText
	case mk.path && str:
		mk.fast = fastPath
	case mk.duration:
		mk.fast = fastDuration
	}
	copy(mk.raw[:], raw)
	// The words are raw's first 16 bytes, zero past its end as the masks are.
	var first [16]byte
	copy(first[:], raw)
	mk.word = [2]uint64{binary.LittleEndian.Uint64(first[:8]), binary.LittleEndian.Uint64(first[8:])}
	mk.mask = [2]uint64{byteMask(len(raw)), byteMask(len(raw) - 8)}
	if len(raw) > 16 { // more than word and mask hold: left to predict
		mk.word[0], mk.mask[0] = 1, 0
	}
	return mk
}

// byteMask returns a word's mask for its first n bytes (none if n <= 0).
func byteMask(n int) uint64 {
	switch {
	case n <= 0:
		return 0
	case n >= 8:
		return ^uint64(0)
	}
	return 1<<(8*n) - 1
}

// keyHash picks a cache slot from a path's length and its first and last
// eight bytes (four, or all three, for shorter paths): cheap, and enough to
// tell apart the keys one log uses.
func keyHash(p []byte) uint {
	n := len(p)
	var a, z uint64
	switch {
	case n >= 8:
		a = binary.LittleEndian.Uint64(p)
		z = binary.LittleEndian.Uint64(p[n-8:])
	case n >= 4:
		a = uint64(binary.LittleEndian.Uint32(p))
		z = uint64(binary.LittleEndian.Uint32(p[n-4:]))
	case n > 0:
		a = uint64(p[0]) | uint64(p[n/2])<<8 | uint64(p[n-1])<<16
	}
	h := (a*0x9e3779b97f4a7c15 ^ z*0xc2b2ae3d27d4eb4f ^ uint64(n)) * 0xff51afd7ed558ccd
	return uint(h >> (64 - keyCacheBits))
}

// lookup finds what a lower-cased key path fills; idKey is an extra
// request id key, tried first.
func lookup(path []byte, idKey string) (keySpec, bool) {
	if isIDKey(path, idKey) {
		return keySpec{field: fRequestID, rank: 0}, true
	}
	if spec, ok := keyTable[string(path)]; ok {
		return spec, true
	}
	p := path
	for {
		dot := indexByte(p, '.')
		if dot < 0 || !nestPrefix(p[:dot]) {
			return keySpec{}, false
		}
		p = p[dot+1:]
		if isIDKey(p, idKey) {
			return keySpec{field: fRequestID, rank: 0}, true
		}
		if spec, ok := keyTable[string(p)]; ok && spec.nested {
			return spec, true
		}
	}
}

// isIDKey reports whether path is the extra request id key, also as a
// request header (pino-http logs req.headers).
func isIDKey(path []byte, idKey string) bool {
	if idKey == "" {
		return false
	}
	if h := "headers."; len(path) > len(h) && string(path[:len(h)]) == h {
		path = path[len(h):]
	}
	return string(path) == idKey
}

// key takes one key/value pair; path is the lower-cased dotted key.
func (b *builder) key(path []byte, v value) {
	if b.shape != nil {
		b.shape.note(path, v)
		return
	}
	if v.null {
		return
	}
	if spec := b.lookup(path); spec != nil {
		b.keyAs(spec, v)
	}
}

// outcome sets mk.memo to what set makes of text, a plain value (no
// escapes) under mk's known key; false when that is not a constant: a
// level word normLevel does not know is kept lower-cased, as set does,
// and an upper-case method it does not know is kept as logged, both
// parts of the line.
func (mk *memberKey) outcome(text string) bool {
	m := &mk.memo
	m.text, m.status = "", 0
	switch mk.spec.field {
	case fLevel:
		l, ok := normLevel(text, mk.spec.strict)
		if ok {
			if l, ok = levelConst(l); !ok {
				return false
			}
		}
		m.set, m.text = ok, l
	case fMethod:
		meth, ok := method(text)
		if ok {
			if meth, ok = httpMethod(meth); !ok {
				return false
			}
		}
		m.set, m.text = ok, meth
	case fStatus:
		m.status = status(text)
		m.set = m.status != 0
	case fMessage:
		m.set = text != ""
	}
	return true
}

// statusAt reads the JSON number at s[i:] as a status when it is three
// digits from 100 to 599 followed by ',' or '}', as nearly every logged
// status is: it returns what numberEnd and status give for it, with no
// call. false: anything else, left to them.
func statusAt(s string, i int) (int, bool) {
	if i < 0 || i > len(s)-4 {
		return 0, false
	}
	a, b, c, end := s[i], s[i+1], s[i+2], s[i+3]
	if a-'1' > 4 || b-'0' > 9 || c-'0' > 9 || end != ',' && end != '}' {
		return 0, false
	}
	return int(a-'0')*100 + int(b-'0')*10 + int(c-'0'), true
}

// methodAt reads the string content at s[i:] as a method when it is a
// standard one but CONNECT and TRACE, in upper case, and its closing
// quote: it returns the method as a constant, as set would fill it, and
// the index after the quote. false: anything else, left to the memo and
// to set. The first four bytes, read as one word, tell the method.
func methodAt(s string, i int) (string, int, bool) {
	if i < 0 || i > len(s)-8 {
		return "", 0, false
	}
	x := load64(s, i)
	const quote = '"'
	switch uint32(x) {
	case 'G' | 'E'<<8 | 'T'<<16 | quote<<24:
		return "GET", i + 4, true
	case 'P' | 'U'<<8 | 'T'<<16 | quote<<24:
		return "PUT", i + 4, true
	case 'P' | 'O'<<8 | 'S'<<16 | 'T'<<24:
		if byte(x>>32) == quote {
			return "POST", i + 5, true
		}
	case 'H' | 'E'<<8 | 'A'<<16 | 'D'<<24:
		if byte(x>>32) == quote {
			return "HEAD", i + 5, true
		}
	case 'P' | 'A'<<8 | 'T'<<16 | 'C'<<24:
		if uint16(x>>32) == 'H'|quote<<8 {
			return "PATCH", i + 6, true
		}
	case 'D' | 'E'<<8 | 'L'<<16 | 'E'<<24:
		if x>>32&0xffffff == 'T'|'E'<<8|quote<<16 {
			return "DELETE", i + 7, true
		}
	case 'O' | 'P'<<8 | 'T'<<16 | 'I'<<24:
		if x>>32 == 'O'|'N'<<8|'S'<<16|quote<<24 {
			return "OPTIONS", i + 8, true
		}
	}
	return "", 0, false
}

// levelConst returns the normalized level l spells as a constant.
func levelConst(l string) (string, bool) {
	switch l {
	case "debug":
		return "debug", true
	case "info":
		return "info", true
	case "warn":
		return "warn", true
	case "error":
		return "error", true
	case "fatal":
		return "fatal", true
	}
	return "", false
}

// takeKnown takes text, a value under mk's known key whose outcome is in
// mk.memo, as keyAs and set would.
func (b *builder) takeKnown(mk *memberKey, text string) {
	f := mk.spec.field
	if !mk.memo.set || mk.spec.rank >= b.rank[f] {
		return
	}
	e := b.e
	switch f {
	case fLevel:
		e.Level = mk.memo.text
	case fMethod:
		e.Method = mk.memo.text
	case fStatus:
		e.Status = mk.memo.status
	case fMessage:
		e.Message = text
	}
	b.rank[f] = mk.spec.rank
}

// known takes the plain value s[i:j] under mk's known key, as keyAs
// would, and remembers it with its outcome when it and the byte after it
// fit in two words; str says it is a string (s[j] is its closing quote).
func (b *builder) known(mk *memberKey, s string, i, j int, str bool) {
	text := s[i:j]
	if !mk.outcome(text) {
		mk.memo.on = false
		b.keyAs(&mk.spec, value{text: text, quoted: str})
		return
	}
	m := &mk.memo
	n := j - i
	m.on = n < memoLen && j < len(s) && i <= len(s)-memoLen
	if m.on {
		m.n = uint8(n)
		m.mask = [3]uint64{byteMask(n + 1), byteMask(n + 1 - 8), byteMask(n + 1 - 16)}
		m.word = [3]uint64{load64(s, i) & m.mask[0], load64(s, i+8) & m.mask[1], load64(s, i+16) & m.mask[2]}
	}
	b.takeKnown(mk, text)
}

// takeText takes t, a string without escapes under a request id or
// instance key, as keyAs and set would, when it is at least two bytes,
// starts and ends with a printable ASCII byte (trimSpace keeps it whole)
// and is not one none knows: an id or an address, as nearly all are.
// false: t is left to keyAs.
func (b *builder) takeText(spec *keySpec, t string) bool {
	if len(t) < 2 || t[0]-0x21 >= 0x5f || t[len(t)-1]-0x21 >= 0x5f || t == "null" || t == "<nil>" {
		return false
	}
	if f := spec.field; spec.rank < b.rank[f] {
		if f == fRequestID {
			b.e.RequestID = t
		} else {
			b.e.Instance = t
		}
		b.rank[f] = spec.rank
	}
	return true
}

// takePath takes t, a string without escapes under a path key, as keyAs
// and set would, when it starts with '/': a request target, which
// targetPath keeps as it is and none does not know, as nearly all are.
// false: t is left to keyAs.
func (b *builder) takePath(spec *keySpec, t string) bool {
	if t == "" || t[0] != '/' {
		return false
	}
	if spec.rank < b.rank[fPath] {
		b.e.Path = t
		b.pathFromURLPath = spec.noQuery
		b.rank[fPath] = spec.rank
	}
	return true
}

// keyAs takes a value for a key already looked up.
func (b *builder) keyAs(spec *keySpec, v value) {
	if v.null || spec.rank >= b.rank[spec.field] {
		return
	}
	b.set(spec, v)
}

// set converts a value for its field and keeps it when it makes sense.
func (b *builder) set(spec *keySpec, v value) {
	e := b.e
	switch spec.field {
	case fTime:
		t, ok := b.clock.value(v)
		if !ok {
			return
		}
		e.Time = t
	case fLevel:
		l, ok := normLevel(v.str(), spec.strict)
		if !ok {
			return
		}
		e.Level = l
	case fMessage:
		s := v.str()
		if s == "" {
			return
		}
		e.Message = s
	case fRequestID:
		s := trimSpace(v.str())
		if none(s) {
			return
		}
		e.RequestID = s
	case fMethod:
		m, ok := method(v.str())
		if !ok {
			return
		}
		e.Method = m
	case fPath:
		p := targetPath(v.str())
		if none(p) {
			return
		}
		e.Path = p
		b.pathFromURLPath = spec.noQuery
	case fStatus:
		text := v.str()
		if !v.quoted {
			// A bare value in text runs to the next space: "status=500:
			// db down" ends its status with the message's colon.
			text = trimStatus(text)
		}
		n := status(text)
		if n == 0 {
			return
		}
		e.Status = n
	case fDuration:
		d, ok := seconds(v, spec.unit)
		if !ok {
			return
		}
		e.Duration = d
	case fInstance:
		s := trimSpace(v.str())
		if none(s) {
			return
		}
		e.Instance = s
	case fURLQuery:
		b.query = v.str()
	case fError:
		if !b.setError(v) {
			return
		}
	case fRequestLine:
		s := v.str()
		m, p, ok := requestLine(s)
		switch {
		case ok:
			b.offer(fMethod, rankRequestLine, m)
			b.offer(fPath, rankRequestLine, p)
		case strings.HasPrefix(s, "/"): // "request":"/metrics"
			b.offer(fPath, rankRequestLine, s)
		default:
			return
		}
	}
	b.rank[spec.field] = spec.rank
}

// setError takes the error a line reports, for finish to join to the
// message; false when the value says none.
func (b *builder) setError(v value) bool {
	if !v.quoted && (v.text == "" || v.text == "true" || v.text == "false" || isDigit(v.text[0]) || v.text[0] == '&') {
		return false // "error":true, "err":1, err=&{0x2082280c0: a flag, a count, a Go pointer's dump
	}
	s := errorText(v.str())
	if none(s) {
		return false
	}
	b.errText = s
	return true
}

// offer fills a string field from free text when nothing better filled it.
func (b *builder) offer(f field, rank uint8, s string) {
	if b.e == nil || s == "" || rank >= b.rank[f] {
		return
	}
	switch f {
	case fLevel:
		b.e.Level = s
	case fMessage:
		b.e.Message = s
	case fRequestID:
		b.e.RequestID = s
	case fMethod:
		b.e.Method = s
	case fPath:
		b.e.Path = s
		b.pathFromURLPath = false
	case fInstance:
		b.e.Instance = s
	default:
		return
	}
	b.rank[f] = rank
}

// offerStatus fills the status from free text.
func (b *builder) offerStatus(rank uint8, n int) {
	if b.e == nil || n == 0 || rank >= b.rank[fStatus] {
		return
	}
	b.e.Status = n
	b.rank[fStatus] = rank
}

// offerDuration fills the duration from free text.
func (b *builder) offerDuration(rank uint8, d float64) {
	if b.e == nil || rank >= b.rank[fDuration] {
		return
	}
	b.e.Duration = d
	b.rank[fDuration] = rank
}

// finish completes the entry once every key is in.
func (b *builder) finish(service string) {
	e := b.e
	if b.pathFromURLPath && b.query != "" && strings.IndexByte(e.Path, '?') < 0 {
		e.Path += "?" + b.query
	}
	e.Service = service
	starting := false
	if e.Status == 0 || e.Method == "" || e.Path == "" {
		starting = b.hosting(e.Message)
	}
	if e.Status != 0 {
		// phaseOf's answer for a response status, without its call (it
		// is too big to inline): nearly every line of a request log.
		e.Phase = sources.PhaseEnd
	} else if e.Phase = phaseOf(e.Message, 0, e.RequestID != "" || e.Method != "" || e.Path != ""); starting && e.Phase == sources.PhaseOther {
		e.Phase = sources.PhaseStart
	}
	if b.errText != "" {
		e.Message = withError(e.Message, b.errText)
	}
}

// hosting reads the request from the message of ASP.NET Core's Hosting
// lines, when their State did not give it (a formatter that writes the
// message alone): "Request starting HTTP/1.1 GET http://host/api/x?a=1 -
// - -" gives the method and path, "Request finished HTTP/1.1 GET
// http://host/api/x - 500 0 - 12.3ms" the status too (ASP.NET Core 6 and
// later); "Request finished in 12.3ms 500 application/json" (3.1, 5) the
// status. It says whether the line is a request's start.
func (b *builder) hosting(msg string) bool {
	const starting, finished = "Request starting ", "Request finished "
	if len(msg) < len(starting)+4 || msg[0] != 'R' || !strings.HasPrefix(msg, "Request ") {
		return false
	}
	var rest string
	switch {
	case strings.HasPrefix(msg, starting):
		rest = msg[len(starting):]
	case strings.HasPrefix(msg, finished+"in "):
		// in 12.3ms 500 …
		f := strings.Fields(msg[len(finished)+3:])
		if len(f) >= 2 {
			b.offerStatus(rankText, status(f[1]))
		}
		return false
	case strings.HasPrefix(msg, finished):
		rest = msg[len(finished):]
	default:
		return false
	}
	f := strings.Fields(rest) // HTTP/1.1 GET http://host/x - 500 …
	if len(f) < 3 || !strings.HasPrefix(f[0], "HTTP/") || !isHTTPMethod(f[1]) {
		return false
	}
	b.offer(fMethod, rankText, f[1])
	b.offer(fPath, rankText, targetPath(f[2]))
	if msg[8] == 's' {
		return true
	}
	if len(f) >= 5 && f[3] == "-" {
		b.offerStatus(rankText, status(f[4]))
	}
	return false
}

// withError joins the error a line reports to its message, which the
// hints and the evidence quote: "request failed: dial tcp 10.0.0.5:5432:
// connect: connection refused" rather than "request failed". A message
// that already holds the error stays as it is; one the error holds gives
// way to it.
func withError(msg, err string) string {
	switch {
	case msg == "" || strings.Contains(err, msg):
		return err
	case strings.Contains(msg, err):
		return msg
	}
	return msg + ": " + err
}

// errorText is the line of an error value that says what failed: the
// first of a .NET or Java exception with its stack ("System.X: boom\r\n
// at …"), the last of a Python traceback ("ValueError: boom").
func errorText(s string) string {
	s = strings.TrimSpace(s)
	if strings.HasPrefix(s, "Traceback (most recent call last):") {
		if i := strings.LastIndexAny(s, "\r\n"); i >= 0 {
			return strings.TrimSpace(s[i+1:])
		}
		return s
	}
	if i := strings.IndexAny(s, "\r\n"); i >= 0 {
		return strings.TrimSpace(s[:i])
	}
	return s
}

// trimSpace is strings.TrimSpace for values that, as nearly all do, start
// and end with a printable ASCII byte: those it returns as they are, with
// no call. Other values may start or end with Unicode white space.
func trimSpace(s string) string {
	if len(s) > 0 && s[0]-0x21 < 0x5f && s[len(s)-1]-0x21 < 0x5f {
		return s
	}
	return strings.TrimSpace(s)
}

// none reports whether a value says "nothing here".
func none(s string) bool {
	return s == "" || s == "-" || s == "null" || s == "<nil>"
}

func indexByte(b []byte, c byte) int {
	for i, x := range b {
		if x == c {
			return i
		}
	}
	return -1
}

// levelWord maps a lower-cased level name to one of the five normalized
// levels. A switch rather than a map: it is asked on every line.
func levelWord(name []byte) (string, bool) {
	switch string(name) {
	case "trace", "debug", "dbg", "verbose":
		return "debug", true
	case "info", "information", "informational", "notice", "default":
		return "info", true
	case "warn", "warning":
		return "warn", true
	case "error", "err", "eror", "severe":
		return "error", true
	case "fatal", "critical", "crit", "panic", "dpanic", "emerg", "emergency", "alert":
		return "fatal", true
	}
	return "", false
}

// normLevel normalizes a logged level: names in any case, slog's "INFO+2",
// pino/bunyan numbers (10 trace … 60 fatal) and syslog severities (0–7).
// An unknown name is kept lower-cased unless strict is set.
func normLevel(s string, strict bool) (string, bool) {
	switch s { // the spellings of nearly every line, as slog and zap write them
	case "INFO", "info":
		return "info", true
	case "ERROR", "error":
		return "error", true
	case "WARN", "warn":
		return "warn", true
	case "DEBUG", "debug":
		return "debug", true
	case "":
		return "", false
	}
	if n, ok := atoiSmall(s); ok {
		switch {
		case n < 10: // syslog severity
			switch {
			case n <= 2:
				return "fatal", true
			case n == 3:
				return "error", true
			case n == 4:
				return "warn", true
			case n <= 6:
				return "info", true
			}
			return "debug", true
		case n < 30:
			return "debug", true
		case n < 40:
			return "info", true
		case n < 50:
			return "warn", true
		case n < 60:
			return "error", true
		}
		return "fatal", true
	}
	name := s
	for i := 0; i < len(s); i++ { // slog "INFO+2", "WARN-4"
		if s[i] == '+' || s[i] == '-' {
			if i > 0 {
				name = s[:i]
			}
			break
		}
	}
	var buf [16]byte
	if len(name) <= len(buf) {
		if l, ok := levelWord(lowerInto(buf[:0], name)); ok {
			return l, true
		}
	}
	if strict || len(s) > 32 {
		return "", false
	}
	return strings.ToLower(s), true
}

// atoiSmall parses a short unsigned decimal.
func atoiSmall(s string) (int, bool) {
	if s == "" || len(s) > 6 {
		return 0, false
	}
	n := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int(c-'0')
	}
	return n, true
}

// lowerInto appends s lower-cased (ASCII only) to dst. It copies first and
// lowers the copy where s has upper case: keys are mostly lower case already.
func lowerInto(dst []byte, s string) []byte {
	n := len(dst)
	dst = append(dst, s...)
	for i := 0; i < len(s); i++ {
		if c := s[i]; 'A' <= c && c <= 'Z' {
			dst[n+i] = c + ('a' - 'A')
		}
	}
	return dst
}

// trimStatus cuts the punctuation a status written in text may end
// with: "status 503." "status=500:" "(-> 502)".
func trimStatus(w string) string { return strings.TrimRight(w, ".,;:)") }

// status parses an HTTP status: "503", or the code leading "503 Service Unavailable".
func status(s string) int {
	if len(s) > 3 && s[3] == ' ' {
		s = s[:3]
	}
	if len(s) != 3 {
		return 0
	}
	n, ok := atoiSmall(s)
	if !ok || n < 100 || n > 599 {
		return 0
	}
	return n
}

// method returns an HTTP method upper-cased: a standard one in any case,
// or an upper-case token (WebDAV's PROPFIND). RPC method names ("getUser",
// "/pkg.Service/Call") are not HTTP methods.
func method(s string) (string, bool) {
	if s == "" || len(s) > 12 {
		return "", false
	}
	upper := true
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case 'A' <= c && c <= 'Z':
		case 'a' <= c && c <= 'z':
			upper = false
		default:
			return "", false
		}
	}
	if upper {
		return s, true
	}
	var buf [12]byte
	for i := 0; i < len(s); i++ {
		buf[i] = s[i] &^ 0x20
	}
	return httpMethod(buf[:len(s)])
}

// isHTTPMethod reports whether a word is taken as a method in free text.
func isHTTPMethod(s string) bool {
	_, ok := httpMethod(s)
	return ok
}

// httpMethod returns the method w spells as a constant: no allocation.
func httpMethod[T string | []byte](w T) (string, bool) {
	switch string(w) {
	case "GET":
		return "GET", true
	case "HEAD":
		return "HEAD", true
	case "POST":
		return "POST", true
	case "PUT":
		return "PUT", true
	case "DELETE":
		return "DELETE", true
	case "PATCH":
		return "PATCH", true
	case "OPTIONS":
		return "OPTIONS", true
	case "CONNECT":
		return "CONNECT", true
	case "TRACE":
		return "TRACE", true
	}
	return "", false
}

// targetPath turns a logged URL into a request target: an absolute URL
// loses its scheme and host (proxies log the target as sent), the query stays.
func targetPath(s string) string {
	if s == "" || s[0] != 'h' { // "/x": no scheme
		return s
	}
	rest, ok := strings.CutPrefix(s, "http://")
	if !ok {
		rest, ok = strings.CutPrefix(s, "https://")
	}
	if !ok {
		return s
	}
	if i := strings.IndexAny(rest, "/?"); i >= 0 {
		if rest[i] == '?' {
			return "/" + rest[i:]
		}
		return rest[i:]
	}
	return "/"
}

// requestLine splits "GET /x?y HTTP/1.1" into method and target.
func requestLine(s string) (string, string, bool) {
	m, rest, ok := strings.Cut(s, " ")
	if !ok || !isHTTPMethod(m) {
		return "", "", false
	}
	target, _, _ := strings.Cut(rest, " ")
	if target == "" {
		return "", "", false
	}
	return m, targetPath(target), true
}

// seconds converts a duration value to seconds.
func seconds(v value, u unit) (float64, bool) {
	if v.esc == escNone && u != unitText {
		if f, frac, ok := decimal(v.text); ok {
			return inSeconds(f, u, frac), true
		}
	}
	s := strings.TrimSpace(v.str())
	if s == "" {
		return 0, false
	}
	if d, ok := goDuration(s); ok {
		return d, true
	}
	if u == unitText {
		return 0, false
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || f < 0 || f != f || f > 1e18 {
		return 0, false
	}
	return inSeconds(f, u, strings.ContainsAny(s, ".eE")), true
}

// inSeconds converts a duration of f in unit u to seconds. Without a unit
// a number with a fraction is taken as seconds, a whole one as
// milliseconds, or as nanoseconds from 10^6 on.
func inSeconds(f float64, u unit, frac bool) float64 {
	switch u {
	case unitS:
		return f
	case unitMS:
		return f / 1e3
	case unitUS:
		return f / 1e6
	case unitNS:
		return f / 1e9
	}
	if frac {
		return f
	}
	if f >= 1e6 {
		return f / 1e9
	}
	return f / 1e3
}

// durationAt reads the JSON number at s[i:] as seconds in unit u, when it
// is one decimal reads: digits, without a leading zero unless alone, and
// an optional fraction, 15 digits at most, not followed by an exponent.
// It returns the seconds, the index after the number and true: what
// numberEnd and seconds give for it, in one pass. false: anything else,
// left to them.
func durationAt(s string, i int, u unit) (float64, int, bool) {
	if i >= 0 && i <= len(s)-8 {
		if d, j, ok := durationWord(load64(s, i)); ok {
			return inSeconds(d.f, u, d.frac), i + j, true
		}
	}
	start := i
	var n uint64
	for ; i < len(s) && isDigit(s[i]); i++ {
		n = n*10 + uint64(s[i]-'0')
	}
	digits := i - start
	if digits == 0 || digits > 1 && s[start] == '0' {
		return 0, 0, false
	}
	point := i
	if i < len(s) && s[i] == '.' {
		for i++; i < len(s) && isDigit(s[i]); i++ {
			n = n*10 + uint64(s[i]-'0')
		}
		if i == point+1 {
			return 0, 0, false
		}
		digits += i - point - 1
	}
	if digits > 15 || i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		return 0, 0, false
	}
	if i == point {
		return inSeconds(float64(n), u, false), i, true
	}
	return inSeconds(float64(n)/pow10[i-point-1], u, true), i, true
}

// wordDecimal is a number durationWord read: f, with a fraction or not.
type wordDecimal struct {
	f    float64
	frac bool
}

// durationWord is durationAt for a number that ends within x, the eight
// bytes from its start as a little-endian word, as "8.415," does: the
// digits before and after the point are counted and read as one number
// without a loop (leadingDigits and eightDigits, as fraction reads a
// stamp's): about 85 instructions for the biglog's durations, where
// durationAt's loop, a branch per digit, took about 140. It returns the
// number and its length; false when it does not end within x, or is not
// one durationAt takes.
func durationWord(x uint64) (wordDecimal, int, bool) {
	// Shift counts are masked with 63, which they never reach: it spares
	// the compiler's checks for shifts of 64 or more.
	n1 := uint(leadingDigits(x))
	if n1-1 >= 7 || n1 > 1 && byte(x) == '0' { // no digit, eight, or a leading zero
		return wordDecimal{}, 0, false
	}
	after := byte(x >> (8 * n1 & 63))
	if after != '.' {
		if after|0x20 == 'e' { // an exponent: 'e' or 'E'
			return wordDecimal{}, 0, false
		}
		return wordDecimal{f: float64(eightDigits(x << ((64 - 8*n1) & 63)))}, int(n1), true
	}
	frac := x >> (8 * (n1 + 1) & 63) // zero bytes shifted in are no digits
	n2 := uint(leadingDigits(frac))
	if n2 == 0 || n1+1+n2 >= 8 { // no digit after the point, or no end seen
		return wordDecimal{}, 0, false
	}
	if byte(frac>>(8*n2&63))|0x20 == 'e' {
		return wordDecimal{}, 0, false
	}
	// The digits before the point, then those after it, in one word,
	// the first in the top byte, as eightDigits reads them.
	digits := x<<((64-8*n1)&63)>>(8*n2&63) | frac<<((64-8*n2)&63)
	return wordDecimal{f: float64(eightDigits(digits)) / pow10[n2&15], frac: true}, int(n1 + 1 + n2), true
}

// decimal reads the numbers loggers write for durations, digits with an
// optional fraction ("8.415", "250"), as strconv.ParseFloat does and as
// fast: with at most 15 digits the digits are an exact float64 and so is
// the power of ten they are divided by, and IEEE division rounds the exact
// quotient correctly, which is ParseFloat's answer. frac says whether there
// was a fraction. Anything else (signs, exponents, spaces, more digits) is
// left to ParseFloat: ok is false.
func decimal(s string) (f float64, frac, ok bool) {
	var n uint64
	i := 0
	for ; i < len(s) && isDigit(s[i]); i++ {
		n = n*10 + uint64(s[i]-'0')
	}
	if i == len(s) { // digits only
		if i == 0 || i > 15 {
			return 0, false, false
		}
		return float64(n), false, true
	}
	point := i
	if point == 0 || s[point] != '.' {
		return 0, false, false
	}
	for i++; i < len(s) && isDigit(s[i]); i++ {
		n = n*10 + uint64(s[i]-'0')
	}
	if i != len(s) || i == point+1 || len(s)-1 > 15 {
		return 0, false, false
	}
	return float64(n) / pow10[len(s)-1-point], true, true
}

// pow10 holds the powers of ten decimal divides by, all exact in a float64.
var pow10 = [...]float64{1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15}

// goDuration parses a Go duration string with a unit ("1.5s", "150ms",
// "1m2.5s", "2.345µs"), as slog's TextHandler and %v write them.
func goDuration(s string) (float64, bool) {
	if s == "" || s[len(s)-1] < 'A' || (s[0] != '.' && (s[0] < '0' || s[0] > '9')) {
		return 0, false // no unit (or not a number): leave it to ParseFloat
	}
	d, err := time.ParseDuration(s)
	if err != nil || d < 0 {
		return 0, false
	}
	return d.Seconds(), true
}

// phaseOf says where in a request's life a message was written. A response
// status means the end (pino-http, slog HTTP middleware log it once, when
// done). Otherwise the words decide: started/began/begin/incoming/"received
// request" open, finished/completed/done/handled/errored close, but only on
// a line about a request (it names one, or carries a request id, method or
// path), so "Started App in 3.2 seconds" or "migration done" stay PhaseOther.
func phaseOf(msg string, status int, aboutRequest bool) sources.Phase {
	if status != 0 {
		return sources.PhaseEnd
	}
	start, end := false, false
	prevRequest, prevReceived := false, false
	const maxScan = 256 // the words that say it come first
	if len(msg) > maxScan {
		msg = msg[:maxScan]
	}
	var buf [16]byte
	for i := 0; i < len(msg); {
		for i < len(msg) && !isLetter(msg[i]) {
			i++
		}
		j := i
		for j < len(msg) && isLetter(msg[j]) {
			j++
		}
		if j == i {
			break
		}
		w := msg[i:j]
		i = j
		if len(w) < len("done") || len(w) > len("completed") { // none of the words below
			prevRequest, prevReceived = false, false
			continue
		}
		lw := lowerInto(buf[:0], w)
		switch string(lw) {
		case "finished", "completed", "done", "handled", "errored":
			end = true
		case "started", "begin", "began", "incoming":
			start = true
		case "received":
			start = start || prevRequest
		case "request", "requests":
			aboutRequest = true
			start = start || prevReceived
		}
		prevRequest = string(lw) == "request"
		prevReceived = string(lw) == "received"
	}
	switch {
	case !aboutRequest:
		return sources.PhaseOther
	case end:
		return sources.PhaseEnd
	case start:
		return sources.PhaseStart
	}
	return sources.PhaseOther
}

func isLetter(c byte) bool { return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' }
