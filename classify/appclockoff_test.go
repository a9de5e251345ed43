package classify

import (
	"cmp"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"fivexx/sources"
)

// appStamp is an app line's RFC 3339 time.
var appStamp = regexp.MustCompile(`\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)`)

// shiftedRecording copies the lab recording rec into a new directory with
// every time of its app.log d later: the app's clock d ahead of the
// proxy's (behind, for d < 0).
func shiftedRecording(t *testing.T, rec string, d time.Duration) string {
	t.Helper()
	src, dir := filepath.Join("..", "testdata", "recordings", rec), t.TempDir()
	logs, _ := filepath.Glob(filepath.Join(src, "*.log"))
	for _, p := range logs {
		text := readFile(t, p)
		if filepath.Base(p) == "app.log" {
			text = appStamp.ReplaceAllStringFunc(text, func(s string) string {
				ts, err := time.Parse(time.RFC3339Nano, s)
				if err != nil {
					t.Fatalf("%s: %v", s, err)
				}
				// The fraction and zone as written: only the seconds move.
				return ts.Add(d).Format("2006-01-02T15:04:05") + s[len("2006-01-02T15:04:05"):]
			})
		}
		if err := os.WriteFile(filepath.Join(dir, filepath.Base(p)), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// eachRecordVerdicts runs the logs in dir through the engine merged by
// time with a report's grace, advancing after every record (a report
// advances every 256th: at volume, every record is near one), and
// returns each verdict by its request number: cause, confidence, and
// how many app and error lines it has.
//
// merged, when not 0, is the skew the merge takes off the app's times, as
// fivexx sets it for one known before reading beyond AppWaitLimit.
func eachRecordVerdicts(t *testing.T, dir string, merged time.Duration) map[string]string {
	t.Helper()
	out := map[string]string{}
	for n, v := range judgedAdvancing(t, dir, merged, 1) {
		out[n] = fmt.Sprintf("%s %s, app lines %d, error lines %d", v.Cause, v.Confidence, len(v.AppLines), len(v.ErrorLines))
	}
	return out
}

// judgedAdvancing is eachRecordVerdicts' verdicts themselves, the engine
// advancing after every every records.
func judgedAdvancing(t *testing.T, dir string, merged time.Duration, every int) map[string]*Verdict {
	t.Helper()
	var logs []string
	for _, f := range []string{"access.log", "error.log", "app.log"} { // not HAProxy's stderr.log
		if _, err := os.Stat(filepath.Join(dir, f)); err == nil {
			logs = append(logs, filepath.Join(dir, f))
		}
	}
	var ins []*sources.Input
	for i, p := range logs {
		in := sources.NewInput(i, sources.Spec{Path: p, Opts: sources.ParserOptions{Location: time.UTC}})
		if filepath.Base(p) == "app.log" {
			in.SetMergeShift(merged)
		}
		ins = append(ins, in)
	}
	out := map[string]*Verdict{}
	eng := NewEngine(Config{Inputs: ins, Grace: 5 * time.Second, OnVerdict: func(v *Verdict) {
		m := seqRe.FindStringSubmatch(v.Entry.Path)
		if m == nil {
			t.Fatalf("no request number in %q", v.Entry.Path)
		}
		out[m[1]] = v
	}})
	n := 0
	for i, err := range sources.MergeEach(context.Background(), ins, func(it sources.Item) {
		eng.AddItem(it)
		if n++; n%every == 0 {
			eng.Advance()
		}
	}) {
		if err != nil {
			t.Fatalf("%s: %v", logs[i], err)
		}
	}
	eng.Flush()
	return out
}

// neverSaw are the request numbers whose verdict says that no app line
// had their request id (it said "the app never saw it").
func neverSaw(vs map[string]*Verdict) map[string]bool {
	out := map[string]bool{}
	for n, v := range vs {
		if slices.ContainsFunc(v.Evidence, func(e string) bool { return strings.HasPrefix(e, "app: no app line with request id ") }) {
			out[n] = true
		}
	}
	return out
}

// An app 2 min ahead whose skew the merge was not told (the logs' heads
// did not pair: rotated apart) has its lines come after the 5xx waited
// its most: a verdict then says nothing of the app's silence by id. The
// engine advances as a report's does, every 256 records.
func TestNoAbsenceClaimBeyondTheWait(t *testing.T) {
	for _, rec := range []string{"nginx-upstream", "haproxy", "caddy"} {
		t.Run(rec, func(t *testing.T) {
			truth := neverSaw(judgedAdvancing(t, filepath.Join("..", "testdata", "recordings", rec), 0, 256))
			claims := neverSaw(judgedAdvancing(t, shiftedRecording(t, rec, 2*time.Minute), 0, 256))
			var false_ []string
			for n := range claims {
				if !truth[n] {
					false_ = append(false_, n)
				}
			}
			t.Logf("%d claims, %d with the clocks agreeing", len(claims), len(truth))
			slices.Sort(false_)
			if len(false_) > 0 {
				t.Errorf("%d of %d claims that no app line had a 5xx's request id are false (requests %v); with the clocks agreeing %d are made",
					len(false_), len(claims), false_, len(truth))
			}
		})
	}
}

// An app whose clock runs off the proxy's changes no verdict of a real
// lab recording (nginx's and Caddy's own logs, error log included, and
// the app's, its times moved), the engine advancing after every record:
// within AppWaitLimit by the wait and the log clock, beyond it by the
// merge, told the skew.
func TestAppClockOffChangesNoVerdict(t *testing.T) {
	for _, rec := range []string{"nginx-upstream", "caddy"} {
		want := eachRecordVerdicts(t, filepath.Join("..", "testdata", "recordings", rec), 0)
		for _, d := range []time.Duration{-30 * time.Second, 30 * time.Second, 59 * time.Second, 2 * time.Minute, -time.Hour, time.Hour} {
			t.Run(fmt.Sprintf("%s/%v", rec, d), func(t *testing.T) {
				var merged time.Duration
				if d > AppWaitLimit || d < -AppWaitLimit {
					merged = d
				}
				got := eachRecordVerdicts(t, shiftedRecording(t, rec, d), merged)
				changed := 0
				for n, w := range want {
					if got[n] != w {
						if changed++; changed <= 5 {
							t.Errorf("request %s: %s; the clocks agreeing: %s", n, got[n], w)
						}
					}
				}
				if changed > 0 || len(got) != len(want) {
					t.Errorf("%d of %d verdicts changed; %d verdicts, want %d", changed, len(want), len(got), len(want))
				}
			})
		}
	}
}

// Without request ids (the lab's nginx combined log and its app's plain
// lines), an app whose clock runs a few seconds off changes no verdict
// either: requests paired by method, target and status tell the skew
// (pathskew.go). With the app 3 s behind, 39 of the 162 causes changed,
// the window taking the next request's app line.
func TestAppClockOffWithoutIDsChangesNoVerdict(t *testing.T) {
	want := eachRecordVerdicts(t, filepath.Join("..", "testdata", "recordings", "nginx-combined"), 0)
	for _, d := range []time.Duration{-3 * time.Second, 5 * time.Second, -8 * time.Second} {
		t.Run(d.String(), func(t *testing.T) {
			got := eachRecordVerdicts(t, shiftedRecording(t, "nginx-combined", d), 0)
			changed := 0
			for n, w := range want {
				if got[n] != w {
					if changed++; changed <= 5 {
						t.Errorf("request %s: %s; the clocks agreeing: %s", n, got[n], w)
					}
				}
			}
			if changed > 0 || len(got) != len(want) {
				t.Errorf("%d of %d verdicts changed; %d verdicts, want %d", changed, len(want), len(got), len(want))
			}
		})
	}
}

// The app's clock 30 s ahead, its lines a request's end each: the first
// Advance that saw app lines had over 101 skew samples, a full window,
// and the shift, learnt at every Advance only while the window filled,
// stayed 0 for the next 16 Advances of 256 records, as a report makes
// them: the 500 of the log's 16th second, waiting for the app's first
// line, was judged then, before its own came ("app: no line with request
// id r150").
func TestAppShiftLearntAtOnceFromAFullWindow(t *testing.T) {
	proxy, app := input(0, sources.RoleProxy), input(1, sources.RoleApp)
	var got []*Verdict
	eng := NewEngine(Config{Inputs: []*sources.Input{proxy, app}, Grace: 5 * time.Second, OnVerdict: func(v *Verdict) { got = append(got, v) }})
	type rec struct {
		in  *sources.Input
		r   sources.Record
		sec float64
	}
	var recs []rec
	for i := 0; i < 600; i++ {
		sec, status, id := float64(i)/10, 200, fmt.Sprintf("r%d", i)
		if i == 150 {
			status = 500
		}
		us := fmt.Sprint(status)
		recs = append(recs, rec{proxy, upstreamEntry(sec, status, "a:1", us, "0.001", id), sec},
			rec{app, appLine(sec+30, sources.PhaseEnd, id, status, "info", "request finished"), sec + 30})
	}
	slices.SortStableFunc(recs, func(a, b rec) int { return cmp.Compare(a.sec, b.sec) }) // merged by their own times
	for i, r := range recs {
		eng.Add(r.in, r.r)
		if (i+1)%256 == 0 {
			eng.Advance()
		}
	}
	eng.Flush()
	if len(got) != 1 {
		t.Fatalf("%d verdicts, want the 500's", len(got))
	}
	if v := got[0]; v.Cause != AppError || len(v.AppLines) != 1 || v.MatchedBy != "request_id" {
		t.Errorf("the 500: %s, %d app lines by %s; want app_error, its app line by request id", v.Cause, len(v.AppLines), v.MatchedBy)
	}
}
