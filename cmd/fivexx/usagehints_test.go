package main

import (
	"flag"
	"strings"
	"testing"
)

// "-" with the terminal as standard input: replay is told to pipe in a
// recorded log, not the live view's never-ending kubectl logs -f with
// live syntax (QA s30); the live view still is.
func TestStdinTerminalHintIsTheCommands(t *testing.T) {
	saved := stdinIsTerminal
	stdinIsTerminal = func() bool { return true }
	t.Cleanup(func() { stdinIsTerminal = saved })
	for _, c := range []struct {
		args      []string
		want, not string
	}{
		{[]string{"replay", "-"}, "pipe a recorded log into it (zcat access.log.gz | fivexx replay - error.log app.log)", "kubectl"},
		{[]string{"-"}, "pipe a log into it (kubectl logs -f deploy/api | fivexx access.log -)", "replay"},
	} {
		code, _, stderr := runCLI(c.args...)
		if code != 2 || !strings.Contains(stderr, c.want) || strings.Contains(stderr, c.not) {
			t.Errorf("%q: exit %d, stderr %q; want 2 and %q", c.args, code, stderr, c.want)
		}
	}
}

// A flag of one command given to another, or to live mode, says which
// command it is for: "fivexx --json x" and "fivexx --speed 5 x" said only
// "unknown flag" (QA s30), as --from-start given to report did once.
func TestFlagOfAnotherCommandNamesIt(t *testing.T) {
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"--json", "x"}, "--json is for report (fivexx report --json FILE...), not live mode"},
		{[]string{"--speed", "5", "x"}, "--speed is for replay and demo (fivexx replay --speed 20 FILE...), not live mode"},
		{[]string{"report", "--speed", "5", "x"}, "--speed is for replay and demo (fivexx replay --speed 20 FILE...), not report"},
		{[]string{"replay", "--events", "x"}, "--events is for report (fivexx report --events FILE...), not replay"},
		{[]string{"demo", "--from", "x"}, "--from is for replay (fivexx replay --from TIME FILE...), not demo"},
		{[]string{"report", "--from-start", "x"}, "--from-start is for live mode (fivexx --from-start FILE...), not report"},
		{[]string{"report", "--jsno", "x"}, "unknown flag --jsno: did you mean --json? (fivexx report --help lists its flags)"},
	} {
		if code, _, stderr := runCLI(c.args...); code != 2 || stderr != "fivexx: error: "+c.want+"\n" {
			t.Errorf("%q: exit %d, stderr %q; want 2 and %q", c.args, code, stderr, c.want)
		}
	}
	// The map is the commands' own: each owner's --help lists the flag,
	// and live mode's does not.
	live := flag.NewFlagSet("fivexx", flag.ContinueOnError)
	var inf inputFlags
	inf.register(live, true)
	for f, o := range commandFlags {
		if live.Lookup(f) != nil {
			t.Errorf("live mode takes --%s, which commandFlags gives to %s", f, o.commands)
		}
		for _, cmd := range strings.Split(o.commands, " and ") {
			if _, help, _ := runCLI(cmd, "--help"); !strings.Contains(help, "\n  --"+f+" ") && !strings.Contains(help, "\n  --"+f+"\n") {
				t.Errorf("fivexx %s --help does not list --%s", cmd, f)
			}
		}
		if !strings.HasPrefix(o.example, "fivexx "+strings.Split(o.commands, " ")[0]+" ") {
			t.Errorf("--%s's example %q is not a call of %s", f, o.example, o.commands)
		}
	}
}
