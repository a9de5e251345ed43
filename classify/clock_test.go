package classify

import (
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

var (
	y2099 = time.Date(2099, 1, 1, 0, 0, 0, 0, time.UTC)
	y1970 = time.Date(1970, 1, 1, 0, 0, 1, 0, time.UTC)
)

// at returns r with its time set to t.
func at(t time.Time, r sources.Record) sources.Record {
	switch r := r.(type) {
	case *sources.ProxyEntry:
		r.Time = t
	case *sources.AppEntry:
		r.Time = t
	case *sources.ProxyError:
		r.Time = t
	}
	return r
}

// One line with a wrong clock, wherever it is, changes no other verdict.
// It moved the log clock to 2099: every pending 5xx was judged before its
// app line came, and every kept line was let go. As an input's first line
// it was the clock before any other line could be compared with it.
func TestOneWrongClockChangesNoOtherVerdict(t *testing.T) {
	type place int
	const (
		first place = iota
		middle
		last
	)
	for _, wrong := range []time.Time{y2099, y1970} {
		for _, kind := range []string{"app line", "access 502", "access 200"} {
			for _, where := range []place{first, middle, last} {
				name := fmt.Sprintf("%d %s %s", wrong.Year(), kind, []string{"first", "in the middle", "last"}[where])
				t.Run(name, func(t *testing.T) {
					var outlier sources.Record
					switch kind {
					case "app line":
						outlier = at(wrong, appLine(0, sources.PhaseEnd, "x", 200, "info", "wrong clock"))
					case "access 502":
						outlier = at(wrong, upstreamEntry(0, 502, "a:1", "502", "-", "x"))
					default:
						outlier = at(wrong, upstreamEntry(0, 200, "a:1", "200", "0.001", "x"))
					}
					recs := []sources.Record{
						upstreamEntry(1, 503, "a:1", "503", "0.001", "r1"),
						appLine(1.5, sources.PhaseEnd, "r1", 503, "warn", "r1 shed"),
						upstreamEntry(2, 503, "a:1", "503", "0.001", "r2"),
						appLine(2.5, sources.PhaseEnd, "r2", 503, "warn", "r2 shed"),
					}
					for s := 3.0; s <= 12; s++ {
						recs = append(recs, appLine(s, sources.PhaseEnd, "other", 200, "info", "ok"))
					}
					switch where {
					case first:
						recs = slices.Insert(recs, 0, outlier)
					case middle:
						recs = slices.Insert(recs, 2, outlier)
					case last:
						recs = append(recs, outlier)
					}
					proxy, app := input(0, sources.RoleProxy), input(1, sources.RoleApp)
					var got []*Verdict
					eng := NewEngine(Config{Inputs: []*sources.Input{proxy, app}, Grace: 5 * time.Second,
						OnVerdict: func(v *Verdict) { got = append(got, v) }})
					addAll(eng, proxy, app, recs)
					s := eng.Publish(false)
					var before []string
					for _, v := range got {
						if v.Entry.RequestID != "x" { // the wrong clock's own (1970: judged at once)
							before = append(before, v.Entry.RequestID)
						}
					}
					if !slices.Equal(before, []string{"r1", "r2"}) {
						t.Errorf("verdicts before the end: %v, want r1 and r2 (by their grace)", before)
					}
					for _, v := range got {
						if v.Entry.RequestID != "x" && (len(v.AppLines) != 1 || v.MatchedBy != "request_id") {
							t.Errorf("%s: %d app lines matched by %q, want its own line by request_id", v.Entry.RequestID, len(v.AppLines), v.MatchedBy)
						}
					}
					if want := t0.Add(12 * time.Second); !s.LogNow.Equal(want) {
						t.Errorf("log clock %v, want %v", s.LogNow, want)
					}
					if s.Windowed.Requests != 2 {
						t.Errorf("%d requests in the window, want the 2 of 2026", s.Windowed.Requests)
					}
					eng.Flush()
					if kind == "access 502" && len(got) != 3 {
						t.Errorf("%d verdicts, want the wrong clock's 502 judged too", len(got))
					}
				})
			}
		}
	}
}

// Quiet traffic: one request every 2 minutes. Each line is more than
// clockJump after the one before it; the clock must still move. A report
// believes a line once the next one goes on from it, so its clock is one
// line behind; live, the wall clock moved as far, and the clock keeps up.
// (A leap was believed only when the next line was within clockJump of it:
// the clock stayed at the first line for good, live too.)
func TestTheClockFollowsSparseTraffic(t *testing.T) {
	for _, tc := range []struct {
		live     bool
		clock    time.Duration // the log clock after the 10 requests
		verdicts int           // made before the end
	}{
		{false, 16 * time.Minute, 4},
		{true, 18 * time.Minute, 5},
	} {
		t.Run(fmt.Sprintf("live=%v", tc.live), func(t *testing.T) {
			proxy := input(0, sources.RoleProxy)
			wall := t0
			n := 0
			eng := NewEngine(Config{Inputs: []*sources.Input{proxy}, Live: tc.live, Now: func() time.Time { return wall },
				OnVerdict: func(*Verdict) { n++ }})
			for i := 0; i < 10; i++ {
				st := 200
				if i%2 == 1 {
					st = 502
				}
				eng.Add(proxy, upstreamEntry(float64(i*120), st, "a:1", "502", "-", ""))
				wall = wall.Add(2 * time.Minute)
				eng.Advance()
			}
			s := eng.Publish(false)
			if want := t0.Add(tc.clock); !s.LogNow.Equal(want) || s.Windowed.Requests != 8 || n != tc.verdicts {
				t.Errorf("log clock %v (want %v), %d requests in the 15 min window (want 8), %d verdicts before the end (want %d)",
					s.LogNow.Format(time.TimeOnly), want.Format(time.TimeOnly), s.Windowed.Requests, n, tc.verdicts)
			}
		})
	}
}

// A log quiet for an hour, then on: the leap is believed once the line
// after it goes on from it, and the 5xx of the leap are judged by their
// grace, in time order, each with its own app line, whether its app line
// or its access line comes first; the leap's first line, held apart until
// then, is in the timelines beside it. Before, the first 5xx after the
// leap waited apart and was judged after the 5xx that came after it.
func TestALeapOfTheLogMovesTheClock(t *testing.T) {
	for _, tc := range []struct {
		name string
		recs []sources.Record
	}{
		{"access line first", []sources.Record{
			upstreamEntry(0, 200, "a:1", "200", "0.001", "r0"),
			upstreamEntry(3600, 502, "a:1", "502", "0.001", "a"),
			appLine(3600.2, sources.PhaseEnd, "a", 502, "error", "a failed"),
			upstreamEntry(3601, 503, "a:1", "503", "0.001", "b"),
			appLine(3601.2, sources.PhaseEnd, "b", 503, "warn", "b shed"),
			upstreamEntry(3610, 200, "a:1", "200", "0.001", "c"),
		}},
		{"app line first", []sources.Record{
			upstreamEntry(0, 200, "a:1", "200", "0.001", "r0"),
			appLine(3599.8, sources.PhaseEnd, "a", 502, "error", "a failed"),
			upstreamEntry(3600, 502, "a:1", "502", "0.001", "a"),
			appLine(3600.8, sources.PhaseEnd, "b", 503, "warn", "b shed"),
			upstreamEntry(3601, 503, "a:1", "503", "0.001", "b"),
			upstreamEntry(3610, 200, "a:1", "200", "0.001", "c"),
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			proxy, app := input(0, sources.RoleProxy), input(1, sources.RoleApp)
			var got []*Verdict
			eng := NewEngine(Config{Inputs: []*sources.Input{proxy, app}, Grace: 5 * time.Second, Timeline: true,
				OnVerdict: func(v *Verdict) { got = append(got, v) }})
			for _, r := range tc.recs {
				in := proxy
				if _, ok := r.(*sources.AppEntry); ok {
					in = app
				}
				eng.Add(in, r)
			}
			eng.Advance()
			leap := tc.recs[1].RecordTime()
			if s := eng.Publish(false); !s.LogNow.Equal(t0.Add(3610*time.Second)) || s.Windowed.Requests != 3 {
				t.Errorf("log clock %v, %d requests in the window; want 08:10:10, 3", s.LogNow.Format(time.TimeOnly), s.Windowed.Requests)
			}
			var order []string
			for _, v := range got {
				order = append(order, v.Entry.RequestID)
				if len(v.AppLines) != 1 || v.MatchedBy != "request_id" {
					t.Errorf("%s: %d app lines matched by %q, want its own by request_id", v.Entry.RequestID, len(v.AppLines), v.MatchedBy)
				}
			}
			if !slices.Equal(order, []string{"a", "b"}) {
				t.Fatalf("verdicts made %v, want [a b]: in time order, by their grace", order)
			}
			if !slices.ContainsFunc(got[1].Timeline.Lines(), func(l TimelineLine) bool { return l.Time.Equal(leap) }) {
				t.Errorf("the timeline of b has no line at %v, the leap's first:\n%v", leap.Format(time.TimeOnly), got[1].Timeline.Lines())
			}
		})
	}
}

// Live, a host's clock set forward 10 minutes while fivexx runs: the first
// line after the step (a 502) is far ahead of the log clock and of the wall
// clock, so it waits apart; its verdict comes by the wall clock like any
// live one; the next line confirms the step and the clock follows.
func TestLiveClockSetForward(t *testing.T) {
	proxy := input(0, sources.RoleProxy)
	wall := t0
	var got []*Verdict
	eng := NewEngine(Config{Inputs: []*sources.Input{proxy}, Live: true, Now: func() time.Time { return wall },
		OnVerdict: func(v *Verdict) { got = append(got, v) }})
	step := func(sec float64, status int) {
		eng.Add(proxy, upstreamEntry(sec, status, "a:1", "502", "-", ""))
		wall = wall.Add(time.Second)
		eng.Advance()
	}
	for s := 0; s < 10; s++ {
		step(float64(s), 200)
	}
	step(610, 502)
	// The screen's clock ran on the second of wall time since 07:10:09.
	if s := eng.Publish(false); !eng.LogNow().Equal(t0.Add(9*time.Second)) || !s.LogNow.Equal(t0.Add(10*time.Second)) || s.Pending != 1 {
		t.Fatalf("after the step: log clock %v, on screen %v, %d pending; want 07:10:09, 07:10:10, 1",
			eng.LogNow().Format(time.TimeOnly), s.LogNow.Format(time.TimeOnly), s.Pending)
	}
	wall = wall.Add(3 * time.Second)
	eng.Advance()
	if len(got) != 1 {
		t.Fatalf("%d verdicts 3 s after the 502, want it judged by the wall clock", len(got))
	}
	for s := 611; s < 620; s++ {
		step(float64(s), 200)
	}
	if s := eng.Publish(false); !s.LogNow.Equal(t0.Add(619*time.Second)) || s.Windowed.Requests != 20 {
		t.Errorf("log clock %v, %d requests in the window; want 07:20:19, 20", s.LogNow.Format(time.TimeOnly), s.Windowed.Requests)
	}
}

// A 5xx that came early, far ahead of the clock (a host's clock a few
// minutes fast), waits apart until the clock reaches its time and is then
// judged in its place among the others, as a report advances: every 256
// lines, here more than clockJump of log time.
func TestAnEarlyFivexxIsJudgedInItsPlace(t *testing.T) {
	proxy := input(0, sources.RoleProxy)
	var got []string
	eng := NewEngine(Config{Inputs: []*sources.Input{proxy}, OnVerdict: func(v *Verdict) {
		got = append(got, v.Entry.Time.Format("15:04:05.0"))
	}})
	for s := 0; s <= 600; s++ {
		st := 200
		if s == 400 || s == 401 {
			st = 502
		}
		eng.Feed(sources.Item{Input: proxy, Rec: upstreamEntry(float64(s), st, "a:1", "502", "-", "")})
		if s == 10 {
			eng.Feed(sources.Item{Input: proxy, Rec: upstreamEntry(400.5, 502, "a:1", "502", "-", "")})
		}
	}
	if want := []string{"07:16:40.0", "07:16:40.5", "07:16:41.0"}; !slices.Equal(got, want) {
		t.Errorf("verdicts made %v, want %v", got, want)
	}
	eng.Flush()
	s := eng.Publish(false)
	var causes, windowed int64
	for _, n := range s.Total.Causes {
		causes += n
	}
	for _, n := range s.Windowed.Causes {
		windowed += n
	}
	if s.Total.Requests != 602 || causes != 3 || s.Windowed.Requests != 601 || windowed != 2 {
		t.Errorf("%d requests, %d causes; in the window %d, %d; want 602, 3; 601, 2 (the early one in the totals only)",
			s.Total.Requests, causes, s.Windowed.Requests, windowed)
	}
}

// A line from 2099 counts in the totals but takes no second of the rolling
// series nor any 10 s slot of its upstream: it took one for good, and every
// 15 minutes one second of the window (10 s of the upstream's) went
// uncounted. Live as in reports; the 2099 5xx's cause counts in the totals.
// (An upstream's window counts the whole 10 s slots in it, as the series
// do since: it counted 910 requests, the slot overlapping the start too.)
func TestAFarFutureLineTakesNoSeriesSlot(t *testing.T) {
	for _, live := range []bool{false, true} {
		for _, status := range []int{200, 502} {
			t.Run(fmt.Sprintf("live=%v/%d", live, status), func(t *testing.T) {
				proxy := input(0, sources.RoleProxy)
				wall := t0
				eng := NewEngine(Config{Inputs: []*sources.Input{proxy}, Live: live, Now: func() time.Time { return wall }})
				for s := 0; s < 1800; s++ {
					eng.Add(proxy, upstreamEntry(float64(s), 200, "a:1", "200", "0.001", ""))
					if s == 60 {
						eng.Add(proxy, at(y2099, upstreamEntry(0, status, "a:1", "200", "0.001", "")))
					}
					wall = wall.Add(time.Second)
					eng.Advance()
				}
				eng.Flush()
				s := eng.Publish(false)
				var up int64
				for _, u := range s.Upstreams {
					if u.Name == "a:1" {
						up = u.Windowed.Requests
					}
				}
				var causes int64
				for _, n := range s.Total.Causes {
					causes += n
				}
				if !s.LogNow.Equal(t0.Add(1799*time.Second)) || s.Windowed.Requests != 900 || up != 900 || s.Total.Requests != 1801 {
					t.Errorf("log clock %v; 15 min window holds %d requests (upstream row %d), want 900 (900); %d in all, want 1801",
						s.LogNow, s.Windowed.Requests, up, s.Total.Requests)
				}
				if wantCauses := int64(status / 500); causes != wantCauses {
					t.Errorf("%d causes in the totals, want %d", causes, wantCauses)
				}
			})
		}
	}
}

// A line far ahead of the clock is held apart: among the kept lines it
// stopped the eviction (lines go in the order they came, up to the first
// one not old enough), so every line after it stayed until the cap cut
// them, the 2099 line first, and from then on every 5xx counted as judged
// with part of its window cut.
func TestAFarFutureLineDoesNotHoldBackEviction(t *testing.T) {
	proxy, app := input(0, sources.RoleProxy), input(1, sources.RoleApp)
	eng := NewEngine(Config{Inputs: []*sources.Input{proxy, app}, MaxLines: 200})
	for s := 0; s < 600; s++ {
		eng.Add(app, appLine(float64(s), sources.PhaseEnd, "", 200, "info", "ok"))
		if s == 60 {
			eng.Add(app, at(y2099, appLine(0, sources.PhaseEnd, "", 200, "info", "wrong clock")))
		}
		st := 200
		if s%10 == 0 {
			st = 502
		}
		eng.Add(proxy, upstreamEntry(float64(s)+0.5, st, "a:1", "502", "-", ""))
		eng.Advance()
	}
	eng.Flush()
	held := len(eng.corr.lines) - eng.corr.head - eng.corr.nils
	if d := eng.Publish(false).Dropped; held > 130 || d.Short != 0 || d.AppLines != 0 {
		t.Errorf("%d lines held, want about 2 minutes' (121); %d app lines cut, %d 5xx judged short; want none", held, d.AppLines, d.Short)
	}
}

// The ±5 s timeline of a 5xx walks out from it up to the first line
// outside its window: a line from 1970 beside the 5xx ended it there, and
// on its right one was shown in the timeline.
func TestTimelinePassesAFarOffLine(t *testing.T) {
	proxy, app := input(0, sources.RoleProxy), input(1, sources.RoleApp)
	var first *Verdict
	eng := NewEngine(Config{Inputs: []*sources.Input{proxy, app}, Timeline: true, Grace: 5 * time.Second,
		OnVerdict: func(v *Verdict) {
			if first == nil {
				first = v
			}
		}})
	for s := 0; s <= 20; s++ {
		st := 200
		if s == 10 {
			st = 502
		}
		eng.Add(proxy, upstreamEntry(float64(s), st, "a:1", "502", "-", fmt.Sprint("r", s)))
		if s == 9 || s == 10 {
			eng.Add(app, at(y1970, appLine(0, sources.PhaseEnd, "", 200, "info", "clock at 1970")))
		}
		eng.Advance()
	}
	eng.Flush()
	var before, after int
	for _, l := range first.Timeline.Lines() {
		switch {
		case l.Time.Year() == 1970:
			t.Errorf("the 1970 line is in the timeline")
		case l.Time.Before(first.Entry.Time):
			before++
		case l.Time.After(first.Entry.Time):
			after++
		}
	}
	if before != 5 || after != 5 {
		t.Errorf("timeline of the 502 at 07:10:10 has %d lines before it and %d after, want the 5 access lines on each side:\n%v",
			before, after, first.Timeline.Lines())
	}
}

// seqRe finds the lab's request number in a path or a line ("?n=45").
var seqRe = regexp.MustCompile(`[?&]n=(\d+)\b`)

// labVerdicts runs the logs in dir through the engine as a report does
// (merged by time, then flushed) and returns each verdict by its request
// number: its cause, how its app lines were matched, and how many app and
// error lines it has.
func labVerdicts(t *testing.T, dir string) map[string]string {
	t.Helper()
	logs, err := filepath.Glob(filepath.Join(dir, "*.log"))
	if err != nil || len(logs) != 3 {
		t.Fatalf("%s: %d logs (%v)", dir, len(logs), err)
	}
	var ins []*sources.Input
	for i, p := range logs {
		ins = append(ins, sources.NewInput(i, sources.Spec{Path: p, Opts: sources.ParserOptions{Location: time.UTC}}))
	}
	out := map[string]string{}
	eng := NewEngine(Config{Inputs: ins, OnVerdict: func(v *Verdict) {
		m := seqRe.FindStringSubmatch(v.Entry.Path)
		if m == nil {
			t.Fatalf("no request number in %q", v.Entry.Path)
		}
		out[m[1]] = fmt.Sprintf("%s, app lines %d by %s, error lines %d", v.Cause, len(v.AppLines), v.MatchedBy, len(v.ErrorLines))
	}})
	for i, err := range sources.MergeEach(context.Background(), ins, eng.Feed) {
		if err != nil {
			t.Fatalf("%s: %v", logs[i], err)
		}
	}
	eng.Flush()
	return out
}

// One line dated 2099 in a real lab recording (nginx's own logs and the
// app's), in the access, error or app log, as its first, a middle or its
// last line, or a copy of such a line dated 2099 right after it: every
// other request's verdict stays as it is, with the same app and error
// lines. Before, a 2099 copy of nginx-upstream's first access line changed
// 121 of the 162 other verdicts, its first error line dated 2099 120, its
// middle app line 28.
func TestOneLineFrom2099InALabRecording(t *testing.T) {
	for _, rec := range []string{"nginx-combined", "nginx-upstream"} {
		src := filepath.Join("..", "testdata", "recordings", rec)
		want := labVerdicts(t, src)
		for _, log := range []string{"access.log", "error.log", "app.log"} {
			lines := strings.SplitAfter(readFile(t, filepath.Join(src, log)), "\n")
			lines = lines[:len(lines)-1] // after the last newline
			for _, at := range []int{0, len(lines) / 2, len(lines) - 1} {
				for _, copied := range []bool{false, true} {
					how := "dated 2099"
					if copied {
						how = "copied, dated 2099"
					}
					t.Run(fmt.Sprintf("%s/%s line %d of %d %s", rec, log, at+1, len(lines), how), func(t *testing.T) {
						dir := t.TempDir()
						for _, f := range []string{"access.log", "error.log", "app.log"} {
							text := readFile(t, filepath.Join(src, f))
							if f == log {
								wrong := strings.Replace(lines[at], "2026", "2099", 1)
								changed := slices.Clone(lines)
								if copied {
									changed = slices.Insert(changed, at+1, wrong)
								} else {
									changed[at] = wrong
								}
								text = strings.Join(changed, "")
							}
							if err := os.WriteFile(filepath.Join(dir, f), []byte(text), 0o644); err != nil {
								t.Fatal(err)
							}
						}
						got := labVerdicts(t, dir)
						own := ""
						if m := seqRe.FindStringSubmatch(lines[at]); m != nil {
							own = m[1] // the request of the changed line may change
						}
						changed := 0
						for n, w := range want {
							if n != own && got[n] != w {
								changed++
								if changed <= 5 {
									t.Errorf("request %s: %s, want %s", n, got[n], w)
								}
							}
						}
						if changed > 0 || len(got) != len(want) {
							t.Errorf("%d of %d other verdicts changed; %d verdicts, want %d", changed, len(want), len(got), len(want))
						}
					})
				}
			}
		}
	}
}

func readFile(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// The span of log time a report covers (Snapshot.First, Last) leaves out a
// line with a wrong clock: one line from 2099 made the report read "from
// 03:00 to 2099-01-01", one from 1970 "from 1970-01-01". (A 1970 first
// line followed by the real ones is a leap the next lines confirm: it
// stays, as a log's first line after a quiet hour would. A 2099 last line
// has nothing after it to refute it: it stays too, as the last request of
// a sparse log must; see TestTheSpanRunsToASparseLogsLastRequest.)
func TestTheSpanLeavesOutAWrongClock(t *testing.T) {
	for _, c := range []struct {
		wrong time.Time
		at    int // index among the 10 lines; 10 = after the last
	}{
		{y2099, 0}, {y2099, 5}, {y1970, 5}, {y1970, 10},
	} {
		name := fmt.Sprintf("%d at %d", c.wrong.Year(), c.at)
		t.Run(name, func(t *testing.T) {
			proxy := input(0, sources.RoleProxy)
			eng := NewEngine(Config{Inputs: []*sources.Input{proxy}})
			for i := 0; i <= 10; i++ {
				if i == c.at {
					eng.Add(proxy, at(c.wrong, upstreamEntry(0, 200, "a:1", "200", "0.001", "")))
				}
				if i < 10 {
					eng.Add(proxy, upstreamEntry(float64(i), 200, "a:1", "200", "0.001", ""))
				}
			}
			eng.Flush()
			s := eng.Publish(true)
			if !s.First.Equal(t0) || !s.Last.Equal(t0.Add(9*time.Second)) || s.Total.Requests != 11 {
				t.Errorf("span %v to %v, %d requests; want %v to %v, 11", s.First, s.Last, s.Total.Requests, t0, t0.Add(9*time.Second))
			}
		})
	}
}

// A sparse log, one request every 2 minutes (and one a day later), spans
// to its last request, though no line after it confirms the leap.
func TestTheSpanRunsToASparseLogsLastRequest(t *testing.T) {
	for _, gap := range []time.Duration{2 * time.Minute, 24 * time.Hour} {
		proxy := input(0, sources.RoleProxy)
		eng := NewEngine(Config{Inputs: []*sources.Input{proxy}})
		for i := 0; i < 3; i++ {
			eng.Add(proxy, upstreamEntry(float64(i)*gap.Seconds(), 200, "a:1", "200", "0.001", ""))
		}
		eng.Flush()
		s := eng.Publish(true)
		if want := t0.Add(2 * gap); !s.First.Equal(t0) || !s.Last.Equal(want) {
			t.Errorf("%v apart: span %v to %v, want %v to %v", gap, s.First, s.Last, t0, want)
		}
	}
}

// The clock's instant (Engine.nowAt) starts as the zero time's, as logNow
// does, not as 1970's: a first record from before 1970, or from 1970's
// first minute, is the first record like any other.
func TestFirstRecordNear1970SetsTheClock(t *testing.T) {
	for _, first := range []time.Time{time.Date(1969, 12, 31, 23, 59, 0, 0, time.UTC), y1970} {
		proxy := input(0, sources.RoleProxy)
		eng := NewEngine(Config{Inputs: []*sources.Input{proxy}})
		eng.Add(proxy, at(first, upstreamEntry(0, 200, "a:1", "200", "0.001", "x")))
		if got := eng.LogNow(); !got.Equal(first) {
			t.Errorf("after a first record of %v: LogNow = %v", first, got)
		}
		if !eng.clock.first {
			t.Errorf("a first record of %v was not taken as the first", first)
		}
	}
}
