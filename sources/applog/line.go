package applog

import (
	"fmt"
	"regexp"
	"strings"
	"time"

	"fivexx/sources"
)

// app-logfmt and app-text share this parser; they differ in detection only.
// A line is a record when it has a leading timestamp, opens with a level
// word (ERROR, [warn], info:), or carries key=value pairs (two, or one the
// key table knows). So an app log that mixes slog TextHandler lines with
// log.Printf lines parses under either name.

// lineParser parses app-logfmt and app-text lines.
type lineParser struct {
	name    string
	service string
	// accessFirst: the lines are an access log's (app-access), so each
	// is read as an access line before anything else, not after
	// analyze has read it as pairs and words for nothing.
	accessFirst bool
	idRE        *regexp.Regexp
	clock       clock
	b           builder
	stack       stack
	entries     entryPool
}

func newLineParser(name string, opts sources.ParserOptions) *lineParser {
	p := &lineParser{name: name, service: opts.Service, idRE: opts.RequestIDRegex, clock: newClock(opts.Loc()), accessFirst: name == FormatAccess}
	p.b.clock = &p.clock
	p.b.idKey = strings.ToLower(opts.RequestIDKey)
	p.b.keys = newKeyCache()
	return p
}

// Parse implements sources.Parser. A continuation line returns (nil, nil)
// and is appended to the previous entry's Raw (see stack.go).
func (p *lineParser) Parse(line string) (sources.Record, error) {
	if isBlank(line) {
		p.stack.blank(line)
		return nil, nil
	}
	if line[0] == '[' && p.stack.tagged(line) {
		return nil, nil
	}
	if kind, ok := traceLine(line); ok {
		if err := p.stack.attach(line, kind); err != nil {
			return nil, fmt.Errorf("%s: %w", p.name, err)
		}
		return nil, nil
	}
	if e := p.stack.panicEntry(line, p.service); e != nil {
		return e, nil
	}
	if p.accessFirst {
		if e := p.access(line); e != nil {
			p.stack.record(e)
			return e, nil
		}
	}
	if e := p.record(line, p.stack.inTrace()); e != nil {
		p.stack.record(e)
		if len(line) > 3 && line[1] == ',' {
			p.stack.tags, p.stack.tagMessage = rubyTags(line)
			// The tags are the line's: kept as a copy, the line lies in
			// the reader's buffer.
			if p.stack.tags != "" {
				p.stack.tags = strings.Clone(p.stack.tags)
			}
		}
		return e, nil
	}
	if e := p.access(line); e != nil {
		p.stack.record(e)
		return e, nil
	}
	if p.stack.inTrace() {
		return nil, p.stack.attach(line, traceNone)
	}
	return nil, fmt.Errorf("%s: no timestamp, level or key=value pairs: %w", p.name, sources.ErrNoMatch)
}

// ParseAppSlot implements sources.AppSlotParser.
func (p *lineParser) ParseAppSlot(line string, s *sources.AppSlot) (sources.Record, error) {
	p.entries.slot(s)
	defer p.entries.done()
	return p.Parse(line)
}

// record parses a line into a new entry, or returns nil when the line is
// not a record; an access line's entry is access's. Inside a stack trace, pairs alone are not enough (Go's
// "[signal SIGSEGV: … code=0x1 addr=0x0 pc=0x4a1b2c]"): the line must have a
// timestamp, open with a level word, or carry a time, level or message key.
func (p *lineParser) record(line string, inTrace bool) *sources.AppEntry {
	b := &p.b
	e := p.entries.next()
	b.reset(e)
	info := analyze(line, b, p.idRE, &p.clock)
	if !info.stamped && !info.firstKV && clfStamp(line) > 0 {
		// An access line (access.go), whose pairs are what its format
		// adds after the request's: read as pairs, one that ends in a
		// request id field (rid=...) kept the id alone.
		if a := p.access(line); a != nil {
			return a
		}
		// Not one after all: as pairs. (access took e back.)
		e = p.entries.next()
		b.reset(e)
		info = analyze(line, b, p.idRE, &p.clock)
	}
	switch {
	case info.stamped || info.levelFirst || info.logKey:
	case inTrace:
		return nil
	case info.kv < 2 && !(info.kv == 1 && info.known):
		return nil
	}
	if info.msgStart >= 0 && info.msgEnd > info.msgStart {
		msg := strings.TrimLeft(line[info.msgStart:info.msgEnd], " \t-:|")
		b.offer(fMessage, rankTextMessage, strings.TrimSpace(msg))
	}
	if e.Status == 0 && e.Method != "" {
		// an access line's status after its quoted request line
		// (uvicorn: "GET /x HTTP/1.1" 500 Internal Server Error)
		b.offerStatus(rankText, quotedStatus(line))
	}
	b.offer(fInstance, rankSyslogHost, info.host)
	b.finish(p.service)
	e.Raw = line
	p.entries.keep()
	return e
}

