package main

import (
	"encoding/json"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// TestErrorLogAloneSaysWhatItTells: an nginx error log read without its
// access log names failures, not the statuses they made. The report said
// "Status: no 5xx or 429" beside 26 failure lines (session 24 QA repro 4,
// real nginx 1.22.1 lines in testdata/errorlog-alone); it says what the
// error log tells, in the text and in --json's error_log_failures, which
// a report with an access log leaves out.
func TestErrorLogAloneSaysWhatItTells(t *testing.T) {
	inZone(t, "UTC")
	log := filepath.Join("..", "..", "testdata", "errorlog-alone", "nginx-error.log")
	code, out, stderr := runCLI("report", log)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	const want = "\nStatus\n  no access log: no status is known\n" +
		"  the error log tells of 26 failures: timed out 9, refused 8, reset 6, connections limited 2, cut after headers 1\n"
	if !strings.Contains(out, want) || strings.Contains(out, "no 5xx or 429") {
		t.Errorf("no %q in\n%s", want, out)
	}

	code, out, stderr = runCLI("report", "--json", log)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var rep struct {
		Failures map[string]int64 `json:"error_log_failures"`
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatal(err)
	}
	wantJSON := map[string]int64{"read_timeout": 9, "refused": 8, "reset": 6, "conn_limited": 2, "after_headers": 1}
	if !maps.Equal(rep.Failures, wantJSON) {
		t.Errorf("error_log_failures %v, want %v", rep.Failures, wantJSON)
	}

	// With its access log, the statuses are known: no such key.
	dir := filepath.Join("testdata", "cutafterheaders")
	inZone(t, "Europe/Paris")
	code, out, stderr = runCLI("report", "--json", filepath.Join(dir, "nginx-access.log"), filepath.Join(dir, "nginx-error.log"))
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if strings.Contains(out, "error_log_failures") {
		t.Errorf("error_log_failures beside an access log:\n%s", out)
	}
}

// TestCaddyErrorLogAloneSaysWhatItTells: Caddy's error entries read
// without its access entries (real Caddy 2.6.2, a Caddyfile whose default
// logger writes every logger but http.log.access to caddy-errors.log and
// whose site `log` writes the access log elsewhere; recorded by
// testdata/errorlog-alone/record-caddy.sh). Caddy's one format reads both
// kinds of entry, so the file read as an access log of 0 requests: "no 5xx
// or 429" beside 11 http.log.error entries, and no advice that the access
// log is missing. It says what they tell, as an nginx error log alone
// does, and the statuses they name (502 7, 503 2, 504 2: the access log's
// 5xx less the app's own 500 and 503 and respond's 503, which log no error
// entry).
func TestCaddyErrorLogAloneSaysWhatItTells(t *testing.T) {
	inZone(t, "UTC")
	dir := filepath.Join("..", "..", "testdata", "errorlog-alone")
	log := filepath.Join(dir, "caddy-errors.log")
	code, out, stderr := runCLI("report", log)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	for _, want := range []string{
		"caddy-errors.log  proxy-errors  caddy  23 lines  0 unparsed\n",
		"\nStatus\n  no access log: only the statuses the error log names are known\n" +
			"  the error log tells of 11 failures: refused 3, reset 3, timed out 2, rejected 2, bad response 1\n" +
			"  their statuses: 502 7, 503 2, 504 2\n",
		"  - no proxy access log: fivexx judges the 5xx a proxy logs, and none is read\n" +
			"    fix: a site's `log { output file /var/log/caddy/access.log }` writes Caddy's access log: fivexx /var/log/caddy/access.log " + log + " app.log\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("no %q in\n%s", want, out)
		}
	}
	if strings.Contains(out, "no 5xx or 429") {
		t.Errorf("\"no 5xx or 429\" beside the error entries:\n%s", out)
	}

	code, out, stderr = runCLI("report", "--json", log)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	type input struct {
		Path, Role string
	}
	var rep struct {
		Inputs   []input          `json:"inputs"`
		Failures map[string]int64 `json:"error_log_failures"`
		Statuses map[string]int64 `json:"error_log_statuses"`
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatal(err)
	}
	wantFailures := map[string]int64{"refused": 3, "reset": 3, "read_timeout": 2, "proxy_rejected": 2, "bad_response": 1}
	if !maps.Equal(rep.Failures, wantFailures) {
		t.Errorf("error_log_failures %v, want %v", rep.Failures, wantFailures)
	}
	wantStatuses := map[string]int64{"502": 7, "503": 2, "504": 2}
	if !maps.Equal(rep.Statuses, wantStatuses) {
		t.Errorf("error_log_statuses %v, want %v", rep.Statuses, wantStatuses)
	}
	if len(rep.Inputs) != 1 || rep.Inputs[0].Role != "proxy-errors" {
		t.Errorf("inputs %+v, want one of role proxy-errors", rep.Inputs)
	}

	// Beside its access log: the statuses are the access log's, no such
	// keys; each file is shown in its role.
	access := filepath.Join(dir, "caddy-access.log")
	code, out, stderr = runCLI("report", "--json", access, log)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	rep.Inputs, rep.Failures, rep.Statuses = nil, nil, nil
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(out, "error_log_") {
		t.Errorf("error_log_ keys beside an access log:\n%s", out)
	}
	wantInputs := []input{{access, "proxy"}, {log, "proxy-errors"}}
	if !slices.Equal(rep.Inputs, wantInputs) {
		t.Errorf("inputs %+v, want %+v", rep.Inputs, wantInputs)
	}
}

