package classify

import (
	"math"
	"slices"
	"strconv"
	"strings"

	"fivexx/sources"
)

// hint says where to look next for a verdict, naming the upstream and what
// the app said when that is known.
//
// When nginx's $upstream_addr ends with the group's name after a server
// was tried ("10.0.0.1:8080, app"), the hint names that server: its
// failure made the verdict, and the group's name only says that no
// server was left for the next try (serverBeforeGroup). The request
// stays on the group's row: the label is the last address logged.
//
// The server named is the one whose error line made the verdict, when
// that line names one of the attempts: with two servers tried
// ("127.0.0.1:24100, 127.0.0.1:24104, app") the last one tried is not
// always the one that failed so (QA s30 s5: "127.0.0.1:24104 closed the
// connection mid-request", where :24100 had and :24104 refused).
//
// nginx writes the group's name when it finds no server to try: each was
// tried for this request already or is marked down (max_fails,
// fail_timeout). With max_fails=0 none is ever marked down: the hint says
// which only when the config says so (--nginx-conf, Config.NeverDown).
func hint(v *Verdict, ev evidence) string {
	server, group, status := serverBeforeGroup(ev.kind, v.Entry)
	if server == "" {
		server, group = serverBeforeGroupLine(ev, v.Entry)
	}
	if server == "" {
		up := v.Entry.Upstream
		if s := decidingServer(v, ev); s != "" {
			up = s
		} else if v.Cause == UpstreamReset {
			up = resetServer(ev, v.Entry, up)
		}
		return hintFor(v, ev, up) + cutBefore(v, ev)
	}
	if v.Cause == NoHealthyUpstream {
		failed := server + " failed"
		if status != "" {
			failed += " (" + attemptSaid(v.Entry, lastAttemptBeforeGroup(ev.kind, v.Entry), status) + ")"
		}
		if ev.neverDown {
			return failed + ", then group " + group + " had no server left to try: each was tried for this request (max_fails=0 marks none down): see why each failed in the proxy error log"
		}
		return failed + ", then group " + group + " had no server left to try (each tried for this request or marked down): see why " + server + " failed in the proxy error log, and the failures before this that may have marked servers down (max_fails/fail_timeout, health checks)"
	}
	if s := decidingServer(v, ev); s != "" {
		server = s
	}
	if ev.neverDown {
		return hintFor(v, ev, server) + cutBefore(v, ev) + "; then group " + group + " had no server left to try: each was tried for this request (max_fails=0 marks none down)"
	}
	return hintFor(v, ev, server) + cutBefore(v, ev) + "; then group " + group + " had no server left to try: each was tried for this request or is marked down (max_fails/fail_timeout)"
}

// decidingServer is the server of the error line that made the verdict
// (lastReasoned) when it is one of the entry's attempts ($upstream_addr)
// and its failure is the verdict's cause, else "".
func decidingServer(v *Verdict, ev evidence) string {
	last := lastReasoned(ev.errs)
	if last == nil || last.UpstreamAddr == "" || reasonCause(last.Reason) != v.Cause {
		return ""
	}
	for _, a := range attemptsOf(ev, v.Entry) {
		if a == last.UpstreamAddr {
			return a
		}
	}
	return ""
}

// resetServer is the server a reset verdict names when no error line
// of its names one (decidingServer), of e's attempts ($upstream_addr):
// the last one the app's start lines name by their instance (startedTry),
// else, when the last attempt never connected ($upstream_connect_time
// "-", no reset can have been on it), the last one that did; up when
// neither says. The last address, which up is, named the server that
// refused the retry: "127.0.0.1:47102 closed the connection
// mid-request" of a request reset on :47101 and refused on :47102,
// "0.000, -" (QA s37 M1), and of a refusal the app's start without an
// end turned into a reset.
func resetServer(ev evidence, e *sources.ProxyEntry, up string) string {
	n := len(e.UpstreamAddr)
	if ev.kind != "nginx" || n < 2 {
		return up
	}
	if i := startedTry(ev); i >= 0 {
		return e.UpstreamAddr[i]
	}
	if i := connectedBeforeLast(e); i >= 0 {
		return e.UpstreamAddr[i]
	}
	return up
}

