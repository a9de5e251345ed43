package main

import (
	"net/netip"
	"slices"
	"strings"
	"time"

	"fivexx/sources"
)

// appaccess.go tells an app's own access log from a proxy's when both are
// plain Combined Log Format: gunicorn and morgan 'combined' write what
// nginx's default log_format writes, and detection alone took such a file
// for a second proxy access log. The rules are:
//   - Only positional file inputs with no role or format given are looked
//     at; --app FILE says it outright and is read as app-access.
//   - The file's head must be read as nginx-combined with no upstream
//     field in any line (an app logs none), or as combined followed by a
//     request id field alone (nginx-upstream with rid=, request_id= or
//     req_id= and nothing else: gunicorn's and Apache's access log told to
//     log X-Request-ID); and another input must be a proxy's access log,
//     positional or given with --proxy (a given one stays the proxy's).
//   - Then it is the app's when every client in it is a loopback address
//     while the proxy's head has another (the proxy on the same host is
//     the app's only client) and it tells of the proxy's paths; or when
//     the two tell of the same requests (at least half of one's head's
//     lines, and two or more, have a method, path and status that the
//     other's head has within 2 s): the one only that can be an app's;
//     when both can, the one whose every line is HTTP/1.0 beside one whose
//     lines mostly are not (nginx speaks HTTP/1.0 to its upstream by
//     default, whatever its clients speak), else the one that logs
//     request ids the other lacks (the app logs the id the proxy sent it),
//     else the later of the two given (appOfPair).
//   - A copy of the proxy's lines (one nginx's two access_log files) and
//     a log of other requests (another vhost, a rotated file) stay a
//     proxy's access log, as before.

// appAccessWindow is how far apart the proxy's and the app's lines of one
// request may be stamped (whole seconds both, and the app's clock).
const appAccessWindow = 2 * time.Second

// clfHead is an input's head read as a proxy's access lines.
type clfHead struct {
	spec    int
	format  string
	entries []*sources.ProxyEntry
	// given: the input was given with --proxy: it is the proxy's, and
	// only the other of a pair can be the app's.
	given bool
	// idx: the keys the pair tests look entries up by, made once per
	// head (indexHead), not once per pair: with 120 per-vhost logs the
	// pairs' maps were 3 of a report's 3.6 CPU-s.
	idx *headIndex
}

// headIndex is what appOfPair's tests read of a head, made once.
type headIndex struct {
	copyKeys map[copyLine]bool      // copyOf's lines
	reqAt    map[string][]time.Time // sameRequests' method, path and status
	paths    map[string]bool        // samePaths' method and path
	copyKey  []copyLine             // each entry's copyOf line
	reqKey   []string               // each entry's method, path and status
	pathKey  []string               // each entry's method and path
	times    []time.Time            // each entry's time
	loop     []bool                 // each entry's client is loopback
	allLoop  bool
}

// copyLine is a line as copyOf compares it: the same client, second,
// request, protocol, status, size and user agent.
type copyLine struct {
	client, method, path, proto, agent string
	at                                 int64
	status                             int
	size                               int64
}

// indexHead makes h's index.
func indexHead(h *clfHead) {
	n := len(h.entries)
	x := &headIndex{
		copyKeys: make(map[copyLine]bool, n), reqAt: make(map[string][]time.Time, n), paths: make(map[string]bool, n),
		copyKey: make([]copyLine, n), reqKey: make([]string, n), pathKey: make([]string, n), times: make([]time.Time, n), loop: make([]bool, n),
		allLoop: true,
	}
	for k, e := range h.entries {
		c := copyLine{e.Client, e.Method, e.Path, e.Proto, e.UserAgent, e.Time.Unix(), e.Status, e.BodyBytes}
		x.copyKey[k] = c
		x.copyKeys[c] = true
		x.pathKey[k] = e.Method + " " + e.Path
		x.reqKey[k] = x.pathKey[k] + " " + itoa3(e.Status)
		x.reqAt[x.reqKey[k]] = append(x.reqAt[x.reqKey[k]], e.Time)
		x.paths[x.pathKey[k]] = true
		x.times[k] = e.Time
		x.loop[k] = loopback(e.Client)
		x.allLoop = x.allLoop && x.loop[k]
	}
	h.idx = x
}

