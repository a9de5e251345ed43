package classify

import (
	"slices"
	"time"

	"fivexx/sources"
)

// A failure line explains only a 5xx its reason can have made. nginx sends
// 504 when the attempt that ended a request timed out, 502 for its other
// upstream failures (refused, reset, closed before the header, a bad
// header, no live upstreams), and its limiters' status (limit_req_status,
// 503 by default) for "limiting requests" (formats.md §2.2); Caddy and
// Traefik log the status with the line. The app's own 500 or 503 is none
// of these. So when several 5xx of one client, method, path and second
// want the same lines (assign.go), a line goes first to a 5xx whose status
// its reason makes, and only then by serial and order:
//   - e leaves to the others the lines of a status e cannot have been sent
//     for (its own status, or one of its upstream statuses: a retried
//     request's first attempt) when a 5xx waiting beside it that can
//     wants one of them;
//   - of the lines left, e picks its serial among those its status can
//     have come from when there are any (its tier), else among the rest;
//   - only lines of its tier make e's pick a guess.
//
// A 5xx with no rival that can have them still takes such lines, as
// before: a rewritten status (error_page 502 =503) or a retry the access
// line does not list.

// madeStatus is the status the proxy sends for a request that x's failure
// ended: the status x logs, or the one its reason makes; 0 when it may be
// any (no reason, a failure after the header, a client gone).
func madeStatus(x *sources.ProxyError) int {
	if x.Status != 0 {
		return int(x.Status)
	}
	switch x.Reason {
	case sources.ReasonRefused, sources.ReasonDNS, sources.ReasonTLS, sources.ReasonReset,
		sources.ReasonBadResponse, sources.ReasonNoLiveUpstreams:
		return 502
	case sources.ReasonConnectTimeout, sources.ReasonReadTimeout:
		return 504
	case sources.ReasonRateLimited, sources.ReasonConnLimited:
		return 503
	}
	return 0
}

// canBeSent reports whether e can have come from a line that makes status
// s: s is e's status or one of its upstream statuses, or s is 0 (any).
func canBeSent(e *sources.ProxyEntry, s int) bool {
	if s == 0 || e.Status == s {
		return true
	}
	for _, us := range e.UpstreamStatus {
		if len(us) == 3 && int(us[0]-'0')*100+int(us[1]-'0')*10+int(us[2]-'0') == s {
			return true
		}
	}
	return false
}

// errPrefs is how e ranks the lines that fit it by their status (the rules
// above).
type errPrefs struct {
	e *sources.ProxyEntry
	// left is the statuses whose lines e leaves to another 5xx.
	left []int
	// good says that a line in e's reach can be e's by its status (or
	// is of e's own serial): its tier is those lines.
	good bool
	// bad says that some line in e's reach cannot.
	bad bool
}

// isGood reports whether e's status can have come from x, or x is of e's
// own serial, or x is an attempt of e's own connection that logs no
// status: Caddy's reverse_proxy entry at DEBUG ("upstream roundtrip"),
// one per try. A try refused before another server answered the app's
// 500 is the request's all the same (its failed attempt): the tier of
// its status left it out, the answering try's entry alone was taken.
func (p *errPrefs) isGood(x *sources.ProxyError) bool {
	return p.e.Conn != "" && x.Conn == p.e.Conn || canBeSent(p.e, madeStatus(x)) ||
		x.Status == 0 && x.ClientPort != "" && x.ClientPort == p.e.ClientPort
}

// candidate reports whether e may take x: not left to another 5xx.
func (p *errPrefs) candidate(x *sources.ProxyError) bool {
	return !p.bad || p.isGood(x) || !slices.Contains(p.left, madeStatus(x))
}

// inTier reports whether x is of e's tier: the lines it picks its serial
// among, and the only ones that make its pick a guess.
func (p *errPrefs) inTier(x *sources.ProxyError) bool {
	if !p.bad {
		return true
	}
	if p.good {
		return p.isGood(x)
	}
	return p.candidate(x)
}

