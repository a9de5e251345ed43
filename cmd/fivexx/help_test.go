package main

import (
	"flag"
	"os"
	"reflect"
	"regexp"
	"strings"
	"testing"

	"fivexx/classify/report"
)

// fivexx --help names every flag live mode takes (--from-start,
// --cmd-restart, --app-skew and --app-request-id were missing), and each
// command's --help says how it is called, what it does and its exit
// status, with its flags, on stdout with exit 0; explain --help too (it
// was "explain knows 500, …, not --help", exit 2). QA F9.
func TestHelpNamesEveryFlag(t *testing.T) {
	code, out, _ := runCLI("--help")
	if code != 0 {
		t.Fatalf("--help: exit %d", code)
	}
	fs := flag.NewFlagSet("fivexx", flag.ContinueOnError)
	var inf inputFlags
	inf.register(fs, true)
	fs.VisitAll(func(f *flag.Flag) {
		if !strings.Contains(out, "--"+f.Name+" ") {
			t.Errorf("fivexx --help does not name --%s", f.Name)
		}
	})
	for _, cmd := range []string{"report", "replay", "demo", "explain", "version"} {
		for _, h := range []string{"--help", "-h"} {
			code, out, stderr := runCLI(cmd, h)
			if code != 0 || stderr != "" || !strings.HasPrefix(out, "Usage: fivexx "+cmd) || !strings.Contains(out, "Exit status: 0") {
				t.Errorf("%s %s: exit %d, stderr %q, stdout:\n%s", cmd, h, code, stderr, out)
			}
			if cmd == "report" && !(strings.Contains(out, "INPUT...") && strings.Contains(out, "-json") && strings.Contains(out, "-proxy FILE")) {
				t.Errorf("report %s lists no inputs or flags:\n%s", h, out)
			}
		}
	}
	// A wrong flag is one error line that names the help, exit 2 (the
	// whole help after the flag package's bare message hid it: STYLE §5).
	if code, _, stderr := runCLI("report", "--nope"); code != 2 || stderr != "fivexx: error: unknown flag --nope (fivexx report --help lists its flags)\n" {
		t.Errorf("report --nope: exit %d, stderr %q", code, stderr)
	}
}

