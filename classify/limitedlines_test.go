package classify

import (
	"testing"

	"fivexx/sources"
)

// TestLimiterLineIsThe429s: with limit_req_status 429, nginx's "limiting
// requests" line is the 429's, not the app's own 503 of the same client,
// method, path and second (limitedlines.go): the 503 is judged from the
// app's line, whichever of the 429 and its line is read first; with no
// 429 (the default limit_req_status 503), the line is the 503's.
func TestLimiterLineIsThe429s(t *testing.T) {
	limiting := func() *sources.ProxyError {
		return errLine(0.1, sources.ReasonRateLimited, `limiting requests, excess: 0.988 by zone "lim"`)
	}
	appSaid := func() *sources.AppEntry {
		return appLine(0.2, sources.PhaseEnd, "", 503, "warn", "request finished")
	}
	for _, tc := range []struct {
		name string
		recs []sources.Record
		want Cause
	}{
		{"line before its 429", []sources.Record{limiting(), combinedEntry(0.1, 429), appSaid(), combinedEntry(0.2, 503)}, AppUnavailable},
		{"429 before its line", []sources.Record{combinedEntry(0.1, 429), limiting(), appSaid(), combinedEntry(0.2, 503)}, AppUnavailable},
		{"no 429: the limiter's own 503", []sources.Record{limiting(), combinedEntry(0.1, 503)}, ProxyRejected},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for _, advance := range []bool{false, true} {
				got := judgeRecords(advance, tc.recs...)
				if len(got) != 1 || got[0].Cause != tc.want {
					var said []string
					for _, v := range got {
						said = append(said, string(v.Cause))
					}
					t.Fatalf("advance=%v: verdicts %v, want one %s", advance, said, tc.want)
				}
			}
		})
	}
}

// TestLimiterLineIsNotAnUpstreamAnswers: nginx's limit_req and limit_conn
// answer before any upstream is contacted, so a "limiting requests" line
// is never the line of a 5xx whose access line shows the upstream's own
// answer (ua, us=503, uht): of two 503s of one client connection, path
// and second, the app's own (logged first) and the limited one (ua="-"),
// the limited one takes it; with only the app's, no 5xx does; a 503 whose
// upstream sent another status (an error_page that proxies to a fallback
// over the limiter's 503) may still have it. Through the scan and the
// index alike (the demo's load burst: the app's 503 took the line, and
// the limited 503 was proxy_rejected medium, "nginx most likely answered
// on its own without logging an error").
func TestLimiterLineIsNotAnUpstreamAnswers(t *testing.T) {
	limiting := func(conn string) *sources.ProxyError {
		x := errLine(0.1, sources.ReasonRateLimited, `limiting requests, excess: 20.220 by zone "api"`)
		x.Conn, x.Raw = conn, "error limiting *"+conn
		return x
	}
	appOwn := func(conn string) *sources.ProxyEntry {
		e := upstreamEntry(0.2, 503, "10.0.1.12:8080", "503", "0.001", "")
		e.Conn, e.Raw = conn, "access app's 503"
		return e
	}
	limited := func(conn string) *sources.ProxyEntry {
		e := upstreamEntry(0.3, 503, "-", "-", "-", "")
		e.Upstream, e.UpstreamContacted = "", sources.No
		e.Conn, e.Raw = conn, "access limited 503"
		return e
	}
	fallback := func() *sources.ProxyEntry {
		e := upstreamEntry(0.2, 503, "10.0.9.9:8080", "200", "0.002", "")
		e.Raw = "access error_page 503"
		return e
	}
	tests := []struct {
		name string
		recs func() []sources.Record
		want []string
		// linesOnly: the lines taken are the point, not the cause the
		// rules make of a rewritten status.
		linesOnly bool
	}{
		{"$connection: the app's 503 first", func() []sources.Record {
			return []sources.Record{limiting("27635"), appOwn("27635"), limited("27635")}
		}, []string{"access app's 503 app_unavailable", "access limited 503 proxy_rejected [error limiting *27635]"}, false},
		{"no serial: the app's 503 first", func() []sources.Record {
			return []sources.Record{limiting(""), appOwn(""), limited("")}
		}, []string{"access app's 503 app_unavailable", "access limited 503 proxy_rejected [error limiting *]"}, false},
		{"the app's 503 alone", func() []sources.Record {
			return []sources.Record{limiting("27635"), appOwn("27635")}
		}, []string{"access app's 503 app_unavailable"}, false},
		{"a fallback's 200 under the limiter's 503", func() []sources.Record {
			return []sources.Record{limiting(""), fallback()}
		}, []string{"access error_page 503 [error limiting *]"}, true},
	}
	for _, tt := range tests {
		judgeEveryWay(t, tt.name, tt.recs, tt.want, func(v *Verdict) string {
			if tt.linesOnly {
				return v.Entry.Raw
			}
			return v.Entry.Raw + " " + string(v.Cause)
		})
	}
}
