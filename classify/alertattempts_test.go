package classify

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
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
	dir := deployCrashMinute(t)
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

// TestAlertSaysHowManyAreFailedAttempts: an alert's count mixes the 5xx
// its upstream answered with the earlier attempts on it of requests
// retried elsewhere (TestAlertNamesTheServerBehindTheRetries). The demo's
// deploy-crash alerted "502 ×443 in the last 30 s on 10.0.1.13:8080"
// where the table gave it 56 502s and 599 failed attempts (QA s35 M2).
// The alert says how many of its count are such attempts, and both
// figures are those the access log's lines of its 30 s give.
func TestAlertSaysHowManyAreFailedAttempts(t *testing.T) {
	dir := deployCrashMinute(t)
	snap := publishedFrom(t, false, dir, "access.log", "error.log")
	data, err := os.ReadFile(filepath.Join(dir, "access.log"))
	if err != nil {
		t.Fatal(err)
	}
	line := regexp.MustCompile(`\[([^\]]+)\] "[^"]*" (\d{3}) .* ua="([^"]*)"`)
	type key struct {
		status   int
		upstream string
	}
	own, attempts := map[key]int64{}, map[key]int64{}
	end := snap.LogNow.Unix()
	for _, l := range strings.Split(string(data), "\n") {
		m := line.FindStringSubmatch(l)
		if m == nil {
			continue
		}
		at, err := time.Parse("02/Jan/2006:15:04:05 -0700", m[1])
		if err != nil {
			t.Fatal(err)
		}
		if s := at.Unix(); s <= end-30 || s > end {
			continue
		}
		status, _ := strconv.Atoi(m[2])
		addrs := strings.FieldsFunc(m[3], func(r rune) bool { return r == ',' || r == ' ' })
		last := addrs[len(addrs)-1]
		own[key{status, last}]++
		for _, a := range addrs[:len(addrs)-1] {
			if a != last {
				attempts[key{status, a}]++
			}
		}
	}
	mixed := 0
	for _, a := range snap.Alerts {
		k := key{a.Status, a.Upstream}
		if a.Count != own[k]+attempts[k] || a.Attempts != attempts[k] {
			t.Errorf("%q: count %d, %d attempts; the log's 30 s: %d answered, %d failed attempts", a.Text, a.Count, a.Attempts, own[k], attempts[k])
		}
		switch n := attempts[k]; {
		case n == 0 && strings.Contains(a.Text, "failed attempts"):
			t.Errorf("%q: no failed attempt among its count", a.Text)
		case n > 0 && n < a.Count:
			mixed++
			if want := fmt.Sprintf(" on %s (%d of them failed attempts retried elsewhere) — ", a.Upstream, n); !strings.Contains(a.Text, want) {
				t.Errorf("%q: no %q", a.Text, want)
			}
		case n > 0:
			if want := " (all failed attempts retried elsewhere) — "; !strings.Contains(a.Text, want) {
				t.Errorf("%q: no %q", a.Text, want)
			}
		}
	}
	if mixed == 0 {
		t.Errorf("no alert mixes answers and failed attempts: %+v", snap.Alerts)
	}
}

// deployCrashMinute writes a minute of the demo's deploy-crash (seed 1)
// into a new directory and returns it: access.log, error.log, app.log.
func deployCrashMinute(t *testing.T) string {
	t.Helper()
	sc, ok := demo.Lookup("deploy-crash")
	if !ok {
		t.Fatal("no deploy-crash scenario")
	}
	dir := t.TempDir()
	if _, err := demo.WriteFiles(dir, sc, 1, time.Date(2026, 1, 2, 3, 0, 0, 0, time.UTC), 60*time.Second); err != nil {
		t.Fatal(err)
	}
	return dir
}
