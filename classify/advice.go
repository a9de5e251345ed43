package classify

import (
	"fmt"
	"path/filepath"
	"strings"

	"fivexx/sources"
)

// UpstreamLogFormat is the nginx log_format fivexx recommends: combined plus
// the upstream fields and the request id, in the key=value layout it detects.
const UpstreamLogFormat = `log_format upstreaminfo '$remote_addr - $remote_user [$time_local] "$request" $status $body_bytes_sent "$http_referer" "$http_user_agent" rt=$request_time uct="$upstream_connect_time" uht="$upstream_header_time" urt="$upstream_response_time" ua="$upstream_addr" us="$upstream_status" rid=$request_id cid=$connection';`

// advice says what the inputs lack for attribution, which verdicts are
// therefore guesses, and the exact line to add. It counts roles, not
// inputs: live, an input whose format no line has told yet may be the
// missing role, so while one is undecided the advice that a role is
// missing gives way to saying that it waits (undecided). told are the
// inputs, by index, whose states Config.InputProblems gave: its advice
// says what they are.
func (e *Engine) advice(told map[int]string) []Advice {
	e.lacks = Lacks{}
	out := append([]Advice(nil), e.cfg.Notes...)
	out = append(out, e.contradictionAdvice()...)
	out = append(out, e.notReadAdvice(told)...)
	waiting := e.undecided(told)
	proxyFormat := ""
	for _, in := range e.cfg.Inputs {
		if e.roleOf(in) == sources.RoleProxy {
			proxyFormat = in.Format().Name
		}
	}
	for _, in := range e.cfg.Inputs {
		// Access entries read in another role (Caddy's one stream given
		// as its error log) are an access log read all the same.
		if proxyFormat == "" && isSet(e.accessIn, in.Index) {
			proxyFormat = in.Format().Name
		}
	}
	nginxish := strings.HasPrefix(proxyFormat, "nginx") || strings.HasPrefix(proxyFormat, "ingress")
	empty := e.emptyInputs()
	if proxyFormat == "" && !e.readsAccessLog() {
		if len(waiting) > 0 {
			return waiting
		}
		a := Advice{
			Problem: "no proxy access log: fivexx judges the 5xx a proxy logs, and none is read",
			Fix:     e.proxyExample(told),
		}
		if len(empty) > 0 {
			a.Problem += " (" + emptyNames(empty) + ")"
			a.Fix = "is the proxy logging elsewhere? give the file its access_log names: " + a.Fix
		}
		out = append(out, a)
		return out
	}
	// Caddy writes its reverse_proxy errors (refused, reset, timed out,
	// bad header) to its default logger, not to a site's access log: with
	// its access log alone 128 of the 131 5xx of a real Caddy 2.6.2
	// recording were unknown, and the advice never asked for them.
	// errorsMissing and appMissing: no log of the role is given or read;
	// needErrors and needApp: and none is waited for, which an undecided
	// input may be (live). An empty input that ended is no undecided one:
	// that the log of the role it stands for is empty is said while
	// another input waits, as the report says it (live, it was "nothing
	// was read from it → check that it is the file the program writes to
	// now" of a --cmd).
	// Each proxy's, not the last access log's (adviceerrorlogs.go).
	proxyLogs, severalProxies := e.accessLogsByProxy()
	errorsMissing := e.errorLogsMissing(proxyLogs)
	appMissing := !e.hasRole(sources.RoleApp) && e.corr.appLines == 0
	// Caddy's error entries are missing when none was read, whatever
	// else the proxy-errors inputs held: another proxy's error log, or
	// Caddy's log with its start-up lines only. needErrors, false once
	// any error log is given, left both without a word that no entry of
	// Caddy's was read, and the fix of its unnamed upstreams dropped
	// "read Caddy's error entries too" (QA s30).
	needCaddyErrors := hasKind(proxyLogs, "caddy") && e.caddyErrorsUnread() && len(waiting) == 0
	needApp := appMissing && len(waiting) == 0
	caddyErrorsFix := hasKind(proxyLogs, "caddy") && !hasKind(proxyLogs, "nginx")
	errorsEmpty, appEmpty, otherEmpty := emptyAdvice(empty, errorsMissing, appMissing, emptyErrorLogFix(caddyErrorsFix))
	givenEmpty, givenErrorsEmpty := e.givenEmptyAdvice(emptyErrorLogFix(caddyErrorsFix))
	need := attributionFields(proxyFormat)
	// Each proxy's access logs by their own fields: HAProxy's flags beside
	// a combined nginx log left nginx's without a word (advicefields.go).
	fieldsAdvice := e.noFieldsAdvices(proxyLogs, severalProxies, proxyFormat, need, errorsEmpty, needCaddyErrors, givenErrorsEmpty)
	e.lacks.UpstreamFields = len(fieldsAdvice) > 0
	out = append(out, fieldsAdvice...)
	if a, ok := e.traefikDebugAdvice(proxyFormat, need); ok {
		out = append(out, a)
	}
	if a, ok := e.corr.clockAdvice(); ok {
		out = append(out, a)
	}
	if a, ok := e.zoneAdvice(); ok {
		out = append(out, a)
	} else if a, ok := e.waitAdvice(); ok {
		out = append(out, a)
	} else if a, ok := e.outsideAdvice(); ok {
		out = append(out, a)
	}
	if a, ok := e.agedAdvice(); ok {
		out = append(out, a)
	}
	// A place told by a request that went well counts before any 5xx
	// took an id from it (capturedid.go).
	proxyIDs := e.fieldsSeen().Has(sources.FieldRequestID) || e.corr.captured.taken > 0 || len(e.corr.captured.place) > 0
	if e.proxies > 0 && (!proxyIDs || (e.corr.appLines > 0 && !e.corr.appIDs)) {
		e.lacks.RequestIDs = true
		a := Advice{Problem: "no request id on both sides: app lines are matched by time, method and path only (low confidence)"}
		switch {
		case !proxyIDs && e.corr.captured.trailing > 0:
			// A custom log-format's field after the request line (the
			// unique id, %ID) that no app line carries as its id.
			a.Problem = "the proxy's lines end with a field after the request line that fivexx does not read as an id (a custom log-format), and no app line carries its value as its request id: app lines are matched by time, method and path only (low confidence)"
			a.Fix = "if that field is the unique id (%ID), send it to the app (unique-id-header X-Request-ID) and log it there as the request's id; or log it as a capture: http-request capture unique-id len 64"
		case !proxyIDs && e.corr.captured.offered > 0:
			// The id may well be among the captured headers: no app line
			// carried one of their values as its id (capturedid.go).
			a.Problem = "no captured request header holds an id the app logs: app lines are matched by time, method and path only (low confidence)"
			a.Fix = "log the captured id header in the app (as the request's id), or capture it: capture request header X-Request-ID len 64"
		case proxyIDs:
			// The proxy logs ids and the app lines carry none fivexx
			// reads: most often the app logs it under a key of its own
			// (a "corr" of the proxy's 32 hex digits). Asking to add
			// rid=$request_id, which is there, sent the user nowhere.
			a.Problem = "the access log has request ids, the app lines none that fivexx reads: app lines are matched by time, method and path only (low confidence)"
			a.Fix = "if the app logs the id under a key of its own, name it: --app-request-id KEY (or a regexp for plain text); else log the X-Request-ID header in the app"
		case nginxish:
			a.Fix = "add rid=$request_id to the log_format, proxy_set_header X-Request-ID $request_id; and log the X-Request-ID header in the app"
		default:
			a.Fix = "forward a request id header (X-Request-ID) to the app, log it on both sides"
		}
		out = append(out, a)
	} else if a, ok := e.idsNeverJoinAdvice(proxyIDs); ok {
		out = append(out, a)
	}
	switch {
	case errorsEmpty != nil:
		out = append(out, *errorsEmpty)
	case len(waiting) == 0:
		missing := e.missingErrorLogAdvice(proxyLogs, severalProxies)
		// None asked for: read, or no error log that would tell
		// (Cloudflare's, Envoy's, Traefik's access logs).
		e.lacks.ErrorLogUnasked = len(missing) == 0
		out = append(out, missing...)
	}
	switch {
	case appEmpty != nil:
		out = append(out, *appEmpty)
	case needApp:
		out = append(out, Advice{
			Problem: "no app log: fivexx cannot tell whether the app saw a failed request",
			Fix:     "add the app's log: --app api=/var/log/app.log or --cmd 'kubectl logs -f deploy/api'",
		})
	}
	out = append(out, otherEmpty...)
	out = append(out, givenEmpty...)
	return append(out, waiting...)
}

