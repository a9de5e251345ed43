package main

import (
	"time"

	"errors"
	"fivexx/classify"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"

	"fivexx/sources"
	"fivexx/sources/nginx"
	_ "fivexx/sources/parsers" // registers every log format
)

// multi is a repeatable string flag.
type multi []string

func (m *multi) String() string     { return strings.Join(*m, ",") }
func (m *multi) Set(s string) error { *m = append(*m, s); return nil }

// inputFlags are the flags every mode that reads inputs shares.
type inputFlags struct {
	proxy, proxyErrors, app, cmds multi
	format, logFormat, nginxConf  string
	// logFormatSet: --log-format was given, maybe as "" (the shell
	// emptied "$status" in double quotes).
	logFormatSet    bool
	appRequestID    string
	appSkew         string
	upstreamTimeout string
	// confReadTimeout is the nginx config's longest *_read_timeout, when
	// the config is the one of the logs given (applyNginxConf).
	confReadTimeout time.Duration
	// confNeverDown, from the same config, names the upstream groups
	// that mark no server down (max_fails=0 on each).
	confNeverDown         map[string]bool
	fromStart, cmdRestart bool
	// notes is what reading the inputs' heads found before reading (a
	// log given twice under two names: samelog.go), for the advice.
	notes []classify.Advice
	// heads is what was peeked of the inputs' heads (heads.go).
	heads headCache
	// errorZonePeeked says the peek gave the nginx error logs their zone
	// (errorLogZones); live, they otherwise take it from the first access
	// line (classify.Config.ErrorZoneFromAccess).
	errorZonePeeked bool
	// errorZone is the zone the peek found the nginx access logs in (nil:
	// the machine's), when errorZoneFound, for the error logs that could
	// not be peeked (linkErrorZones).
	errorZone      *time.Location
	errorZoneFound bool
}

func (f *inputFlags) register(fs *flag.FlagSet, live bool) {
	fs.Var(&f.proxy, "proxy", "a proxy access log `FILE` (repeatable)")
	fs.Var(&f.proxyErrors, "proxy-errors", "a proxy error log `FILE` (repeatable)")
	fs.Var(&f.app, "app", "an app log: FILE, or `NAME=FILE` to label its service (repeatable); all FILE when it names a file, or when the part before = has a / or starts with . or ~")
	fs.Var(&f.cmds, "cmd", "read the standard output of `COMMAND` (repeatable)")
	fs.StringVar(&f.format, "format", "", "parse inputs of this format's role with format `NAME` (fivexx explain formats)")
	fs.Func("log-format", "nginx log_format `STRING` for the access log", func(s string) error {
		f.logFormat, f.logFormatSet = s, true
		return nil
	})
	fs.StringVar(&f.nginxConf, "nginx-conf", "", "nginx config `PATH` to read log formats from (default /etc/nginx/nginx.conf when it exists)")
	fs.StringVar(&f.appRequestID, "app-request-id", "", "app log `KEY` or regexp holding the request id")
	fs.StringVar(&f.appSkew, "app-skew", "", "the app's clock runs `DURATION` ahead of the proxy's (e.g. 3s, -1.5s); default: estimated from request ids")
	fs.StringVar(&f.upstreamTimeout, "upstream-timeout", "", "the proxy waits `DURATION` for an upstream's answer (nginx proxy_read_timeout): a 504 without a request time looks this far back for its app lines; default: the nginx config's longest *_read_timeout, else 60s")
	if live {
		fs.BoolVar(&f.fromStart, "from-start", false, "read existing content first instead of starting at the end")
		fs.BoolVar(&f.cmdRestart, "cmd-restart", false, "restart --cmd commands when they exit, with backoff")
	}
}

