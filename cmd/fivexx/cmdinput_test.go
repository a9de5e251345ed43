package main

import (
	"context"
	"encoding/json"
	"net"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"fivexx/classify"
	"fivexx/classify/replay"
	"fivexx/sources"
)

// TestCommandInputsTellProblemsAsFilesDo: the bytes of an input read from
// --cmd had no problem where the same bytes from a file had one: an empty
// command ("true") and one of blank lines had none, as "exited: status 0"
// was no state problem read as done, and junk lines none, as the
// command's exit overwrote the decoder's "format not recognised". So
// --json had no "problem", the text report no line under Inputs (while
// the advice said "cmd: true is empty"), --events no note. Each now says
// what the file says, in all three outputs.
func TestCommandInputsTellProblemsAsFilesDo(t *testing.T) {
	inZone(t, "UTC")
	dir := t.TempDir()
	access := "../../testdata/recordings/nginx-upstream/access.log"
	for _, tc := range []struct {
		name, text, want string
	}{
		{"empty", "", "empty (0 lines)"},
		{"blank lines", "\n\n", "only blank lines (2)"},
		{"junk lines", "junk\nmore junk\n", "format not recognised: force one with --format NAME"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			file := filepath.Join(dir, strings.ReplaceAll(tc.name, " ", "-")+".log")
			if err := os.WriteFile(file, []byte(tc.text), 0o644); err != nil {
				t.Fatal(err)
			}
			command := "cat " + file
			label := "cmd: " + command
			for _, in := range []struct{ label, arg []string }{
				{[]string{file}, []string{file}},
				{[]string{label}, []string{"--cmd", command}},
			} {
				name := in.label[0]
				m := reportJSON(t, append([]string{access}, in.arg...)...)
				var got string
				for _, v := range m["inputs"].([]any) {
					if v.(map[string]any)["path"] == name {
						got, _ = v.(map[string]any)["problem"].(string)
					}
				}
				if got != tc.want {
					t.Errorf("--json %s: problem %q, want %q", name, got, tc.want)
				}
				code, out, stderr := runCLI(append([]string{"report", access}, in.arg...)...)
				if line := "  " + name + ": " + tc.want + "\n"; code != 0 || !strings.Contains(out, line) {
					t.Errorf("text %s: exit %d, want the line %q under Inputs in:\n%s%s", name, code, line, out, stderr)
				}
				code, _, stderr = runCLI(append([]string{"report", "--events", access}, in.arg...)...)
				if code != 0 || !strings.Contains(stderr, "fivexx: note: "+name+": ") || !strings.Contains(stderr, tc.want) {
					t.Errorf("--events %s: exit %d, want a note of %q, stderr:\n%s", name, code, tc.want, stderr)
				}
			}
		})
	}
}

// TestEmptyCommandIsRefused: an empty --cmd (a shell variable that was
// empty) was run as sh -c with an empty command, read as an input "cmd: "
// that was empty, exit 0 with the advice "cmd:  is empty", where an empty
// --proxy is refused. It is bad usage now, as that is, and so is a
// command of white space alone.
func TestEmptyCommandIsRefused(t *testing.T) {
	access := "../../testdata/recordings/nginx-upstream/access.log"
	for _, c := range []string{"", " ", "\t"} {
		code, out, stderr := runCLI("report", "--cmd", c, access)
		want := "fivexx: error: --cmd " + strconv.Quote(c) + " is an empty command: a shell variable that was empty? give the command whose output to read, e.g. --cmd 'kubectl logs -f deploy/api'\n"
		if code != 2 || out != "" || stderr != want {
			t.Errorf("--cmd %q: exit %d, stdout %q, stderr %q; want exit 2, %q", c, code, out, stderr, want)
		}
	}
}

// TestUnreadableAtStartIsExit2: a Unix socket (open fails: ENXIO) and
// /proc/self/mem (opens, then its first read fails: EIO) were read as
// inputs that failed after 0 lines: exit 1, a report of the other inputs
// on stdout and "cannot read to the end: sock: read error after 0
// lines". They are unreadable at start, as a missing file is: exit 2,
// the message names the input, nothing on stdout.
func TestUnreadableAtStartIsExit2(t *testing.T) {
	access := "../../testdata/recordings/nginx-upstream/access.log"
	sock := filepath.Join(t.TempDir(), "sock")
	l, err := net.Listen("unix", sock)
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	cases := []struct{ path, want string }{
		{sock, "fivexx: error: cannot read input " + sock + ": is a socket, not a file: a log is read from a file, a pipe or a command's output (--cmd)\n"},
	}
	if runtime.GOOS == "linux" {
		cases = append(cases, struct{ path, want string }{"/proc/self/mem", "fivexx: error: cannot read input /proc/self/mem: input/output error\n"})
	}
	for _, tc := range cases {
		// --json and --events, and the text report with the input given
		// its role.
		for _, args := range [][]string{
			{"report", "--json", access, tc.path},
			{"report", "--events", access, tc.path},
			{"report", access, "--app", tc.path},
		} {
			code, out, stderr := runCLI(args...)
			if code != 2 || out != "" || stderr != tc.want {
				t.Errorf("%q: exit %d, stdout %d bytes, stderr %q; want exit 2, nothing on stdout, %q", args, code, len(out), stderr, tc.want)
			}
		}
	}
}

