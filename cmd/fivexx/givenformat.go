package main

import (
	"fmt"
	"strings"

	"fivexx/classify"
	"fivexx/sources"
	"fivexx/sources/nginx"
)

// givenFormatReads says whether the log_format the user gave
// (--log-format) reads the lines of a file's head as requests: at least
// one, and at least half of its non-blank lines (a container's stream
// holds nginx's error and start-up lines too).
func givenFormatReads(p *nginx.AccessParser, lines []string) bool {
	read, nonBlank := 0, 0
	for _, l := range lines {
		if blankLine(l) {
			continue
		}
		nonBlank++
		if rec, err := p.Parse(l); err == nil && rec != nil {
			read++
		}
	}
	return read > 0 && 2*read >= nonBlank
}

// proxyByGivenFormat makes every file input of no given role whose head
// the --log-format string reads an nginx access log, as --proxy FILE
// would. The "nginx" format has no line detection of its own (it needs the
// string), so detection took a layout starting with [$time_local],
// $time_iso8601 or $msec for an app's (logfmt, plain text) and the
// preference for proxy inputs never applied: 0 requests. A file the
// string does not read (the error log, an app log) keeps its detection.
// Standard input and --cmd cannot be peeked: they keep the preference.
func (f *inputFlags) proxyByGivenFormat(specs []sources.Spec) {
	if f.logFormat == "" {
		return
	}
	format, escape := splitEscape(f.logFormat)
	p, err := nginx.Compile(format, escape)
	if err != nil {
		return // the input that reads it reports the error
	}
	for i := range specs {
		s := &specs[i]
		if s.Role != sources.RoleUnknown || s.Format != "" || !peekable(*s) {
			continue
		}
		if lines, _ := f.heads.head(s.Path); givenFormatReads(p, lines) {
			s.Role = sources.RoleProxy
		}
	}
}

// blankLine says whether l is white space only.
func blankLine(l string) bool {
	for i := 0; i < len(l); i++ {
		switch l[i] {
		case ' ', '\t', '\r':
		default:
			return false
		}
	}
	return true
}

// givenFormatReadNone gives each input that a format given by the user
// read none of (--format, --log-format, an nginx.conf log_format) a
// problem and an advice in snap: it had no problem, no advice and exit
// 0, "0 requests" (--format haproxy on an nginx log, --format app-logfmt
// on a JSON app log: 501 of 501 unparsed). The advice names what the
// input looks like to detection, from its head (or, for standard input
// and --cmd, its unparsed samples).
func (f *inputFlags) givenFormatReadNone(snap *classify.Snapshot, ins []*sources.Input) {
	var advice []classify.Advice
	for i, in := range ins {
		if i >= len(snap.Inputs) {
			break
		}
		st := &snap.Inputs[i]
		if st.Lines == 0 || st.Parsed > 0 || st.Unparsed == 0 || !strings.HasPrefix(in.Detected(), "forced") {
			continue
		}
		name := in.Format().Name
		flagName, drop := "--format "+name, "drop --format"
		switch {
		case f.logFormat != "" && name == "nginx":
			flagName, drop = "--log-format", "drop --log-format"
		case name == "nginx":
			flagName, drop = "the log_format "+f.confName()+" gives it", "give its log_format with --log-format '…'"
		}
		looks := ""
		lines := st.Samples
		if peekable(in.Spec) {
			lines, _ = f.heads.head(in.Spec.Path)
		}
		if det, _, err := sources.DetectSample(lines, sources.RoleUnknown).Resolve(sources.Spec{}); err == nil && det.Name != name {
			looks = det.Name
		}
		st.State = fmt.Sprintf("none of its lines read as %s, given with %s", name, flagName)
		fix := drop + " to detect it"
		if looks != "" {
			st.State += "; it looks like " + looks
			fix += " (it looks like " + looks + ")"
		} else {
			fix += ", or see fivexx explain formats for the formats fivexx reads"
		}
		if name == "nginx" {
			fix += ", or give the log_format its access_log uses (nginx -T | grep log_format)"
		}
		advice = append(advice, classify.Advice{
			Problem: fmt.Sprintf("%s: 0 of %d lines read as %s, given with %s: nothing of it is in this report", in.Spec.Label(), st.Lines, name, flagName),
			Fix:     fix,
		})
	}
	snap.Advice = append(advice, snap.Advice...)
}

// confName is the nginx config the log formats came from.
func (f *inputFlags) confName() string {
	if f.nginxConf != "" {
		return f.nginxConf
	}
	return "/etc/nginx/nginx.conf"
}