// caddyErrorsUnread reports whether no error entry of a request was read
// from Caddy while every input read as the proxy's error log has lines:
// one still without any (live, not written to yet; or empty, which
// givenEmptyAdvice says) may be Caddy's log, and asking for it then
// asked for the log that was given.
func (e *Engine) caddyErrorsUnread() bool {
	if e.corr.errorLinesOf("caddy") > 0 {
		return false
	}
	for _, in := range e.cfg.Inputs {
		if e.roleOf(in) == sources.RoleProxyErrors && in.Counters().NoText() {
			return false
		}
	}
	return true
}

// givenEmptyAdvice says, for each input given with its role (--proxy,
// --proxy-errors, --app) that a report read to its end without a line,
// that the log of that role is empty and where it may be written instead.
// Its role is known, so no advice asked for it as missing: with all three
// given and empty, the report had no advice at all (emptyInputs counts the
// inputs of unknown role only). An input whose read failed has its own
// problem and advice (its state is not "done"). errorsEmpty says whether
// an error log is among them; errorsFix is its fix (emptyErrorLogFix).
func (e *Engine) givenEmptyAdvice(errorsFix string) (out []Advice, errorsEmpty bool) {
	for _, in := range e.cfg.Inputs {
		if in.Spec.Role == sources.RoleUnknown || !in.Counters().NoText() || !readToEnd(in.State()) || e.cfg.Live && !inputEnded(in.State()) {
			continue
		}
		label := in.Spec.Label()
		switch in.Spec.Role {
		case sources.RoleProxy:
			out = append(out, Advice{
				Problem: "the proxy access log " + label + " " + emptyText(in) + ": no request was read, so no 5xx is judged",
				Fix:     "is the proxy logging elsewhere? give the file its access log is written to (nginx: access_log; HAProxy: log; Caddy: log output)",
			})
		case sources.RoleProxyErrors:
			out = append(out, Advice{
				Problem: "the proxy error log " + label + " " + emptyText(in) + ": no proxy error line was read, so refused, reset, bad header and timeout are told apart by timings only",
				Fix:     errorsFix,
			})
			errorsEmpty = true
		case sources.RoleApp:
			label = LabelOf(label, serviceOf(in))
			out = append(out, Advice{
				Problem: "the app log " + label + " " + emptyText(in) + ": no app line was read, so fivexx cannot tell whether the app saw a failed request",
				Fix:     "is the app writing elsewhere (standard output, another file)? give that: --app api=FILE or --cmd 'kubectl logs -f deploy/api'",
			})
		}
	}
	return out, errorsEmpty
}

