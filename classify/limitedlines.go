package classify

import (
	"strings"
	"time"

	"fivexx/sources"
)

// A limiter's line belongs to the request the limiter answered, whatever
// status that was. nginx logs "limiting requests" (or "connections") for
// every request its limit_req (limit_conn) rejects, and answers it with
// limit_req_status: 503 by default, often 429. errstatus.go takes such a
// line for a 503's; so with limit_req_status 429 the 429s' lines were left
// in the index, and an app's own 503 of the same client, method, path and
// second took one: proxy_rejected high beside the app's "finished with
// 503". A 4xx is no 5xx, so no 5xx waits for its lines: instead each 4xx
// uses up the nearest limiting line of its key within its span, as a 5xx
// uses up what it takes. The logs are read apart, so a 429 may come before
// its line: it leaves a claim that the line meets when it comes (only 429,
// the limiter status in use beside 503, so that other 4xx cost nothing
// while the error log lags).

// limitReach is how far apart in log time a 429 and its limiting line
// may be: nginx writes both while it rejects the request.
const limitReach = time.Second

// maxLimitClaims bounds the 429s waiting for their line: without an error
// log for them (another proxy's 429s) the oldest go.
const maxLimitClaims = 1024

// limitClaim is a 429 that found no limiting line yet; its text is copied,
// since the entry's is reused (keptentry.go).
type limitClaim struct {
	key                  errJoin
	client, method, path string
	conn                 string
	t                    time.Time
}

// limits reports whether x is a limiter's rejection.
func limits(x *sources.ProxyError) bool {
	return x.Reason == sources.ReasonRateLimited || x.Reason == sources.ReasonConnLimited
}

// pastLimiters reports whether e's access line shows that the proxy sent
// it on to an upstream whose answer is its status: no limiter's line is
// then e's (errFits). nginx's limit_req and limit_conn act in its
// preaccess phase, before the content phase proxies, and answer a request
// they limit without an upstream. A status an upstream did not send (an
// error_page over the limiter's 503 that proxies to a fallback: 503 with
// the fallback's 200) may still be the limiter's. The demo's load burst
// (nginx-upstream with $connection): the app's own 503 (us="503",
// uht="0.001") took the "*27635 limiting requests" line of the limited
// 503 (ua="-") of its connection, second and path, and that one was
// proxy_rejected medium, "nginx most likely answered on its own without
// logging an error" (TestLimiterLineIsNotAnUpstreamAnswers).
func pastLimiters(e *sources.ProxyEntry) bool {
	if e.UpstreamContacted != sources.Yes {
		return false
	}
	s := e.LastUpstreamStatus()
	return s == 0 || s == e.Status
}

// limitBars reports whether x may hold limiter lines that w cannot have
// (pastLimiters): the index's searches by time, which take every line of
// a span for w's, do not tell w's lines then, and a look at each does.
// Limiter lines give proxy_rejected (reasonCause).
func (x *errIndex) limitBars(w *sources.ProxyEntry) bool {
	if !pastLimiters(w) {
		return false
	}
	for _, c := range x.causes {
		if c.cause == ProxyRejected {
			return true
		}
	}
	return false
}

// useLimited is called with each 4xx access line: it uses up the nearest
// limiting line of p's key, or, when claim is set (a 429 beside an error
// log), leaves a claim for it.
func (c *correlator) useLimited(p *sources.ProxyEntry, claim bool) {
	if (c.errorLines == 0 || c.limitLines == 0) && !claim {
		// No error log with request lines (yet), or none of its lines
		// was a limiter's: nothing to take. The key's hash and lookup
		// were most of what a 4xx cost the report.
		return
	}
	k := errKey(p.Client, p.Method, p.Path)
	if s, ok := c.errsBy[k]; ok {
		l := s.list()
		from, to := c.errSpan(p)
		var best *sources.ProxyError
		for _, x := range l.fitting(p, from, to) {
			if limits(x) && (best == nil || gapOf(x.Time, p.Time) < gapOf(best.Time, p.Time)) {
				best = x
			}
		}
		if best != nil {
			c.useUpErr(k, l, best)
			return
		}
	}
	if !claim || pastLimiters(p) {
		return // an upstream's own 429 waits for no limiter line
	}
	if len(c.limitClaims) == maxLimitClaims {
		c.limitClaims = append(c.limitClaims[:0], c.limitClaims[1:]...)
	}
	c.limitClaims = append(c.limitClaims, limitClaim{key: k, client: strings.Clone(p.Client),
		method: strings.Clone(p.Method), path: strings.Clone(p.Path), conn: strings.Clone(p.Conn), t: p.Time})
}

// claimedLimit reports whether a 429 logged before it claims r, a limiting
// line about to be held; the claim is then met. Claims too old for any
// later line go.
func (c *correlator) claimedLimit(k errJoin, r *sources.ProxyError) bool {
	old := 0
	for old < len(c.limitClaims) && c.limitClaims[old].t.Before(r.Time.Add(-limitReach)) {
		old++
	}
	if old > 0 {
		c.limitClaims = append(c.limitClaims[:0], c.limitClaims[old:]...)
	}
	for i, cl := range c.limitClaims {
		if cl.key != k || cl.client != r.Client || cl.method != r.Method || cl.path != r.Path ||
			gapOf(cl.t, r.Time) > limitReach || cl.conn != "" && r.Conn != "" && cl.conn != r.Conn {
			continue
		}
		c.limitClaims = append(c.limitClaims[:i], c.limitClaims[i+1:]...)
		return true
	}
	return false
}

// useUpErr takes x out of l, the error lines of key k.
func (c *correlator) useUpErr(k errJoin, l errList, x *sources.ProxyError) {
	delete(c.contested, x)
	if l = l.remove(x); l.empty() {
		delete(c.errsBy, k)
	} else {
		c.errsBy[k] = l.slot()
	}
}
