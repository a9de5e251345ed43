package main

import (
	"encoding/json"
	"maps"
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
