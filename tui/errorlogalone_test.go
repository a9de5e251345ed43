package tui

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fivexx/classify"
	"fivexx/classify/replay"
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

// Caddy's error entries read without its access entries (a Caddyfile's
// default logger, beside a site's log writing the access log elsewhere;
// real Caddy 2.6.2 lines in testdata/errorlog-alone): the causes pane said
// "no 5xx in the window" and the inputs pane "proxy" beside 11 failures.
// It says what they tell, the statuses they name too, whether the engine
// follows the file live or a replay played it at full speed; the inputs
// pane names the file an error log.
func TestCaddyErrorLogAloneSaysWhatItTells(t *testing.T) {
	path := filepath.Join("..", "testdata", "errorlog-alone", "caddy-errors.log")
	wall := time.Date(2026, 11, 22, 16, 2, 0, 0, time.UTC)
	engines := map[string]func() *classify.Engine{
		"live": func() *classify.Engine {
			in := sources.NewInput(0, sources.Spec{Path: path})
			eng := classify.NewEngine(classify.Config{Inputs: []*sources.Input{in}, Live: true, Now: func() time.Time { return wall }})
			ch := make(chan sources.Item, 64)
			go func() {
				_ = sources.ReadToEnd(context.Background(), in, ch)
				close(ch)
			}()
			for it := range ch {
				eng.AddItem(it)
			}
			eng.Publish(false)
			return eng
		},
		"replay": func() *classify.Engine {
			in := sources.NewInput(0, sources.Spec{Path: path})
			ins := []*sources.Input{in}
			eng := classify.NewEngine(classify.Config{Inputs: ins, Timeline: true, Now: func() time.Time { return wall }})
			items := make(chan sources.Item, 64)
			go sources.Merge(context.Background(), ins, items)
			replay.New(eng, ins, replay.Options{Speed: 0}).Run(context.Background(), items)
			return eng
		},
	}
	for name, engine := range engines {
		eng := engine()
		for _, tc := range []struct {
			w, h int
			want []string
		}{
			{120, 35, []string{
				"   no access log: only the statuses the error log names are known",
				"   the error log tells of 11 failures: refused 3, reset 3, timed out",
				"     2, rejected 2, bad response 1",
				"   their statuses: 502 7, 503 2, 504 2",
				"proxy-errors caddy",
			}},
			{80, 24, []string{
				"   no access log: only the statuses the",
				"     error log names are known",
				"   the error log tells of 11 failures:",
				"     refused 3, reset 3, timed out 2,",
				"     rejected 2, bad response 1",
				"   their statuses: 502 7, 503 2, 504 2",
			}},
		} {
			m := newTestModel(t, eng, tc.w, tc.h)
			v := m.View()
			for _, want := range tc.want {
				if !strings.Contains(v, want+"\n") && !strings.Contains(v, want+" ") {
					t.Errorf("%s at %dx%d: no %q in\n%s", name, tc.w, tc.h, want, v)
				}
			}
			if strings.Contains(v, "no 5xx in the window") {
				t.Errorf("%s at %dx%d: \"no 5xx in the window\" beside the error log's failures:\n%s", name, tc.w, tc.h, v)
			}
		}
	}
}