// readToEnd reports whether an input's state says it was read to its end
// without error: a file or pipe "done", a command that exited with status 0.
func readToEnd(state string) bool {
	return state == "done" || strings.HasPrefix(state, "exited: status 0")
}

// emptyInputs are the inputs a report read to their end without a line
// of text (no line, or blank ones alone): given (or found in the standard
// places), so the role they would fill is not missing from the command
// line. Live, an input with no line yet is waiting for one, not empty,
// unless no line will come: standard input or a pipe read to its end, a
// command that exited with status 0 and is not run again (endedEmpty).
func (e *Engine) emptyInputs() []*sources.Input {
	var out []*sources.Input
	for _, in := range e.cfg.Inputs {
		// An input not read (Input.NotRead) is not empty: its state says
		// what it is.
		if in.Role() == sources.RoleUnknown && in.NotRead() == "" && in.Counters().NoText() && (!e.cfg.Live || e.endedEmpty(in)) {
			out = append(out, in)
		}
	}
	return out
}

// caddyLogRead reports whether Caddy's own log (its default logger's
// lines: start-up, shutdown) has been read, error entries of requests or
// not.
func (e *Engine) caddyLogRead() bool {
	_, read := e.corr.errorsFromOf("caddy")
	return read
}

// caddyLogName names the input Caddy's own lines came from, when one did.
func (e *Engine) caddyLogName() string {
	if in := e.corr.errFrom.only(); in != nil {
		return in.Spec.Label()
	}
	return "Caddy's log"
}

// endedEmpty reports whether, live, in was read to its end without error
// and without a line of text: it is empty as a report would find it, and
// said so as the report says it. "ended before any line told its format"
// and "fix what it names (the command, the path, its permissions)" were
// said of an empty standard input and of --cmd 'true' (live QA s28).
func (e *Engine) endedEmpty(in *sources.Input) bool {
	st := in.State()
	return e.cfg.Live && readToEnd(st) && inputEnded(st) && in.Counters().NoText()
}

// caddyUnloggedDash is what the upstreams' "-" holds when Caddy's access
// log names no upstream (its advice).
// nginxUnloggedDash says how to read the upstream table of nginx's access
// log without $upstream_addr beside its error log (nameFromErrorLines).
// A 500 or 503 after a failed try is no server's (nameFromErrorLines):
// "the 5xx whose error line names it" was false of those (review s35 M1).
const nginxUnloggedDash = "the upstreams' - is every request whose upstream is not logged: a server, or the group of \"no live upstreams\", has a row only for the 5xx nginx made when a try there failed (its error line) and for the failed tries it retried elsewhere"

// triesText is "1 failed try", "8 failed tries".
func triesText(n int64) string {
	if n == 1 {
		return "1 failed try"
	}
	return fmt.Sprintf("%d failed tries", n)
}

// nginxTriesSeen says what nginx's error lines show of retries when the
// access log names no upstream: each failed try of a 5xx (earlierTries),
// not the server that answered after one, nor the tries of a request
// that did not end in a 5xx, which no verdict joins. "retries are not
// seen" was said beside "nothing is listening on 127.0.0.1:35433 and
// 127.0.0.1:34913" (review s35 L5).
const nginxTriesSeen = "of a retry only each failed try's error line is seen, not the server that answered after one, nor the failed tries of a request that did not end in a 5xx"

const caddyUnloggedDash = "the upstreams' - is every request whose upstream is not logged, not those that reached none: an address has a row only for the 5xx whose error entry names it"

// StateHAProxyUnread is the state Config.InputProblems tells of an input
// no format fits whose lines look like HAProxy's request lines (a custom
// log-format that drops or moves a field): the missing access log's
// example is HAProxy's, as with --format haproxy; it named nginx's paths.
const StateHAProxyUnread = "format not recognised: its lines look like HAProxy's, but none is in its option httplog or httplog clf layout"

// proxyExample is the command the advice for a missing access log gives:
// for the proxy --format names (HAProxy's or Caddy's logs were answered
// with nginx's paths) or an input's lines look like (told: the states
// Config.InputProblems gave), and after an input no format fitted, that
// it may be the access log.
// nginxNoUpstreamFields begins the advice on an nginx access log without
// upstream fields; nginxGuessed ends its count of the 5xx nothing else
// told.
// otherNoUpstreamFields begins it for another proxy's, whose fields have
// other names.
const (
	nginxNoUpstreamFields = "the access log has no $upstream_status/$upstream_addr/$upstream_header_time: "
	otherNoUpstreamFields = "the access log does not say what the upstream answered: "
	nginxGuessed          = " is only a time-window guess (no error-log line, nor an app line joined by request id, tells)"
	// traefikGuessed is nginxGuessed in Traefik's words: its causes are
	// in its own log's DEBUG lines, not an error log.
	traefikGuessed = " is only a time-window guess (no line of Traefik's own DEBUG log, nor an app line joined by request id, tells)"
)

// cloudflareNoOriginFields begins the advice on a Logpush job without the
// origin's fields; cloudflareGuessed ends its count of the 5xx nothing
// else told.
const (
	cloudflareNoOriginFields = "the Logpush fields have no OriginResponseStatus/OriginIP: "
	cloudflareGuessed        = " is only a time-window guess (no RayID joined to an app line, nor Cloudflare's own 52x or security action, tells)"
)

