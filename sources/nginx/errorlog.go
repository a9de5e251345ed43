package nginx

// errorlog.go parses the nginx error log (formats.md §2):
//
//	YYYY/MM/DD HH:MM:SS [level] PID#TID: *CONN message[ while ACTION][, client: IP][, server: NAME]
//	    [, request: "LINE"][, subrequest: "URI"][, upstream: "URL"][, host: "HOST"][, referrer: "URL"]
//
// The time has no zone: it is read in ParserOptions.Loc() by a
// sources.LocalClock, which tells the two passes of the hour repeated when
// clocks go back apart by continuity with the line before. Lines are cut at
// 2048 bytes, so the context may end anywhere. Reasons come from the
// message, with errno matched by number (glibc and musl word them apart).

import (
	"strings"
	"time"

	"fivexx/sources"
)

func init() {
	sources.Register(sources.Format{
		Name:   "nginx-error",
		Family: "nginx",
		Role:   sources.RoleProxyErrors,
		Detect: detectError,
		New: func(opts sources.ParserOptions) (sources.Parser, error) {
			return &ErrorParser{clock: sources.NewLocalClock(opts.Loc())}, nil
		},
		Doc: "nginx error log (connect() failed, upstream timed out, no live upstreams, limiting requests, ...)",
	})
}

// ErrorParser parses nginx error-log lines.
type ErrorParser struct {
	clock    *sources.LocalClock
	lastRaw  string
	lastTime time.Time
	reasons  reasonCache
}

// isErrorLevel reports whether s is an error-log level. A switch, which
// costs a tenth of a map lookup.
func isErrorLevel(s string) bool {
	switch s {
	case "debug", "info", "notice", "warn", "error", "crit", "alert", "emerg":
		return true
	}
	return false
}

// errorHeader is the fixed start of an error-log line.
type errorHeader struct {
	stamp string // "2006/01/02 15:04:05"
	level string
	rest  string // after "PID#TID: "
	// repeated: the stamp is splitHeaderAfter's last one.
	repeated bool
}

// stampLayout is the shape of an error line's time, '0' standing for
// its digits.
const stampLayout = "0000/00/00 00:00:00"

// stampWords is stampLayout as word8 loads it at 0, 8 and 11 (its 19
// bytes): the marks (0x80) of the digits' bytes, the other bytes and
// their mask, so that splitHeader checks the stamp by words.
var stampWords = func() (sw struct{ digits, seps, sepMask [3]uint64 }) {
	for i, at := range [3]int{0, 8, 11} {
		for b := range 8 {
			if c := stampLayout[at+b]; c == '0' {
				sw.digits[i] |= 0x80 << (8 * b)
			} else {
				sw.seps[i] |= uint64(c) << (8 * b)
				sw.sepMask[i] |= 0xFF << (8 * b)
			}
		}
	}
	return sw
}()

// isStamp reports whether s (19 bytes) has stampLayout's shape: its
// digits and separators by three words (a byte loop cost 180
// instructions a line).
func isStamp(s string) bool {
	sw := &stampWords
	w0, w1, w2 := word8(s, 0), word8(s, 8), word8(s, 11)
	return nonDigits(w0)&sw.digits[0]|nonDigits(w1)&sw.digits[1]|nonDigits(w2)&sw.digits[2] == 0 &&
		w0&sw.sepMask[0] == sw.seps[0] && w1&sw.sepMask[1] == sw.seps[1] && w2&sw.sepMask[2] == sw.seps[2]
}

// errorLevelWord is " [error]" as word8 loads it: most lines' level,
// which splitHeader takes by one compare rather than a search for the
// ']' and a switch (70 instructions a line).
var errorLevelWord = word8(" [error]", 0)

// splitHeader reads the time, level and PID#TID of a line.
func splitHeader(line string) (errorHeader, bool) {
	return splitHeaderAfter(line, "")
}

