package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"testing"
	"time"
)

// The -update flag rewrites golden files; teatest's golden package may
// have registered it already.
func init() {
	if flag.Lookup("update") == nil {
		flag.Bool("update", false, "rewrite golden files")
	}
}

func updating() bool {
	f := flag.Lookup("update")
	return f != nil && f.Value.String() == "true"
}

// runAsCLIEnv, set in a child's environment, makes the test binary run as
// fivexx itself (see TestMain).
const runAsCLIEnv = "FIVEXX_TEST_RUN_AS_CLI"

// defaultPlacesEnv, set in such a child's environment, is the standard
// places it looks in (defaultPlaces), separated by ':'.
const defaultPlacesEnv = "FIVEXX_TEST_DEFAULT_PLACES"

// startTZ is TZ as this process started with it: the zone time.Local was
// read in.
var startTZ, startTZSet = os.LookupEnv("TZ")

// TestMain lets a test run fivexx in a child process (runCLI does when a
// test has set TZ): the local zone is read from TZ once per process, and
// writing time.Local in a test races every goroutine calling time.Now.
func TestMain(m *testing.M) {
	if os.Getenv(runAsCLIEnv) == "1" {
		if places := os.Getenv(defaultPlacesEnv); places != "" {
			defaultPlaces = strings.Split(places, ":")
		}
		os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
	}
	os.Exit(m.Run())
}

// inZone makes runCLI run fivexx with the local zone tz, as TZ=tz would:
// in a child process, unless this one started in it.
func inZone(t *testing.T, tz string) {
	t.Helper()
	if _, err := time.LoadLocation(tz); err != nil {
		t.Fatalf("time zone %s: %v (the tests need the system time zone data, Debian tzdata)", tz, err)
	}
	t.Setenv("TZ", tz)
}

// localReadsAs says whether time.Local reads times as zone tz does (the
// same name and offset in winter and summer from 1970 to 2038): a test's
// TZ=UTC on a host whose local zone is UTC then runs fivexx here. A child
// process of the race-built test binary takes about a second to start,
// and 59 tests ask for UTC.
func localReadsAs(tz string) bool {
	loc, err := time.LoadLocation(tz)
	if err != nil {
		return false
	}
	for _, year := range []int{1970, 1990, 2000, 2010, 2020, 2026, 2030, 2038} {
		for _, month := range []time.Month{time.January, time.July} {
			at := time.Date(year, month, 15, 12, 0, 0, 0, time.UTC)
			n1, o1 := at.In(time.Local).Zone()
			n2, o2 := at.In(loc).Zone()
			if n1 != n2 || o1 != o2 {
				return false
			}
		}
	}
	return true
}

// runCLI runs fivexx with args and no stdin: here, or in a child process
// when TZ reads times otherwise than the zone this process started with.
func runCLI(args ...string) (code int, stdout, stderr string) {
	var out, errb bytes.Buffer
	if tz, set := os.LookupEnv("TZ"); tz == startTZ && set == startTZSet || localReadsAs(tz) {
		code = run(args, strings.NewReader(""), &out, &errb)
		return code, out.String(), errb.String()
	}
	return runChildCLI("", args...)
}

// runChildCLI runs fivexx with args in a child process whose standard
// input is stdin: report and live read os.Stdin, not run's reader.
func runChildCLI(stdin string, args ...string) (code int, stdout, stderr string) {
	var out, errb bytes.Buffer
	cmd := exec.Command(os.Args[0], args...)
	cmd.Env = append(os.Environ(), runAsCLIEnv+"=1")
	cmd.Stdin, cmd.Stdout, cmd.Stderr = strings.NewReader(stdin), &out, &errb
	err := cmd.Run()
	var exit *exec.ExitError
	switch {
	case err == nil:
	case errors.As(err, &exit) && exit.ExitCode() >= 0:
		code = exit.ExitCode()
	default:
		code = -1
		errb.WriteString("running fivexx in a child process: " + err.Error())
	}
	return code, out.String(), errb.String()
}

