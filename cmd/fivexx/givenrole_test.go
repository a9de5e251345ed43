package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"fivexx/classify"
	"fivexx/sources"
)

// The nginx-upstream recording: its access log logs the upstream fields,
// its error log nginx's, its app log JSON lines.
var (
	roleRec    = filepath.Join("..", "..", "testdata", "recordings", "nginx-upstream")
	roleAccess = filepath.Join(roleRec, "access.log")
	roleErrors = filepath.Join(roleRec, "error.log")
	roleApp    = filepath.Join(roleRec, "app.log")
)

// TestGivenRoleContradictedIsUsageError: a role given that the file's
// first lines plainly contradict is the user's mistake, told at start.
// --proxy-errors access.log was read as the access log while the advice
// said "no proxy access log"; --app error.log was read as app-text, its
// lines app evidence (QA, session 26).
func TestGivenRoleContradictedIsUsageError(t *testing.T) {
	for _, tc := range []struct {
		name string
		args []string
		want string
	}{
		{"access log as --proxy-errors", []string{"report", "--proxy-errors", roleAccess, roleErrors, roleApp},
			"fivexx: error: --proxy-errors " + roleAccess + ": its lines read as a proxy's access log (nginx-upstream), not its error log: give it by position or with --proxy\n"},
		{"error log as --app", []string{"report", roleAccess, "--app", roleErrors},
			"fivexx: error: --app " + roleErrors + ": its lines read as a proxy's error log (nginx-error), not an app's: give it by position or with --proxy-errors (an app that logs so: add --format app-text)\n"},
		{"error log as --app NAME=", []string{"report", "--json", roleAccess, "--app", "api=" + roleErrors, "--app", "orders=" + roleApp},
			"fivexx: error: --app api=" + roleErrors + ": its lines read as a proxy's error log (nginx-error), not an app's: give it by position or with --proxy-errors (an app that logs so: add --format app-text)\n"},
		{"access log naming the upstream as --app", []string{"report", roleErrors, "--app", roleAccess},
			"fivexx: error: --app " + roleAccess + ": its lines read as a proxy's access log (nginx-upstream, naming the upstream), not an app's: give it by position or with --proxy (an app that logs so: add --format app-access)\n"},
		{"replay", []string{"replay", roleAccess, "--app", roleErrors},
			"fivexx: error: --app " + roleErrors + ": its lines read as a proxy's error log (nginx-error), not an app's: give it by position or with --proxy-errors (an app that logs so: add --format app-text)\n"},
		{"live", []string{"--proxy-errors", roleAccess, roleErrors},
			"fivexx: error: --proxy-errors " + roleAccess + ": its lines read as a proxy's access log (nginx-upstream), not its error log: give it by position or with --proxy\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, out, stderr := runCLI(tc.args...)
			if code != 2 || stderr != tc.want || out != "" {
				t.Errorf("%q: exit %d, stdout %q, stderr %q; want exit 2, %q", tc.args, code, out, stderr, tc.want)
			}
		})
	}
}

