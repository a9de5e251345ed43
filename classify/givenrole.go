package classify

import (
	"strings"

	"fivexx/sources"
)

// A role given on the command line that the input's lines contradict
// (sources/givenrole.go) is told, not read as if it were right. At start
// cmd/fivexx refuses a file whose head contradicts its role; what it
// could not check (standard input, a file empty at start) is told here
// from what the input gave. The rules are:
//   - An input given as the app's whose lines the decoder found a
//     proxy's is read for none of them (its state says why); the advice
//     says so and how to give it.
//   - An input given as the proxy's error log that gave access entries
//     and no error line about a request is an access log: the snapshot
//     shows it in that role (roleOf), its state and the advice say it was
//     given as the error log, and the advice says no proxy access log is
//     missing, as it said beside 340 requests read.

// givenErrorsReadAccess reports whether in was given as the proxy's
// error log and gave access entries, and no error line about a request.
func (e *Engine) givenErrorsReadAccess(in *sources.Input) bool {
	return in.Spec.Role == sources.RoleProxyErrors && isSet(e.accessIn, in.Index) && !isSet(e.corr.failedIn, in.Index)
}

// contradiction is what in's lines read as against its given role, if
// they contradict it.
func (e *Engine) contradiction(in *sources.Input) (sources.RoleContradiction, bool) {
	if c, ok := in.Contradiction(); ok {
		return c, true
	}
	if e.givenErrorsReadAccess(in) {
		return sources.RoleContradiction{Given: sources.RoleProxyErrors, As: sources.RoleProxy, Format: in.Format().Name}, true
	}
	return sources.RoleContradiction{}, false
}

// contradictionState is in's state, state as read, when its lines
// contradict its role and state tells of no other problem.
func (e *Engine) contradictionState(in *sources.Input, state string) string {
	if !e.givenErrorsReadAccess(in) {
		return state // the decoder's state says it, or there is nothing to say
	}
	switch {
	case state == "", state == "reading", state == "done", state == "running",
		strings.HasPrefix(state, "exited: status 0"), sources.Following(state):
		c, _ := e.contradiction(in)
		return c.Error()
	}
	return state
}

// contradictionAdvice is the advice for each input whose lines
// contradict its given role.
func (e *Engine) contradictionAdvice() []Advice {
	var out []Advice
	for _, in := range e.cfg.Inputs {
		c, ok := e.contradiction(in)
		if !ok {
			continue
		}
		label := LabelOf(in.Spec.Label(), serviceOf(in))
		a := Advice{Problem: label + ": given with " + sources.GivenFlag(c.Given) + ", but " + c.Reads(), Fix: c.Fix()}
		if c.Given == sources.RoleApp {
			a.Problem += ": none of its lines is read"
		} else {
			a.Problem += ": it is read as the access log"
		}
		out = append(out, a)
	}
	return out
}
