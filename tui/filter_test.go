package tui

import (
	"fmt"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"fivexx/classify"
	"fivexx/sources"
)

// TestFilterFindsARequestByTheAppsID: a user pastes the request id from
// the app's log, written as the app received it, and the filter finds the
// 5xx whose proxy logged the same id in another shape (it found nothing):
// Cloudflare's Cf-Ray with the data centre (Logpush's RayID has none), the
// whole X-Amzn-Trace-Id (ALB logs its Root value), as the correlator joins
// them. A different id still finds nothing, and the other fields match as
// substrings as before.
func TestFilterFindsARequestByTheAppsID(t *testing.T) {
	const (
		ray   = "84a1b2c3d4e5f618"
		root  = "1-67891233-abcdef012345678912345678"
		trace = "Self=1-67891233-12456789abcdef012345678;Root=" + root + ";Parent=53995c3f42cd8ad8;Sampled=1"
	)
	verdict := func(id string) *classify.Verdict {
		return &classify.Verdict{Cause: classify.UpstreamRefused, Detail: "connect",
			Entry: &sources.ProxyEntry{Upstream: "10.0.1.11:8080", Method: "POST", Path: "/api/cart", Status: 502, RequestID: id}}
	}
	tests := []struct {
		name, id, filter string
		causes, want     bool
	}{
		{"Cf-Ray for Logpush's RayID", ray, ray + "-FRA", true, true},
		{"Cf-Ray pasted with its quotes", ray, `"` + ray + `-FRA"`, true, true},
		{"Cf-Ray pasted with white space", ray, " " + ray + "-FRA\t", true, true},
		{"RayID for a Cf-Ray the proxy logged", ray + "-FRA", ray, true, true},
		{"Cf-Ray through another data centre", ray + "-FRA", ray + "-AMS", true, true},
		{"another ray", ray, "84a1b2c3d4e5f619-FRA", true, false},
		{"not a data centre", ray, ray + "-FR", true, false},
		{"trace header for ALB's Root", root, trace, true, true},
		{"Root= alone", root, "Root=" + root, true, true},
		{"trace header for the header the proxy logged", "Root=" + root + ";Parent=1f2e3d4c5b6a7988", trace, true, true},
		{"another root", root, "Self=1-1-1;Root=1-67891233-000000000000000000000000", true, false},
		{"a trace header, no id logged", "", trace, true, false},
		{"part of the id", ray, "c3d4e5", true, true},
		{"id in capitals", ray, "84A1B2", true, true},
		// The other fields, as before.
		{"path", ray, "/api/cart", true, true},
		{"method", ray, "post", true, true},
		{"status", ray, "502", true, true},
		{"upstream", ray, "10.0.1.11", true, true},
		{"cause", ray, "refused", true, true},
		{"cause while hidden", ray, "refused", false, false},
		{"detail", ray, "connect", true, true},
		{"nothing", ray, "/api/orders", true, false},
		{"empty filter", ray, "", true, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v := verdict(tt.id)
			if got := verdictMatches(tt.filter, v, tt.causes); got != tt.want {
				t.Fatalf("verdictMatches(%q) on id %q = %v, want %v", tt.filter, tt.id, got, tt.want)
			}
			// The upstream row and the cause of a 5xx the filter finds
			// are kept (recentMatches), so the rows lead to it.
			ups, causes := recentMatches(tt.filter, &classify.Snapshot{Recent: []*classify.Verdict{v}}, tt.causes)
			if tt.filter != "" && (ups["10.0.1.11:8080"] != tt.want || causes[classify.UpstreamRefused] != (tt.want && tt.causes)) {
				t.Fatalf("recentMatches(%q): upstreams %v, causes %v; want the row kept: %v", tt.filter, ups, causes, tt.want)
			}
		})
	}
}

// TestFilteredCausesSayUnfiltered: a filter keeps the causes it matches,
// with their counts of all the window's 5xx; the pane said "Causes of
// 1155 5xx" beside a filtered table row of 442 as if they were the
// filter's (QA s30). Filtered, its title says "unfiltered" and how many
// causes match; unfiltered it says neither.
func TestFilteredCausesSayUnfiltered(t *testing.T) {
	causesTitle := func(m Model) string {
		for _, l := range strings.Split(ansi.Strip(m.View()), "\n") {
			if i := strings.Index(l, "Causes of"); i >= 0 {
				return strings.TrimSpace(l[i:])
			}
		}
		t.Fatalf("no causes pane:\n%s", ansi.Strip(m.View()))
		return ""
	}
	m := newTestModel(t, newFakeSource(fixtureSnapshot(plainStrings)), 160, 48)
	if got := causesTitle(m); strings.Contains(got, "unfiltered") || strings.Contains(got, "match") {
		t.Errorf("unfiltered causes title %q", got)
	}
	m = send(m, "/", "1", "0", ".", "0", ".", "0", ".", "2", "enter")
	got := causesTitle(m)
	want := fmt.Sprintf("Causes of 2175 5xx in 5m, unfiltered · 3 pending · %d of 7 match", len(m.overview.causes))
	if !strings.HasPrefix(got, want) {
		t.Errorf("filtered causes title %q, want %q", got, want)
	}
	if n := len(m.overview.causes); n == 0 || n == 7 {
		t.Errorf("the filter keeps %d of the 7 causes: the test needs some kept, some not", n)
	}
}
