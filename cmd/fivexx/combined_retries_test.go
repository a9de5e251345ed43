package main

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// combinedTruth is what each second of a combined access log holds, by
// its 502s' body size: 157 bytes is nginx 1.22's own 502 page (a reset:
// its error line says which), 18 the app's own 502 ("bad gateway
// (app)\n"), as QA's fault app sent them.
func combinedTruth(t *testing.T, access string) map[string]map[string]int {
	t.Helper()
	b, err := os.ReadFile(access)
	if err != nil {
		t.Fatal(err)
	}
	line := regexp.MustCompile(`\[\d+/\w+/\d+:(\d\d:\d\d:\d\d) [^\]]*\] "[^"]*" 502 (\d+)`)
	truth := map[string]map[string]int{}
	for _, m := range line.FindAllStringSubmatch(string(b), -1) {
		cause := "app_error"
		if m[2] == "157" {
			cause = "upstream_reset"
		}
		if truth[m[1]] == nil {
			truth[m[1]] = map[string]int{}
		}
		truth[m[1]][cause]++
	}
	return truth
}

// TestCombinedErrorLinesGoToTheirOwn502 is QA s29's finding 1 on what
// real nginx 1.22 wrote (testdata/qa29-combined): the stock combined
// access log and the error log, one client, one path, nginx resetting
// some requests (a line each, two when it retried after a kept-alive
// upstream connection had closed) while the app answered others 502
// itself. The lines went to the wrong 502s, so the app's own 502s came
// out upstream_reset high: min3's retried 502 of :00 left its second
// line to an app 502 of :01 (3 resets for 2), and min2's line of :25 was
// taken by a 502 of :24 (nginx writes a request's error line before its
// access line, so a line stamped later is another request's). When only
// the logs' order chose which 502 got a line (two 502s of one second,
// one line), the verdict is medium and says so; the app's 502 line goes
// to the 502 no error line explains.
func TestCombinedErrorLinesGoToTheirOwn502(t *testing.T) {
	inZone(t, "UTC")
	const guess = "which 5xx this error line is about is a guess: "
	tests := []struct {
		dir string
		app bool
		// wrong is the most seconds' counts that may differ from the
		// truth: without the app's log, a serial's two lines of one
		// second, beside an app 502 of that second, are still shared out
		// (one request's retries, or two requests of one keep-alive
		// connection: the access log logs no $connection to tell); with
		// it, the app's "finished with 502" says fewer failed than there
		// are lines, and they stay together (classify retriedShare).
		wrong int
	}{
		{"min3", false, 0},
		{"min2", true, 0},
		{"min", true, 0},
		{"ngB", false, 5},
		{"ngB", true, 0},
		{"ngB2", false, 4},
		{"ngB2", true, 0},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%s app=%v", tt.dir, tt.app), func(t *testing.T) {
			dir := filepath.Join("testdata", "qa29-combined", tt.dir)
			args := []string{filepath.Join(dir, "access.log"), filepath.Join(dir, "error.log")}
			if tt.app {
				args = append(args, filepath.Join(dir, "app.log"))
			}
			evs, _ := reportEvents(t, args...)
			got := map[string]map[string]int{}
			for _, ev := range evs {
				sec := ev.Time[11:19]
				if got[sec] == nil {
					got[sec] = map[string]int{}
				}
				got[sec][ev.Cause]++
			}
			truth := combinedTruth(t, args[0])
			wrong := 0
			for sec, want := range truth {
				for cause, n := range want {
					if d := n - got[sec][cause]; d > 0 {
						wrong += d
						t.Logf("%s: %v, truth %v", sec, got[sec], want)
					}
				}
			}
			if wrong > tt.wrong {
				t.Errorf("%d 502s judged wrong, want at most %d", wrong, tt.wrong)
			}
			if tt.wrong > 0 {
				return
			}
			for _, ev := range evs {
				shared := slices.ContainsFunc(ev.Evidence, func(x string) bool { return strings.HasPrefix(x, guess) })
				if ev.Cause == "upstream_reset" && ev.Confidence == "high" && shared {
					t.Errorf("%s: high with %q", ev.Time, ev.Evidence)
				}
				if ev.Cause == "app_error" && slices.ContainsFunc(ev.Evidence, func(x string) bool { return strings.HasPrefix(x, "app: finished with 200") }) {
					t.Errorf("%s: the app's 502 cites the next request's line: %q", ev.Time, ev.Evidence)
				}
			}
		})
	}
}