// scanPrefs is e's errPrefs over in (the lines that fit it), found by a
// look at each line for each 5xx waiting beside e.
func (c *correlator) scanPrefs(e *sources.ProxyEntry, in []*sources.ProxyError) errPrefs {
	p := errPrefs{e: e}
	var bad []int
	for _, x := range in {
		if p.isGood(x) {
			p.good = true
		} else if s := madeStatus(x); !slices.Contains(bad, s) {
			bad = append(bad, s)
		}
	}
	if len(bad) == 0 {
		return p
	}
	p.bad = true
	c.keyRivals(e, func(w *sources.ProxyEntry) {
		from, to := c.errSpan(w)
		for _, s := range bad {
			if !canBeSent(w, s) || slices.Contains(p.left, s) {
				continue
			}
			for _, x := range in {
				if madeStatus(x) == s && !p.isGood(x) && errFits(w, x, from, to) {
					p.left = append(p.left, s)
					break
				}
			}
		}
	})
	return p
}

// indexPrefs is scanPrefs through the index, for a 5xx e without a serial
// or client port all of whose span's lines [from, to] fit (shareOutIndexed).
func (c *correlator) indexPrefs(e *sources.ProxyEntry, x *errIndex, from, to time.Time) errPrefs {
	p := errPrefs{e: e}
	var bad []int // of x.byStatus, with lines in the span
	for k := range x.byStatus {
		sl := &x.byStatus[k]
		if i, j := heldFrom(sl.lines, from.Add(-1), from), heldBefore(sl.lines, to.Add(1), to); i >= j {
			continue
		}
		if canBeSent(e, sl.status) {
			p.good = true
		} else {
			bad = append(bad, k)
		}
	}
	if len(bad) == 0 {
		return p
	}
	p.bad = true
	c.keyRivals(e, func(w *sources.ProxyEntry) {
		wf, wt := c.errSpan(w)
		for _, k := range bad {
			sl := &x.byStatus[k]
			if !canBeSent(w, sl.status) || slices.Contains(p.left, sl.status) {
				continue
			}
			if x.statusFits(w, wf, wt, sl, from, to) {
				p.left = append(p.left, sl.status)
			}
		}
	})
	return p
}

// statusLines is the lines of one madeStatus, in time order.
type statusLines struct {
	status int
	lines  []heldErr
}

// statusOf is the lines of x that make status s, added if new.
func (x *errIndex) statusOf(s int) *statusLines {
	for i := range x.byStatus {
		if x.byStatus[i].status == s {
			return &x.byStatus[i]
		}
	}
	x.byStatus = append(x.byStatus, statusLines{status: s})
	return &x.byStatus[len(x.byStatus)-1]
}

// statusFits reports whether a line of sl within [from, to] may be w's,
// w's span being [wf, wt] (errFits).
func (x *errIndex) statusFits(w *sources.ProxyEntry, wf, wt time.Time, sl *statusLines, from, to time.Time) bool {
	if w.Client != x.client || w.Method != x.method || w.Path != x.path {
		return false
	}
	i, j := heldFrom(sl.lines, from.Add(-1), from), heldBefore(sl.lines, to.Add(1), to)
	if i >= j {
		return false
	}
	switch {
	case w.Conn == "" && w.ClientPort == "" && !x.limitBars(w):
		a, b := heldFrom(sl.lines, wf.Add(-1), wf), heldBefore(sl.lines, wt.Add(1), wt)
		return max(a, i) < min(b, j)
	case w.Conn != "":
		// Only w's serial's lines and those without one may be w's.
		for _, s := range []string{w.Conn, ""} {
			for _, h := range x.bySerial[s] {
				if madeStatus(h.x) == sl.status && !h.x.Time.Before(from) && !h.x.Time.After(to) && errFits(w, h.x, wf, wt) {
					return true
				}
			}
		}
		return false
	}
	for _, h := range sl.lines[i:j] {
		if errFits(w, h.x, wf, wt) {
			return true
		}
	}
	return false
}
