package classify

import (
	"strconv"

	"fivexx/sources"
)

// An app end line whose status is not the one the proxy had from the app
// is another request's. Without ids, three paths shared by every request
// and the app's clock 3 s ahead, the window held only other requests'
// lines for the app's own 5xx: 7 of 14 app 500s and 10 of 15 app 503s
// read "app: finished with 200 (in the time window)" beside
// upstream_status 500 or 503, and no clock advice came, as the window
// did find lines (QA s36 M1). The rules are:
//
//   - when the proxy had a response header from the upstream
//     ($upstream_header_time a number: UpstreamAnswered), the statuses of
//     $upstream_status are the app's answers, and an app end line with
//     another status is not this request's (statusRules). Not when the
//     proxy made the status itself (a timeout's 504, a reset's 502): its
//     request's app end may say anything, or come late with a 200;
//   - such a line takes with it the start line it closes, as an end line
//     of a request the proxy answered well does (windowstarts.go);
//   - a 5xx the app answered whose window held end lines, none with its
//     status, is counted (windowJoins.otherOnly): where most such 5xx
//     find none of their own, the app's clock likely runs off the proxy's
//     (clockAdvice), as when the window finds nothing.

// upstreamAnswers are the statuses an upstream answered e with, as
// $upstream_status logs them, when the proxy had its response header;
// nil when that is not known. They are appended to buf (a caller's
// array: no allocation per 5xx for the few attempts a request makes).
func upstreamAnswers(e *sources.ProxyEntry, buf []int) []int {
	if e.UpstreamAnswered != sources.Yes || len(e.UpstreamStatus) == 0 {
		return nil
	}
	out := buf[:0]
	for _, s := range e.UpstreamStatus {
		if n, err := strconv.Atoi(s); err == nil && n >= 100 && n < 600 {
			out = append(out, n)
		}
	}
	return out
}

// statusOf tells an app end line's status against the upstream's answers
// (upstreamAnswers): 0 when it says none or none is known, 1 when it is
// one of them, -1 when it is another.
func statusOf(answers []int, a *sources.AppEntry) int {
	if len(answers) == 0 || a.Status == 0 {
		return 0
	}
	for _, s := range answers {
		if s == a.Status {
			return 1
		}
	}
	return -1
}
