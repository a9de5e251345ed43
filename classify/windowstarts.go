package classify

import (
	"time"

	"fivexx/sources"
)

// Which start lines the time window may take. Without request ids a
// refused 502 (no connection made: $upstream_connect_time "-") took the
// start line of a later request the proxy answered 200, logged 1.46 s
// after the 502's whole-second stamp, and was judged upstream_reset
// ("logged the start … but no end"), though that request's own
// "finished 200" 20 ms later had been set aside as another's
// (answeredNearer): 14 of 17 refused 502s of QA s36's --norid set with
// three shared paths. The rules are:
//
//   - a request the proxy never connected for (every attempt's
//     $upstream_connect_time "-": refused, connect timeout, no address)
//     has no app line: the app never saw it (neverConnected);
//   - a start line stamped after the proxy's end (its access time, the
//     whole second a whole-second stamp names, plus startSlack for two
//     hosts' clocks) is a later request's: a request starts before it
//     ends (startsAfter). On the app's clock: shifted by its skew;
//   - an end line set aside as a request's the proxy answered well takes
//     with it the start line it closes: of the same request id, or
//     without ids the latest open start of the same instance, method and
//     target before it, as earlyEnds pairs them (withoutTheirStarts);
//     when the end line logs the request's duration, the open start
//     nearest to its time less the duration, within durationSlack, and
//     none when none is that near: the late "finished 200" of a request
//     the proxy gave up on 5 s before closed, by the latest open start,
//     a reset 502's start 0.2 s before it, and the 502 lost its app line.

// startSlack is how far past the proxy's end a start line may be stamped
// and still be the request's: two hosts' clocks a little apart.
const startSlack = 250 * time.Millisecond

// neverConnected reports whether no upstream attempt of e connected: its
// connect times are logged and each is "-".
func neverConnected(e *sources.ProxyEntry) bool {
	if len(e.UpstreamConnect) == 0 {
		return false
	}
	for _, t := range e.UpstreamConnect {
		if t != "-" {
			return false
		}
	}
	return true
}

// startsAfter reports whether a is a start line stamped after e ended
// (the rules above).
func (c *correlator) startsAfter(e *sources.ProxyEntry, a *sources.AppEntry) bool {
	if a.Phase != sources.PhaseStart || appEnds(a) {
		return false
	}
	// The unit its own line was written in (entryUnit), not wholeSecond's
	// guess for every proxy: beside a Caddy log of fractions, nginx's
	// combined 502 stamped 09:48:10 lost its start at 10.614.
	end := e.Time.Add(entryUnit(e) + startSlack)
	return a.Time.Add(-c.appSkew(a)).After(end)
}

// withoutTheirStarts drops from lines (a window's, in time order) the
// start lines that the end lines in others (set aside as requests the
// proxy answered well) close. all are the path's lines the window looked
// at (in time order), up to last: the pairing walks them all, as the
// app wrote them, not only the lines that fit.
func withoutTheirStarts(lines, others, all []*sources.AppEntry, last time.Time) []*sources.AppEntry {
	drop := map[*sources.AppEntry]bool{}
	other := map[*sources.AppEntry]bool{}
	ids := map[string]bool{}
	for _, a := range others {
		if a.RequestID != "" {
			ids[a.RequestID] = true
		} else {
			other[a] = true
		}
	}
	if len(other) > 0 {
		type target struct{ instance, method, path string }
		var open map[target][]*sources.AppEntry
		for _, a := range all {
			if a.Time.After(last) {
				break
			}
			if a.RequestID != "" {
				continue
			}
			k := target{a.Instance, a.Method, a.Path}
			switch {
			case appEnds(a):
				s := open[k]
				i := closedStart(s, a)
				if i < 0 {
					continue
				}
				if other[a] {
					drop[s[i]] = true
				}
				open[k] = append(s[:i], s[i+1:]...)
			case a.Phase == sources.PhaseStart:
				if open == nil {
					open = map[target][]*sources.AppEntry{}
				}
				open[k] = append(open[k], a)
			}
		}
	}
	out := lines[:0:0]
	for _, a := range lines {
		if drop[a] || (a.RequestID != "" && ids[a.RequestID]) {
			continue
		}
		out = append(out, a)
	}
	return out
}

// durationSlack is how far from its end line's time less the duration it
// logs a start line may lie and be the one that end closes: the rounding
// of two millisecond stamps and of the duration, with room for a start
// logged a little after the request's clock started.
const durationSlack = 100 * time.Millisecond

// closedStart is the index in open (start lines, in time order) of the
// one end line end closes (withoutTheirStarts), -1 for none.
func closedStart(open []*sources.AppEntry, end *sources.AppEntry) int {
	if len(open) == 0 {
		return -1
	}
	if end.Duration < 0 {
		return len(open) - 1
	}
	at := end.Time.Add(-time.Duration(end.Duration * float64(time.Second)))
	slack := durationSlack
	if end.Time.Nanosecond() == 0 {
		slack += time.Second // whole-second stamps
	}
	best, gap := -1, slack
	for i, s := range open {
		if d := absDur(s.Time.Sub(at)); d <= gap {
			best, gap = i, d
		}
	}
	return best
}