// shortHeads are the short forms of advice problems' long first clauses,
// for a view of one line: at 120 columns "the access log has no
// $upstream_status/$upstream_addr/$upstream_header_time: " took 80, and
// the overview cut the nginx advice before its point, "… the error log
// told who made each o…".
var shortHeads = [...]struct{ long, short string }{
	{nginxNoUpstreamFields, "no upstream fields: "},
	{cloudflareNoOriginFields, "no origin fields: "},
	{otherNoUpstreamFields, "no upstream status: "},
}

// ShortProblem is problem with its first clause in short, when it has a
// long one, else problem: the one-line view shows it when the whole does
// not fit, the help and the report the whole.
func ShortProblem(problem string) string {
	for _, h := range shortHeads {
		if rest, ok := strings.CutPrefix(problem, h.long); ok {
			return h.short + rest
		}
	}
	return problem
}

// unattributedTold names what told who made each 5xx without attribution
// fields, when nothing was left to a guess: the proxy's error lines (errs:
// "the error log"; Traefik's own log), the ids (request ids, RayIDs)
// joined to the app log, the proxy's own status.
func (e *Engine) unattributedTold(u unattributedCounts, errs, ids, proxy string) string {
	var told []string
	if u.byID+u.bySaid < u.judged {
		told = append(told, errs)
	}
	if u.byID > 0 {
		told = append(told, ids+" joined to the app log")
	}
	if u.bySaid > 0 {
		told = append(told, proxy+"'s own status")
	}
	return strings.Join(told, " or ")
}

// attributionFields are the fields of an access entry of format that
// tell who made its 5xx: without them the advice says that it is a guess
// where nothing else told (Engine.unattributedJudged).
func attributionFields(format string) sources.FieldSet {
	need := sources.FieldUpstreamStatus | sources.FieldUpstreamAddr
	nginxish := strings.HasPrefix(format, "nginx") || strings.HasPrefix(format, "ingress")
	if nginxish && format != "ingress-nginx" {
		// Only nginx tells "the upstream answered" by the header time
		// (ingress-nginx's default format has its status lists).
		need |= sources.FieldUpstreamHeaderTime
	}
	if format == "cloudflare" {
		// OriginResponseStatus alone tells Cloudflare's 5xx from the
		// origin's (0 or the edge's status); OriginIP only names the
		// origin, and a file with the one and not the other was told it
		// had neither.
		need = sources.FieldUpstreamStatus
	}
	return need
}

func (e *Engine) proxyExample(told map[int]string) string {
	ex := "fivexx /var/log/nginx/access.log /var/log/nginx/error.log app.log"
	unread := ""
	for i, in := range e.cfg.Inputs {
		switch {
		case in.Spec.Prefer[sources.RoleProxy] == "haproxy", told[i] == StateHAProxyUnread:
			ex = "fivexx /var/log/haproxy.log app.log"
		case in.Spec.Prefer[sources.RoleProxy] == "caddy":
			ex = "fivexx /var/log/caddy/access.log app.log"
		case strings.HasPrefix(in.Spec.Prefer[sources.RoleProxy], "traefik"):
			ex = "fivexx /var/log/traefik/access.log app.log"
		}
		if in.Format().Family == "caddy" && e.roleOf(in) == sources.RoleProxyErrors {
			// Caddy's error entries, read without its access entries:
			// a site's log directive writes those.
			ex = "a site's `log { output file /var/log/caddy/access.log }` writes Caddy's access log: fivexx /var/log/caddy/access.log " + in.Spec.Arg() + " app.log"
		}
		if in.Format().Name == "haproxy" && e.roleOf(in) == sources.RoleProxyErrors {
			// HAProxy's state lines without its request lines
			// (haproxyStateOnly): the fix named nginx's files.
			ex = HAProxyRequestLinesFix
		}
		if strings.HasPrefix(in.Format().Name, "traefik") && e.roleOf(in) == sources.RoleProxyErrors {
			// Traefik's own log (its DEBUG lines) without its access
			// log, which is off by default: the fix named nginx's files
			// (formats.md §7; Traefik's accessLog options). JSON logs
			// OriginStatus, which tells Traefik's own 5xx from the
			// service's; CLF has the client's status only.
			ex = "Traefik writes no access log until told: --accesslog=true --accesslog.filepath=/var/log/traefik/access.log --accesslog.format=json (JSON has OriginStatus: Traefik's own 5xx apart from the service's), then fivexx /var/log/traefik/access.log " + in.Spec.Arg() + " app.log"
		}
		if unread == "" && in.Role() != sources.RoleApp && in.Role() != sources.RoleProxyErrors && in.Format().Name == "" &&
			strings.HasPrefix(in.State(), "format not recognised") {
			unread = in.Spec.Label()
		}
	}
	if unread != "" {
		return "if " + unread + " is the access log, see the advice on its format; else give the access log: " + ex
	}
	return ex
}

func emptyNames(empty []*sources.Input) string {
	var n, held []string
	for _, in := range empty {
		if c := in.Counters(); c.Lines > 0 || c.NULs > 0 {
			held = append(held, in.Spec.Label()+" "+emptyText(in))
			continue
		}
		n = append(n, in.Spec.Label())
	}
	switch {
	case len(n) == 1:
		n = []string{n[0] + " is empty: 0 lines"}
	case len(n) > 1:
		n = []string{strings.Join(n, ", ") + " are empty: 0 lines"}
	}
	return strings.Join(append(n, held...), "; ")
}

