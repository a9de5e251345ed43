package report

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"fivexx/classify"
)

// "(other)" says how many upstreams it holds, in the text report and as
// the JSON row's "upstreams" (left out of every other row): 10,000
// upstreams read as one row of 85,500 requests with no word of how many
// (QA s37 H2).
func TestOtherRowSaysHowManyUpstreams(t *testing.T) {
	at := time.Date(2026, 11, 21, 7, 0, 0, 0, time.UTC)
	s := &classify.Snapshot{First: at, Last: at, Total: classify.Counts{Requests: 85509, Status: map[int]int64{200: 81000, 502: 4509}},
		Upstreams: []classify.UpstreamStats{
			{Name: "(other)", Names: 9500, Total: classify.Counts{Requests: 85500, Status: map[int]int64{200: 81000, 502: 4500}}},
			{Name: "10.0.0.1:8080", Total: classify.Counts{Requests: 9, Status: map[int]int64{502: 9}}},
		}}
	var text, js bytes.Buffer
	if err := WriteText(&text, s); err != nil {
		t.Fatal(err)
	}
	if want := "(other): 9500 upstreams past the 500 rows, 4500 5xx"; !strings.Contains(text.String(), want) {
		t.Errorf("the text report lacks %q:\n%s", want, text.String())
	}
	if err := WriteJSON(&js, s); err != nil {
		t.Fatal(err)
	}
	var out struct {
		Upstreams []map[string]any `json:"upstreams"`
	}
	if err := json.Unmarshal(js.Bytes(), &out); err != nil {
		t.Fatal(err)
	}
	for _, u := range out.Upstreams {
		n, ok := u["upstreams"]
		if want := u["name"] == "(other)"; ok != want || want && n != 9500.0 {
			t.Errorf("row %v: upstreams %v, want 9500 in (other) alone", u["name"], n)
		}
	}
}
