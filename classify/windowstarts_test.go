package classify

import (
	"strings"
	"testing"
	"time"

	"fivexx/sources"
)

// The time window takes no start line of another request for a 502
// (windowstarts.go): not for one the proxy never connected for, not one
// stamped after the 502 ended, not one whose end was set aside as a
// request's the proxy answered 200. Each case joined that start before,
// and the 502 read "logged the start … but no end": upstream_reset.
func TestWindowTakesNoOtherStart(t *testing.T) {
	const addr = "127.0.0.1:9101"
	start := func(sec float64) *sources.AppEntry {
		return appLine(sec, sources.PhaseStart, "", 0, "info", "request started")
	}
	end := func(sec float64, status int, dur float64) *sources.AppEntry {
		a := appLine(sec, sources.PhaseEnd, "", status, "info", "request finished")
		a.Duration = dur
		return a
	}
	reset := func(sec float64) *sources.ProxyEntry {
		e := upstreamEntry(sec, 502, addr, "502", "-", "")
		e.RequestTime = 0.3
		return e
	}
	refused := func(sec float64) *sources.ProxyEntry {
		e := upstreamEntry(sec, 502, addr, "502", "-", "")
		e.UpstreamConnect = []string{"-"}
		e.RequestTime = 0.001
		return e
	}
	ok := func(sec float64) *sources.ProxyEntry { return upstreamEntry(sec, 200, addr, "200", "0.050", "") }
	wholeSecond := func(e *sources.ProxyEntry) *sources.ProxyEntry {
		e.Time = e.Time.Truncate(time.Second)
		return e
	}
	ownStart, ownStart2 := start(1.75), start(1.6)
	tests := []struct {
		name string
		recs []sources.Record
		want []*sources.AppEntry // the 502's app lines
	}{
		{"never connected", []sources.Record{
			start(1.9), refused(2), // a request that started as the 502 was refused
		}, nil},
		{"started after the 502's whole second", []sources.Record{
			wholeSecond(reset(1.3)), start(2.463),
		}, nil},
		{"its own start in its whole second, beside a log of fractions", []sources.Record{
			ok(0.5), ownStart2, wholeSecond(reset(1.3)),
		}, []*sources.AppEntry{ownStart2}},
		{"start of a request the proxy answered 200", []sources.Record{
			reset(2), start(2.1), end(2.15, 200, -1), ok(2.15),
		}, nil},
		{"a late end whose duration closes no start here", []sources.Record{
			ownStart, reset(2.05), start(2.2), end(2.22, 200, 0.02), ok(2.22), end(2.6, 200, 5),
		}, []*sources.AppEntry{ownStart}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var v *Verdict
			for _, x := range judgeAll(t, tc.recs...) {
				if x.Entry.Status == 502 {
					v = x
				}
			}
			if v == nil {
				t.Fatal("no verdict for the 502")
			}
			if len(v.AppLines) != len(tc.want) {
				t.Fatalf("502 %s/%s, app lines %v; want %d: %v", v.Cause, v.Confidence, lineTimes(v.AppLines), len(tc.want), lineTimes(tc.want))
			}
			for i := range tc.want {
				if v.AppLines[i] != tc.want[i] {
					t.Errorf("app line %d at %v, want the one at %v", i, v.AppLines[i].Time.Sub(t0), tc.want[i].Time.Sub(t0))
				}
			}
		})
	}
}

// lineTimes are app lines' times after t0, for messages.
func lineTimes(lines []*sources.AppEntry) []time.Duration {
	var out []time.Duration
	for _, a := range lines {
		out = append(out, a.Time.Sub(t0))
	}
	return out
}

// The evidence prints an app's time in the proxy line's offset, with the
// app log's own beside it when that differs: an app logging UTC beside an
// access log at +0100 read "logged the start at 07:10:01.700" under a 502
// the report shows at 08:10:02.
func TestAppTimeInProxyOffset(t *testing.T) {
	plus1 := time.FixedZone("", 3600)
	e := upstreamEntry(2, 502, "127.0.0.1:9101", "502", "-", "")
	e.RequestTime = 0.3
	e.Time = e.Time.In(plus1)
	for _, tc := range []struct {
		name string
		zone *time.Location
		want string
	}{
		{"app in UTC", time.UTC, "app: logged the start at 08:10:01.700 (07:10:01.700 in its log) but no end"},
		{"app at +0100", plus1, "app: logged the start at 08:10:01.700 but no end"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a := appLine(1.7, sources.PhaseStart, "", 0, "info", "request started")
			a.Time = a.Time.In(tc.zone)
			got := judgeAll(t, a, e)
			if len(got) != 1 {
				t.Fatalf("%d verdicts, want 1", len(got))
			}
			found := false
			for _, l := range got[0].Evidence {
				found = found || strings.HasPrefix(l, tc.want)
			}
			if !found {
				t.Errorf("evidence %q; want a line starting %q", got[0].Evidence, tc.want)
			}
		})
	}
}
