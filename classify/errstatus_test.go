package classify

import (
	"fmt"
	"math/rand"
	"strings"
	"testing"

	"fivexx/sources"
)

// combinedEntry is an access entry of the combined format: no upstream
// fields, no request id.
func combinedEntry(sec float64, status int) *sources.ProxyEntry {
	e := upstreamEntry(sec, status, "", "", "", "")
	e.UpstreamAddr, e.UpstreamStatus, e.UpstreamHeader, e.UpstreamConnect, e.UpstreamResponse = nil, nil, nil, nil, nil
	e.UpstreamStatusRaw, e.Upstream, e.UpstreamContacted, e.UpstreamAnswered, e.Fields = "", "", sources.Unknown, sources.Unknown, 0
	e.Raw = fmt.Sprintf("access %d", status)
	return e
}

// TestLineGoesToAStatusItMakes: of several 5xx of one client, method,
// path and second, an error line goes to one whose status its reason
// makes (errstatus.go): a reset to the 502, not to the app's 500 or 503
// logged before it; a timeout to the 504 (us=504 uht=-), not the 502;
// with no such 5xx waiting, to any as before. Through the scan and the
// index alike.
func TestLineGoesToAStatusItMakes(t *testing.T) {
	const (
		reset   = "recv() failed (104: Connection reset by peer) while reading response header from upstream"
		timeout = "upstream timed out (110: Connection timed out) while reading response header from upstream"
	)
	resetLine := func(sec float64, conn string) *sources.ProxyError {
		x := errLine(sec, sources.ReasonReset, reset)
		x.Conn, x.Raw = conn, "error reset *"+conn
		return x
	}
	timeoutLine := func(sec float64, conn string) *sources.ProxyError {
		x := errLine(sec, sources.ReasonReadTimeout, timeout)
		x.Conn, x.Raw = conn, "error timeout *"+conn
		return x
	}
	// want: each 5xx's status, cause and lines taken, in verdict order.
	tests := []struct {
		name string
		recs []sources.Record
		want []string
	}{
		{
			name: "combined: the app's 500 and 503 before the 502",
			recs: []sources.Record{resetLine(0.2, "7"), combinedEntry(0.1, 500), combinedEntry(0.2, 503), combinedEntry(0.3, 502)},
			want: []string{"500 unknown", "503 unknown", "502 upstream_reset [error reset *7]"},
		},
		{
			name: "upstream fields: a 504 of us=504 uht=- nearer the reset line",
			recs: []sources.Record{
				timeoutLine(0.1, "3"), resetLine(0.5, "9"),
				upstreamEntry(0.5, 504, "10.0.0.1:8080", "504", "-", ""), upstreamEntry(0.6, 502, "10.0.0.1:8080", "502", "-", ""),
			},
			want: []string{"504 upstream_timeout [error timeout *3]", "502 upstream_reset [error reset *9]"},
		},
		{
			name: "a retry the access line lists: 504 after 502",
			recs: []sources.Record{
				resetLine(0.1, "4"), timeoutLine(0.5, "4"), resetLine(0.5, "5"),
				func() *sources.ProxyEntry {
					e := upstreamEntry(0.5, 504, "10.0.0.1:8080", "502", "-", "")
					e.UpstreamAddr, e.UpstreamStatus, e.UpstreamStatusRaw = []string{"10.0.0.1:8080", "10.0.0.2:8080"}, []string{"502", "504"}, "502, 504"
					e.UpstreamHeader = []string{"-", "-"}
					return e
				}(),
				upstreamEntry(0.5, 502, "10.0.0.1:8080", "502", "-", ""),
			},
			want: []string{"504 upstream_timeout [error reset *4] [error timeout *4]", "502 upstream_reset [error reset *5]"},
		},
		{
			name: "no 5xx the line can explain: the 500 takes it",
			recs: []sources.Record{resetLine(0.1, "7"), combinedEntry(0.2, 500)},
			want: []string{"500 upstream_reset [error reset *7]"},
		},
	}
	for _, tt := range tests {
		judgeEveryWay(t, tt.name, func() []sources.Record { return tt.recs }, tt.want, func(v *Verdict) string {
			return fmt.Sprintf("%d %s", v.Entry.Status, v.Cause)
		})
	}
}

