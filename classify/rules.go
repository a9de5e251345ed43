package classify

import (
	"math"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"fivexx/sources"
)

// The rules judge by evidence, never by status alone. In order:
//
//  1. The last upstream attempt returned a complete response header
//     (nginx $upstream_header_time, HAProxy Tr >= 0): the upstream's own
//     status (its last $upstream_status, Cloudflare's origin status)
//     decides, not the one the proxy rewrote it to: 503 is
//     app_unavailable, any other 5xx app_error, below 500 the proxy's own
//     (unknown, proxy_internal). Earlier failed attempts are noted as
//     retries.
//  2. The proxy reported a reason (error-log message, HAProxy termination
//     state, Envoy flags, nginx group name in $upstream_addr): the reason
//     decides (refused, reset, bad response, timeout, no healthy upstream,
//     proxy rejected); unless the app, joined by request id, finished the
//     request with its status: then an error line is an earlier attempt's
//     (retried) and the app's answer decides, as in 4; and so it does,
//     joined by time, when the status is none nginx sends for the error
//     line's failure (a 500 beside a refused connect, which nginx answers
//     502). Without the app's answer such a line is still an earlier
//     attempt's (nginx): the last attempt's upstream fields decide, or,
//     with none, the upstream's own answer, at low (afterEarlierTry);
//     with one attempt logged it is no attempt of this request: that
//     attempt's fields decide, low (oneAttemptBesideOther).
//  3. No upstream was contacted (upstream fields "-"): a 503/429 is the
//     proxy's own limiter (proxy_rejected); other statuses are unknown.
//  4. App lines: the app finished the request with the same 5xx itself →
//     app_unavailable/app_error; it logged the start but no end (by the verdict) →
//     upstream_reset (or upstream_timeout for a 504; for a 502 at most low
//     unless nginx retried each server: a bad header reads the same); it finished with a
//     non-5xx the proxy did not pass on → upstream_bad_response (502) or
//     upstream_timeout (504).
//  5. ingress-nginx's status list of retried 504s, each after the same
//     time: nginx's own timeouts; its 502s each with no body
//     ($upstream_response_length 0): nginx's own errors. Then the error log, read from before
//     the 5xx (its first line of any kind) and with request lines, has no
//     line for it: nginx and Caddy log every upstream failure there, so
//     the upstream sent the status; unless its response headers are the
//     proxy's own (Caddy's respond), or request ids join and the app
//     has none for it, which makes it the proxy's own answer.
//  6. What the status and timings alone suggest (low confidence).

// evidence is everything known about one proxy 5xx when it is judged.
type evidence struct {
	e         *sources.ProxyEntry
	errs      []*sources.ProxyError
	errGuess  *errGuess // which of the error lines are e's was a guess (assign.go)
	state     []*sources.ProxyError
	app       []*sources.AppEntry
	matchedBy string
	appTaken  bool // the time window held app lines, each another 5xx's (assign.go)
	// shownID is the id e's lines tell and no app line confirmed
	// (capturedid.go guessedID): e's request id once it is judged, not
	// joined.
	shownID string
	// witnesses counts the app lines of requests that went well in the
	// entry's window, when none is its own (appwitness.go).
	witnesses  int
	family     string              // the proxy family of the entry's format (sources.Format.Family)
	kind       string              // which proxy wrote the entry: nginx, caddy, haproxy, envoy, alb, traefik, cloudflare (proxyKind)
	names      *sources.FieldNames // the entry's format's own field names (sources.Format.Names); nil: nginx's
	format     string              // the entry's format's name (sources.Format.Name)
	mesh       *meshSaid           // the request's sidecar hops, in a service mesh (mesh.go); nil elsewhere
	errorLog   bool                // an error log (or error entries) is being read for this proxy
	appLog     bool                // an app log is being read
	appHasIDs  bool                // app lines carry request ids
	idsJoin    bool                // request ids have joined proxy and app lines on this system
	errorsSeen bool                // the error log has produced request lines, and its first line is from before the entry's time
	// errorLogQuiet: the error log's first line is from before the
	// entry's time and it has no line about any request.
	errorLogQuiet bool
	// errTries says that e's failed attempts are read from its error
	// lines (nginx's access line names no upstream: earlierTries).
	errTries bool
	// caddyTries: they are Caddy's (its reverse_proxy entries at DEBUG),
	// not counted in nginx's advice (Engine.triedByErrorLine).
	caddyTries bool
	// siteQuiet is the logger of the entry's site's errors when the
	// error log holds other sites' and none of its (correlator.siteQuiet).
	siteQuiet string
	terse     bool // no evidence lines or hint are wanted (Config.Terse)
	// neverDown: the entry's nginx upstream group marks no server down
	// (max_fails=0 on each, Config.NeverDown).
	neverDown bool
	// lookback is how much further back the time window reached for
	// the app's lines than the request time (appwindow.go).
	lookback time.Duration
	// lateApp is an app line of the request that came late in its file
	// and was placed where it was written (applate.go), lateWritten when
	// that was at the latest; nil: none came late.
	lateApp     *sources.AppEntry
	lateWritten time.Time
	// appWaited is how long after the entry, in log time, the app's lines
	// were read when it was judged (Engine.appWaited): how long an app
	// line with its request id was waited for; appWaitedToEnd, that the
	// input ended then (Engine.Flush).
	appWaited      time.Duration
	appWaitedToEnd bool
	// serviceAnswers counts the requests the ingress-nginx Service of a
	// 503 read as no endpoints answered within a second of it, the last
	// through serviceAddr (rulesingress.go).
	serviceAnswers int
	serviceAddr    string
	// resetOrBad: the verdict's reset rests on the app's start without
	// an end alone, which a bad response leaves too (startNoEndText): the
	// hint names both.
	resetOrBad bool
	// ownLog says where Traefik's own log was read, for a Traefik 5xx
	// of its own that no line of it told (Engine.traefikOwnLog); ""
	// when none was.
	ownLog traefikOwnLog
	// appSkew is how far the clock of the app lines runs from the
	// proxy's (correlator.appSkew of the first), for their times said
	// on the proxy's clock (appTimeText).
	appSkew time.Duration
}

// judge turns evidence into a verdict (without timeline).
func judge(ev evidence) *Verdict { return judgeInto(ev, new(Verdict)) }

