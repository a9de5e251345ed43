package main

import (
	"context"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"fivexx/classify"
	"fivexx/sources"
	"fivexx/sources/demo"
	"fivexx/tui"
)

// BenchmarkKeyPressUnderLoad measures what a key press costs the UI (Update
// plus the View it triggers) while ingest runs at about 50,000 lines/s on
// the same machine: demo lines through the real parsers into a live engine.
// The UI reads published snapshots only, so this is the key-to-frame time
// minus the terminal's own write.
func BenchmarkKeyPressUnderLoad(b *testing.B) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	ins, feeders, items := demoInputs(ctx)
	eng := classify.NewEngine(classify.Config{Inputs: ins, Live: true, Now: time.Now, Timeline: true, Grace: time.Second})
	go eng.Run(ctx, items, 200*time.Millisecond)
	sc, _ := demo.Lookup("overload")
	gen := demo.New(sc, 1, time.Now())
	go func() {
		// 50,000 lines/s in 10 ms slices of 500 lines (a 1 ms ticker
		// managed only about 800 ticks a second here: 40,000 lines/s).
		tick := time.NewTicker(10 * time.Millisecond)
		defer tick.Stop()
		for ctx.Err() == nil {
			<-tick.C
			for i := 0; i < 500; i++ {
				l := gen.Next()
				feeders[l.Stream].Line(ctx, l.Text)
			}
		}
	}()
	time.Sleep(time.Second) // let snapshots fill
	var m tea.Model = tui.New(eng, tui.Options{Title: "bench"})
	m, _ = m.Update(tea.WindowSizeMsg{Width: 160, Height: 48})
	if cmd := m.Init(); cmd != nil {
		runCmd(&m, cmd)
	}
	keys := []tea.KeyMsg{{Type: tea.KeyRunes, Runes: []rune("j")}, {Type: tea.KeyRunes, Runes: []rune("k")}}
	lines := func() int64 {
		var n int64
		for _, in := range ins {
			n += in.Counters().Lines
		}
		return n
	}
	before, t0 := lines(), time.Now()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		m, _ = m.Update(keys[i%2])
		_ = m.View()
	}
	b.StopTimer()
	if s := time.Since(t0).Seconds(); s > 0 {
		b.ReportMetric(float64(lines()-before)/s, "ingest-lines/s")
	}
	_ = sources.RoleApp
}

// runCmd runs a command chain a few levels deep (the first snapshot fetch).
func runCmd(m *tea.Model, cmd tea.Cmd) {
	done := make(chan tea.Msg, 1)
	go func() { done <- cmd() }()
	select {
	case msg := <-done:
		if msg != nil {
			*m, _ = (*m).Update(msg)
		}
	case <-time.After(2 * time.Second):
	}
}
