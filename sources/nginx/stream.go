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
//   - The access parser runs first, its fast paths and all: an access line
//     costs what it cost, plus keeping its time. Only a line it fails is
//     looked at, and two bytes ('/' after the year, ' ' after the date)
//     send back nearly every line that is no error line; only a line with
//     the whole header "YYYY/MM/DD HH:MM:SS [level] PID#TID: " is read as
//     one. Every other line stays unparsed, as before.
//   - An error line's time has no zone; the same nginx writes its access
//     lines' offset in the same local time. So it is read at the offset of
//     the access line before it (a container in UTC read on a laptop in
//     Berlin put every error line an hour off its request, and none
//     joined), or before any, at the offset of the first access line among
//     the lines held for detection (Prime: the error line of a failed
//     request comes first), or in ParserOptions.Location when the user set
//     one, or in the local zone when no access line came yet.
//   - Detection is not changed: the access formats score an error line 0,
//     so an error log alone is still nginx-error's, and a stream of both is
//     decided by its access lines (sources/startup.go).
//   - The access formats stay Stateless (parsed in parallel by chunks, each
//     with its own parser): an error line is read at the offset of the
//     access line before it in its chunk. Only the error lines that open a
//     worker's first chunk, before any access line in it, have none; they
//     fall back as above. With a zone that changes no offset (the reader's
//     zone is the stream's, or Location is given) that is the same time.

import (
	"strings"
	"time"

	"fivexx/sources"
)

// errorLines reads the nginx error lines of an access stream, in the zone
// of the access lines around them.
type errorLines struct {
	location *time.Location // ParserOptions.Location: nil unless the user set one
	// last is the time of the last access line (zero before any); errs
	// reads in its offset (off), and is made again when that changes.
	last time.Time
	errs *ErrorParser
	off  int
	// errsLocal says errs reads in location or the local zone: no access
	// line had come when it was made.
	errsLocal bool
}

// access notes the time of an access line: the error lines after it are
// read at its offset.
func (l *errorLines) access(t time.Time) {
	if !t.IsZero() {
		l.last = t
	}
}

// parse reads line as an nginx error line, or returns err (the access
// parser's) for any other line. owned says the line's text stays as it
// is; a slot's text is written again, so the record gets a copy.
func (l *errorLines) parse(line string, err error, owned bool) (sources.Record, error) {
	// Two bytes first: the access line that failed its match, or the
	// program's own line, goes back at once.
	if len(line) < len("2006/01/02 15:04:05 [") || line[4] != '/' || line[10] != ' ' {
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
// access line came already. They are read ahead by a parser that ahead
// makes: one of the format's own, so that the stream's parser keeps
// nothing of them for when it parses them.
func (l *errorLines) prime(lines []string, ahead func() sources.Parser) {
	if !l.last.IsZero() {
		return
	}
	p := ahead()
	for _, line := range lines {
		if rec, err := p.Parse(line); err == nil && rec != nil {
			if t := rec.RecordTime(); !t.IsZero() {
				l.last = t
				return
			}
		}
	}
}

// streamParser is the parser of an nginx access format, access, that also
// reads the nginx error lines sharing its stream.
type streamParser struct {
	access sources.Parser
	// ahead makes a parser of the same format to read the held lines
	// ahead with (Prime).
	ahead func() sources.Parser
	lines errorLines
}

// streamSlotParser is a streamParser whose access parser parses into
// slots.
type streamSlotParser struct {
	streamParser
	slots sources.SlotParser
}

// readsErrorLines turns the New of an nginx access format into one whose
// parsers read the error lines in its stream too.
func readsErrorLines(newAccess func(sources.ParserOptions) (sources.Parser, error)) func(sources.ParserOptions) (sources.Parser, error) {
	return func(opts sources.ParserOptions) (sources.Parser, error) {
		p, err := newAccess(opts)
		if err != nil {
			return nil, err
		}
		ahead := func() sources.Parser {
			q, _ := newAccess(opts) // it worked for the same options
			return q
		}
		s := streamParser{access: p, ahead: ahead, lines: errorLines{location: opts.Location}}
		if sp, ok := p.(sources.SlotParser); ok {
			return &streamSlotParser{streamParser: s, slots: sp}, nil
		}
		return &s, nil
	}
}

// Parse implements sources.Parser.
func (p *streamParser) Parse(line string) (sources.Record, error) {
	rec, err := p.access.Parse(line)
	if err == nil {
		if e, ok := rec.(*sources.ProxyEntry); ok {
			p.lines.access(e.Time)
		}
		return rec, nil
	}
	return p.lines.parse(line, err, true)
}

// ParseSlot implements sources.SlotParser. An error line's record is not
// the slot's: it is parsed from a copy of the line.
func (p *streamSlotParser) ParseSlot(line string, s *sources.ProxySlot) (sources.Record, error) {
	rec, err := p.slots.ParseSlot(line, s)
	if err == nil {
		p.lines.access(s.Entry.Time)
		return rec, nil
	}
	return p.lines.parse(line, err, false)
}

// Prime implements sources.Primer: the first access line among the lines
// held for detection gives the offset of the error lines before it.
func (p *streamParser) Prime(lines []string) {
	p.lines.prime(lines, p.ahead)
}

// Fields returns the attribution fields of the access parser.
func (p *streamParser) Fields() sources.FieldSet {
	if f, ok := p.access.(interface{ Fields() sources.FieldSet }); ok {
		return f.Fields()
	}
	return 0
}
