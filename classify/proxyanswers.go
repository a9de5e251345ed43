package classify

import (
	"time"

	"fivexx/sources"
)

// An app line the time window finds near a 5xx may be another request's,
// one the proxy answered well: without request ids the window cannot
// tell, and a 500 at :05 took the app's "request failed: db down" (no
// status) and the next request's "status=200" at :06.002, whose own 200
// access line was stamped :06. The evidence said "app: finished with
// 200 … : "request failed: db down"": the status of one request and the
// quote of another (QA s23 F4). The rules are:
//   - An app line that finished a request below 500 is not a 5xx's when
//     the proxy answered a request of the same method, target (path and
//     query) and status nearer to the line than the 5xx (on the proxy's
//     clock: the app's time less its skew). A tie keeps it with the 5xx.
//   - Not for a request the proxy gave up on (a 504, a read timeout): it
//     ends in the app when it ends, after the 5xx, among the 200s of the
//     requests that did not wait as long ("the app finished after the
//     proxy gave up"). In a slow-dependency minute (big2m's combined log
//     beside its app log) 397 such 504s lost their own late 200, which
//     the app had logged with the 504's request id.
//   - The proxy's answers below 500 are counted only once the window may
//     have app lines to join: from the first access line without an id
//     when an app log is read, or from the first app line indexed by path
//     (one without an id, or any where the proxy logs none). A report
//     whose lines all join by id, or that reads no app log, pays nothing.
//   - They are kept in a fixed table by method, path, status and second,
//     with the earliest and latest instant of each (a whole-second stamp
//     stands for its whole second, as appGap reads it): the nearer of the
//     two bounds the distance to the nearest such request. A key that
//     lost its slot to another finds nothing, and the line stays a
//     candidate as before. The hash is fixed (FNV-1a), so which keys
//     share a slot, and so every verdict, is the same on every run.

// answerSlots is the size of the table of the proxy's answers.
const answerSlots = 1 << 14

// proxyAnswers is the table; nil slots until the window has lines.
type proxyAnswers struct {
	slots []answerSlot
}

// answerSlot holds the requests of one key in one second.
type answerSlot struct {
	key    uint64 // answerKey; 0: empty
	lo, hi int64  // Unix nanoseconds of the earliest and latest
	whole  bool   // a whole-second stamp among them: [second, second+1)
}

// start makes the table, once.
func (p *proxyAnswers) start() {
	if p.slots == nil {
		p.slots = make([]answerSlot, answerSlots)
	}
}

func (p *proxyAnswers) on() bool { return p.slots != nil }

// answerKey hashes method, the path with its query (as appFits tells
// requests apart: /api/search?q=a is not /api/search?q=b), status and the
// second, never 0.
func answerKey(method, path string, status int, sec int64) uint64 {
	const prime = 1099511628211
	h := uint64(14695981039346656037)
	for i := 0; i < len(method); i++ {
		h = (h ^ uint64(method[i])) * prime
	}
	h = (h ^ 0xff) * prime
	for i := 0; i < len(path); i++ {
		h = (h ^ uint64(path[i])) * prime
	}
	h = (h ^ uint64(status)) * prime
	h = (h ^ uint64(sec)) * prime
	return h | 1
}

// add notes e, a request the proxy answered below 500; whole says its
// stamp is a whole second of a log that writes no fraction.
func (p *proxyAnswers) add(e *sources.ProxyEntry, whole bool) {
	k := answerKey(e.Method, e.Path, e.Status, e.Time.Unix())
	s := &p.slots[k&(answerSlots-1)]
	ns := e.Time.UnixNano()
	if s.key != k {
		*s = answerSlot{key: k, lo: ns, hi: ns, whole: whole}
		return
	}
	s.lo, s.hi, s.whole = min(s.lo, ns), max(s.hi, ns), s.whole || whole
}

// nearest bounds from above the distance from t to a request of method,
// path and status the proxy answered, in t's second or the one either
// side; false when none is known there.
func (p *proxyAnswers) nearest(method, path string, status int, t time.Time) (time.Duration, bool) {
	best, found := time.Duration(0), false
	ns := t.UnixNano()
	for sec := t.Unix() - 1; sec <= t.Unix()+1; sec++ {
		k := answerKey(method, path, status, sec)
		s := &p.slots[k&(answerSlots-1)]
		if s.key != k {
			continue
		}
		var d time.Duration
		if s.whole {
			from := sec * int64(time.Second)
			to := from + int64(time.Second)
			switch {
			case ns < from:
				d = time.Duration(from - ns)
			case ns > to:
				d = time.Duration(ns - to)
			}
		} else {
			d = min(absDur(time.Duration(ns-s.lo)), absDur(time.Duration(ns-s.hi)))
		}
		if !found || d < best {
			best, found = d, true
		}
	}
	return best, found
}

// answeredNearer reports whether app line a finished a request the proxy
// answered below 500 nearer to a than e (see the rules above): that
// request's line, not e's.
func (c *correlator) answeredNearer(e *sources.ProxyEntry, a *sources.AppEntry) bool {
	if !c.answers.on() || a.Status < 100 || a.Status >= 500 || e.Status == 504 || e.Reason == sources.ReasonReadTimeout {
		return false
	}
	method := a.Method
	if method == "" {
		method = e.Method // appFits let it be e's
	}
	skew := c.appSkew(a)
	d, ok := c.answers.nearest(method, a.Path, a.Status, a.Time.Add(-skew))
	if len(c.late) > 0 {
		if w, late := c.late[a]; late {
			// A late line's request ended as late as w (applate.go).
			if dw, okw := c.answers.nearest(method, a.Path, a.Status, w.Add(-skew)); okw && (!ok || dw < d) {
				d, ok = dw, true
			}
		}
	}
	return ok && d < c.appGap(e, a)
}
