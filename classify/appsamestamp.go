package classify

import (
	"slices"
	"time"

	"fivexx/sources"
)

// One request's app lines without a request id go to one 5xx together
// when the lines show they are one request's. The time window joins
// such lines one by one (claimApp: the nearest start and end of each
// instance), and an app that writes a request's start, error and end in
// the same millisecond saw them shared out: real nginx 1.22, combined,
// three 502s of one second (QA s29, qa29-combined/ngB, 02:53:01): one
// 502 took the start of 01,825 alone and read "logged the start but no
// end", another its "request finished … status=502" without its start.
//
// The rules are: lines of one instance (service and instance), method
// and target, without ids, stamped at the same instant of a log that
// writes milliseconds or finer, are one request's from a start line to
// the first end line after it (appEnds), with what lies between and
// what of theirs that is neither a start nor an end was written just
// before the start (after any start or end before it: an app writes one
// millisecond's lines in no set order, and nginx-late-maint's app logged
// a request's "db query failed" at 10:44:37.282 before its "request
// started"; left out, it went to another 500 2.4 s later and the 500 it
// came from lost the app's error), when
//
//   - no other start line of theirs lies between the two: a start, then
//     another, then an end is two requests and one end, and which one
//     ended, only the order of concurrent writes chose;
//   - no start line of theirs stamped the same instant before the start
//     is still open (not followed by an end before it): that end may be
//     the earlier one's;
//   - the end line logs no duration as long as the stamp's unit: such a
//     request began before the start line's instant (another request's).
//
// A busy instance's requests that merely share a millisecond do not
// meet these: two of them started in it leave a start between or open.
// Two quick requests one after the other in it (start, end, start, end)
// are two such requests.
//
// Such a request is claimed whole, as one request id's lines are (its
// end line decides whom it fits best). When the window of a 5xx holds
// only part of one (its end finished a request the proxy answered well,
// or went to another 5xx), the rest is that request's too, and not the
// 5xx's.

// sameStampRequest returns the lines of the request that start line s
// opens, by the rules above, in log order, its end last; nil
// when the lines do not show one.
func (c *correlator) sameStampRequest(s *sources.AppEntry) []*sources.AppEntry {
	unit := stampUnit(s.Time)
	if s.RequestID != "" || s.Phase != sources.PhaseStart || unit > time.Millisecond {
		return nil
	}
	all := c.byPath[pathOnly(s.Path)]
	open := 0 // start lines of the same instant before s, not ended
	// before is the lines of the instant before s that are neither starts
	// nor ends, written after the last start or end before s: s's own,
	// logged before its start line (the app's writes of one millisecond
	// are not ordered).
	var before []*sources.AppEntry
	var out []*sources.AppEntry
	for _, a := range all[firstFrom(all, s.Time):] {
		if !a.Time.Equal(s.Time) {
			break
		}
		if !sameRequestKey(a, s) {
			continue
		}
		switch {
		case a == s:
			if open > 0 {
				return nil
			}
			out = append(before, a)
		case out == nil: // before s
			switch {
			case a.Phase == sources.PhaseStart:
				open++
				before = nil
			case appEnds(a):
				if open > 0 {
					open--
				}
				before = nil // they may be the ended request's
			default:
				before = append(before, a)
			}
		case a.Phase == sources.PhaseStart:
			return nil
		case appEnds(a):
			if a.Duration >= unit.Seconds() {
				return nil
			}
			return append(out, a)
		default:
			out = append(out, a)
		}
	}
	return nil
}

// sameRequestKey reports whether a and s, lines without request ids, may
// be one request's: the same service, instance, method and target.
func sameRequestKey(a, s *sources.AppEntry) bool {
	return a.RequestID == "" && a.Service == s.Service && a.Instance == s.Instance && a.Method == s.Method && a.Path == s.Path
}

// bareRequests splits lines without request ids (a window's, in time
// order) into the requests sameStampRequest shows, in time order, and
// the rest, which claimApp takes line by line. The lines of such a
// request that are not all among lines are left out of both.
func (c *correlator) bareRequests(lines []*sources.AppEntry) (whole [][]*sources.AppEntry, rest []*sources.AppEntry) {
	var grouped map[*sources.AppEntry]bool // lines of whole, or of a request partly elsewhere
	for i, s := range lines {
		if s.Phase != sources.PhaseStart || grouped[s] {
			continue
		}
		u := c.sameStampRequest(s)
		if u == nil {
			continue
		}
		if grouped == nil {
			grouped = map[*sources.AppEntry]bool{}
		}
		first := i // u's lines before s are among the window's just before it
		for first > 0 && lines[first-1].Time.Equal(s.Time) {
			first--
		}
		same := lines[first:]
		same = same[:sameInstant(same)]
		in := true
		for _, a := range u {
			in = in && slices.Contains(same, a)
		}
		for _, a := range u {
			grouped[a] = true
		}
		if in {
			whole = append(whole, u)
		}
	}
	if grouped == nil {
		return nil, lines
	}
	for _, a := range lines {
		if !grouped[a] {
			rest = append(rest, a)
		}
	}
	return whole, rest
}

// sameInstant is how many of lines (in time order) are stamped as the
// first.
func sameInstant(lines []*sources.AppEntry) int {
	for i, a := range lines {
		if !a.Time.Equal(lines[0].Time) {
			return i
		}
	}
	return len(lines)
}