// emptyText is what is said of an input read to its end without a line
// of text: that it is empty, or, when it held NUL bytes alone (dropped as
// a copytruncate leaves them), that it is not empty but holds no line, or
// what its lines held (NoTextHeld).
func emptyText(in *sources.Input) string {
	switch c := in.Counters(); {
	case c.Lines > 0:
		return "holds " + NoTextHeld(c.Lines, c.NULs, c.BOM)
	case c.NULs > 0:
		return fmt.Sprintf("holds only NUL bytes (%d, no line)", c.NULs)
	}
	return "is empty (0 lines)"
}

// NoTextHeld says what an input of lines lines, none of them text,
// holds, for its problem: "only blank lines (3)", "only a byte-order
// mark", "only NUL bytes (100)", "only a byte-order mark and blank lines
// (2)". nuls and bom are the NUL bytes and the byte-order mark dropped
// from its lines (sources.Counters). The line they were dropped from is
// not told as a blank line when it is the only one: 100 NULs and a
// newline are NULs alone, as they are without the newline ("only NUL
// bytes (N), no line"), where they read as "not text".
func NoTextHeld(lines, nuls int64, bom bool) string {
	var held []string
	if bom {
		held = append(held, "a byte-order mark")
	}
	if nuls > 0 {
		held = append(held, fmt.Sprintf("NUL bytes (%d)", nuls))
	}
	if len(held) == 0 || lines > 1 {
		held = append(held, fmt.Sprintf("blank lines (%d)", lines))
	}
	last := len(held) - 1
	if last == 0 {
		return "only " + held[0]
	}
	return "only " + strings.Join(held[:last], ", ") + " and " + held[last]
}

// emptyErrorLogFix is the fix of an error log given empty: where nginx's
// error_log writes, or Caddy's default logger (the advice asked a Caddy
// user for "the file nginx's error_log names").
func emptyErrorLogFix(caddy bool) (fix string) {
	if caddy {
		return "is Caddy's default logger writing elsewhere? give the file its global log directive names, or the caddy process's stderr (journalctl -u caddy > caddy.log); its error entries come only when a request fails"
	}
	return "is error_log pointing elsewhere? give the file nginx's error_log names (level error or lower); an error log stays empty until a request fails"
}

// emptyAdvice says, for each empty input, that it is empty rather than
// asking to add the log it may be: "no proxy error log ... add the error
// log" named a file that was given, only empty (error_log pointing
// elsewhere, an app logging to stdout). An empty file cannot tell its
// role, so its name guesses which missing log it is meant to be (one with
// "err" in it the error log, another the app log): that advice stands in
// for the role's "missing" one; the other empty inputs are only named.
// errorsFix is the error log's fix (emptyErrorLogFix).
func emptyAdvice(empty []*sources.Input, needErrors, needApp bool, errorsFix string) (errorsEmpty, appEmpty *Advice, other []Advice) {
	var rest []*sources.Input
	for _, in := range empty {
		if needErrors && errorsEmpty == nil && strings.Contains(strings.ToLower(filepath.Base(in.Spec.Label())), "err") {
			errorsEmpty = &Advice{
				Problem: in.Spec.Label() + " " + emptyText(in) + ": no proxy error line was read, so refused, reset, bad header and timeout are told apart by timings only",
				Fix:     errorsFix,
			}
			continue
		}
		rest = append(rest, in)
	}
	for _, in := range rest {
		if needApp && appEmpty == nil {
			appEmpty = &Advice{
				Problem: in.Spec.Label() + " " + emptyText(in) + ": no app line was read, so fivexx cannot tell whether the app saw a failed request",
				Fix:     "is the app logging elsewhere (standard output, another file)? give that: --app api=FILE or --cmd 'kubectl logs -f deploy/api'",
			}
			continue
		}
		a := Advice{
			Problem: in.Spec.Label() + " " + emptyText(in) + ": nothing was read from it",
			Fix:     "check that it is the file the program writes to now (not a rotated-away or another host's file)",
		}
		switch {
		case in.Spec.Command:
			// No file: a command that printed no line of text.
			a.Fix = "check that the command prints the log on its standard output (run it alone: what it writes to standard error is not read)"
		case in.Spec.Path == "-":
			a.Fix = "check what is piped to fivexx: the command before | wrote no line of text to its standard output"
		case in.Counters().NULs > 0:
			a.Fix = "a file of NULs was cut (copytruncate) while its writer kept its offset, or made and never written: read it again once the program has written lines, or give the file it writes to now"
		}
		other = append(other, a)
	}
	return errorsEmpty, appEmpty, other
}