// appAccessByRequests gives the app role to the positional inputs that
// are an app's access log by the rules above.
func appAccessByRequests(specs []sources.Spec, peeked *headCache) {
	var heads []clfHead
	// The heads of positional inputs first: with none, an input given as
	// the proxy's is not looked at (nor detected again).
	for _, given := range []bool{false, true} {
		if given && len(heads) == 0 {
			return
		}
		role := sources.RoleUnknown
		if given {
			role = sources.RoleProxy
		}
		for i := range specs {
			s := specs[i]
			if s.Role != role || s.Format != "" || !peekable(s) {
				continue
			}
			lines, _ := peeked.head(s.Path)
			// (A given role's sample is the one its input reads with.)
			if h, ok := proxyHead(s, lines, peeked.sample(s.Path, s.Role)); ok {
				h.spec, h.given = i, given
				indexHead(&h)
				heads = append(heads, h)
			}
		}
	}
	slices.SortFunc(heads, func(a, b clfHead) int { return a.spec - b.spec }) // as given
	app := make([]bool, len(heads))
	can := make([]bool, len(heads))
	for k := range heads {
		can[k] = canBeApp(heads[k])
	}
	near := nearRequests(heads)
	for j := 1; j < len(heads); j++ {
		for i := 0; i < j && !app[j]; i++ {
			if app[i] || !pairMayTell(heads[i], heads[j], can[i], can[j], near[j][i]) {
				continue
			}
			switch pairTest(heads[i], heads[j]) {
			case 0:
				app[i] = true
			case 1:
				app[j] = true
			}
		}
	}
	for k, h := range heads {
		if app[k] {
			specs[h.spec].Role = sources.RoleApp
		}
	}
}

// pairTest is appOfPair; a test counts its calls.
var pairTest = appOfPair

// pairMayTell says whether appOfPair(a, b) can say other than -1: one of
// the two can be an app's (canA, canB), and they share a request within
// appAccessWindow (near, from nearRequests) or one is all loopback beside
// one that is not and can be an app's. Only such pairs are tested: over
// 1,000 rotated access logs every pair's sameRequests was 55% of a
// report's 10.6 s (QA s37 qa5).
func pairMayTell(a, b clfHead, canA, canB, near bool) bool {
	if !canA && !canB {
		return false
	}
	loA, loB := a.idx.allLoop, b.idx.allLoop
	return near || (canB && loB && !loA) || (canA && loA && !loB)
}

// reqSecond is a request's method, path and status at a Unix second.
type reqSecond struct {
	req string
	sec int64
}

// nearRequests says, for each head j, which heads i before it have a line
// of the same method, path and status as one of j's within
// appAccessWindow (whole seconds apart at most its seconds: the floors of
// two times 2 s apart are 2 apart), from an index of every head's lines
// by request and second rather than from every pair: sameRequests is
// false for every other pair, both ways.
func nearRequests(heads []clfHead) map[int]map[int]bool {
	at := map[reqSecond][]int{}
	for k := range heads {
		x := heads[k].idx
		for l, key := range x.reqKey {
			rs := reqSecond{key, x.times[l].Unix()}
			if hs := at[rs]; len(hs) == 0 || hs[len(hs)-1] != k {
				at[rs] = append(hs, k)
			}
		}
	}
	span := int64(appAccessWindow / time.Second)
	near := map[int]map[int]bool{}
	for j := range heads {
		x := heads[j].idx
		for l, key := range x.reqKey {
			sec := x.times[l].Unix()
			for s := sec - span; s <= sec+span; s++ {
				for _, i := range at[reqSecond{key, s}] {
					if i >= j {
						break
					}
					if near[j] == nil {
						near[j] = map[int]bool{}
					}
					near[j][i] = true
				}
			}
		}
	}
	return near
}

// appOfPair says which of two positional heads, a given before b, is the
// app's access log of the other's requests: 0 for a, 1 for b, -1 for
// neither.
//   - A copy (most of b's lines are a's lines, or most of a's are b's,
//     client, time, request, status and size alike: one nginx's two
//     access_log files, or a stretch of one log) is neither.
//   - Only a combined log with no upstream field can be the app's; one
//     whose every client is loopback, beside one with another client, is
//     the app's when it tells of the other's paths (a monitoring vhost
//     polled from 127.0.0.1 does not).
//   - Else, when the two tell of the same requests within 2 s, the one
//     only that can be an app's (the other logs upstream fields, or was
//     given with --proxy): a gunicorn log given before nginx's is the
//     app's all the same, and nginx's log stays the proxy's. When both
//     can, bothApp says which.
func appOfPair(a, b clfHead) int {
	// Either way: a stretch of the proxy's log given before the log
	// (two overlapping captures) made the whole log the app's.
	if copyOf(a.idx, b.idx) || copyOf(b.idx, a.idx) {
		return -1
	}
	canA, canB := canBeApp(a), canBeApp(b)
	loA, loB := a.idx.allLoop, b.idx.allLoop
	switch {
	case canB && loB && !loA && samePaths(a.idx, b.idx):
		return 1
	case canA && loA && !loB && samePaths(b.idx, a.idx):
		return 0
	case !sameRequests(a.idx, b.idx) && !sameRequests(b.idx, a.idx):
		return -1
	case canA && canB:
		return bothApp(a, b)
	case canB:
		return 1
	case canA:
		return 0
	}
	return -1
}