// TestGivenRoleReadAsGiven: correct use, and app logs that look like a
// proxy's in part or only without its upstream fields, are read as
// given, as before: an app log may look like anything text.
func TestGivenRoleReadAsGiven(t *testing.T) {
	dir := t.TempDir()
	// gunicorn's access log is combined, as nginx's default log_format:
	// --app is how it is given (appaccess.go).
	access, err := os.ReadFile(roleAccess)
	if err != nil {
		t.Fatal(err)
	}
	upstream := regexp.MustCompile(` rt=.*`)
	var gunicorn []string
	for _, l := range strings.Split(strings.TrimSpace(string(access)), "\n")[:40] {
		gunicorn = append(gunicorn, upstream.ReplaceAllString(l, ""))
	}
	gunicornLog := filepath.Join(dir, "gunicorn.log")
	writeLines(t, gunicornLog, gunicorn...)
	// A text app log quoting a few of nginx's error lines (an ops tool's
	// log): 3 of 12 lines read as nginx's, not 9 in 10.
	errs, err := os.ReadFile(roleErrors)
	if err != nil {
		t.Fatal(err)
	}
	quoting := strings.Split(string(errs), "\n")[:3]
	for i := range 9 {
		quoting = append(quoting, "2026-11-21 07:40:0"+string(rune('0'+i))+",120 INFO worker: checked upstream pool, 2 healthy")
	}
	quotingLog := filepath.Join(dir, "ops.log")
	writeLines(t, quotingLog, quoting...)

	// JSON app logs that nginx-json and traefik-json read too, naming
	// no upstream: their own request time was taken for an upstream
	// field, and --app refused them (QA s27).
	var jsonApp, traefikKeys []string
	for i := range 30 {
		jsonApp = append(jsonApp, `{"time": "2026-11-21T07:39:`+twoDigits(i)+`+00:00", "method": "GET", "uri": "/x?n=`+strconv.Itoa(i)+`", "status": 200, "request_time": 0.01, "request_id": "rid-`+strconv.Itoa(i)+`"}`)
		traefikKeys = append(traefikKeys, `{"time": "2026-11-21T07:39:`+twoDigits(i)+`Z", "level": "info", "RequestMethod": "GET", "RequestPath": "/x?n=`+strconv.Itoa(i)+`", "DownstreamStatus": 200, "Duration": 1200000, "request_id": "rid-`+strconv.Itoa(i)+`"}`)
	}
	jsonAppLog, traefikKeysLog := filepath.Join(dir, "json-app.log"), filepath.Join(dir, "traefik-keys.log")
	writeLines(t, jsonAppLog, jsonApp...)
	writeLines(t, traefikKeysLog, traefikKeys...)

	type input struct {
		Path, Role, Format, Problem string
		Parsed                      int
	}
	for _, tc := range []struct {
		name string
		args []string
		want []input
	}{
		{"each given its own role", []string{"--proxy-errors", roleErrors, "--app", roleApp, roleAccess},
			[]input{{roleAccess, "proxy", "nginx-upstream", "", 340}, {roleErrors, "proxy-errors", "nginx-error", "", 153}, {roleApp, "app", "app-json", "", 501}}},
		{"an app's combined access log", []string{roleAccess, "--app", gunicornLog},
			[]input{{roleAccess, "proxy", "nginx-upstream", "", 340}, {gunicornLog, "app", "app-access", "", 40}}},
		{"an app log quoting nginx's error lines", []string{roleAccess, "--app", "ops=" + quotingLog},
			[]input{{roleAccess, "proxy", "nginx-upstream", "", 340}, {quotingLog, "app", "app-text", "", 12}}},
		{"an app's JSON log with its request time", []string{roleAccess, "--app", jsonAppLog},
			[]input{{roleAccess, "proxy", "nginx-upstream", "", 340}, {jsonAppLog, "app", "app-json", "", 30}}},
		{"an app's JSON log with Traefik's keys", []string{roleAccess, "--app", traefikKeysLog},
			[]input{{roleAccess, "proxy", "nginx-upstream", "", 340}, {traefikKeysLog, "app", "app-json", "", 30}}},
		{"an nginx error log forced as app text", []string{roleAccess, "--format", "app-text", "--app", roleErrors},
			[]input{{roleAccess, "proxy", "nginx-upstream", "", 340}, {roleErrors, "app", "app-text", "", 153}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m := reportJSON(t, tc.args...)
			var got []input
			b, _ := json.Marshal(m["inputs"])
			if err := json.Unmarshal(b, &got); err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(got, tc.want) {
				t.Errorf("inputs %+v, want %+v", got, tc.want)
			}
			for _, a := range m["advice"].([]any) {
				if p := a.(map[string]any)["problem"].(string); strings.Contains(p, "given with") || strings.Contains(p, "no proxy access log") {
					t.Errorf("advice %q", p)
				}
			}
		})
	}
}