// TestTraefikOwnLogAloneSaysWhatItTells: Traefik's own log (its DEBUG
// lines, one per 5xx it made, formats.md §7.2) read without its access
// log names failures and their statuses, as Caddy's error entries do. It
// said "Status: no 5xx or 429" and read as an access log of 0 requests
// (QA s31 F4), in v2's text, v3's JSON and v3's console layouts alike.
// Beside its access log it is the error log, and the access log's 5xx are
// judged with its lines as before. Its fix names Traefik's access log
// options, not nginx's files.
func TestTraefikOwnLogAloneSaysWhatItTells(t *testing.T) {
	inZone(t, "UTC")
	type input struct {
		Path, Role string
	}
	type report struct {
		Inputs   []input          `json:"inputs"`
		Requests int              `json:"requests"`
		Failures map[string]int64 `json:"error_log_failures"`
		Statuses map[string]int64 `json:"error_log_statuses"`
	}
	for _, tc := range []struct {
		name     string
		lines    []string
		failures map[string]int64
		statuses map[string]int64
		text     string
	}{
		{
			name: "v2 text",
			lines: []string{
				`time="2024-01-02T03:04:00Z" level=info msg="Configuration loaded from flags."`,
				`time="2024-01-02T03:04:00Z" level=info msg="Traefik version 2.11.0 built on 2024-02-12T15:25:07Z"`,
				`time="2024-01-02T03:04:06Z" level=debug msg="'502 Bad Gateway' caused by: dial tcp 172.18.0.5:8080: connect: connection refused"`,
				`time="2024-01-02T03:04:07Z" level=debug msg="'502 Bad Gateway' caused by: EOF"`,
				`time="2024-01-02T03:04:38Z" level=debug msg="'504 Gateway Timeout' caused by: dial tcp 172.18.0.6:8080: i/o timeout"`,
				`time="2024-01-02T03:04:39Z" level=debug msg="'500 Internal Server Error' caused by: tls: failed to verify certificate: x509: certificate signed by unknown authority"`,
				`time="2024-01-02T03:04:41Z" level=debug msg="'502 Bad Gateway' caused by: net/http: HTTP/1.x transport connection broken: malformed HTTP response \"garbage\""`,
			},
			failures: map[string]int64{"refused": 1, "reset": 1, "connect_timeout": 1, "tls": 1, "bad_response": 1},
			statuses: map[string]int64{"502": 3, "504": 1, "500": 1},
			text: "\nStatus\n  no access log: only the statuses the error log names are known\n" +
				"  the error log tells of 5 failures: refused 1, tls failed 1, reset 1, bad response 1, connect timed out 1\n" +
				"  their statuses: 500 1, 502 3, 504 1\n",
		},
		{
			name: "v3 JSON",
			lines: []string{
				`{"level":"debug","error":"dial tcp 172.18.0.5:8080: connect: connection refused","time":"2024-01-02T03:04:06Z","message":"502 Bad Gateway"}`,
				`{"level":"debug","error":"EOF","time":"2024-01-02T03:04:09Z","message":"502 Bad Gateway"}`,
			},
			failures: map[string]int64{"refused": 1, "reset": 1},
			statuses: map[string]int64{"502": 2},
			text: "\nStatus\n  no access log: only the statuses the error log names are known\n" +
				"  the error log tells of 2 failures: refused 1, reset 1\n" +
				"  their statuses: 502 2\n",
		},
		{
			name: "v3 console",
			lines: []string{
				`2025-08-14T03:55:08Z DBG github.com/traefik/traefik/v3/pkg/proxy/httputil/proxy.go:121 > 502 Bad Gateway error="dial tcp 10.76.0.36:8080: connect: connection refused"`,
			},
			failures: map[string]int64{"refused": 1},
			statuses: map[string]int64{"502": 1},
			text: "\nStatus\n  no access log: only the statuses the error log names are known\n" +
				"  the error log tells of 1 failure: refused 1\n" +
				"  their statuses: 502 1\n",
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			log := writeFiles(t, [2]string{"traefik.log", lines(tc.lines...)})[0]
			code, out, stderr := runCLI("report", log)
			if code != 0 {
				t.Fatalf("exit %d: %s", code, stderr)
			}
			if !strings.Contains(out, tc.text) || strings.Contains(out, "no 5xx or 429") {
				t.Errorf("want %q and no \"no 5xx or 429\" in\n%s", tc.text, out)
			}
			// The fix for the missing access log is Traefik's: it named
			// nginx's files (/var/log/nginx/access.log …).
			fix := "    fix: Traefik writes no access log until told: --accesslog=true --accesslog.filepath=/var/log/traefik/access.log --accesslog.format=json"
			if !strings.Contains(out, fix) || strings.Contains(out, "nginx") {
				t.Errorf("want %q and no nginx in\n%s", fix, out)
			}
			code, out, stderr = runCLI("report", "--json", log)
			if code != 0 {
				t.Fatalf("exit %d: %s", code, stderr)
			}
			var rep report
			if err := json.Unmarshal([]byte(out), &rep); err != nil {
				t.Fatal(err)
			}
			if !maps.Equal(rep.Failures, tc.failures) || !maps.Equal(rep.Statuses, tc.statuses) {
				t.Errorf("error_log_failures %v, error_log_statuses %v; want %v, %v", rep.Failures, rep.Statuses, tc.failures, tc.statuses)
			}
			if len(rep.Inputs) != 1 || rep.Inputs[0].Role != "proxy-errors" || rep.Requests != 0 {
				t.Errorf("inputs %+v, %d requests; want one of role proxy-errors, 0 requests", rep.Inputs, rep.Requests)
			}
		})
	}

	// Beside its access log, and as one stream with it (Traefik's stdout):
	// no error_log_ keys, and the 502 is judged with the line as before.
	own := []string{
		`time="2024-01-02T03:04:06Z" level=debug msg="'502 Bad Gateway' caused by: dial tcp 172.18.0.5:8080: connect: connection refused"`,
	}
	access := []string{
		`10.0.0.9 - - [02/Jan/2024:03:04:05 +0000] "GET /ok HTTP/1.1" 200 287 "-" "curl/8.4.0" 1 "api@docker" "http://172.18.0.5:8080" 7ms`,
		`10.0.0.9 - - [02/Jan/2024:03:04:06 +0000] "GET /api HTTP/1.1" 502 11 "-" "curl/8.4.0" 2 "api@docker" "http://172.18.0.5:8080" 1ms`,
	}
	files := writeFiles(t, [2]string{"access.log", lines(access...)}, [2]string{"traefik.log", lines(own...)},
		[2]string{"stream.log", lines(access[0], own[0], access[1])})
	for _, tc := range []struct {
		name   string
		args   []string
		inputs []input
	}{
		{"beside its access log", files[:2], []input{{files[0], "proxy"}, {files[1], "proxy-errors"}}},
		{"one stream", files[2:], []input{{files[2], "proxy"}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, out, stderr := runCLI(append([]string{"report", "--json"}, tc.args...)...)
			if code != 0 {
				t.Fatalf("exit %d: %s", code, stderr)
			}
			var rep report
			if err := json.Unmarshal([]byte(out), &rep); err != nil {
				t.Fatal(err)
			}
			if strings.Contains(out, "error_log_") || !slices.Equal(rep.Inputs, tc.inputs) {
				t.Errorf("inputs %+v, want %+v and no error_log_ keys:\n%s", rep.Inputs, tc.inputs, out)
			}
			evs, _ := reportEvents(t, tc.args...)
			if len(evs) != 1 || evs[0].Cause != "upstream_refused" || evs[0].Confidence != "high" {
				t.Errorf("events %+v, want the 502 upstream_refused high", evs)
			}
		})
	}
}