// engineConfig fills what the flags say about the engine into cfg.
func (f *inputFlags) engineConfig(cfg classify.Config) (classify.Config, error) {
	cfg.Notes = f.notes
	skew, err := f.appSkewValue()
	if err != nil {
		return cfg, err
	}
	cfg.AppSkew = skew
	cfg.MergedByPaths, cfg.AppSkewHint = mergeShifts(cfg.Inputs, cfg.AppSkew, &f.heads) // headskew.go
	cfg.UpstreamTimeout = f.confReadTimeout
	cfg.NeverDown = f.confNeverDown
	if d, err := f.upstreamTimeoutValue(); err != nil {
		return cfg, err
	} else if d > 0 {
		cfg.UpstreamTimeout = d
	}
	return cfg, nil
}

// checkValues fails on a flag value that does not read, with the message
// engineConfig gives, before any input is looked at: each command calls
// it right after parsing its flags. "report --app-skew fast x" said
// "cannot read input x", and live without a terminal "not a terminal",
// before the flag's value was read (QA s32 F7).
func (f *inputFlags) checkValues() error {
	if _, err := f.appSkewValue(); err != nil {
		return err
	}
	_, err := f.upstreamTimeoutValue()
	return err
}

// appSkewValue is --app-skew's duration, nil when it is not given.
func (f *inputFlags) appSkewValue() (*time.Duration, error) {
	if f.appSkew == "" {
		return nil, nil
	}
	d, err := time.ParseDuration(f.appSkew)
	if err != nil {
		// It said "--app-skew: time: invalid duration "fast"".
		return nil, usageError{fmt.Sprintf("--app-skew takes a duration, less than 0 when the app's clock is behind: 3s, -1.5s, 250ms; not %q", f.appSkew)}
	}
	return &d, nil
}

// upstreamTimeoutValue is --upstream-timeout's duration, 0 when it is not
// given.
func (f *inputFlags) upstreamTimeoutValue() (time.Duration, error) {
	if f.upstreamTimeout == "" {
		return 0, nil
	}
	d, err := time.ParseDuration(f.upstreamTimeout)
	if err != nil || d <= 0 {
		return 0, usageError{fmt.Sprintf("--upstream-timeout takes a duration more than 0 such as 60s or 5m (nginx's proxy_read_timeout); not %q", f.upstreamTimeout)}
	}
	return d, nil
}

// withHint is msg, the error err reading path, with what lets fivexx read
// it when it is "permission denied" (sources.PermissionHint).
func withHint(msg, path string, err error) string {
	if h := sources.PermissionHint(path, err); h != "" {
		return msg + "; " + h
	}
	return msg
}

// defaultPlaces are looked at when no input is given.
var defaultPlaces = []string{
	"/var/log/nginx/access.log", "/var/log/nginx/error.log",
	"/var/log/haproxy.log", "/var/log/caddy/access.log",
}

// emptyPlaceFormat is the format of a standard place that is empty at
// start, where no line tells one: nginx's error log is empty until a
// request fails, and it was role "unknown", format "" in report --json,
// while the advice called it the error log (QA s32, L4). Live, the lines
// nginx writes to it later are read as its error log's.
var emptyPlaceFormat = map[string]string{"/var/log/nginx/error.log": "nginx-error"}

// usageError is bad usage: exit status 2 with the message.
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