// splitHeaderAfter is splitHeader for a line that follows one whose
// stamp was last: a line with that stamp (most: a log writes many lines
// a second) has its shape, without isStamp's check (60 instructions).
func splitHeaderAfter(line, last string) (errorHeader, bool) {
	const stampLen = len("2006/01/02 15:04:05")
	if len(line) < stampLen+4 {
		return errorHeader{}, false
	}
	s := line[:stampLen]
	repeated := sameStamp(s, last)
	if !repeated && !isStamp(s) {
		return errorHeader{}, false
	}
	r := line[stampLen:]
	var level string
	if len(r) >= 8 && word8(r, 0) == errorLevelWord {
		level, r = r[2:7], r[8:]
	} else {
		if !strings.HasPrefix(r, " [") {
			return errorHeader{}, false
		}
		end := strings.IndexByte(r, ']')
		if end < 0 {
			return errorHeader{}, false
		}
		level = r[2:end]
		if !isErrorLevel(level) {
			return errorHeader{}, false
		}
		r = r[end+1:]
	}
	if len(r) < 2 || r[0] != ' ' {
		return errorHeader{}, false
	}
	// PID#TID: the digits of each word first (digitRun), then the
	// loop goes on past them, one byte when they were fewer than eight.
	i := 1
	if len(r) >= 1+8 {
		i += digitRun(word8(r, 1))
	}
	for i < len(r) && r[i] >= '0' && r[i] <= '9' {
		i++
	}
	if i == 1 || i >= len(r) || r[i] != '#' {
		return errorHeader{}, false
	}
	j := i + 1
	if len(r) >= j+8 {
		j += digitRun(word8(r, j))
	}
	for j < len(r) && r[j] >= '0' && r[j] <= '9' {
		j++
	}
	if j == i+1 || !strings.HasPrefix(r[j:], ":") {
		return errorHeader{}, false
	}
	rest := strings.TrimPrefix(r[j+1:], " ")
	return errorHeader{stamp: s, level: level, rest: rest, repeated: repeated}, true
}

func detectError(line string) int {
	if _, ok := splitHeader(line); ok {
		return 95
	}
	return 0
}

// Parse implements sources.Parser.
func (p *ErrorParser) Parse(line string) (sources.Record, error) {
	h, ok := splitHeaderAfter(line, p.lastRaw)
	if !ok {
		return nil, sources.ErrNoMatch
	}
	e := &sources.ProxyError{Level: h.level, Raw: line}
	if h.repeated {
		e.Time = p.lastTime
	} else {
		e.Time = p.stampTime(h.stamp)
	}
	rest := h.rest
	if len(rest) > 1 && rest[0] == '*' {
		i := 1
		if len(rest) >= 1+8 {
			i += digitRun(word8(rest, 1)) // the loop goes on past a word of digits
		}
		for i < len(rest) && rest[i] >= '0' && rest[i] <= '9' {
			i++
		}
		if i > 1 {
			e.Conn = rest[1:i]
			rest = strings.TrimPrefix(rest[i:], " ")
		}
	}
	msg, ctx := rest, ""
	if i := clientContext(rest); i >= 0 {
		msg, ctx = rest[:i], rest[i+2:]
	}
	e.Message = msg
	e.Action, e.Reason = p.reasons.read(msg, ctx == "")
	if ctx != "" {
		if !readContext(e, ctx) {
			parseErrorContext(e, ctx)
		}
	}
	if e.Request != "" {
		e.Method, e.Path, _ = splitRequest(e.Request)
	}
	e.UpstreamAddr = upstreamPeer(e.Upstream)
	return e, nil
}

// clientContext is strings.Index(rest, ", client: "), where the context
// starts, found by the commas of the message, which holds few: Index's
// search for the ten bytes costs several IndexByte calls (140
// instructions a line on the generated error log).
func clientContext(rest string) int {
	for from := 0; ; {
		i := strings.IndexByte(rest[from:], ',')
		if i < 0 {
			return -1
		}
		i += from
		if strings.HasPrefix(rest[i:], ", client: ") {
			return i
		}
		from = i + 1
	}
}

// messageAction returns where the action of an error message lies in
// it, msg[from:to]: what follows its last " while ". Lines without a
// request (ownContext) carry their own context after the action ("while
// resolving, resolver: 127.0.0.1:53"), which is cut off.
func messageAction(msg string, ownContext bool) (from, to int) {
	i := lastWhile(msg)
	if i < 0 {
		return 0, 0
	}
	from, to = i+len(" while "), len(msg)
	if ownContext {
		if j := strings.Index(msg[from:], ", "); j >= 0 {
			to = from + j
		}
	}
	return from, to
}

