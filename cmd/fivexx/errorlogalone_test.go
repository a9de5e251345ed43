package main

import (
	"encoding/json"
	"maps"
	"path/filepath"
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
