package replay_test

import (
	"bytes"
	"flag"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"fivexx/classify"
	"fivexx/sources"
	"fivexx/sources/demo"
)

// A replay of plain files makes each verdict's timeline when it is opened,
// from the files read again (classify.LaterTimeline): the request's own
// lines and the nearest others within ±5 s. Where each file's lines are in
// time order it is the timeline the replay made as it judged, line for
// line (on the 2 M bench set all 41,081 of them). Where they are not
// (HAProxy logs a request when it ends with the time it was accepted; an
// app's threads write microseconds out of order), the timeline made as
// judged took lines in the order they came, walking out from the request
// until a line lay outside ±5 s, and took farther lines than the nearest:
// the one made later has as many lines, or more, and none farther.
//
// Every verdict's own lines are checked, before and after Load; the
// timelines read again are compared for a sample (checkedVerdicts): every
// shape of timeline, the first and last verdicts and a stride, at most
// about 40 a set plus the shapes. Read again for each of the 13,813
// verdicts, the files took 258 of the 277 s this test took under -race on
// a loaded host (0.08 s a timeline for the Caddy recording's long JSON
// lines), and it once hit the 10-minute package timeout: the demo sets'
// verdicts come in bursts of 60-line timelines alike but for their lines.
// -later.all compares every one.
func TestLaterTimelinesAreTheEagerOnes(t *testing.T) {
	sets := replaySets(t)
	total, loaded := 0, 0
	for _, s := range sets {
		t.Run(s.name, func(t *testing.T) {
			eager := replayVerdicts(t, s.inputs(), false)
			later := replayVerdicts(t, s.inputs(), true)
			if len(eager) != len(later) {
				t.Fatalf("%d verdicts with timelines made as judged, %d with timelines made later", len(eager), len(later))
			}
			check := checkedVerdicts(eager)
			for i := range eager {
				if later[i].Later == nil {
					t.Fatalf("verdict %d: no Later", i)
				}
				if eager[i].Later != nil {
					t.Fatalf("verdict %d of an eager replay has a Later", i)
				}
				// The request's own lines, before Load (formatted alone:
				// the 60 lines of every verdict's were a third of what
				// this test did beyond its replays under -race).
				own := ownText(eager[i].Timeline)
				if got := timelineText(later[i].Later.Own()); !slices.Equal(got, own) {
					t.Fatalf("verdict %d: own lines before Load:\n%s\nwant:\n%s", i, strings.Join(got, "\n"), strings.Join(own, "\n"))
				}
				if !check[i] {
					continue
				}
				loaded++
				tl, err := later[i].Later.Load()
				if err != nil {
					t.Fatal(err)
				}
				want, got := timelineText(eager[i].Timeline), timelineText(tl)
				at := eager[i].Entry.Time
				if s.inOrder && !slices.Equal(want, got) || !s.inOrder && (len(got) < len(want) ||
					len(got) == len(want) && farthestOther(tl, at) > farthestOther(eager[i].Timeline, at)) {
					t.Fatalf("verdict %d (%s): timeline made as judged:\n%s\nmade later:\n%s", i, later[i].Entry.Raw,
						strings.Join(want, "\n"), strings.Join(got, "\n"))
				}
				// The request's own lines after Load.
				if got := ownLines(got); !slices.Equal(got, own) {
					t.Fatalf("verdict %d: own lines after Load:\n%s\nwant:\n%s", i, strings.Join(got, "\n"), strings.Join(own, "\n"))
				}
				// At most 60 lines, or the request's own when they are
				// more; the others within ±5 s.
				if tl.Len() > max(60, len(own)) || farthestOther(tl, at) > 5*time.Second {
					t.Fatalf("verdict %d: %d lines, the farthest other %v away", i, tl.Len(), farthestOther(tl, at))
				}
			}
			total += len(eager)
		})
	}
	if total < 1000 {
		t.Errorf("%d verdicts compared in all: the sets lost their 5xx", total)
	}
	t.Logf("%d verdicts, %d timelines read again", total, loaded)
}

// allVerdicts has TestLaterTimelinesAreTheEagerOnes read every verdict's
// timeline again, not a sample.
var allVerdicts = flag.Bool("later.all", false, "TestLaterTimelinesAreTheEagerOnes: compare every verdict's timeline read again (minutes under -race)")

// perSet is about how many of a set's verdicts checkedVerdicts picks by
// stride.
const perSet = 40

// checkedVerdicts says which of the verdicts (made with timelines as
// judged) have their timelines read again and compared: the first of each
// shape (cause, lines, own lines, the inputs they come from, and whether
// the farthest other line is within a second of the ±5 s edge), the first
// and the last, and every k-th, about perSet of them; all with
// -later.all or when they are no more than perSet.
func checkedVerdicts(vs []*classify.Verdict) []bool {
	check := make([]bool, len(vs))
	if *allVerdicts || len(vs) <= perSet {
		for i := range check {
			check[i] = true
		}
		return check
	}
	stride := (len(vs) + perSet - 1) / perSet
	seen := map[string]bool{}
	for i, v := range vs {
		tl := v.Timeline
		own, srcs := 0, map[string]bool{}
		for _, l := range tl.Lines() {
			if l.Matched {
				own++
			}
			srcs[l.Source] = true
		}
		edge := farthestOther(tl, v.Entry.Time) > 4*time.Second
		shape := fmt.Sprint(v.Cause, tl.Len(), own, slices.Sorted(maps.Keys(srcs)), edge)
		check[i] = i%stride == 0 || i == len(vs)-1 || !seen[shape]
		seen[shape] = true
	}
	return check
}

