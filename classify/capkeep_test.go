package classify_test

import (
	"context"
	"path/filepath"
	"testing"

	"fivexx/classify"
	"fivexx/sources"
)

// capKeepFiles are real-format lines of the QA's load generator (session
// 23, qa/tui repro from-start-evicts-error-lines, `run.sh 10000 20s`): an
// nginx upstreaminfo access log, its error log and a JSON app log with
// request ids, every 293rd request of 20 s. Each 502's error-log line says
// "recv() failed (104: Connection reset by peer)".
func capKeepFiles() []string {
	var paths []string
	for _, f := range []string{"access.log", "error.log", "app.log"} {
		paths = append(paths, filepath.Join("testdata", "capkeep", f))
	}
	return paths
}

// The line cap never cuts the error-log line of a 5xx whose window has
// closed and which still waits for its grace: the 5xx is judged first, on
// every line it can have. At 100,000 requests a second the report's cap
// (200,000 lines, 5 s grace) cut the error lines of 5,669 of 11,927 reset
// 502s before their verdict, which then said upstream_refused, low ("no
// error-log line joined"). Here the cap is scaled to the sample's rate.
func TestLineCapJudgesAClosedWindowBeforeCuttingIt(t *testing.T) {
	for _, maxLines := range []int{3, 4} {
		ins := utcInputs(capKeepFiles())
		causes := map[string]int{}
		eng := classify.NewEngine(classify.Config{Inputs: ins, Grace: 5e9, MaxLines: maxLines, OnVerdict: func(v *classify.Verdict) {
			if v.Entry.Status == 502 {
				causes[string(v.Cause)+" "+string(v.Confidence)]++
			}
		}})
		for _, err := range sources.MergeRuns(context.Background(), ins, eng.FeedRun) {
			if err != nil {
				t.Fatal(err)
			}
		}
		eng.Flush()
		d := eng.Publish(true).Dropped
		// A report now lets go of an error line once its 5xx took it, and
		// of an answered request's app lines (errrelease.go, release.go):
		// at these caps nothing is left for the cap to cut, where the
		// taken error lines it cut (counted in Errors) were what made this
		// sample reach it. The verdicts must stay right; that the cap
		// judges a closed window first wants a sample that still fills
		// it (not made yet).
		if d.Errors != 0 || d.Short != 0 {
			t.Errorf("cap %d: lines a verdict may need were cut (%+v)", maxLines, d)
		}
		if causes["upstream_reset high"] != 12 || len(causes) != 1 {
			t.Errorf("cap %d: the 12 reset 502s were judged %v; want upstream_reset high 12 (dropped %+v)", maxLines, causes, d)
		}
	}
}

// "N 5xx may be guesses" (Dropped.Short) counts only verdicts whose
// deciding lines the cap may have cut: none with its own error-log line,
// none with the app's line joined by request id. Live at 30,000 lines/s it
// said 17,674 of 31,207, every one of them high and as the report judged
// it; the one verdict here that lost its line (a reset 502 whose error
// line the cap cut before its window closed, now upstream_refused low)
// must be the only one counted.
func TestMayBeGuessesCountsOnlyVerdictsThatLostTheirLines(t *testing.T) {
	ins := utcInputs(capKeepFiles())
	lost := 0
	eng := classify.NewEngine(classify.Config{Inputs: ins, Grace: 5e9, MaxLines: 2, OnVerdict: func(v *classify.Verdict) {
		if len(v.ErrorLines) == 0 && !(len(v.AppLines) > 0 && v.MatchedBy == "request_id") {
			lost++
		}
	}})
	for _, err := range sources.MergeRuns(context.Background(), ins, eng.FeedRun) {
		if err != nil {
			t.Fatal(err)
		}
	}
	eng.Flush()
	d := eng.Publish(true).Dropped
	if lost == 0 || d.Errors == 0 {
		t.Fatalf("no verdict lost its lines (%+v): the test no longer tests the cap", d)
	}
	if d.Short != int64(lost) {
		t.Errorf("%d 5xx counted as judged short, want %d: those without an error-log line or an id join (dropped %+v)", d.Short, lost, d)
	}
}
