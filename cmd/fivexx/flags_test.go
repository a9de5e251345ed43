package main

import (
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"
	"testing"
)

// TestFlagErrorsAreFivexxErrors: a bad flag printed the flag package's
// "flag provided but not defined: -jsno" and the whole usage, with no
// "fivexx: error:" prefix; a live-only flag given to report said only
// that; "fivexx version" was read as a live input. The message is now
// the whole of stderr, one line.
func TestFlagErrorsAreFivexxErrors(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"report", "--jsno", "x"}, "fivexx: error: unknown flag --jsno: did you mean --json? (fivexx report --help lists its flags)\n"},
		{[]string{"report", "--from-start", "x"}, "fivexx: error: --from-start is for live mode (fivexx --from-start FILE...), not report\n"},
		{[]string{"replay", "--cmd-restart", "x"}, "fivexx: error: --cmd-restart is for live mode (fivexx --cmd-restart FILE...), not replay\n"},
		{[]string{"replay", "--speed"}, "fivexx: error: flag needs an argument: --speed (fivexx replay --help lists its flags)\n"},
		{[]string{"demo", "--write", "d", "--duration", "abc"}, "fivexx: error: --duration takes a duration of 60s or more, one pass of a scenario: its failures come 10s to 53s in (such as 90s or 8m); not \"abc\"\n"},
		{[]string{"--frm-start", "x"}, "fivexx: error: unknown flag --frm-start: did you mean --from-start? (fivexx --help lists its flags)\n"},
		{[]string{"report", "--version"}, "fivexx: error: --version: fivexx version prints the version; fivexx report --help lists its flags\n"},
	} {
		code, out, stderr := runCLI(tc.args...)
		if code != 2 || stderr != tc.want || out != "" {
			t.Errorf("%q: exit %d, stdout %q, stderr %q; want exit 2, %q", tc.args, code, out, stderr, tc.want)
		}
	}
}

// TestFlagValuesAreReadBeforeInputs: a flag's value that does not read is
// the error, before the inputs are looked for and the terminal is: "report
// --app-skew fast x" said "cannot read input x: no such file or
// directory", replay the same, and live without a terminal "standard
// output is not a terminal" (QA s32 F7).
func TestFlagValuesAreReadBeforeInputs(t *testing.T) {
	const (
		skew    = "fivexx: error: --app-skew takes a duration, less than 0 when the app's clock is behind: 3s, -1.5s, 250ms; not \"fast\"\n"
		timeout = "fivexx: error: --upstream-timeout takes a duration more than 0 such as 60s or 5m (nginx's proxy_read_timeout); not \"x\"\n"
	)
	missing := filepath.Join(t.TempDir(), "x")
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"report", "--app-skew", "fast", missing}, skew},
		{[]string{"report", "--upstream-timeout", "x", missing}, timeout},
		{[]string{"report", "--events", "--app-skew", "fast", "-"}, skew},
		{[]string{"replay", "--app-skew", "fast", missing}, skew},
		{[]string{"replay", "--upstream-timeout", "x", missing}, timeout},
		{[]string{"--app-skew", "fast", missing}, skew},
		{[]string{"--upstream-timeout", "x", missing}, timeout},
	} {
		code, out, stderr := runCLI(tc.args...)
		if code != 2 || stderr != tc.want || out != "" {
			t.Errorf("%q: exit %d, stdout %q, stderr %q; want exit 2, %q", tc.args, code, out, stderr, tc.want)
		}
	}
}

func TestVersion(t *testing.T) {
	defer func(f func() (*debug.BuildInfo, bool)) { buildInfo = f }(buildInfo)
	buildInfo = func() (*debug.BuildInfo, bool) {
		return &debug.BuildInfo{Main: debug.Module{Version: "(devel)"}, Settings: []debug.BuildSetting{
			{Key: "vcs.revision", Value: "7c14766aa1b2c3d4e5f60718293a4b5c6d7e8f90"}, {Key: "vcs.modified", Value: "true"}}}, true
	}
	for _, arg := range []string{"version", "--version"} {
		code, out, stderr := runCLI(arg)
		if code != 0 || out != "fivexx devel 7c14766aa1b2 (modified)\n" || stderr != "" {
			t.Errorf("%s: exit %d, %q, %q", arg, code, out, stderr)
		}
	}
	buildInfo = func() (*debug.BuildInfo, bool) { return &debug.BuildInfo{Main: debug.Module{Version: "v1.2.0"}}, true }
	if code, out, _ := runCLI("version"); code != 0 || out != "fivexx v1.2.0\n" {
		t.Errorf("installed at v1.2.0: exit %d, %q", code, out)
	}
	buildInfo = func() (*debug.BuildInfo, bool) { return &debug.BuildInfo{Main: debug.Module{Version: "(devel)"}}, true }
	if code, out, stderr := runCLI("version"); code != 2 || out != "" || !strings.HasPrefix(stderr, "fivexx: error: this fivexx carries no version") {
		t.Errorf("no version: exit %d, %q, %q", code, out, stderr)
	}
}