// attemptsOf is the servers e's request tried, oldest first: its
// $upstream_addr, or, when nginx's access log names none (combined), the
// addresses its error lines name, each once, in their order: an error
// line names the server of each failed attempt ("upstream:
// \"http://127.0.0.1:35433/…\"") and the group of "no live upstreams".
func attemptsOf(ev evidence, e *sources.ProxyEntry) []string {
	if ev.kind != "nginx" || len(e.UpstreamAddr) > 0 || e.Fields.Has(sources.FieldUpstreamAddr) {
		return e.UpstreamAddr
	}
	var out []string
	for _, x := range ev.errs {
		if x.UpstreamAddr != "" && !slices.Contains(out, x.UpstreamAddr) {
			out = append(out, x.UpstreamAddr)
		}
	}
	return out
}

// serverBeforeGroupLine is serverBeforeGroup for nginx's access line that
// names no upstream (combined), read from its error lines: the server of
// the last one before a "no live upstreams" of group e.Upstream, the
// request's last line, and the group ("127.0.0.1:34913 closed the
// connection", then "no live upstreams" for "http://app/…": the hint named
// the group as the server that closed it, "app closed the connection").
func serverBeforeGroupLine(ev evidence, e *sources.ProxyEntry) (server, group string) {
	n := len(ev.errs)
	if ev.kind != "nginx" || n < 2 || e.Fields.Has(sources.FieldUpstreamAddr) || e.Upstream == "" {
		return "", ""
	}
	if last := ev.errs[n-1]; last.Reason != sources.ReasonNoLiveUpstreams || last.UpstreamAddr != e.Upstream {
		return "", ""
	}
	for i := n - 2; i >= 0; i-- {
		if a := ev.errs[i].UpstreamAddr; a != "" && a != e.Upstream {
			return a, e.Upstream
		}
	}
	return "", ""
}

// cutBefore names, for a refused retry, the earlier attempt whose server
// cut the request mid-way or sent a response the proxy could not use
// (cutOnAnotherServer): the app's crash or bad header, which the refusal
// does not explain.
func cutBefore(v *Verdict, ev evidence) string {
	if v.Cause != UpstreamRefused {
		return ""
	}
	cut := cutOnAnotherServer(ev.errs, lastReasoned(ev.errs))
	if cut == nil {
		return ""
	}
	if cut.Reason == sources.ReasonBadResponse {
		return "; before that, " + badResponseHint(ev.kind, cut.UpstreamAddr)
	}
	return "; the attempt before, on " + cut.UpstreamAddr + ", was cut mid-request: look there for crashes and OOM kills (dmesg, container restarts) and keep-alive timeouts shorter than the proxy's"
}

// serverBeforeGroup returns, for an nginx entry whose $upstream_addr ends
// with the upstream{} group's name after servers were tried, the last
// server tried, the group and that attempt's status ("" when "-"), else
// "". nginx writes the group's name for an attempt for which it could
// select no server: every server marked down, "no live upstreams"
// (formats.md §1.3, §1.6).
func serverBeforeGroup(kind string, e *sources.ProxyEntry) (server, group, status string) {
	i := lastAttemptBeforeGroup(kind, e)
	if i < 0 {
		return "", "", ""
	}
	if i < len(e.UpstreamStatus) && isStatus(e.UpstreamStatus[i]) {
		status = e.UpstreamStatus[i]
	}
	return e.UpstreamAddr[i], e.Upstream, status
}

// lastAttemptBeforeGroup is the index of serverBeforeGroup's server in
// $upstream_addr, -1 when there is none.
func lastAttemptBeforeGroup(kind string, e *sources.ProxyEntry) int {
	n := len(e.UpstreamAddr)
	if kind != "nginx" || e.Reason != sources.ReasonNoLiveUpstreams || n < 2 || e.UpstreamAddr[n-1] != e.Upstream {
		return -1
	}
	for i := n - 2; i >= 0; i-- {
		if a := e.UpstreamAddr[i]; a != "" && a != "-" && a != e.Upstream {
			return i
		}
	}
	return -1
}

