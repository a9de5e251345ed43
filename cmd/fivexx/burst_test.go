//go:build !race

// The burst runs without the race detector, which slows the pipeline
// about sevenfold and would turn a burst into a trickle; make test runs
// it in a separate plain go test step.

package main

import (
	"context"
	"io"
	"runtime"
	"sort"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"fivexx/classify"
	"fivexx/sources/demo"
	"fivexx/tui"
)

// A burst of 1,000,000 lines (the overload scenario: a 503 storm) goes
// through the live path as fast as the feeder can write it, with small
// buffers so the caps are reached. Memory stays bounded by the caps, what
// the caps let go is counted and shown, no line is lost from the counts,
// and the UI keeps answering keys while it happens.
func TestBurstOfAMillionLines(t *testing.T) {
	const total = 1_000_000
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	ins, feeders, items := demoInputs(ctx)
	// The live engine judges on its 100 ms ticks, so what waits between
	// two ticks is the feed rate x the scenario's 16 % of 5xx x 0.1 s:
	// about 480 at the 30,000 lines/s a host at load 13 fed, where a cap
	// of 2,000 was never reached and the test failed. 200 is reached down
	// to about 12,000 lines/s.
	cfg := classify.Config{Inputs: ins, Live: true, Now: time.Now, Timeline: true, Grace: time.Second,
		MaxLines: 20_000, MaxPending: 200, MaxRecent: 500}
	eng := classify.NewEngine(cfg)
	engineDone := make(chan struct{})
	go func() { eng.Run(ctx, items, 100*time.Millisecond); close(engineDone) }()

	sc, ok := demo.Lookup("overload")
	if !ok {
		t.Fatal("no overload scenario")
	}
	gen := demo.New(sc, 1, time.Now())
	var fed atomic.Int64
	fedAll := make(chan time.Duration, 1)
	go func() {
		start := time.Now()
		for i := 0; i < total && ctx.Err() == nil; i++ {
			l := gen.Next()
			if err := feeders[l.Stream].Line(ctx, l.Text); err != nil {
				return
			}
			fed.Add(1)
		}
		for _, f := range feeders {
			f.Flush(ctx)
		}
		fedAll <- time.Since(start)
	}()

	// The UI runs in a real Bubble Tea program (output discarded); a key is
	// sent every 20 ms and timed from Send to the end of the View that
	// follows its Update: the queueing in the program's loop counts too.
	ui := &timedModel{inner: tui.New(eng, tui.Options{Title: "burst"}), lat: make(chan time.Duration, 1<<14)}
	prog := tea.NewProgram(ui, tea.WithInput(nil), tea.WithOutput(io.Discard), tea.WithoutSignalHandler())
	progDone := make(chan error, 1)
	go func() { _, err := prog.Run(); progDone <- err }()
	prog.Send(tea.WindowSizeMsg{Width: 160, Height: 48})
	keys := []tea.KeyMsg{{Type: tea.KeyRunes, Runes: []rune("j")}, {Type: tea.KeyRunes, Runes: []rune("k")}}
	var peakHeap uint64
	var peakPending int
	var took time.Duration
	var ms runtime.MemStats
	deadline := time.After(3 * time.Minute)
loop:
	for i := 0; ; i++ {
		select {
		case took = <-fedAll:
			break loop
		case <-deadline:
			t.Fatalf("fed %d of %d lines in 3 minutes", fed.Load(), total)
		case <-time.After(20 * time.Millisecond):
		}
		prog.Send(timedKey{key: keys[i%2], sent: time.Now()})
		if i%10 == 0 {
			runtime.ReadMemStats(&ms)
			peakHeap = max(peakHeap, ms.HeapInuse)
		}
		if s := eng.Latest(); s != nil {
			peakPending = max(peakPending, s.Pending)
		}
	}
	// Let the engine take the rest and judge what is pending.
	time.Sleep(1500 * time.Millisecond)
	cancel()
	<-engineDone

	var lines, parsed, unparsed int64
	for _, in := range ins {
		c := in.Counters()
		lines, parsed, unparsed = lines+c.Lines, parsed+c.Parsed, unparsed+c.Unparsed
	}
	if lines != total || parsed+unparsed != lines || unparsed != 0 {
		t.Errorf("counted %d lines (%d parsed, %d unparsed), want %d all parsed", lines, parsed, unparsed, total)
	}
	snap := eng.Publish(false)
	d := snap.Dropped
	// The queue full at a published snapshot means the next 5xx was judged
	// early. Dropped.Pending cannot tell: it counts only early verdicts
	// without their own error-log line or id join, and in this scenario
	// every limited 503 has its limiter line and every app 503 its id.
	if peakPending < cfg.MaxPending {
		t.Errorf("the pending cap (%d) was never reached: at most %d pending; dropped %+v; the test no longer tests the cap", cfg.MaxPending, peakPending, d)
	}
	if snap.Pending > cfg.MaxPending || len(snap.Recent) > 2*cfg.MaxRecent {
		t.Errorf("pending %d (cap %d), recent %d (cap 2x%d)", snap.Pending, cfg.MaxPending, len(snap.Recent), cfg.MaxRecent)
	}
	prog.Send(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("q")})
	if err := <-progDone; err != nil {
		t.Fatal(err)
	}
	// The screen says "dropped" only for verdicts that may be guesses
	// (tui: TestDroppedIsSaidOnlyWhenVerdictsMayBeGuesses).
	if v := ui.inner.View(); strings.Contains(v, "5xx judged early") != d.Lossy() {
		t.Errorf("dropped %+v (lossy %v), but the screen says otherwise:\n%s", d, d.Lossy(), v)
	}
	close(ui.lat)
	var lat []time.Duration
	for d := range ui.lat {
		lat = append(lat, d)
	}
	if len(lat) < 10 {
		t.Fatalf("only %d keys answered", len(lat))
	}
	// Bounded by the caps, not by the million lines: 20,000 held lines,
	// 200 pending and 500 recent verdicts with timelines come to tens
	// of MB; a million lines of this log are about 300 MB.
	if peakHeap > 200<<20 {
		t.Errorf("peak heap in use %d MB, want under 200 MB", peakHeap>>20)
	}
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	p50, p99, worst := lat[len(lat)/2], lat[len(lat)*99/100], lat[len(lat)-1]
	// The median is the target (a key within 100 ms); the 99th percentile
	// says the UI never waited on ingest: a UI that did would wait on
	// every key in a burst, not on one. The worst alone is the host's:
	// at load 12-13 one key in 448 took 2.46 s (the median 2.6 ms), at
	// load 17 one took 1.02 s. `make bench-live` measures the latencies
	// on a quiet machine.
	if p50 > 100*time.Millisecond || p99 > 2*time.Second {
		t.Errorf("key to frame: median %v, 99th percentile %v; want under 100 ms and 2 s", p50, p99)
	}
	t.Logf("%d lines fed in %v (%.0f lines/s); key to frame median %v, 99th percentile %v, worst %v over %d keys; peak heap in use %d MB; at most %d pending; dropped %+v",
		total, took.Round(time.Millisecond), float64(total)/took.Seconds(), p50, p99, worst, len(lat), peakHeap>>20, peakPending, d)
}

// timedKey is a key press with the time it was sent.
type timedKey struct {
	key  tea.KeyMsg
	sent time.Time
}

// timedModel wraps the UI and records, for every timed key, the time from
// its Send to the end of the View after its Update.
type timedModel struct {
	inner tea.Model
	lat   chan time.Duration
}

func (m *timedModel) Init() tea.Cmd { return m.inner.Init() }

func (m *timedModel) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	var cmd tea.Cmd
	if k, ok := msg.(timedKey); ok {
		m.inner, cmd = m.inner.Update(k.key)
		_ = m.inner.View()
		select {
		case m.lat <- time.Since(k.sent):
		default:
		}
		return m, cmd
	}
	m.inner, cmd = m.inner.Update(msg)
	return m, cmd
}

func (m *timedModel) View() string { return m.inner.View() }
