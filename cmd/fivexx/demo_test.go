package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"fivexx/sources/demo"
)

// TestDemoScenariosClassify writes two passes of every scenario through
// demo --write, reads them back with report (format detection included),
// and checks the causes found are exactly the ones the scenario claims.
func TestDemoScenariosClassify(t *testing.T) {
	for _, s := range demo.Scenarios() {
		t.Run(s.Name, func(t *testing.T) {
			dir := t.TempDir()
			if code, _, errs := runCLI("demo", "--scenario", s.Name, "--write", dir, "--duration", "120s", "--seed", "7"); code != 0 {
				t.Fatalf("demo --write exited %d: %s", code, errs)
			}
			logs, _ := filepath.Glob(filepath.Join(dir, "*.log"))
			code, out, errs := runCLI(append([]string{"report", "--json"}, logs...)...)
			if code != 0 {
				t.Fatalf("report exited %d: %s", code, errs)
			}
			var rep struct {
				Causes map[string]int64
				Inputs []struct {
					Path, Format    string
					Lines, Unparsed int64
				}
			}
			if err := json.Unmarshal([]byte(out), &rep); err != nil {
				t.Fatal(err)
			}
			for _, in := range rep.Inputs {
				if in.Unparsed != 0 {
					t.Errorf("%s: %d unparsed lines", in.Path, in.Unparsed)
				}
				want := map[string]string{"access.log": "nginx-upstream", "error.log": "nginx-error", "app.log": "app-json"}[filepath.Base(in.Path)]
				if in.Lines > 0 && in.Format != want {
					t.Errorf("%s detected as %q, want %q", in.Path, in.Format, want)
				}
			}
			var got []string
			for c, n := range rep.Causes {
				if n > 0 {
					got = append(got, c)
				}
			}
			sort.Strings(got)
			want := append([]string{}, s.Causes...)
			sort.Strings(want)
			if strings.Join(got, ",") != strings.Join(want, ",") {
				t.Errorf("causes %v (%v), want exactly %v", got, rep.Causes, want)
			}
		})
	}
}

func TestDemoWriteIsDeterministic(t *testing.T) {
	a, b := t.TempDir(), t.TempDir()
	for _, d := range []string{a, b} {
		if code, _, errs := runCLI("demo", "--write", d, "--duration", "90s", "--seed", "42"); code != 0 {
			t.Fatalf("exit %d: %s", code, errs)
		}
	}
	for _, name := range []string{"access.log", "error.log", "app.log"} {
		x, _ := os.ReadFile(filepath.Join(a, name))
		y, _ := os.ReadFile(filepath.Join(b, name))
		if len(x) == 0 && name != "error.log" {
			t.Fatalf("%s is empty", name)
		}
		if !bytes.Equal(x, y) {
			t.Fatalf("%s differs between two runs with the same seed", name)
		}
	}
}

// TestDemoScenarioWord checks that a scenario's name alone plays it: "demo
// --write d oom-kill" wrote the loop (its first scenario) and exited 0.
func TestDemoScenarioWord(t *testing.T) {
	byFlag, byWord := t.TempDir(), t.TempDir()
	if code, _, errs := runCLI("demo", "--scenario", "oom-kill", "--write", byFlag, "--duration", "60s"); code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	if code, _, errs := runCLI("demo", "--write", byWord, "oom-kill", "--duration", "60s"); code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	for _, name := range []string{"access.log", "error.log", "app.log"} {
		x, _ := os.ReadFile(filepath.Join(byFlag, name))
		y, _ := os.ReadFile(filepath.Join(byWord, name))
		if !bytes.Equal(x, y) {
			t.Errorf("%s: demo oom-kill wrote %d bytes, demo --scenario oom-kill %d", name, len(y), len(x))
		}
	}
	if e, _ := os.ReadFile(filepath.Join(byWord, "error.log")); len(e) == 0 {
		t.Error("oom-kill wrote no error-log line in 20 s")
	}
}