// lastWhile is strings.LastIndex(msg, " while "), found by the message's
// 'w's, of which it holds few: LastIndex hashes every byte, and
// LastIndexByte reads one at a time where IndexByte reads 32.
func lastWhile(msg string) int {
	last := -1
	for from := 1; from < len(msg); {
		w := strings.IndexByte(msg[from:], 'w')
		if w < 0 {
			break
		}
		w += from
		if strings.HasPrefix(msg[w-1:], " while ") {
			last = w - 1
		}
		from = w + 1
	}
	return last
}

// hasKey reports whether s starts with contextKeys[k]. Where s holds two
// words, by two masked word compares: HasPrefix with a key that is no
// constant calls memequal, a dozen times a line (112 instructions a line
// less, with this call, than that inlined).
func hasKey(s string, k int) bool {
	if len(s) < 16 {
		key := contextKeys[k]
		return s != "" && s[0] == key[0] && strings.HasPrefix(s, key)
	}
	c := &contextKeyWords[k]
	return word8(s, 0)&c.mask[0] == c.word[0] && word8(s, 8)&c.mask[1] == c.word[1]
}

// contextKeyWords are contextKeys (12 bytes at most) as two word8 loads
// give them, zero past the key's end, and the masks of its bytes.
var contextKeyWords = func() (kw [len(contextKeys)]struct{ word, mask [2]uint64 }) {
	for k, key := range contextKeys {
		for i := range len(key) {
			kw[k].word[i/8] |= uint64(key[i]) << (8 * (i % 8))
			kw[k].mask[i/8] |= 0xFF << (8 * (i % 8))
		}
	}
	return kw
}()

// sameStamp reports whether a == b, for stamps (19 bytes) by words rather
// than memequal's call.
func sameStamp(a, b string) bool {
	if len(a) != len(stampLayout) || len(b) != len(stampLayout) {
		return a == b
	}
	return word8(a, 0) == word8(b, 0) && word8(a, 8) == word8(b, 8) && word8(a, 11) == word8(b, 11)
}

// stampTime parses "2006/01/02 15:04:05" in the parser's zone, reusing the
// last result for lines of the same second. The clock keeps the file's
// times monotone across a daylight-saving change.
func (p *ErrorParser) stampTime(s string) time.Time {
	if sameStamp(s, p.lastRaw) {
		return p.lastTime
	}
	year, _ := num(s[0:4])
	mon, _ := num(s[5:7])
	day, _ := num(s[8:10])
	hh, _ := num(s[11:13])
	mm, _ := num(s[14:16])
	ss, _ := num(s[17:19])
	if mon < 1 || mon > 12 || day < 1 || day > 31 || hh > 23 || mm > 59 || ss > 60 {
		return time.Time{}
	}
	if p.clock == nil {
		p.clock = sources.NewLocalClock(nil)
	}
	t := p.clock.Date(year, time.Month(mon), day, hh, mm, ss, 0)
	p.lastRaw, p.lastTime = s, t
	return t
}

// contextKeys are the context fields nginx appends, in the order it writes them.
var contextKeys = [...]string{"client: ", "server: ", "request: ", "subrequest: ", "upstream: ", "host: ", "referrer: "}

// parseErrorContext reads "client: IP, server: NAME, request: "...", ...".
// A value ends where a later key starts; quoted values end at a quote
// followed by a later key or the end of the line, since the request line is
// logged raw and may itself hold quotes. A cut line leaves the last value
// open: what is there is kept.
func parseErrorContext(e *sources.ProxyError, ctx string) {
	k := 0
	for ctx != "" && k < len(contextKeys) {
		key := contextKeys[k]
		if !hasKey(ctx, k) {
			k++
			continue
		}
		v := ctx[len(key):]
		var val string
		if strings.HasPrefix(v, `"`) {
			val, ctx = quotedContextValue(v[1:], k)
		} else {
			end := nextContextKey(v, k)
			val, ctx = v[:end], v[end:]
		}
		ctx = strings.TrimPrefix(ctx, ", ")
		switch k {
		case 0:
			e.Client = val
		case 1:
			e.Server = val
		case 2:
			e.Request = val
		case 4:
			e.Upstream = val
		case 5:
			e.Host = val
		}
		k++
	}
}