// access parses a line of the app's access log (access.go) into a new
// entry, or returns nil when the line is not one. Its request id is what
// --app-request-id's regexp takes, else a trailing id field (tailID).
func (p *lineParser) access(line string) *sources.AppEntry {
	if line[0] == ' ' || line[0] == '[' || line[0] == '{' {
		return nil
	}
	e := p.entries.next()
	tail, ok := clfLine(line, e, p.clock.loc)
	if !ok {
		return nil
	}
	if p.idRE != nil {
		if m := p.idRE.FindStringSubmatchIndex(line); m != nil {
			e.RequestID = line[m[0]:m[1]]
			if len(m) >= 4 && m[2] >= 0 {
				e.RequestID = line[m[2]:m[3]]
			}
		}
	}
	if e.RequestID == "" && tail < len(line) {
		e.RequestID = p.b.tailID(line[tail:])
	}
	e.Service = p.service
	e.Phase = sources.PhaseEnd
	e.Raw = line
	p.entries.keep()
	return e
}

// lineInfo is what analyze found in a line.
type lineInfo struct {
	stamped    bool
	stamp      stampKind
	tag        string // syslog tag ("heroku[router]:")
	host       string // syslog host
	kv         int    // key=value tokens
	firstKV    bool   // the first token after the header is a pair
	known      bool   // a key the table knows
	logKey     bool   // a time, level or message key
	bare       int    // free-text words (punctuation alone not counted)
	levelFirst bool   // the first word is a strong level word
	level      bool   // a level word was found in free text
	// msgStart..msgEnd is the free text: from after the level word (or the
	// first word) to the start of the trailing key=value pairs; -1 if none.
	msgStart, msgEnd int
}

// analyze scans a logfmt or text line: optional <PRI>, leading timestamp
// (bare or in brackets), syslog header, then tokens. Pairs go to the
// builder's key table; free text is searched for a level word, a request
// id in brackets, "METHOD /path", "-> 503", "status 503" and "in 12ms".
// A builder with shape set only notes keys (detection).
func analyze(line string, b *builder, idRE *regexp.Regexp, c *clock) lineInfo {
	info := lineInfo{msgStart: -1, msgEnd: len(line)}
	s := line
	i := priLen(s)
	if t, n, kind := stampAt(c, s, i); n > 0 {
		info.stamped, info.stamp = true, kind
		i += n
		if b.shape == nil {
			b.e.Time = t
			b.rank[fTime] = 0
		}
		i = info.syslogHeader(s, i)
	} else if t, n, letter := rubyHeader(c, s, i); n > 0 {
		// The level word follows the header; the letter stands in when a
		// formatter left the word out.
		info.stamped, info.stamp = true, stampISO
		i += n
		if b.shape == nil {
			b.e.Time = t
			b.rank[fTime] = 0
		}
		b.offer(fLevel, rankLevelLetter, letter)
	}
	if idRE != nil && b.shape == nil {
		if m := idRE.FindStringSubmatchIndex(line); m != nil {
			id := line[m[0]:m[1]]
			if len(m) >= 4 && m[2] >= 0 {
				id = line[m[2]:m[3]]
			}
			b.offer(fRequestID, 0, id)
		}
	}
	var (
		path      [maxKeyPath]byte
		idx       int // tokens after the header, punctuation not counted
		runStart  = -1
		firstBare = -1
		levelEnd  = -1
		prev      string // the bare word before, "" after a pair
		tok       token
	)
	for {
		next, ok := scanToken(s, i, &tok)
		if !ok {
			break
		}
		i = next
		if tok.key != "" {
			info.firstKV = info.firstKV || info.kv+info.bare == 0
			info.kv++
			if len(tok.key) <= maxKeyPath {
				p := lowerInto(path[:0], tok.key)
				spec := b.lookup(p)
				if spec != nil {
					info.known = true
					info.logKey = info.logKey || spec.field <= fMessage
				}
				switch {
				case b.shape != nil:
					b.shape.note(p, tok.val)
				case spec != nil:
					b.keyAs(spec, tok.val)
				}
			}
			if runStart < 0 {
				runStart = tok.start
			}
			prev = ""
			idx++
			continue
		}
		runStart = -1
		w := s[tok.start:tok.end]
		if punctuation(w) {
			prev = w
			continue
		}
		info.bare++
		if firstBare < 0 {
			firstBare = tok.start
		}
		if idx < 4 && !info.level {
			if l, strong, ok := levelToken(w, idx == 0); ok {
				info.level = true
				info.levelFirst = idx == 0 && strong
				levelEnd = tok.end
				b.offer(fLevel, rankTextLevel, l)
			}
		}
		if b.shape == nil {
			freeText(b, prev, w)
		}
		prev = w
		idx++
	}
	switch {
	case levelEnd >= 0:
		info.msgStart = levelEnd
	case firstBare >= 0:
		info.msgStart = firstBare
	}
	if runStart >= 0 {
		info.msgEnd = runStart
	}
	return info
}

