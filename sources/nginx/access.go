package nginx

// access.go registers the nginx access-log formats: the stock combined
// layout (and its "main" variant), a user log_format, combined followed by
// key=value upstream fields, and ingress-nginx's default upstreaminfo.

import (
	"errors"
	"strings"
	"sync"

	"fivexx/sources"
)

// The log_format strings of the layouts registered here.
const (
	// CombinedFormat is nginx's predefined "combined" format.
	CombinedFormat = `$remote_addr - $remote_user [$time_local] "$request" $status $body_bytes_sent "$http_referer" "$http_user_agent"`
	// MainFormat is the "main" format of the stock nginx.conf, the official
	// Docker image and RHEL-family packages: combined + X-Forwarded-For.
	MainFormat = CombinedFormat + ` "$http_x_forwarded_for"`
	// IngressFormat is ingress-nginx's default log-format-upstream.
	IngressFormat = CombinedFormat + ` $request_length $request_time [$proxy_upstream_name] [$proxy_alternative_upstream_name] $upstream_addr $upstream_response_length $upstream_response_time $upstream_status $req_id`
)

// Detection scores: more specific layouts score higher on the lines they fit.
const (
	scoreCombined = 80
	scoreUpstream = 90
	scoreIngress  = 95
	// scoreStreamError: an nginx error line in an access format's stream
	// (ingress-nginx's, a container's stdout and stderr: stream.go). Lower
	// than nginx-error's 95, so that an error log alone stays nginx-error,
	// and high enough that a stream of both is the access format's while
	// its error lines are fewer than about 84 % of them (80 on every line
	// against 95 on the error lines). At 0, a container's stream during an
	// outage (a 502 writes an error line and an access line: half of
	// them) was decided nginx-error, and its access lines went unread.
	scoreStreamError  = 80
	scoreIngressError = scoreStreamError
)

func init() {
	// Every access format is Stateless: each line carries its time with a
	// zone ($time_local, $time_iso8601) or as an epoch ($msec), so the
	// lines of a file may be parsed in parallel. Their parsers read the
	// nginx error lines in the same stream too (readsErrorLines: a
	// container's stdout and stderr), at the offset of the access line
	// before them in their chunk (stream.go).
	sources.Register(sources.Format{
		Name:      "nginx-combined",
		Family:    "nginx",
		Stateless: true,
		Role:      sources.RoleProxy,
		Detect:    detectCombined,
		New:       readsErrorLines(func(sources.ParserOptions) (sources.Parser, error) { return newCombinedParser(), nil }),
		Doc:       "nginx access log, predefined combined format (or main = combined + X-Forwarded-For)",
	})
	sources.Register(sources.Format{
		Name:      "nginx",
		Family:    "nginx",
		Stateless: true,
		Role:      sources.RoleProxy,
		Detect:    func(string) int { return 0 }, // needs the log_format string
		New:       readsErrorLines(newUserParser),
		Doc:       "nginx access log written with a given log_format (--log-format, or read from the nginx config)",
	})
	sources.Register(sources.Format{
		Name:      "nginx-upstream",
		Family:    "nginx",
		Stateless: true,
		Role:      sources.RoleProxy,
		Priority:  10,
		Detect:    detectUpstream,
		New:       readsErrorLines(func(sources.ParserOptions) (sources.Parser, error) { return newUpstreamParser(), nil }),
		Doc:       "nginx access log, combined followed by key=value upstream fields (rt= uct= uht= urt= ua= us= rid= cid=)",
	})
	sources.Register(sources.Format{
		Name:   "ingress-nginx",
		Family: "nginx",
		// Not Stateless: an error line's zone-less time is read at the
		// offset of the access line before it, and across DST by
		// continuity with the lines before (ingress.go, stream.go).
		Role:     sources.RoleProxy,
		Priority: 20,
		Detect:   detectIngress,
		New:      readsControllerLines(func(sources.ParserOptions) (sources.Parser, error) { return mustCompile(IngressFormat, "default"), nil }),
		Doc:      "ingress-nginx controller access log, default upstreaminfo format, with nginx's error lines when they share the stream",
	})
}

// mustCompile compiles a format defined in this package.
func mustCompile(format, escape string) *AccessParser {
	p, err := Compile(format, escape)
	if err != nil {
		panic("nginx: built-in format does not compile: " + err.Error())
	}
	return p
}

// newUserParser builds the parser for a log_format the user gave. Its
// errors name no format: Input.SetFormat says "format nginx: " before them
// (they read "format nginx: nginx: log_format: ...").
func newUserParser(opts sources.ParserOptions) (sources.Parser, error) {
	if strings.TrimSpace(opts.LogFormat) == "" {
		return nil, errors.New("no log_format given: pass the format string (--log-format) or the nginx config it is defined in")
	}
	return Compile(opts.LogFormat, opts.Escape)
}

