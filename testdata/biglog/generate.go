// Package biglog writes big, deterministic nginx + app logs for benchmarks:
// an upstream-rich access log in the shape fivexx detects as
// "nginx-upstream", the matching nginx error log, the app's JSON log, and the
// same requests as plain combined lines for tools that only know combined.
//
// The lines follow a simulated site (see traffic.go) with a ten-minute cycle
// of incidents (see incidents below), so every few hundred thousand lines
// hold refused, reset and timed-out upstreams, retries and app 503s and 500s.
// Generate streams: memory stays bounded however many lines are written.
//
// All times are UTC. The error log's times carry no zone, as nginx writes
// them: read it with TZ=UTC (or fivexx's parser Location set to UTC).
package biglog

import (
	"bufio"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"time"
)

// The files Generate writes in its directory.
const (
	AccessFile   = "access.log"   // nginx upstream-rich access log
	ErrorFile    = "error.log"    // nginx error log, times in UTC without zone
	AppFile      = "app.log"      // the app's JSON lines, one per request it handled
	CombinedFile = "combined.log" // the access log's requests as plain combined lines
)

// DefaultStart is the log time of the first request when Config.Start is zero.
var DefaultStart = time.Date(2026, 1, 2, 3, 0, 0, 0, time.UTC)

// Config says what to generate.
type Config struct {
	// Lines is how many access lines (requests) to write.
	Lines int64
	// Seed picks the traffic: the same Config gives the same bytes.
	Seed uint64
	// Start is the log time of the first request (default DefaultStart).
	Start time.Time
	// Rate is requests per second of log time (default 400).
	Rate float64
	// NoCombined skips CombinedFile (for runs that only feed fivexx).
	NoCombined bool
}

// Stats is what was written, and the truth about it.
type Stats struct {
	// Lines per file.
	AccessLines, ErrorLines, AppLines, CombinedLines int64
	// Bytes per file.
	AccessBytes, ErrorBytes, AppBytes, CombinedBytes int64
	// Status counts access lines by the status sent to the client.
	Status map[int]int64
	// Causes counts the 5xx by why they happened, keyed by fivexx's cause
	// names (upstream_refused, upstream_reset, upstream_timeout,
	// app_unavailable, app_error).
	Causes map[string]int64
	// Retried counts requests nginx sent to more than one upstream server.
	Retried int64
	// Static counts requests nginx answered from files, with no upstream.
	Static int64
	// First and Last are the times of the first and last access lines.
	First, Last time.Time
}

// TotalLines is the number of lines in the three files fivexx reads
// (access, error and app logs).
func (s Stats) TotalLines() int64 { return s.AccessLines + s.ErrorLines + s.AppLines }

// Generate writes AccessFile, ErrorFile, AppFile and CombinedFile in dir
// (created if missing; files there are replaced) and returns what it wrote.
func Generate(dir string, cfg Config) (st Stats, err error) {
	if cfg.Lines <= 0 {
		return Stats{}, fmt.Errorf("biglog: lines must be positive, got %d", cfg.Lines)
	}
	if cfg.Start.IsZero() {
		cfg.Start = DefaultStart
	}
	if cfg.Start.Before(time.Unix(0, 0)) {
		return Stats{}, fmt.Errorf("biglog: start %v is before 1970", cfg.Start)
	}
	if cfg.Rate == 0 {
		cfg.Rate = 400
	}
	if cfg.Rate < 0 || math.IsNaN(cfg.Rate) || math.IsInf(cfg.Rate, 0) {
		return Stats{}, fmt.Errorf("biglog: rate must be positive, got %v", cfg.Rate)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return Stats{}, fmt.Errorf("biglog: create %s: %w", dir, err)
	}
	names := []string{AccessFile, ErrorFile, AppFile, CombinedFile}
	if cfg.NoCombined {
		names = names[:3]
	}
	files := make([]*os.File, len(names))
	ws := make([]*bufio.Writer, len(names))
	defer func() {
		for _, f := range files {
			if f == nil {
				continue
			}
			if cerr := f.Close(); cerr != nil && err == nil {
				err = fmt.Errorf("biglog: close %s: %w", f.Name(), cerr)
			}
		}
	}()
	for i, name := range names {
		f, err := os.Create(filepath.Join(dir, name))
		if err != nil {
			return Stats{}, fmt.Errorf("biglog: %w", err)
		}
		files[i], ws[i] = f, bufio.NewWriterSize(f, 1<<20)
	}
	g := newGenerator(cfg)
	first := g.start / 1e9
	var combined *bufio.Writer
	if !cfg.NoCombined {
		combined = ws[3]
	}
	g.access = newSortedLog(ws[0], combined, first)
	g.errs = newSortedLog(ws[1], nil, first)
	g.app = newSortedLog(ws[2], nil, first)
	if err := g.run(); err != nil {
		return Stats{}, err
	}
	for i, w := range ws {
		if err := w.Flush(); err != nil {
			return Stats{}, fmt.Errorf("biglog: write %s: %w", files[i].Name(), err)
		}
	}
	st = g.stats
	st.AccessLines, st.AccessBytes = g.access.lines, g.access.bytes
	if !cfg.NoCombined {
		st.CombinedLines, st.CombinedBytes = g.access.lines, g.access.shortBytes
	}
	st.ErrorLines, st.ErrorBytes = g.errs.lines, g.errs.bytes
	st.AppLines, st.AppBytes = g.app.lines, g.app.bytes
	return st, nil
}

