package classify

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fivexx/sources"
)

// alertsOf runs the access and error log in dir through the engine as a
// report does and returns the alerts of the snapshot published at the end.
func alertsOf(t *testing.T, dir string) []Alert {
	t.Helper()
	return publishedFrom(t, false, dir, "access.log", "error.log").Alerts
}

// publishedFrom reads files of dir through an engine to their ends as a
// report does and returns the snapshot it publishes then (Publish(full)).
func publishedFrom(t *testing.T, full bool, dir string, files ...string) *Snapshot {
	t.Helper()
	var ins []*sources.Input
	for i, f := range files {
		ins = append(ins, sources.NewInput(i, sources.Spec{Path: filepath.Join(dir, f), Opts: sources.ParserOptions{Location: time.UTC}}))
	}
	eng := NewEngine(Config{Inputs: ins, Grace: 5 * time.Second})
	for i, err := range sources.MergeEach(context.Background(), ins, eng.Feed) {
		if err != nil {
			t.Fatalf("%s: %v", ins[i].Spec.Path, err)
		}
	}
	eng.Flush()
	return eng.Publish(full)
}

// Real nginx (testdata/reset-then-refused): 30 502s of a backend that closed the
// connection, then 12 refused once it was killed, on one upstream. The
// alert names the cause of the 5xx it counts, those of its own 30 s.
// Before, it named the cause of the whole run: "502 ×12 in the last 30 s
// on 127.0.0.1:23184 — upstream_reset" with the resets 10 minutes before
// and all 12 of its 502s refused.
func TestTheAlertNamesTheCauseOfItsOwnSpan(t *testing.T) {
	src := filepath.Join("..", "testdata", "reset-then-refused")
	for _, tc := range []struct {
		name  string
		moved bool // the resets back at 16:57:30-32, as recorded
		want  string
	}{
		{"resets 10 min before the refused", false, "502 ×12 in the last 30 s on 127.0.0.1:23184 — upstream_refused"},
		{"resets and refused in one span, as recorded", true, "502 ×42 in the last 30 s on 127.0.0.1:23184 — upstream_reset"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			for _, f := range []string{"access.log", "error.log"} {
				text := readFile(t, filepath.Join(src, f))
				if tc.moved {
					text = strings.NewReplacer("2026:16:47:3", "2026:16:57:3", "2026/11/22 16:47:3", "2026/11/22 16:57:3").Replace(text)
				}
				if err := os.WriteFile(filepath.Join(dir, f), []byte(text), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			alerts := alertsOf(t, dir)
			if len(alerts) != 1 {
				t.Fatalf("%d alerts, want 1: %v", len(alerts), alerts)
			}
			if alerts[0].Text != tc.want {
				t.Errorf("alert %q, want %q", alerts[0].Text, tc.want)
			}
		})
	}
}

// A 5xx stamped a multiple of 30 s before the second its slot holds (a
// late line) neither counts in that slot nor clears it: 30 s before, the
// span's cause slot; 330 s before, the count's slot of span and baseline.
// The span's count and causes stay those of its own 5xx.
func TestALateFivexxKeepsTheSpansCountAndCauses(t *testing.T) {
	now := time.Date(2026, 11, 22, 16, 57, 35, 0, time.UTC)
	verdict := func(at time.Time, c Cause) *Verdict {
		return &Verdict{Cause: c, Entry: &sources.ProxyEntry{Time: at, Status: 502, Upstream: "127.0.0.1:23184"}}
	}
	for _, late := range []time.Duration{alertSpan, alertSpan + alertBaseline} {
		t.Run(late.String(), func(t *testing.T) {
			var r rateTracker
			for range 12 {
				r.add(verdict(now, UpstreamRefused))
			}
			for range 3 {
				r.add(verdict(now.Add(-late), UpstreamReset))
			}
			a := r.alerts(now)
			if len(a) != 1 || a[0].Count != 12 || a[0].Cause != UpstreamRefused {
				t.Fatalf("alerts %+v, want one of 12 upstream_refused", a)
			}
		})
	}
}
