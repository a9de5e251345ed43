package sources

// namesRequests says whether some of lines, read by the input's app format,
// is an app record of a request: one with a request id or an HTTP status.
// A watched app format's first lines are held back (decoder.pending)
// because they may be a proxy's startup lines, which an app format reads
// as well; but those are about the proxy itself (its configuration, its
// workers) and name no request. Lines that do are the app's, and what the
// engine joins the proxy's 5xx with: held for up to 10 s, they missed the
// 5xx they explain (an app log empty when live mode started: its first 12
// JSON lines, each with its request id, reached the engine after their
// 500s were judged "not matched").
//
// The lines are read by a parser of their own, so that the input's parser,
// which reads them next, starts from its first line (continuation lines,
// the zone of timestamps without one).
func (in *Input) namesRequests(lines []string) bool {
	f := in.Format()
	if f.Role != RoleApp || f.New == nil {
		return false
	}
	p, err := f.New(in.Spec.Opts)
	if err != nil {
		return false
	}
	for _, l := range lines {
		rec, err := p.Parse(l)
		if e, ok := rec.(*AppEntry); ok && err == nil && (e.RequestID != "" || e.Status != 0) {
			return true
		}
	}
	return false
}
