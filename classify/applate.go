package classify

import (
	"time"

	"fivexx/sources"
)

// An app line's stamp is not always when its request ended. Apache's %t,
// Tomcat's and Jetty's access logs and Go's gorilla/handlers stamp the
// time the request came in and write the line when it ends, so a request
// that took 25 s is written 25 s behind its stamp, after the lines of
// the quicker requests that started later. Behind a plain combined
// access log (no request time: the 5xx's window is ±2 s around the
// access line, which nginx writes at the end) the app's own 500 after
// 25 s lay 25 s before its window: "no app line for it, though the app
// logged 30 requests that went well in that time ... the proxy most
// likely answered 500 itself" (unknown), and the app's own 504 after 20 s
// was an end line before the narrow window, another request's
// (endsEarly). Real nginx 1.22.1 in front of such an app
// (testdata/recordings/nginx-startapp): 8 of its 13 slow 5xx, every one
// the app answered itself after 20-29 s, were unknown (upstream_timeout
// for the two 504s without the error log); all 32 5xx are right now.
//
// What the log tells is where the line lies in its own file. The rules
// are:
//
//   - an app line more than lateMin behind the newest stamp before it in
//     its input was written after that line: the request it tells of
//     ended somewhere from its stamp to that stamp (written). Both cases
//     that make a line come late are in that span: a log that stamps the
//     start ends the request near the newer stamp, a logger that buffers
//     (several workers on one stream) near its own;
//   - not past the proxy's upstream timeout (Config.UpstreamTimeout): a
//     request the proxy answered ended within it of its start, and a line
//     further behind is no late request's but another stretch of the log
//     (two pods' logs one after the other, a rotated file put after the
//     new one): its stamp alone places it;
//   - the time window takes a line whose span meets the 5xx's window
//     (appFits), ranks it by the distance from that span (appGap), and a
//     504 rules out an end line only when its whole span lies before the
//     narrow window (endsEarly, earlyEnds);
//   - lines whose held end lines are let go once no window can take them
//     (windowdrop.go) go by their written time, not by their stamp: by
//     the stamp the line of a 25 s request was past the reach when it
//     came, and let go before its 5xx was judged.
//
// Only late lines are noted (late, a map with one entry per late held
// line): a log whose lines come in order costs one comparison per line.
// An app that writes nothing while its slow requests run (it stalls
// whole) gives no newer stamp to place them by: their lines stay at their
// stamps.

// lateMin is how far behind the newest stamp of its input an app line
// must come to be placed by it: a proxy stamp names a whole second, and
// lines of one second interleave.
const lateMin = time.Second

// inputNewest is the newest app line stamp an input gave, as an instant:
// a time.Time holds a pointer (its zone), and storing one per app line
// into the correlator made the collector's write barrier a cost of every
// line (cachegrind, a slice of the 2 M set).
type inputNewest struct {
	in *sources.Input
	at logInstant
}

// inOrder notes the stamp own of an app line of input in when it is no
// earlier than the newest its input gave (most lines; inlined), and says
// so; else noteBehind is to note it.
func (c *correlator) inOrder(in *sources.Input, own logInstant) bool {
	if len(c.appNewest) > 0 && c.appNewest[0].in == in && !own.before(c.appNewest[0].at) {
		c.appNewest[0].at = own
		return true
	}
	return false
}

// noteBehind notes app line a of input in, stamped own (its own time's
// instant), in the order its input gave it, when inOrder did not: late
// says it came late, and written is then when it was written at the
// latest (see the rules).
func (c *correlator) noteBehind(in *sources.Input, a *sources.AppEntry, own logInstant) (written time.Time, late bool) {
	if a.Time.IsZero() {
		return written, false
	}
	var n *inputNewest
	for i := range c.appNewest {
		if c.appNewest[i].in == in {
			n = &c.appNewest[i]
			break
		}
	}
	if n == nil {
		c.appNewest = append(c.appNewest, inputNewest{in: in, at: own})
		return written, false
	}
	if !own.before(n.at) {
		n.at = own
		return written, false
	}
	if behind := n.at.sub(own); behind > lateMin && behind <= c.cfg.UpstreamTimeout {
		return a.Time.Add(behind), true
	}
	return written, false
}

// markLate notes that held app line a was written as late as w.
func (c *correlator) markLate(a *sources.AppEntry, w time.Time) {
	if c.late == nil {
		c.late = map[*sources.AppEntry]time.Time{}
	}
	c.late[a] = w
	c.lateMost = max(c.lateMost, w.Sub(a.Time))
}

// unmarkLate forgets a, a line no longer held.
func (c *correlator) unmarkLate(a *sources.AppEntry) {
	if len(c.late) == 0 {
		return
	}
	delete(c.late, a)
	if len(c.late) == 0 {
		c.lateMost = 0
	}
}

// written is when app line a was written at the latest, on the app's
// clock: its request ended between a.Time and then.
func (c *correlator) written(a *sources.AppEntry) time.Time {
	if len(c.late) > 0 {
		if w, ok := c.late[a]; ok {
			return w
		}
	}
	return a.Time
}

// lateAt is when app line a was written, if it came late.
func (c *correlator) lateAt(a *sources.AppEntry) (time.Time, bool) {
	if len(c.late) == 0 {
		return time.Time{}, false
	}
	w, ok := c.late[a]
	return w, ok
}
