package classify

import (
	"time"

	"fivexx/sources"
)

// When does an app log that has no line for a 5xx say that the app never
// saw it, without request ids? When the app was logging the requests it
// served at that very time, the ones that went well too: then its silence
// about this one is a witness's. A maintenance page (nginx "return 503",
// Caddy "respond 503", an error_page) writes no error-log line, and "no
// error line, so the upstream sent it" blamed such a 503 on the app at
// medium confidence while the app had logged the 200s either side of it.
// The rules are:
//   - A witness line is an app line that finished a request below 500 (a
//     status the app logged): an app that logs only its failures writes
//     none, and its silence says nothing (appabsence.go says the same of
//     ids).
//   - The app witnesses a 5xx when it wrote such a line within the 5xx's
//     time window (span, ±2 s), on its own clock or shifted by the skew
//     learned from ids.
//   - Counted per second of log time in a ring of witnessSlots seconds:
//     a 5xx is judged within seconds of its time, and an old line that
//     comes late never overwrites a newer second.

// witnessSlots is how many seconds of witness lines are counted.
const witnessSlots = 256

// appWitness counts the witness lines by second.
type appWitness struct {
	sec [witnessSlots]int64
	n   [witnessSlots]int32
}

// zeroInstant is the zero time.Time's instant: a line without a time.
var zeroInstant = instantOf(time.Time{})

// note counts a, when it is a witness line; at is its time's instant
// (Engine.add has it: t.Unix() again was a third of note's cost).
func (w *appWitness) note(a *sources.AppEntry, at logInstant) {
	if a.Status <= 0 || a.Status >= 500 || at == zeroInstant {
		return
	}
	s := at.sec
	i := s & (witnessSlots - 1)
	switch {
	case w.sec[i] == s:
		w.n[i]++
	case w.sec[i] < s || w.n[i] == 0:
		w.sec[i], w.n[i] = s, 1
	}
}

// in counts the witness lines in the seconds of [from, to].
func (w *appWitness) in(from, to time.Time) int {
	n := 0
	for s := from.Unix(); s <= to.Unix(); s++ {
		if i := s & (witnessSlots - 1); w.sec[i] == s {
			n += int(w.n[i])
		}
	}
	return n
}

// witnessed counts the app's witness lines in e's window: on the app's
// clock, or shifted by the skew ids told.
func (c *correlator) witnessed(e *sources.ProxyEntry) int {
	from, to := c.span(e)
	if n := c.witness.in(from, to); n > 0 {
		return n
	}
	if skew := c.skew.value(); skew != 0 {
		return c.witness.in(from.Add(skew), to.Add(skew))
	}
	return 0
}
