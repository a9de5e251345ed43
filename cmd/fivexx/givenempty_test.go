package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestGivenEmptyInputsGetAdvice: three inputs given with their roles
// (--proxy, --proxy-errors, --app api=) and empty had "advice": [] in
// report --json, while the same files given by position each got an
// advice that they are empty. Each now gets one naming its role.
func TestGivenEmptyInputsGetAdvice(t *testing.T) {
	inZone(t, "UTC")
	dir := t.TempDir()
	acc, errs, app := filepath.Join(dir, "a.log"), filepath.Join(dir, "e.log"), filepath.Join(dir, "x.log")
	for _, p := range []string{acc, errs, app} {
		if err := os.WriteFile(p, nil, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	m := reportJSON(t, "--proxy", acc, "--proxy-errors", errs, "--app", "api="+app)
	var got []string
	for _, a := range m["advice"].([]any) {
		got = append(got, a.(map[string]any)["problem"].(string)+" → "+a.(map[string]any)["fix"].(string))
	}
	want := []string{
		"the proxy access log " + acc + " is empty (0 lines): no request was read, so no 5xx is judged → is the proxy logging elsewhere?",
		"the proxy error log " + errs + " is empty (0 lines): no proxy error line was read, so refused, reset, bad header and timeout are told apart by timings only → is error_log pointing elsewhere?",
		"the app log api=" + app + " is empty (0 lines): no app line was read, so fivexx cannot tell whether the app saw a failed request → is the app writing elsewhere (standard output, another file)?",
	}
	if len(got) != len(want) {
		b, _ := json.MarshalIndent(m["advice"], "", " ")
		t.Fatalf("advice %s, want %d", b, len(want))
	}
	for i := range want {
		if !strings.HasPrefix(got[i], want[i]) {
			t.Errorf("advice %d:\n got %s\nwant %s…", i, got[i], want[i])
		}
	}
	// A given input with lines has no such advice; the empty one keeps its own.
	writeLines(t, app, `{"time":"2024-01-02T03:04:05Z","level":"info","msg":"up"}`)
	m = reportJSON(t, "--proxy", acc, "--app", "api="+app)
	advice, _ := json.Marshal(m["advice"])
	if strings.Contains(string(advice), "the app log") || !strings.Contains(string(advice), "the proxy access log "+acc+" is empty") {
		t.Errorf("app log with a line, proxy log empty: advice %s", advice)
	}
}
