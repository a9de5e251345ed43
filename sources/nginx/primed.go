package nginx

// The access parsers' sources.PrimedTeller side: once an access line among
// the lines read ahead has given the offset of the error lines before it
// (errorLines.prime), later lines change nothing.

// Primed implements sources.PrimedTeller.
func (p *AccessParser) Primed() bool { return p.errLines.primed() }

// Primed implements sources.PrimedTeller.
func (p *CombinedParser) Primed() bool { return p.errLines.primed() }

// Primed implements sources.PrimedTeller.
func (p *UpstreamParser) Primed() bool { return p.errLines.primed() }

// Primed implements sources.PrimedTeller.
func (p *JSONParser) Primed() bool { return p.errLines.primed() }

// primed says whether the error lines' offset is settled: an access line
// has been read ahead, or the lines are read in a zone the user gave
// (parser), or the stream has no error lines to read.
func (l *errorLines) primed() bool {
	return l == nil || l.location != nil || !l.last.IsZero()
}