// golden compares got with testdata/<name>.golden, rewriting it with -update.
func golden(t *testing.T, name, got string) {
	t.Helper()
	p := filepath.Join("testdata", name+".golden")
	if updating() {
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(p)
	if err != nil {
		t.Fatalf("%v (run go test ./cmd/fivexx -update)", err)
	}
	if string(want) != got {
		t.Errorf("%s differs from the golden file; run go test ./cmd/fivexx -update and read the diff\n--- got:\n%s", p, got)
	}
}

func TestExitCodesAndMessages(t *testing.T) {
	tests := []struct {
		name    string
		args    []string
		code    int
		errText string
	}{
		{"missing input is named", []string{"report", "/nonexistent/access.log"}, 2, "fivexx: error: cannot read input /nonexistent/access.log: no such file or directory"},
		// Named once, as live names it; it said "cannot read input
		// ../../sources: open ../../sources: is a directory".
		{"directory as input", []string{"report", "../../sources"}, 2, "fivexx: error: cannot read input ../../sources: is a directory\n"},
		{"unknown flag", []string{"report", "--nope", "x"}, 2, "fivexx: error: unknown flag --nope (fivexx report --help lists its flags)\n"},
		{"json and events", []string{"report", "--json", "--events", "x"}, 2, "do not go together"},
		{"unknown format", []string{"report", "--format", "nope", "x"}, 2, `unknown format "nope"`},
		{"explain unknown code", []string{"explain", "418"}, 2, "explain knows 500, 502, 503, 504, 429, Cloudflare's 520, 521, 522, 523, 524, 525, 526, 527, 530 and formats"},
		{"unknown scenario", []string{"demo", "--scenario", "nope"}, 2, `unknown scenario "nope" (fivexx demo --list shows them)`},
		{"scenario near a name", []string{"demo", "--scenario", "oom-kil"}, 2, `unknown scenario "oom-kil": did you mean oom-kill?`},
		// demo's words: a scenario's name alone is --scenario NAME; any
		// other word was ignored and the whole loop played.
		{"demo word near a name", []string{"demo", "oomkill"}, 2, "fivexx: error: unknown scenario \"oomkill\": did you mean oom-kill? (fivexx demo --list shows them)\n"},
		{"demo word", []string{"demo", "--write", "/nonexistent/fivexx-demo", "nope"}, 2, `unknown scenario "nope"`},
		{"demo two words", []string{"demo", "oom-kill", "overload"}, 2, `demo plays one scenario, not "oom-kill overload"`},
		{"demo word and --scenario", []string{"demo", "--scenario", "overload", "oom-kill"}, 2, `--scenario overload and "oom-kill"`},
		{"demo --list word", []string{"demo", "--list", "extra"}, 2, `demo --list takes no argument, not "extra"`},
		// 0 is --each's default, but given it was ignored (QA).
		{"demo --each 0s", []string{"demo", "--each", "0s"}, 2, "fivexx: error: --each takes " + onePass + "; not 0s\n"},
		{"demo --each negative", []string{"demo", "--each", "-5s"}, 2, "fivexx: error: --each takes " + onePass + "; not -5s\n"},
		{"bad speed", []string{"replay", "--speed", "fast", "x"}, 2, "--speed takes a positive number from 0.1 to 1000000, or max"},
		{"speed NaN", []string{"replay", "--speed", "NaN", "x"}, 2, "--speed takes a positive number"},
		{"speed Inf", []string{"replay", "--speed", "Inf", "x"}, 2, "--speed takes a positive number"},
		{"speed tiny", []string{"replay", "--speed", "1e-300", "x"}, 2, "--speed takes a positive number"},
		{"replay without inputs", []string{"replay"}, 2, "replay needs recorded logs"},
		// It named RFC 3339 alone, though the local form is read too.
		{"replay from not a time", []string{"replay", "--from", "yesterday", "x"}, 2,
			"fivexx: error: --from: cannot read time \"yesterday\" (use RFC 3339, e.g. 2024-01-02T03:04:05Z, or 2024-01-02 03:04:05 in the local zone)\n"},
		{"replay to not a time", []string{"replay", "--to", "03:04", "x"}, 2,
			"fivexx: error: --to: cannot read time \"03:04\" (use RFC 3339, e.g. 2024-01-02T03:04:05Z, or 2024-01-02 03:04:05 in the local zone)\n"},
		// It played nothing and said "■ finished 71%".
		{"replay from after to", []string{"replay", "--from", "2026-01-02T03:00:30Z", "--to", "2026-01-02T03:00:10Z", "x"}, 2,
			"fivexx: error: --from 2026-01-02T03:00:30Z is after --to 2026-01-02T03:00:10Z: nothing would play\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, _, stderr := runCLI(tt.args...)
			if code != tt.code || !strings.Contains(stderr, tt.errText) {
				t.Fatalf("exit %d, stderr %q; want exit %d and %q", code, stderr, tt.code, tt.errText)
			}
		})
	}
}

