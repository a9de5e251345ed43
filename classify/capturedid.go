package classify

import "fivexx/sources"

// A proxy line may log the request id where its shape says nothing of
// it: HAProxy writes the request headers its configuration captures, in
// that order, as "{hap-2-e503|curl/8.4.0}", and its parser takes a value
// as the id only when it looks like one (16 hex digits and more, a ULID):
// an id the user made ("hap-2-e503", "req-42") does not, and a user agent,
// a host or a cookie must not. The rules are:
//   - A captured value is the request id when an app line carries that
//     very value as its request id: no app logs a user agent or a host
//     as one.
//   - Once one has, the value in the same place of the block is the id of
//     every later 5xx of that input: HAProxy writes the captures in the
//     order they are configured, so the place is the header. A request
//     whose value there no app line carries was not seen by the app
//     (absence by id, as for any id that joins).
//   - The fields a custom log-format writes after the request line
//     (sources.Format.Trailing: "%{+Q}r %ID" with unique-id-format) are
//     candidates too, after the captures.
//   - Only for 5xx entries whose parser found no id, of formats that log
//     captures (sources.Format.Captured), as they are judged: nothing is
//     added to the per-line path.

// capturedIDs is what the correlator learned of ids in captured values.
type capturedIDs struct {
	place   map[*sources.Input]int // the place in the block that held an id, from 1
	taken   int64                  // 5xx whose id was a captured value
	offered int64                  // 5xx with captured values and no id of their own
	// trailing counts the 5xx whose line had fields after the request
	// line (sources.Format.Trailing) among those offered.
	trailing int64
}

// idFromCaptures gives e, a 5xx of in with no request id, the captured
// value that is its request id, by the rules above.
func (c *correlator) idFromCaptures(e *sources.ProxyEntry, in *sources.Input) {
	if e.RequestID != "" || in == nil {
		return
	}
	f := in.Format()
	if f.Captured == nil && f.Trailing == nil {
		return
	}
	var vals []string
	if f.Captured != nil {
		vals = f.Captured(e.Raw)
	}
	if f.Trailing != nil {
		// After the captures: their number is the configuration's, the
		// same on every line, so a trailing field keeps its place.
		if more := f.Trailing(e.Raw); len(more) > 0 {
			vals = append(vals, more...)
			c.captured.trailing++
		}
	}
	if len(vals) == 0 {
		return
	}
	c.captured.offered++
	if n := c.captured.place[in]; n > 0 {
		if n <= len(vals) && usable(vals[n-1]) {
			c.takeCapturedID(e, vals[n-1])
		}
		return
	}
	for i, v := range vals {
		if usable(v) && c.appCarries(v) {
			if c.captured.place == nil {
				c.captured.place = map[*sources.Input]int{}
			}
			c.captured.place[in] = i + 1
			c.takeCapturedID(e, v)
			return
		}
	}
}

// usable says whether a captured value can be an id: HAProxy logs "" for
// a header the request did not send.
func usable(v string) bool { return v != "" && v != "-" }

// appCarries says whether a held app line carries id as its request id.
func (c *correlator) appCarries(id string) bool {
	id = sources.NormalizeRequestID(id)
	for _, r := range c.heldRefs(sources.IDHash(id)) {
		if r.e.RequestID == id {
			return true
		}
	}
	return false
}

// takeCapturedID makes id e's request id.
func (c *correlator) takeCapturedID(e *sources.ProxyEntry, id string) {
	e.RequestID, e.IDHash = id, 0
	e.IDKey()
	e.Fields |= sources.FieldRequestID
	c.captured.taken++
}
