package classify

import "fivexx/sources"

// An error log read without its proxy's access log says what it tells
// (Snapshot.ErrorFailures, ErrorStatuses), not "no 5xx": the 5xx and
// their statuses are in the access log. The rules are:
//   - An input read in an access log's role (sources.RoleProxy) that gave
//     error lines about requests and no access entry is its proxy's error
//     log, and the snapshot shows it in that role. Caddy's one format
//     reads access and error entries alike, so a file of its default
//     logger (http.log.error entries, a site's `log` writing the access
//     entries elsewhere) read as an access log of 0 requests and said
//     "no 5xx or 429" beside 11 failures (session 24's open gap; real
//     Caddy 2.6.2 lines in testdata/errorlog-alone).
//   - No access log is read when no access entry was added and no input
//     is an access log (as above). Live, an input that has given no line
//     yet keeps its format's role, so an access log still quiet counts;
//     a stream of both, as Caddy writes them, gives a failure's error
//     entry just before its access entry, and is an access log from then.
//   - The failures are the error lines with a request context by reason,
//     client aborts and lines of no reason left out; their statuses, when
//     the lines name one (Caddy's "status": nginx's error lines name none),
//     of the same lines.
//   - A proxy's own line that names the 5xx it made and why, with no
//     request in it, is a failure too: Traefik logs one per 5xx of its
//     own ("'502 Bad Gateway' caused by: dial tcp …: connect: connection
//     refused", v3's "message":"502 Bad Gateway","error":…). Its own log
//     read alone said "no 5xx or 429" and read as an access log of 0
//     requests (QA s31 F4). Lines about the proxy's state that name no
//     status (nginx's, HAProxy's, the ingress controller's) are not.

// listedFailure reports whether an error line of reason r is a failure
// the snapshot lists (failures): not a client's abort, not a line of no
// reason.
func listedFailure(r sources.Reason) bool {
	return r != sources.ReasonNone && r != sources.ReasonClientAbort
}

// noteOwnFailure counts a proxy's own line without a request that names
// the 5xx it made and a listed reason (Traefik's) as a failure of input
// in, as hold counts an error line about a request.
func (c *correlator) noteOwnFailure(in *sources.Input, r *sources.ProxyError) {
	if r.Status < 500 || r.Status > 599 || !listedFailure(r.Reason) || int(r.Reason) >= reasonSlots {
		return
	}
	c.failLines[r.Reason]++
	c.noteFailStatus(int(r.Status))
	if in != nil && !isSet(c.failedIn, in.Index) {
		c.failedIn = setIndex(c.failedIn, in.Index)
	}
}

// noteFailStatus counts a listed failure's status.
func (c *correlator) noteFailStatus(status int) {
	if c.failStatus == nil {
		c.failStatus = map[int]int64{}
	}
	c.failStatus[status]++
}

// setIndex returns b with b[i] set, grown as needed.
func setIndex(b []bool, i int) []bool {
	if i < 0 {
		return b
	}
	if i >= len(b) {
		b = append(b, make([]bool, i+1-len(b))...)
	}
	b[i] = true
	return b
}

// isSet reports whether b[i] is set.
func isSet(b []bool, i int) bool { return i >= 0 && i < len(b) && b[i] }

// roleOf is in's role as the snapshot shows it: its own, but an input of
// an access log's role that gave error lines about requests and no access
// entry is an error log's, and one given as an error log that gave access
// entries and no such error line an access log's (givenrole.go).
func (e *Engine) roleOf(in *sources.Input) sources.Role {
	r := in.Role()
	if r == sources.RoleProxy && !isSet(e.accessIn, in.Index) && (isSet(e.corr.failedIn, in.Index) || haproxyStateOnly(in)) {
		return sources.RoleProxyErrors
	}
	if e.givenErrorsReadAccess(in) {
		return sources.RoleProxy // given as the error log (givenrole.go)
	}
	return r
}

// haproxyStateOnly reports whether in is HAProxy's log of state lines
// alone ("Server be_app/s1 is DOWN", "backend 'be_app' has no server
// available!"), as its stderr or journal holds them without the request
// lines a frontend's `log global` and `option httplog` write: it read as
// an access log of 0 requests, "no 5xx or 429" (QA s35 M3). Its lines
// name no request, so failedIn does not tell it; every line it parsed
// was a state line, as none gave an access entry. With lines unparsed it
// is the access log in a custom log-format fivexx does not read, beside
// its state lines, and its own advice says so.
func haproxyStateOnly(in *sources.Input) bool {
	c := in.Counters()
	return in.Format().Name == "haproxy" && c.Parsed > 0 && c.Unparsed == 0
}

// readsAccessLog reports whether an input is an access log (roleOf).
func (e *Engine) readsAccessLog() bool {
	for _, in := range e.cfg.Inputs {
		if e.roleOf(in) == sources.RoleProxy {
			return true
		}
	}
	return false
}

// showsRole reports whether an input is of role r as the snapshot shows
// it (roleOf): an access log given as the error log is no error log.
func (e *Engine) showsRole(r sources.Role) bool {
	for _, in := range e.cfg.Inputs {
		if e.roleOf(in) == r {
			return true
		}
	}
	return false
}
