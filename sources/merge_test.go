package sources

import (
	"context"
	"slices"
	"testing"
)

// A line whose time leaps far ahead of its input's previous line (a clock
// set to 2100) is merged in file order: the lines after it are not held
// back until the other inputs reach 2100. A leap of less than mergeJump is
// still merged by time.
func TestMergeSendsALeapingLineInFileOrder(t *testing.T) {
	for _, tc := range []struct {
		name string
		a, b string
		want []int64
	}{
		{"far-future line", "T1 GET /1\nT4 GET /4\nT6 GET /6\n", "T2 x\nT4102444800 y\nT3 y\nT5 z\nT7 w\n",
			[]int64{1, 2, 4102444800, 3, 4, 5, 6, 7}},
		{"leap within mergeJump", "T1 GET /1\nT40 GET /40\nT60 GET /60\n", "T2 x\nT50 y\nT51 z\n",
			[]int64{1, 2, 40, 50, 51, 60}},
		{"far-future line last", "T1 GET /1\nT4 GET /4\n", "T2 x\nT4102444800 y\n",
			[]int64{1, 2, 4102444800, 4}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a := writeFile(t, "a.log", tc.a)
			b := writeFile(t, "b.log", tc.b)
			ins := []*Input{NewInput(0, Spec{Path: a, Format: "test-proxy"}), NewInput(1, Spec{Path: b, Format: "test-app"})}
			var secs []int64
			for _, err := range MergeEach(context.Background(), ins, func(it Item) { secs = append(secs, it.Rec.RecordTime().Unix()) }) {
				if err != nil {
					t.Fatal(err)
				}
			}
			if !slices.Equal(secs, tc.want) {
				t.Errorf("merged %v, want %v", secs, tc.want)
			}
		})
	}
}
