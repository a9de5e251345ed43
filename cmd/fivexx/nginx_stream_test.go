package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// nginxStream is real nginx's stdout and stderr as one stream, as `docker
// logs` gives them (testdata/streams/SOURCES.md): access lines in the main
// layout, error lines at notice, each failed request's error line before
// its access line.
const nginxStream = "../../testdata/streams/nginx-1.22.1-stdout-stderr.log"

// streamEvent is what a verdict on the stream must match on the two files.
type streamEvent struct {
	Time       string `json:"time"`
	Status     int    `json:"status"`
	Path       string `json:"path"`
	Cause      string `json:"cause"`
	Confidence string `json:"confidence"`
}

// TestNginxStreamVerdicts: nginx's container stream was read for its access
// lines only, its error lines unparsed, so every 502 came out unknown. Its
// error lines now decide as the error log's do: the verdicts on the stream
// are those on the same lines split into an access log and an error log,
// also read in another zone than the container's (the error lines have
// none: they take the access lines' offset), and every line is parsed.
func TestNginxStreamVerdicts(t *testing.T) {
	raw, err := os.ReadFile(nginxStream)
	if err != nil {
		t.Fatal(err)
	}
	// The split as the two files would hold them: nginx's error-log header.
	header := regexp.MustCompile(`^\d{4}/\d\d/\d\d \d\d:\d\d:\d\d \[[a-z]+\] \d+#\d+: `)
	var access, errs []string
	for _, l := range strings.SplitAfter(string(raw), "\n") {
		if header.MatchString(l) {
			errs = append(errs, l)
		} else if l != "" {
			access = append(access, l)
		}
	}
	dir := t.TempDir()
	accessLog, errorLog := filepath.Join(dir, "access.log"), filepath.Join(dir, "error.log")
	if err := os.WriteFile(accessLog, []byte(strings.Join(access, "")), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(errorLog, []byte(strings.Join(errs, "")), 0o644); err != nil {
		t.Fatal(err)
	}
	// The recording's 5xx, in order (SOURCES.md: the upstream that
	// refused, the backend's faults and its own 503 and 500).
	want := []struct{ path, cause string }{
		{"/refused/orders", "upstream_refused"},
		{"/slow", "upstream_timeout"},
		{"/unavailable", "app_unavailable"},
		{"/reset", "upstream_reset"},
		{"/hangup", "upstream_reset"},
		{"/badheader", "upstream_bad_response"},
		{"/error", "app_error"},
		{"/refused/cart", "upstream_refused"},
		{"/slow", "upstream_timeout"},
	}
	twoFiles := streamEvents(t, "UTC", accessLog, errorLog)
	if len(twoFiles) != len(want) {
		t.Fatalf("two files: %d verdicts, want %d: %+v", len(twoFiles), len(want), twoFiles)
	}
	for i, w := range want {
		if ev := twoFiles[i]; ev.Path != w.path || ev.Cause != w.cause {
			t.Errorf("two files: verdict %d is %s %s, want %s %s", i+1, ev.Path, ev.Cause, w.path, w.cause)
		}
	}
	for _, tz := range []string{"UTC", "Europe/Berlin"} {
		t.Run("one stream read in "+tz, func(t *testing.T) {
			if got := streamEvents(t, tz, nginxStream); !slices.Equal(got, twoFiles) {
				t.Errorf("the stream's verdicts\n%+v\nthe two files'\n%+v", got, twoFiles)
			}
		})
	}
	t.Run("every line parsed", func(t *testing.T) {
		code, out, stderr := runCLI("report", "--json", nginxStream)
		if code != 0 {
			t.Fatalf("exit %d: %s", code, stderr)
		}
		var rep struct {
			Inputs []struct {
				Format                  string
				Lines, Parsed, Unparsed int
			}
		}
		if err := json.Unmarshal([]byte(out), &rep); err != nil {
			t.Fatal(err)
		}
		lines := len(access) + len(errs)
		if in := rep.Inputs; len(in) != 1 || in[0].Format != "nginx-combined" || in[0].Lines != lines || in[0].Parsed != lines || in[0].Unparsed != 0 {
			t.Errorf("inputs %+v, want one nginx-combined input with its %d lines parsed", in, lines)
		}
		if strings.Contains(out, "no proxy error log") {
			t.Errorf("the report asks for the error log the stream holds:\n%s", out)
		}
	})
}

// streamEvents runs report --events on paths with the local zone tz.
func streamEvents(t *testing.T, tz string, paths ...string) []streamEvent {
	t.Helper()
	inZone(t, tz)
	code, out, stderr := runCLI(append([]string{"report", "--events"}, paths...)...)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var evs []streamEvent
	for _, l := range strings.Split(strings.TrimSpace(out), "\n") {
		var ev streamEvent
		if err := json.Unmarshal([]byte(l), &ev); err != nil {
			t.Fatalf("%v: %s", err, l)
		}
		evs = append(evs, ev)
	}
	return evs
}
