package classify

import (
	"strings"
	"testing"
	"time"

	"fivexx/sources/demo"
)

// QA s34 H1: in the demo's deploy-crash every api server refused, but
// nginx retried each refused first attempt on another server, and the
// alert counted each 502 under its last server alone: it named .12 and
// .14, never 10.0.1.11, which refused the most first attempts (771 in
// 60 s) and had no 502 of its own. A retried 5xx now counts, for the
// alert, under each server it tried before too, with that attempt's cause.
func TestAlertNamesTheServerBehindTheRetries(t *testing.T) {
	sc, ok := demo.Lookup("deploy-crash")
	if !ok {
		t.Fatal("no deploy-crash scenario")
	}
	dir := t.TempDir()
	if _, err := demo.WriteFiles(dir, sc, 1, time.Date(2026, 1, 2, 3, 0, 0, 0, time.UTC), 60*time.Second); err != nil {
		t.Fatal(err)
	}
	var texts []string
	found := false
	for _, a := range alertsOf(t, dir) {
		texts = append(texts, a.Text)
		if a.Upstream == "10.0.1.11:8080" {
			found = true
			if a.Status != 502 || a.Cause != UpstreamRefused {
				t.Errorf("10.0.1.11's alert %q: want 502s, upstream_refused", a.Text)
			}
		}
	}
	if !found {
		t.Errorf("no alert on 10.0.1.11:8080, which refused the first attempts: %s", strings.Join(texts, " | "))
	}
}
