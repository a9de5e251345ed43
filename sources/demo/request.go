package demo

import (
	"math"
	"math/rand/v2"
	"strconv"
	"time"
)

// This file plays one request through nginx and the app and writes its
// lines: app lines while the app works, an error-log line at each failed
// attempt, the access line when nginx finishes.

// request is one client request as nginx sees it.
type request struct {
	client  *client
	ep      *endpoint
	method  string
	uri     string
	proto   string
	referer string // "-" when none
	host    string
	id      string // $request_id, forwarded to the app as X-Request-ID
	status  int    // what the app answers when nothing goes wrong
	conn    int    // index into client.conns
	number  int64  // $connection
	pid     int    // the worker's PID
}

// failure is how an attempt went wrong, as nginx reports it.
type failure uint8

const (
	answered failure = iota
	refused
	closedEarly
	resetByPeer
	timedOut
	invalidHeader
)

var failureText = [...]string{
	refused:       "connect() failed (111: Connection refused) while connecting to upstream",
	closedEarly:   "upstream prematurely closed connection while reading response header from upstream",
	resetByPeer:   "recv() failed (104: Connection reset by peer) while reading response header from upstream",
	timedOut:      "upstream timed out (110: Connection timed out) while reading response header from upstream",
	invalidHeader: `upstream sent invalid header: "X-Render\x20..." while reading response header from upstream`,
}

// attempt is one try of one upstream server.
type attempt struct {
	addr    string
	connect time.Duration // $upstream_connect_time; negative prints "-"
	header  time.Duration // $upstream_header_time; negative prints "-"
	resp    time.Duration // $upstream_response_time
	status  int           // $upstream_status: the app's or nginx's own 502/504
	bytes   int           // body the app sent, when answered
	end     time.Time
	fail    failure
}

// retryable says whether nginx tries the next server after a, by
// proxy_next_upstream error timeout: a refused connect always (nothing was
// sent), a reset or timeout only for idempotent methods.
func (a *attempt) retryable(method string) bool {
	switch a.fail {
	case refused:
		return true
	case closedEarly, resetByPeer, timedOut:
		return method != "POST" && method != "PATCH" && method != "LOCK"
	}
	return false
}

// nginx's own error pages: body sizes as nginx 1.22.1 sends them.
var pageSize = map[int]int{429: 169, 502: 157, 503: 197, 504: 167}

func (g *Generator) request(st *stage, w world, rate float64, t0 time.Time) {
	r := g.rng
	var c *client
	var ep *endpoint
	switch u := r.Float64() * rate; {
	case u < w.scraper:
		c, ep = g.people.scraper(), &scraperEndpoint
	case u < w.scraper+w.loginBot:
		c, ep = g.people.stuffer(), &stuffingEndpoint
	default:
		c = g.people.ordinary(r)
		ep = endpointFor(r, c)
	}
	g.reload(w)

	q := request{client: c, ep: ep, method: ep.method, uri: ep.path(r), proto: "HTTP/1.1", host: pools[ep.pool].host}
	if c.http2 {
		q.proto = "HTTP/2.0"
	}
	q.referer = g.referer(c, ep, q.uri)
	q.status = pickStatus(r, ep.status)
	q.id = string(appendHex(nil, r.Uint64(), r.Uint64()))
	q.conn = g.connect(c, t0)
	cn := &c.conns[q.conn]
	q.number, q.pid = cn.number, g.pids[cn.worker]

	if ep.zone != noZone {
		if excess, limited := g.limited(ep.zone, c.ip, t0); limited {
			g.rejected(&q, t0, excess)
			c.conns[q.conn].busy = t0
			return
		}
	}

	p := &pools[ep.pool]
	tries := min(p.tries, len(p.members))
	var tried [numServers]bool
	attempts := make([]attempt, 0, 2)
	ta := t0.Add(time.Duration(50+r.IntN(250)) * time.Microsecond)
	for {
		s := g.next(ep.pool, &tried)
		tried[s] = true
		a := g.attempt(st, s, ta, &q)
		attempts = append(attempts, a)
		if a.fail != answered {
			g.errorLine(&q, a.end, failureText[a.fail], a.addr)
		}
		if a.fail == answered || len(attempts) == tries || !a.retryable(q.method) {
			break
		}
		ta = a.end.Add(time.Duration(20+r.IntN(200)) * time.Microsecond)
	}

	last := attempts[len(attempts)-1]
	status, bytes, end := last.status, last.bytes, last.end
	if last.fail == answered {
		// nginx keeps sending to the client after the upstream is done.
		end = end.Add(time.Duration(float64(bytes)/c.bandwidth*float64(time.Second)) +
			time.Duration(r.IntN(500))*time.Microsecond)
	} else {
		bytes = pageSize[status]
	}
	g.accessLine(&q, end, status, bytes, end.Sub(t0), attempts)
	c.conns[q.conn].busy = end
	c.conns[q.conn].used = end
}

