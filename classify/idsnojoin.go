package classify

import "fmt"

// minUnjoinedIDs is how many requests with an id the proxy must have
// answered below 500, none of them in the app's log, before that says the
// two logs share no request: a handful may be the proxy's own answers
// (static files, redirects) that never reached the app.
const minUnjoinedIDs = 100

// idsNeverJoinAdvice is the advice for a proxy and an app that both log
// request ids of which not one is the other's: the proxy answered
// minUnjoinedIDs or more requests below 500 (requests the app should
// have seen, unlike a 5xx the proxy made on its own), the app's lines
// carry ids, and no id joined a request, a 5xx, an app line let go or a
// skew sample. Nothing said so: the evidence read "the app logged 4000
// request(s) that went well in that time" and the app coverage was 0
// (QA s37 L6: 100,000 access lines and an app log of another system).
func (e *Engine) idsNeverJoinAdvice(proxyIDs bool) (Advice, bool) {
	c := e.corr
	n := c.idCover.answered
	if !proxyIDs || !c.appIDs || n < minUnjoinedIDs || c.idCover.logged > 0 || c.idJoins > 0 ||
		c.outside.matches > 0 || c.skew.n > 0 {
		return Advice{}, false
	}
	return Advice{
		Problem: fmt.Sprintf("0 of %d request ids of requests the proxy answered below 500 appear in the app log, whose lines carry ids: is it the log of the app behind this proxy? app lines are matched by time, method and path only (low confidence)", n),
		Fix:     "give fivexx the log of the app this proxy sends to, of the same hours; if it is, have the app log the id the proxy sends (X-Request-ID), not one of its own",
	}, true
}