func TestExplain(t *testing.T) {
	for _, code := range []string{"500", "502", "503", "504", "429"} {
		c, out, _ := runCLI("explain", code)
		if c != 0 || !strings.HasPrefix(out, code+" ") || !strings.Contains(out, "Investigate:") {
			t.Errorf("explain %s: exit %d, %q", code, c, out)
		}
	}
	_, out, _ := runCLI("explain")
	for _, cause := range []string{"upstream_refused", "no_healthy_upstream", "app_unavailable",
		"nginx-upstream", "haproxy", "caddy", "envoy", "alb", "traefik-json", "cloudflare", "ingress-nginx", "app-json"} {
		if !strings.Contains(out, cause) {
			t.Errorf("explain without a code does not list %s", cause)
		}
	}
}

func TestDemoList(t *testing.T) {
	code, out, _ := runCLI("demo", "--list")
	for _, s := range []string{"healthy", "deploy-crash", "oom-kill", "db-failover", "overload", "slow-dependency", "bad-port", "bad-header"} {
		if !strings.Contains(out, s) {
			t.Errorf("demo --list lacks %s", s)
		}
	}
	if code != 0 {
		t.Fatalf("exit %d", code)
	}
}

var nginxSample = []string{"../../sources/nginx/testdata/upstream.log", "../../sources/nginx/testdata/error.log"}

func TestReportJSONContract(t *testing.T) {
	code, out, stderr := runCLI(append([]string{"report", "--json"}, nginxSample...)...)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var m map[string]any
	if err := json.Unmarshal([]byte(out), &m); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"inputs", "requests", "status", "causes", "upstreams", "window"} {
		if _, ok := m[k]; !ok {
			t.Errorf("--json lacks key %q", k)
		}
	}
	in := m["inputs"].([]any)[0].(map[string]any)
	for _, k := range []string{"path", "role", "format", "lines", "parsed", "unparsed"} {
		if _, ok := in[k]; !ok {
			t.Errorf("inputs[0] lacks key %q", k)
		}
	}
	up := m["upstreams"].([]any)[0].(map[string]any)
	for _, k := range []string{"name", "requests", "status", "causes", "latency_ms", "app_coverage"} {
		if _, ok := up[k]; !ok {
			t.Errorf("upstreams[0] lacks key %q", k)
		}
	}
	golden(t, "report_nginx.json", out)
}

func TestReportEventsContract(t *testing.T) {
	code, out, stderr := runCLI(append([]string{"report", "--events"}, nginxSample...)...)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) < 10 {
		t.Fatalf("only %d events", len(lines))
	}
	for _, l := range lines {
		var ev map[string]any
		if err := json.Unmarshal([]byte(l), &ev); err != nil {
			t.Fatal(err)
		}
		for _, k := range []string{"time", "status", "upstream", "upstream_status", "request_id", "method", "path", "cause", "confidence", "evidence", "app_lines", "hint", "source"} {
			if _, ok := ev[k]; !ok {
				t.Fatalf("event lacks key %q: %s", k, l)
			}
		}
		if s := ev["status"].(float64); s < 500 || s > 599 {
			t.Fatalf("event for a non-5xx: %s", l)
		}
	}
	golden(t, "report_nginx.events", out)
}

func TestReportText(t *testing.T) {
	code, out, _ := runCLI(append([]string{"report"}, nginxSample...)...)
	if code != 0 {
		t.Fatal(code)
	}
	golden(t, "report_nginx.txt", out)
}

