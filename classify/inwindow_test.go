package classify

import (
	"context"
	"maps"
	"path/filepath"
	"testing"
	"time"

	"fivexx/sources"
)

// The 5xx InWindow holds are the ones the window's counts hold: of the
// real nginx lines of testdata/reset-then-refused (30 resets, then 12
// refused 10 minutes later), 12 refused in 1 minute, all 42 in 15.
func TestInWindowHoldsTheWindowsFivexx(t *testing.T) {
	dir := filepath.Join("..", "testdata", "reset-then-refused")
	for _, tc := range []struct {
		window time.Duration
		want   map[Cause]int64
	}{
		{time.Minute, map[Cause]int64{UpstreamRefused: 12}},
		{15 * time.Minute, map[Cause]int64{UpstreamRefused: 12, UpstreamReset: 30}},
	} {
		t.Run(tc.window.String(), func(t *testing.T) {
			var ins []*sources.Input
			for i, f := range []string{"access.log", "error.log"} {
				ins = append(ins, sources.NewInput(i, sources.Spec{Path: filepath.Join(dir, f), Opts: sources.ParserOptions{Location: time.UTC}}))
			}
			eng := NewEngine(Config{Inputs: ins, Grace: 5 * time.Second, Window: tc.window})
			for i, err := range sources.MergeEach(context.Background(), ins, eng.Feed) {
				if err != nil {
					t.Fatalf("%s: %v", ins[i].Spec.Path, err)
				}
			}
			eng.Flush()
			s := eng.Publish(false)
			in := map[Cause]int64{}
			for _, v := range s.Recent {
				if s.InWindow(v.Entry.Time) {
					in[v.Cause]++
				}
			}
			if !maps.Equal(in, tc.want) || !maps.Equal(s.Windowed.Causes, tc.want) {
				t.Errorf("in the window %v, its counts %v; want %v", in, s.Windowed.Causes, tc.want)
			}
		})
	}
}