// CombinedParser parses the combined format and its main variant.
type CombinedParser struct {
	combined, main *AccessParser
	errLines       *errorLines // the error lines in its stream (stream.go); nil: none
}

func newCombinedParser() *CombinedParser {
	return &CombinedParser{combined: mustCompile(CombinedFormat, "default"), main: mustCompile(MainFormat, "default")}
}

// Parse implements sources.Parser.
func (p *CombinedParser) Parse(line string) (sources.Record, error) {
	// escape=default never writes a raw '"' inside a value, so a main line
	// cannot pass for combined (nor the other way round).
	r, err := p.combined.Parse(line)
	if err != nil {
		r, err = p.main.Parse(line)
	}
	if err != nil {
		return p.errLines.failed(line, err, true) // an error line in the stream?
	}
	if p.errLines != nil {
		p.errLines.accessLine(r.RecordTime())
	}
	return r, nil
}

// ParseSlot implements sources.SlotParser.
func (p *CombinedParser) ParseSlot(line string, s *sources.ProxySlot) (sources.Record, error) {
	p.combined.slot = s
	e := p.combined.entry(line)
	p.combined.slot = nil
	if e == nil {
		p.main.slot = s
		e = p.main.entry(line)
		p.main.slot = nil
	}
	if e == nil {
		return p.errLines.failed(line, sources.ErrNoMatch, false) // an error line in the stream?
	}
	p.errLines.accessLine(e.Time)
	return e, nil
}

// Fields returns the attribution fields the format logs: none.
func (p *CombinedParser) Fields() sources.FieldSet { return 0 }

// Detection may run on several inputs at once while parsers keep scratch
// space, so each detector borrows a parser from a pool.
var (
	combinedPool = sync.Pool{New: func() any { return newCombinedParser() }}
	ingressPool  = sync.Pool{New: func() any { return mustCompile(IngressFormat, "default") }}
	upstreamPool = sync.Pool{New: func() any { return newUpstreamParser() }}
)

func detectCombined(line string) int {
	p := combinedPool.Get().(*CombinedParser)
	defer combinedPool.Put(p)
	if _, err := p.Parse(line); err != nil {
		return streamErrorScore(line)
	}
	return scoreCombined
}

// streamErrorScore scores a line an access format does not match: an nginx
// error line may share its stream (see scoreStreamError).
func streamErrorScore(line string) int {
	if _, ok := splitHeader(line); ok {
		return scoreStreamError
	}
	return 0
}

// detectIngress scores ingress-nginx's access lines, and nginx's error
// lines that share the controller's stream lower than nginx-error does,
// so that a stream of both is ingress-nginx's and an error log alone stays
// nginx-error.
func detectIngress(line string) int {
	p := ingressPool.Get().(*AccessParser)
	defer ingressPool.Put(p)
	if _, err := p.Parse(line); err != nil {
		if _, ok := splitHeader(line); ok {
			return scoreIngressError
		}
		return 0
	}
	return scoreIngress
}

// UpstreamParser parses combined (or main) followed by key=value pairs that
// carry upstream fields, in any order (formats.md §1.3): rt=0.002
// uct="0.000, 0.001" ua="10.0.0.1:8080" us="502" rid=... cid=812.
// Unknown keys and bare tokens are skipped.
type UpstreamParser struct {
	base     *AccessParser
	seen     sources.FieldSet
	layout   pairTemplate // the key=value tokens lines start their tail with
	errLines *errorLines  // the error lines in its stream (stream.go); nil: none
}

// Fields returns the attribution fields of the lines parsed so far: the
// keys vary by config, so the lines tell.
func (p *UpstreamParser) Fields() sources.FieldSet { return p.seen }

func newUpstreamParser() *UpstreamParser {
	// The tail variable is unknown to the compiler, so it only marks where
	// the key=value pairs start.
	base := mustCompile(CombinedFormat+"$"+kvTailVar, "default")
	base.listSlots = true // the pairs carry the lists
	return &UpstreamParser{base: base}
}

// Parse implements sources.Parser.
func (p *UpstreamParser) Parse(line string) (sources.Record, error) {
	e, _, err := p.parse(line, nil)
	if err != nil {
		return p.errLines.failed(line, err, true) // an error line in the stream?
	}
	p.errLines.accessLine(e.Time)
	return e, nil
}

// ParseSlot implements sources.SlotParser. It is Parse into the slot,
// written out: a call fewer on every line.
func (p *UpstreamParser) ParseSlot(line string, s *sources.ProxySlot) (sources.Record, error) {
	// (The call's line within the function is the profile's: see parse.)
	e, _, err := p.parse(line, s)
	if err != nil {
		return p.errLines.failed(line, err, false) // an error line in the stream?
	}
	p.errLines.accessLine(e.Time)
	return e, nil
}

