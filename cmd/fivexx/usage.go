package main

import (
	"bytes"
	"flag"
	"fmt"
	"io"
	"os"
	"regexp"
	"strings"
)

const usageText = `fivexx — these 5xx: did the proxy make them, or the app, and why?

Usage:
  fivexx [flags] INPUT...                 live UI: follow proxy and app logs
  fivexx report [--json|--events] INPUT...
                                          read inputs to their end and summarise
  fivexx replay [--speed N|max] [--from TIME] [--to TIME] INPUT...
  fivexx demo [NAME] [--seed N] [--speed N|max] [--train] [--list]
  fivexx demo --write DIR --duration 60s
  fivexx explain CODE                     field guide: 500, 502, 503, 504, 429,
                                          Cloudflare's 520-527 and 530
  fivexx explain formats                  the formats fivexx reads and how it
                                          detects them
  fivexx COMMAND --help                   a command's flags, what it does, its
                                          exit status (fivexx help COMMAND too)
  fivexx version                          the version this build carries

Inputs: files (plain or .gz), - for standard input. Role (proxy access log,
proxy error log, app log) and format are detected from the first lines; force
them with these (a role a file's first lines plainly contradict, nginx's error
log given as --app, an access log as --proxy-errors, is refused: exit 2):
  --proxy FILE          a proxy access log
  --proxy-errors FILE   a proxy error log
  --app [NAME=]FILE     an app log (NAME labels the service); all FILE when it
                        names a file, or when the part before = has a / or
                        starts with . or ~
  --cmd 'COMMAND'       read a command's output (kubectl logs -f ...,
                        journalctl -f ...)
  --format NAME         parse inputs of that format's role with NAME
  --log-format 'FMT'    an nginx log_format string ('escape=json ...' allowed)
  --nginx-conf PATH     read log_format/access_log from an nginx config
                        (default /etc/nginx/nginx.conf when it exists)
  --app-request-id KEY  the app log's key (or a regexp, for plain text) holding
                        the request id, when it is not one fivexx knows
  --app-skew DURATION   the app's clock runs this far ahead of the proxy's (3s,
                        -1.5s); default: estimated from request ids
  --upstream-timeout DURATION
                        the proxy waits this long for an upstream (nginx
                        proxy_read_timeout): a 504 without a request time looks
                        this far back for its app lines; default: the nginx
                        config's longest *_read_timeout, else 60s
Live only:
  --from-start          read what the files hold first (default: start at their
                        end)
  --cmd-restart         restart --cmd commands when they exit, with backoff
With no input, fivexx looks in the standard places (/var/log/nginx/...).

Exit status (live): 0 when quit with q (a warning then names each input that
never worked: one that failed, and a file not there, a FIFO with no writer or
a --cmd that exited, any of them without a line), 1 when the UI or a reader
crashed, 2 on bad usage (an unknown flag, a directory as input, no input
found, a role its file's lines contradict), 128+N when stopped by signal N
(130 Ctrl-C, the key in the UI or SIGINT, 143 SIGTERM, 129 SIGHUP).
`

func usage(w io.Writer) { fmt.Fprint(w, usageText) }

