package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/exp/teatest"
	"github.com/muesli/termenv"

	"fivexx/classify"
	"fivexx/sources"
	"fivexx/sources/demo"
	"fivexx/tui"
)

func init() { lipgloss.SetColorProfile(termenv.Ascii) }

// frozen is a UI source holding one snapshot made by the real engine.
type frozen struct{ s *classify.Snapshot }

func (f frozen) Snapshot() *classify.Snapshot { return f.s }
func (f frozen) SetWindow(time.Duration)      {}

var screenWall = time.Date(2026, 11, 21, 8, 0, 0, 0, time.UTC)

// recordedSnapshot runs a real-proxy recording through the same pipeline
// as replay --speed max and returns the last snapshot.
func recordedSnapshot(t *testing.T, name string) *classify.Snapshot {
	t.Helper()
	return filesSnapshot(t, recordingLogs(t, name)...)
}

// filesSnapshot is recordedSnapshot of the logs at paths.
func filesSnapshot(t *testing.T, paths ...string) *classify.Snapshot {
	t.Helper()
	var inf inputFlags
	ins, err := buildInputs(&inf, paths, os.Stderr, true)
	if err != nil {
		t.Fatal(err)
	}
	eng := classify.NewEngine(classify.Config{Inputs: ins, Timeline: true, Grace: 5 * time.Second, Now: func() time.Time { return screenWall }})
	items := make(chan sources.Item, 256)
	go sources.Merge(context.Background(), ins, items)
	for it := range items {
		eng.Add(it.Input, it.Rec)
		eng.Advance()
	}
	eng.Flush()
	return eng.Publish(false)
}

// demoSnapshot plays 90 s of a demo scenario at a fixed seed through the
// demo's inputs (the real parsers) and the engine.
func demoSnapshot(t *testing.T, scenario string) *classify.Snapshot {
	t.Helper()
	sc, _ := demo.Lookup(scenario)
	start := time.Date(2026, 1, 2, 3, 0, 0, 0, time.UTC)
	gen := demo.New(sc, 7, start)
	ctx := context.Background()
	ins, feeders, items := demoInputs(ctx)
	eng := classify.NewEngine(classify.Config{Inputs: ins, Timeline: true, Grace: 5 * time.Second, Now: func() time.Time { return screenWall }})
	go func() {
		defer close(items)
		for {
			l := gen.Next()
			if l.Time.After(start.Add(90 * time.Second)) {
				for _, f := range feeders {
					f.Flush(ctx)
				}
				return
			}
			feeders[l.Stream].Line(ctx, l.Text)
		}
	}()
	for it := range items {
		eng.Add(it.Input, it.Rec)
		eng.Advance()
	}
	eng.Flush()
	return eng.Publish(false)
}

func keyMsg(k string) tea.KeyMsg {
	switch k {
	case "enter":
		return tea.KeyMsg{Type: tea.KeyEnter}
	case "tab":
		return tea.KeyMsg{Type: tea.KeyTab}
	}
	return tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(k)}
}

// TestRealDataScreens renders the overview, an upstream drill-down and a
// request's detail from snapshots the engine made of real data — a real
// nginx recording and the demo at a fixed seed — at 80×24 and 160×48.
func TestRealDataScreens(t *testing.T) {
	type step struct{ key, wait string }
	sources := map[string]func(*testing.T) *classify.Snapshot{
		"nginx-upstream":   func(t *testing.T) *classify.Snapshot { return recordedSnapshot(t, "nginx-upstream") },
		"demo-oom-kill":    func(t *testing.T) *classify.Snapshot { return demoSnapshot(t, "oom-kill") },
		"demo-db-failover": func(t *testing.T) *classify.Snapshot { return demoSnapshot(t, "db-failover") },
	}
	screens := []struct {
		name  string
		steps []step
	}{
		{"overview", []step{{"", "Upstreams"}}},
		{"upstream", []step{{"", "Upstreams"}, {"enter", "▸ upstream"}}},
		{"detail", []step{{"", "Upstreams"}, {"enter", "▸ upstream"}, {"enter", "▸ request"}}},
	}
	for _, name := range []string{"nginx-upstream", "demo-oom-kill", "demo-db-failover"} {
		snap := sources[name](t)
		if snap.Total.Requests == 0 || len(snap.Recent) == 0 {
			t.Fatalf("%s: empty snapshot", name)
		}
		for _, sz := range [][2]int{{80, 24}, {160, 48}} {
			for _, sc := range screens {
				t.Run(fmt.Sprintf("%s/%s/%dx%d", name, sc.name, sz[0], sz[1]), func(t *testing.T) {
					m := tui.New(frozen{snap}, tui.Options{Title: name, Refresh: 20 * time.Millisecond})
					tm := teatest.NewTestModel(t, m, teatest.WithInitialTermSize(sz[0], sz[1]))
					for _, st := range sc.steps {
						if st.key != "" {
							tm.Send(keyMsg(st.key))
						}
						teatest.WaitFor(t, tm.Output(), func(b []byte) bool { return bytes.Contains(b, []byte(st.wait)) },
							teatest.WithDuration(5*time.Second))
					}
					tm.Send(keyMsg("q"))
					final := tm.FinalModel(t, teatest.WithFinalTimeout(5*time.Second))
					teatest.RequireEqualOutput(t, []byte(final.View()))
				})
			}
		}
	}
}
