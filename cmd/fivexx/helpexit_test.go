package main

import (
	"bytes"
	"errors"
	"regexp"
	"strings"
	"testing"
)

// fullWriter fails every write, as /dev/full does.
type fullWriter struct{}

func (fullWriter) Write([]byte) (int, error) { return 0, errors.New("no space left on device") }

// Every command that writes output exits 1 when it cannot (run's
// checkedWriter), and its --help says so: explain's said "0 on success, 2
// for a topic" while fivexx explain > /dev/full exited 1 (QA s30).
func TestHelpSaysAWriteFailureIsExitOne(t *testing.T) {
	for _, args := range [][]string{
		{"explain"}, {"explain", "502"}, {"demo", "--list"},
		append([]string{"report"}, nginxSample...),
	} {
		var stderr bytes.Buffer
		if code := run(args, strings.NewReader(""), fullWriter{}, &stderr); code != 1 {
			t.Errorf("%q to a full disk: exit %d, want 1 (%s)", args, code, stderr.String())
		}
		help := commandHelp[args[0]]
		if exit := help[strings.Index(help, "Exit status"):]; !strings.Contains(exit, "1 when") {
			t.Errorf("%s --help does not say it exits 1 when it cannot write: %q", args[0], exit)
		}
	}
}

// usageFlag is a flag in a usage line with its argument: "--speed N|max",
// "--from TIME", "--json".
var usageFlag = regexp.MustCompile(`--[a-z-]+(?: [A-Z][A-Za-z0-9|]*)?`)

// The general help's line for each command names its flags as the
// command's own --help does: it showed "demo … [--speed N]" where demo
// --help shows "[--speed N|max]" (QA s30).
func TestGeneralUsageLinesAgreeWithTheCommands(t *testing.T) {
	for _, line := range strings.Split(usageText, "\n") {
		fields := strings.Fields(line)
		if len(fields) < 2 || fields[0] != "fivexx" || commandHelp[fields[1]] == "" {
			continue
		}
		own := commandHelp[fields[1]]
		own = own[:strings.Index(own, "\n\n")] // its Usage: lines
		known := map[string]bool{}
		for _, f := range usageFlag.FindAllString(own, -1) {
			known[f] = true
		}
		for _, f := range usageFlag.FindAllString(line, -1) {
			if !known[f] {
				t.Errorf("fivexx --help shows %q in %q; fivexx %s --help shows %q", f, strings.TrimSpace(line), fields[1], own)
			}
		}
	}
}

// With no input, live and report read the standard places that exist and
// say so; with none there it is a usage error naming them; replay needs
// its logs named (fivexx --help and README, Usage).
func TestNoInputReadsTheStandardPlaces(t *testing.T) {
	dir := t.TempDir()
	there := writeFiles(t, [2]string{"access.log", ""})[0]
	saved := defaultPlaces
	t.Cleanup(func() { defaultPlaces = saved })
	defaultPlaces = []string{there, dir + "/error.log"}

	var out, stderr bytes.Buffer
	if code := run([]string{"report", "--json"}, strings.NewReader(""), &out, &stderr); code != 0 ||
		stderr.String() != "fivexx: no inputs given; found "+there+"\n" || !strings.Contains(out.String(), `"path": "`+there+`"`) {
		t.Errorf("report with %s there: exit %d, stderr %q, stdout %s", there, code, stderr.String(), out.String())
	}
	defaultPlaces = []string{dir + "/error.log"}
	for _, args := range [][]string{{"report"}, {}} {
		stderr.Reset()
		if code := run(args, strings.NewReader(""), &out, &stderr); code != 2 || !strings.Contains(stderr.String(), "none found in the standard places ("+dir+"/error.log)") {
			t.Errorf("%q with none there: exit %d, stderr %q", args, code, stderr.String())
		}
	}
	stderr.Reset()
	if code := run([]string{"replay"}, strings.NewReader(""), &out, &stderr); code != 2 || !strings.Contains(stderr.String(), "replay needs recorded logs") {
		t.Errorf("replay with no input: exit %d, stderr %q", code, stderr.String())
	}
}

// The live warning after q names each input that never worked: one that
// failed, and a file not there, a FIFO with no writer or a --cmd that
// exited, without a line; not a file followed or a command running that
// gave none yet (fivexx --help said "each input that failed or never gave
// a line": QA s30).
func TestLiveWarningNamesTheInputsThatNeverWorked(t *testing.T) {
	for _, tt := range []struct {
		state string
		want  bool
	}{
		{"following", false},
		{"running", false},
		{"waiting for file", true},
		{"deleted", true},
		{"waiting for writer", true},
		{"exited: status 0", true},
		{"exited: status 3: boom", true},
		{"read error: open /var/log/x: permission denied", true},
	} {
		if got := inputFailed(tt.state, 0); got != tt.want {
			t.Errorf("inputFailed(%q, 0 lines) = %v, want %v", tt.state, got, tt.want)
		}
	}
}
