package tui

import (
	"testing"

	"fivexx/classify"
)

// The default order puts the rows that hold the most 5xx on top: by 5xx
// rate, "(other)" with 8,550 of 9,000 5xx (10,000 upstreams) sat below
// hundreds of rows of 9 requests at 100 % (QA s37 L8). The rate breaks
// ties, then the name; "5xx rate" is the next order.
func TestDefaultSortIsByFivexxCount(t *testing.T) {
	row := func(name string, req, fivexx int64) classify.UpstreamStats {
		return classify.UpstreamStats{Name: name, Windowed: classify.Counts{Requests: req, Status: map[int]int64{502: fivexx}}}
	}
	rows := []classify.UpstreamStats{
		row("10.0.0.10:8080", 9, 9),
		row("10.0.0.20:8080", 9, 9),
		row("(other)", 85500, 8550),
		row("10.0.0.30:8080", 100, 9),
		row("10.0.0.40:8080", 50, 0),
	}
	var v overview
	if v.sortBy != sortFivexx || v.sortBy.String() != "5xx" {
		t.Fatalf("the default order is %q, want by 5xx", v.sortBy)
	}
	sortUpstreams(rows, v.sortBy)
	want := []string{"(other)", "10.0.0.10:8080", "10.0.0.20:8080", "10.0.0.30:8080", "10.0.0.40:8080"}
	for i, r := range rows {
		if r.Name != want[i] {
			t.Errorf("row %d is %s, want %s (order %v)", i, r.Name, want[i], want)
		}
	}
	sortUpstreams(rows, sortFivexxRate)
	if rows[0].Name != "10.0.0.10:8080" {
		t.Errorf("by 5xx rate the first row is %s, want 10.0.0.10:8080", rows[0].Name)
	}
}
