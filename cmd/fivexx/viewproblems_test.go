package main

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"flag"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/exp/teatest"

	"fivexx/classify"
	"fivexx/classify/replay"
	"fivexx/sources"
	"fivexx/tui"
)

// viewInputs builds the inputs of args (flags, then files) as a view
// builds them.
func viewInputs(t *testing.T, args []string, live bool) (*inputFlags, []*sources.Input) {
	t.Helper()
	var inf inputFlags
	fs := flag.NewFlagSet("test", flag.ContinueOnError)
	inf.register(fs, live)
	if err := fs.Parse(args); err != nil {
		t.Fatal(err)
	}
	ins, err := buildInputs(&inf, fs.Args(), io.Discard, !live)
	if err != nil {
		t.Fatal(err)
	}
	return &inf, ins
}

// startTestLive builds the inputs of args as the live view does and
// follows them with a live engine until the test ends.
func startTestLive(t *testing.T, args []string) ([]*sources.Input, *classify.Engine) {
	t.Helper()
	inf, ins := viewInputs(t, args, true)
	cfg, err := inf.liveConfig(ins)
	if err != nil {
		t.Fatal(err)
	}
	eng := classify.NewEngine(cfg)
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	var cr crash
	startLive(ctx, cancel, eng, ins, false, false, &cr)
	return ins, eng
}

// TestViewsTellWhatReportTells: report says why no line of an input was
// read (a format given that reads none of it, UTF-16, a HAProxy custom
// log-format, forced or not), in the input's problem and the first
// advice; the replay and live views said "format not recognised: force
// one with --format NAME" or "done" beside an unparsed count. So for an
// input whose read failed: a .gz cut short was "read error: unexpected
// EOF" in a replay, its first advice "no proxy error log", where the
// report says "truncated: gzip ended early" and why (QA s30). A replay's
// snapshot now has the report's problem as the input's state and the
// report's advice, and its screen shows them (golden, for the inputs of
// testdata).
func TestViewsTellWhatReportTells(t *testing.T) {
	inZone(t, "UTC")
	rec := filepath.Join("..", "..", "testdata", "recordings", "nginx-upstream", "access.log")
	cut := cutGzip(t, rec)
	for _, tc := range []struct {
		name    string
		args    []string
		readErr bool // the read fails: no screen (its path is the test's)
	}{
		{"utf16", []string{filepath.Join("testdata", "utf16", "access.log")}, false},
		{"format-haproxy", []string{"--format", "haproxy", rec}, false},
		{"haproxy-custom", []string{"--format", "haproxy", filepath.Join("testdata", "haproxy-custom", "haproxy-stdout.log")}, false},
		{"haproxy-custom-detected", []string{filepath.Join("testdata", "haproxy-custom", "haproxy-stdout.log")}, false},
		{"gzip-cut", []string{cut}, true},
		// fivexx's own --events output, not read (QA s32 F1).
		{"own-events", []string{filepath.Join("..", "..", "testdata", "formats", "alb", "events.golden")}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var m map[string]any
			if tc.readErr {
				code, out, stderr := runCLI(append([]string{"report", "--json"}, tc.args...)...)
				if err := json.Unmarshal([]byte(out), &m); err != nil || code != 1 {
					t.Fatalf("report --json %q: exit %d, want 1; %v, %s%s", tc.args, code, err, out, stderr)
				}
			} else {
				m = reportJSON(t, tc.args...)
			}
			inf, ins := viewInputs(t, tc.args, false)
			cfg, readErrors, err := inf.replayConfig(ins)
			if err != nil {
				t.Fatal(err)
			}
			cfg.Now = func() time.Time { return screenWall }
			src := playerSource{replay.New(classify.NewEngine(cfg), ins, replay.Options{Speed: 0, ReadErrors: readErrors})}
			if errs := src.RunMerged(context.Background(), ins); (errs[0] != nil) != tc.readErr {
				t.Fatalf("read error %v, want one: %v", errs[0], tc.readErr)
			}
			snap := src.Snapshot()
			problem := m["inputs"].([]any)[0].(map[string]any)["problem"].(string)
			if st := snap.Inputs[0].State; st != problem {
				t.Errorf("replay: state %q, want the report's problem %q", st, problem)
			}
			var want, got []string
			for _, a := range m["advice"].([]any) {
				want = append(want, a.(map[string]any)["problem"].(string)+" → "+a.(map[string]any)["fix"].(string))
			}
			for _, a := range snap.Advice {
				got = append(got, a.Problem+" → "+a.Fix)
			}
			if strings.Join(got, "\n") != strings.Join(want, "\n") {
				t.Errorf("replay advice:\n%s\nwant the report's:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
			}
			if tc.readErr {
				return
			}

			tm := teatest.NewTestModel(t, tui.New(src, tui.Options{Title: "replay", Refresh: 20 * time.Millisecond}), teatest.WithInitialTermSize(120, 30))
			teatest.WaitFor(t, tm.Output(), func(b []byte) bool { return bytes.Contains(b, []byte("Upstreams")) }, teatest.WithDuration(5*time.Second))
			tm.Send(keyMsg("q"))
			teatest.RequireEqualOutput(t, []byte(tm.FinalModel(t, teatest.WithFinalTimeout(5*time.Second)).View()))
		})
	}
}

