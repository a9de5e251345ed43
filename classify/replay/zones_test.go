package replay_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fivexx/classify"
	"fivexx/classify/replay"
	"fivexx/sources"
)

// A held line's kind is its input and the zone of its time (kindOf), most
// often that of the last line held from the same input: a shortcut that
// must compare the zone too, or a line whose offset differs from the line
// before takes that line's zone, and its timeline shows it an hour off.
// No demo log changes its offset from line to line; a host's clock
// changing zone, or two hosts writing one log, does. Each timeline line
// must show the time its own $time_local gives, in its own offset.
func TestTimelineLinesKeepTheirOwnOffsets(t *testing.T) {
	for _, tc := range []struct {
		name    string
		offsets []string // of line i: offsets[i%len(offsets)]
	}{
		{name: "alternating +0000 and +0100", offsets: []string{"+0000", "+0100"}},
		{name: "alternating +0100 and -0530", offsets: []string{"+0100", "-0530"}},
		{name: "two +0000, then one +0100", offsets: []string{"+0000", "+0000", "+0100"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := writeAccessLog(t, tc.offsets)
			var verdicts []*classify.Verdict
			ins := []*sources.Input{sources.NewInput(0, sources.Spec{Path: path, Opts: sources.ParserOptions{Location: time.UTC}})}
			eng := classify.NewEngine(classify.Config{Inputs: ins, Timeline: true, Grace: 5 * time.Second, Now: time.Now,
				OnVerdict: func(v *classify.Verdict) { verdicts = append(verdicts, v) }})
			pl := replay.New(eng, ins, replay.Options{Speed: 0, Publish: time.Hour})
			for _, err := range pl.RunMerged(context.Background(), ins) {
				if err != nil {
					t.Fatal(err)
				}
			}
			if len(verdicts) != 2 {
				t.Fatalf("%d verdicts, want 2 (the log's two 502s)", len(verdicts))
			}
			shown := map[string]int{} // timeline lines by their own offset
			wrong := 0
			for _, v := range verdicts {
				for _, l := range v.Timeline.Lines() {
					want := timeLocal(t, l.Raw)
					got := l.Time.Format(nginxTimeLocal)
					if got != want {
						if wrong++; wrong == 1 {
							t.Errorf("the 502 at %s: timeline line %q shows %s", timeLocal(t, v.Entry.Raw), l.Raw, got)
						}
					}
					shown[want[len(want)-5:]]++
				}
			}
			if wrong > 1 {
				t.Errorf("%d timeline lines in all show a time not their own", wrong)
			}
			// Unless the timelines show lines of every offset, in turns,
			// they test nothing.
			for _, off := range tc.offsets {
				if shown[off] < 10 {
					t.Errorf("the timelines show %d lines at %s, want 10 or more (%v)", shown[off], off, shown)
				}
			}
		})
	}
}

// nginxTimeLocal is the layout of nginx's $time_local.
const nginxTimeLocal = "02/Jan/2006:15:04:05 -0700"

// writeAccessLog writes two minutes of an nginx access log (combined
// format), two requests a second, line i at offsets[i%len(offsets)], with
// a 502 at 40 s and at 80 s, and returns its path.
func writeAccessLog(t *testing.T, offsets []string) string {
	t.Helper()
	start := time.Date(2026, 1, 2, 3, 0, 0, 0, time.UTC)
	var b strings.Builder
	for i := range 240 {
		off, err := time.Parse("-0700", offsets[i%len(offsets)])
		if err != nil {
			t.Fatal(err)
		}
		at := start.Add(time.Duration(i) * time.Second / 2).In(off.Location())
		status := 200
		if i == 80 || i == 160 {
			status = 502
		}
		fmt.Fprintf(&b, "10.0.0.%d - - [%s] \"GET /api/items/%d HTTP/1.1\" %d 512 \"-\" \"curl/8.5.0\"\n", 1+i%7, at.Format(nginxTimeLocal), i, status)
	}
	path := filepath.Join(t.TempDir(), "access.log")
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// timeLocal is the $time_local of an access line: between its brackets.
func timeLocal(t *testing.T, raw string) string {
	t.Helper()
	i, j := strings.IndexByte(raw, '['), strings.IndexByte(raw, ']')
	if i < 0 || j < i {
		t.Fatalf("no [$time_local] in %q", raw)
	}
	return raw[i+1 : j]
}