// TestDemoPracticeHasAnIncident runs README's practice command: "demo
// --write DIR --duration 60s" wrote the loop's healthy minute, and report
// said "no 5xx or 429" and that error.log was empty.
func TestDemoPracticeHasAnIncident(t *testing.T) {
	dir := t.TempDir()
	code, out, errs := runCLI("demo", "--write", dir, "--duration", "60s")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	if !strings.Contains(out, "scenarios written: deploy-crash\n") {
		t.Errorf("demo --write does not say what it wrote:\n%s", out)
	}
	logs, _ := filepath.Glob(filepath.Join(dir, "*.log"))
	code, out, errs = runCLI(append([]string{"report", "--json"}, logs...)...)
	if code != 0 {
		t.Fatalf("report exited %d: %s", code, errs)
	}
	var rep struct{ Causes map[string]int64 }
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatal(err)
	}
	if rep.Causes["upstream_refused"] == 0 {
		t.Errorf("a minute of practice holds no upstream_refused 5xx: %v", rep.Causes)
	}
}

// TestDemoLoopNote checks what the demo's replay line says as the loop
// plays: nothing said an incident was coming, or which one was playing.
func TestDemoLoopNote(t *testing.T) {
	start := time.Date(2026, 1, 2, 3, 0, 0, 0, time.UTC)
	n := &narrator{gen: demo.Loop(1, start, 0)}
	for _, tc := range []struct {
		at    time.Time
		train bool
		speed float64
		want  string
	}{
		{time.Time{}, false, 1, "deploy-crash (1/8) · next oom-kill in 1m0s"},
		{start.Add(17500 * time.Millisecond), false, 1, "deploy-crash (1/8) · next oom-kill in 42s"},
		{start.Add(7*demo.Period + time.Second), false, 1, "healthy (8/8) · next deploy-crash in 59s"},
		{start.Add(17500 * time.Millisecond), true, 1, "next scenario in 42s"},
		// In wall time at speed: 42.5 s of log time is 4 s at 10×, 85 s at 0.5×
		// (QA s35: at 10× it counted down ten a second).
		{start.Add(17500 * time.Millisecond), false, 10, "deploy-crash (1/8) · next oom-kill in 4s"},
		{start.Add(17500 * time.Millisecond), true, 0.5, "next scenario in 1m25s"},
		{start.Add(17500 * time.Millisecond), false, 0, "deploy-crash (1/8) · next oom-kill after 42s of log time"},
	} {
		if got := n.loopNote(tc.at, tc.train, tc.speed); got != tc.want {
			t.Errorf("at %v (train %v): %q, want %q", tc.at, tc.train, got, tc.want)
		}
	}
	one, _ := demo.Lookup("oom-kill")
	if got := (&narrator{gen: demo.New(one, 1, start)}).loopNote(start, false, 1); got != "" {
		t.Errorf("--scenario oom-kill: %q, want nothing (the title names it)", got)
	}
}