// TestAppServiceNameIsShown: the NAME of --app NAME=FILE ("labels the
// service", the README says) was in no output: report, --json and
// --events held no "myapi", nor did a verdict's timeline. The text
// report's Inputs row names the app log NAME=path, --json's input has
// "service" beside its "path" (absent when no NAME was given), the
// evidence of its lines says "app NAME:", and a timeline's app lines
// carry the NAME the UI shows (tui's TestAppServiceNameIsShown).
func TestAppServiceNameIsShown(t *testing.T) {
	inZone(t, "UTC")
	logs := copyRecording(t, "nginx-upstream")
	var app string
	var others []string
	for _, p := range logs {
		if filepath.Base(p) == "app.log" {
			app = p
		} else {
			others = append(others, p)
		}
	}
	args := append([]string{"--app", "myapi=" + app}, others...)

	code, out, stderr := runCLI(append([]string{"report"}, args...)...)
	if row := "  myapi=" + app + "  "; code != 0 || !strings.Contains(out, row) {
		t.Errorf("text report: exit %d, no row starting %q in:\n%s%s", code, row, out, stderr)
	}
	for _, given := range []struct {
		args    []string
		service string
	}{{args, "myapi"}, {append([]string{"--app", app}, others...), ""}} {
		m := reportJSON(t, given.args...)
		found := false
		for _, v := range m["inputs"].([]any) {
			in := v.(map[string]any)
			service, has := in["service"]
			switch {
			case in["path"] == app:
				found = true
				if (given.service == "") == has || (has && service != given.service) {
					t.Errorf("--json %q: app input %v, want service %q", given.args, in, given.service)
				}
			case has:
				t.Errorf("--json: input %v has a service", in)
			}
		}
		if !found {
			t.Errorf("--json %q: no input with path %s: %v", given.args, app, m["inputs"])
		}
	}

	code, out, stderr = runCLI(append([]string{"report", "--events"}, args...)...)
	// The evidence of its lines names it; that of no line ("app: no line
	// with request id …") speaks of every app log read, and does not.
	if code != 0 || !strings.Contains(out, `"app myapi: finished with `) || regexp.MustCompile(`"app: (finished|logged|\d+ line)`).MatchString(out) {
		t.Errorf("--events: exit %d, want the evidence of the app's lines as \"app myapi: …\": %.2000s%s", code, out, stderr)
	}

	// A verdict's timeline, made as it is judged, and read again later
	// (a replay of plain files).
	for _, later := range []bool{false, true} {
		_, ins := viewInputs(t, args, false)
		cfg := classify.Config{Inputs: ins, Timeline: true, Grace: 5 * time.Second, Now: func() time.Time { return screenWall }}
		if later {
			cfg.Rereaders = sources.Rereaders(ins)
		}
		eng := classify.NewEngine(cfg)
		for _, err := range replay.New(eng, ins, replay.Options{Speed: 0}).RunMerged(context.Background(), ins) {
			if err != nil {
				t.Fatal(err)
			}
		}
		apps := 0
		for _, v := range eng.Latest().Recent {
			tl := v.Timeline
			if later {
				if v.Later == nil {
					t.Fatal("no timeline to read again")
				}
				var err error
				if tl, err = v.Later.Load(); err != nil {
					t.Fatal(err)
				}
			}
			for _, l := range tl.Lines() {
				if l.Role != sources.RoleApp {
					continue
				}
				apps++
				if l.Service != "myapi" || l.Source != app {
					t.Fatalf("later %v: app timeline line of %q, service %q; want %s, myapi", later, l.Source, l.Service, app)
				}
			}
		}
		if apps == 0 {
			t.Errorf("later %v: no app line in any timeline", later)
		}
	}
}

// TestFailedCommandSaysWhy: a --cmd that exits with an error status is
// told by a report as the live view tells it, with the last lines it
// wrote to standard error, and the fix is a command's. The problem was
// "read error after 0 lines: command \"…\": exit status 3" and the fix
// "fix what the error names (the disk, the device, the pipe's writer)"
// (QA s30).
func TestFailedCommandSaysWhy(t *testing.T) {
	access := "../../testdata/recordings/nginx-upstream/access.log"
	cmd := `printf "a\nb\n"; echo oops >&2; exit 3`
	code, out, stderr := runCLI("report", "--json", access, "--cmd", cmd)
	var r struct {
		Inputs []struct {
			Path, Problem string
		}
		Advice []struct{ Problem, Fix string }
	}
	if err := json.Unmarshal([]byte(out), &r); err != nil || code != 1 || len(r.Inputs) != 2 || len(r.Advice) == 0 {
		t.Fatalf("exit %d, want 1 and a report of both inputs; %v\n%s%s", code, err, out, stderr)
	}
	const problem = "exited: status 3: oops, after 2 lines"
	if p := r.Inputs[1].Problem; p != problem {
		t.Errorf("problem %q, want %q", p, problem)
	}
	a := r.Advice[0]
	if want := "cmd: " + cmd + " failed after 2 lines (exited: status 3: oops); the report covers those lines, not the rest of its output"; a.Problem != want {
		t.Errorf("first advice %q, want %q", a.Problem, want)
	}
	if want := `run the command alone (sh -c 'printf "a\nb\n"; echo oops >&2; exit 3') to see why it failed, fix it, and run the report again`; a.Fix != want {
		t.Errorf("fix %q, want %q", a.Fix, want)
	}
	if want := "fivexx: error: cannot read to the end: cmd: " + cmd + ": " + problem + " (the report covers the lines before)\n"; stderr != want {
		t.Errorf("stderr %q, want %q", stderr, want)
	}
}