// specs builds the input specs from flags and positional arguments.
func (f *inputFlags) specs(args []string, stderr interface{ Write([]byte) (int, error) }) ([]sources.Spec, error) {
	opts := sources.ParserOptions{}
	if f.appRequestID != "" {
		if strings.ContainsAny(f.appRequestID, `()[]\*+?^$|`) {
			re, err := regexp.Compile(f.appRequestID)
			if err != nil {
				return nil, usageError{fmt.Sprintf("--app-request-id: %v", err)}
			}
			opts.RequestIDRegex = re
		} else {
			opts.RequestIDKey = f.appRequestID
		}
	}
	prefer := map[sources.Role]string{}
	if f.format != "" {
		ff, ok := sources.LookupFormat(f.format)
		if !ok {
			return nil, usageError{fmt.Sprintf("unknown format %q; known: %s", f.format, formatNames())}
		}
		prefer[ff.Role] = ff.Name
	}
	if f.logFormatSet && strings.TrimSpace(f.logFormat) == "" {
		return nil, usageError{"--log-format has no $variables: quote it with '…' so the shell leaves them"}
	}
	if f.logFormat != "" {
		opts.LogFormat, opts.Escape = splitEscape(f.logFormat)
		if err := checkLogFormat(opts.LogFormat, opts.Escape); err != nil {
			return nil, err
		}
		prefer[sources.RoleProxy] = "nginx"
	}
	var specs []sources.Spec
	add := func(path string, role sources.Role, service string) {
		o := opts
		o.Service = service
		specs = append(specs, sources.Spec{Path: path, Role: role, Prefer: prefer, Opts: o})
	}
	for _, p := range args {
		add(p, sources.RoleUnknown, "")
	}
	for _, p := range f.proxy {
		add(p, sources.RoleProxy, "")
	}
	for _, p := range f.proxyErrors {
		add(p, sources.RoleProxyErrors, "")
	}
	for _, a := range f.app {
		name, path := appNameFile(a)
		if path == "" {
			// "cannot read input : no such file or directory" named no path.
			return nil, usageError{fmt.Sprintf("--app %q names no FILE: give one, e.g. --app %q", a, a+"app.log")}
		}
		add(path, sources.RoleApp, name)
	}
	for _, s := range specs {
		if s.Path == "" {
			return nil, usageError{"an input is an empty path (\"\"): a shell variable that was empty? name a file, or - for standard input"}
		}
	}
	for _, c := range f.cmds {
		if strings.TrimSpace(c) == "" {
			// sh -c '' exits 0 at once: it was read as an input "cmd: "
			// that is empty, exit 0, where --proxy '' is refused.
			return nil, usageError{fmt.Sprintf("--cmd %q is an empty command: a shell variable that was empty? give the command whose output to read, e.g. --cmd 'kubectl logs -f deploy/api'", c)}
		}
		specs = append(specs, sources.Spec{Path: c, Command: true, Prefer: prefer, Opts: opts})
	}
	if len(specs) == 0 {
		var found []string
		for _, p := range defaultPlaces {
			// One that cannot be looked up for its directory's
			// permissions may be there: read, it says so and what lets
			// fivexx read it ("none found" sent the user looking).
			st, err := os.Stat(p)
			if err == nil && !st.IsDir() || errors.Is(err, fs.ErrPermission) {
				found = append(found, p)
				add(p, sources.RoleUnknown, "")
			}
			if ff, ok := sources.LookupFormat(emptyPlaceFormat[p]); ok && err == nil && st.Mode().IsRegular() && st.Size() == 0 {
				// No line tells its role: its place does.
				specs[len(specs)-1].Role, specs[len(specs)-1].Format = ff.Role, ff.Name
			}
		}
		if len(found) == 0 {
			return nil, usageError{"no inputs given, and none found in the standard places (" + strings.Join(defaultPlaces, ", ") + "); name the proxy and app logs: fivexx access.log error.log app.log"}
		}
		fmt.Fprintf(stderr, "fivexx: no inputs given; found %s\n", strings.Join(found, ", "))
	}
	// Before anything else peeks at them: no line of these is read, so
	// none tells a zone, a role or a format.
	f.notReadOwnOutput(specs, stderr)
	if err := f.applyNginxConf(specs); err != nil {
		return nil, err
	}
	f.proxyByGivenFormat(specs)
	appAccessByRequests(specs, &f.heads)
	f.errorZonePeeked, f.errorZone, f.errorZoneFound = errorLogZones(specs, stderr, &f.heads)
	return specs, nil
}