// attemptSaid is attempt i's status with its time and, for nginx's own
// 502 (no response header), what it may have been: "502 after 0.001 s,
// no response header: refused, reset or a bad response". The hint named
// only "(502)", where the error log's verdict names the failure.
func attemptSaid(e *sources.ProxyEntry, i int, status string) string {
	s := status
	if rt := attemptField(e.UpstreamResponse, i); rt != "" && rt != "-" {
		s += " after " + rt + " s"
	}
	if attemptField(e.UpstreamHeader, i) == "-" {
		s += ", no response header"
		if status == "502" {
			s += ": refused, reset or a bad response"
		}
	}
	return s
}

// isStatus reports whether s is a three-digit status as logged.
func isStatus(s string) bool {
	return len(s) == 3 && s[0] >= '1' && s[0] <= '5' && s[1] >= '0' && s[1] <= '9' && s[2] >= '0' && s[2] <= '9'
}

// hintFor is hint for a verdict whose failure was up's ("" when the entry
// names no upstream).
func hintFor(v *Verdict, ev evidence, up string) string {
	if up == "" {
		up = "the upstream"
	}
	if h := lambdaHint(ev.kind, v.Entry); h != "" {
		return h
	}
	if h := cannotTellHint(ev.kind, v.Entry.Status, up); h != "" && (v.Cause == UpstreamRefused || v.Cause == UpstreamReset) {
		return h
	}
	switch v.Cause {
	case UpstreamRefused:
		switch v.Detail {
		case "dns":
			return "the upstream name does not resolve: check DNS/resolver config and the service name"
		case "tls":
			return "TLS to " + up + " failed: check the upstream certificate, SNI and " + tlsSettings(ev.kind)
		}
		if denied := deniedConnect(ev); denied != nil {
			if v.Entry.Upstream == "" && denied.UpstreamAddr != "" {
				// nginx's combined format names no upstream; its
				// error line does.
				up = denied.UpstreamAddr
			}
			return deniedHint(up)
		}
		if h := refusedHint(ev.kind, v.Entry.Status, up); h != "" {
			return h
		}
		if namesSocket(up) {
			// ss -t lists no unix socket, and a socket has no port.
			return "nothing is listening on " + failedOn(v, ev, up, sources.ReasonRefused) + ": is the process up and its socket there (ss -lxp)? crashed, OOM-killed (dmesg), restarting, the socket's permissions, or a wrong path in the upstream config?"
		}
		return "nothing is listening on " + failedOn(v, ev, up, sources.ReasonRefused) + ": is the process up (ss -ltnp)? crashed, OOM-killed (dmesg), restarting (kubectl get pods), or a wrong port in the upstream config?"
	case UpstreamReset:
		if v.Detail == "after_headers" {
			return up + " dropped the connection after sending headers: look for crashes mid-response and response size limits"
		}
		if ev.resetOrBad {
			return up + " closed the connection mid-request or sent a response the proxy could not use (the app logged no end either way; the proxy's error log says which): look for crashes and OOM kills (dmesg, container restarts), and for invalid or oversized response headers"
		}
		return failedOn(v, ev, up, sources.ReasonReset) + " closed the connection mid-request: look for crashes and OOM kills (dmesg, container restarts) and keep-alive timeouts shorter than the proxy's"
	case UpstreamBadResponse:
		return badResponseHint(ev.kind, up)
	case UpstreamTimeout:
		if v.Detail == "connect" {
			return "connecting to " + timedOutOn(v, ev, up, sources.ReasonConnectTimeout) + " timed out: host down, firewall dropping SYNs, backlog full"
		}
		return timedOutOn(v, ev, up, sources.ReasonReadTimeout) + " did not answer in time: slow dependency or overload in the app; compare " + readTimeoutSetting(ev.kind, ev.format) + timeoutSeenText(v.Entry) + " with the app's own timeouts"
	case NoHealthyUpstream:
		if ev.format == "ingress-nginx" && ev.e.UpstreamContacted == sources.No {
			// The Lua balancer's 503 for a Service without endpoints:
			// nginx's max_fails are not where to look.
			return "the Service behind " + up + " had no ready endpoint: see its pods' readiness and restarts (kubectl get pods, kubectl get endpointslices), and whether its selector matches any pod"
		}
		return noHealthyHint(ev.kind)
	case ProxyRejected:
		if v.Detail == "conn_limit" {
			return "the proxy's connection limit answered (limit_conn): a traffic spike or a client opening too many connections"
		}
		if v.Detail == "rate_limit" {
			return "the proxy's request-rate limiter answered (limit_req, rate limit): check who is sending the traffic and whether the limit fits"
		}
		if h := flagsHint(ev.kind, v.Entry); h != "" {
			return h
		}
		if serviceAnswered(ev) {
			return ingressLimiterHint
		}
		if ownErrorLine(ev.kind, lastReasoned(ev.errs)) {
			return "Caddy's error directive answered " + itoa(v.Entry.Status) + " on purpose, not a failure: see the error directive in the route that serves this path, and the matcher that sends this request there"
		}
		if len(ev.errs) == 0 && v.Entry.Reason == sources.ReasonNone && appWitnessed(ev) {
			// Judged by the error log's silence beside the app's
			// witnesses, not by a reason the access line gives: its
			// flags say what answered (HAProxy's queue timeout got "a
			// return or deny rule" beside an app log).
			return ownPageHint(ev.kind)
		}
		return ownAnswerHint(ev.kind)
	case AppUnavailable:
		h := "the app answered 503 on purpose: see what it says is down"
		if msg := appErrorMessage(v.AppLines); msg != "" {
			h += " — it says: \"" + cutText(msg, 100) + "\""
		}
		return h + "; honour Retry-After, check the dependency and load shedding"
	case AppError:
		h := "the app answered " + itoa(appStatus(v.Entry)) + " itself: look at its errors and stack traces"
		if msg := appErrorMessage(v.AppLines); msg != "" {
			h += " — it says: \"" + cutText(msg, 100) + "\""
		}
		return h
	}
	if v.Detail == "proxy_internal" && v.Entry.UpstreamAnswered == sources.Yes {
		if st := v.Entry.LastUpstreamStatus(); st != 0 && st < 500 {
			return rewrittenHint(ev.kind, up, st, v.Entry.Status)
		}
	}
	if v.Detail == "proxy_internal" && rewriteFailed(ev.kind, v.Entry) {
		return rewriteFailedHint(v.Entry.Upstream)
	}
	if v.Detail == "proxy_internal" && v.Entry.UpstreamContacted == sources.No {
		if x := ownFailureLine(ev.errs); x != nil {
			return ownFailureHint(ev.kind, v.Entry.Status, x)
		}
	}
	if ev.errorLogQuiet && ev.kind == "caddy" {
		return "Caddy's log has no error entry at all: Caddy may have answered itself (a respond or error directive, as a maintenance page, logs no error), or with handle_errors it logs the errors it handles at DEBUG only; check the route that serves this path, or set log default { level DEBUG } to see why the proxy failed" + appLogToo(ev)
	}
	if ev.siteQuiet != "" {
		return "Caddy's log has no error entry from " + ev.siteQuiet + ": with handle_errors this site logs the errors it handles at DEBUG only; set log default { level DEBUG } to see why the proxy failed, and add the app log"
	}
	if v.Detail == "config" {
		return "the proxy's route for this request leads to no upstream (Envoy NC: no cluster): check the route and cluster configuration and that the cluster exists"
	}
	var missing []string
	if ev.kind == "traefik" && len(ev.errs) == 0 && traefikOwn(v.Entry) {
		// Traefik's own 502, 504 or 500: why only its own log says, at
		// DEBUG, and nothing asked for it (QA s34 M2). Read, it is not
		// asked for again: said why it did not tell (traefikownlog.go).
		if ev.ownLog.where == "" {
			missing = append(missing, traefikDebugLog)
		}
	}
	if !ev.errorLog && (ev.family == "nginx" || ev.family == "caddy") {
		missing = append(missing, "the proxy error log")
	}
	if !ev.appLog {
		missing = append(missing, "the app log")
	}
	if f := missingUpstreamFields(ev.kind, v.Entry.Fields); f != "" {
		missing = append(missing, f)
	}
	if ev.kind == "traefik" && ev.ownLog.where != "" && len(ev.errs) == 0 && traefikOwn(v.Entry) {
		said := "not enough evidence: " + ev.ownLog.hint(v.Entry.Status)
		if len(missing) > 0 {
			said += "; add " + strings.Join(missing, ", ")
		}
		return said
	}
	if len(missing) > 0 {
		return "not enough evidence: add " + strings.Join(missing, ", ")
	}
	return "not enough evidence: " + maybeOwnAnswer(ev.kind)
}

