package classify

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
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
func eachRecordVerdicts(t *testing.T, dir string) map[string]string {
	t.Helper()
	logs, _ := filepath.Glob(filepath.Join(dir, "*.log"))
	var ins []*sources.Input
	for i, p := range logs {
		ins = append(ins, sources.NewInput(i, sources.Spec{Path: p, Opts: sources.ParserOptions{Location: time.UTC}}))
	}
	out := map[string]string{}
	eng := NewEngine(Config{Inputs: ins, Grace: 5 * time.Second, OnVerdict: func(v *Verdict) {
		m := seqRe.FindStringSubmatch(v.Entry.Path)
		if m == nil {
			t.Fatalf("no request number in %q", v.Entry.Path)
		}
		out[m[1]] = fmt.Sprintf("%s %s, app lines %d, error lines %d", v.Cause, v.Confidence, len(v.AppLines), len(v.ErrorLines))
	}})
	for i, err := range sources.MergeEach(context.Background(), ins, func(it sources.Item) {
		eng.AddItem(it)
		eng.Advance()
	}) {
		if err != nil {
			t.Fatalf("%s: %v", logs[i], err)
		}
	}
	eng.Flush()
	return out
}

// An app whose clock runs off the proxy's changes no verdict of a real
// lab recording (nginx's and Caddy's own logs, error log included, and
// the app's, its times moved), the engine advancing after every record.
func TestAppClockOffChangesNoVerdict(t *testing.T) {
	for _, rec := range []string{"nginx-upstream", "caddy"} {
		want := eachRecordVerdicts(t, filepath.Join("..", "testdata", "recordings", rec))
		for _, d := range []time.Duration{-30 * time.Second} {
			t.Run(fmt.Sprintf("%s/%v", rec, d), func(t *testing.T) {
				got := eachRecordVerdicts(t, shiftedRecording(t, rec, d))
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
