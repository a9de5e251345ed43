package main

import (
	"encoding/json"
	"flag"
	"io"
	"os"
	"path/filepath"
	"testing"
)

// appLine is one app log line, enough for detection to read the file as
// an app log.
const appLine = `{"time":"2026-11-21T07:12:43Z","level":"error","msg":"boom","request_id":"abc"}` + "\n"

// An --app argument is NAME=FILE only when the part before '=' is a
// service name and the argument is not a file as it is: a path holding
// '=' (./ts=2024.log) was read as service "./ts" and file 2024.log, and
// report failed with "cannot read input 2024.log".
func TestAppFlagNameOrFile(t *testing.T) {
	dir := t.TempDir()
	withEq := filepath.Join(dir, "ts=2024.log")
	plain := filepath.Join(dir, "app.log")
	for _, p := range []string{withEq, plain} {
		if err := os.WriteFile(p, []byte(appLine), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	t.Chdir(dir)
	tests := []struct {
		name       string
		arg        string
		wantName   string
		wantPath   string
		wantStderr string // report's exact stderr; "" when it reads the file
	}{
		{"relative path with =", "./ts=2024.log", "", "./ts=2024.log", ""},
		{"absolute path with =", withEq, "", withEq, ""},
		{"a file as it is, no path prefix", "ts=2024.log", "", "ts=2024.log", ""},
		{"name and file", "api=app.log", "api", "app.log", ""},
		{"name and absolute file", "orders-v2=" + plain, "orders-v2", plain, ""},
		{"plain file", "app.log", "", "app.log", ""},
		{"missing relative path with =", "./missing=1.log", "", "./missing=1.log",
			"fivexx: error: cannot read input ./missing=1.log: no such file or directory\n"},
		{"missing absolute path with =", "/nonexistent/app=1.log", "", "/nonexistent/app=1.log",
			"fivexx: error: cannot read input /nonexistent/app=1.log: no such file or directory\n"},
		{"home path with =", "~/app=1.log", "", "~/app=1.log",
			"fivexx: error: cannot read input ~/app=1.log: no such file or directory\n"},
		{"name and missing file", "api=/nonexistent/app.log", "api", "/nonexistent/app.log",
			"fivexx: error: cannot read input /nonexistent/app.log: no such file or directory\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var f inputFlags
			fs := flag.NewFlagSet("report", flag.ContinueOnError)
			f.register(fs, false)
			if err := fs.Parse([]string{"--app", tt.arg}); err != nil {
				t.Fatal(err)
			}
			specs, err := f.specs(nil, io.Discard)
			if err != nil {
				t.Fatal(err)
			}
			if len(specs) != 1 || specs[0].Path != tt.wantPath || specs[0].Opts.Service != tt.wantName {
				t.Fatalf("--app %s: specs %+v; want path %q, service %q", tt.arg, specs, tt.wantPath, tt.wantName)
			}

			code, out, stderr := runCLI("report", "--json", "--app", tt.arg)
			if tt.wantStderr != "" {
				if code != 2 || stderr != tt.wantStderr {
					t.Fatalf("report --app %s: exit %d, stderr %q; want exit 2, %q", tt.arg, code, stderr, tt.wantStderr)
				}
				return
			}
			var m struct {
				Inputs []struct {
					Path, Role    string
					Lines, Parsed int
				}
			}
			if err := json.Unmarshal([]byte(out), &m); err != nil || code != 0 {
				t.Fatalf("report --app %s: exit %d, %v, stderr %q", tt.arg, code, err, stderr)
			}
			if len(m.Inputs) != 1 || m.Inputs[0].Path != tt.wantPath || m.Inputs[0].Role != "app" || m.Inputs[0].Parsed != 1 {
				t.Fatalf("report --app %s: inputs %+v; want %s read as an app log, its line parsed", tt.arg, m.Inputs, tt.wantPath)
			}
		})
	}
}

// Standard input goes by "-" and by the names the system gives it: given
// twice under two of them, it is refused as "- -" is. report - /dev/stdin
// read a redirected file twice (each line counted twice) and would split
// a pipe between two readers; live and replay went on to the UI.
func TestStdinGivenTwice(t *testing.T) {
	access, err := filepath.Abs(nginxSample[0])
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name  string
		args  []string
		stdin string // a file standard input is redirected from; "" leaves it
		want  string
	}{
		{"- twice", []string{"report", "-", "-"}, "",
			"fivexx: error: standard input (-) is given twice: it can be read once\n"},
		{"- and /dev/stdin", []string{"report", "-", "/dev/stdin"}, "",
			"fivexx: error: standard input (- and /dev/stdin) is given twice: it can be read once\n"},
		{"/dev/fd/0 and -", []string{"report", "/dev/fd/0", "-"}, "",
			"fivexx: error: standard input (/dev/fd/0 and -) is given twice: it can be read once\n"},
		{"- and /proc/self/fd/0", []string{"report", "-", "/proc/self/fd/0"}, "",
			"fivexx: error: standard input (- and /proc/self/fd/0) is given twice: it can be read once\n"},
		{"/dev/stdin and /dev/fd/0", []string{"report", "/dev/stdin", "/dev/fd/0"}, "",
			"fivexx: error: standard input (/dev/stdin and /dev/fd/0) is given twice: it can be read once\n"},
		{"--app beside -", []string{"report", "-", "--app", "api=/dev/stdin"}, "",
			"fivexx: error: standard input (- and /dev/stdin) is given twice: it can be read once\n"},
		{"live", []string{"-", "/dev/stdin"}, "",
			"fivexx: error: standard input (- and /dev/stdin) is given twice: it can be read once\n"},
		{"replay", []string{"replay", "--speed", "max", "/dev/stdin", "-"}, "",
			"fivexx: error: standard input (/dev/stdin and -) is given twice: it can be read once\n"},
		{"- and the file it is", []string{"report", "-", access}, access,
			"fivexx: error: standard input (- and " + access + ") is given twice: it can be read once\n"},
	}
	// Live and replay refuse a terminal as standard input: so were the
	// check gone, they would fail with that, not open the UI.
	savedTerminal := stdinIsTerminal
	stdinIsTerminal = func() bool { return true }
	defer func() { stdinIsTerminal = savedTerminal }()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.stdin != "" {
				f, err := os.Open(tt.stdin)
				if err != nil {
					t.Fatal(err)
				}
				saved := os.Stdin
				os.Stdin = f
				t.Cleanup(func() { os.Stdin = saved; f.Close() })
			}
			code, _, stderr := runCLI(tt.args...)
			if code != 2 || stderr != tt.want {
				t.Errorf("%q: exit %d, stderr %q; want exit 2, %q", tt.args, code, stderr, tt.want)
			}
		})
	}
	// Standard input given once is read.
	stdinIsTerminal = savedTerminal
	f, err := os.Open(access)
	if err != nil {
		t.Fatal(err)
	}
	saved := os.Stdin
	os.Stdin = f
	code, out, stderr := runCLI("report", "--json", "-")
	os.Stdin = saved
	f.Close()
	var m struct{ Inputs []struct{ Lines int } }
	if err := json.Unmarshal([]byte(out), &m); err != nil || code != 0 || len(m.Inputs) != 1 || m.Inputs[0].Lines != 39 {
		t.Errorf("report - < %s: exit %d, %v, %s%s; want its 39 lines read", access, code, err, out, stderr)
	}
}
