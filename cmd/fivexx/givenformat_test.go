package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestLogFormatForcesProxyRole runs the QA lines through report: a file
// that the given --log-format reads is the nginx access log, whatever
// detection would make of it (app-logfmt, app-text, nothing), and a file
// it does not read (the error log) keeps its detection.
func TestLogFormatForcesProxyRole(t *testing.T) {
	errLine := `2024/01/02 03:04:05 [error] 6#6: *1 connect() failed (111: Connection refused) while connecting to upstream, client: 10.1.2.3, server: , request: "GET /api HTTP/1.1", upstream: "http://10.0.0.1:8080/api", host: "x"`
	tests := []struct{ name, format, line string }{
		{"time_local first", `[$time_local] $remote_addr "$request" $status us=$upstream_status uht=$upstream_header_time ua=$upstream_addr rid=$request_id`,
			`[02/Jan/2024:03:04:05 +0000] 10.1.2.3 "GET /api HTTP/1.1" 502 us=502 uht=- ua=10.0.0.1:8080 rid=dddd0000000000000000000000000001`},
		{"time_iso8601 first", `$time_iso8601 $remote_addr "$request" $status us=$upstream_status ua=$upstream_addr rid=$request_id`,
			`2024-01-02T03:04:05+00:00 10.1.2.3 "GET /api HTTP/1.1" 502 us=502 ua=10.0.0.1:8080 rid=dddd0000000000000000000000000001`},
		{"msec first", `$msec $remote_addr "$request" $status us=$upstream_status ua=$upstream_addr rid=$request_id`,
			`1704164645.000 10.1.2.3 "GET /api HTTP/1.1" 502 us=502 ua=10.0.0.1:8080 rid=dddd0000000000000000000000000001`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			inZone(t, "UTC")
			dir := t.TempDir()
			acc, errs := filepath.Join(dir, "tl.log"), filepath.Join(dir, "error.log")
			writeLines(t, acc, tc.line)
			writeLines(t, errs, errLine)
			code, out, stderr := runCLI("report", "--json", "--log-format", tc.format, acc, errs)
			if code != 0 {
				t.Fatalf("exit %d: %s", code, stderr)
			}
			var rep struct {
				Inputs []struct {
					Role, Format     string
					Parsed, Unparsed int
				}
				Requests int
				Causes   map[string]int
			}
			if err := json.Unmarshal([]byte(out), &rep); err != nil {
				t.Fatal(err)
			}
			if len(rep.Inputs) != 2 || rep.Inputs[0].Role != "proxy" || rep.Inputs[0].Format != "nginx" || rep.Inputs[0].Parsed != 1 {
				t.Errorf("access input %+v, want proxy nginx with its line parsed", rep.Inputs)
			}
			if len(rep.Inputs) == 2 && rep.Inputs[1].Format != "nginx-error" {
				t.Errorf("error input %+v, want nginx-error", rep.Inputs[1])
			}
			if rep.Requests != 1 || rep.Causes["upstream_refused"] != 1 {
				t.Errorf("%d requests, causes %v; want 1 upstream_refused", rep.Requests, rep.Causes)
			}
		})
	}
}

// TestLogFormatLeavesOtherFiles: an app log the given format does not read
// stays an app log.
func TestLogFormatLeavesOtherFiles(t *testing.T) {
	dir := t.TempDir()
	app := filepath.Join(dir, "app.log")
	writeLines(t, app, `time=2024-01-02T03:04:05Z level=error msg="db down" request_id=dddd0000000000000000000000000001`)
	code, out, stderr := runCLI("report", "--json", "--log-format", `[$time_local] $remote_addr "$request" $status`, app)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var rep struct{ Inputs []struct{ Role string } }
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatal(err)
	}
	if len(rep.Inputs) != 1 || rep.Inputs[0].Role != "app" {
		t.Errorf("inputs %+v, want the app log as app", rep.Inputs)
	}
}