// judgeInto is judge into v, whose previous contents are overwritten
// whole: a reused verdict (keptEntry) keeps nothing of the one before.
func judgeInto(ev evidence, v *Verdict) *Verdict {
	e := ev.e
	*v = Verdict{Entry: e, ErrorLines: ev.errs, AppLines: ev.app, ErrorLog: ev.errorLog, AppLog: ev.appLog, AppLookback: ev.lookback, errTries: ev.errTries}
	if len(ev.app) > 0 {
		v.MatchedBy = ev.matchedBy
	}
	if ev.appLog && idAbsent(ev) {
		v.AppIDAbsent, v.AppWaited, v.AppWaitedToEnd = true, ev.appWaited, ev.appWaitedToEnd
	}
	add := &evidenceLines{terse: ev.terse}
	if ev.mesh != nil && !ev.terse {
		add.line(ev.mesh.line())
	}

	// Upstream fields as logged.
	if !ev.terse && (len(e.UpstreamStatus) > 0 || len(e.UpstreamAddr) > 0) {
		line := upstreamFieldsLine(e, fieldNames(ev.names))
		if e.Redirected() {
			add.line(redirectLine(e, fieldNames(ev.names)))
			line = "own attempts: " + line
		}
		switch {
		case e.UpstreamAnswered == sources.Yes && ev.kind == "envoy" && allDash(e.UpstreamHeader):
			line += envoyNoServiceTimeText
		case e.UpstreamAnswered == sources.Yes:
			line += ": the upstream sent a response header"
		case e.UpstreamAnswered == sources.No:
			line += ": no response header arrived"
		}
		add.line(line)
	}
	if e.Flags != "" {
		flags := flagsName(fieldNames(ev.names), e.Flags) + " "
		if strings.HasPrefix(e.Detail, e.Flags+": ") {
			add.line(flags, e.Detail) // HAProxy's detail names its flags first
		} else {
			add.line(flags, e.Flags, prefixed(": ", e.Detail))
		}
	} else if e.Detail != "" && !ownLineSays(ev.errs) && !errorLineOverrules(e, lastReasoned(ev.errs)) && !serviceAnswered(ev) && !connectContradicted(ev) {
		// ("likely Traefik's own 502 (cause only in its DEBUG log)" is
		// moot once that DEBUG line is here.)
		add.line(e.Detail)
	}
	lastErr := lastReasoned(ev.errs)
	for _, x := range ev.errs {
		if ownLineSays(ev.errs) {
			add.line("proxy log: ", x.Message)
			continue
		}
		on := errorLineServer(e, ev.errs, x)
		switch {
		case x.Action == sources.ActionUpstreamAnswered:
			add.line("error log: ", x.Message, ": ", x.UpstreamAddr, " answered", on)
		case x.Action != "" && !strings.Contains(x.Message, x.Action):
			add.line("error log: ", x.Message, " while ", x.Action, on)
		case x.Message == "":
			add.line("error log: an entry with no message", on)
		default:
			add.line("error log: ", x.Message, on)
		}
	}
	for _, x := range ev.state {
		add.line("proxy state: ", x.Message)
	}
	start, end := appPhases(ev.app)
	if !ev.terse {
		if appSay := appStory(ev, start, end); appSay != "" {
			add.line(appSay)
		}
		if ev.lateApp != nil {
			add.line(lateText(ev.lateApp, ev.lateWritten))
		}
	}

	retried := len(e.UpstreamAddr) > 1 || len(e.UpstreamStatus) > 1
	set := func(c Cause, conf Confidence, detail string) {
		v.Cause, v.Confidence, v.Detail = c, conf, detail
		if retried && detail == "" {
			v.Detail = "retried"
		}
	}
	idBacked := len(ev.app) > 0 && ev.matchedBy == "request_id"
	notLastTry := ""
	if end != nil && end.Status < 500 && e.Status == 502 && idBacked && e.UpstreamAnswered != sources.Yes {
		if notLastTry = notLastTryText(ev, end); notLastTry != "" && lastErr == nil {
			add.line(notLastTry)
		}
	}

	switch {
	case e.UpstreamAnswered == sources.Yes:
		// A complete header from the last attempt outweighs error lines: they
		// belong to earlier attempts (retries) or to another request.
		conf := Medium
		if idBacked || proxySaid(e) {
			conf = High
		}
		// The upstream's own status says what it answered: a status the
		// proxy rewrote (nginx error_page =503 over the app's 500,
		// Cloudflare's 503 over the origin's 200) is not the app's.
		upStatus := e.LastUpstreamStatus()
		if upStatus == 0 {
			upStatus = e.Status
		}
		if upStatus != e.Status && e.Detail == "" {
			// (Cloudflare's and ALB's parsers say it already, in their words.)
			add.line(rewriteText(ev.kind, upStatus, e.Status))
		}
		switch {
		case upStatus < 500:
			add.status("the upstream's ", upStatus, " is no 5xx: the proxy made this one, not the app")
			set(Unknown, Low, "proxy_internal")
		case upStatus == 503:
			set(AppUnavailable, conf, "")
		default:
			set(AppError, conf, "")
		}
	case lastErr != nil && reasonCause(lastErr.Reason) != "" && appAnsweredAfterRetry(e, end, idBacked):
		// The app's own answer, joined by the request's id, is what the
		// client got: the error lines are the proxy's earlier attempts
		// (nginx's next upstream after a refused connect).
		add.status("the app answered ", e.Status, " itself (by request id): the error-log lines are from earlier attempts: the proxy retried")
		if e.Status == 503 {
			set(AppUnavailable, High, "retried")
		} else {
			set(AppError, High, "retried")
		}
	case lastErr != nil && reasonCause(lastErr.Reason) != "" && appAnsweredAfterFailedTry(ev, lastErr, end):
		// nginx sends 502 for a refused connect: a 500 beside its
		// error line and the app's own 500 was the retry's answer (it
		// read upstream_refused high, review s35 M1). Medium: the app's
		// line is joined by time.
		add.line("nginx answers ", strconv.Itoa(madeStatus(lastErr)), " for the error line's failure, not ", strconv.Itoa(e.Status), ": the line is from an earlier attempt, and the app answered ", strconv.Itoa(e.Status), " itself after nginx retried")
		if e.Status == 503 {
			set(AppUnavailable, Medium, "retried")
		} else {
			set(AppError, Medium, "retried")
		}
	case lastErr != nil && reasonCause(lastErr.Reason) != "" && answeredAfter(ev.errs, lastErr) != nil:
		// Caddy's own entry says a try after the failed one got the
		// upstream's answer, which the client got: the failure is an
		// earlier attempt's (it read upstream_refused on the server
		// that answered).
		y := answeredAfter(ev.errs, lastErr)
		add.line("the proxy's entry says ", y.UpstreamAddr, " answered a later try: the failure on ", lastErr.UpstreamAddr, " was an earlier attempt, and the upstream answered ", strconv.Itoa(e.Status), " itself after the proxy retried")
		if e.Status == 503 {
			set(AppUnavailable, Medium, "retried")
		} else {
			set(AppError, Medium, "retried")
		}
	case lastErr != nil && reasonCause(lastErr.Reason) != "" && onlyEarlierTries(ev):
		// nginx sends 502 for a refused connect: a 504 beside its error
		// line alone was upstream_refused high (session 35's leftover).
		// The line is an earlier attempt's, after which nginx retried;
		// the attempt that made the status decides.
		c, conf, d := afterEarlierTry(ev, lastErr, add)
		set(c, conf, d)
	case lastErr != nil && reasonCause(lastErr.Reason) != "":
		c, d := reasonCause(lastErr.Reason), reasonDetail(lastErr.Reason)
		conf := High
		if ev.errGuess != nil {
			conf = Medium
			guessedLines(ev.errGuess, strconv.Itoa(e.Status), lastErr.Upstream, add)
		}
		if ownErrorLine(ev.kind, lastErr) {
			add.status("Caddy's error directive answered ", e.Status, " itself (its error entry's err_trace names caddyhttp.StaticError): no upstream was tried")
		}
		c, conf, d = afterGroupAttempts(ev, c, conf, d, add)
		if crashedThenRefused(c, start, end, idBacked) {
			if cut := cutOnAnotherServer(ev.errs, lastErr); cut != nil {
				how, echo := "was cut mid-request", "that crash's echo"
				if cut.Reason == sources.ReasonBadResponse {
					how, echo = "sent a response the proxy could not use", "an echo of that"
				}
				add.line("the app started the request and never finished it: the attempt on ", cut.UpstreamAddr, " ", how, " (its error line); ", lastErr.UpstreamAddr, " refused the retry on its own, not as ", echo)
			} else {
				c, d = UpstreamReset, diedMidRequest(retried, add)
			}
		}
		conf = refusedAfterUnseenTries(ev, c, conf, add)
		if c == UpstreamReset && sources.GoErrorCutMidHeader(lastErr.Message) {
			c, conf = cutMidHeader(conf, start, end, idBacked, add)
		}
		if lastErr.Reason == sources.ReasonReadTimeout && finishedLate(e, end) {
			add.line(finishedLateText)
		}
		set(c, conf, d)
	case serviceAnswered(ev):
		// Its Service answered other requests through an endpoint
		// around it: no Service without endpoints, but the 503 no
		// upstream was contacted for, its limiter's (rulesingress.go).
		// Low where an error log whose lines reach it has none for it:
		// the limiter logs "limiting requests" there.
		add.line(serviceAnsweredText(e, ev.serviceAnswers, ev.serviceAddr))
		conf := Medium
		if ev.errorLog && ev.errorsSeen {
			conf = Low
		}
		set(ProxyRejected, conf, "")
	case e.Reason != sources.ReasonNone && reasonCause(e.Reason) != "":
		conf := High
		if !proxySaid(e) && !stateSays(ev.state, e.Reason) {
			// Derived from upstream fields, not a reason the proxy wrote
			// (ingress-nginx's controller writes it: "Service … does not
			// have any active Endpoint").
			conf = Medium
		}
		c, d := reasonCause(e.Reason), reasonDetail(e.Reason)
		if line, unsure := statusCannotTell(ev.kind, e.Status); line != "" {
			// The status names two causes, and no field says which.
			add.line(line)
			if conf == High || unsure == Low {
				conf = unsure
			}
			d = ""
		}
		c, conf, d = afterGroupAttempts(ev, c, conf, d, add)
		if crashedThenRefused(c, start, end, idBacked) {
			c, d = UpstreamReset, diedMidRequest(retried, add)
		}
		conf = refusedAfterUnseenTries(ev, c, conf, add)
		read := e.Reason == sources.ReasonReadTimeout
		if connectContradicted(ev) {
			add.line(connectedText(ev))
			d, read = "read", true
		}
		if read && finishedLate(e, end) {
			// As an error line's timeout says it: HAProxy's sH-- beside
			// the app's late 503 lacked it (QA s17, 0 of 27).
			add.line(finishedLateText)
		}
		set(c, conf, d)
	case rewriteFailed(ev.kind, e):
		// The server's response came, and HAProxy's own rule failed on
		// it: the status is HAProxy's, and none of the causes (no
		// upstream failed) is its own failure. It was
		// upstream_bad_response high (QA s36 L5).
		add.line("the server's response header came, and HAProxy failed on it with 500 (PH): the 500 is HAProxy's own, no upstream failure")
		set(Unknown, Low, "proxy_internal")
	case e.Reason == sources.ReasonConfig:
		// Not a limiter and not an upstream: a route that leads nowhere.
		// (ALB's error_reason line says which setting: the invoke
		// permission, the registered function.)
		if ev.kind != "alb" {
			add.line("the proxy's configuration sends this request to no upstream")
		}
		set(Unknown, Low, "config")
	case ev.kind == "alb" && e.Reason == sources.ReasonNone && e.Flags != "" && e.UpstreamAnswered != sources.Yes:
		// The load balancer named why in error_reason, and it is none of
		// the causes (AWS's own internal errors) or a code fivexx does not
		// know: its line says which, and neither the times nor the app's
		// silence are read as a guess (an unknown Lambda code was
		// upstream_refused).
		set(Unknown, Low, "")
	case e.UpstreamContacted == sources.No:
		if e.Status == 503 || e.Status == 429 {
			add.status("no upstream was contacted: the proxy answered ", e.Status, " itself")
			set(ProxyRejected, Medium, "")
		} else {
			add.status("no upstream was contacted: the proxy answered ", e.Status, " itself")
			set(Unknown, Low, "proxy_internal")
		}
	case end != nil && end.Status == e.Status:
		conf := Low
		if idBacked {
			conf = High
		}
		if e.Status == 503 {
			set(AppUnavailable, conf, "")
		} else {
			set(AppError, conf, "")
		}
	case start != nil && end == nil && e.Status == 504:
		set(UpstreamTimeout, confByMatch(idBacked), "read")
	case start != nil && end == nil:
		conf := confByMatch(idBacked)
		if conf == Medium && e.Status == 502 {
			if on, ok := startOnRetriedTry(ev); ok {
				add.line(startOnRetriedText(on))
			} else {
				add.line(startNoEndText(ev))
				conf, ev.resetOrBad = Low, true
			}
		}
		set(UpstreamReset, conf, "")
	case finishedLate(e, end):
		add.line(finishedLateText)
		set(UpstreamTimeout, confByMatch(idBacked), "read")
	case end != nil && end.Status < 500 && e.Status == 502 && idBacked && notLastTry == "":
		// Joined by time, method and path alone, the finished line is as
		// likely another request's (a 502 between two 200s of a busy
		// path took either 200's line): only its id makes it this one's.
		add.status("the app thinks it answered ", end.Status, "; the proxy could not use the response")
		set(UpstreamBadResponse, confByMatch(idBacked), "")
	case ev.kind == "nginx" && e.UpstreamAnswered != sources.Yes && timedOutEachTry(e):
		// ingress-nginx logs no header time; its status list says who
		// made a 504 (formats.md §1.4): with proxy_next_upstream "error
		// timeout" (its default) an attempt is retried only after nginx's
		// own error or timeout, and the last took as long as those.
		add.line("every attempt (", strconv.Itoa(len(e.UpstreamStatus)), ") ended in 504 after ", e.UpstreamResponse[0], " s: nginx's own timeout, retried, not the upstream's answer")
		d, byTime := retriedTimeoutPhase(e)
		conf := Medium
		switch {
		case d == "read" && len(e.UpstreamConnect) > 0:
			add.line("upstream_connect_time ", strings.Join(e.UpstreamConnect, ", "), ": every attempt connected, so each timed out reading the response, not connecting")
		case d == "connect" && len(e.UpstreamConnect) > 0:
			add.line("upstream_connect_time ", strings.Join(e.UpstreamConnect, ", "), ": no attempt connected, so each timed out connecting")
		case byTime:
			// Nothing logged tells the phase: the 5 s is ingress-nginx's
			// default proxy-connect-timeout, and a proxy-read-timeout
			// set to 5 s ends the same way. It was said as a fact.
			add.line("no upstream_connect_time is logged: that each attempt timed out connecting is a guess from its ", e.UpstreamResponse[0], " s, ingress-nginx's proxy-connect-timeout by default (a proxy-read-timeout of 5 s ends the same)")
			conf = Low
		}
		set(UpstreamTimeout, conf, d)
	case ev.kind == "nginx" && e.UpstreamAnswered != sources.Yes && failedEachTry(e):
		// $upstream_response_length 0 beside nginx's 502 on every
		// attempt: nginx logs 0 for an attempt that failed, and with
		// proxy_next_upstream "error timeout" (ingress-nginx's default)
		// only nginx's own error is retried (formats.md §1.4). Refused or
		// reset only nginx's error line says; the last attempt's time is
		// a guess at which.
		add.line(failedEachTryText(len(e.UpstreamStatus)))
		switch {
		case !ev.errorLog:
			add.line("which error (refused or reset) only nginx's error line says, and no error log is read: a guess from the last attempt's time")
		case len(ev.errs) == 0:
			add.line("which error (refused or reset) only nginx's error line says, and the error log has none for it: a guess from the last attempt's time")
		}
		c := UpstreamReset
		if quick(e) {
			c = UpstreamRefused
		}
		set(c, Low, "")
	case ev.errorLog && ev.errorsSeen && len(ev.errs) == 0 && e.UpstreamAnswered != sources.No && e.Status >= 500 && appNeverSawIt(ev):
		// Rule 5's "so the upstream sent it" needs an upstream that had
		// the request; where request ids join and the app has none for
		// it, the proxy answered on its own (Caddy's respond, nginx's
		// return), and its silence in the error log says only that no
		// upstream failed.
		add.status("no error-log line for it and no app line with its request id: the proxy answered ", e.Status, " itself"+ownAnswerExample(ev.kind))
		if e.Status == 503 || e.Status == 429 {
			set(ProxyRejected, Medium, "")
		} else {
			set(Unknown, Low, "proxy_internal")
		}
	case ev.errorLog && ev.errorsSeen && len(ev.errs) == 0 && e.UpstreamAnswered != sources.No && e.Status >= 500 && e.ProxyWrote == sources.Yes:
		// Rule 5's "so the upstream sent it" needs a response an
		// upstream wrote; this one's headers are the proxy's own
		// (Caddy's respond), and no upstream failure is in the error log:
		// the proxy answered on its own. (Caddy's respond 503 without an
		// app log was app_unavailable medium, session 24 QA F3; beside
		// an app that witnessed the requests around it, low.)
		add.line(proxyWroteText(ev.kind, e))
		add.status("no error-log line for it and the proxy wrote the response: it answered ", e.Status, " itself"+ownAnswerExample(ev.kind))
		if e.Status == 503 || e.Status == 429 {
			set(ProxyRejected, Medium, "")
		} else {
			set(Unknown, Low, "proxy_internal")
		}
	case ev.errorLog && ev.errorsSeen && len(ev.errs) == 0 && e.UpstreamAnswered != sources.No && e.Status >= 500 && appWitnessed(ev):
		// The app logged the requests around it and not this one, and no
		// upstream failure is in the error log: a maintenance page, a
		// return or an error_page answered, which log nothing there
		// (appwitness.go). Low: no id says which request the app saw.
		add.status("no error-log line for it either: the proxy most likely answered ", e.Status, " itself"+ownAnswerExample(ev.kind))
		if e.Status == 503 || e.Status == 429 {
			set(ProxyRejected, Low, "")
		} else {
			set(Unknown, Low, "proxy_internal")
		}
	case ev.errorLog && ev.errorsSeen && len(ev.errs) == 0 && e.UpstreamAnswered != sources.No && e.Status >= 500:
		add.status("no error-log line for it: the proxy logs every upstream failure there, so the upstream sent ", e.Status, "")
		if e.Status == 503 {
			set(AppUnavailable, Medium, "")
		} else {
			set(AppError, Medium, "")
		}
	default:
		switch {
		case ev.errorLogQuiet && len(ev.errs) == 0:
			add.line(quietErrorLogText(ev.kind))
		case ev.siteQuiet != "" && len(ev.errs) == 0:
			add.line(quietSiteText(ev.siteQuiet))
		}
		guess(ev, v, add)
	}
	v.Evidence = add.lines
	if !ev.terse {
		v.Hint = hint(v, ev)
	}
	return v
}