// readContext is parseErrorContext for a context that starts with
// "client: " and whose other keys come in nginx's order, each after the
// one before, which it reads in one pass over its commas.
// parseErrorContext looks for the keys again from each value's start,
// and for a quoted value after each quote for each key: 2,600
// instructions a line on the generated error log, three times this.
// With the keys in order, a value ends at the next ", KEY: ", or when
// quoted at the next one a quote comes before (a quote inside the
// request line may come before a comma), which are the ends
// parseErrorContext's rules pick. It reports false, having set
// nothing, for any other context, where a fake key inside a value may
// be what ends it.
//
// A comma's ", KEY: " is looked up in sepsByHash and compared by two
// masked words: a call (HasPrefix's, or a function's of its own)
// spills the loop's registers, which costs as much again.
func readContext(e *sources.ProxyError, ctx string) bool {
	const clientKey = "client: "
	if !strings.HasPrefix(ctx, clientKey) {
		return false
	}
	var vals [len(contextKeys)]string
	k, last := 0, 0 // the value's key, and the last key seen
	start := len(clientKey)
	quoted := start < len(ctx) && ctx[start] == '"'
	for i := start; ; i++ {
		j := strings.IndexByte(ctx[i:], ',')
		if j < 0 {
			break
		}
		i += j
		key, sepLen := -1, 0
		if i+16 <= len(ctx) {
			w := word8(ctx, i)
			c := &sepsByHash[(byte(w>>16)^byte(w>>32))%uint8(len(sepsByHash))]
			if w&c.mask[0] == c.word[0] && word8(ctx, i+8)&c.mask[1] == c.word[1] {
				key, sepLen = c.key, c.len
			}
		} else {
			key, sepLen = shortSepAt(ctx[i:])
		}
		if key < 0 {
			continue
		}
		if key <= last {
			return false
		}
		last = key
		from, to := start, i
		if quoted {
			if ctx[i-1] != '"' || i <= start+1 {
				continue // inside the value
			}
			from, to = start+1, i-1
		}
		vals[k] = ctx[from:to]
		k, start = key, i+sepLen
		quoted = start < len(ctx) && ctx[start] == '"'
		i = start - 1 // past the key, which holds no comma
	}
	switch {
	case !quoted:
		vals[k] = ctx[start:]
	case ctx[len(ctx)-1] == '"' && len(ctx) > start+1:
		vals[k] = ctx[start+1 : len(ctx)-1]
	default:
		vals[k] = ctx[start+1:] // cut at 2048 bytes before the closing quote
	}
	e.Client, e.Server, e.Request, e.Upstream, e.Host = vals[0], vals[1], vals[2], vals[4], vals[5]
	return true
}

// shortSepAt returns the index of the context key of the ", KEY: " v
// starts with and the length of that ", KEY: ", or -1: readContext's
// compare for the last 15 bytes of a context, which sepsByHash's words
// would read past.
func shortSepAt(v string) (key, n int) {
	if len(v) < 2 || v[1] != ' ' {
		return -1, 0
	}
	for k := range contextKeys {
		if strings.HasPrefix(v[2:], contextKeys[k]) {
			return k, len(", ") + len(contextKeys[k])
		}
	}
	return -1, 0
}

// contextSep is one ", KEY: " as two word8 loads give it, zero past its
// end (16 bytes at most), the masks of its bytes, its key's index and
// its length. An unused entry has no mask and a word of 1, which
// nothing matches.
type contextSep struct {
	word, mask [2]uint64
	key, len   int
}