func writeLines(t *testing.T, path string, lines ...string) {
	t.Helper()
	var b []byte
	for _, l := range lines {
		b = append(append(b, l...), '\n')
	}
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestGivenFormatThatReadsNone is the QA case of a format given that
// reads none of an input (the lab's real nginx-upstream recording): exit
// 0, "0 requests", no problem and no advice. Now the input's problem and
// the first advice say so, and name what detection makes of it.
func TestGivenFormatThatReadsNone(t *testing.T) {
	rec := filepath.Join("..", "..", "testdata", "recordings", "nginx-upstream")
	acc, errs, app := filepath.Join(rec, "access.log"), filepath.Join(rec, "error.log"), filepath.Join(rec, "app.log")
	for _, tc := range []struct {
		name    string
		args    []string
		input   int
		problem string
		fix     string
	}{
		{"--format haproxy", []string{"--format", "haproxy"}, 0,
			"none of its lines read as haproxy, given with --format haproxy; it looks like nginx-upstream",
			"drop --format to detect it (it looks like nginx-upstream)"},
		{"--log-format", []string{"--log-format", "$remote_addr [$time_iso8601] $status"}, 0,
			"none of its lines read as nginx, given with --log-format; it looks like nginx-upstream",
			"drop --log-format to detect it (it looks like nginx-upstream), or give the log_format its access_log uses (nginx -T | grep log_format)"},
		{"--format app-logfmt on JSON", []string{"--format", "app-logfmt"}, 2,
			"none of its lines read as app-logfmt, given with --format app-logfmt; it looks like app-json",
			"drop --format to detect it (it looks like app-json)"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m := reportJSON(t, append(tc.args, acc, errs, app)...)
			in := m["inputs"].([]any)[tc.input].(map[string]any)
			if in["problem"] != tc.problem {
				t.Errorf("problem %q, want %q", in["problem"], tc.problem)
			}
			advice := m["advice"].([]any)
			if len(advice) == 0 || advice[0].(map[string]any)["fix"] != tc.fix {
				t.Errorf("advice %v, want first the fix %q", advice, tc.fix)
			}
		})
	}
	// A format given that reads the lines says nothing.
	m := reportJSON(t, "--format", "nginx-upstream", acc, errs, app)
	if p, ok := m["inputs"].([]any)[0].(map[string]any)["problem"]; ok {
		t.Errorf("nginx-upstream given: problem %q", p)
	}
}

// TestLogFormatWithoutVariablesIsBadUsage is the QA case of --log-format
// in double quotes: the shell empties every $variable, and the string left
// was read file by file (exit 0, 0 requests, problem "format nginx: nginx:
// log_format: no variables in the format"). It is known at flag parse.
func TestLogFormatWithoutVariablesIsBadUsage(t *testing.T) {
	acc := filepath.Join("..", "..", "testdata", "recordings", "nginx-upstream", "access.log")
	const noVars = "fivexx: error: --log-format has no $variables: quote it with '…' so the shell leaves them\n"
	for _, tc := range []struct {
		args []string
		want string
	}{
		// "$remote_addr - $remote_user [$time_local] \"$request\" $status" after the shell:
		{[]string{"report", "--log-format", ` -  [] "" `, acc}, noVars},
		{[]string{"report", "--log-format", "", acc}, noVars}, // "$status"
		{[]string{"--log-format", ` -  [] "" `, acc}, noVars}, // live
		{[]string{"report", "--log-format", "$status $", acc}, "fivexx: error: --log-format: invalid variable name at byte 8: $ must be followed by a name\n"},
	} {
		code, out, stderr := runCLI(tc.args...)
		if code != 2 || stderr != tc.want || out != "" {
			t.Errorf("%q: exit %d, stdout %q, stderr %q; want exit 2, %q", tc.args, code, out, stderr, tc.want)
		}
	}
}

