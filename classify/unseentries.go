package classify

import (
	"strconv"
	"strings"
)

// A proxy that retries logs the last try's failure only: HAProxy's
// termination state and server are the last attempt's (formats.md §3, its
// retries count "+2"), and Caddy's error entry is the last dial's error
// after lb_try_duration's re-dials (formats.md §6). When that last try was
// refused, an earlier one may have failed otherwise: an app that took the
// request and crashed mid-request is gone when the retry dials it, and
// its crash reads as a refusal. Two real recordings show it (QA s35):
// HAProxy's /crash?n=150 (SC--, retries +2, the app logged the request's
// start on both servers and no end) and Caddy's /crash?n=83 and n=150
// (the error entry "connect: connection refused" after 0.50 s, the app's
// start logged), each upstream_refused at high confidence from the
// access and error logs, where their lines are those of a plain refusal
// (HAProxy's n=59, Caddy's n=72: same flags, same 0.50 s). Only the app's
// log tells the two apart (crashedThenRefused): without it the refusal is
// medium.

// caddyTryInterval is Caddy's default lb_try_interval (250 ms): a
// refused dial is answered within a round trip, so an error entry of a
// refusal after that long came after re-dials.
const caddyTryInterval = 0.25

// unseenTries says, for a refusal the proxy logged of e's last try, that
// earlier tries were made whose failures it does not log ("" when none
// was, or the proxy logs each).
func unseenTries(ev evidence) string {
	e := ev.e
	switch ev.kind {
	case "haproxy":
		if i := strings.Index(e.Detail, "retried "); i >= 0 {
			return "HAProxy " + e.Detail[i:] + ": its line is the last attempt's"
		}
	case "caddy":
		if e.RequestTime >= caddyTryInterval {
			return "Caddy spent " + strconv.FormatFloat(e.RequestTime, 'f', 2, 64) + " s on it, re-dialling (lb_try_duration): its error entry is the last dial's"
		}
	}
	return ""
}

// refusedAfterUnseenTries is conf for cause c, medium for a refusal at
// high confidence after tries whose failures the proxy does not log, when
// no app log is read to tell a crash mid-request from a refusal; it says
// so in the evidence.
func refusedAfterUnseenTries(ev evidence, c Cause, conf Confidence, add *evidenceLines) Confidence {
	if c != UpstreamRefused || conf != High || ev.appLog {
		return conf
	}
	tries := unseenTries(ev)
	if tries == "" {
		return conf
	}
	add.line(tries, "; an earlier try may have failed otherwise (an app that crashed mid-request refuses the retry), which only the app's log tells")
	return Medium
}
