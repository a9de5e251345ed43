package classify

import (
	"strings"

	"fivexx/sources"
)

// The advice that a proxy's error log is missing is decided for each
// proxy whose access logs are read, not for the format of the last one:
// nginx's access log and HAProxy's read together were told "no proxy
// error log" when nginx's came last and nothing when HAProxy's did (QA
// s35 M1). Where the access logs are of more than one proxy, the advice
// names the files it is about.

// proxyLogs are the access logs read of one kind of proxy
// (errorLogKind), by label, in input order: those that gave an access
// entry, or all when none did (Caddy's log of its own lines alone).
type proxyLogs struct {
	kind   string
	labels []string
	all    []string // every input of the kind read in the access log's role
	index  []int    // their input indexes, as all
	format string   // the format of the first of them
}

// errorLogKind is the kind of proxy whose error log an access log of
// format asks for: "nginx", "ingress-nginx" (whose error lines are in the
// controller's stream) or "caddy" (its default logger's error entries);
// "" for the others, which write no error log fivexx reads beside it.
func errorLogKind(format string) string {
	switch {
	case format == "ingress-nginx":
		return "ingress-nginx"
	case strings.HasPrefix(format, "nginx") || strings.HasPrefix(format, "ingress"):
		return "nginx"
	case format == "caddy":
		return "caddy"
	}
	return ""
}

// accessLogsByProxy groups the inputs read as access logs (roleOf; when
// none is, those that gave access entries in another role: Caddy's one
// stream given as its error log) by errorLogKind, in input order; other
// proxies' are grouped by format name. several says that they are of
// more than one kind.
func (e *Engine) accessLogsByProxy() (groups []proxyLogs, several bool) {
	var access []*sources.Input
	for _, in := range e.cfg.Inputs {
		if e.roleOf(in) == sources.RoleProxy {
			access = append(access, in)
		}
	}
	if len(access) == 0 {
		for _, in := range e.cfg.Inputs {
			if isSet(e.accessIn, in.Index) {
				access = append(access, in)
			}
		}
	}
	for _, in := range access {
		name := in.Format().Name
		kind := errorLogKind(name)
		if kind == "" {
			kind = name
		}
		i := 0
		for i < len(groups) && groups[i].kind != kind {
			i++
		}
		if i == len(groups) {
			groups = append(groups, proxyLogs{kind: kind})
		}
		g := &groups[i]
		if len(g.all) == 0 {
			g.format = name
		}
		g.all = append(g.all, in.Spec.Label())
		g.index = append(g.index, in.Index)
		if isSet(e.accessIn, in.Index) {
			g.labels = append(g.labels, in.Spec.Label())
		}
	}
	for i := range groups {
		if len(groups[i].labels) == 0 {
			groups[i].labels = groups[i].all
		}
	}
	return groups, len(groups) > 1
}

// caddyOwnLogName names Caddy's own log for its advice: the input every
// error line came from (caddyLogName), else the one Caddy input that
// gave no access entry; beside another proxy's error log caddyLogName's
// "Caddy's log" read "Caddy's log is Caddy's log".
func (e *Engine) caddyOwnLogName() string {
	if in := e.corr.errFrom.only(); in != nil {
		return in.Spec.Label()
	}
	var own *sources.Input
	for _, in := range e.cfg.Inputs {
		if in.Format().Family == "caddy" && !isSet(e.accessIn, in.Index) {
			if own != nil {
				return "Caddy's log"
			}
			own = in
		}
	}
	if own != nil {
		return own.Spec.Label()
	}
	return "Caddy's log"
}

// hasKind reports whether an access log of kind is among groups.
func hasKind(groups []proxyLogs, kind string) bool {
	for _, g := range groups {
		if g.kind == kind {
			return true
		}
	}
	return false
}

// errorLogMissing reports whether no error line of proxy family (a
// sources.Format Family) was read and no input is read as an error log
// that may be its: one of that family, or of a format not known yet.
// Another proxy's error log (Caddy's beside nginx's access log) is not.
func (e *Engine) errorLogMissing(family string) bool {
	if e.corr.errorLinesOf(family) > 0 {
		return false
	}
	for _, in := range e.cfg.Inputs {
		if e.roleOf(in) != sources.RoleProxyErrors {
			continue
		}
		if f := in.Format(); f.Name == "" || f.Family == family {
			return false
		}
	}
	return true
}