// stampAt reads a timestamp at s[i], bare or in brackets ("[2024-01-02
// 03:04:05]", as PHP's Monolog writes). In brackets, a zone-less stamp may
// be followed by a spaced strftime %z offset: gunicorn's error log writes
// "[2024-01-02 03:05:09 +0000]". It must end at a word boundary.
func stampAt(c *clock, s string, i int) (time.Time, int, stampKind) {
	t, n, kind := c.scan(s[i:])
	if n == 0 && i < len(s) && s[i] == '[' {
		t, n, kind = c.scan(s[i+1:])
		if n == 0 {
			return time.Time{}, 0, stampNone
		}
		end := i + 1 + n
		if off, m, ok := spacedOffset(s, end); ok && !zoned(s[i+1:end], kind) {
			t = inZone(t, c.fixed(off))
			end += m
		}
		if end >= len(s) || s[end] != ']' {
			return time.Time{}, 0, stampNone
		}
		n = end + 1 - i
	}
	if n == 0 || i+n < len(s) && (isLetter(s[i+n]) || isDigit(s[i+n])) {
		return time.Time{}, 0, stampNone
	}
	return t, n, kind
}

// rubyHeader reads the header of Ruby's Logger, Rails' default: the
// severity's letter, then the time (local, no zone) and the pid in
// brackets, "E, [2024-01-02T03:05:09.123456 #1234]". It returns the time,
// the header's length and the level the letter stands for ("" for A, ANY).
// The level word and " -- progname: " follow it.
func rubyHeader(c *clock, s string, i int) (time.Time, int, string) {
	if i+4 > len(s) || s[i+1] != ',' || s[i+2] != ' ' || s[i+3] != '[' {
		return time.Time{}, 0, ""
	}
	var level string
	switch s[i] {
	case 'D':
		level = "debug"
	case 'I':
		level = "info"
	case 'W':
		level = "warn"
	case 'E':
		level = "error"
	case 'F':
		level = "fatal"
	case 'A':
	default:
		return time.Time{}, 0, ""
	}
	t, n, kind := c.scan(s[i+4:])
	if n == 0 || kind != stampISO {
		return time.Time{}, 0, ""
	}
	// Ruby before 2.x wrote the stamp with a trailing space and no space
	// before '#'; since, the space is in the format: one either way.
	j := i + 4 + n
	for j < len(s) && s[j] == ' ' {
		j++
	}
	if j >= len(s) || s[j] != '#' {
		return time.Time{}, 0, ""
	}
	k := j + 1
	for k < len(s) && isDigit(s[k]) {
		k++
	}
	if k == j+1 || k >= len(s) || s[k] != ']' {
		return time.Time{}, 0, ""
	}
	return t, k + 1 - i, level
}

// spacedOffset reads " ±HHMM" (also ±HH:MM, ±HH) at s[i:] and returns
// its seconds east of UTC and its length.
func spacedOffset(s string, i int) (int, int, bool) {
	if i+2 >= len(s) || s[i] != ' ' || s[i+1] != '+' && s[i+1] != '-' {
		return 0, 0, false
	}
	off, m, ok := offset(s[i+1:])
	return off, m + 1, ok
}

// zoned reports whether a stamp scan read carries its own zone: only ISO
// stamps can, after the seconds and fraction.
func zoned(stamp string, kind stampKind) bool {
	if kind != stampISO {
		return false
	}
	_, end := fraction(stamp, 19)
	return len(stamp) > end
}

// inZone returns the wall clock t shows, read in loc instead: a stamp
// scanned as zone-less whose zone came after it.
func inZone(t time.Time, loc *time.Location) time.Time {
	y, mo, d := t.Date()
	h, mi, sec := t.Clock()
	return time.Date(y, mo, d, h, mi, sec, t.Nanosecond(), loc)
}