// replaySet is a set of log files a test replays.
type replaySet struct {
	name  string
	paths []string
	// inOrder says each file's lines are in time order.
	inOrder bool
}

// inputs are fresh inputs over the set's files (inputs count lines, so
// each replay needs its own).
func (s replaySet) inputs() []*sources.Input {
	var ins []*sources.Input
	for i, p := range s.paths {
		ins = append(ins, sources.NewInput(i, sources.Spec{Path: p, Opts: sources.ParserOptions{Location: time.UTC}}))
	}
	return ins
}

// replaySets are two minutes of each demo scenario and the logs recorded
// from real nginx, HAProxy and Caddy (testdata/recordings).
func replaySets(t *testing.T) []replaySet {
	t.Helper()
	var sets []replaySet
	start := time.Date(2026, 1, 2, 3, 0, 0, 0, time.UTC)
	for _, sc := range demo.Scenarios() {
		paths, err := demo.WriteFiles(t.TempDir(), sc, 7, start, 2*time.Minute)
		if err != nil {
			t.Fatal(err)
		}
		sets = append(sets, replaySet{"demo " + sc.Name, paths, true})
		if sc.Name == "deploy-crash" || sc.Name == "db-failover" {
			// Its error and app lines split between two files each: the
			// inputs of a request's own lines are noted one by one.
			sets = append(sets, replaySet{"demo " + sc.Name + " split", splitLogs(t, paths), true})
		}
	}
	recs, _ := filepath.Glob("../../testdata/recordings/*")
	for _, dir := range recs {
		paths, _ := filepath.Glob(filepath.Join(dir, "*.log"))
		name := filepath.Base(dir)
		inOrder := !strings.HasPrefix(name, "haproxy") && name != "nginx-json" && !strings.HasPrefix(name, "nginx-startapp")
		sets = append(sets, replaySet{"recording " + name, paths, inOrder})
	}
	if len(recs) < 5 {
		t.Fatalf("recordings: %d, want the six of testdata/recordings", len(recs))
	}
	return sets
}

// splitLogs writes the files of paths to a new directory, each error and
// app log as two, of its odd and its even lines, and returns their paths.
func splitLogs(t *testing.T, paths []string) []string {
	t.Helper()
	dir := t.TempDir()
	var out []string
	for _, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		name := filepath.Base(p)
		if name == "access.log" {
			out = append(out, filepath.Join(dir, name))
			if err := os.WriteFile(out[len(out)-1], b, 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		var halves [2][]byte
		for i, l := range bytes.SplitAfter(b, []byte("\n")) {
			halves[i%2] = append(halves[i%2], l...)
		}
		for i, h := range halves {
			out = append(out, filepath.Join(dir, fmt.Sprintf("%d.%s", i, name)))
			if err := os.WriteFile(out[len(out)-1], h, 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	return out
}

// replayVerdicts replays ins at full speed and returns every verdict, with
// timelines made later (from the files read again) or as judged.
func replayVerdicts(t testing.TB, ins []*sources.Input, later bool) []*classify.Verdict {
	t.Helper()
	mode := timelinesEager
	if later {
		mode = timelinesLater
	}
	var vs []*classify.Verdict
	playAll(t, ins, mode, true, func(v *classify.Verdict) { vs = append(vs, v) })
	return vs
}

// timelineText is each line of tl as one string: time, source, role,
// whether it is the request's own, text.
func timelineText(tl classify.Timeline) []string {
	var out []string
	for _, l := range tl.Lines() {
		out = append(out, lineText(l))
	}
	return out
}

// lineText is a timeline line as timelineText has it.
func lineText(l classify.TimelineLine) string {
	return fmt.Sprintf("%s %s %v %v %s", l.Time.Format(time.RFC3339Nano), l.Source, l.Role, l.Matched, l.Raw)
}

// ownText is timelineText of tl's lines that are the request's own.
func ownText(tl classify.Timeline) []string {
	var out []string
	for _, l := range tl.Lines() {
		if l.Matched {
			out = append(out, lineText(l))
		}
	}
	return out
}

// ownLines are the lines of timelineText's that are the request's own.
func ownLines(lines []string) []string {
	var own []string
	for _, l := range lines {
		if strings.Contains(l, " true ") {
			own = append(own, l)
		}
	}
	return own
}

// farthestOther is farthest of the lines that are not the request's own.
func farthestOther(tl classify.Timeline, at time.Time) time.Duration {
	var d time.Duration
	for _, l := range tl.Lines() {
		if !l.Matched {
			d = max(d, l.Time.Sub(at), at.Sub(l.Time))
		}
	}
	return d
}
