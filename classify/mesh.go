package classify

import (
	"strconv"
	"strings"
	"time"

	"fivexx/sources"
)

// In a service mesh (Istio, any Envoy sidecar) one request passes two
// sidecars, and both log it: the caller's outbound sidecar
// (%UPSTREAM_CLUSTER% "outbound|8080||web.default.svc.cluster.local") and
// the callee's inbound sidecar ("inbound|8080||"), with the same
// x-request-id. Given both logs, each 5xx was counted and judged twice, and
// the outbound's copy of the inbound's 503 UF (response_flags "-", the
// 503 came "via_upstream") was judged app_unavailable. The rules:
//   - Two entries are hops of one request only when all of this holds:
//     one is an outbound sidecar's and the other an inbound sidecar's
//     (sources.ProxyEntry.Hop); both carry the same request id (no id, no
//     merge); the same method and path; the inbound hop's span (start to
//     end) lies within the outbound's, give or take meshSkew (two nodes'
//     clocks); and when both log the connection between the sidecars
//     (sources.ProxyEntry.Conn: the outbound's %UPSTREAM_LOCAL_ADDRESS%, the
//     inbound's %DOWNSTREAM_REMOTE_ADDRESS%), it is the same one (by host
//     alone when one has no port). An outbound entry is one request: two
//     outbound entries never merge, and an inbound entry joins one
//     outbound only. Inbound entries with no outbound one (only the
//     callee's log is read) stay requests of their own, as before.
//   - The request is counted once, as the outbound sidecar logged it: the
//     status its caller got. An inbound entry that comes first is counted
//     until its outbound one comes, then taken back; one that comes after
//     is not counted. Retried attempts (several inbound hops, outbound
//     URX) are one request too.
//   - One verdict per request, made with the outbound entry's 5xx: when
//     the outbound sidecar made the 5xx itself (its flags: UH, UF, UT, UO …)
//     its entry decides; when it passed on its upstream's answer, the
//     inbound hop that made that answer (the same status) decides: its
//     UF says the app's port refused, its "via_upstream" that the app
//     answered. The evidence says which hop made the 5xx. A 5xx of the
//     inbound hop under an outbound 2xx (a retry that succeeded) is no
//     5xx of the request: no verdict.
//   - A hop that comes after the request's verdict was made (more than
//     the grace later) is counted as the same request and judged no
//     more; an outbound hop after an inbound hop's verdict leaves that
//     verdict and its count as they are.
//   - Hops are kept for Config.Retain of log time.

// meshSkew is how far apart two sidecars' clocks may put the same moment.
const meshSkew = time.Second

// maxMeshRequests bounds the requests kept for pairing.
const maxMeshRequests = 100_000

// meshHop is what is kept of one sidecar's entry of a request.
type meshHop struct {
	hop        sources.Hop
	status     int
	start, end time.Time
	conn       string
	// entry is the kept 5xx entry of a hop that may decide (an inbound
	// hop's 5xx, absorbed before its verdict), nil otherwise.
	entry *sources.ProxyEntry
	in    *sources.Input
	said  string // the hop as the evidence names it (hopText)
}

// meshRequest is one request's hops.
type meshRequest struct {
	id, method, path string
	out              *meshHop
	ins              []meshHop
	// counted is the request's count, while an inbound hop stands for
	// it (no outbound hop yet): taken back when the outbound one comes.
	counted    requestStat
	hasCounted bool
	// absorbed says the request's inbound hops went to an outbound
	// hop's request: their waiting 5xx are judged with it, not alone.
	absorbed bool
	judged   bool // its verdict was made
	last     time.Time
}

// meshIndex keeps the recent requests of sidecar entries by request id.
type meshIndex struct {
	byID  map[uint64][]*meshRequest
	order []meshRef // arrival order, for eviction
	head  int
}

