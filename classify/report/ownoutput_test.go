package report

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"fivexx/classify"
	"fivexx/sources"
)

// firstLines is the first n lines of the file at path, as the head
// peeked before reading holds them.
func firstLines(t *testing.T, path string, n int) []string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(string(b), "\n"), "\n")
	return lines[:min(len(lines), n)]
}

// TestOwnOutputTellsEventsAndJSON: fivexx's own --events and --json
// output, given back as inputs, are told by their first lines; the logs
// of every proxy and app that write JSON are not, nor are lines with the
// events' keys in another order or with one more. An --events file read
// was an nginx JSON access log of 5xx alone (QA s32 F1).
func TestOwnOutputTellsEventsAndJSON(t *testing.T) {
	root := filepath.Join("..", "..")
	event := `{"time":"2026-11-21T07:39:52.000Z","status":503,"upstream":"127.0.0.1:34599","upstream_status":"503","request_id":"25c5","method":"GET","path":"/unavailable?n=21","cause":"app_unavailable","confidence":"high","evidence":["app: finished with 503 (by request id)"],"app_lines":3,"hint":"the app answered 503 on purpose","source":"mixdir/access.log"}`
	tests := []struct {
		name string
		head []string
		want string
	}{
		{"an --events line", []string{event}, OwnEventsState},
		{"an --events golden (nginx)", firstLines(t, filepath.Join(root, "cmd/fivexx/testdata/report_nginx.events.golden"), 8), OwnEventsState},
		{"an --events golden (ALB)", firstLines(t, filepath.Join(root, "testdata/formats/alb/events.golden"), 8), OwnEventsState},
		{"a --json report", firstLines(t, filepath.Join(root, "cmd/fivexx/testdata/report_nginx.json.golden"), 8), OwnJSONState},
		{"nginx JSON", firstLines(t, filepath.Join(root, "testdata/recordings/nginx-json/access.log"), 8), ""},
		{"Envoy JSON", firstLines(t, filepath.Join(root, "testdata/formats/envoy/json.log"), 8), ""},
		{"Caddy", firstLines(t, filepath.Join(root, "testdata/recordings/caddy/access.log"), 8), ""},
		{"Caddy's error entries", firstLines(t, filepath.Join(root, "testdata/recordings/caddy/error.log"), 8), ""},
		{"Traefik JSON", firstLines(t, filepath.Join(root, "testdata/formats/traefik/json.log"), 8), ""},
		{"ALB", firstLines(t, filepath.Join(root, "testdata/formats/alb/access.log"), 8), ""},
		{"Cloudflare Logpush", firstLines(t, filepath.Join(root, "testdata/formats/cloudflare/http_requests.log"), 8), ""},
		{"an app's JSON", firstLines(t, filepath.Join(root, "testdata/recordings/nginx-json/app.log"), 8), ""},
		{"keys in another order", []string{strings.Replace(event, `"status":503,"upstream":"127.0.0.1:34599",`, `"upstream":"127.0.0.1:34599","status":503,`, 1)}, ""},
		{"a key more", []string{strings.Replace(event, `}`, `,"bytes":0}`, 1)}, ""},
		{"a key less", []string{strings.Replace(event, `,"source":"mixdir/access.log"`, "", 1)}, ""},
		{"an event, then a log line", []string{event, `{"time":"2026-11-21T07:39:52Z","status":200}`}, ""},
		{"JSON of another program", []string{"{", `  "name": "x"`}, ""},
		{"no line", nil, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := OwnOutput(tt.head); got != tt.want {
				t.Errorf("OwnOutput = %q, want %q", got, tt.want)
			}
		})
	}
}

// TestOwnOutputKeysAreTheEvents: the keys told are those --events writes,
// in its order, as README's report contract lists them; an event written
// now is told.
func TestOwnOutputKeysAreTheEvents(t *testing.T) {
	want := []string{"time", "status", "upstream", "upstream_status", "request_id", "method", "path", "cause", "confidence", "evidence", "app_lines", "hint", "source"}
	if d := cmp.Diff(want, eventKeys); d != "" {
		t.Errorf("event keys (-want +got):\n%s", d)
	}
	var b bytes.Buffer
	w := NewEventWriter(&b)
	w.Write(&classify.Verdict{Entry: &sources.ProxyEntry{Status: 502, Path: "/a"}, Cause: classify.UpstreamRefused})
	if w.Err() != nil {
		t.Fatal(w.Err())
	}
	if line := strings.TrimSuffix(b.String(), "\n"); !EventLine(line) {
		t.Errorf("EventLine(%s) = false", line)
	}
}
