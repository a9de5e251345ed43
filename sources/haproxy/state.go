package haproxy

import (
	"strings"

	"fivexx/sources"
)

// The state messages HAProxy logs (server.c, check.c, backend.c), with or
// without a wrapper:
//
//	Server be_app/srv1 is DOWN, reason: Layer4 connection problem, info: "Connection refused", check duration: 0ms. 0 active and 0 backup servers left. ...
//	Server be_app/srv1 is DOWN. 0 active and 0 backup servers left. ...   (reason on the "Health check" line before it)
//	Server be_app/srv1 is UP, reason: Layer7 check passed, code: 200, check duration: 1ms. 1 active and 0 backup servers online. ...
//	Server be_app/srv1 is going DOWN for maintenance (DNS timeout status). ...
//	Health check for server be_app/srv1 failed, reason: Layer7 wrong status, code: 503, info: "Service Unavailable", check duration: 2ms, status: 0/1 DOWN.
//	backend be_app has no server available!      (stderr form: backend 'be_app' ...)
//
// They become *sources.ProxyError with Upstream "be_app/srv1" (or "be_app")
// and Action naming the event: "server down", "server up", "server
// maintenance", "server state", "health check", "backend down".

// maxCheckMemory bounds the per-server memory of failed checks.
const maxCheckMemory = 4096

// isStateMessage reports whether msg is a server or backend state message.
func isStateMessage(msg string) bool {
	return strings.HasPrefix(msg, "Server ") ||
		strings.HasPrefix(msg, "Backup Server ") ||
		strings.HasPrefix(msg, "Health check for ") ||
		strings.HasPrefix(msg, "backend ") && strings.HasSuffix(msg, " has no server available!")
}

// parseState parses a state message.
func (p *Parser) parseState(line, msg string, env envelope) (sources.Record, error) {
	e := p.otherMessage(line, msg, env)
	switch {
	case strings.HasPrefix(msg, "backend "):
		name := strings.TrimSuffix(msg[len("backend "):], " has no server available!")
		e.Upstream = strings.Trim(name, "'")
		e.Reason = sources.ReasonNoLiveUpstreams
		e.Action = "backend down"

	case strings.HasPrefix(msg, "Health check for "):
		rest := strings.TrimPrefix(msg[len("Health check for "):], "backup ")
		rest = strings.TrimPrefix(rest, "server ")
		name, rest, _ := strings.Cut(rest, " ")
		e.Upstream = strings.TrimSuffix(name, ",")
		e.Action = "health check"
		if strings.HasPrefix(rest, "failed") {
			e.Reason = checkReason(rest)
			p.rememberCheck(e.Upstream, e.Reason)
		}

	default: // "Server X ..." or "Backup Server X ..."
		rest := strings.TrimPrefix(msg, "Backup ")
		rest = rest[len("Server "):]
		name, rest, _ := strings.Cut(rest, " ")
		e.Upstream = name
		rest = strings.TrimPrefix(rest, "is ")
		switch {
		case strings.HasPrefix(rest, "going DOWN for maintenance"):
			e.Action = "server maintenance"
			if strings.Contains(rest, "DNS") {
				e.Reason = sources.ReasonDNS
			}
		case strings.HasPrefix(rest, "DOWN"):
			e.Action = "server down"
			if strings.Contains(rest, ", reason: ") {
				e.Reason = checkReason(rest)
			} else {
				e.Reason = p.lastCheck[name]
			}
		case strings.HasPrefix(rest, "UP"):
			e.Action = "server up"
			delete(p.lastCheck, name)
		default:
			e.Action = "server state"
		}
	}
	return e, nil
}

// Prime implements sources.Primer: the first request line among the
// lines held for detection dates the stamps without a year before it
// (RFC 3164 syslog, old stderr), which took the year of the day they were
// read: a 2024 log's state lines came out in 2026, never joined to its
// requests. It is read by a parser of its own, so the clock's DST
// continuity is not disturbed.
func (p *Parser) Prime(lines []string) {
	if !p.last.IsZero() {
		return
	}
	ahead := &Parser{clock: sources.NewLocalClock(p.clock.Location()), now: p.now}
	for _, l := range lines {
		payload, env := unwrap(l)
		if isStateMessage(payload) {
			continue
		}
		if e, err := ahead.parseHTTPLog(l, payload, env); err == nil {
			p.last = e.Time
			return
		}
	}
}

// Primed implements sources.PrimedTeller: a request line has dated the
// stamps without a year.
func (p *Parser) Primed() bool { return !p.last.IsZero() }

// otherMessage makes a message without reason from an HAProxy line that is
// not a request line.
func (p *Parser) otherMessage(line, msg string, env envelope) *sources.ProxyError {
	e := &sources.ProxyError{Raw: line, Level: env.level, Message: msg}
	ref := p.last
	if ref.IsZero() {
		ref = p.now()
	}
	if t, ok := env.headerTime(p.clock, ref); ok {
		e.Time = t
	}
	return e
}

func (p *Parser) rememberCheck(server string, r sources.Reason) {
	if p.lastCheck == nil || len(p.lastCheck) >= maxCheckMemory {
		p.lastCheck = make(map[string]sources.Reason)
	}
	p.lastCheck[server] = r
}

// checkReason maps the "reason: ..." of a check result (check.c
// check_statuses) to a reason. "Layer7 wrong status" is the app answering
// with a bad status: no proxy-side reason.
func checkReason(text string) sources.Reason {
	_, r, ok := strings.Cut(text, "reason: ")
	if !ok {
		return sources.ReasonNone
	}
	switch {
	case strings.HasPrefix(r, "Layer4 connection problem"), strings.HasPrefix(r, "Socket error"):
		return sources.ReasonRefused
	case strings.HasPrefix(r, "Layer4 timeout"):
		return sources.ReasonConnectTimeout
	case strings.HasPrefix(r, "Layer6"):
		return sources.ReasonTLS
	case strings.HasPrefix(r, "Layer7 timeout"):
		return sources.ReasonReadTimeout
	case strings.HasPrefix(r, "Layer7 invalid response"):
		return sources.ReasonBadResponse
	case strings.Contains(r, "DNS"):
		return sources.ReasonDNS
	}
	return sources.ReasonNone
}
