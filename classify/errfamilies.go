package classify

// familyErrors is what the error lines of one proxy family
// (sources.Format.Family) told: how many had a request context (lines),
// and the time of the earliest one with a time, of any kind (from, once
// timed): an error log that starts after a 5xx (the next day's, beside
// this day's access log) says nothing of it by having no line for it.
type familyErrors struct {
	family string
	lines  int64
	from   logInstant
	timed  bool
}

// errFamilies holds a familyErrors for each family an error line came
// from: a few at most. They were two maps keyed by the family's name,
// looked up and stored to for every error line (about 290 instructions
// a line, hashing and comparing the name), where the line before's
// family is almost always the line's.
type errFamilies struct {
	all  []*familyErrors
	last *familyErrors // the one of returned last, or nil
}

// of returns family f's familyErrors, made when f has none yet.
func (fs *errFamilies) of(f string) *familyErrors {
	if l := fs.last; l != nil && l.family == f {
		return l
	}
	fe := fs.find(f)
	if fe == nil {
		fe = &familyErrors{family: f}
		fs.all = append(fs.all, fe)
	}
	fs.last = fe
	return fe
}

// find returns family f's familyErrors, or nil.
func (fs *errFamilies) find(f string) *familyErrors {
	for _, fe := range fs.all {
		if fe.family == f {
			return fe
		}
	}
	return nil
}

// errorLinesOf counts the error lines with a request context of proxy
// family f.
func (c *correlator) errorLinesOf(f string) int64 {
	if fe := c.families.find(f); fe != nil {
		return fe.lines
	}
	return 0
}

// errorsFromOf is the time of family f's earliest error-log line with a
// time; ok is false when none came.
func (c *correlator) errorsFromOf(f string) (from logInstant, ok bool) {
	if fe := c.families.find(f); fe != nil && fe.timed {
		return fe.from, true
	}
	return logInstant{}, false
}
