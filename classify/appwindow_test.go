package classify

import (
	"testing"
	"time"

	"fivexx/sources"
)

// A 504 of a plain combined access log (no request time) looks for its
// app lines as far back as the proxy waits (60 s by default), among the
// starts of requests that had not ended: here nginx's real timeout is
// 30 s, two requests hang (started at 0 and 10 s, 504 at 30 and 40 s)
// among quick ones on the same instance and path, one of them 25 s
// before the first. Ranked by distance alone, that quick start was the
// nearest to where a 60 s request would have started; it ended at once,
// so it is no 504's. Only the narrow ±2 s window was looked at before:
// neither 504 found a line. A time-only join is low confidence.
func TestLong504FindsTheOpenStart(t *testing.T) {
	const inst = "127.0.0.1:18301"
	app := func(sec float64, phase sources.Phase, status int, msg string) *sources.AppEntry {
		a := appLine(sec, phase, "", status, "info", msg)
		a.Path, a.Instance = "/report", inst
		return a
	}
	entry := func(sec float64) *sources.ProxyEntry {
		return &sources.ProxyEntry{Time: t0.Add(time.Duration(sec * float64(time.Second))), Client: "127.0.0.1", Method: "GET", Path: "/report?hang=1",
			Proto: "HTTP/1.1", Status: 504, RequestTime: -1, Raw: "access /report?hang=1"}
	}
	hungA, hungB := app(0, sources.PhaseStart, 0, "request started"), app(10, sources.PhaseStart, 0, "request started")
	recs := []sources.Record{
		app(-25, sources.PhaseStart, 0, "request started"), app(-24.9, sources.PhaseEnd, 200, "request finished"),
		hungA,
		app(5, sources.PhaseStart, 0, "request started"), app(5.1, sources.PhaseEnd, 200, "request finished"),
		hungB,
		app(12, sources.PhaseStart, 0, "request started"), app(12.1, sources.PhaseEnd, 200, "request finished"),
		entry(30), entry(40),
	}
	for _, advance := range []bool{false, true} {
		got := judgeRecords(advance, recs...)
		if len(got) != 2 {
			t.Fatalf("%d verdicts, want 2", len(got))
		}
		for i, want := range []*sources.AppEntry{hungA, hungB} {
			v := got[i]
			if len(v.AppLines) != 1 || v.AppLines[0] != want || v.Cause != UpstreamTimeout || v.Confidence != Low {
				var at []string
				for _, a := range v.AppLines {
					at = append(at, a.Time.Sub(t0).String())
				}
				t.Errorf("advance %v, 504 %d: %s/%s with app lines at %v; want upstream_timeout/low with the start at %v",
					advance, i, v.Cause, v.Confidence, at, want.Time.Sub(t0))
			}
		}
	}
}