// sepsByHash holds the ", KEY: " of contextKeys, each at the XOR of its
// key's first and third bytes (bytes 2 and 4 of the ", KEY: "), which
// differ for every key, modulo 32: readContext looks a comma's ", KEY: "
// up there and compares it, where a switch on the bytes cost branches.
var sepsByHash = func() (t [32]contextSep) {
	for h := range t {
		t[h] = contextSep{word: [2]uint64{1, 1}, key: -1}
	}
	for k, key := range contextKeys {
		sep := ", " + key
		c := &t[(sep[2]^sep[4])%uint8(len(t))]
		if c.key >= 0 {
			panic("sepsByHash: two keys at one place")
		}
		*c = contextSep{key: k, len: len(sep)}
		for i := range len(sep) {
			c.word[i/8] |= uint64(sep[i]) << (8 * (i % 8))
			c.mask[i/8] |= 0xFF << (8 * (i % 8))
		}
	}
	return t
}()

// nextContextKey returns where ", KEY: " for a key after index k starts in
// v, or len(v): the first ", " that such a key follows. (No ", KEY: "
// holds another's start but at its own: each holds ", " only there.)
func nextContextKey(v string, k int) int {
	for i := 0; ; i++ {
		j := strings.IndexByte(v[i:], ',')
		if j < 0 {
			return len(v)
		}
		if i += j; i+1 < len(v) && v[i+1] == ' ' {
			for j := k + 1; j < len(contextKeys); j++ {
				if hasKey(v[i+2:], j) {
					return i
				}
			}
		}
	}
}

// quotedContextValue splits v (after an opening quote) at its closing
// quote. The request line is logged raw and may itself hold `", host: "`,
// so the end is the quote followed by the earliest key in nginx's order
// (a fake later key cannot come before a real earlier one), the last such
// quote when several are followed by that key, or the end of the line.
func quotedContextValue(v string, k int) (val, rest string) {
	best, bestKey := -1, len(contextKeys)
	for from := 0; ; {
		i := strings.IndexByte(v[from:], '"')
		if i < 0 {
			break
		}
		i += from
		from = i + 1
		after := v[i+1:]
		if after == "" {
			if best < 0 {
				return v[:i], ""
			}
			break
		}
		if !strings.HasPrefix(after, ", ") {
			continue
		}
		for j := k + 1; j < len(contextKeys) && j <= bestKey; j++ {
			if hasKey(after[2:], j) {
				best, bestKey = i, j
				break
			}
		}
	}
	if best < 0 {
		return v, "" // cut at 2048 bytes before the closing quote
	}
	return v[:best], v[best+1:]
}

// upstreamPeer takes the peer out of an upstream URL as nginx logs it:
// "http://10.0.0.1:8080/x" → "10.0.0.1:8080",
// "fastcgi://unix:/run/php.sock:" → "unix:/run/php.sock",
// "http://backend/" → "backend" (a group name).
func upstreamPeer(u string) string {
	if u == "" { // a third of the lines name no upstream
		return ""
	}
	if rest, ok := strings.CutPrefix(u, "http://"); ok { // most are: Index costs 60 instructions
		return peerOf(rest)
	}
	if i := strings.Index(u, "://"); i >= 0 {
		return peerOf(u[i+3:])
	}
	return peerOf(u)
}

// peerOf is upstreamPeer after the scheme: the peer up to the path.
func peerOf(s string) string {
	if strings.HasPrefix(s, "unix:") {
		if j := strings.IndexByte(s[5:], ':'); j >= 0 {
			return s[:5+j]
		}
		return s
	}
	if strings.HasPrefix(s, "[") {
		if j := strings.IndexByte(s, ']'); j >= 0 {
			if k := strings.IndexByte(s[j:], '/'); k >= 0 {
				return s[:j+k]
			}
			return s
		}
	}
	if j := strings.IndexByte(s, '/'); j >= 0 {
		return s[:j]
	}
	return s
}

// errnoOf returns the errno of the first "(N: text)" in msg as a Linux
// errno number, or 0. The BSDs and macOS number the socket errors
// differently (formats.md §2.4: ECONNREFUSED 61, ECONNRESET 54, ETIMEDOUT
// 60); such a number is taken as the error it is there when its text
// says so too, as on Linux it names errors no socket reports (61 is
// ENODATA).
func errnoOf(msg string) int {
	for from := 0; ; {
		i := strings.IndexByte(msg[from:], '(')
		if i < 0 {
			return 0
		}
		i += from + 1
		j := i
		for j < len(msg) && msg[j] >= '0' && msg[j] <= '9' {
			j++
		}
		if j > i && j-i <= 4 && strings.HasPrefix(msg[j:], ": ") {
			n := atoiSmall(msg[i:j])
			text := msg[j+2:]
			if k := strings.IndexByte(text, ')'); k >= 0 {
				text = text[:k]
			}
			if b, ok := bsdErrnoOf(n); ok && strings.Contains(strings.ToLower(text), b.says) {
				return b.linux
			}
			return n
		}
		from = i
	}
}