// The fix for Traefik's own log read without its access log gives the
// command to run with the input as it was given: it pasted the input's
// label, "stdin" or "cmd: cat traefik.log", where a shell wants "-" or
// --cmd 'cat traefik.log' (review s33), and a path with a space unquoted.
func TestOwnLogFixNamesTheInputAsGiven(t *testing.T) {
	inZone(t, "UTC")
	own := lines(`time="2024-01-02T03:04:06Z" level=debug msg="'502 Bad Gateway' caused by: dial tcp 172.18.0.5:8080: connect: connection refused"`)
	dir := t.TempDir()
	spaced := filepath.Join(dir, "traefik own.log")
	if err := os.WriteFile(spaced, []byte(own), 0o644); err != nil {
		t.Fatal(err)
	}
	const then = "then fivexx /var/log/traefik/access.log "
	for _, tc := range []struct {
		name  string
		args  []string
		stdin string
		want  string
	}{
		{"standard input", []string{"report", "-"}, own, then + "- app.log"},
		{"a command", []string{"report", "--cmd", "cat '" + spaced + "'"}, "", then + "--cmd 'cat '\\''" + spaced + "'\\''' app.log"},
		{"a path with a space", []string{"report", spaced}, "", then + "'" + spaced + "' app.log"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, out, stderr := runChildCLI(tc.stdin, tc.args...)
			if code != 0 {
				t.Fatalf("%q: exit %d: %s", tc.args, code, stderr)
			}
			if !strings.Contains(out, tc.want) {
				t.Errorf("want %q in\n%s", tc.want, out)
			}
		})
	}
}