// finishedLateText says that the app's answer came after the proxy's 504.
const finishedLateText = "the app finished after the proxy gave up"

// finishedLate reports whether the app finished a request the proxy
// answered 504 with another status of its own: had its answer come
// before the proxy gave up, the client would have had it. A slow
// request's 200 (nginx's read timeout, then the app's answer) and its 500
// alike: the 500 was the app's error, but it came too late to be what the
// client got. (The app's own 504 is an app_error, judged before.)
func finishedLate(e *sources.ProxyEntry, end *sources.AppEntry) bool {
	return e.Status == 504 && end != nil && end.Status != 0 && end.Status != 504
}

// lateText says that an app line was placed where it was written, not at
// its stamp (applate.go), with both times as the app's log wrote them.
func lateText(a *sources.AppEntry, written time.Time) string {
	return appWho([]*sources.AppEntry{a}) + ": its line is stamped " + a.Time.Format("15:04:05") + " but came after one stamped " + written.Format("15:04:05") +
		": placed where it was written, its request ended between the two (a log that stamps a request's start, as Apache's %t, writes a slow request's line at its end)"
}

// evidenceLines collects a verdict's evidence lines; a terse judge
// (Config.Terse) collects none. A line is joined from its parts only
// when it is collected: formatted with fmt.Sprintf, each of its arguments
// was boxed (a string's an allocation) even for a terse judge, and the
// formatting and boxing were half of a full judge's cost (0.07 of 0.15
// CPU-s in a replay of the 2 M bench set, judging 41 k 5xx).
type evidenceLines struct {
	lines []string
	terse bool
}

// line adds the line joined from parts.
func (l *evidenceLines) line(parts ...string) {
	if !l.terse {
		l.lines = append(l.lines, strings.Join(parts, ""))
	}
}

// status adds the line before, the status code, after.
func (l *evidenceLines) status(before string, code int, after string) {
	if !l.terse {
		l.lines = append(l.lines, before+strconv.Itoa(code)+after)
	}
}