// Linux errno numbers nginx reports on upstream sockets.
const (
	errENOENT       = 2
	errEAGAIN       = 11
	errEACCES       = 13
	errEPIPE        = 32
	errENETUNREACH  = 101
	errECONNRESET   = 104
	errETIMEDOUT    = 110
	errECONNREFUSED = 111
	errEHOSTUNREACH = 113
)

// bsdErrnoOf returns bsdErrno's entry for n. Most numbers logged are
// Linux's, above the BSD ones: they skip the map lookup.
func bsdErrnoOf(n int) (e bsdError, ok bool) {
	if n < minBSDErrno || n > maxBSDErrno {
		return bsdError{}, false
	}
	e, ok = bsdErrno[n]
	return e, ok
}

// bsdError is a BSD errno's Linux number and a word of its strerror text.
type bsdError struct {
	linux int
	says  string
}

// The least and greatest of bsdErrno's numbers.
const minBSDErrno, maxBSDErrno = 35, 65

// bsdErrno maps FreeBSD, OpenBSD and macOS socket errno numbers to the
// Linux ones, with a word their strerror text has.
var bsdErrno = map[int]bsdError{
	35: {errEAGAIN, "temporarily unavailable"},
	51: {errENETUNREACH, "unreachable"},
	54: {errECONNRESET, "reset"},
	60: {errETIMEDOUT, "timed out"},
	61: {errECONNREFUSED, "refused"},
	65: {errEHOSTUNREACH, "no route to host"},
}

// reasonCacheBits sets how many messages a reasonCache keeps:
// 1<<reasonCacheBits.
const reasonCacheBits = 5

// maxReasonKey is how long a message may be for a reasonCache to keep
// it.
const maxReasonKey = 240

// reasonCache keeps the action and errorReason of the messages seen
// last. An error log repeats a few messages word for word (a refused
// connect, a timed-out read, a missing file), and errorReason looks for
// up to twenty phrases in each: about 3,000 instructions a line, against
// a hash and a compare; lastWhile's search of the message for the
// action costs 220 more. Direct-mapped: a slot keeps its own copy of
// the message (the line may lie in a recycled buffer) in an array, so
// that a miss allocates nothing; longer ones are not kept.
type reasonCache struct {
	slots [1 << reasonCacheBits]reasonSlot
}

// reasonSlot is one message of a reasonCache, its action as
// msg[actionFrom:actionTo], and its reason.
type reasonSlot struct {
	msgLen               int // 0: empty (an empty message is never kept)
	ownContext           bool
	actionFrom, actionTo int
	reason               sources.Reason
	key                  [maxReasonKey]byte
}

// read returns the action messageAction finds in msg and the errorReason of
// msg and that action, from the cache when it holds them.
func (c *reasonCache) read(msg string, ownContext bool) (action string, r sources.Reason) {
	n := len(msg)
	if n == 0 || n > maxReasonKey {
		from, to := messageAction(msg, ownContext)
		return msg[from:to], errorReason(msg, msg[from:to])
	}
	// The slot: the length and bytes spread over the message, mixed.
	h := uint64(n) ^ uint64(msg[n/4])<<16 ^ uint64(msg[n/3])<<24 ^
		uint64(msg[n/2])<<32 ^ uint64(msg[n-1])<<40
	if ownContext {
		h ^= 1 << 8
	}
	sl := &c.slots[h*0x9e3779b97f4a7c15>>(64-reasonCacheBits)]
	if sl.msgLen == n && sl.ownContext == ownContext && string(sl.key[:n]) == msg {
		return msg[sl.actionFrom:sl.actionTo], sl.reason
	}
	from, to := messageAction(msg, ownContext)
	action = msg[from:to]
	r = errorReason(msg, action)
	sl.msgLen, sl.ownContext, sl.actionFrom, sl.actionTo, sl.reason = n, ownContext, from, to, r
	copy(sl.key[:], msg)
	return action, r
}