// commandHelp is what each subcommand's --help says above its flags: how
// it is called, what it does, and its exit status.
var commandHelp = map[string]string{
	"report": `Usage: fivexx report [--json | --events] [flags] INPUT...

Reads every input to its end and summarises: the inputs, status counts, the
causes of the 5xx, the upstreams, and what the inputs cannot tell (advice).
--json writes it as one JSON object: inputs [{path, service?, role, format,
lines, parsed, unparsed, startup?, blank?, continued?, lines_cut?,
lines_repeated?, repeated_in?, problem?}] (service is the NAME of --app
NAME=FILE; lines is parsed + unparsed + startup + blank + continued;
lines_repeated are its last lines, the first of input repeated_in, read
there), requests, status {"502": n}, causes {cause: n},
upstreams [{name, requests, status, causes, latency_ms {p50, p95, p99},
app_coverage or null, failed_attempts? (its attempts the proxy retried on
another server), upstreams? ((other) alone: how many upstreams it holds)}],
window {first, last}, advice [{problem, fix}], and, only when there are
some, cut_after_headers, no_status_line (nginx's 009s), error_log_failures,
error_log_statuses (? marks a key left out when 0 or empty). --events writes
one NDJSON line per proxy 5xx: time, status, upstream, upstream_status,
request_id, method, path, cause, confidence, evidence [], app_lines, hint,
source. README.md, "Report contract", says what each holds. The causes:
fivexx explain.

Exit status: 0 on success (also when the output is a pipe its reader closed,
as | head does: no message), 1 when the output cannot be written or an input
failed while read (the report of the lines read is still written), 2 on bad
usage, an input unreadable at start, or one given a role its first lines
contradict (the message names it).
`,
	"replay": `Usage: fivexx replay [--speed N|max] [--from TIME] [--to TIME] [flags] INPUT...

Plays recorded logs (plain or gzip) in the UI, merged by timestamp, their
gaps divided by --speed. Keys: space pause, +/- speed, n on to the next
verdict, q quit, ? help.

Exit status: 0 when quit with q, 1 when an input failed while read or the
UI failed, 2 on bad usage or an unreadable input, 128+N when stopped by
signal N (130 Ctrl-C, the key in the UI or SIGINT).
`,
	"demo": `Usage: fivexx demo [NAME | --scenario NAME] [--seed N] [--speed N|max]
                   [--train] [--list]
       fivexx demo --write DIR [--duration 60s] [--start TIME] [--force] [NAME]

Runs a built-in incident (no input needed): real nginx access and error lines
and JSON app lines through the same parsers and UI. With no NAME it plays
every scenario in turn, 60 s each (--each), the incidents first (deploy-crash's
deploy starts 10 s in) and the healthy baseline last; the replay line names the
scenario playing and the next one. --write writes the lines to files in DIR
instead, to practise on with replay or report: --duration 60s holds
deploy-crash, 8m every scenario once, NAME just that one. --each and
--duration take 60s at least, one pass of a scenario (its failures come 10 s
to 53 s in); --duration and --force go with --write, --train and --speed
without it, and --list with no other flag.

Exit status: 0 on success, 1 when the UI or writing failed, 2 on bad usage,
128+N when the UI was stopped by signal N (130 Ctrl-C, the key or SIGINT).
`,
	"explain": `Usage: fivexx explain [CODE | formats]

Prints the field guide for a status (500, 502, 503, 504, 429, and Cloudflare's
own 520-527 and 530): what makes it, how fivexx tells the causes apart, what to
look at. "formats" lists the log formats fivexx reads and how it detects them;
with no argument, everything.

Exit status: 0 on success (also when the output is a pipe its reader closed),
1 when the output cannot be written, 2 for a topic it has no guide for.
`,
	"version": `Usage: fivexx version

Prints the version this build carries: the module's (go install
fivexx@v1.2.0), else "devel" and the VCS revision it was built from.

Exit status: 0 on success, 1 when it cannot be written, 2 when the build
carries no version.
`,
}

// subUsage makes fs print name's help and its flags, for a parse error
// (on stderr, with the error, as the flag package does).
func subUsage(fs *flag.FlagSet, name string) {
	fs.Usage = func() { writeCommandHelp(fs.Output(), fs, name) }
}

func writeCommandHelp(w io.Writer, fs *flag.FlagSet, name string) {
	fmt.Fprint(w, commandHelp[name])
	if fs == nil {
		return
	}
	fmt.Fprint(w, "\nFlags:\n")
	printFlags(w, fs)
}

// flagLine is the line the flag package's PrintDefaults starts a flag
// with: two spaces, one dash, the name.
var flagLine = regexp.MustCompile(`(?m)^  -([A-Za-z])`)

// printFlags is fs.PrintDefaults with each flag written --name, as the
// general help, README.md and every message write it: it printed
// "-json", "-app NAME=FILE" (QA s32). The flag package reads both forms.
// Its descriptions are wrapped at helpWidth, as the help above them is:
// the flag package writes each on one line, 170 columns for --app.
func printFlags(w io.Writer, fs *flag.FlagSet) {
	var b bytes.Buffer
	out := fs.Output()
	fs.SetOutput(&b)
	fs.PrintDefaults()
	fs.SetOutput(out)
	io.WriteString(w, wrapFlagUsage(flagLine.ReplaceAllString(b.String(), "  --$1")))
}

// helpWidth is the width every --help is wrapped at.
const helpWidth = 80

// flagIndent is how PrintDefaults starts a description's line: four
// spaces and a tab, to column 8.
const flagIndent = "    \t"