// appStatus is the status the app answered: the upstream's own, when the
// proxy rewrote it (error_page =503 over the app's 500), else the one sent.
func appStatus(e *sources.ProxyEntry) int {
	if st := e.LastUpstreamStatus(); e.UpstreamAnswered == sources.Yes && st >= 500 {
		return st
	}
	return e.Status
}

func appErrorMessage(app []*sources.AppEntry) string {
	for _, a := range app {
		if (a.Level == "error" || a.Level == "warn" || a.Level == "fatal") && a.Message != "" {
			return a.Message
		}
	}
	return ""
}

func itoa(n int) string {
	if n == 0 {
		return "0"
	}
	neg := n < 0
	if neg {
		n = -n
	}
	var b [12]byte
	i := len(b)
	for n > 0 {
		i--
		b[i] = byte('0' + n%10)
		n /= 10
	}
	if neg {
		i--
		b[i] = '-'
	}
	return string(b[i:])
}

// appLogToo asks for the app log when none is read.
func appLogToo(ev evidence) string {
	if ev.appLog {
		return ""
	}
	return ", and add the app log"
}

// namesSocket reports whether an upstream is a unix socket, as nginx
// ("unix:/run/app.sock") or Caddy ("unix//run/app.sock",
// sources.SocketName) names it.
func namesSocket(up string) bool {
	return strings.HasPrefix(up, "unix:") || strings.HasPrefix(up, "unix/")
}