// A file name or a config line quoted in an error is escaped like any log
// text: a name picked up by a glob over a log directory can hold an OSC
// title change or a bidi override.
func TestErrorsEscapeWhatTheyQuote(t *testing.T) {
	dir := t.TempDir()
	hostile := "evil\x1b]0;PWNED\x07\x1b[31mred\u202edir"
	asDir := filepath.Join(dir, hostile)
	if err := os.Mkdir(asDir, 0o755); err != nil {
		t.Fatal(err)
	}
	notGzip := filepath.Join(dir, "bad\x1b[41m.log.gz")
	if err := os.WriteFile(notGzip, []byte("\x1f\x8b\x08\x00garbage that is no deflate stream"), 0o644); err != nil {
		t.Fatal(err)
	}
	conf := filepath.Join(dir, "nginx.conf")
	if err := os.WriteFile(conf, []byte("http {\n access_log \"/var/log/a\x1b]0;CONF\x07.log\" nofmt;\n}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{
		{"report", asDir},
		{"report", filepath.Join(dir, "missing\x1b[2J.log")},
		{"report", notGzip},
		{"replay", "--speed", "max", asDir},
		{"report", "--nginx-conf", conf, notGzip},
	} {
		code, _, stderr := runCLI(args...)
		if code == 0 || !strings.HasPrefix(stderr, "fivexx: error: ") {
			t.Fatalf("%q: exit %d, stderr %q; want an error", args, code, stderr)
		}
		if strings.ContainsAny(stderr, "\x1b\x07\u202e") {
			t.Errorf("%q: stderr holds a raw control: %q", args, stderr)
		}
		if !strings.Contains(stderr, `\x1b`) {
			t.Errorf("%q: stderr does not show the escape it quotes: %q", args, stderr)
		}
	}
}

// reportLines runs report --json and returns each input's lines read.
func reportLines(t *testing.T, args ...string) []float64 {
	t.Helper()
	code, out, stderr := runCLI(append([]string{"report", "--json"}, args...)...)
	if code != 0 {
		t.Fatalf("%q: exit %d: %s", args, code, stderr)
	}
	var m struct {
		Inputs []struct{ Lines float64 }
	}
	if err := json.Unmarshal([]byte(out), &m); err != nil {
		t.Fatal(err)
	}
	var n []float64
	for _, in := range m.Inputs {
		n = append(n, in.Lines)
	}
	return n
}

// A pipe, FIFO or process substitution (<(zcat x.gz)) is read whole: the
// early readability check must not read from it (it used to take the
// first 64 KiB, and a FIFO's check blocked).
func TestPipeInputIsReadWhole(t *testing.T) {
	data, err := os.ReadFile(nginxSample[0])
	if err != nil {
		t.Fatal(err)
	}
	want := float64(strings.Count(string(data), "\n"))
	fifo := filepath.Join(t.TempDir(), "access.fifo")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	go func() {
		f, err := os.OpenFile(fifo, os.O_WRONLY, 0)
		if err != nil {
			return
		}
		f.Write(data)
		f.Close()
	}()
	done := make(chan []float64, 1)
	go func() { done <- reportLines(t, fifo) }()
	select {
	case got := <-done:
		if len(got) != 1 || got[0] != want {
			t.Fatalf("read %v lines of the FIFO, want %v", got, want)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("report of a FIFO still running after 20 s: the check read it, and the report waits for a writer")
	}
}

func TestInputGivenTwice(t *testing.T) {
	dir := t.TempDir()
	link := filepath.Join(dir, "link.log")
	abs, _ := filepath.Abs(nginxSample[0])
	if err := os.Symlink(abs, link); err != nil {
		t.Fatal(err)
	}
	same := "input " + nginxSample[0] + " is given twice (a file is read once)"
	// Under another name, both are named: "input link.log is given
	// twice" left the file it duplicates to be guessed.
	other := func(name string) string {
		return "input " + name + " is given twice: it is the same file as " + nginxSample[0] + " (a file is read once)"
	}
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"report", nginxSample[0], nginxSample[0]}, same},
		{[]string{"report", nginxSample[0], "./" + nginxSample[0]}, other("./" + nginxSample[0])},
		{[]string{"report", nginxSample[0], link}, other(link)},
		{[]string{"report", "--proxy", nginxSample[0], "--app", "api=" + nginxSample[0]}, same},
		{[]string{"report", "-", "-"}, "standard input (-) is given twice: it can be read once"},
	} {
		code, _, stderr := runCLI(tt.args...)
		if want := "fivexx: error: " + tt.want + "\n"; code != 2 || stderr != want {
			t.Errorf("%q: exit %d, stderr %q; want exit 2, %q", tt.args, code, stderr, want)
		}
	}
}

