package tui

import (
	"context"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"fivexx/classify"
	"fivexx/sources"
)

// The filter keeps an upstream row or a cause by the 5xx of the window the
// rows and causes count, as the rest of the screen does. Real nginx
// (testdata/reset-then-refused): 30 resets on /crash at 16:47:30-32, 12
// refused on /ok at 16:57:33-35, one upstream. In a 1-minute window the
// row holds the 12 refused only; /crash and /reset kept it, by the resets
// 10 minutes before, beside a causes pane that said no cause matched
// (QA repro-11: /refused kept three rows of 503s, "3 of 8 match").
func TestTheFilterMatchesTheWindowsFivexx(t *testing.T) {
	const up = "127.0.0.1:23184"
	dir := filepath.Join("..", "testdata", "reset-then-refused")
	for _, tc := range []struct {
		window time.Duration
		filter string
		rows   []string
		causes []classify.Cause
	}{
		{time.Minute, "crash", nil, nil},
		{time.Minute, "reset", nil, nil},
		{time.Minute, "/ok", []string{up}, []classify.Cause{classify.UpstreamRefused}},
		{time.Minute, "refused", []string{up}, []classify.Cause{classify.UpstreamRefused}},
		{15 * time.Minute, "crash", []string{up}, []classify.Cause{classify.UpstreamReset}},
		{15 * time.Minute, "reset", []string{up}, []classify.Cause{classify.UpstreamReset}},
	} {
		t.Run(tc.window.String()+" /"+tc.filter, func(t *testing.T) {
			var ins []*sources.Input
			for i, f := range []string{"access.log", "error.log"} {
				ins = append(ins, sources.NewInput(i, sources.Spec{Path: filepath.Join(dir, f), Opts: sources.ParserOptions{Location: time.UTC}}))
			}
			eng := classify.NewEngine(classify.Config{Inputs: ins, Grace: 5 * time.Second, Window: tc.window})
			for i, err := range sources.MergeEach(context.Background(), ins, eng.Feed) {
				if err != nil {
					t.Fatalf("%s: %v", ins[i].Spec.Path, err)
				}
			}
			eng.Flush()
			s := eng.Publish(false)
			if s.Total.Status[502] != 42 || s.Total.Causes[classify.UpstreamReset] != 30 || s.Total.Causes[classify.UpstreamRefused] != 12 {
				t.Fatalf("502 %d, reset %d, refused %d; want 42, 30, 12", s.Total.Status[502], s.Total.Causes[classify.UpstreamReset], s.Total.Causes[classify.UpstreamRefused])
			}
			keys := []string{"/"}
			for _, r := range tc.filter {
				keys = append(keys, string(r))
			}
			m := send(newTestModel(t, eng, 120, 35), append(keys, "enter")...)
			var rows []string
			for _, u := range m.overview.rows {
				rows = append(rows, u.Name)
			}
			var causes []classify.Cause
			for _, c := range m.overview.causes {
				causes = append(causes, c.cause)
			}
			if !slices.Equal(rows, tc.rows) || !slices.Equal(causes, tc.causes) {
				t.Errorf("rows %v, causes %v; want %v, %v", rows, causes, tc.rows, tc.causes)
			}
		})
	}
}