// incidentKind is what goes wrong with some servers for a while.
type incidentKind uint8

const (
	calm     incidentKind = iota
	refuse                // nothing listens: connect() refused
	reset                 // the server resets a share of its connections
	stall                 // the server answers nothing until the incident ends
	shedding              // the app's database is down: it answers 503
)

// incident is one outage, at an offset into every cycle of log time.
type incident struct {
	from, to time.Duration
	kind     incidentKind
	servers  []int
	share    float64 // reset, shedding: the share of requests hit
}

// cycle is how often the incidents repeat.
const cycle = 10 * time.Minute

// incidents all fall in the first three minutes of a cycle, so a test of a
// few tens of thousands of lines sees each of them.
var incidents = []incident{
	// api .12 restarts: nginx retries the next server ("502, 200").
	{from: 10 * time.Second, to: 30 * time.Second, kind: refuse, servers: []int{1}},
	// a web deploy takes two of three servers down: a request that tries
	// both within proxy_next_upstream_tries 2 gets 502 ("502, 502").
	{from: 40 * time.Second, to: 60 * time.Second, kind: refuse, servers: []int{5, 6}},
	// api .13 resets half its connections: idempotent requests are retried,
	// POST and PATCH are not and get 502.
	{from: 70 * time.Second, to: 90 * time.Second, kind: reset, servers: []int{2}, share: 0.5},
	// search's index is locked: no answer within proxy_read_timeout 3s on
	// either try, 504 ("504, 504").
	{from: 100 * time.Second, to: 130 * time.Second, kind: stall, servers: []int{7, 8, 9}},
	// api's database is down: the app answers 503 to most requests that need it.
	{from: 140 * time.Second, to: 170 * time.Second, kind: shedding, servers: []int{0, 1, 2, 3}, share: 0.6},
}

// failure is how an attempt went wrong, as nginx reports it.
type failure uint8

const (
	answered failure = iota
	refused
	resetByPeer
	timedOut
)

var failureText = [...]string{
	refused:     "connect() failed (111: Connection refused) while connecting to upstream",
	resetByPeer: "recv() failed (104: Connection reset by peer) while reading response header from upstream",
	timedOut:    "upstream timed out (110: Connection timed out) while reading response header from upstream",
}

// attempt is one try of one upstream server; times are ns, negative for "-".
type attempt struct {
	server  int
	connect int64
	header  int64
	resp    int64
	status  int
	bytes   int
	end     int64
	fail    failure
}

// request is one client request as nginx sees it.
type request struct {
	client  *client
	ep      *endpoint
	uri     []byte
	proto   string
	host    string
	referer []byte
	id      [2]uint64
	conn    int64
	pid     int
	start   int64 // unix ns
}

