package main

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
)

// TestNoStatusLineIsSaid: an upstream whose answer starts with no valid
// status line ("HTTP/1.1 OKAY fine") makes nginx log "upstream sent no
// valid HTTP/1.0 header" and pass the bytes on as HTTP/0.9, status 009:
// curl got no HTTP response (000) for all 93 of QA s38's, and the report
// said nothing but "009": 93 among the statuses. The text says it, and
// --json's no_status_line counts it; they are no 5xx, so no cause counts
// them. Real nginx 1.22.1 lines of that round (6 of the 93).
func TestNoStatusLineIsSaid(t *testing.T) {
	dir := filepath.Join("testdata", "nostatusline")
	paths := []string{filepath.Join(dir, "access.log"), filepath.Join(dir, "error.log"), filepath.Join(dir, "app.log")}
	code, out, stderr := runCLI(append([]string{"report"}, paths...)...)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	const want = "\n6 upstream answers had no valid status line (nginx status 009): nginx passed their bytes on as HTTP/0.9, so the clients got no HTTP response, and no 5xx was logged\n"
	if !strings.Contains(out, want) {
		t.Errorf("no %q in\n%s", want, out)
	}
	code, out, stderr = runCLI(append([]string{"report", "--json"}, paths...)...)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var rep struct {
		Status map[string]int64 `json:"status"`
		Causes map[string]int64 `json:"causes"`
		None   *int64           `json:"no_status_line"`
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatal(err)
	}
	if rep.None == nil || *rep.None != 6 {
		t.Errorf("no_status_line %v, want 6", rep.None)
	}
	if rep.Status["009"] != 6 || len(rep.Status) != 1 || len(rep.Causes) != 0 {
		t.Errorf("status %v, causes %v: want 6 009 and no cause", rep.Status, rep.Causes)
	}
	// Without one, the key is left out.
	code, out, _ = runCLI("report", "--json", filepath.Join("testdata", "cutafterheaders", "haproxy.log"))
	if code != 0 || strings.Contains(out, "no_status_line") {
		t.Errorf("exit %d, a key no_status_line of none:\n%s", code, out)
	}
}