// errorReason maps an error-log message to a reason (formats.md §2.2).
// A failure while "reading upstream" comes after the response header was
// sent, so the client got the upstream's status: it is AfterHeaders
// whatever the failure was.
func errorReason(msg, action string) sources.Reason {
	r := baseReason(msg, action)
	if strings.HasPrefix(action, "reading upstream") {
		switch r {
		case sources.ReasonReset, sources.ReasonReadTimeout, sources.ReasonConnectTimeout,
			sources.ReasonBadResponse, sources.ReasonRefused:
			return sources.ReasonAfterHeaders
		}
	}
	return r
}

func baseReason(msg, action string) sources.Reason {
	has := func(s string) bool { return strings.Contains(msg, s) }
	// Each search is a pass over the message, and most messages name none
	// of the phrases below, so a phrase is looked for only in a message
	// that holds a word it holds ("upstream", "upstreams", "limiting ",
	// "prematurely", "resolve", "SSL", "verify"): a handful of passes
	// instead of twenty. The words start with bytes most messages hold
	// few of: strings.Contains stops at each of them.
	// referenceBaseReason (reference_test.go) looks for each phrase.
	upstreamWord := has("upstream")
	upstream := strings.Contains(action, "upstream") || strings.HasPrefix(msg, "connect() to ") || upstreamWord
	clientSide := strings.Contains(action, "client")
	// "connect() failed" on Linux; "kevent() reported that connect()
	// failed" on the BSDs and macOS. Asked only when a case needs it.
	isConnect := func() bool {
		return upstream && (strings.HasPrefix(msg, "connect()") || has("that connect() failed"))
	}
	errno := errnoOf(msg)
	limiting := has("limiting ")
	switch {
	case upstreamWord && has("upstreams") && has("no live upstreams"):
		return sources.ReasonNoLiveUpstreams
	case limiting && has("limiting requests"):
		if has("dry run") { // dry run only logs; the request goes through
			return sources.ReasonNone
		}
		return sources.ReasonRateLimited
	case limiting && has("limiting connections"):
		if has("dry run") {
			return sources.ReasonNone
		}
		return sources.ReasonConnLimited
	case has("prematurely") && (has("client prematurely closed") || has("client closed prematurely")):
		return sources.ReasonClientAbort
	case has("resolve") && (has("could not be resolved") || has("no resolver defined")) || action == "resolving":
		return sources.ReasonDNS
	case upstream && (has("SSL") && (has("SSL_do_handshake() failed") || has("SSL certificate does not match") ||
		has("peer closed connection in SSL handshake")) || has("verify") && has("certificate verify")):
		return sources.ReasonTLS
	case upstreamWord && has("upstream timed out"):
		if strings.Contains(action, "connecting") {
			return sources.ReasonConnectTimeout
		}
		return sources.ReasonReadTimeout
	case errno == errETIMEDOUT && isConnect():
		return sources.ReasonConnectTimeout
	case (errno == errECONNREFUSED || errno == errENETUNREACH || errno == errEHOSTUNREACH ||
		errno == errENOENT || errno == errEACCES || errno == errEAGAIN) && isConnect():
		return sources.ReasonRefused
	case upstream && errno == errECONNREFUSED:
		return sources.ReasonRefused // recv() of a refused non-blocking connect
	case strings.HasPrefix(msg, "upstream sent ") || upstreamWord && has(" upstream sent "):
		// Every "upstream sent …" message is nginx refusing what came
		// back: an invalid, too big or duplicate header, a bad chunk or
		// status, more data than Content-Length, an unexpected FastCGI
		// record or protocol version.
		return sources.ReasonBadResponse
	case upstreamWord && has("prematurely") && has("upstream prematurely closed"):
		return sources.ReasonReset
	case upstream && (errno == errECONNRESET || errno == errEPIPE):
		return sources.ReasonReset
	case clientSide && (errno == errECONNRESET || errno == errEPIPE):
		return sources.ReasonClientAbort
	}
	return sources.ReasonNone
}