// errorLogsMissing reports whether the error log of a proxy among groups
// is missing (errorLogMissing), its error entries for Caddy.
func (e *Engine) errorLogsMissing(groups []proxyLogs) bool {
	for _, g := range groups {
		switch g.kind {
		case "nginx", "ingress-nginx":
			if e.errorLogMissing("nginx") {
				return true
			}
		case "caddy":
			if e.errorLogMissing("caddy") {
				return true
			}
		}
	}
	return false
}

// missingErrorLogAdvice is an advice for each proxy among groups whose
// error lines are missing, in the order of its access logs; with several
// proxies' access logs each names its own.
func (e *Engine) missingErrorLogAdvice(groups []proxyLogs, several bool) []Advice {
	var out []Advice
	for _, g := range groups {
		of := ""
		if several {
			of = " for " + strings.Join(g.labels, ", ")
		}
		switch g.kind {
		case "caddy":
			if !e.caddyErrorsUnread() {
				continue
			}
			if e.caddyLogRead() {
				// Asking for the log that was given (QA s8, real Caddy
				// 2.6.2: its stderr, with handle_errors) sent the reader
				// to add it.
				problem := " is Caddy's log (its own lines are there) but holds no error entry of any request: refused, reset, bad header and timeout are told apart by timings only, and a 5xx is not tied to the upstream it dialed"
				out = append(out, Advice{
					Problem: e.caddyOwnLogName() + namedFor(problem, of),
					Fix:     "if the site has handle_errors, Caddy logs the failures it handles at DEBUG only: set log default { level DEBUG } in the global options (a respond or error directive logs none at any level)",
				})
				continue
			}
			problem := "no Caddy error entries: refused, reset, bad header and timeout are told apart by timings only, and a 5xx is not tied to the upstream it dialed"
			out = append(out, Advice{
				Problem: namedFor(problem, of),
				Fix:     "add the log Caddy's default logger writes (its http.log.error entries): the caddy process's stderr (journalctl -u caddy > caddy.log) or the global log directive's file, e.g. fivexx access.log caddy.log app.log",
			})
		case "ingress-nginx":
			if !e.errorLogMissing("nginx") {
				continue
			}
			// ingress-nginx's default format logs $upstream_addr and
			// $upstream_status, not $upstream_header_time: its status
			// lists tell who made a 5xx (rules.go), and nginx's error
			// lines are in the controller's own stream, not in an
			// error_log file (formats.md §1.4): the controller writes
			// nginx's error lines and its own klog lines to its stream,
			// beside the access lines, so there is no
			// /var/log/nginx/error.log to add (QA s31 F3).
			problem := "no error lines of the ingress-nginx controller: refused, reset, bad header and timeout are told apart by timings only, and its limiter's 503 from a Service's without endpoints only by the requests around it"
			out = append(out, Advice{
				Problem: namedFor(problem, of),
				Fix:     "read the controller's log whole, not its access lines alone: nginx's error lines and its own are in the same stream (--cmd 'kubectl logs -f -n ingress-nginx deploy/ingress-nginx-controller', or kubectl logs -n ingress-nginx deploy/ingress-nginx-controller > controller.log)",
			})
		case "nginx":
			if !e.errorLogMissing("nginx") {
				continue
			}
			if several {
				of = " for nginx's access log " + strings.Join(g.labels, ", ")
			}
			problem := "no proxy error log: refused, reset, bad header and timeout are told apart by timings only"
			out = append(out, Advice{
				Problem: namedFor(problem, of),
				Fix:     "add the error log to the inputs: /var/log/nginx/error.log (error_log at level error or lower)",
			})
		}
	}
	return out
}

// HAProxyRequestLinesFix is the fix of the missing access log when
// HAProxy's state lines alone are read (haproxyStateOnly).
const HAProxyRequestLinesFix = "HAProxy writes a line per request only where a frontend logs: log global and option httplog in the frontend (or defaults), to the global section's log target (log /dev/log local0, or log stdout format raw local0 beside its stderr): give that log, fivexx /var/log/haproxy.log app.log"

// namedFor is problem with of (" for FILE") before its first ": ", or
// problem when of is "".
func namedFor(problem, of string) string {
	if of == "" {
		return problem
	}
	head, rest, _ := strings.Cut(problem, ": ")
	return head + of + ": " + rest
}
