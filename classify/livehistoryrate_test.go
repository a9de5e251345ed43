package classify

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"fivexx/sources"
	"fivexx/sources/parsertest"
)

// Live --from-start: an access log's lines/s counts its history's lines
// by their own seconds, as the rates pane's "all" counts their requests,
// so the two agree from the first second on; the history read is no rate
// of the other inputs, whose lines/s is of the lines read live by the
// wall clock. The history was passed: for the first 10 s after it lines/s
// lacked its lines beside "all" (0.0 beside "all 7.0/s" at the history's
// end, 0.2 beside 5.8/s a second later), and an error log read over
// several snapshots counted how fast it was read (12.8). Here 20 s of
// history (7 access lines a second, 200 error lines a second) read through
// CatchUp and then followed, with 2 access lines a second appended for
// 12 s, as live mode wires it (cmd/fivexx startLive).
func TestLiveFromStartLinesPerSecCountsTheHistoryBySeconds(t *testing.T) {
	t0 := time.Date(2026, 3, 4, 3, 0, 0, 0, time.UTC)
	dir := t.TempDir()
	accessLine := func(at time.Time, n int) string {
		return fmt.Sprintf("127.0.0.1 - - [%s] \"GET /x?n=%d HTTP/1.1\" 200 3 \"-\" \"ua\"\n", at.Format("02/Jan/2006:15:04:05 -0700"), n)
	}
	errorLine := func(at time.Time, n int) string {
		return fmt.Sprintf("%s [error] 1#1: *%d open() \"/srv/x\" failed (2: No such file or directory), client: 127.0.0.1, server: , request: \"GET /y HTTP/1.1\", host: \"h\"\n",
			at.Format("2006/01/02 15:04:05"), n)
	}
	var acc, errl strings.Builder
	n := 0
	for s := -20; s < 0; s++ {
		at := t0.Add(time.Duration(s) * time.Second)
		for range 7 {
			acc.WriteString(accessLine(at, n))
			n++
		}
		for k := range 200 { // more than its reader reads ahead
			errl.WriteString(errorLine(at, k))
		}
	}
	a, e := filepath.Join(dir, "access.log"), filepath.Join(dir, "error.log")
	parsertest.WriteFiles(t, map[string]string{a: acc.String(), e: errl.String()})
	loc := sources.ParserOptions{Location: time.UTC}
	ins := []*sources.Input{sources.NewInput(0, sources.Spec{Path: a, Opts: loc}), sources.NewInput(1, sources.Spec{Path: e, Opts: loc})}

	// The wall clock: while the history is read, 10 ms on at each look
	// (a slow read, over several snapshots), noting the error log's
	// lines/s in the snapshot published; then set by the test.
	var wallNs atomic.Int64
	wallNs.Store(t0.UnixNano())
	var catching atomic.Bool
	var mu sync.Mutex
	var errorRates []float64
	var eng *Engine
	now := func() time.Time {
		if catching.Load() {
			if s := eng.Latest(); s != nil && len(s.Inputs) == 2 {
				mu.Lock()
				errorRates = append(errorRates, s.Inputs[1].LinesPerSec)
				mu.Unlock()
			}
			return time.Unix(0, wallNs.Add(int64(10*time.Millisecond))).UTC()
		}
		return time.Unix(0, wallNs.Load()).UTC()
	}
	eng = NewEngine(Config{Inputs: ins, Live: true, Now: now})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	opts := make([]sources.FollowOptions, len(ins))
	for i, in := range ins {
		h, ok := sources.HistoryOf(in)
		if !ok {
			t.Fatalf("%s: no history", in.Spec.Path)
		}
		in.ReadHistory(h)
		opts[i] = sources.FollowOptions{FromStart: true, History: &h, Poll: true}
	}
	catching.Store(true)
	if errs := eng.CatchUp(ctx, ins, 10*time.Millisecond); errs[0] != nil || errs[1] != nil {
		t.Fatal(errs)
	}
	catching.Store(false)
	mu.Lock()
	if len(errorRates) < 2 {
		t.Errorf("%d snapshots published while the history was read, want several", len(errorRates))
	}
	for _, r := range errorRates {
		if r != 0 {
			t.Errorf("while the history was read the error log's lines/s was %v, want 0: its read is no rate (all: %v)", r, errorRates)
			break
		}
	}
	mu.Unlock()
	s := eng.Latest()
	if got, all := fmt.Sprintf("%.1f", s.Inputs[0].LinesPerSec), fmt.Sprintf("%.1f", allRate(s)); got != all || all != "7.0" {
		t.Errorf("after the history: access lines/s %s, rates pane all %s/s; want both 7.0", got, all)
	}
	if r := s.Inputs[1].LinesPerSec; r != 0 {
		t.Errorf("after the history: error log lines/s %v, want 0", r)
	}

	read := make(chan sources.Item, 1024)
	var followers sync.WaitGroup
	for i, in := range ins {
		followers.Add(1)
		go func() {
			defer followers.Done()
			_ = sources.Follow(ctx, in, read, opts[i], false)
		}()
	}
	items, tick, done := make(chan sources.Item), make(chan time.Time), make(chan struct{})
	go func() {
		defer close(done)
		eng.run(ctx, items, tick)
	}()
	start := time.Unix(0, wallNs.Load()).UTC().Truncate(time.Second).Add(time.Second)
	f, err := os.OpenFile(a, os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	for s := 0; s < 12; s++ {
		at := start.Add(time.Duration(s) * time.Second)
		wallNs.Store(at.UnixNano())
		if _, err := f.WriteString(accessLine(at, n) + accessLine(at, n+1)); err != nil {
			t.Fatal(err)
		}
		n += 2
		for k := 0; k < 2; k++ {
			select {
			case it := <-read:
				items <- it
			case <-time.After(10 * time.Second):
				t.Fatalf("after %d s: the appended lines were not read", s)
			}
		}
		w := at.Add(900 * time.Millisecond)
		wallNs.Store(w.UnixNano())
		tick <- w
		snap := publishedAt(t, eng, w)
		// History of the last 10 s (7 a second) and 2 a second since.
		if got, all := fmt.Sprintf("%.1f", snap.Inputs[0].LinesPerSec), fmt.Sprintf("%.1f", allRate(snap)); got != all {
			t.Errorf("%d s after the history: access lines/s %s, rates pane all %s/s: want the same", s+1, got, all)
		}
	}
	cancel()
	<-done
	followers.Wait()
}
