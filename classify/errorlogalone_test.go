package classify

import (
	"context"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"fivexx/sources"
	"fivexx/sources/caddy"
)

// recordedLine is the line of testdata/errorlog-alone/name holding s.
func recordedLine(t *testing.T, name, s string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "testdata", "errorlog-alone", name))
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range strings.Split(string(b), "\n") {
		if strings.Contains(l, s) {
			return l
		}
	}
	t.Fatalf("no line with %s in %s", s, name)
	return ""
}

// A Caddy log of both kinds of entry (its default logger with no site
// log, on stderr or in one file) gives a failure's http.log.error entry
// just before its access entry. Followed live, it reads as the error log
// only until that access entry: then it is an access log, and the snapshot
// counts no error-log failures beside it. (Real Caddy 2.6.2 lines: the
// refused request rec-2 of testdata/errorlog-alone.)
func TestCaddyStreamOfBothIsAnAccessLog(t *testing.T) {
	errLine := recordedLine(t, "caddy-errors.log", `"rec-2"`)
	accLine := recordedLine(t, "caddy-access.log", `"rec-2"`)
	path := filepath.Join(t.TempDir(), "caddy.log")
	if err := os.WriteFile(path, []byte(errLine+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	in := sources.NewInput(0, sources.Spec{Path: path})
	wall := time.Date(2026, 11, 22, 16, 2, 0, 0, time.UTC)
	eng := NewEngine(Config{Inputs: []*sources.Input{in}, Live: true, Now: func() time.Time { return wall }})
	ch := make(chan sources.Item, 4)
	go func() {
		_ = sources.ReadToEnd(context.Background(), in, ch)
		close(ch)
	}()
	for it := range ch {
		eng.AddItem(it)
	}
	s := eng.Publish(false)
	if in.Format().Name != "caddy" || s.Inputs[0].Role != sources.RoleProxyErrors {
		t.Fatalf("format %q role %v after the error entry, want caddy proxy-errors", in.Format().Name, s.Inputs[0].Role)
	}
	want := []ReasonCount{{Reason: sources.ReasonRefused, Lines: 1}}
	if !slices.Equal(s.ErrorFailures, want) || !maps.Equal(s.ErrorStatuses, map[int]int64{502: 1}) {
		t.Errorf("failures %v statuses %v, want %v and 502: 1", s.ErrorFailures, s.ErrorStatuses, want)
	}

	rec, err := caddy.NewParser(sources.ParserOptions{}).Parse(accLine)
	if err != nil {
		t.Fatal(err)
	}
	eng.Add(in, rec)
	s = eng.Publish(false)
	if s.Inputs[0].Role != sources.RoleProxy || s.ErrorFailures != nil || s.ErrorStatuses != nil {
		t.Errorf("after the access entry: role %v, failures %v, statuses %v; want proxy and none", s.Inputs[0].Role, s.ErrorFailures, s.ErrorStatuses)
	}
	if s.Total.Status[502] != 1 {
		t.Errorf("statuses %v, want the access entry's 502", s.Total.Status)
	}
}
