package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// gunicornFrom builds the access log gunicorn would write behind the real
// nginx of a recording: the requests nginx's upstream answered (500, 503,
// 200; not its own 502 and 504), with gunicorn's default
// access_log_format, its client nginx on 127.0.0.1 speaking HTTP/1.0, and
// its clock shift later. [built from the recorded requests]
func gunicornFrom(t *testing.T, access string, shift time.Duration) string {
	t.Helper()
	b, err := os.ReadFile(access)
	if err != nil {
		t.Fatal(err)
	}
	re := regexp.MustCompile(`^\S+ - - \[([^\]]+)\] "(\S+) (\S+) HTTP/1\.1" (\d{3}) (\d+)`)
	var out strings.Builder
	for _, l := range strings.Split(strings.TrimSpace(string(b)), "\n") {
		m := re.FindStringSubmatch(l)
		if m == nil || m[4] == "502" || m[4] == "504" {
			continue
		}
		at, err := time.Parse("02/Jan/2006:15:04:05 -0700", m[1])
		if err != nil {
			t.Fatal(err)
		}
		out.WriteString(`127.0.0.1 - - [` + at.Add(shift).Format("02/Jan/2006:15:04:05 -0700") + `] "` + m[2] + " " + m[3] +
			` HTTP/1.0" ` + m[4] + " " + m[5] + ` "-" "fivexx-lab/1"` + "\n")
	}
	return out.String()
}

// TestAppAccessLogJoins: a gunicorn access log given after nginx's
// access log, positionally or with --app, is the app's (app-access) and
// its lines join the 5xx the app answered; it was read as a second nginx
// access log and joined nothing. A combined log of other requests stays a
// proxy's.
func TestAppAccessLogJoins(t *testing.T) {
	inZone(t, "UTC")
	access := filepath.Join("..", "..", "testdata", "recordings", "nginx-combined", "access.log")
	dir := t.TempDir()
	gunicorn := filepath.Join(dir, "gunicorn.log")
	if err := os.WriteFile(gunicorn, []byte(gunicornFrom(t, access, 0)), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{{access, gunicorn}, {access, "--app", gunicorn}} {
		if in := reportInputs(t, args...)[1]; in.Role != "app" || in.Format != "app-access" || in.Unparsed != 0 {
			t.Errorf("%v: gunicorn.log read as %+v, want the app's app-access", args, in)
		}
		evs, _ := reportEvents(t, args...)
		joined := map[string]int{}
		for _, e := range evs {
			for _, ev := range e.Evidence {
				if strings.HasPrefix(ev, "app: finished with ") {
					joined[e.Cause]++
				}
			}
		}
		if joined["app_error"] != 18 || joined["app_unavailable"] != 35 {
			t.Errorf("%v: app lines joined %v, want app_error 18 and app_unavailable 35 (every 500 and 503)", args, joined)
		}
	}
	// The same nginx's log an hour later: other requests, another proxy.
	other := filepath.Join(dir, "other.log")
	b, err := os.ReadFile(access)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(other, []byte(strings.ReplaceAll(string(b), "/Nov/2026:07:", "/Nov/2026:09:")), 0o644); err != nil {
		t.Fatal(err)
	}
	if in := reportInputs(t, access, other)[1]; in.Role != "proxy" || in.Format != "nginx-combined" {
		t.Errorf("a second nginx log of other requests read as %+v, want a proxy's", in)
	}
}

// reportInputs runs report --json over args and returns what it says of
// each input, in order.
func reportInputs(t *testing.T, args ...string) []reportedInput {
	t.Helper()
	code, out, stderr := runCLI(append([]string{"report", "--json"}, args...)...)
	if code != 0 {
		t.Fatalf("report %v: exit %d: %s", args, code, stderr)
	}
	var r struct{ Inputs []reportedInput }
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatal(err)
	}
	return r.Inputs
}

// TestAppAccessLogPairs: of two positional combined logs of a real nginx
// run (testdata/applog/nginx-tier), which one is the app's access log.
// One nginx's second access_log (the same lines) and a status vhost
// polled from 127.0.0.1 were taken for the app's, and the copy's 502s
// became 'app: finished with 502'; a gunicorn log given before nginx's
// made nginx's log the app's. The inner nginx of a two-tier set-up stays
// read as the app's (its lines are an app's in every field).
func TestAppAccessLogPairs(t *testing.T) {
	inZone(t, "UTC")
	dir := filepath.Join("testdata", "applog", "nginx-tier")
	for _, c := range []struct {
		files []string
		roles []string
	}{
		{[]string{"edge.log", "gunicorn.log"}, []string{"proxy", "app"}},
		{[]string{"gunicorn.log", "edge.log"}, []string{"app", "proxy"}},
		{[]string{"edge.log", "edge-copy.log"}, []string{"proxy", "proxy"}},
		{[]string{"edge.log", "status.log"}, []string{"proxy", "proxy"}},
		{[]string{"status.log", "edge.log"}, []string{"proxy", "proxy"}},
		{[]string{"inner.log", "gunicorn.log"}, []string{"proxy", "app"}},
		{[]string{"edge.log", "error.log", "status.log", "gunicorn.log"}, []string{"proxy", "proxy-errors", "proxy", "app"}},
	} {
		var args []string
		for _, f := range c.files {
			args = append(args, filepath.Join(dir, f))
		}
		ins := reportInputs(t, args...)
		for k, in := range ins {
			if in.Role != c.roles[k] {
				t.Errorf("%v: %s read as %s (%s), want %s", c.files, c.files[k], in.Role, in.Format, c.roles[k])
			}
		}
	}
}