// hopSpan is the log-time span of a sidecar's entry: from its start to its end.
func hopSpan(p *sources.ProxyEntry) (start, end time.Time) {
	start = p.Time
	if p.RequestTime > 0 {
		start = p.Time.Add(-time.Duration(p.RequestTime * float64(time.Second)))
	}
	return start, p.Time
}

// sameConn reports whether two ends logged as "ip:port" (or "ip") may be
// the same connection's: equal, or the same host when one has no port.
func sameConn(a, b string) bool {
	if a == "" || b == "" || a == b {
		return true
	}
	ha, pa := splitPort(a)
	hb, pb := splitPort(b)
	if pa != "" && pb != "" && pa != "0" && pb != "0" {
		return false // Istio 1.6 logs some inbound ends with port 0: no port
	}
	return ha == hb
}

func splitPort(s string) (host, port string) {
	i := strings.LastIndexByte(s, ':')
	if i < 0 || strings.Count(s, ":") > 1 && !strings.HasPrefix(s, "[") {
		return s, ""
	}
	host, port = s[:i], s[i+1:]
	for j := 0; j < len(port); j++ {
		if port[j] < '0' || port[j] > '9' {
			return s, ""
		}
	}
	return strings.Trim(host, "[]"), port
}

// nests reports whether the inbound hop in lies within the outbound hop
// out: its span, with meshSkew, and its connection.
func nests(out, in *meshHop) bool {
	return !in.start.Before(out.start.Add(-meshSkew)) && !in.end.After(out.end.Add(meshSkew)) && sameConn(out.conn, in.conn)
}

// hopText names a hop for the evidence: its sidecar, status and flags.
func hopText(p *sources.ProxyEntry) string {
	side := "the callee's inbound sidecar"
	if p.Hop == sources.HopOutbound {
		side = "the caller's outbound sidecar"
	}
	s := side + " logged " + strconv.Itoa(p.Status)
	if p.Flags != "" {
		s += " response_flags " + p.Flags
	}
	if len(p.UpstreamAddr) > 0 && p.UpstreamAddr[len(p.UpstreamAddr)-1] != "-" {
		s += " upstream_host " + p.UpstreamAddr[len(p.UpstreamAddr)-1]
	}
	return s
}

// meshSaid is what the evidence says of a request's hops.
type meshSaid struct {
	id      string
	decided string   // the hop whose fields the verdict is judged from (hopText)
	out     string   // the outbound hop, when an inbound one decided
	others  []string // the other inbound hops
}

// line returns the evidence line of the hops.
func (m *meshSaid) line() string {
	n := len(m.others) + 1
	if m.out != "" {
		n++
	}
	s := "service mesh: one request (x-request-id " + m.id + "), " + strconv.Itoa(n) + " sidecar entries: " + m.decided
	if m.out == "" {
		s += ", which made the 5xx itself"
	} else {
		s += ", which made the 5xx"
	}
	if len(m.others) > 0 {
		s += "; other attempts: " + strings.Join(m.others, "; ")
	}
	if m.out != "" {
		s += "; " + m.out + ", passing it on: the fields below are the inbound hop's"
	}
	return s
}

