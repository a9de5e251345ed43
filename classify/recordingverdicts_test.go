package classify

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// recordingLogs returns the lines of each named log of the real
// recording testdata/recordings/rec that name one of paths (the request
// line, the app's "path"), the lines a verdict on them reads: judgeFiles
// holds a file's records in a channel of 64 before the engine takes them.
func recordingLogs(t *testing.T, rec string, paths []string, names ...string) map[string][]string {
	t.Helper()
	logs := map[string][]string{}
	for _, name := range names {
		b, err := os.ReadFile(filepath.Join("..", "testdata", "recordings", rec, name))
		if err != nil {
			t.Fatal(err)
		}
		for _, l := range strings.Split(strings.TrimSuffix(string(b), "\n"), "\n") {
			for _, p := range paths {
				if strings.Contains(l, p+" ") || strings.Contains(l, p+`"`) || strings.Contains(l, p+`\"`) {
					logs[name] = append(logs[name], l)
					break
				}
			}
		}
		if len(logs[name]) == 0 {
			t.Fatalf("%s/%s has no line of %q", rec, name, paths)
		}
	}
	return logs
}

// Verdicts on the real recordings' lines against their truth.jsonl (session
// 36): where the inputs cannot tell the cause, the verdict names none
// above low. nginx's access line alone read a hangup, a reset, a bad
// header and an oversized header (each uct="0.000", uht="-") as
// upstream_refused low; beside the app's start without an end, by
// request id, the bad header was upstream_reset medium, as the lab's
// backend logs the same start and no end for /badheader as for /hangup.
// nginx retries a closed connection (/hangup, /reset: "502, 502") and not
// a bad header, so the retried ones keep medium.
func TestRecordingVerdictsNameNoWrongCause(t *testing.T) {
	for _, tc := range []struct {
		name string
		logs []string          // the recording, then its logs
		want map[string]string // path → cause/confidence
		line string            // an evidence line each of want's verdicts has
	}{
		{"nginx access alone", []string{"nginx-upstream", "access.log"}, map[string]string{
			"/hangup?n=91":     "unknown/low",
			"/reset?n=99":      "unknown/low",
			"/badheader?n=107": "unknown/low",
			"/bigheader?n=115": "unknown/low",
			"/hangup?n=278":    "unknown/low",
		}, "on the last attempt, and no response header: most likely it connected, then the upstream closed or reset the connection or sent a header nginx could not use"},
		{"nginx access and app, one attempt", []string{"nginx-upstream", "access.log", "app.log"}, map[string]string{
			"/badheader?n=107": "upstream_reset/low",
			"/badheader?n=240": "upstream_reset/low",
		}, "nginx made one attempt: by default (proxy_next_upstream error timeout) it retries a closed or reset connection"},
		{"nginx access and app, retried", []string{"nginx-upstream", "access.log", "app.log"}, map[string]string{
			"/hangup?n=91": "upstream_reset/medium",
			"/reset?n=99":  "upstream_reset/medium",
		}, ""},
		{"caddy access and app", []string{"caddy", "access.log", "app.log"}, map[string]string{
			"/badheader?n=107": "upstream_reset/low",
			"/hangup?n=91":     "upstream_reset/low",
		}, "the app logged the start and no end: it died mid-request (a reset), or wrote a response the proxy could not use"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var paths []string
			for p := range tc.want {
				paths = append(paths, p)
			}
			got := map[string]string{}
			for _, v := range judgeFiles(t, recordingLogs(t, tc.logs[0], paths, tc.logs[1:]...)) {
				if _, ok := tc.want[v.Entry.Path]; !ok {
					continue
				}
				got[v.Entry.Path] = string(v.Cause) + "/" + string(v.Confidence)
				if tc.line != "" && !strings.Contains(strings.Join(v.Evidence, "\n"), tc.line) {
					t.Errorf("%s: evidence %q lacks %q", v.Entry.Path, v.Evidence, tc.line)
				}
			}
			for path, want := range tc.want {
				if got[path] != want {
					t.Errorf("%s: %s, want %s", path, got[path], want)
				}
			}
		})
	}
}
