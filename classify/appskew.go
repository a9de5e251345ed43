package classify

import (
	"time"

	"fivexx/sources"
)

// The skew is learnt from request ids (skew.go): it is the clock of the
// apps whose lines carry them. An app that logs no ids, beside one that
// does and runs 3 s ahead, had its lines looked for 3 s off and never
// found; its clock is not known, so its lines are taken as they are,
// unless --app-skew says otherwise. Apps are told apart by the name given
// with --app NAME=FILE; unnamed app logs count as one app.

// idApps are the names of the apps (AppEntry.Service) whose lines carried
// a request id.
type idApps struct {
	last  string // the last name noted: most lines come from one app
	any   bool   // last is set
	names map[string]bool
}

// note adds the app named service.
func (n *idApps) note(service string) {
	// Most apps are not named (--app NAME=FILE): "" compares without
	// memequal's call, which == makes whatever the length.
	if n.any && len(service) == len(n.last) && (len(service) == 0 || service == n.last) {
		return
	}
	if n.names == nil {
		n.names = map[string]bool{}
	}
	n.names[service] = true
	n.last, n.any = service, true
}

// has reports whether the app named service logged request ids.
func (n *idApps) has(service string) bool { return n.names[service] }

// appSkew is how far the clock of the app that wrote a runs from the
// proxy's: what --app-skew says, else the estimate for the lines of an app
// that logs request ids, and none for the others.
func (c *correlator) appSkew(a *sources.AppEntry) time.Duration {
	if !c.skew.fixed && !c.skew.paths && !c.skew.allApps && a.RequestID == "" && !c.idApps.has(a.Service) {
		return 0
	}
	return c.skew.value()
}