// undecided is an advice for each input whose role is not known yet, in
// live mode: no format given, none detected, as lines may still come
// ("error.log: waiting for lines to tell its format"). The advisor asked
// to add the error log to the inputs while the one given (one line of
// history, quiet) had not been read as one yet. A report has read all
// its lines: an input they told nothing of is not waited for.
func (e *Engine) undecided(told map[int]string) []Advice {
	if !e.cfg.Live {
		return nil
	}
	var out []Advice
	for i, in := range e.cfg.Inputs {
		if _, ok := told[i]; ok {
			continue // what it is was told: its advice says so
		}
		// An input not read (Input.NotRead) waits for nothing: its state
		// says what it is.
		if in.Role() == sources.RoleUnknown && in.NotRead() == "" && !e.endedEmpty(in) {
			// Its state may say why no format is told: then the advice
			// says that, not "waiting", which the state contradicted.
			switch st := in.State(); {
			case strings.HasPrefix(st, "format not recognised"):
				out = append(out, Advice{
					Problem: in.Spec.Label() + ": no format fivexx reads fits its lines",
					Fix:     "force one with --format NAME (fivexx explain formats lists them), or give its role: --proxy FILE, --proxy-errors FILE or --app FILE",
				})
				continue
			case inputEnded(st):
				// No line is coming: a command that could not run or
				// exited, a pipe read to its end.
				out = append(out, Advice{
					Problem: in.Spec.Label() + ": ended before any line told its format (" + st + ")",
					Fix:     "fix what it names (the command, the path, its permissions) and start fivexx again; --cmd-restart runs a command again when it exits",
				})
				continue
			case strings.HasPrefix(st, "read error: "):
				// The state is "read error: WHY[; HINT]; retrying in D":
				// the countdown left out (it changed the advice every
				// tick) and a permission hint made the fix, which the
				// problem nested in brackets, 248 columns cut at 120 in
				// the pane (review s33, R5).
				st, _, _ = strings.Cut(st, "; retrying in ")
				why, hint, hinted := strings.Cut(st, "; ")
				a := Advice{Problem: in.Spec.Label() + ": cannot be read (" + why + ")", Fix: "fix its path or permissions: fivexx tries again"}
				if hinted {
					a.Fix = hint + "; fivexx tries again"
				}
				out = append(out, a)
				continue
			case st == sources.StateGzipSkipped:
				// No line of it is read, so none tells its format:
				// "waiting for lines" contradicted its state (QA s28).
				// Said here too, as the read error's is: with no advice
				// for it, "no proxy access log … none is read" asked for
				// a log_format when the access log given was this one.
				out = append(out, Advice{
					Problem: in.Spec.Label() + ": compressed, so live mode does not read it",
					Fix:     "read it once with --from-start, or play it with fivexx replay or fivexx report",
				})
				continue
			case st == sources.StateWaitingForFile:
				// No file at the path yet: no line can tell anything, and
				// the report says "no such file or directory" of it.
				out = append(out, Advice{
					Problem: in.Spec.Label() + ": no such file yet: waiting for it to be created",
					Fix:     "check its path: fivexx reads it from its start once it is there, and its lines tell its format",
				})
				continue
			case strings.HasPrefix(st, sources.StateSameFile):
				// Not there at start under either name, so not caught as
				// given twice then: its lines are read under the other.
				out = append(out, Advice{
					Problem: in.Spec.Label() + " is the " + st,
					Fix:     "give each file once: drop " + in.Spec.Label(),
				})
				continue
			}
			out = append(out, Advice{
				Problem: in.Spec.Label() + ": waiting for lines to tell its format",
				Fix:     "to decide now, name its role: --proxy FILE, --proxy-errors FILE or --app FILE",
			})
		}
	}
	return out
}

// inputEnded reports whether an input's state says no more lines come
// from it: a command that exited and is not restarted, one that could
// not start, a read error, a pipe read to its end.
func inputEnded(state string) bool {
	switch {
	case strings.HasPrefix(state, "exited") && !strings.Contains(state, "; restarting"):
		return true
	case strings.HasPrefix(state, "cannot start: "), state == "done":
		return true
	case strings.HasPrefix(state, "read error: ") && !strings.Contains(state, "; retrying"):
		return true
	}
	return false
}

// traefikDebugAdvice asks for Traefik's own log at DEBUG where its access
// log tells what the service answered (JSON with OriginStatus) and some
// of Traefik's own 5xx are unknown for want of it: only that log says
// why Traefik answered 502, 504 or 500 itself, and only the common
// layout's advice asked for it (QA s34 M2). The advice of an access log
// without OriginStatus says it already.
func (e *Engine) traefikDebugAdvice(proxyFormat string, need sources.FieldSet) (Advice, bool) {
	n := e.traefikOwnUntold
	if n == 0 || !strings.HasPrefix(proxyFormat, "traefik") || !e.fieldsSeen().Has(need) {
		return Advice{}, false
	}
	if own := e.traefikOwnLog(); own.where != "" {
		// Read: not asked for again (it was, session 34's leftover).
		e.lacks.TraefikOwnLog = traefikLogRunAtDebug
		if own.told {
			e.lacks.TraefikOwnLog = traefikLogOfHours
		}
		return Advice{Problem: own.problem(n), Fix: own.fix()}, true
	}
	e.lacks.TraefikOwnLog = traefikLogAtDebug
	return Advice{
		Problem: fmt.Sprintf("Traefik answered %d 5xx itself (its own 502, 504 or 500, by OriginStatus and its body) and no line of its own log says why: only that log, at DEBUG, tells refused, reset, timeout or TLS", n),
		Fix:     "run Traefik with --log.level=DEBUG and give fivexx its log beside the access log: fivexx /var/log/traefik/access.log traefik.log app.log",
	}, true
}

