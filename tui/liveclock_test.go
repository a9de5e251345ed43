package tui

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"fivexx/classify"
	"fivexx/sources"
	_ "fivexx/sources/parsers"
)

// idleBurst is repro/idle-rates of the live QA: 50 503s from nginx (its
// access log_format with the upstream fields) in one second, then nothing.
func idleBurst(t *testing.T) *sources.Input {
	t.Helper()
	var b strings.Builder
	for i := range 50 {
		fmt.Fprintf(&b, `127.0.0.1 - - [22/Nov/2026:07:18:28 +0000] "GET /x HTTP/1.1" 503 1 "-" "curl/7" rt=0.002 uct="0.000" uht="0.001" urt="0.001" ua="10.0.0.1:8080" us="503" rid=%032x cid=%d`+"\n", i, i+1)
	}
	path := filepath.Join(t.TempDir(), "access.log")
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	return sources.NewInput(0, sources.Spec{Path: path, Format: "nginx-upstream"})
}

// The live screen after the last line, by a fake wall clock: the rates
// fall to 0/s once the burst is 10 s behind, the inputs' "last" grows,
// and the header's log clock runs on. Each of them stayed as it was 3 s
// after the burst, for as long as nothing came (the QA's screen at 43 s
// was the one at 3 s).
func TestLiveScreenAfterTheLastLine(t *testing.T) {
	in := idleBurst(t)
	wall := time.Date(2026, 11, 22, 7, 18, 28, 500e6, time.UTC)
	eng := classify.NewEngine(classify.Config{Inputs: []*sources.Input{in}, Live: true, Timeline: true, Grace: time.Second,
		Now: func() time.Time { return wall }})
	ch := make(chan sources.Item, 64)
	go func() {
		_ = sources.ReadToEnd(context.Background(), in, ch)
		close(ch)
	}()
	for it := range ch {
		eng.AddItem(it)
	}
	eng.Advance()
	eng.Publish(false)
	m := newTestModel(t, eng, 160, 48)
	m.now = func() time.Time { return wall }
	// row is the line of view that starts with lead (after the cursor),
	// its cells one space apart.
	row := func(view, lead string) string {
		for _, l := range strings.Split(view, "\n") {
			if l = strings.TrimLeft(l, " ›"); strings.HasPrefix(l, lead) {
				return strings.Join(strings.Fields(l), " ")
			}
		}
		return ""
	}
	lastCol := regexp.MustCompile(` (\S+) ` + regexp.QuoteMeta(in.Spec.Path) + `$`)
	for _, tc := range []struct {
		after                    time.Duration
		header, rate, all, up503 string
		last                     string
	}{
		{3 * time.Second, "log 2026-11-22 07:18:31", "503 5.0/s 100%", "all 5.0/s", "10.0.0.1:8080 5.0 0 0 50 0 100%", "3.0s"},
		{9 * time.Second, "log 2026-11-22 07:18:37", "503 5.0/s 100%", "all 5.0/s", "10.0.0.1:8080 5.0 0 0 50 0 100%", "9.0s"},
		{11 * time.Second, "log 2026-11-22 07:18:39", "503 0/s 100%", "all 0/s", "10.0.0.1:8080 0 0 0 50 0 100%", "11s"},
		{43 * time.Second, "log 2026-11-22 07:19:11", "503 0/s 100%", "all 0/s", "10.0.0.1:8080 0 0 0 50 0 100%", "43s"},
		{20 * time.Minute, "log 2026-11-22 07:38:28", "503 0/s 0%", "all 0/s", "10.0.0.1:8080 0 0 0 0 0 0%", "20m"},
	} {
		t.Run(tc.after.String(), func(t *testing.T) {
			wall = time.Date(2026, 11, 22, 7, 18, 28, 500e6, time.UTC).Add(tc.after)
			eng.Advance()
			eng.Publish(false)
			tm, _ := m.Update(fetch(eng, nil, nil, m.tag))
			m = tm.(Model)
			v := m.View()
			if !strings.Contains(firstLine(v), tc.header) {
				t.Errorf("header %q, want %q in it", firstLine(v), tc.header)
			}
			for lead, want := range map[string]string{"503 ": tc.rate, "all ": tc.all, "10.0.0.1:8080": tc.up503} {
				if got := row(v, lead); !strings.HasPrefix(got, want) {
					t.Errorf("%q, want it to start %q", got, want)
				}
			}
			if got := lastCol.FindStringSubmatch(row(v, "proxy")); got == nil || got[1] != tc.last {
				t.Errorf("inputs row %q, want last %s", row(v, "proxy"), tc.last)
			}
			if t.Failed() {
				t.Log(v)
			}
		})
	}
}
