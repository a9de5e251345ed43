package replay_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"fivexx/classify"
	"fivexx/classify/replay"
	"fivexx/sources"
	"fivexx/sources/demo"
	_ "fivexx/sources/parsers"
)

// demoInputs writes five minutes of a demo incident and returns fresh inputs
// over its files (inputs count lines, so each run needs its own). With
// FIVEXX_BENCH_LOGS set to a directory holding access.log, error.log and
// app.log (as testdata/biglog writes them) it uses those instead.
func demoInputs(b testing.TB) func() []*sources.Input {
	b.Helper()
	var paths []string
	if dir := os.Getenv("FIVEXX_BENCH_LOGS"); dir != "" {
		for _, f := range []string{"access.log", "error.log", "app.log"} {
			paths = append(paths, filepath.Join(dir, f))
		}
	} else {
		sc, _ := demo.Lookup("slow-dependency")
		var err error
		paths, err = demo.WriteFiles(b.TempDir(), sc, 1, time.Date(2026, 1, 2, 3, 0, 0, 0, time.UTC), 5*time.Minute)
		if err != nil {
			b.Fatal(err)
		}
	}
	return func() []*sources.Input {
		var ins []*sources.Input
		for i, p := range paths {
			ins = append(ins, sources.NewInput(i, sources.Spec{Path: p, Opts: sources.ParserOptions{Location: time.UTC}}))
		}
		return ins
	}
}

// benchPublish is how often a replay publishes: FIVEXX_BENCH_PUBLISH (a
// duration) or, unset, the player's default (100 ms of wall time). Under
// callgrind, which runs a replay about 50 times slower, the default
// publishes 50 times as often per line as a real run does, and as many
// times as the host's load makes it: FIVEXX_BENCH_PUBLISH=1h there counts
// the same instructions on every run.
func benchPublish(t testing.TB) time.Duration {
	s := os.Getenv("FIVEXX_BENCH_PUBLISH")
	if s == "" {
		return 0
	}
	d, err := time.ParseDuration(s)
	if err != nil {
		t.Fatalf("FIVEXX_BENCH_PUBLISH: %v", err)
	}
	return d
}

func lineCount(ins []*sources.Input) (n int64) {
	for _, in := range ins {
		n += in.Counters().Lines
	}
	return n
}

// BenchmarkReplayMax is `fivexx replay --speed max` without the terminal:
// the files merged by time, played through a timeline engine as fast as it
// goes (Player.RunMerged), whose verdicts make their timelines when asked,
// from the files read again (classify.LaterTimeline), as a replay of plain
// files does. Compare its lines/s with BenchmarkReportEngine (same files).
func BenchmarkReplayMax(b *testing.B) { benchReplayMax(b, timelinesLater) }

// BenchmarkReplayMaxEager is BenchmarkReplayMax with every timeline made
// as its verdict is, as a replay of stdin, a command or gzip input does.
func BenchmarkReplayMaxEager(b *testing.B) { benchReplayMax(b, timelinesEager) }

// timelineMode is how a replay engine makes timelines.
type timelineMode int

const (
	timelinesNone  timelineMode = iota // none (Config.Timeline off)
	timelinesEager                     // as each verdict is made
	timelinesLater                     // when asked, from the files (Config.Rereaders)
)

// playAll replays ins at full speed through an engine that makes
// timelines as mode says and explains its verdicts later (as fivexx
// replay's does) or as it judges them, calling onVerdict (when set) with
// each verdict.
func playAll(t testing.TB, ins []*sources.Input, mode timelineMode, explainLater bool, onVerdict func(*classify.Verdict)) (*classify.Engine, *replay.Player) {
	t.Helper()
	cfg := classify.Config{Inputs: ins, Timeline: mode != timelinesNone, ExplainLater: explainLater, Grace: 5 * time.Second, Now: time.Now, OnVerdict: onVerdict}
	if mode == timelinesLater {
		if cfg.Rereaders = sources.Rereaders(ins); cfg.Rereaders == nil {
			t.Fatal("plain files cannot be read again")
		}
	}
	eng := classify.NewEngine(cfg)
	pl := replay.New(eng, ins, replay.Options{Speed: 0, Publish: benchPublish(t)})
	for _, err := range pl.RunMerged(context.Background(), ins) {
		if err != nil {
			t.Fatal(err)
		}
	}
	return eng, pl
}

