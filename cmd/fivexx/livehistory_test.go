package main

import (
	"context"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"fivexx/classify"
	"fivexx/sources"
)

// Live --from-start reads the files' history merged by time, as a report
// does, then follows each from where its history ended. Read one input
// after another, the small error log was read to its end at once and the
// line cap evicted its lines while the access lines they belonged to were
// still being read: of a 200,000-request history (QA session 23, tui HIGH
// 1), 4,014 reset 502s were judged upstream_refused low where the report
// says upstream_reset high. Here every 293rd request of that history
// (classify/testdata/capkeep: real-format nginx upstreaminfo access and
// error lines and JSON app lines of the QA's load generator), with the
// cap scaled to it (300 lines, about 4 s of them), through the pipeline as live mode wires it
// (startLive, without the UI).
func TestLiveFromStartJudgesTheHistoryAsTheReport(t *testing.T) {
	dir := t.TempDir()
	var paths []string
	for _, f := range []string{"access.log", "error.log", "app.log"} {
		b, err := os.ReadFile(filepath.Join("..", "..", "classify", "testdata", "capkeep", f))
		if err != nil {
			t.Fatal(err)
		}
		p := filepath.Join(dir, f)
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
		paths = append(paths, p)
	}
	var ins []*sources.Input
	for i, p := range paths {
		// nginx's error lines carry no zone: the generator wrote UTC.
		ins = append(ins, sources.NewInput(i, sources.Spec{Path: p, Opts: sources.ParserOptions{Location: time.UTC}}))
	}
	var mu sync.Mutex
	causes := map[string]int{}
	n := 0
	cfg := liveEngineConfig(ins)
	cfg.MaxLines = 300
	cfg.OnVerdict = func(v *classify.Verdict) {
		mu.Lock()
		defer mu.Unlock()
		n++
		causes[string(v.Cause)+" "+string(v.Confidence)]++
	}
	eng := classify.NewEngine(cfg)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var cr crash
	startLive(ctx, cancel, eng, ins, true, false, &cr)
	verdicts := func() int { mu.Lock(); defer mu.Unlock(); return n }
	waitUntil(t, 60*time.Second, "the history's 20 5xx judged", func() bool { return verdicts() >= 20 })

	// A reset 502 appended after the start is followed, and no line of the
	// history is read twice.
	for _, add := range []struct{ path, line string }{
		{paths[1], `2026/11/22 11:12:20 [error] 1#1: *900001 recv() failed (104: Connection reset by peer) while reading response header from upstream, client: 10.1.0.1, server: , request: "GET /api/900001 HTTP/1.1", upstream: "http://10.0.0.4:8080/api/900001", host: "x"`},
		{paths[0], `10.1.0.1 - - [22/Nov/2026:11:12:20 +0000] "GET /api/900001 HTTP/1.1" 502 3 "-" "load" rt=0.003 uct="0.000" uht="-" urt="0.003" ua="10.0.0.4:8080" us="502" rid=000000000000000000000000000dbba1 cid=900001`},
	} {
		f, err := os.OpenFile(add.path, os.O_APPEND|os.O_WRONLY, 0)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.WriteString(add.line + "\n"); err != nil {
			t.Fatal(err)
		}
		f.Close()
	}
	waitUntil(t, 60*time.Second, "the appended 502 judged", func() bool { return verdicts() >= 21 })
	cancel()
	if cr.msg != "" {
		t.Fatal(cr.msg)
	}
	mu.Lock()
	defer mu.Unlock()
	want := map[string]int{"upstream_reset high": 13, "app_unavailable high": 6, "app_error high": 2}
	if n != 21 || len(causes) != len(want) {
		t.Fatalf("%d verdicts: %v; want 21: %v", n, causes, want)
	}
	for k, w := range want {
		if causes[k] != w {
			t.Errorf("%s: %d, want %d (all: %v)", k, causes[k], w, causes)
		}
	}
	if got := ins[0].Counters().Lines; got != 683 {
		t.Errorf("access.log: %d lines read, want 683 (682 of history and 1 appended)", got)
	}
}
