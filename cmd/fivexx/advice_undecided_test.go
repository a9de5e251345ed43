package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"fivexx/classify"
	"fivexx/sources"
)

const (
	adviceNoErrorLog = "no proxy error log: refused, reset, bad header and timeout are told apart by timings only"
	adviceNoAppLog   = "no app log: fivexx cannot tell whether the app saw a failed request"
)

// TestAdviceWaitsForAnUndecidedInput: live, while an input's format is
// not told yet, the advisor says so rather than ask for a role that input
// may be: it asked to "add the error log to the inputs" for error.log,
// given but quiet with one line of history (QA s21 finding 4). A report
// has read every line: it waits for nothing.
func TestAdviceWaitsForAnUndecidedInput(t *testing.T) {
	const waiting = ": waiting for lines to tell its format"
	tests := []struct {
		name    string
		live    bool
		formats []string // per input: access.log, error.log, app.log ("" undecided, "-" not given, a state: undecided in it)
		want    []string
	}{
		{"live, error log undecided", true, []string{"nginx-combined", "", "-"}, []string{"error.log" + waiting}},
		{"live, error and app logs undecided", true, []string{"nginx-combined", "", ""}, []string{"error.log" + waiting, "app.log" + waiting}},
		{"live, access log undecided", true, []string{"", "nginx-error", "-"}, []string{"access.log" + waiting}},
		{"live, error log decided", true, []string{"nginx-combined", "nginx-error", "-"}, []string{adviceNoAppLog}},
		{"live, no error log given", true, []string{"nginx-combined", "-", "-"}, []string{adviceNoErrorLog, adviceNoAppLog}},
		// A --cmd that could not run waits for nothing (live QA s23 #7).
		{"live, app command failed", true, []string{"nginx-combined", "nginx-error", "exited: status 127: sh: 1: nosuchcmd123: not found"},
			[]string{"app.log: ended before any line told its format (exited: status 127: sh: 1: nosuchcmd123: not found)"}},
		{"live, app command restarting", true, []string{"nginx-combined", "nginx-error", "exited: status 1; restarting in 2s"}, []string{"app.log" + waiting}},
		{"live, app log unreadable", true, []string{"nginx-combined", "nginx-error", "read error: open: permission denied; retrying in 1.6s"},
			[]string{"app.log: cannot be read (read error: open: permission denied)"}},
		// The permission hint is the fix, not nested in the problem
		// (TestUnreadableInputsHintIsItsFix).
		{"live, app log unreadable, hinted", true, []string{"nginx-combined", "nginx-error", "read error: open: permission denied; group adm may read it: sudo usermod -aG adm $USER and log in again, or run fivexx with sudo; retrying in 1.6s"},
			[]string{"app.log: cannot be read (read error: open: permission denied)"}},
		// Its state says why no line is read: not "waiting", nor "no
		// proxy access log" (QA s28).
		{"live, access log compressed", true, []string{sources.StateGzipSkipped, "nginx-error", "-"},
			[]string{"access.log: compressed, so live mode does not read it"}},
		{"live, app log in no format", true, []string{"nginx-combined", "nginx-error", "format not recognised: force one with --format NAME"},
			[]string{"app.log: no format fivexx reads fits its lines"}},
		// Read to its end without a line (standard input, a command that
		// exited with status 0): empty, as the report says, not "ended
		// before any line told its format → fix the command" (live QA s28).
		{"live, error log read to its end empty", true, []string{"nginx-combined", "done", "-"}, []string{"error.log is empty (0 lines): no proxy error line was read, so refused, reset, bad header and timeout are told apart by timings only", adviceNoAppLog}},
		{"live, app command exited empty, run again", true, []string{"nginx-combined", "nginx-error", "exited: status 0; restarting in 200ms"}, []string{"app.log" + waiting}},
		// Given, and empty: not missing (QA s22 F7).
		{"report, error log without lines", false, []string{"nginx-combined", "", "-"}, []string{"error.log is empty (0 lines): no proxy error line was read, so refused, reset, bad header and timeout are told apart by timings only", adviceNoAppLog}},
	}
	names := []string{"access.log", "error.log", "app.log"}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var ins []*sources.Input
			for i, f := range tt.formats {
				if f == "-" {
					continue
				}
				in := sources.NewInput(len(ins), sources.Spec{Path: names[i]})
				if strings.HasPrefix(f, "exited") || strings.HasPrefix(f, "read error") || strings.HasPrefix(f, "format not") || f == sources.StateGzipSkipped || f == "done" {
					in.SetState(f) // undecided, in that state
					f = ""
				}
				if f != "" {
					format, ok := sources.LookupFormat(f)
					if !ok {
						t.Fatalf("no format %s", f)
					}
					if err := in.SetFormat(format, "test"); err != nil {
						t.Fatal(err)
					}
				}
				ins = append(ins, in)
			}
			now := func() time.Time { return time.Date(2026, 11, 22, 7, 0, 0, 0, time.UTC) }
			eng := classify.NewEngine(classify.Config{Inputs: ins, Live: tt.live, Now: now, Grace: time.Second})
			var got []string
			for _, a := range eng.Publish(false).Advice {
				got = append(got, a.Problem)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Fatalf("advice (-want +got):\n%s", diff)
			}
		})
	}
}

// TestLiveQuietErrorLogWithOneLine follows, as live mode does, an nginx
// access log and an error log that holds one line and stays quiet (the
// QA round's one-line-errorlog repro): the error log is read as nginx's
// within a few seconds, and the advice never asks to add it.
func TestLiveQuietErrorLogWithOneLine(t *testing.T) {
	dir := t.TempDir()
	acc := filepath.Join(dir, "access.log")
	errLog := filepath.Join(dir, "error.log")
	lines := func(path string, n int) string {
		b, err := os.ReadFile(filepath.Join("..", "..", "testdata", "recordings", "nginx-combined", path))
		if err != nil {
			t.Fatal(err)
		}
		return strings.Join(strings.SplitAfter(string(b), "\n")[:n], "")
	}
	for path, text := range map[string]string{acc: lines("access.log", 3), errLog: lines("error.log", 1)} {
		if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var ins []*sources.Input
	for i, p := range []string{acc, errLog} {
		ins = append(ins, sources.NewInput(i, sources.Spec{Path: p, Opts: sources.ParserOptions{Location: time.UTC}}))
	}
	eng := classify.NewEngine(classify.Config{Inputs: ins, Live: true, Now: time.Now, Grace: time.Second})
	items := make(chan sources.Item, 64)
	done := make(chan struct{})
	for _, in := range ins {
		go sources.Follow(ctx, in, items, sources.FollowOptions{}, false)
	}
	go func() {
		eng.Run(ctx, items, 100*time.Millisecond)
		close(done)
	}()
	defer func() {
		cancel()
		<-done
	}()
	asked, problem := 0, ""
	waitUntil(t, 5*time.Second, "error.log read as nginx's error log", func() bool {
		if s := eng.Latest(); s != nil {
			for _, a := range s.Advice {
				if strings.Contains(a.Fix, "add the error log") {
					asked, problem = asked+1, a.Problem
				}
			}
		}
		return ins[1].Role() == sources.RoleProxyErrors
	})
	if f := ins[1].Format().Name; f != "nginx-error" || asked > 0 {
		t.Fatalf("error.log format %q; the advice asked to add the error log in %d snapshots (%q)", f, asked, problem)
	}
}