// demo --write replaced access.log, error.log and app.log in DIR without a
// word (QA: a real log's lines lost to --write .). It now refuses, exit 2,
// naming the file, unless --force; files of no bytes are written over.
func TestDemoWriteKeepsExistingLogs(t *testing.T) {
	dir := t.TempDir()
	real := filepath.Join(dir, "error.log")
	if err := os.WriteFile(real, []byte("a real line\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "access.log"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	code, _, errs := runCLI("demo", "--write", dir, "--duration", "60s")
	if code != 2 || !strings.Contains(errs, real+" holds 12 bytes") || !strings.Contains(errs, "--force") {
		t.Fatalf("exit %d, %q; want 2 naming %s and --force", code, errs, real)
	}
	if b, _ := os.ReadFile(real); string(b) != "a real line\n" {
		t.Fatalf("the real log was changed: %q", b)
	}
	if code, _, errs := runCLI("demo", "--write", dir, "--duration", "60s", "--force"); code != 0 {
		t.Fatalf("--force: exit %d, %s", code, errs)
	}
	if b, _ := os.ReadFile(real); string(b) == "a real line\n" {
		t.Fatal("--force did not write the demo's lines")
	}
}

// TestDemoRefusesWhatItWouldIgnore: a flag the demo would ignore beside
// the others is a usage error naming both, as --json with --events is:
// --duration and --force without --write played the demo live, --train
// and --speed with it wrote files as without, --write DIR --list listed
// and wrote nothing, --each beside a scenario's name played that one. A
// --duration or --each shorter than one pass of a scenario holds none or
// part of its failures: --write --duration 1ns wrote three empty files and
// said "scenarios written: deploy-crash"; --write --each 5s said all 8
// were written, and their 5,414 requests held no 5xx (QA, session 27).
func TestDemoRefusesWhatItWouldIgnore(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "demo")
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"demo", "--duration", "90s"}, "--duration is for demo --write DIR (how much log time it writes), not the live demo, which plays until you quit"},
		{[]string{"demo", "oom-kill", "--force"}, "--force is for demo --write DIR (it replaces the logs DIR holds), not the live demo"},
		{[]string{"demo", "--write", dir, "--train"}, "--write and --train do not go together: --write writes files, --train plays the demo live with the causes hidden"},
		{[]string{"demo", "--write", dir, "--speed", "5"}, "--write and --speed do not go together: --write writes the files at once, --speed is how fast the live demo plays (fivexx replay --speed N plays the files)"},
		{[]string{"demo", "--write", dir, "--list"}, "demo --list lists the scenarios and takes no other flag, not --write"},
		{[]string{"demo", "--list", "--seed", "3"}, "demo --list lists the scenarios and takes no other flag, not --seed"},
		{[]string{"demo", "oom-kill", "--each", "90s"}, "--each and a scenario's name (oom-kill) do not go together: --each is how long each scenario of the loop plays, and demo NAME plays that one alone"},
		{[]string{"demo", "--write", dir, "--duration", "1ns"}, "--duration takes a duration of 60s or more, one pass of a scenario: its failures come 10s to 53s in (such as 90s or 8m); not 1ns"},
		{[]string{"demo", "--write", dir, "--duration", "59s"}, "--duration takes " + onePass + "; not 59s"},
		{[]string{"demo", "--write", dir, "--each", "5s"}, "--each takes " + onePass + "; not 5s"},
		{[]string{"demo", "--each", "30s"}, "--each takes " + onePass + "; not 30s"},
	} {
		code, out, stderr := runCLI(tc.args...)
		if want := "fivexx: error: " + tc.want + "\n"; code != 2 || stderr != want || out != "" {
			t.Errorf("%q: exit %d, stdout %q, stderr %q; want exit 2, %q", tc.args, code, out, stderr, want)
		}
	}
	if _, err := os.Stat(dir); !os.IsNotExist(err) {
		t.Errorf("demo wrote %s (%v)", dir, err)
	}
}

// TestDemoWriteSaysWhatItWrote: a scenario written for less than its
// pass is said to be: its failures may not all be in.
func TestDemoWriteSaysWhatItWrote(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--duration", "90s"}, "deploy-crash, oom-kill (its first 30s of 60s)"},
		{[]string{"--duration", "100s", "--each", "90s"}, "deploy-crash, oom-kill (its first 10s of 60s)"},
		{[]string{"--duration", "8m"}, "deploy-crash, oom-kill, db-failover, overload, slow-dependency, bad-port, bad-header, healthy"},
		{[]string{"--duration", "75s", "oom-kill"}, "oom-kill"},
	} {
		code, out, stderr := runCLI(append([]string{"demo", "--write", t.TempDir()}, tc.args...)...)
		if want := "scenarios written: " + tc.want + "\n"; code != 0 || !strings.Contains(out, want) {
			t.Errorf("%q: exit %d, stdout %q, stderr %q; want %q", tc.args, code, out, stderr, want)
		}
	}
}
