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