// TestGivenRoleContradictedOnStdin: standard input cannot be peeked at
// start, so its first lines are checked as they come: the report says
// what they read as, on the input and in the advice, and reads none of
// an error log given as an app's. An access log given as the error log
// is read as the access log (it was, with "no proxy access log" beside
// 340 requests), shown as one.
func TestGivenRoleContradictedOnStdin(t *testing.T) {
	for _, tc := range []struct {
		name, stdin string
		args        []string
		role        string
		parsed      float64
		problem     string
		advice      string
	}{
		{"error log as --app -", roleErrors, []string{roleAccess, "--app", "-"}, "app", 0,
			"given with --app, but its lines read as a proxy's error log (nginx-error), not an app's: give it by position or with --proxy-errors (an app that logs so: add --format app-text)",
			"stdin: given with --app, but its lines read as a proxy's error log (nginx-error), not an app's: none of its lines is read → give it by position or with --proxy-errors (an app that logs so: add --format app-text)"},
		{"access log as --proxy-errors -", roleAccess, []string{"--proxy-errors", "-", "--app", roleApp}, "proxy", 340,
			"given with --proxy-errors, but its lines read as a proxy's access log (nginx-upstream), not its error log: give it by position or with --proxy",
			"stdin: given with --proxy-errors, but its lines read as a proxy's access log (nginx-upstream), not its error log: it is read as the access log → give it by position or with --proxy"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f, err := os.Open(tc.stdin)
			if err != nil {
				t.Fatal(err)
			}
			saved := os.Stdin
			os.Stdin = f
			t.Cleanup(func() { os.Stdin = saved; f.Close() })
			m := reportJSON(t, tc.args...)
			var in map[string]any
			for _, i := range m["inputs"].([]any) {
				if i.(map[string]any)["path"] == "stdin" {
					in = i.(map[string]any)
				}
			}
			if in["role"] != tc.role || in["parsed"] != tc.parsed || in["problem"] != tc.problem {
				t.Errorf("stdin: %v; want role %s, %v parsed, problem %q", in, tc.role, tc.parsed, tc.problem)
			}
			var advice []string
			for _, a := range m["advice"].([]any) {
				advice = append(advice, a.(map[string]any)["problem"].(string)+" → "+a.(map[string]any)["fix"].(string))
			}
			if len(advice) == 0 || advice[0] != tc.advice {
				t.Errorf("advice:\n%s\nwant first %q", strings.Join(advice, "\n"), tc.advice)
			}
			for _, a := range advice {
				if strings.Contains(a, "no proxy access log") {
					t.Errorf("advice %q beside the access log read", a)
				}
			}
		})
	}
}

// TestLiveGivenRoleContradictedLater: live, a file empty at start cannot
// be checked then; when its first lines come and contradict its role,
// the inputs pane says so (the input's state) and the advice does,
// rather than fivexx exiting. An nginx error log given as the app's gives
// no app line.
func TestLiveGivenRoleContradictedLater(t *testing.T) {
	errs, err := os.ReadFile(roleErrors)
	if err != nil {
		t.Fatal(err)
	}
	access, err := os.ReadFile(roleAccess)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name  string
		flag  string
		lines []byte
		role  sources.Role
		state string
	}{
		{"error log as --app", "--app", errs, sources.RoleApp,
			"given with --app, but its lines read as a proxy's error log (nginx-error), not an app's: give it by position or with --proxy-errors (an app that logs so: add --format app-text)"},
		{"access log as --proxy-errors", "--proxy-errors", access, sources.RoleProxy,
			"given with --proxy-errors, but its lines read as a proxy's access log (nginx-upstream), not its error log: give it by position or with --proxy"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "given.log")
			if err := os.WriteFile(path, nil, 0o644); err != nil {
				t.Fatal(err)
			}
			ins, eng := startTestLive(t, []string{tc.flag, path})
			waitUntil(t, 5*time.Second, "the input followed", func() bool { return sources.Following(ins[0].State()) })
			f, err := os.OpenFile(path, os.O_APPEND|os.O_WRONLY, 0)
			if err != nil {
				t.Fatal(err)
			}
			f.Write(tc.lines)
			f.Close()
			var s *classify.Snapshot
			waitUntil(t, 10*time.Second, "the contradiction in the snapshot", func() bool {
				s = eng.Latest()
				return len(s.Inputs) == 1 && s.Inputs[0].State == tc.state
			})
			if s.Inputs[0].Role != tc.role {
				t.Errorf("role %v, want %v", s.Inputs[0].Role, tc.role)
			}
			if len(s.Advice) == 0 || !strings.HasPrefix(s.Advice[0].Problem, path+": given with "+tc.flag+", but its lines read as") {
				t.Errorf("advice %+v, want the contradiction first", s.Advice)
			}
			if tc.role == sources.RoleApp && s.Inputs[0].Parsed != 0 {
				t.Errorf("%d lines read as the app's", s.Inputs[0].Parsed)
			}
		})
	}
}

