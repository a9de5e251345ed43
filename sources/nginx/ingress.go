package nginx

import (
	"strings"

	"fivexx/sources"
)

// The ingress-nginx controller's output (kubectl logs deploy/ingress-nginx-
// controller) carries its nginx's access lines and error lines in one
// stream, with the controller's own klog lines and start-up banner. The
// error lines decide refused against timed out and the phase (formats.md
// §1.4, §2), so they are read here as the nginx-error format reads them:
// their time has no zone and is read in ParserOptions.Loc(), as for a
// separate error log. Klog lines and the banner stay unparsed.

// ingressParser reads ingress-nginx's access lines and, when a line is
// not one, nginx's error lines.
type ingressParser struct {
	*AccessParser
	loc  sources.ParserOptions
	errs *ErrorParser // made at the first error line
}

func newIngressParser(opts sources.ParserOptions) *ingressParser {
	return &ingressParser{AccessParser: mustCompile(IngressFormat, "default"), loc: opts}
}

// Parse implements sources.Parser.
func (p *ingressParser) Parse(line string) (sources.Record, error) {
	rec, err := p.AccessParser.Parse(line)
	if err == nil {
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
		p.errs = &ErrorParser{clock: sources.NewLocalClock(p.loc.Loc())}
	}
	return p.errs.Parse(line)
}