// benchReplayMax replays the bench files at full speed through an engine
// that makes timelines as mode says, and reports lines/s.
func benchReplayMax(b *testing.B, mode timelineMode) {
	newInputs := demoInputs(b)
	var lines int64
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		ins := newInputs()
		eng, pl := playAll(b, ins, mode, true, nil)
		if !pl.Status().Finished {
			b.Fatal("replay not done")
		}
		if s := eng.Latest(); s == nil || s.Total.Requests == 0 {
			b.Fatal("no requests counted")
		}
		lines += lineCount(ins)
	}
	b.ReportMetric(float64(lines)/b.Elapsed().Seconds(), "lines/s")
}

// BenchmarkReplayMaxNoTimelines is BenchmarkReplayMax with an engine that
// makes no timelines (Config.Timeline off): it holds no access line and
// lends nothing, and explains its verdicts later as a replay does. What
// BenchmarkReplayMaxEager takes beyond it is the eager timelines' cost;
// what it takes beyond BenchmarkReportEngine, the player's. (Session 19,
// when a replay still explained every verdict as it judged it; 2 M bench
// set, medians of 5 alternated runs on a busy host: 1.37 s a run with
// eager timelines, 0.91 s without, 1.02 s for the report's engine.)
func BenchmarkReplayMaxNoTimelines(b *testing.B) { benchReplayMax(b, timelinesNone) }

// BenchmarkReplayMaxBatches is BenchmarkReplayMax as replay ran before
// RunMerged: MergeBatches on a goroutine of its own, sending batches to
// Player.RunBatches.
func BenchmarkReplayMaxBatches(b *testing.B) {
	newInputs := demoInputs(b)
	var lines int64
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		ins := newInputs()
		for _, in := range ins {
			in.ReleasesInOrder()
		}
		eng := classify.NewEngine(classify.Config{Inputs: ins, Timeline: true, Grace: 5 * time.Second, Now: time.Now})
		pl := replay.New(eng, ins, replay.Options{Speed: 0})
		batches := make(chan []sources.Item, 2)
		go sources.MergeBatches(context.Background(), ins, batches)
		pl.RunBatches(context.Background(), batches)
		if !pl.Status().Finished {
			b.Fatal("replay not done")
		}
		lines += lineCount(ins)
	}
	b.ReportMetric(float64(lines)/b.Elapsed().Seconds(), "lines/s")
}

// BenchmarkReportEngine is the same files read as `fivexx report` reads
// them (MergeRuns into Engine.FeedRun, no timelines, terse verdicts), for the ratio with
// BenchmarkReplayMax.
func BenchmarkReportEngine(b *testing.B) {
	newInputs := demoInputs(b)
	var lines int64
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		ins := newInputs()
		eng := classify.NewEngine(classify.Config{Inputs: ins, Grace: 5 * time.Second, Terse: true})
		for _, err := range sources.MergeRuns(context.Background(), ins, eng.FeedRun) {
			if err != nil {
				b.Fatal(err)
			}
		}
		eng.Flush()
		eng.Publish(true)
		lines += lineCount(ins)
	}
	b.ReportMetric(float64(lines)/b.Elapsed().Seconds(), "lines/s")
}

// BenchmarkLaterTimelineLoad is opening a verdict of a replay of plain
// files: its timeline read again from the files (LaterTimeline.Load). The
// first Load of a replay also reads each file once for its marks
// (first-ms); the loop loads the verdicts' timelines in turn.
func BenchmarkLaterTimelineLoad(b *testing.B) {
	var vs []*classify.Verdict
	playAll(b, demoInputs(b)(), timelinesLater, true, func(v *classify.Verdict) { vs = append(vs, v) })
	if len(vs) == 0 || vs[0].Later == nil {
		b.Fatal("no verdicts with timelines to make later")
	}
	start := time.Now()
	if _, err := vs[len(vs)/2].Later.Load(); err != nil {
		b.Fatal(err)
	}
	first := time.Since(start)
	b.ReportAllocs()
	b.ResetTimer()
	lines := 0
	for i := 0; i < b.N; i++ {
		tl, err := vs[i*7919%len(vs)].Later.Load()
		if err != nil {
			b.Fatal(err)
		}
		lines += tl.Len()
	}
	if lines == 0 {
		b.Fatal("empty timelines")
	}
	b.ReportMetric(float64(first.Milliseconds()), "first-ms")
}
