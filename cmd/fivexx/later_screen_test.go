package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/exp/teatest"

	"fivexx/classify"
	"fivexx/classify/replay"
	"fivexx/sources"
	"fivexx/tui"
)

// laterSnapshot replays copies of a recording's logs as `fivexx replay`
// does (plain files: timelines made when a verdict is opened) and returns
// the last snapshot and the copies' directory.
func laterSnapshot(t *testing.T, name string) (*classify.Snapshot, string) {
	t.Helper()
	paths := copyRecording(t, name)
	var inf inputFlags
	ins, err := buildInputs(&inf, paths, os.Stderr, true)
	if err != nil {
		t.Fatal(err)
	}
	rs := sources.Rereaders(ins)
	if rs == nil {
		t.Fatal("plain files cannot be read again")
	}
	eng := classify.NewEngine(classify.Config{Inputs: ins, Timeline: true, Rereaders: rs, Grace: 5 * time.Second, Now: func() time.Time { return screenWall }})
	pl := replay.New(eng, ins, replay.Options{Speed: 0})
	for _, err := range pl.RunMerged(context.Background(), ins) {
		if err != nil {
			t.Fatal(err)
		}
	}
	return eng.Latest(), filepath.Dir(paths[0])
}

// A replay's verdict opened in the UI shows its own lines while the lines
// around it are read again from the files, then the whole timeline; with
// a file gone since, the lines of the others and why that one is missing.
func TestDetailReadsTheTimelineAgain(t *testing.T) {
	snap, dir := laterSnapshot(t, "nginx-upstream")
	if len(snap.Recent) == 0 {
		t.Fatal("no verdicts")
	}
	v := snap.Recent[len(snap.Recent)-1]
	if v.Later == nil {
		t.Fatal("a replay of plain files made its timelines as it judged")
	}
	whole, err := v.Later.Load()
	if err != nil {
		t.Fatal(err)
	}
	if whole.Len() <= v.Timeline.Len() {
		t.Fatalf("the timeline read again has %d lines, its own %d", whole.Len(), v.Timeline.Len())
	}
	open := func(t *testing.T) *teatest.TestModel {
		m := tui.New(frozen{snap}, tui.Options{Title: "replay", Refresh: 20 * time.Millisecond})
		tm := teatest.NewTestModel(t, m, teatest.WithInitialTermSize(200, 200))
		teatest.WaitFor(t, tm.Output(), func(b []byte) bool { return bytes.Contains(b, []byte("Upstreams")) }, teatest.WithDuration(5*time.Second))
		tm.Send(keyMsg("enter"))
		teatest.WaitFor(t, tm.Output(), func(b []byte) bool { return bytes.Contains(b, []byte("▸ upstream")) }, teatest.WithDuration(5*time.Second))
		tm.Send(keyMsg("enter"))
		return tm
	}
	t.Run("read", func(t *testing.T) {
		tm := open(t)
		teatest.WaitFor(t, tm.Output(), func(b []byte) bool { return bytes.Contains(b, []byte(" lines; ▶ = this request)")) }, teatest.WithDuration(5*time.Second))
		tm.Send(keyMsg("q"))
		view := tm.FinalModel(t, teatest.WithFinalTimeout(5*time.Second)).View()
		// The verdict opened is the one whose access line is shown.
		var opened *classify.Verdict
		if _, after, ok := strings.Cut(view, "Proxy access line"); ok {
			shown, _, _ := strings.Cut(strings.TrimLeft(after, " \n"), "\n")
			for _, r := range snap.Recent {
				if raw := r.Entry.Raw[:min(len(r.Entry.Raw), 100)]; strings.HasPrefix(strings.TrimSpace(shown), raw) {
					opened = r
				}
			}
		}
		if opened == nil {
			t.Fatalf("no verdict's access line shown in:\n%s", view)
		}
		tl, _ := opened.Later.Load()
		// A full timeline says how far its nearest lines reach ("±0.4 s, the
		// 60 nearest lines"), one with room left "±5 s, 23 lines".
		n := strconv.Itoa(tl.Len())
		if !strings.Contains(view, "Timeline (±5 s, "+n+" lines;") && !strings.Contains(view, ", the "+n+" nearest lines;") {
			t.Fatalf("no timeline of %d lines in:\n%s", tl.Len(), view)
		}
		// The first lines (the rest is below, to scroll to).
		for _, l := range tl.Lines()[:10] {
			if raw := l.Raw[:min(len(l.Raw), 60)]; !strings.Contains(view, raw) {
				t.Fatalf("timeline line %q not shown in:\n%s", raw, view)
			}
		}
	})
	t.Run("a file gone", func(t *testing.T) {
		gone := filepath.Join(dir, "app.log")
		if err := os.Remove(gone); err != nil {
			t.Fatal(err)
		}
		tm := open(t)
		teatest.WaitFor(t, tm.Output(), func(b []byte) bool { return bytes.Contains(b, []byte("not read again")) }, teatest.WithDuration(5*time.Second))
		tm.Send(keyMsg("q"))
		view := tm.FinalModel(t, teatest.WithFinalTimeout(5*time.Second)).View()
		if !strings.Contains(view, "no such file or directory") {
			t.Fatalf("the error is not shown:\n%s", view)
		}
		if !strings.Contains(view, "access.log") {
			t.Fatalf("the access log's lines are not shown:\n%s", view)
		}
	})
}

// copyRecording copies the logs of recording name into a temporary
// directory and returns their paths there, in recordingLogs' order.
func copyRecording(t *testing.T, name string) []string {
	t.Helper()
	dir := t.TempDir()
	var paths []string
	for _, p := range recordingLogs(t, name) {
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		q := filepath.Join(dir, filepath.Base(p))
		if err := os.WriteFile(q, data, 0o644); err != nil {
			t.Fatal(err)
		}
		paths = append(paths, q)
	}
	return paths
}