// file returns the request's path without its query.
func (q *request) file() []byte {
	for i, c := range q.uri {
		if c == '?' {
			return q.uri[:i]
		}
	}
	return q.uri
}

// idempotent says whether nginx retries the request after an error or
// timeout that may have reached the server (ngx_http_upstream_next: not
// POST, LOCK or PATCH).
func (q *request) idempotent() bool {
	m := q.ep.method
	return m != "POST" && m != "PATCH" && m != "LOCK"
}

const workers = 4

// generator is the simulation's state.
type generator struct {
	r       *rand.Rand
	cfg     Config
	start   int64 // unix ns of the first request
	clients []client
	rr      [numPools]int
	counter int64 // nginx's connection counter ($connection, *N)
	pids    [workers]int

	access, errs, app *sortedLog
	stamps            stamps

	q              request
	tries          []attempt
	uri, ref, line []byte
	stats          Stats
}

func newGenerator(cfg Config) *generator {
	r := rand.New(rand.NewPCG(cfg.Seed, cfg.Seed^0x9e3779b97f4a7c15))
	g := &generator{
		r:       r,
		cfg:     cfg,
		start:   cfg.Start.UnixNano(),
		clients: newClients(r),
		counter: 21376,
		stats:   Stats{Status: map[int]int64{}, Causes: map[string]int64{}},
	}
	for i := range g.pids {
		g.pids[i] = 9088 + i
	}
	return g
}

func (g *generator) run() error {
	t := g.start
	for i := int64(0); i < g.cfg.Lines; i++ {
		if i > 0 {
			t += int64(g.r.ExpFloat64() / g.cfg.Rate * 1e9)
		}
		// No request made from now on writes a line before t.
		sec := t / 1e9
		g.access.writeBefore(sec)
		g.errs.writeBefore(sec)
		g.app.writeBefore(sec)
		if err := g.request(t); err != nil {
			return err
		}
	}
	g.access.writeAll()
	g.errs.writeAll()
	g.app.writeAll()
	return nil
}

// incidentAt returns what is wrong with server s at unix ns t, and when
// that ends.
func (g *generator) incidentAt(s int, t int64) (*incident, int64) {
	off := (t - g.start) % int64(cycle)
	base := t - off
	for i := range incidents {
		in := &incidents[i]
		if off < int64(in.from) || off >= int64(in.to) {
			continue
		}
		for _, m := range in.servers {
			if m == s {
				return in, base + int64(in.to)
			}
		}
	}
	return nil, 0
}

// request plays one request that starts at t0 and writes its lines.
func (g *generator) request(t0 int64) error {
	r := g.r
	u := r.Float64()
	c := &g.clients[int(u*u*numClients)] // a few clients send most requests
	dest := pickDestination(r, c.kind)
	ep := tables[dest].pick(r)
	q := &g.q
	*q = request{client: c, ep: ep, proto: "HTTP/1.1", start: t0}
	if c.http2 {
		q.proto = "HTTP/2.0"
	}
	g.uri = ep.path(g.uri[:0], r)
	q.uri = g.uri
	q.host = staticHost
	if ep.pool != poolNone {
		q.host = pools[ep.pool].host
	}
	g.ref = g.referer(c, dest, g.ref[:0])
	q.referer = g.ref
	q.id = [2]uint64{r.Uint64(), r.Uint64()}
	g.connect(c, t0)
	q.conn, q.pid = c.conn, g.pids[c.worker]
	status := pickStatus(r, ep)
	g.tries = g.tries[:0]

	if ep.pool == poolNone {
		return g.static(q, status)
	}

	p := &pools[ep.pool]
	var tried [numServers]bool
	ta := t0 + int64(50+r.IntN(250))*1e3
	for {
		s := g.next(ep.pool, &tried)
		tried[s] = true
		a, err := g.attempt(q, s, ta, status)
		if err != nil {
			return err
		}
		g.tries = append(g.tries, a)
		if a.fail != answered {
			if err := g.errorLine(q, a.end, failureText[a.fail], s); err != nil {
				return err
			}
		}
		retry := a.fail == refused || (a.fail != answered && q.idempotent())
		if !retry || len(g.tries) == min(p.tries, len(p.members)) {
			break
		}
		ta = a.end + int64(20+r.IntN(200))*1e3
	}

	last := &g.tries[len(g.tries)-1]
	end, bytes := last.end, last.bytes
	switch last.fail {
	case answered:
		// nginx keeps sending to the client after the upstream is done.
		end += g.transfer(c, bytes)
	case timedOut:
		bytes = 167 // nginx 1.22.1's own 504 page
	default:
		bytes = 157 // its 502 page
	}
	end += int64(r.IntN(300)) * 1e3
	if q.ep.method == "HEAD" {
		bytes = 0
	}
	g.count(last.status, last.fail, len(g.tries) > 1, end)
	line, cut := g.accessLine(q, end, last.status, bytes)
	return g.access.add(end, line, cut)
}

