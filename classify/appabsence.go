package classify

import "fivexx/sources"

// When is an app's silence about a request id evidence that the app never
// saw the request? Only when the app logs the requests it serves. An app
// that logs only its failures, or a second app behind the same proxy that
// logs no ids at all, is silent about most requests; its silence about
// one more says nothing, and "the app never saw it" made its own 503s
// the proxy's (proxy_rejected), depending on whether an earlier 5xx had
// happened to join by id.
//
// So a 5xx whose id no app line carries is first joined by the time
// window, which finds the lines of an app that logs no ids (appFor). Only
// if that finds nothing, and the apps logged at least a quarter of the
// requests with an id that the proxy answered below 500 (idCoverage), is
// the absence evidence. A quarter, not most: the proxy answers static
// files and redirects itself, which lowers the share without making the
// app's silence meaningless, while an app that logs only failures logs
// almost none of the requests that went well.

// idCoverage counts the proxy's requests with an id answered below 500,
// and those of them that an app line with the same id was seen for.
type idCoverage struct {
	answered, logged int64
}

// noteProxy counts e, answered below 500 with request id hash h; held says
// whether app lines with that id are held (logged before the access line).
func (v *idCoverage) noteProxy(held bool) {
	v.answered++
	if held {
		v.logged++
	}
}

// noteApp counts an app line with the id of a request the proxy had
// already answered below 500: one per request, its end line (a line with
// a status, or the word for it).
func (v *idCoverage) noteApp(a *sources.AppEntry) {
	if a.Phase == sources.PhaseEnd || a.Status != 0 {
		v.logged++
	}
}

// absenceSays reports whether an app's missing id is evidence: no request
// went well yet to tell (as before: ids joined, so the app logs them), or
// the apps logged a quarter of those that did. (A request counted both
// before and after its access line only errs towards trusting.)
func (v idCoverage) absenceSays() bool {
	return v.answered == 0 || 4*v.logged >= v.answered
}

// heldFor reports whether app lines with id hash h are held.
func (c *correlator) heldFor(h uint64) bool {
	return c.heldIDs.has(h) && (len(c.byID[h]) > 0 || c.heldIdx.has(h))
}