// wrapFlagUsage wraps each description line of PrintDefaults' text at
// helpWidth, between words; a word longer than the line stays whole.
func wrapFlagUsage(text string) string {
	lines := strings.Split(text, "\n")
	var out []string
	for _, l := range lines {
		rest, ok := strings.CutPrefix(l, flagIndent)
		if !ok {
			out = append(out, l)
			continue
		}
		line := ""
		for _, word := range strings.Fields(rest) {
			if line != "" && 8+len([]rune(line))+1+len([]rune(word)) > helpWidth {
				out = append(out, flagIndent+line)
				line = ""
			}
			if line != "" {
				line += " "
			}
			line += word
		}
		out = append(out, flagIndent+line)
	}
	return strings.Join(out, "\n")
}

// askedForHelp says whether args (as interleave orders them) ask for the
// help: -h, -help or --help before "--". Help asked for goes to standard
// output with exit status 0 (fivexx report --help | less); the flag
// package printed it on stderr.
func askedForHelp(args []string) bool {
	for _, a := range args {
		switch a {
		case "--":
			return false
		case "-h", "-help", "--help", "--h":
			return true
		}
	}
	return false
}

// helpTopics are the commands fivexx help CMD gives the help of.
var helpTopics = []string{"report", "replay", "demo", "explain", "version"}

// helpOf is the command that prints name's help for name --help.
func helpOf(name string) func(args []string, stdout, stderr io.Writer) int {
	switch name {
	case "report":
		return cmdReport
	case "replay":
		return cmdReplay
	case "demo":
		return cmdDemo
	case "explain":
		return cmdExplain
	case "version":
		return cmdVersion
	}
	return nil
}

// cmdHelp is fivexx help [CMD]: the general help, or CMD --help. It gave
// the general help whatever followed: help report, help nosuch, help
// --json.
func cmdHelp(args []string, stdout, stderr io.Writer) int {
	switch {
	case len(args) == 0 || len(args) == 1 && (args[0] == "help" || askedForHelp(args)):
		usage(stdout)
		return 0
	case len(args) > 1:
		printError(stderr, fmt.Sprintf("help takes one command, not %q (fivexx --help lists the commands)", strings.Join(args, " ")))
		return 2
	}
	name := args[0]
	if cmd := helpOf(name); cmd != nil {
		return cmd([]string{"--help"}, stdout, stderr)
	}
	best, bestD := "", 3
	for _, c := range helpTopics {
		if d := editDistance(strings.ToLower(strings.TrimLeft(name, "-")), c); d < bestD {
			best, bestD = c, d
		}
	}
	if best != "" {
		printError(stderr, fmt.Sprintf("%q is no command: did you mean %s? (fivexx help %s)", name, best, best))
	} else {
		printError(stderr, fmt.Sprintf("%q is no command; fivexx help takes one of %s (fivexx --help lists them)", name, strings.Join(helpTopics, ", ")))
	}
	return 2
}

// commands are the subcommands, for "did you mean".
var commands = []string{"report", "replay", "explain", "demo", "help"}

// mistypedCommand is the subcommand arg is one edit from (a letter added,
// dropped, changed, or two swapped: reprot, repot), when arg names no file:
// "fivexx reprot access.log" started the live UI, waiting for a file
// "reprot". It is "" when arg is a file, looks like a path, or is near no
// command.
func mistypedCommand(arg string) string {
	if arg == "" || arg[0] == '-' || strings.ContainsAny(arg, "/.") {
		return ""
	}
	if _, err := os.Lstat(arg); err == nil {
		return ""
	}
	for _, c := range commands {
		if editDistance(strings.ToLower(arg), c) <= 1 {
			return c
		}
	}
	return ""
}

// editDistance is the optimal string alignment distance: insertions,
// deletions, substitutions and swaps of two neighbours cost one each.
func editDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	d := make([][]int, len(ra)+1)
	for i := range d {
		d[i] = make([]int, len(rb)+1)
		d[i][0] = i
	}
	for j := range d[0] {
		d[0][j] = j
	}
	for i := 1; i <= len(ra); i++ {
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			d[i][j] = min(d[i-1][j]+1, d[i][j-1]+1, d[i-1][j-1]+cost)
			if i > 1 && j > 1 && ra[i-1] == rb[j-2] && ra[i-2] == rb[j-1] {
				d[i][j] = min(d[i][j], d[i-2][j-2]+1)
			}
		}
	}
	return d[len(ra)][len(rb)]
}
