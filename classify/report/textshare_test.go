package report

import (
	"bytes"
	"strings"
	"testing"

	"fivexx/classify"
)

// Live QA s27 #3: the text report rounded an app coverage of 1 in 200 to
// "0%" and 3 in 200 to "1%" where the UI shows "0.5%" and "1.5%"; "0%"
// read as an app log not read at all. It reads as the UI's now.
func TestTextAppCoverageReadsAsTheUIs(t *testing.T) {
	tests := []struct {
		withApp, fivexx int64
		want            string
	}{
		{1, 200, "0.5%"},
		{3, 200, "1.5%"},
		{1, 5000, "<0.1%"},
		{0, 200, "0%"},
		{40, 200, "20%"},
		{200, 200, "100%"},
	}
	for _, tt := range tests {
		s := &classify.Snapshot{Upstreams: []classify.UpstreamStats{{
			Name: "10.0.1.14:8080", AppLog: true, Fivexx: tt.fivexx, FivexxWithApp: tt.withApp,
			Total: classify.Counts{Requests: 10000, Status: map[int]int64{502: tt.fivexx}},
		}}}
		var b bytes.Buffer
		if err := WriteText(&b, s); err != nil {
			t.Fatal(err)
		}
		row := ""
		for _, l := range strings.Split(b.String(), "\n") {
			if strings.Contains(l, "10.0.1.14:8080") {
				row = l
			}
		}
		fields := strings.Fields(row)
		// ... p50 ms, p99 ms, app coverage, dominant cause
		if len(fields) < 2 || fields[len(fields)-2] != tt.want {
			t.Errorf("%d of %d 5xx with app lines: row %q, want app coverage %q", tt.withApp, tt.fivexx, row, tt.want)
		}
	}
}