// statusBurstRecords is a burst of one client on one path whose 5xx have
// mixed statuses (the app's 500 and 503, nginx's 502 and 504, a 504 retried
// after a 502) and whose lines make mixed statuses (refused and reset:
// 502, timed out: 504, limiting: 503, Caddy's with the status logged,
// warnings: any), over 1 to 3 s at tenths of seconds; a third of the 5xx
// have no upstream fields (combined), a few a serial or a client port.
// Records are new on each call.
func statusBurstRecords(seed int64, n int) []sources.Record {
	r := rand.New(rand.NewSource(seed))
	tenths := 10 + int(seed%3)*10
	var recs []sources.Record
	serial := 0
	for i := 0; i < n; i++ {
		if r.Intn(5) > 0 || serial == 0 {
			serial++
		}
		sec := float64(r.Intn(tenths)) / 10
		var x *sources.ProxyError
		switch k := r.Intn(20); {
		case k < 6:
			x = errLine(sec, sources.ReasonRefused, "connect() failed (111: Connection refused)")
		case k < 11:
			x = errLine(sec, sources.ReasonReset, "recv() failed (104: Connection reset by peer)")
		case k < 16:
			x = errLine(sec, sources.ReasonReadTimeout, "upstream timed out (110: Connection timed out)")
		case k < 18:
			x = errLine(sec, sources.ReasonRateLimited, `limiting requests, excess: 5.200 by zone "one"`)
		case k < 19:
			x = errLine(sec, sources.ReasonNoLiveUpstreams, "no upstreams available")
			x.Status = 503 // Caddy's
		default:
			x = errLine(sec, sources.ReasonNone, "upstream server temporarily disabled")
		}
		if r.Intn(12) > 0 {
			x.Conn = fmt.Sprint(serial)
		}
		if r.Intn(15) == 0 {
			x.ClientPort = "5000"
		}
		x.Raw = fmt.Sprintf("error %d %s *%s", i, x.Message, x.Conn)
		recs = append(recs, x)
	}
	statuses := []int{500, 502, 502, 503, 504, 504}
	for i := 0; i < n; i++ {
		status := statuses[r.Intn(len(statuses))]
		sec := float64(r.Intn(tenths)) / 10
		var e *sources.ProxyEntry
		switch k := r.Intn(6); {
		case k < 2:
			e = combinedEntry(sec, status)
		case k == 2 && status == 504:
			e = upstreamEntry(sec, 504, "10.0.0.1:8080", "502", "-", "")
			e.UpstreamAddr, e.UpstreamStatus, e.UpstreamStatusRaw = []string{"10.0.0.1:8080", "10.0.0.2:8080"}, []string{"502", "504"}, "502, 504"
			e.UpstreamHeader = []string{"-", "-"}
		default:
			uht := "-"
			if status == 500 || status == 503 {
				uht = "0.010"
			}
			e = upstreamEntry(sec, status, "10.0.0.1:8080", fmt.Sprint(status), uht, "")
		}
		e.RequestTime = float64(r.Intn(1500)) / 1000
		if r.Intn(10) == 0 {
			e.Conn = fmt.Sprint(1 + r.Intn(serial))
		}
		if r.Intn(15) == 0 {
			e.ClientPort = "5000"
		}
		e.Raw = fmt.Sprintf("access %d", i)
		recs = append(recs, e)
	}
	sortRecords(recs)
	return recs
}

// TestStatusBurstIndexChoosesAsTheScan is TestErrIndexChoosesAsTheScan for
// bursts of mixed statuses, where lines go first to a 5xx whose status
// they make: the same lines to the same 5xx, the same guesses. Under the
// race detector the first burstSeeds seeds, as in
// TestMixedBurstIndexChoosesAsTheScan.
func TestStatusBurstIndexChoosesAsTheScan(t *testing.T) {
	cases := map[string]func() []sources.Record{}
	for seed := int64(1); seed <= burstSeeds(); seed++ {
		cases[fmt.Sprintf("seed %02d", seed)] = func() []sources.Record { return statusBurstRecords(seed, 120) }
	}
	left := 0
	guesses := indexChoosesAsTheScan(t, cases, func(v *Verdict) {
		if v.Entry.Status == 500 && len(v.ErrorLines) == 0 {
			left++
		}
	})
	if guesses < 50 || left < 50 {
		t.Errorf("%d verdicts were guesses, %d 500s took no line: the cases hardly reach the rules", guesses, left)
	}
	t.Logf("%d seeds: %d guesses, %d 500s took no line", len(cases), guesses, left)
}

// judgeEveryWay judges recs (made afresh for each run) through the scan
// and through the index, each with and without Advance between records,
// and requires the verdicts, each as head says and its error lines after
// it, to be want.
func judgeEveryWay(t *testing.T, name string, recs func() []sources.Record, want []string, head func(v *Verdict) string) {
	t.Helper()
	defer func(n int) { indexFrom = n }(indexFrom)
	for _, from := range []int{1 << 30, 1} {
		for _, advance := range []bool{false, true} {
			t.Run(fmt.Sprintf("%s/index=%v/advance=%v", name, from == 1, advance), func(t *testing.T) {
				indexFrom = from
				var got []string
				for _, v := range judgeRecords(advance, recs()...) {
					s := head(v)
					for _, x := range v.ErrorLines {
						s += " [" + x.Raw + "]"
					}
					got = append(got, s)
				}
				if strings.Join(got, "\n") != strings.Join(want, "\n") {
					t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
				}
			})
		}
	}
}