// Live waits for a file that is not there yet, but a directory is a usage
// error at once, as in report: it was retried every 5 s for ever, its
// reason cut to "read error: open…" in the inputs pane.
func TestLiveRefusesADirectory(t *testing.T) {
	dir := t.TempDir()
	code, _, stderr := runCLI(dir)
	if code != 2 || !strings.Contains(stderr, "cannot read input "+dir+": is a directory") {
		t.Errorf("live on a directory: exit %d, stderr %q; want exit 2, is a directory", code, stderr)
	}
}

// A flag that takes a value, last on the line, is an error of its own,
// not given the "--" interleave puts before the positional arguments.
func TestFlagWithoutValue(t *testing.T) {
	for _, args := range [][]string{{"report", "--proxy"}, {"report", "x.log", "--format"}, {"replay", "x.log", "--speed"}} {
		code, _, stderr := runCLI(args...)
		if code != 2 || !strings.Contains(stderr, "flag needs an argument") {
			t.Errorf("%q: exit %d, stderr %q; want exit 2, flag needs an argument", args, code, stderr)
		}
	}
}

// Why an input was not read is in the report, text and JSON: a file of no
// known format, a --format that needs more than its name.
func TestReportSaysWhyAnInputWasNotRead(t *testing.T) {
	dir := t.TempDir()
	junk := filepath.Join(dir, "junk.log")
	if err := os.WriteFile(junk, []byte(strings.Repeat("no log format knows this line\n", 30)), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{junk}, "format not recognised: force one with --format NAME"},
		{[]string{"--format", "nginx", nginxSample[0]}, "no log_format given"},
	} {
		code, out, stderr := runCLI(append([]string{"report"}, c.args...)...)
		if code != 0 || !strings.Contains(out, c.want) {
			t.Errorf("report %q: exit %d, %s%s; want it to say %q", c.args, code, out, stderr, c.want)
		}
		code, out, _ = runCLI(append([]string{"report", "--json"}, c.args...)...)
		var m struct{ Inputs []struct{ Problem string } }
		if err := json.Unmarshal([]byte(out), &m); err != nil || code != 0 || len(m.Inputs) != 1 || !strings.Contains(m.Inputs[0].Problem, c.want) {
			t.Errorf("report --json %q: exit %d, %v, %s; want problem %q", c.args, code, err, out, c.want)
		}
	}
	code, out, _ := runCLI("report", "--json", nginxSample[0])
	var m struct{ Inputs []map[string]any }
	if err := json.Unmarshal([]byte(out), &m); err != nil || code != 0 || len(m.Inputs) != 1 || m.Inputs[0]["problem"] != nil {
		t.Errorf("a good input has a problem (exit %d, %v): %v", code, err, m.Inputs)
	}
}