// deniedConnect returns the error line that decided a refused verdict when
// it says the connect was denied (EACCES: nginx's "(13: Permission
// denied)", Go's "connect: permission denied"), not refused: something
// listens or may, but the proxy may not connect to it, and "nothing is
// listening" sent the reader after a process that was up. (The BSDs
// number EACCES 13 too.)
func deniedConnect(ev evidence) *sources.ProxyError {
	last := lastReasoned(ev.errs)
	if last == nil || last.Reason != sources.ReasonRefused {
		return nil
	}
	if strings.Contains(last.Message, "(13: ") || strings.Contains(strings.ToLower(last.Message), "permission denied") {
		return last
	}
	return nil
}

// deniedHint is the hint for a connect to up that was denied: on a unix
// socket its file's mode and owner against the proxy's user; on TCP a
// security policy on the proxy's host (SELinux's httpd_can_network_connect
// is the classic one for nginx on RHEL-family systems).
func deniedHint(up string) string {
	if namesSocket(up) {
		path := socketPath(up)
		return "permission denied connecting to " + up + ": the proxy's user may not write to the socket file; compare its mode and owner (ls -l " + path + ") with the user the proxy runs as (the app's socket mode/owner/group settings, e.g. php-fpm's listen.owner, listen.group and listen.mode), and the directories on the way; SELinux or AppArmor can deny it too (ausearch -m avc); check the app listens there (ss -lxp)"
	}
	return "permission denied connecting to " + up + ": the proxy's host does not let it open the connection, nothing refused it; SELinux (getsebool httpd_can_network_connect, then setsebool -P httpd_can_network_connect 1; ausearch -m avc), AppArmor, or a firewall rule that rejects the proxy's outgoing connections"
}

// socketPath returns the path of a unix socket upstream as nginx
// ("unix:/run/app.sock") or Caddy ("unix//run/app.sock") names it.
func socketPath(up string) string {
	if p, ok := strings.CutPrefix(up, "unix:"); ok {
		return p
	}
	return strings.TrimPrefix(up, "unix/")
}

