package tui

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"fivexx/classify"
)

// The oth column counts a row's Windowed.OtherFivexx, at every width but
// the narrowest (under 45 columns, where the name keeps its 11 cells);
// without other 5xx the column has no width and the others keep theirs.
func TestUpstreamRowCountsOtherFivexx(t *testing.T) {
	u := upstream("10.0.1.12:8080", 100, 2.5, map[int]int64{500: 2, 502: 3}, classify.UpstreamRefused, 3, 10, 0)
	u.Windowed.OtherFivexx = 5
	for _, w := range []int{40, 44, 45, 50, 59, 63, 64, 80, 119, 120, 160} {
		cols := upstreamColumns(w, true)
		row := upstreamRow(" ", u, cols, false, nameCut{})
		width := 0
		for _, c := range cols {
			if c.Width > 0 {
				width += c.Width + 1
			}
		}
		if width > w {
			t.Errorf("at %d cells the columns take %d", w, width)
		}
		// As before oth: 11 cells where the other columns were left
		// out for it (below 59 columns), else at least 6.
		if n := cols[colName].Width; n < 6 || w < 59 && n < 11 {
			t.Errorf("at %d cells the name has %d", w, n)
		}
		got := []string{strings.TrimSpace(cols[colOther].Title), strings.TrimSpace(row[colOther]), strings.TrimSpace(row[colShare])}
		want := []string{"oth", "5", "10%"}
		if w < 45 {
			want = []string{"", "", "10%"}
		}
		if !cmp.Equal(got, want) {
			t.Errorf("at %d cells: oth title, oth and 5xx%% cells %q, want %q", w, got, want)
		}

		without := upstreamColumns(w, false)
		if without[colOther].Width != 0 {
			t.Errorf("at %d cells without other 5xx the oth column has %d cells", w, without[colOther].Width)
		}
	}
}
