package main

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"
)

// TestLimitStatus429FromQA: real nginx 1.22.1 with limit_req_status 429 on
// /lim (testdata/limit429: nginx.conf.txt, traffic.sh.txt). 32 requests
// were limited (429, each with its "limiting requests" line); the app
// answered 503 four times itself, and reset four. The limiter's lines are
// the 429s': the app's 503s were proxy_rejected high, "limiting requests"
// beside "app: finished with 503". With the upstream-rich log and with
// combined only, each status gets the cause nginx's own fields say.
func TestLimitStatus429FromQA(t *testing.T) {
	inZone(t, "UTC")
	dir := filepath.Join("testdata", "limit429")
	want := map[string]int{
		"/lim/a 502 upstream_reset": 4, "/lim/a 503 app_unavailable": 4,
		"/long/x?s=6 500 app_error": 3, "/long/x?s=6 504 upstream_timeout": 3,
		"/retry/x?s=2 500 app_error": 17, "/retry/x?s=2 502 upstream_reset": 26,
		"/retry/x?s=2 503 app_unavailable": 9, "/retry/x?s=2 504 upstream_timeout": 13,
	}
	for _, access := range []string{"access.log", "combined.log"} {
		t.Run(access, func(t *testing.T) {
			evs, _ := reportEvents(t, filepath.Join(dir, access), filepath.Join(dir, "error.log"), filepath.Join(dir, "app.log"))
			got := map[string]int{}
			for _, ev := range evs {
				got[fmt.Sprint(ev.Path, " ", ev.Status, " ", ev.Cause)]++
				for _, x := range ev.Evidence {
					if strings.Contains(x, "limiting requests") {
						t.Errorf("%s %d %s took a 429's limiter line: %q", ev.Path, ev.Status, ev.Cause, ev.Evidence)
					}
				}
			}
			if fmt.Sprint(got) != fmt.Sprint(want) {
				t.Errorf("causes\n%v\nwant\n%v", got, want)
			}
		})
	}
}

// TestRetried504sKeepBothAttemptsLines: the limit429 recording's 13
// 504s retried once (us="504, 504", a second per attempt) each have two
// timed-out lines, by one serial, 1 s apart. Each takes two: the nearest
// line of a 504's second can be the first attempt of a request of the
// next second, whose serial has one line in the 504's reach (QA s29
// regression: 10 of the 13 had one line, 19 lines cited of 29).
func TestRetried504sKeepBothAttemptsLines(t *testing.T) {
	inZone(t, "UTC")
	dir := filepath.Join("testdata", "limit429")
	// combined.log lists no attempts: its 504s of /retry/x?s=2 are the 13.
	for _, access := range []string{"access.log", "combined.log"} {
		t.Run(access, func(t *testing.T) {
			evs, _ := reportEvents(t, filepath.Join(dir, access), filepath.Join(dir, "error.log"))
			retried := 0
			for _, ev := range evs {
				if ev.Status != 504 || ev.Path != "/retry/x?s=2" {
					continue
				}
				retried++
				n := 0
				for _, s := range ev.Evidence {
					if strings.HasPrefix(s, "error log: upstream timed out") {
						n++
					}
				}
				if n != 2 || ev.Cause != "upstream_timeout" || ev.Confidence != "high" {
					t.Errorf("%s %s: %s %s with %d timed-out lines, want upstream_timeout high with its two", ev.Time, ev.RequestID, ev.Cause, ev.Confidence, n)
				}
			}
			if retried != 13 {
				t.Errorf("%d retried 504s, want the recording's 13", retried)
			}
		})
	}
}

// TestRetryFailuresEachCiteTheirStart: the limit429 recording's 26 reset
// 502s and 13 timed-out 504s of /retry/x?s=2 each left the app a start
// without an end (39, one each, by request id in the app's log only). With
// the combined log each failure cites one of them, none twice. The app's
// own 500s of those seconds, which no error line explains, took the
// start lines a 502 fitted alike although their own "finished with 500"
// waited: seven 502s cited none, the 504s the starts of 42.9 the 502s
// needed (app_coverage 1 -> 0.696, classify needsLine).
func TestRetryFailuresEachCiteTheirStart(t *testing.T) {
	inZone(t, "UTC")
	dir := filepath.Join("testdata", "limit429")
	evs, _ := reportEvents(t, filepath.Join(dir, "combined.log"), filepath.Join(dir, "error.log"), filepath.Join(dir, "app.log"))
	failures := 0
	cited := map[string]string{} // start stamp -> the 5xx citing it
	// The evidence says a start's millisecond, and two start lines of
	// /retry/x share one now and then (09:56:42.927258 and .927638): a
	// stamp may be cited as often as start lines carry it.
	carried := map[string]int{}
	for _, l := range readFileLines(t, []string{filepath.Join(dir, "app.log")}, "app.log") {
		if strings.Contains(l, `"request started"`) && strings.Contains(l, `"/retry/x"`) {
			if _, rest, ok := strings.Cut(l, `"time": "`); ok && len(rest) >= len("2006-01-02T15:04:05.000") {
				carried[rest[len("2006-01-02T"):len("2006-01-02T15:04:05.000")]]++
			}
		}
	}
	citedTimes := map[string]int{}
	for _, ev := range evs {
		if ev.Path != "/retry/x?s=2" || ev.Status != 502 && ev.Status != 504 {
			continue
		}
		failures++
		this := fmt.Sprint(ev.Time, " ", ev.Status)
		start := ""
		for _, x := range ev.Evidence {
			if s, ok := strings.CutPrefix(x, "app: logged the start at "); ok {
				start, _, _ = strings.Cut(s, " ")
			}
		}
		switch {
		case start == "":
			t.Errorf("%s cites no start: %q", this, ev.Evidence)
		case citedTimes[start] >= max(carried[start], 1):
			t.Errorf("%s cites the start at %s, as %s does (%d start lines at that millisecond)", this, start, cited[start], carried[start])
		default:
			cited[start] = this
			citedTimes[start]++
		}
	}
	if failures != 39 {
		t.Errorf("%d failures of /retry/x?s=2, want the recording's 39 (26 502s, 13 504s)", failures)
	}
}