// cutGzip writes path gzipped and cut to three fifths of its bytes, as a
// copy that did not finish leaves it, in a temporary directory.
func cutGzip(t *testing.T, path string) string {
	t.Helper()
	cut := filepath.Join(t.TempDir(), "access.log.gz")
	if err := os.WriteFile(cut, gzipCut(t, path), 0o644); err != nil {
		t.Fatal(err)
	}
	return cut
}

// gzipCut is path gzipped and cut to three fifths of its bytes.
func gzipCut(t *testing.T, path string) []byte {
	t.Helper()
	full, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	zw := gzip.NewWriter(&b)
	zw.Write(full)
	zw.Close()
	return b.Bytes()[:b.Len()*3/5]
}

// TestLiveTellsWhatReportTells: live, lines that the format given reads
// none of (--format haproxy on nginx lines) and UTF-16 lines appended to
// the files followed get the report's problem as their state, and its
// advice first, as they come.
func TestLiveTellsWhatReportTells(t *testing.T) {
	rec, err := os.ReadFile(filepath.Join("..", "..", "testdata", "recordings", "nginx-upstream", "access.log"))
	if err != nil {
		t.Fatal(err)
	}
	utf16, err := os.ReadFile(filepath.Join("testdata", "utf16", "access.log"))
	if err != nil {
		t.Fatal(err)
	}
	custom, err := os.ReadFile(filepath.Join("testdata", "haproxy-custom", "haproxy-stdout.log"))
	if err != nil {
		t.Fatal(err)
	}
	lines := bytes.SplitAfter(rec, []byte("\n"))
	customLines := bytes.SplitAfter(custom, []byte("\n"))
	for _, tc := range []struct {
		name          string
		flags         []string
		head, more    []byte
		state, advice string
	}{
		{"format-haproxy", []string{"--format", "haproxy"}, bytes.Join(lines[:5], nil), bytes.Join(lines[5:30], nil),
			"none of its lines read as haproxy, given with --format haproxy; it looks like nginx-upstream",
			": 0 of 25 lines read as haproxy, given with --format haproxy: nothing of it is counted → drop --format to detect it (it looks like nginx-upstream)"},
		{"haproxy-custom-detected", nil, bytes.Join(customLines[:5], nil), bytes.Join(customLines[5:], nil),
			classify.StateHAProxyUnread,
			": its lines look like HAProxy's, but none of its "},
		{"utf16", nil, utf16[:2000], utf16[2000:],
			"UTF-16 text (little-endian, byte-order mark FF FE): no log format reads it",
			" is UTF-16 text (little-endian, byte-order mark FF FE): no log format reads it → convert it to UTF-8 and read that: iconv -f UTF-16 -t UTF-8 "},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "access.log")
			if err := os.WriteFile(path, tc.head, 0o644); err != nil {
				t.Fatal(err)
			}
			ins, eng := startTestLive(t, append(tc.flags, path))
			waitUntil(t, 5*time.Second, "the input followed", func() bool { return sources.Following(ins[0].State()) })
			f, err := os.OpenFile(path, os.O_APPEND|os.O_WRONLY, 0)
			if err != nil {
				t.Fatal(err)
			}
			f.Write(tc.more)
			f.Close()
			var s *classify.Snapshot
			waitUntil(t, 10*time.Second, "the problem in the snapshot", func() bool {
				s = eng.Latest()
				return len(s.Inputs) == 1 && s.Inputs[0].State == tc.state && len(s.Advice) > 0
			})
			if a := s.Advice[0].Problem + " → " + s.Advice[0].Fix; !strings.HasPrefix(a, path+tc.advice) {
				t.Errorf("first advice %q, want %q…", a, path+tc.advice)
			}
			for _, a := range s.Advice {
				if strings.Contains(a.Problem, "waiting for lines") || strings.Contains(a.Problem, "no format fivexx reads fits") {
					t.Errorf("advice %q beside what the input is", a.Problem)
				}
			}
		})
	}
}

// TestLiveTellsEmptyInputsAsReportDoes: live QA s28 #2. A command that
// printed nothing, or blank lines alone, and exited with status 0 (no
// problem, README says) had the advice "cmd: true: ended before any line
// told its format (exited: status 0) → fix what it names (the command,
// the path, its permissions) and start fivexx again", where the report of
// the same inputs says they are empty, or hold only blank lines. Live
// says what the report says now, word for word.
func TestLiveTellsEmptyInputsAsReportDoes(t *testing.T) {
	args := []string{"--cmd", "true", "--cmd", `printf "\n\n"`}
	m := reportJSON(t, args...)
	var want []string
	for _, a := range m["advice"].([]any) {
		want = append(want, a.(map[string]any)["problem"].(string)+" → "+a.(map[string]any)["fix"].(string))
	}
	if !strings.Contains(strings.Join(want, "\n"), `cmd: printf "\n\n" holds only blank lines (2)`) {
		t.Fatalf("the report's advice does not say what the inputs hold:\n%s", strings.Join(want, "\n"))
	}
	ins, eng := startTestLive(t, args)
	waitUntil(t, 10*time.Second, "both commands exited", func() bool {
		return strings.HasPrefix(ins[0].State(), "exited") && strings.HasPrefix(ins[1].State(), "exited")
	})
	// The advice is published with the next snapshots.
	var got []string
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		got = got[:0]
		if s := eng.Latest(); s != nil {
			for _, a := range s.Advice {
				got = append(got, a.Problem+" → "+a.Fix)
			}
		}
		if strings.Join(got, "\n") == strings.Join(want, "\n") {
			return
		}
	}
	t.Fatalf("live advice:\n%s\nwant the report's:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
}