// A first argument that is no file and one edit from a command is a
// usage error that names the command: "fivexx reprot access.log" started
// the live UI, waiting for a file "reprot" (QA F9).
func TestMistypedCommand(t *testing.T) {
	for _, c := range []struct{ arg, want string }{
		{"reprot", "report"}, {"repot", "report"}, {"reports", "report"}, {"replya", "replay"},
		{"explian", "explain"}, {"dmeo", "demo"}, {"hepl", "help"},
		{"access.log", ""}, {"rep", ""}, {"api", ""}, {"--reprot", ""}, {"./reprot", ""}, {"x/reprot", ""},
	} {
		if got := mistypedCommand(c.arg); got != c.want {
			t.Errorf("mistypedCommand(%q) = %q, want %q", c.arg, got, c.want)
		}
	}
	code, out, stderr := runCLI("reprot", qa2Logs[0])
	if code != 2 || out != "" || !strings.Contains(stderr, "did you mean report?") {
		t.Errorf("fivexx reprot: exit %d, stdout %q, stderr %q", code, out, stderr)
	}
	// A file of that name is an input.
	dir := t.TempDir()
	t.Chdir(dir)
	if err := os.WriteFile("reprot", nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if got := mistypedCommand("reprot"); got != "" {
		t.Errorf("a file named reprot: %q", got)
	}
}

// Help asked for after other words is help: "explain 502 --help" said
// explain knows 500, …, not "502 --help"; "version --help" printed the
// version, and "version extra" too.
func TestHelpAfterWords(t *testing.T) {
	for _, args := range [][]string{{"explain", "502", "--help"}, {"explain", "formats", "-h"}, {"version", "x", "--help"}} {
		code, out, stderr := runCLI(args...)
		if code != 0 || stderr != "" || !strings.HasPrefix(out, "Usage: fivexx "+args[0]) {
			t.Errorf("%q: exit %d, stderr %q, stdout:\n%s", args, code, stderr, out)
		}
	}
	if code, _, stderr := runCLI("version", "extra"); code != 2 || stderr != "fivexx: error: version takes no argument, not \"extra\" (fivexx version --help)\n" {
		t.Errorf("version extra: exit %d, stderr %q", code, stderr)
	}
}

// report --help names every key of --json and --events, so the binary
// alone says what a script can read: it sent users to README.md. The keys
// are those of the JSON types, walked from the two the report writes
// (report.Summary, report.Event) through their fields, and each must be
// in the text that lists them, before the flags: the flags' "label its
// service" passed for the key service, which the list left out (QA s28).
// A key left out when empty (omitempty) is marked "?" there, or listed
// after "only when there are some".
func TestReportHelpNamesEveryKey(t *testing.T) {
	_, out, _ := runCLI("report", "--help")
	listing, _, ok := strings.Cut(out, "\nExit status:")
	if !ok {
		t.Fatalf("report --help has no \"Exit status:\":\n%s", out)
	}
	listing = strings.Join(strings.Fields(listing), " ")
	_, sometimes, _ := strings.Cut(listing, "only when there are some")
	keys := map[string]bool{} // key → omitempty
	seen := map[reflect.Type]bool{}
	var walk func(rt reflect.Type)
	walk = func(rt reflect.Type) {
		for rt.Kind() == reflect.Pointer || rt.Kind() == reflect.Slice || rt.Kind() == reflect.Map {
			rt = rt.Elem()
		}
		if rt.Kind() != reflect.Struct || seen[rt] {
			return
		}
		seen[rt] = true
		for i := range rt.NumField() {
			key, opts, _ := strings.Cut(rt.Field(i).Tag.Get("json"), ",")
			if key == "" || key == "-" {
				continue
			}
			keys[key] = strings.Contains(opts, "omitempty")
			walk(rt.Field(i).Type)
		}
	}
	walk(reflect.TypeOf(report.Summary{}))
	walk(reflect.TypeOf(report.Event{}))
	if len(keys) < 40 {
		t.Fatalf("only %d keys found in the JSON types", len(keys))
	}
	for key, omitempty := range keys {
		listed := regexp.MustCompile(`(^|[ {\[(,])` + key + `\??([ ,.}\])]|$)`)
		if !listed.MatchString(listing) {
			t.Errorf("report --help does not list the key %q", key)
			continue
		}
		if omitempty && !strings.Contains(listing, key+"?") && !regexp.MustCompile(`\b`+key+`\b`).MatchString(sometimes) {
			t.Errorf("report --help lists %q, left out when empty, without \"?\" or \"only when there are some\"", key)
		}
	}
}

// replay --help says which times --from and --to take and what --speed
// takes: it showed "-from string", "-speed string" and no format.
func TestReplayHelpNamesTheFormats(t *testing.T) {
	_, out, _ := runCLI("replay", "--help")
	for _, want := range []string{"-from TIME", "-to TIME", "-speed N", "RFC 3339", "2026-01-02 03:04:05", "0.1 to 1000000", "max"} {
		if !strings.Contains(out, want) {
			t.Errorf("replay --help lacks %q", want)
		}
	}
	// Every format it names is one --from reads, and so is each the
	// error for a time it cannot read names.
	_, err := parseWhen("yesterday")
	examples := regexp.MustCompile(`\d{4}-\d\d-\d\d[T ]\d\d:\d\d(:\d\d)?Z?`).FindAllString(err.Error(), -1)
	if len(examples) != 2 {
		t.Errorf("the error %q names %d forms, want RFC 3339 and the local one", err, len(examples))
	}
	for _, s := range examples {
		if _, err := parseWhen(s); err != nil {
			t.Errorf("the error names %s, which --from does not read: %v", s, err)
		}
	}
	for _, s := range []string{"2026-01-02T03:04:05Z", "2026-01-02T03:04:05+01:00", "2026-01-02T03:04:05.5Z", "2026-01-02T03:04:05", "2026-01-02 03:04:05", "2026-01-02 03:04"} {
		if _, err := parseWhen(s); err != nil {
			t.Errorf("--from %s: %v", s, err)
		}
	}
}

// TestHelpCommand: fivexx help CMD is CMD --help, and a word that names
// no command is a usage error that names the one it is near. It printed
// the general help, exit 0, whatever followed: help report, help nosuch,
// help --json (QA, session 27).
func TestHelpCommand(t *testing.T) {
	for _, cmd := range []string{"report", "replay", "demo", "explain", "version"} {
		_, want, _ := runCLI(cmd, "--help")
		for _, h := range []string{"help", "--help"} {
			code, out, stderr := runCLI(h, cmd)
			if code != 0 || stderr != "" || out != want {
				t.Errorf("%s %s: exit %d, stderr %q, stdout:\n%s\nwant %s --help's:\n%s", h, cmd, code, stderr, out, cmd, want)
			}
		}
	}
	_, general, _ := runCLI("--help")
	for _, args := range [][]string{{"help"}, {"help", "help"}, {"help", "--help"}} {
		if code, out, stderr := runCLI(args...); code != 0 || stderr != "" || out != general {
			t.Errorf("%q: exit %d, stderr %q, stdout:\n%s", args, code, stderr, out)
		}
	}
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"help", "reprot"}, `"reprot" is no command: did you mean report? (fivexx help report)`},
		{[]string{"help", "versoin"}, `"versoin" is no command: did you mean version? (fivexx help version)`},
		{[]string{"help", "nosuch"}, `"nosuch" is no command; fivexx help takes one of report, replay, demo, explain, version (fivexx --help lists them)`},
		{[]string{"help", "--json"}, `"--json" is no command; fivexx help takes one of report, replay, demo, explain, version (fivexx --help lists them)`},
		{[]string{"help", "report", "replay"}, `help takes one command, not "report replay" (fivexx --help lists the commands)`},
	} {
		code, out, stderr := runCLI(tc.args...)
		if want := "fivexx: error: " + tc.want + "\n"; code != 2 || out != "" || stderr != want {
			t.Errorf("%q: exit %d, stdout %q, stderr %q; want exit 2, %q", tc.args, code, out, stderr, want)
		}
	}
}

