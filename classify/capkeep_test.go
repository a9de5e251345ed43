package classify_test

import (
	"context"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

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
		// judges a closed window first is tested on lines no 5xx has taken
		// yet (TestLineCapOfWaitingLinesJudgesClosedWindowsFirst).
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

// capHeldFiles are lines of the same formats, written for the cap: a 200
// each second (its app line after its access line, so never held) and
// what a report holds, none of it taken yet:
//   - 11:12:08.5, an app line of a health check the app answered itself
//     (a request id no access line answers), and 11:12:09, the error line
//     of a request nginx retried after a premature close and answered 200
//     (`us="502, 200"`): held, and no 5xx takes them;
//   - the reset 502 /api/a at 11:12:10: its error line and its app's start
//     line (its id);
//   - /api/b and /api/c, whose error lines (11:12:13) come a second before
//     their access lines (11:12:14, rt=1.200 and 0.900); /api/b's app start
//     line (11:12:13.1) too, /api/c has none;
//   - /api/d at 11:12:17, its error line and its app's start line.
func capHeldFiles() []string {
	var paths []string
	for _, f := range []string{"access.log", "error.log", "app.log"} {
		paths = append(paths, filepath.Join("testdata", "capheld", f))
	}
	return paths
}

// A full line cap judges the oldest waiting 5xx whose window has closed
// before it cuts a line of that window, also where the lines filling it are
// ones no 5xx has taken yet: a report lets a taken error line go at once
// (errrelease.go), and TestLineCapJudgesAClosedWindowBeforeCuttingIt's
// sample no longer reaches the cap with them. /api/a's window closes at
// 11:12:13, two seconds before its grace ends, and /api/b's and /api/c's
// error lines come then: at cap 3 (the health check's line already cut as
// /api/a's lines came) the first of them fills the cap, /api/a is judged
// there on its own lines, and only then does the cap cut, the retried
// request's error line, not /api/b's; at cap 4 /api/a is judged at the same
// line and the two lines no 5xx wants are cut after it. /api/b's window
// closes at 11:12:17 as /api/d's lines come: it is judged early too.
// Without the judging first the cap cuts /api/a's and /api/b's error lines
// (upstream_refused low, or upstream_reset medium by the app line alone).
//
// A report holds no line that no 5xx takes but the health check's and the
// retried request's: with every 5xx's own error line and app line in its
// verdict, AppLines 1 and Errors 1 are those two. A timeline engine
// (replay, live) holds every line, taken ones too, for its timelines, so
// its cap is scaled: 12 is the least at which every window's lines fit.
// After judging it cuts the taken lines (/api/a's, /api/b's and /api/c's
// error and app lines), the two no 5xx wants and the answered requests' app
// lines kept for timelines: Errors 4, AppLines 20 (19 at cap 14).
//
// The engine advances after every line (a report does after every 256
// records, more than this sample has), so the cap is weighed as each
// line comes.
func TestLineCapOfWaitingLinesJudgesClosedWindowsFirst(t *testing.T) {
	names := []string{"access.log", "error.log", "app.log"}
	for _, tc := range []struct {
		name     string
		timeline bool
		maxLines int
		// made says when each 5xx was judged: early (the line cap, before
		// its grace ended), after its grace, or at the end of the input,
		// with the line whose Advance judged it.
		made    []string
		dropped classify.Dropped
	}{
		{"report/cap-3", false, 3, []string{
			"/api/a early at 11:12:13.000 error.log",
			"/api/b early at 11:12:17.000 error.log",
			"/api/c after its grace at 11:12:19.000 access.log",
			"/api/d at the end",
		}, classify.Dropped{AppLines: 1, Errors: 1}},
		{"report/cap-4", false, 4, []string{
			"/api/a early at 11:12:13.000 error.log",
			"/api/b early at 11:12:17.100 app.log",
			"/api/c after its grace at 11:12:19.000 access.log",
			"/api/d at the end",
		}, classify.Dropped{AppLines: 1, Errors: 1}},
		{"timeline/cap-12", true, 12, []string{
			"/api/a early at 11:12:13.000 error.log",
			"/api/b early at 11:12:17.000 access.log",
			"/api/c early at 11:12:17.000 access.log",
			"/api/d at the end",
		}, classify.Dropped{AppLines: 20, Errors: 4}},
		{"timeline/cap-14", true, 14, []string{
			"/api/a early at 11:12:13.000 access.log",
			"/api/b early at 11:12:17.000 error.log",
			"/api/c early at 11:12:17.000 error.log",
			"/api/d at the end",
		}, classify.Dropped{AppLines: 19, Errors: 4}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ins := utcInputs(capHeldFiles())
			var made []string
			var line string   // the line whose Advance judges: its time and file
			var now time.Time // its log time; zero at the end of the input
			apps := map[string]int{"/api/a": 1, "/api/b": 1, "/api/c": 0, "/api/d": 1}
			const grace = 5 * time.Second
			eng := classify.NewEngine(classify.Config{Inputs: ins, Grace: grace, MaxLines: tc.maxLines, Timeline: tc.timeline, OnVerdict: func(v *classify.Verdict) {
				e := v.Entry
				switch {
				case now.IsZero():
					made = append(made, e.Path+" at the end")
				case now.Before(e.Time.Add(grace)):
					made = append(made, e.Path+" early at "+line)
				default:
					made = append(made, e.Path+" after its grace at "+line)
				}
				if v.Cause != classify.UpstreamReset || v.Confidence != classify.High {
					t.Errorf("%s: %s %s, want upstream_reset high", e.Path, v.Cause, v.Confidence)
				}
				if len(v.ErrorLines) != 1 || v.ErrorLines[0].Conn != e.Conn {
					t.Errorf("%s: %d error lines, want its own (*%s): the cap cut it", e.Path, len(v.ErrorLines), e.Conn)
				}
				if n := apps[e.Path]; len(v.AppLines) != n || n > 0 && v.MatchedBy != "request_id" {
					t.Errorf("%s: %d app lines by %q, want %d by its request id", e.Path, len(v.AppLines), v.MatchedBy, n)
				}
			}})
			for _, err := range sources.MergeRuns(context.Background(), ins, func(run []sources.Item) {
				for i := range run {
					now = run[i].Rec.RecordTime()
					line = now.UTC().Format("15:04:05.000") + " " + names[run[i].Input.Index]
					eng.FeedRun(run[i : i+1])
					eng.Advance()
				}
			}) {
				if err != nil {
					t.Fatal(err)
				}
			}
			now = time.Time{}
			eng.Flush()
			d := eng.Publish(true).Dropped
			if !reflect.DeepEqual(made, tc.made) {
				t.Errorf("verdicts made\n%s\nwant\n%s", strings.Join(made, "\n"), strings.Join(tc.made, "\n"))
			}
			if d != tc.dropped {
				t.Errorf("dropped %+v, want %+v", d, tc.dropped)
			}
		})
	}
}
