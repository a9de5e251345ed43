package tui

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fivexx/classify"
	"fivexx/sources"
)

// An nginx error log read without its access log: the causes pane said
// "no 5xx in the window" beside 26 failure lines (session 24 QA repro 4,
// real nginx 1.22.1 lines). It says what the error log tells, wrapped into
// the pane, as the report's Status does.
func TestErrorLogAloneSaysWhatItTells(t *testing.T) {
	path := filepath.Join("..", "testdata", "errorlog-alone", "nginx-error.log")
	in := sources.NewInput(0, sources.Spec{Path: path, Format: "nginx-error", Opts: sources.ParserOptions{Location: time.UTC}})
	wall := time.Date(2026, 11, 22, 13, 4, 20, 0, time.UTC)
	eng := classify.NewEngine(classify.Config{Inputs: []*sources.Input{in}, Now: func() time.Time { return wall }})
	ch := make(chan sources.Item, 64)
	go func() {
		_ = sources.ReadToEnd(context.Background(), in, ch)
		close(ch)
	}()
	for it := range ch {
		eng.AddItem(it)
	}
	eng.Flush()
	eng.Publish(true)
	for _, tc := range []struct {
		w, h int
		want []string
	}{
		{120, 35, []string{
			"   no access log: no status is known",
			"   the error log tells of 26 failures: timed out 9, refused 8, reset",
			"     6, connections limited 2, cut after headers 1",
		}},
		{80, 24, []string{
			"   no access log: no status is known",
			"   the error log tells of 26 failures:",
			"     timed out 9, refused 8, reset 6,",
			"     connections limited 2, cut after",
			"     headers 1",
		}},
	} {
		m := newTestModel(t, eng, tc.w, tc.h)
		v := m.View()
		for _, want := range tc.want {
			if !strings.Contains(v, want+"\n") && !strings.Contains(v, want+" ") {
				t.Errorf("at %dx%d no %q in\n%s", tc.w, tc.h, want, v)
			}
		}
		if strings.Contains(v, "no 5xx in the window") {
			t.Errorf("at %dx%d \"no 5xx in the window\" beside the error log's failures:\n%s", tc.w, tc.h, v)
		}
	}
}
