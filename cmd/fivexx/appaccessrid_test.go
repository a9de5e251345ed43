package main

import (
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"
)

// ridDir is the recording of real nginx 1.22.1 (stock combined log: no
// ids, no request time) in front of an app whose access log is combined
// followed by the X-Request-ID nginx sent it as a trailing field, as
// gunicorn or Apache write it when told to: `... "h-startapp-lab/1"
// rid=edf52b6a...`. It stamps each request's start (Apache %t) and is
// written as the request ends (testdata/lab/startapp, APP_ID=rid).
var ridDir = filepath.Join("..", "..", "testdata", "recordings", "nginx-startapp-rid")

// ridTruth is the recording's truth: the expected cause and fault of each
// request, by its ?n=.
func ridTruth(t *testing.T) map[string][2]string {
	t.Helper()
	out := map[string][2]string{}
	for n, tl := range readTruth(t, ridDir) {
		out[n] = [2]string{tl.ExpectedCause, tl.Fault}
	}
	return out
}

// TestAppAccessLogWithRequestIDField: the app's combined log with a
// trailing rid= is the app's, whatever the order the files are given in
// and whether roles are given, and its lines join: every 5xx of the
// recording gets the cause its truth says. Read as key=value pairs, such
// a line kept the id alone (no time, method, path or status): with --app
// no app line joined (6 unknown, 8 slow app 500s among them); given
// positionally, nginx-upstream read it (rid= is one of its fields), so
// nginx's own log was taken for the app's, and the app's for the proxy's.
func TestAppAccessLogWithRequestIDField(t *testing.T) {
	inZone(t, "UTC")
	truth := ridTruth(t)
	at := func(f string) string { return filepath.Join(ridDir, f) }
	access, errorLog, app := at("access.log"), at("error.log"), at("app.log")
	for _, c := range []struct {
		args []string
		errs bool // the error log is read
	}{
		{[]string{access, errorLog, app}, true},
		{[]string{app, errorLog, access}, true},
		{[]string{app, access}, false},
		{[]string{"--proxy", access, app}, false},
		{[]string{app, "--proxy", access, "--proxy-errors", errorLog}, true},
		{[]string{access, "--app", app}, false},
	} {
		name := strings.ReplaceAll(strings.Join(c.args, " "), ridDir+"/", "")
		t.Run(name, func(t *testing.T) {
			for _, in := range reportInputs(t, c.args...) {
				switch in.Format {
				case "nginx-combined", "nginx-error":
					if in.Role == "app" {
						t.Errorf("nginx's %s read as the app's", in.Format)
					}
				case "app-access":
					if in.Role != "app" || in.Parsed != 761 || in.Unparsed != 0 {
						t.Errorf("the app's log read as %+v, want the app's 761 lines", in)
					}
				default:
					t.Errorf("an input read as %+v", in)
				}
			}
			evs, _ := reportEvents(t, c.args...)
			var wrong []string
			judged, joined := 0, 0
			for _, ev := range evs {
				u, err := url.Parse(ev.Path)
				if err != nil {
					t.Fatal(err)
				}
				n := u.Query().Get("n")
				want, fault := truth[n][0], truth[n][1]
				judged++
				if fault == "drop" && !c.errs {
					continue // the app wrote nothing: only the error log tells
				}
				if ev.Cause != want {
					wrong = append(wrong, fmt.Sprintf("n=%s %s %d: %s, want %s (%s)", n, fault, ev.Status, ev.Cause, want, strings.Join(ev.Evidence, " / ")))
				}
				if fault == "slow" && strings.HasPrefix(u.Path, "/slow") && !strings.Contains(ev.Path, "s=0.3") && want == "app_error" &&
					slices.ContainsFunc(ev.Evidence, func(l string) bool { return strings.HasPrefix(l, "app: finished with "+fmt.Sprint(ev.Status)+" ") }) {
					joined++
				}
			}
			slices.Sort(wrong)
			if len(wrong) > 0 || judged != 32 {
				t.Errorf("%d 5xx judged, want 32; %d wrong:\n  %s", judged, len(wrong), strings.Join(wrong, "\n  "))
			}
			if joined != 8 {
				t.Errorf("%d slow app 5xx judged by their own line, want 8", joined)
			}
		})
	}
}