// stateSays reports whether one of the proxy's state lines gives reason.
func stateSays(state []*sources.ProxyError, r sources.Reason) bool {
	for _, s := range state {
		if s.Reason == r {
			return true
		}
	}
	return false
}

// ownLineSays reports whether errs is the proxy's own line giving the
// cause (ownCauseFor), which has no request in it.
func ownLineSays(errs []*sources.ProxyError) bool {
	return len(errs) == 1 && errs[0].Request == "" && errs[0].Path == ""
}

// errorLineOverrules reports whether the proxy's error line says its
// limiter answered, while the access line's fields were read as another
// reason: that reading is then no fact to show. ingress-nginx's 503 with
// every upstream field "-" reads as a service without endpoints, and its
// limiter's 503 looks the same (derive, sources/nginx); beside "limiting
// requests" the evidence said "service default-api-80 has no active
// endpoints".
func errorLineOverrules(e *sources.ProxyEntry, x *sources.ProxyError) bool {
	if x == nil || e.Reason == sources.ReasonNone || reasonCause(e.Reason) == ProxyRejected {
		return false
	}
	return reasonCause(x.Reason) == ProxyRejected
}

// timedOutEachTry reports whether a 504 was retried and each attempt,
// the last one too, logged 504 after the same time of a second or more.
func timedOutEachTry(e *sources.ProxyEntry) bool {
	if e.Status != 504 || len(e.UpstreamStatus) < 2 || len(e.UpstreamResponse) != len(e.UpstreamStatus) {
		return false
	}
	first, err := strconv.ParseFloat(e.UpstreamResponse[0], 64)
	if err != nil || first < 1 {
		return false
	}
	for i, st := range e.UpstreamStatus {
		// The same timeout fires a millisecond or two apart from one
		// attempt to the next: real nginx logged "1.000, 1.001" for what
		// it logs "1.001, 1.001" the next time, and the string compare
		// made the one medium and the other low, without this evidence.
		f, err := strconv.ParseFloat(e.UpstreamResponse[i], 64)
		if st != "504" || err != nil || math.Abs(f-first) > timeoutJitter {
			return false
		}
	}
	return true
}

// retriedTimeoutPhase is which of nginx's timeouts ended every attempt
// of a retried 504 (timedOutEachTry's): "read" when each attempt's
// $upstream_connect_time is a number (it connected; nginx logs "-" until
// the connection is made, formats.md §1.1), "connect" when each is "-",
// and, for an attempt whose connect time is not logged (ingress-nginx's
// default format, formats.md §1.4), "connect" when it took 5 s,
// ingress-nginx's proxy-connect-timeout by default; "" when the attempts
// differ or nothing tells; byTime says the 5 s rule decided, a guess
// the evidence says. The 5 s rule read the demo's slow-dependency
// "504, 504" after 5.000 s each, uct="0.000, 0.000", as connect timeouts
// (session 35).
func retriedTimeoutPhase(e *sources.ProxyEntry) (phase string, byTime bool) {
	d := ""
	for i := range e.UpstreamStatus {
		var p string
		switch conn := attemptField(e.UpstreamConnect, i); conn {
		case "-":
			p = "connect"
		case "":
			if f, err := strconv.ParseFloat(attemptField(e.UpstreamResponse, i), 64); err == nil && f >= 5 && f < 5+timeoutJitter {
				p, byTime = "connect", true
			}
		default:
			if _, err := strconv.ParseFloat(conn, 64); err == nil {
				p = "read"
			}
		}
		if p == "" || i > 0 && p != d {
			return "", false
		}
		d = p
	}
	return d, byTime
}

// timeoutJitter is how far apart, in seconds, the times of attempts that
// ended on the same nginx timeout may be.
const timeoutJitter = 0.05

// failedEachTry reports whether a 502 came back from every upstream
// attempt as 502 with no body: nginx's own error for each.
func failedEachTry(e *sources.ProxyEntry) bool {
	if e.Status != 502 || e.UpstreamBodyless != sources.Yes || len(e.UpstreamStatus) == 0 {
		return false
	}
	for _, st := range e.UpstreamStatus {
		if st != "502" {
			return false
		}
	}
	return true
}

func failedEachTryText(tries int) string {
	if tries == 1 {
		return "the attempt ended in 502 with upstream_response_length 0: nginx's own error, not the upstream's answer"
	}
	return "every attempt (" + strconv.Itoa(tries) + ") ended in 502 with upstream_response_length 0: nginx's own errors, retried, not the upstream's answer"
}

// appNeverSawIt reports whether request ids join proxy and app lines on
// this system and the app logged none with this request's id.
func appNeverSawIt(ev evidence) bool {
	return ev.appLog && ev.idsJoin && len(ev.app) == 0 && ev.matchedBy == "request_id" && ev.e.RequestID != ""
}

// appWitnessed reports whether the app, read by time window, logged
// requests that went well around the entry and none of its lines is the
// entry's (appwitness.go).
func appWitnessed(ev evidence) bool {
	return ev.appLog && len(ev.app) == 0 && !ev.appTaken && ev.witnesses > 0
}

// answeredAfter is the line of errs, at x's time or after it, that says
// an attempt got the upstream's answer (sources.ActionUpstreamAnswered),
// or nil.
func answeredAfter(errs []*sources.ProxyError, x *sources.ProxyError) *sources.ProxyError {
	for _, y := range errs {
		if y.Action == sources.ActionUpstreamAnswered && !y.Time.Before(x.Time) {
			return y
		}
	}
	return nil
}

// appAnsweredAfterRetry reports whether the app finished e itself with
// e's status, by its request id: then an error line beside it is from an
// attempt before the one the app answered.
func appAnsweredAfterRetry(e *sources.ProxyEntry, end *sources.AppEntry, idBacked bool) bool {
	return idBacked && end != nil && end.Status == e.Status
}

// appAnsweredAfterFailedTry reports whether nginx's error line x, of a
// failure that ends a request with another status than e's (endedBy),
// is beside the app's end line of e's status: nginx retried after x's
// failure, and the app answered the retry.
func appAnsweredAfterFailedTry(ev evidence, x *sources.ProxyError, end *sources.AppEntry) bool {
	e := ev.e
	return ev.kind == "nginx" && end != nil && end.Status == e.Status && e.UpstreamAnswered != sources.No && !endedBy(x, e.Status)
}

// guessedLines says that the error lines were given to e by the logs'
// order, not by anything the access line says. upstream is the one the
// proxy's own line names ("" for none): Traefik's "'502 Bad Gateway'
// caused by: dial tcp 172.18.0.5:8080: connect: connection refused" names
// its upstream but no request, and another 502 of that upstream at its
// time could have taken it (it read "names no request and no upstream").
func guessedLines(g *errGuess, status, upstream string, add *evidenceLines) {
	if g.own {
		if upstream != "" {
			add.line("which ", status, " this line is about is a guess: it names the upstream, ", upstream, ", but no request, and another ", status, " of its time on that upstream could have taken it")
			return
		}
		add.line("which ", status, " this line is about is a guess: it names no request and no upstream, and another ", status, " of its time could have taken it")
		return
	}
	took := ""
	if g.serial != "" {
		took = " (*" + g.serial + ")"
	}
	if g.short {
		// More 5xx than lines, every line saying the same thing: which
		// 5xx it explains, not what it says, is the guess.
		n := strconv.Itoa(g.rivals + 1)
		if g.lines == 1 {
			add.line("which 5xx this error line is about is a guess: ", n, " 5xx of this client, method and path at this time could have it, and the access line logs no connection serial to tell whose it is; the logs' order chose this one", took)
			return
		}
		add.line("which 5xx these error lines are about is a guess: ", n, " 5xx of this client, method and path at this time wanted ", strconv.Itoa(g.lines), " lines, and the access line logs no connection serial to tell whose they are; the logs' order chose this one", took)
		return
	}
	if g.lines > 1 {
		add.line("which error line is this request's is a guess: ", strconv.Itoa(g.lines), " lines of this client, method and path at this time say different things, and the access line logs no connection serial to tell whose is whose; it took the first unused", took)
		return
	}
	add.line("which error line is this request's is a guess: lines of this client, method and path at this time said different things, the others went to other 5xx, and the access line logs no connection serial to tell whose is whose; it took the one left", took)
}

// diedMidRequest says so in the evidence and returns the detail. Only a
// proxy that retried (several upstream attempts) found nothing listening
// afterwards; ALB and others that do not retry just lost the connection.
func diedMidRequest(retried bool, add *evidenceLines) string {
	if retried {
		add.line("the app started the request and never finished it: the upstream died mid-request, and the proxy's retry found nothing listening")
		return "retried"
	}
	add.line("the app started the request and never finished it: the upstream died mid-request")
	return ""
}

