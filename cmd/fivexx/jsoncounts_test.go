package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"fivexx/sources/parsertest"
)

// report --json's inputs[].lines is parsed + unparsed + startup + blank +
// continued: blank lines (NUL bytes alone among them) and an app's
// stack-trace lines were counted in lines and nowhere else ("lines" 15,
// "parsed" 10, "unparsed" 0 for an app log with a Python traceback and two
// blank lines). blank and continued are left out when 0, so a log without
// such lines reads as before; the text report shows them beside unparsed.
func TestJSONAccountsForEveryLine(t *testing.T) {
	inZone(t, "UTC")
	dir := t.TempDir()
	rec := "../../testdata/recordings/nginx-upstream/"
	lines := func(path string) []string {
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		return strings.SplitAfter(strings.TrimSuffix(string(b), "\n"), "\n")
	}
	acc := lines(rec + "access.log")
	// Two blank lines, one of NULs alone, among the access lines.
	access := strings.Join(acc[:10], "") + "\n" + strings.Join(acc[10:20], "") + "\x00\x00\x00\n \r\n" + strings.Join(acc[20:], "")
	app := strings.Join(lines(rec+"app.log"), "") + "\n\n" +
		`{"time":"2026-11-21T07:40:00Z","level":"ERROR","msg":"request failed","method":"GET","path":"/boom"}` + "\n" +
		"Traceback (most recent call last):\n  File \"app.py\", line 9, in handle\nValueError: boom\n\n"
	accPath, appPath := filepath.Join(dir, "access.log"), filepath.Join(dir, "app.log")
	parsertest.WriteFiles(t, map[string]string{accPath: access, appPath: app})
	num := func(in map[string]any, key string) int64 {
		f, _ := in[key].(float64)
		return int64(f)
	}
	want := map[string][2]int64{accPath: {3, 0}, appPath: {2, 3}} // blank, continued
	for _, in := range reportJSON(t, accPath, appPath, rec+"error.log")["inputs"].([]any) {
		in := in.(map[string]any)
		path := in["path"].(string)
		sum := num(in, "parsed") + num(in, "unparsed") + num(in, "startup") + num(in, "blank") + num(in, "continued")
		if sum != num(in, "lines") {
			t.Errorf("%s: %v", path, in)
		}
		w, ok := want[path]
		if !ok {
			// The recording's error log has neither: the keys are left out.
			if _, has := in["blank"]; has {
				t.Errorf("%s: blank key of 0: %v", path, in)
			}
			if _, has := in["continued"]; has {
				t.Errorf("%s: continued key of 0: %v", path, in)
			}
			continue
		}
		if num(in, "blank") != w[0] || num(in, "continued") != w[1] {
			t.Errorf("%s: blank %d and continued %d, want %d and %d: %v", path, num(in, "blank"), num(in, "continued"), w[0], w[1], in)
		}
	}
	_, out, _ := runCLI("report", accPath, appPath)
	for _, want := range []string{"0 unparsed, 3 blank\n", "0 unparsed, 2 blank, 3 continuation\n"} {
		if !strings.Contains(out, want) {
			t.Errorf("text report lacks %q:\n%s", want, out)
		}
	}
}

// app_coverage is null when no app line was read: an app log given but
// empty, or of blank lines alone, tells nothing of whether the app saw the
// 5xx, and it was 0 there. With app lines it is a share for every upstream
// with 5xx, as before.
func TestJSONAppCoverageNullWithoutAppLines(t *testing.T) {
	inZone(t, "UTC")
	dir := t.TempDir()
	empty, blank := filepath.Join(dir, "empty.log"), filepath.Join(dir, "blank.log")
	if err := os.WriteFile(empty, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(blank, []byte("\n\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	rec := "../../testdata/recordings/"
	for _, args := range [][]string{
		{rec + "nginx-combined/access.log", "--app", empty},
		{rec + "nginx-upstream/access.log", "--app", empty},
		{rec + "nginx-upstream/access.log", "--app", blank},
	} {
		for _, u := range jsonUpstreams(t, args...) {
			if c, has := u["app_coverage"]; !has || c != nil {
				t.Errorf("%q: upstream %v: app_coverage %v, want null", args, u["name"], c)
			}
		}
	}
	for _, args := range [][]string{
		{rec + "nginx-combined/access.log", rec + "nginx-combined/app.log"},
		{rec + "nginx-upstream/access.log", "--app", rec + "nginx-upstream/app.log"},
	} {
		for _, u := range jsonUpstreams(t, args...) {
			fivexx := false
			for code := range u["status"].(map[string]any) {
				fivexx = fivexx || code >= "500" && code <= "599"
			}
			if _, ok := u["app_coverage"].(float64); ok != fivexx {
				t.Errorf("%q: upstream %v: app_coverage %v (5xx: %v)", args, u["name"], u["app_coverage"], fivexx)
			}
		}
	}
}

// jsonUpstreams is report --json's upstreams for args.
func jsonUpstreams(t *testing.T, args ...string) []map[string]any {
	t.Helper()
	var out []map[string]any
	for _, u := range reportJSON(t, args...)["upstreams"].([]any) {
		out = append(out, u.(map[string]any))
	}
	if len(out) == 0 {
		t.Fatalf("%q: no upstream", args)
	}
	return out
}
