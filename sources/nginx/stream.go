package nginx

// stream.go reads the nginx error lines that share a stream with nginx's
// access lines. The official nginx image sends the access log to stdout
// and the error log to stderr, so `docker logs`, `kubectl logs`, a
// container's CRI or json-file log and `--cmd 'docker logs -f web'` give
// one stream of both; the error line of a failed request comes just
// before its access line. Those error lines tell refused from reset and
// the phase of a timeout (formats.md §2), so every nginx access format
// reads them as the nginx-error format does, into sources.ProxyError
// records, as ingress-nginx's does for its controller's stream. The rules
// are:
//   - The access parser runs first, its fast paths and all, and stays the
//     format's parser (no wrapper: the profile that guides the build
//     devirtualizes its calls): an access line costs what it cost, plus
//     keeping its time. Only a line it fails is handed over (its failure
//     returns call errorLines.failed), and two bytes ('/' after the year,
//     ' ' after the date) send back nearly every line that is no error
//     line; only a line with the whole header "YYYY/MM/DD HH:MM:SS [level]
//     PID#TID: " is read as one. Every other line stays unparsed, as
//     before. The parsers detection borrows, and those inside another
//     parser, have no errorLines (nil): they read access lines only.
//   - An error line's time has no zone; the same nginx writes its access
//     lines' offset in the same local time. So it is read at the offset of
//     the access line before it (a container in UTC read on a laptop in
//     Berlin put every error line an hour off its request, and none
//     joined), or before any, at the offset of the first access line among
//     the lines held for detection (Prime: the error line of a failed
//     request comes first), or in ParserOptions.Location when the user set
//     one, or in the local zone when no access line came yet.
//   - Detection is not changed: the access formats score an error line 0
//     (all but ingress-nginx, whose controller's stream often opens with
//     them: detectIngress), so an error log alone is still nginx-error's,
//     and a stream of both is decided by its access lines
//     (sources/startup.go).
//   - The access formats stay Stateless (parsed in parallel by chunks, each
//     with its own parser): an error line is read at the offset of the
//     access line before it in its chunk. Only the error lines that open a
//     worker's first chunk, before any access line in it, have none; they
//     fall back as above. With a zone that changes no offset (the reader's
//     zone is the stream's, or Location is given) that is the same time.

import (
	"fmt"
	"strings"
	"time"

	"fivexx/sources"
)

// errorLines reads the nginx error lines of an access stream, in the zone
// of the access lines around them. Its methods take a nil receiver: the
// parser has none, and fails what it fails.
type errorLines struct {
	location *time.Location // ParserOptions.Location: nil unless the user set one
	// ahead makes a parser of the format, to read held lines ahead with
	// (prime).
	ahead func() sources.Parser
	// last is the time of the last access line (zero before any); errs
	// reads in its offset (off), and is made again when that changes.
	last time.Time
	errs *ErrorParser
	off  int
	// errsLocal says errs reads in location or the local zone: no access
	// line had come when it was made.
	errsLocal bool
	// klog says the stream is the ingress-nginx controller's, whose own
	// klog lines are read too (klog.go).
	klog bool
}

// errorLineReader is an access parser that reads the error lines in its
// stream once it is given an errorLines.
type errorLineReader interface {
	sources.Parser
	readErrorLines(l *errorLines)
}

// readsErrorLines turns the New of an nginx access format into one whose
// parsers read the error lines in its stream too.
func readsErrorLines(newAccess func(sources.ParserOptions) (sources.Parser, error)) func(sources.ParserOptions) (sources.Parser, error) {
	return readsStream(newAccess, false)
}

// readsControllerLines is readsErrorLines for the ingress-nginx
// controller's stream, whose own klog lines its parsers read too.
func readsControllerLines(newAccess func(sources.ParserOptions) (sources.Parser, error)) func(sources.ParserOptions) (sources.Parser, error) {
	return readsStream(newAccess, true)
}