// syslogHeader skips "tag[pid]:" or "host tag[pid]:" after the timestamp
// (RFC 3164 also "host tag:") and returns the index after it.
func (info *lineInfo) syslogHeader(s string, i int) int {
	t1, n1, ok := nextToken(s, i)
	if !ok || t1.key != "" {
		return i
	}
	w1 := s[t1.start:t1.end]
	if strings.HasSuffix(w1, "]:") && !strings.HasPrefix(w1, "[") {
		info.tag = w1
		return n1
	}
	if strings.HasPrefix(w1, "[") || strings.HasSuffix(w1, ":") {
		return i
	}
	if _, _, lvl := levelToken(w1, true); lvl {
		return i
	}
	t2, n2, ok := nextToken(s, n1)
	if !ok || t2.key != "" {
		return i
	}
	w2 := s[t2.start:t2.end]
	if strings.HasSuffix(w2, "]:") && !strings.HasPrefix(w2, "[") || info.stamp == stampSyslog && len(w2) > 1 && strings.HasSuffix(w2, ":") {
		info.host, info.tag = w1, w2
		return n2
	}
	return i
}

// freeText looks for request facts in a free-text word w following prev.
func freeText(b *builder, prev, w string) {
	if w[0] == '[' {
		if id := bracketID(w); id != "" {
			b.offer(fRequestID, rankText, id)
		}
		return
	}
	if prev == "" {
		return
	}
	if m := strings.TrimLeft(prev, "\""); isHTTPMethod(m) {
		// The target may be quoted on its own: Rails' `Started GET "/api"`.
		target := strings.TrimLeft(w, "\"")
		if strings.HasPrefix(target, "/") || strings.HasPrefix(target, "http://") || strings.HasPrefix(target, "https://") {
			b.offer(fMethod, rankText, m)
			b.offer(fPath, rankText, targetPath(strings.TrimRight(target, "\",")))
			return
		}
	}
	switch {
	// Rails ends a request with "Completed 500 Internal Server Error in
	// 12ms"; only its capitalised word, as "completed 200 jobs" is no status.
	case prev == "->" || prev == "=>" || prev == "Completed" || strings.EqualFold(strings.TrimSuffix(prev, ":"), "status"):
		b.offerStatus(rankText, status(trimStatus(w)))
	case prev == "in" || prev == "took":
		if d, ok := goDuration(strings.TrimRight(w, ".,;)")); ok {
			b.offerDuration(rankText, d)
		}
	}
}

// bracketID reads a request id in brackets: "[req-4f7c2c8d]" (kept whole),
// "[request_id=abc]" / "[rid:abc]" (the value), or a bare UUID or hex id of
// 16+ digits. Thread names ("[main]", "[http-nio-8080-exec-1]") are not ids.
func bracketID(w string) string {
	w = strings.TrimSuffix(w, ":")
	if len(w) < 3 || w[0] != '[' || w[len(w)-1] != ']' {
		return ""
	}
	in := w[1 : len(w)-1]
	if k, v, ok := cutAny(in, "=:"); ok {
		var buf [maxKeyPath]byte
		if len(k) <= maxKeyPath {
			if spec, ok := keyTable[string(lowerInto(buf[:0], k))]; ok && spec.field == fRequestID && !none(v) {
				return v
			}
		}
		return ""
	}
	for _, pre := range []string{"req-", "req_", "request-", "rid-", "trace-"} {
		if len(in) > len(pre) && strings.EqualFold(in[:len(pre)], pre) {
			return in
		}
	}
	hex := 0
	for i := 0; i < len(in); i++ {
		c := in[i]
		switch {
		case isDigit(c) || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F':
			hex++
		case c != '-':
			return ""
		}
	}
	if hex >= 16 {
		return in
	}
	return ""
}

func cutAny(s, seps string) (string, string, bool) {
	if i := strings.IndexAny(s, seps); i >= 0 {
		return s[:i], s[i+1:], true
	}
	return s, "", false
}

// punctuation reports whether a word is only separators ("-", "|", "->").
func punctuation(w string) bool {
	for i := 0; i < len(w); i++ {
		switch w[i] {
		case '-', '|', '>', '=', ':', '*':
		default:
			return false
		}
	}
	return true
}

// priLen returns the length of a leading syslog "<PRI>" (up to 3 digits).
func priLen(s string) int {
	if len(s) < 3 || s[0] != '<' {
		return 0
	}
	for i := 1; i < len(s) && i <= 4; i++ {
		if s[i] == '>' {
			if i == 1 {
				return 0
			}
			return i + 1
		}
		if !isDigit(s[i]) {
			return 0
		}
	}
	return 0
}

// Detection runs on sample lines with no parser options; these stand in.
var (
	detectLoc = time.UTC
	detectNow = func() time.Time { return time.Time{} }
)