// cutMidHeader weighs the app's story beside Go's parse error on a
// fragment a cut leaves (sources.GoErrorCutMidHeader: Caddy's `malformed
// MIME header: missing colon: "Content-Ty"`, a crash mid-header): the
// text alone cannot tell a cut from a short line sent whole. The app's
// start with no end, by request id, is the crash: a reset as sure as the
// proxy's word. Its end, by id, says it answered: the line was sent
// whole, a bad response. Neither: a reset, at medium. (QA s13/s11/s3,
// real Caddy 2.6.2, judged every such crash a bad response at high.)
func cutMidHeader(conf Confidence, start, end *sources.AppEntry, idBacked bool, add *evidenceLines) (Cause, Confidence) {
	switch {
	case end != nil && idBacked:
		add.line("the app finished the request (by request id): the line net/http could not parse was sent whole, not cut off")
		return UpstreamBadResponse, Medium
	case start != nil && idBacked:
		add.line("the response stops mid-header (net/http parsed the fragment it got), and the app never finished the request: it died while answering")
		return UpstreamReset, conf
	}
	which := "no app line of this request's tells which"
	if start != nil || end != nil {
		which = "the app's lines, joined by time alone, may be another request's"
	}
	add.line("the response stops mid-header as a cut leaves it (net/http parsed the fragment it got); a short line sent whole reads the same, and ", which)
	return UpstreamReset, Medium
}

// crashedThenRefused reports whether a refusal (or an empty pool) is only
// the echo of a crash: the app logged the request's start and never its
// end, so the upstream died mid-request and the proxy's retry (HAProxy
// redispatch, Caddy's re-dial, nginx's next server) found it gone.
//
// Only app lines joined by request id say so: joined by time, method and
// path, the start may be another request's whose end lies outside the
// window (a request of 4.5 s beside a refused one), and it overturned the
// proxy's own "Connection refused" at high confidence.
func crashedThenRefused(c Cause, start, end *sources.AppEntry, idBacked bool) bool {
	return (c == UpstreamRefused || c == NoHealthyUpstream) && start != nil && end == nil && idBacked
}

// cutOnAnotherServer returns the error line of an earlier attempt that
// failed on a server that had the request (a reset, or a response the
// proxy could not use), when it names another server than refused, the
// refusal that decided: the proxy logged that failure itself, on the
// server that had the request, and the refusal came from one that never
// took it. That refusal is no echo of a crash, and the last attempt
// decides, as for every retried request: nginx 1.22 with two servers,
// one a closed port (QA s30 s5), read /close?n=7 (reset on
// 127.0.0.1:24100, then refused on :24104, then "no live upstreams") as
// upstream_reset with the app's id'd lines and upstream_refused without
// them. A bad header before the refusal is judged the same (QA s37 H1:
// nginx with proxy_next_upstream invalid_header, and Caddy, which retries
// any failed GET, read it upstream_reset high on the refusing server,
// where the reset before it read upstream_refused). nil when there is
// none.
func cutOnAnotherServer(errs []*sources.ProxyError, refused *sources.ProxyError) *sources.ProxyError {
	if refused == nil || refused.Reason != sources.ReasonRefused || refused.UpstreamAddr == "" {
		return nil
	}
	for _, x := range errs {
		if x == refused {
			break
		}
		switch x.Reason {
		case sources.ReasonReset, sources.ReasonAfterHeaders, sources.ReasonBadResponse:
			if x.UpstreamAddr != "" && x.UpstreamAddr != refused.UpstreamAddr {
				return x
			}
		}
	}
	return nil
}

// guess is rule 6: status and timings only.
func guess(ev evidence, v *Verdict, add *evidenceLines) {
	e := ev.e
	switch {
	case ev.kind == "nginx" && !e.Fields.Has(sources.FieldUpstreamStatus) && notNginxPage(e):
		// nginx's own 5xx pages are of fixed size (formats.md §1.1's 157
		// for its 502): a smaller body is an upstream's (or the site's own
		// error_page). The real recording nginx-startapp's app answered
		// 504 and 502 with 13 bytes, read upstream_timeout low and
		// unknown, and nginx-combined's app 503s (20 bytes) and 500s (22)
		// unknown; their limiter's 503s (197) and nginx's own 502s (157)
		// and 504 (167) are its pages.
		add.line(notNginxPageText(e))
		if e.Status == 503 {
			v.Cause, v.Confidence = AppUnavailable, Low
		} else {
			v.Cause, v.Confidence = AppError, Low
		}
	case e.Status == 504:
		// The phase only when the timings tell it: "read" for a combined
		// line with no timing beside "Evidence: none recorded" (QA s24
		// TUI #3) claimed what nothing said; that verdict now says what
		// it rests on.
		d := ""
		switch n := len(e.UpstreamConnect); {
		case n > 0 && e.UpstreamConnect[n-1] == "-":
			d = "connect"
		case n > 0:
			d = "read" // it connected: the timeout came after
		case len(add.lines) > 0:
		case ev.errorLog:
			add.line("status 504 alone: the proxy answers 504 when the upstream times out (without upstream fields an app's own 504 reads the same); no timing and no error-log line say whether connecting or reading")
		default:
			add.line("status 504 alone: the proxy answers 504 when the upstream times out (without upstream fields an app's own 504 reads the same); no error log read to say whether connecting or reading")
		}
		v.Cause, v.Confidence, v.Detail = UpstreamTimeout, Low, d
	case e.Status == 502 && e.UpstreamAnswered == sources.No && e.Fields.Has(sources.FieldUpstreamResponseTime) && slow(e):
		// The upstream held the connection before it failed: it was
		// reached. An app that crashed mid-request logs nothing for it
		// (formats.md §9.4), so no app line does not say it was refused.
		if ev.appLog && len(ev.app) == 0 {
			add.line("no app line for it, but the upstream held the connection before it failed: an app that dies mid-request logs nothing for it")
		}
		v.Cause, v.Confidence = UpstreamReset, Low
	case e.Status == 502 && e.UpstreamAnswered == sources.No && ev.appLog && len(ev.app) == 0:
		add.line("no app line for it: the request never reached the app")
		v.Cause, v.Confidence = UpstreamRefused, Low
	case e.Status == 502 && e.UpstreamAnswered == sources.No && e.Fields.Has(sources.FieldUpstreamResponseTime):
		// The upstream's own timing separates an instant refusal from a
		// later drop; without it (Traefik's, Cloudflare's own 502) fivexx
		// does not guess. An instant failure after a logged connect time
		// is no refusal to name: nginx logged a hangup, a reset and a bad
		// header of its real recording (testdata/recordings/nginx-upstream
		// /hangup, /reset, /badheader, uct="0.000") each so, read
		// upstream_refused; a refusal logs "-" unless the connect was
		// still pending (formats.md §1.3), so the line cannot say which.
		switch {
		case quick(e) && lastConnected(e):
			add.line(connectedNoHeaderText(e))
			v.Cause, v.Confidence = Unknown, Low
		case quick(e):
			v.Cause, v.Confidence = UpstreamRefused, Low
		default:
			v.Cause, v.Confidence = UpstreamReset, Low
		}
	default:
		v.Cause, v.Confidence = Unknown, Low
	}
}

// nginxPageHead is the size of nginx's own error page for a status
// without its tail (ngx_http_special_response.c: "<html>" CRLF
// "<head><title>502 Bad Gateway</title></head>" CRLF "<body>" CRLF
// "<center><h1>502 Bad Gateway</h1></center>" CRLF), 0 for a status it
// has none for here. The tail, "<hr><center>nginx/1.22.1</center>" CRLF
// "</body>" CRLF "</html>" CRLF, adds 41 bytes and the version string,
// "nginx" at least (server_tokens off): the 502 page is 157 bytes with
// nginx/1.22.1.
func nginxPageHead(status int) int64 {
	title := 0
	switch status {
	case 500:
		title = len("500 Internal Server Error")
	case 502:
		title = len("502 Bad Gateway")
	case 503:
		title = len("503 Service Temporarily Unavailable")
	case 504:
		title = len("504 Gateway Time-out")
	default:
		return 0
	}
	return int64(8 + 13 + title + 15 + 2 + 8 + 12 + title + 14 + 2)
}

// nginxPageTailMin is the shortest tail of nginx's own error page, with
// "nginx" as its version string.
const nginxPageTailMin = int64(41 + len("nginx"))

// notNginxPage reports whether e's body is too small to be nginx's own
// error page for its status (and not empty: a HEAD request's, or a
// client's that left).
func notNginxPage(e *sources.ProxyEntry) bool {
	head := nginxPageHead(e.Status)
	return head > 0 && e.BodyBytes > 0 && e.BodyBytes < head+nginxPageTailMin
}

// toldByBody reports whether v, of an entry with no error line and no app
// line, is guess's reading of a body too small to be nginx's own page:
// no request id told it (the advice counts it a guess).
func toldByBody(ev evidence, v *Verdict) bool {
	return ev.kind == "nginx" && len(ev.errs) == 0 && !ev.e.Fields.Has(sources.FieldUpstreamStatus) && notNginxPage(ev.e) &&
		(v.Cause == AppError || v.Cause == AppUnavailable) && v.Confidence == Low
}

// notNginxPageText says why e's body is not nginx's own page, and what
// else of nginx's sends a small body: the site's own error_page, or its
// return with a text (a maintenance or limiter's `return 503 "…"`, 11
// bytes for "maintenance"), which the access line cannot tell from the
// upstream's (review s36 L1: it named error_page only).
func notNginxPageText(e *sources.ProxyEntry) string {
	// Kept by status and size, fewer than a thousand texts (a size below
	// the page's, four statuses): written out for each 5xx they were
	// 12.8 of the 21.3 MB a combined.log report of the 2 M bench set
	// allocated, and its peak RSS 17 -> 21 MB.
	key := e.Status<<16 | int(e.BodyBytes)
	if s, ok := pageTexts.Load(key); ok {
		return s.(string)
	}
	s := pageText(e)
	pageTexts.Store(key, s)
	return s
}