// TestConfLogFormatThatDoesNotCompile: a log_format from nginx.conf that
// does not compile was read with every line unparsed and no problem (the
// state "reading" overwrote the error), and the error said "nginx:" twice.
func TestConfLogFormatThatDoesNotCompile(t *testing.T) {
	dir := t.TempDir()
	acc := filepath.Join(dir, "access.log")
	full, err := os.ReadFile(filepath.Join("..", "..", "testdata", "recordings", "nginx-upstream", "access.log"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(acc, full, 0o644); err != nil {
		t.Fatal(err)
	}
	conf := filepath.Join(dir, "nginx.conf")
	writeLines(t, conf, "http {", `  log_format plain "just text";`, "  access_log "+acc+" plain;", "}")
	m := reportJSON(t, "--nginx-conf", conf, acc)
	in := m["inputs"].([]any)[0].(map[string]any)
	if want := "format nginx: log_format: no variables in the format"; in["problem"] != want {
		t.Errorf("problem %q, want %q", in["problem"], want)
	}
}

// TestHAProxyCustomLogFormatSaysWhy is the QA case of a real HAProxy log
// in a custom log-format (httplog's without %CC %CS: testdata/
// haproxy-custom): with --format haproxy the problem said "format not
// recognised: force one with --format NAME" though it was forced, and the
// fix named nginx's paths; with --proxy no advice said why its 69 lines
// were all unparsed.
func TestHAProxyCustomLogFormatSaysWhy(t *testing.T) {
	log := filepath.Join("testdata", "haproxy-custom", "haproxy-stdout.log")
	m := reportJSON(t, "--format", "haproxy", log)
	if p, want := m["inputs"].([]any)[0].(map[string]any)["problem"], "format not recognised though --format haproxy was given: no line is in HAProxy's option httplog or httplog clf layout"; p != want {
		t.Errorf("--format haproxy: problem %q, want %q", p, want)
	}
	advice := m["advice"].([]any)
	if len(advice) != 2 {
		t.Fatalf("--format haproxy: advice %v, want the format's and the missing access log's", advice)
	}
	if fix := advice[0].(map[string]any)["fix"].(string); !strings.Contains(fix, `README.md, Formats, "HAProxy log-format"`) || !strings.Contains(fix, "%CC %CS") {
		t.Errorf("--format haproxy: fix %q, want the layouts read and README's section", fix)
	}
	if fix := advice[1].(map[string]any)["fix"].(string); strings.Contains(fix, "nginx") || !strings.Contains(fix, "/var/log/haproxy.log") {
		t.Errorf("--format haproxy: the missing access log's fix %q names nginx", fix)
	}

	// Without --format its lines look like HAProxy's all the same: they
	// are told so, and the missing access log's fix names HAProxy's
	// paths. It said "format not recognised: force one with --format
	// NAME", which reads none of them, and the fix named nginx's (QA s30).
	m = reportJSON(t, log)
	if p, want := m["inputs"].([]any)[0].(map[string]any)["problem"], "format not recognised: its lines look like HAProxy's, but none is in its option httplog or httplog clf layout"; p != want {
		t.Errorf("no --format: problem %q, want %q", p, want)
	}
	advice = m["advice"].([]any)
	if len(advice) != 2 {
		t.Fatalf("no --format: advice %v, want the format's and the missing access log's", advice)
	}
	if a := advice[0].(map[string]any); !strings.Contains(a["problem"].(string), "its lines look like HAProxy's, but none of its 69 lines is in HAProxy's option httplog or httplog clf layout") ||
		!strings.Contains(a["fix"].(string), `README.md, Formats, "HAProxy log-format"`) {
		t.Errorf("no --format: advice %v, want why its lines are unparsed and the layouts read", a)
	}
	if fix := advice[1].(map[string]any)["fix"].(string); strings.Contains(fix, "nginx") || !strings.Contains(fix, "/var/log/haproxy.log") {
		t.Errorf("no --format: the missing access log's fix %q names nginx", fix)
	}

	m = reportJSON(t, "--proxy", log)
	if p, want := m["inputs"].([]any)[0].(map[string]any)["problem"], "format not recognised: no proxy access log format fivexx reads fits its lines (given with --proxy)"; p != want {
		t.Errorf("--proxy: problem %q, want %q", p, want)
	}
	advice = m["advice"].([]any)
	if len(advice) == 0 || !strings.Contains(advice[0].(map[string]any)["problem"].(string), "given with --proxy, but no proxy access log format fivexx reads fits its 69 lines") {
		t.Errorf("--proxy: advice %v, want why its lines are unparsed", advice)
	}
}