// parse returns the entry and how many known keys the line had, in slot
// s when it is not nil (the slot is passed, not set in p.base: two
// stores fewer a line, each with its write-barrier test).
//
// Keep the lines of its calls where they are relative to the func line:
// cmd/fivexx/default.pgo names its hot calls (matchCombined,
// fillCombined, finishUsualShape) by that offset, and a call that moves
// is no longer inlined (a line more above them cost 10 % more
// instructions a line).
func (p *UpstreamParser) parse(line string, s *sources.ProxySlot) (*sources.ProxyEntry, int, error) {
	b := p.base
	if b.plainCombined { // always, unless a test turned the fast paths off
		// match and fill with the combined values on the stack: the tail
		// variable takes the rest of the line, whatever it is.
		var v combinedValues
		if pos, ok := b.matchCombined(line, &v); ok {
			tail := line[pos:]
			if tail != "" && tail[0] != ' ' {
				return nil, 0, sources.ErrNoMatch
			}
			// Most tails, by their shape (usualshape.go): the eight usual
			// keys, one attempt or none.
			if u, ok := readUsualShape(tail); ok {
				e, lists := b.newEntry(s, inlineListSlots, true)
				b.fillCombined(e, line, &v)
				return p.finishUsualShape(e, tail, u, &lists), 8, nil
			}
			var pairs upstreamPairs
			if pairs.read(tail, &p.layout); cutBeforeUpstream(tail, &pairs) {
				return nil, 0, sources.ErrNoMatch
			}
			e, lists := b.newEntry(s, pairs.listElems(), false)
			b.fillCombined(e, line, &v)
			return p.finish(e, &pairs, &lists), pairs.known, nil
		}
		if !b.matchGeneral(line) {
			return nil, 0, sources.ErrNoMatch
		}
	} else if !b.match(line) {
		return nil, 0, sources.ErrNoMatch
	}
	tail := b.vals[len(b.vals)-1]
	if tail != "" && tail[0] != ' ' {
		return nil, 0, sources.ErrNoMatch
	}
	// The pairs first: they say how much room the lists need, so the entry
	// and its lists take one allocation, retries included.
	var pairs upstreamPairs
	if pairs.read(tail, &p.layout); cutBeforeUpstream(tail, &pairs) {
		return nil, 0, sources.ErrNoMatch
	}
	e, lists := b.newEntry(s, pairs.listElems(), false)
	b.fill(e, line, &lists)
	return p.finish(e, &pairs, &lists), pairs.known, nil
}

// finish sets the fields the pairs name and those that follow from them.
func (p *UpstreamParser) finish(e *sources.ProxyEntry, pairs *upstreamPairs, lists *listArena) *sources.ProxyEntry {
	if pairs.fields == usualFields && pairs.single && cap(lists.buf)-len(lists.buf) >= 5 {
		return p.finishOneAttempt(e, pairs, lists)
	}
	if pairs.fields == usualFields && pairs.double && cap(lists.buf)-len(lists.buf) >= 10 {
		return p.finishTwoAttempts(e, pairs, lists)
	}
	pairs.apply(e, lists)
	derive(e, "", false)
	p.seen |= e.Fields
	return e
}