// pageTexts holds notNginxPageText's texts by status<<16 | body size.
var pageTexts sync.Map

// pageText is notNginxPageText's text, written out.
func pageText(e *sources.ProxyEntry) string {
	s := "the body, " + strconv.FormatInt(e.BodyBytes, 10) + " bytes, is smaller than nginx's own " + strconv.Itoa(e.Status) + " page (" +
		strconv.FormatInt(nginxPageHead(e.Status)+nginxPageTailMin, 10) + " bytes or more): the upstream sent it, unless the site's own error_page or return made it"
	if e.Status == 503 {
		s += " (a maintenance or limiter's return 503 with a text reads the same)"
	}
	return s + "; no upstream fields and no error-log line say more"
}

// quick reports whether the last attempt failed almost at once (< 5 ms).
func quick(e *sources.ProxyEntry) bool {
	if n := len(e.UpstreamResponse); n > 0 {
		f, err := strconv.ParseFloat(e.UpstreamResponse[n-1], 64)
		return err == nil && f < 0.005
	}
	return e.RequestTime >= 0 && e.RequestTime < 0.005
}

// onlyEarlierTries reports whether each of an nginx entry's error lines
// that gives a reason is of a failure that makes another status than
// the entry's, and the access line gives no reason of its own (the group
// name after a failed attempt: nginx's 502 for "no live upstreams",
// whose line may be missing, decides then).
func onlyEarlierTries(ev evidence) bool {
	if ev.kind != "nginx" || ev.e.Reason != sources.ReasonNone {
		return false
	}
	for _, x := range ev.errs {
		if reasonCause(x.Reason) != "" && endedBy(x, ev.e.Status) {
			return false
		}
	}
	return true
}

// afterEarlierTry judges an nginx 5xx whose error lines say only of a
// failure that makes another status than its own (x, a refused connect
// beside a 504): x is an earlier attempt's, and nginx retried. The last
// attempt's upstream fields, when logged, say what made the status: a 504
// with no response header is nginx's own timeout (read when it connected,
// connect when not), medium, from the fields. Without them the error log,
// which has x's line, has none for the attempt that made the status,
// which nginx's own failures leave: most likely the upstream answered it
// itself, low (x joined by time and request line alone).
func afterEarlierTry(ev evidence, x *sources.ProxyError, add *evidenceLines) (Cause, Confidence, string) {
	e := ev.e
	made, status := strconv.Itoa(madeStatus(x)), strconv.Itoa(e.Status)
	if len(e.UpstreamStatus) == 1 {
		return oneAttemptBesideOther(ev, x, add)
	}
	add.line("nginx answers ", made, " for the error line's failure, not ", status, ": the line is from an earlier attempt, and nginx retried")
	if n := len(e.UpstreamStatus); n > 1 {
		last, header, conn := e.UpstreamStatus[n-1], attemptField(e.UpstreamHeader, n-1), attemptField(e.UpstreamConnect, n-1)
		if last == "504" && header == "-" {
			d := timeoutPhase(conn)
			add.line("the last attempt on ", attemptField(e.UpstreamAddr, n-1), " ended in 504 with no response header: nginx's own timeout; the error log has no line for it")
			return UpstreamTimeout, Medium, d
		}
		add.line("the last attempt on ", attemptField(e.UpstreamAddr, n-1), " ended in ", orDash(last), ", and the error log has no line for it")
		return Unknown, Low, ""
	}
	add.line("the error log has no line for the attempt that made the ", status, ", which nginx's own failures leave: most likely the upstream answered ", status, " itself; the app's log would tell")
	if e.Status == 503 {
		return AppUnavailable, Low, "retried"
	}
	return AppError, Low, "retried"
}

// timeoutPhase is the phase of nginx's own timeout on an attempt whose
// $upstream_connect_time is conn: "connect" when it logged "-" (it never
// connected), "read" when it logged a time, "" when it logged none.
func timeoutPhase(conn string) string {
	switch {
	case conn == "-":
		return "connect"
	case conn != "":
		return "read"
	}
	return ""
}

// oneAttemptBesideOther judges an nginx 5xx that logged one attempt
// ($upstream_status of one value) beside an error line whose failure
// makes another status (x, a refused connect beside a 504): x cannot be
// an earlier attempt of this request, so that attempt's fields decide, as
// in afterEarlierTry, and nginx did not retry. x contradicts them: a
// line of another request of the same client, method and path, joined
// by time (or of another request on the same connection, by its
// serial), which the evidence says; low, as the line does not fit. It
// read app_error low "retried" (review s36 M2), and upstream_refused
// high before that session.
func oneAttemptBesideOther(ev evidence, x *sources.ProxyError, add *evidenceLines) (Cause, Confidence, string) {
	e := ev.e
	made, status := strconv.Itoa(madeStatus(x)), strconv.Itoa(e.Status)
	us, header, conn := e.UpstreamStatus[0], attemptField(e.UpstreamHeader, 0), attemptField(e.UpstreamConnect, 0)
	addr := orDash(attemptField(e.UpstreamAddr, 0))
	s := "nginx answers " + made + " for the error line's failure, not " + status + ", and logged one attempt for this request, on " + addr + ", which ended in " + orDash(us)
	if conn != "" && conn != "-" {
		s += " after it connected (upstream_connect_time " + conn + ")"
	}
	s += ": the line is not of that attempt, and nginx did not retry; " + joinedText(ev, x)
	add.line(s)
	if us == "504" && header == "-" {
		d := timeoutPhase(conn)
		add.line("the attempt ended in 504 with no response header: nginx's own timeout; low, as the error line joined to it says otherwise")
		return UpstreamTimeout, Low, d
	}
	return Unknown, Low, ""
}

// joinedText says how x, an error line that does not fit e's one
// attempt, was joined to e: by the connection serial both log, else by
// client, method and path within the request's time, with when x was
// logged after the request began.
func joinedText(ev evidence, x *sources.ProxyError) string {
	e := ev.e
	if e.Conn != "" && x.Conn != "" {
		return "it was joined by the connection serial *" + x.Conn + ": most likely another request's on the same keep-alive connection"
	}
	s := "it was joined by client, method and path within the request's time (the access line logs no connection serial)"
	if e.RequestTime > 0 {
		began := e.Time.Add(-time.Duration(e.RequestTime * float64(time.Second)))
		if after := x.Time.Sub(began); after >= 2*time.Second {
			s += ", logged " + strconv.FormatFloat(after.Seconds(), 'f', 0, 64) + " s after the request began"
		}
	}
	return s + ": most likely another request's"
}

// startOnRetriedTry reports whether the app logged the start with no end
// of an attempt nginx retried, not its last, and returns that attempt's
// server, "" when the lines do not say which. Each attempt ended in
// nginx's own 502 with no response header, and by default
// (proxy_next_upstream error timeout) nginx moves on after an error (a
// refused, closed or reset connection), not after a header it could not
// use (formats.md §2.2): the request reached the app on that attempt and
// its connection was cut, as in the real recording's /hangup and /reset
// ("502, 502", a start on each server). The last attempt was retried by
// none: a start on it alone may be a reset or a bad response, as a
// single attempt's (QA s37 H3: real nginx 1.22.1, "-, 0.000", a refused
// try, then a bad header on the server that had the request, read
// upstream_reset medium with no word of a bad response). The start is an
// earlier attempt's when its instance is an earlier attempt's address,
// when the app logged more starts than one (instances not addresses:
// the server is the first earlier attempt that connected, none when
// $upstream_connect_time is not logged; the first address named one
// that never connected, review s37 L5: "-, 0.000, 0.000"), or when the
// last attempt never connected ($upstream_connect_time "-") and an
// earlier one did (connectedBeforeLast).
func startOnRetriedTry(ev evidence) (string, bool) {
	e := ev.e
	n := len(e.UpstreamStatus)
	if ev.kind != "nginx" || n < 2 || len(e.UpstreamHeader) != n || len(e.UpstreamAddr) != n || ev.matchedBy != "request_id" {
		return "", false
	}
	for i, st := range e.UpstreamStatus {
		if st != "502" || e.UpstreamHeader[i] != "-" {
			return "", false
		}
	}
	starts, named := 0, false
	for _, a := range ev.app {
		if a.Phase != sources.PhaseStart {
			continue
		}
		starts++
		for i := 0; i < n-1; i++ {
			if namesTry(a.Instance, e.UpstreamAddr[i]) {
				return e.UpstreamAddr[i], true
			}
		}
		named = named || namesTry(a.Instance, e.UpstreamAddr[n-1])
	}
	switch {
	case named:
		return "", false // the last attempt's alone
	case starts > 1:
		if len(e.UpstreamConnect) == n {
			for i := 0; i < n-1; i++ {
				if connected(e.UpstreamConnect[i]) {
					return e.UpstreamAddr[i], true
				}
			}
		}
		return "", true
	}
	if i := connectedBeforeLast(e); i >= 0 {
		return e.UpstreamAddr[i], true
	}
	return "", false
}