// TestOutputErrorIsExitStatus1: explain, --help and demo --list written to
// /dev/full exited 0; report exits 1. Each says it in the same one line
// (version said "fivexx: error: write /dev/stdout: no space left on
// device").
func TestOutputErrorIsExitStatus1(t *testing.T) {
	defer func(f func() (*debug.BuildInfo, bool)) { buildInfo = f }(buildInfo)
	buildInfo = func() (*debug.BuildInfo, bool) { return &debug.BuildInfo{Main: debug.Module{Version: "v1.2.0"}}, true }
	full, err := os.OpenFile("/dev/full", os.O_WRONLY, 0)
	if err != nil {
		t.Skip("no /dev/full:", err)
	}
	defer full.Close()
	// report itself said "write /dev/stdout: no space left on device".
	log := filepath.Join(t.TempDir(), "access.log")
	if err := os.WriteFile(log, []byte(`127.0.0.1 - - [02/Jan/2026:03:00:00 +0000] "GET / HTTP/1.1" 502 3 "-" "ua"`+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{{"explain"}, {"--help"}, {"demo", "--list"}, {"report", "--help"}, {"version", "--help"},
		{"version"}, {"report", log}, {"report", "--json", log}, {"report", "--events", log}} {
		var stderr strings.Builder
		const want = "fivexx: error: cannot write the output: write /dev/full: no space left on device\n"
		if code := run(args, strings.NewReader(""), full, &stderr); code != 1 || stderr.String() != want {
			t.Errorf("%q > /dev/full: exit %d, stderr %q; want exit 1, %q", args, code, stderr.String(), want)
		}
	}
}

// TestEmptyValuesAreNamed: --app api= said "cannot read input : no such
// file or directory", and demo --write with a --duration of 0 or less
// wrote three empty files and exit 0.
func TestEmptyValuesAreNamed(t *testing.T) {
	dir := t.TempDir()
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"report", "--app", "api="}, "fivexx: error: --app \"api=\" names no FILE: give one, e.g. --app \"api=app.log\"\n"},
		{[]string{"report", "--proxy", "", "x"}, "fivexx: error: an input is an empty path (\"\"): a shell variable that was empty? name a file, or - for standard input\n"},
		{[]string{"demo", "--write", dir, "--duration", "-5s"}, "fivexx: error: --duration takes " + onePass + "; not -5s\n"},
		{[]string{"demo", "--write", dir, "--duration", "0s"}, "fivexx: error: --duration takes " + onePass + "; not 0s\n"},
	} {
		code, out, stderr := runCLI(tc.args...)
		if code != 2 || stderr != tc.want || out != "" {
			t.Errorf("%q: exit %d, stdout %q, stderr %q; want exit 2, %q", tc.args, code, out, stderr, tc.want)
		}
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("demo --write wrote %d files", len(entries))
	}
}

// TestFlagValuesSayWhatTheyTake: a value a flag cannot take is told as
// --speed tells it, "--speed takes a positive number from 0.1 to 1000000,
// or max; not "fast"": --each and --seed said "parse error", --app-skew
// and --upstream-timeout repeated time.ParseDuration's "time: invalid
// duration "fast"" (QA, session 27).
func TestFlagValuesSayWhatTheyTake(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"demo", "--each", "fast"}, "--each takes " + onePass + "; not \"fast\""},
		{[]string{"demo", "--seed", "x"}, "--seed takes a whole number such as 7; not \"x\""},
		{[]string{"demo", "--train=yes"}, "--train takes no value (or =true, =false); not \"yes\""},
		{[]string{"report", "--json=x", roleAccess}, "--json takes no value (or =true, =false); not \"x\""},
		{[]string{"report", "--app-skew", "fast", roleAccess}, "--app-skew takes a duration, less than 0 when the app's clock is behind: 3s, -1.5s, 250ms; not \"fast\""},
		{[]string{"report", "--app-skew", "1", roleAccess}, "--app-skew takes a duration, less than 0 when the app's clock is behind: 3s, -1.5s, 250ms; not \"1\""},
		{[]string{"report", "--upstream-timeout", "fast", roleAccess}, "--upstream-timeout takes a duration more than 0 such as 60s or 5m (nginx's proxy_read_timeout); not \"fast\""},
	} {
		code, out, stderr := runCLI(tc.args...)
		if want := "fivexx: error: " + tc.want + "\n"; code != 2 || stderr != want || out != "" {
			t.Errorf("%q: exit %d, stdout %q, stderr %q; want exit 2, %q", tc.args, code, out, stderr, want)
		}
	}
}
