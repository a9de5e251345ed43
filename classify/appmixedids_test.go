package classify

import (
	"strings"
	"testing"

	"fivexx/sources"
)

// TestIDLinesLeaveTheWindowOfAnIDLess5xx: QA s22 F3. Some clients send
// X-Request-ID and some do not, so one app logs requests with and without
// an id. The app lines of a 5xx joined by its request id are that
// request's: they neither hide the lines without an id of an id-less 5xx
// 1.37 s before it (those lines were left out of its window when any line
// there had an id), nor count as "taken by another 5xx" in its window.
func TestIDLinesLeaveTheWindowOfAnIDLess5xx(t *testing.T) {
	const taken = "each went to another 5xx"
	line := func(sec float64, phase sources.Phase, rid string, status int) *sources.AppEntry {
		a := appLine(sec, phase, rid, status, "info", "request finished")
		a.Path = "/e500"
		return a
	}
	idd := func(sec float64) *sources.ProxyEntry {
		e := combined(sec, 500, "/e500")
		e.RequestID = "my-id-123"
		return e
	}
	own := []sources.Record{line(-0.045, sources.PhaseStart, "", 0), line(-0.044, sources.PhaseEnd, "", 500)}
	theirs := []sources.Record{line(1.3696, sources.PhaseStart, "my-id-123", 0), line(1.3698, sources.PhaseEnd, "my-id-123", 500)}
	type want struct {
		cause    Cause
		conf     Confidence
		appLines int
		in       string
	}
	tests := []struct {
		name string
		recs []sources.Record
		want []want
	}{
		{"its own lines without an id, 0.04 s away", append(append(append(own, combined(0, 500, "/e500")), theirs...), idd(1.37)),
			[]want{{AppError, Low, 2, "app: finished with 500 (in the time window)"}, {AppError, High, 2, "app: finished with 500 (by request id)"}}},
		{"none of its own: the lines there are the other's by id", append(append([]sources.Record{combined(0, 500, "/e500")}, theirs...), idd(1.37)),
			[]want{{Unknown, Low, 0, "app: no app line within ±2 s"}, {AppError, High, 2, "app: finished with 500 (by request id)"}}},
	}
	for _, tt := range tests {
		for _, advance := range []bool{false, true} {
			t.Run(tt.name, func(t *testing.T) {
				got := judgeRecords(advance, tt.recs...)
				if len(got) != len(tt.want) {
					t.Fatalf("%d verdicts, want %d", len(got), len(tt.want))
				}
				for i, w := range tt.want {
					v := got[i]
					all := strings.Join(v.Evidence, "\n")
					if v.Cause != w.cause || v.Confidence != w.conf || len(v.AppLines) != w.appLines || !strings.Contains(all, w.in) || strings.Contains(all, taken) {
						t.Errorf("advance %v, 5xx %d: %s/%s with %d app lines, want %s/%s with %d and %q:\n%s",
							advance, i+1, v.Cause, v.Confidence, len(v.AppLines), w.cause, w.conf, w.appLines, w.in, all)
					}
				}
			})
		}
	}
}
