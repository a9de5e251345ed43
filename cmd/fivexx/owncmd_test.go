package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fivexx/classify"
	"fivexx/sources"
)

// ownEventsCommand is a --cmd that prints fivexx's own --events output of
// the nginx-json recording and exits 3, and that counts its runs in the
// file runs; it returns the command and the access log.
func ownEventsCommand(t *testing.T) (command, runs, access string) {
	t.Helper()
	access = filepath.Join("..", "..", "testdata", "recordings", "nginx-json", "access.log")
	var evb bytes.Buffer
	if code := run([]string{"report", "--events", access}, strings.NewReader(""), &evb, &bytes.Buffer{}); code != 0 {
		t.Fatal("report --events failed")
	}
	dir := t.TempDir()
	events := filepath.Join(dir, "ev.ndjson")
	mustDo(t, os.WriteFile(events, evb.Bytes(), 0o644))
	runs = filepath.Join(dir, "runs")
	return "echo run >> " + runs + "; cat " + events + "; exit 3", runs, access
}

// startOwnCommandLive follows access and the command live, as the live
// view does, with --cmd-restart or not.
func startOwnCommandLive(t *testing.T, command, access string, restart bool) ([]*sources.Input, *classify.Engine) {
	t.Helper()
	inf, ins := viewInputs(t, []string{"--cmd", command, access}, true)
	cfg, err := inf.liveConfig(ins)
	mustDo(t, err)
	eng := classify.NewEngine(cfg)
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	var cr crash
	commands := startLive(ctx, cancel, eng, ins, false, restart, &cr)
	t.Cleanup(func() { cancel(); waitAtMost(commands, stopWait) })
	return ins, eng
}

// adviceOf is the advice of s whose problem begins with label.
func adviceOf(s *classify.Snapshot, label string) []classify.Advice {
	var out []classify.Advice
	for _, a := range s.Advice {
		if strings.HasPrefix(a.Problem, label) {
			out = append(out, a)
		}
	}
	return out
}

// A --cmd that prints fivexx's own --events and fails: its fix said "run
// the command alone (sh -c '…') to see why it failed, fix it, and run the
// report again", as of any command that failed; fixed so, it printed
// fivexx's own output again, still not read. The fix now says that first
// (give fivexx the logs instead), then the failure; live said nothing of
// the failure at all (the input's state says "not read"), and now gives
// the report's advice once the command ended (s34).
func TestOwnOutputOfAFailingCommandFix(t *testing.T) {
	command, _, access := ownEventsCommand(t)
	label := "cmd: " + command
	want := classify.Advice{
		Problem: label + " failed (exited: status 3) and was not read: fivexx's own --events output, not a log",
		Fix: "the command prints fivexx's own --events output, which fivexx does not read (its 5xx would be counted twice): " +
			"give fivexx the logs that output was made from instead, as files or a --cmd that prints them; " +
			"the command failed too (exited: status 3): run it alone (sh -c '" + command + "') to see why",
	}
	var out bytes.Buffer
	if code := run([]string{"report", "--json", access, "--cmd", command}, strings.NewReader(""), &out, &bytes.Buffer{}); code != 1 {
		t.Errorf("report: exit %d, want 1", code)
	}
	var rep struct{ Advice []classify.Advice }
	mustDo(t, json.Unmarshal(out.Bytes(), &rep))
	if len(rep.Advice) == 0 || rep.Advice[0] != want {
		t.Errorf("report's first advice %+v,\nwant %+v", rep.Advice, want)
	}

	_, eng := startOwnCommandLive(t, command, access, false)
	var got []classify.Advice
	waitUntil(t, 10*time.Second, "live advice for the command", func() bool {
		s := eng.Latest()
		if s == nil {
			return false
		}
		got = adviceOf(s, label)
		return len(got) > 0
	})
	if len(got) != 1 || got[0] != want {
		t.Errorf("live advice %+v,\nwant the report's %+v", got, want)
	}
}