func readsStream(newAccess func(sources.ParserOptions) (sources.Parser, error), klog bool) func(sources.ParserOptions) (sources.Parser, error) {
	return func(opts sources.ParserOptions) (sources.Parser, error) {
		p, err := newAccess(opts)
		if err != nil {
			return nil, err
		}
		r, ok := p.(errorLineReader)
		if !ok {
			panic(fmt.Sprintf("nginx: %T cannot read error lines", p)) // a parser of this package's
		}
		r.readErrorLines(&errorLines{location: opts.Location, klog: klog, ahead: func() sources.Parser {
			q, _ := newAccess(opts) // it worked for the same options
			return q
		}})
		return p, nil
	}
}

// accessLine notes the time of an access line: the error lines after it
// are read at its offset.
func (l *errorLines) accessLine(t time.Time) {
	if l != nil && !t.IsZero() {
		l.last = t
	}
}

// failed answers for a line the access parser failed with err: an error
// line's record, or err for any other line. owned says the line's text
// stays as it is; a slot's text is written again, so the record gets a
// copy.
func (l *errorLines) failed(line string, err error, owned bool) (sources.Record, error) {
	// Two bytes first: the access line that failed its match, or the
	// program's own line, goes back at once.
	if l == nil || len(line) < len("2006/01/02 15:04:05 [") {
		return nil, err
	}
	if line[4] != '/' || line[10] != ' ' {
		if l.klog {
			if e, ok := l.klogLine(line, owned); ok {
				return e, nil
			}
		}
		return nil, err
	}
	if _, ok := splitHeader(line); !ok {
		return nil, err
	}
	if !owned {
		line = strings.Clone(line)
	}
	return l.parser().Parse(line)
}

// parser returns the error parser for the offset of the last access line.
func (l *errorLines) parser() *ErrorParser {
	switch {
	case l.location != nil || l.last.IsZero():
		if l.errs == nil {
			l.errs = &ErrorParser{clock: sources.NewLocalClock(sources.ParserOptions{Location: l.location}.Loc())}
			l.errsLocal = true
		}
	default:
		// A new parser for a new offset: its clock and its cache of the
		// last stamp were in the old one.
		if _, off := l.last.Zone(); l.errs == nil || l.errsLocal || off != l.off {
			l.errs = &ErrorParser{clock: sources.NewLocalClock(time.FixedZone("", off))}
			l.off, l.errsLocal = off, false
		}
	}
	return l.errs
}

// prime notes the time of the first access line among lines, unless an
// access line came already (sources.Primer: the error line of a failed
// request comes before its access line). They are read ahead by a parser
// of the format's own, so that the stream's parser keeps nothing of them
// for when it parses them.
func (l *errorLines) prime(lines []string) {
	if l == nil || !l.last.IsZero() {
		return
	}
	p := l.ahead()
	for _, line := range lines {
		if rec, err := p.Parse(line); err == nil && rec != nil {
			if t := rec.RecordTime(); !t.IsZero() {
				l.last = t
				return
			}
		}
	}
}

// The access parsers' side: each is an errorLineReader and a
// sources.Primer. Their Parse and ParseSlot hand a failed line to
// errLines.failed and note an access line's time (errLines.accessLine).

func (p *AccessParser) readErrorLines(l *errorLines)   { p.errLines = l }
func (p *CombinedParser) readErrorLines(l *errorLines) { p.errLines = l }
func (p *UpstreamParser) readErrorLines(l *errorLines) { p.errLines = l }
func (p *JSONParser) readErrorLines(l *errorLines)     { p.errLines = l }

// Prime implements sources.Primer: the first access line among the lines
// held for detection gives the offset of the error lines before it.
func (p *AccessParser) Prime(lines []string) { p.errLines.prime(lines) }

// Prime implements sources.Primer, as AccessParser's does.
func (p *CombinedParser) Prime(lines []string) { p.errLines.prime(lines) }

// Prime implements sources.Primer, as AccessParser's does.
func (p *UpstreamParser) Prime(lines []string) { p.errLines.prime(lines) }

// Prime implements sources.Primer, as AccessParser's does.
func (p *JSONParser) Prime(lines []string) { p.errLines.prime(lines) }
