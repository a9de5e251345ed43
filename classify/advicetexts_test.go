package classify

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fivexx/sources"
)

// reportAdvice reads the files of the recording in dir, by position, as a
// report does, and returns the advice of its snapshot.
func reportAdvice(t *testing.T, dir string, files ...string) []Advice {
	t.Helper()
	return publishedFrom(t, true, dir, files...).Advice
}

// TestCaddyNoUpstreamFixPointsAtWhatFollows: the advice that Caddy's
// access log names no upstream asks for its error entries "(below)" only
// when the advice that they are missing follows, and not at all when they
// are read. With access.log, error.log (96 error entries read) and
// app.log of a real Caddy 2.6.2 it said "read Caddy's error entries too
// (below)", and nothing followed it (QA s30).
func TestCaddyNoUpstreamFixPointsAtWhatFollows(t *testing.T) {
	dir := filepath.Join("..", "testdata", "recordings", "caddy")
	const noUpstream = "the access log names no upstream"
	const noErrors = "no Caddy error entries"
	for _, tt := range []struct {
		files      []string
		errorsRead bool
	}{
		{[]string{"access.log", "error.log", "app.log"}, true},
		{[]string{"access.log", "error.log"}, true},
		{[]string{"access.log", "app.log"}, false},
		{[]string{"access.log"}, false},
	} {
		t.Run(strings.Join(tt.files, "+"), func(t *testing.T) {
			advice := reportAdvice(t, dir, tt.files...)
			at, missing := -1, -1
			for i, a := range advice {
				switch {
				case strings.HasPrefix(a.Problem, noUpstream):
					at = i
				case strings.HasPrefix(a.Problem, noErrors):
					missing = i
				}
			}
			if at < 0 {
				t.Fatalf("no advice %q in %v", noUpstream, advice)
			}
			fix := advice[at].Fix
			if !strings.Contains(fix, "log_append upstream {http.reverse_proxy.upstream.hostport}") {
				t.Errorf("fix %q: want log_append named", fix)
			}
			if tt.errorsRead {
				if missing >= 0 || strings.Contains(fix, "error entries too") {
					t.Errorf("error entries read: fix %q (advice %v), want none asking for them", fix, advice)
				}
				return
			}
			if missing <= at || !strings.Contains(fix, "read Caddy's error entries too (below)") {
				t.Errorf("error entries missing: fix %q at %d, the advice on them at %d; want it asked for, below", fix, at, missing)
			}
		})
	}
}

// liveAdvice publishes, as live mode does, an engine of inputs in the
// states given (each with no format yet, a command when its spec says
// so), beside an nginx access log read as one, and returns its advice.
func liveAdvice(t *testing.T, specs []sources.Spec, states []string) []Advice {
	t.Helper()
	ins := []*sources.Input{withFormat(t, sources.NewInput(0, sources.Spec{Path: "access.log"}), sources.RoleProxy)}
	for i, s := range specs {
		in := sources.NewInput(i+1, s)
		in.SetState(states[i])
		ins = append(ins, in)
	}
	now := func() time.Time { return time.Date(2026, 11, 22, 7, 0, 0, 0, time.UTC) }
	return NewEngine(Config{Inputs: ins, Live: true, Now: now, Grace: time.Second}).Publish(false).Advice
}

// TestLiveAdviceOnAMissingFileAndAnEmptyCommand: live, a file not there
// yet is told as such, not as "waiting for lines to tell its format"; and
// a --cmd that exited with status 0 and printed nothing is told as the
// report tells it, while another input waits: it was told to "check that
// it is the file the program writes to now (not a rotated-away …)" (QA
// s30: fivexx access.log live2.log --cmd 'exit 0').
func TestLiveAdviceOnAMissingFileAndAnEmptyCommand(t *testing.T) {
	missing := sources.Spec{Path: "live2.log"}
	empty := sources.Spec{Path: "exit 0", Command: true}
	stdin := sources.Spec{Path: "-"}
	tests := []struct {
		name   string
		specs  []sources.Spec
		states []string
		want   map[string]string // problem -> fix, each among the advice
		never  []string          // in no problem or fix
	}{
		{"missing file", []sources.Spec{missing}, []string{sources.StateWaitingForFile},
			map[string]string{"live2.log: no such file yet: waiting for it to be created": "check its path: fivexx reads it from its start once it is there, and its lines tell its format"},
			[]string{"waiting for lines"}},
		{"missing file and empty command", []sources.Spec{missing, empty}, []string{sources.StateWaitingForFile, "exited: status 0"},
			map[string]string{
				"live2.log: no such file yet: waiting for it to be created":                                                        "check its path: fivexx reads it from its start once it is there, and its lines tell its format",
				"cmd: exit 0 is empty (0 lines): no app line was read, so fivexx cannot tell whether the app saw a failed request": "is the app logging elsewhere (standard output, another file)? give that: --app api=FILE or --cmd 'kubectl logs -f deploy/api'",
			},
			[]string{"waiting for lines", "rotated-away"}},
		// Neither role missing: it is told as nothing read, with a fix
		// for a command, and for standard input, not for a file.
		{"empty command and stdin beside the error and app logs", []sources.Spec{{Path: "error.log", Role: sources.RoleProxyErrors}, {Path: "app.log", Role: sources.RoleApp}, empty, stdin},
			[]string{"following", "following", "exited: status 0", "done"},
			map[string]string{
				"cmd: exit 0 is empty (0 lines): nothing was read from it": "check that the command prints the log on its standard output (run it alone: what it writes to standard error is not read)",
				"stdin is empty (0 lines): nothing was read from it":       "check what is piped to fivexx: the command before | wrote no line of text to its standard output",
			},
			[]string{"rotated-away"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			advice := liveAdvice(t, tt.specs, tt.states)
			got := map[string]string{}
			for _, a := range advice {
				got[a.Problem] = a.Fix
				for _, w := range tt.never {
					if strings.Contains(a.Problem, w) || strings.Contains(a.Fix, w) {
						t.Errorf("advice %q → %q says %q", a.Problem, a.Fix, w)
					}
				}
			}
			for p, fix := range tt.want {
				if g, ok := got[p]; !ok || g != fix {
					t.Errorf("advice %q: fix %q, want %q (advice %v)", p, g, fix, advice)
				}
			}
		})
	}
}

