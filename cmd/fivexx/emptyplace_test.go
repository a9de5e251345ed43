package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// nginx's error log in its standard place, found with no input given and
// empty (nginx writes to it only when a request fails), is the proxy's
// error log in report --json, format nginx-error: it was role "unknown",
// format "", while the advice called it the error log (QA s32, L4). An
// empty file named so elsewhere is still told by its lines alone.
func TestEmptyStandardErrorLogIsTheErrorLog(t *testing.T) {
	dir := t.TempDir()
	access := filepath.Join(dir, "access.log")
	errorLog := filepath.Join(dir, "error.log")
	line := `127.0.0.1 - - [23/Nov/2026:10:00:00 +0000] "GET / HTTP/1.1" 502 10 "-" "curl/8.5.0"` + "\n"
	mustDo(t, os.WriteFile(access, []byte(line), 0o644))
	mustDo(t, os.WriteFile(errorLog, nil, 0o644))
	savedPlaces, savedFormats := defaultPlaces, emptyPlaceFormat
	t.Cleanup(func() { defaultPlaces, emptyPlaceFormat = savedPlaces, savedFormats })
	defaultPlaces = []string{access, errorLog}
	emptyPlaceFormat = map[string]string{errorLog: "nginx-error"}

	type input struct{ Path, Role, Format, Problem string }
	inputs := func(args ...string) []input {
		t.Helper()
		var out, stderr bytes.Buffer
		if code := run(append([]string{"report", "--json"}, args...), strings.NewReader(""), &out, &stderr); code != 0 {
			t.Fatalf("report %q: exit %d, %s", args, code, stderr.String())
		}
		var r struct{ Inputs []input }
		mustDo(t, json.Unmarshal(out.Bytes(), &r))
		return r.Inputs
	}
	got := inputs()
	want := []input{
		{access, "proxy", "nginx-combined", ""},
		{errorLog, "proxy-errors", "nginx-error", "empty (0 lines)"},
	}
	if len(got) != 2 || got[0] != want[0] || got[1] != want[1] {
		t.Errorf("no input given:\n got %+v\nwant %+v", got, want)
	}
	// Named, its name is no proof of a role: told by its lines, it has none.
	if got := inputs(access, errorLog); len(got) != 2 || got[1].Role != "unknown" {
		t.Errorf("named: %+v", got)
	}
	// With lines, they tell its role and format, as before.
	mustDo(t, os.WriteFile(errorLog, []byte("2026/11/23 10:00:00 [error] 7#7: *1 connect() failed (111: Connection refused) while connecting to upstream, client: 127.0.0.1, server: _, request: \"GET / HTTP/1.1\", upstream: \"http://127.0.0.1:9/\", host: \"x\"\n"), 0o644))
	if got := inputs(); len(got) != 2 || got[1].Role != "proxy-errors" || got[1].Format != "nginx-error" || got[1].Problem != "" {
		t.Errorf("with a line: %+v", got)
	}
}