// connected reports whether an attempt's $upstream_connect_time says it
// connected: a time, not "-".
func connected(c string) bool {
	return c != "-" && c != ""
}

// connectedBeforeLast is the index in e's $upstream_addr of the last
// attempt that connected when the last attempt never did
// ($upstream_connect_time "-": no app line and no reset can be of it);
// -1 when the last one connected, none did, or the times are not logged.
func connectedBeforeLast(e *sources.ProxyEntry) int {
	n := len(e.UpstreamAddr)
	if n < 2 || len(e.UpstreamConnect) != n || e.UpstreamConnect[n-1] != "-" {
		return -1
	}
	for i := n - 2; i >= 0; i-- {
		if connected(e.UpstreamConnect[i]) {
			return i
		}
	}
	return -1
}

// namesTry reports whether an app line's instance inst names the
// address addr of an attempt: both are addresses, and the same
// (sameInstance, which takes a name it cannot compare with an address
// for a match).
func namesTry(inst, addr string) bool {
	if _, _, ok := addressOf(inst); !ok {
		return false
	}
	if _, _, ok := addressOf(addr); !ok {
		return false
	}
	return sameInstance(inst, addr)
}

// namesEarlierTry reports whether an app line's instance inst names the
// address of an attempt before the last of a retried request whose
// $upstream_addr is addrs, and not the last one's (namesTry): the line is
// an earlier attempt's.
func namesEarlierTry(inst string, addrs []string) bool {
	n := len(addrs)
	return n > 1 && inst != "" && !namesTry(inst, addrs[n-1]) && slices.ContainsFunc(addrs[:n-1], func(addr string) bool { return namesTry(inst, addr) })
}

// startedTry is the index in e's $upstream_addr of the last attempt the
// app's start lines, joined by request id, name by their instance
// (namesTry); -1 when they name none.
func startedTry(ev evidence) int {
	if ev.matchedBy != "request_id" {
		return -1
	}
	addrs := ev.e.UpstreamAddr
	for i := len(addrs) - 1; i >= 0; i-- {
		for _, a := range ev.app {
			if a.Phase == sources.PhaseStart && namesTry(a.Instance, addrs[i]) {
				return i
			}
		}
	}
	return -1
}

// startOnRetriedText says why the app's start without an end on server
// on, an attempt nginx retried, is a reset (startOnRetriedTry); on ""
// when the lines do not say which attempt it was.
func startOnRetriedText(on string) string {
	if on == "" {
		return "the app logged more starts than one and no end: one at least was of an attempt nginx retried, and by default (proxy_next_upstream error timeout) it retries a closed or reset connection, not a bad header"
	}
	return "the app logged the start and no end on the attempt on " + on + ", which nginx retried: by default (proxy_next_upstream error timeout) it retries a closed or reset connection, not a bad header"
}

// notLastTryText says why end, the app's answer below 500 to a request
// whose last attempt ended in the proxy's 502 with no response header,
// is not that attempt's, the response the proxy could not use; "" when
// it or any other end line the app logged for the request (joined by
// id: one per attempt it finished) may be (review s37 M2: B's 200 inside
// the proxy's second, A's 2 s later). An end line is not the last
// attempt's when the last attempt never connected
// ($upstream_connect_time "-": a try that never connected has no app
// line), and, for a retried request, when its instance names another
// attempt's address and not the last one's (namesTry: a Docker, Service
// or sidecar address names none, and with one attempt the request id
// alone makes the line its own, review s37 H1), or when it finished
// after the proxy's line. (QA s37 H2: real nginx 1.22.1, /slow timed out
// on A, the retry refused on B, "504, 502" "0.001, -", and A's 200 came
// 2 s later: read B's bad response, medium, 3 of 3.)
func notLastTryText(ev evidence, end *sources.AppEntry) string {
	for _, a := range appEndLines(ev.app) {
		if a != end && len(notLastTryWhy(ev, a)) == 0 {
			return ""
		}
	}
	why := notLastTryWhy(ev, end)
	if len(why) == 0 {
		return ""
	}
	if loggedAttempts(ev.e) <= 1 {
		// One attempt, which never connected (the only why a single
		// attempt has): there is no earlier attempt whose answer it is
		// (review s37).
		return "the app's " + strconv.Itoa(end.Status) + " is not this request's answer: its one attempt never connected (upstream_connect_time " + strings.Join(ev.e.UpstreamConnect, ", ") +
			"), so the app line joined by its id answered another: a request reusing the id, or the app's ids or clock confused"
	}
	return "the app's " + strconv.Itoa(end.Status) + " is not the last attempt's answer: " + strings.Join(why, "; ") + ": it is an earlier attempt's"
}

// loggedAttempts is how many attempts e's upstream fields log: the
// longest of its address, status and connect-time lists.
func loggedAttempts(e *sources.ProxyEntry) int {
	return max(len(e.UpstreamAddr), len(e.UpstreamStatus), len(e.UpstreamConnect))
}

// notLastTryWhy lists why the app's end line a is not the answer of e's
// last attempt (notLastTryText); none when it may be.
func notLastTryWhy(ev evidence, a *sources.AppEntry) []string {
	e := ev.e
	var why []string
	if namesEarlierTry(a.Instance, e.UpstreamAddr) {
		why = append(why, "it names instance "+a.Instance+", and the last attempt was on "+e.UpstreamAddr[len(e.UpstreamAddr)-1])
	}
	if n := len(e.UpstreamConnect); n > 0 && e.UpstreamConnect[n-1] == "-" {
		why = append(why, "the last attempt never connected (upstream_connect_time "+strings.Join(e.UpstreamConnect, ", ")+")")
	}
	if len(e.UpstreamAddr) > 1 && a.Time.Add(-ev.appSkew).After(e.Time.Add(entryUnit(e))) {
		why = append(why, "it finished at "+appTimeText(ev, a.Time, "15:04:05.000")+", after the proxy's "+strconv.Itoa(e.Status))
	}
	return why
}

// startNoEndText says why the app's start without an end does not tell a
// reset from a bad response: the lab's backend of the real recordings
// logs its start and no end for /badheader (it writes "Bad Header Line"
// on the raw connection) as for /hangup, and nginx's error log called
// the one invalid, the other closed; only the proxy's error line says
// which. An nginx entry with one attempt adds what that says.
func startNoEndText(ev evidence) string {
	s := "the app logged the start and no end: it died mid-request (a reset), or wrote a response the proxy could not use and logged no end (a bad response); only the proxy's error log says which"
	if !ev.errorLog {
		s += ", and none is read"
	}
	if ev.kind == "nginx" && len(ev.e.UpstreamStatus) == 1 && ev.e.Fields.Has(sources.FieldUpstreamAddr) {
		s += "; nginx made one attempt: by default (proxy_next_upstream error timeout) it retries a closed or reset connection on the group's next server, not a bad header, so with more than one server a bad response is likelier"
	}
	return s
}

// lastConnected reports whether nginx logged a connect time for the
// last attempt ($upstream_connect_time a number, not "-").
func lastConnected(e *sources.ProxyEntry) bool {
	n := len(e.UpstreamConnect)
	if n == 0 {
		return false
	}
	_, err := strconv.ParseFloat(e.UpstreamConnect[n-1], 64)
	return err == nil
}

// connectedNoHeaderText says what an instant 502 whose last attempt
// logged a connect time and no header leaves open.
func connectedNoHeaderText(e *sources.ProxyEntry) string {
	return "upstream_connect_time " + e.UpstreamConnect[len(e.UpstreamConnect)-1] + " on the last attempt, and no response header: most likely it connected, then the upstream closed or reset the connection or sent a header nginx could not use (a refusal logs \"-\" unless its connect was still pending); only nginx's error log says which"
}

// slow reports whether the last attempt failed after the upstream had
// held it a while (5 ms or more): a time that reads as one, not "-".
func slow(e *sources.ProxyEntry) bool {
	if n := len(e.UpstreamResponse); n > 0 {
		f, err := strconv.ParseFloat(e.UpstreamResponse[n-1], 64)
		return err == nil && f >= 0.005
	}
	return e.RequestTime >= 0.005
}

func confByMatch(idBacked bool) Confidence {
	if idBacked {
		return Medium
	}
	return Low
}

// lastReasoned picks the error line that explains the request: the last
// attempt's failure. "No live upstreams" on a retry is only the echo of an
// earlier attempt's failure (that attempt marked the last server down), so
// a concrete upstream failure before it wins.
func lastReasoned(errs []*sources.ProxyError) *sources.ProxyError {
	var noLive *sources.ProxyError
	for i := len(errs) - 1; i >= 0; i-- {
		switch errs[i].Reason {
		case sources.ReasonNone, sources.ReasonClientAbort:
			continue
		case sources.ReasonNoLiveUpstreams:
			if noLive == nil {
				noLive = errs[i]
			}
			continue
		}
		return errs[i]
	}
	return noLive
}

// proxySaid reports whether e carries the proxy's own word on its
// status: its flags (HAProxy's termination state, Envoy's response
// flags, "-" too: no failure of its own) or Envoy's response code
// details; not fields from which a reason is derived.
func proxySaid(e *sources.ProxyEntry) bool {
	return e.Flags != "" || e.Fields.Has(sources.FieldCodeDetails)
}