// next picks the upstream server the way nginx's round robin does with
// equal weights: the next in turn that this request has not tried.
func (g *Generator) next(p pool, tried *[numServers]bool) int {
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

// reload starts a new nginx generation when the billing config changes:
// new worker PIDs, and the old workers close their keep-alive connections.
func (g *Generator) reload(w world) {
	if w.wrongPort == g.wrongPort {
		return
	}
	g.wrongPort = w.wrongPort
	g.gen++
	first := g.pids[workers-1] + 2 + g.rng.IntN(40)
	for i := range g.pids {
		g.pids[i] = first + i
	}
}

// connect returns the client connection a request arrives on: an idle
// keep-alive one (any one for HTTP/2, which multiplexes), or a new one.
func (g *Generator) connect(c *client, t time.Time) int {
	kept := c.conns[:0]
	for _, cn := range c.conns {
		if cn.gen == g.gen && (cn.busy.After(t) || t.Sub(cn.used) <= idleTimeout) {
			kept = append(kept, cn)
		}
	}
	c.conns = kept
	for i := range c.conns {
		if c.http2 || !c.conns[i].busy.After(t) {
			c.conns[i].used = t
			return i
		}
	}
	g.counter++
	c.conns = append(c.conns, conn{number: g.counter, worker: g.rng.IntN(workers), gen: g.gen, used: t})
	return len(c.conns) - 1
}

// referer returns the Referer a client sends: browsers send the page they
// show; apps, scripts and scanners send none.
func (g *Generator) referer(c *client, ep *endpoint, uri string) string {
	switch {
	case c.kind == browser && ep.ssr:
		prev := c.page
		c.page = uri
		if prev == "" || g.rng.IntN(4) == 0 {
			if g.rng.IntN(2) == 0 {
				return "-"
			}
			return pick(g.rng, referrers)
		}
		return siteOrigin + prev
	case c.kind == browser:
		if c.page == "" {
			c.page = "/"
		}
		return siteOrigin + c.page
	case c.ip == stufferIP:
		return siteOrigin + "/login"
	}
	return "-"
}

// limitKey is one client's state in one limit_req zone.
type limitKey struct {
	zone zone
	ip   string
}

// bucket is nginx's limit_req node: excess in thousandths of a request.
type bucket struct {
	excess int64
	last   int64 // ms
}

var zones = [...]struct {
	name        string
	rate, burst int64 // requests/s, requests
	status      int
}{
	zoneAPI:   {"api", 20, 20, 503},
	zoneLogin: {"login", 1, 5, 429},
}

// limited runs nginx's limit_req check (ngx_http_limit_req_lookup, nodelay)
// and says whether the request is rejected, with the excess nginx logs.
func (g *Generator) limited(z zone, ip string, t time.Time) (int64, bool) {
	now := t.UnixMilli()
	b, ok := g.limits[limitKey{z, ip}]
	if !ok {
		g.limits[limitKey{z, ip}] = &bucket{last: now}
		return 0, false
	}
	ms := max(now-b.last, 0)
	excess := max(b.excess-zones[z].rate*1000*ms/1000+1000, 0)
	if excess > zones[z].burst*1000 {
		return excess, true
	}
	b.excess = excess
	if ms > 0 {
		b.last = now
	}
	return excess, false
}

// rejected writes the lines of a request the limiter turned away: nginx
// answers at once and contacts no upstream.
func (g *Generator) rejected(q *request, t time.Time, excess int64) {
	z := zones[q.ep.zone]
	b := append(g.buf[:0], "limiting requests, excess: "...)
	b = strconv.AppendInt(b, excess/1000, 10)
	b = append(b, '.', byte('0'+excess%1000/100), byte('0'+excess%100/10), byte('0'+excess%10))
	b = append(b, ` by zone "`...)
	b = append(b, z.name...)
	b = append(b, '"')
	g.buf = b
	g.errorLine(q, t, string(b), "")
	g.accessLine(q, t, z.status, pageSize[z.status], 0, nil)
}

// attempt plays one try of server s starting at ta, writing the app's lines.
func (g *Generator) attempt(st *stage, s int, ta time.Time, q *request) attempt {
	r := g.rng
	w := st.world(ta)
	a := attempt{addr: servers[s].addr, header: -1}
	if s == billing && w.wrongPort {
		a.addr = wrongBillingAddr
	}
	if w.down[s] || a.addr == wrongBillingAddr {
		g.counter++ // the upstream connection nginx tried to open
		a.fail, a.connect, a.status = refused, -1, 502
		a.resp = time.Duration(r.IntN(900)) * time.Microsecond
		a.end = ta.Add(a.resp)
		return a
	}
	if !pools[servers[s].pool].keepalive || r.IntN(40) == 0 {
		g.counter++
		a.connect = time.Duration(250+r.IntN(1200)) * time.Microsecond
	} else {
		a.connect = time.Duration(20+r.IntN(250)) * time.Microsecond
	}
	sent := ta.Add(a.connect)
	appStart := sent.Add(time.Duration(80+r.IntN(300)) * time.Microsecond)
	ans := g.serve(w, s, q)
	appEnd := appStart.Add(ans.work)
	g.appLine(appStart, "INFO", "request started", q, s, 0, 0)

	if k, dead := st.killed(s, appStart, appEnd); dead {
		// SIGKILL: the kernel closes the socket. A FIN reads as a premature
		// close; unread request data turns it into a reset.
		a.fail, a.status = closedEarly, 502
		if q.method == "POST" && r.IntN(3) == 0 {
			a.fail = resetByPeer
		}
		a.end = k.Add(time.Duration(r.IntN(400)) * time.Microsecond)
		a.resp = a.end.Sub(ta)
		return a
	}
	for _, n := range ans.notes {
		g.appLine(appStart.Add(n.after), n.level, n.msg, q, s, 0, 0)
	}
	g.appLine(appEnd, "INFO", "request finished", q, s, ans.status, ans.work)

	headerAt := appEnd.Add(time.Duration(50+r.IntN(250)) * time.Microsecond)
	deadline := sent.Add(readTimeout + time.Duration(r.IntN(1500))*time.Microsecond)
	switch {
	case headerAt.After(deadline):
		a.fail, a.status, a.end = timedOut, 504, deadline
	case w.badHeader[s] && q.ep.ssr:
		a.fail, a.status, a.end = invalidHeader, 502, headerAt
	default:
		a.status, a.bytes = ans.status, ans.bytes
		a.header = headerAt.Sub(ta)
		a.end = headerAt.Add(time.Duration(float64(ans.bytes)/2e8*float64(time.Second)) +
			time.Duration(r.IntN(300))*time.Microsecond)
	}
	a.resp = a.end.Sub(ta)
	return a
}

// note is an app line written while a request is handled.
type note struct {
	after      time.Duration // since "request started"
	level, msg string
}

// answer is what the app does with a request.
type answer struct {
	status int
	work   time.Duration // from "request started" to "request finished"
	bytes  int
	notes  []note
}

const (
	dbDownBody = `{"error":"database unavailable","retry_after":5}`
	shedBody   = `{"error":"overloaded","retry_after":1}`
	errorBody  = `{"error":"internal server error"}`
)

// serve decides how the app on server s answers q in world w.
func (g *Generator) serve(w world, s int, q *request) answer {
	r := g.rng
	ep := q.ep
	api := ep.pool == poolAPI
	work := lognormal(r, ep.median, 0.45)
	if q.status >= 400 {
		work /= 2
	}
	work = min(time.Duration(float64(work)*w.slow[s]), maxWork)
	if w.stall[s] {
		work = maxWork
	}
	ms := func(lo, hi int) time.Duration {
		return time.Duration(lo*1000+r.IntN((hi-lo)*1000+1)) * time.Microsecond
	}
	switch {
	case api && ep.deps&needsDB != 0 && w.db == dbBroken && r.IntN(10) < 7:
		work = min(work, ms(2, 30))
		return answer{status: 500, work: work, bytes: len(errorBody), notes: []note{{
			after: work * 9 / 10, level: "ERROR",
			msg: "query failed: read tcp " + hostOf(servers[s].addr) + ":" + strconv.Itoa(32768+r.IntN(28000)) +
				"->10.0.5.10:5432: read: connection reset by peer",
		}}}
	case api && ep.deps&needsDB != 0 && w.db == dbDown:
		work = ms(1, 3)
		return answer{status: 503, work: work, bytes: len(dbDownBody), notes: []note{
			{after: work / 2, level: "ERROR", msg: "database unavailable: dial tcp 10.0.5.10:5432: connect: connection refused"},
			{after: work - 50*time.Microsecond, level: "WARN", msg: "returning 503, Retry-After: 5"},
		}}
	case api && ep.method != "OPTIONS" && w.shed > 0 && r.Float64() < w.shed:
		work = time.Duration(200+r.IntN(500)) * time.Microsecond
		return answer{status: 503, work: work, bytes: len(shedBody), notes: []note{
			{after: work / 3, level: "WARN", msg: "shedding load: 256 requests in flight (limit 256)"},
			{after: work - 50*time.Microsecond, level: "WARN", msg: "returning 503, Retry-After: 1"},
		}}
	}
	a := answer{status: q.status, work: work, bytes: bodySize(r, ep, q.status)}
	if api && ep.deps&needsInventory != 0 && q.status < 400 { // a rejected request never gets that far
		sigma := 0.45
		if w.inventory > time.Second {
			sigma = 0.25
		}
		wait := lognormal(r, w.inventory, sigma)
		a.work += wait
		if wait > time.Second {
			a.notes = append(a.notes, note{
				after: a.work - 200*time.Microsecond, level: "WARN",
				msg: "slow dependency: GET http://10.0.5.20:9000/v1/stock?sku=" + strconv.Itoa(100000+r.IntN(900000)) +
					" took " + strconv.FormatFloat(wait.Seconds(), 'f', 3, 64) + "s",
			})
		}
	}
	return a
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

func lognormal(r *rand.Rand, median time.Duration, sigma float64) time.Duration {
	return time.Duration(float64(median) * math.Exp(sigma*r.NormFloat64()))
}

func hostOf(addr string) string {
	for i := len(addr) - 1; i >= 0; i-- {
		if addr[i] == ':' {
			return addr[:i]
		}
	}
	return addr
}

// accessLine writes the access line nginx logs when the request ends.
// With no attempts every upstream variable is "-".
func (g *Generator) accessLine(q *request, t time.Time, status, bytes int, rt time.Duration, attempts []attempt) {
	b := append(g.buf[:0], q.client.ip...)
	b = append(b, " - - ["...)
	b = t.AppendFormat(b, accessTime)
	b = append(b, `] "`...)
	b = append(b, q.method...)
	b = append(b, ' ')
	b = append(b, q.uri...)
	b = append(b, ' ')
	b = append(b, q.proto...)
	b = append(b, `" `...)
	b = strconv.AppendInt(b, int64(status), 10)
	b = append(b, ' ')
	b = strconv.AppendInt(b, int64(bytes), 10)
	b = append(b, ` "`...)
	b = append(b, q.referer...)
	b = append(b, `" "`...)
	b = append(b, q.client.ua...)
	b = append(b, `" rt=`...)
	b = appendSeconds(b, rt)
	field := func(name string, each func([]byte, attempt) []byte) {
		b = append(b, name...)
		b = append(b, `="`...)
		if len(attempts) == 0 {
			b = append(b, '-')
		} else {
			b = appendList(b, attempts, each)
		}
		b = append(b, '"')
	}
	field(" uct", func(b []byte, a attempt) []byte { return appendSeconds(b, a.connect) })
	field(" uht", func(b []byte, a attempt) []byte { return appendSeconds(b, a.header) })
	field(" urt", func(b []byte, a attempt) []byte { return appendSeconds(b, a.resp) })
	field(" ua", func(b []byte, a attempt) []byte { return append(b, a.addr...) })
	field(" us", func(b []byte, a attempt) []byte { return strconv.AppendInt(b, int64(a.status), 10) })
	b = append(b, " rid="...)
	b = append(b, q.id...)
	b = append(b, " cid="...)
	b = strconv.AppendInt(b, q.number, 10)
	g.buf = b
	g.emit(Access, t, b)
}

// errorLine writes an nginx error-log line about q; upstream is the peer
// address, empty when no upstream was involved.
func (g *Generator) errorLine(q *request, t time.Time, msg, upstream string) {
	b := t.AppendFormat(g.buf[:0], errorTime)
	b = append(b, " [error] "...)
	b = strconv.AppendInt(b, int64(q.pid), 10)
	b = append(b, '#')
	b = strconv.AppendInt(b, int64(q.pid), 10)
	b = append(b, ": *"...)
	b = strconv.AppendInt(b, q.number, 10)
	b = append(b, ' ')
	b = append(b, msg...)
	b = append(b, ", client: "...)
	b = append(b, q.client.ip...)
	b = append(b, ", server: "...)
	b = append(b, q.host...)
	b = append(b, `, request: "`...)
	b = append(b, q.method...)
	b = append(b, ' ')
	b = append(b, q.uri...)
	b = append(b, ' ')
	b = append(b, q.proto...)
	b = append(b, '"')
	if upstream != "" {
		b = append(b, `, upstream: "http://`...)
		b = append(b, upstream...)
		b = append(b, q.uri...)
		b = append(b, '"')
	}
	b = append(b, `, host: "`...)
	b = append(b, q.host...)
	b = append(b, '"')
	if q.referer != "-" {
		b = append(b, `, referrer: "`...)
		b = append(b, q.referer...)
		b = append(b, '"')
	}
	g.buf = b
	g.emit(Errors, t, b)
}

// appLine writes one JSON line of the app on server s about q. A status
// makes it a "request finished" line with the status and duration.
func (g *Generator) appLine(t time.Time, level, msg string, q *request, s, status int, took time.Duration) {
	b := append(g.buf[:0], `{"time":"`...)
	b = t.AppendFormat(b, appTime)
	b = append(b, `","level":"`...)
	b = append(b, level...)
	b = append(b, `","msg":`...)
	b = appendJSONString(b, msg)
	b = append(b, `,"request_id":"`...)
	b = append(b, q.id...)
	b = append(b, `","method":"`...)
	b = append(b, q.method...)
	b = append(b, `","path":`...)
	b = appendJSONString(b, q.uri)
	if status != 0 {
		b = append(b, `,"status":`...)
		b = strconv.AppendInt(b, int64(status), 10)
		b = append(b, `,"duration_ms":`...)
		b = strconv.AppendFloat(b, float64(took.Microseconds())/1000, 'f', -1, 64)
	}
	b = append(b, `,"instance":"`...)
	b = append(b, servers[s].addr...)
	b = append(b, `"}`...)
	g.buf = b
	g.emit(App, t, b)
}