// TestOrderChosenLineIsMedium: QA s29 finding 2 (testdata/qa29-combined/
// min): two 502s of one second and one reset line, no $connection. Which
// 502 the line explains only the logs' order chose: not high, and it
// says so; the app's "finished with 502" goes to the other 502, which no
// error line explains (it cited the next request's "finished with 200",
// and the reset 502 the app's 502 line).
func TestOrderChosenLineIsMedium(t *testing.T) {
	inZone(t, "UTC")
	dir := filepath.Join("testdata", "qa29-combined", "min")
	evs, _ := reportEvents(t, filepath.Join(dir, "access.log"), filepath.Join(dir, "error.log"), filepath.Join(dir, "app.log"))
	const (
		reset = "error log: upstream prematurely closed connection while reading response header from upstream"
		app   = `app: finished with 502 (in the time window): "payment gateway call failed GET /api"`
		guess = "which 5xx this error line is about is a guess: 2 5xx of this client, method and path at this time could have it, and the access line logs no connection serial to tell whose it is; the logs' order chose this one (*118)"
	)
	want := []ruleWant{
		{"/api", "upstream_reset", "medium", []string{reset, "app: the app lines within ±2 s each went to another 5xx, as near or nearer (one app request, one 5xx)", guess},
			"127.0.0.1:21002 closed the connection mid-request: look for crashes and OOM kills (dmesg, container restarts) and keep-alive timeouts shorter than the proxy's"},
		{"/api", "app_error", "low", []string{app},
			`the app answered 502 itself: look at its errors and stack traces — it says: "payment gateway call failed GET /api"`},
	}
	checkRuleWants(t, evs, want)
}

// TestSameMillisecondAppLinesGoToOne502 is QA s29's finding on what the
// app wrote beside real nginx 1.22 (testdata/qa29-combined): no request
// ids, and the app writes a quick request's start, error and end lines
// in one millisecond. They were shared out line by line among the 502s
// of their second: in ngB one 502 read "logged the start at 01.825 but
// no end" while another quoted that request's "finished with 502"; in
// ngB2 the app's 502 of :30 cited "finished with 200", the end of the
// request the proxy answered 200, whose start of the same millisecond
// was left behind. One request's lines now go to one 5xx
// (classify/appsamestamp.go): no 502 reads a start as never ended when
// its end was logged in the same millisecond, and none cites a 200.
func TestSameMillisecondAppLinesGoToOne502(t *testing.T) {
	inZone(t, "UTC")
	stamp := regexp.MustCompile(`^\d{4}-\d\d-\d\d (\d\d:\d\d:\d\d),(\d{3}) .*request finished`)
	noEnd := regexp.MustCompile(`^app: logged the start at (\S+) but no end`)
	for _, set := range []string{"ngB", "ngB2"} {
		t.Run(set, func(t *testing.T) {
			dir := filepath.Join("testdata", "qa29-combined", set)
			b, err := os.ReadFile(filepath.Join(dir, "app.log"))
			if err != nil {
				t.Fatal(err)
			}
			ended := map[string]bool{} // the stamps of the app's end lines
			for _, l := range strings.Split(string(b), "\n") {
				if m := stamp.FindStringSubmatch(l); m != nil {
					ended[m[1]+"."+m[2]] = true
				}
			}
			if len(ended) == 0 {
				t.Fatal("no end line in app.log")
			}
			evs, _ := reportEvents(t, filepath.Join(dir, "access.log"), filepath.Join(dir, "error.log"), "--app", filepath.Join(dir, "app.log"))
			if len(evs) == 0 {
				t.Fatal("no 5xx")
			}
			for _, ev := range evs {
				for _, x := range ev.Evidence {
					if m := noEnd.FindStringSubmatch(x); m != nil && ended[m[1]] {
						t.Errorf("%s: %q, and the app logged an end at %s", ev.Time, x, m[1])
					}
					if strings.HasPrefix(x, "app: finished with 200") {
						t.Errorf("%s: the 502 cites the end of a request the proxy answered 200: %q", ev.Time, x)
					}
				}
			}
		})
	}
}