// noFieldsAdvice is the advice on an access log of proxyFormat whose
// entries (fields, their union) lack the fields that tell who made a 5xx
// (need, attributionFields), with u its 5xx counted without them; false
// when they have them, or flags that tell. errorsEmpty,
// needCaddyErrors and givenErrorsEmpty say whether an advice on Caddy's
// error entries follows.
func (e *Engine) noFieldsAdvice(proxyFormat string, fields, need sources.FieldSet, u unattributedCounts, errorsEmpty *Advice, needCaddyErrors, givenErrorsEmpty bool) (Advice, bool) {
	nginxish := strings.HasPrefix(proxyFormat, "nginx") || strings.HasPrefix(proxyFormat, "ingress")
	caddy := proxyFormat == "caddy"
	// A proxy's flags tell who made a 5xx where its upstream fields do
	// not; Cloudflare's are a line's 52x or security action, not a field
	// its Logpush job logs for every request: a 521 among them left the
	// 502, 503 and 500 without origin fields unknown, and no advice to
	// add them (QA s31 F5).
	flagsTell := (fields.Has(sources.FieldFlags) || fields.Has(sources.FieldCodeDetails)) && proxyFormat != "cloudflare"
	if flagsTell || fields.Has(need) {
		return Advice{}, false
	}
	{
		a := Advice{Problem: "the access log has no $upstream_status/$upstream_addr/$upstream_header_time: whether the proxy or the app made a 5xx is only a time-window guess"}
		if nginxish || proxyFormat == "" {
			// Who made a 5xx is a guess only where neither an error
			// line nor the app's lines joined by request id told: said
			// of those, with their count, as of Caddy's (QA s32 F5).
			// A combined log with rid= beside its error and app logs
			// (the nginx-upstream recording less its upstream fields)
			// was told so beside 162 verdicts, every one high.
			switch n, judged := u.guessed, u.judged; {
			case n > 0 && n == judged:
				a.Problem = fmt.Sprintf(nginxNoUpstreamFields+"whether nginx or the app made each of its %d 5xx"+nginxGuessed, n)
			case n > 0:
				a.Problem = fmt.Sprintf(nginxNoUpstreamFields+"whether nginx or the app made %d of its %d 5xx"+nginxGuessed, n, judged)
			case judged > 0 && e.namedByErrorLine > 0:
				a.Problem = fmt.Sprintf(nginxNoUpstreamFields+"%s told who made each of its %d 5xx; "+nginxTriesSeen, e.unattributedTold(u, "the error log", "request ids", "nginx"), judged)
			case judged > 0 && e.triedByErrorLine > 0:
				a.Problem = fmt.Sprintf(nginxNoUpstreamFields+"%s told who made each of its %d 5xx, but no request is tied to the upstream that served it; "+nginxTriesSeen, e.unattributedTold(u, "the error log", "request ids", "nginx"), judged)
			case judged > 0:
				a.Problem = fmt.Sprintf(nginxNoUpstreamFields+"%s told who made each of its %d 5xx, but no request is tied to the upstream that served it, and retries are not seen", e.unattributedTold(u, "the error log", "request ids", "nginx"), judged)
			}
			// A server's row holds only the 5xx nginx made on it, at
			// 100 % 5xx, and the tries that failed there before a
			// retry; its other requests are "-"'s.
			switch tries := triesText(e.triedByErrorLine); {
			case e.namedByErrorLine > 0 && e.triedByErrorLine > 0:
				a.Problem += fmt.Sprintf("; %s (%d 5xx, %s)", nginxUnloggedDash, e.namedByErrorLine, tries)
			case e.namedByErrorLine > 0:
				a.Problem += fmt.Sprintf("; %s (%d 5xx)", nginxUnloggedDash, e.namedByErrorLine)
			case e.triedByErrorLine > 0:
				a.Problem += fmt.Sprintf("; %s (%s)", nginxUnloggedDash, tries)
			}
			a.Fix = UpstreamLogFormat + "  access_log /var/log/nginx/access.log upstreaminfo;"
		} else if caddy {
			// nginx's variable names meant nothing to a Caddy user, and
			// log_append needs Caddy 2.7: its error entries name the
			// upstream and the failure on any version. Its upstreams'
			// "-" is then no "reached none": a backend's requests split
			// into "-" and a row of its address holding only the 5xx its
			// error entries name (dialedUpstream), at 100 % 5xx (QA s29,
			// real Caddy 2.6.2: 127.0.0.1:21004 its 3 resets, "-" its
			// other 67 requests, 30 5xx among them).
			// Who made a 5xx is a guess only where neither an error entry
			// nor the app's lines joined by request id told: said of
			// those, with their count, and not beside 131 verdicts all
			// told so (QA s32 F5).
			a.Problem = "the access log names no upstream: " + caddyUnloggedDash
			switch n := u.guessed; {
			case n > 0 && n == u.judged:
				a.Problem = fmt.Sprintf("the access log names no upstream: whether Caddy or the app made each of its %d 5xx is only a time-window guess (no error entry of Caddy's, nor an app line joined by request id, tells), and ", n) + caddyUnloggedDash
			case n > 0:
				a.Problem = fmt.Sprintf("the access log names no upstream: whether Caddy or the app made %d of its %d 5xx is only a time-window guess (no error entry of Caddy's, nor an app line joined by request id, tells), and ", n, u.judged) + caddyUnloggedDash
			}
			// "(below)" only when an advice on them follows: with the
			// error entries read it pointed at nothing (QA s30).
			switch {
			case e.corr.errorLinesOf("caddy") > 0:
				a.Fix = "on Caddy ≥ 2.7 log_append upstream {http.reverse_proxy.upstream.hostport} in the site block"
			case errorsEmpty != nil || needCaddyErrors || givenErrorsEmpty:
				a.Fix = "read Caddy's error entries too (below); on Caddy ≥ 2.7 also log_append upstream {http.reverse_proxy.upstream.hostport} in the site block"
			default:
				a.Fix = "read Caddy's error entries too; on Caddy ≥ 2.7 also log_append upstream {http.reverse_proxy.upstream.hostport} in the site block"
			}
		} else if strings.HasPrefix(proxyFormat, "envoy") {
			// Envoy says who made a 5xx in its flags and details, not in
			// upstream fields (formats.md §4.4): a json_format without
			// them was told nothing, its 5xx at medium by the service
			// time or unknown.
			a.Problem = "the access log has no %RESPONSE_FLAGS% nor %RESPONSE_CODE_DETAILS%: whether Envoy or the app made a 5xx is read from the upstream service time alone, or not at all"
			a.Fix = "add them to the access log format: %RESPONSE_FLAGS% %RESPONSE_CODE_DETAILS% (json_format: \"response_flags\": \"%RESPONSE_FLAGS%\", \"response_code_details\": \"%RESPONSE_CODE_DETAILS%\")"
		} else if proxyFormat == "cloudflare" {
			// A Logpush job writes only the fields it was given
			// (formats.md §8.1): nginx's variables mean nothing there.
			// Said of the 5xx nothing else told, with their count, as of
			// nginx's and Caddy's: a RayID joined to the app's line, or
			// Cloudflare's own 52x or security action, tells who made it.
			a.Problem = cloudflareNoOriginFields + "whether Cloudflare or the origin made a 5xx is only a time-window guess"
			switch n, judged := u.guessed, u.judged; {
			case n > 0 && n == judged:
				a.Problem = fmt.Sprintf(cloudflareNoOriginFields+"whether Cloudflare or the origin made each of its %d 5xx"+cloudflareGuessed, n)
			case n > 0:
				a.Problem = fmt.Sprintf(cloudflareNoOriginFields+"whether Cloudflare or the origin made %d of its %d 5xx"+cloudflareGuessed, n, judged)
			case judged > 0:
				a.Problem = fmt.Sprintf(cloudflareNoOriginFields+"%s told who made each of its %d 5xx, but not what the origin answered, nor which origin served it", e.unattributedTold(u, "the error log", "RayIDs", "Cloudflare"), judged)
			}
			a.Fix = "add OriginResponseStatus, OriginIP, OriginResponseHeaderReceiveDurationMs and EdgeEndTimestamp to the Logpush job's fields (output_options.field_names)"
		} else if strings.HasPrefix(proxyFormat, "traefik") {
			// A Traefik common log names its upstream, not what it
			// answered (a JSON one without OriginStatus neither). Not in
			// nginx's variables: it was told it had no $upstream_status
			// (review s33). Nor in nginx's words: Traefik has no error
			// log, its causes are in its own log's DEBUG lines
			// (sources/traefik own.go), and "no error-log line … tells"
			// and "the error log told" were said of it (s34).
			a.Problem = otherNoUpstreamFields + "whether Traefik or the app made a 5xx is only a time-window guess"
			switch n, judged := u.guessed, u.judged; {
			case n > 0 && n == judged:
				a.Problem = fmt.Sprintf(otherNoUpstreamFields+"whether Traefik or the app made each of its %d 5xx"+traefikGuessed, n)
			case n > 0:
				a.Problem = fmt.Sprintf(otherNoUpstreamFields+"whether Traefik or the app made %d of its %d 5xx"+traefikGuessed, n, judged)
			case judged > 0:
				a.Problem = fmt.Sprintf(otherNoUpstreamFields+"%s told who made each of its %d 5xx, but the access log says neither what the upstream answered nor which one served it", e.unattributedTold(u, "Traefik's own log", "request ids", "Traefik"), judged)
			}
			// The common log format has no field for them; the JSON one
			// has (formats.md §7.2), and Traefik's own log at DEBUG tells
			// its own 502/504 from the service's, which OriginStatus does
			// not.
			a.Fix = "--accesslog.format=json logs OriginStatus (0: never forwarded) and ServiceURL; Traefik's own log at --log.level=DEBUG beside it tells Traefik's own 502/504 from the service's: fivexx /var/log/traefik/access.log traefik.log app.log"
			// Its own log read: not asked for again, said whether it
			// is at DEBUG (traefikownlog.go).
			e.lacks.TraefikOwnLog = traefikLogAtDebug // as the fix asks, unless told
			switch own := e.traefikOwnLog(); {
			case own.where != "" && own.told:
				a.Fix = "--accesslog.format=json logs OriginStatus (0: never forwarded) and ServiceURL"
				e.lacks.TraefikOwnLog = ""
			case own.where != "":
				a.Fix = "--accesslog.format=json logs OriginStatus (0: never forwarded) and ServiceURL; and run Traefik with --log.level=DEBUG: " + own.where + " has none of the DEBUG lines that tell its own 502/504 from the service's"
				e.lacks.TraefikOwnLog = traefikLogRunAtDebug
			}
		} else {
			// Said of the 5xx nothing else told, with their count, as of
			// nginx's. No proxy fivexx reads comes here now: HAProxy's
			// and ALB's logs have fields that tell (termination state,
			// target status), Traefik's, Envoy's, Caddy's and
			// Cloudflare's are said above in their own words.
			a.Problem = otherNoUpstreamFields + "whether the proxy or the app made a 5xx is only a time-window guess"
			switch n, judged := u.guessed, u.judged; {
			case n > 0 && n == judged:
				a.Problem = fmt.Sprintf(otherNoUpstreamFields+"whether the proxy or the app made each of its %d 5xx"+nginxGuessed, n)
			case n > 0:
				a.Problem = fmt.Sprintf(otherNoUpstreamFields+"whether the proxy or the app made %d of its %d 5xx"+nginxGuessed, n, judged)
			case judged > 0:
				a.Problem = fmt.Sprintf(otherNoUpstreamFields+"%s told who made each of its %d 5xx, but the access log says neither what the upstream answered nor which one served it", e.unattributedTold(u, "the error log", "request ids", "the proxy"), judged)
			}
			a.Fix = "log the upstream address and status in the proxy's access log format"
		}
		return a, true
	}
}