// reasonCause maps a proxy-reported reason to a cause ("" when the reason
// says nothing about a 5xx).
func reasonCause(r sources.Reason) Cause {
	switch r {
	case sources.ReasonRefused, sources.ReasonDNS, sources.ReasonTLS:
		return UpstreamRefused
	case sources.ReasonReset, sources.ReasonAfterHeaders:
		return UpstreamReset
	case sources.ReasonBadResponse:
		return UpstreamBadResponse
	case sources.ReasonConnectTimeout, sources.ReasonReadTimeout:
		return UpstreamTimeout
	case sources.ReasonNoLiveUpstreams:
		return NoHealthyUpstream
	case sources.ReasonRateLimited, sources.ReasonConnLimited, sources.ReasonProxyRejected:
		return ProxyRejected
	case sources.ReasonAppFailed:
		return AppError
	}
	return ""
}

func reasonDetail(r sources.Reason) string {
	switch r {
	case sources.ReasonDNS:
		return "dns"
	case sources.ReasonTLS:
		return "tls"
	case sources.ReasonConnectTimeout:
		return "connect"
	case sources.ReasonReadTimeout:
		return "read"
	case sources.ReasonRateLimited:
		return "rate_limit"
	case sources.ReasonConnLimited:
		return "conn_limit"
	case sources.ReasonAfterHeaders:
		return "after_headers"
	}
	return ""
}

func appPhases(app []*sources.AppEntry) (start, end *sources.AppEntry) {
	for _, a := range app {
		switch a.Phase {
		case sources.PhaseStart:
			if start == nil {
				start = a
			}
		case sources.PhaseEnd:
			end = a
		}
	}
	if end == nil {
		// A line with a response status is an end even without the word.
		for _, a := range app {
			if a.Status != 0 {
				end = a
			}
		}
	}
	return start, end
}

// appEndLines is the end lines of app, in order, as appPhases takes its
// last: its PhaseEnd lines, else, when it has none, its lines with a
// response status.
func appEndLines(app []*sources.AppEntry) []*sources.AppEntry {
	var ends []*sources.AppEntry
	for _, a := range app {
		if a.Phase == sources.PhaseEnd {
			ends = append(ends, a)
		}
	}
	if len(ends) == 0 {
		for _, a := range app {
			if a.Status != 0 {
				ends = append(ends, a)
			}
		}
	}
	return ends
}

// appStory says in one line what the app logged for the request.
func appStory(ev evidence, start, end *sources.AppEntry) string {
	how := "by request id"
	if ev.matchedBy != "request_id" {
		how = "in the time window"
	}
	switch {
	case !ev.appLog:
		return ""
	case idAbsent(ev):
		// Not "the app never saw it": no log says that, and a request
		// the proxy gave up on is the one the app finishes later
		// (latejoin.go).
		return "app: " + noIDLineText(ev.e, ev.appWaited, ev.appWaitedToEnd)
	case len(ev.app) == 0 && ev.appTaken:
		return "app: the app lines " + windowText(ev.lookback) + " each went to another 5xx, as near or nearer (one app request, one 5xx)"
	case len(ev.app) == 0 && ev.witnesses > 0:
		when := "in that time"
		if ev.lookback > 0 {
			when = "within ±2 s of it" // what appWitness counts
		}
		return "app: no app line for it " + windowText(ev.lookback) + ", though the app logged " + strconv.Itoa(ev.witnesses) + " request(s) that went well " + when
	case len(ev.app) == 0:
		return "app: no app line " + windowText(ev.lookback)
	case start != nil && end == nil:
		// Not "never": an end logged after the verdict (the app finished
		// 10 s after nginx's 504) is one fivexx did not wait for; by
		// request id, a timed-out 5xx waits (latejoin.go), and the line
		// says how long.
		s := appWho(ev.app) + ": logged the start at " + appTimeText(ev, start.Time, "15:04:05.000") + " but no end by the verdict (" + how + ")"
		if ev.matchedBy == "request_id" {
			s = appWho(ev.app) + ": logged the start at " + appTimeText(ev, start.Time, "15:04:05.000") + " but no end " + withinText(ev.e, ev.appWaited, ev.appWaitedToEnd) + " (" + how + ")"
		}
		if ev.e.Status == 504 {
			s += ": still working when the proxy timed out, or it died"
		}
		return s
	case end != nil && end.Status != 0:
		return appWho(ev.app) + ": finished with " + strconv.Itoa(end.Status) + " (" + how + ")" + appErrorText(ev.app)
	default:
		return appWho(ev.app) + ": " + strconv.Itoa(len(ev.app)) + " line(s) (" + how + ")" + appErrorText(ev.app)
	}
}

// appWho is how the evidence names the app whose lines it tells of:
// "app", or "app NAME" when they all came from an app log given the
// service NAME (--app NAME=FILE), which was shown nowhere.
func appWho(app []*sources.AppEntry) string {
	if len(app) == 0 || app[0].Service == "" {
		return "app"
	}
	for _, a := range app[1:] {
		if a.Service != app[0].Service {
			return "app"
		}
	}
	return "app " + app[0].Service
}

// idAbsent reports whether request ids join on this system and no app
// line carried the entry's.
func idAbsent(ev evidence) bool {
	return len(ev.app) == 0 && ev.matchedBy == "request_id" && ev.e.RequestID != ""
}

// noIDLineText says that no app line carried e's request id in the log
// time waited for one after e (evidence.appWaited), toEnd when the input
// ended then.
func noIDLineText(e *sources.ProxyEntry, waited time.Duration, toEnd bool) string {
	return "no app line with request id " + e.RequestID + " " + withinText(e, waited, toEnd)
}

// withinText says how long after e the app's lines were read: "within 65
// s after the 504", "before the reading stopped, 3 s after the 504".
func withinText(e *sources.ProxyEntry, waited time.Duration, toEnd bool) string {
	after := "less than 1"
	if s := int(waited / time.Second); s > 0 {
		after = strconv.Itoa(s)
	}
	after += " s after the " + strconv.Itoa(e.Status)
	if toEnd {
		return "before the reading stopped, " + after
	}
	return "within " + after
}

// windowText says how far the time window reached: ±2 s, or back by
// lookback (appwindow.go) too.
func windowText(lookback time.Duration) string {
	if lookback <= 0 {
		return "within ±2 s"
	}
	return "from " + strconv.Itoa(int((lookback+2*time.Second)/time.Second)) + " s before to 2 s after (the access log has no request time: a 504 may have lasted the proxy's timeout, " +
		strconv.Itoa(int(lookback/time.Second)) + " s)"
}

// appErrorText quotes the first error the app logged for the request.
func appErrorText(app []*sources.AppEntry) string {
	for _, a := range app {
		if a.Level == "error" || a.Level == "fatal" || a.Level == "warn" {
			if a.Message != "" {
				return ": \"" + cutText(a.Message, 120) + "\""
			}
		}
	}
	return ""
}

// cutText cuts s to at most n bytes, at the start of a code point: cut
// inside one, an app message of 👍🏽 left invalid UTF-8 in the hint and the
// evidence, shown as U+FFFD ("👍🏽👍�…", QA s24 TUI #1).
func cutText(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n] + "…"
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

func prefixed(p, s string) string {
	if s == "" {
		return ""
	}
	return p + s
}

// connectContradicted reports whether the access line reads as a connect
// timeout (ALB's 504 after its 10 s connect timeout's time, with no
// target time) while the app logged the request, joined by its request
// id: the upstream had it, so the connection was made. ALB's "no
// connection to the target within ALB's 10 s connect timeout" and "host
// down, firewall dropping SYNs" were said beside the app's "request
// started" of that request id (QA s31 F10).
func connectContradicted(ev evidence) bool {
	return ev.e.Reason == sources.ReasonConnectTimeout && len(ev.app) > 0 && ev.matchedBy == "request_id"
}

// connectedText says that the upstream had the request the access line
// reads as a connect timeout.
func connectedText(ev evidence) string {
	if ev.kind == "alb" {
		took := ""
		if ev.e.RequestTime >= 0 {
			took = " (" + strconv.FormatFloat(ev.e.RequestTime, 'f', 3, 64) + " s)"
		}
		return "the app logged the request (by request id): the target had it, so no connect timeout ended it, though it took about ALB's 10 s connect timeout" + took +
			": the target sent no response within the load balancer's idle timeout, most likely set near that (60 s by default), the app too slow for it"
	}
	return "the app logged the request (by request id): the upstream had it, so no connect timeout ended it: it sent no response in time"
}

// errorLineServer is " on 10.0.1.11:8080": the server an error
// line of a retried request is about, when the request tried more than
// one and its message does not name it. Two lines that read "error log:
// connect() failed (111: Connection refused)" did not say which of the
// two servers each was (QA s34 H1).
func errorLineServer(e *sources.ProxyEntry, errs []*sources.ProxyError, x *sources.ProxyError) string {
	if x.UpstreamAddr == "" || len(e.UpstreamAddr) < 2 || len(errs) < 2 || strings.Contains(x.Message, x.UpstreamAddr) {
		return ""
	}
	return " on " + x.UpstreamAddr
}