// Each command's --help writes its flags --name, as the general help,
// README.md and every message do: the flag package printed "-json",
// "-app NAME=FILE" (QA s32, L1). Both forms are still read.
func TestCommandHelpWritesFlagsWithTwoDashes(t *testing.T) {
	for _, cmd := range []string{"report", "replay", "demo"} {
		_, out, _ := runCLI(cmd, "--help")
		_, flags, ok := strings.Cut(out, "\nFlags:\n")
		if !ok {
			t.Fatalf("%s --help has no Flags:\n%s", cmd, out)
		}
		n := 0
		for _, line := range strings.Split(flags, "\n") {
			if strings.HasPrefix(line, "  -") {
				n++
				if !strings.HasPrefix(line, "  --") || strings.HasPrefix(line, "  ---") {
					t.Errorf("%s --help: flag line %q is not --name", cmd, line)
				}
			}
		}
		if n < 5 {
			t.Errorf("%s --help lists %d flags:\n%s", cmd, n, flags)
		}
	}
	if _, out, _ := runCLI("report", "--help"); !strings.Contains(out, "\n  --app NAME=FILE\n") || !strings.Contains(out, "\n  --json\n") {
		t.Errorf("report --help does not write --app NAME=FILE and --json:\n%s", out)
	}
	for _, f := range []string{"-json", "--json"} {
		var inf inputFlags
		fs := flag.NewFlagSet("report", flag.ContinueOnError)
		asJSON := fs.Bool("json", false, "")
		inf.register(fs, false)
		if err := fs.Parse([]string{f, "--app", "x=y.log"}); err != nil || !*asJSON {
			t.Errorf("%s: %v, json %v", f, err, *asJSON)
		}
	}
}

// Every --help fits 80 columns, its flags' values are named as its usage
// line names them, and the general help's descriptions start in one
// column (review s33, R7): demo --help wrote "--write string", "--seed
// int" under "--write DIR"; fivexx --help had a line of 101 characters
// and its report line's description sat 2 columns right of the others';
// the flag package wrote each description on one line, 170 columns for
// --app.
func TestHelpFitsAndNamesValuesAsItsUsage(t *testing.T) {
	flagValue := regexp.MustCompile(`^  (--[a-z-]+) (\S+)$`)
	for _, cmd := range append([]string{""}, helpTopics...) {
		args := []string{"--help"}
		if cmd != "" {
			args = []string{cmd, "--help"}
		}
		code, out, _ := runCLI(args...)
		if code != 0 {
			t.Fatalf("%q: exit %d", args, code)
		}
		for i, l := range strings.Split(out, "\n") {
			l = strings.ReplaceAll(l, "    \t", "        ") // the tab of PrintDefaults, to column 8
			if n := len([]rune(l)); n > 80 {
				t.Errorf("%q line %d is %d columns: %q", args, i+1, n, l)
			}
		}
		usageLines, _, _ := strings.Cut(out, "\n\n")
		_, flags, _ := strings.Cut(out, "\nFlags:\n")
		for _, l := range strings.Split(flags, "\n") {
			m := flagValue.FindStringSubmatch(l)
			if m == nil {
				continue
			}
			if m[2] != strings.ToUpper(m[2]) {
				t.Errorf("%q: %s takes %q, a Go type, not a name", args, m[1], m[2])
			}
			// As the usage line names it: --write DIR, --speed N|max.
			for _, u := range regexp.MustCompile(regexp.QuoteMeta(m[1])+` ([A-Z][A-Za-z|]*)`).FindAllStringSubmatch(usageLines, -1) {
				if name, _, _ := strings.Cut(u[1], "|"); name != m[2] {
					t.Errorf("%q: %s %s where its usage says %s %s", args, m[1], m[2], m[1], u[1])
				}
			}
		}
	}

	_, out, _ := runCLI("--help")
	_, block, _ := strings.Cut(out, "\nUsage:\n")
	block, _, _ = strings.Cut(block, "\n\n")
	described := regexp.MustCompile(`^  fivexx .*?\S(  +)\S`)
	continued := regexp.MustCompile(`^( +)\S`)
	cols := map[int][]string{}
	for _, l := range strings.Split(block, "\n") {
		if m := described.FindStringSubmatchIndex(l); m != nil {
			cols[m[3]] = append(cols[m[3]], l)
		} else if m := continued.FindStringSubmatchIndex(l); m != nil && m[3] > 2 {
			cols[m[3]] = append(cols[m[3]], l)
		}
	}
	if len(cols) != 1 {
		t.Errorf("the Usage block's descriptions start in %d columns: %v", len(cols), cols)
	}
}