// meshAdd takes the sidecar entry p (Hop set, with a request id), before
// it is counted: the request it is a hop of, and whether it counts as a
// request (and its 5xx waits for a verdict of its own).
func (e *Engine) meshAdd(in *sources.Input, p *sources.ProxyEntry) (r *meshRequest, counted bool) {
	m := &e.mesh
	if m.byID == nil {
		m.byID = map[uint64][]*meshRequest{}
	}
	h := p.IDKey()
	start, end := hopSpan(p)
	hop := meshHop{hop: p.Hop, status: p.Status, start: start, end: end, conn: strings.Clone(p.Conn), in: in, said: hopText(p)}
	five := p.Status >= 500 && p.Status <= 599
	path := pathOnly(p.Path)
	same := func(q *meshRequest) bool { return q.id == p.RequestID && q.method == p.Method && q.path == path }
	list := m.byID[h]
	if p.Hop == sources.HopInbound {
		for _, q := range list {
			if q.out != nil && same(q) && nests(q.out, &hop) {
				if five && !q.judged {
					hop.entry = p
				}
				q.ins = append(q.ins, hop)
				if p.Time.After(q.last) {
					q.last = p.Time
				}
				return q, false
			}
		}
		r = m.add(h, p, path)
		if five {
			hop.entry = p
		}
		r.ins = append(r.ins, hop)
		r.counted, r.hasCounted = e.stats.requestStat(p), true
		return r, true
	}
	var took []*meshRequest
	for _, q := range list {
		if q.out != nil || q.absorbed || !same(q) {
			continue
		}
		all := true
		for i := range q.ins {
			if !nests(&hop, &q.ins[i]) {
				all = false
				break
			}
		}
		if !all {
			continue
		}
		if q.judged {
			// Its verdict is made: this entry is its hop, neither
			// counted nor judged again.
			q.out = &hop
			return q, false
		}
		took = append(took, q)
	}
	r = m.add(h, p, path)
	r.out = &hop
	for _, q := range took {
		q.absorbed = true
		r.ins = append(r.ins, q.ins...)
		if q.hasCounted {
			e.stats.unrequest(q.counted)
			q.hasCounted = false
		}
	}
	return r, true
}

// add registers a new request of p.
func (m *meshIndex) add(h uint64, p *sources.ProxyEntry, path string) *meshRequest {
	r := &meshRequest{id: strings.Clone(p.RequestID), method: strings.Clone(p.Method), path: strings.Clone(path), last: p.Time}
	m.byID[h] = append(m.byID[h], r)
	m.order = append(m.order, meshRef{h, r})
	if len(m.order)-m.head > maxMeshRequests {
		m.drop()
	}
	return r
}

// meshRef is a request in arrival order, with its key.
type meshRef struct {
	h uint64
	r *meshRequest
}

// drop lets go of the oldest request.
func (m *meshIndex) drop() {
	ref := m.order[m.head]
	m.order[m.head] = meshRef{}
	m.head++
	removeFrom(m.byID, ref.h, ref.r)
	if m.head > len(m.order)/2 && m.head > 1024 {
		n := copy(m.order, m.order[m.head:])
		clear(m.order[n:])
		m.order, m.head = m.order[:n], 0
	}
}

// evict lets go of the requests last seen before limit.
func (m *meshIndex) evict(limit time.Time) {
	for m.head < len(m.order) && m.order[m.head].r.last.Before(limit) {
		m.drop()
	}
}

// meshJudge picks, for the waiting 5xx p of request r, the entry its
// verdict is judged from (p's own, or the inbound hop that made the
// 5xx the outbound passed on) and says so; skip says p is judged with
// another entry, or was.
func meshJudge(p pendingEntry) (judged *sources.ProxyEntry, in *sources.Input, said *meshSaid, skip bool) {
	r := p.mesh
	if r.judged || (p.e.Hop == sources.HopInbound && r.absorbed) {
		return nil, nil, nil, true
	}
	r.judged = true
	judged, in = p.e, p.in
	if r.out == nil {
		return judged, in, nil, false // an inbound hop alone
	}
	if len(r.ins) == 0 {
		return judged, in, nil, false // the outbound hop alone
	}
	said = &meshSaid{id: r.id, decided: r.out.said}
	d := -1
	if p.e.UpstreamAnswered == sources.Yes {
		for i := range r.ins {
			if r.ins[i].entry != nil && r.ins[i].status == p.e.Status {
				d = i
			}
		}
	}
	if d >= 0 {
		judged, in = r.ins[d].entry, r.ins[d].in
		said.decided, said.out = r.ins[d].said, r.out.said
	}
	for i := range r.ins {
		if i != d {
			said.others = append(said.others, r.ins[i].said)
		}
	}
	return judged, in, said, false
}
