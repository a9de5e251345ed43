package tui

import (
	"strconv"
	"strings"

	"fivexx/classify"
	"fivexx/sources"
)

// The rules: a filter is a case-insensitive substring. A verdict matches on
// its upstream (the row it counts in: "-" when it has none), a server it
// tried before that (triedBefore), method, path, status, cause or request id;
// on the request id also when the filter is that id as another program
// writes it (idMatches: the app's Cf-Ray or X-Amzn-Trace-Id). An upstream row
// matches on its name, its dominant cause, a status it answered in the
// window ("502") or a recent 5xx of it in the window that matches: a path
// keeps the upstreams with 5xx on it in the window, and so does a status
// the window does not count on its own (Counts.OtherFivexx: "530"). A cause matches on its
// name or a recent 5xx with it in the window that matches. The window is
// the one the rows' and causes' counts cover: a 5xx from before it kept a
// row of 503s alone under /refused. The filter is matched against the raw
// strings, not the sanitized ones, so what you type is what the log holds.
// While training mode hides the causes, nothing matches on a cause.

// containsFold reports whether any field contains filter, ignoring case.
func containsFold(filter string, fields ...string) bool {
	if filter == "" {
		return true
	}
	f := strings.ToLower(filter)
	for _, s := range fields {
		if strings.Contains(strings.ToLower(s), f) {
			return true
		}
	}
	return false
}

// recentMatches is the upstreams and the causes of the recent verdicts
// of s's window that pass the filter; causes says whether causes count.
// Both are nil when there is no filter.
func recentMatches(filter string, s *classify.Snapshot, causes bool) (map[string]bool, map[classify.Cause]bool) {
	if filter == "" {
		return nil, nil
	}
	ups, cs := map[string]bool{}, map[classify.Cause]bool{}
	for _, v := range s.Recent {
		if v == nil || v.Entry == nil || !s.InWindow(v.Entry.Time) || !verdictMatches(filter, v, causes) {
			continue
		}
		ups[upstreamRowName(v)] = true
		for _, a := range triedBefore(v.Entry) {
			ups[a] = true // its row counts the attempt (retry column)
		}
		if causes {
			cs[v.Cause] = true
		}
	}
	return ups, cs
}

// upstreamRowName is the name of the upstream row a 5xx counts in, as the
// stats name it (Verdict.Row): "-" for none, "(other)" for an upstream
// beyond the stats' cap of rows.
func upstreamRowName(v *classify.Verdict) string {
	if v.Row != "" {
		return v.Row
	}
	return entryUpstream(v.Entry)
}

// entryUpstream is the upstream a 5xx went to, "-" for none: what a
// single request's line shows, where "(other)" would say nothing.
func entryUpstream(e *sources.ProxyEntry) string {
	if e.Upstream == "" {
		return "-"
	}
	return e.Upstream
}

// upstreamMatches reports whether an upstream row passes the filter;
// causes says whether its causes count, recent holds the upstreams with a
// recent 5xx that passes (recentMatches).
func upstreamMatches(filter string, u classify.UpstreamStats, causes bool, recent map[string]bool) bool {
	if containsFold(filter, u.Name) || (causes && containsFold(filter, string(u.DominantCause))) || recent[u.Name] {
		return true
	}
	for code, n := range u.Windowed.Status {
		if n > 0 && containsFold(filter, strconv.Itoa(code)) {
			return true
		}
	}
	for c, n := range u.Windowed.Causes {
		if causes && n > 0 && containsFold(filter, string(c)) {
			return true
		}
	}
	return false
}

// verdictMatches reports whether a verdict passes the filter; causes says
// whether its cause and detail count.
func verdictMatches(filter string, v *classify.Verdict, causes bool) bool {
	if filter == "" {
		return true
	}
	var fields []string
	if causes {
		fields = append(fields, string(v.Cause), v.Detail)
	}
	if e := v.Entry; e != nil {
		if idMatches(filter, e.RequestID) {
			return true
		}
		fields = append(fields, upstreamRowName(v), entryUpstream(e), e.Method, e.Path, strconv.Itoa(e.Status))
		fields = append(fields, triedBefore(e)...)
	}
	return containsFold(filter, fields...)
}

// triedBefore is the servers a request tried before its last upstream
// ($upstream_addr but its last), whose rows count those failed attempts:
// a filter on such a server finds the request. /10.0.1.11 said "no cause
// matches the filter" while that server refused every first attempt
// (QA s34 H1).
func triedBefore(e *sources.ProxyEntry) []string {
	if e == nil || len(e.UpstreamAddr) < 2 {
		return nil
	}
	var out []string
	for _, a := range e.UpstreamAddr[:len(e.UpstreamAddr)-1] {
		if a != "" && a != "-" && a != e.Upstream {
			out = append(out, a)
		}
	}
	return out
}

// idMatches reports whether the filter finds request id id. The id a user
// pastes is often the app's, written as the app received it: Cloudflare's
// Cf-Ray "84a1b2c3d4e5f618-FRA" where Logpush has "84a1b2c3d4e5f618", the
// whole X-Amzn-Trace-Id "Self=…;Root=1-…;Parent=…" where ALB logs the Root
// value. So both are normalized as the correlator joins them
// (sources.NormalizeRequestID), after the white space and quotes around a
// paste are trimmed; the id matches when it contains the filter.
func idMatches(filter, id string) bool {
	f := strings.Trim(filter, " \t\"'")
	if f == "" || id == "" {
		return false
	}
	return containsFold(f, id) || containsFold(sources.NormalizeRequestID(f), sources.NormalizeRequestID(id))
}