// TestAppAccessLogPairsBothCombined: of two positional combined logs of
// the same requests that could both be an app's (no upstream fields), the
// app's is the one whose every line is HTTP/1.0 beside the proxy's 1.1
// (nginx speaks 1.0 to its upstream unless told otherwise), else the one
// with the request ids the other lacks, else the later given. Given
// first, nginx-startapp's app log (its id a quoted field) made nginx's
// log the app's; so did nginx-startapp-rid's with its HTTP/1.0 made 1.1
// (proxy_http_version 1.1), in either order, before the ids were weighed.
func TestAppAccessLogPairsBothCombined(t *testing.T) {
	inZone(t, "UTC")
	dir := t.TempDir()
	b, err := os.ReadFile(filepath.Join(ridDir, "app.log"))
	if err != nil {
		t.Fatal(err)
	}
	app11 := filepath.Join(dir, "app11.log")
	if err := os.WriteFile(app11, []byte(strings.ReplaceAll(string(b), ` HTTP/1.0" `, ` HTTP/1.1" `)), 0o644); err != nil {
		t.Fatal(err)
	}
	quoted := filepath.Join("..", "..", "testdata", "recordings", "nginx-startapp")
	for _, c := range []struct {
		name  string
		files []string
		roles []string
	}{
		{"quoted id, app first", []string{filepath.Join(quoted, "app.log"), filepath.Join(quoted, "access.log")}, []string{"app", "proxy"}},
		{"quoted id, nginx first", []string{filepath.Join(quoted, "access.log"), filepath.Join(quoted, "app.log")}, []string{"proxy", "app"}},
		{"rid, HTTP/1.1, app first", []string{app11, filepath.Join(ridDir, "access.log")}, []string{"app", "proxy"}},
		{"rid, HTTP/1.1, nginx first", []string{filepath.Join(ridDir, "access.log"), app11}, []string{"proxy", "app"}},
	} {
		for k, in := range reportInputs(t, c.files...) {
			if in.Role != c.roles[k] {
				t.Errorf("%s: %s read as %s (%s), want %s", c.name, filepath.Base(c.files[k]), in.Role, in.Format, c.roles[k])
			}
		}
	}
}

// TestLateAppLineEvidence: a verdict whose app line came late in its file
// and was placed where it was written (classify/applate.go) says so, with
// the line's stamp and the stamp it came after; and each 504 whose app
// line finished with another status (nginx's 30 s read timeout, then the
// app's 200 after 38-40 s, or its 500 after 35 s) says that the app
// finished after the proxy gave up. The evidence named neither: the
// placement nowhere, and the app finishing late only for the 200s without
// the error log.
func TestLateAppLineEvidence(t *testing.T) {
	inZone(t, "UTC")
	truth := ridTruth(t)
	lateRE := regexp.MustCompile(`^app: its line is stamped (\d\d:\d\d:\d\d) but came after one stamped (\d\d:\d\d:\d\d): placed where it was written`)
	at := func(f string) string { return filepath.Join(ridDir, f) }
	for _, args := range [][]string{{at("access.log"), at("error.log"), at("app.log")}, {at("access.log"), at("app.log")}} {
		evs, _ := reportEvents(t, args...)
		late, gaveUp := 0, 0
		for _, ev := range evs {
			u, err := url.Parse(ev.Path)
			if err != nil {
				t.Fatal(err)
			}
			want, fault := truth[u.Query().Get("n")][0], truth[u.Query().Get("n")][1]
			slowOne := (fault == "slow" || fault == "hang") && !strings.Contains(ev.Path, "s=0.3")
			placed := false
			for _, l := range ev.Evidence {
				m := lateRE.FindStringSubmatch(l)
				if m == nil {
					continue
				}
				stamped, _ := time.Parse("15:04:05", m[1])
				written, _ := time.Parse("15:04:05", m[2])
				if d := written.Sub(stamped); d < 20*time.Second || d > 41*time.Second {
					t.Errorf("%s: written %v after its stamp, want the request's 20-40 s: %q", ev.Path, d, l)
				}
				placed = true
			}
			if placed != slowOne {
				t.Errorf("%s (%s): placed where written %v, want %v: %q", ev.Path, fault, placed, slowOne, ev.Evidence)
			}
			if placed {
				late++
			}
			said := slices.Contains(ev.Evidence, "the app finished after the proxy gave up")
			if wantSaid := ev.Status == 504 && want == "upstream_timeout" && slowOne; said != wantSaid {
				t.Errorf("%s %d %s: 'the app finished after the proxy gave up' %v, want %v: %q", ev.Path, ev.Status, ev.Cause, said, wantSaid, ev.Evidence)
			}
			if said {
				gaveUp++
			}
		}
		if late != 11 || gaveUp != 3 {
			t.Errorf("%d: %d verdicts by a line placed where it was written, want 11 (8 slow app 5xx, 2 hangs, 1 slow 500 after the timeout); %d say the app finished after the proxy gave up, want 3",
				len(args), late, gaveUp)
		}
	}
}