// TestAppLogGivenAsErrorLogSaysSo: an app log given as --proxy-errors is
// no proxy's format fivexx knows, so it is not refused (an app log may
// look like a proxy's own log, Traefik's logfmt); but the advice said only
// to force a format, which reads none of it. It says what its lines look
// like and how to give an app's log.
func TestAppLogGivenAsErrorLogSaysSo(t *testing.T) {
	m := reportJSON(t, "--proxy-errors", roleApp, roleAccess)
	a := m["advice"].([]any)[0].(map[string]any)
	wantProblem := roleApp + ": given with --proxy-errors, but no proxy error log format fivexx reads fits its 501 lines"
	wantFix := "its lines look like app-json: if it is an app's log, give it with --app or by position; else force the format with --format NAME (fivexx explain formats lists them)"
	if a["problem"] != wantProblem || a["fix"] != wantFix {
		t.Errorf("first advice %v, want %q → %q", a, wantProblem, wantFix)
	}
}

// TestErrorLogGivenAsProxyReadsAsByPosition: nginx's error log given as
// --proxy reads as nginx-error, as by position, and takes the access
// log's zone as by position. Detection for --proxy looked at access
// formats only, and ingress-nginx (which reads nginx's error lines of its
// stream) won: format "ingress-nginx", and with nginx's zone not fivexx's
// (Asia/Kolkata here, the recording UTC) 2 of 5 bad responses read as
// resets (QA, session 27).
func TestErrorLogGivenAsProxyReadsAsByPosition(t *testing.T) {
	inZone(t, "Asia/Kolkata")
	want := reportJSON(t, roleAccess, roleErrors, roleApp)["causes"]
	catAccess := "cat " + shellWord(roleAccess) // no peek: the zone comes through the reader
	for _, tc := range []struct {
		name string
		args []string
	}{
		{"by position", []string{roleAccess, roleErrors, roleApp}},
		{"--proxy", []string{roleAccess, "--proxy", roleErrors, roleApp}},
		{"--proxy alone", []string{"--proxy", roleErrors}},
		{"--proxy, access log through --cmd", []string{"--cmd", catAccess, "--proxy", roleErrors, roleApp}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m := reportJSON(t, tc.args...)
			found := false
			for _, in := range m["inputs"].([]any) {
				in := in.(map[string]any)
				if in["path"] != roleErrors {
					continue
				}
				found = true
				if in["role"] != "proxy-errors" || in["format"] != "nginx-error" {
					t.Errorf("error log read as role %v, format %v; want proxy-errors, nginx-error", in["role"], in["format"])
				}
			}
			if !found {
				t.Fatalf("no input %s in %v", roleErrors, m["inputs"])
			}
			if len(tc.args) > 2 && !reflect.DeepEqual(m["causes"], want) {
				t.Errorf("causes %v, want %v (by position)", m["causes"], want)
			}
		})
	}
}

// twoDigits is i as two digits: "07".
func twoDigits(i int) string { return strconv.Itoa(i/10) + strconv.Itoa(i%10) }