// Live with --cmd-restart, a command that prints fivexx's own output was
// run again and again (5 runs in 4 s, then one every 30 s for as long as
// live ran), each run's lines dropped unread. It now runs once: what it
// prints is not read, so a run again would print the same for nothing.
// Nothing of it is counted, and its advice is said once.
func TestOwnOutputCommandIsNotRestarted(t *testing.T) {
	command, runs, access := ownEventsCommand(t)
	ins, eng := startOwnCommandLive(t, command, access, true)
	label := "cmd: " + command
	var cmd *sources.Input
	for _, in := range ins {
		if in.Spec.Command {
			cmd = in
		}
	}
	waitUntil(t, 10*time.Second, "the command's run ended", func() bool { return cmd.Ended() != "" })
	// A restart comes 200 ms after the exit, then 400 ms, 800 ms after
	// the next: without the fix, 2 or 3 more runs by now.
	time.Sleep(1500 * time.Millisecond)
	b, err := os.ReadFile(runs)
	mustDo(t, err)
	if n := strings.Count(string(b), "run\n"); n != 1 {
		t.Errorf("the command ran %d times, want once", n)
	}
	const notRead = "not read: fivexx's own --events output, not a log"
	if st := cmd.State(); st != notRead {
		t.Errorf("state %q, want %q", st, notRead)
	}
	var s *classify.Snapshot
	waitUntil(t, 5*time.Second, "the command's advice", func() bool {
		s = eng.Latest()
		return s != nil && len(adviceOf(s, label)) > 0
	})
	if n := len(adviceOf(s, label)); n != 1 {
		t.Errorf("%d advice for the command, want 1: %+v", n, s.Advice)
	}
	for _, in := range s.Inputs {
		if in.Lines != 0 {
			t.Errorf("input %s: %d lines, want none", in.Path, in.Lines)
		}
	}
	if s.Total.Requests != 0 {
		t.Errorf("%d requests counted, want none", s.Total.Requests)
	}
}

// Quitting live warns of a command that printed fivexx's own output and
// failed, as a report does of it: the note said only "not read", and its
// failure was said nowhere once the UI closed (s34).
func TestOwnOutputOfAFailingCommandWarnedAtQuit(t *testing.T) {
	command, _, access := ownEventsCommand(t)
	ins, _ := startOwnCommandLive(t, command, access, false)
	var cmd *sources.Input
	for _, in := range ins {
		if in.Spec.Command {
			cmd = in
		}
	}
	waitUntil(t, 10*time.Second, "the command's run ended", func() bool { return cmd.Ended() != "" })
	var stderr bytes.Buffer
	warnFailedInputs(ins, &stderr)
	noteNotReadWhileRead(ins, &stderr)
	const notRead = "not read: fivexx's own --events output, not a log"
	label := "cmd: " + command
	want := "fivexx: warning: " + label + ": exited: status 3; " + notRead + "\n" +
		"fivexx: note: " + label + ": " + notRead + "\n"
	if stderr.String() != want {
		t.Errorf("stderr at quit:\n%s\nwant:\n%s", stderr.String(), want)
	}
}

// Quitting live after an input that could not be read warns of its read
// error without "retrying in 3.2s": fivexx has stopped trying, and the
// countdown said it had not (QA s34 L4; the advice cuts it too).
func TestReadErrorWarnedAtQuitWithoutRetry(t *testing.T) {
	in := sources.NewInput(0, sources.Spec{Path: "unread.log"})
	const why = "read error: open unread.log: permission denied; fivexx runs as nobody, the file is root's 0600"
	in.SetState(why + sources.RetryingIn + "3.2s")
	var stderr bytes.Buffer
	warnFailedInputs([]*sources.Input{in}, &stderr)
	if want := "fivexx: warning: unread.log: " + why + "\n"; stderr.String() != want {
		t.Errorf("stderr at quit:\n%q\nwant:\n%q", stderr.String(), want)
	}
}