// appNameFile splits an --app argument into the service's NAME and the
// FILE. A path may hold '=' (./ts=2024.log, /var/log/app=1.log): split
// there, it was read as service "./ts" and file 2024.log, which does not
// exist. So the argument is all FILE when it names a file as it is, or
// when the part before '=' is no service name but a path's start: it has
// a '/' or '\', or starts with '.' or '~'. A NAME is a plain label (api,
// orders-v2); live, a FILE that is not there yet is told by that rule
// alone.
func appNameFile(arg string) (name, path string) {
	name, path, ok := strings.Cut(arg, "=")
	if !ok || name == "" || strings.ContainsAny(name, `/\`) || strings.HasPrefix(name, ".") || strings.HasPrefix(name, "~") {
		return "", arg
	}
	if _, err := os.Stat(arg); err == nil {
		return "", arg
	}
	return name, path
}

// applyNginxConf gives nginx access logs named in the config the
// log_format their access_log uses.
func (f *inputFlags) applyNginxConf(specs []sources.Spec) error {
	conf := f.nginxConf
	explicit := conf != ""
	if !explicit {
		conf = "/etc/nginx/nginx.conf"
		if _, err := os.Stat(conf); err != nil {
			return nil
		}
	}
	c, err := nginx.ReadConf(conf)
	if err != nil {
		if explicit {
			return usageError{fmt.Sprintf("--nginx-conf %s: %v", conf, err)}
		}
		return nil
	}
	formats := c.LogFormats
	// The config's read timeout is the logs' when it was given, or when
	// it names one of them: the box's own nginx.conf says nothing of logs
	// copied from elsewhere.
	ours := explicit
	for _, s := range specs {
		if abs, err := filepath.Abs(s.Path); err == nil && !s.Command {
			_, named := formats[abs]
			ours = ours || named
		}
	}
	if ours {
		f.confReadTimeout = c.ReadTimeout
		f.confNeverDown = c.NeverDown
	}
	byBase := map[string][]string{}
	for p := range formats {
		byBase[filepath.Base(p)] = append(byBase[filepath.Base(p)], p)
	}
	for i := range specs {
		s := &specs[i]
		if s.Command || s.Path == "-" || s.Format != "" || f.logFormat != "" {
			continue
		}
		abs, _ := filepath.Abs(s.Path)
		spec, ok := formats[abs]
		if !ok && explicit {
			// A copied log keeps its name: match by base name when unique.
			if c := byBase[filepath.Base(s.Path)]; len(c) == 1 {
				spec, ok = formats[c[0]]
			}
		}
		if !ok {
			continue
		}
		s.Opts.LogFormat, s.Opts.Escape = spec.Format, spec.Escape
		s.Format = "nginx"
		s.Role = sources.RoleProxy
	}
	return nil
}

// checkLogFormat fails --log-format's string as bad usage when it does not
// compile: it was read file by file, each input's problem "format nginx:
// nginx: log_format: no variables in the format", with exit 0 and 0
// requests. A string without a $variable is most often one the shell
// emptied (written in double quotes).
func checkLogFormat(format, escape string) error {
	_, err := nginx.Compile(format, escape)
	switch {
	case err == nil:
		return nil
	case !strings.Contains(format, "$"):
		return usageError{"--log-format has no $variables: quote it with '…' so the shell leaves them"}
	}
	return usageError{"--log-format: " + strings.TrimPrefix(err.Error(), "log_format: ")}
}

// splitEscape takes an optional leading "escape=MODE " off a log_format string.
func splitEscape(s string) (format, escape string) {
	s = strings.TrimSpace(s)
	if strings.HasPrefix(s, "escape=") {
		mode, rest, _ := strings.Cut(s[len("escape="):], " ")
		return strings.TrimSpace(rest), mode
	}
	return s, "default"
}

func formatNames() string {
	var n []string
	for _, f := range sources.Formats() {
		n = append(n, f.Name)
	}
	return strings.Join(n, ", ")
}

// newInputs makes inputs from specs, failing early on unreadable files
// and on a file given twice.
func newInputs(specs []sources.Spec, mustExist bool) ([]*sources.Input, error) {
	if err := givenTwice(specs); err != nil {
		return nil, err
	}
	var ins []*sources.Input
	for i, s := range specs {
		if s.Format != "" {
			if _, ok := sources.LookupFormat(s.Format); !ok {
				return nil, usageError{fmt.Sprintf("unknown format %q", s.Format)}
			}
		}
		if !mustExist && !s.Command && s.Path != "-" {
			// Live waits for a file that is not there yet, but a directory
			// will never become a log: it was retried every 5 s for ever,
			// with the reason cut to "read error: open…".
			if st, err := os.Stat(s.Path); err == nil && st.IsDir() {
				return nil, usageError{fmt.Sprintf("cannot read input %s: is a directory", s.Path)}
			}
		}
		if mustExist {
			if err := sources.CheckReadable(s); err != nil {
				msg := err.Error()
				var pe *os.PathError
				if errors.As(err, &pe) {
					msg = pe.Err.Error()
				}
				return nil, usageError{fmt.Sprintf("cannot read input %s: %s", s.Path, withHint(msg, s.Path, err))}
			}
		}
		ins = append(ins, sources.NewInput(i, s))
	}
	return ins, nil
}

// givenTwice fails when two inputs are the same file (by path, or the same
// file under two names: a link, ./access.log) or both standard input:
// its lines would be counted twice, or standard input split between two
// readers at random. Standard input goes by "-" and by the names the
// system gives it (stdinPath): report - /dev/stdin read a redirected file
// twice and split a pipe between two readers. Each name of it stands for
// the file it is (os.Stdin.Stat), so "- access.log < access.log" is the
// same input twice too.
func givenTwice(specs []sources.Spec) error {
	type seen struct {
		path, key string
		st        os.FileInfo
		stdin     bool
	}
	var files []seen
	for _, s := range specs {
		if s.Command {
			continue
		}
		cur := seen{path: s.Path, key: s.Path, stdin: stdinPath(s.Path)}
		if cur.stdin {
			cur.key = "-"
			cur.st, _ = os.Stdin.Stat()
		} else {
			if abs, err := filepath.Abs(s.Path); err == nil {
				cur.key = abs
			}
			cur.st, _ = os.Stat(s.Path)
		}
		for _, f := range files {
			if f.key != cur.key && (cur.st == nil || f.st == nil || !os.SameFile(cur.st, f.st)) {
				continue
			}
			switch {
			case (cur.stdin || f.stdin) && f.path == cur.path:
				return usageError{fmt.Sprintf("standard input (%s) is given twice: it can be read once", cur.path)}
			case cur.stdin || f.stdin:
				return usageError{fmt.Sprintf("standard input (%s and %s) is given twice: it can be read once", f.path, cur.path)}
			}
			if f.path != cur.path {
				// A link beside its target, or ./access.log: named alone,
				// the one it duplicates had to be guessed.
				return usageError{fmt.Sprintf("input %s is given twice: it is the same file as %s (a file is read once)", cur.path, f.path)}
			}
			return usageError{fmt.Sprintf("input %s is given twice (a file is read once)", s.Path)}
		}
		files = append(files, cur)
	}
	return nil
}

// stdinPath says whether path names standard input: "-", or a name the
// system gives file descriptor 0 (Linux's /dev/stdin and /proc/self/fd/0,
// and /dev/fd/0 there and on the BSDs and macOS), which the readers open
// as a file.
func stdinPath(path string) bool {
	if path == "-" {
		return true
	}
	switch filepath.Clean(path) {
	case "/dev/stdin", "/dev/fd/0", "/proc/self/fd/0", "/proc/thread-self/fd/0",
		"/proc/" + strconv.Itoa(os.Getpid()) + "/fd/0":
		return true
	}
	return false
}
