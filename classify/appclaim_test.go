package classify

import (
	"strings"
	"testing"

	"fivexx/sources"
)

// judgeAtOnce adds every record, then flushes: every 5xx waits at once,
// as in a report of a small file (Feed advances every 256 records).
func judgeAtOnce(recs ...sources.Record) []*Verdict { return judgeRecords(false, recs...) }

// shedding is the app's one line for one request it turned away: method,
// path and status, no request id.
func shedding(sec float64) *sources.AppEntry {
	a := appLine(sec, sources.PhaseOther, "", 503, "warn", "shedding load")
	a.Path = "/api"
	return a
}

// TestAppLineExplainsOneRequest checks that an app line of one request,
// joined by time window, explains one 5xx: the nearest.
func TestAppLineExplainsOneRequest(t *testing.T) {
	taken := "app: the app lines within ±2 s each went to another 5xx"
	type want struct {
		cause    Cause
		conf     Confidence
		appLines int
		in       string
	}
	endOf := func(sec float64, rid string) *sources.AppEntry {
		a := appLine(sec, sources.PhaseEnd, rid, 503, "warn", "request finished")
		a.Path = "/api"
		return a
	}
	tests := []struct {
		name string
		recs []sources.Record
		want []want // by the 5xx's time order
	}{
		{"five 503s, one shedding line in their second: one 503 takes it", []sources.Record{
			combined(0, 503, "/api"), combined(0, 503, "/api"), shedding(0.4), combined(0, 503, "/api"), combined(0, 503, "/api"), combined(0, 503, "/api"),
		}, []want{
			{AppUnavailable, Low, 1, "app: finished with 503 (in the time window)"},
			{Unknown, Low, 0, taken}, {Unknown, Low, 0, taken}, {Unknown, Low, 0, taken}, {Unknown, Low, 0, taken},
		}},
		{"five 503s a second apart: the nearest takes the line", []sources.Record{
			combined(0, 503, "/api"), combined(1, 503, "/api"), combined(2, 503, "/api"), combined(3, 503, "/api"), shedding(3.1), combined(4, 503, "/api"),
		}, []want{
			{Unknown, Low, 0, "app: no app line within ±2 s"}, // 3.1 s is past its window
			{Unknown, Low, 0, taken}, {Unknown, Low, 0, taken},
			{AppUnavailable, Low, 1, ""},
			{Unknown, Low, 0, taken},
		}},
		{"two 503s, two app requests (ids the proxy does not log): one each", []sources.Record{
			combined(0, 503, "/api"), combined(0, 503, "/api"), endOf(0.2, "a1"), endOf(0.3, "a2"),
		}, []want{{AppUnavailable, Low, 1, ""}, {AppUnavailable, Low, 1, ""}}},
		{"a 502 retried on a second server (recordings/nginx-combined, /hangup?n=91): both starts", []sources.Record{
			func() sources.Record {
				a := appLine(0.392, sources.PhaseStart, "", 0, "info", "request started")
				a.Path, a.Instance = "/api", "127.0.0.1:35433"
				return a
			}(),
			func() sources.Record {
				a := appLine(0.393, sources.PhaseStart, "", 0, "info", "request started")
				a.Path, a.Instance = "/api", "127.0.0.1:34913"
				return a
			}(),
			combined(0, 502, "/api"),
		}, []want{{UpstreamReset, Low, 2, "app: logged the start"}}},
		{"one 503, its request's start, error and end lines without ids: all three", []sources.Record{
			func() sources.Record {
				a := appLine(0.1, sources.PhaseStart, "", 0, "info", "request started")
				a.Path = "/api"
				return a
			}(),
			func() sources.Record {
				a := appLine(0.2, sources.PhaseOther, "", 0, "error", "database unavailable")
				a.Path = "/api"
				return a
			}(),
			endOf(0.3, ""), combined(0, 503, "/api"),
		}, []want{{AppUnavailable, Low, 3, "database unavailable"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := judgeAtOnce(tt.recs...)
			if len(got) != len(tt.want) {
				t.Fatalf("%d verdicts, want %d", len(got), len(tt.want))
			}
			seen := map[*sources.AppEntry]int{}
			for i, w := range tt.want {
				v := got[i]
				for _, a := range v.AppLines {
					if j, ok := seen[a]; ok {
						t.Errorf("5xx %d and %d both took app line %q", j+1, i+1, a.Raw)
					}
					seen[a] = i
				}
				all := strings.Join(v.Evidence, "\n")
				if v.Cause != w.cause || v.Confidence != w.conf || len(v.AppLines) != w.appLines || !strings.Contains(all, w.in) {
					t.Errorf("5xx %d (%s): %s/%s with %d app lines, want %s/%s with %d and %q:\n%s",
						i+1, v.Entry.Time.Format("15:04:05"), v.Cause, v.Confidence, len(v.AppLines), w.cause, w.conf, w.appLines, w.in, all)
				}
			}
		})
	}
}
