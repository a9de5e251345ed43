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