// TestHAProxyStateLogAloneSaysNoAccessLog: HAProxy's stderr (real
// HAProxy, testdata/recordings/haproxy: "Server be_app/s1 is DOWN",
// "backend 'be_app' has no server available!") read alone read as an
// access log of 0 requests and said "no 5xx or 429", with no word that
// the request lines were missing (QA s35 M3). It is the proxy's log of
// state lines: "no access log: no status is known", and the fix is
// HAProxy's (option httplog, log global), not nginx's files. Beside its
// access log it is read as before, its role proxy-errors. And a report
// of an access log's role that read no request (Caddy's own lines alone)
// does not say "no 5xx or 429" either.
func TestHAProxyStateLogAloneSaysNoAccessLog(t *testing.T) {
	inZone(t, "UTC")
	dir := filepath.Join("..", "..", "testdata", "recordings", "haproxy")
	log := filepath.Join(dir, "stderr.log")
	code, out, stderr := runCLI("report", log)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	for _, want := range []string{
		"stderr.log  proxy-errors  haproxy  23 lines  0 unparsed\n",
		"\nStatus\n  no access log: no status is known\n",
		"no proxy access log: fivexx judges the 5xx a proxy logs, and none is read\n",
		"option httplog",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("no %q in\n%s", want, out)
		}
	}
	for _, not := range []string{"no 5xx or 429", "/var/log/nginx"} {
		if strings.Contains(out, not) {
			t.Errorf("%q in\n%s", not, out)
		}
	}

	code, out, stderr = runCLI("report", "--json", filepath.Join(dir, "access.log"), log)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var rep struct {
		Inputs []struct {
			Role string `json:"role"`
		} `json:"inputs"`
		Requests int64 `json:"requests"`
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatal(err)
	}
	if len(rep.Inputs) != 2 || rep.Inputs[0].Role != "proxy" || rep.Inputs[1].Role != "proxy-errors" || rep.Requests != 326 {
		t.Errorf("inputs %+v, requests %d; want proxy and proxy-errors, 326", rep.Inputs, rep.Requests)
	}

	code, out, stderr = runCLI("report", filepath.Join("..", "..", "testdata", "startup", "caddy-stderr.log"))
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if want := "\nStatus\n  no request was read: no status is known\n"; !strings.Contains(out, want) || strings.Contains(out, "no 5xx or 429") {
		t.Errorf("no %q in\n%s", want, out)
	}
}

