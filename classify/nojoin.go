package classify

import "fivexx/sources"

// App and error lines are held for the 5xx of an access log to join (and,
// in timeline mode, to show). A report of an app log or an error log
// without any access log has no 5xx to join them: it still held every app
// line of the last two minutes, with its Detach copy and its places in the
// id and path indexes, for nothing. On the 2 M bench set `report app.log`
// alone held 33,000 lines, 23 MB live, and peaked at 49 MB RSS against
// 26.5 MB for the three files together, whose access log lets the
// answered requests' lines go (release.go). The rules are:
//   - A line is not held when no record of an access log can come: the
//     engine is no live one (a followed file may be replaced by another)
//     and makes no timelines, every input's role is settled
//     (sources.Input.RoleSettled) and none is an access log's, and no
//     access entry was added.
//   - Until every role is settled, lines are held: the decision errs
//     towards holding, as before. An access log settled as one decides
//     for good that lines are held, and so does an access entry.
//   - What a line is counted in (app lines, error lines, the witnesses,
//     the ids seen, the upstream state lines) is counted all the same:
//     the advice and the counts of a report do not change.

// joinState is whether held lines may be looked up (correlator.joins).
type joinState uint8

const (
	joinsUndecided joinState = iota
	joinsMay                 // an access log is read, or may be
	joinsNone                // no access entry can come (see above)
)

// unjoined reports whether no access entry can come to look up an app or
// error line: such a line need not be held.
func (c *correlator) unjoined() bool {
	switch c.joins {
	case joinsMay:
		return false
	case joinsNone:
		if !c.proxySeen {
			return true
		}
		c.joins = joinsMay // an access entry of no known input: hold from now on
		return false
	}
	return c.decideJoins()
}

// decideJoins is unjoined while undecided.
func (c *correlator) decideJoins() bool {
	if c.cfg.Live || c.cfg.Timeline || len(c.cfg.Inputs) == 0 || c.proxySeen {
		c.joins = joinsMay
		return false
	}
	settled := true
	for _, in := range c.cfg.Inputs {
		if !in.RoleSettled() {
			settled = false
			continue
		}
		switch in.Role() {
		case sources.RoleProxy:
			c.joins = joinsMay
			return false
		case sources.RoleUnknown:
			settled = false
		}
	}
	if settled {
		c.joins = joinsNone
	}
	return settled
}
