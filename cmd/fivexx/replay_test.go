package main

import (
	"bytes"
	"compress/gzip"
	"context"
	"os"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"fivexx/classify"
	"fivexx/classify/replay"
	"fivexx/sources"
)

func recordingLogs(t *testing.T, name string) []string {
	t.Helper()
	logs, _ := filepath.Glob(filepath.Join("../../testdata/recordings", name, "*.log"))
	if len(logs) == 0 {
		t.Fatalf("no logs in testdata/recordings/%s", name)
	}
	return logs
}

// TestReplayMaxEqualsReport plays a recording at --speed max through the
// replay player and checks its totals equal report's on the same files,
// one of them gzip-compressed.
func TestReplayMaxEqualsReport(t *testing.T) {
	logs := recordingLogs(t, "nginx-upstream")
	// Compress the access log: replay and report take .gz alike.
	dir := t.TempDir()
	for i, p := range logs {
		b, _ := os.ReadFile(p)
		if filepath.Base(p) == "access.log" {
			var z bytes.Buffer
			w := gzip.NewWriter(&z)
			w.Write(b)
			w.Close()
			b = z.Bytes()
		}
		logs[i] = filepath.Join(dir, filepath.Base(p)+".gz")
		os.WriteFile(logs[i], b, 0o644)
	}
	var inf inputFlags
	ins, err := buildInputs(&inf, logs, os.Stderr, true)
	if err != nil {
		t.Fatal(err)
	}
	want, err := readAll(context.Background(), ins, classify.Config{Inputs: ins, Grace: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}

	ins2, _ := buildInputs(&inf, logs, os.Stderr, true)
	eng := classify.NewEngine(classify.Config{Inputs: ins2, Timeline: true, Grace: 5 * time.Second})
	items := make(chan sources.Item, 64)
	go sources.Merge(context.Background(), ins2, items)
	replay.New(eng, ins2, replay.Options{Speed: 0}).Run(context.Background(), items)
	got := eng.Latest()
	if got.Total.Requests == 0 || !reflect.DeepEqual(got.Total, want.Total) {
		t.Fatalf("replay totals %+v\nreport totals %+v", got.Total, want.Total)
	}
	if len(got.Recent) == 0 || got.Recent[len(got.Recent)-1].Timeline.Len() == 0 {
		t.Fatal("replayed verdicts carry no timeline for the detail screen")
	}
}

// The UI learns that a replay has finished (playerSource dropped
// Status.Finished, and the screen read "▶ playing" for ever), and the
// window keys still apply to the final data.
func TestReplayStateAfterTheEnd(t *testing.T) {
	var inf inputFlags
	ins, err := buildInputs(&inf, recordingLogs(t, "nginx-upstream"), os.Stderr, true)
	if err != nil {
		t.Fatal(err)
	}
	eng := classify.NewEngine(classify.Config{Inputs: ins, Timeline: true, Grace: 5 * time.Second, Now: time.Now})
	items := make(chan sources.Item, 64)
	go sources.Merge(context.Background(), ins, items)
	src := playerSource{replay.New(eng, ins, replay.Options{Speed: 0})}
	if src.State().Finished {
		t.Fatal("finished before playing")
	}
	src.Run(context.Background(), items)
	if !src.State().Finished {
		t.Fatal("State().Finished is false after the replay ended")
	}
	src.SetWindow(time.Minute)
	if w := src.Snapshot().Window; w != time.Minute {
		t.Errorf("window %v after SetWindow(1m) at the end", w)
	}
}