// finishOneAttempt is finish for pairs of the eight usual fields whose
// lists name one attempt each (pairs.oneAttempt), most lines: what apply
// and derive make of them, without the tests of the fields the pairs may
// lack, the loops over the lists, and the lists read back from e.
// TestFinishOneAttempt holds it to apply and derive.
func (p *UpstreamParser) finishOneAttempt(e *sources.ProxyEntry, pairs *upstreamPairs, lists *listArena) *sources.ProxyEntry {
	kv := &pairs.vals
	if ms, ok := dotMillis(kv[keyRequestTime]); ok { // parseSeconds' first case, without the call
		e.RequestTime = float64(ms) / 1e3
	} else {
		e.RequestTime = parseSeconds(kv[keyRequestTime])
	}
	b, n := lists.buf, len(lists.buf)
	lists.buf = b[:n+5]
	l := b[n : n+5 : n+5]
	addr, status, header := kv[keyUpstreamAddr], kv[keyUpstreamStatus], kv[keyUpstreamHeader]
	l[0], l[1], l[2], l[3], l[4] = kv[keyUpstreamConnect], header, kv[keyUpstreamResponse], addr, status
	e.UpstreamConnect, e.UpstreamHeader, e.UpstreamResponse = l[0:1:1], l[1:2:2], l[2:3:3]
	e.UpstreamAddr, e.UpstreamStatus = l[3:4:4], l[4:5:5]
	e.UpstreamStatusRaw = status
	if pairs.plainID {
		e.RequestID = dash(kv[keyRequestID])
	} else {
		e.RequestID = decodeHex(dash(kv[keyRequestID]))
	}
	e.Conn = dash(kv[keyConn])
	e.Fields |= usualFields

	// derive, for one address (not ""), with the address and header time
	// logged.
	if pairs.noUpstream {
		// All five "-": what follows makes of them no upstream
		// contacted, none answered, no label.
		e.UpstreamContacted, e.UpstreamAnswered = sources.No, sources.No
		p.seen |= e.Fields
		return e
	}
	peer := isPeerAddr(addr)
	if addr != "-" {
		e.Upstream = addr
		if !peer {
			e.Reason = sources.ReasonNoLiveUpstreams
			e.Detail = "upstream_addr is the group name " + addr
		}
	}
	switch {
	case peer:
		e.UpstreamContacted = sources.Yes
	case addr != "-" || status == "-":
		// A group name: no server selected, none contacted. Or no
		// address and no status.
		e.UpstreamContacted = sources.No
	}
	// isSeconds(header), its usual cases without the call.
	e.UpstreamAnswered = sources.No
	if _, ok := dotMillis(header); ok || header != "-" && isSeconds(header) {
		e.UpstreamAnswered = sources.Yes
	}
	p.seen |= e.Fields
	return e
}

// finishTwoAttempts is finish for pairs of the eight usual fields whose
// five lists name two attempts each, "X, Y" (pairs.double): a retried
// request, most of the lines finishOneAttempt does not take. It does what
// apply and derive make of them without splitting the lists (listElems
// found each comma), and without looking for an error_page's " : " groups,
// which a list of one space cannot hold: no group to keep, no raw
// address list, not redirected. These lines cost about 4,000 instructions
// each on the way through apply and derive, three times an ordinary line.
// TestFinishTwoAttempts holds it to apply and derive.
func (p *UpstreamParser) finishTwoAttempts(e *sources.ProxyEntry, pairs *upstreamPairs, lists *listArena) *sources.ProxyEntry {
	kv := &pairs.vals
	if ms, ok := dotMillis(kv[keyRequestTime]); ok {
		e.RequestTime = float64(ms) / 1e3
	} else {
		e.RequestTime = parseSeconds(kv[keyRequestTime])
	}
	b, n := lists.buf, len(lists.buf)
	lists.buf = b[:n+10]
	l := b[n : n+10 : n+10]
	for i := range 5 { // keyUpstreamConnect to keyUpstreamStatus, in order
		v, c := kv[keyUpstreamConnect+pairKey(i)], int(pairs.commas[i])
		l[2*i], l[2*i+1] = v[:c], v[c+2:]
	}
	e.UpstreamConnect, e.UpstreamHeader, e.UpstreamResponse = l[0:2:2], l[2:4:4], l[4:6:6]
	e.UpstreamAddr, e.UpstreamStatus = l[6:8:8], l[8:10:10]
	e.UpstreamStatusRaw = kv[keyUpstreamStatus]
	if pairs.plainID {
		e.RequestID = dash(kv[keyRequestID])
	} else {
		e.RequestID = decodeHex(dash(kv[keyRequestID]))
	}
	e.Conn = dash(kv[keyConn])
	e.Fields |= usualFields

	// derive, for two attempts with every list logged.
	lastPeer := isPeerAddr(l[7])
	if last := l[7]; last != "-" && last != "" {
		e.Upstream = last
		if !lastPeer {
			e.Reason = sources.ReasonNoLiveUpstreams
			e.Detail = "upstream_addr is the group name " + last
		}
	}
	switch {
	case lastPeer || isPeerAddr(l[6]):
		e.UpstreamContacted = sources.Yes
	case e.Reason == sources.ReasonNoLiveUpstreams:
		e.UpstreamContacted = sources.No
	case allEmpty(e.UpstreamAddr) && allEmpty(e.UpstreamStatus):
		e.UpstreamContacted = sources.No
	}
	e.UpstreamAnswered = sources.No
	if isSeconds(l[3]) {
		e.UpstreamAnswered = sources.Yes
	}
	p.seen |= e.Fields
	return e
}

// detectUpstream scores combined lines that carry at least one known
// upstream key above plain combined.
func detectUpstream(line string) int {
	p := upstreamPool.Get().(*UpstreamParser)
	defer upstreamPool.Put(p)
	_, known, err := p.parse(line, nil)
	if err != nil {
		return streamErrorScore(line)
	}
	if known == 0 {
		return 0
	}
	return scoreUpstream
}
