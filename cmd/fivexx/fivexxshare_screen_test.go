package main

import (
	"bytes"
	"fmt"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/exp/teatest"

	"fivexx/classify"
	"fivexx/sources/parsertest"
	"fivexx/tui"
)

// The screens' 5xx share (the rates pane's title), the upstream rows'
// 5xx% and their order "by 5xx" (5xx count), and an opened upstream's 5xx are
// the report's: every status from 500 to 599. The 501, 505 and 52x
// (Cloudflare's, passed on by an nginx behind it) were in the report and
// left out of the screens, which showed 5xx 12% beside the report's 56%,
// and 0% for an upstream whose every request was a 530 (QA s31: a
// Cloudflare log read 37% beside 84%).
func TestScreensShareEveryFivexxAsTheReport(t *testing.T) {
	var b strings.Builder
	at := time.Date(2026, 11, 21, 7, 39, 51, 0, time.UTC)
	n := 0
	lines := func(up string, statuses ...int) {
		for _, st := range statuses {
			fmt.Fprintf(&b, `127.0.0.1 - - [%s] "GET /r%d HTTP/1.1" %d 3 "-" "fivexx-test/1" rt=0.010 uct="0.000" uht="0.010" urt="0.010" ua="%s" us="%d" rid=%032x cid=2`+"\n",
				at.Add(time.Duration(n)*time.Second).Format("02/Jan/2006:15:04:05 -0700"), n, st, up, st, n+1)
			n++
		}
	}
	lines("10.0.0.1:8080", 200, 500, 501, 200, 502, 505, 200, 520, 530, 200)
	lines("10.0.0.2:8080", 200, 521, 200, 200)
	lines("10.0.0.3:8080", 530, 530)
	access := filepath.Join(t.TempDir(), "access.log")
	parsertest.WriteFiles(t, map[string]string{access: b.String()})

	// The report's figures: its whole share, and its upstreams by 5xx
	// count, then rate, as the overview sorts them.
	type upstreamShare struct {
		name          string
		share, fivexx float64
	}
	shareOf := func(m map[string]any) upstreamShare {
		var f float64
		for code, k := range m["status"].(map[string]any) {
			if len(code) == 3 && code[0] == '5' {
				f += k.(float64)
			}
		}
		name, _ := m["name"].(string)
		return upstreamShare{name, f / m["requests"].(float64), f}
	}
	rep := reportJSON(t, access)
	wantShare := classify.ShareText(shareOf(rep).share)
	var want []upstreamShare
	for _, u := range rep["upstreams"].([]any) {
		want = append(want, shareOf(u.(map[string]any)))
	}
	sort.SliceStable(want, func(i, j int) bool {
		if want[i].fivexx != want[j].fivexx {
			return want[i].fivexx > want[j].fivexx
		}
		return want[i].share > want[j].share
	})
	if wantShare != "56%" || len(want) != 3 || want[1].share != 1 {
		t.Fatalf("the report reads 5xx %s, upstreams %v: the test tells nothing", wantShare, want)
	}

	snap := filesSnapshot(t, access)
	view := func(t *testing.T, keys ...string) string {
		t.Helper()
		m := tui.New(frozen{snap}, tui.Options{Title: "report", Refresh: 20 * time.Millisecond})
		tm := teatest.NewTestModel(t, m, teatest.WithInitialTermSize(160, 48))
		teatest.WaitFor(t, tm.Output(), func(b []byte) bool { return bytes.Contains(b, []byte("Upstreams")) }, teatest.WithDuration(5*time.Second))
		for _, k := range keys {
			tm.Send(keyMsg(k))
		}
		if len(keys) > 0 {
			teatest.WaitFor(t, tm.Output(), func(b []byte) bool { return bytes.Contains(b, []byte("▸ upstream")) }, teatest.WithDuration(5*time.Second))
		}
		tm.Send(keyMsg("q"))
		return tm.FinalModel(t, teatest.WithFinalTimeout(5*time.Second)).View()
	}

	overview := view(t)
	if !strings.Contains(overview, "· 5xx "+wantShare) {
		t.Errorf("the rates pane's 5xx share is not the report's %s:\n%s", wantShare, overview)
	}
	// The upstream rows in their order, each with its 5xx% (the column
	// ends where its title does).
	var wantRows, gotRows []string
	for _, u := range want {
		wantRows = append(wantRows, u.name+" "+classify.ShareText(u.share))
	}
	end := -1
	for _, l := range strings.Split(overview, "\n") {
		if i := strings.Index(l, "5xx%"); i >= 0 && strings.Contains(l, "upstream") {
			end = len([]rune(l[:i])) + len("5xx%")
			continue
		}
		r := []rune(l)
		if end < 0 || len(r) < end || !strings.Contains(l, "10.0.0.") {
			continue
		}
		f := strings.Fields(strings.TrimPrefix(strings.TrimSpace(string(r[:end])), "›"))
		gotRows = append(gotRows, f[0]+" "+f[len(f)-1])
	}
	if !slices.Equal(gotRows, wantRows) {
		t.Errorf("upstream rows (name, 5xx%%) %q, the report's %q:\n%s", gotRows, wantRows, overview)
	}

	// Each upstream opened: its 5xx share in the title.
	title := regexp.MustCompile(`▸ upstream (\S+) .*· 5xx (\S+) ·`)
	for i, u := range want {
		keys := slices.Repeat([]string{"j"}, i)
		opened := view(t, append(keys, "enter")...)
		m := title.FindStringSubmatch(opened)
		if m == nil {
			t.Fatalf("no upstream title:\n%s", opened)
		}
		if got, want := m[1]+" "+m[2], u.name+" "+classify.ShareText(u.share); got != want {
			t.Errorf("opened upstream: %q, the report's %q", got, want)
		}
	}
}
