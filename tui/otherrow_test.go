package tui

import (
	"testing"

	"fivexx/classify"
	"fivexx/sources"
)

// Past the stats' cap of upstream rows, a 5xx counts in "(other)": a path
// filter keeps that row for it, and its drill-down lists it, while the
// 5xx's own line still names the upstream it went to.
func TestOtherRowKeepsItsFivexx(t *testing.T) {
	v := &classify.Verdict{Row: "(other)", Cause: classify.UpstreamRefused,
		Entry: &sources.ProxyEntry{Upstream: "10.9.9.9:8080", Method: "GET", Path: "/api/cart", Status: 502}}
	ups, _ := recentMatches("/api/cart", &classify.Snapshot{Recent: []*classify.Verdict{v}}, true)
	if !upstreamMatches("/api/cart", classify.UpstreamStats{Name: "(other)"}, true, ups) {
		t.Errorf("filter /api/cart hides the (other) row of its 5xx (rows with a match: %v)", ups)
	}
	if !(upstreamView{upstream: "(other)"}).wants(v) {
		t.Error("the drill-down of (other) leaves out a 5xx counted in it")
	}
	if (upstreamView{upstream: "10.9.9.9:8080"}).wants(v) {
		t.Error("a 5xx counted in (other) is listed under a row the table does not have")
	}
	if !verdictMatches("10.9.9", v, true) {
		t.Error("the filter no longer finds a 5xx by the upstream it went to")
	}
}
