package classify

// traefikOwnLog is where Traefik's own log was read, when it was: the
// advice and the hint of a Traefik 5xx of its own that no line of it
// told asked to "give fivexx its log beside the access log" of a log
// given (session 34's leftover). Traefik's own log is read as its error
// log (role proxy-errors, sources/traefik own.go): its lines that name a
// 5xx and a Go error tell the cause; its other lines are start-up lines
// skipped, or unparsed.
type traefikOwnLog struct {
	// where names it: "Traefik's own log (traefik.log)", a file of its
	// own, or "Traefik's own log (its lines in access.log)", sharing the access
	// log's stream (Traefik's stdout); "" when none was read.
	where string
	// told: some of its lines told the cause of a 5xx. Then it is at
	// DEBUG (or the 5xx were TLS ones, logged at ERROR) and the 5xx
	// left untold lie outside what it holds; else it holds none of the
	// DEBUG lines (start-up lines, others unparsed).
	told bool
}

// traefikOwnLog says where Traefik's own log was read: an input of a
// Traefik format that gave a line telling a 5xx's cause (correlator
// failedIn) or skipped Traefik's start-up lines, its own file when it
// gave no access entry.
func (e *Engine) traefikOwnLog() traefikOwnLog {
	var own traefikOwnLog
	for _, in := range e.cfg.Inputs {
		if proxyKind(in.Format()) != "traefik" {
			continue
		}
		told := isSet(e.corr.failedIn, in.Index)
		if !told && in.StartupLines() == 0 {
			continue
		}
		own.told = own.told || told
		switch {
		case !isSet(e.accessIn, in.Index):
			own.where = "Traefik's own log (" + in.Spec.Label() + ")"
		case own.where == "":
			own.where = "Traefik's own log (its lines in " + in.Spec.Label() + ")"
		}
	}
	return own
}

// problem is the advice's Problem for n of Traefik's own 5xx that no
// line of the own log read told.
func (o traefikOwnLog) problem(n int64) string {
	return "Traefik answered " + itoa(int(n)) + " 5xx itself (its own 502, 504 or 500, by OriginStatus and its body) and " + o.where + " has no line that says why"
}

// fix is the advice's Fix: the own log of the access log's hours when
// it told others, else its DEBUG level.
func (o traefikOwnLog) fix() string {
	if o.told {
		return "give fivexx Traefik's own log of the hours the access log covers: the one read tells the cause of other 5xx, none of these (a log of other hours, or cut)"
	}
	return "run Traefik with --log.level=DEBUG: none of the lines read tells the cause of a 5xx, as its DEBUG lines do (refused, reset, timeout or TLS)"
}

// hint is what the hint of such a 5xx says of the own log.
func (o traefikOwnLog) hint(status int) string {
	if o.told {
		return o.where + " has no line about this " + itoa(status) + ", though it tells others: is it of the access log's hours, or cut?"
	}
	return o.where + " has no line that tells the cause of a 5xx: run Traefik with --log.level=DEBUG, the only level that tells it of its own 502/504/500"
}
