package main

import (
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
