package classify

import (
	"strconv"

	"fivexx/sources"
)

// nginx writes the upstream{} group's name in $upstream_addr for an
// attempt for which it could select no server (formats.md §1.3). After a
// server was tried ("127.0.0.1:34599, app" with "504, 502"), that
// server's failure is what left none: with max_fails it marked the last
// live server down, and the group name is its echo. The rules are:
//   - each attempt before the group name is cited with its status and
//     times, so the evidence shows the failure the verdict rests on;
//   - when every server attempt before it was nginx's own 504 (no
//     response header), the cause is that timeout (connect when none
//     connected, read when each did): the line's own fields prove it;
//   - otherwise the cause stays no_healthy_upstream, at low confidence:
//     a 502 with no header is refused, reset or a bad response, and only
//     nginx's error log says which.

// groupAttempts is what the attempts before the group name in an nginx
// entry's $upstream_addr say.
type groupAttempts struct {
	lines []string // one evidence line per attempt
	// timedOut: every one of them was nginx's own 504; detail is
	// "connect", "read" or "" (mixed) for it.
	timedOut bool
	detail   string
}

// attemptsBeforeGroup reads the server attempts before the group name of
// an nginx entry (serverBeforeGroup's); ok is false when there is none.
func attemptsBeforeGroup(kind string, e *sources.ProxyEntry) (a groupAttempts, ok bool) {
	last := lastAttemptBeforeGroup(kind, e)
	if last < 0 {
		return a, false
	}
	a.timedOut = true
	connected, notConnected := 0, 0
	for i := 0; i <= last; i++ {
		addr := e.UpstreamAddr[i]
		if addr == "" || addr == "-" || addr == e.Upstream {
			continue
		}
		status, header, conn := attemptField(e.UpstreamStatus, i), attemptField(e.UpstreamHeader, i), attemptField(e.UpstreamConnect, i)
		line := "attempt " + strconv.Itoa(i+1) + " on " + addr + ": " + orDash(status)
		if rt := attemptField(e.UpstreamResponse, i); rt != "" && rt != "-" {
			line += " after " + rt + " s"
		}
		if conn != "" && conn != "-" {
			line += ", connected in " + conn + " s"
		}
		noHeader := header == "-"
		switch {
		case noHeader && status == "504":
			what := "timeout"
			switch conn {
			case "-":
				what, notConnected = "connect timeout", notConnected+1
			case "":
			default:
				what, connected = "read timeout", connected+1
			}
			line += ", no response header: nginx's own " + what
		case noHeader && status == "502":
			line += ", no response header: nginx's own error (refused, reset or a bad response)"
		case header != "" && header != "-":
			line += ", response header after " + header + " s: the upstream's own " + orDash(status)
		}
		if !(noHeader && status == "504") {
			a.timedOut = false
		}
		a.lines = append(a.lines, line)
	}
	switch {
	case connected > 0 && notConnected == 0:
		a.detail = "read"
	case notConnected > 0 && connected == 0:
		a.detail = "connect"
	}
	return a, true
}

// attemptField is list[i], or "" past its end: an attempt's value in one of nginx's upstream lists.
func attemptField(list []string, i int) string {
	if i < len(list) {
		return list[i]
	}
	return ""
}

// afterGroupAttempts turns a no_healthy_upstream read from the group name
// (or nginx's "no live upstreams" line) into the failure of the attempts
// before it, as the rules on top say, adding their evidence. c, conf and
// d are returned unchanged when the group name follows no server.
func afterGroupAttempts(ev evidence, c Cause, conf Confidence, d string, add *evidenceLines) (Cause, Confidence, string) {
	if c != NoHealthyUpstream {
		return c, conf, d
	}
	a, ok := attemptsBeforeGroup(ev.kind, ev.e)
	if !ok {
		return c, conf, d
	}
	for _, l := range a.lines {
		add.line(l)
	}
	group := ev.e.Upstream
	if a.timedOut {
		if len(a.lines) > 1 {
			add.line("then group " + group + " had no live server left (the group name): the timeouts marked the servers down, so they are the cause")
		} else {
			add.line("then group " + group + " had no live server left (the group name): the timeout marked the server down, so it is the cause")
		}
		return UpstreamTimeout, Medium, a.detail // read from the fields, not said by the proxy
	}
	how := "no error log is read"
	if ev.errorLog {
		how = "the error log has no line for that failure"
	}
	if len(a.lines) > 1 {
		add.line("then group " + group + " had no live server left (the group name): the failures before it marked the servers down, and which failures those were only nginx's error log says; " + how)
	} else {
		add.line("then group " + group + " had no live server left (the group name): the failure before it marked the server down, and which failure that was only nginx's error log says; " + how)
	}
	return c, Low, d
}
