package main

import (
	"encoding/json"
	"fmt"
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

// A file of NUL bytes alone (cut by copytruncate while its writer kept
// its offset, or made and never written) has no line, as its NULs are
// dropped; the report called it "empty (0 lines)". It now says what it
// holds, in the input's problem and in the advice, given by position or
// with its role; a file of no bytes is still empty.
func TestNULsAloneAreNotEmpty(t *testing.T) {
	inZone(t, "UTC")
	dir := t.TempDir()
	nuls, empty := filepath.Join(dir, "app.log"), filepath.Join(dir, "empty.log")
	if err := os.WriteFile(nuls, make([]byte, 70000), 0o644); err != nil { // more than a read
		t.Fatal(err)
	}
	if err := os.WriteFile(empty, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	problems := func(m map[string]any) (inputs []string, advice string) {
		for _, in := range m["inputs"].([]any) {
			p, _ := in.(map[string]any)["problem"].(string)
			inputs = append(inputs, p)
		}
		b, _ := json.Marshal(m["advice"])
		return inputs, string(b)
	}
	ins, advice := problems(reportJSON(t, nuls, empty))
	if want := []string{"only NUL bytes (70000), no line", "empty (0 lines)"}; strings.Join(ins, "|") != strings.Join(want, "|") {
		t.Errorf("by position: input problems %q, want %q", ins, want)
	}
	if !strings.Contains(advice, nuls+" holds only NUL bytes (70000, no line)") || strings.Contains(advice, nuls+" is empty") {
		t.Errorf("by position: advice %s", advice)
	}
	ins, advice = problems(reportJSON(t, "--proxy", empty, "--app", nuls))
	if want := []string{"empty (0 lines)", "only NUL bytes (70000), no line"}; strings.Join(ins, "|") != strings.Join(want, "|") {
		t.Errorf("--app: input problems %q, want %q", ins, want)
	}
	if !strings.Contains(advice, "the app log "+nuls+" holds only NUL bytes (70000, no line): no app line was read") {
		t.Errorf("--app: advice %s", advice)
	}
}

// A Caddy access log read without Caddy's error entries asks for them (real
// Caddy 2.6.2: with the access log alone 128 of its 131 5xx were unknown,
// and the advice asked for nothing), and its advice speaks of Caddy, not of
// nginx's $upstream_* variables; with the error entries read it asks no more.
func TestCaddyWithoutErrorEntriesAsksForThem(t *testing.T) {
	inZone(t, "UTC")
	dir := "../../testdata/recordings/caddy"
	advice := func(files ...string) string {
		var args []string
		for _, f := range files {
			args = append(args, filepath.Join(dir, f))
		}
		b, _ := json.Marshal(reportJSON(t, args...)["advice"])
		return string(b)
	}
	alone := advice("access.log", "app.log")
	if !strings.Contains(alone, "no Caddy error entries") || !strings.Contains(alone, "http.log.error") {
		t.Errorf("access and app logs: no advice to add Caddy's error entries: %s", alone)
	}
	if strings.Contains(alone, "$upstream") || strings.Contains(alone, "nginx") {
		t.Errorf("access and app logs: advice in nginx's words for Caddy: %s", alone)
	}
	if both := advice("access.log", "error.log", "app.log"); strings.Contains(both, "no Caddy error entries") {
		t.Errorf("with the error log: still asks for it: %s", both)
	}
}

// Caddy's stderr given and read, with no error entry of any request in
// it: with handle_errors Caddy logs the failures it handles at DEBUG
// only. The advice asked to add "the caddy process's stderr", the log
// that was given (QA s8, real Caddy 2.6.2: testdata/caddy-handle-errors,
// its stderr whole and the first 20 access entries); it says the log
// holds none, and how to have them.
func TestCaddyLogWithoutErrorEntriesSaysSo(t *testing.T) {
	inZone(t, "UTC")
	dir := filepath.Join("testdata", "caddy-handle-errors")
	b, _ := json.Marshal(reportJSON(t, filepath.Join(dir, "access.log"), filepath.Join(dir, "stderr.log"))["advice"])
	advice := string(b)
	for _, want := range []string{
		filepath.Join(dir, "stderr.log") + " is Caddy's log (its own lines are there) but holds no error entry of any request",
		"set log default { level DEBUG } in the global options",
	} {
		if !strings.Contains(advice, want) {
			t.Errorf("advice lacks %q: %s", want, advice)
		}
	}
	if strings.Contains(advice, "no Caddy error entries") || strings.Contains(advice, "the caddy process's stderr") {
		t.Errorf("advice asks for the log that was given: %s", advice)
	}
}

// An input of lines without text (blank lines, a byte-order mark, NUL
// bytes with newlines) had no problem, or a wrong one: "c.log unknown -
// 3 lines 0 unparsed" and nothing said, a BOM alone the same, and 100 NULs
// and a newline "not text (binary: NUL or control bytes ...)" where 100
// NULs without the newline said "only NUL bytes (100), no line". Each now
// says what it holds, as the NULs alone do: in its problem, and in the
// advice, given by position or with its role.
func TestInputsWithoutTextSayWhatTheyHold(t *testing.T) {
	inZone(t, "UTC")
	dir := t.TempDir()
	nuls := func(n int) string { return strings.Repeat("\x00", n) }
	unread := filepath.Join(dir, "unread.log")
	writeLines(t, unread, "no log format reads this", "nor this")
	for i, tc := range []struct {
		name, text, want string
	}{
		{"blank lines", "\n\n\n", "only blank lines (3)"},
		{"white space", " \n\t\r\n", "only blank lines (2)"},
		{"a byte-order mark", "\ufeff", "only a byte-order mark"},
		{"a byte-order mark and a newline", "\ufeff\n", "only a byte-order mark"},
		{"a byte-order mark and blank lines", "\ufeff\n\n\n", "only a byte-order mark and blank lines (3)"},
		{"NULs and a newline", nuls(100) + "\n", "only NUL bytes (100)"},
		{"NULs and CRLF", nuls(100) + "\r\n", "only NUL bytes (100)"},
		{"NULs, a newline, NULs", nuls(100) + "\n" + nuls(50), "only NUL bytes (150)"},
		{"NULs and blank lines", nuls(100) + "\n\n" + nuls(3) + "\n", "only NUL bytes (103) and blank lines (3)"},
		{"a byte-order mark and NULs", "\ufeff" + nuls(10), "only a byte-order mark and NUL bytes (10)"},
		{"all three", "\ufeff" + nuls(10) + "\n\n", "only a byte-order mark, NUL bytes (10) and blank lines (2)"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(dir, fmt.Sprintf("in%d.log", i))
			if err := os.WriteFile(path, []byte(tc.text), 0o644); err != nil {
				t.Fatal(err)
			}
			access := "../../testdata/recordings/nginx-upstream/access.log"
			// Beside an input no format reads, whose bytes are looked at
			// (nottext.go), and beside an access log, given as the app's.
			for _, args := range [][]string{{path}, {path, unread}, {access, "--app", path}} {
				m := reportJSON(t, args...)
				var in map[string]any
				for _, v := range m["inputs"].([]any) {
					if v.(map[string]any)["path"] == path {
						in = v.(map[string]any)
					}
				}
				if p, _ := in["problem"].(string); p != tc.want {
					t.Errorf("%q: problem %q, want %q", args, p, tc.want)
				}
				if in["blank"] != in["lines"] {
					t.Errorf("%q: %v lines, %v blank", args, in["lines"], in["blank"])
				}
				advice, _ := json.Marshal(m["advice"])
				if !strings.Contains(string(advice), path+" holds "+tc.want) || strings.Contains(string(advice), "not text") {
					t.Errorf("%q: advice %s, want %q", args, advice, path+" holds "+tc.want)
				}
			}
		})
	}
}
