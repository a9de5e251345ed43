package classify

import (
	"strings"

	"fivexx/sources"
)

// The advice that an access log lacks the fields that tell who made a 5xx
// (noFieldsAdvice) is decided for each proxy whose access logs are read,
// by their own fields, as the error-log advice is (adviceerrorlogs.go):
// it read the format of the last access log and the fields of all, so
// nginx's combined log beside HAProxy's (whose flags tell) got none, and
// its 5xx were a time-window guess without a word. Where the access logs
// are of more than one proxy, each advice names its files and counts its
// own 5xx.

// unattributedCounts counts the 5xx of one kind of proxy judged without
// the fields that tell who made them (Engine.unattributedJudged and the
// rest, by kind).
type unattributedCounts struct {
	kind                          string
	judged, guessed, byID, bySaid int64
}

// proxyLogKind is the kind of proxy an access log of format is grouped
// under (accessLogsByProxy): errorLogKind, else the format's name.
func proxyLogKind(format string) string {
	if k := errorLogKind(format); k != "" {
		return k
	}
	return format
}

// switchAccess makes in the input of the access entries that follow
// (accessLast), keeping the fields of those before in their input's
// accessFields: most lines are of the input of the line before, so each
// one only adds to e.fields, as before the advice was per proxy (a slice
// per line cost 3.2 M instructions of 705 M on the 200 k-line set).
// Its answered requests are looked at for the place of a captured id
// unless that is settled for in (capLearn).
func (e *Engine) switchAccess(in *sources.Input) {
	if last := e.accessLast; last != nil {
		e.accessFields = fieldsAt(e.accessFields, last.Index)
		e.accessFields[last.Index] |= e.fields
		e.allFields |= e.fields
		e.fields = 0
	}
	e.accessLast = in
	e.capLearn = !isSet(e.capSettled, in.Index)
}

// fieldsAt is fs with room for index i.
func fieldsAt(fs []sources.FieldSet, i int) []sources.FieldSet {
	if i >= len(fs) {
		fs = append(fs, make([]sources.FieldSet, i+1-len(fs))...)
	}
	return fs
}

// fieldsSeen is the union of attribution fields of every access entry.
func (e *Engine) fieldsSeen() sources.FieldSet { return e.allFields | e.fields }

// fieldsOf is the union of attribution fields of input i's access entries.
func (e *Engine) fieldsOf(i int) sources.FieldSet {
	var f sources.FieldSet
	if i < len(e.accessFields) {
		f = e.accessFields[i]
	}
	if e.accessLast != nil && e.accessLast.Index == i {
		f |= e.fields
	}
	return f
}

// unattributedCountsOf returns the counts of format's kind of proxy.
func (e *Engine) unattributedCountsOf(format string) *unattributedCounts {
	kind := proxyLogKind(format)
	for i := range e.unattributedOf {
		if e.unattributedOf[i].kind == kind {
			return &e.unattributedOf[i]
		}
	}
	e.unattributedOf = append(e.unattributedOf, unattributedCounts{kind: kind})
	return &e.unattributedOf[len(e.unattributedOf)-1]
}

// noFieldsAdvices is noFieldsAdvice for each proxy among groups; with
// one proxy (or none grouped) as it was, of every access entry's fields
// and counts, the format proxyFormat's.
func (e *Engine) noFieldsAdvices(groups []proxyLogs, several bool, proxyFormat string, need sources.FieldSet, errorsEmpty *Advice, needCaddyErrors, givenErrorsEmpty bool) []Advice {
	if !several {
		if e.proxies == 0 {
			return nil
		}
		u := unattributedCounts{judged: e.unattributedJudged, guessed: e.unattributedGuessed, byID: e.unattributedByID, bySaid: e.unattributedBySaid}
		if a, ok := e.noFieldsAdvice(proxyFormat, e.fieldsSeen(), need, u, errorsEmpty, needCaddyErrors, givenErrorsEmpty); ok {
			return []Advice{a}
		}
		return nil
	}
	var out []Advice
	for _, g := range groups {
		var fields sources.FieldSet
		read := false
		for _, i := range g.index {
			if isSet(e.accessIn, i) {
				fields |= e.fieldsOf(i)
				read = true
			}
		}
		if !read {
			continue // no access entry of it: nothing to say of its fields
		}
		var u unattributedCounts
		for _, c := range e.unattributedOf {
			if c.kind == g.kind {
				u = c
			}
		}
		a, ok := e.noFieldsAdvice(g.format, fields, attributionFields(g.format), u, errorsEmpty, needCaddyErrors, givenErrorsEmpty)
		if !ok {
			continue
		}
		a.Problem = accessLogsNamed(a.Problem, g.labels)
		out = append(out, a)
	}
	return out
}

// accessLogsNamed is problem, of the access logs labels, naming them:
// "the access log (a.log) has no …", else " for a.log" before its
// first ": " (namedFor).
func accessLogsNamed(problem string, labels []string) string {
	names := strings.Join(labels, ", ")
	if rest, ok := strings.CutPrefix(problem, "the access log "); ok {
		return "the access log (" + names + ") " + rest
	}
	return namedFor(problem, " for "+names)
}
