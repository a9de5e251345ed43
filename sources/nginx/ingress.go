package nginx

import (
	"strings"
	"time"

	"fivexx/sources"
)

// The ingress-nginx controller's output (kubectl logs deploy/ingress-nginx-
// controller) carries its nginx's access lines and error lines in one
// stream, with the controller's own klog lines and start-up banner. The
// error lines decide refused against timed out and the phase (formats.md
// §1.4, §2), so they are read here as the nginx-error format reads them.
// Their time has no zone; the same nginx writes the access lines' offset,
// so they are read at the offset of the access line before them (a
// controller in UTC read on a laptop in Berlin put every error line an
// hour off its request, and none joined), or in ParserOptions.Location
// when the user set one, or the local zone before any access line. Klog
// lines and the banner stay unparsed.

// ingressParser reads ingress-nginx's access lines and, when a line is
// not one, nginx's error lines.
type ingressParser struct {
	*AccessParser
	loc  sources.ParserOptions
	errs *ErrorParser // made at the first error line, and again when the offset changes
	// offset of the last access line, when known (access lines carry one).
	offset      int
	offsetKnown bool
}

func newIngressParser(opts sources.ParserOptions) *ingressParser {
	return &ingressParser{AccessParser: mustCompile(IngressFormat, "default"), loc: opts}
}

// Parse implements sources.Parser.
func (p *ingressParser) Parse(line string) (sources.Record, error) {
	rec, err := p.AccessParser.Parse(line)
	if err == nil {
		p.noteOffset(rec)
		return rec, nil
	}
	return p.errorLine(line, err)
}

// ParseSlot implements sources.SlotParser. An error line's record is not
// the slot's: it is parsed from a copy of the line, as the slot's text is
// written again once the slot is back.
func (p *ingressParser) ParseSlot(line string, s *sources.ProxySlot) (sources.Record, error) {
	rec, err := p.AccessParser.ParseSlot(line, s)
	if err == nil {
		p.noteOffset(rec)
		return rec, nil
	}
	if _, ok := splitHeader(line); !ok {
		return nil, err
	}
	return p.errorLine(strings.Clone(line), err)
}

// errorLine parses an nginx error line, or returns err for another line.
func (p *ingressParser) errorLine(line string, err error) (sources.Record, error) {
	if _, ok := splitHeader(line); !ok {
		return nil, err
	}
	if p.errs == nil {
		loc := p.loc.Loc()
		if p.loc.Location == nil && p.offsetKnown {
			loc = time.FixedZone("", p.offset)
		}
		p.errs = &ErrorParser{clock: sources.NewLocalClock(loc)}
	}
	return p.errs.Parse(line)
}

// Prime implements sources.Primer: the first access line among the lines
// held for detection gives the offset of the error lines before it (the
// error line of a failed request is written before its access line).
func (p *ingressParser) Prime(lines []string) {
	if p.offsetKnown {
		return
	}
	ahead := mustCompile(IngressFormat, "default")
	for _, l := range lines {
		if rec, err := ahead.Parse(l); err == nil {
			p.noteOffset(rec)
			return
		}
	}
}

// noteOffset keeps the offset of an access line for the error lines after it.
func (p *ingressParser) noteOffset(rec sources.Record) {
	if _, off := rec.RecordTime().Zone(); !p.offsetKnown || off != p.offset {
		p.offset, p.offsetKnown = off, true
		p.errs = nil // its clock is in the old zone
	}
}
