package classify

import (
	"fmt"
	"testing"

	"fivexx/sources"
)

// TestRetriedSerialBesideTheAppsOwn502 is what real nginx 1.22 wrote in
// QA s29's recordings (cmd/fivexx/testdata/qa29-combined, ngB and ngB2):
// a combined access log (no upstream fields, no $connection), one client
// and path, and a serial's two reset lines (a request retried after a
// kept-alive upstream connection closed) in the second of another reset
// 502 and the app's own 502. The app's "finished with 502" says it
// answered one of those 502s itself: fewer failed than there are lines,
// so the serial's lines are one request's retries and go together to one
// 502, and the app's line to the 502 they leave (retriedShare,
// failuresShort). They were shared out one each: the app's own 502 came
// out upstream_reset high. Without the app's log nothing tells: shared
// out as before. Through the scan and the index alike.
func TestRetriedSerialBesideTheAppsOwn502(t *testing.T) {
	const reset = "upstream prematurely closed connection while reading response header from upstream"
	resetLine := func(sec float64, conn string) *sources.ProxyError {
		x := errLine(sec, sources.ReasonReset, reset)
		x.Conn, x.Raw = conn, "reset *"+conn
		return x
	}
	access := func(sec float64) *sources.ProxyEntry {
		e := combinedEntry(sec, 502)
		e.RequestTime = -1 // combined logs none
		return e
	}
	// ngB's 02:53:02: *160 twice, *162 once, three 502s; the app started
	// three requests it never finished and answered one 502 itself,
	// started, failed and finished in one millisecond.
	ngB := func(app bool) []sources.Record {
		recs := []sources.Record{resetLine(2, "160"), resetLine(2, "160"), resetLine(2, "162"), access(2), access(2), access(2)}
		if app {
			recs = append(recs, stampLine(2176, "S1"), stampLine(2178, "S2"), stampLine(2530, "S3"),
				stampLine(2885, "S4"), stampLine(2885, "E4"), stampLine(2885, "F4"))
		}
		return recs
	}
	// ngB2's 02:52:31 and :32: the retried 502 of :31, the app's own 502
	// of :32 (its end at .351), which the lines of :31 reach.
	ngB2 := func(app bool) []sources.Record {
		recs := []sources.Record{resetLine(31, "138"), resetLine(31, "138"), access(31), access(32)}
		if app {
			recs = append(recs, stampLine(31997, "S1"), stampLine(32351, "S2"), stampLine(32351, "F2"))
		}
		return recs
	}
	head := func(v *Verdict) string { return fmt.Sprintf("%d %s %s", v.Entry.Status, v.Cause, v.Confidence) }
	tests := []struct {
		name string
		recs func() []sources.Record
		want []string
	}{
		{"ngB with the app's log: the retried serial's lines together, the app's 502 its own",
			func() []sources.Record { return ngB(true) },
			[]string{"502 upstream_reset medium [reset *160] [reset *160]", "502 upstream_reset medium [reset *162]", "502 app_error low"}},
		{"ngB without it: shared out",
			func() []sources.Record { return ngB(false) },
			[]string{"502 upstream_reset high [reset *160]", "502 upstream_reset high [reset *160]", "502 upstream_reset high [reset *162]"}},
		{"ngB2 with the app's log: the 502 of :31 takes both, nearer than the app's 502 of :32",
			func() []sources.Record { return ngB2(true) },
			[]string{"502 upstream_reset high [reset *138] [reset *138]", "502 app_error low"}},
		{"ngB2 without it: shared out",
			func() []sources.Record { return ngB2(false) },
			[]string{"502 upstream_reset high [reset *138]", "502 upstream_reset high [reset *138]"}},
	}
	for _, tt := range tests {
		judgeEveryWay(t, tt.name, tt.recs, tt.want, head)
	}
}