// bothApp says which of two heads of the same requests, a given before
// b, both of which can be an app's, is the app's: 0 for a, 1 for b.
//   - The one whose every line is HTTP/1.0 beside one whose lines mostly
//     are not: nginx's proxy_http_version is 1.0 unless set, so the app
//     behind it logs 1.0 while the proxy logs its clients' 1.1 and 2.0.
//   - Else the one that logs request ids when the other logs none: the
//     proxy made the id (or passed the client's) and the app logs the
//     X-Request-ID it was sent. A gunicorn or Apache log with rid= beside
//     nginx's stock combined log was taken for the proxy's, nginx's for
//     the app's (the nginx-startapp-rid recording).
//   - Else the later one given, as fivexx's usage names them (access.log
//     error.log app.log).
func bothApp(a, b clfHead) int {
	switch pa, pb := allHTTP10(a.entries), allHTTP10(b.entries); {
	case pb && !pa && fewHTTP10(a.entries):
		return 1
	case pa && !pb && fewHTTP10(b.entries):
		return 0
	}
	switch ia, ib := loggedIDs(a.entries), loggedIDs(b.entries); {
	case ia && !ib:
		return 0
	}
	return 1
}

// allHTTP10 says whether every line of entries is an HTTP/1.0 request.
func allHTTP10(entries []*sources.ProxyEntry) bool {
	for _, e := range entries {
		if e.Proto != "HTTP/1.0" {
			return false
		}
	}
	return true
}

// fewHTTP10 says whether fewer than half of entries are HTTP/1.0
// requests.
func fewHTTP10(entries []*sources.ProxyEntry) bool {
	n := 0
	for _, e := range entries {
		if e.Proto == "HTTP/1.0" {
			n++
		}
	}
	return 2*n < len(entries)
}

// loggedIDs says whether some line logs a request id.
func loggedIDs(entries []*sources.ProxyEntry) bool {
	for _, e := range entries {
		if e.RequestID != "" {
			return true
		}
	}
	return false
}

// canBeApp says whether a head may be an app's access log: not given as
// the proxy's, combined, and no line logs an upstream field (an app logs
// none), a request id aside.
func canBeApp(h clfHead) bool {
	return !h.given && (h.format == "nginx-combined" || h.format == "nginx-upstream") && noUpstreamFields(h.entries)
}

// proxyHead reads lines as the proxy access log detection takes them
// for (sample, their detection); false when it takes them for no proxy's
// access log.
func proxyHead(s sources.Spec, lines []string, sample sources.Sample) (clfHead, bool) {
	det, err := sample.Detection()
	if err != nil || det.Format.Role != sources.RoleProxy || det.Wrapper != "" {
		return clfHead{}, false
	}
	p, err := det.Format.New(s.Opts)
	if err != nil {
		return clfHead{}, false
	}
	h := clfHead{format: det.Format.Name}
	for _, l := range lines {
		if rec, err := p.Parse(l); err == nil {
			if e, ok := rec.(*sources.ProxyEntry); ok {
				h.entries = append(h.entries, e)
			}
		}
	}
	return h, len(h.entries) > 0
}

// noUpstreamFields says that no line logs an upstream field: none but a
// request id (an app's access log may log the X-Request-ID it was sent).
func noUpstreamFields(entries []*sources.ProxyEntry) bool {
	for _, e := range entries {
		if e.Fields&^sources.FieldRequestID != 0 || e.Upstream != "" || len(e.UpstreamAddr) > 0 {
			return false
		}
	}
	return true
}

// sameRequests says whether half or more of app's lines, two at least,
// have a line in proxy with the same method, path and status within
// appAccessWindow.
func sameRequests(proxy, app *headIndex) bool {
	matched := 0
	for k, key := range app.reqKey {
		for _, t := range proxy.reqAt[key] {
			if d := t.Sub(app.times[k]); d <= appAccessWindow && d >= -appAccessWindow {
				matched++
				break
			}
		}
	}
	return matched >= 2 && 2*matched >= len(app.reqKey)
}

// samePaths says whether half or more of app's lines, two at least, have
// a method and path that proxy's lines have, at any time and status (an
// app's clock may be off; the paths are the proxy's all the same).
func samePaths(proxy, app *headIndex) bool {
	matched := 0
	for _, key := range app.pathKey {
		if proxy.paths[key] {
			matched++
		}
	}
	return matched >= 2 && 2*matched >= len(app.pathKey)
}

// copyOf says whether half or more of b's lines, two at least, are lines
// of a with a client that is not loopback: the same client, second,
// request, protocol, status, size and user agent (copyLine). One nginx
// writing two access_log files of the same requests writes that; an app
// behind it sees the proxy, not the client, as its client. (A loopback
// client, a tunnel or balancer on the host, may be the client of both.)
func copyOf(a, b *headIndex) bool {
	matched := 0
	for k, c := range b.copyKey {
		if !b.loop[k] && a.copyKeys[c] {
			matched++
		}
	}
	return matched >= 2 && 2*matched >= len(b.copyKey)
}

// loopback says whether a logged client address is a loopback one
// (127.0.0.1, ::1, Node's ::ffff:127.0.0.1).
func loopback(client string) bool {
	a, err := netip.ParseAddr(strings.Trim(client, "[]"))
	return err == nil && a.Unmap().IsLoopback()
}

// itoa3 writes a status for a map key.
func itoa3(n int) string {
	return string([]byte{byte('0' + n/100%10), byte('0' + n/10%10), byte('0' + n%10)})
}
