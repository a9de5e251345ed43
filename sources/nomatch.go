package sources

// NoMatch returns an error that wraps ErrNoMatch with the text
// fmt.Errorf("%s: %s: %w", format, what, ErrNoMatch) has ("alb: too few
// fields: line does not match the format"), made only when asked for
// (Error). Detection parses every sample line with every format and reads
// no error's text: formatting them was a fifth of its instructions.
func NoMatch(format, what string) error {
	return &noMatch{format: format, what: what}
}

// noMatch is NoMatch's error.
type noMatch struct{ format, what string }

func (e *noMatch) Error() string { return e.format + ": " + e.what + ": " + ErrNoMatch.Error() }

func (e *noMatch) Unwrap() error { return ErrNoMatch }
