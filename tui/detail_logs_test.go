package tui

import (
	"strings"
	"testing"
	"time"

	"fivexx/classify"
	"fivexx/sources"
)

// The detail said "no error-log line joined to this request" and "no app
// line within ±2 s" of a plain combined log given alone, as if the proxy
// and the app had said nothing (QA s24 TUI #3); and "±2 s" of a 504 whose
// window reached back by the proxy's timeout. It says which logs were not
// read, and the window used.
func TestDetailSaysWhichLogsWereRead(t *testing.T) {
	e := &sources.ProxyEntry{Time: logNow, Status: 504, Method: "GET", Path: "/p/7", RequestTime: -1,
		Raw: `203.0.113.7 - - [02/Jan/2024:03:04:05 +0000] "GET /p/7 HTTP/1.1" 504 12 "-" "curl/8"`}
	st := DefaultStyles()
	for _, c := range []struct {
		name      string
		v         classify.Verdict
		want, not []string
	}{
		{"no logs read", classify.Verdict{Entry: e, Cause: classify.UpstreamTimeout, Confidence: classify.Low},
			[]string{"no proxy error log read: no line could join this request", "no app log read: no line could match this request",
				"not matched: no app log read", " Proxy error log\n", " App lines\n"},
			[]string{"joined to this request", "±2 s", "(0)"}},
		{"both read, window reached back", classify.Verdict{Entry: e, Cause: classify.UpstreamTimeout, Confidence: classify.Low,
			ErrorLog: true, AppLog: true, AppLookback: 60 * time.Second},
			[]string{"Proxy error log (0)", "no error-log line joined to this request", "App lines (0)",
				"no app line from 62 s before to 2 s after"},
			[]string{"no app log read", "no proxy error log read", "±2 s"}},
		{"both read", classify.Verdict{Entry: e, Cause: classify.UpstreamTimeout, Confidence: classify.Low, ErrorLog: true, AppLog: true},
			[]string{"no error-log line joined to this request", "no app line within ±2 s"},
			[]string{"log read"}},
		{"joined by time window, reached back", classify.Verdict{Entry: e, Cause: classify.UpstreamTimeout, Confidence: classify.Low,
			ErrorLog: true, AppLog: true, AppLookback: 60 * time.Second, MatchedBy: "time_window",
			AppLines: []*sources.AppEntry{{Time: logNow.Add(-50 * time.Second), Raw: `{"msg":"start"}`}}},
			[]string{"time window (62 s before to 2 s after): a guess", "App lines (1)"},
			[]string{"±2 s"}},
	} {
		got := detailContent(&c.v, shownTimeline{}, 120, false, &st)
		for _, w := range c.want {
			if !strings.Contains(got, w) {
				t.Errorf("%s: lacks %q:\n%s", c.name, w, got)
			}
		}
		for _, n := range c.not {
			if strings.Contains(got, n) {
				t.Errorf("%s: says %q:\n%s", c.name, n, got)
			}
		}
	}
}