// static plays a request nginx answers from its files.
func (g *generator) static(q *request, status int) error {
	r := g.r
	t := q.start + int64(float64(q.ep.median)*math.Exp(0.5*r.NormFloat64()))
	bytes := 0
	switch status {
	case 200:
		bytes = q.ep.size[0] + r.IntN(q.ep.size[1]-q.ep.size[0]+1)
		t += g.transfer(q.client, bytes)
	case 404:
		bytes = 153 // nginx 1.22.1's 404 page
		if err := g.errorLine(q, t, "", -1); err != nil {
			return err
		}
	}
	g.stats.Static++
	g.count(status, answered, false, t)
	line, cut := g.accessLine(q, t, status, bytes)
	return g.access.add(t, line, cut)
}

// count adds one finished request to the stats.
func (g *generator) count(status int, f failure, retried bool, end int64) {
	st := &g.stats
	st.Status[status]++
	if retried {
		st.Retried++
	}
	if status >= 500 {
		cause := "app_error"
		switch {
		case f == refused:
			cause = "upstream_refused"
		case f == resetByPeer:
			cause = "upstream_reset"
		case f == timedOut:
			cause = "upstream_timeout"
		case status == 503:
			cause = "app_unavailable"
		}
		st.Causes[cause]++
	}
	t := time.Unix(0, end).UTC()
	if st.First.IsZero() || t.Before(st.First) {
		st.First = t
	}
	if t.After(st.Last) {
		st.Last = t
	}
}

// errAhead is returned when a request would write past the held window.
var errAhead = errors.New("biglog: a request outlasts the held window")

// maxWork bounds the app's work so every line fits the held window.
const maxWork = 25 * time.Second

// attempt plays one try of server s starting at ta.
func (g *generator) attempt(q *request, s int, ta int64, status int) (attempt, error) {
	r := g.r
	a := attempt{server: s, header: -1}
	in, until := g.incidentAt(s, ta)
	kind := calm
	if in != nil {
		kind = in.kind
	}
	if kind == refuse {
		a.fail, a.connect, a.status = refused, -1, 502
		a.resp = int64(r.IntN(900)) * 1e3
		a.end = ta + a.resp
		return a, nil
	}
	p := &pools[servers[s].pool]
	if !p.keepalive || r.IntN(40) == 0 {
		g.counter++ // the upstream connection nginx opens
		a.connect = int64(250+r.IntN(1200)) * 1e3
	} else {
		a.connect = int64(20+r.IntN(250)) * 1e3
	}
	sent := ta + a.connect
	if kind == reset && r.Float64() < in.share {
		a.fail, a.status = resetByPeer, 502
		a.end = sent + int64(200+r.IntN(4000))*1e3
		a.resp = a.end - ta
		return a, nil
	}

	appStart := sent + int64(80+r.IntN(300))*1e3
	work := int64(float64(q.ep.median) * math.Exp(0.45*r.NormFloat64()))
	if status >= 400 {
		work /= 2
	}
	work = min(work, int64(maxWork))
	body := 0
	switch {
	case kind == shedding && q.ep.db && r.Float64() < in.share:
		status, work, body = 503, int64(1000+r.IntN(2000))*1e3, 48 // {"error":"database unavailable","retry_after":5}
	case q.ep.pool != poolSearch && status < 400 && r.IntN(900) == 0:
		status, body = 500, 33 // {"error":"internal server error"}
	default:
		body = bodySize(r, q.ep, status)
	}
	if kind == stall && until > appStart {
		work += until - appStart // nothing is answered before the index is back
	}
	appEnd := appStart + work
	if appEnd-q.start >= (ringSeconds-8)*1e9 {
		return a, errAhead
	}
	if err := g.appLine(q, appEnd, s, status, work); err != nil {
		return a, err
	}
	headerAt := appEnd + int64(50+r.IntN(250))*1e3
	if deadline := sent + int64(p.readTimeout) + int64(r.IntN(1500))*1e3; headerAt > deadline {
		a.fail, a.status, a.end = timedOut, 504, deadline
		a.resp = a.end - ta
		return a, nil
	}
	a.status, a.bytes = status, body
	a.header = headerAt - ta
	a.end = headerAt + int64(float64(body)/2e8*1e9) + int64(r.IntN(300))*1e3
	a.resp = a.end - ta
	return a, nil
}