// TestNothingParsedIsSaidFirst: a report of which no line of any input
// could be parsed (a binary file; a --log-format matching no line) said
// "fivexx report — 0 requests" and a Status of "no access log" or, with
// the access log's role, "no 5xx or 429", the why only in the inputs'
// problems (QA s35 L7). It says so first. The exit status stays 0: README
// keeps 1 for an input that failed while read, and --json tells it by
// requests 0 and every input's parsed 0.
func TestNothingParsedIsSaidFirst(t *testing.T) {
	inZone(t, "UTC")
	bin := filepath.Join(t.TempDir(), "app.bin")
	if err := os.WriteFile(bin, []byte("\x7fELF\x02\x01\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x02\x00>\x00\x01\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	access := filepath.Join("..", "..", "testdata", "recordings", "nginx-upstream", "access.log")
	for _, tc := range []struct {
		name string
		args []string
		want string
	}{
		{"binary", []string{bin}, "fivexx report — 0 requests\n\nNo line of any input could be parsed (1 line unparsed): nothing was judged; each input's problem says why\n\nInputs\n"},
		{"log-format matching no line", []string{"--log-format", "$status", access}, "fivexx report — 0 requests\n\nNo line of any input could be parsed (340 lines unparsed): nothing was judged; each input's problem says why\n\nInputs\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, out, stderr := runCLI(append([]string{"report"}, tc.args...)...)
			if code != 0 {
				t.Fatalf("exit %d: %s", code, stderr)
			}
			if !strings.HasPrefix(out, tc.want) {
				t.Errorf("does not start with %q:\n%s", tc.want, out)
			}
			if strings.Contains(out, "no 5xx or 429") {
				t.Errorf("no 5xx or 429 said:\n%s", out)
			}
		})
	}
	// Parsed lines beside unparsed ones: not said.
	code, out, stderr := runCLI("report", access, bin)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if strings.Contains(out, "No line of any input") {
		t.Errorf("said beside 340 parsed lines:\n%s", out)
	}
}