// TestCaddyEmptyErrorLogFixIsCaddys: an empty error log beside Caddy's
// access log, by position or given with --proxy-errors, is asked for
// where Caddy's default logger writes, not for "the file nginx's
// error_log names"; the no-upstream fix's "(below)" points at it.
func TestCaddyEmptyErrorLogFixIsCaddys(t *testing.T) {
	access := filepath.Join("..", "testdata", "recordings", "caddy", "access.log")
	empty := filepath.Join(t.TempDir(), "error.log")
	if err := os.WriteFile(empty, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	for _, role := range []sources.Role{sources.RoleUnknown, sources.RoleProxyErrors} {
		t.Run(role.String(), func(t *testing.T) {
			ins := []*sources.Input{
				sources.NewInput(0, sources.Spec{Path: access, Opts: sources.ParserOptions{Location: time.UTC}}),
				sources.NewInput(1, sources.Spec{Path: empty, Role: role, Opts: sources.ParserOptions{Location: time.UTC}}),
			}
			eng := NewEngine(Config{Inputs: ins, Grace: 5 * time.Second})
			for i, err := range sources.MergeEach(context.Background(), ins, eng.Feed) {
				if err != nil {
					t.Fatalf("%s: %v", ins[i].Spec.Path, err)
				}
			}
			eng.Flush()
			var fix, noUpstream string
			for _, a := range eng.Publish(true).Advice {
				switch {
				case strings.HasPrefix(a.Problem, "the proxy error log "+empty) || strings.HasPrefix(a.Problem, empty):
					fix = a.Fix
				case strings.HasPrefix(a.Problem, "the access log names no upstream"):
					noUpstream = a.Fix
				}
			}
			if !strings.Contains(fix, "Caddy's default logger") || strings.Contains(fix, "nginx") {
				t.Errorf("the empty error log's fix %q, want Caddy's", fix)
			}
			if !strings.HasPrefix(noUpstream, "read Caddy's error entries too (below); ") {
				t.Errorf("the no-upstream fix %q, want it to point at the empty error log's advice below", noUpstream)
			}
		})
	}
}

// TestCaddyErrorEntriesUnreadBesideAnErrorLog: an error log was given
// and read, but no error entry of Caddy's: another proxy's error log
// (nginx's, by position), or Caddy's log holding its start-up lines only
// (given with --proxy-errors; 6 of its 7 5xx unknown). The no-upstream
// fix named only log_append, and no advice said that no Caddy error
// entry was read, as it does with no error log or Caddy's log by
// position (QA s30).
func TestCaddyErrorEntriesUnreadBesideAnErrorLog(t *testing.T) {
	const noUpstream = "the access log names no upstream"
	handleErrors := filepath.Join("..", "cmd", "fivexx", "testdata", "rules", "caddy-handle-errors")
	for _, tt := range []struct {
		name          string
		access, error string
		errorsRole    sources.Role
		missing       string // the advice that no Caddy error entry was read
	}{
		{"nginx's error log", filepath.Join("..", "testdata", "errorlog-alone", "caddy-access.log"), filepath.Join("..", "testdata", "errorlog-alone", "nginx-error.log"),
			sources.RoleUnknown, "no Caddy error entries"},
		{"Caddy's log without error entries, --proxy-errors", filepath.Join(handleErrors, "1-access.log"), filepath.Join(handleErrors, "2-error.log"),
			sources.RoleProxyErrors, filepath.Join(handleErrors, "2-error.log") + " is Caddy's log (its own lines are there) but holds no error entry of any request"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			ins := []*sources.Input{
				sources.NewInput(0, sources.Spec{Path: tt.access, Opts: sources.ParserOptions{Location: time.UTC}}),
				sources.NewInput(1, sources.Spec{Path: tt.error, Role: tt.errorsRole, Opts: sources.ParserOptions{Location: time.UTC}}),
			}
			eng := NewEngine(Config{Inputs: ins, Grace: 5 * time.Second})
			for i, err := range sources.MergeEach(context.Background(), ins, eng.Feed) {
				if err != nil {
					t.Fatalf("%s: %v", ins[i].Spec.Path, err)
				}
			}
			eng.Flush()
			advice := eng.Publish(true).Advice
			at, missing := -1, -1
			for i, a := range advice {
				switch {
				case strings.HasPrefix(a.Problem, noUpstream):
					at = i
				case strings.HasPrefix(a.Problem, tt.missing):
					missing = i
				}
			}
			if at < 0 {
				t.Fatalf("no advice %q in %v", noUpstream, advice)
			}
			if fix := advice[at].Fix; !strings.HasPrefix(fix, "read Caddy's error entries too (below); ") {
				t.Errorf("the no-upstream fix %q, want Caddy's error entries asked for", fix)
			}
			if missing <= at {
				t.Errorf("advice %q at %d, the no-upstream one at %d; want it below: %v", tt.missing, missing, at, advice)
			}
		})
	}
}