// timedOutOn is failedOn for a timeout (reason: read or connect): every
// server of a retried request that timed out so, up last ("127.0.0.1:34599
// and 127.0.0.1:36769 did not answer in time" for $upstream_status
// "504, 504"); it named the last server alone, where the refused and reset
// hints named each (QA s34 H1). An attempt's error line says it timed out
// ("upstream timed out … while reading response header", "… while
// connecting"); one no error line names timed out when nginx made its
// status 504 without a response header ($upstream_header_time "-", or
// not logged: an app's own 504 is retried only with proxy_next_upstream
// http_504), in connecting when $upstream_connect_time is "-" too.
func timedOutOn(v *Verdict, ev evidence, up string, reason sources.Reason) string {
	e := v.Entry
	attempts := attemptsOf(ev, e)
	if len(attempts) < 2 || !e.Fields.Has(sources.FieldUpstreamAddr) && len(ev.errs) < 2 {
		return up
	}
	var names []string
	for i, a := range attempts {
		if a == up || a == "" || a == "-" || slices.Contains(names, a) {
			continue
		}
		said, named := false, false
		for _, x := range ev.errs {
			if x.UpstreamAddr == a {
				named = true
				said = said || x.Reason == reason
			}
		}
		if h := attemptField(e.UpstreamHeader, i); !named && attemptField(e.UpstreamStatus, i) == "504" && (h == "-" || h == "") {
			connect := attemptField(e.UpstreamConnect, i) == "-"
			said = connect == (reason == sources.ReasonConnectTimeout)
		}
		if said {
			names = append(names, a)
		}
	}
	return joinServers(names, up)
}

// joinServers is names, then up: "up", "a and up", "a, b and up".
func joinServers(names []string, up string) string {
	if len(names) == 0 {
		return up
	}
	names = append(names, up)
	return strings.Join(names[:len(names)-1], ", ") + " and " + names[len(names)-1]
}

// failedOn is up and, before it, every other server of the entry's
// attempts ($upstream_addr) that an error line says failed so (reason),
// in the order they were tried: "10.0.1.11:8080 and 10.0.1.12:8080". A
// retried request's hint named only the last server tried, and the one
// that refused first read as healthy (QA s34 H1).
func failedOn(v *Verdict, ev evidence, up string, reason sources.Reason) string {
	attempts := attemptsOf(ev, v.Entry)
	if len(attempts) < 2 || len(ev.errs) < 2 {
		return up
	}
	var names []string
	for _, a := range attempts {
		if a == up || slices.Contains(names, a) {
			continue
		}
		if slices.ContainsFunc(ev.errs, func(x *sources.ProxyError) bool { return x.UpstreamAddr == a && x.Reason == reason }) {
			names = append(names, a)
		}
	}
	return joinServers(names, up)
}

// timeoutSeenText says the timeout a timed-out request's own times show,
// ", which looks like 5 s here (each of its 2 attempts gave up after
// 5.001 s)", when every attempt's upstream response time is the same
// (within 50 ms or 2 %): a proxy that gives up waits its timeout, so
// that is the setting, whatever its default. "" when the times are not
// logged or differ. The hint quoted nginx's default alone, "(60 s by
// default …)", of attempts that waited 5.001 s each (QA s36 L3).
func timeoutSeenText(e *sources.ProxyEntry) string {
	times := e.UpstreamResponse
	if len(times) == 0 {
		return ""
	}
	lo, hi := math.Inf(1), 0.0
	var loText, hiText string // as logged: "1.000", not "1"
	for _, s := range times {
		f, err := strconv.ParseFloat(s, 64)
		if err != nil || f <= 0 {
			return ""
		}
		if f < lo {
			lo, loText = f, s
		}
		if f > hi {
			hi, hiText = f, s
		}
	}
	if lo < 0.1 || hi-lo > max(0.05, lo*0.02) {
		return ""
	}
	after := loText
	if lo != hi {
		after = loText + " to " + hiText
	}
	who := "its attempt"
	if len(times) > 1 {
		who = "each of its " + strconv.Itoa(len(times)) + " attempts"
	}
	return ", which looks like " + strconv.FormatFloat(math.Round(lo*10)/10, 'f', -1, 64) + " s here (" + who + " gave up after " + after + " s),"
}