// bodySize returns the body bytes of an app answer with the given status.
func bodySize(r *rand.Rand, ep *endpoint, status int) int {
	switch {
	case status == 204 || status == 304:
		return 0
	case status == 302:
		return 28 // "Found. Redirecting to /login"
	case status >= 400 && ep.pool == poolWeb:
		return 1800 + r.IntN(500) // an HTML error page
	case status >= 400:
		return 40 + r.IntN(100) // a JSON error
	case ep.size[1] <= ep.size[0]:
		return ep.size[0]
	}
	return ep.size[0] + r.IntN(ep.size[1]-ep.size[0]+1)
}

// transfer is how long nginx takes to send bytes to the client.
func (g *generator) transfer(c *client, bytes int) int64 {
	bw := 5e6 // bytes/s
	switch c.kind {
	case mobileApp:
		bw = 1.5e6
	case service:
		bw = 50e6
	}
	return int64(float64(bytes)/bw*1e9) + int64(g.r.IntN(200))*1e3
}

// next picks the upstream server the way nginx's round robin does with
// equal weights and max_fails=0: the next in turn not yet tried.
func (g *generator) next(p pool, tried *[numServers]bool) int {
	members := pools[p].members
	for range members {
		s := members[g.rr[p]%len(members)]
		g.rr[p]++
		if !tried[s] {
			return s
		}
	}
	return members[0]
}

// keepalive is nginx's keepalive_timeout; keepaliveRequests its keepalive_requests.
const (
	keepalive         = 75 * time.Second
	keepaliveRequests = 1000
)

// connect gives c an open connection at t: its keep-alive one, or a new one.
// Scanners open a new connection for every request.
func (g *generator) connect(c *client, t int64) {
	if c.conn == 0 || c.kind == scanner || t-c.used > int64(keepalive) || c.served >= keepaliveRequests {
		g.counter++
		c.conn, c.worker, c.served = g.counter, g.r.IntN(workers), 0
	}
	c.served++
	c.used = t
}

// referer appends the Referer a client sends: browsers send the page they
// show; apps, scripts and bots send none.
func (g *generator) referer(c *client, dest destination, b []byte) []byte {
	switch {
	case c.kind != browser:
		return append(b, '-')
	case dest == toWeb:
		// The page it showed refers to the one it asks for now.
		external := len(c.page) == 0 || g.r.IntN(4) == 0
		if !external {
			b = append(append(b, siteOrigin...), c.page...)
		}
		c.page = append(c.page[:0], g.uri...)
		switch {
		case !external:
			return b
		case g.r.IntN(2) == 0:
			return append(b, '-')
		}
		return append(b, pick(g.r, referrers)...)
	case len(c.page) == 0:
		return append(b, siteOrigin+"/"...)
	}
	return append(append(b, siteOrigin...), c.page...)
}

func pickDestination(r *rand.Rand, k clientKind) destination {
	w := &visits[k]
	total := 0
	for _, x := range w {
		total += x
	}
	n := r.IntN(total)
	for d, x := range w {
		if n -= x; n < 0 {
			return destination(d)
		}
	}
	return toAPI
}
