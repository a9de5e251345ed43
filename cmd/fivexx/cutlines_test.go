package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestCutLinesAreReported checks that a line over 1 MiB, cut to 1 MiB,
// is counted in every report: only the text said so ("1 lines over 1 MiB
// were cut"), --json had no key for it.
func TestCutLinesAreReported(t *testing.T) {
	line := `198.51.100.128 - - [02/Jan/2026:03:00:00 +0000] "GET /api/products/20915 HTTP/2.0" 404 83 "https://shop.example.com/" "curl/8.5.0" rt=0.010 uct="0.000" uht="0.009" urt="0.009" ua="10.0.1.11:8080" us="404" rid=- cid=1`
	huge := strings.Replace(line, "/api/products/20915", "/"+strings.Repeat("a", 3_000_000), 1)
	path := filepath.Join(t.TempDir(), "access.log")
	if err := os.WriteFile(path, []byte(line+"\n"+huge+"\n"+line+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, errs := runCLI("report", path)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	if !strings.Contains(out, ": 1 (1 line over 1 MiB was cut to 1 MiB)\n") {
		t.Errorf("text report:\n%s", out)
	}
	code, out, errs = runCLI("report", "--json", path)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	var rep struct{ Inputs []map[string]any }
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatal(err)
	}
	if len(rep.Inputs) != 1 || rep.Inputs[0]["lines_cut"] != 1.0 || rep.Inputs[0]["unparsed"] != 1.0 {
		t.Errorf("inputs %v, want lines_cut 1 and unparsed 1", rep.Inputs)
	}
	// No line cut: no key, as before.
	if err := os.WriteFile(path, []byte(line+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, out, _ = runCLI("report", "--json", path); strings.Contains(out, "lines_cut") {
		t.Errorf("lines_cut without a cut line:\n%s", out)
	}
}