// A log over several days says on which day it ends.
func TestReportTextNamesTheLastDay(t *testing.T) {
	p := filepath.Join(t.TempDir(), "access.log")
	lines := `192.0.2.1 - - [20/Nov/2026:23:59:58 +0000] "GET / HTTP/1.1" 200 5 "-" "curl/8"
192.0.2.1 - - [22/Nov/2026:00:00:03 +0000] "GET / HTTP/1.1" 502 5 "-" "curl/8"
`
	if err := os.WriteFile(p, []byte(lines), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, stderr := runCLI("report", p)
	if want := "from 2026-11-20 23:59:58 +0000 to 2026-11-22 00:00:03"; code != 0 || !strings.Contains(out, want) {
		t.Fatalf("exit %d, %s%s; want %q", code, out, stderr, want)
	}
}

// --events writes only the 5xx to stdout; an input that went (partly)
// unread is noted on stderr, so a script learns of it.
func TestEventsNoteUnparsedInputs(t *testing.T) {
	junk := filepath.Join(t.TempDir(), "junk.log")
	if err := os.WriteFile(junk, []byte(strings.Repeat("no log format knows this line\n", 30)), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, stderr := runCLI("report", "--events", junk, nginxSample[0])
	if code != 0 || strings.Count(out, "\n") == 0 {
		t.Fatalf("exit %d, %d events, %s", code, strings.Count(out, "\n"), stderr)
	}
	want := "fivexx: note: " + junk + ": 30 of 30 lines unparsed (format not recognised: force one with --format NAME)\n"
	if stderr != want {
		t.Errorf("stderr %q, want %q", stderr, want)
	}
	if _, _, stderr = runCLI(append([]string{"report", "--events"}, nginxSample...)...); stderr != "" {
		t.Errorf("inputs read whole, yet stderr %q", stderr)
	}
}

func TestHelpExitsZero(t *testing.T) {
	for _, cmd := range []string{"report", "replay", "demo"} {
		// Help asked for goes to stdout (QA s22 F9: fivexx report --help | less).
		if code, stdout, _ := runCLI(cmd, "-h"); code != 0 || !strings.Contains(stdout, "-") {
			t.Errorf("%s -h: exit %d, stdout %q; want the usage and exit 0", cmd, code, stdout)
		}
	}
}

// A read error names the file once.
func TestReadErrorNamesTheFileOnce(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("reading /proc/self/mem at offset 0 fails with EIO on Linux")
	}
	code, _, stderr := runCLI("report", "/proc/self/mem")
	if code == 0 || strings.Count(stderr, "/proc/self/mem") != 1 {
		t.Errorf("exit %d, stderr %q; want an error naming /proc/self/mem once", code, stderr)
	}
}

// "-" with the terminal as standard input is refused (the UI and the
// reader would share the keyboard); without a terminal the UI's error
// says what to use instead.
func TestTerminalProblemsSayWhatToDo(t *testing.T) {
	saved := stdinIsTerminal
	stdinIsTerminal = func() bool { return true }
	t.Cleanup(func() { stdinIsTerminal = saved })
	for _, args := range [][]string{{"-"}, {"replay", "-"}} {
		code, _, stderr := runCLI(args...)
		if code != 2 || !strings.Contains(stderr, "standard input, which is the terminal") {
			t.Errorf("%v: exit %d, stderr %q", args, code, stderr)
		}
	}
	msg := uiError(errors.New("tui: could not open a new TTY: open /dev/tty: no such device or address"))
	if !strings.Contains(msg, "use fivexx report") {
		t.Errorf("uiError: %q", msg)
	}
}

// The UI is not drawn into a pipe or a file (QA s23 TUI #6: piped, it was
// drawn at 80x24; redirected, the screen stayed blank while the file
// filled with frames): live, replay and demo say so and what to use.
func TestUINotDrawnIntoAPipe(t *testing.T) {
	saved := stdoutIsTerminal
	stdoutIsTerminal = func() bool { return false }
	t.Cleanup(func() { stdoutIsTerminal = saved })
	log := filepath.Join(t.TempDir(), "access.log")
	if err := os.WriteFile(log, []byte(`127.0.0.1 - - [22/Nov/2026:08:55:15 +0000] "GET /report HTTP/1.1" 502 3 "-" "curl/7.88.1"`+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		args       []string
		mode, what string
	}{
		{[]string{log}, "the live view", "for a headless summary use fivexx report"},
		{[]string{"replay", log}, "replay", "for a headless summary use fivexx report"},
		// Its logs to files: report wants logs the demo has not written yet (QA s30).
		{[]string{"demo"}, "demo", "to write its logs to files use fivexx demo --write DIR"},
	} {
		code, stdout, stderr := runCLI(c.args...)
		want := "standard output is not a terminal: " + c.mode + " draws its UI on one; " + c.what
		if code != 2 || !strings.Contains(stderr, want) || stdout != "" {
			t.Errorf("%v: exit %d, stdout %q, stderr %q; want 2 and %q", c.args, code, stdout, stderr, want)
		}
	}
	// demo --write writes files, no UI: no terminal needed.
	code, _, stderr := runCLI("demo", "--scenario", "bad-port", "--duration", "60s", "--write", t.TempDir())
	if code != 0 {
		t.Errorf("demo --write: exit %d, %s", code, stderr)
	}
}
